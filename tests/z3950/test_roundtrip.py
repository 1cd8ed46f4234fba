"""decode(encode(event)) == event for every APDU, in definite and in indefinite lengths;
damaged APDUs give RemoteProtocolError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.z3950 import RemoteProtocolError, decode_apdu, encode_apdu
from app.z3950.events import Event, PresentResponse, SearchResponse
from tests.vectors import load, names
from tests.z3950 import strategies as s
from tests.z3950.lengths import indefinite

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
def test_records_survive_the_wire_in_both_length_forms(
    event: SearchResponse | PresentResponse,
) -> None:
    data = encode_apdu(event)
    assert decode_apdu(data) == event
    assert decode_apdu(indefinite(data)) == event


APDUS = [apdu for name in names() for _, apdu in load(name)]
APDUS += [indefinite(apdu) for apdu in APDUS]  # every ANY and list in YAZ's open form too


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(APDUS),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=4),
    st.integers(0, 10**6),
)
def test_damaged_apdus_raise_only_remote_protocol_errors(
    apdu: bytes, flips: list[tuple[int, int]], cut: int
) -> None:
    """Whatever a target sends, the answer is an event or a RemoteProtocolError."""
    damaged = bytearray(apdu)
    for where, value in flips:
        damaged[where % len(damaged)] = value
    for data in (bytes(damaged), bytes(damaged[: max(1, cut % len(damaged))])):
        try:
            event = decode_apdu(data)
        except RemoteProtocolError as exc:
            assert exc.message.startswith("The ")  # a sentence for a person, never a traceback
        else:
            assert type(event).__module__ == "app.z3950.events"
