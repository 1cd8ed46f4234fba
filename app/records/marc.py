"""MARC records as decoded text: one shape for ISO 2709 and MARCXML, MARC 21 and UNIMARC.

ISO 2709 is read here by its directory, checked against the field terminators. When the two
disagree (a record over 99,999 bytes whose offsets no longer fit, a damaged directory, a record
cut off) the fields are taken by their terminators instead, in directory order, with a warning:
a librarian would rather see a record with a note than lose it. pymarc's reader refuses such
records outright, so it is used here for its MARC-8 tables, not for the structure.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterator
from typing import Literal, NamedTuple

from app.records.charsets import Charset, Decoder, decoder, sniff_charset
from app.records.errors import UnreadableRecord

__all__ = [
    "DataField",
    "MarcFamily",
    "MarcRecord",
    "family_of",
    "parse_iso2709",
    "split_iso2709",
]

MarcFamily = Literal["marc21", "unimarc"]
FIELD_END = 0x1E
RECORD_END = 0x1D
_LEADER_LENGTH = 24
_ENTRY_LENGTH = 12
_ENTRY = re.compile(rb"(.{3})(.{4})(.{5})", re.DOTALL)  # tag, length, offset


class DataField(NamedTuple):
    """A variable data field: tag, indicators and (code, text) subfields in record order."""

    tag: str
    ind1: str
    ind2: str
    subfields: tuple[tuple[str, str], ...]

    def first(self, code: str) -> str:
        """The first subfield ``code``, or ""."""
        for c, value in self.subfields:
            if c == code:
                return value
        return ""

    def all(self, code: str) -> list[str]:
        return [value for c, value in self.subfields if c == code]

    def values(self, codes: str) -> list[str]:
        """Every subfield whose code is one of ``codes``, in record order."""
        return [value for c, value in self.subfields if c in codes]


class MarcRecord:
    """A MARC record after decoding: leader, control fields (001-009) and data fields."""

    __slots__ = ("_by_tag", "control", "fields", "leader")

    def __init__(self, leader: str, control: dict[str, str], fields: list[DataField]) -> None:
        self.leader = leader
        self.control = control  # the first of each control tag: "001" → "ocm12345"
        self.fields = fields
        self._by_tag: dict[str, list[DataField]] = {}
        for field in fields:
            self._by_tag.setdefault(field.tag, []).append(field)

    def get(self, tag: str) -> list[DataField]:
        return self._by_tag.get(tag, [])

    def first(self, tag: str) -> DataField | None:
        found = self._by_tag.get(tag)
        return found[0] if found else None

    def having(self, tags: frozenset[str]) -> list[DataField]:
        """Fields with any of ``tags``, in record order."""
        return [f for f in self.fields if f.tag in tags]

    def __contains__(self, tag: str) -> bool:
        return tag in self._by_tag or tag in self.control


def split_iso2709(data: bytes) -> Iterator[bytes]:
    """The records of an ISO 2709 file or stream, one ``bytes`` each.

    The leader's record length is trusted when a record terminator sits where it says;
    otherwise (records over 99,999 bytes, wrong lengths) the record runs to the next
    terminator. Line breaks some tools put between records are skipped.
    """
    pos, size = 0, len(data)
    while pos < size:
        while pos < size and data[pos] in b"\r\n\t \x00\x1a":
            pos += 1
        if pos >= size:
            return
        head = data[pos : pos + 5]
        stop = -1
        if head.isdigit():
            length = int(head)
            if length >= _LEADER_LENGTH and pos + length <= size and (
                data[pos + length - 1] == RECORD_END
            ):
                stop = pos + length
        if stop < 0:
            found = data.find(b"\x1d", pos)
            stop = size if found < 0 else found + 1
        yield data[pos:stop]
        pos = stop


def _structure(chunk: bytes) -> tuple[str, list[tuple[str, bytes]], list[str]]:
    """Leader, (tag, field bytes without terminator) in directory order, and warnings."""
    warnings: list[str] = []
    if len(chunk) < _LEADER_LENGTH:
        raise UnreadableRecord(
            f"the record is only {len(chunk)} bytes long, shorter than a MARC leader (24 bytes)"
        )
    leader = chunk[:_LEADER_LENGTH].decode("ascii", "replace")
    directory_end = chunk.find(b"\x1e", _LEADER_LENGTH)
    if directory_end < 0:
        raise UnreadableRecord(
            "no field terminator after the leader: this is not a MARC record, "
            "or it was cut off inside its directory"
        )
    base = directory_end + 1
    declared_base = leader[12:17]
    if not declared_base.isdigit() or int(declared_base) != base:
        warnings.append(
            f"leader/12-16 gives the data at byte {declared_base.strip() or '?'} but the "
            f"directory ends at byte {base}; the directory was trusted"
        )
    directory = chunk[_LEADER_LENGTH:directory_end]
    if len(directory) % _ENTRY_LENGTH:
        warnings.append("the directory is damaged (its length is not a multiple of 12)")
    entries = [
        (tag.decode("ascii", "replace"), int(size), int(start))
        if size.isdigit() and start.isdigit()
        else (tag.decode("ascii", "replace"), -1, -1)
        for tag, size, start in _ENTRY.findall(directory)
    ]
    if not entries:
        raise UnreadableRecord("the record's directory lists no fields")

    end = len(chunk)
    if chunk[-1] == RECORD_END:
        end -= 1
    else:
        warnings.append("the record has no record terminator: it may be cut off")
    body = chunk[base:end]
    declared_length = leader[:5]
    if len(chunk) > 99_999:
        warnings.append(
            f"the record is {len(chunk):,} bytes, more than ISO 2709's 99,999: "
            "read by its field terminators"
        )
    elif not declared_length.isdigit() or int(declared_length) != len(chunk):
        warnings.append(
            f"leader/00-04 gives the length as {declared_length!r} but the record has "
            f"{len(chunk)} bytes"
        )

    fields: list[tuple[str, bytes]] = []
    for tag, length, offset in entries:
        stop = offset + length
        if length <= 0 or stop > len(body) or body[stop - 1] != FIELD_END:
            break
        fields.append((tag, body[offset : stop - 1]))
    else:
        return leader, fields, warnings

    # The directory does not fit the data: take the fields by their terminators instead.
    pieces = body.split(b"\x1e")
    if pieces and not pieces[-1]:
        pieces.pop()
    elif pieces:
        warnings.append("the last field has no field terminator: it may be cut off")
    if len(pieces) != len(entries):
        warnings.append(
            f"the directory lists {len(entries)} fields but the data holds {len(pieces)}; "
            f"{min(len(pieces), len(entries))} were read"
        )
    warnings.append("the directory's lengths or offsets are wrong; fields read in order")
    fields = [(tag, piece) for (tag, _, _), piece in zip(entries, pieces, strict=False)]
    return leader, fields, warnings


def _is_control(tag: str, data: bytes) -> bool:
    if tag.isdigit():
        return tag < "010"
    return b"\x1f" not in data


def _declared(
    leader: str, fields: list[tuple[str, bytes]], family: MarcFamily, profile: Charset | None
) -> tuple[Charset, str, str | None]:
    """The character set a record declares (or, where it says nothing, the target's profile),
    who declares it, and any complaint about that."""
    if family == "unimarc":
        for tag, data in fields:
            if tag == "100":
                general = data.split(b"\x1fa", 1)[-1].split(b"\x1f", 1)[0]
                sets = general[26:30].decode("ascii", "replace")
                if sets[:2] == "50":
                    return "utf-8", "UNIMARC 100 $a/26-29", None
                if sets[:2] in ("01", "02", "03") or sets[2:4] == "03":
                    return "iso5426", "UNIMARC 100 $a/26-29", None
                if sets.strip():
                    return "iso5426", "UNIMARC 100 $a/26-29", (
                        f"UNIMARC 100 $a/26-29 names character sets {sets!r}, which Polycat "
                        "reads as ISO 5426"
                    )
        return (profile, "the target's profile", None) if profile else ("utf-8", "", None)
    code = leader[9:10]
    if code == "a":
        return "utf-8", "leader/09", None
    if code == " " and profile and profile != "utf-8":  # blank: "not Unicode", profile says what
        return profile, "the target's profile", None
    if code == " ":
        return "marc-8", "leader/09", None
    return "marc-8", "leader/09", f"leader/09 is {code!r}, which MARC 21 does not define"


def family_of(leader: str, tags: set[str]) -> MarcFamily:
    """MARC 21 or UNIMARC from the field shape: UNIMARC titles are in 200, MARC 21's in 245."""
    if "245" in tags or "008" in tags:
        return "marc21"
    if "200" in tags and ("100" in tags or "101" in tags or "010" in tags or "001" in tags):
        return "unimarc"
    return "marc21"


def _proven_utf8(data: bytes, problems: set[str]) -> str:
    """UTF-8 that must be UTF-8: no MARC-8 escapes, no invalid bytes (else the sniff decides)."""
    if b"\x1b" in data:
        raise ValueError("an escape sequence")
    text = data.decode("utf-8")
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _decode_fields(
    raw: list[tuple[str, bytes]], decode: Decoder, problems: set[str]
) -> tuple[dict[str, str], list[DataField], list[str]]:
    """Control fields, data fields and the tags whose indicators are not two characters."""
    control: dict[str, str] = {}
    fields: list[DataField] = []
    odd_indicators = []
    for tag, data in raw:
        if _is_control(tag, data):
            control.setdefault(tag, data.decode("utf-8", "replace"))
            continue
        parts = decode(data, problems).split("\x1f")
        indicators = parts[0]
        if len(indicators) != 2:
            odd_indicators.append(tag)
            indicators = (indicators + "  ")[:2]
        subfields = tuple([(p[0], p[1:]) for p in parts[1:] if p])
        fields.append(DataField(tag, indicators[0], indicators[1], subfields))
    return control, fields, odd_indicators


def parse_iso2709(
    chunk: bytes, family: MarcFamily | None = None, *, charset: Charset | None = None
) -> tuple[MarcRecord, MarcFamily, list[str]]:
    """Decode one ISO 2709 record; ``family`` None means tell MARC 21 from UNIMARC by shape.
    ``charset`` is what the target's profile says its records use where they do not say
    (a blank leader/09, a UNIMARC record without 100); the bytes still have the last word.

    Raises UnreadableRecord when nothing usable is there; lesser damage becomes warnings.
    """
    leader, raw, warnings = _structure(chunk)
    if family is None:
        family = family_of(leader, {tag for tag, _ in raw})
    declared, declared_by, complaint = _declared(leader, raw, family, charset)
    if complaint:
        warnings.append(complaint)
    problems: set[str] = set()
    decoded = None
    if declared == "utf-8":  # the common case, tried first: one decoding, no sniffing
        with contextlib.suppress(ValueError):  # UnicodeDecodeError is a ValueError
            decoded = _decode_fields(raw, _proven_utf8, problems)
    if decoded is not None:
        control, fields, odd = decoded
    else:  # let the bytes say what they are
        sample = b"".join(data for tag, data in raw if not _is_control(tag, data))
        found, mismatch = sniff_charset(
            sample, declared, marc8_possible=family == "marc21", declared_by=declared_by,
            prefer=charset,
        )
        if mismatch and declared_by:
            warnings.append(mismatch)
        control, fields, odd = _decode_fields(raw, decoder(found), problems)
    if odd:
        warnings.append(f"fields {', '.join(odd)} do not have two indicators")
    warnings.extend(sorted(problems))
    if "\ufffd" in leader:
        leader = leader.replace("\ufffd", " ")
    return MarcRecord(leader, control, fields), family, warnings
