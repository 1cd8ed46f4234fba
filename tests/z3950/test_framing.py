"""Cutting the byte stream into APDUs: every split, both length forms, oversize, garbage."""

from __future__ import annotations

import pytest

from app.z3950 import RemoteProtocolError, framing
from app.z3950.framing import Framer
from tests.vectors import load

# three real APDUs, one of them (ztest's Present response) in the indefinite form
SHOW = [apdu for _, apdu in load("show_usmarc")]
INDEFINITE = SHOW[5]
STREAM = b"".join(SHOW)


def collect(framer: Framer) -> list[bytes]:
    found = []
    while (apdu := framer.next_apdu()) is not None:
        found.append(apdu)
    return found


def test_the_captured_stream_holds_an_indefinite_apdu() -> None:
    assert INDEFINITE[:2] == b"\xb9\x80" and INDEFINITE.endswith(b"\x00\x00")


def test_whole_stream_at_once() -> None:
    framer = Framer()
    framer.feed(STREAM)
    assert collect(framer) == SHOW
    assert framer.buffered == 0


@pytest.mark.parametrize("apdu", [SHOW[0], INDEFINITE], ids=["definite", "indefinite"])
def test_every_split_of_one_apdu(apdu: bytes) -> None:
    for cut in range(1, len(apdu)):
        framer = Framer()
        framer.feed(apdu[:cut])
        assert framer.next_apdu() is None, cut
        framer.feed(apdu[cut:])
        assert framer.next_apdu() == apdu, cut
        assert framer.next_apdu() is None


def test_every_split_into_two_chunks_of_the_whole_stream() -> None:
    for cut in range(len(STREAM) + 1):
        framer = Framer()
        framer.feed(STREAM[:cut])
        found = collect(framer)
        framer.feed(STREAM[cut:])
        assert found + collect(framer) == SHOW, cut


def test_byte_by_byte() -> None:
    framer = Framer()
    found = []
    for octet in STREAM:
        framer.feed(bytes([octet]))
        found += collect(framer)
    assert found == SHOW


def test_surplus_bytes_wait_for_the_next_apdu() -> None:
    framer = Framer()
    framer.feed(SHOW[0] + SHOW[1][:3])
    assert framer.next_apdu() == SHOW[0]
    assert framer.next_apdu() is None
    assert framer.buffered == 3
    framer.feed(SHOW[1][3:])
    assert framer.next_apdu() == SHOW[1]


def test_nested_indefinite_lengths_and_long_form_lengths() -> None:
    # [25] indefinite { [28] indefinite { SEQUENCE with a 300-octet OCTET STRING (82 01 2c) } }
    body = b"\x30\x82\x01\x30" + b"\x04\x82\x01\x2c" + b"x" * 300
    apdu = b"\xb9\x80\xbc\x80" + body + b"\x00\x00\x00\x00"
    for cut in range(1, len(apdu)):
        framer = Framer()
        framer.feed(apdu[:cut])
        assert framer.next_apdu() is None
        framer.feed(apdu[cut:] + b"\xb4")
        assert framer.next_apdu() == apdu
        assert framer.buffered == 1


def test_zero_octets_inside_a_definite_child_are_not_an_end_marker() -> None:
    apdu = b"\xb9\x80\x04\x02\x00\x00\x00\x00"
    framer = Framer()
    framer.feed(apdu[:6])
    assert framer.next_apdu() is None  # 04 02 00 00 is content, not the end
    framer.feed(apdu[6:])
    assert framer.next_apdu() == apdu


def test_declared_oversize_is_refused_before_the_body_arrives() -> None:
    framer = Framer(max_apdu_size=1000)
    framer.feed(b"\xb9\x84\x40\x00\x00\x00")  # announces 1 GiB
    with pytest.raises(RemoteProtocolError, match="larger than Polycat accepts") as caught:
        framer.next_apdu()
    assert "1,073,741,830 bytes announced" in caught.value.message


def test_default_limit_is_16_mib() -> None:
    framer = Framer()
    size = 16 * 1024 * 1024
    framer.feed(b"\xb9\x84" + (size - 6).to_bytes(4, "big"))  # exactly 16 MiB with header
    assert framer.next_apdu() is None
    framer = Framer()
    framer.feed(b"\xb9\x84" + (size - 5).to_bytes(4, "big"))
    with pytest.raises(RemoteProtocolError):
        framer.next_apdu()


def test_accumulated_oversize_of_an_indefinite_apdu_is_refused() -> None:
    framer = Framer(max_apdu_size=1000)
    framer.feed(b"\xb9\x80")
    chunk = b"\x04\x81\xc8" + b"y" * 200  # 203-octet children, never an end marker
    with pytest.raises(RemoteProtocolError, match="reached"):
        for _ in range(10):
            framer.feed(chunk)
            assert framer.next_apdu() is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"HTTP/1.1 400 Bad Request\r\n", "HTTP/XML, not Z39.50"),
        (b"<?xml version='1.0'?>", "HTTP/XML, not Z39.50"),
        (b"\x30\x03\x02\x01\x05", "not a Z39.50 message"),  # a UNIVERSAL SEQUENCE
        (b"\x94\x01\x00", "not a Z39.50 message"),  # context-class but primitive
        (b"\xbf\x63\x00", "not a Z39.50 message"),  # [99]: no such APDU
        (b"\xb4\xff", "impossible length"),
        (b"\x04", "not a Z39.50 message"),  # refused from its first octet
    ],
    ids=["http", "xml", "universal", "primitive", "tag-99", "length-ff", "one-octet"],
)
def test_garbage_is_refused_at_once(data: bytes, message: str) -> None:
    framer = Framer()
    framer.feed(data)
    with pytest.raises(RemoteProtocolError, match=message):
        framer.next_apdu()


@pytest.mark.parametrize("indefinite", [False, True], ids=["definite", "indefinite"])
def test_many_records_in_64k_chunks_stay_linear(
    indefinite: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2,000 records in 20 APDUs arriving in 64 KiB chunks: no header is read twice except
    one cut by a chunk boundary, so the work grows with the bytes, not with their square.

    Counted, not timed (timing assertions are not allowed in tests).
    """
    record = b"\x30\x82\x05\xdc" + b"r" * 1500
    body = record * 100
    if indefinite:
        apdu = b"\xb9\x80" + body + b"\x00\x00"
    else:
        apdu = b"\xb9\x83" + len(body).to_bytes(3, "big") + body
    stream = apdu * 20
    reads = 0
    real = framing.ber.read_header

    def counting(data: bytes | bytearray | memoryview, pos: int, end: int) -> object:
        nonlocal reads
        reads += 1
        return real(data, pos, end)

    monkeypatch.setattr(framing.ber, "read_header", counting)
    framer = Framer()
    found = 0
    chunks = 0
    for start in range(0, len(stream), 65536):
        framer.feed(stream[start : start + 65536])
        chunks += 1
        while framer.next_apdu() is not None:
            found += 1
    assert found == 20
    headers = 20 * (101 if indefinite else 1)
    assert headers <= reads <= headers + 2 * chunks
