"""Relevance (title > author > subject, plus catalogues holding) and the stable sort orders."""

from __future__ import annotations

import pytest

from app.records.model import BibRecord, Name
from app.search.merge import MergedRecord, Merger
from app.search.rank import (
    AUTHOR_WEIGHT,
    EXACT_TITLE_BONUS,
    HELD_WEIGHT,
    SUBJECT_WEIGHT,
    TITLE_WEIGHT,
    Ranker,
    UnknownSort,
    author_sort_key,
    relevance,
    sort_entries,
    title_sort_key,
)


def entry(
    title: str,
    *,
    nonsort: str = "",
    subtitle: str = "",
    author: str = "",
    subjects: tuple[str, ...] = (),
    year: int | None = None,
    targets: tuple[str, ...] = ("LoC",),
) -> MergedRecord:
    merger = Merger()
    for target in targets:
        merger.add(
            BibRecord(
                title=title,
                nonsort=nonsort,
                subtitle=subtitle,
                names=(Name(author),) if author else (),
                subjects=subjects,
                year=year,
                lccn="1",
                target=target,
            )
        )
    [merged] = merger.entries
    return merged


def test_weights_title_over_author_over_subject() -> None:
    in_title = entry("Darwin and his world")
    by_author = entry("On evolution", author="Darwin, Charles")
    about = entry("On evolution", subjects=("Darwin, Charles, 1809-1882",))
    nowhere = entry("On evolution")
    held = HELD_WEIGHT
    assert relevance(in_title, ["darwin"]) == TITLE_WEIGHT + held
    assert relevance(by_author, ["darwin"]) == AUTHOR_WEIGHT + held
    assert relevance(about, ["darwin"]) == SUBJECT_WEIGHT + held
    assert relevance(nowhere, ["darwin"]) == held
    ranked = sort_entries([nowhere, about, by_author, in_title], terms=["darwin"])
    assert ranked == [in_title, by_author, about, nowhere]


def test_every_field_that_matches_counts_and_every_term_counts() -> None:
    both = entry("Darwin's letters", author="Darwin, Charles", subjects=("Evolution",))
    score = relevance(both, ["darwin", "evolution", "zebra"])
    assert score == TITLE_WEIGHT + AUTHOR_WEIGHT + SUBJECT_WEIGHT + HELD_WEIGHT
    assert relevance(both, ["letter?"]) == TITLE_WEIGHT + HELD_WEIGHT


def test_multi_word_terms_need_all_their_words_in_one_field() -> None:
    e = entry("The origin of species", author="Darwin, Charles")
    assert relevance(e, ["origin species"]) > relevance(e, ["origin darwin"])
    assert relevance(e, ["origin darwin"]) == HELD_WEIGHT


def test_exact_title_bonus_and_diacritics() -> None:
    exact = entry("Über die Größe der Bibliotheken", nonsort="")
    longer = entry("Über die Größe der Bibliotheken und Archive")
    query = ["uber die grosse der bibliotheken"]
    assert relevance(exact, query) == TITLE_WEIGHT + EXACT_TITLE_BONUS + HELD_WEIGHT
    assert relevance(longer, query) == TITLE_WEIGHT + HELD_WEIGHT
    the = entry("The origin of species", nonsort="The ")
    assert relevance(the, ["origin of species"]) == TITLE_WEIGHT + EXACT_TITLE_BONUS + HELD_WEIGHT


def test_truncation_and_cjk() -> None:
    e = entry("Evolutionary biology")
    assert relevance(e, ["evolution"]) == HELD_WEIGHT
    for truncated in ("evolution?", "evolution*", "evol#"):
        assert relevance(e, [truncated]) == TITLE_WEIGHT + HELD_WEIGHT
    cat = entry("吾輩は猫である")
    assert relevance(cat, ["猫"]) == TITLE_WEIGHT + HELD_WEIGHT
    assert relevance(cat, ["犬"]) == HELD_WEIGHT


def test_catalogues_holding_raise_the_score_but_not_above_a_title_match() -> None:
    popular = entry("On evolution", author="Darwin, C.", targets=("LoC", "K10plus", "Copac"))
    single = entry("Darwin", targets=("LoC",))
    assert relevance(popular, []) == 3 * HELD_WEIGHT
    assert sort_entries([popular, single], terms=["darwin"]) == [single, popular]


def test_relevance_ties_keep_arrival_order() -> None:
    a, b, c = entry("Alpha"), entry("Beta"), entry("Gamma")
    assert sort_entries([a, b, c], terms=["nothing"]) == [a, b, c]
    assert sort_entries([a, b, c], terms=[]) == [a, b, c]


def test_ranker_notices_when_an_entry_changes() -> None:
    merger = Merger()
    merger.add(BibRecord(title="Alpha", lccn="1", target="LoC"))
    ranker = Ranker(["evolution"])
    [e] = merger.entries
    assert ranker.score(e) == HELD_WEIGHT
    merger.add(BibRecord(title="Alpha", lccn="1", subjects=("Evolution",), target="K10plus"))
    assert ranker.score(e) == SUBJECT_WEIGHT + 2 * HELD_WEIGHT


def test_title_sort_key_ignores_nonsort_and_diacritics() -> None:
    assert title_sort_key(entry("The origin of species", nonsort="The ")) == "origin of species"
    assert title_sort_key(entry("Éloge de l'ombre")) == "eloge de l ombre"
    assert title_sort_key(entry("Le Petit Prince")) == "petit prince"
    assert author_sort_key(entry("X", author="Ångström, Anders")) == "angstrom anders"


@pytest.mark.parametrize("descending", [False, True])
def test_sort_by_title(descending: bool) -> None:
    entries = [
        entry("Zoology"),
        entry("The apes", nonsort="The "),
        entry("Ökologie"),
        entry("Botany"),
        entry(""),
    ]
    titles = [e.title for e in sort_entries(entries, "title", descending=descending)]
    expected = ["The apes", "Botany", "Ökologie", "Zoology"]
    assert titles == ([*reversed(expected)] if descending else expected) + [""]


def test_sort_by_year_missing_last_and_stable() -> None:
    a = entry("A", year=1990)
    b = entry("B", year=None)
    c = entry("C", year=1859)
    d = entry("D", year=1990)
    assert sort_entries([a, b, c, d], "year") == [c, a, d, b]
    assert sort_entries([a, b, c, d], "year", descending=True) == [a, d, c, b]


def test_sort_by_author() -> None:
    a = entry("A", author="Zweig, Stefan")
    b = entry("B", author="")
    c = entry("C", author="Ångström, Anders")
    d = entry("D", author="Müller, Jürgen")
    assert sort_entries([a, b, c, d], "author") == [c, d, a, b]


def test_unknown_sort_is_refused() -> None:
    with pytest.raises(UnknownSort, match="cannot sort by 'colour'"):
        sort_entries([], "colour")  # type: ignore[arg-type]
