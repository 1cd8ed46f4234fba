"""decode(encode(event)) == event for every APDU, and both record readers agree."""

from __future__ import annotations

from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.z3950 import decode_apdu, encode_apdu, fastpath
from app.z3950.events import Event, PresentResponse, SearchResponse
from tests.z3950 import strategies as s

FAST = settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@FAST
@given(s.every_event)
def test_every_event_survives_the_wire(event: Event) -> None:
    assert decode_apdu(encode_apdu(event)) == event


@FAST
@given(s.every_event, st.sampled_from(["iso-8859-1", "utf-16-le", "cp1252"]))
def test_round_trip_in_another_character_set(event: Event, encoding: str) -> None:
    try:
        data = encode_apdu(event, encoding=encoding)
    except Exception as exc:  # text the set cannot hold is refused in words, never garbled
        assert type(exc).__name__ == "CharacterSetError"
        return
    assert decode_apdu(data, encoding=encoding) == event


@FAST
@given(s.search_responses() | s.present_responses())
def test_fast_record_reader_agrees_with_pyasn1(event: SearchResponse | PresentResponse) -> None:
    data = encode_apdu(event)
    fast = decode_apdu(data)
    with mock.patch.object(fastpath, "decode", return_value=None):
        slow = decode_apdu(data)
    assert fast == slow == event
