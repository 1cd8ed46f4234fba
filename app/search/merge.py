"""Merge records from many catalogues into entries, and say why each entry was merged.

A record *publishes* link keys (``link_keys``: ISBN, ISSN, OCLC number, LCCN, or title,
author, year and edition when it has none of them); records that publish the same key are one
entry (union-find over entries, one index from key to entry, so merging ``n`` records is
O(n)). The grouping does not depend on the order in which catalogues answer.

Entry ids are 1, 2, 3... in creation order and never change. When a record joins several
entries, the **oldest** (smallest id) survives and the others are retired into it; the
:class:`MergeChange` names both, and :meth:`Merger.get` follows a retired id to its survivor.

What an entry shows is chosen field by field from its sources ranked by the export's "best"
rule (:func:`app.export.choose.completeness`: filled fields, MARC preferred, ties to the
earliest arrival), so ``best`` is also the record "export best" writes. Each field comes from
the first ranked source that has it, and ``field_sources`` names that source.
Everything shown is computed when first asked for and cached until the entry changes.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Generic, Literal, NamedTuple, TypeVar, overload

from app.export.choose import completeness
from app.records.identifiers import normalize_oclc
from app.records.model import BibRecord, Holding, Name
from app.records.text import unique
from app.search.link_keys import (
    AUTHOR_ROLES,
    is_set_qualifier,
    link_keys,
    merge_isbns,
    strict_key,
)
from app.search.normalise import edition_key, fold, title_key, without_article, words

__all__ = [
    "MergeChange",
    "MergedRecord",
    "Merger",
    "edition_key",
    "fold",
    "is_set_qualifier",
    "link_keys",
    "strict_key",
    "title_key",
    "without_article",
    "words",
]

ChangeKind = Literal["created", "joined", "merged"]
T = TypeVar("T")

_KIND_ORDER = {"isbn": 0, "issn": 1, "oclc": 2, "lccn": 3, "key": 4}
_KIND_LABEL = {
    "isbn": "same ISBN {}",
    "issn": "same ISSN {}",
    "oclc": "same OCLC number {}",
    "lccn": "same LCCN {}",
    "key": "probable: same title, author, year and edition",
}
_UNKNOWN_TARGET = "(unknown catalogue)"
# Fields taken whole from the best source that has them; "title" brings its nonsort,
# subtitle and part along, so a title never mixes two catalogues' readings.
_CHOSEN_FIELDS = (
    "title", "authors", "year", "edition", "publisher", "place", "language", "series",
    "physical",
)  # fmt: skip

# One record inside an entry: (arrival number, record, the link keys it published).
_Source = tuple[int, BibRecord, tuple[str, ...]]


def _reason(key: str) -> str:
    kind, _, value = key.partition(":")
    return _KIND_LABEL[kind].format(value)


def _target(record: BibRecord) -> str:
    return record.target or _UNKNOWN_TARGET


def _tally(targets: list[str]) -> str:
    """Catalogue names, a count for one that sent several copies: "LoC ×2, K10plus"."""
    counts: dict[str, int] = {}
    for t in targets:
        counts[t] = counts.get(t, 0) + 1
    return ", ".join(t if n == 1 else f"{t} ×{n}" for t, n in counts.items())


class _Row(NamedTuple):
    """What a row of the merged list shows; cheap, computed for every entry that is drawn."""

    records: tuple[BibRecord, ...]
    best: BibRecord
    key: str
    probable: bool
    title: str
    nonsort: str
    subtitle: str
    part: str
    names: tuple[Name, ...]
    authors: tuple[str, ...]
    year: int | None
    edition: str
    publisher: str
    place: str
    language: str
    series: tuple[str, ...]
    physical: str
    material: str
    field_sources: Mapping[str, str]
    isbns: tuple[str, ...]
    sources: tuple[tuple[str, int | None], ...]
    held_by: tuple[str, ...]


def _entry_key(sources: list[_Source], entry_id: int) -> str:
    """The strongest key, held by most sources, smallest on a tie: independent of arrival order."""
    counts: dict[str, int] = {}
    for _seq, _record, keys in sources:
        for k in keys:
            counts[k] = counts.get(k, 0) + 1
    if not counts:
        return f"id:{entry_id}"
    return min(counts, key=lambda k: (_KIND_ORDER[k.partition(":")[0]], -counts[k], k))


def _row(entry_id: int, sources: list[_Source]) -> _Row:
    records = tuple(r for _seq, r, _keys in sources)
    if len(records) > 1:  # a stable sort: the earliest source wins a tie
        ranked: Sequence[BibRecord] = sorted(records, key=completeness, reverse=True)
    else:
        ranked = records or (BibRecord(),)
    best = ranked[0]
    chosen: dict[str, BibRecord] = {}
    for name in _CHOSEN_FIELDS:
        for r in ranked:
            if name == "authors":
                if any(n.role in AUTHOR_ROLES for n in r.names):
                    chosen[name] = r
                    break
            elif getattr(r, name):
                chosen[name] = r
                break
    field_sources = {f: _target(r) for f, r in chosen.items()}
    t = chosen.get("title", best)
    if t.subtitle and "title" in chosen:
        field_sources["subtitle"] = field_sources["title"]
    field_sources["material"] = _target(best)
    authors = chosen.get("authors", best)
    key = _entry_key(sources, entry_id)
    isbns: dict[str, None] = {}
    for r in records:
        for i in r.isbns:
            if i.valid and not i.cancelled:
                isbns[i.value] = None
    targets = tuple(_target(r) for r in records)
    return _Row(
        records=records,
        best=best,
        key=key,
        # key links come only from records without identifiers, so they made this entry
        probable=len(records) > 1 and key.startswith("key:"),
        title=t.title,
        nonsort=t.nonsort,
        subtitle=t.subtitle,
        part=t.part,
        names=authors.names,
        authors=tuple(n.name for n in authors.names if n.role in AUTHOR_ROLES),
        year=chosen.get("year", best).year,
        edition=chosen.get("edition", best).edition,
        publisher=chosen.get("publisher", best).publisher,
        place=chosen.get("place", best).place,
        language=chosen.get("language", best).language,
        series=chosen.get("series", best).series,
        physical=chosen.get("physical", best).physical,
        material=best.material,
        field_sources=MappingProxyType(field_sources),
        isbns=tuple(isbns),
        sources=tuple(zip(targets, (r.position for r in records), strict=True)),
        held_by=tuple(dict.fromkeys(targets)),
    )


def _why(sources: list[_Source]) -> tuple[str, ...]:
    shared: dict[str, list[str]] = {}
    for _seq, record, keys in sources:
        for k in keys:
            shared.setdefault(k, []).append(_target(record))
    links = sorted(
        ((k, t) for k, t in shared.items() if len(t) > 1),
        key=lambda kt: _KIND_ORDER[kt[0].partition(":")[0]],
    )
    return tuple(f"{_reason(k)} ({_tally(t)})" for k, t in links)


def _notes(records: tuple[BibRecord, ...]) -> tuple[str, ...]:
    notes = []
    for r in records:
        for value in merge_isbns(r)[1]:
            notes.append(
                f"set ISBN {value} not used to merge: {_target(r)}'s record has an ISBN of its own"
            )
    return unique(notes)


def _conflicts(records: tuple[BibRecord, ...]) -> dict[str, tuple[str, ...]]:
    """Fields whose values disagree between sources (compared folded), values as first seen."""
    readable = [r for r in records if r.error is None]
    if len(readable) < 2:
        return {}
    # field -> (the value as shown, the value compared), or None when the record has none
    probes: tuple[tuple[str, Callable[[BibRecord], tuple[str, str] | None]], ...] = (
        ("title", lambda r: (r.title, title_key(r.title, r.nonsort, r.part))),
        (
            "author",
            lambda r: (r.authors[0].name, fold(r.authors[0].surname)) if r.authors else None,
        ),
        ("year", lambda r: (str(r.year), str(r.year)) if r.year is not None else None),
        ("edition", lambda r: (r.edition, fold(r.edition))),
    )
    found: dict[str, tuple[str, ...]] = {}
    for name, probe in probes:
        shown: dict[str, str] = {}
        for r in readable:
            pair = probe(r)
            if pair and pair[1]:
                shown.setdefault(pair[1], pair[0])
        if len(shown) > 1:
            found[name] = tuple(shown.values())
    return found


def _records(sources: list[_Source]) -> tuple[BibRecord, ...]:
    return tuple(r for _seq, r, _keys in sources)


def _subjects(sources: list[_Source]) -> tuple[str, ...]:
    subjects: dict[str, str] = {}
    for _seq, r, _keys in sources:
        for subject in r.subjects:
            subjects.setdefault(fold(subject), subject.rstrip(". "))
    return tuple(subjects.values())


def _holdings(sources: list[_Source]) -> Mapping[str, tuple[Holding, ...]]:
    holdings: dict[str, dict[Holding, None]] = {}
    for _seq, r, _keys in sources:
        holdings.setdefault(_target(r), {}).update(dict.fromkeys(r.holdings))
    return MappingProxyType({k: tuple(v) for k, v in holdings.items()})


# The record pane's attributes, each computed on first use: a long list never pays for them.
_DETAILS: dict[str, Callable[[list[_Source]], Any]] = {
    "why": _why,
    "notes": lambda sources: _notes(_records(sources)),
    "conflicts": lambda sources: MappingProxyType(_conflicts(_records(sources))),
    "subjects": _subjects,
    "issns": lambda sources: unique(v for _q, r, _k in sources for v in r.valid_issns),
    "oclc_numbers": lambda sources: unique(
        normalize_oclc(n) or "" for _q, r, _k in sources for n in r.oclc_numbers
    ),
    "lccns": lambda sources: unique(r.lccn for _q, r, _k in sources),
    "holdings": _holdings,
}


class _Shown(Generic[T]):
    """A read-only attribute of :class:`MergedRecord`, read from its cached row or detail."""

    __slots__ = ("detail", "name")

    def __init__(self, *, detail: bool = False) -> None:
        self.detail = detail
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, entry: None, owner: type) -> _Shown[T]: ...
    @overload
    def __get__(self, entry: MergedRecord, owner: type) -> T: ...
    def __get__(self, entry: MergedRecord | None, owner: type) -> T | _Shown[T]:
        if entry is None:
            return self
        if not self.detail:
            shown: T = getattr(entry._shown, self.name)
            return shown
        cache = entry._extra
        if cache is None:
            cache = entry._extra = {}
        if self.name not in cache:
            cache[self.name] = _DETAILS[self.name](entry._in_order())
        value: T = cache[self.name]
        return value


class MergedRecord:
    """One entry of the merged list: the same work as sent by one or more catalogues.

    Read-only for its users; the :class:`Merger` adds sources. ``version`` grows by one on
    every change, so a view can tell cheaply whether a row must be redrawn. What it shows is
    computed on first use and kept until the next change: the row (title, authors, key...)
    and the details (why, conflicts, holdings...) separately, so a long list stays cheap.
    """

    __slots__ = ("_extra", "_row", "_sources", "id", "merged_into", "version")

    def __init__(self, entry_id: int) -> None:
        self.id = entry_id
        # set when this entry was joined into an older one; it is then empty
        self.merged_into: int | None = None
        self.version = 0
        self._sources: list[_Source] = []
        self._row: _Row | None = None
        self._extra: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return f"<MergedRecord {self.id} {self.key} {len(self._sources)} sources>"

    def __len__(self) -> int:
        return len(self._sources)

    def _absorb(self, other: MergedRecord) -> None:
        # the bigger list is kept and the smaller appended, so every record moves O(log n) times
        if len(other._sources) > len(self._sources):
            self._sources, other._sources = other._sources, self._sources
        self._sources.extend(other._sources)
        other._sources = []
        other.merged_into = self.id
        for entry in (self, other):
            entry.version += 1
            entry._row = entry._extra = None

    def _in_order(self) -> list[_Source]:
        if len(self._sources) > 1:
            self._sources.sort()  # by arrival number, the first item; already sorted is O(n)
        return self._sources

    @property
    def _shown(self) -> _Row:
        if self._row is None:
            self._row = _row(self.id, self._in_order())
        return self._row

    # --- what the command line and the window show ---

    records = _Shown[tuple[BibRecord, ...]]()  # every source record, in arrival order
    best = _Shown[BibRecord]()  # the most complete source (MARC preferred, earliest on a tie)
    key = _Shown[str]()  # "isbn:9780198526636", "oclc:12345", "key:origin...|darwin|1859|", "id:7"
    probable = _Shown[bool]()  # joined on title, author, year and edition alone
    title = _Shown[str]()
    nonsort = _Shown[str]()
    subtitle = _Shown[str]()
    part = _Shown[str]()
    names = _Shown[tuple[Name, ...]]()
    authors = _Shown[tuple[str, ...]]()  # ("Surname, Forenames", ...)
    year = _Shown[int | None]()
    edition = _Shown[str]()
    publisher = _Shown[str]()
    place = _Shown[str]()
    language = _Shown[str]()
    series = _Shown[tuple[str, ...]]()
    physical = _Shown[str]()
    material = _Shown[str]()
    field_sources = _Shown[Mapping[str, str]]()  # {"title": "LoC", "publisher": "K10plus"}
    isbns = _Shown[tuple[str, ...]]()  # the union of valid ISBN-13s (020 $a) of every source
    sources = _Shown[tuple[tuple[str, int | None], ...]]()  # (target, position), arrival order
    held_by = _Shown[tuple[str, ...]]()  # the catalogues that sent it, in arrival order

    why = _Shown[tuple[str, ...]](detail=True)  # "same ISBN 9780198526636 (LoC, K10plus)"...
    notes = _Shown[tuple[str, ...]](detail=True)  # e.g. a set ISBN deliberately not used
    conflicts = _Shown[Mapping[str, tuple[str, ...]]](detail=True)  # {"edition": ("2nd ed.",..
    subjects = _Shown[tuple[str, ...]](detail=True)  # every source's subjects, once each
    issns = _Shown[tuple[str, ...]](detail=True)
    oclc_numbers = _Shown[tuple[str, ...]](detail=True)
    lccns = _Shown[tuple[str, ...]](detail=True)
    holdings = _Shown[Mapping[str, tuple[Holding, ...]]](detail=True)  # per catalogue; maybe ()

    def memo(self, name: str, compute: Callable[[MergedRecord], T]) -> T:
        """``compute(self)``, remembered under ``name`` until this entry next changes: what
        facets and ranking derive from an entry is worked out once per version."""
        cache = self._extra
        if cache is None:
            cache = self._extra = {}
        key = "memo:" + name
        if key not in cache:
            cache[key] = compute(self)
        value: T = cache[key]
        return value

    @property
    def full_title(self) -> str:
        v = self._shown
        title = f"{v.title}. {v.part}" if v.part else v.title
        return f"{title}: {v.subtitle}" if v.subtitle else title

    def to_json(self) -> dict[str, Any]:
        v = self._shown
        return {
            "id": self.id,
            "key": v.key,
            "isbns": list(v.isbns),
            "title": v.title,
            "subtitle": v.subtitle,
            "authors": list(v.authors),
            "year": v.year,
            "edition": v.edition,
            "publisher": v.publisher,
            "place": v.place,
            "sources": [
                {"target": t, "position": p, "database": r.database}
                for (t, p), r in zip(v.sources, v.records, strict=True)
            ],
            "held_by": list(v.held_by),
            "holdings": {
                target: [{k: x for k, x in _holding_items(h) if x} for h in held]
                for target, held in self.holdings.items()
            },
            "why": list(self.why),
            "probable": v.probable,
            "notes": list(self.notes),
            "conflicts": {k: list(x) for k, x in self.conflicts.items()},
            "field_sources": dict(v.field_sources),
        }


def _holding_items(h: Holding) -> Iterator[tuple[str, str]]:
    for name in Holding.__slots__:
        yield name, getattr(h, name)


# --- the merger ------------------------------------------------------------------------------


class MergeChange(NamedTuple):
    """What one added record did to the list, for a view to update only what changed.

    ``created``: a new entry ``entry_id``. ``joined``: the record joined entry ``entry_id``.
    ``merged``: the record bridged entries; ``absorbed`` were retired into ``entry_id``.
    """

    kind: ChangeKind
    entry_id: int
    record: BibRecord
    absorbed: tuple[int, ...] = ()
    key: str = ""  # the link key that joined it: "isbn:9780198526636"

    @property
    def reason(self) -> str:
        """Why it joined, in words: "same ISBN 9780198526636" ("" for a new entry)."""
        return _reason(self.key) if self.key else ""

    def __repr__(self) -> str:
        return (
            f"MergeChange({self.kind!r}, entry_id={self.entry_id}, absorbed={self.absorbed}, "
            f"reason={self.reason!r})"
        )


class Merger:
    """Merges records as they arrive; ``entries`` is always the merged list so far."""

    def __init__(self) -> None:
        # link key -> the entry id that first published it (it may be retired since)
        self._index: dict[str, int] = {}
        self._parent: list[int] = [0]  # union-find over entry ids; 0 unused
        self._live: dict[int, MergedRecord] = {}
        self._seq = 0

    def __len__(self) -> int:
        return len(self._live)

    def __iter__(self) -> Iterator[MergedRecord]:
        return iter(list(self._live.values()))

    @property
    def entries(self) -> list[MergedRecord]:
        """The live entries, oldest first."""
        return list(self._live.values())

    @property
    def record_count(self) -> int:
        return self._seq

    def survivor(self, entry_id: int) -> int:
        """The id a (possibly retired) entry id now lives on as."""
        if not 0 < entry_id < len(self._parent):
            raise KeyError(entry_id)
        return self._find(entry_id)

    def get(self, entry_id: int) -> MergedRecord:
        """The live entry for ``entry_id``, following it into the entry that absorbed it."""
        return self._live[self.survivor(entry_id)]

    def _find(self, entry_id: int) -> int:
        parent = self._parent
        while parent[entry_id] != entry_id:
            parent[entry_id] = parent[parent[entry_id]]
            entry_id = parent[entry_id]
        return entry_id

    def add(self, record: BibRecord) -> MergeChange:
        keys = link_keys(record)
        index, parent = self._index, self._parent
        root = 0  # the first entry found (0: none yet)
        matched = ""
        others: list[int] = []  # further entries this record bridges to
        fresh: list[str] = []  # keys nobody published before
        for k in keys:
            eid = index.get(k)
            if eid is None:
                fresh.append(k)
                continue
            while parent[eid] != eid:  # union-find root, halving the path
                parent[eid] = parent[parent[eid]]
                eid = parent[eid]
            if not root:
                root, matched = eid, k
            elif eid != root and eid not in others:
                others.append(eid)
        if not root:
            entry_id = len(parent)
            parent.append(entry_id)
            entry = self._live[entry_id] = MergedRecord(entry_id)
            change = MergeChange("created", entry_id, record)
        elif not others:
            entry_id = root
            entry = self._live[entry_id]
            change = MergeChange("joined", entry_id, record, (), matched)
        else:
            others.append(root)
            others.sort()
            entry_id = others.pop(0)  # the oldest survives
            entry = self._live[entry_id]
            for other in others:
                entry._absorb(self._live.pop(other))
                parent[other] = entry_id
            change = MergeChange("merged", entry_id, record, tuple(others), matched)
        entry._sources.append((self._seq, record, keys))
        entry.version += 1
        entry._row = entry._extra = None
        self._seq += 1
        for k in fresh:
            index[k] = entry_id
        return change

    def add_many(self, records: Iterable[BibRecord]) -> list[MergeChange]:
        """Add records in bulk. The cyclic garbage collector is paused meanwhile: adding makes
        no reference cycles, and its full passes over a growing heap made 100,000 records cost
        twice 10 times 10,000 (bench/bench_merge.py)."""
        paused = gc.isenabled()
        gc.disable()
        try:
            return [self.add(r) for r in records]
        finally:
            if paused:
                gc.enable()
