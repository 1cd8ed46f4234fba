"""Batch lookup: a list of ISBNs against every ticked catalogue, as a holdings matrix.

Rows are the ISBNs, columns the catalogues; each cell says found (with how many records),
not found, or the error in a few words (the whole story on hover). The matrix exports as CSV.
Nothing modal blocks the window while the catalogues answer; Stop cancels at once.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.bridge import TaskSlot
from ui.options import Settings

# (isbns, profiles) -> an async stream of cells: (isbn, target id, state, hits, detail), where
# state is "found", "not found" or "error"
Lookup = Callable[[list[str], list[Any]], AsyncIterator[tuple[str, str, str, int, str]]]

_SPLIT = re.compile(r"[\s,;]+")


def isbns_in(text: str) -> list[str]:
    """The ISBN-looking tokens of pasted text, in order, each once (hyphens kept as typed)."""
    found: dict[str, None] = {}
    for token in _SPLIT.split(text):
        token = token.strip().strip("\"'")
        digits = token.replace("-", "")
        if (
            len(digits) in (10, 13)
            and digits[:-1].isdigit()
            and (digits[-1].isdigit() or digits[-1] in "xX")
        ):
            found.setdefault(token, None)
    return list(found)


class BatchDialog(QDialog):
    """Paste or open a list of ISBNs; Look up; read the matrix; Export CSV."""

    def __init__(
        self,
        settings: Settings,
        profiles: Callable[[], list[Any]],
        lookup: Lookup,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Look up a list of ISBNs"))
        self.setModal(False)
        self.resize(900, 560)
        self.settings = settings
        self._profiles = profiles
        self._lookup = lookup
        self.slot = TaskSlot("batch")
        self.input = QPlainTextEdit(self)
        self.input.setAccessibleName(self.tr("ISBNs to look up"))
        self.input.setPlaceholderText(self.tr("Paste ISBNs here, one per line (or open a file)"))
        self.matrix = QTableWidget(self)
        self.matrix.setAccessibleName(self.tr("Holdings matrix"))
        self.matrix.setToolTip(self.tr("ISBN × catalogue: found, not found, or why it failed"))
        self.open_button = QPushButton(self.tr("Open list…"), self)
        self.run_button = QPushButton(self.tr("Look up"), self)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.csv_button = QPushButton(self.tr("Export CSV…"), self)
        for b, tip in (
            (self.open_button, self.tr("Read ISBNs from a text or CSV file")),
            (self.run_button, self.tr("Ask every ticked catalogue for every ISBN")),
            (self.stop_button, self.tr("Stop the lookup")),
            (self.csv_button, self.tr("Save the matrix as CSV")),
        ):
            b.setAccessibleName(b.text().rstrip("…"))
            b.setToolTip(tip)
        self.stop_button.setEnabled(False)
        self.csv_button.setEnabled(False)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Lookup status"))
        buttons = QHBoxLayout()
        for b in (self.open_button, self.run_button, self.stop_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.csv_button)
        split = QSplitter(self)
        split.addWidget(self.input)
        split.addWidget(self.matrix)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.open_button.clicked.connect(self.open_list)
        self.run_button.clicked.connect(lambda: self.run())
        self.stop_button.clicked.connect(self.stop)
        self.csv_button.clicked.connect(self.save_csv)
        self._rows: dict[str, int] = {}
        self._cols: dict[str, int] = {}

    def open_list(self) -> None:
        folder = str(self.settings.get("batch/last_dir"))
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a list of ISBNs"),
            folder,
            self.tr("Lists (*.txt *.csv *.tsv);;All files (*)"),
        )
        if path:
            self.settings.set("batch/last_dir", str(Path(path).parent))
            self.input.setPlainText(Path(path).read_text(encoding="utf-8", errors="replace"))

    def run(self) -> asyncio.Task[Any] | None:
        isbns = isbns_in(self.input.toPlainText())
        profiles = self._profiles()
        if not isbns:
            self.status.setText(self.tr("No ISBN found in the list."))
            return None
        if not profiles:
            self.status.setText(self.tr("Tick at least one catalogue in the main window."))
            return None
        self._prepare(isbns, profiles)
        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.status.setText(
            self.tr("Looking up {0} ISBNs in {1} catalogues…").format(len(isbns), len(profiles))
        )
        return self.slot.start(self._run(isbns, profiles))

    def _prepare(self, isbns: list[str], profiles: Sequence[Any]) -> None:
        self.matrix.clear()
        self.matrix.setRowCount(len(isbns))
        self.matrix.setColumnCount(len(profiles))
        self.matrix.setHorizontalHeaderLabels([p.name for p in profiles])
        self.matrix.setVerticalHeaderLabels(isbns)
        self._rows = {isbn: r for r, isbn in enumerate(isbns)}
        self._cols = {p.id: c for c, p in enumerate(profiles)}
        for r in range(len(isbns)):
            for c in range(len(profiles)):
                self.matrix.setItem(r, c, QTableWidgetItem("…"))

    async def _run(self, isbns: list[str], profiles: list[Any]) -> None:
        done = 0
        try:
            async for isbn, target, state, hits, detail in self._lookup(isbns, profiles):
                self.set_cell(isbn, target, state, hits, detail)
                done += 1
        except asyncio.CancelledError:
            self.status.setText(self.tr("Stopped after {0} answers.").format(done))
            raise
        else:
            self.status.setText(self.tr("Done: {0} answers.").format(done))
        finally:
            self.run_button.setEnabled(True)
            self.stop_button.setEnabled(False)
            self.csv_button.setEnabled(done > 0)

    def set_cell(self, isbn: str, target: str, state: str, hits: int, detail: str) -> None:
        r, c = self._rows.get(isbn), self._cols.get(target)
        if r is None or c is None:
            return
        if state == "found":
            text = self.tr("found ({0})").format(hits) if hits != 1 else self.tr("found")
        elif state == "not found":
            text = self.tr("not found")
        else:
            text = self.tr("error: {0}").format(detail.splitlines()[0] if detail else "?")
        item = QTableWidgetItem(text)
        item.setToolTip(detail or text)
        item.setData(0x0100, state)  # Qt.UserRole: the state, for the CSV
        self.matrix.setItem(r, c, item)

    def stop(self) -> None:
        self.slot.cancel()

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        headers = [
            self.matrix.horizontalHeaderItem(c).text() for c in range(self.matrix.columnCount())
        ]
        writer.writerow(["ISBN", *headers])
        for r in range(self.matrix.rowCount()):
            isbn = self.matrix.verticalHeaderItem(r).text()
            writer.writerow(
                [isbn] + [self.matrix.item(r, c).text() for c in range(self.matrix.columnCount())]
            )
        return out.getvalue()

    def save_csv(self) -> None:
        folder = str(self.settings.get("batch/last_dir"))
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export CSV"),
            str(Path(folder) / "holdings.csv"),
            self.tr("CSV (*.csv)"),
        )
        if path:
            Path(path).write_text(self.csv_text(), encoding="utf-8", newline="")
            self.status.setText(self.tr("Saved {0}").format(Path(path).name))

    def reject(self) -> None:
        self.slot.cancel()
        super().reject()
