"""The catalogues panel: a checkbox per catalogue and, under it, what it is doing now.

Each row says in words what is happening (connecting, searching, 42 hits, 20/42 fetched, done,
failed) — the failure's one line on hover, the whole story in the details pane below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.search.events import (
    Connecting,
    Failure,
    HitsKnown,
    RecordsArrived,
    RunFinished,
    SearchEvent,
    Searching,
    TargetDone,
    TargetFailed,
)

ProfileRole = Qt.ItemDataRole.UserRole + 1
# At most how long record counts wait to be redrawn (usually sooner, with the results table)
REDRAW_MS = 250


def tr(text: str) -> str:
    return QCoreApplication.translate("TargetsPanel", text)


def needs_login(profile: Any) -> bool:
    """A catalogue that wants a user and password (OCLC style) gets a lock."""
    return str(getattr(profile, "auth", "none")) in ("idpass", "open")


@dataclass
class TargetStatus:
    """What one catalogue has told us during the current run."""

    state: str = "idle"  # idle connecting searching fetching done failed cancelled
    hits: int | None = None
    fetched: int = 0
    elapsed: float | None = None
    failure: Failure | None = None
    query: str = ""
    story: list[str] = field(default_factory=list)

    def line(self) -> str:
        """The status line under the catalogue's name."""
        if self.state == "connecting":
            return tr("◌ connecting…")
        if self.state == "searching":
            return tr("◌ searching…")
        if self.state == "failed" and self.failure is not None:
            if self.failure.kind == "cancelled":
                return tr("■ stopped")
            return tr("✕ {0}").format(self.failure.message)
        if self.state == "cancelled":
            return tr("■ stopped")
        if self.hits is None:
            return ""
        hits = tr("{0} hits").format(self.hits) if self.hits != 1 else tr("1 hit")
        if self.state == "fetching" or (self.state == "done" and self.fetched < self.hits):
            return f"● {hits}  {self.fetched}/{self.hits}"
        return f"● {hits}"

    def tooltip(self) -> str:
        if self.failure is not None:
            return self.failure.message
        return self.line()

    def details(self, name: str) -> str:
        """The whole story, for the details pane (plain text)."""
        lines = [name, ""]
        lines.extend(self.story)
        if self.failure is not None:
            lines.append("")
            lines.append(tr("What went wrong: {0}").format(self.failure.message))
            if self.failure.code is not None:
                lines.append(tr("Diagnostic code: {0}").format(self.failure.code))
            if self.failure.detail:
                lines.append(tr("Details: {0}").format(self.failure.detail))
            if self.failure.kind == "login":
                lines.append(
                    tr("Right-click the catalogue and choose Log in… to give the password.")
                )
        return "\n".join(lines)


def apply_event(status: TargetStatus, event: SearchEvent) -> None:
    """Move one catalogue's status along with an event of the run."""
    if isinstance(event, Connecting):
        status.state = "connecting"
        status.story.append(tr("Connecting…"))
    elif isinstance(event, Searching):
        status.state = "searching"
        status.query = event.query
        status.story.append(tr("Searching with the query {0}").format(event.query))
    elif isinstance(event, HitsKnown):
        status.state = "fetching"
        status.hits = event.hits
        status.story.append(tr("{0} hits").format(event.hits))
    elif isinstance(event, RecordsArrived):
        status.state = "fetching"
        status.hits = event.hits
        status.fetched = event.fetched
    elif isinstance(event, TargetDone):
        status.state = "done"
        status.hits, status.fetched, status.elapsed = event.hits, event.fetched, event.elapsed
        status.story.append(
            tr("Done: {0} of {1} records fetched in {2:.1f} s").format(
                event.fetched, event.hits, event.elapsed
            )
        )
    elif isinstance(event, TargetFailed):
        status.state = "cancelled" if event.failure.kind == "cancelled" else "failed"
        status.failure, status.elapsed = event.failure, event.elapsed
        status.story.append(tr("Failed after {0:.1f} s").format(event.elapsed))


class TargetsPanel(QWidget):
    """Checkable catalogues with live status; emits ``checkedChanged`` with the ticked ids."""

    checkedChanged = Signal(list)
    targetActivated = Signal(str)
    menuRequested = Signal(str, QPoint)  # catalogue id, where (global)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(False)
        self.view.setWordWrap(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setIconSize(QSize(16, 16))
        self.view.setAccessibleName(self.tr("Catalogues"))
        self.view.setToolTip(self.tr("Tick the catalogues to search; hover for a failure's reason"))
        self.details = QTextBrowser(self)
        self.details.setAccessibleName(self.tr("Catalogue details"))
        self.details.setPlaceholderText(self.tr("Click a catalogue for details"))
        title = QLabel(self.tr("CATALOGUES"), self)
        title.setBuddy(self.view)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.view)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(split)
        self.statuses: dict[str, TargetStatus] = {}
        self._items: dict[str, QStandardItem] = {}
        self._names: dict[str, str] = {}
        self._lock = QIcon()
        self._last_checked: list[str] = []
        self._stale: set[str] = set()
        # record counts are redrawn with the results table's batches (one repaint for both,
        # see redraw_stale); this timer is for when no table batch comes
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(REDRAW_MS)
        self._redraw.timeout.connect(self.redraw_stale)
        self.model.itemChanged.connect(self._item_changed)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)

    def set_lock_icon(self, icon: QIcon) -> None:
        self._lock = icon

    def set_profiles(self, profiles: list[Any], checked: set[str]) -> None:
        """Show these catalogues, ticking ``checked``; statuses of kept ids survive."""
        self.model.blockSignals(True)
        self.model.clear()
        self._items.clear()
        self._names.clear()
        for profile in profiles:
            item = QStandardItem()
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(
                Qt.CheckState.Checked if profile.id in checked else Qt.CheckState.Unchecked
            )
            item.setData(profile, ProfileRole)
            item.setAccessibleText(profile.name)
            if needs_login(profile):
                item.setIcon(self._lock)
            self._items[profile.id] = item
            self._names[profile.id] = profile.name
            self.statuses.setdefault(profile.id, TargetStatus())
            self.model.appendRow(item)
            self._refresh(profile.id)
        self.model.blockSignals(False)
        self._last_checked = self.checked_ids()
        self.view.reset()

    def checked_ids(self) -> list[str]:
        return [
            tid for tid, item in self._items.items() if item.checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, target_id: str, on: bool) -> None:
        self._items[target_id].setCheckState(
            Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        )

    def profile(self, target_id: str) -> Any:
        return self._items[target_id].data(ProfileRole)

    def name(self, target_id: str) -> str:
        return self._names.get(target_id, target_id)

    def reset_statuses(self, target_ids: list[str]) -> None:
        """A new run starts: forget what these catalogues said last time."""
        for tid in self._items:
            self.statuses[tid] = TargetStatus()
            self._refresh(tid)
        for tid in target_ids:
            if tid in self._items:
                self.statuses[tid].story.append(self.tr("Waiting to connect…"))

    def apply(self, event: SearchEvent) -> None:
        """Note an event now; redraw the row soon (records arrive many times a second)."""
        if isinstance(event, RunFinished):
            return
        status = self.statuses.setdefault(event.target, TargetStatus())
        apply_event(status, event)
        if isinstance(event, RecordsArrived):
            self._stale.add(event.target)
            if not self._redraw.isActive():
                self._redraw.start()
        else:
            self._refresh(event.target)

    def redraw_stale(self) -> None:
        """Redraw the catalogues whose record counts moved since the last redraw."""
        self._redraw.stop()
        stale, self._stale = self._stale, set()
        for target_id in stale:
            self._refresh(target_id)

    def note(self, target_id: str, line: str) -> None:
        """Add a line to a catalogue's story (what its server said about itself)."""
        self.statuses.setdefault(target_id, TargetStatus()).story.append(line)
        self._refresh(target_id)

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        profile = index.data(ProfileRole)
        return str(profile.id) if profile is not None else None

    def select(self, target_id: str) -> None:
        item = self._items.get(target_id)
        if item is not None:
            self.view.setCurrentIndex(item.index())

    def _refresh(self, target_id: str) -> None:
        item = self._items.get(target_id)
        if item is None:
            return
        status = self.statuses.get(target_id, TargetStatus())
        name = self._names[target_id]
        line = status.line()
        item.setText(f"{name}\n{line}" if line else name)
        tip = status.tooltip()
        if needs_login(item.data(ProfileRole)):
            tip = (tip + "\n" if tip else "") + self.tr("Needs a login")
        item.setToolTip(tip)
        item.setAccessibleDescription(line)
        if self.current_id() == target_id:
            self._show_details(target_id)

    def _show_details(self, target_id: str) -> None:
        status = self.statuses.get(target_id, TargetStatus())
        self.details.setPlainText(status.details(self._names.get(target_id, target_id)))

    def _item_changed(self, item: QStandardItem) -> None:
        # itemChanged also fires for status text; only a tick or untick is news
        checked = self.checked_ids()
        if checked != self._last_checked:
            self._last_checked = checked
            self.checkedChanged.emit(checked)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        tid = self.current_id()
        if tid is not None:
            self._show_details(tid)

    def _menu(self, at: QPoint) -> None:
        profile = self.view.indexAt(at).data(ProfileRole)
        if profile is not None:
            self.menuRequested.emit(profile.id, self.view.viewport().mapToGlobal(at))

    def _double_clicked(self, index: QModelIndex) -> None:
        profile = index.data(ProfileRole)
        if profile is not None:
            self.targetActivated.emit(profile.id)
