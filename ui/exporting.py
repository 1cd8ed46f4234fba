"""Export from the window: to a file, to the clipboard, or dragged out as a file.

Exports act on the selection, or on every shown entry when nothing is selected; each merged
entry contributes the record app.export's choice rule picks ("most complete, MARC preferred").
The format chosen last is remembered.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QObject, QUrl, Signal
from PySide6.QtGui import QDrag, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from app.errors import PolycatError
from app.export import FORMATS, ExportResult, choose, export
from app.records.model import BibRecord
from ui.options import Settings
from ui.record_text import citation


def records_for(entries: Sequence[Any]) -> list[BibRecord]:
    """One record per merged entry, by app.export's choice rule."""
    chosen: list[BibRecord] = []
    for entry in entries:
        chosen.extend(choose(list(entry.records), "best"))
    return chosen


def filters() -> list[str]:
    return [f"{f.label} (*{f.extension})" for f in FORMATS.values()]


def format_of_filter(text: str) -> str:
    for name, f in FORMATS.items():
        if text.startswith(f.label):
            return name
    raise KeyError(text)


def file_name(fmt: str, stem: str = "polycat-export") -> str:
    return stem + FORMATS[fmt].extension


class Exporter(QObject):
    """Writes exports for the window and reports how it went (``done`` / ``failed``)."""

    done = Signal(str)  # a line for the status bar
    failed = Signal(str, str)  # message, detail

    def __init__(self, settings: Settings, parent: QWidget) -> None:
        super().__init__(parent)
        self.settings = settings
        self.parent_widget = parent
        self._drag_dir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def last_format(self) -> str:
        fmt = str(self.settings.get("export/last_format"))
        return fmt if fmt in FORMATS else "ris"

    def ask_path(self, fmt: str | None = None) -> tuple[Path, str] | None:
        """The file dialog, opened on the last folder with the last format chosen."""
        fmt = fmt or self.last_format
        folder = str(self.settings.get("export/last_dir")) or str(Path.home())
        chosen = FORMATS[fmt]
        path, picked = QFileDialog.getSaveFileName(
            self.parent_widget,
            self.tr("Export"),
            str(Path(folder) / file_name(fmt)),
            ";;".join(filters()),
            f"{chosen.label} (*{chosen.extension})",
        )
        if not path:
            return None
        fmt = format_of_filter(picked) if picked else fmt
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(FORMATS[fmt].extension)
        return target, fmt

    def export_entries(
        self, entries: Sequence[Any], fmt: str | None = None, path: Path | None = None
    ) -> ExportResult | None:
        """Export to a file (asking where when ``path`` is None); the format is remembered."""
        if not entries:
            self.failed.emit(self.tr("There is nothing to export yet."), "")
            return None
        if path is None:
            asked = self.ask_path(fmt)
            if asked is None:
                return None
            path, fmt = asked
        fmt = fmt or self.last_format
        try:
            result = export(records_for(entries), fmt)
            path.write_bytes(result.data)
        except PolycatError as problem:
            self.failed.emit(problem.message, problem.detail)
            return None
        except OSError as problem:
            self.failed.emit(self.tr("Cannot write {0}: {1}").format(path, problem.strerror), "")
            return None
        self.settings.set("export/last_format", fmt)
        self.settings.set("export/last_dir", str(path.parent))
        self._report(result, path.name)
        return result

    def _report(self, result: ExportResult, where: str) -> None:
        skipped = [p for p in result.problems if p.skipped]
        line = self.tr("{0} records exported to {1}").format(result.written, where)
        if skipped:
            line += self.tr(" · {0} left out").format(len(skipped))
        self.done.emit(line)
        if result.problems:
            self.failed.emit(line, "\n".join(str(p) for p in result.problems))

    def copy_citation(self, entry: Any) -> str:
        text = citation(entry.best, list(entry.authors))
        QGuiApplication.clipboard().setText(text)
        self.done.emit(self.tr("Citation copied"))
        return text

    def copy_records(self, entries: Sequence[Any], fmt: str | None = None) -> str:
        """The entries in the last export format (a text one; MARC is copied as MARCXML)."""
        fmt = fmt or self.last_format
        if FORMATS[fmt].binary:
            fmt = "marcxml"
        try:
            text = export(records_for(entries), fmt).data.decode("utf-8")
        except PolycatError as problem:
            self.failed.emit(problem.message, problem.detail)
            return ""
        mime = QMimeData()
        mime.setText(text)
        mime.setData(FORMATS[fmt].mime_type, text.encode("utf-8"))
        QGuiApplication.clipboard().setMimeData(mime)
        self.done.emit(self.tr("{0} records copied as {1}").format(len(entries), fmt))
        return text

    def drag_file(self, entries: Sequence[Any]) -> Path | None:
        """Write the entries to a temporary file in the last format, for a drag."""
        if not entries:
            return None
        fmt = self.last_format
        try:
            result = export(records_for(entries), fmt)
        except PolycatError as problem:
            self.failed.emit(problem.message, problem.detail)
            return None
        if self._drag_dir is None:
            # lives as long as the window, so a drop target can still read it after the drag
            self._drag_dir = tempfile.TemporaryDirectory(prefix="polycat-drag-")
        path = Path(self._drag_dir.name) / file_name(fmt)
        path.write_bytes(result.data)
        return path

    def drag_mime(self, entries: Sequence[Any]) -> QMimeData | None:
        path = self.drag_file(entries)
        if path is None:
            return None
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        return mime

    def start_drag(self, source: QWidget, entries: Sequence[Any]) -> None:
        mime = self.drag_mime(entries)
        if mime is None:
            return
        drag = QDrag(source)
        drag.setMimeData(mime)
        drag.exec()

    def cleanup(self) -> None:
        if self._drag_dir is not None:
            self._drag_dir.cleanup()
            self._drag_dir = None
