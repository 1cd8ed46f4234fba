"""SUTRS (plain-text records from Copac, OCLC FirstSearch, zebra) read best-effort into a BibRecord.

A record is lines of "Label: value"; a line indented deeper than the labels, or one without a
known label, continues the field above. A line in capitals without a colon ("SUBJECT(S)") is a
heading and ends the field. The full text always stays in ``original``.

Labels recognised (case ignored, "(s)" dropped), by what they fill:
- title: Title, Title proper, Main title (" : " subtitle and " / " responsibility split off)
- names: Author, Authors, Personal author, Main author, Creator → author; Added author, Other
  author, Contributor → contributor; Editor → editor; Corp author, Corporate author, Corporate
  name → corporate body; Conference, Meeting, Meeting name → meeting. Several names are
  separated by ";" or by lines; a person becomes "Surname, Forenames", a body ("Friends of
  the Library") stays as written.
- imprint: Publisher, Publication, Published, Imprint, Publication info ("Place : Publisher,
  year"); Place of publication; Year, Date, Publication date; Edition
- description: Description, Physical description, Physical desc, Phys desc, Extent, Collation
- Series; Language (names or codes); Responsibility; Abstract, Summary
- numbers: ISBN, ISSN, Standard no, Standard number, Identifiers, LCCN, LC control number,
  OCLC, OCLC number, Accession no
- Subject, Subjects, Descriptor, Geographic, Topic, Identifier (FirstSearch keywords), Named
  person, Named corporation, Subject heading
- Note, Notes, General note, Contents, Bibliography, Other titles, Uniform title, Class
  descriptors, Call number, Classification, Shelfmark → notes; Thesis, Dissertation → notes
  and material "thesis"
- URL, Access, Electronic access, Link, Full text, Online → links
- Libraries, Held by, Holdings, Library, Locations, Held at → holdings: one per line (or per
  ";"), FirstSearch's tabular "GB  BRITISH LIBRARY  BLX" as country, library and symbol,
  "British Library (UKMGB) GB" as library, symbol, country (and state)
- Material type, Document type, Type, Format, Genre, Resource type → material
- Record number, Record no, Record id, Copac id → control numbers
- Database, Entry, Update → ignored (FirstSearch bookkeeping)
Any other "Label: value" becomes a note "Label: value".
"""

from __future__ import annotations

import re

from app.records.dc import material_from_words, name_from_text, split_title
from app.records.identifiers import (
    find_isbns,
    find_issns,
    normalize_lccn,
    normalize_oclc,
    sort_identifiers,
)
from app.records.model import BibRecord, Holding, Isbn, Issn, Link, Name, NameKind
from app.records.text import (
    clean,
    imprint_part,
    language_code,
    trim_isbd,
    unique,
    year_from,
)

__all__ = ["bib_from_sutrs", "parse_labelled_lines"]

_LABELS = {
    "title": "title", "title proper": "title", "main title": "title",
    "author": "author", "authors": "author", "personal author": "author",
    "main author": "author", "creator": "author", "added author": "contributor",
    "other author": "contributor", "other authors": "contributor",
    "contributor": "contributor", "contributors": "contributor", "editor": "editor",
    "editors": "editor", "corp author": "corporate", "corp. author": "corporate",
    "corporate author": "corporate", "corporate name": "corporate", "conference": "meeting",
    "meeting": "meeting", "meeting name": "meeting",
    "publisher": "imprint", "publication": "imprint", "published": "imprint",
    "imprint": "imprint", "publication info": "imprint", "publication information": "imprint",
    "place of publication": "place", "year": "date", "date": "date",
    "publication date": "date", "date of publication": "date", "edition": "edition",
    "description": "physical", "physical description": "physical", "physical desc": "physical",
    "phys desc": "physical", "phys. desc": "physical", "extent": "physical",
    "collation": "physical", "series": "series", "series title": "series",
    "language": "language", "languages": "language", "responsibility": "responsibility",
    "abstract": "abstract", "summary": "abstract",
    "isbn": "isbn", "issn": "issn", "standard no": "identifiers",
    "standard number": "identifiers", "standard numbers": "identifiers",
    "identifiers": "identifiers", "lccn": "lccn", "lc control number": "lccn",
    "lc control no": "lccn", "oclc": "oclc", "oclc number": "oclc", "oclc no": "oclc",
    "accession no": "oclc", "accession number": "oclc",
    "subject": "subject", "subjects": "subject", "descriptor": "subject",
    "descriptors": "subject", "geographic": "subject", "topic": "subject",
    "identifier": "subject", "named person": "subject", "named corporation": "subject",
    "subject heading": "subject", "subject headings": "subject", "lc subject": "subject",
    "note": "note", "notes": "note", "general note": "note", "general notes": "note",
    "contents": "note", "bibliography": "note", "other titles": "note",
    "uniform title": "note", "class descriptors": "note", "call number": "note",
    "classification": "note", "shelfmark": "note", "thesis": "thesis",
    "dissertation": "thesis", "dissertation note": "thesis", "thesis note": "thesis",
    "url": "url", "access": "url", "electronic access": "url", "link": "url",
    "links": "url", "full text": "url", "online": "url", "online access": "url",
    "libraries": "holdings", "held by": "holdings", "holdings": "holdings",
    "library": "holdings", "locations": "holdings", "held at": "holdings",
    "holding libraries": "holdings", "libraries that own item": "holdings",
    "material type": "material", "document type": "material", "type": "material",
    "format": "material", "genre": "material", "resource type": "material",
    "database": "ignore", "entry": "ignore", "update": "ignore",
    "record number": "control", "record no": "control", "record id": "control",
    "copac id": "control",
}
_NAME_ROLES: dict[str, tuple[str, NameKind]] = {
    "author": ("author", "personal"), "contributor": ("contributor", "personal"),
    "editor": ("editor", "personal"), "corporate": ("author", "corporate"),
    "meeting": ("author", "meeting"),
}
_LABEL_LINE = re.compile(r"^([ \t]*)([A-Za-z][A-Za-z0-9 ()/.&'-]{0,40}?)\s*:(?!//)\s*(.*)$")
_HEADING = re.compile(r"^\s*[A-Z][A-Z0-9 ()/&-]{2,40}\s*$")
_URL = re.compile(r"(?:https?|ftp)://[^\s<>\"]+")


def _label_key(label: str) -> str:
    key = label.casefold().replace("(s)", "").strip(" .")
    return re.sub(r"\s+", " ", key)


def parse_labelled_lines(text: str) -> list[tuple[str, list[str]]]:
    """[(label as written, [value lines])] in order; continuation lines join the field above."""
    fields: list[tuple[str, list[str]]] = []
    label_indent: int | None = None
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        match = _LABEL_LINE.match(line)
        indent = len(line) - len(line.lstrip())
        if match:
            label = match.group(2).strip()
            known = _label_key(label) in _LABELS
            shallow = label_indent is None or indent <= label_indent
            if known or (shallow and len(label.split()) <= 4):
                if label_indent is None or indent < label_indent:
                    label_indent = indent
                current = [match.group(3).strip()] if match.group(3).strip() else []
                fields.append((label, current))
                continue
        if _HEADING.match(line) and ":" not in line:
            current = None
            continue
        if current is not None:
            current.append(line.strip())
        else:
            fields.append(("", [line.strip()]))
    return fields


def _split_values(lines: list[str]) -> list[str]:
    return [v.strip() for line in lines for v in line.split(";") if v.strip()]


def _imprint(value: str) -> tuple[str, str, str]:
    """("London", "John Murray", "1860") from "London : John Murray, 1860."."""
    value = clean(value)
    place, colon, rest = value.partition(" : ")
    if not colon:
        place, rest = "", value
    date = ""
    head, comma, tail = rest.rpartition(",")
    if comma and year_from(tail):
        rest, date = head, trim_isbd(tail)
    elif year_from(rest) and not re.search(r"[A-Za-z]{3,}", rest):
        rest, date = "", trim_isbd(rest)
    return imprint_part(place), imprint_part(rest), date


_NAMED_HOLDING = re.compile(
    r"^(?P<library>.*?)\s*\((?P<symbol>[A-Z0-9@$#-]{2,10})\)\s*"
    r"(?:(?P<country>[A-Z]{2})(?:\s+(?P<state>[A-Z]{2}))?)?$"
)


def _holding(line: str) -> Holding:
    """A holdings line: "GB  BRITISH LIBRARY  BLX" (country, library, symbol), "British
    Library (UKMGB) GB" (library, symbol, country, state) or just a library's name."""
    named = _NAMED_HOLDING.match(line.strip())
    if named:
        return Holding(
            library=named["library"], symbol=named["symbol"],
            country=named["country"] or "", state=named["state"] or "",
        )
    cells = [c.strip() for c in re.split(r"\t+|\s{2,}", line.strip()) if c.strip()]
    country = state = symbol = ""
    if len(cells) > 1 and re.fullmatch(r"[A-Z]{2}", cells[0]):
        country = cells.pop(0)
        if len(cells) > 1 and re.fullmatch(r"[A-Z]{2}", cells[0]):
            state = cells.pop(0)
    if len(cells) > 1 and re.fullmatch(r"[A-Z0-9@$#]{3,5}", cells[-1]):
        symbol = cells.pop()
    return Holding(library=" ".join(cells), symbol=symbol, country=country, state=state)


def bib_from_sutrs(text: str, warnings: list[str]) -> BibRecord:
    fields = parse_labelled_lines(text)
    values: dict[str, list[str]] = {}
    notes: list[str] = []
    names: list[Name] = []
    isbns: list[Isbn] = []
    issns: list[Issn] = []
    for label, lines in fields:
        kind = _LABELS.get(_label_key(label)) if label else None
        joined = clean(" ".join(lines))
        if not joined or kind == "ignore":
            continue
        if kind is None:
            notes.append(f"{label}: {joined}" if label else joined)
        elif kind in _NAME_ROLES:
            role, name_kind = _NAME_ROLES[kind]
            for value in _split_values(lines):
                if name_kind != "personal":
                    names.append(Name(trim_isbd(value), role, name_kind))
                elif (name := name_from_text(value, role)) is not None:
                    names.append(name)
        elif kind == "isbn":
            isbns.extend(find_isbns(joined))
        elif kind == "issn":
            issns.extend(find_issns(joined))
        elif kind in ("note", "thesis"):
            notes.append(joined if label.casefold().startswith("note") else f"{label}: {joined}")
            values.setdefault(kind, []).append(joined)
        elif kind in ("subject", "holdings", "language", "material", "identifiers"):
            values.setdefault(kind, []).extend(_split_values(lines))
        else:
            values.setdefault(kind, []).append(joined)

    def first(kind: str) -> str:
        return values.get(kind, [""])[0]

    title, subtitle, responsibility = split_title(first("title"))
    place, publisher, date = _imprint(first("imprint")) if "imprint" in values else ("", "", "")
    place = place or imprint_part(first("place"))
    date = trim_isbd(first("date")) or date
    ids = sort_identifiers(values.get("identifiers", []))
    ids.other.extend(("", v) for v in values.get("control", []))
    isbns.extend(ids.isbns)
    issns.extend(ids.issns)
    lccns = [normalize_lccn(v) for v in values.get("lccn", [])] + ids.lccns
    oclc = [normalize_oclc(re.sub(r"^\D*", "", v)) or "" for v in values.get("oclc", [])]
    languages = unique([language_code(v) for v in values.get("language", [])])
    urls = [u.rstrip(".,;)") for v in values.get("url", []) for u in _URL.findall(v)]
    material = material_from_words(values.get("material", []))
    if "thesis" in values:
        material = "thesis"
    if not any(label and _label_key(label) in _LABELS for label, _ in fields):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        title = title or (clean(lines[0])[:200] if lines else "")
        warnings.append("no labelled fields were recognised in this text record; "
                        "its first line is shown as the title and the text is kept as a note")
        notes = [clean(" ".join(lines))] if lines else []
    return BibRecord(
        title=title,
        subtitle=subtitle,
        responsibility=trim_isbd(first("responsibility")) or responsibility,
        names=tuple(dict.fromkeys(names)),
        edition=trim_isbd(first("edition")),
        publisher=publisher,
        place=place,
        year=year_from(date),
        date=date,
        physical=trim_isbd(first("physical")),
        series=unique([trim_isbd(s) for s in values.get("series", [])]),
        language=languages[0] if languages else "",
        languages=languages,
        subjects=unique([trim_isbd(s) for s in values.get("subject", [])]),
        notes=unique(notes),
        abstract=first("abstract"),
        isbns=tuple(isbns),
        issns=tuple(issns),
        lccn=lccns[0] if lccns else "",
        oclc_numbers=unique(oclc + ids.oclc_numbers),
        control_numbers=tuple(dict.fromkeys(ids.other)),
        urls=tuple(dict.fromkeys(Link(u) for u in urls + ids.urls)),
        holdings=tuple(_holding(h) for h in values.get("holdings", [])),
        material=material or "book",
        warnings=tuple(warnings),
    )
