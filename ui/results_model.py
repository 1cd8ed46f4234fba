"""The merged results as a Qt table: rows join as catalogues answer, never reshuffled.

``ResultsModel`` holds merged entries in arrival order and only ever appends, updates or
removes rows (beginInsertRows & co.), so views keep their selection; ``ResultsFilter`` sorts
and filters on top (filter-as-you-type and facet choices), leaving the source order alone.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.records.model import BibRecord

EntryRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
ScoreRole = Qt.ItemDataRole.UserRole + 3

AnyIndex = QModelIndex | QPersistentModelIndex


class Entry(Protocol):
    """What the table needs of app.search.merge.MergedRecord."""

    @property
    def title(self) -> str: ...
    @property
    def authors(self) -> Sequence[str]: ...
    @property
    def year(self) -> int | None: ...
    @property
    def edition(self) -> str: ...
    @property
    def publisher(self) -> str: ...
    @property
    def isbns(self) -> Sequence[str]: ...
    @property
    def held_by(self) -> Sequence[str]: ...
    @property
    def best(self) -> BibRecord: ...


def entry_id(entry: Any) -> Hashable:
    """The entry's stable id (the merger never changes it once given)."""
    ident = getattr(entry, "id", None)
    return ident if ident is not None else entry.key


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
    subtitle = getattr(entry, "subtitle", "")
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


class ResultsModel(QAbstractTableModel):
    """Merged entries in arrival order; ``update`` applies one coalesced batch of changes."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._row_of: dict[Hashable, int] = {}
        self._search: dict[Hashable, str] = {}
        self.score: Callable[[Any], float] | None = None

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
        entry = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == SortRole:
            return sort_key(entry, column)
        if role == EntryRole:
            return entry
        if role == ScoreRole:
            return self.score(entry) if self.score is not None else 0.0
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("year", "held"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return display(entry, column)
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
        return self._row_of.get(ident)

    def search_text(self, row: int) -> str:
        ident = entry_id(self._rows[row])
        text = self._search.get(ident)
        if text is None:
            text = self._search[ident] = search_text(self._rows[row])
        return text

    # --- changing ---

    def clear(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self._row_of.clear()
        self._search.clear()
        self.endResetModel()

    def update(
        self,
        added: Iterable[Any] = (),
        changed: Iterable[Any] = (),
        removed: Iterable[Hashable] = (),
    ) -> None:
        """Apply one batch: remove joined-away entries, refresh changed ones, append new ones."""
        gone = sorted((self._row_of[i] for i in set(removed) if i in self._row_of), reverse=True)
        for row in gone:
            self.beginRemoveRows(QModelIndex(), row, row)
            ident = entry_id(self._rows.pop(row))
            self._search.pop(ident, None)
            self.endRemoveRows()
        if gone:
            self._row_of = {entry_id(e): r for r, e in enumerate(self._rows)}
        touched: list[int] = []
        fresh: list[Any] = []
        for entry in changed:
            ident = entry_id(entry)
            row = self._row_of.get(ident)
            if row is None:
                fresh.append(entry)
                continue
            self._rows[row] = entry
            self._search.pop(ident, None)
            touched.append(row)
        for first, last in _runs(sorted(touched)):
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        new = [e for e in [*fresh, *added] if entry_id(e) not in self._row_of]
        new = list({entry_id(e): e for e in new}.values())
        if new:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            for offset, entry in enumerate(new):
                self._rows.append(entry)
                self._row_of[entry_id(entry)] = start + offset
            self.endInsertRows()

    def refresh_all(self) -> None:
        """Scores changed (new query terms, new holdings): re-read every row."""
        if self._rows:
            self._search.clear()
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            )


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """[1,2,3,7,8] -> [(1,3),(7,8)]: one dataChanged per contiguous run."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], max(row, runs[-1][1]))
        else:
            runs.append((row, row))
    return runs


class ResultsFilter(QSortFilterProxyModel):
    """Sorts (by column or by relevance) and filters (typed words and facet choices)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._allowed: Callable[[Any], bool] | None = None
        self.by_relevance = True
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(True)

    def set_by_relevance(self, on: bool) -> None:
        """Relevance or column order; the proxy skips a re-sort on the same column, so say so."""
        if on != self.by_relevance:
            self.by_relevance = on
            self.invalidate()

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
        model = self.sourceModel()
        assert isinstance(model, ResultsModel)
        if self._words:
            text = model.search_text(source_row)
            if not all(w in text for w in self._words):
                return False
        return self._allowed is None or self._allowed(model.entry(source_row))

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        if self.by_relevance:
            ls, rs = left.data(ScoreRole), right.data(ScoreRole)
            if ls != rs:
                # higher score first even though Qt sorts ascending
                return bool(ls > rs)
            return left.row() < right.row()
        lk, rk = left.data(SortRole), right.data(SortRole)
        if lk != rk:
            return bool(lk < rk)
        return left.row() < right.row()
