"""Merge records from many catalogues into entries, and say why each entry was merged.

A record *publishes* link keys; records that publish the same key are one entry (union-find
over entries, one index from key to entry, so merging ``n`` records is O(n)). Every key is
decided from the record alone, never from what arrived before it, so the grouping does not
depend on the order in which catalogues answer. The keys, strongest first:

``isbn:<ISBN-13>``
    every valid ISBN of 020 $a (``Isbn.cancelled`` numbers from $z never merge). A *set ISBN*
    (qualifier "set", "v. 1-3", "Gesamtwerk", "obra completa"...) is not published by a record
    that also carries an ISBN of its own: a volume joins its own copies, never its siblings.
    (The pairwise rule "two volumes sharing only a set ISBN stay apart" would otherwise be
    undone by a third record holding the set ISBN alone, which would join both volumes.)
``issn:<ISSN>``
    valid ISSNs of kind "issn", only from records without an ISBN of their own: the ISSN on a
    book is its series', and two volumes of one series are not one book.
``oclc:<number>``, ``lccn:<number>``
    always published: both name one bibliographic record at OCLC or the Library of Congress.
``key:<title>|<surname>|<year>|<edition>``
    only from records with none of the above (identifiers that belong to the host of an article
    or chapter do not count), and only with a title plus an author or a year. Such an entry is
    marked ``probable``. A material other than "book" and the host of a part are added to the
    key, so a film never joins the novel and two articles called "Editorial" stay apart.

Records that could not be read (``error`` set) publish nothing and stay on their own.

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

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Generic, Literal, NamedTuple, TypeVar, overload

from app.export.choose import completeness
from app.records.identifiers import normalize_isbn, normalize_oclc
from app.records.model import BibRecord, Holding, Name

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

# --- text normalisation shared by merge, ranking and facets ---------------------------------

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


# --- what a record publishes -----------------------------------------------------------------

_SET_QUALIFIER = re.compile(
    r"\bset\b|\bcomplete\b|gesamt|\bobras?\s+complet|\bo\.\s?c\.|\bs[ée]rie\b|\bcoffret\b"
    r"|\bensemble\b|\bkomplett|\bconjunto\b"
    r"|\b(?:v|vols?|bd|bde|t|tomes?|tl|teil|vol)\.?\s*\d+\s*[-–]\s*\d+"  # "v. 1-3", "Bd. 1-2"
    r"|\b\d+\s*(?:v|vols?|volumes|bde|bände|t|tomes)\b\.?",  # "3 v.", "2 Bde."
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=512)
def is_set_qualifier(text: str) -> bool:
    """True for an ISBN qualifier naming a whole multi-volume set rather than one volume."""
    return bool(text) and _SET_QUALIFIER.search(text) is not None


def _merge_isbns(record: BibRecord) -> tuple[list[str], list[str]]:
    """(ISBNs the record merges on, set ISBNs it holds back because it has its own ISBN)."""
    usable: dict[str, bool] = {}  # value -> is a set ISBN here
    for i in record.isbns:
        if not i.valid or i.cancelled:
            continue
        # the readers split "(set)" off the raw text into the qualifier (identifiers.parse_isbn)
        is_set = is_set_qualifier(i.qualifier) if i.qualifier else False
        usable[i.value] = usable.get(i.value, False) or is_set
    if record.host is not None and record.host.isbn:
        usable.pop(normalize_isbn(record.host.isbn) or "", None)
    if not any(usable.values()) or all(usable.values()):
        return list(usable), []
    return [v for v, s in usable.items() if not s], [v for v, s in usable.items() if s]


_AUTHOR_ROLES = frozenset({"author", "creator", ""})


def strict_key(record: BibRecord) -> str | None:
    """``key:<title>|<surname>|<year>|<edition>[|material][|host]``, or None when too thin."""
    title = title_key(record.title, record.nonsort, record.part)
    if not title:
        return None
    surname = ""
    for name in record.names:
        if name.role in _AUTHOR_ROLES:  # BibRecord.authors, without building the tuple
            surname = fold(name.surname)
            break
    year = str(record.year) if record.year is not None else ""
    if not surname and not year:
        return None
    parts = [title, surname, year, edition_key(record.edition)]
    if record.material != "book":
        parts.append(record.material)
    host = record.host
    if host is not None:
        parts.append(fold(f"{host.title} {host.volume} {host.issue} {host.pages}"))
    return "key:" + "|".join(parts)


def link_keys(record: BibRecord) -> tuple[str, ...]:
    """Every key under which ``record`` joins others (see the module docstring)."""
    if record.error is not None:
        return ()
    keys = ["isbn:" + v for v in _merge_isbns(record)[0]] if record.isbns else []
    if not keys and record.issns:
        host_issn = record.host.issn.replace("-", "").upper() if record.host else ""
        keys += [f"issn:{v}" for v in record.valid_issns if v.replace("-", "") != host_issn]
    for number in record.oclc_numbers:
        digits = number.lstrip("0") if number.isdigit() else normalize_oclc(number)
        if digits and "oclc:" + digits not in keys:
            keys.append("oclc:" + digits)
    lccn = record.lccn.replace(" ", "")
    if lccn:
        keys.append(f"lccn:{lccn}")
    if keys:
        return tuple(keys)
    key = strict_key(record)
    return (key,) if key else ()


# --- merged entries --------------------------------------------------------------------------

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


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


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
                if any(n.role in _AUTHOR_ROLES for n in r.names):
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
        authors=tuple(n.name for n in authors.names if n.role in _AUTHOR_ROLES),
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
        for value in _merge_isbns(r)[1]:
            notes.append(
                f"set ISBN {value} not used to merge: {_target(r)}'s record has an ISBN of its own"
            )
    return _unique(notes)


def _conflicts(records: tuple[BibRecord, ...]) -> dict[str, tuple[str, ...]]:
    """Fields whose values disagree between sources (compared folded), values as first seen."""
    readable = [r for r in records if r.error is None]
    if len(readable) < 2:
        return {}
    probes: tuple[tuple[str, Any], ...] = (
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
    "issns": lambda sources: _unique(v for _q, r, _k in sources for v in r.valid_issns),
    "oclc_numbers": lambda sources: _unique(
        normalize_oclc(n) or "" for _q, r, _k in sources for n in r.oclc_numbers
    ),
    "lccns": lambda sources: _unique(r.lccn for _q, r, _k in sources),
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
        return [self.add(r) for r in records]
