"""Text the record pane shows: a citation, MARC in MarcEdit's layout, field-by-field rows.

Plain functions over BibRecords (no widgets), so they are easy to test and to copy to the
clipboard exactly as shown.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pymarc

from app.records.model import BibRecord


def names_text(names: Sequence[str], most: int = 10) -> str:
    """ "A; B; C" with "et al." past ``most`` names."""
    shown = list(names[:most])
    text = "; ".join(shown)
    return text + (" et al." if len(names) > most else "")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + "."


def citation(record: BibRecord, authors: Sequence[str] | None = None) -> str:
    """A readable citation: Author. Title: subtitle. Edition. Place: Publisher, Year. ISBN."""
    people = list(authors) if authors is not None else [n.name for n in record.authors]
    parts: list[str] = []
    if people:
        parts.append(_sentence(names_text(people)))
    elif record.editors:
        parts.append(_sentence(names_text([n.name for n in record.editors]) + " (ed.)"))
    parts.append(_sentence(record.full_title or "[no title]"))
    if record.host is not None and record.host.title:
        host = "In: " + record.host.title
        if record.host.volume:
            host += f" {record.host.volume}"
        if record.host.issue:
            host += f" ({record.host.issue})"
        if record.host.pages:
            host += f", pp. {record.host.pages}"
        parts.append(_sentence(host))
    if record.edition:
        parts.append(_sentence(record.edition))
    imprint = ": ".join(p for p in (record.place, record.publisher) if p)
    year = str(record.year) if record.year is not None else record.date
    if imprint and year:
        parts.append(f"{imprint}, {year}.")
    elif imprint or year:
        parts.append(_sentence(imprint or year))
    isbns = record.valid_isbns
    if isbns:
        parts.append("ISBN " + ", ".join(hyphenate(i) for i in isbns) + ".")
    elif record.valid_issns:
        parts.append("ISSN " + ", ".join(record.valid_issns) + ".")
    return " ".join(parts)


def hyphenate(isbn: str) -> str:
    """978-3-16-148410-0 when python-stdnum knows the ranges, else the digits."""
    try:
        from stdnum import isbn as stdisbn

        return str(stdisbn.format(isbn))
    except Exception:  # an unknown range is no reason to fail a citation
        return isbn


# --- MARC in MarcEdit's mnemonic layout ---


def marc_record(record: BibRecord) -> pymarc.Record | None:
    """The source's MARC record when it came as MARC or MARCXML, else None."""
    original = record.original
    if original is None or not original.data:
        return None
    syntax = original.syntax.lower()
    try:
        if syntax in ("usmarc", "marc21", "unimarc", "marc"):
            return pymarc.Record(data=original.data, to_unicode=True, force_utf8=False)
        if syntax in ("marcxml", "xml") and b"marc" in original.data[:2000].lower():
            records = pymarc.parse_xml_to_array(io.BytesIO(original.data))  # type: ignore[no-untyped-call]
            return records[0] if records else None
    except Exception:  # a record the MARC reader refuses is shown raw instead
        return None
    return None


def marc_lines(rec: pymarc.Record) -> list[str]:
    """=LDR  00000nam a2200000 a 4500 / =245  10$aTitle :$bsubtitle /$cby me."""
    lines = [f"=LDR  {rec.leader}"]
    for fld in rec.fields:
        if fld.is_control_field():
            lines.append(f"={fld.tag}  {(fld.data or '').replace(' ', chr(92))}")
            continue
        ind = "".join(i if i not in (" ", "") else "\\" for i in (fld.indicators or ()))
        subs = "".join(f"${s.code}{s.value}" for s in fld.subfields)
        lines.append(f"={fld.tag}  {ind}{subs}")
    return lines


def marc_text(record: BibRecord) -> str:
    rec = marc_record(record)
    if rec is None:
        return ""
    return "\n".join(marc_lines(rec))


def raw_text(record: BibRecord) -> str:
    """The bytes as the catalogue sent them; ISO 2709 separators made visible."""
    if record.original is None:
        return ""
    text = record.original.data.decode("utf-8", errors="replace")
    if record.original.syntax.lower() in ("usmarc", "marc21", "unimarc", "marc"):
        # field terminator, subfield delimiter, record terminator, as yaz-marcdump shows them
        text = text.replace("\x1e", "\u241e\n").replace("\x1f", "$").replace("\x1d", "\u241d")
    return text


# --- field by field ---

FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Title"),
    ("subtitle", "Subtitle"),
    ("authors", "Authors"),
    ("editors", "Editors"),
    ("edition", "Edition"),
    ("publisher", "Publisher"),
    ("place", "Place"),
    ("year", "Year"),
    ("isbns", "ISBN"),
    ("issns", "ISSN"),
    ("series", "Series"),
    ("physical", "Description"),
    ("language", "Language"),
    ("subjects", "Subjects"),
    ("notes", "Notes"),
    ("lccn", "LCCN"),
    ("oclc_numbers", "OCLC number"),
    ("urls", "Links"),
    ("material", "Material"),
)


def field_value(record: BibRecord, name: str) -> str:
    """One field of one record as a line of text (lists joined with " | ")."""
    if name == "authors":
        return " | ".join(n.name for n in record.authors)
    if name == "editors":
        return " | ".join(n.name for n in record.editors)
    if name == "isbns":
        valid = list(record.valid_isbns)
        other = [f"{raw} (invalid or cancelled)" for raw in record.invalid_isbns]
        return " | ".join(valid + other)
    if name == "issns":
        return " | ".join(i.value for i in record.issns)
    if name == "urls":
        return " | ".join(link.url for link in record.urls)
    value: Any = getattr(record, name)
    if value is None:
        return ""
    if isinstance(value, tuple):
        return " | ".join(str(v) for v in value)
    return str(value)


def comparison(records: Sequence[BibRecord]) -> list[tuple[str, list[str], bool]]:
    """(field label, value per source, the sources disagree) for every field any source has."""
    rows: list[tuple[str, list[str], bool]] = []
    for name, label in FIELDS:
        values = [field_value(r, name) for r in records]
        if not any(values):
            continue
        present = {_norm(v) for v in values if v}
        differ = len(present) > 1 or (len(present) == 1 and not all(values))
        rows.append((label, values, differ))
    return rows


def _norm(value: str) -> str:
    """Values that differ only in case, spacing or final punctuation are the same."""
    return " ".join(value.casefold().split()).rstrip(" ./,;:")
