"""The merged results as a Qt table: rows join in sort order as catalogues answer.

``ResultsModel`` keeps the rows in display order itself: a new entry is inserted where its
sort key belongs (binary search over the kept keys), and an entry whose key changed is taken
out and put back where it now belongs, so a batch costs what its own rows cost whatever the
length of the list. Rows are found by their key too (kept per entry id), so no index of rows
is rebuilt after an insert. Only a row the user is looking at (current or selected) is moved
with a layoutChanged, which keeps the selection on it; a sorting proxy would instead rebuild
its mapping, a Python call per row, on every move. ``ResultsFilter`` only filters (typed
words and facet choices) and hands sort requests (header clicks) to the model.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

EntryRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
ScoreRole = Qt.ItemDataRole.UserRole + 3

AnyIndex = QModelIndex | QPersistentModelIndex


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


class ResultsModel(QAbstractTableModel):
    """Merged entries in arrival order; ``update`` applies one coalesced batch of changes.

    Entries are live objects the merger changes in place; what a row shows is cached per
    entry ``version`` so painting and sorting thousands of rows stays cheap.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._cache: list[_Row | None] = []
        self._keys: list[tuple[Any, int]] = []  # sort key per row, in display order
        self._key_of: dict[Hashable, tuple[Any, int]] = {}  # entry id -> its key: finds its row
        self._ready: dict[Hashable, _Row] = {}  # worked out ahead by prepare(), not yet shown
        self._score: Callable[[Any], float] | None = None
        # row -> True when the user is looking at it (current or selected): such a row moves
        # by a layoutChanged, which the selection follows, rather than out and back in
        self.in_use: Callable[[int], bool] = lambda _row: False
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
        self._cache = [None] * len(self._rows)
        self._ready.clear()
        self._resort()

    def row_data(self, row: int) -> _Row:
        cached = self._cache[row]
        entry = self._rows[row]
        if cached is None or cached.version != getattr(entry, "version", None):
            cached = self._cache[row] = _Row(entry, self._score)
        return cached

    def prepare(self, entries: Iterable[Any]) -> None:
        """Work out now what ``update`` will need for these entries (relevance, sort key), so
        that the batch which shows them, later, is only Qt's bookkeeping."""
        for entry in entries:
            cached = _Row(entry, self._score)
            self._sort_key(cached, entry)
            self._ready[entry_id(entry)] = cached

    def _fresh_row(self, entry: Any) -> _Row:
        cached = self._ready.pop(entry_id(entry), None)
        if cached is None or cached.entry is not entry or cached.version != getattr(
            entry, "version", None
        ):
            cached = _Row(entry, self._score)
        return cached

    # --- the model ---

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

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

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.row_data(row).text(column)
        if role == EntryRole:
            return self._rows[row]
        if role == SortRole:
            return self.row_data(row).key(column)
        if role == ScoreRole:
            return self.row_data(row).score
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(self._rows[row], COLUMNS[column])
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[column] in ("year", "held"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
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
        return self._rows[row]

    def entries(self) -> list[Any]:
        return list(self._rows)

    def row_of(self, ident: Hashable) -> int | None:
        """The row of an entry (binary search on the key it was filed under)."""
        key = self._key_of.get(ident)
        if key is None:
            return None
        row = self._position(key)
        while row < len(self._keys) and self._keys[row] == key:
            if entry_id(self._rows[row]) == ident:  # equal keys: entries without a sequence
                return row
            row += 1
        return None

    def search_text(self, row: int) -> str:
        return self.row_data(row).search

    # --- changing ---

    def clear(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self._cache.clear()
        self._keys.clear()
        self._key_of.clear()
        self._ready.clear()
        self.endResetModel()

    def update(
        self,
        added: Iterable[Any] = (),
        changed: Iterable[Any] = (),
        removed: Iterable[Hashable] = (),
    ) -> None:
        """Apply one batch: remove joined-away entries, refresh changed ones (moving those
        whose sort key changed), insert new ones where the sort order puts them."""
        for ident in set(removed):
            self._ready.pop(ident, None)
            row = self.row_of(ident)
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                self._take(row)
                self.endRemoveRows()
        fresh: list[Any] = []
        held: list[tuple[Any, tuple[Any, int]]] = []  # rows in use whose key no longer fits
        for entry in changed:
            ident = entry_id(entry)
            row = self.row_of(ident)
            if row is None:
                fresh.append(entry)
                continue
            self._rows[row] = entry
            self._cache[row] = self._fresh_row(entry)  # the merger changed what it shows
            key = self._key_of_row(row)
            if self._fits(row, key):
                self._keys[row] = self._key_of[ident] = key
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            elif self.in_use(row):
                held.append((entry, key))
            else:
                cached = self._cache[row]
                self.beginRemoveRows(QModelIndex(), row, row)
                self._take(row)
                self.endRemoveRows()
                self._insert(entry, cached, key)
        for entry in {entry_id(e): e for e in [*fresh, *added]}.values():
            if entry_id(entry) not in self._key_of:
                cached = self._fresh_row(entry)
                self._insert(entry, cached, self._sort_key(cached, entry))
        if held:
            # moved last and together: until then every kept key is in order for row_of
            for entry, key in held:
                row = self.row_of(entry_id(entry))
                assert row is not None
                self._keys[row] = self._key_of[entry_id(entry)] = key
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            self._resort(fresh_keys=False)

    def _insert(self, entry: Any, cached: _Row | None, key: tuple[Any, int]) -> None:
        row = self._position(key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, entry)
        self._cache.insert(row, cached)
        self._keys.insert(row, key)
        self._key_of[entry_id(entry)] = key
        self.endInsertRows()

    def _take(self, row: int) -> None:
        self._key_of.pop(entry_id(self._rows.pop(row)), None)
        self._cache.pop(row)
        self._keys.pop(row)

    # --- the order ---

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Keep the rows ordered by ``column`` (-1: by relevance, best first)."""
        self.sort_column, self.sort_order = column, order
        self._resort()

    @property
    def _descending(self) -> bool:
        return self.sort_column >= 0 and self.sort_order == Qt.SortOrder.DescendingOrder

    def _sort_key(self, data: _Row, entry: Any) -> tuple[Any, int]:
        """(value, arrival) — ties keep arrival order whichever the direction."""
        value = -data.score if self.sort_column < 0 else data.key(self.sort_column)
        return value, _sequence(entry)

    def _key_of_row(self, row: int) -> tuple[Any, int]:
        return self._sort_key(self.row_data(row), self._rows[row])

    def _before(self, a: tuple[Any, int], b: tuple[Any, int]) -> bool:
        if a[0] != b[0]:
            return bool(a[0] > b[0]) if self._descending else bool(a[0] < b[0])
        return a[1] < b[1]

    def _position(self, key: tuple[Any, int], keys: list[tuple[Any, int]] | None = None) -> int:
        """Where a row with ``key`` belongs (binary search over the kept keys)."""
        keys = self._keys if keys is None else keys
        low, high = 0, len(keys)
        while low < high:
            middle = (low + high) // 2
            if self._before(keys[middle], key):
                low = middle + 1
            else:
                high = middle
        return low

    def _fits(self, row: int, key: tuple[Any, int]) -> bool:
        """True when a row whose key became ``key`` may stay where it is."""
        above = row == 0 or self._before(self._keys[row - 1], key)
        below = row == len(self._keys) - 1 or self._before(key, self._keys[row + 1])
        return above and below

    def _resort(self, fresh_keys: bool = True) -> None:
        """Put every row in order: one layoutChanged, the selection follows its rows.
        ``fresh_keys``: the order itself changed (column, direction, relevance), so every
        row's key is computed again; otherwise the kept keys are up to date."""
        n = len(self._rows)
        if fresh_keys or len(self._keys) != n:
            self._keys = [self._key_of_row(r) for r in range(n)]
            self._key_of = {entry_id(e): k for e, k in zip(self._rows, self._keys, strict=True)}
        if n < 2:
            return
        keys = self._keys
        if self._descending:
            order = sorted(range(n), key=lambda r: (keys[r][0], -keys[r][1]), reverse=True)
        else:
            order = sorted(range(n), key=lambda r: keys[r])
        if order == list(range(n)):
            return
        self.layoutAboutToBeChanged.emit()
        new_row = [0] * n
        for new, old in enumerate(order):
            new_row[old] = new
        persistent = self.persistentIndexList()
        moved = [self.index(new_row[i.row()], i.column()) for i in persistent]
        self._rows = [self._rows[r] for r in order]
        self._cache = [self._cache[r] for r in order]
        self._keys = [keys[r] for r in order]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()


def _sequence(entry: Any) -> int:
    """Creation order of an entry (the merger's ids count up); 0 when it has none."""
    ident = getattr(entry, "id", 0)
    return ident if isinstance(ident, int) else 0


class ResultsFilter(QSortFilterProxyModel):
    """Filters (typed words and facet choices); sorting is the model's (see the module)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._allowed: Callable[[Any], bool] | None = None
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # the header's click: the model orders its rows; this proxy keeps the model's order
        model = self.sourceModel()
        assert isinstance(model, ResultsModel)
        model.sort(column, order)

    def set_filter_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_allowed(self, allowed: Callable[[Any], bool] | None) -> None:
        """A predicate from the facets (None: everything passes)."""
        self.beginFilterChange()
        self._allowed = allowed
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._words and self._allowed is None:
            return True
        model = self.sourceModel()
        assert isinstance(model, ResultsModel)
        if self._words:
            text = model.search_text(source_row)
            if not all(w in text for w in self._words):
                return False
        return self._allowed is None or self._allowed(model.entry(source_row))
