"""Views of a BibRecord that every citation format (RIS, BibTeX, CSL-JSON) shares.

One place decides which ISBNs are worth citing, how a name splits into family and given
parts, what a thesis note says about the degree, and how text is cleaned to one line, so the
three formats never disagree about the same record.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from app.records.model import BibRecord

# C0/C1 controls other than whitespace, and the non-characters a file must not carry
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


def one_line(text: str) -> str:
    """NFC text on one line: every run of whitespace (tabs, line breaks) becomes one space."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if not text.isprintable():  # tabs, line breaks and controls: the rare, slower path
        text = _CONTROLS.sub("", text)
    return " ".join(text.split())


def display_title(record: BibRecord) -> str:
    """Title, subtitle and the number/name of the part, as a citation shows them."""
    title = one_line(record.full_title)
    part = one_line(record.part)
    if part and part not in title:
        title = f"{title}. {part}" if title else part
    return title


def split_person(name: str) -> tuple[str, str, str]:
    """Split "Surname, Forenames[, Jr.]" into (family, given, suffix); no comma: all family.

    MARC writes "King, Martin Luther, Jr."; the third part is a suffix when it looks like one,
    else it belongs to the forenames ("Smith, John, of Aberdeen" stays in ``given``).
    """
    parts = [p.strip() for p in one_line(name).split(",")]
    parts = [p for p in parts if p]
    if not parts:
        return "", "", ""
    family, rest = parts[0], parts[1:]
    suffix = ""
    if len(rest) >= 2 and _SUFFIX.fullmatch(rest[-1]):
        suffix = rest.pop()
    return family, " ".join(rest), suffix


_SUFFIX = re.compile(r"(?i)(jr|sr|jun|sen|junior|senior)\.?|[IVX]{1,5}|\d(st|nd|rd|th)")


def citable_isbns(record: BibRecord) -> list[str]:
    """The ISBNs a citation may carry: valid ones as ISBN-13, invalid ones as printed.

    Cancelled numbers (020 $z) are left out: they identify no edition of this book. An
    article or chapter without its own ISBN cites its host's.
    """
    seen: dict[str, None] = {}
    for isbn in record.isbns:
        if isbn.cancelled:
            continue
        seen.setdefault(isbn.value if isbn.valid else one_line(isbn.raw), None)
    if not seen and record.host is not None and record.host.isbn:
        seen[one_line(record.host.isbn)] = None
    return [v for v in seen if v]


def citable_issns(record: BibRecord) -> list[str]:
    """ISSNs and linking ISSNs, normalised when valid, and the host's for a part."""
    seen: dict[str, None] = {}
    for issn in record.issns:
        if issn.kind in ("issn", "linking"):
            seen.setdefault(issn.value if issn.valid else one_line(issn.raw), None)
    if record.host is not None and record.host.issn:
        seen.setdefault(one_line(record.host.issn), None)
    return [v for v in seen if v]


_PAGE_PREFIX = re.compile(r"(?i)^(pp?|pages?|s|seiten?|str)\.?\s*")
_PAGE_RANGE = re.compile(r"^([^\s\-–—]+)\s*(?:-+|–|—)\s*([^\s\-–—]+)$")


def page_range(pages: str) -> tuple[str, str]:
    """Pages as (first, last): "p. 425-431" -> ("425", "431"); "425" -> ("425", "")."""
    text = _PAGE_PREFIX.sub("", one_line(pages)).rstrip(".")
    match = _PAGE_RANGE.match(text)
    if match:
        return match.group(1), match.group(2)
    return text, ""


_ISO_DATE = re.compile(r"^(\d{4})(?:-?(\d{2}))?(?:-?(\d{2}))?$")


def date_parts(record: BibRecord) -> list[int]:
    """[year], or [year, month(, day)] when the record's date is an ISO date of that year."""
    if record.year is None:
        return []
    match = _ISO_DATE.match(record.date.strip())
    if not match or int(match.group(1)) != record.year:
        return [record.year]
    parts = [record.year]
    for group in match.group(2, 3):
        if group is None or not 1 <= int(group) <= (12 if len(parts) == 1 else 31):
            break
        parts.append(int(group))
    return parts


Degree = Literal["phd", "masters", ""]

_THESIS_NOTE = re.compile(
    r"(?i)thesis|thèse|\bdiss\b|dissertation|hochschulschrift|\btesi|proefschrift|diplom"
    r"|magister|master's|habilitation"
)
_MASTERS = re.compile(
    r"(?i:master|magister|diplom|mémoire|licentiate|tesi di laurea)"
    r"|\b(?:M\.?\s?A|M\.?\s?Sc|M\.?\s?S|M\.?\s?Phil|LL\.?\s?M)(?![A-Za-z])"
)
_DOCTORAL = re.compile(
    r"(?i)\bph\.?\s?d|\bd\.?\s?phil|doctor|doktor|dissertation|\bdiss\b|thèse de doctorat"
    r"|tesis doctoral|dottorato|proefschrift|habilitation"
)


def thesis_note(record: BibRecord) -> str:
    """The note that says this is a thesis (502 as the reader kept it), or ""."""
    for note in record.notes:
        if _THESIS_NOTE.search(note):
            return one_line(note)
    return ""


def thesis_degree(record: BibRecord) -> Degree:
    """What the thesis note says about the degree; "" when it does not say (or no note).

    A master's marker wins ("Dissertation (M.A.)", "Diplomarbeit"), then a doctoral one
    ("Thesis (Ph. D.)", "Diss.", "Thèse de doctorat"); a bare "Thesis" says nothing.
    """
    note = thesis_note(record)
    if _MASTERS.search(note):
        return "masters"
    if _DOCTORAL.search(note):
        return "phd"
    return ""


def thesis_school(record: BibRecord) -> str:
    """Where the degree was granted: from "Thesis (Ph. D.)--Univ. of X, 1990." or
    "Dissertation, Universität Hamburg, 2001"; the publisher when the note does not say."""
    note = thesis_note(record).rstrip(". ")
    if "--" in note:
        school = note.split("--", 1)[1]
    elif note.count(",") >= 1:
        school = note.split(",", 1)[1]
    else:
        school = ""
    school = re.sub(r",?\s*\[?\d{4}\]?\.?$", "", school.strip()).strip(" ,.")
    return school or one_line(record.publisher)


_DOI = re.compile(r"(?i)^(?:https?://)?(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$")


def doi(record: BibRecord) -> str:
    """The DOI when one of the links is a doi.org link (the model has no 024 field)."""
    for link in record.urls:
        match = _DOI.match(link.url.strip())
        if match:
            return match.group(1)
    return ""


def call_numbers(record: BibRecord) -> list[str]:
    """Every distinct call number from the holdings, in order."""
    return list(dict.fromkeys(one_line(h.call_number) for h in record.holdings if h.call_number))


def sentences(texts: tuple[str, ...]) -> str:
    """Notes as one line of sentences: "Includes index. Thesis (Ph. D.)--Oxford, 1990."."""
    out = [t if t[-1] in ".!?" else t + "." for t in map(one_line, texts) if t]
    return " ".join(out)


def urls(record: BibRecord) -> list[str]:
    return list(dict.fromkeys(one_line(link.url) for link in record.urls if link.url.strip()))


_EDITION_NUMBER = re.compile(
    r"(?i)^(\d{1,3})\s*(?:st|nd|rd|th|e|er|re|a|o|\.)?\s*"
    r"(?:ed|edn|edition|éd|édition|aufl|auflage|ausg|ausgabe|uppl|wyd|изд)?\.?$"
)


def edition_number(edition: str) -> str:
    """The bare number of "2nd ed." / "2. Aufl." (styles word it themselves), else as is."""
    text = one_line(edition)
    match = _EDITION_NUMBER.match(text)
    return match.group(1) if match else text


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # as the record gives it (ISO 639-2/B mostly)
    tag: str  # BCP 47 for CSL: the ISO 639-1 code when there is one
    name: str  # English name, "" when unknown


# ISO 639-2 (B and T forms) -> (ISO 639-1, English name); only languages catalogues often give
_LANGUAGES: dict[str, tuple[str, str]] = {
    "eng": ("en", "English"), "ger": ("de", "German"), "deu": ("de", "German"),
    "fre": ("fr", "French"), "fra": ("fr", "French"), "spa": ("es", "Spanish"),
    "ita": ("it", "Italian"), "por": ("pt", "Portuguese"), "dut": ("nl", "Dutch"),
    "nld": ("nl", "Dutch"), "rus": ("ru", "Russian"), "pol": ("pl", "Polish"),
    "cze": ("cs", "Czech"), "ces": ("cs", "Czech"), "slo": ("sk", "Slovak"),
    "slk": ("sk", "Slovak"), "hun": ("hu", "Hungarian"), "swe": ("sv", "Swedish"),
    "dan": ("da", "Danish"), "nor": ("no", "Norwegian"), "nob": ("nb", "Norwegian"),
    "nno": ("nn", "Norwegian"), "fin": ("fi", "Finnish"), "ice": ("is", "Icelandic"),
    "isl": ("is", "Icelandic"), "gre": ("el", "Greek"), "ell": ("el", "Greek"),
    "grc": ("grc", "Ancient Greek"), "lat": ("la", "Latin"), "heb": ("he", "Hebrew"),
    "ara": ("ar", "Arabic"), "per": ("fa", "Persian"), "fas": ("fa", "Persian"),
    "tur": ("tr", "Turkish"), "chi": ("zh", "Chinese"), "zho": ("zh", "Chinese"),
    "jpn": ("ja", "Japanese"), "kor": ("ko", "Korean"), "hin": ("hi", "Hindi"),
    "ukr": ("uk", "Ukrainian"), "bul": ("bg", "Bulgarian"), "srp": ("sr", "Serbian"),
    "hrv": ("hr", "Croatian"), "slv": ("sl", "Slovenian"), "rum": ("ro", "Romanian"),
    "ron": ("ro", "Romanian"), "cat": ("ca", "Catalan"), "wel": ("cy", "Welsh"),
    "cym": ("cy", "Welsh"), "gle": ("ga", "Irish"), "baq": ("eu", "Basque"),
    "eus": ("eu", "Basque"), "glg": ("gl", "Galician"), "est": ("et", "Estonian"),
    "lav": ("lv", "Latvian"), "lit": ("lt", "Lithuanian"), "ind": ("id", "Indonesian"),
    "vie": ("vi", "Vietnamese"), "tha": ("th", "Thai"), "afr": ("af", "Afrikaans"),
    "arm": ("hy", "Armenian"), "hye": ("hy", "Armenian"), "geo": ("ka", "Georgian"),
    "kat": ("ka", "Georgian"), "alb": ("sq", "Albanian"), "sqi": ("sq", "Albanian"),
    "yid": ("yi", "Yiddish"), "san": ("sa", "Sanskrit"), "epo": ("eo", "Esperanto"),
}  # fmt: skip


def language(record: BibRecord) -> Language | None:
    code = one_line(record.language).lower()
    if not code:
        return None
    tag, name = _LANGUAGES.get(code, (code, ""))
    return Language(code, tag, name)
