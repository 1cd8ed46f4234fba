"""Browse a catalogue's index around a term (Z39.50 Scan) and search from an entry.

Only catalogues whose profile says they offer scan are listed. Double-click (or Enter) on an
entry searches that exact heading in the chosen index.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import PolycatError
from ui.bridge import TaskSlot

# (profile, index name, term, how many, where the term should stand) -> scan entries
ScanFunction = Callable[[Any, str, str, int, int], Awaitable[Sequence[Any]]]

INDEXES = ("title", "author", "subject")
PAGE = 20


class ScanDock(QDockWidget):
    """[catalogue ▾] [index ▾] [term....] [Browse]; a list of headings with counts."""

    searchFor = Signal(str, str)  # index name, heading

    def __init__(self, scan: ScanFunction, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Browse an index"), parent)
        self.setObjectName("scan-dock")
        self._scan = scan
        self.slot = TaskSlot("scan")
        body = QWidget(self)
        self.target = QComboBox(body)
        self.target.setAccessibleName(self.tr("Catalogue to browse"))
        self.index = QComboBox(body)
        self.index.setAccessibleName(self.tr("Index to browse"))
        for name, label in zip(
            INDEXES, (self.tr("Title"), self.tr("Author"), self.tr("Subject")), strict=True
        ):
            self.index.addItem(label, name)
        self.term = QLineEdit(body)
        self.term.setAccessibleName(self.tr("Browse from"))
        self.term.setPlaceholderText(self.tr("Start at…"))
        self.browse_button = QPushButton(self.tr("Browse"), body)
        self.browse_button.setAccessibleName(self.tr("Browse"))
        self.browse_button.setToolTip(self.tr("List the index entries around this term"))
        self.earlier = QPushButton(self.tr("◂ Earlier"), body)
        self.earlier.setAccessibleName(self.tr("Earlier entries"))
        self.later = QPushButton(self.tr("Later ▸"), body)
        self.later.setAccessibleName(self.tr("Later entries"))
        self.entries = QTreeWidget(body)
        self.entries.setHeaderLabels([self.tr("Heading"), self.tr("Records")])
        self.entries.setRootIsDecorated(False)
        self.entries.setAccessibleName(self.tr("Index entries"))
        header = self.entries.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.entries.setToolTip(self.tr("Double-click a heading to search for it"))
        self.status = QLabel(body)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Browse status"))
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(self.index)
        row2 = QHBoxLayout()
        row2.addWidget(self.term, 1)
        row2.addWidget(self.browse_button)
        paging = QHBoxLayout()
        paging.addWidget(self.earlier)
        paging.addStretch(1)
        paging.addWidget(self.later)
        layout = QVBoxLayout(body)
        layout.addLayout(row)
        layout.addLayout(row2)
        layout.addWidget(self.entries, 1)
        layout.addLayout(paging)
        layout.addWidget(self.status)
        self.setWidget(body)
        self._profiles: list[Any] = []
        self.browse_button.clicked.connect(lambda: self.browse())
        self.term.returnPressed.connect(lambda: self.browse())
        self.earlier.clicked.connect(self._earlier)
        self.later.clicked.connect(self._later)
        self.entries.itemActivated.connect(self._activated)
        self._set_paging(False)

    def set_profiles(self, profiles: Sequence[Any]) -> None:
        self._profiles = [p for p in profiles if p.capabilities.scan]
        current = self.target.currentData()
        self.target.clear()
        for p in self._profiles:
            self.target.addItem(p.name, p.id)
        index = self.target.findData(current)
        self.target.setCurrentIndex(max(0, index))
        has = bool(self._profiles)
        self.browse_button.setEnabled(has)
        if not has:
            self.status.setText(self.tr("None of the catalogues offers browsing."))

    def profile(self) -> Any:
        tid = self.target.currentData()
        return next((p for p in self._profiles if p.id == tid), None)

    def browse(self, term: str | None = None, position: int = 1) -> asyncio.Task[Any] | None:
        profile = self.profile()
        text = self.term.text().strip() if term is None else term
        if profile is None or not text:
            return None
        self.status.setText(self.tr("Browsing {0}…").format(profile.name))
        return self.slot.start(self._browse(profile, str(self.index.currentData()), text, position))

    async def _browse(self, profile: Any, index: str, term: str, position: int) -> None:
        try:
            found = await self._scan(profile, index, term, PAGE, position)
        except asyncio.CancelledError:
            self.status.setText(self.tr("Stopped."))
            raise
        except PolycatError as problem:
            self.status.setText(self.tr("{0}: {1}").format(profile.name, problem.message))
            self.status.setToolTip(problem.detail)
            return
        except OSError as problem:
            self.status.setText(self.tr("{0}: cannot connect ({1})").format(profile.name, problem))
            return
        self.show_entries(found)
        self.status.setText(self.tr("{0} headings from {1}").format(len(found), profile.name))

    def show_entries(self, found: Sequence[Any]) -> None:
        self.entries.clear()
        for entry in found:
            if getattr(entry, "diagnostic", None) is not None:
                continue
            count = "" if entry.count is None else str(entry.count)
            item = QTreeWidgetItem([entry.display or entry.term, count])
            item.setData(0, Qt.ItemDataRole.UserRole, entry.term)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            self.entries.addTopLevelItem(item)
        self._set_paging(self.entries.topLevelItemCount() > 0)

    def _set_paging(self, on: bool) -> None:
        self.earlier.setEnabled(on)
        self.later.setEnabled(on)

    def _edge(self, last: bool) -> str | None:
        n = self.entries.topLevelItemCount()
        if not n:
            return None
        item = self.entries.topLevelItem(n - 1 if last else 0)
        return None if item is None else str(item.data(0, Qt.ItemDataRole.UserRole))

    def _later(self) -> None:
        edge = self._edge(last=True)
        if edge is not None:
            self.browse(edge, position=1)

    def _earlier(self) -> None:
        edge = self._edge(last=False)
        if edge is not None:
            self.browse(edge, position=PAGE)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.searchFor.emit(
            str(self.index.currentData()), str(item.data(0, Qt.ItemDataRole.UserRole))
        )
