"""Citation keys (BibTeX keys, CSL-JSON ids): ``surname + year + first significant title word``.

Rule: the first author's surname (else the first editor's, else "anon"), the year (else "nd"),
and the first word of the title that is not a leading article or small word; each part folded
to lowercase ASCII letters and digits (diacritics dropped, Cyrillic and Greek transliterated;
a script with no Latin spelling, such as CJK, contributes nothing). A corporate name gives its
first significant word. Keys that clash get a, b, c ... in input order, so the same records
in the same order always get the same keys, and a later record never renames an earlier one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from app.records.model import BibRecord, Name

# letters NFKD does not take apart
_LATIN = {"ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ð": "d",
          "œ": "oe", "ı": "i", "ħ": "h", "ŋ": "ng", "ſ": "s"}  # fmt: skip
# Russian/Ukrainian/Belarusian/Bulgarian/Serbian letters, simplified scholarly transliteration
_CYRILLIC = dict(zip(
    "абвгдежзийклмнопрстуфхцчшщъыьэюяёєіїґўђјљњћџ",
    ["a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
     "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia", "e",
     "ie", "i", "i", "g", "u", "dj", "j", "lj", "nj", "c", "dz"],
    strict=True,
))  # fmt: skip
_GREEK = dict(zip(
    "αβγδεζηθικλμνξοπρσςτυφχψω",
    ["a", "b", "g", "d", "e", "z", "e", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r",
     "s", "s", "t", "y", "ph", "ch", "ps", "o"],
    strict=True,
))  # fmt: skip
_FOLD = _LATIN | _CYRILLIC | _GREEK

# leading words a key skips: articles and small words in the languages catalogues serve most
_SMALL_WORDS = frozenset({
    "a", "an", "the", "of", "on", "in", "and", "for", "to", "at", "by", "with", "from", "der",
    "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem", "einen", "und",
    "zur", "zum", "le", "la", "les", "l", "un", "une", "du", "de", "d", "et", "au", "aux", "el",
    "los", "las", "lo", "y", "del", "al", "uno", "una", "il", "gli", "i", "dei", "delle", "het",
    "een", "o", "os", "as", "um", "uma", "en", "ett", "och",
})  # fmt: skip


def ascii_fold(text: str) -> str:
    """Lowercase ASCII letters and digits only: "Müller-Łukasz" -> "mullerlukasz"."""
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", text.lower()):
        if char.isascii():
            if char.isalnum():
                out.append(char)
        elif char in _FOLD:
            out.append(_FOLD[char])
    return "".join(out)


def _words(text: str) -> list[str]:
    folded = (ascii_fold(w) for w in re.split(r"[\W_]+", text))
    return [w for w in folded if w]


def _name_part(name: Name) -> str:
    if name.kind == "personal":
        return ascii_fold(name.surname)
    words = _words(name.name)
    significant = [w for w in words if w not in _SMALL_WORDS]
    return (significant or words or [""])[0]


def _title_word(record: BibRecord) -> str:
    title = record.title
    if record.nonsort and title.startswith(record.nonsort):
        title = title[len(record.nonsort) :]
    for word in _words(title or record.subtitle):
        if word not in _SMALL_WORDS:
            return word
    return ""


def base_key(record: BibRecord) -> str:
    """The key before clash suffixes: "darwin1859origin", "anonnd", "who2008world"."""
    people = record.authors or record.editors
    surname = next((part for part in map(_name_part, people) if part), "") or "anon"
    year = str(record.year) if record.year is not None else "nd"
    return f"{surname}{year}{_title_word(record)}"


def _suffix(n: int) -> str:
    """1 -> "a", 26 -> "z", 27 -> "aa" ..."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def citation_keys(records: Sequence[BibRecord]) -> list[str]:
    """One unique key per record, in order; the first of a clash keeps the bare key."""
    used: set[str] = set()
    last_suffix: dict[str, int] = {}  # per base key, so 10,000 clashes stay linear
    keys: list[str] = []
    for record in records:
        base = key = base_key(record)
        n = last_suffix.get(base, 0)
        while key in used:
            n += 1
            key = base + _suffix(n)
        last_suffix[base] = n
        used.add(key)
        keys.append(key)
    return keys
