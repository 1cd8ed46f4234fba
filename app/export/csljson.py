"""CSL-JSON, the input of citeproc-js, citeproc-py, Pandoc and Zotero's CSL JSON import.

Decisions: ``id`` is the citation key (the same as BibTeX's, so a Pandoc user can switch
formats without changing citations). Types follow CSL 1.0.2 (book, chapter, article-journal,
thesis, map, musical_score, song, motion_picture, graphic, manuscript, paper-conference,
report, periodical, document); an electronic resource is a "document" with ``medium``
"Electronic resource". Persons are {family, given[, suffix]}, corporate and meeting names
{literal}. ``issued`` has the year, and month and day when the catalogue gave an ISO date.
Several ISBNs or ISSNs are joined with ", "; notes with line breaks (JSON keeps them).
``edition`` is the bare number when the statement is only an ordinal ("2nd ed." -> "2"), so
styles word it themselves. Strings are NFC, never HTML: CSL-JSON rich text is not used. The
file is a JSON array with one item per line (compact, and still a diff a user can read).
"""

from __future__ import annotations

from app.export import fields
from app.records.model import BibRecord, Material, Name

CSL_TYPES: dict[Material, str] = {
    "book": "book",
    "chapter": "chapter",
    "article": "article-journal",
    "serial": "periodical",
    "thesis": "thesis",
    "map": "map",
    "music": "musical_score",
    "sound": "song",
    "video": "motion_picture",
    "image": "graphic",
    "electronic": "document",
    "manuscript": "manuscript",
    "conference": "paper-conference",
    "report": "report",
    "other": "document",
}

_DEGREES = {"phd": "PhD thesis", "masters": "Master's thesis"}

CslItem = dict[str, object]


def _csl_name(name: Name) -> dict[str, str]:
    if name.kind != "personal":
        return {"literal": fields.one_line(name.name)}
    family, given, suffix = fields.split_person(name.name)
    out = {"family": family, "given": given, "suffix": suffix}
    return {k: v for k, v in out.items() if v}


def _names(names: tuple[Name, ...]) -> list[dict[str, str]]:
    return [n for n in map(_csl_name, names) if n]


def csl_item(record: BibRecord, key: str) -> CslItem:
    """One CSL-JSON item; empty variables are left out."""
    kind = CSL_TYPES.get(record.material, "document")
    host = record.host
    if kind == "paper-conference" and (host is None or not host.title.strip()):
        kind = "book"  # a whole proceedings volume; a paper needs its volume as container
    item: CslItem = {"id": key, "type": kind}
    text: dict[str, str] = {"title": fields.display_title(record)}
    for role, names in (
        ("author", record.authors),
        ("editor", record.editors),
        ("translator", tuple(n for n in record.names if n.role == "translator")),
    ):
        if people := _names(names):
            item[role] = people
    if parts := fields.date_parts(record):
        item["issued"] = {"date-parts": [parts]}
    if record.material == "thesis":
        text["genre"] = _DEGREES.get(fields.thesis_degree(record), "Thesis")
        text["publisher"] = fields.thesis_school(record)
    else:
        text["publisher"] = record.publisher
    if record.material == "electronic":
        text["medium"] = "Electronic resource"
    language = fields.language(record)
    first_url = next(iter(fields.urls(record)), "")
    text |= {
        "publisher-place": record.place,
        "edition": fields.edition_number(record.edition),
        "collection-title": "; ".join(record.series),
        "ISBN": ", ".join(fields.citable_isbns(record)),
        "ISSN": ", ".join(fields.citable_issns(record)),
        "DOI": fields.doi(record),
        "URL": first_url,
        "language": "" if language is None else language.tag,
        "abstract": record.abstract,
        "keyword": ", ".join(fields.one_line(s) for s in record.subjects),
        "call-number": "; ".join(fields.call_numbers(record)),
        "source": record.target,
    }
    if host is not None:
        first, last = fields.page_range(host.pages)
        text |= {
            "container-title": host.title,
            "volume": host.volume,
            "issue": host.issue,
            "page": f"{first}-{last}" if last else first,
        }
    for name, value in text.items():
        if value := fields.one_line(value):
            item[name] = value
    if notes := [n for n in map(fields.one_line, record.notes) if n]:
        item["note"] = "\n".join(notes)
    return item
