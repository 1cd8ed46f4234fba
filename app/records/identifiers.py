"""ISBN, ISSN, LCCN and OCLC numbers: found in messy catalogue text, checked and normalised.

Every reader and the merge call these, so that "0-19-852663-6 (pbk.)" in one catalogue and
"9780198526636" in another become the same key. Check digits come from python-stdnum.
"""

from __future__ import annotations

import functools
import re
from typing import Literal, NamedTuple

from stdnum import ean as stdnum_ean
from stdnum import isbn as stdnum_isbn
from stdnum import issn as stdnum_issn
from stdnum.exceptions import ValidationError

from app.records.model import Isbn, Issn

IssnKind = Literal["issn", "linking", "incorrect", "cancelled"]

__all__ = [
    "Identifiers",
    "IssnKind",
    "find_isbns",
    "find_issns",
    "normalize_isbn",
    "normalize_issn",
    "normalize_lccn",
    "normalize_oclc",
    "parse_isbn",
    "parse_issn",
    "sort_identifiers",
]

# "ISBN", "ISBN-13:", "isbn10" labels some catalogues leave in front of the number
_ISBN_LABEL = re.compile(r"^\s*(?:ISBN|SBN)(?:[- ]?1[03])?\s*:?\s*", re.IGNORECASE)
# the number itself: digits (and a final X) with the hyphens and blanks printed in it
_ISBN_RUN = re.compile(r"^[\dXx](?:[\d -]*[\dXx])?")
_ISBN_SEPARATORS = re.compile(r"[ -]")
_BLANKS = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_PAREN = re.compile(r"\(([^)]*)\)")
# a price or a binding after the number: ": £20.00", "DM 48.00", "alk. paper"
_PRICE = re.compile(r"^(?:[:;]\s*)?(?:[£$€¥]|(?:DM|EUR|USD|GBP|Rs|Fr|sfr|Kč)\b)", re.IGNORECASE)
_ISSN = re.compile(r"(?<![\dXx])(\d{4})\s?[-‐‑–]?\s?(\d{3}[\dXx])(?![\dXx])")
_OCLC_PREFIX = re.compile(r"^\s*(?:\(OCoLC\))?\s*(?:ocm|ocn|on)?\s*", re.IGNORECASE)


def _isbn_digits(text: str) -> tuple[str, str]:
    """Split "0-19-852663-6 (pbk.)" into ("0198526636", "(pbk.)")."""
    if text.isdigit():  # most 020 $a in records with $q
        return text, ""
    text = _ISBN_LABEL.sub("", text)
    match = _ISBN_RUN.match(text.strip())
    if not match:
        return "", text.strip()
    number = match.group(0)
    rest = text.strip()[len(number) :].strip()
    return _ISBN_SEPARATORS.sub("", number).upper(), rest


def _qualifier_from(rest: str) -> str:
    """What the rest of an 020 $a says about the copy: "(pbk.)" → "pbk.", prices dropped."""
    parens = [p.strip() for p in _PAREN.findall(rest) if p.strip()]
    if parens:
        return "; ".join(parens)
    rest = rest.strip(" :;,")
    if not rest or _PRICE.match(rest):
        return ""
    return rest


def parse_isbn(raw: str, *, qualifier: str = "", cancelled: bool = False) -> Isbn | None:
    """Read one ISBN as a catalogue wrote it; None when the text holds no number at all.

    ``value`` is the ISBN-13 (digits only) when the check digit is right, else the digits as
    found. A ``qualifier`` given separately (020 $q) wins over one in parentheses.
    """
    digits, rest = _isbn_digits(raw)
    if not digits:
        return None
    qualifier = qualifier.strip(" :;,/").strip("()").strip() or _qualifier_from(rest)
    value, valid = _checked(digits)
    return Isbn(value, raw.strip(), valid, qualifier=qualifier, cancelled=cancelled)


@functools.lru_cache(maxsize=65_536)  # one search brings the same ISBN from many catalogues
def _checked(digits: str) -> tuple[str, bool]:
    """(ISBN-13, True) for a valid ISBN-10 or ISBN-13, else (the digits, False)."""
    if len(digits) == 13 and digits.isdigit():
        # bare digits already: stdnum's EAN check digit alone, not validate()'s cleaning
        # twice over (a fifth of reading a record)
        valid = digits[:3] in ("978", "979") and stdnum_ean.calc_check_digit(digits[:12]) == (
            digits[12]
        )
        return digits, valid
    try:
        return stdnum_isbn.validate(digits, convert=True), True
    except ValidationError:
        return digits, False


def normalize_isbn(text: str) -> str | None:
    """The ISBN-13 (digits only) of an ISBN-10 or ISBN-13 in ``text``, or None if invalid."""
    found = parse_isbn(text)
    return found.value if found and found.valid else None


def find_isbns(text: str, *, cancelled: bool = False) -> list[Isbn]:
    """Every ISBN in a free-text list: "0198526636 (pbk.); 978-0-19-852663-6 : £20.00"."""
    found = []
    for part in re.split(r"\s*[;,]\s*|\s{2,}|\s+(?=(?:ISBN|97[89])\b)", text):
        if not re.search(r"\d", part):
            continue
        parsed = parse_isbn(part, cancelled=cancelled)
        if parsed is not None and len(parsed.value) >= 9:
            found.append(parsed)
    return found


def parse_issn(raw: str, kind: IssnKind = "issn") -> Issn | None:
    """Read one ISSN; ``value`` is "1234-5679" when valid, else the characters as found."""
    match = _ISSN.search(raw)
    if not match:
        digits = re.sub(r"[^\dXx]", "", raw).upper()
        if not digits:
            return None
        return Issn(value=digits, raw=raw.strip(), valid=False, kind=kind)
    number = (match.group(1) + match.group(2)).upper()
    valid = stdnum_issn.is_valid(number)
    value = f"{number[:4]}-{number[4:]}"
    return Issn(value=value, raw=raw.strip(), valid=valid, kind=kind)


def normalize_issn(text: str) -> str | None:
    """"1234-5679" for a valid ISSN anywhere in ``text``, else None."""
    found = parse_issn(text)
    return found.value if found and found.valid else None


def find_issns(text: str) -> list[Issn]:
    """Every ISSN in a free-text list ("ISSN: 0028-0836; 1476-4687")."""
    return [i for m in _ISSN.finditer(text) if (i := parse_issn(m.group(0))) is not None]


def normalize_lccn(text: str) -> str:
    """Normalise an LCCN the Library of Congress way: "85-2 " → "85000002", "n 78-89035" →
    "n78089035". Blanks go, anything after a slash goes, the serial after a hyphen is padded
    to six digits."""
    lccn = _BLANKS.sub("", text).split("/", 1)[0]
    if "-" in lccn:
        prefix, _, serial = lccn.partition("-")
        if serial.isdigit() and len(serial) <= 6:
            serial = serial.zfill(6)
        lccn = prefix + serial
    return lccn


def normalize_oclc(text: str) -> str | None:
    """The digits of an OCLC number without leading zeros: "(OCoLC)ocm00012345" → "12345"."""
    rest = _OCLC_PREFIX.sub("", text, count=1).strip()
    match = _DIGITS.match(rest)
    if not match or match.end() != len(rest.rstrip(" .")):
        return None
    digits = match.group(0).lstrip("0")
    return digits or None


class Identifiers(NamedTuple):
    """Identifiers sorted out of free text (Dublin Core identifier, SUTRS "Standard No")."""

    isbns: list[Isbn]
    issns: list[Issn]
    lccns: list[str]
    oclc_numbers: list[str]
    urls: list[str]
    other: list[tuple[str, str]]  # (kind, value): ("doi", "10.1000/1"), ("", "X123")


_LABELLED = re.compile(
    r"^\s*(?:urn:|info:)?(isbn|issn|lccn|oclcnum|oclc number|oclc|ocolc|doi|"
    r"lc control number|accession no)\s*[:/]?\s*(.*)$",
    re.IGNORECASE,
)


def sort_identifiers(values: list[str]) -> Identifiers:
    """Tell ISBNs, ISSNs, LCCNs, OCLC numbers and links apart in values such as
    "ISBN 0198526636", "urn:ISBN:978...", "info:oclcnum/12345", "(OCoLC)12345", "LCCN: 85-2",
    "https://...", "0028-0836"; several may share one value, separated by ";"."""
    found = Identifiers([], [], [], [], [], [])
    for value in values:
        for part in value.split(";"):
            _sort_one(part.strip(), found)
    return found


def _sort_one(text: str, found: Identifiers) -> None:
    if not text:
        return
    if re.match(r"(?:https?|ftp)://", text, re.IGNORECASE):
        found.urls.append(text)
        return
    match = _LABELLED.match(text)
    label, rest = (match.group(1).casefold(), match.group(2)) if match else ("", text)
    if label == "isbn":
        found.isbns.extend(find_isbns(rest))
    elif label == "issn":
        found.issns.extend(find_issns(rest))
    elif label in ("lccn", "lc control number"):
        found.lccns.append(normalize_lccn(rest))
    elif label in ("oclc", "oclcnum", "ocolc", "oclc number", "accession no"):
        number = normalize_oclc(re.sub(r"^\s*oclc\s*:?\s*", "", rest, flags=re.IGNORECASE))
        if number:
            found.oclc_numbers.append(number)
    elif label == "doi" or re.match(r"10\.\d{4,}/", text):
        found.other.append(("doi", rest if label else text))
    elif text.casefold().startswith("(ocolc)"):
        number = normalize_oclc(text)
        if number:
            found.oclc_numbers.append(number)
    elif (isbn := parse_isbn(text)) is not None and isbn.valid:
        found.isbns.append(isbn)
    elif re.fullmatch(r"\d{4}-\d{3}[\dXx]", text) and (issn := parse_issn(text)) is not None:
        found.issns.append(issn)
    else:
        found.other.append(("", text))
