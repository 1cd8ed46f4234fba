"""The real window, driven like a user, against real peers and Polycat's in-process target."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from PySide6.QtCore import Qt

from app.targets import Capabilities, TargetProfile
from tests.corpus import expected_groups, style_sets, work_id
from tests.peers import OCLC_LOGIN
from ui.app import build_window
from ui.demo import demo_catalogues
from ui.engine import default_engine
from ui.main_window import MainWindow
from ui.options import Settings
from ui.results_model import SortRole

pytestmark = [pytest.mark.gui, pytest.mark.peers]

EVERYTHING = '@attr 1=_ALLRECORDS @attr 2=103 ""'  # zebra: every record of the database


def peer(pid: str, name: str, server: Any, database: str, **kw: Any) -> TargetProfile:
    return TargetProfile(
        id=pid, name=name, host=server.host, port=server.port, databases=(database,), **kw
    )


def open_window(qtbot: Any, profiles: list[TargetProfile], **settings: Any) -> MainWindow:
    store = Settings()
    for key, value in settings.items():
        store.set(key, value)
    win = build_window(store, default_engine(), profiles, checked={p.id for p in profiles})
    qtbot.addWidget(win)
    win.show()
    return win


def search(qtbot: Any, win: MainWindow, text: str, timeout: int = 20000) -> None:
    win.search_bar.edit.clear()
    qtbot.keyClicks(win.search_bar.edit, text)
    qtbot.keyClick(win.search_bar.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.bridge.last_finished is not None, timeout=timeout)


@pytest.fixture
def styles(
    copac_style: Any, gbv_style: Any, oclc_style: Any, monkeypatch: pytest.MonkeyPatch
) -> list[TargetProfile]:
    user, password = OCLC_LOGIN
    monkeypatch.setenv("POLYCAT_TEST_OCLC_PASSWORD", password)
    return [
        peer("copac", "Copac", copac_style, "COPAC", syntaxes=("mods", "sutrs"), style="copac"),
        peer(
            "gbv",
            "GBV",
            gbv_style,
            "olc",
            syntaxes=("usmarc",),
            style="gbv",
            capabilities=Capabilities(scan=True, sort=True),
        ),
        peer(
            "oclc",
            "WorldCat",
            oclc_style,
            "WorldCat",
            syntaxes=("usmarc",),
            style="oclc",
            auth="idpass",
            user=user,
            password_env="POLYCAT_TEST_OCLC_PASSWORD",
        ),
    ]


def test_three_styles_merge_exactly_as_the_corpus_says(
    qtbot: Any, qloop: Any, config_dir: Path, styles: Any
) -> None:
    win = open_window(qtbot, styles, **{"search/records_per_target": 100})
    search(qtbot, win, EVERYTHING)
    statuses = win.targets.statuses
    assert {tid: (s.state, s.hits, s.fetched) for tid, s in statuses.items()} == {
        "copac": ("done", 27, 27),
        "gbv": ("done", 28, 28),
        "oclc": ("done", 27, 27),
    }
    assert win.status_label.text().startswith("3 catalogues answered · ")
    # the window's rows are the ground truth's groups: which catalogues hold each work
    names = {"Copac": "copac", "GBV": "gbv", "WorldCat": "oclc"}
    shown = sorted(
        sorted(names[t] for t in win.model.entry(r).held_by) for r in range(win.model.rowCount())
    )
    truth = sorted(sorted(c for c, _ in group) for group in expected_groups(style_sets()))
    assert shown == truth
    assert win.summary.text().startswith(f"{len(truth)} results from 3 of 3 catalogues")


def test_open_a_record_see_its_marc_and_export_it(
    qtbot: Any, qloop: Any, config_dir: Path, styles: Any, tmp_path: Path
) -> None:
    win = open_window(qtbot, styles, **{"search/records_per_target": 100})
    search(qtbot, win, EVERYTHING)
    row = next(
        r
        for r in range(win.model.rowCount())
        if len(win.model.index(r, 0).data(0x0101).held_by) == 3
    )
    win.table.setCurrentIndex(win.model.index(row, 0))
    entry = win.current_entry()
    assert win.record.tabs.tabText(4) == "Sources (3)"
    # the OCLC-style record brings its 948 holdings: library and which catalogue said so
    holdings = win.record.holdings
    assert holdings.rowCount() > 0
    assert "WorldCat" in {holdings.item(r, 6).text() for r in range(holdings.rowCount())}
    gbv = next(
        i
        for i in range(win.record.source_box.count())
        if win.record.source_box.itemText(i).startswith("GBV")
    )
    win.record.source_box.setCurrentIndex(gbv)
    marc = win.record.marc.toPlainText()
    assert marc.startswith("=LDR  ") and "\n=245  " in marc and "$a" in marc
    copac = next(
        i
        for i in range(win.record.source_box.count())
        if win.record.source_box.itemText(i).startswith("Copac")
    )
    win.record.source_box.setCurrentIndex(copac)
    assert "mods" in win.record.raw.toPlainText()
    assert "not MARC" in win.record.marc.toPlainText()
    target = tmp_path / "one.bib"
    assert win.exporter.export_entries([entry], "bibtex", target) is not None
    library = bibtexparser.parse_string(target.read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    assert len(library.entries) == 1
    title = library.entries[0]["title"].replace("{", "").replace("}", "")
    assert title.startswith(entry.title.replace("{", "").replace("}", "")[:20])


def test_a_failing_catalogue_says_why_and_the_others_answer(
    qtbot: Any, qloop: Any, config_dir: Path, zebra: Any, unused_port: int
) -> None:
    profiles = [
        peer("books", "Books", zebra, "books"),
        peer("nodb", "No such database", zebra, "nosuchdb"),
        TargetProfile(id="down", name="Closed port", host="127.0.0.1", port=unused_port),
    ]
    win = open_window(qtbot, profiles)
    search(qtbot, win, EVERYTHING)
    statuses = win.targets.statuses
    assert statuses["books"].state == "done" and (statuses["books"].hits or 0) > 0
    nodb, down = statuses["nodb"], statuses["down"]
    assert nodb.state == down.state == "failed"
    assert nodb.failure is not None and nodb.failure.kind == "database"
    assert nodb.failure.code in (109, 235)
    assert down.failure is not None and down.failure.kind == "connect"
    item = win.targets.model.item(2)
    assert item.text().startswith("Closed port\n✕ ")
    assert item.toolTip() == down.failure.message
    win.targets.select("nodb")
    details = win.targets.details.toPlainText()
    assert f"Diagnostic code: {nodb.failure.code}" in details
    assert "2 failed (" in win.status_label.text()
    assert win.model.rowCount() > 0


def test_stop_cancels_a_slow_catalogue_at_once(
    qtbot: Any, qloop: Any, config_dir: Path, ztest: Any
) -> None:
    profiles = [peer("slow", "Slow ztest", ztest, "Slow")]
    win = open_window(qtbot, profiles)
    win.search_bar.set_text("water")
    win.search_bar.submit()
    qtbot.waitUntil(lambda: win.targets.statuses["slow"].state == "searching", timeout=5000)
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: win.bridge.last_finished is not None, timeout=1000)
    assert win.bridge.last_finished.cancelled
    assert "stopped" in win.status_label.text()
    # the association is closed and its task gone (the autouse fixture checks no task is left)
    run = win.bridge.run
    qtbot.waitUntil(lambda: all(s.assoc is None for s in run.targets.values()), timeout=3000)


def test_a_new_search_replaces_a_running_one(
    qtbot: Any, qloop: Any, config_dir: Path, ztest: Any
) -> None:
    profiles = [peer("slow", "Slow ztest", ztest, "Slow"), peer("fast", "ztest", ztest, "Default")]
    win = open_window(qtbot, profiles)
    win.search_bar.set_text("water")
    win.search_bar.submit()
    qtbot.waitUntil(lambda: win.targets.statuses["slow"].state == "searching", timeout=5000)
    first = win.bridge.run
    win.targets.set_checked("slow", False)
    search(qtbot, win, "42")
    assert first.cancelled
    assert win.targets.statuses["fast"].hits == 42
    assert win.bridge.last_finished is not None and not win.bridge.last_finished.cancelled


def test_more_results_fetches_the_next_page(
    qtbot: Any, qloop: Any, config_dir: Path, ztest: Any
) -> None:
    win = open_window(
        qtbot, [peer("z", "ztest", ztest, "Default")], **{"search/records_per_target": 5}
    )
    search(qtbot, win, "15")
    status = win.targets.statuses["z"]
    assert (status.hits, status.fetched) == (15, 5)
    assert win.more_button.isEnabled()
    win.more_button.click()
    qtbot.waitUntil(lambda: status.fetched == 10, timeout=10000)
    qtbot.waitUntil(lambda: not win.bridge.more_slot.running, timeout=5000)
    assert win.targets.model.item(0).text() == "ztest\n● 15 hits  10/15"


def test_the_demo_shows_the_whole_flow(qtbot: Any, qloop: Any, config_dir: Path) -> None:
    async def demo() -> None:
        async with demo_catalogues() as profiles:
            win = open_window(qtbot, profiles)
            assert [p.name for p in profiles] == [
                "Copac-style demo",
                "GBV-style demo",
                "OCLC-style demo",
            ]
            win.search_bar.set_text("darwin")
            win.search_bar.submit()
            while win.bridge.last_finished is None:
                await asyncio.sleep(0.02)
            states = {t: s.state for t, s in win.targets.statuses.items()}
            assert states == {"demo-copac": "done", "demo-gbv": "done", "demo-oclc": "done"}
            held = sorted(len(win.model.entry(r).held_by) for r in range(win.model.rowCount()))
            assert held == [2, 2, 2, 3, 3]
            # the OCLC-style demo's user-information record is told in its story
            win.targets.select("demo-oclc")
            story = win.targets.details.toPlainText()
            assert "Server: OCLC-style demo" in story
            assert "Message from the catalogue: Welcome to the OCLC-style demo." in story
            win.close()
            await asyncio.sleep(0.05)

    task = asyncio.ensure_future(demo())
    qtbot.waitUntil(task.done, timeout=20000)
    task.result()


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_corpus_work_ids_are_not_what_the_window_merges_on() -> None:
    # the ground truth lives in 999 $w, which no reader maps into BibRecord
    record = style_sets()["gbv"][0]
    assert work_id(record) is not None


def test_sorting_asks_a_catalogue_that_can_sort_on_the_server(
    qtbot: Any, qloop: Any, config_dir: Path, styles: Any
) -> None:
    gbv = [p for p in styles if p.id == "gbv"]
    plain = open_window(qtbot, gbv, **{"search/records_per_target": 5})
    search(qtbot, plain, EVERYTHING)
    assert plain.bridge.run.targets["gbv"].result_set == "default"
    first_five = {plain.model.entry(r).title for r in range(plain.model.rowCount())}
    # only 5 records of 28 are fetched: sorted by the server, they are other ones
    win = open_window(qtbot, gbv, **{"search/records_per_target": 5, "search/sort": "title"})
    assert win.sort_box.currentData() == "title"
    search(qtbot, win, EVERYTHING)
    assert (win.targets.statuses["gbv"].hits, win.targets.statuses["gbv"].fetched) == (28, 5)
    assert win.bridge.run.targets["gbv"].result_set == "sorted"
    sorted_five = {win.model.entry(r).title for r in range(win.model.rowCount())}
    assert sorted_five != first_five
    # the table shows them in title order (its own, ignoring case, accents and articles)
    keys = [win.model.index(r, 0).data(SortRole) for r in range(win.model.rowCount())]
    assert keys == sorted(keys)


def test_log_in_from_the_catalogue_menu_after_a_refused_search(
    qtbot: Any, qloop: Any, config_dir: Path, oclc_style: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backends.fail import Keyring as Failing
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    monkeypatch.setattr(keyring, "get_keyring", lambda: Failing())  # no keyring here
    user, password = OCLC_LOGIN
    oclc = peer("oclc", "WorldCat", oclc_style, "WorldCat", auth="idpass", user=user)
    win = open_window(qtbot, [oclc])
    search(qtbot, win, EVERYTHING)
    status = win.targets.statuses["oclc"]
    assert status.state == "failed" and status.failure is not None
    assert status.failure.kind == "login"
    win.targets.select("oclc")
    assert "Log in…" in win.targets.details.toPlainText()
    menu = win.catalogue_menu("oclc")
    assert [a.text() for a in menu.actions()] == ["Log in…", "Edit…", "Test connection"]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (password, True))
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No
    )  # not in clear
    menu.actions()[0].trigger()
    assert win.status_label.text().startswith("Password for WorldCat kept")
    search(qtbot, win, EVERYTHING)
    assert win.targets.statuses["oclc"].state == "done"
    assert win.targets.statuses["oclc"].hits == 27
