"""Record makers for the reader tests: pymarc for MARC 21, YAZ's own tools for MARC-8 and XML.

MARC-8, MARCXML and turbomarc bytes come from ``yaz-marcdump`` and ``yaz-iconv`` so that the
tests read what a real server sends, not what our own encoder thinks MARC-8 is. A missing YAZ
tool fails the test with the apt-get command (never a skip).
"""

from __future__ import annotations

import subprocess

import pytest
from pymarc import Field, Indicators, Leader, Record, Subfield

from tests.peers._process import PeerMissing, require

USMARC = "1.2.840.10003.5.10"
UNIMARC = "1.2.840.10003.5.1"
SUTRS = "1.2.840.10003.5.101"
OPAC = "1.2.840.10003.5.102"
XML = "1.2.840.10003.5.109.10"


def df(tag: str, indicators: str, *subfields: tuple[str, str]) -> Field:
    """A data field: df("245", "14", ("a", "The origin of species :"), ("b", "..."))."""
    return Field(
        tag=tag,
        indicators=Indicators(indicators[0], indicators[1]),
        subfields=[Subfield(code, value) for code, value in subfields],
    )


def cf(tag: str, data: str) -> Field:
    return Field(tag=tag, data=data)


def record(*fields: Field, leader: str = "00000nam a2200000 a 4500") -> Record:
    rec = Record(force_utf8=True, leader=Leader(leader))
    rec.add_field(*fields)
    return rec


def iso(*fields: Field, leader: str = "00000nam a2200000 a 4500") -> bytes:
    """UTF-8 ISO 2709 bytes of a record made of ``fields``."""
    return bytes(record(*fields, leader=leader).as_marc())


def _tool(name: str) -> str:
    try:
        return require(name)[name]
    except PeerMissing as exc:
        pytest.fail(f"YAZ tool missing (never skipped): {exc}", pytrace=False)


def yaz_marcdump(data: bytes, *args: str, check: bool = True) -> bytes:
    """Run ``yaz-marcdump ARGS`` over ``data`` (an ISO 2709 or XML file) and return its output
    (with ``check=False``, also when yaz-marcdump reports a broken record by its exit status)."""
    done = subprocess.run(
        [_tool("yaz-marcdump"), *args, "/dev/stdin"],
        input=data,
        capture_output=True,
        check=check,
        timeout=30,
    )
    return done.stdout + done.stderr


def to_marc8(utf8_record: bytes) -> bytes:
    """The same record as real MARC-8 bytes, leader/09 blank, converted by yaz-marcdump."""
    return yaz_marcdump(utf8_record, "-f", "UTF-8", "-t", "MARC-8", "-l", "9=32", "-o", "marc")


def yaz_iconv(text: str, to: str) -> bytes:
    """``text`` encoded by yaz-iconv into ``to`` ("marc8", ...)."""
    done = subprocess.run(
        [_tool("yaz-iconv"), "-f", "utf8", "-t", to],
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
        timeout=30,
    )
    return done.stdout


def yaz_decode_iso5426(data: bytes) -> str:
    """What YAZ makes of ISO 5426 bytes (decomposed UTF-8): the judge of our table."""
    done = subprocess.run(
        [_tool("yaz-iconv"), "-f", "iso5426", "-t", "utf8"],
        input=data + b"\n",
        capture_output=True,
        check=True,
        timeout=30,
    )
    return done.stdout.decode("utf-8").rstrip("\n")


# --- raw bytes off the wire -----------------------------------------------------------------


def _tlv(data: bytes, pos: int) -> tuple[int, int, int, int]:
    """(tag byte, content start, content end, next position) of the BER value at ``pos``."""
    tag = data[pos]
    pos += 1
    if tag & 0x1F == 0x1F:  # high tag number: base-128 bytes follow
        while data[pos] & 0x80:
            pos += 1
        pos += 1
    length = data[pos]
    pos += 1
    if length == 0x80:  # indefinite (YAZ servers use it): children up to an 00 00 marker
        end = pos
        while data[end : end + 2] != b"\x00\x00":
            end = _tlv(data, end)[3]
        return tag, pos, end, end + 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    return tag, pos, pos + length, pos + length


def _oid(content: bytes) -> str:
    first, rest, value = content[0], [], 0
    for byte in content[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            rest.append(value)
            value = 0
    return ".".join(str(n) for n in (first // 40, first % 40, *rest))


def externals(data: bytes) -> list[tuple[str, bytes]]:
    """(OID, record bytes) of every EXTERNAL in a stream of BER APDUs, outermost first.

    Octet-aligned gives its octets; single-ASN1-type gives a string's octets (SUTRS) or the
    inner value's whole BER (OPAC, GRS-1). An independent walker, not Polycat's codec."""
    found: list[tuple[str, bytes]] = []

    def walk(start: int, end: int) -> None:
        pos = start
        while pos < end:
            tag, body, stop, pos = _tlv(data, pos)
            if tag == 0x28:
                oid, payload = "", b""
                inner = body
                while inner < stop:
                    itag, ibody, istop, inner = _tlv(data, inner)
                    if itag == 0x06:
                        oid = _oid(data[ibody:istop])
                    elif itag == 0x81:
                        payload = data[ibody:istop]
                    elif itag == 0xA0:
                        vtag, vbody, vstop, _ = _tlv(data, ibody)
                        payload = data[vbody:vstop] if vtag in (0x04, 0x1B, 0x1A) else data[
                            ibody:istop
                        ]
                found.append((oid, payload))
            elif tag & 0x20:
                walk(body, stop)

    walk(0, len(data))
    return found


def raw_record(leader: str, fields: list[tuple[str, bytes]], *, terminate: bool = True) -> bytes:
    """ISO 2709 bytes built by hand from (tag, field bytes without terminator): for MARC-8
    bytes YAZ will not write (NSB/NSE) and for records damaged on purpose."""
    directory = b""
    body = b""
    for tag, data in fields:
        data += b"\x1e"
        directory += f"{tag}{len(data) % 10_000:04d}{len(body) % 100_000:05d}".encode()
        body += data
    base = 24 + len(directory) + 1
    end = b"\x1d" if terminate else b""
    length = base + len(body) + len(end)
    head = f"{min(length, 99_999):05d}{leader[5:12]}{base:05d}{leader[17:24]}".encode()
    return head + directory + b"\x1e" + body + end


def subfields(indicators: str, *pairs: tuple[str, bytes]) -> bytes:
    """A data field's bytes: indicators, then \\x1f + code + value for each pair."""
    return indicators.encode() + b"".join(b"\x1f" + c.encode() + v for c, v in pairs)
