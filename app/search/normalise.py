"""Text folded for matching, shared by merge, ranking and facets: case, diacritics and
punctuation gone ("Über die Größe" -> "uberdiegrosse"), leading articles dropped, edition
statements reduced to their number."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["edition_key", "fold", "title_key", "without_article", "words"]

_NON_ALNUM = re.compile(r"[\W_]+")


class _FoldTable(dict[int, str]):
    """str.translate table, filled as characters are met: Latin and Greek letters lose their
    diacritics ("é" -> "e"), other scripts keep theirs (Cyrillic "й", Japanese "で" are letters
    of their own), compatibility forms become plain ("ﬁ" -> "fi", full-width "Ａ" -> "A")."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        decomposed = unicodedata.normalize("NFKD", char)
        if decomposed and decomposed[0] < "\u0400":
            value = "".join(c for c in decomposed if not unicodedata.combining(c))
        else:
            value = unicodedata.normalize("NFKC", char)
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


def _plain(text: str) -> str:
    text = text.casefold()
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text).translate(_FOLD_TABLE)


# ASCII text, the common case, is folded in one bytes.translate pass (a tenth of the time).
_ASCII_ALNUM = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
_ASCII_NOT_ALNUM = bytes(c for c in range(128) if c not in _ASCII_ALNUM)
_ASCII_SPACED = bytes(c if c in _ASCII_ALNUM else 32 for c in _ASCII_LOWER[:128]) + bytes(128)


def fold(text: str) -> str:
    """Casefolded, no diacritics, punctuation or spaces: "Über die Größe" -> "uberdiegrosse"."""
    if text.isascii():
        return text.encode().translate(_ASCII_LOWER, _ASCII_NOT_ALNUM).decode()
    return _NON_ALNUM.sub("", _plain(text))


def words(text: str) -> list[str]:
    """The words of ``text`` folded like :func:`fold`: "Darwin, C." -> ["darwin", "c"]."""
    if text.isascii():
        return text.encode().translate(_ASCII_SPACED).decode().split()
    return _NON_ALNUM.sub(" ", _plain(text)).split()


# Leading articles dropped when the record does not mark a non-sort prefix itself.
_ARTICLES = frozenset({
    "the", "a", "an", "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem",
    "einer", "eines", "le", "la", "les", "un", "une", "el", "los", "las", "lo", "il", "gli", "uno",
    "una", "het", "een",
})  # fmt: skip
_ELIDED_ARTICLE = re.compile(r"^(?:l|un|gl)['’]\s*", re.IGNORECASE)
# ISBD punctuation after the title proper, for readers that leave a subtitle in ``title``.
_TITLE_PROPER_END = re.compile(r"\s[:/=;]\s")


def without_article(title: str, nonsort: str = "") -> str:
    """``title`` without its non-sort prefix, or without a leading article if none is marked."""
    if nonsort and title.startswith(nonsort):
        return title[len(nonsort) :]
    title = title.lstrip()
    if "'" in title[:4] or "’" in title[:4]:
        title = _ELIDED_ARTICLE.sub("", title)
    first, _, rest = title.partition(" ")
    return rest if rest and first.casefold() in _ARTICLES else title


def title_key(title: str, nonsort: str = "", part: str = "") -> str:
    """The title proper for matching: non-sort prefix or leading article and punctuation gone."""
    title = without_article(title, nonsort)
    cut = _TITLE_PROPER_END.search(title)
    if cut:
        title = title[: cut.start()]
    return fold(f"{title} {part}")


_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
    "erste": 1, "zweite": 2, "dritte": 3, "vierte": 4, "funfte": 5, "sechste": 6,
    "siebte": 7, "achte": 8, "neunte": 9, "zehnte": 10,
    "premiere": 1, "premier": 1, "deuxieme": 2, "seconde": 2, "troisieme": 3, "quatrieme": 4,
    "cinquieme": 5, "primera": 1, "segunda": 2, "tercera": 3, "cuarta": 4, "quinta": 5,
    "prima": 1, "seconda": 2, "terza": 3, "quarta": 4,
}  # fmt: skip
_EDITION_WORDS = frozenset({
    "ed", "edn", "edition", "editions", "aufl", "auflage", "ausg", "ausgabe", "edicion",
    "edizione", "editie", "druk", "uitgave", "impr", "impression",
})  # fmt: skip
_NUMBER = re.compile(r"\d+")


def edition_key(edition: str) -> str:
    """The edition number when there is one ("2nd ed.", "2. Aufl.", "Second edition" -> "2").

    A first edition counts as no statement, because many catalogues do not record it.
    Without a number the remaining words, minus the word "edition" itself, are the key.
    """
    if not edition:
        return ""
    number = _NUMBER.search(edition)
    found: int | None = int(number.group()) if number else None
    parts = words(edition)
    if found is None:
        for w in parts:
            found = _ORDINALS.get(w) or _ORDINALS.get(w.rstrip("nrs"))
            if found:
                break
    if found is not None:
        return "" if found == 1 else str(found)
    return "".join(w for w in parts if w not in _EDITION_WORDS)
