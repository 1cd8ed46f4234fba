"""Facet counts and filters over merged entries, computed afresh and kept up incrementally."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.records.model import BibRecord, Name
from app.search.facets import (
    FACETS,
    FacetCounts,
    UnknownFacet,
    count_facets,
    entry_facets,
    filter_entries,
    matches,
)
from app.search.merge import Merger


def book(
    title: str,
    *,
    lccn: str = "",
    target: str = "LoC",
    year: int | None = 1990,
    language: str = "eng",
    author: str = "Smith, Ann",
    subjects: tuple[str, ...] = (),
    material: str = "book",
) -> BibRecord:
    return BibRecord(
        title=title,
        names=(Name(author),) if author else (),
        year=year,
        language=language,
        languages=(language,) if language else (),
        subjects=subjects,
        lccn=lccn,
        target=target,
        material=material,  # type: ignore[arg-type]
    )


def _merger() -> Merger:
    merger = Merger()
    merger.add_many(
        [
            book("Alpha", lccn="1", year=1859, subjects=("Evolution.",)),
            book("Alpha", lccn="1", target="K10plus", language="ger", subjects=("Evolution",)),
            book("Beta", lccn="2", target="K10plus", year=1862, subjects=("Botany",)),
            book("Gamma", lccn="3", target="Copac", year=2001, author="Jones, Bob"),
            book("Delta", lccn="4", target="Copac", year=None, language="", material="map"),
        ]
    )
    return merger


def test_entry_facets() -> None:
    alpha = _merger().entries[0]
    values = entry_facets(alpha)
    assert values["catalogue"] == ("LoC", "K10plus")
    assert values["year"] == ("1859",)  # LoC's record is chosen first on a tie
    assert values["decade"] == ("1850s",)
    assert values["language"] == ("eng", "ger")
    assert values["author"] == ("Smith, Ann",)
    assert values["subject"] == ("Evolution",)
    assert values["material"] == ("book",)


def test_counts() -> None:
    counts = count_facets(_merger().entries)
    assert counts["catalogue"] == Counter({"K10plus": 2, "Copac": 2, "LoC": 1})
    assert counts["year"] == Counter({"1859": 1, "1862": 1, "2001": 1})
    assert counts["decade"] == Counter({"1850s": 1, "1860s": 1, "2000s": 1})
    assert counts["language"] == Counter({"eng": 3, "ger": 1})
    assert counts["author"] == Counter({"Smith, Ann": 3, "Jones, Bob": 1})
    assert counts["subject"] == Counter({"Evolution": 1, "Botany": 1})
    assert counts["material"] == Counter({"book": 3, "map": 1})


def test_counts_in_display_order() -> None:
    merger = _merger()
    counts = FacetCounts(merger.entries)
    assert counts.counts("catalogue") == [("Copac", 2), ("K10plus", 2), ("LoC", 1)]
    assert counts.counts("year") == [("2001", 1), ("1862", 1), ("1859", 1)]  # newest first
    assert counts.counts("author", limit=1) == [("Smith, Ann", 3)]
    assert len(counts) == 4


@pytest.mark.parametrize(
    ("selected", "titles"),
    [
        ({}, ["Alpha", "Beta", "Gamma", "Delta"]),
        ({"catalogue": ["Copac"]}, ["Gamma", "Delta"]),
        ({"catalogue": ["Copac", "LoC"]}, ["Alpha", "Gamma", "Delta"]),  # OR within a facet
        ({"catalogue": ["K10plus"], "decade": ["1860s"]}, ["Beta"]),  # AND across facets
        ({"language": ["ger"]}, ["Alpha"]),
        ({"year": ["1859"], "language": ["eng"]}, ["Alpha"]),
        ({"material": ["map"]}, ["Delta"]),
        ({"subject": ["Evolution"]}, ["Alpha"]),
        ({"year": ["1700"]}, []),
        ({"year": []}, ["Alpha", "Beta", "Gamma", "Delta"]),  # nothing ticked: no filter
    ],
)
def test_filter(selected: dict[str, list[str]], titles: list[str]) -> None:
    kept = filter_entries(_merger().entries, selected)  # type: ignore[arg-type]
    assert [e.title for e in kept] == titles


def test_unknown_facet_is_refused_clearly() -> None:
    with pytest.raises(UnknownFacet, match="no facet 'colour'"):
        filter_entries(_merger().entries, {"colour": ["red"]})  # type: ignore[dict-item]
    with pytest.raises(UnknownFacet, match="no facet 'colour'"):
        matches(_merger().entries[0], {"colour": ["red"]})  # type: ignore[dict-item]


def test_incremental_counts_follow_merges() -> None:
    merger = Merger()
    counts = FacetCounts()
    counts.update(merger, [merger.add(book("A", lccn="1", target="LoC"))])
    other = BibRecord(title="A", oclc_numbers=("9",), target="Copac", year=1990)
    counts.update(merger, [merger.add(other)])
    assert counts.counts("catalogue") == [("Copac", 1), ("LoC", 1)]
    assert counts.counts("year") == [("1990", 2)]

    # a record holding both numbers joins the two entries: entry 2 is retired into 1
    both = BibRecord(title="A", lccn="1", oclc_numbers=("9",), target="K10plus", year=1990)
    change = merger.add(both)
    counts.update(merger, [change])
    assert change.absorbed == (2,)
    assert counts.counts("catalogue") == [("Copac", 1), ("K10plus", 1), ("LoC", 1)]
    assert counts.counts("year") == [("1990", 1)]
    assert len(counts) == 1


_YEARS = st.sampled_from([1859, 1860, 1999, None])


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["1", "2", "3", "4"]),
            st.sampled_from(["1", "2", "3", "4"]),
            st.sampled_from(["LoC", "K10plus", "Copac"]),
            _YEARS,
            st.sampled_from(["eng", "ger", ""]),
        ),
        max_size=20,
    ),
    st.integers(min_value=1, max_value=5),
)
def test_incremental_counts_equal_fresh_counts(
    rows: list[tuple[str, str, str, int | None, str]], batch: int
) -> None:
    merger = Merger()
    counts = FacetCounts()
    records = [
        book(f"T{lccn}", lccn=lccn, target=t, year=y, language=lang)
        if i % 2
        else BibRecord(title=f"T{lccn}", lccn=lccn, oclc_numbers=(oclc,), target=t, year=y)
        for i, (lccn, oclc, t, y, lang) in enumerate(rows)
    ]
    for start in range(0, len(records), batch):
        counts.update(merger, merger.add_many(records[start : start + batch]))
        fresh = count_facets(merger.entries)
        for facet in FACETS:
            assert dict(counts.counter(facet)) == dict(fresh[facet]), facet
    refreshed = FacetCounts()
    refreshed.refresh(merger.entries)
    assert {f: dict(refreshed.counter(f)) for f in FACETS} == {
        f: dict(counts.counter(f)) for f in FACETS
    }
