"""MODS v3 (Copac and zebra style) into a BibRecord.

Decisions: the main title is the first titleInfo without a type (alternative, abbreviated,
translated and uniform titles are skipped); nonSort is joined to the title with a blank unless
it ends in one (or in an apostrophe or hyphen). Of several originInfo the publication one wins;
of several dateIssued the keyDate one gives the year and the transcribed one (no encoding) the
date. A name without a role has no role (author-like). Every location/physicalLocation is a
holding (with holdingSimple/copyInformation details); location/url is a link.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from app.records.identifiers import (
    IssnKind,
    normalize_isbn,
    normalize_issn,
    normalize_lccn,
    normalize_oclc,
    parse_isbn,
    parse_issn,
)
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
    imprint_part,
    join_nonempty,
    language_code,
    parse_related_parts,
    personal_name,
    role_from_relator,
    trim_isbd,
    unique,
    unique_names,
    year_from,
)
from app.records.xml import children, local, text_of

__all__ = ["bib_from_mods"]

_SKIPPED_TITLES = frozenset({"alternative", "abbreviated", "translated", "uniform"})
_NAME_KINDS: dict[str, NameKind] = {
    "personal": "personal", "family": "personal", "corporate": "corporate",
    "conference": "meeting",
}
_RESOURCE_TYPES: dict[str, Material] = {
    "cartographic": "map", "notated music": "music", "sound recording": "sound",
    "sound recording-musical": "sound", "sound recording-nonmusical": "sound",
    "moving image": "video", "still image": "image", "software, multimedia": "electronic",
    "three dimensional object": "other", "mixed material": "other",
}
_GENRES: dict[str, Material] = {
    "thesis": "thesis", "theses": "thesis", "dissertation": "thesis",
    "academic theses": "thesis", "hochschulschrift": "thesis", "periodical": "serial",
    "journal": "serial", "serial": "serial", "newspaper": "serial", "article": "article",
    "journal article": "article", "conference publication": "conference",
    "technical report": "report", "report": "report", "map": "map", "atlas": "map",
    "book": "book", "book chapter": "chapter", "chapter": "chapter", "manuscript": "manuscript",
}


def _first(elem: Element, name: str) -> Element | None:
    return next(children(elem, name), None)


def _title(mods: Element) -> tuple[str, str, str, str]:
    infos = list(children(mods, "titleInfo"))
    main = next((t for t in infos if t.get("type") not in _SKIPPED_TITLES), None)
    if main is None:
        main = infos[0] if infos else None
    if main is None:
        return "", "", "", ""
    nonsort = text_of(_first(main, "nonSort"))
    title = trim_isbd(text_of(_first(main, "title")))
    if nonsort and not nonsort.endswith((" ", "'", "’", "-")):
        nonsort += " "
    part = join_nonempty(
        [trim_isbd(text_of(p)) for p in main if local(p.tag) in ("partNumber", "partName")], ", "
    )
    return nonsort + title, nonsort, trim_isbd(text_of(_first(main, "subTitle"))), part


def _name(elem: Element) -> Name | None:
    kind = _NAME_KINDS.get(elem.get("type", ""), "personal")
    parts = {p.get("type", ""): text_of(p) for p in children(elem, "namePart")}
    untyped = [text_of(p) for p in children(elem, "namePart") if not p.get("type")]
    dates = parts.get("date", "")
    if kind != "personal":
        text = trim_isbd(". ".join(trim_isbd(u) for u in untyped))
    elif parts.get("family"):
        text = join_nonempty([parts["family"], parts.get("given", "")], ", ")
        text = join_nonempty([text, parts.get("termsOfAddress", "")], ", ")
    else:
        text, found_dates = personal_name(" ".join(untyped))
        dates = dates or found_dates
    if not text:
        text = trim_isbd(text_of(_first(elem, "displayForm")))
    if not text:
        return None
    role = ""
    for role_elem in children(elem, "role"):
        for term in children(role_elem, "roleTerm"):
            role = role_from_relator(text_of(term))
            if role:
                break
        if role:
            break
    if not role and elem.get("usage") == "primary":
        role = "author"
    return Name(trim_isbd(text), role, kind, trim_isbd(dates))


def _origin(mods: Element) -> tuple[str, str, str, int | None, str]:
    """(place, publisher, date, year, edition)."""
    origins = list(children(mods, "originInfo"))
    origins.sort(key=lambda o: o.get("eventType", "publication") != "publication")
    place = publisher = date = edition = ""
    year: int | None = None
    for origin in origins:
        for place_elem in children(origin, "place"):
            for term in children(place_elem, "placeTerm"):
                if term.get("type") != "code":
                    place = place or imprint_part(text_of(term))
        publisher = publisher or imprint_part(text_of(_first(origin, "publisher")))
        edition = edition or trim_isbd(text_of(_first(origin, "edition")))
        dates = [
            d for d in origin if local(d.tag) in ("dateIssued", "dateCreated", "copyrightDate")
        ]
        for d in dates:
            if not d.get("encoding") and not date:
                date = trim_isbd(text_of(d))
        key = next((d for d in dates if d.get("keyDate") == "yes"), None)
        year = year or (year_from(text_of(key)) if key is not None else None)
        for d in dates:
            year = year or year_from(text_of(d))
        date = date or (trim_isbd(text_of(dates[0])) if dates else "")
    return place, publisher, date, year, edition


def _subject(elem: Element) -> str:
    parts = []
    for child in elem:
        name = local(child.tag)
        if name in ("topic", "geographic", "temporal", "genre", "occupation"):
            parts.append(trim_isbd(text_of(child)))
        elif name == "name":
            named = _name(child)
            if named is not None:
                parts.append(join_nonempty([named.name, named.dates], ", "))
        elif name == "titleInfo":
            parts.append(trim_isbd(text_of(_first(child, "title"))))
        elif name == "hierarchicalGeographic":
            parts.extend(trim_isbd(text_of(g)) for g in child)
    return " -- ".join(p for p in parts if p)


def _identifiers(
    elems: list[Element],
) -> tuple[list[Isbn], list[Issn], str, list[str], list[tuple[str, str]]]:
    isbns: list[Isbn] = []
    issns: list[Issn] = []
    lccn = ""
    oclc: list[str] = []
    other: list[tuple[str, str]] = []
    for elem in elems:
        kind, value = elem.get("type", "").casefold(), text_of(elem)
        invalid = elem.get("invalid") == "yes"
        if not value:
            continue
        if kind == "isbn":
            isbn = parse_isbn(value, cancelled=invalid)
            if isbn is not None:
                isbns.append(isbn)
        elif kind in ("issn", "issn-l"):
            issn_kind: IssnKind = (
                "cancelled" if invalid else ("linking" if kind == "issn-l" else "issn")
            )
            issn = parse_issn(value, issn_kind)
            if issn is not None:
                issns.append(issn)
        elif kind == "lccn" and not invalid:
            lccn = lccn or normalize_lccn(value)
        elif kind in ("oclc", "oclcnum", "oclc number") and not invalid:
            oclc.append(normalize_oclc(value) or "")
        elif not invalid:
            other.append((kind, value))
    return isbns, issns, lccn, oclc, other


def _part(part: Element) -> tuple[str, str, str, int | None, str]:
    """(volume, issue, pages, year, text) of a MODS <part>."""
    volume = issue = pages = ""
    for detail in children(part, "detail"):
        number = text_of(_first(detail, "number")) or text_of(_first(detail, "caption"))
        kind = detail.get("type", "")
        if kind == "volume":
            volume = number
        elif kind in ("issue", "number"):
            issue = number
        elif kind in ("page", "pages"):
            pages = number
    for extent in children(part, "extent"):
        start, end = text_of(_first(extent, "start")), text_of(_first(extent, "end"))
        pages = pages or join_nonempty([start, end], "-") or text_of(_first(extent, "list"))
    text = " ".join(text_of(t) for t in children(part, "text"))
    year = year_from(text_of(_first(part, "date")))
    if text and not (volume or issue or pages):
        parsed = parse_related_parts(text)
        volume, issue, pages, year = parsed.volume, parsed.issue, parsed.pages, year or parsed.year
    return volume, issue, pages, year, text


def _host(mods: Element) -> HostItem | None:
    host = next((r for r in children(mods, "relatedItem") if r.get("type") == "host"), None)
    top_part = _first(mods, "part")
    if host is None and top_part is None:
        return None
    title, volume, issue, pages, year, text, issn, isbn = "", "", "", "", None, "", "", ""
    if host is not None:
        info = _first(host, "titleInfo")
        title = trim_isbd(text_of(_first(info if info is not None else host, "title")))
        for ident in children(host, "identifier"):
            kind, value = ident.get("type", ""), text_of(ident)
            if kind == "issn":
                issn = issn or normalize_issn(value) or value
            elif kind == "isbn":
                isbn = isbn or normalize_isbn(value) or value
        for origin in children(host, "originInfo"):
            for d in children(origin, "dateIssued"):
                year = year or year_from(text_of(d))
    parts = (_first(host, "part") if host is not None else None, top_part)
    for part in [p for p in parts if p is not None]:
        v, i, p, y, t = _part(part)
        volume, issue, pages = volume or v, issue or i, pages or p
        year, text = y or year, text or t
    return HostItem(title, volume, issue, pages, year, issn, isbn, text)


def _holdings_and_links(mods: Element) -> tuple[list[Holding], list[Link]]:
    holdings: list[Holding] = []
    links: list[Link] = []
    for location in children(mods, "location"):
        for url in children(location, "url"):
            if text_of(url):
                note = join_nonempty([url.get("displayLabel", ""), url.get("note", "")], "; ")
                relationship = "resource" if url.get("access") in ("raw object",) else ""
                links.append(Link(text_of(url), note, relationship))
        place = _first(location, "physicalLocation")
        if place is None:
            continue
        library = text_of(place)
        symbol = ""
        if place.get("authority") in ("marcorg", "isil", "oclcorg"):
            library, symbol = "", library
        shelf = text_of(_first(location, "shelfLocator"))
        copies = [
            c
            for simple in children(location, "holdingSimple")
            for c in children(simple, "copyInformation")
        ]
        if not copies:
            holdings.append(Holding(library=library, symbol=symbol, call_number=shelf))
        for copy in copies:
            holdings.append(
                Holding(
                    library=library,
                    symbol=symbol,
                    location=text_of(_first(copy, "subLocation")),
                    call_number=text_of(_first(copy, "shelfLocator")) or shelf,
                    note=join_nonempty(
                        [text_of(n) for n in copy if local(n.tag) in ("note", "itemIdentifier")],
                        "; ",
                    ),
                )
            )
    return holdings, links


def _material(mods: Element, host: HostItem | None) -> Material:
    genres = [text_of(g).casefold().rstrip(".") for g in children(mods, "genre")]
    for genre in genres:
        if genre in _GENRES and _GENRES[genre] != "book":
            return _GENRES[genre]
    issuance = {text_of(i).casefold() for o in children(mods, "originInfo")
                for i in children(o, "issuance")}
    if host is not None:
        return "article" if host.issn or host.volume or host.issue else "chapter"
    if issuance & {"serial", "continuing"}:
        return "serial"
    resource = _first(mods, "typeOfResource")
    if resource is not None:
        if resource.get("manuscript") == "yes":
            return "manuscript"
        found = _RESOURCE_TYPES.get(text_of(resource).casefold())
        if found:
            return found
    return "book"


def bib_from_mods(mods: Element, warnings: list[str]) -> BibRecord:
    title, nonsort, subtitle, part = _title(mods)
    if not title:
        warnings.append("the MODS record has no title (titleInfo/title)")
    place, publisher, date, year, edition = _origin(mods)
    languages = unique(
        [
            language_code(text_of(term))
            for lang in children(mods, "language")
            for term in children(lang, "languageTerm")
        ]
    )
    isbns, issns, lccn, oclc, other = _identifiers(list(children(mods, "identifier")))
    for info in children(mods, "recordInfo"):
        for ident in children(info, "recordIdentifier"):
            other.append((ident.get("source", ""), text_of(ident)))
    series = []
    for related in children(mods, "relatedItem"):
        if related.get("type") == "series":
            series_info = _first(related, "titleInfo")
            if series_info is not None:
                series_title = trim_isbd(text_of(_first(series_info, "title")))
                number = trim_isbd(text_of(_first(series_info, "partNumber")))
                series.append(join_nonempty([series_title, number], " ; "))
    host = _host(mods)
    holdings, links = _holdings_and_links(mods)
    notes = [text_of(n) for n in mods if local(n.tag) in ("note", "tableOfContents")]
    return BibRecord(
        title=title,
        nonsort=nonsort,
        subtitle=subtitle,
        part=part,
        names=unique_names(_name(elem) for elem in children(mods, "name")),
        edition=edition,
        publisher=publisher,
        place=place,
        year=year,
        date=date,
        physical="; ".join(
            trim_isbd(text_of(e))
            for pd in children(mods, "physicalDescription")
            for e in children(pd, "extent")
        ),
        series=unique(series),
        language=languages[0] if languages else "",
        languages=languages,
        subjects=unique([_subject(s) for s in children(mods, "subject")]),
        notes=unique(notes),
        abstract="\n\n".join(text_of(a) for a in children(mods, "abstract") if text_of(a)),
        isbns=tuple(isbns),
        issns=tuple(issns),
        lccn=lccn,
        oclc_numbers=unique(oclc),
        control_numbers=tuple(dict.fromkeys(o for o in other if o[1])),
        urls=tuple(dict.fromkeys(links)),
        holdings=tuple(holdings),
        host=host,
        material=_material(mods, host),
        warnings=tuple(warnings),
    )
