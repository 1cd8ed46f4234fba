"""Catalogue management, browsing an index and the ISBN matrix, against real peers."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.targets import TargetProfile, load_profiles
from tests.peers import OCLC_LOGIN
from tests.ui.handmade import HandRun, hand_engine
from ui import engine as polycat
from ui.app import build_window
from ui.batch_dialog import BatchDialog, StateRole
from ui.credentials import clear_file, forget_session_passwords, load_password
from ui.options import Settings
from ui.targets_dialog import CataloguesDialog, TargetEditor

pytestmark = [pytest.mark.gui, pytest.mark.peers]


def peer_profile(pid: str, address: str, database: str, **kw: Any) -> TargetProfile:
    host, port = address.split(":")
    return TargetProfile(id=pid, name=pid, host=host, port=int(port), databases=(database,), **kw)


def test_add_a_catalogue_and_it_joins_the_window(
    qtbot: Any, qloop: Any, config_dir: Path, ztest: Any
) -> None:
    profiles: list[Any] = []
    engine = hand_engine(
        profiles,
        [],
        load_profiles=lambda: list(load_profiles().values()),
        test_connection=polycat.test_connection,
    )
    win = build_window(Settings(), engine, [], checked=set())
    qtbot.addWidget(win)
    dialog = win.open_catalogues()
    editor = dialog.edit(None)
    qtbot.keyClicks(editor.name, "Index Data test")
    qtbot.keyClicks(editor.ident, "ztest")
    qtbot.keyClicks(editor.host, ztest.host)
    editor.port.setValue(ztest.port)
    qtbot.keyClicks(editor.databases, "Default")
    editor.accept()
    saved = config_dir / "targets" / "ztest.toml"
    assert saved.exists()
    assert 'host = "127.0.0.1"' in saved.read_text(encoding="utf-8")
    names = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert any(n.startswith("Index Data test  —  127.0.0.1:") for n in names)
    # the new catalogue is listed in the window, ticked
    assert "ztest" in win.targets.checked_ids()
    # and Test connection reports what yaz-ztest says about itself
    dialog.list.setCurrentRow(next(i for i, n in enumerate(names) if n.startswith("Index Data")))
    dialog.test()
    qtbot.waitUntil(lambda: "Connected to" in dialog.report.toPlainText(), timeout=10000)
    report = dialog.report.toPlainText()
    assert "Server: GFS/YAZ" in report
    assert "search" in report


def test_a_bad_setting_is_refused_in_the_form(qtbot: Any, config_dir: Path) -> None:
    editor = TargetEditor(None)
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.name, "Broken")
    qtbot.keyClicks(editor.ident, "Has Spaces")
    qtbot.keyClicks(editor.host, "example.org")
    editor.accept()
    assert editor.result_profile is None
    assert "id" in editor.problem.text().lower()
    assert not (config_dir / "targets").exists()


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without a usable keyring backend, whatever this one has."""
    import keyring
    from keyring.backends.fail import Keyring as Failing

    monkeypatch.setattr(keyring, "get_keyring", lambda: Failing())


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], str]:
    """A keyring that keeps secrets in a dict (a stand-in for the system's)."""
    import keyring

    kept: dict[tuple[str, str], str] = {}

    # a plain class: a KeyringBackend subclass would register itself with keyring for good
    class Memory:
        priority = 1

        def get_password(self, service: str, username: str) -> str | None:
            return kept.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            kept[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            kept.pop((service, username), None)

    backend = Memory()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    monkeypatch.setattr(keyring, "get_password", backend.get_password)
    monkeypatch.setattr(keyring, "set_password", backend.set_password)
    monkeypatch.setattr(keyring, "delete_password", backend.delete_password)
    return kept


def test_with_a_keyring_the_password_goes_there_and_nothing_is_asked(
    qtbot: Any,
    qloop: Any,
    config_dir: Path,
    oclc_style: Any,
    memory_keyring: dict[tuple[str, str], str],
) -> None:
    user, password = OCLC_LOGIN
    profile = peer_profile("oclc", oclc_style.address, "WorldCat", auth="idpass", user=user)
    dialog = CataloguesDialog(
        [profile], reload=lambda: [profile], connect_test=polycat.test_connection
    )
    qtbot.addWidget(dialog)
    original = QMessageBox.question
    QMessageBox.question = lambda *a, **k: pytest.fail("asked")  # type: ignore[method-assign]
    try:
        assert dialog.keep_password(profile, password) == "keyring"
    finally:
        QMessageBox.question = original  # type: ignore[method-assign]
    assert memory_keyring == {("polycat", f"oclc:{user}"): password}
    assert not clear_file().exists()
    dialog.test()
    qtbot.waitUntil(lambda: "Connected to" in dialog.report.toPlainText(), timeout=10000)


def test_connection_test_with_and_without_the_login(
    qtbot: Any, qloop: Any, config_dir: Path, oclc_style: Any, no_keyring: None
) -> None:
    user, password = OCLC_LOGIN
    profile = peer_profile("oclc", oclc_style.address, "WorldCat", auth="idpass", user=user)
    dialog = CataloguesDialog(
        [profile], reload=lambda: [profile], connect_test=polycat.test_connection
    )
    qtbot.addWidget(dialog)
    dialog.test()
    qtbot.waitUntil(lambda: "Connecting" not in dialog.report.toPlainText(), timeout=10000)
    assert dialog.report.toPlainText().startswith("Failed"), dialog.report.toPlainText()
    assert "password" in dialog.report.toPlainText()
    # no keyring on this machine: the password is kept in clear only after a yes
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    original = QMessageBox.question
    QMessageBox.question = lambda *a, **k: next(answers)  # type: ignore[method-assign]
    try:
        assert dialog.keep_password(profile, password) == "session"  # kept in memory only
        assert not clear_file().exists()
        assert load_password(profile) == password
        forget_session_passwords()
        assert load_password(profile) is None
        assert dialog.keep_password(profile, password) == "clear"
    finally:
        QMessageBox.question = original  # type: ignore[method-assign]
    assert clear_file().stat().st_mode & 0o077 == 0
    assert load_password(profile) == password
    dialog.test()
    qtbot.waitUntil(lambda: "Connected to" in dialog.report.toPlainText(), timeout=10000)


def test_browse_an_index_and_search_a_heading(
    qtbot: Any, qloop: Any, config_dir: Path, gbv_style: Any
) -> None:
    from app.targets import Capabilities

    profile = peer_profile(
        "gbv", gbv_style.address, "olc", capabilities=Capabilities(scan=True, sort=True)
    )
    searched: list[str] = []
    engine = hand_engine(
        [profile],
        [HandRun({})],
        scan=polycat.scan_index,
        make_query=lambda text, kind: searched.append(text) or text,
    )
    win = build_window(Settings(), engine, [profile], checked={"gbv"})
    qtbot.addWidget(win)
    win.show()
    win.scan_action.trigger()
    dock = win.scan_dock
    assert dock.isVisible()
    dock.index.setCurrentIndex(dock.index.findData("title"))
    qtbot.keyClicks(dock.term, "a")
    qtbot.keyClick(dock.term, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dock.entries.topLevelItemCount() > 0, timeout=10000)
    headings = [
        dock.entries.topLevelItem(i).text(0) for i in range(dock.entries.topLevelItemCount())
    ]
    # zebra answers with the index entries from "a" on, one heading per line with its count
    assert len(headings) > 1
    assert all(dock.entries.topLevelItem(i).text(1).isdigit() for i in range(len(headings)))
    assert dock.status.text().endswith("headings from gbv")
    first = dock.entries.topLevelItem(0)
    dock.entries.itemActivated.emit(first, 0)
    # the bar shows the CCL a user could have typed, and a search was asked for
    assert win.search_bar.text() == f'ti="{first.data(0, Qt.ItemDataRole.UserRole)}"'
    assert searched == [win.search_bar.text()]
    qtbot.waitUntil(lambda: win.bridge.last_finished is not None, timeout=5000)


def test_the_matrix_fills_from_real_catalogues_and_exports_as_csv(
    qtbot: Any, qloop: Any, config_dir: Path, gbv_style: Any, tmp_path: Path
) -> None:
    from tests.corpus import style_sets

    held = [
        str(f["a"]).split()[0]
        for r in style_sets()["gbv"]
        for f in r.get_fields("020")
        if f.get("a")
    ]
    wanted = held[:3]
    dead = TargetProfile(id="dead", name="Dead", host="127.0.0.1", port=9, databases=("x",))
    gbv = peer_profile("gbv", gbv_style.address, "olc")
    dialog = BatchDialog(Settings(), lambda: [gbv, dead], polycat.make_lookup)
    qtbot.addWidget(dialog)
    dialog.input.setPlainText("\n".join(wanted) + "\n9780000000002\nnot an isbn\n")
    dialog.run()
    qtbot.waitUntil(lambda: dialog.csv_button.isEnabled(), timeout=30000)
    states = [
        [dialog.matrix.item(r, c).data(StateRole) for c in range(2)]
        for r in range(dialog.matrix.rowCount())
    ]
    assert dialog.matrix.rowCount() == len(wanted) + 1
    assert [row[0] for row in states[:-1]] == ["found"] * len(wanted)
    assert states[-1][0] == "not found"
    assert all(row[1] == "error" for row in states)
    assert dialog.status.text().startswith("Done. 8 of 8 answers: 3 found, 1 not found, 4 errors.")
    assert "Line 5 skipped:" in dialog.status.text()
    out = dialog.save_csv(tmp_path / "matrix.csv")
    assert out is not None
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["ISBN", "Title", "gbv", "Dead"]
    assert [r[2] for r in rows[1:]] == ["found"] * len(wanted) + ["not found"]
    assert all(r[3] == "error" for r in rows[1:])


def test_import_a_target_list_and_its_passwords(
    qtbot: Any, qloop: Any, config_dir: Path, tmp_path: Path, no_keyring: None
) -> None:
    listing = tmp_path / "z3950.def"
    listing.write_text(
        "# servers for copy cataloguing\n"
        "Library of Congress|z3950.loc.gov|7090|voyager|||USMARC\n"
        "OCLC WorldCat|zcat.oclc.org|210|OLUCWorldCat|100200300|s3cret|USMARC\n",
        encoding="utf-8",
    )
    dialog = CataloguesDialog(
        [], reload=lambda: list(load_profiles().values()), connect_test=polycat.test_connection
    )
    qtbot.addWidget(dialog)
    asked: list[str] = []
    original = QMessageBox.question

    def no(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.No  # the default: nothing kept in clear

    QMessageBox.question = no  # type: ignore[method-assign]
    try:
        imported = dialog.import_file(listing)
    finally:
        QMessageBox.question = original  # type: ignore[method-assign]
    assert sorted(p.host for p in imported) == ["z3950.loc.gov", "zcat.oclc.org"]
    saved = sorted(f.name for f in (config_dir / "targets").glob("*.toml"))
    assert len(saved) == 2
    assert all("s3cret" not in (config_dir / "targets" / f).read_text() for f in saved)
    assert len(asked) == 1 and "OCLC WorldCat" in asked[0]
    assert not clear_file().exists()
    assert dialog.report.toPlainText().startswith("Imported 2 catalogues from z3950.def")
    names = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert any(n.startswith("OCLC WorldCat") for n in names)


def test_a_broken_list_imports_nothing(qtbot: Any, config_dir: Path, tmp_path: Path) -> None:
    listing = tmp_path / "z3950.def"
    listing.write_text(
        "Good|z3950.loc.gov|7090|voyager|||USMARC\nBad|host|port?|db\n", encoding="utf-8"
    )
    dialog = CataloguesDialog([], reload=lambda: [], connect_test=polycat.test_connection)
    qtbot.addWidget(dialog)
    assert dialog.import_file(listing) == []
    assert dialog.report.toPlainText().startswith("Not imported: ")
    assert "line 2" in dialog.report.toPlainText()
    assert not (config_dir / "targets").exists()
