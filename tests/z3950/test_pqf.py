"""PQF: YAZ's grammar into the RPN tree, errors that point at the token, and back to text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from app.z3950 import PQFError, parse_pqf, to_pqf
from app.z3950.oids import attribute_set_oid
from app.z3950.rpn import BIB1, Attribute, Boolean, Proximity, ResultSetRef, RPNQuery, Term
from tests.z3950 import strategies as s

GILS = attribute_set_oid("gils")

GRAMMAR = [
    ("water", Term("water")),
    ('"origin of species"', Term("origin of species")),
    ("{origin of species}", Term("origin of species")),
    ("@attr 1=4 water", Term("water", (Attribute(1, 4),))),
    (
        '@and @attr 1=1 @attr 5=100 "Beckmann, Andreas" @attr 1=4 @attr 5=100 "Gott Bautzen"',
        Boolean(
            "and",
            Term("Beckmann, Andreas", (Attribute(1, 1), Attribute(5, 100))),
            Term("Gott Bautzen", (Attribute(1, 4), Attribute(5, 100))),
        ),
    ),
    ("@or a b", Boolean("or", Term("a"), Term("b"))),
    ("@not a b", Boolean("and-not", Term("a"), Term("b"))),
    (
        "@and @or a b @not c d",
        Boolean(
            "and",
            Boolean("or", Term("a"), Term("b")),
            Boolean("and-not", Term("c"), Term("d")),
        ),
    ),
    # attributes before an operator reach every term below it; a later one of a type wins
    (
        "@attr 1=4 @and @attr 1=1003 a b",
        Boolean("and", Term("a", (Attribute(1, 1003),)), Term("b", (Attribute(1, 4),))),
    ),
    ("@attr 1=4 @attr 2=3 @attr 1=5 x", Term("x", (Attribute(2, 3), Attribute(1, 5)))),
    # string values are complex attributes (Zebra's _ALLRECORDS, XPath-like use values)
    (
        "@attr 1=_ALLRECORDS @attr 2=103 x",
        Term("x", (Attribute(1, "_ALLRECORDS"), Attribute(2, 103))),
    ),
    ('@attr "1=/book/title" x', Term("x", (Attribute(1, "/book/title"),))),
    ('@attr "1=dc title" x', Term("x", (Attribute(1, "dc title"),))),
    ('@attr "1=" x', Term("x", (Attribute(1, ""),))),  # an empty string value, quoted
    ("@attr gils 1=2000 x", Term("x", (Attribute(1, 2000, GILS),))),
    ("@attr 1.2.840.10003.3.5 1=2000 x", Term("x", (Attribute(1, 2000, GILS),))),
    ("@1=4 x", Term("x", (Attribute(1, 4),))),  # YAZ shorthand for @attr
    ("@set r1", ResultSetRef("r1")),
    ("@and @set r1 x", Boolean("and", ResultSetRef("r1"), Term("x"))),
    (
        "@prox 0 3 1 2 k 2 a b",
        Proximity(Term("a"), Term("b"), exclusion=False, distance=3, ordered=True, relation=2),
    ),
    (
        "@prox 1 0 0 6 p 7 a b",
        Proximity(
            Term("a"),
            Term("b"),
            exclusion=True,
            distance=0,
            ordered=False,
            relation=6,
            known_unit=False,
            unit=7,
        ),
    ),
    ("@term string x", Term("x", kind="characterString")),
    ("@term numeric 42", Term("42", kind="numeric")),
    ("@term null x", Term("", kind="null")),
    (
        "@term string @and a b",
        Boolean("and", Term("a", kind="characterString"), Term("b", kind="characterString")),
    ),
    ('"say \\"hi\\""', Term('say "hi"')),
    ('"tab\\there"', Term("tab\there")),
    ('"\\x41\\101"', Term("AA")),
    ("a\\ b", Term("a b")),
    ('""', Term("")),
    ("Müller", Term("Müller")),
]


@pytest.mark.parametrize(("text", "tree"), GRAMMAR, ids=[g[0] for g in GRAMMAR])
def test_grammar(text: str, tree: object) -> None:
    assert parse_pqf(text) == RPNQuery(tree)  # type: ignore[arg-type]


def test_attribute_set_and_type_101() -> None:
    assert parse_pqf("@attrset gils x") == RPNQuery(Term("x"), GILS)
    assert parse_pqf("@attrset bib-1 x", type_101=True) == RPNQuery(Term("x"), BIB1, True)
    assert parse_pqf("@attrset 1.2.3.4 x").attribute_set == "1.2.3.4"


ERRORS = [
    ('@attr 1= "x"', "expected a value after '1='", 8),
    ("", "the query is empty", 0),
    ("@and a", "expected a term or an operator but the query ended", 6),
    ('"unterminated', 'missing closing "', 0),
    ("{unterminated", "missing closing }", 0),
    ("@adn a b", "unknown operator '@adn' (quote it to search for it)", 0),
    ("a b", "unexpected 'b' after the end of the query", 2),
    ("@attr x=4 a", "expected an attribute type number before '=', got 'x'", 6),
    ("@attr 1x a", "expected type=value after @attr, got '1x'", 6),
    ("@attr nosuchset 1=4 a", "unknown attribute set 'nosuchset'", 6),
    ("@attr gils water", "expected type=value, got 'water'", 11),
    ("@attr", "expected an attribute such as 1=4 after @attr but the query ended", 5),
    ("@attrset nosuchset x", "unknown attribute set 'nosuchset'", 9),
    ("x @attrset gils", "unexpected '@attrset' after the end of the query", 2),
    ("@and a @attrset gils b", "@attrset may only start the query", 7),
    ("@term date x", "unknown term type 'date' (general, numeric, string or null)", 6),
    ("@term numeric abc", "the numeric term 'abc' is not a number", 14),
    ("@prox x 3 1 2 k 2 a b", "expected the proximity exclusion flag (0 or 1), got 'x'", 6),
    ("@prox 0 far 1 2 k 2 a b", "expected the proximity distance (a number), got 'far'", 8),
    ("@prox 0 3 yes 2 k 2 a b", "expected the proximity ordered flag (0 or 1), got 'yes'", 10),
    ("@prox 0 3 1 2 z 2 a b", "expected the proximity unit kind (k or p), got 'z'", 14),
    ("@prox 0 3 1", "expected the proximity relation (1-6) but the query ended", 11),
    ("@set", "expected a result set name after @set but the query ended", 4),
]


@pytest.mark.parametrize(
    ("text", "message", "position"), ERRORS, ids=[e[0] or "empty" for e in ERRORS]
)
def test_errors_point_at_the_token(text: str, message: str, position: int) -> None:
    with pytest.raises(PQFError) as caught:
        parse_pqf(text)
    error = caught.value
    assert error.position == position
    assert error.message == f"{message} at position {position}"
    assert error.detail == f"{text}\n{' ' * position}^"


def test_the_task_example_error_wording() -> None:
    with pytest.raises(PQFError, match=r"^expected a value after '1=' at position 8$"):
        parse_pqf('@attr 1= "x"')


WRITTEN = [
    (RPNQuery(Term("water")), "water"),
    (RPNQuery(Term("origin of species", (Attribute(1, 4),))), '@attr 1=4 "origin of species"'),
    (RPNQuery(Term("x", (Attribute(1, "dc title"),))), '@attr "1=dc title" x'),
    (RPNQuery(Term("x", (Attribute(1, 2000, GILS),))), "@attr gils 1=2000 x"),
    (RPNQuery(Term("@home")), '"@home"'),
    (RPNQuery(Term('a "b"\\')), '"a \\"b\\"\\\\"'),
    (RPNQuery(Term("")), '""'),
    (RPNQuery(Term("x"), GILS), "@attrset gils x"),
    (RPNQuery(Boolean("and-not", Term("a"), ResultSetRef("r 1"))), '@not a @set "r 1"'),
    (
        RPNQuery(Boolean("or", Term("1", kind="numeric"), Term("y", kind="characterString"))),
        "@or @term numeric 1 @term string y",
    ),
    (RPNQuery(Proximity(Term("a"), Term("b"), distance=2)), "@prox 0 2 1 3 k 2 a b"),
]


@pytest.mark.parametrize(("query", "text"), WRITTEN, ids=[w[1] for w in WRITTEN])
def test_to_pqf(query: RPNQuery, text: str) -> None:
    assert to_pqf(query) == text
    assert parse_pqf(text) == query


@settings(max_examples=300, deadline=None)
@given(s.queries)
def test_to_pqf_round_trips(query: RPNQuery) -> None:
    # PQF cannot say "this string attribute value is digits"; such values read back as numbers
    text = to_pqf(query)
    expected = _digits_as_numbers(_dedup(query))
    assert parse_pqf(text, type_101=query.type_101) == expected


def _dedup(query: RPNQuery) -> RPNQuery:
    """PQF keeps one attribute per type (the last written), as YAZ does."""
    from dataclasses import replace

    def walk(node: object) -> object:
        if isinstance(node, Term):
            kept: list[Attribute] = []
            for attribute in node.attributes:
                kept = [a for a in kept if a.type != attribute.type] + [attribute]
            return replace(node, attributes=tuple(kept))
        if isinstance(node, Boolean | Proximity):
            return replace(node, left=walk(node.left), right=walk(node.right))
        return node

    return replace(query, root=walk(query.root))  # type: ignore[arg-type]


def _digits_as_numbers(query: RPNQuery) -> RPNQuery:
    from dataclasses import replace

    def fix(attribute: Attribute) -> Attribute:
        value = attribute.value
        if isinstance(value, str) and value.isascii() and value.isdigit():
            return replace(attribute, value=int(value))
        return attribute

    def walk(node: object) -> object:
        if isinstance(node, Term):
            return replace(node, attributes=tuple(fix(a) for a in node.attributes))
        if isinstance(node, Boolean | Proximity):
            return replace(node, left=walk(node.left), right=walk(node.right))
        return node

    return replace(query, root=walk(query.root))  # type: ignore[arg-type]
