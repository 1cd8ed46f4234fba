"""The search bar with the engine's own parsers: what is refused, where; what the form writes."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.search.query import Query, to_rpn
from app.targets import TargetProfile
from ui.engine import check_query, make_query, query_terms
from ui.search_bar import FORM_FIELDS, QueryProblem, SearchBar, form_to_ccl

pytestmark = pytest.mark.gui

USUAL = TargetProfile(id="t", name="T", host="localhost")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("origin of species", "words"),
        ("9783161484100", "words"),
        ("ti=origin and au=darwin", "ccl"),
        ("yr=1850-1860", "ccl"),
        ('@attr 1=4 "origin of species"', "pqf"),
    ],
)
def test_queries_that_parse_are_sent_with_their_kind(text: str, kind: str) -> None:
    assert check_query(text) == kind
    assert to_rpn(make_query(text, kind), USUAL) is not None


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("@attr 1= x", 8),  # PQF: the missing value after 1=
        ("ti=(origin", 10),  # CCL: the missing ")" at the end
        ("ti=origin and", 13),  # CCL: nothing after "and"
    ],
)
def test_a_query_that_does_not_parse_says_where(text: str, at: int) -> None:
    problem = check_query(text)
    assert isinstance(problem, QueryProblem)
    assert problem.position == at
    assert problem.message


def test_the_bar_underlines_the_engines_error_position(qtbot: Any) -> None:
    bar = SearchBar(check_query)
    qtbot.addWidget(bar)
    sent: list[str] = []
    bar.searchRequested.connect(lambda text, kind: sent.append(kind))
    qtbot.keyClicks(bar.edit, "ti=origin and")
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert sent == []
    assert bar.edit.error_span is not None and bar.edit.error_span[0] == 13
    assert bar.problem.text() == check_query("ti=origin and").message  # type: ignore[union-attr]


@pytest.mark.parametrize("field", [name for name, _ in FORM_FIELDS])
def test_every_form_field_writes_ccl_the_engine_reads(field: str) -> None:
    value = "9783161484100" if field == "isbn" else "1234-5679" if field == "issn" else "origin"
    text = form_to_ccl([("and", field, value), ("not", "subject", "zoology")], "1850", "1860")
    kind = check_query(text)
    assert kind in ("ccl", "words"), (text, kind)
    rpn = to_rpn(Query(kind, text), USUAL)  # type: ignore[arg-type]
    assert rpn is not None


def test_relevance_terms_come_from_the_parsed_query() -> None:
    # CCL sends each word of a word list as its own term
    assert query_terms("ti=origin of species and au=darwin", "ccl") == [
        "origin",
        "of",
        "species",
        "darwin",
    ]
    assert query_terms('@attr 1=4 "origin"', "pqf") == ["origin"]
    assert query_terms("origin darwin", "words") == ["origin", "darwin"]
