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
        """Show fresh counts, keeping what the user ticked and which facets are open."""
        self.tree.blockSignals(True)
        self.tree.clear()
        for name, title in self.titles.items():
            values = list(counts.get(name, ()))
            top = QTreeWidgetItem(self.tree, [f"{title} ({len(values)})" if values else title])
            top.setData(0, ValueRole, name)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            chosen = self.chosen.get(name, set())
            shown = [v for v in values[: self.SHOWN]]
            # a ticked value stays visible even when it fell out of the most frequent
            shown += [v for v in values[self.SHOWN :] if v[0] in chosen]
            for value, count in shown:
                child = QTreeWidgetItem(top, [f"{value} ({count})"])
                child.setData(0, ValueRole, value)
                child.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(
                    0, Qt.CheckState.Checked if value in chosen else Qt.CheckState.Unchecked
                )
            rest = len(values) - len(shown)
            if rest > 0:
                more = QTreeWidgetItem(top, [self.tr("… {0} more").format(rest)])
                more.setFlags(Qt.ItemFlag.ItemIsEnabled)
            top.setExpanded(name in self._expanded or bool(chosen))
        self.tree.blockSignals(False)

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
