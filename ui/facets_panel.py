"""Facets: narrow the results by catalogue, year, language, author (counts beside each)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

FacetCounts = Mapping[str, Sequence[tuple[str, int]]]

ValueRole = Qt.ItemDataRole.UserRole + 1


class FacetsPanel(QWidget):
    """A tree: facet ▸ value (count), each value checkable; emits the chosen values."""

    choiceChanged = Signal(dict)  # facet name -> set of chosen values

    # how many values a facet shows (the most frequent first); the rest are counted in a line
    SHOWN = 12

    def __init__(self, titles: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.titles = dict(titles)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(self.tr("Facets"))
        self.tree.setToolTip(self.tr("Tick values to show only the results that have them"))
        self.clear_button = QPushButton(self.tr("Clear facets"), self)
        self.clear_button.setAccessibleName(self.tr("Clear facets"))
        self.clear_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        layout.addWidget(self.clear_button)
        self.chosen: dict[str, set[str]] = {}
        self._expanded: set[str] = set()
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.itemExpanded.connect(lambda i: self._expanded.add(i.data(0, ValueRole)))
        self.tree.itemCollapsed.connect(lambda i: self._expanded.discard(i.data(0, ValueRole)))
        self.clear_button.clicked.connect(self.clear_choice)

    def set_counts(self, counts: FacetCounts) -> None:
        """Show fresh counts, keeping what the user ticked and which facets are open. The
        items are updated in place (redrawn twice a second while results stream in): the
        tree keeps its scroll position and only changed lines are redrawn."""
        self.tree.blockSignals(True)
        tops = {t.data(0, ValueRole): t for t in self._tops()}
        for name, title in self.titles.items():
            top = tops.get(name)
            if top is None:
                top = QTreeWidgetItem(self.tree)
                top.setData(0, ValueRole, name)
                top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            values = list(counts.get(name, ()))
            _set_text(top, f"{title} ({len(values)})" if values else title)
            chosen = self.chosen.get(name, set())
            shown = values[: self.SHOWN]
            # a ticked value stays visible even when it fell out of the most frequent
            shown += [v for v in values[self.SHOWN :] if v[0] in chosen]
            lines: list[tuple[str, str | None]] = [(f"{v} ({n})", v) for v, n in shown]
            rest = len(values) - len(shown)
            if rest > 0:
                lines.append((self.tr("… {0} more").format(rest), None))
            for row, (text, value) in enumerate(lines):
                self._line(top, row, text, value, value in chosen)
            while top.childCount() > len(lines):
                top.takeChild(len(lines))
            top.setExpanded(name in self._expanded or bool(chosen))
        self.tree.blockSignals(False)

    @staticmethod
    def _line(top: QTreeWidgetItem, row: int, text: str, value: str | None, on: bool) -> None:
        """Line ``row`` under a facet: a value to tick, or (value None) the count of the rest."""
        child = top.child(row)
        if child is None or (child.data(0, ValueRole) is None) != (value is None):
            if child is not None:
                top.takeChild(row)
            child = QTreeWidgetItem()
            top.insertChild(row, child)
            if value is None:
                child.setFlags(Qt.ItemFlag.ItemIsEnabled)
            else:
                child.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(0, Qt.CheckState.Unchecked)  # the box is shown from now on
        _set_text(child, text)
        if value is not None:
            if child.data(0, ValueRole) != value:
                child.setData(0, ValueRole, value)
            state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
            if child.checkState(0) != state:
                child.setCheckState(0, state)

    def clear_choice(self) -> None:
        self.chosen = {}
        self.clear_button.setEnabled(False)
        self.tree.blockSignals(True)
        for top in self._tops():
            for child in self._children(top):
                if child.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                    child.setCheckState(0, Qt.CheckState.Unchecked)
        self.tree.blockSignals(False)
        self.choiceChanged.emit({})

    def choose(self, facet: str, value: str, on: bool = True) -> None:
        """Tick or untick one value, as a click would."""
        top = next(t for t in self._tops() if t.data(0, ValueRole) == facet)
        for child in self._children(top):
            if child.data(0, ValueRole) == value:
                child.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                return
        raise KeyError(f"{facet}={value} is not shown")

    def _tops(self) -> list[QTreeWidgetItem]:
        found = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [t for t in found if t is not None]

    @staticmethod
    def _children(top: QTreeWidgetItem) -> list[QTreeWidgetItem]:
        found = (top.child(j) for j in range(top.childCount()))
        return [c for c in found if c is not None]

    def _item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        parent = item.parent()
        if parent is None:
            return
        facet = str(parent.data(0, ValueRole))
        value = str(item.data(0, ValueRole))
        values = self.chosen.setdefault(facet, set())
        if item.checkState(0) == Qt.CheckState.Checked:
            values.add(value)
        else:
            values.discard(value)
        if not values:
            del self.chosen[facet]
        self.clear_button.setEnabled(bool(self.chosen))
        self.choiceChanged.emit({k: set(v) for k, v in self.chosen.items()})


def _set_text(item: QTreeWidgetItem, text: str) -> None:
    if item.text(0) != text:  # an unchanged line is not redrawn
        item.setText(0, text)
