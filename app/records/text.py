"""Text rules every reader shares: ISBD punctuation, non-sort marks, years, roles, languages."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from app.records.model import Name

__all__ = [
    "RelatedParts",
    "clean",
    "imprint_part",
    "join_nonempty",
    "language_code",
    "looks_corporate",
    "parse_related_parts",
    "personal_name",
    "role_from_relator",
    "split_nonsort",
    "trim_isbd",
    "unique",
    "unique_names",
    "year_from",
]

# NSB/NSE (U+0088/U+0089) and SOS/ST (U+0098/U+009C) bracket a leading article not to file on
NONSORT_START = "\x88\x98"
NONSORT_END = "\x89\x9c"
_CONTROLS = {c: None for c in range(0x20) if c not in (0x09, 0x0A)} | {
    c: None for c in range(0x7F, 0xA0)
}
_SPACES = re.compile(r"\s+")

# A trailing full stop belongs to these words; ISBD adds it to everything else
_ABBREVIATIONS = frozenset(
    {
        "ed", "eds", "edn", "hrsg", "hg", "éd", "dir", "red", "comp", "trans", "transl", "tr",
        "ill", "illus", "repr", "rev", "enl", "corr", "augm", "pbk", "hbk", "hb", "pb", "v",
        "vol", "vols", "no", "nos", "nr", "pt", "pts", "bd", "bde", "jg", "jahrg", "hft", "heft",
        "t", "tom", "p", "pp", "s", "col", "cols", "cm", "mm", "ca", "approx", "etc", "al", "b",
        "d", "fl", "cent", "ff", "cf", "viz", "vs", "inc", "ltd", "co", "corp", "bros", "dept",
        "univ", "inst", "soc", "assoc", "acad", "coll", "govt", "gov", "nat", "natl", "intl",
        "int", "pub", "pubs", "publ", "publs", "pr", "print", "off", "verl", "buchh", "ges",
        "akad", "wiss", "bibl", "anst", "dr", "jr", "sr", "st", "mt", "mr", "mrs", "ms", "prof",
        "mass", "calif", "conn", "pa", "mich", "wash", "va", "md", "minn", "wis", "tex", "fla",
        "ga", "ky", "tenn", "la", "ala", "miss", "okla", "ariz", "colo", "kan", "neb", "nev",
        "del", "vt", "me", "aufl", "neubearb", "überarb", "erw", "verb", "durchges", "ausg",
        "nachdr", "impr", "réimpr", "ouvr",
    }
)
_ISBD_MARKS = frozenset("/:;=")  # they end an element only after a blank: "Title /"


def clean(text: str) -> str:
    """Control characters (and non-sort marks) out, runs of blanks made single, ends trimmed."""
    if text.isascii() and text.isprintable():
        return text.strip()
    return _SPACES.sub(" ", text.translate(_CONTROLS)).strip()


def _keeps_full_stop(text: str) -> bool:
    if text.endswith("..."):
        return True
    body = text[:-1]
    start = max(body.rfind(" "), body.rfind("("), body.rfind("["), body.rfind("\t")) + 1
    word = body[start:].casefold()
    if not word:
        return False
    if len(word) == 1 and word.isalpha():  # an initial: "Darwin, C."
        return True
    return "." in word or word in _ABBREVIATIONS  # "U.S.A.", "n.d."; "ed.", "Aufl."


def trim_isbd(text: str) -> str:
    """Drop the punctuation ISBD puts before the next element: "Title /" → "Title",
    "London :" → "London", "Darwin, Charles," → "Darwin, Charles", "1859." → "1859", but
    "2nd ed." and "Smith, J." keep their full stop."""
    text = clean(text)
    while text:
        last = text[-1]
        ends_element = last in ",+" or (
            last in _ISBD_MARKS and len(text) > 1 and text[-2].isspace()
        )
        if not ends_element and (last != "." or _keeps_full_stop(text)):
            return text
        text = text[:-1].rstrip()
    return text


def split_nonsort(text: str) -> tuple[str, str]:
    """("The ", "The origin of species") from "\\x88The \\x89origin of species": the marked
    leading article and the text with the marks removed; ("", text) when nothing is marked."""
    start = next((i for i, c in enumerate(text) if c in NONSORT_START), -1)
    if start < 0:
        return "", text
    end = next((i for i in range(start + 1, len(text)) if text[i] in NONSORT_END), -1)
    if end < 0:
        return "", text.replace(text[start], "")
    nonsort = text[start + 1 : end] if not text[:start].strip() else ""
    return nonsort, text[:start] + text[start + 1 : end] + text[end + 1 :]


def unique(items: Iterable[str]) -> tuple[str, ...]:
    """Non-empty items once each, first occurrence kept."""
    return tuple(dict.fromkeys(i for i in items if i))


def unique_names(names: Iterable[Name | None]) -> tuple[Name, ...]:
    """Each name once per role, the first reading kept; None (a field with no name) skipped."""
    found: dict[tuple[str, str], Name] = {}
    for name in names:
        if name is not None:
            found.setdefault((name.name, name.role), name)
    return tuple(found.values())


def join_nonempty(parts: list[str] | tuple[str, ...], sep: str = " ") -> str:
    return sep.join(p for p in parts if p)


_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")


def year_from(text: str) -> int | None:
    """The first plausible year in a date as catalogues write it: "c1999.", "[1859?]",
    "MDCCCLIX [1859]", "2019, ©2018" → 1999, 1859, 1859, 2019; "19--" → None."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


# MARC relator codes (and UNIMARC's numeric ones) to the roles Polycat shows
_RELATOR_CODES = {
    "aut": "author", "cre": "author", "070": "author", "edt": "editor", "edc": "editor",
    "red": "editor", "340": "editor", "trl": "translator", "730": "translator",
    "ill": "illustrator", "440": "illustrator", "com": "compiler", "220": "compiler",
    "ctb": "contributor", "205": "contributor", "cmp": "composer", "230": "composer",
    "aui": "contributor", "080": "contributor", "aft": "contributor", "075": "contributor",
    "ths": "thesis advisor", "727": "thesis advisor", "dgs": "thesis advisor",
    "pht": "photographer", "600": "photographer", "prf": "performer", "590": "performer",
    "cnd": "conductor", "250": "conductor", "ann": "annotator", "020": "annotator",
    "pbl": "publisher", "650": "publisher", "dgg": "degree granting institution",
    "295": "degree granting institution", "orm": "organizer", "557": "organizer",
    "hnr": "honoree", "isb": "issuing body", "ive": "interviewee", "ivr": "interviewer",
    "lyr": "lyricist", "520": "lyricist", "nrt": "narrator", "drt": "director",
    "pro": "producer", "ctg": "cartographer", "180": "cartographer", "adp": "adapter",
    "010": "adapter", "ed": "editor",
}
# Relator terms as catalogues spell them ($e), lower case without final punctuation
_RELATOR_TERMS = {
    "author": "author", "joint author": "author", "auteur": "author", "verfasser": "author",
    "verfasserin": "author", "verf": "author", "writer": "author", "creator": "author",
    "editor": "editor", "ed": "editor", "eds": "editor", "joint ed": "editor",
    "joint editor": "editor", "editor of compilation": "editor", "herausgeber": "editor",
    "herausgeberin": "editor", "hrsg": "editor", "hg": "editor", "éditeur scientifique": "editor",
    "éd": "editor", "dir": "editor", "redakteur": "editor", "translator": "translator",
    "tr": "translator", "trans": "translator", "transl": "translator",
    "übersetzer": "translator", "übersetzerin": "translator", "übers": "translator",
    "traducteur": "translator", "trad": "translator", "illustrator": "illustrator",
    "ill": "illustrator", "illus": "illustrator", "illustrateur": "illustrator",
    "compiler": "compiler", "comp": "compiler", "contributor": "contributor",
    "composer": "composer", "thesis advisor": "thesis advisor",
    "degree supervisor": "thesis advisor", "photographer": "photographer",
    "performer": "performer", "conductor": "conductor",
    "author of introduction": "contributor", "writer of introduction": "contributor",
    "author of introduction, etc": "contributor", "writer of added text": "contributor",
}


def role_from_relator(value: str) -> str:
    """"edt", "340", "editor.", "Hrsg." → "editor"; an unknown term comes back as written."""
    key = value.strip().strip(".,;:()[] ").casefold()
    if not key:
        return ""
    return _RELATOR_CODES.get(key) or _RELATOR_TERMS.get(key) or key


# Language names SUTRS and Dublin Core records print, to MARC (ISO 639-2/B) codes
_LANGUAGE_NAMES = {
    "english": "eng", "german": "ger", "deutsch": "ger", "french": "fre", "français": "fre",
    "spanish": "spa", "italian": "ita", "russian": "rus", "chinese": "chi", "japanese": "jpn",
    "latin": "lat", "dutch": "dut", "portuguese": "por", "swedish": "swe", "danish": "dan",
    "norwegian": "nor", "finnish": "fin", "polish": "pol", "czech": "cze", "hungarian": "hun",
    "greek": "gre", "greek, modern (1453- )": "gre", "greek, ancient (to 1453)": "grc",
    "hebrew": "heb", "arabic": "ara", "turkish": "tur", "korean": "kor", "welsh": "wel",
    "irish": "gle", "icelandic": "ice", "ukrainian": "ukr", "hindi": "hin", "persian": "per",
    "catalan": "cat", "romanian": "rum", "croatian": "hrv", "serbian": "srp", "slovak": "slo",
    "slovenian": "slv", "bulgarian": "bul", "multiple languages": "mul", "undetermined": "und",
}
# ISO 639-1 two-letter codes (Dublin Core, MODS rfc3066) to MARC codes
_LANGUAGE_ALPHA2 = {
    "en": "eng", "de": "ger", "fr": "fre", "es": "spa", "it": "ita", "ru": "rus", "zh": "chi",
    "ja": "jpn", "la": "lat", "nl": "dut", "pt": "por", "sv": "swe", "da": "dan", "no": "nor",
    "fi": "fin", "pl": "pol", "cs": "cze", "hu": "hun", "el": "gre", "he": "heb", "ar": "ara",
    "tr": "tur", "ko": "kor", "cy": "wel", "ga": "gle", "is": "ice", "uk": "ukr", "hi": "hin",
    "fa": "per", "ca": "cat", "ro": "rum", "hr": "hrv", "sr": "srp", "sk": "slo", "sl": "slv",
    "bg": "bul",
}
# ISO 639-2/T codes some XML records use, to the /B codes MARC records use
_LANGUAGE_TERMINOLOGIC = {
    "deu": "ger", "fra": "fre", "zho": "chi", "nld": "dut", "ces": "cze", "ell": "gre",
    "cym": "wel", "isl": "ice", "fas": "per", "ron": "rum", "slk": "slo", "sqi": "alb",
    "hye": "arm", "eus": "baq", "mya": "bur", "kat": "geo", "mkd": "mac", "msa": "may",
    "mri": "mao", "bod": "tib",
}


def language_code(value: str) -> str:
    """A MARC language code for "eng", "English", "en", "en-GB" or "deu"; "" when unknown."""
    key = value.strip().strip(".;,").casefold()
    if not key:
        return ""
    if key in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[key]
    base = key.split("-", 1)[0].split("_", 1)[0]
    if len(base) == 2:
        return _LANGUAGE_ALPHA2.get(base, "")
    if len(base) == 3 and base.isalpha():
        return _LANGUAGE_TERMINOLOGIC.get(base, base)
    return ""


class RelatedParts(NamedTuple):
    volume: str = ""
    issue: str = ""
    pages: str = ""
    year: int | None = None


_NUMBER = r"(\d+[a-z]?(?:\s?[/-]\s?\d+[a-z]?)?)"
_VOLUME = re.compile(
    r"(?<![\w.])(?:vol(?:ume)?|v|bd|band|jg|jahrg(?:ang)?|t|tome?|tom|année|anno|årg)\.?\s*"
    + _NUMBER,
    re.IGNORECASE,
)
_ISSUE = re.compile(
    r"(?<![\w.])(?:nos?|nr|n[°º]|núm|num(?:ber|éro)?|issue|iss|heft|h|hft|fasc(?:icule)?|cahier"
    r"|livr|quad|pt|part)\.?\s*" + _NUMBER,
    re.IGNORECASE,
)
_PAGES = re.compile(
    r"(?<![\w.])(?:pp?|s|pages?|seiten?|bl)\.?\s*([a-z]?\d+(?:\s*[-–—]\s*[a-z]?\d+)?)",
    re.IGNORECASE,
)
_SICI = re.compile(r"^\s*(\d+)(?::(\d+))?(?::\d+)*\s*<\s*(\d+)")  # 773 $q "70:14<425"
_COMPACT = re.compile(  # "70(14), 425-431", "12 (3): 45-67"
    r"^\s*(\d+)\s*\(([^)]+)\)\s*[,:]\s*(\d+(?:\s*[-–—]\s*\d+)?)"
)
_PAGES_AFTER_COLON = re.compile(r"\)\s*[:,]\s*(\d+(?:\s*[-–—]\s*\d+)?)\s*\.?\s*$")
_PAREN_YEAR = re.compile(r"\(([^()]*)\)")


def _pages(text: str) -> str:
    return re.sub(r"\s*[-–—]\s*", "-", text.strip())


def parse_related_parts(text: str) -> RelatedParts:
    """Volume, issue, pages and year from a host-item citation as catalogues write it:
    "Vol. 70, No. 14 (2019), p. 425-431", "Bd. 12, H. 3 (2001), S. 45-67", "70:14<425",
    "70(14), 425-431"."""
    text = clean(text)
    if not text:
        return RelatedParts()
    year = None
    for group in _PAREN_YEAR.findall(text):
        year = year_from(group)
        if year:
            break
    sici = _SICI.match(text)
    if sici:
        return RelatedParts(sici.group(1), sici.group(2) or "", sici.group(3), year)
    compact = _COMPACT.match(text)
    if compact:
        issue = compact.group(2) if not year_from(compact.group(2)) else ""
        return RelatedParts(compact.group(1), issue, _pages(compact.group(3)), year)
    volume = _VOLUME.search(text)
    issue = _ISSUE.search(text)
    pages = _PAGES.search(text) or _PAGES_AFTER_COLON.search(text)
    if year is None and not (volume or issue):
        year = year_from(text)
    return RelatedParts(
        volume.group(1).replace(" ", "") if volume else "",
        issue.group(1).replace(" ", "") if issue else "",
        _pages(pages.group(1)) if pages else "",
        year,
    )


# What cataloguers write when a place or publisher is unknown: better shown as nothing
_UNKNOWN_IMPRINT = frozenset(
    s.casefold()
    for s in (
        "s.l.", "s.l", "sine loco", "place of publication not identified", "o.o.", "o. o.",
        "erscheinungsort nicht ermittelbar", "s.n.", "s.n", "sine nomine",
        "publisher not identified", "verlag nicht ermittelbar", "[s.n.]", "[s.l.]", "n.p.",
        "lieu de publication non identifié", "éditeur non identifié", "s.n.t.",
    )
)


def imprint_part(text: str) -> str:
    """A place or publisher as a citation shows it: ISBD punctuation and the brackets of
    supplied information gone, "[S.l.]" and "s.n." (unknown) as ""."""
    text = trim_isbd(text)
    if text.startswith("[") and text.endswith("]") and text.count("[") == 1:
        text = text[1:-1].strip()
    elif text.startswith("[") and "]" not in text:
        text = text[1:].strip()
    elif text.endswith("]") and "[" not in text:
        text = text[:-1].strip()
    text = trim_isbd(text)
    return "" if text.casefold() in _UNKNOWN_IMPRINT else text


_NAME_DATES = re.compile(
    r",?\s*\(?((?:b\.|d\.|fl\.|ca\.|geb\.|gest\.)?\s*\d{3,4}\??\s*-?\s*(?:\d{3,4}\??)?)\)?\.?$"
)
_CORPORATE_WORDS = re.compile(
    r"\b(?:university|universität|université|universidad|society|institut[e]?|association|"
    r"council|department|library|bibliothek|press|committee|commission|inc|ltd|company|"
    r"corporation|office|ministry|museum|academy|akademie|verein|gesellschaft|congress|"
    r"conference|symposium|workshop|foundation|stiftung|agency|organi[sz]ation|group|"
    r"centre|center|school|college|bureau|board|government|coalition|consortium|trust|"
    r"network|alliance|federation|union|services?|project|partnership|archives?|bank|"
    r"friends of|institution|laboratory|observatory|church|parliament|senate|court|"
    r"unesco|nato|verlag|gmbh|s\.a\.|editions|éditions|publishers?)\b",
    re.IGNORECASE,
)


def personal_name(text: str) -> tuple[str, str]:
    """("Darwin, Charles", "1809-1882") from "Darwin, Charles, 1809-1882." or "Charles Darwin":
    names are turned to "Surname, Forenames" so that every reader gives the same form."""
    text = trim_isbd(text)
    dates = ""
    match = _NAME_DATES.search(text)
    if match and match.start() > 0:
        dates = match.group(1).strip()
        text = trim_isbd(text[: match.start()])
    words = text.split()
    if "," in text or len(words) < 2 or re.fullmatch(r"[IVXLC]+\.?", words[-1]):
        return text, dates  # already inverted, one word, or a ruler: "Elizabeth II"
    if words[-1].rstrip(".").casefold() in ("jr", "sr") and len(words) >= 3:
        return f"{words[-2]}, {' '.join(words[:-2])}, {words[-1]}", dates
    return f"{words[-1]}, {' '.join(words[:-1])}", dates


def looks_corporate(text: str) -> bool:
    """True for "University of Oxford", "Royal Society"; False for "Darwin, Charles"."""
    return bool(_CORPORATE_WORDS.search(text))
