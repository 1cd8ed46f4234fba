"""Facets over merged entries: counts by catalogue, year, decade, language, author, subject,
material, and filtering entries by the values a user ticked.

Within one facet the ticked values are alternatives (1859 OR 1860); across facets they all
apply (1859 AND English). An entry counts once under each of its values: an entry held by
three catalogues counts under each catalogue. Entries without a value (no year, no language)
are not counted under that facet.

:class:`FacetCounts` keeps the counts up to date as records arrive: it remembers what it
counted for each entry and its ``version``, so an update touches only the entries that changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from typing import Literal

from app.errors import PolycatError
from app.search.merge import MergeChange, MergedRecord, Merger
from app.search.normalise import fold

__all__ = [
    "FACETS",
    "Facet",
    "FacetCounts",
    "UnknownFacet",
    "count_facets",
    "entry_facets",
    "filter_entries",
    "matches",
]

Facet = Literal["catalogue", "year", "decade", "language", "author", "subject", "material"]
FACETS: tuple[Facet, ...] = (
    "catalogue",
    "year",
    "decade",
    "language",
    "author",
    "subject",
    "material",
)
# shown newest first rather than most frequent first
_BY_VALUE: frozenset[Facet] = frozenset({"year", "decade"})

FacetValues = dict[Facet, tuple[str, ...]]


class UnknownFacet(PolycatError, ValueError):
    """A filter named a facet that does not exist."""


def entry_facets(entry: MergedRecord) -> FacetValues:
    """The values ``entry`` has under each facet ("decade" reads "1850s"), worked out once
    per version of the entry."""
    return entry.memo("facets", _entry_facets)


def _entry_facets(entry: MergedRecord) -> FacetValues:
    year = entry.year
    languages: dict[str, None] = {}
    materials: dict[str, None] = {}
    for r in entry.records:
        if r.error is None:
            languages.update(dict.fromkeys(r.languages or ((r.language,) if r.language else ())))
            materials[r.material] = None
    return {
        "catalogue": entry.held_by,
        "year": (str(year),) if year is not None else (),
        "decade": (f"{year // 10 * 10}s",) if year is not None else (),
        "language": tuple(languages),
        "author": entry.authors,
        "subject": entry.subjects,
        "material": tuple(materials),
    }


def matches(entry: MergedRecord, selected: Mapping[Facet, Collection[str]]) -> bool:
    """True when ``entry`` has one of the selected values in every facet that has a selection."""
    if not any(selected.values()):
        return True
    values = entry_facets(entry)
    try:
        return all(
            not wanted or any(v in wanted for v in values[facet])
            for facet, wanted in selected.items()
        )
    except KeyError as exc:
        raise _unknown(str(exc.args[0]), selected) from None


def _unknown(name: str, selected: Mapping[Facet, Collection[str]]) -> UnknownFacet:
    return UnknownFacet(
        f"There is no facet {name!r} to narrow by; the facets are {', '.join(FACETS)}.",
        detail=f"selected={dict(selected)!r}",
    )


def filter_entries(
    entries: Iterable[MergedRecord], selected: Mapping[Facet, Collection[str]]
) -> list[MergedRecord]:
    """The entries that match every facet selection, in their given order."""
    unknown = set(selected) - set(FACETS)
    if unknown:
        raise _unknown(sorted(unknown)[0], selected)
    return [e for e in entries if matches(e, selected)]


def count_facets(entries: Iterable[MergedRecord]) -> dict[Facet, Counter[str]]:
    """Counts of entries per value, for every facet, computed afresh."""
    counts = FacetCounts()
    for entry in entries:
        counts.add(entry)
    return {facet: Counter(counts.counter(facet)) for facet in FACETS}


class FacetCounts:
    """Facet counts maintained incrementally as the merger reports changes."""

    __slots__ = ("_counted", "_counts")

    def __init__(self, entries: Iterable[MergedRecord] = ()) -> None:
        self._counts: dict[Facet, Counter[str]] = {facet: Counter() for facet in FACETS}
        # entry id -> (entry version, values counted for it)
        self._counted: dict[int, tuple[int, FacetValues]] = {}
        for entry in entries:
            self.add(entry)

    def __len__(self) -> int:
        """How many entries are counted."""
        return len(self._counted)

    def add(self, entry: MergedRecord) -> None:
        """Count ``entry``, or recount it when it changed since it was counted."""
        seen = self._counted.get(entry.id)
        if seen is not None:
            if seen[0] == entry.version:
                return
            self.remove(entry.id)
        values = entry_facets(entry)
        for facet, found in values.items():
            self._counts[facet].update(_distinct(found))
        self._counted[entry.id] = (entry.version, values)

    def remove(self, entry_id: int) -> None:
        """Stop counting an entry (one that was merged into another, say)."""
        seen = self._counted.pop(entry_id, None)
        if seen is None:
            return
        for facet, found in seen[1].items():
            counter = self._counts[facet]
            counter.subtract(_distinct(found))
            for value in _distinct(found):
                if counter[value] <= 0:
                    del counter[value]

    def update(self, merger: Merger, changes: Iterable[MergeChange]) -> None:
        """Apply what :meth:`Merger.add` reported; only the entries named are recounted."""
        touched: dict[int, None] = {}
        for change in changes:
            for gone in change.absorbed:
                self.remove(gone)
            touched[change.entry_id] = None
        for entry_id in touched:
            self.add(merger.get(entry_id))

    def refresh(self, entries: Iterable[MergedRecord]) -> None:
        """Bring the counts in line with ``entries`` (the live list), whatever happened."""
        live = set()
        for entry in entries:
            live.add(entry.id)
            self.add(entry)
        for gone in [i for i in self._counted if i not in live]:
            self.remove(gone)

    def counter(self, facet: Facet) -> Mapping[str, int]:
        return self._counts[facet]

    def counts(self, facet: Facet, limit: int | None = None) -> list[tuple[str, int]]:
        """(value, count) pairs as a facet list shows them: years newest first, the others most
        frequent first, then alphabetically ignoring case and diacritics."""
        items = list(self._counts[facet].items())
        if facet in _BY_VALUE:
            items.sort(key=lambda vc: int(vc[0].removesuffix("s")), reverse=True)
        else:
            items.sort(key=lambda vc: (-vc[1], fold(vc[0]), vc[0]))
        return items if limit is None else items[:limit]


def _distinct(values: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(values))
