"""Batch lookup: a list of ISBNs against every ticked catalogue, as a holdings matrix.

The work is app.search.batch's ``BatchLookup`` (one association per catalogue, the profile's
pause between requests, answers kept in a state file). Rows are the ISBNs (ISBN-13), columns
the catalogues; a cell says found (with how many records), not found, or the error in a few
words (the whole story on hover). Lines of the list that hold no ISBN are named with why.
The matrix exports as CSV. Nothing modal blocks the window while catalogues answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
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

from app.errors import PolycatError
from app.search.batch import BatchProgress, Cell, read_isbn_text, write_matrix_csv
from ui.bridge import TaskSlot
from ui.options import Settings

# (isbns, profiles, state file) -> a BatchLookup
Lookup = Callable[[Any, list[Any], Path], Any]

StateRole = Qt.ItemDataRole.UserRole + 1


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
        self.running: Any = None  # the BatchLookup of the current run
        # answers of this dialog's runs; a fresh file per run, so a rerun asks again
        self._states = tempfile.TemporaryDirectory(prefix="polycat-batch-")
        self._runs = 0
        self.input = QPlainTextEdit(self)
        self.input.setAccessibleName(self.tr("ISBNs to look up"))
        self.input.setPlaceholderText(
            self.tr("Paste ISBNs here, one per line, or a RIS or BibTeX list (or open a file)")
        )
        self.matrix = QTableWidget(self)
        self.matrix.setAccessibleName(self.tr("Holdings matrix"))
        self.matrix.setToolTip(self.tr("ISBN × catalogue: found, not found, or why it failed"))
        self.open_button = QPushButton(self.tr("Open list…"), self)
        self.run_button = QPushButton(self.tr("Look up"), self)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.csv_button = QPushButton(self.tr("Export CSV…"), self)
        for b, tip in (
            (self.open_button, self.tr("Read ISBNs from a text, CSV, RIS or BibTeX file")),
            (self.run_button, self.tr("Ask every ticked catalogue for every ISBN")),
            (self.stop_button, self.tr("Stop the lookup")),
            (self.csv_button, self.tr("Save the matrix as CSV")),
        ):
            b.setAccessibleName(b.text().rstrip("…"))
            b.setToolTip(tip)
        self.stop_button.setEnabled(False)
        self.csv_button.setEnabled(False)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
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
        self._skipped_note = ""  # lines of the list that gave no ISBN, said with every status

    def open_list(self) -> None:
        folder = str(self.settings.get("batch/last_dir"))
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a list of ISBNs"),
            folder,
            self.tr("Lists (*.txt *.csv *.tsv *.ris *.bib);;All files (*)"),
        )
        if path:
            self.settings.set("batch/last_dir", str(Path(path).parent))
            self.input.setPlainText(Path(path).read_text(encoding="utf-8", errors="replace"))

    def run(self) -> asyncio.Task[Any] | None:
        isbns = read_isbn_text(self.input.toPlainText())
        profiles = self._profiles()
        skipped = "".join(
            self.tr("\nLine {0} skipped: {1}").format(s.line, s.reason) for s in isbns.skipped[:5]
        )
        if not isbns:
            self.status.setText(self.tr("No ISBN found in the list.") + skipped)
            return None
        if not profiles:
            self.status.setText(self.tr("Tick at least one catalogue in the main window."))
            return None
        self._runs += 1
        self._skipped_note = skipped
        try:
            lookup = self._lookup(isbns, profiles, Path(self._states.name) / f"{self._runs}.state")
        except PolycatError as problem:
            self.status.setText(problem.message)
            return None
        self._prepare(lookup)
        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.status.setText(
            self.tr("Looking up {0} ISBNs in {1} catalogues…").format(len(isbns), len(profiles))
            + skipped
        )
        return self.slot.start(self._run(lookup))

    def _prepare(self, lookup: Any) -> None:
        self.running = lookup
        names = [p.name for p in lookup.profiles]
        self.matrix.clear()
        self.matrix.setRowCount(len(lookup.isbns))
        self.matrix.setColumnCount(len(names))
        self.matrix.setHorizontalHeaderLabels(names)
        self.matrix.setVerticalHeaderLabels(lookup.isbns)
        self._rows = {isbn: r for r, isbn in enumerate(lookup.isbns)}
        self._cols = {p.id: c for c, p in enumerate(lookup.profiles)}
        for r in range(len(lookup.isbns)):
            for c in range(len(names)):
                self.matrix.setItem(r, c, QTableWidgetItem("…"))

    async def _run(self, lookup: Any) -> None:
        progress: BatchProgress | None = None
        try:
            async with contextlib.aclosing(lookup.run()) as events:
                async for event in events:
                    if isinstance(event, Cell):
                        self.show_cell(event)
                    elif isinstance(event, BatchProgress):
                        progress = event
                        self.status.setText(self._progress_text(event))
        except asyncio.CancelledError:
            lookup.cancel()
            self.status.setText(self.tr("Stopped. ") + self._progress_text(progress))
            raise
        except PolycatError as problem:
            self.status.setText(problem.message)
        else:
            self.status.setText(self.tr("Done. ") + self._progress_text(progress))
        finally:
            self.run_button.setEnabled(True)
            self.stop_button.setEnabled(False)
            self.csv_button.setEnabled(progress is not None and progress.done > 0)

    def _progress_text(self, p: BatchProgress | None) -> str:
        if p is None:
            return self._skipped_note.strip()
        return (
            self.tr("{0} of {1} answers: {2} found, {3} not found, {4} errors.").format(
                p.done, p.total, p.found, p.not_found, p.errors
            )
            + self._skipped_note
        )

    def show_cell(self, cell: Cell) -> None:
        r, c = self._rows.get(cell.isbn), self._cols.get(cell.catalogue)
        if r is None or c is None:
            return
        if cell.status == "found":
            text = self.tr("found ({0})").format(cell.hits) if cell.hits != 1 else self.tr("found")
        elif cell.status == "not found":
            text = self.tr("not found")
        else:
            text = self.tr("error: {0}").format(cell.error or "?")
        item = QTableWidgetItem(text)
        tip = "\n".join(x for x in (cell.title, cell.error, cell.detail, cell.query) if x)
        item.setToolTip(tip or text)
        item.setData(StateRole, cell.status)
        self.matrix.setItem(r, c, item)

    def stop(self) -> None:
        if self.running is not None:
            self.running.cancel()
        self.slot.cancel()

    def save_csv(self, path: Path | None = None) -> Path | None:
        """The matrix as app.search.batch writes it (spreadsheet-friendly UTF-8)."""
        if self.running is None:
            return None
        if path is None:
            folder = str(self.settings.get("batch/last_dir"))
            suggested = str(Path(folder) / "holdings.csv")
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export CSV"), suggested, self.tr("CSV (*.csv)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        write_matrix_csv(self.running.matrix, path)
        self.status.setText(self.tr("Saved {0}").format(path.name))
        return path

    def reject(self) -> None:
        self.stop()
        super().reject()

    def closeEvent(self, event: Any) -> None:
        self.stop()
        super().closeEvent(event)
