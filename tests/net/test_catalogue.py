"""The in-memory catalogue's RPN evaluator, scan and sort, without any network."""

from __future__ import annotations

import pytest

from app.net.catalogue import Catalogue, Hit, fold
from app.z3950.errors import DiagnosticError
from app.z3950.events import SortKey
from app.z3950.rpn import Attribute, Boolean, Node, Proximity, ResultSetRef, RPNQuery, Term
from tests.net.samples import BOOKS, catalogue


def term(text: str, use: int | str | None = None, **attrs: int) -> Term:
    kinds = {"relation": 2, "position": 3, "structure": 4, "truncation": 5}
    attributes = [] if use is None else [Attribute(1, use)]
    attributes += [Attribute(kinds[k], v) for k, v in attrs.items()]
    return Term(text, tuple(attributes))


def titles(cat: Catalogue, node: Node, dbs: tuple[str, ...] = ("books",)) -> list[str]:
    return [cat.record(h).fields["title"][0] for h in cat.search(RPNQuery(node), dbs)]


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return catalogue()


def test_fold_drops_case_accents_and_punctuation() -> None:
    assert fold("Müller, Jürgen!") == "muller jurgen"
    assert fold("Les Misérables") == "les miserables"


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (
            term("darwin", 1003),
            ["On the origin of species", "The descent of man", "The voyage of the Beagle"],
        ),
        (term("origin species", 4), ["On the origin of species"]),  # words in any order
        (term("species origin", 4, structure=1), []),  # phrase: in a row
        (term("origin of species", 4, structure=1), ["On the origin of species"]),
        (term("miserables", 4), ["Les Misérables"]),  # accents folded
        (term("MÜLLER", 1003), ["Müller und Söhne"]),
        (term("kapi", 4, truncation=1), ["Das Kapital"]),  # right truncation
        (term("kapi", 4), []),
        (term("ital", 4, truncation=2), ["Das Kapital"]),  # left truncation
        (term("k#l", 4, truncation=101), ["Das Kapital"]),  # masking
        (term("3161484100", 7), ["Müller und Söhne"]),  # hyphens ignored in ISBNs
        (term("978-0-19-283438-6", 7), ["On the origin of species"]),
        (
            term("1850", 31, relation=1),
            [
                "The voyage of the Beagle",
                "Faust",
                "Die Leiden des jungen Werthers",
                "Notre-Dame de Paris",
            ],
        ),
        (term("1939", 31, relation=4), ["Grundrisse", "Müller und Söhne"]),
        (term("1867", 31, structure=4), ["Das Kapital"]),
        (term("france"), ["Les Misérables", "Notre-Dame de Paris"]),  # no use attribute: any
        (term("france", 1016), ["Les Misérables", "Notre-Dame de Paris"]),
        (term("economics", 21), ["Das Kapital", "Grundrisse"]),
        (term("tolstoy leo", "author"), ["War and peace", "Anna Karenina"]),  # 1=author
        (term("war and peace", 4, structure=3), ["War and peace"]),  # key: the whole title
        (term("war and", 4, structure=3), []),
    ],
)
def test_search_attributes(cat: Catalogue, node: Node, expected: list[str]) -> None:
    assert titles(cat, node) == expected


def test_booleans(cat: Catalogue) -> None:
    darwin = term("darwin", 1003)
    evolution = term("evolution", 21)
    assert titles(cat, Boolean("and", darwin, evolution)) == [
        "On the origin of species",
        "The descent of man",
    ]
    assert titles(cat, Boolean("and-not", darwin, evolution)) == ["The voyage of the Beagle"]
    assert len(titles(cat, Boolean("or", darwin, term("marx", 1003)))) == 5


def test_several_databases_keep_database_order(cat: Catalogue) -> None:
    hits = cat.search(RPNQuery(term("darwin", 1003)), ["more", "books"])
    assert [h.database for h in hits] == ["more"] * 3 + ["books"] * 3


def test_result_set_operand(cat: Catalogue) -> None:
    earlier = {"d": cat.search(RPNQuery(term("darwin", 1003)), ["books"])}
    node = Boolean("and", ResultSetRef("d"), term("man", 4))
    hits = cat.search(RPNQuery(node), ["books"], earlier)
    assert [cat.record(h).fields["title"][0] for h in hits] == ["The descent of man"]
    with pytest.raises(DiagnosticError) as info:
        cat.search(RPNQuery(ResultSetRef("nope")), ["books"], earlier)
    assert info.value.code == 30


@pytest.mark.parametrize(
    ("query", "dbs", "code"),
    [
        (RPNQuery(term("x", 4)), ("nosuch",), 235),
        (RPNQuery(term("x", 9999)), ("books",), 114),
        (RPNQuery(term("x", 4, relation=77)), ("books",), 117),
        (RPNQuery(term("x", 4, truncation=7)), ("books",), 120),
        (RPNQuery(term("x", 4), attribute_set="1.2.840.10003.3.2"), ("books",), 121),
        (RPNQuery(Proximity(term("a"), term("b"))), ("books",), 129),
    ],
)
def test_diagnostics(cat: Catalogue, query: RPNQuery, dbs: tuple[str, ...], code: int) -> None:
    with pytest.raises(DiagnosticError) as info:
        cat.search(query, dbs)
    assert info.value.code == code


def test_database_names_are_case_insensitive(cat: Catalogue) -> None:
    assert len(cat.search(RPNQuery(term("darwin", 1003)), ["BOOKS"])) == 3


def test_scan_lists_titles_around_the_term(cat: Catalogue) -> None:
    entries, position = cat.scan(term("faust", 4), ["books"], count=3, position=1)
    assert [e.term for e in entries] == ["Faust", "Grundrisse", "Les Misérables"]
    assert position == 1
    entries, position = cat.scan(term("faust", 4), ["books"], count=3, position=2)
    assert [e.term for e in entries] == ["Die Leiden des jungen Werthers", "Faust", "Grundrisse"]
    assert position == 2
    authors, _ = cat.scan(term("d", 1003), ["books"], count=1, position=1)
    assert (authors[0].term, authors[0].count) == ("Darwin, Charles", 3)


def test_sort_by_year_descending_then_title(cat: Catalogue) -> None:
    hits = cat.search(RPNQuery(term("darwin", 1003)), ["books"])
    ordered = cat.sort(hits, [SortKey(use=31, ascending=False)])
    years = [cat.record(h).fields["year"][0] for h in ordered]
    assert years == ["1871", "1859", "1839"]
    by_title = cat.sort(cat.search(RPNQuery(term("marx", 1003)), ["books"]), [SortKey(use=4)])
    assert [cat.record(h).fields["title"][0] for h in by_title] == ["Das Kapital", "Grundrisse"]
    with pytest.raises(DiagnosticError):
        cat.sort(hits, [SortKey(use=9999)])


def test_samples_are_what_the_tests_think() -> None:
    cat = catalogue()
    assert len(cat.databases["books"]) == len(BOOKS)
    assert cat.record(Hit("books", 0)).formats
