"""The window's parts on hand-made records and events: table, catalogues panel, search bar."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pymarc
import pytest
from PySide6.QtCore import Qt

from app.records.model import BibRecord, Holding, Isbn, Name, Original
from app.search.events import (
    Connecting,
    Failure,
    HitsKnown,
    RecordsArrived,
    RunFinished,
    Searching,
    TargetDone,
    TargetFailed,
)
from app.search.merge import Merger
from tests.ui.handmade import book
from ui.bridge import SearchBridge
from ui.facets_panel import FacetsPanel
from ui.record_text import citation, comparison, marc_lines, marc_record, raw_text
from ui.results_model import EntryRole, ResultsModel
from ui.search_bar import QueryProblem, SearchBar, form_to_ccl
from ui.targets_panel import TargetsPanel, TargetStatus, apply_event


class Profile:
    def __init__(self, id: str, name: str, auth: str = "none") -> None:
        self.id, self.name, self.auth = id, name, auth


# --- results table ---


def test_rows_join_one_by_one_and_merged_rows_change_in_place(qapp: Any) -> None:
    merger = Merger()
    model = ResultsModel()
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    a = merger.get(merger.add(book("Alpha", "9783161484100", "LoC")).entry_id)
    b = merger.get(merger.add(book("Beta", "9780306406157", "LoC")).entry_id)
    model.update(added=[a, b])
    assert inserted == [(0, 0), (1, 1)]  # equal relevance: arrival order
    assert model.index(0, 0).data() == "Alpha"
    change = merger.add(book("Alpha", "9783161484100", "K10plus"))
    assert change.kind == "joined"
    changed: list[int] = []
    model.dataChanged.connect(lambda tl, br: changed.extend(range(tl.row(), br.row() + 1)))
    model.update(changed=[merger.get(change.entry_id)])
    assert changed == [0]
    assert model.index(0, 6).data().startswith("2 ")
    assert "LoC, K10plus" in model.index(0, 6).data(Qt.ItemDataRole.ToolTipRole)


def test_new_rows_join_the_sort_order_and_the_selection_stays(qapp: Any) -> None:
    from PySide6.QtCore import QPersistentModelIndex

    merger = Merger()
    model = ResultsModel()
    model.sort(0)  # by title
    first = [merger.get(merger.add(book(t, "", "LoC")).entry_id) for t in ("Kappa", "Beta")]
    model.update(added=first)
    chosen = QPersistentModelIndex(model.index(1, 0))  # "Kappa", selected by the user
    assert chosen.data() == "Kappa"
    more = [merger.get(merger.add(book(t, "", "LoC")).entry_id) for t in ("Alpha", "Zeta", "Mu")]
    model.update(added=more)
    assert [model.index(r, 0).data() for r in range(5)] == ["Alpha", "Beta", "Kappa", "Mu", "Zeta"]
    assert chosen.row() == 2 and chosen.data() == "Kappa"
    # a record joining an entry can move it (relevance counts catalogues holding it)
    from app.search.rank import Ranker

    model.score = Ranker([]).score  # no query words: catalogues holding it decide
    model.sort(-1)
    zeta = merger.add(book("Zeta", "", "K10plus"))
    assert zeta.kind == "joined"
    model.update(changed=[merger.get(zeta.entry_id)])
    assert model.index(0, 0).data() == "Zeta"  # held by two catalogues now: most relevant
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 0).data() for r in range(5)] == ["Zeta", "Mu", "Kappa", "Beta", "Alpha"]
    assert chosen.data() == "Kappa"


def test_filter_as_you_type_ignores_case_and_accents(qapp: Any) -> None:
    merger = Merger()
    model = ResultsModel()
    entries = [
        merger.get(merger.add(book(t, "", "LoC", author=a)).entry_id)
        for t, a in (("Über Bibliotheken", "Müller, J."), ("Cataloguing", "Smith, A."))
    ]
    model.update(added=entries)
    model.set_filter_text("muller")
    assert model.rowCount() == 1 and model.total == 2
    assert model.index(0, 0).data(EntryRole).title == "Über Bibliotheken"
    model.set_filter_text("")
    model.set_allowed(lambda e: e.title.startswith("C"))
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Cataloguing"]


def test_an_absorbed_entry_leaves_the_table(qapp: Any) -> None:
    merger = Merger()
    model = ResultsModel()
    r1 = BibRecord(title="X", isbns=(Isbn("9783161484100", "x", True),), target="A")
    r2 = BibRecord(title="X", oclc_numbers=("123",), target="B")
    r3 = BibRecord(
        title="X", isbns=(Isbn("9783161484100", "x", True),), oclc_numbers=("123",), target="C"
    )
    e1 = merger.get(merger.add(r1).entry_id)
    e2 = merger.get(merger.add(r2).entry_id)
    model.update(added=[e1, e2])
    change = merger.add(r3)
    assert change.kind == "merged"
    model.update(changed=[merger.get(change.entry_id)], removed=list(change.absorbed))
    assert model.rowCount() == 1
    assert model.entry(0).held_by == ("A", "B", "C")


# --- catalogues panel ---


def test_a_catalogue_row_tells_its_story(qtbot: Any) -> None:
    panel = TargetsPanel()
    panel.set_profiles(
        [Profile("loc", "Library of Congress"), Profile("oclc", "WorldCat", "idpass")], {"loc"}
    )
    assert panel.checked_ids() == ["loc"]
    panel.apply(Connecting("loc"))
    assert "connecting" in panel.model.item(0).text()
    panel.apply(Searching("loc", "@attr 1=4 origin"))
    panel.apply(HitsKnown("loc", 42))
    panel.apply(RecordsArrived("loc", (), 20, 42))
    # record counts are redrawn a moment later, not once per page
    assert panel.model.item(0).text() == "Library of Congress\n● 42 hits  0/42"
    qtbot.waitUntil(lambda: panel.model.item(0).text() == "Library of Congress\n● 42 hits  20/42")
    failure = Failure("connect", "cannot connect: connection refused", "ConnectionRefusedError 111")
    panel.apply(TargetFailed("oclc", failure, 0.2))
    item = panel.model.item(1)
    assert item.text() == "WorldCat\n✕ cannot connect: connection refused"
    assert item.toolTip().startswith("cannot connect: connection refused")
    assert "Needs a login" in item.toolTip()
    panel.select("oclc")
    assert "ConnectionRefusedError 111" in panel.details.toPlainText()
    panel.select("loc")
    assert "@attr 1=4 origin" in panel.details.toPlainText()


def test_facet_counts_are_redrawn_in_place_and_ticks_stay(qtbot: Any) -> None:
    panel = FacetsPanel({"year": "Year", "catalogue": "Catalogue"})
    qtbot.addWidget(panel)
    chosen: list[dict[str, set[str]]] = []
    panel.choiceChanged.connect(chosen.append)
    years = [(str(2000 + i), 20 - i) for i in range(15)]
    panel.set_counts({"year": years, "catalogue": [("LoC", 3)]})
    top = panel.tree.topLevelItem(0)
    assert top is not None and top.text(0) == "Year (15)"
    assert [top.child(i).text(0) for i in (0, 11, 12)] == ["2000 (20)", "2011 (9)", "… 3 more"]
    panel.choose("year", "2011")
    assert chosen[-1] == {"year": {"2011"}}
    first_line = top.child(0)
    # fresh counts: 2011 falls out of the twelve most frequent, yet stays shown and ticked
    fresh = [(str(2000 + i), 30 - i) for i in range(15) if i != 11] + [("2011", 1)]
    panel.set_counts({"year": fresh})
    assert top is panel.tree.topLevelItem(0) and first_line is top.child(0)  # updated in place
    assert top.child(0).text(0) == "2000 (30)"
    ticked = [top.child(i) for i in range(top.childCount()) if top.child(i).text(0) == "2011 (1)"]
    assert len(ticked) == 1 and ticked[0].checkState(0) == Qt.CheckState.Checked
    assert top.child(top.childCount() - 1).text(0) == "… 2 more"
    catalogue = panel.tree.topLevelItem(1)
    assert catalogue is not None and catalogue.text(0) == "Catalogue" and not catalogue.childCount()
    panel.clear_choice()
    assert chosen[-1] == {} and ticked[0].checkState(0) == Qt.CheckState.Unchecked


def test_status_line_words() -> None:
    s = TargetStatus()
    apply_event(s, HitsKnown("x", 1))
    assert s.line() == "● 1 hit  0/1"
    apply_event(s, TargetDone("x", 1, 1, 0.5))
    assert s.line() == "● 1 hit"
    apply_event(s, TargetFailed("x", Failure("cancelled", "stopped"), 0.6))
    assert s.line() == "■ stopped"


# --- search bar ---


def test_a_bad_query_is_underlined_and_not_sent(qtbot: Any) -> None:
    def check(text: str) -> str | QueryProblem:
        at = text.find("1= ")
        return QueryProblem("expected a value after '1='", at + 2) if at >= 0 else "pqf"

    bar = SearchBar(check)
    qtbot.addWidget(bar)
    sent: list[tuple[str, str]] = []
    bar.searchRequested.connect(lambda t, k: sent.append((t, k)))
    qtbot.keyClicks(bar.edit, '@attr 1= "x"')
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert sent == []
    assert bar.edit.error_span == (8, 1)
    assert bar.problem.text() == "expected a value after '1='"
    assert not bar.problem.isHidden()
    qtbot.keyClicks(bar.edit, "x")  # any edit takes the underline away
    assert bar.edit.error_span is None
    bar.edit.setText("@attr 1=4 x")
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert sent == [("@attr 1=4 x", "pqf")]


def test_the_form_writes_ccl_into_the_bar(qtbot: Any) -> None:
    bar = SearchBar(lambda t: "ccl")
    qtbot.addWidget(bar)
    bar.advanced_button.click()
    assert bar.form.isVisibleTo(bar)
    bar.form.set_clause(0, "title", "origin of species")
    bar.form.set_clause(1, "author", "darwin", "and")
    qtbot.keyClicks(bar.form.year_from, "1850")
    qtbot.keyClicks(bar.form.year_to, "1860")
    assert bar.text() == "ti=origin of species and au=darwin and yr=1850-1860"
    assert form_to_ccl([("and", "isbn", "3-16-148410-X"), ("not", "subject", "a=b")]) == (
        'isbn=3-16-148410-X not su="a=b"'
    )


# --- record text ---


def _marc_bytes() -> bytes:
    rec = pymarc.Record(force_utf8=True)
    rec.leader = pymarc.Leader("00000nam a2200000 a 4500")
    rec.add_field(pymarc.Field(tag="001", data="12345"))
    rec.add_field(
        pymarc.Field(
            tag="245",
            indicators=pymarc.Indicators("1", "0"),
            subfields=[
                pymarc.Subfield("a", "Über Bibliotheken /"),
                pymarc.Subfield("c", "J. Müller."),
            ],
        )
    )
    return rec.as_marc()


def test_marc_view_shows_tags_indicators_and_subfields() -> None:
    data = _marc_bytes()
    rec = BibRecord(title="Über Bibliotheken", original=Original("usmarc", None, data))
    parsed = marc_record(rec)
    assert parsed is not None
    lines = marc_lines(parsed)
    assert lines[1] == "=001  12345"
    assert lines[2] == "=245  10$aÜber Bibliotheken /$cJ. Müller."
    assert "␞" in raw_text(rec)


def test_citation_and_side_by_side_differences() -> None:
    a = BibRecord(
        title="Über die Größe",
        names=(Name("Müller, Jürgen"),),
        edition="2. Aufl.",
        place="Tübingen",
        publisher="Mohr",
        year=2009,
        isbns=(Isbn("9783161484100", "978-3-16-148410-0", True),),
        target="K10plus",
    )
    b = BibRecord(
        title="Über die Größe",
        names=(Name("Müller, Jürgen"),),
        edition="2nd ed.",
        year=2009,
        target="LoC",
        holdings=(Holding(library="UB Tübingen"),),
    )
    assert citation(a) == (
        "Müller, Jürgen. Über die Größe. 2. Aufl. Tübingen: Mohr, 2009. ISBN 978-3-16-148410-0."
    )
    rows = {label: (values, differ) for label, values, differ in comparison([a, b])}
    assert rows["Edition"] == (["2. Aufl.", "2nd ed."], True)
    assert rows["Title"] == (["Über die Größe", "Über die Größe"], False)
    assert rows["Publisher"][1] is True  # one catalogue has it, the other not


# --- the bridge ---


class HandRun:
    """A hand-made stream of search events (the real SearchRun is tested elsewhere)."""

    def __init__(self, events: list[Any], pause: float = 0.0) -> None:
        self.events, self.pause = events, pause
        self.cancelled = False

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._gen()

    async def _gen(self) -> AsyncIterator[Any]:
        for event in self.events:
            await asyncio.sleep(self.pause)
            yield event

    def cancel(self) -> None:
        self.cancelled = True

    async def close(self) -> None:
        self.closed = True


def test_bridge_batches_merges_and_stops(qtbot: Any, qloop: Any) -> None:
    records = tuple(book(f"Book {i}", "", "LoC", year=1900 + i) for i in range(250))
    events = [
        Connecting("loc"),
        HitsKnown("loc", 250),
        RecordsArrived("loc", records, 250, 250),
        TargetDone("loc", 250, 250, 0.1),
        RunFinished(1, 0, 0.1),
    ]
    bridge = SearchBridge()
    batches: list[int] = []
    bridge.entriesChanged.connect(lambda added, changed, removed: batches.append(len(added)))
    finished: list[RunFinished] = []
    bridge.runFinished.connect(finished.append)
    bridge.search("q", [Profile("loc", "LoC")], make_run=lambda q, p, **o: HandRun(events))
    qtbot.waitUntil(lambda: bool(finished), timeout=5000)
    assert sum(batches) == 250
    assert len(bridge.merger) == 250
    assert finished[0].cancelled is False
    slow = HandRun([Connecting("loc"), *[HitsKnown("loc", 1)] * 100], pause=0.05)
    finished.clear()
    bridge.search("q", [Profile("loc", "LoC")], make_run=lambda q, p, **o: slow)
    qtbot.wait(120)
    assert bridge.stop()
    qtbot.waitUntil(lambda: bool(finished), timeout=2000)
    assert finished[0].cancelled is True
    assert slow.cancelled


def test_a_new_search_cancels_the_old(qtbot: Any, qloop: Any) -> None:
    bridge = SearchBridge()
    first = HandRun([HitsKnown("a", 1)] * 100, pause=0.05)
    bridge.search("q1", [Profile("a", "A")], make_run=lambda q, p, **o: first)
    qtbot.wait(60)
    second = HandRun([Connecting("b"), RunFinished(0, 0, 0.0)])
    done: list[RunFinished] = []
    bridge.runFinished.connect(done.append)
    bridge.search("q2", [Profile("b", "B")], make_run=lambda q, p, **o: second)
    qtbot.waitUntil(lambda: any(not d.cancelled for d in done), timeout=3000)
    assert first.cancelled


@pytest.mark.parametrize("count", [0, 1])
def test_status_never_reports_more_than_it_saw(count: int) -> None:
    s = TargetStatus()
    apply_event(s, RecordsArrived("x", (), count, 5))
    assert s.line() == f"● 5 hits  {count}/5"


def test_an_unreadable_record_is_a_row_that_says_why(qapp: Any) -> None:
    from app.records import read_record
    from app.z3950.oids import USMARC

    broken = read_record(USMARC, b"00042nam  2200000   4500\x1e", target="LoC", position=3)
    assert broken.error
    merger = Merger()
    model = ResultsModel()
    model.update(added=[merger.get(merger.add(broken).entry_id)])
    shown = model.index(0, 0).data()
    assert shown.startswith("[could not be read: ") and broken.error in shown
