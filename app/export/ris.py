"""RIS, the tagged format Zotero, EndNote, Mendeley and Citavi import.

Decisions (checked against Zotero's RIS translator and rispy):
- Lines are ``TG  - value`` (two spaces, hyphen, space), CRLF-terminated as the RIS spec and
  Zotero's own export do; every value is one line (line breaks and tabs collapse to a space);
  empty fields are left out; one blank line after each ``ER  - ``. UTF-8 without BOM.
- Authors are AU, one per line. Editors are **ED**: Zotero reads ED as editor for every item
  type and EndNote's RIS filter reads it as editor too, while A2 would make a book's editor a
  *series* editor in Zotero. Translators go to A4 (Zotero's translator tag).
- PY is the four-digit year (RIS 2011 spec; Zotero and rispy read it); DA repeats it in the
  ``YYYY/MM/DD/other`` form, carrying the month and day of an ISO date, or the date as the
  catalogue printed it ("c1999", "[1859?]") in the "other" part.
- SN is repeated, one line per ISBN and ISSN (Zotero keeps the first and files the rest as
  notes). T2 is the host's title for an article or chapter, T3 each series; VL/IS/SP/EP come
  from the host item (773). CN is each call number in the holdings, DP the catalogue.
"""

from __future__ import annotations

from app.export import fields
from app.records.model import BibRecord, Material

RIS_TYPES: dict[Material, str] = {
    "book": "BOOK",
    "chapter": "CHAP",
    "article": "JOUR",
    "serial": "SER",
    "thesis": "THES",
    "map": "MAP",
    "music": "MUSIC",
    "sound": "SOUND",
    "video": "VIDEO",
    "image": "ART",
    "electronic": "ELEC",
    "manuscript": "MANSCPT",
    "conference": "CONF",
    "report": "RPRT",
    "other": "GEN",
}

# other roles (illustrator, contributor ...) are not cited: no RIS tag means the same everywhere
_ROLE_TAGS = {"author": "AU", "creator": "AU", "": "AU", "editor": "ED", "translator": "A4"}
_DEGREES = {"phd": "Doctoral thesis", "masters": "Master's thesis"}


def _ris_date(record: BibRecord) -> str:
    parts = fields.date_parts(record)
    if not parts:
        return ""
    ymd = [f"{parts[0]:04d}"] + [f"{p:02d}" for p in parts[1:]]
    ymd += [""] * (3 - len(ymd))
    as_found = fields.one_line(record.date)
    other = as_found if len(parts) == 1 and as_found not in ("", str(record.year)) else ""
    return "/".join([*ymd, other])


def ris_entry(record: BibRecord) -> str:
    """One RIS reference, from ``TY`` to ``ER`` and the blank line after it."""
    lines: list[tuple[str, str]] = [("TY", RIS_TYPES.get(record.material, "GEN"))]
    lines += [(_ROLE_TAGS[n.role], n.name) for n in record.names if n.role in _ROLE_TAGS]
    lines.append(("TI", fields.display_title(record)))
    host = record.host
    if host is not None and record.material in ("article", "chapter", "conference"):
        lines.append(("T2", host.title))
    lines += [("T3", s) for s in record.series]
    if record.year is not None:
        lines.append(("PY", f"{record.year:04d}"))
    lines.append(("DA", _ris_date(record)))
    if record.material == "thesis":
        lines.append(("M3", _DEGREES.get(fields.thesis_degree(record), "")))
        lines.append(("PB", fields.thesis_school(record)))
    else:
        lines.append(("PB", record.publisher))
    lines += [("CY", record.place), ("ET", record.edition)]
    lines += [("SN", n) for n in fields.citable_isbns(record) + fields.citable_issns(record)]
    if host is not None:
        first, last = fields.page_range(host.pages)
        lines += [("VL", host.volume), ("IS", host.issue), ("SP", first), ("EP", last)]
    lines.append(("DO", fields.doi(record)))
    lines += [("UR", url) for url in fields.urls(record)]
    lines += [("KW", s) for s in record.subjects]
    lines.append(("AB", record.abstract))
    lines += [("N1", n) for n in record.notes]
    language = fields.language(record)
    if language is not None:
        lines.append(("LA", language.name or language.code))
    lines += [("CN", c) for c in fields.call_numbers(record)]
    lines.append(("DP", record.target))
    out = []
    for tag, value in lines:
        text = fields.one_line(value)
        if text:
            out.append(f"{tag}  - {text}\r\n")
    out.append("ER  - \r\n\r\n")
    return "".join(out)
