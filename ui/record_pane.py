"""The record pane: citation, fields with their catalogue, MARC, raw, every source, holdings."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.records.model import BibRecord
from ui.record_text import FIELDS, citation, comparison, field_value, marc_text, raw_text
from ui.results_model import full_title


def source_records(entry: Any) -> list[BibRecord]:
    """Every catalogue's version of a merged entry, in arrival order."""
    return list(entry.records)


def source_name(record: BibRecord) -> str:
    return record.target or record.database or "?"


def why_text(entry: Any) -> str:
    why = getattr(entry, "why", "")
    if isinstance(why, list | tuple):
        return "; ".join(str(w) for w in why)
    return str(why)


def _table(parent: QWidget, headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(parent)
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setAccessibleName(name)
    return table


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item


class RecordPane(QWidget):
    """Shows one merged entry; buttons ask the window to copy or export it."""

    copyCitation = Signal()
    exportRequested = Signal()
    saveMarc = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry: Any = None
        self.records: list[BibRecord] = []
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Record views"))
        # Citation
        cite_page = QWidget(self)
        self.citation = QTextBrowser(cite_page)
        self.citation.setAccessibleName(self.tr("Citation"))
        self.citation.setOpenExternalLinks(True)
        copy = QPushButton(self.tr("Copy citation"), cite_page)
        copy.setAccessibleName(self.tr("Copy citation"))
        copy.setToolTip(self.tr("Copy this citation to the clipboard"))
        export = QPushButton(self.tr("Export…"), cite_page)
        export.setAccessibleName(self.tr("Export this record"))
        export.setToolTip(self.tr("Export the selected records to a file"))
        save_marc = QPushButton(self.tr("Save MARC"), cite_page)
        save_marc.setAccessibleName(self.tr("Save MARC"))
        save_marc.setToolTip(self.tr("Save the selected records as MARC 21"))
        copy.clicked.connect(self.copyCitation)
        export.clicked.connect(self.exportRequested)
        save_marc.clicked.connect(self.saveMarc)
        buttons = QHBoxLayout()
        for b in (copy, export, save_marc):
            buttons.addWidget(b)
        buttons.addStretch(1)
        cite_layout = QVBoxLayout(cite_page)
        cite_layout.addWidget(self.citation)
        cite_layout.addLayout(buttons)
        # Fields
        self.fields = _table(
            self, [self.tr("Field"), self.tr("Value"), self.tr("From")], self.tr("Fields")
        )
        # MARC and raw, for the source picked here
        marc_page = QWidget(self)
        self.source_box = QComboBox(marc_page)
        self.source_box.setAccessibleName(self.tr("Catalogue version shown"))
        self.source_box.setToolTip(self.tr("Which catalogue's record the MARC and Raw tabs show"))
        self.marc = QPlainTextEdit(marc_page)
        self.marc.setReadOnly(True)
        self.marc.setFont(fixed)
        self.marc.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.marc.setAccessibleName(self.tr("MARC record"))
        source_row = QHBoxLayout()
        source_row.addWidget(QLabel(self.tr("Catalogue:"), marc_page))
        source_row.addWidget(self.source_box, 1)
        marc_layout = QVBoxLayout(marc_page)
        marc_layout.addLayout(source_row)
        marc_layout.addWidget(self.marc)
        self.raw = QPlainTextEdit(self)
        self.raw.setReadOnly(True)
        self.raw.setFont(fixed)
        self.raw.setAccessibleName(self.tr("Raw record"))
        # Sources side by side, Holdings
        self.sources = _table(self, [self.tr("Field")], self.tr("Sources side by side"))
        self.holdings = _table(
            self,
            [
                self.tr("Library"),
                self.tr("Symbol"),
                self.tr("Location"),
                self.tr("Call number"),
                self.tr("Country"),
                self.tr("Note"),
                self.tr("Catalogue"),
            ],
            self.tr("Holdings"),
        )
        self.tabs.addTab(cite_page, self.tr("Citation"))
        self.tabs.addTab(self.fields, self.tr("Fields"))
        self.tabs.addTab(marc_page, self.tr("MARC"))
        self.tabs.addTab(self.raw, self.tr("Raw"))
        self.tabs.addTab(self.sources, self.tr("Sources"))
        self.tabs.addTab(self.holdings, self.tr("Holdings"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.source_box.currentIndexChanged.connect(self._show_source)
        self.clear()

    def clear(self) -> None:
        self.entry = None
        self.records = []
        self.citation.setHtml("<p>" + self.tr("Select a result to see it here.") + "</p>")
        for table in (self.fields, self.sources, self.holdings):
            table.setRowCount(0)
        self.source_box.clear()
        self.marc.clear()
        self.raw.clear()
        self.tabs.setTabText(4, self.tr("Sources"))

    def show_entry(self, entry: Any) -> None:
        self.entry = entry
        self.records = source_records(entry)
        self._show_citation(entry)
        self._show_fields(entry)
        self._show_sources()
        self._show_holdings()
        current = self.source_box.currentIndex()
        self.source_box.blockSignals(True)
        self.source_box.clear()
        for rec in self.records:
            self.source_box.addItem(
                f"{source_name(rec)} ({rec.original.syntax if rec.original else '?'})"
            )
        self.source_box.blockSignals(False)
        self.source_box.setCurrentIndex(max(0, min(current, len(self.records) - 1)))
        self._show_source(self.source_box.currentIndex())
        self.tabs.setTabText(4, self.tr("Sources ({0})").format(len(self.records)))

    def citation_text(self) -> str:
        if self.entry is None:
            return ""
        return citation(self.entry.best, list(self.entry.authors))

    def _show_citation(self, entry: Any) -> None:
        held = list(entry.held_by)
        why = why_text(entry)
        html = ["<p>", _esc(self.citation_text()), "</p>"]
        if len(held) > 1:
            merged = self.tr("Merged from {0}").format(", ".join(held))
            html += ["<p><i>", _esc(merged + (f" — {why}" if why else "")), "</i></p>"]
        elif held:
            html += ["<p><i>", _esc(self.tr("From {0}").format(held[0])), "</i></p>"]
        if getattr(entry, "probable", False):
            html += [
                "<p>",
                _esc(
                    self.tr(
                        "Probable match: no shared identifier, the same title, "
                        "author, year and edition."
                    )
                ),
                "</p>",
            ]
        conflicts = getattr(entry, "conflicts", {}) or {}
        for name, values in conflicts.items():
            html += [
                "<p>",
                _esc(
                    self.tr("The catalogues disagree on {0}: {1}").format(
                        name, " / ".join(str(v) for v in values)
                    )
                ),
                "</p>",
            ]
        for rec in self.records:
            for link in rec.urls[:3]:
                label = _esc(link.note or link.url)
                html.append(f'<p><a href="{_esc(link.url)}">{label}</a></p>')
            if rec.error:
                html.append(
                    "<p>" + _esc(self.tr("{0}: {1}").format(source_name(rec), rec.error)) + "</p>"
                )
        self.citation.setHtml("".join(html))

    def _show_fields(self, entry: Any) -> None:
        best: BibRecord = entry.best
        origin = dict(getattr(entry, "field_sources", {}) or {})
        rows: list[tuple[str, str, str]] = []
        for name, label in FIELDS:
            if name == "title":
                value = full_title(entry)
            elif name == "authors":
                value = " | ".join(entry.authors)
            else:
                value = field_value(best, name)
            if value:
                rows.append((self.tr(label), value, str(origin.get(name, source_name(best)))))
        self.fields.setRowCount(len(rows))
        for r, (label, value, source) in enumerate(rows):
            for c, text in enumerate((label, value, source)):
                self.fields.setItem(r, c, _item(text))
        self.fields.resizeColumnToContents(0)

    def _show_sources(self) -> None:
        rows = comparison(self.records)
        self.sources.clear()
        self.sources.setColumnCount(1 + len(self.records))
        self.sources.setHorizontalHeaderLabels(
            [self.tr("Field")] + [source_name(r) for r in self.records]
        )
        self.sources.setRowCount(len(rows))
        # a tint from the palette marks fields that differ, readable in dark and light themes
        tint = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        tint.setAlpha(60)
        for r, (label, values, differ) in enumerate(rows):
            head = _item(("≠ " if differ else "") + self.tr(label))
            if differ:
                head.setToolTip(self.tr("The catalogues disagree on this field"))
                font = QFont(head.font())
                font.setBold(True)
                head.setFont(font)
            self.sources.setItem(r, 0, head)
            for c, value in enumerate(values):
                cell = _item(value)
                if differ:
                    cell.setBackground(QBrush(tint))
                self.sources.setItem(r, c + 1, cell)
        header = self.sources.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.sources.resizeColumnToContents(0)
        for column in range(1, len(self.records) + 1):
            # as wide as the values, within reason: long notes wrap instead
            wanted = self.sources.sizeHintForColumn(column)
            self.sources.setColumnWidth(column, max(120, min(wanted, 320)))

    def _show_holdings(self) -> None:
        rows = [(h, source_name(rec)) for rec in self.records for h in rec.holdings]
        self.holdings.setRowCount(len(rows))
        for r, (h, source) in enumerate(rows):
            values = (
                h.library,
                h.symbol,
                h.location,
                h.call_number,
                " ".join(x for x in (h.country, h.state) if x),
                h.note,
                source,
            )
            for c, text in enumerate(values):
                self.holdings.setItem(r, c, _item(text))
        self.tabs.setTabText(
            5, self.tr("Holdings ({0})").format(len(rows)) if rows else self.tr("Holdings")
        )

    def _show_source(self, index: int) -> None:
        if not (0 <= index < len(self.records)):
            self.marc.clear()
            self.raw.clear()
            return
        rec = self.records[index]
        marc = marc_text(rec)
        if not marc and rec.error:
            marc = self.tr("This record could not be read: {0}. The Raw tab shows it as sent.")
            marc = marc.format(rec.error)
        self.marc.setPlainText(
            marc
            or self.tr("{0} sent this record as {1}, not MARC: see the Raw tab.").format(
                source_name(rec), rec.original.syntax if rec.original else "?"
            )
        )
        self.raw.setPlainText(raw_text(rec) or self.tr("No raw record was kept."))


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
