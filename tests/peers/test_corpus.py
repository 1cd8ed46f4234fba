"""The generated corpus holds what its docstring promises, and its answer key is consistent."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

import pytest
from pymarc import MARCReader, Record
from stdnum import isbn, issn

from tests.corpus import (
    BULK_RARE_HITS,
    BULK_RARE_WORD,
    CATALOGUES,
    bulk,
    corpus,
    expected_groups,
    style_sets,
    work_id,
)
from tests.peers import utf8_iso2709

BOOKS = corpus()
SETS = style_sets()


def _values(record: Record, tag: str, code: str) -> list[str]:
    return [v for f in record.get_fields(tag) for v in f.get_subfields(code)]


def _control(record: Record) -> str:
    return str(record.get_fields("001")[0].data)


def _all(records: Iterable[Record]) -> str:
    return "\n".join(str(r) for r in records)


def test_the_same_call_gives_the_same_bytes() -> None:
    assert [r.as_marc() for r in corpus()] == [r.as_marc() for r in BOOKS]
    again = style_sets()
    assert {k: [r.as_marc() for r in v] for k, v in again.items()} == {
        k: [r.as_marc() for r in v] for k, v in SETS.items()
    }
    assert [r.as_marc() for r in bulk(50)] == [r.as_marc() for r in bulk(50)]


def test_records_are_valid_iso2709_and_round_trip() -> None:
    for record in [*BOOKS, *SETS["oclc"], *bulk(30)]:
        data = utf8_iso2709(record)
        back = next(iter(MARCReader(io.BytesIO(data), to_unicode=True)))
        assert back is not None
        assert [str(f) for f in back.fields] == [str(f) for f in record.fields]


def test_size_and_unique_control_numbers() -> None:
    assert 100 <= len(BOOKS) <= 200
    for records in [BOOKS, *SETS.values()]:
        controls = [_control(r) for r in records]
        assert len(controls) == len(set(controls))
    assert all(work_id(r) for r in [*BOOKS, *(r for v in SETS.values() for r in v)])


def test_every_promised_case_is_in_the_books_corpus() -> None:
    text = _all(BOOKS)
    assert "ß" in text and "ü" in text and "Ü" in text
    assert any(unicodedata.combining(c) for c in text)  # French stored decomposed
    assert re.search(r"[А-Яа-я]", text) and re.search(r"[\u4e00-\u9fff]", text)
    assert any(r.get_fields("880") for r in BOOKS)
    isbn_a = [v for r in BOOKS for v in _values(r, "020", "a")]
    assert all(isbn.is_valid(v.split()[0]) for v in isbn_a)
    for qualifier in ("(pbk.)", "(set)", "(v. 2)", "(hbk.)"):
        assert any(v.endswith(qualifier) for v in isbn_a), qualifier
    assert any(v.startswith("979") for v in isbn_a)
    assert any(_values(r, "020", "z") for r in BOOKS)
    assert all(issn.is_valid(v) for r in BOOKS for v in _values(r, "022", "a"))
    assert any(r.leader[7] == "s" and r.get_fields("022") for r in BOOKS)
    assert any(r.leader[7] == "b" and r.get_fields("773") for r in BOOKS)
    assert any(r.get_fields("502") for r in BOOKS)
    assert max(len(r.get_fields("100", "700")) for r in BOOKS) == 100
    assert any(not r.get_fields("100", "110", "111") for r in BOOKS)
    assert any(str(r.get_fields("008")[0].data)[6:11] == "nuuuu" for r in BOOKS)
    assert any(r.get_fields("856") for r in BOOKS)
    assert any(r.get_fields("948") for r in BOOKS) and any(r.get_fields("852") for r in BOOKS)
    assert all(r.get_fields("948") for r in SETS["oclc"])
    assert all(r.get_fields("852") for r in SETS["copac"])
    identifiers = ("010", "020", "022", "024", "035")
    assert sum(1 for r in BOOKS if not r.get_fields(*identifiers)) >= 4


def test_isbn10_and_isbn13_of_one_book_are_in_two_records() -> None:
    by_work: dict[str, set[str]] = defaultdict(set)
    for record in BOOKS:
        for value in _values(record, "020", "a"):
            by_work[str(work_id(record))].add(isbn.compact(value.split()[0]))
    pairs = [v for v in by_work.values() if any(len(i) == 10 for i in v)]
    assert any(
        {len(i) for i in v} == {10, 13} and len({isbn.to_isbn13(i) for i in v}) == 1 for v in pairs
    )


def _identifiers(record: Record) -> set[str]:
    """The identifiers a merge may use: own ISBNs (not set ISBNs, not $z), ISSN, LCCN, OCLC."""
    found = set()
    own = [
        a
        for f in record.get_fields("020")
        for a in f.get_subfields("a")
        if "set" not in a + " ".join(f.get_subfields("q"))
    ]
    found |= {"isbn:" + isbn.to_isbn13(isbn.compact(v.split()[0])) for v in own}
    if not own:
        found |= {"issn:" + issn.compact(v) for v in _values(record, "022", "a")}
    found |= {"lccn:" + v.strip() for v in _values(record, "010", "a")}
    found |= {"oclc:" + v[7:] for v in _values(record, "035", "a") if v.startswith("(OCoLC)")}
    return found


@pytest.mark.parametrize("catalogues", [{"books": BOOKS}, SETS], ids=["books", "styles"])
def test_no_identifier_is_shared_by_two_works(catalogues: dict[str, list[Record]]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for records in catalogues.values():
        for record in records:
            for key in _identifiers(record):
                owners[key].add(str(work_id(record)))
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_style_sets_overlap_in_every_pattern() -> None:
    groups = expected_groups(SETS)
    patterns = {frozenset(name for name, _ in group) for group in groups}
    for size in (1, 2, 3):
        assert any(len(p) == size for p in patterns)
    assert len(patterns) == 7  # every non-empty subset of the three catalogues
    assert sum(len(g) for g in groups) == sum(len(v) for v in SETS.values())
    assert set(SETS) == set(CATALOGUES)


def test_style_sets_hold_the_traps() -> None:
    def group_of(work: str) -> frozenset[tuple[str, str]]:
        controls = {
            (name, _control(r)) for name, recs in SETS.items() for r in recs if work_id(r) == work
        }
        return next(g for g in expected_groups(SETS) if g == frozenset(controls))

    assert len(group_of("work-byzantine-1")) == 2 and len(group_of("work-byzantine-2")) == 1
    assert len(group_of("work-cataloguing")) == 3  # one ISBN, three edition statements
    editions = {
        v
        for recs in SETS.values()
        for r in recs
        if work_id(r) == "work-cataloguing"
        for v in _values(r, "250", "a")
    }
    assert len(editions) == 3
    assert {n for n, _ in group_of("work-village")} == {"copac", "gbv"}


def test_expected_groups_of_the_books_corpus() -> None:
    duplicates = [g for g in expected_groups({"books": BOOKS}) if len(g) > 1]
    works = {work_id(r) for g in duplicates for r in BOOKS if ("books", _control(r)) in g}
    assert works == {"work-odyssey", "work-village", "work-miserables"}


def test_expected_groups_needs_the_answer_key() -> None:
    record = Record()
    with pytest.raises(ValueError, match="no 999"):
        expected_groups({"x": [record]})


@pytest.mark.parametrize("n", [10, 67, 100, 2000])
def test_bulk_size_unique_isbns_and_the_rare_word(n: int) -> None:
    records = bulk(n)
    assert len(records) == n
    isbns = [v for r in records for v in _values(r, "020", "a")]
    assert len(set(isbns)) == n and all(isbn.is_valid(v) for v in isbns)
    rare = [r for r in records if BULK_RARE_WORD in str(r).lower()]
    assert len(rare) == min(n, BULK_RARE_HITS)
    assert all(BULK_RARE_WORD in " ".join(r.get_fields("245")[0].get_subfields("b")) for r in rare)


def test_bulk_prefix_is_stable() -> None:
    small, large = bulk(100), bulk(2000)
    assert [_control(r) for r in small] == [_control(r) for r in large[:100]]
    assert [r.get_fields("020")[0].value() for r in small] == [
        r.get_fields("020")[0].value() for r in large[:100]
    ]
