"""Relevance and the sort orders of the merged list.

Relevance of an entry to the query's terms (each term a string of one or more words; a word
ending in ``?``, ``*`` or ``#`` is truncated, as in Z39.50 searches): a term scores
``TITLE_WEIGHT`` when all its words are in the title (title, part, subtitle), ``AUTHOR_WEIGHT``
when they are in the names, ``SUBJECT_WEIGHT`` in the subjects, each field counting once per
term. A title equal to the whole query earns ``EXACT_TITLE_BONUS``. Each catalogue holding the
entry adds ``HELD_WEIGHT``: agreement between catalogues hints at the standard edition but
never outweighs a title match. Words are compared casefolded and without diacritics; a CJK word
(written without spaces) matches anywhere inside the field.

Sorting is stable, so equal entries keep the order in which they arrived; entries without the
sort value (no year, no author) come last whichever the direction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from app.errors import PolycatError
from app.search.merge import MergedRecord
from app.search.normalise import fold, without_article, words

__all__ = [
    "AUTHOR_WEIGHT",
    "EXACT_TITLE_BONUS",
    "HELD_WEIGHT",
    "SUBJECT_WEIGHT",
    "TITLE_WEIGHT",
    "Ranker",
    "SortBy",
    "UnknownSort",
    "author_sort_key",
    "relevance",
    "sort_entries",
    "title_sort_key",
    "year_sort_key",
]

TITLE_WEIGHT = 4.0
AUTHOR_WEIGHT = 2.0
SUBJECT_WEIGHT = 1.0
HELD_WEIGHT = 0.5
EXACT_TITLE_BONUS = 2.0

SortBy = Literal["relevance", "year", "title", "author"]


class UnknownSort(PolycatError, ValueError):
    """A sort order was asked for that the merged list does not have."""


_TRUNCATION = "?*#"


def _is_cjk(word: str) -> bool:
    return any(ord(c) >= 0x2E80 for c in word)


class _Field:
    """One searchable field of an entry: its words and its folded text."""

    __slots__ = ("text", "words")

    def __init__(self, texts: Iterable[str]) -> None:
        found: list[str] = []
        for text in texts:
            found.extend(words(text))
        self.words = frozenset(found)
        self.text = " ".join(found)

    def has(self, word: str, truncated: bool) -> bool:
        if truncated:
            return any(w.startswith(word) for w in self.words)
        return word in self.words or (_is_cjk(word) and word in self.text)


def _fields(entry: MergedRecord) -> tuple[_Field, _Field, _Field, str]:
    """An entry's searchable words: title, names, subjects, and the title to compare whole."""
    return (
        _Field((entry.title, entry.part, entry.subtitle)),
        _Field(n.name for n in entry.names),
        _Field(entry.subjects),
        fold(without_article(entry.title, entry.nonsort)),
    )


class Ranker:
    """Scores entries against one query (an entry's words are worked out once per version)."""

    __slots__ = ("_query", "_terms")

    def __init__(self, terms: Sequence[str]) -> None:
        self._terms: list[list[tuple[str, bool]]] = []
        for term in terms:
            parsed = []
            for raw in term.split():
                word = fold(raw)
                if word:
                    parsed.append((word, raw[-1] in _TRUNCATION))
            if parsed:
                self._terms.append(parsed)
        self._query = fold(" ".join(terms))

    def score(self, entry: MergedRecord) -> float:
        score = HELD_WEIGHT * len(entry.held_by)
        if not self._terms:
            return score
        title, names, subjects, exact = entry.memo("rank", _fields)
        for term in self._terms:
            for field, weight in (
                (title, TITLE_WEIGHT),
                (names, AUTHOR_WEIGHT),
                (subjects, SUBJECT_WEIGHT),
            ):
                if all(field.has(w, t) for w, t in term):
                    score += weight
        if exact and self._query in (exact, fold(entry.title)):
            score += EXACT_TITLE_BONUS
        return score


def relevance(entry: MergedRecord, terms: Sequence[str]) -> float:
    """The relevance of one entry (use a :class:`Ranker` for many)."""
    return Ranker(terms).score(entry)


def title_sort_key(entry: MergedRecord) -> str:
    """The title as a catalogue files it: no non-sort prefix, no diacritics, case folded."""
    return entry.memo("sort-title", _filing_title)


def _filing_title(entry: MergedRecord) -> str:
    title = without_article(entry.title, entry.nonsort)
    return " ".join(words(f"{title} {entry.part} {entry.subtitle}"))


def author_sort_key(entry: MergedRecord) -> str:
    """The first author's name folded ("" when there is none)."""
    return entry.memo("sort-author", _filing_author)


def _filing_author(entry: MergedRecord) -> str:
    return " ".join(words(entry.authors[0])) if entry.authors else ""


def year_sort_key(entry: MergedRecord) -> int | None:
    return entry.year


def sort_entries(
    entries: Iterable[MergedRecord],
    by: SortBy = "relevance",
    *,
    terms: Sequence[str] = (),
    descending: bool | None = None,
    ranker: Ranker | None = None,
) -> list[MergedRecord]:
    """The entries sorted by relevance (best first unless ``descending=False``), year, title
    or author (ascending unless ``descending=True``)."""
    items = list(entries)
    if by == "relevance":
        scorer = ranker or Ranker(terms)
        return sorted(items, key=scorer.score, reverse=descending is None or descending)
    desc = bool(descending)
    if by == "year":
        dated = [e for e in items if e.year is not None]
        dated.sort(key=_year, reverse=desc)
        return dated + [e for e in items if e.year is None]
    if by not in ("title", "author"):
        raise UnknownSort(
            f"Polycat cannot sort by {by!r}: choose relevance, year, title or author.",
            detail=f"sort_entries(by={by!r})",
        )
    text_key = title_sort_key if by == "title" else author_sort_key
    keyed = [(text_key(e), e) for e in items]
    present = [(k, e) for k, e in keyed if k]
    present.sort(key=lambda ke: ke[0], reverse=desc)
    return [e for _, e in present] + [e for k, e in keyed if not k]


def _year(entry: MergedRecord) -> int:
    return entry.year if entry.year is not None else 0
