"""From what the user typed to each target's RPN: words, CCL, PQF and the form, per profile."""

from __future__ import annotations

import pytest

from app.search.query import (
    Clause,
    Query,
    QueryError,
    SearchForm,
    UnsupportedSearch,
    describe,
    detect_kind,
    fallback_queries,
    isbn_for,
    to_pqf,
    to_rpn,
)
from app.targets import DEFAULT_QUERY_MAP, TargetProfile
from app.z3950.rpn import Attribute, Boolean, Node, RPNQuery, Term


def attrs(*pairs: tuple[int, int]) -> tuple[Attribute, ...]:
    return tuple(Attribute(t, v) for t, v in pairs)


def profile(pid: str, **query: str | None) -> TargetProfile:
    return TargetProfile(id=pid, name=pid.upper(), host=f"{pid}.example",
                         query=tuple({**DEFAULT_QUERY_MAP, **query}.items()))


GENERIC = profile("generic")
# ISBN under 1007, publisher under 59 and phrases for titles: the KOBV/Copac kind of target
OTHER = profile("other", isbn="u=1007", publisher="u=59", title="u=4 s=pw", author="u=1 s=pw",
                lccn=None)
COPAC = profile("copac", title="u=4 s=al,pw t=101", year="u=30 r=r")
HYPHEN = TargetProfile(id="jisc", name="Jisc", host="h", year_range="hyphen",
                       query=tuple({**DEFAULT_QUERY_MAP, "year": "u=31"}.items()))


def rpn(query: Query, target: TargetProfile = GENERIC) -> Node:
    return to_rpn(query, target).root


def form(*clauses: Clause, year_from: int | None = None, year_to: int | None = None) -> Query:
    return Query.of_form(SearchForm(tuple(clauses), year_from, year_to))


# --- kinds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("@attr 1=4 origin", "pqf"),
        ("  @and @attr 1=4 a b", "pqf"),
        ("ti=origin of species and au=darwin", "ccl"),
        ("au,ti=darwin", "ccl"),
        ("year>1990", "ccl"),
        ("darwin AND huxley", "ccl"),
        ("darwin or huxley", "ccl"),
        ("darwin & huxley", "ccl"),
        ("origin species darwin", "words"),
        ("0-19-852663-6", "words"),
        ('"ti=not a qualifier"', "words"),
        ("Anderson", "words"),  # 'and' inside a word is not an operator
        ("to be or not to be", "words"),  # operators that do not read as CCL: a title
        ("war and", "words"),
        ("", "words"),
    ],
)
def test_detect_kind(text: str, kind: str) -> None:
    assert detect_kind(text) == kind
    assert Query.typed(text).kind == kind


# --- plain words ---------------------------------------------------------------------------


def test_words_become_an_and_of_word_terms_on_any() -> None:
    any_word = attrs((1, 1016), (4, 2))
    assert rpn(Query.typed("origin species darwin")) == Boolean(
        "and", Boolean("and", Term("origin", any_word), Term("species", any_word)),
        Term("darwin", any_word),
    )


def test_quoted_words_stay_a_phrase() -> None:
    assert rpn(Query.typed('"natural selection" darwin')) == Boolean(
        "and", Term("natural selection", attrs((1, 1016), (4, 1))),
        Term("darwin", attrs((1, 1016), (4, 2))),
    )


@pytest.mark.parametrize(
    "typed", ["0-19-852663-6", "0198526636", "ISBN 0-19-852663-6", "978-0-19-852663-6",
              "978 0 19 852663 6"],
)
def test_an_isbn_typed_alone_is_an_isbn_search(typed: str) -> None:
    node = rpn(Query.typed(typed), GENERIC)
    assert isinstance(node, Term) and node.attributes == attrs((1, 7))
    assert node.text in ("0198526636", "9780198526636")
    assert rpn(Query.typed(typed), OTHER).attributes == attrs((1, 1007))  # type: ignore[union-attr]


def test_several_isbns_are_ored_and_an_issn_is_an_issn_search() -> None:
    assert rpn(Query.typed("9780198526636 0262033844")) == Boolean(
        "or", Term("9780198526636", attrs((1, 7))), Term("0262033844", attrs((1, 7))))
    assert rpn(Query.typed("0028-0836")) == Term("0028-0836", attrs((1, 8)))
    # a number that is not a valid ISBN stays a word
    assert rpn(Query.typed("0198526637")) == Term("0198526637", attrs((1, 1016), (4, 2)))


def test_empty_words_are_refused() -> None:
    with pytest.raises(QueryError, match="Type something"):
        to_rpn(Query.typed("   "), GENERIC)


# --- ISBN forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form_wanted", "typed", "sent"),
    [
        ("as-typed", "0-19-852663-6", "0198526636"),
        ("as-typed", "978-0-19-852663-6", "9780198526636"),
        ("13", "0-19-852663-6", "9780198526636"),
        ("13", "9780198526636", "9780198526636"),
        ("10", "978-0-19-852663-6", "0198526636"),
        ("10", "0-8044-2957-x", "080442957X"),
        ("10", "979-10-90636-07-1", "9791090636071"),  # a 979 ISBN has no ISBN-10
        ("13", "0-19-852663-7", "0198526637"),  # invalid: digits as typed, not converted
    ],
)
def test_isbn_form_per_target(form_wanted: str, typed: str, sent: str) -> None:
    target = TargetProfile(id="t", name="T", host="h", isbn_form=form_wanted)  # type: ignore[arg-type]
    assert isbn_for(target, typed) == sent
    node = rpn(form(Clause("isbn", typed)), target)
    assert node == Term(sent, attrs((1, 7)))


# --- the form, per profile -----------------------------------------------------------------


def test_same_form_gives_each_target_its_own_attributes() -> None:
    query = form(Clause("title", "origin of species"), Clause("author", "darwin"),
                 Clause("isbn", "0-19-852663-6", "OR"), Clause("publisher", "murray"))
    assert to_pqf(to_rpn(query, GENERIC)) == (
        "@and @or @and @and @and @attr 1=4 @attr 4=2 origin @attr 1=4 @attr 4=2 of "
        "@attr 1=4 @attr 4=2 species @attr 1=1003 @attr 4=2 darwin @attr 1=7 0198526636 "
        "@attr 1=1018 @attr 4=2 murray"
    )
    assert rpn(query, OTHER) == Boolean(
        "and",
        Boolean(
            "or",
            Boolean("and", Term("origin of species", attrs((1, 4), (4, 1))),
                    Term("darwin", attrs((1, 1), (4, 2)))),
            Term("0198526636", attrs((1, 1007))),
        ),
        Term("murray", attrs((1, 59))),
    )


def test_truncation_per_target() -> None:
    assert rpn(form(Clause("title", "evol?")), GENERIC) == Term(
        "evol", attrs((1, 4), (4, 2), (5, 1)))
    # a Copac-style target processes '#' itself: 101 always sent, the mark kept
    assert rpn(form(Clause("title", "evol#tion")), COPAC) == Term(
        "evol#tion", attrs((1, 4), (4, 2), (5, 101)))


def test_not_and_blank_rows() -> None:
    query = form(Clause("subject", "evolution"), Clause("title", "  "),
                 Clause("author", "lamarck", "NOT"))
    assert rpn(query) == Boolean("and-not", Term("evolution", attrs((1, 21), (4, 2))),
                                 Term("lamarck", attrs((1, 1003), (4, 2))))
    with pytest.raises(QueryError, match="cannot start with NOT"):
        to_rpn(form(Clause("author", "lamarck", "NOT")), GENERIC)
    with pytest.raises(QueryError, match="Type something"):
        to_rpn(form(Clause("title", " ")), GENERIC)


def test_identifier_rows_are_cleaned() -> None:
    assert rpn(form(Clause("lccn", "n 78-89035"))) == Term("n78089035", attrs((1, 9)))
    assert rpn(form(Clause("oclc", "(OCoLC)ocm00012345"))) == Term("12345", attrs((1, 1211)))
    assert rpn(form(Clause("isbn", "0198526636; 0262033844"))) == Boolean(
        "or", Term("0198526636", attrs((1, 7))), Term("0262033844", attrs((1, 7))))


def test_year_range_with_relations() -> None:
    y = ((1, 31), (4, 4))
    assert rpn(form(Clause("title", "origin"), year_from=1850, year_to=1870)) == Boolean(
        "and", Term("origin", attrs((1, 4), (4, 2))),
        Boolean("and", Term("1850", attrs(y[0], (2, 4), y[1])),
                Term("1870", attrs(y[0], (2, 2), y[1]))))
    assert rpn(form(year_from=1859)) == Term("1859", attrs(y[0], (2, 4), y[1]))
    assert rpn(form(year_to=1859)) == Term("1859", attrs(y[0], (2, 2), y[1]))
    assert rpn(form(year_from=1859, year_to=1859)) == Term("1859", attrs(y[0], (2, 3), y[1]))
    assert rpn(form(Clause("year", "1850-1870"))) == Boolean(
        "and", Term("1850", attrs(y[0], (2, 4), y[1])), Term("1870", attrs(y[0], (2, 2), y[1])))
    assert rpn(form(year_from=1850, year_to=1870), COPAC) == Boolean(
        "and", Term("1850", attrs((1, 30), (2, 4))), Term("1870", attrs((1, 30), (2, 2))))


def test_year_range_as_one_hyphenated_term() -> None:
    assert rpn(form(year_from=1900, year_to=1920), HYPHEN) == Term("1900-1920", attrs((1, 31)))
    assert rpn(form(year_from=1900), HYPHEN) == Term("1900-9999", attrs((1, 31)))


def test_bad_years_are_refused() -> None:
    with pytest.raises(QueryError, match="The years run backwards: 1900 to 1850"):
        to_rpn(form(year_from=1900, year_to=1850), GENERIC)
    with pytest.raises(QueryError, match="'nineteen' is not a year"):
        to_rpn(form(Clause("year", "nineteen-1920")), GENERIC)
    no_ranges = profile("flat", year="u=31")
    with pytest.raises(UnsupportedSearch, match="cannot search a range of years"):
        to_rpn(form(year_from=1850, year_to=1870), no_ranges)


def test_a_field_the_target_cannot_search() -> None:
    with pytest.raises(UnsupportedSearch) as caught:
        to_rpn(form(Clause("lccn", "2001012345")), OTHER)
    assert str(caught.value) == "OTHER cannot search by LCCN"
    assert (caught.value.field, caught.value.target) == ("lccn", "other")
    with pytest.raises(UnsupportedSearch, match="OTHER cannot search by LCCN"):
        to_rpn(Query.typed("lccn=2001012345"), OTHER)


# --- CCL through the target's map ----------------------------------------------------------


def test_ccl_uses_the_targets_query_map_and_short_names() -> None:
    query = Query.typed("ti=origin and au=darwin and isbn=0-19-852663-6")
    assert rpn(query, OTHER) == Boolean(
        "and",
        Boolean("and", Term("origin", attrs((1, 4), (4, 2))),
                Term("darwin", attrs((1, 1), (4, 2)))),
        Term("0198526636", attrs((1, 1007))),
    )
    assert rpn(Query.typed("title=origin or publisher=murray"), OTHER) == Boolean(
        "or", Term("origin", attrs((1, 4), (4, 2))), Term("murray", attrs((1, 59))))
    assert rpn(Query.typed("date=1850-1870")) == Boolean(
        "and", Term("1850", attrs((1, 31), (2, 4), (4, 4))),
        Term("1870", attrs((1, 31), (2, 2), (4, 4))))


def test_ccl_errors_keep_their_position() -> None:
    with pytest.raises(QueryError) as caught:
        to_rpn(Query.typed("ti=origin and xx=darwin"), GENERIC)
    assert caught.value.position == 14
    assert "unknown search field 'xx'" in str(caught.value)


# --- PQF -----------------------------------------------------------------------------------


def test_pqf_passes_through_unchanged() -> None:
    typed = "@and @attr 1=4 origin @attr 1=1003 darwin"
    query = to_rpn(Query.typed(typed), OTHER)
    assert query.root == Boolean("and", Term("origin", attrs((1, 4))),
                                 Term("darwin", attrs((1, 1003))))
    assert to_pqf(query) == typed


def test_bad_pqf_is_a_query_error_with_a_position() -> None:
    with pytest.raises(QueryError) as caught:
        to_rpn(Query.typed("@and @attr 1=4 origin"), GENERIC)
    assert caught.value.position is not None


# --- fallback ------------------------------------------------------------------------------

PICKY = TargetProfile(id="picky", name="Picky", host="h", fallback_on=(3, 114),
                      isbn_fallback="any")


def test_isbn_fallback_searches_the_number_as_keywords_in_both_forms() -> None:
    any_word = attrs((1, 1016), (4, 2))
    retries = fallback_queries(Query.typed("0-19-852663-6"), PICKY, 114)
    assert retries == [RPNQuery(Term("0198526636", any_word)),
                       RPNQuery(Term("9780198526636", any_word))]
    mixed = form(Clause("isbn", "9780198526636"), Clause("title", "origin"))
    (first, second) = fallback_queries(mixed, PICKY, 3)
    assert first.root == Boolean("and", Term("9780198526636", any_word),
                                 Term("origin", attrs((1, 4), (4, 2))))
    assert second.root == Boolean("and", Term("0198526636", any_word),
                                  Term("origin", attrs((1, 4), (4, 2))))


def test_no_fallback_unless_the_profile_and_the_diagnostic_say_so() -> None:
    assert fallback_queries(Query.typed("0198526636"), PICKY, 109) == []
    assert fallback_queries(Query.typed("0198526636"), GENERIC, 114) == []
    assert fallback_queries(Query.typed("darwin"), PICKY, 114) == []
    # a 979 ISBN has no other form: one retry only
    assert len(fallback_queries(Query.typed("979-10-90636-07-1"), PICKY, 114)) == 1


# --- describe ------------------------------------------------------------------------------


def test_describe_gives_a_short_status_line() -> None:
    assert describe(Query.typed("origin species")) == "origin species"
    assert describe(Query.typed("0-19-852663-6")) == "ISBN 0198526636"
    assert describe(Query.typed("ti=origin")) == "CCL: ti=origin"
    assert describe(Query.typed("@attr 1=4 x")) == "PQF: @attr 1=4 x"
    assert describe(form(Clause("title", "origin"), Clause("author", "darwin", "NOT"),
                          year_from=1850, year_to=1870)) == (
        "title: origin NOT author: darwin, years 1850–1870")
    assert describe(form(year_from=1859, year_to=1859)) == "years 1859"
    long = describe(Query.typed("word " * 40), width=30)
    assert len(long) == 30 and long.endswith("…")
