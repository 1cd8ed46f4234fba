"""Polycat's main window: search bar, catalogues, merged results, record pane, facets."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.export import FORMATS
from app.search.events import RunFinished, SearchEvent, Searching, TargetFailed
from app.search.facets import FACETS, FacetCounts, matches
from app.search.merge import MergeChange
from app.search.rank import Ranker
from app.search.run import SearchRun
from ui.batch_dialog import BatchDialog
from ui.bridge import SearchBridge
from ui.engine import Engine
from ui.exporting import Exporter
from ui.facets_panel import FacetsPanel
from ui.options import Settings
from ui.record_pane import RecordPane
from ui.results_model import EntryRole, ResultsModel
from ui.scan_dock import ScanDock
from ui.search_bar import SearchBar
from ui.targets_dialog import CataloguesDialog, ProfileRole, ask_password
from ui.targets_panel import TargetsPanel, needs_login

# How often the summary and the facet counts are redrawn while results stream in.
FACETS_MS = 500


class ResultsView(QTableView):
    """The merged results table; dragging rows out drops an exported file.

    Qt repaints the whole table after any row is inserted, removed or moved; while results
    stream in, most of them land below what is shown (a full repaint is 5-15 ms), so a batch
    that changed only rows below the last visible one updates the scroll bar and no more.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drag_export: Callable[[], Any] | None = None
        self._first_shifted: int | None = None  # the first row moved since the last layout
        self._whole = False  # something else changed: the next layout repaints everything
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        # pixels, so the window can hold the row being read still while rows join above it
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setStretchLastSection(False)
        self.horizontalHeader().setSectionsMovable(True)

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        if self.drag_export is not None:
            self.drag_export()

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if model is not None:
            model.rowsMoved.connect(lambda _p, first, _l, _d, to: self._shifted(min(first, to)))
            model.layoutChanged.connect(self._changed_whole)
            model.modelReset.connect(self._changed_whole)

    def rowsInserted(
        self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int
    ) -> None:
        self._shifted(start)
        super().rowsInserted(parent, start, end)

    def rowsAboutToBeRemoved(
        self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int
    ) -> None:
        self._shifted(start)
        super().rowsAboutToBeRemoved(parent, start, end)

    def _shifted(self, row: int) -> None:
        self._first_shifted = row if self._first_shifted is None else min(row, self._first_shifted)

    def _changed_whole(self) -> None:
        self._whole = True

    def doItemsLayout(self) -> None:
        first, self._first_shifted = self._first_shifted, None
        whole, self._whole = self._whole, False
        if first is not None and not whole:
            last_shown = self.rowAt(self.viewport().height() - 1)  # -1: the table ends above
            if 0 <= last_shown < first:
                self.updateGeometries()  # the scroll bar's range; nothing shown has moved
                return
        super().doItemsLayout()


class MainWindow(QMainWindow):
    """The one window. ``profiles`` are the catalogues; ``check`` vets a query before sending."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        profiles: Sequence[Any],
        *,
        checked: set[str] | None = None,
        icon: QIcon | None = None,
        lock_icon: QIcon | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.profiles: list[Any] = list(profiles)
        self.engine = engine
        self.query_text = ""
        self.facet_counts = FacetCounts()
        self.several: set[Hashable] = set()  # entries held by more than one catalogue
        self.setWindowTitle(self.tr("Polycat"))
        if icon is not None:
            self.setWindowIcon(icon)
        self.bridge = SearchBridge(self)
        # --- widgets ---
        self.search_bar = SearchBar(engine.check, self)
        self.targets = TargetsPanel(self)
        if lock_icon is not None:
            self.targets.set_lock_icon(lock_icon)
        self.facets = FacetsPanel(
            {
                "catalogue": self.tr("Catalogue"),
                "year": self.tr("Year"),
                "language": self.tr("Language"),
                "author": self.tr("Author"),
                "subject": self.tr("Subject"),
                "material": self.tr("Material"),
            },
            self,
        )
        self.model = ResultsModel(self)
        self.ranker = Ranker([])
        self.model.score = self.ranker.score
        self.table = ResultsView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Merged results"))
        self.table.setToolTip(self.tr("One row per book; Held says how many catalogues have it"))
        self.record = RecordPane(self)
        self.exporter = Exporter(settings, self)
        self.table.drag_export = lambda: self.exporter.start_drag(
            self.table, self.selected_entries()
        )
        self.scan_dock = ScanDock(engine.scan, self)
        self.scan_dock.hide()
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.scan_dock)
        self.batch_dialog: BatchDialog | None = None
        self.catalogues_dialog: CataloguesDialog | None = None
        self.summary = QLabel(self.tr("Type a query and press Enter."), self)
        self.summary.setAccessibleName(self.tr("Results summary"))
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Filter results"))
        self.filter_edit.setAccessibleName(self.tr("Filter results"))
        self.filter_edit.setToolTip(self.tr("Show only rows containing all these words"))
        self.filter_edit.setClearButtonEnabled(True)
        self.sort_box = QComboBox(self)
        self.sort_box.setAccessibleName(self.tr("Sort order"))
        self.sort_box.setToolTip(
            self.tr("Sort the merged list; catalogues that can sort on the server are asked to")
        )
        for key, label in (
            ("relevance", self.tr("Relevance")),
            ("title", self.tr("Title")),
            ("author", self.tr("Author")),
            ("year-desc", self.tr("Newest first")),
            ("year", self.tr("Oldest first")),
        ):
            self.sort_box.addItem(label, key)
        self.more_button = QPushButton(self.tr("More results"), self)
        self.more_button.setAccessibleName(self.tr("More results"))
        self.more_button.setToolTip(self.tr("Fetch the next page from every catalogue with more"))
        self.more_button.setEnabled(False)
        self.status_label = QLabel(self)
        self.status_label.setAccessibleName(self.tr("Search status"))
        self.export_all_button = QToolButton(self)
        self.export_all_button.setText(self.tr("Export all ▾"))
        self.export_all_button.setAccessibleName(self.tr("Export all"))
        self.export_all_button.setToolTip(self.tr("Export every result"))
        self.export_all_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # --- layout ---
        left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(self.targets)
        facets_box = QWidget(self)
        facets_layout = QVBoxLayout(facets_box)
        facets_layout.setContentsMargins(0, 0, 0, 0)
        facets_title = QLabel(self.tr("FACETS"), facets_box)
        facets_title.setBuddy(self.facets.tree)
        facets_layout.addWidget(facets_title)
        facets_layout.addWidget(self.facets)
        left.addWidget(facets_box)
        left.setStretchFactor(0, 2)
        left.setStretchFactor(1, 1)
        header = QHBoxLayout()
        header.addWidget(self.summary, 1)
        header.addWidget(self.more_button)
        header.addWidget(self.sort_box)
        header.addWidget(self.filter_edit)
        results_box = QWidget(self)
        results_layout = QVBoxLayout(results_box)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addLayout(header)
        results_layout.addWidget(self.table)
        self.right = QSplitter(Qt.Orientation.Vertical, self)
        self.right.addWidget(results_box)
        self.right.addWidget(self.record)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 2)
        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.addWidget(left)
        self.split.addWidget(self.right)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 4)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addWidget(self.search_bar)
        layout.addWidget(self.split, 1)
        self.setCentralWidget(central)
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.export_all_button)
        self.facet_timer = QTimer(self)
        self.facet_timer.setSingleShot(True)
        self.facet_timer.setInterval(FACETS_MS)
        self.facet_timer.timeout.connect(self.refresh_facets)
        self._make_actions()
        self._connect()
        self._restore()
        self.targets.set_profiles(self.profiles, checked or self._initial_checked())
        self.scan_dock.set_profiles(self.profiles)
        self.search_bar.edit.setFocus()

    # --- set-up ---

    def _make_actions(self) -> None:
        def action(
            text: str,
            slot: Callable[..., Any],
            keys: Sequence[QKeySequence | str] = (),
            tip: str = "",
        ) -> QAction:
            act = QAction(text, self)
            act.triggered.connect(slot)
            if keys:
                act.setShortcuts([QKeySequence(k) for k in keys])
                act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            if tip:
                act.setToolTip(tip)
                act.setStatusTip(tip)
            self.addAction(act)
            return act

        self.focus_action = action(
            self.tr("Focus search"),
            self.focus_search,
            ["Ctrl+L"],
            self.tr("Put the cursor in the search bar"),
        )
        self.stop_action = action(
            self.tr("Stop"),
            self.stop,
            [QKeySequence(Qt.Key.Key_Escape)],
            self.tr("Stop the search"),
        )
        self.next_action = action(
            self.tr("Next record"),
            lambda: self.step(1),
            ["Ctrl+N", "Alt+Down"],
            self.tr("Show the next record"),
        )
        self.prev_action = action(
            self.tr("Previous record"),
            lambda: self.step(-1),
            ["Ctrl+P", "Alt+Up"],
            self.tr("Show the previous record"),
        )
        self.more_action = action(
            self.tr("More results"),
            self.fetch_more,
            ["Ctrl+M"],
            self.tr("Fetch the next page from every catalogue with more"),
        )
        self.quit_action = action(
            self.tr("Quit"), self.close, [QKeySequence(QKeySequence.StandardKey.Quit)]
        )
        self.export_action = action(
            self.tr("Export…"),
            self.export_selected,
            ["Ctrl+E"],
            self.tr("Export the selected results (or all) to a file"),
        )
        self.export_all_action = action(
            self.tr("Export all…"),
            self.export_all,
            ["Ctrl+Shift+E"],
            self.tr("Export every shown result to a file"),
        )
        self.copy_citation_action = action(
            self.tr("Copy citation"),
            self.copy_citation,
            ["Ctrl+Shift+C"],
            self.tr("Copy the current record's citation"),
        )
        self.copy_records_action = action(
            self.tr("Copy records"),
            self.copy_records,
            [],
            self.tr("Copy the selected records in the last format"),
        )
        self.batch_action = action(
            self.tr("Look up ISBN list…"),
            self.open_batch,
            ["Ctrl+B"],
            self.tr("Check a list of ISBNs against every ticked catalogue"),
        )
        self.catalogues_action = action(
            self.tr("Manage catalogues…"),
            self.open_catalogues,
            ["Ctrl+K"],
            self.tr("Add, edit, test or import catalogues"),
        )
        self.scan_action = self.scan_dock.toggleViewAction()
        self.scan_action.setText(self.tr("Browse an index"))
        self.scan_action.setShortcut(QKeySequence("Ctrl+I"))
        self.scan_action.setToolTip(self.tr("Browse a catalogue's title, author or subject index"))
        self.addAction(self.scan_action)
        menu = self.menuBar()
        self.file_menu = menu.addMenu(self.tr("&File"))
        self.edit_menu = menu.addMenu(self.tr("&Edit"))
        self.search_menu = menu.addMenu(self.tr("&Search"))
        self.history_menu = QMenu(self.tr("History"), self)
        self.catalogues_menu = menu.addMenu(self.tr("&Catalogues"))
        self.view_menu = menu.addMenu(self.tr("&View"))
        self.search_menu.addAction(self.focus_action)
        self.search_menu.addAction(self.stop_action)
        self.search_menu.addAction(self.more_action)
        self.search_menu.addMenu(self.history_menu)
        self.view_menu.addAction(self.next_action)
        self.view_menu.addAction(self.prev_action)
        self.file_menu.addAction(self.export_action)
        self.file_menu.addAction(self.export_all_action)
        self.file_menu.addAction(self.batch_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu.addAction(self.copy_citation_action)
        self.edit_menu.addAction(self.copy_records_action)
        self.catalogues_menu.addAction(self.catalogues_action)
        self.view_menu.addAction(self.scan_action)
        export_menu = QMenu(self)
        for name, fmt in FORMATS.items():
            act = export_menu.addAction(fmt.label)
            act.triggered.connect(
                lambda _=False, n=name: self.exporter.export_entries(self.all_entries(), n)
            )
        self.export_all_button.setMenu(export_menu)

    def _connect(self) -> None:
        self.search_bar.searchRequested.connect(self.start_search)
        self.search_bar.stopRequested.connect(self.stop)
        self.bridge.runStarted.connect(self._run_started)
        self.bridge.targetEvent.connect(self._target_event)
        self.bridge.merged.connect(self._merged)
        self.bridge.entriesChanged.connect(self._entries_changed)
        self.bridge.runFinished.connect(self._run_finished)
        self.bridge.failed.connect(self._engine_failed)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.facets.choiceChanged.connect(self._facets_chosen)
        self.sort_box.currentIndexChanged.connect(self._sort_changed)
        self.more_button.clicked.connect(self.fetch_more)
        self.targets.checkedChanged.connect(self._checked_changed)
        self.record.copyCitation.connect(self.copy_citation)
        self.record.exportRequested.connect(self.export_selected)
        self.record.saveMarc.connect(lambda: self.export_selected("marc"))
        self.exporter.done.connect(self.statusBar().showMessage)
        self.exporter.failed.connect(
            lambda message, detail: self.warn(self.tr("Export"), message, detail)
        )
        self.scan_dock.searchFor.connect(self.search_heading)
        self.targets.targetActivated.connect(self._target_activated)
        self.targets.menuRequested.connect(self._catalogue_menu)

    def _restore(self) -> None:
        s = self.settings
        if not self.restoreGeometry(s.get("window/geometry")):
            screen = QGuiApplication.primaryScreen()
            size = screen.availableSize() * 0.8 if screen is not None else QSize(1200, 800)
            self.resize(size.boundedTo(QSize(1400, 900)))
        self.restoreState(s.get("window/state"))
        if not self.split.restoreState(s.get("window/splitter")):
            self.split.setSizes([260, 1020])
        if not self.right.restoreState(s.get("window/right_splitter")):
            self.right.setSizes(
                [max(300, self.height() * 3 // 5), max(200, self.height() * 2 // 5)]
            )
        header = self.table.horizontalHeader()
        if not header.restoreState(s.get("results/header")):
            for column, width in enumerate((380, 170, 50, 90, 140, 120, 60)):
                header.resizeSection(column, width)
        self.search_bar.set_text(s.get("search/last_query"))
        self.search_bar.set_history(s.get("search/history"))
        self.search_bar.advanced_button.setChecked(bool(s.get("search/advanced_open")))
        self._fill_history(s.get("search/history"))
        index = self.sort_box.findData(s.get("search/sort"))
        self.sort_box.setCurrentIndex(max(0, index))
        self._sort_changed(self.sort_box.currentIndex())
        self.record.tabs.setCurrentIndex(int(s.get("record/last_tab")))

    def _initial_checked(self) -> set[str]:
        stored = set(self.settings.get("search/checked_targets"))
        known = {p.id for p in self.profiles}
        chosen = stored & known
        if chosen:
            return chosen
        # first start: every catalogue that needs no login
        return {p.id for p in self.profiles if not needs_login(p)} or known

    def save_state(self) -> None:
        s = self.settings
        s.set("window/geometry", self.saveGeometry())
        s.set("window/state", self.saveState())
        s.set("window/splitter", self.split.saveState())
        s.set("window/right_splitter", self.right.saveState())
        s.set("results/header", self.table.horizontalHeader().saveState())
        s.set("search/last_query", self.search_bar.text())
        s.set("search/advanced_open", self.search_bar.advanced_button.isChecked())
        s.set("search/checked_targets", self.targets.checked_ids())
        s.set("search/sort", self.sort_box.currentData())
        s.set("record/last_tab", self.record.tabs.currentIndex())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.bridge.shutdown()
        self.save_state()
        super().closeEvent(event)

    # --- catalogues ---

    def set_profiles(self, profiles: Sequence[Any], checked: set[str] | None = None) -> None:
        self.profiles = list(profiles)
        keep = set(self.targets.checked_ids()) if checked is None else checked
        self.targets.set_profiles(self.profiles, keep)

    def checked_profiles(self) -> list[Any]:
        ids = set(self.targets.checked_ids())
        return [p for p in self.profiles if p.id in ids]

    def _checked_changed(self, ids: list[str]) -> None:
        self.settings.set("search/checked_targets", ids)

    # --- searching ---

    def focus_search(self) -> None:
        self.search_bar.edit.setFocus()
        self.search_bar.edit.selectAll()

    def start_search(self, text: str, kind: str) -> None:
        profiles = self.checked_profiles()
        if not profiles:
            self.status_label.setText(self.tr("Tick at least one catalogue to search."))
            return
        self.query_text = text
        history = self.settings.remember_query(text)
        self.search_bar.set_history(history)
        self._fill_history(history)
        self.settings.set("search/last_query", text)
        self.model.clear()
        self.record.clear()
        self.facets.clear_choice()
        self.facet_counts = FacetCounts()
        self.several.clear()
        self.facets.set_counts({})
        self.ranker = Ranker(self.engine.terms_of(text, kind))
        self.model.score = self.ranker.score
        query = self.engine.make_query(text, kind)
        self.bridge.search(query, profiles, make_run=self.engine.make_run, **self.run_options())

    def run_options(self) -> dict[str, Any]:
        """Records per catalogue, and the order to ask catalogues that sort on the server."""
        sort = str(self.sort_box.currentData())
        return {
            "first": int(self.settings.get("search/records_per_target")),
            "sort": None if sort == "relevance" else sort,
        }

    def stop(self) -> None:
        if self.bridge.stop():
            self.status_label.setText(self.tr("Stopping…"))

    def fetch_more(self) -> None:
        count = int(self.settings.get("search/records_per_target"))
        if self.bridge.more_everywhere(count, self.targets.statuses) is not None:
            self.search_bar.set_running(True)
            self.more_button.setEnabled(False)

    def _run_started(self, ids: list[str]) -> None:
        self.targets.reset_statuses(ids)
        self.search_bar.set_running(True)
        self.more_button.setEnabled(False)
        self.status_label.setText(
            self.tr("Searching {0} catalogues…").format(len(ids))
            if len(ids) != 1
            else self.tr("Searching 1 catalogue…")
        )
        self._update_summary()

    def _target_event(self, event: SearchEvent) -> None:
        self.targets.apply(event)
        if isinstance(event, Searching):
            self._tell_server(event.target)
        if isinstance(event, TargetFailed):
            self._update_status()

    def _tell_server(self, target_id: str) -> None:
        """After Init: who answered, and what an OCLC-style server said on login."""
        run = self.bridge.run
        session = run.targets.get(target_id) if isinstance(run, SearchRun) else None
        init = session.init if session is not None else None
        if init is None:
            return
        name = " ".join(x for x in (init.implementation_name, init.implementation_version) if x)
        if name:
            self.targets.note(target_id, self.tr("Server: {0}").format(name))
        if init.oclc is not None and init.oclc.motd:
            self.targets.note(
                target_id, self.tr("Message from the catalogue: {0}").format(init.oclc.motd)
            )

    def _run_finished(self, finished: RunFinished) -> None:
        self.search_bar.set_running(
            self.bridge.search_slot.running or self.bridge.more_slot.running
        )
        self._update_status(finished)
        self._update_summary()
        self.more_button.setEnabled(self._has_more())
        self.refresh_facets()

    def _engine_failed(self, message: str, detail: str) -> None:
        self.status_label.setText(self.tr("The search failed: {0}").format(message))
        self.status_label.setToolTip(detail)

    def _has_more(self) -> bool:
        return any(
            s.state == "done" and s.hits is not None and s.fetched < s.hits
            for s in self.targets.statuses.values()
        )

    def status_text(self, finished: RunFinished | None = None) -> str:
        """ "5 catalogues answered · 1 failed (BnF: connection refused) · 0.8 s"."""
        statuses = self.targets.statuses
        answered = sum(1 for s in statuses.values() if s.state == "done")
        failures = [
            (tid, s) for tid, s in statuses.items() if s.state == "failed" and s.failure is not None
        ]
        parts = [
            self.tr("1 catalogue answered")
            if answered == 1
            else self.tr("{0} catalogues answered").format(answered)
        ]
        if failures:
            named = ", ".join(
                f"{self.targets.name(tid)}: {s.failure.message}"
                for tid, s in failures[:3]
                if s.failure is not None
            )
            more = " …" if len(failures) > 3 else ""
            parts.append(self.tr("{0} failed ({1}{2})").format(len(failures), named, more))
        if finished is not None:
            if finished.cancelled:
                parts.append(self.tr("stopped"))
            parts.append(self.tr("{0:.1f} s").format(finished.elapsed))
        return " · ".join(parts)

    def _update_status(self, finished: RunFinished | None = None) -> None:
        finished = finished or self.bridge.last_finished
        self.status_label.setText(self.status_text(finished))
        self.status_label.setToolTip(
            "\n".join(
                s.details(self.targets.name(tid)).replace("\n\n", "\n")
                for tid, s in self.targets.statuses.items()
                if s.state == "failed"
            )
        )

    # --- results ---

    def _merged(self, changes: list[MergeChange]) -> None:
        """A slice of records was merged: count facets and work out relevance now, a slice at
        a time, so that the table's batch later is only inserting rows."""
        merger = self.bridge.merger
        self.facet_counts.update(merger, changes)
        live = {e.id: e for e in (merger.get(c.entry_id) for c in changes)}  # survivors only
        for change in changes:
            self.several.difference_update(change.absorbed)
        self.several.update(ident for ident, e in live.items() if len(e.held_by) > 1)
        self.model.prepare(live.values())

    def _entries_changed(self, added: list[Any], changed: list[Any], removed: list[int]) -> None:
        anchor = self._anchor()
        self.model.update(added, changed, removed)
        self._keep_anchor(anchor)
        self.targets.redraw_stale()  # the record counts too: one repaint for both
        current = self.current_entry()
        if current is not None and any(c is current for c in changed):
            self.record.show_entry(current)
        # the summary and the facets are redrawn twice a second, not once per batch
        if not self.facet_timer.isActive():
            self.facet_timer.start()

    def _anchor(self) -> tuple[QPersistentModelIndex, int] | None:
        """The row being read and where it is on screen, so new rows do not move it."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return QPersistentModelIndex(index), self.table.visualRect(index).top()

    def _keep_anchor(self, anchor: tuple[QPersistentModelIndex, int] | None) -> None:
        if anchor is None:
            return
        persistent, top = anchor
        if not persistent.isValid():
            return
        index = self.model.index(persistent.row(), persistent.column())
        moved = self.table.visualRect(index).top() - top
        if moved:
            bar = self.table.verticalScrollBar()
            bar.setValue(bar.value() + moved)

    def _update_summary(self) -> None:
        shown = self.model.rowCount()
        total = self.model.total
        statuses = self.targets.statuses
        asked = [s for s in statuses.values() if s.state != "idle"]
        answered = sum(1 for s in asked if s.state == "done" or s.fetched)
        merged = len(self.several)
        if not asked:
            return
        text = (
            self.tr("1 result from {1} of {2} catalogues")
            if total == 1
            else self.tr("{0} results from {1} of {2} catalogues")
        ).format(total, answered, len(asked))
        if merged:
            text += self.tr(" · {0} merged").format(merged)
        if shown != total:
            text += self.tr(" · {0} shown").format(shown)
        self.summary.setText(text)

    def current_entry(self) -> Any:
        index = self.table.currentIndex()
        return index.data(EntryRole) if index.isValid() else None

    def selected_entries(self) -> list[Any]:
        """The selected rows in view order, or every shown row when nothing is selected."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows:
            return self.model.entries()
        return [self.model.entry(r) for r in rows]

    def all_entries(self) -> list[Any]:
        return self.model.entries()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = current.data(EntryRole) if current.isValid() else None
        if entry is None:
            self.record.clear()
        else:
            self.record.show_entry(entry)

    def step(self, delta: int) -> None:
        """Next (+1) or previous (-1) record, from the keyboard."""
        rows = self.model.rowCount()
        if not rows:
            return
        current = self.table.currentIndex()
        # a current cell without a selection (focus alone gives one) shows no record yet
        shown = current.isValid() and self.table.selectionModel().isRowSelected(current.row())
        row = current.row() + delta if shown else (0 if delta > 0 else rows - 1)
        row = max(0, min(rows - 1, row))
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _filter_changed(self, text: str) -> None:
        self.model.set_filter_text(text)
        self._update_summary()

    def _sort_changed(self, _index: int) -> None:
        key = str(self.sort_box.currentData())
        self.settings.set("search/sort", key)
        header = self.table.horizontalHeader()
        if key == "relevance":
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            self.model.sort(-1)
            return
        column = {"title": 0, "author": 1, "year": 2, "year-desc": 2}[key]
        order = Qt.SortOrder.DescendingOrder if key == "year-desc" else Qt.SortOrder.AscendingOrder
        self.table.sortByColumn(column, order)

    # --- facets ---

    def refresh_facets(self) -> None:
        """Show the facet counts (kept up to date batch by batch in _entries_changed)."""
        self._update_summary()
        shown = [f for f in FACETS if f in self.facets.titles]
        self.facets.set_counts({f: self.facet_counts.counts(f) for f in shown})

    def _facets_chosen(self, chosen: dict[str, set[str]]) -> None:
        selected = {f: chosen[f] for f in FACETS if chosen.get(f)}
        self.model.set_allowed((lambda entry: matches(entry, selected)) if selected else None)
        self._update_summary()

    # --- history ---

    def _fill_history(self, history: list[str]) -> None:
        self.history_menu.clear()
        for text in history[:20]:
            act = self.history_menu.addAction(text)
            act.triggered.connect(lambda _=False, t=text: self._rerun(t))
        self.history_menu.setEnabled(bool(history))

    def _rerun(self, text: str) -> None:
        self.search_bar.set_text(text)
        self.search_bar.submit()

    # --- export, scan, catalogues, batch ---

    def export_selected(self, fmt: str | None = None) -> None:
        self.exporter.export_entries(self.selected_entries(), fmt or None)

    def export_all(self) -> None:
        self.exporter.export_entries(self.all_entries())

    def copy_citation(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.exporter.copy_citation(entry)

    def copy_records(self) -> None:
        entries = self.selected_entries()
        if entries:
            self.exporter.copy_records(entries)

    def search_heading(self, index: str, heading: str) -> None:
        """Search an index heading picked in the browse list, as CCL the user can read."""
        qualifier = {"title": "ti", "author": "au", "subject": "su"}[index]
        self.search_bar.set_text(f'{qualifier}="{heading.replace(chr(34), "")}"')
        self.search_bar.submit()

    def _target_activated(self, target_id: str) -> None:
        profile = self.targets.profile(target_id)
        if profile is not None and profile.capabilities.scan:
            index = self.scan_dock.target.findData(target_id)
            self.scan_dock.target.setCurrentIndex(index)
            self.scan_dock.show()

    def catalogue_menu(self, target_id: str) -> QMenu:
        """What can be done with one catalogue: log in, browse its index, edit, test."""
        profile = self.targets.profile(target_id)
        menu = QMenu(self)
        if needs_login(profile):
            menu.addAction(self.tr("Log in…"), lambda: self.log_in(target_id))
        if profile.capabilities.scan:
            menu.addAction(self.tr("Browse its index"), lambda: self._target_activated(target_id))
        menu.addAction(self.tr("Edit…"), lambda: self.open_catalogues().edit(profile))
        menu.addAction(self.tr("Test connection"), lambda: self._test_catalogue(target_id))
        return menu

    def _catalogue_menu(self, target_id: str, at: QPoint) -> None:
        self.catalogue_menu(target_id).popup(at)

    def log_in(self, target_id: str) -> str | None:
        """Ask for the password now; the next search uses it."""
        kept = ask_password(self, self.targets.profile(target_id))
        if kept is not None:
            self.status_label.setText(
                self.tr("Password for {0} kept; search again to use it.").format(
                    self.targets.name(target_id)
                )
            )
        return kept

    def _test_catalogue(self, target_id: str) -> None:
        dialog = self.open_catalogues()
        for row in range(dialog.list.count()):
            item = dialog.list.item(row)
            if item is not None and item.data(ProfileRole).id == target_id:
                dialog.list.setCurrentRow(row)
                dialog.test()
                return

    def open_catalogues(self) -> CataloguesDialog:
        if self.catalogues_dialog is None:
            self.catalogues_dialog = CataloguesDialog(
                self.profiles,
                reload=self.reload_profiles,
                connect_test=self.engine.test_connection,
                parent=self,
            )
        self.catalogues_dialog.show()
        self.catalogues_dialog.raise_()
        return self.catalogues_dialog

    def reload_profiles(self) -> list[Any]:
        """Read the catalogues again (after an edit), keeping ticks and adding new ones ticked."""
        before = {p.id for p in self.profiles}
        kept = set(self.targets.checked_ids())
        fresh = self.engine.load_profiles()
        kept |= {p.id for p in fresh if p.id not in before}
        self.set_profiles(fresh, kept)
        self.scan_dock.set_profiles(fresh)
        return fresh

    def open_batch(self) -> BatchDialog:
        if self.batch_dialog is None:
            self.batch_dialog = BatchDialog(
                self.settings, self.checked_profiles, self.engine.lookup, self
            )
        self.batch_dialog.show()
        self.batch_dialog.raise_()
        return self.batch_dialog

    def warn(self, title: str, message: str, detail: str = "") -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self
        )
        if detail:
            box.setDetailedText(detail)
        box.open()
