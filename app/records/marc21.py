"""MARC 21 (USMARC) fields into a BibRecord. ISO 2709 and MARCXML both arrive here as MarcRecord.

Decisions a librarian may want to know:
- ``title`` is 245 $a with its leading article; ``nonsort`` is that article, from NSB/NSE marks
  or the second indicator (non-filing characters).
- Place, publisher and date come from 264 with second indicator 1 (publication), else 260,
  else 264 production/distribution/manufacture; a 264 copyright date (ind2 4) is used only
  when nothing else gives a date; the year falls back to 008/07-10.
- A 700 without $e/$4 has no role (it counts as an author-like name: usually a co-author),
  unless the record has no 1XX and 245 $c says "edited by" and names that person: then it is
  an editor (older records carry no relators); a 710/711 without one is a "contributor";
  1XX without one is the "author".
- Subjects are 600-69X except 655 (genre/form) joined with " -- ".
- 8XX series are preferred to the 490 that traces to them (490 with ind1 1).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from app.records.identifiers import (
    IssnKind,
    normalize_isbn,
    normalize_issn,
    normalize_lccn,
    normalize_oclc,
    parse_isbn,
    parse_issn,
)
from app.records.marc import DataField, MarcRecord
from app.records.model import (
    BibRecord,
    Holding,
    HostItem,
    Isbn,
    Issn,
    Link,
    Material,
    Name,
    NameKind,
)
from app.records.text import (
    clean,
    imprint_part,
    join_nonempty,
    parse_related_parts,
    role_from_relator,
    split_nonsort,
    trim_isbd,
    unique,
    unique_names,
    year_from,
)

__all__ = [
    "IMPRINT_RANK",
    "bib_from_marc21",
    "holdings_from_marc",
    "isbns_in",
    "issns_in",
    "links_from_856",
    "pick_imprint",
]

_NAME_TAGS = frozenset({"100", "110", "111", "700", "710", "711", "720"})
_MAIN_ENTRIES = frozenset({"100", "110", "111"})
_SUBJECT_TAGS = frozenset(
    {"600", "610", "611", "630", "647", "648", "650", "651", "653", "654", "656", "657", "658",
     "662", "688", "690", "691", "692", "693", "694", "695", "696", "697", "698", "699"}
)
_SUBDIVISIONS = "vxyz"
_NOT_TEXT = "0123456789"
_SERIES_TAGS = frozenset({"440", "490", "800", "810", "811", "830"})
_LINK_RELATIONSHIP = {"0": "resource", "1": "version", "2": "related"}
# leader/06 of what is not text
_MATERIAL: dict[str, Material] = {
    "e": "map", "f": "map", "c": "music", "d": "music", "i": "sound", "j": "sound",
    "g": "video", "k": "image", "m": "electronic",
}
# compiled once: every record goes through them
_NOT_WORD = re.compile(r"\W+")
_OCLC_NUMBER = re.compile(r"(?:ocm|ocn|on)\d")  # 001 of an OCLC record
_LIBRARY_CODE = re.compile(r"[A-Za-z]{1,4}-[\w:/-]+|[A-Z][A-Za-z]{1,5}|[A-Z0-9]{2,8}")
_ISSN_KINDS: dict[str, IssnKind] = {
    "a": "issn", "l": "linking", "y": "incorrect", "z": "cancelled", "m": "cancelled",
}


def _title(rec: MarcRecord) -> tuple[str, str, str, str, str]:
    """(title, nonsort, subtitle, part, responsibility) from 245, else 130/240/246."""
    field = rec.first("245")
    if field is None:
        for tag in ("130", "240", "246", "242"):
            other = rec.first(tag)
            if other is not None:
                nonsort, text = split_nonsort(other.first("a"))
                return trim_isbd(text), nonsort, trim_isbd(other.first("b")), "", ""
        return "", "", "", "", ""
    nonsort, proper = split_nonsort(field.first("a") or field.first("k"))
    if not nonsort and field.ind2.isdigit():
        skip = int(field.ind2)
        if 0 < skip < len(proper):
            nonsort = proper[:skip]
    subtitle = trim_isbd(" ".join(split_nonsort(b)[1] for b in field.all("b")))
    part = join_nonempty([trim_isbd(p) for p in field.values("np")], ", ")
    return trim_isbd(proper), nonsort, subtitle, part, trim_isbd(field.first("c"))


def _name(field: DataField) -> Name | None:
    kind: NameKind
    if field.tag == "720":  # uncontrolled name
        kind = "personal" if field.ind1 == "1" else "corporate"
        text = trim_isbd(field.first("a"))
        role = role_from_relator(field.first("e") or field.first("4"))
        return Name(text, role, kind) if text else None
    if field.tag[1:] == "00":
        text = trim_isbd(join_nonempty([field.first("a").rstrip(" ,"), field.first("b")]))
        kind = "personal"
    elif field.tag[1:] == "10":
        text = trim_isbd(" ".join(field.values("ab")))
        kind = "corporate"
    else:
        text = trim_isbd(" ".join(field.values("aendc")))
        kind = "meeting"
    if not text:
        return None
    terms = field.all("j") if kind == "meeting" else field.all("e")
    role = ""
    for value in (*field.all("4"), *terms):
        role = role_from_relator(value)
        if role:
            break
    if not role:
        role = "author" if field.tag[0] == "1" else ("" if kind == "personal" else "contributor")
    dates = trim_isbd(field.first("d")).rstrip(",") if kind == "personal" else ""
    return Name(text.rstrip(","), role, kind, dates)


_EDITED = re.compile(
    r"\b(?:edited|editors?|eds?\.|hrsg|herausgegeben|herausgeber\w*|éd\.|édité|"
    r"sous la direction|a cura di|redactie|compiled)",
    re.IGNORECASE,
)


def _names(rec: MarcRecord, responsibility: str) -> tuple[Name, ...]:
    """Every name; in a record without a main entry whose 245 $c says "edited by" (older
    records have no $e), the 700s without a role that $c names are its editors."""
    names = [_name(field) for field in rec.having(_NAME_TAGS)]
    if _EDITED.search(responsibility) and not rec.having(_MAIN_ENTRIES):
        said = responsibility.casefold()
        names = [
            replace(n, role="editor")
            if n is not None and not n.role and n.kind == "personal"
            and n.surname.casefold() in said
            else n
            for n in names
        ]
    return unique_names(names)


def pick_imprint(
    statements: list[tuple[int, list[str], list[str], list[str]]],
) -> tuple[str, str, str]:
    """(place, publisher, date) from (rank, places, publishers, dates) statements: each part
    from the best-ranked statement that has it; rank 3 (copyright) gives only a date."""
    place = publisher = date = ""
    for rank, places, publishers, dates in sorted(statements, key=lambda s: s[0]):
        if rank < 3:
            place = place or next(filter(None, map(imprint_part, places)), "")
            publisher = publisher or next(filter(None, map(imprint_part, publishers)), "")
        date = date or next(filter(None, map(trim_isbd, dates)), "")
    return place, publisher, date


# 264 second indicator: publication first, then 260, then production/distribution/manufacture
IMPRINT_RANK = {"1": 0, "0": 2, "2": 2, "3": 2, "4": 3}


def _imprint(rec: MarcRecord) -> tuple[str, str, str]:
    statements = [
        (IMPRINT_RANK.get(f.ind2, 2), f.all("a"), f.all("b"), f.all("c")) for f in rec.get("264")
    ]
    statements += [(1, f.all("a"), f.all("b"), f.all("c")) for f in rec.get("260")]
    return pick_imprint(statements)


def _year(rec: MarcRecord, date: str) -> int | None:
    year = year_from(date) if date else None
    if year is None:
        fixed = rec.control.get("008", "")
        if fixed[7:11].isdigit():
            year = int(fixed[7:11])
    return year


def _languages(rec: MarcRecord) -> tuple[str, ...]:
    codes = []
    fixed = rec.control.get("008", "")
    if len(fixed) >= 38 and fixed[35:38].isalpha():
        codes.append(fixed[35:38].lower())
    for field in rec.get("041"):
        for value in field.all("a"):
            value = value.strip().lower()
            codes.extend(value[i : i + 3] for i in range(0, len(value) - 2, 3))
    return unique([c for c in codes if c.isalpha()])


def _subject(field: DataField) -> list[str]:
    if field.tag == "653":
        return [trim_isbd(a) for a in field.all("a")]
    heading: list[str] = []
    subdivisions: list[str] = []
    skip = _NOT_TEXT + ("j" if field.tag == "611" else "e")
    for code, value in field.subfields:
        if code in skip:
            continue
        (subdivisions if code in _SUBDIVISIONS else heading).append(value)
    parts = [trim_isbd(" ".join(heading))] if heading else []
    parts.extend(trim_isbd(s) for s in subdivisions)
    return [" -- ".join(p for p in parts if p)]


def _series(rec: MarcRecord) -> tuple[str, ...]:
    controlled: list[str] = []  # 8XX, and the obsolete 440
    transcribed: list[str] = []  # 490 ind1 1: the same series as an 8XX, as printed
    for field in rec.having(_SERIES_TAGS):
        if field.tag in ("800", "810", "811"):
            title = " ".join(field.values("tnp")) or " ".join(field.values("ab"))
        else:
            title = " ".join(field.values("anp"))
        volume = trim_isbd(" ".join(field.all("v")))
        text = join_nonempty([trim_isbd(title), volume], " ; ")
        if field.tag == "490" and field.ind1 == "1":
            transcribed.append(text)
        else:
            controlled.append(text)
    if not any(f.tag[0] == "8" for f in rec.having(_SERIES_TAGS)):
        controlled += transcribed
    seen: dict[str, str] = {}
    for text in controlled:
        seen.setdefault(_NOT_WORD.sub("", text.casefold()), text)
    return tuple(v for v in seen.values() if v)


def _notes(rec: MarcRecord) -> tuple[tuple[str, ...], str]:
    notes: list[str] = []
    abstracts: list[str] = []
    for field in rec.fields:
        if field.tag[0] != "5":
            continue
        text = clean(" ".join(v for c, v in field.subfields if c not in _NOT_TEXT))
        if field.tag == "520":
            abstracts.append(text)
        else:
            notes.append(text)
    return unique(notes), "\n\n".join(a for a in abstracts if a)


def isbns_in(fields: list[DataField], qualifier: Callable[[DataField], str]) -> tuple[Isbn, ...]:
    """ISBNs of 020 (MARC 21) or 010 (UNIMARC): $a in use, $z cancelled, each with what
    ``qualifier`` reads from its field ("pbk.", "set")."""
    found: list[Isbn] = []
    for field in fields:
        said = qualifier(field)
        for code, value in field.subfields:
            if code in "az":
                isbn = parse_isbn(value, qualifier=said, cancelled=code == "z")
                if isbn is not None:
                    found.append(isbn)
    return tuple(found)


def issns_in(fields: list[DataField], kinds: Mapping[str, IssnKind]) -> tuple[Issn, ...]:
    """ISSNs of 022 (MARC 21) or 011 (UNIMARC), of the kind ``kinds`` gives each subfield."""
    found: list[Issn] = []
    for field in fields:
        for code, value in field.subfields:
            if code in kinds and (issn := parse_issn(value, kinds[code])) is not None:
                found.append(issn)
    return tuple(found)


def _qualifiers(field: DataField) -> str:
    return "; ".join(q.strip(" :;,/").strip("()") for q in field.all("q"))


def _numbers(rec: MarcRecord) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(LCCN, OCLC numbers, control numbers)."""
    lccn = ""
    for field in rec.get("010"):
        lccn = lccn or normalize_lccn(field.first("a"))
    oclc: list[str] = []
    control: list[tuple[str, str]] = []
    number, agency = rec.control.get("001", "").strip(), rec.control.get("003", "").strip()
    if number:
        control.append((agency, number))
        if agency.casefold() == "ocolc" or _OCLC_NUMBER.match(number):
            oclc.append(normalize_oclc(number) or "")
    for field in rec.get("035"):
        for value in field.all("a"):
            value = value.strip()
            if value.casefold().startswith("(ocolc)"):
                oclc.append(normalize_oclc(value) or "")
            elif value.startswith("(") and ")" in value:
                source, _, rest = value[1:].partition(")")
                control.append((source.strip(), rest.strip()))
            elif value:
                control.append(("", value))
    return lccn, unique(oclc), tuple(dict.fromkeys(control))


def links_from_856(fields: list[DataField], *, relationship_from_ind2: bool = True) -> tuple[
    Link, ...
]:
    """856 (MARC 21 and UNIMARC) links: $u with $3 / $y / $z / $i as the note."""
    links: list[Link] = []
    for field in fields:
        note = join_nonempty([clean(v) for code in "3yzi" for v in field.all(code)], "; ")
        relationship = _LINK_RELATIONSHIP.get(field.ind2, "") if relationship_from_ind2 else ""
        links.extend(Link(clean(u), note, relationship) for u in field.all("u") if u.strip())
    return tuple(dict.fromkeys(links))


def _looks_like_code(text: str) -> bool:
    """An ISIL ("DE-101") or a library symbol ("DLC", "Uk") rather than a library's name."""
    return bool(_LIBRARY_CODE.fullmatch(text))


def holdings_from_marc(rec: MarcRecord) -> tuple[Holding, ...]:
    """OCLC 948 ($a country, $b state, then $c symbol / $d library / $e local details per
    library) and 852 ($a institution, $b/$c location, $h/$i call number, $z note)."""
    holdings: list[Holding] = []
    for field in rec.get("948"):
        country = state = ""
        current: dict[str, str] | None = None
        for code, value in field.subfields:
            value = clean(value)
            if code == "a":
                country = value
            elif code == "b":
                state = value
            elif code == "c" or (code == "d" and (current is None or current["library"])):
                if current is not None:
                    holdings.append(Holding(**current))
                current = {"library": "", "symbol": "", "country": country, "state": state,
                           "note": ""}
                current["symbol" if code == "c" else "library"] = value
            elif code == "d" and current is not None:
                current["library"] = value
            elif code == "e" and current is not None:
                current["note"] = join_nonempty([current["note"], value], "; ")
        if current is not None:
            holdings.append(Holding(**current))
        elif country or state:
            holdings.append(Holding(country=country, state=state))
    for field in rec.get("852"):
        institution = clean(field.first("a"))
        call_number = clean(" ".join(field.values("hi")) or " ".join(field.values("jklm")))
        holdings.append(
            Holding(
                library="" if _looks_like_code(institution) else institution,
                symbol=institution if _looks_like_code(institution) else "",
                location=join_nonempty([clean(v) for v in field.values("bc")], ", "),
                call_number=call_number,
                note=join_nonempty([clean(v) for v in field.values("tz")], "; "),
            )
        )
    return tuple(holdings)


def _host(rec: MarcRecord) -> HostItem | None:
    field = rec.first("773")
    if field is None:
        return None
    related = "; ".join(clean(g) for g in field.all("g"))
    parts = parse_related_parts(related)
    enumeration = field.first("q")
    if enumeration and not (parts.volume or parts.pages):
        parts = parse_related_parts(enumeration)._replace(year=parts.year)
    year = parts.year or year_from(field.first("d")) or None
    issn_text, isbn_text = field.first("x"), field.first("z")
    return HostItem(
        title=trim_isbd(field.first("t") or field.first("p") or field.first("a")),
        volume=parts.volume,
        issue=parts.issue,
        pages=parts.pages,
        year=year,
        issn=(normalize_issn(issn_text) or clean(issn_text)) if issn_text else "",
        isbn=(normalize_isbn(isbn_text) or clean(isbn_text)) if isbn_text else "",
        related_parts=related or clean(enumeration),
    )


def _material(rec: MarcRecord, host: HostItem | None) -> Material:
    leader = rec.leader
    kind, level = leader[6:7], leader[7:8]
    fixed = rec.control.get("008", "")
    if kind in ("a", "t"):
        if level in ("s", "i"):
            return "serial"
        if level in ("a", "b") or (host is not None and level != "m"):
            if host is not None and host.issn:
                return "article"
            if host is not None and host.isbn:
                return "chapter"
            return "chapter" if level == "a" else "article"
        if "502" in rec or "m" in fixed[24:28]:
            return "thesis"
        if kind == "t":
            return "manuscript"
        if fixed[29:30] == "1" or (rec.first("111") is not None and rec.first("100") is None):
            return "conference"
        if "t" in fixed[24:28]:
            return "report"
        return "book"
    return _MATERIAL.get(kind, "other")


def bib_from_marc21(
    rec: MarcRecord, warnings: list[str], make: Callable[..., BibRecord] = BibRecord
) -> BibRecord:
    """Everything Polycat shows from one MARC 21 record; ``warnings`` are carried into it.
    ``make`` builds it (``reading`` passes BibRecord with where the record came from)."""
    title, nonsort, subtitle, part, responsibility = _title(rec)
    if not title:
        warnings.append("the record has no title (245 $a)")
    place, publisher, date = _imprint(rec)
    languages = _languages(rec)
    notes, abstract = _notes(rec)
    lccn, oclc, control = _numbers(rec)
    host = _host(rec)
    edition = "; ".join(trim_isbd(" ".join(f.values("ab"))) for f in rec.get("250"))
    physical = "; ".join(trim_isbd(" ".join(f.values("abce"))) for f in rec.get("300"))
    subjects: list[str] = []
    for field in rec.having(_SUBJECT_TAGS):
        subjects.extend(_subject(field))
    return make(
        title=title,
        nonsort=nonsort,
        subtitle=subtitle,
        part=part,
        responsibility=responsibility,
        names=_names(rec, responsibility),
        edition=edition,
        publisher=publisher,
        place=place,
        year=_year(rec, date),
        date=date,
        physical=physical,
        series=_series(rec),
        language=languages[0] if languages else "",
        languages=languages,
        subjects=unique(subjects),
        notes=notes,
        abstract=abstract,
        isbns=isbns_in(rec.get("020"), _qualifiers),
        issns=issns_in(rec.get("022"), _ISSN_KINDS),
        lccn=lccn,
        oclc_numbers=oclc,
        control_numbers=control,
        urls=links_from_856(rec.get("856")),
        holdings=holdings_from_marc(rec),
        host=host,
        material=_material(rec, host),
        warnings=tuple(warnings),
    )
