"""UNIMARC (BnF, SUDOC, GBV's UNIMARC) fields into a BibRecord.

Decisions: 200 $a is the title (NSB/NSE or ESC H/ESC I mark its article), $e the subtitle,
$f/$g the responsibility, $h/$i the part. 214 (publication, ind2 1) is preferred to 210; the
year falls back to 100 $a/9-12. 700/701 and 710/711 without $4 are authors, 702 and 712
contributors; names are "$a, $b" with $d numerals and $f dates. Subjects are 600-607 and
610 (608 form/genre is left out like MARC 21's 655); 3XX are notes, 330 the abstract; 328 or
105 $a/4-7 "m" makes a thesis.
"""

from __future__ import annotations

from collections.abc import Callable

from app.records.identifiers import (
    IssnKind,
    normalize_isbn,
    normalize_issn,
    normalize_oclc,
)
from app.records.marc import DataField, MarcRecord
from app.records.marc21 import IMPRINT_RANK, isbns_in, issns_in, links_from_856, pick_imprint
from app.records.model import BibRecord, HostItem, Material, Name, NameKind
from app.records.text import (
    clean,
    join_nonempty,
    parse_related_parts,
    role_from_relator,
    split_nonsort,
    trim_isbd,
    unique,
    unique_names,
    year_from,
)

__all__ = ["bib_from_unimarc"]

_NAME_TAGS = frozenset({"700", "701", "702", "710", "711", "712", "720", "721", "722"})
_SUBJECT_TAGS = frozenset({"600", "601", "602", "604", "605", "606", "607", "610", "615",
                           "616", "617"})
_SUBDIVISIONS = "xyzj"
_ISSN_KINDS: dict[str, IssnKind] = {
    "a": "issn", "f": "linking", "y": "cancelled", "z": "incorrect", "g": "cancelled",
}
_MATERIAL: dict[str, Material] = {
    "c": "music", "d": "music", "e": "map", "f": "map", "g": "video", "i": "sound",
    "j": "sound", "k": "image", "l": "electronic", "m": "other", "r": "other",
}


def _person(field: DataField) -> str:
    name = join_nonempty([trim_isbd(field.first("a")), trim_isbd(field.first("b"))], ", ")
    return join_nonempty([name, trim_isbd(field.first("d"))])


def _name(field: DataField) -> Name | None:
    kind: NameKind
    if field.tag[1] == "0":
        text, kind = _person(field), "personal"
    elif field.tag[1] == "2":
        text, kind = trim_isbd(field.first("a")), "personal"  # a family
    else:
        text = trim_isbd(" ".join(trim_isbd(v) + "." for v in field.values("ab")))
        kind = "meeting" if field.ind1 == "1" else "corporate"
    if not text:
        return None
    role = next(filter(None, map(role_from_relator, field.all("4"))), "")
    if not role:
        role = "contributor" if field.tag[2] == "2" else "author"
    dates = trim_isbd(field.first("f")) if kind == "personal" else ""
    return Name(text, role, kind, dates)


def _subject(field: DataField) -> list[str]:
    if field.tag == "610":
        return [trim_isbd(a) for a in field.all("a")]
    if field.tag in ("600", "602"):
        heading = join_nonempty([_person(field), trim_isbd(field.first("f"))], ", ")
        heading = join_nonempty([heading, trim_isbd(field.first("t"))], ". ")
    elif field.tag == "601":
        heading = ". ".join(trim_isbd(v) for v in field.values("ab"))
    else:
        heading = " ".join(trim_isbd(v) for v in field.values("abt"))
    parts = [heading, *(trim_isbd(v) for v in field.values(_SUBDIVISIONS))]
    return [" -- ".join(p for p in parts if p)]


def _title(rec: MarcRecord) -> tuple[str, str, str, str, str]:
    field = rec.first("200")
    if field is None:
        return "", "", "", "", ""
    nonsort, proper = split_nonsort(field.first("a"))
    subtitle = trim_isbd(" ".join(split_nonsort(e)[1] for e in field.all("e")))
    part = join_nonempty([trim_isbd(p) for p in field.values("hi")], ", ")
    responsibility = join_nonempty([trim_isbd(v) for v in field.values("fg")], " ; ")
    return trim_isbd(proper), nonsort, subtitle, part, responsibility


def _host(rec: MarcRecord) -> HostItem | None:
    field = rec.first("463") or rec.first("461")
    if field is None:
        return None
    related = "; ".join(clean(v) for v in field.values("vh"))
    parts = parse_related_parts(related)
    issn, isbn = field.first("x"), field.first("y")
    return HostItem(
        title=trim_isbd(field.first("t")),
        volume=parts.volume,
        issue=parts.issue,
        pages=parts.pages,
        year=parts.year or year_from(field.first("d")),
        issn=(normalize_issn(issn) or issn) if issn else "",
        isbn=(normalize_isbn(isbn) or isbn) if isbn else "",
        related_parts=related,
    )


def _material(rec: MarcRecord, host: HostItem | None) -> Material:
    kind, level = rec.leader[6:7], rec.leader[7:8]
    textual = rec.first("105")
    coded = textual.first("a") if textual is not None else ""
    if kind in ("a", "b"):
        if level in ("s", "i"):
            return "serial"
        if level == "a" or host is not None:
            return "article" if host is not None and (host.issn or host.issue) else "chapter"
        if "328" in rec or "m" in coded[4:8]:
            return "thesis"
        if kind == "b":
            return "manuscript"
        if coded[8:9] == "1":
            return "conference"
        return "book"
    return _MATERIAL.get(kind, "other")


def bib_from_unimarc(
    rec: MarcRecord, warnings: list[str], make: Callable[..., BibRecord] = BibRecord
) -> BibRecord:
    """Everything Polycat shows from one UNIMARC record; ``make`` as in ``bib_from_marc21``."""
    title, nonsort, subtitle, part, responsibility = _title(rec)
    if not title:
        warnings.append("the record has no title (200 $a)")
    statements = [(IMPRINT_RANK.get(f.ind2, 2), f.all("a"), f.all("c"), f.all("d"))
                  for f in rec.get("214")]
    statements += [(1, f.all("a"), f.all("c"), f.all("d")) for f in rec.get("210")]
    place, publisher, date = pick_imprint(statements)
    year = year_from(date) if date else None
    general = rec.first("100")
    processing = general.first("a") if general is not None else ""
    if year is None and processing[9:13].isdigit():
        year = int(processing[9:13])
    languages = unique([v.strip().lower()[:3] for f in rec.get("101") for v in f.all("a")])
    oclc: list[str] = []
    control: list[tuple[str, str]] = []
    if rec.control.get("001", "").strip():
        control.append(("", rec.control["001"].strip()))
    for field in rec.get("035"):
        value = field.first("a").strip()
        if value.casefold().startswith("(ocolc)"):
            oclc.append(normalize_oclc(value) or "")
        elif value.startswith("(") and ")" in value:
            source, _, number = value[1:].partition(")")
            control.append((source.strip(), number.strip()))
    subjects: list[str] = []
    for field in rec.having(_SUBJECT_TAGS):
        subjects.extend(_subject(field))
    series = [
        join_nonempty([trim_isbd(f.first("a")), trim_isbd(f.first("v"))], " ; ")
        for f in rec.get("225")
    ] or [join_nonempty([trim_isbd(f.first("t")), trim_isbd(f.first("v"))], " ; ")
          for f in rec.get("410")]
    notes = [
        clean(" ".join(v for c, v in f.subfields if not c.isdigit()))
        for f in rec.fields
        if f.tag[0] == "3" and f.tag != "330"
    ]
    host = _host(rec)
    return make(
        title=title,
        nonsort=nonsort,
        subtitle=subtitle,
        part=part,
        responsibility=responsibility,
        names=unique_names(_name(field) for field in rec.having(_NAME_TAGS)),
        edition=trim_isbd(" ".join(v for f in rec.get("205") for v in f.values("ab"))),
        publisher=publisher,
        place=place,
        year=year,
        date=date,
        physical="; ".join(trim_isbd(" ".join(f.values("acde"))) for f in rec.get("215")),
        series=unique(series),
        language=languages[0] if languages else "",
        languages=languages,
        subjects=unique(subjects),
        notes=unique(notes),
        abstract="\n\n".join(clean(" ".join(f.all("a"))) for f in rec.get("330")),
        isbns=isbns_in(rec.get("010"), lambda field: field.first("b")),
        issns=issns_in(rec.get("011"), _ISSN_KINDS),
        oclc_numbers=unique(oclc),
        control_numbers=tuple(dict.fromkeys(control)),
        urls=links_from_856(rec.get("856"), relationship_from_ind2=False),
        host=host,
        material=_material(rec, host),
        warnings=tuple(warnings),
    )
