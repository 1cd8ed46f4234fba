"""Managing catalogues: add, edit, delete, test a connection, import a list.

Profiles are written as TOML into the user's targets folder by app.targets (never a password);
passwords go to the system keyring, or — only when there is none and the user says yes — to an
owner-only file (ui.credentials).
"""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import PolycatError
from app.targets import (
    TargetProfile,
    profile_from_mapping,
    profile_toml,
    read_target_list,
    save_profile,
    user_dir,
)
from ui.bridge import TaskSlot
from ui.credentials import (
    drop_password,
    keyring_available,
    load_password,
    remember_for_session,
    save_password,
)

ProfileRole = Qt.ItemDataRole.UserRole + 1

SYNTAX_CHOICES = ("usmarc", "unimarc", "marcxml", "mods", "xml", "sutrs", "opac")
AUTH_CHOICES = ("none", "open", "idpass")
STYLE_CHOICES = ("generic", "copac", "gbv", "oclc")


def profile_mapping(profile: TargetProfile) -> dict[str, Any]:
    """A profile as the mapping its TOML file holds (the form edits this, app.targets checks)."""
    return tomllib.loads(profile_toml(profile))


def is_user_profile(profile: TargetProfile) -> bool:
    """True when the profile's file lives in the user's folder (so it may be deleted)."""
    if not profile.source:
        return False
    try:
        return Path(profile.source).resolve().is_relative_to(user_dir().resolve())
    except (OSError, ValueError):
        return False


def keep_password(parent: QWidget, profile: TargetProfile, password: str) -> str:
    """Keep a password: in the keyring if there is one ("keyring"); otherwise ask (default
    no) before writing it in clear ("clear"), and on no keep it for this session ("session")."""
    if keyring_available():
        return save_password(profile, password)
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("Passwords", "No keyring"),
        QCoreApplication.translate(
            "Passwords",
            "This computer has no system keyring. Keep the password for {0} in a file "
            "readable only by you, in clear text? If not, Polycat keeps it only until you "
            "close it.",
        ).format(profile.name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        remember_for_session(profile, password)
        return "session"
    return save_password(profile, password, clear_ok=True)


def ask_password(parent: QWidget, profile: TargetProfile) -> str | None:
    """Ask for a catalogue's password (the user asked to log in); keep it as above."""
    password, ok = QInputDialog.getText(
        parent,
        QCoreApplication.translate("Passwords", "Log in"),
        QCoreApplication.translate("Passwords", "Password of {0} for {1}:").format(
            profile.user or "?", profile.name
        ),
        QLineEdit.EchoMode.Password,
    )
    if not ok or not password:
        return None
    return keep_password(parent, profile, password)


class TargetEditor(QDialog):
    """One catalogue's settings; ``profile()`` gives the checked TargetProfile."""

    def __init__(self, profile: TargetProfile | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit catalogue") if profile else self.tr("Add catalogue"))
        self._base = profile_mapping(profile) if profile is not None else {}
        self.result_profile: TargetProfile | None = None
        self.password_text: str | None = None
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.ident = QLineEdit(self)
        self.ident.setToolTip(self.tr("A short name without spaces, e.g. loc or k10plus"))
        self.host = QLineEdit(self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(210)
        self.databases = QLineEdit(self)
        self.databases.setToolTip(self.tr("One or more database names, separated by +"))
        self.syntax = QComboBox(self)
        for s in SYNTAX_CHOICES:
            self.syntax.addItem(s, s)
        self.auth = QComboBox(self)
        for value, label in zip(
            AUTH_CHOICES,
            (self.tr("No login"), self.tr("Open (user/password)"), self.tr("User and password")),
            strict=True,
        ):
            self.auth.addItem(label, value)
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("kept in the system keyring"))
        self.style_box = QComboBox(self)
        for s in STYLE_CHOICES:
            self.style_box.addItem(s, s)
        self.page_size = QSpinBox(self)
        self.page_size.setRange(1, 500)
        self.page_size.setValue(20)
        self.timeout = QDoubleSpinBox(self)
        self.timeout.setRange(1, 600)
        self.timeout.setValue(60)
        self.timeout.setSuffix(" s")
        self.scan = QCheckBox(self.tr("Offers scan (browse an index)"), self)
        self.sort = QCheckBox(self.tr("Offers sort on the server"), self)
        self.negotiate = QCheckBox(self.tr("Negotiate UTF-8 at login"), self)
        rows: list[tuple[str, QWidget]] = [
            (self.tr("Name"), self.name),
            (self.tr("Short id"), self.ident),
            (self.tr("Host"), self.host),
            (self.tr("Port"), self.port),
            (self.tr("Databases"), self.databases),
            (self.tr("Record syntax"), self.syntax),
            (self.tr("Login"), self.auth),
            (self.tr("User"), self.user),
            (self.tr("Password"), self.password),
            (self.tr("Style"), self.style_box),
            (self.tr("Records per page"), self.page_size),
            (self.tr("Search timeout"), self.timeout),
        ]
        for label, widget in rows:
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        for box in (self.scan, self.sort, self.negotiate):
            box.setAccessibleName(box.text())
            form.addRow("", box)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Problem"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.auth.currentIndexChanged.connect(self._auth_changed)
        if profile is not None:
            self._fill(profile)
            self.ident.setReadOnly(True)
        self._auth_changed()

    def _fill(self, p: TargetProfile) -> None:
        self.name.setText(p.name)
        self.ident.setText(p.id)
        self.host.setText(p.host)
        self.port.setValue(p.port)
        self.databases.setText("+".join(p.databases))
        if p.syntaxes:
            index = self.syntax.findData(p.syntaxes[0])
            if index < 0:
                self.syntax.addItem(p.syntaxes[0], p.syntaxes[0])
                index = self.syntax.count() - 1
            self.syntax.setCurrentIndex(index)
        self.auth.setCurrentIndex(max(0, self.auth.findData(p.auth)))
        self.user.setText(p.user)
        self.style_box.setCurrentIndex(max(0, self.style_box.findData(p.style)))
        self.page_size.setValue(p.page_size)
        self.timeout.setValue(p.timeouts.search)
        self.scan.setChecked(p.capabilities.scan)
        self.sort.setChecked(p.capabilities.sort)
        self.negotiate.setChecked(p.negotiate)

    def _auth_changed(self, *_args: object) -> None:
        login = self.auth.currentData() != "none"
        self.user.setEnabled(login)
        self.password.setEnabled(login)

    def mapping(self) -> dict[str, Any]:
        data = dict(self._base)
        syntaxes = [self.syntax.currentData()] + [
            s for s in data.get("syntaxes", []) if s != self.syntax.currentData()
        ]
        data.update(
            id=self.ident.text().strip(),
            name=self.name.text().strip(),
            host=self.host.text().strip(),
            port=self.port.value(),
            databases=[d.strip() for d in self.databases.text().split("+") if d.strip()],
            syntaxes=syntaxes,
            auth=self.auth.currentData(),
            user=self.user.text().strip() if self.auth.currentData() != "none" else "",
            style=self.style_box.currentData(),
            page_size=self.page_size.value(),
            negotiate=self.negotiate.isChecked(),
        )
        timeouts = dict(data.get("timeouts", {}))
        timeouts["search"] = self.timeout.value()
        data["timeouts"] = timeouts
        capabilities = dict(data.get("capabilities", {}))
        capabilities.update(scan=self.scan.isChecked(), sort=self.sort.isChecked())
        data["capabilities"] = capabilities
        return data

    def accept(self) -> None:
        """Check the settings with app.targets' rules; stay open and say what is wrong."""
        try:
            self.result_profile = profile_from_mapping(self.mapping(), path=self.tr("this form"))
        except PolycatError as problem:
            self.problem.setText(problem.message)
            return
        self.password_text = self.password.text() or None
        super().accept()


class CataloguesDialog(QDialog):
    """The list of catalogues with Add, Edit, Delete, Test connection, Import list…"""

    profilesChanged = Signal()

    def __init__(
        self,
        profiles: Sequence[TargetProfile],
        *,
        reload: Callable[[], Sequence[TargetProfile]],
        connect_test: Callable[[TargetProfile, str | None], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Catalogues"))
        self.resize(720, 480)
        self._reload = reload
        self._connect_test = connect_test
        self.test_slot = TaskSlot("connection test")
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Catalogues"))
        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        self.report.setAccessibleName(self.tr("Connection test report"))
        self.report.setPlaceholderText(self.tr("Test a connection to see what the catalogue says."))
        buttons = QVBoxLayout()
        self.add_button = QPushButton(self.tr("Add…"), self)
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.import_button = QPushButton(self.tr("Import list…"), self)
        tips = (
            self.tr("Add a catalogue by its address"),
            self.tr("Change the selected catalogue"),
            self.tr("Delete a catalogue you added (shipped ones can only be unticked)"),
            self.tr("Connect and log in, and show what the catalogue answers"),
            self.tr("Import catalogues from z3950.def, a Koha export or pazpar2 settings"),
        )
        for button, tip in zip(
            (
                self.add_button,
                self.edit_button,
                self.delete_button,
                self.test_button,
                self.import_button,
            ),
            tips,
            strict=True,
        ):
            button.setAccessibleName(button.text().rstrip("…"))
            button.setToolTip(tip)
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.list, 1)
        top.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 2)
        layout.addWidget(self.report, 1)
        layout.addWidget(close)
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(lambda: self.edit(self.current()))
        self.delete_button.clicked.connect(self.delete)
        self.test_button.clicked.connect(self.test)
        self.import_button.clicked.connect(self.import_list)
        self.list.currentItemChanged.connect(self._selection_changed)
        self.list.itemDoubleClicked.connect(lambda _i: self.edit(self.current()))
        self._fill(profiles)

    def _fill(self, profiles: Sequence[TargetProfile], select: str | None = None) -> None:
        self.list.clear()
        for p in profiles:
            item = QListWidgetItem(f"{p.name}  —  {p.host}:{p.port}/{'+'.join(p.databases)}")
            item.setData(ProfileRole, p)
            item.setToolTip(p.notes or p.name)
            self.list.addItem(item)
            if p.id == select:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._selection_changed()

    def current(self) -> TargetProfile | None:
        item = self.list.currentItem()
        profile = item.data(ProfileRole) if item is not None else None
        return profile if isinstance(profile, TargetProfile) else None

    def _selection_changed(self, *_args: object) -> None:
        p = self.current()
        self.edit_button.setEnabled(p is not None)
        self.test_button.setEnabled(p is not None)
        self.delete_button.setEnabled(p is not None and is_user_profile(p))

    def refresh(self, select: str | None = None) -> None:
        self._fill(self._reload(), select)
        self.profilesChanged.emit()

    def edit(self, profile: TargetProfile | None) -> TargetEditor:
        editor = TargetEditor(profile, self)
        editor.accepted.connect(lambda: self._save(editor))
        editor.open()
        return editor

    def _save(self, editor: TargetEditor) -> None:
        profile = editor.result_profile
        assert profile is not None
        try:
            save_profile(profile, user_dir() / f"{profile.id}.toml")
        except PolycatError as problem:
            QMessageBox.warning(self, self.tr("Not saved"), problem.message)
            return
        if editor.password_text:
            self.keep_password(profile, editor.password_text)
        self.refresh(profile.id)

    def keep_password(self, profile: TargetProfile, password: str) -> str:
        return keep_password(self, profile, password)

    def delete(self) -> None:
        profile = self.current()
        if profile is None or not is_user_profile(profile):
            return
        Path(profile.source).unlink(missing_ok=True)
        if profile.auth != "none":
            drop_password(profile)
        self.refresh()

    def test(self) -> asyncio.Task[Any] | None:
        profile = self.current()
        if profile is None:
            return None
        self.report.setPlainText(
            self.tr("Connecting to {0}:{1}…").format(profile.host, profile.port)
        )
        return self.test_slot.start(self._test(profile))

    async def _test(self, profile: TargetProfile) -> None:
        try:
            lines = await self._connect_test(profile, load_password(profile))
        except asyncio.CancelledError:
            self.report.appendPlainText(self.tr("Test stopped."))
            raise
        except PolycatError as problem:
            text = self.tr("Failed: {0}").format(problem.message)
            if problem.detail:
                text += "\n" + problem.detail
            self.report.setPlainText(text)
        except OSError as problem:
            self.report.setPlainText(self.tr("Cannot connect: {0}").format(problem))
        else:
            self.report.setPlainText("\n".join(lines))

    def import_list(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import catalogues"),
            "",
            self.tr("Target lists (*.def *.csv *.sql *.xml *.txt);;All files (*)"),
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> list[TargetProfile]:
        """Read a target list (all or nothing); save its profiles, keep the passwords it
        carried in the keyring (or, if the user agrees, the owner-only file), say what was
        skipped and why."""
        try:
            imported = read_target_list(path)
        except PolycatError as problem:
            self.report.setPlainText(self.tr("Not imported: {0}").format(problem.message))
            return []
        profiles = list(imported.profiles)
        for profile in profiles:
            save_profile(profile, user_dir() / f"{profile.id}.toml")
        for profile in profiles:
            secret = imported.passwords.get(profile.id)
            if secret:
                self.keep_password(profile, secret)
        lines = [
            self.tr("Imported {0} catalogues from {1} ({2}).").format(
                len(profiles), path.name, imported.kind
            )
        ]
        lines += [self.tr("Skipped {0}").format(why) for why in imported.skipped]
        self.report.setPlainText("\n".join(lines))
        self.refresh(profiles[0].id if profiles else None)
        return profiles

    def reject(self) -> None:
        self.test_slot.cancel()
        super().reject()
