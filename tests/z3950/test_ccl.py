"""CCL as YAZ reads it: grammar, qualifier files, special modes and errors with positions."""

from __future__ import annotations

import pytest

from app.errors import PolycatError
from app.z3950.ccl import (
    DEFAULT_QUALIFIERS,
    CCLError,
    Qualifier,
    parse_ccl,
    parse_qualifier_spec,
    parse_qualifiers,
    range_term,
    search_term,
    split_words,
)
from app.z3950.rpn import Attribute, Boolean, Node, Proximity, ResultSetRef, Term

QUALS = parse_qualifiers(
    """\
# a small profile in YAZ's notation
term  u=1016 s=al,pw t=r
ti    u=4 s=pw t=l,r
au    u=1003 s=pw t=r
isbn  u=7
date  u=30 r=o
yr    u=31 s=4 r=r
ranked r=102
hash  u=4 t=101
z     u=4 t=z
exact u=4 s=1 t=n
title ti
any   term ti
dc.title gils,1=2000
"""
)


def attrs(*pairs: tuple[int, int | str]) -> tuple[Attribute, ...]:
    return tuple(Attribute(t, v) for t, v in pairs)


def rpn(text: str) -> Node:
    return parse_ccl(text, QUALS).root


def test_qualified_terms_and_boolean_join() -> None:
    assert rpn("ti=origin of species and au=darwin") == Boolean(
        "and",
        Term("origin of species", attrs((1, 4), (4, 1))),
        Term("darwin", attrs((1, 1003), (4, 2))),
    )


def test_bare_words_take_the_term_qualifier_and_word_list_splits_them() -> None:
    assert rpn("origin species") == Boolean(
        "and",
        Term("origin", attrs((1, 1016), (4, 2))),
        Term("species", attrs((1, 1016), (4, 2))),
    )


def test_quoted_phrase_stays_one_term_with_phrase_structure() -> None:
    assert rpn('ti="the origin of species"') == Term(
        "the origin of species", attrs((1, 4), (4, 1))
    )
    assert rpn('"bob dylan"') == Term("bob dylan", attrs((1, 1016), (4, 1)))


def test_operators_are_left_to_right_with_equal_precedence_like_yaz() -> None:
    a, b, c = (Term(x, attrs((1, 1016), (4, 2))) for x in "abc")
    assert rpn("a or b and c") == Boolean("and", Boolean("or", a, b), c)
    assert rpn("a or (b and c)") == Boolean("or", a, Boolean("and", b, c))
    assert rpn("a not b") == Boolean("and-not", a, b)
    assert rpn("a & b | c") == Boolean("or", Boolean("and", a, b), c)
    assert rpn("A AND b") == Boolean("and", Term("A", attrs((1, 1016), (4, 2))), b)


def test_comma_inside_a_name_is_part_of_the_term() -> None:
    assert rpn("au=darwin, charles") == Term("darwin, charles", attrs((1, 1003), (4, 1)))
    assert rpn("au=darwin, charles and ti=origin") == Boolean(
        "and", Term("darwin, charles", attrs((1, 1003), (4, 1))),
        Term("origin", attrs((1, 4), (4, 2))),
    )
    # but a comma before "name=" still starts a list of qualifiers
    assert rpn("ti=x au,ti=y") == Boolean(
        "and", Term("x", attrs((1, 4), (4, 2))),
        Boolean("or", Term("y", attrs((1, 1003), (4, 2))), Term("y", attrs((1, 4), (4, 2)))),
    )


def test_elements_side_by_side_are_anded() -> None:
    assert rpn("ti=origin au=darwin") == Boolean(
        "and", Term("origin", attrs((1, 4), (4, 2))), Term("darwin", attrs((1, 1003), (4, 2)))
    )


def test_several_qualifiers_with_different_use_attributes_are_ored() -> None:
    assert rpn("au,ti=darwin") == Boolean(
        "or", Term("darwin", attrs((1, 1003), (4, 2))), Term("darwin", attrs((1, 4), (4, 2)))
    )


def test_qualifiers_without_conflict_merge_like_yaz_ranked_title() -> None:
    assert rpn("ti,ranked=knuth") == Term("knuth", attrs((1, 4), (2, 102), (4, 2)))


def test_alias_means_or_of_its_qualifiers() -> None:
    assert rpn("any=x") == Boolean(
        "or", Term("x", attrs((1, 1016), (4, 2))), Term("x", attrs((1, 4), (4, 2)))
    )
    assert rpn("title=x") == Term("x", attrs((1, 4), (4, 2)))


def test_qualifier_applies_inside_parentheses() -> None:
    assert rpn("au=(bob dylan and slow train coming)") == Boolean(
        "and",
        Term("bob dylan", attrs((1, 1003), (4, 1))),
        Term("slow train coming", attrs((1, 1003), (4, 1))),
    )


def test_relations_need_an_ordered_qualifier() -> None:
    assert rpn("date>1980") == Term("1980", attrs((1, 30), (2, 5)))
    assert rpn("date<=1980") == Term("1980", attrs((1, 30), (2, 2)))
    assert rpn("date<>1980") == Term("1980", attrs((1, 30), (2, 6)))
    assert rpn("date=1980") == Term("1980", attrs((1, 30), (2, 3)))
    with pytest.raises(CCLError) as caught:
        rpn("ti>1980")
    assert caught.value.position == 3
    assert "'>'" in caught.value.message


def test_ranges_with_r_equals_r_and_r_equals_o() -> None:
    both = Boolean(
        "and",
        Term("1990", attrs((1, 31), (2, 4), (4, 4))),
        Term("2000", attrs((1, 31), (2, 2), (4, 4))),
    )
    assert rpn("yr=1990-2000") == both
    assert rpn("yr=1990 - 2000") == both
    assert rpn("yr=-2000") == Term("2000", attrs((1, 31), (2, 2), (4, 4)))
    assert rpn("yr=1990-") == Term("1990", attrs((1, 31), (2, 4), (4, 4)))
    # r=o: only a dash standing alone makes a range; 1990-2000 is one term
    assert rpn("date=1990 - 2000") == Boolean(
        "and", Term("1990", attrs((1, 30), (2, 4))), Term("2000", attrs((1, 30), (2, 2)))
    )
    assert rpn("date=1990-2000") == Term("1990-2000", attrs((1, 30), (2, 3)))


def test_truncation_marks_where_the_qualifier_allows_them() -> None:
    assert rpn("ti=evol?") == Term("evol", attrs((1, 4), (4, 2), (5, 1)))
    assert rpn("ti=evol#") == Term("evol", attrs((1, 4), (4, 2), (5, 1)))
    assert rpn("ti=?volution") == Term("volution", attrs((1, 4), (4, 2), (5, 2)))
    assert rpn("ti=?volu?") == Term("volu", attrs((1, 4), (4, 2), (5, 3)))
    assert rpn("exact=origin") == Term("origin", attrs((1, 4), (4, 1), (5, 100)))
    # a qualifier with a fixed truncation leaves the marks for the server
    assert rpn("hash=evol#tion") == Term("evol#tion", attrs((1, 4), (5, 101)))
    assert rpn("z=evol#") == Term("evol#", attrs((1, 4), (5, 104)))
    assert rpn("z=evolution") == Term("evolution", attrs((1, 4)))
    # '#' where truncation is not allowed is part of the word
    assert rpn("isbn=C#") == Term("C#", attrs((1, 7)))


def test_truncation_not_allowed_is_an_error_at_the_word() -> None:
    with pytest.raises(CCLError) as caught:
        rpn("ti=x and au=?darwin")
    assert caught.value.position == len("ti=x and au=")
    assert "left" in caught.value.message
    with pytest.raises(CCLError):
        rpn("isbn=123?")


def test_quoted_marks_are_literal() -> None:
    assert rpn('ti="why?"') == Term("why?", attrs((1, 4), (4, 2)))


def test_result_set_reference_and_proximity() -> None:
    a, b, c = (Term(x, attrs((1, 1016), (4, 2))) for x in "abc")
    assert rpn("set=1") == ResultSetRef("1")
    assert rpn("(a and b) or set=prev") == Boolean(
        "or", Boolean("and", a, b), ResultSetRef("prev")
    )
    assert rpn("a %2 b") == Proximity(a, b, distance=2, ordered=False, relation=2)
    assert rpn("a ! b") == Proximity(a, b, distance=1, ordered=True, relation=2)
    assert rpn("a % b ! c") == Proximity(
        Proximity(a, b, ordered=False, relation=2), c, ordered=True, relation=2
    )


def test_attribute_sets_and_string_values() -> None:
    q = parse_qualifier_spec("gils,1=2000 2=3")
    assert q.attributes == (Attribute(2, 3), Attribute(1, 2000, "1.2.840.10003.3.5"))
    assert parse_qualifier_spec("1=/my/title").attributes == (Attribute(1, "/my/title"),)
    assert rpn("dc.title=x") == Term("x", (Attribute(1, 2000, "1.2.840.10003.3.5"),))


def test_spec_round_trips_through_to_spec() -> None:
    for spec in ("u=4 s=pw t=l,r", "u=31 s=4 r=r", "u=1016 s=al,pw t=r", "u=30 r=o,omiteq",
                 "gils,u=2000", "u=4 t=101"):
        q = parse_qualifier_spec(spec)
        assert parse_qualifier_spec(q.to_spec()) == q


def test_omiteq_sends_no_relation_for_equals() -> None:
    table = parse_qualifiers("date u=31 r=r,omiteq\n")
    assert parse_ccl("date=1999", table).root == Term("1999", attrs((1, 31)))
    assert parse_ccl("date>1999", table).root == Term("1999", attrs((1, 31), (2, 5)))


def test_directives_change_keywords_case_and_field_mode() -> None:
    table = parse_qualifiers(
        "@and und\n@or oder\n@not nicht\n@case 0\n@field or\n@truncation *\n"
        "ti u=4 t=r\nranked r=102\n"
    )
    x, y = Term("x", attrs((1, 4))), Term("y", attrs((1, 4)))
    assert parse_ccl("ti=x und ti=y", table).root == Boolean("and", x, y)
    assert parse_ccl("ti=x oder ti=y nicht ti=x", table).root == Boolean(
        "and-not", Boolean("or", x, y), x
    )
    assert parse_ccl("ti=evol*", table).root == Term("evol", attrs((1, 4), (5, 1)))
    # @field or: even attributes that could merge are searched separately
    assert parse_ccl("ti,ranked=x", table).root == Boolean(
        "or", x, Term("x", attrs((2, 102)))
    )
    with pytest.raises(CCLError, match="unknown search field 'TI'"):
        parse_ccl("TI=x", table)


def test_unknown_qualifier_names_the_known_ones_and_points_at_it() -> None:
    with pytest.raises(CCLError) as caught:
        rpn("ti=x or tx=y")
    error = caught.value
    assert isinstance(error, PolycatError)
    assert error.position == 8
    assert error.problem == "unknown"
    assert "'tx'" in error.message and "ti" in error.message


def test_unsupported_qualifier_is_told_apart_from_unknown() -> None:
    table = parse_qualifiers("ti u=4\n")
    table = type(table)(definitions={**table.definitions, "lccn": None})
    with pytest.raises(CCLError) as caught:
        parse_ccl("lccn=2001012345", table)
    assert caught.value.problem == "unsupported"
    assert caught.value.qualifier == "lccn"


@pytest.mark.parametrize(
    ("query", "position"),
    [
        ("ti=(origin and species", 22),  # ')' expected at the end
        ("ti=", 3),
        ("and darwin", 0),
        ("darwin and", 10),
        ('ti="origin', 3),
        ("darwin )", 7),
        ("yr>1990-2000", 2),
        ("(", 1),
    ],
)
def test_syntax_errors_point_at_the_bad_token(query: str, position: int) -> None:
    with pytest.raises(CCLError) as caught:
        rpn(query)
    assert caught.value.position == position
    assert caught.value.message


def test_empty_query_is_refused() -> None:
    with pytest.raises(CCLError, match="nothing to search"):
        parse_ccl("   ", QUALS)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("ti u=4\nau q=1003\n", 2, "unknown attribute type 'q'"),
        ("ti u=4 au\n", 1, "mixes attributes"),
        ("ti u= s=pw\n", 1, "type=value"),
        ("ti u=4 s=xx\n", 1, "structure modes"),
        ("ti u=4 r=q\n", 1, "relation modes"),
        ("ti u=4 t=q\n", 1, "truncation modes"),
        ("@colour blue\n", 1, "unknown directive"),
        ("\n\nti foo,u=4\n", 3, "attribute set 'foo'"),
    ],
)
def test_bad_qualifier_files_name_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(CCLError) as caught:
        parse_qualifiers(text)
    assert f"line {line}:" in caught.value.message
    assert fragment in caught.value.message


def test_alias_loop_is_reported_not_recursed_forever() -> None:
    table = parse_qualifiers("a b\nb a\n")
    with pytest.raises(CCLError, match="itself"):
        parse_ccl("a=x", table)


def test_default_table_reads_yaz_style_queries() -> None:
    root = parse_ccl("ti=origin of species and au=darwin and yr=1859").root
    assert root == Boolean(
        "and",
        Boolean(
            "and",
            Term("origin of species", attrs((1, 4), (4, 1))),
            Term("darwin", attrs((1, 1003), (4, 2))),
        ),
        Term("1859", attrs((1, 31), (2, 3), (4, 4))),
    )
    assert DEFAULT_QUALIFIERS.resolve("ANY")[0].attributes == attrs((1, 1016))


def test_rewrite_hook_sees_the_qualifier_name() -> None:
    seen: list[tuple[str, str]] = []

    def clean(name: str, text: str) -> str:
        seen.append((name, text))
        return text.replace("-", "") if name == "isbn" else text

    root = parse_ccl("isbn=0-19-852663-6 and ti=x-y", QUALS, rewrite=clean).root
    assert root == Boolean(
        "and", Term("0198526636", attrs((1, 7))), Term("x-y", attrs((1, 4), (4, 2)))
    )
    assert seen == [("isbn", "0-19-852663-6"), ("ti", "x-y")]


def test_search_term_and_range_term_for_forms() -> None:
    title = parse_qualifier_spec("u=4 s=al,pw t=r", "title")
    assert search_term(title, 'darwin "natural selection" evol?') == Boolean(
        "and",
        Boolean("and", Term("darwin", attrs((1, 4), (4, 2))),
                Term("natural selection", attrs((1, 4), (4, 1)))),
        Term("evol", attrs((1, 4), (4, 2), (5, 1))),
    )
    year = parse_qualifier_spec("u=31 s=4 r=r", "year")
    assert range_term(year, "1850", None) == Term("1850", attrs((1, 31), (2, 4), (4, 4)))
    with pytest.raises(CCLError):
        range_term(year, None, None)
    with pytest.raises(CCLError):
        search_term(Qualifier("x"), "   ")


def test_split_words_keeps_quotes_and_escapes() -> None:
    words = split_words(r'a "b c" "say \"hi\"" d')
    assert [(w.text, w.quoted) for w in words] == [
        ("a", False), ("b c", True), ('say "hi"', True), ("d", False)
    ]
    assert [w.position for w in words] == [0, 2, 8, 21]
