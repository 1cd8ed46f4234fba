"""The results table while catalogues stream into it: rows stay in order batch after batch, a
changed row moves by itself (never a relayout of the whole table), the filter keeps what it
leaves out and gives it back in order, a row the user chose stays chosen, and the table is
repainted only when what it shows has moved."""

from __future__ import annotations

import random
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QPersistentModelIndex, QPoint, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QWidget

from app.search.merge import MergedRecord, Merger
from app.search.rank import Ranker
from tests.ui.handmade import book
from ui.main_window import ResultsView
from ui.results_model import ResultsModel, search_text, sort_key

WORDS = ("history", "science", "letters", "voyages", "theory", "essays", "atlas")


class Signals:
    """How the model told the view about each batch."""

    def __init__(self, model: ResultsModel) -> None:
        self.moved = self.inserted = self.removed = self.relayouts = self.resets = 0
        model.rowsMoved.connect(lambda *_: self._add("moved"))
        model.rowsInserted.connect(lambda *_: self._add("inserted"))
        model.rowsRemoved.connect(lambda *_: self._add("removed"))
        model.layoutChanged.connect(lambda *_: self._add("relayouts"))
        model.modelReset.connect(lambda *_: self._add("resets"))

    def _add(self, name: str) -> None:
        setattr(self, name, getattr(self, name) + 1)


def shown_ids(model: ResultsModel) -> list[int]:
    return [e.id for e in model.entries()]


def expected_ids(
    model: ResultsModel, entries: list[MergedRecord], ranker: Ranker, words: str = ""
) -> list[int]:
    """What the table must show, worked out from scratch: the entries the filter lets
    through, in the model's order (its column or relevance; ties in arrival order)."""
    wanted = words.casefold().split()
    kept = [e for e in entries if all(w in search_text(e) for w in wanted)]
    column = model.sort_column
    if column < 0:
        return [e.id for e in sorted(kept, key=lambda e: (-ranker.score(e), e.id))]
    name = ("title", "authors", "year", "edition", "publisher", "isbn", "held")[column]
    if model.sort_order == Qt.SortOrder.DescendingOrder:
        ordered = sorted(kept, key=lambda e: e.id)  # arrival order first, then a stable sort
        ordered.sort(key=lambda e: sort_key(e, name), reverse=True)
        return [e.id for e in ordered]
    return [e.id for e in sorted(kept, key=lambda e: (sort_key(e, name), e.id))]


def stream(seed: int, records: int = 300) -> list[Any]:
    """Records from five catalogues; a third of the books are held by several of them."""
    rng = random.Random(seed)
    out = []
    for _ in range(records):
        work = rng.randrange(records // 2)
        title = f"{WORDS[work % len(WORDS)].capitalize()} of {WORDS[work // 7 % len(WORDS)]} {work}"
        out.append(book(title, "", f"T{rng.randrange(5)}", year=1900 + work % 90))
    return out


def ranked(*terms: str) -> tuple[Merger, ResultsModel, Ranker]:
    """An empty list, a table ordered by relevance to ``terms``, and its ranker."""
    model = ResultsModel()
    ranker = Ranker(terms)
    model.score = ranker.score
    return Merger(), model, ranker


def apply(merger: Merger, model: ResultsModel, records: list[Any]) -> None:
    """One batch as the bridge hands it over: new entries, changed ones, absorbed ids."""
    added: dict[int, MergedRecord] = {}
    changed: dict[int, MergedRecord] = {}
    removed: set[int] = set()
    for record in records:
        change = merger.add(record)
        entry = merger.get(change.entry_id)
        if change.kind == "created":
            added[entry.id] = entry
        elif entry.id not in added:
            changed[entry.id] = entry
        for gone in change.absorbed:
            if added.pop(gone, None) is None:
                removed.add(gone)
            changed.pop(gone, None)
    model.update(list(added.values()), list(changed.values()), sorted(removed))


def test_a_row_whose_relevance_grows_moves_alone_and_stays_selected(qapp: Any) -> None:
    merger, model, _ranker = ranked()  # no query words: the catalogues holding it decide
    apply(merger, model, [book(t, "", "LoC") for t in ("Alpha", "Beta", "Gamma", "Delta")])
    assert [model.index(r, 0).data() for r in range(4)] == ["Alpha", "Beta", "Gamma", "Delta"]
    selection = QItemSelectionModel(model)
    selection.setCurrentIndex(
        model.index(3, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    signals = Signals(model)
    apply(merger, model, [book("Delta", "", "K10plus")])  # a second catalogue holds Delta
    assert [model.index(r, 0).data() for r in range(4)] == ["Delta", "Alpha", "Beta", "Gamma"]
    assert (signals.moved, signals.relayouts, signals.removed, signals.inserted) == (1, 0, 0, 0)
    assert selection.currentIndex().row() == 0
    assert selection.isRowSelected(0) and not selection.isRowSelected(3)
    assert model.index(0, 6).data().startswith("2 ")


@pytest.mark.parametrize("seed", range(6))
def test_streamed_batches_keep_the_order_without_a_relayout(qapp: Any, seed: int) -> None:
    merger, model, ranker = ranked("history")
    rng = random.Random(seed)
    model.sort(rng.choice([-1, 0, 2]), rng.choice(list(Qt.SortOrder)))
    records = stream(seed)
    signals = Signals(model)
    start = 0
    while start < len(records):
        size = rng.randrange(1, 40)
        apply(merger, model, records[start : start + size])
        start += size
        assert shown_ids(model) == expected_ids(model, merger.entries, ranker)
        assert all(model.row_of(ident) == row for row, ident in enumerate(shown_ids(model)))
    assert signals.relayouts == 0 and signals.resets == 0
    assert model.total == len(merger.entries) == model.rowCount()


@pytest.mark.parametrize("seed", range(6))
def test_the_filter_gives_back_in_order_what_it_left_out(qapp: Any, seed: int) -> None:
    merger, model, ranker = ranked("science")
    rng = random.Random(seed)
    records = stream(seed)
    words = ""
    chosen: QPersistentModelIndex | None = None
    chosen_id = 0
    start = 0
    while start < len(records):
        if rng.random() < 0.3:
            words = rng.choice(["", "history", "of essays", "atlas", "1"])
            model.set_filter_text(words)
        if rng.random() < 0.1:
            model.sort(rng.choice([-1, 0, 2]), rng.choice(list(Qt.SortOrder)))
        if chosen is None and model.rowCount():
            row = rng.randrange(model.rowCount())
            chosen, chosen_id = QPersistentModelIndex(model.index(row, 0)), model.entry(row).id
        size = rng.randrange(1, 30)
        apply(merger, model, records[start : start + size])
        start += size
        entries = merger.entries
        assert shown_ids(model) == expected_ids(model, entries, ranker, words)
        assert model.total == len(entries)
        if chosen is not None:
            if chosen.isValid():  # a chosen row stays on its book while it is shown
                assert model.entry(chosen.row()).id == merger.get(chosen_id).id
            else:  # ... and is lost only when the filter hides it or it joined another
                alive = merger.get(chosen_id)
                assert alive.id != chosen_id or alive.id not in shown_ids(model)
                chosen = None
    model.set_filter_text("")
    assert shown_ids(model) == expected_ids(model, merger.entries, ranker)


def test_work_prepared_ahead_is_used_and_a_stale_one_is_not(qapp: Any) -> None:
    merger, model, ranker = ranked()
    entry = merger.get(merger.add(book("Alpha", "9783161484100", "LoC")).entry_id)
    model.prepare([entry])
    merger.add(book("Alpha", "9783161484100", "K10plus"))  # changed after it was prepared
    model.update(added=[entry])
    assert model.index(0, 6).data().startswith("2 ")  # shown as it is, not as prepared
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole + 3) == ranker.score(entry)


class Paints(QObject):
    """The areas of a widget that were painted."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.areas: list[Any] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QPaintEvent):
            self.areas.append(event.rect())
        return False


def test_the_table_is_repainted_only_when_what_it_shows_has_moved(qtbot: Any) -> None:
    merger, model, _ranker = ranked()
    model.sort(0)  # by title
    view = ResultsView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    apply(merger, model, [book(f"M{n:03d}", "", "LoC") for n in range(100)])
    qtbot.wait(50)
    paints = Paints(view.viewport())
    bar = view.verticalScrollBar()
    longest = bar.maximum()
    apply(merger, model, [book("Z, below what is shown", "", "LoC")])
    model.update(removed=[model.entry(98).id])  # and one row below goes
    qtbot.wait(50)
    assert paints.areas == []
    assert bar.maximum() == longest  # one more, one fewer: the scroll bar was brought up to date
    apply(merger, model, [book("A, above every shown row", "", "LoC")])
    qtbot.waitUntil(lambda: bool(paints.areas), timeout=2000)
    assert paints.areas[-1] == view.viewport().rect()
    assert view.indexAt(QPoint(5, 5)).data() == "A, above every shown row"
    assert bar.maximum() > longest
    paints.areas.clear()
    model.update(removed=[model.entry(0).id])  # a shown row goes: the rest move up
    qtbot.waitUntil(lambda: bool(paints.areas), timeout=2000)
    assert view.indexAt(QPoint(5, 5)).data() == "M000"
