"""MARC 21 as ISO 2709 and as MARCXML, for loading into a library system.

Decisions:
- A record the catalogue sent as MARC 21 in UTF-8 (leader/09 'a') is written **byte for byte**
  as it came. One sent as MARC-8 (leader/09 blank) is decoded with pymarc and written in UTF-8
  with leader/09 'a', lengths and directory recomputed. A leader that lies is corrected with a
  warning: blank leader/09 over bytes that are valid UTF-8 (and carry no MARC-8 escapes) is
  relabelled 'a' without touching a byte of the fields; 'a' over bytes that are not UTF-8 is
  read as MARC-8. A MARCXML original keeps its fields exactly. A record whose directory
  disagrees with its field terminators (damage, or a record over 99,999 bytes whose leader
  cannot hold its length) is read field by field by app.records and written sound, with a
  warning.
- A record that came as MODS, SUTRS, UNIMARC, OCLC XML, Dublin Core or OPAC is **built from
  the model** as MARC 21 and marked as converted: leader/17 '3' (abbreviated level: not full
  cataloguing), leader/18 'c' (ISBD punctuation omitted -- the model keeps none), a 500 note a
  cataloguer sees ("Converted by Polycat from the MODS record sent by Copac #3; not the
  catalogue's own MARC record.") and the 884 Description Conversion Information field a system
  can test. 008/00-05 is the day of the conversion; 008 positions the model cannot know are
  fill characters. Holdings are not written: they describe other libraries' copies. Such a
  record also gets a warning so the user knows it is not the catalogue's own MARC.
- ISO 2709 cannot hold a record over 99,999 bytes or a field over 9,999 bytes: long notes and
  abstracts are split over repeated 5XX fields (as cataloguers do); any other record still too
  big is refused with a message that names the size and suggests MARCXML, which has no limit.
- MARCXML is a ``<collection>`` in the MARC21 slim namespace, UTF-8, one ``<record>`` per
  record; characters XML 1.0 forbids (control codes) are dropped with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

import defusedxml.ElementTree as SafeET
import pymarc

from app import __version__
from app.export import fields
from app.export.result import RecordNotWritable
from app.records.errors import UnreadableRecord
from app.records.marc import parse_iso2709
from app.records.model import BibRecord, HostItem, Material, Name
from app.records.xml import MARC_NS, local

MARC21_ISO_SYNTAXES = frozenset({"usmarc", "marc21"})  # app.records names MARC 21 "usmarc"
MAX_RECORD_BYTES = 99_999
MAX_FIELD_BYTES = 9_999
MARCXML_NAMESPACE = MARC_NS
_SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"

Warn = Callable[[str], None]


class MarcField(NamedTuple):
    """One field: a control field (001-009) has ``data`` and no indicators; a data field has
    two indicator characters and its (code, text) subfields in order."""

    tag: str
    indicators: str = ""
    subfields: tuple[tuple[str, str], ...] = ()
    data: str = ""


Marc = tuple[str, list[MarcField]]  # leader and fields

_SYNTAX_LABELS = {
    "mods": "MODS", "sutrs": "SUTRS text", "unimarc": "UNIMARC", "oclcxml": "OCLC XML",
    "dc": "Dublin Core", "opac": "OPAC", "xml": "XML", "marcxml": "MARCXML",
    "usmarc": "MARC", "marc21": "MARC",
}  # fmt: skip


def _ignore(message: str) -> None:
    """The default ``warn``: drop it."""


# --- the catalogue's own MARC -------------------------------------------------------------


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _coding(data: bytes) -> tuple[str, str]:
    """What the bytes really are, "utf-8" or "marc-8", and a complaint when leader/09 lies.

    'a' over valid UTF-8 is believed; blank over ASCII without escapes is the same text either
    way; blank over valid non-ASCII UTF-8 without MARC-8 escapes is UTF-8 mislabelled."""
    if data[9:10] == b"a":
        if _is_utf8(data):
            return "utf-8", ""
        return "marc-8", "leader/09 says UTF-8 but the text is MARC-8; converted to UTF-8"
    if b"\x1b" in data or not _is_utf8(data):
        return "marc-8", ""
    if data.isascii():
        return "utf-8", ""
    return "utf-8", "leader/09 says MARC-8 but the text is UTF-8; relabelled as UTF-8"


def _directory(data: bytes) -> list[tuple[str, int, int]] | None:
    """(tag, start, end) of each field when leader, directory and terminators all agree."""
    if len(data) < 26 or not data[:5].isdigit() or not data[12:17].isdigit():
        return None
    base = int(data[12:17])
    directory = data[24 : base - 1]
    if base < 25 or int(data[:5]) != len(data) or data[-1:] != b"\x1d":
        return None
    if data[base - 1 : base] != b"\x1e" or len(directory) % 12 or not directory.isascii():
        return None
    entries = []
    for i in range(0, len(directory), 12):
        size, offset = directory[i + 3 : i + 7], directory[i + 7 : i + 12]
        if not (size.isdigit() and offset.isdigit()):
            return None
        start = base + int(offset)
        end = start + int(size) - 1  # the terminator's place
        if end >= len(data) or data[end] != 0x1E:
            return None
        entries.append((directory[i : i + 3].decode("ascii"), start, end))
    return entries


def _iso_original(record: BibRecord) -> bytes | None:
    original = record.original
    if original is None or original.syntax.lower() not in MARC21_ISO_SYNTAXES:
        return None
    return original.data if len(original.data) > 24 else None


def _own_bytes(record: BibRecord, warn: Warn) -> bytes | None:
    """The catalogue's MARC 21 record when it can go out as it came: sound and UTF-8 (a
    blank leader/09 over UTF-8 text is set to 'a', the only byte changed)."""
    data = _iso_original(record)
    if data is None:
        return None
    coding, complaint = _coding(data)
    if coding != "utf-8" or _directory(data) is None:
        return None
    if complaint:
        warn(complaint)
    return data if data[9:10] == b"a" else data[:9] + b"a" + data[10:]


def _utf8_fields(data: bytes, entries: list[tuple[str, int, int]]) -> list[MarcField]:
    out: list[MarcField] = []
    for tag, start, end in entries:
        text = data[start:end].decode("utf-8", "replace")
        if tag < "010" and tag.isdigit():
            out.append(MarcField(tag, data=text))
            continue
        head, *subfields = text.split("\x1f")
        out.append(MarcField(tag, head.ljust(2)[:2], tuple((s[:1], s[1:]) for s in subfields if s)))
    return out


def _marc8_fields(data: bytes) -> list[MarcField]:
    """MARC-8 decoded by pymarc (combining marks before the base letter -> NFC)."""
    marc8 = data[:9] + b" " + data[10:]  # pymarc decodes MARC-8 only under a blank leader/09
    record = pymarc.Record(marc8, to_unicode=True, hide_utf8_warnings=True)
    return [
        MarcField(f.tag, data=f.data or "")
        if f.is_control_field()
        else MarcField(f.tag, f.indicator1 + f.indicator2, tuple(f.subfields))
        for f in record.fields
    ]


def _by_terminators(data: bytes) -> Marc:
    """A damaged or oversized record as app.records reads it: field by field terminator."""
    marc, _family, _problems = parse_iso2709(data, "marc21")
    control = [MarcField(tag, data=text) for tag, text in marc.control.items()]
    return marc.leader, control + [
        MarcField(f.tag, f.ind1 + f.ind2, f.subfields) for f in marc.fields
    ]


def _own_fields(record: BibRecord, warn: Warn) -> Marc | None:
    """Leader and fields of the catalogue's own MARC 21 (ISO 2709 or MARCXML), or None."""
    data = _iso_original(record)
    if data is None:
        return _own_marcxml(record, warn)
    coding, complaint = _coding(data)
    if complaint:
        warn(complaint)
    entries = _directory(data)
    if entries is not None:
        try:
            if coding == "utf-8":
                return data[:24].decode("ascii", "replace"), _utf8_fields(data, entries)
            return data[:24].decode("ascii", "replace"), _marc8_fields(data)
        except Exception:  # pymarc raises many types for damaged MARC-8; read it as below
            pass
    try:
        marc = _by_terminators(data)
    except UnreadableRecord as exc:
        warn(f"the catalogue's MARC could not be read ({exc.message}); rebuilt from the model")
        return None
    if len(data) > MAX_RECORD_BYTES:
        warn(f"the catalogue's record is {len(data):,} bytes; its fields were read one by one")
    else:
        warn("the catalogue's record had a damaged directory; its fields were read one by one")
    return marc


_STRUCTURE = str.maketrans({"\x1d": " ", "\x1e": " ", "\x1f": " "})


def _own_marcxml(record: BibRecord, warn: Warn) -> Marc | None:
    """Leader and fields of a MARCXML original, read without entities or DTDs."""
    original = record.original
    if original is None or original.syntax.lower() != "marcxml":
        return None
    try:
        root = SafeET.fromstring(original.data, forbid_dtd=True)
    except Exception as exc:  # defusedxml refuses hostile XML with its own exception types
        warn(f"the catalogue's MARCXML could not be read ({exc}); rebuilt from what was read")
        return None
    node = (
        root
        if local(root.tag) == "record"
        else next((e for e in root.iter() if local(e.tag) == "record"), None)
    )
    if node is None:
        return None
    leader = " " * 24
    out: list[MarcField] = []
    for child in node:
        name, tag = local(child.tag), child.get("tag", "")
        if name == "leader":
            leader = (child.text or "").ljust(24)[:24]
        elif name == "controlfield":
            out.append(MarcField(tag, data=(child.text or "").translate(_STRUCTURE)))
        elif name == "datafield":
            indicators = (child.get("ind1", " ")[:1] or " ") + (child.get("ind2", " ")[:1] or " ")
            subfields = tuple(
                (s.get("code", " ")[:1] or " ", (s.text or "").translate(_STRUCTURE))
                for s in child
                if local(s.tag) == "subfield"
            )
            out.append(MarcField(tag, indicators, subfields))
    return leader, out


# --- MARC 21 built from the model ------------------------------------------------------------

# material -> leader/06 type of record, leader/07 level (a part of a monograph or serial aside)
_LEADER_TYPE: dict[Material, tuple[str, str]] = {
    "book": ("a", "m"), "chapter": ("a", "a"), "article": ("a", "b"), "serial": ("a", "s"),
    "thesis": ("a", "m"), "map": ("e", "m"), "music": ("c", "m"), "sound": ("j", "m"),
    "video": ("g", "m"), "image": ("k", "m"), "electronic": ("m", "m"),
    "manuscript": ("t", "m"), "conference": ("a", "m"), "report": ("a", "m"),
    "other": ("a", "m"),
}  # fmt: skip
_NAME_TAGS = {"personal": "00", "corporate": "10", "meeting": "11"}
_PART_NUMBER = re.compile(r"(?i)^(\d|[ivxlc]+\b|(part|pt|vol|v|band|bd|teil|tome|t|no)\b)")
_NOTE_BYTES = 9_000  # leaves room for indicators and subfield codes under 9,999


def _chunks(text: str, limit: int = _NOTE_BYTES) -> list[str]:
    """Split long text at spaces into pieces of at most ``limit`` UTF-8 bytes."""
    pieces: list[str] = []
    while len(text.encode()) > limit:
        cut = text.encode()[:limit].decode("utf-8", "ignore")
        at = cut.rfind(" ")
        cut = cut[:at] if at > limit // 2 else cut
        pieces.append(cut.rstrip())
        text = text[len(cut) :].lstrip()
    return [*pieces, text] if text else pieces


def _data(tag: str, ind: str, *subfields: tuple[str, str]) -> MarcField | None:
    """A data field of the non-empty subfields, one line each; None when all are empty."""
    subs = tuple((code, text) for code, value in subfields if (text := fields.one_line(value)))
    return MarcField(tag, ind, subs) if subs else None


def _name_field(name: Name, tag_hundred: str) -> MarcField | None:
    ind1 = ("1" if "," in name.name else "0") if name.kind == "personal" else "2"
    role = "" if name.role in ("", "creator") else name.role
    return _data(
        tag_hundred + _NAME_TAGS[name.kind], ind1 + " ", ("a", name.name), ("d", name.dates),
        ("e", role),
    )  # fmt: skip


def _fixed_008(record: BibRecord, today: dt.date) -> str:
    year = f"{record.year:04d}" if record.year is not None and 0 <= record.year <= 9999 else ""
    when = ("s" + year) if year else "nuuuu"
    lang = record.language.lower() if re.fullmatch(r"[a-zA-Z]{3}", record.language) else "und"
    # 18-34 are material-specific; '|' is MARC's "no attempt to code"
    return f"{today:%y%m%d}{when}    xx {'|' * 17}{lang} d"


def _model_fields(record: BibRecord, today: dt.date) -> list[MarcField]:
    """MARC 21 fields for what the model holds, in tag order."""
    out: list[MarcField | None] = [MarcField("008", data=_fixed_008(record, today))]
    if record.lccn:
        out.append(_data("010", "  ", ("a", record.lccn)))
    for isbn in record.isbns:
        code = "a" if isbn.valid and not isbn.cancelled else "z"
        out.append(_data("020", "  ", (code, isbn.value if code == "a" else isbn.raw),
                         ("q", isbn.qualifier)))  # fmt: skip
    issn_codes = {"issn": "a", "linking": "l", "incorrect": "y", "cancelled": "z"}
    out += [_data("022", "  ", (issn_codes[i.kind], i.value if i.valid else i.raw))
            for i in record.issns]  # fmt: skip
    numbers = [("OCoLC", n) for n in record.oclc_numbers] + list(record.control_numbers)
    out += [_data("035", "  ", ("a", f"({agency}){number}" if agency else number))
            for agency, number in dict.fromkeys(numbers)]  # fmt: skip
    if len(record.languages) > 1:
        out.append(_data("041", "0 ", *(("a", code) for code in record.languages)))
    main = record.authors[0] if record.authors else None
    if main is not None:
        out.append(_name_field(main, "1"))
    nonsort = record.nonsort if record.title.startswith(record.nonsort) else ""
    skip = str(len(nonsort)) if 0 < len(nonsort) <= 9 else "0"
    part_code = "n" if _PART_NUMBER.match(record.part.strip()) else "p"
    out.append(
        _data("245", ("1" if main else "0") + skip, ("a", record.title or "[Untitled]"),
              ("b", record.subtitle), (part_code, record.part), ("c", record.responsibility))
    )  # fmt: skip
    out.append(_data("250", "  ", ("a", record.edition)))
    out.append(
        _data("264", " 1", ("a", record.place), ("b", record.publisher),
              ("c", record.date or (str(record.year) if record.year is not None else "")))
    )  # fmt: skip
    out.append(_data("300", "  ", ("a", record.physical)))
    out += [_data("490", "0 ", ("a", s)) for s in record.series]
    thesis = fields.thesis_note(record) if record.material == "thesis" else ""
    for note in record.notes:
        tag = "502" if thesis and fields.one_line(note) == thesis else "500"
        out += [_data(tag, "  ", ("a", piece)) for piece in _chunks(fields.one_line(note))]
    out.append(_conversion_note(record))
    out += [_data("520", "  ", ("a", p)) for p in _chunks(fields.one_line(record.abstract))]
    for subject in record.subjects:
        head, *subdivisions = (s.strip() for s in subject.split(" -- "))
        out.append(_data("650", " 4", ("a", head), *(("x", s) for s in subdivisions)))
    out += [_name_field(n, "7") for n in record.names if n is not main]
    host = record.host
    if host is not None:
        out.append(
            _data("773", "0 ", ("t", host.title), ("g", host.related_parts or _related(host)),
                  ("x", host.issn), ("z", host.isbn))
        )  # fmt: skip
    indicators = {"resource": "40", "version": "41", "related": "42"}
    out += [_data("856", indicators.get(link.relationship, "4 "), ("u", link.url),
                  ("z", link.note)) for link in record.urls]  # fmt: skip
    process = f"Polycat {__version__}: {_syntax_name(record) or 'model'} to MARC 21"
    out.append(
        _data("884", "  ", ("a", process), ("g", f"{today:%Y%m%d}"), ("k", _source_place(record)))
    )
    return [f for f in out if f is not None]


def _related(host: HostItem) -> str:
    """A 773 $g built from the parts when the reader kept no $g text."""
    parts = [
        f"Vol. {host.volume}" if host.volume else "",
        f"no. {host.issue}" if host.issue else "",
        f"({host.year})" if host.year is not None else "",
        f"p. {host.pages}" if host.pages else "",
    ]
    return ", ".join(p for p in parts if p)


def _syntax_name(record: BibRecord) -> str:
    if record.original is None:
        return ""
    syntax = record.original.syntax.lower()
    return _SYNTAX_LABELS.get(syntax, syntax.upper())


def _source_label(record: BibRecord) -> str:
    """ "the MODS record", or what stands in when the catalogue's own record is not kept."""
    name = _syntax_name(record)
    return f"the {name} record" if name else "the description Polycat read"


def _source_place(record: BibRecord) -> str:
    where = record.target or "an unknown catalogue"
    return f"{where} #{record.position}" if record.position is not None else where


def _conversion_note(record: BibRecord) -> MarcField | None:
    return _data(
        "500", "  ",
        ("a", f"Converted by Polycat from {_source_label(record)} sent by "
              f"{_source_place(record)}; not the catalogue's own MARC record."),
    )  # fmt: skip


def _model_leader(record: BibRecord) -> str:
    kind, level = _LEADER_TYPE.get(record.material, ("a", "m"))
    if record.host is not None and record.host.title and level == "m":
        level = "a"  # a part of a monograph (conference paper, chapter of a report)
    return f"00000n{kind}{level} a22000003c 4500"


def _from_model(record: BibRecord, warn: Warn, today: dt.date) -> Marc:
    warn(
        f"built as MARC 21 from {_source_label(record)} "
        "(marked as converted in 500 and 884); check it before loading it into a catalogue"
    )
    return _model_leader(record), _model_fields(record, today)


# --- writing ------------------------------------------------------------------------------


def _field_bytes(field: MarcField) -> bytes:
    if not field.indicators:
        return field.data.encode() + b"\x1e"
    body = "".join(f"\x1f{code[:1] or ' '}{value}" for code, value in field.subfields)
    return (field.indicators + body).encode() + b"\x1e"


def _leader(leader: str, length: int, base: int) -> str:
    leader = leader.ljust(24)[:24]
    return f"{length:05d}{leader[5:9]}a22{base:05d}{leader[17:20]}4500"


def iso2709(leader: str, record_fields: Iterable[MarcField]) -> bytes:
    """Serialise a UTF-8 MARC 21 record; RecordNotWritable when ISO 2709 cannot hold it."""
    directory: list[bytes] = []
    bodies: list[bytes] = []
    offset = 0
    for field in record_fields:
        body = _field_bytes(field)
        tag = field.tag.encode("ascii", "replace")[:3].rjust(3, b"0")
        if len(body) > MAX_FIELD_BYTES:
            raise RecordNotWritable(
                f"field {field.tag} is {len(body):,} bytes and MARC (ISO 2709) allows "
                f"{MAX_FIELD_BYTES:,}; export it as MARCXML instead"
            )
        directory.append(b"%s%04d%05d" % (tag, len(body), offset))
        bodies.append(body)
        offset += len(body)
    base = 24 + 12 * len(directory) + 1
    length = base + offset + 1
    if length > MAX_RECORD_BYTES:
        raise RecordNotWritable(
            f"the record is {length:,} bytes and MARC (ISO 2709) allows {MAX_RECORD_BYTES:,}; "
            "export it as MARCXML instead"
        )
    head = _leader(leader, length, base).encode("ascii", "replace")
    return b"".join([head, *directory, b"\x1e", *bodies, b"\x1d"])


def marc_record(record: BibRecord, *, warn: Warn = _ignore, today: dt.date | None = None) -> bytes:
    """One record as UTF-8 MARC 21 ISO 2709 (see the module's decisions)."""
    own = _own_bytes(record, warn)
    if own is not None:
        return own  # sound, so under 99,999 bytes: the leader's five digits agree with it
    leader, record_fields = _own_fields(record, warn) or _from_model(
        record, warn, today or dt.date.today()
    )
    return iso2709(leader, record_fields)


# --- MARCXML ------------------------------------------------------------------------------

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text for an element or a double-quoted attribute."""
    if "&" in text or "<" in text or ">" in text or '"' in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return text.replace('"', "&quot;")
    return text


def _marcxml_fields(record: BibRecord, warn: Warn, today: dt.date) -> Marc:
    """Leader (lengths as ISO 2709 would have them, zero when it could not) and fields."""
    leader, record_fields = _own_fields(record, warn) or _from_model(record, warn, today)
    lengths = [len(_field_bytes(f)) for f in record_fields]
    base = 24 + 12 * len(lengths) + 1
    length = base + sum(lengths) + 1
    return _leader(leader, length if length <= MAX_RECORD_BYTES else 0, base), record_fields


def marcxml_record(record: BibRecord, *, warn: Warn = _ignore, today: dt.date | None = None) -> str:
    """One ``<record>`` element (namespace from the enclosing collection), no size limit."""
    leader, record_fields = _marcxml_fields(record, warn, today or dt.date.today())
    out = [f"<record>\n  <leader>{_xml(leader)}</leader>\n"]
    for field in record_fields:
        tag = field.tag if field.tag.isalnum() else _xml(field.tag)
        if not field.indicators:
            out.append(f'  <controlfield tag="{tag}">{_xml(field.data)}</controlfield>\n')
            continue
        ind1, ind2 = _xml(field.indicators[0]), _xml(field.indicators[1])
        out.append(f'  <datafield tag="{tag}" ind1="{ind1}" ind2="{ind2}">\n')
        out += [
            f'    <subfield code="{code if code.isalnum() else _xml(code)}">{_xml(value)}'
            "</subfield>\n"
            for code, value in field.subfields
        ]
        out.append("  </datafield>\n")
    out.append("</record>\n")
    text, dropped = _XML_FORBIDDEN.subn("", "".join(out))
    if dropped:
        warn(f"{dropped} control character(s) that XML cannot carry were left out")
    return text


def marcxml_collection(records: Iterable[str]) -> bytes:
    """Wrap ``<record>`` elements in a MARC21 slim ``<collection>``."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<collection xmlns="{MARCXML_NAMESPACE}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{MARCXML_NAMESPACE} {_SCHEMA}">\n'
    )
    return (head + "".join(records) + "</collection>\n").encode("utf-8")
