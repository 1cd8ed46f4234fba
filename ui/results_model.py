"""The merged results as a Qt table: rows join in sort order as catalogues answer.

``ResultsModel`` keeps the shown rows in display order itself and filters them itself (typed
words, facet choices): a new entry is inserted where its sort key belongs (binary search over
the kept keys), an entry whose key changed moves with beginMoveRows (the selection follows),
and rows are found by their key too (kept per entry id), so a batch costs what its own rows
cost whatever the length of the list. There is no proxy model: a QSortFilterProxyModel in
between made every painted cell a mapping more (a quarter of the table's paint) and rebuilt
its whole mapping, a Python call per row, on every moved row.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

EntryRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
ScoreRole = Qt.ItemDataRole.UserRole + 3
# data() is asked several roles for every painted cell: compared as plain ints
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ENTRY, _SORT, _SCORE = int(EntryRole), int(SortRole), int(ScoreRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

AnyIndex = QModelIndex | QPersistentModelIndex
Key = tuple[Any, int]  # (value, arrival): what a row is sorted by
T = TypeVar("T")


def entry_id(entry: Any) -> Hashable:
    """The entry's stable id (the merger never changes it once given)."""
    ident: Hashable = getattr(entry, "id", None)
    return ident if ident is not None else str(entry.key)


def fold(text: str) -> str:
    """Casefolded and stripped of diacritics, so "muller" finds "Müller"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _t(text: str) -> str:
    return QCoreApplication.translate("ResultsModel", text)


COLUMNS = ("title", "authors", "year", "edition", "publisher", "isbn", "held")
_RIGHT_ALIGNED = frozenset(COLUMNS.index(c) for c in ("year", "held"))
WARM_COLUMNS = tuple(COLUMNS.index(c) for c in ("title", "authors", "year"))  # the sort box's


def column_titles() -> list[str]:
    return [
        _t("Title"),
        _t("Authors"),
        _t("Year"),
        _t("Edition"),
        _t("Publisher"),
        _t("ISBN"),
        _t("Held"),
    ]


def full_title(entry: Any) -> str:
    """Title and subtitle; a record that could not be read says so instead of a blank row."""
    subtitle = getattr(entry, "subtitle", "")
    if not entry.title:
        best = getattr(entry, "best", None)
        error = getattr(best, "error", None)
        if error:
            return _t("[could not be read: {0}]").format(error)
        return _t("[no title]")
    return f"{entry.title}: {subtitle}" if subtitle else str(entry.title)


def display(entry: Any, column: str) -> str:
    if column == "title":
        return full_title(entry)
    if column == "authors":
        authors = list(entry.authors)
        return "; ".join(authors[:3]) + (" …" if len(authors) > 3 else "")
    if column == "year":
        return "" if entry.year is None else str(entry.year)
    if column == "edition":
        return str(entry.edition)
    if column == "publisher":
        return str(entry.publisher)
    if column == "isbn":
        isbns = list(entry.isbns)
        return isbns[0] + (f" (+{len(isbns) - 1})" if len(isbns) > 1 else "") if isbns else ""
    held = len(entry.held_by)
    return f"{held} {'▮' * min(held, 8)}"


def sort_key(entry: Any, column: str) -> Any:
    if column == "year":
        return entry.year if entry.year is not None else -1
    if column == "held":
        return len(entry.held_by)
    if column == "title":
        nonsort = getattr(entry.best, "nonsort", "") if entry.best is not None else ""
        title = (
            entry.title[len(nonsort) :]
            if nonsort and entry.title.startswith(nonsort)
            else entry.title
        )
        return fold(title)
    return fold(display(entry, column))


def search_text(entry: Any) -> str:
    """Everything filter-as-you-type looks at, folded once per entry version."""
    parts = [full_title(entry), " ".join(entry.authors), entry.publisher, entry.edition]
    parts.extend(entry.isbns)
    if entry.year is not None:
        parts.append(str(entry.year))
    return fold(" ".join(parts))


class _Row:
    """What the table shows and sorts by for one entry, each part computed when first asked
    for (a row never painted never formats its texts) and kept until the entry changes."""

    __slots__ = ("_keys", "_score", "_scorer", "_search", "_texts", "entry", "version")

    def __init__(self, entry: Any, scorer: Callable[[Any], float] | None) -> None:
        self.entry = entry
        self.version = getattr(entry, "version", None)
        self._scorer = scorer
        self._texts: dict[int, str] = {}
        self._keys: dict[int, Any] = {}
        self._score: float | None = None
        self._search: str | None = None

    def text(self, column: int) -> str:
        found = self._texts.get(column)
        if found is None:
            found = self._texts[column] = display(self.entry, COLUMNS[column])
        return found

    def key(self, column: int) -> Any:
        if column not in self._keys:
            self._keys[column] = sort_key(self.entry, COLUMNS[column])
        return self._keys[column]

    @property
    def score(self) -> float:
        if self._score is None:
            self._score = self._scorer(self.entry) if self._scorer is not None else 0.0
        return self._score

    @property
    def search(self) -> str:
        if self._search is None:
            self._search = search_text(self.entry)
        return self._search

    def warm(self) -> None:
        """Work out now what sorting and filtering ask of every row at once (about 30 µs),
        so that the first sort or filter of thousands of rows is not the one that waits."""
        _ = self.score, self.search
        for column in WARM_COLUMNS:
            self.key(column)


class ResultsModel(QAbstractTableModel):
    """Merged entries, filtered and in sort order; ``update`` applies one batch of changes.

    Entries are live objects the merger changes in place; what a row shows is cached per
    entry ``version`` so painting and sorting thousands of rows stays cheap. Entries the
    filter leaves out are kept aside (``total`` counts them) and come back when it changes.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._shown: list[_Row] = []  # in display order
        self._keys: list[Key] = []  # sort key per shown row, in display order
        self._key_of: dict[Hashable, Key] = {}  # shown entry's id -> its key: finds its row
        self._hidden: dict[Hashable, _Row] = {}  # left out by the filter
        self._ready: dict[Hashable, _Row] = {}  # worked out ahead by prepare(), not yet shown
        self._score: Callable[[Any], float] | None = None
        self._words: list[str] = []
        self._allowed: Callable[[Any], bool] | None = None
        # the order rows are kept in: a column (ascending or not), or relevance (column -1)
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder

    @property
    def score(self) -> Callable[[Any], float] | None:
        return self._score

    @score.setter
    def score(self, scorer: Callable[[Any], float] | None) -> None:
        """A new relevance function (a new query): every row's score is computed again."""
        self._score = scorer
        self._shown = [_Row(d.entry, scorer) for d in self._shown]
        self._hidden = {i: _Row(d.entry, scorer) for i, d in self._hidden.items()}
        self._ready.clear()
        self._resort()

    @property
    def total(self) -> int:
        """Entries shown and entries the filter leaves out."""
        return len(self._shown) + len(self._hidden)

    def row_data(self, row: int) -> _Row:
        cached = self._shown[row]
        if cached.version != getattr(cached.entry, "version", None):
            # changed since its batch (which will move it): shown as it is now
            cached = self._shown[row] = _Row(cached.entry, self._score)
        return cached

    def prepare(self, entries: Iterable[Any]) -> None:
        """Work out now what ``update`` will need for these entries (relevance, sort keys,
        the filter's text), so that the batch which shows them, later, is only Qt's
        bookkeeping, and a sort or filter later finds it done."""
        for entry in entries:
            cached = _Row(entry, self._score)
            cached.warm()
            self._ready[entry_id(entry)] = cached

    def _fresh_row(self, entry: Any) -> _Row:
        cached = self._ready.pop(entry_id(entry), None)
        if (
            cached is None
            or cached.entry is not entry
            or cached.version != getattr(entry, "version", None)
        ):
            cached = _Row(entry, self._score)
        return cached

    # --- the model ---

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_titles()[section]
        tip = role == Qt.ItemDataRole.ToolTipRole
        if orientation == Qt.Orientation.Horizontal and tip and COLUMNS[section] == "held":
            return _t("How many of the searched catalogues hold it")
        return None

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        row = index.row()
        if row < 0:
            return None
        if role in (_DISPLAY, _ACCESSIBLE):
            return self.row_data(row).text(index.column())
        if role == _ALIGNMENT:
            return _RIGHT if index.column() in _RIGHT_ALIGNED else None
        if role == _ENTRY:
            return self._shown[row].entry
        if role == _SORT:
            return self.row_data(row).key(index.column())
        if role == _SCORE:
            return self.row_data(row).score
        if role == _TOOLTIP:
            return self._tooltip(self._shown[row].entry, COLUMNS[index.column()])
        return None

    def _tooltip(self, entry: Any, column: str) -> str:
        if column == "held":
            return _t("Held by: {0}").format(", ".join(entry.held_by))
        if column == "isbn":
            return "\n".join(entry.isbns)
        if column == "authors":
            return "\n".join(entry.authors)
        if column == "title":
            why = getattr(entry, "why", "")
            why_text = "; ".join(why) if isinstance(why, list | tuple) else str(why)
            return full_title(entry) + (f"\n{why_text}" if why_text else "")
        return display(entry, column)

    # --- reading ---

    def entry(self, row: int) -> Any:
        return self._shown[row].entry

    def entries(self) -> list[Any]:
        """The shown entries, in display order."""
        return [d.entry for d in self._shown]

    def row_of(self, ident: Hashable) -> int | None:
        """The row of a shown entry (binary search on the key it was filed under)."""
        key = self._key_of.get(ident)
        if key is None:
            return None
        row = self._position(key)
        while row < len(self._keys) and self._keys[row] == key:
            if entry_id(self._shown[row].entry) == ident:  # equal keys: entries without ids
                return row
            row += 1
        return None

    def search_text(self, row: int) -> str:
        return self.row_data(row).search

    # --- changing ---

    def clear(self) -> None:
        self.beginResetModel()
        self._shown.clear()
        self._keys.clear()
        self._key_of.clear()
        self._hidden.clear()
        self._ready.clear()
        self.endResetModel()

    def update(
        self,
        added: Iterable[Any] = (),
        changed: Iterable[Any] = (),
        removed: Iterable[Hashable] = (),
    ) -> None:
        """Apply one batch: remove joined-away entries, refresh changed ones (moving those
        whose sort key changed, showing or hiding those the filter now judges otherwise),
        insert new ones where the sort order puts them."""
        for ident in set(removed):
            self._ready.pop(ident, None)
            if self._hidden.pop(ident, None) is None:
                row = self.row_of(ident)
                if row is not None:
                    self._remove(row)
        fresh: list[_Row] = []
        for entry in changed:
            ident = entry_id(entry)
            data = self._fresh_row(entry)
            if ident in self._hidden:
                if self._accepts(data):
                    del self._hidden[ident]
                    self._insert(data, self._sort_key(data))
                else:
                    self._hidden[ident] = data
                continue
            row = self.row_of(ident)
            if row is None:
                fresh.append(data)
            elif not self._accepts(data):
                self._remove(row)
                self._hidden[ident] = data
            else:
                self._shown[row] = data
                self._move(row, self._sort_key(data))
        fresh.extend(self._fresh_row(e) for e in added)
        for data in fresh:
            ident = entry_id(data.entry)
            if ident in self._key_of or ident in self._hidden:
                continue  # named twice in one batch
            if self._accepts(data):
                self._insert(data, self._sort_key(data))
            else:
                self._hidden[ident] = data

    def _insert(self, data: _Row, key: Key) -> None:
        row = self._position(key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._shown.insert(row, data)
        self._keys.insert(row, key)
        self._key_of[entry_id(data.entry)] = key
        self.endInsertRows()

    def _remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        self._key_of.pop(entry_id(self._shown.pop(row).entry), None)
        self._keys.pop(row)
        self.endRemoveRows()

    def _move(self, row: int, key: Key) -> None:
        """A changed row with its new key: redrawn where it is, or moved where it belongs."""
        self._key_of[entry_id(self._shown[row].entry)] = key
        if self._fits(row, key):
            self._keys[row] = key
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        # where it belongs, counted with it still in place: Qt's numbering for a move
        goal = self._position(key)
        if goal in (row, row + 1):  # only equal keys around it: it may stay
            self._keys[row] = key
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), goal)
        data = self._shown.pop(row)
        self._keys.pop(row)
        at = goal if goal < row else goal - 1
        self._shown.insert(at, data)
        self._keys.insert(at, key)
        self.endMoveRows()
        self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))

    # --- the filter ---

    def set_filter_text(self, text: str) -> None:
        """Show only entries containing every typed word (case and accents ignored)."""
        self._words = fold(text).split()
        self._refilter()

    def set_allowed(self, allowed: Callable[[Any], bool] | None) -> None:
        """A predicate from the facets (None: everything passes)."""
        self._allowed = allowed
        self._refilter()

    def _accepts(self, data: _Row) -> bool:
        if self._words:
            text = data.search
            if not all(w in text for w in self._words):
                return False
        return self._allowed is None or self._allowed(data.entry)

    def _refilter(self) -> None:
        """Rows the filter now leaves out go, in runs from the bottom; entries it lets in come
        back in runs where the order puts them; the rest, and the selection, stay."""
        leaving = [r for r, d in enumerate(self._shown) if not self._accepts(d)]
        for first, last in reversed(_runs(leaving)):
            self.beginRemoveRows(QModelIndex(), first, last)
            for data in self._shown[first : last + 1]:
                ident = entry_id(data.entry)
                self._key_of.pop(ident, None)
                self._hidden[ident] = data
            del self._shown[first : last + 1]
            del self._keys[first : last + 1]
            self.endRemoveRows()
        coming = [(self._sort_key(d), d) for d in self._hidden.values() if self._accepts(d)]
        for _key, data in coming:
            del self._hidden[entry_id(data.entry)]
        coming = self._in_order(coming)
        start = 0
        while start < len(coming):
            row = self._position(coming[start][0])
            end = start + 1
            # the run goes on while the next one also comes before the row now at ``row``
            while end < len(coming) and (
                row == len(self._keys) or self._before(coming[end][0], self._keys[row])
            ):
                end += 1
            run = coming[start:end]
            self.beginInsertRows(QModelIndex(), row, row + len(run) - 1)
            self._shown[row:row] = [d for _k, d in run]
            self._keys[row:row] = [k for k, _d in run]
            self._key_of.update((entry_id(d.entry), k) for k, d in run)
            self.endInsertRows()
            start = end

    # --- the order ---

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Keep the rows ordered by ``column`` (-1: by relevance, best first)."""
        self.sort_column, self.sort_order = column, order
        self._resort()

    @property
    def _descending(self) -> bool:
        return self.sort_column >= 0 and self.sort_order == Qt.SortOrder.DescendingOrder

    def _sort_key(self, data: _Row) -> Key:
        """(value, arrival) — ties keep arrival order whichever the direction."""
        value = -data.score if self.sort_column < 0 else data.key(self.sort_column)
        return value, _sequence(data.entry)

    def _before(self, a: Key, b: Key) -> bool:
        if a[0] != b[0]:
            return bool(a[0] > b[0]) if self._descending else bool(a[0] < b[0])
        return a[1] < b[1]

    def _in_order(self, pairs: list[tuple[Key, T]]) -> list[tuple[Key, T]]:
        if self._descending:
            return sorted(pairs, key=lambda p: (p[0][0], -p[0][1]), reverse=True)
        return sorted(pairs, key=lambda p: p[0])

    def _position(self, key: Key) -> int:
        """Where a row with ``key`` belongs (binary search over the kept keys)."""
        keys = self._keys
        low, high = 0, len(keys)
        while low < high:
            middle = (low + high) // 2
            if self._before(keys[middle], key):
                low = middle + 1
            else:
                high = middle
        return low

    def _fits(self, row: int, key: Key) -> bool:
        """True when a row whose key became ``key`` may stay where it is."""
        above = row == 0 or self._before(self._keys[row - 1], key)
        below = row == len(self._keys) - 1 or self._before(key, self._keys[row + 1])
        return above and below

    def _resort(self) -> None:
        """Put every row in the order asked for: one layoutChanged, the selection follows."""
        self._keys = [self._sort_key(d) for d in self._shown]
        self._key_of = {entry_id(d.entry): k for d, k in zip(self._shown, self._keys, strict=True)}
        n = len(self._shown)
        if n < 2:
            return
        order = [r for _k, r in self._in_order([(k, r) for r, k in enumerate(self._keys)])]
        if order == list(range(n)):
            return
        self.layoutAboutToBeChanged.emit()
        new_row = [0] * n
        for new, old in enumerate(order):
            new_row[old] = new
        persistent = self.persistentIndexList()
        moved = [self.index(new_row[i.row()], i.column()) for i in persistent]
        self._shown = [self._shown[r] for r in order]
        self._keys = [self._keys[r] for r in order]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()


def _sequence(entry: Any) -> int:
    """Creation order of an entry (the merger's ids count up); 0 when it has none."""
    ident = getattr(entry, "id", 0)
    return ident if isinstance(ident, int) else 0


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Ascending row numbers as (first, last) runs of neighbours."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
