"""Dublin Core (oai_dc, srw_dc, bare) and OCLC's 15-element XML into a BibRecord.

The fifteen elements say little about structure, so: a title "Main : subtitle" is split at the
first " : " (and " / " gives the statement of responsibility); creators are authors and
contributors "contributor" (persons turned to "Surname, Forenames", bodies kept as written);
"Place : Publisher" is split; identifiers are told apart by shape (ISBN, ISSN, LCCN, OCLC
number, URL); description, source, relation, coverage and rights become notes.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.records.identifiers import sort_identifiers
from app.records.model import BibRecord, Link, Material, Name
from app.records.text import (
    imprint_part,
    language_code,
    looks_corporate,
    personal_name,
    trim_isbd,
    unique,
    year_from,
)
from app.records.xml import local, text_of

__all__ = ["bib_from_dc", "material_from_words", "name_from_text", "split_title"]

# DCMI types and the words OCLC, SUTRS and repositories use, in the order they are tried
_MATERIAL_WORDS: tuple[tuple[str, Material], ...] = (
    ("thesis", "thesis"), ("dissertation", "thesis"), ("hochschulschrift", "thesis"),
    ("article", "article"), ("chapter", "chapter"), ("journal", "serial"),
    ("periodical", "serial"), ("serial", "serial"), ("newspaper", "serial"),
    ("magazine", "serial"), ("conference", "conference"), ("proceedings", "conference"),
    ("report", "report"), ("map", "map"), ("cartographic", "map"), ("score", "music"),
    ("musical score", "music"), ("sound", "sound"), ("audio", "sound"),
    ("recording", "sound"), ("movingimage", "video"), ("moving image", "video"),
    ("video", "video"), ("film", "video"), ("visual", "video"), ("stillimage", "image"),
    ("image", "image"), ("photograph", "image"), ("book", "book"), ("software", "electronic"),
    ("computer file", "electronic"), ("dataset", "electronic"), ("internet", "electronic"),
    ("electronic", "electronic"), ("manuscript", "manuscript"), ("archival", "manuscript"),
    ("text", "book"), ("printed", "book"),
)


def material_from_words(values: list[str]) -> Material | None:
    """A material kind from type words ("Text", "Book", "Thesis/dissertation", "Journal")."""
    joined = " ".join(values).casefold()
    if not joined:
        return None
    for word, material in _MATERIAL_WORDS:
        if word in joined:
            return material
    return None


def split_title(text: str) -> tuple[str, str, str]:
    """("Title", "subtitle", "responsibility") from "Title : subtitle / by Someone."."""
    title, _, responsibility = text.partition(" / ")
    main, _, subtitle = title.partition(" : ")
    return trim_isbd(main), trim_isbd(subtitle), trim_isbd(responsibility)


def name_from_text(text: str, role: str) -> Name | None:
    """A name written out in free text: a body ("Friends of the Library") as it is, a person
    as "Surname, Forenames" with dates split off."""
    if not text.strip():
        return None
    if looks_corporate(text) and "," not in text:
        return Name(trim_isbd(text), role, "corporate")
    name, dates = personal_name(text)
    return Name(name, role, "personal", dates)


def bib_from_dc(record: Element, warnings: list[str]) -> BibRecord:
    values: dict[str, list[str]] = {}
    for child in record.iter():
        name = local(child.tag)
        if child is not record and text_of(child):
            values.setdefault(name, []).append(text_of(child))
    titles = values.get("title", [])
    title, subtitle, responsibility = split_title(titles[0]) if titles else ("", "", "")
    if not title:
        warnings.append("the record has no title")
    names = [name_from_text(c, "author") for c in values.get("creator", [])]
    names += [name_from_text(c, "contributor") for c in values.get("contributor", [])]
    place = publisher = ""
    for value in values.get("publisher", []):
        where, colon, who = value.rpartition(" : ")
        place = place or (imprint_part(where) if colon else "")
        publisher = publisher or imprint_part(who.rsplit(",", 1)[0] if colon else value)
    dates = values.get("date", [])
    ids = sort_identifiers(values.get("identifier", []))
    languages = unique([language_code(v) for v in values.get("language", [])])
    notes = [
        f"{label}: {v}" if label else v
        for key, label in (("description", ""), ("source", "Source"), ("relation", "Related"),
                           ("coverage", "Coverage"), ("rights", "Rights"))
        for v in values.get(key, [])
    ]
    return BibRecord(
        title=title,
        subtitle=subtitle,
        responsibility=responsibility,
        names=tuple(dict.fromkeys(n for n in names if n is not None)),
        publisher=publisher,
        place=place,
        year=next((y for y in map(year_from, dates) if y), None),
        date=trim_isbd(dates[0]) if dates else "",
        physical="; ".join(values.get("format", [])),
        language=languages[0] if languages else "",
        languages=languages,
        subjects=unique([trim_isbd(s) for s in values.get("subject", [])]),
        notes=unique(notes),
        isbns=tuple(ids.isbns),
        issns=tuple(ids.issns),
        lccn=ids.lccns[0] if ids.lccns else "",
        oclc_numbers=unique(ids.oclc_numbers),
        control_numbers=tuple(dict.fromkeys(ids.other)),
        urls=tuple(dict.fromkeys(Link(u) for u in ids.urls)),
        material=material_from_words(values.get("type", [])) or "book",
        warnings=tuple(warnings),
    )
