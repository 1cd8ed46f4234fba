"""The main window's own behaviour, driven through its widgets with hand-made search runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rispy
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from tests.ui.handmade import HandRun, hand_engine, profile, standard_script
from ui.app import build_window
from ui.main_window import MainWindow
from ui.options import Settings

pytestmark = pytest.mark.gui

PROFILES = [profile("loc", "Library of Congress"), profile("k10", "K10plus"), profile("bnf", "BnF")]


@pytest.fixture
def window(qtbot: Any, qloop: Any, config_dir: Path) -> tuple[MainWindow, list[HandRun]]:
    runs: list[HandRun] = []
    win = build_window(
        Settings(), hand_engine(PROFILES, runs), PROFILES, checked={"loc", "k10", "bnf"}
    )
    qtbot.addWidget(win)
    win.show()
    return win, runs


def search(qtbot: Any, win: MainWindow, text: str) -> None:
    win.search_bar.edit.clear()
    qtbot.keyClicks(win.search_bar.edit, text)
    qtbot.keyClick(win.search_bar.edit, Qt.Key.Key_Return)


def test_a_search_fills_the_table_and_the_catalogue_rows(qtbot: Any, window: Any) -> None:
    win, runs = window
    runs.append(HandRun(standard_script()))
    search(qtbot, win, "bibliothek")
    qtbot.waitUntil(lambda: win.bridge.last_finished is not None, timeout=5000)
    # three books: the two "Über die Größe" records merged by ISBN
    assert win.model.rowCount() == 3
    titles = sorted(win.model.index(r, 0).data() for r in range(3))
    assert titles == ["Cataloguing rules", "Die Blechtrommel", "Über die Größe der Bibliotheken"]
    merged = next(
        win.model.entry(r) for r in range(3) if win.model.entry(r).title.startswith("Über")
    )
    assert merged.held_by == ("LoC", "K10plus")
    rows = {win.targets.model.item(r).text() for r in range(3)}
    assert "Library of Congress\n● 2 hits" in rows
    assert "K10plus\n● 100 hits  2/100" in rows
    assert "BnF\n✕ connection refused" in rows
    assert win.status_label.text().startswith(
        "2 catalogues answered · 1 failed (BnF: connection refused) · "
    )
    assert win.summary.text() == "3 results from 2 of 3 catalogues · 1 merged"
    assert win.more_button.isEnabled()  # K10plus has 98 more


def test_a_bad_query_is_not_sent(qtbot: Any, window: Any) -> None:
    win, _runs = window
    search(qtbot, win, "@attr 1= x")
    assert win.search_bar.edit.error_span == (8, 1)
    assert win.search_bar.problem.text() == "expected a value after '1='"
    assert win.bridge.run is None


def test_open_a_record_and_step_through(qtbot: Any, window: Any) -> None:
    win, runs = window
    runs.append(HandRun(standard_script()))
    search(qtbot, win, "bibliothek")
    qtbot.waitUntil(lambda: win.bridge.last_finished is not None, timeout=5000)
    win.sort_box.setCurrentIndex(win.sort_box.findData("title"))
    win.table.setFocus()
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert win.current_entry().title == "Cataloguing rules"
    qtbot.keyClick(win, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(win, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    entry = win.current_entry()
    assert entry.title == "Über die Größe der Bibliotheken"
    cite = win.record.citation.toPlainText()
    assert "Müller, Jürgen. Über die Größe der Bibliotheken." in cite
    assert "Merged from LoC, K10plus" in cite
    sources = win.record.sources
    assert sources.columnCount() == 3
    edition_row = next(
        r for r in range(sources.rowCount()) if sources.item(r, 0).text().endswith("Edition")
    )
    assert sources.item(edition_row, 0).text() == "≠ Edition"
    assert {sources.item(edition_row, 1).text(), sources.item(edition_row, 2).text()} == {
        "2nd ed.",
        "2. Aufl.",
    }
    assert win.record.holdings.rowCount() == 1
    assert win.record.holdings.item(0, 3).text() == "Z665 .M85"
    qtbot.keyClick(win, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert win.current_entry().title == "Die Blechtrommel"


def test_filter_and_facets_narrow_the_table(qtbot: Any, window: Any) -> None:
    win, runs = window
    runs.append(HandRun(standard_script()))
    search(qtbot, win, "bibliothek")
    qtbot.waitUntil(lambda: win.bridge.last_finished is not None, timeout=5000)
    qtbot.keyClicks(win.filter_edit, "grosse")  # no match: "Größe" folds to "groe"? no: größe
    shown = win.model.rowCount()
    win.filter_edit.clear()
    qtbot.keyClicks(win.filter_edit, "blech")
    assert win.model.rowCount() == 1
    win.filter_edit.clear()
    assert shown in (0, 1)
    win.refresh_facets()
    win.facets.choose("catalogue", "K10plus")
    assert win.model.rowCount() == 2
    assert win.summary.text().endswith("· 2 shown")
    win.facets.clear_choice()
    assert win.model.rowCount() == 3


def test_export_selected_rows_and_read_them_back(qtbot: Any, window: Any, tmp_path: Path) -> None:
    win, runs = window
    runs.append(HandRun(standard_script()))
    search(qtbot, win, "bibliothek")
    qtbot.waitUntil(lambda: win.bridge.last_finished is not None, timeout=5000)
    win.sort_box.setCurrentIndex(win.sort_box.findData("title"))
    win.table.selectionModel().select(
        win.model.index(2, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    target = tmp_path / "out.ris"
    result = win.exporter.export_entries(win.selected_entries(), "ris", target)
    assert result is not None and result.written == 1
    entries = rispy.loads(target.read_text(encoding="utf-8"))
    assert len(entries) == 1
    assert entries[0]["title"] == "Über die Größe der Bibliotheken"
    assert win.settings.get("export/last_format") == "ris"
    # nothing selected: everything shown is exported
    win.table.clearSelection()
    bib = tmp_path / "all.bib"
    assert win.exporter.export_entries(win.selected_entries(), "bibtex", bib).written == 3
    assert bib.read_text(encoding="utf-8").count("@") == 3
    assert win.settings.get("export/last_format") == "bibtex"
    # a drag carries a file in the last format
    mime = win.exporter.drag_mime(win.all_entries())
    dragged = Path(mime.urls()[0].toLocalFile())
    assert dragged.suffix == ".bib" and dragged.read_text(encoding="utf-8").count("@") == 3
    win.table.setCurrentIndex(win.model.index(0, 0))
    win.copy_citation()
    assert QGuiApplication.clipboard().text().startswith("Smith, Ann. Cataloguing rules.")


def test_stop_cancels_at_once_and_says_so(qtbot: Any, window: Any) -> None:
    win, runs = window
    slow = HandRun(standard_script(), pause=0.5)
    runs.append(slow)
    search(qtbot, win, "bibliothek")
    qtbot.waitUntil(lambda: "connecting" in win.targets.model.item(0).text(), timeout=3000)
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: win.bridge.last_finished is not None, timeout=1000)
    assert win.bridge.last_finished.cancelled
    assert slow.cancelled
    assert "stopped" in win.status_label.text()
    assert not win.search_bar.stop_button.isEnabled()


def test_more_results_asks_the_catalogues_with_more(qtbot: Any, window: Any) -> None:
    win, runs = window
    run = HandRun(standard_script())
    runs.append(run)
    search(qtbot, win, "bibliothek")
    qtbot.waitUntil(lambda: win.more_button.isEnabled(), timeout=5000)
    win.more_button.click()
    qtbot.waitUntil(lambda: win.model.rowCount() == 23, timeout=5000)
    assert run.more_asked == [("k10", 20)]


def test_window_state_and_last_query_are_remembered(
    qtbot: Any, qloop: Any, config_dir: Path
) -> None:
    runs = [HandRun(standard_script())]
    win = build_window(Settings(), hand_engine(PROFILES, runs), PROFILES, checked={"loc"})
    qtbot.addWidget(win)
    win.show()
    search(qtbot, win, "bibliothek")
    qtbot.waitUntil(lambda: win.bridge.last_finished is not None, timeout=5000)
    win.resize(640, 480)
    win.close()
    again = build_window(Settings(), hand_engine(PROFILES, []), PROFILES)
    qtbot.addWidget(again)
    assert again.search_bar.text() == "bibliothek"
    assert again.targets.checked_ids() == ["loc"]
    assert (again.size().width(), again.size().height()) == (640, 480)
    assert [a.text() for a in again.history_menu.actions()] == ["bibliothek"]


def unnamed_controls(top: Any) -> list[str]:
    """Controls of a window that a screen reader could not name."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
        QWidget,
    )

    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit, QTextEdit)
    # Qt's own inner parts (the tab bar's scroll buttons, a header's corner) are named by Qt
    inner = (
        "QTabBar",
        "QHeaderView",
        "QComboBox",
        "QTableCornerButton",
        "QDockWidget",
        "QDialogButtonBox",
    )
    return [
        f"{type(w).__name__} in {type(w.parent()).__name__}"
        for w in top.findChildren(QWidget)
        if isinstance(w, kinds)
        and not w.accessibleName()
        and not w.objectName().startswith("qt_")
        and type(w.parent()).__name__ not in inner
        and type(w).__name__ != "QHeaderView"
        and w.window() is top  # combo popups are their own little windows
        and not isinstance(w.parent(), QLineEdit)  # the clear button Qt puts inside
    ]


def test_every_control_has_an_accessible_name(window: Any) -> None:
    win, _runs = window
    assert unnamed_controls(win) == []
    catalogues = win.open_catalogues()
    assert unnamed_controls(catalogues) == []
    editor = catalogues.edit(None)
    assert unnamed_controls(editor) == []
    editor.reject()
    catalogues.reject()
    batch = win.open_batch()
    assert unnamed_controls(batch) == []
    batch.reject()


def test_rows_arriving_above_do_not_move_the_row_being_read(qtbot: Any, window: Any) -> None:
    from app.search.events import Connecting, HitsKnown, RecordsArrived, TargetDone
    from tests.ui.handmade import book

    win, runs = window
    first = tuple(book(f"N{i:03d}", "", "LoC") for i in range(60))
    runs.append(
        HandRun(
            {
                "loc": [
                    Connecting("loc"),
                    HitsKnown("loc", 100),
                    RecordsArrived("loc", first, 60, 100),
                    TargetDone("loc", 100, 60, 0.1),
                ]
            }
        )
    )
    win.sort_box.setCurrentIndex(win.sort_box.findData("title"))
    search(qtbot, win, "n")
    qtbot.waitUntil(lambda: win.bridge.last_finished is not None, timeout=5000)
    row = 30
    win.table.selectRow(row)
    win.table.scrollTo(win.model.index(row, 0))
    reading = win.current_entry()
    top = win.table.visualRect(win.table.currentIndex()).top()
    assert top >= 0
    # "More 0..19" sort before "N...": twenty rows join above the one being read
    win.more_button.click()
    qtbot.waitUntil(lambda: win.model.rowCount() == 80, timeout=5000)
    assert win.current_entry() is reading
    assert win.table.currentIndex().row() == row + 20
    assert abs(win.table.visualRect(win.table.currentIndex()).top() - top) <= 1
