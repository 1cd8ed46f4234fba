"""One entry point for every record a catalogue sends, and one for record files.

``read_record`` dispatches on the record syntax OID (a target profile's ``syntax_hint`` and the
bytes themselves settle the rest) and never raises for bad data: a record that cannot be read
comes back as ``BibRecord(error=...)`` with its bytes in ``original``. ``read_file`` reads ISO
2709 (MARC 21 in UTF-8 or MARC-8, UNIMARC), MARCXML, turbomarc, MODS and Dublin Core files.
"""

from __future__ import annotations

import dataclasses
import os
import unicodedata
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import NamedTuple
from xml.etree.ElementTree import Element, tostring

from app.errors import PolycatError
from app.records.charsets import Charset, charset_named, decoder
from app.records.dc import bib_from_dc
from app.records.errors import UnreadableRecord
from app.records.marc import MarcFamily, MarcRecord, family_of, parse_iso2709, split_iso2709
from app.records.marc21 import bib_from_marc21, holdings_from_marc
from app.records.marcxml import marc_from_turbomarc, marc_from_xml
from app.records.model import BibRecord, Holding, Original
from app.records.mods import bib_from_mods
from app.records.opac import read_opac
from app.records.sutrs import bib_from_sutrs
from app.records.unimarc import bib_from_unimarc
from app.records.xml import XmlKind, find_records, parse_xml, record_slices
from app.z3950 import oids

__all__ = ["read_bytes", "read_file", "read_record"]

_SYNTAXES = oids.Z3950 + ".5."  # the arc every record syntax OID is under
_XML_OIDS = frozenset({oids.RECORD_SYNTAXES["html"], oids.XML, oids.APPLICATION_XML})
# record syntax → how to read it; MARC flavours other than these are told apart by shape
_MARC_FAMILIES: dict[str, MarcFamily] = {
    oids.UNIMARC: "unimarc", oids.USMARC: "marc21", oids.RECORD_SYNTAXES["ukmarc"]: "marc21",
}
_FAMILIES: dict[str, MarcFamily] = {"marc21": "marc21", "unimarc": "unimarc"}
_HINTS = {
    "usmarc": "marc21", "marc21": "marc21", "marc": "marc", "ukmarc": "marc21",
    "unimarc": "unimarc", "xml": "xml", "marcxml": "xml", "mods": "xml", "dc": "xml",
    "oclcxml": "xml", "turbomarc": "xml", "sutrs": "sutrs", "text": "sutrs", "opac": "opac",
}
_SYNTAX_NAMES = {"marc21": "usmarc", "unimarc": "unimarc", "marc": "marc", "xml": "xml",
                 "sutrs": "sutrs", "opac": "opac"}


def _sniff(data: bytes) -> str:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:64]
    if head.startswith(b"<"):
        return "xml"
    if head[:5].isdigit() and len(data) >= 24 and b"\x1e" in data:
        return "marc"
    if head[:1] in (b"\x30", b"\xa0", b"\x28"):
        return "opac"
    return "sutrs"


def _kind(oid: str | None, hint: str | None, data: bytes) -> str:
    if oid in _MARC_FAMILIES:
        return _MARC_FAMILIES[oid]
    if oid == oids.SUTRS:
        return "sutrs"
    if oid == oids.OPAC:
        return "opac"
    if oid in _XML_OIDS or (oid or "").startswith(_SYNTAXES + "109."):
        return "xml"
    number = (oid or "").removeprefix(_SYNTAXES)
    if oid and number != oid and number.isdigit() and int(number) < 100:
        return "marc"  # another MARC flavour (Intermarc, Danmarc...): told apart by shape
    if hint and hint.strip().casefold() in _HINTS:
        return _HINTS[hint.strip().casefold()]
    return _sniff(data)


class _Source(NamedTuple):
    """Where a record came from, for a reader to build it with (no copy made afterwards)."""

    target: str
    database: str
    position: int | None
    oid: str | None
    data: bytes

    def maker(self, syntax: str) -> Callable[..., BibRecord]:
        original = Original(syntax=syntax, oid=self.oid, data=self.data)
        return partial(
            BibRecord, target=self.target, database=self.database, position=self.position,
            original=original,
        )


def _bib_from_marc(
    rec: MarcRecord, family: MarcFamily, warnings: list[str],
    make: Callable[..., BibRecord] = BibRecord,
) -> BibRecord:
    if family == "unimarc":
        return bib_from_unimarc(rec, warnings, make)
    return bib_from_marc21(rec, warnings, make)


def _bib_from_xml(kind: XmlKind, elem: Element, warnings: list[str]) -> tuple[BibRecord, str]:
    if kind in ("marcxml", "turbomarc"):
        rec = marc_from_xml(elem) if kind == "marcxml" else marc_from_turbomarc(elem)
        family = family_of(rec.leader, {f.tag for f in rec.fields} | set(rec.control))
        syntax = kind if family == "marc21" else f"unimarc-{kind}"
        return _bib_from_marc(rec, family, warnings), syntax
    if kind == "mods":
        return bib_from_mods(elem, warnings), "mods"
    return bib_from_dc(elem, warnings), kind


def _read_marc(
    data: bytes, family: MarcFamily | None, warnings: list[str], charset: Charset | None,
    source: _Source | None = None,
) -> tuple[BibRecord, str]:
    rec, found, problems = parse_iso2709(data, family, charset=charset)
    warnings.extend(problems)
    syntax = "usmarc" if found == "marc21" else "unimarc"
    make = BibRecord if source is None else source.maker(syntax)
    return _bib_from_marc(rec, found, warnings, make), syntax


def _read_xml(data: bytes, warnings: list[str]) -> tuple[BibRecord, str]:
    kind, elems = find_records(parse_xml(data))
    if kind is None or not elems:
        raise UnreadableRecord(
            "the XML is not MARCXML, MODS or Dublin Core, so Polycat cannot read it"
        )
    if len(elems) > 1:
        warnings.append(f"the XML holds {len(elems)} records; only the first was read")
    return _bib_from_xml(kind, elems[0], warnings)


def _text(data: bytes, warnings: list[str], charset: Charset | None) -> str:
    """A text record: UTF-8 when it is, else the target's charset, else Latin-1."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if charset and charset != "utf-8":
            text = decoder(charset)(data, set())
        else:
            warnings.append("the text record is not UTF-8; it was read as Latin-1")
            text = data.decode("latin-1")
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _read(
    kind: str, data: bytes, warnings: list[str], charset: Charset | None = None,
    source: _Source | None = None,
) -> tuple[BibRecord, str]:
    """The record and its syntax; one read from MARC is made with ``source`` already in."""
    if kind in ("marc21", "unimarc", "marc"):
        if _sniff(data) == "xml":
            warnings.append("the record syntax says MARC but the record is XML")
            return _read_xml(data, warnings)
        return _read_marc(data, _FAMILIES.get(kind), warnings, charset, source)
    if kind == "xml":
        if _sniff(data) == "marc":
            warnings.append("the record syntax says XML but the record is ISO 2709 MARC")
            return _read_marc(data, None, warnings, charset, source)
        return _read_xml(data, warnings)
    if kind == "opac":

        def embedded(oid: str | None, inner: bytes) -> BibRecord:
            """The bibliographic record inside; its errors become the OPAC record's."""
            found: list[str] = []
            bib, _ = _read(_kind(oid, None, inner), inner, found, charset)
            return dataclasses.replace(bib, warnings=tuple(found))

        def marc_holdings(inner: bytes) -> tuple[Holding, ...]:
            return holdings_from_marc(parse_iso2709(inner, charset=charset)[0])

        bib, holdings, problems = read_opac(data, embedded, marc_holdings)
        warnings.extend([*bib.warnings, *problems])
        bib = dataclasses.replace(bib, holdings=bib.holdings + holdings, warnings=())
        return bib, "opac"
    text = _text(data, warnings, charset)
    if _sniff(data) == "xml":
        try:
            return _read_xml(data, warnings)
        except UnreadableRecord:
            pass  # text that merely starts with "<" is still text
    return bib_from_sutrs(text, warnings), "sutrs"


def _stamp(
    bib: BibRecord, warnings: list[str], original: Original, target: str, database: str,
    position: int | None,
) -> BibRecord:
    return dataclasses.replace(
        bib, target=target, database=database, position=position, original=original,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def read_record(
    oid: str | None,
    data: bytes,
    *,
    target: str = "",
    database: str = "",
    position: int | None = None,
    syntax_hint: str | None = None,
    charset: str | None = None,
) -> BibRecord:
    """Read one record as a catalogue sent it (``oid`` is its record syntax). Never raises for
    bad data: an unreadable record comes back with ``error`` set and its bytes kept.

    ``syntax_hint`` (a profile's syntax name: "usmarc", "mods", "sutrs"...) settles records
    that come without an OID; ``charset`` ("utf-8", "marc-8", "latin-1", "iso5426") is what
    the target's profile says its records use where a record does not say (leader/09 blank,
    UNIMARC without 100, SUTRS text); proof in the bytes still wins."""
    data = bytes(data)  # bytearray and memoryview from the network layer
    kind = _kind(oid, syntax_hint, data)
    warnings: list[str] = []
    syntax = _SYNTAX_NAMES.get(kind, kind)
    source = _Source(target, database, position, oid, data)
    try:
        if not data.strip():
            raise UnreadableRecord("the catalogue sent an empty record")
        bib, syntax = _read(kind, data, warnings, charset_named(charset), source)
    except UnreadableRecord as exc:
        bib = BibRecord(error=exc.message)
    except Exception as exc:  # a reader bug must not take the other records down
        bib = BibRecord(
            error=f"Polycat could not read this record ({type(exc).__name__}: {exc})"
        )
    warnings = [*bib.warnings, *warnings] if bib.warnings else warnings
    made_here = bib.original is not None and bib.original.data is data
    if made_here and tuple(dict.fromkeys(warnings)) == bib.warnings:
        return bib  # made with its source and every warning (the MARC path): no copy
    original = Original(syntax=syntax, oid=oid, data=data)
    return _stamp(bib, warnings, original, target, database, position)


def _xml_file(data: bytes, name: str) -> list[BibRecord]:
    try:
        root = parse_xml(data)
    except UnreadableRecord as exc:
        raise PolycatError(f"{name}: {exc.message}", detail=exc.detail) from exc
    kind, elems = find_records(root)
    if kind is None:
        raise PolycatError(f"{name} is XML but holds no MARCXML, MODS or Dublin Core records")
    slices = record_slices(data, root, elems) or [tostring(e, encoding="utf-8") for e in elems]
    records = []
    for position, (elem, raw) in enumerate(zip(elems, slices, strict=True), 1):
        warnings: list[str] = []
        original = Original(syntax=kind, oid=None, data=raw)
        try:
            bib, syntax = _bib_from_xml(kind, elem, warnings)
        except Exception as exc:  # one bad record must not lose the rest of the file
            bib, syntax = BibRecord(error=f"Polycat could not read this record ({exc})"), kind
        warnings = [*bib.warnings, *warnings] if bib.warnings else warnings
        original = dataclasses.replace(original, syntax=syntax)
        records.append(_stamp(bib, warnings, original, "", "", position))
    return records


def read_bytes(data: bytes, name: str = "the file") -> list[BibRecord]:
    """The records in a file's contents: ISO 2709 (MARC 21, MARC-8, UNIMARC), MARCXML,
    turbomarc, MODS or Dublin Core, one or many. ``name`` is used in error messages."""
    body = data.lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if not body:
        return []
    if body.startswith(b"<"):
        return _xml_file(data, name)
    if not (body[:5].isdigit() and b"\x1e" in body[:100_000]):
        raise PolycatError(
            f"{name} is not a MARC (ISO 2709), MARCXML, MODS or Dublin Core file",
            detail=f"it starts with {body[:40]!r}",
        )
    return [
        read_record(None, chunk, position=i, syntax_hint="marc")
        for i, chunk in enumerate(split_iso2709(body), 1)
    ]


def read_file(path: str | os.PathLike[str]) -> list[BibRecord]:
    """Every record in a MARC, MARCXML, MODS or Dublin Core file, in file order (``position``
    is the 1-based place in the file). Raises PolycatError when the file cannot be opened or
    is none of these; a damaged record inside a good file comes back with ``error`` set."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise PolycatError(f"Cannot open {file}: {exc.strerror or exc}", detail=repr(exc)) from exc
    return read_bytes(data, file.name)

