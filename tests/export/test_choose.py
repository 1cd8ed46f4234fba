"""The choice of record for a merged entry: "best", "all", or the one the user picked."""

from __future__ import annotations

import pytest

from app.export import ExportError, choose, completeness
from app.records.model import BibRecord, Isbn, Name, Original

SPARSE = BibRecord(title="Origin of species", year=1859, target="A")
RICH = BibRecord(
    title="On the origin of species",
    names=(Name("Darwin, Charles"),),
    publisher="John Murray",
    place="London",
    year=1859,
    isbns=(Isbn("9780198526636", "0198526636", True),),
    subjects=("Evolution",),
    target="B",
)
MARC = BibRecord(
    title="On the origin of species",
    names=(Name("Darwin, Charles"),),
    year=1859,
    original=Original("usmarc", "1.2.840.10003.5.10", b"00000nam a2200000 i 4500"),
    target="C",
)
BROKEN = BibRecord(error="truncated record", target="D")


def test_best_is_the_most_complete() -> None:
    assert choose([SPARSE, RICH], "best") == [RICH]
    assert choose([RICH, SPARSE]) == [RICH]


def test_marc_gets_a_bonus_that_breaks_near_ties() -> None:
    plain = BibRecord(title=MARC.title, names=MARC.names, year=1859, target="E")
    assert completeness(MARC) > completeness(plain)
    assert choose([plain, MARC], "best") == [MARC]


def test_ties_go_to_the_earlier_source() -> None:
    twin = BibRecord(title="Origin of species", year=1859, target="Z")
    assert completeness(twin) == completeness(SPARSE)
    assert choose([twin, SPARSE], "best")[0].target == "Z"
    assert choose([SPARSE, twin], "best")[0].target == "A"


def test_an_unreadable_record_is_never_best_while_another_is_readable() -> None:
    assert completeness(BROKEN) < completeness(BibRecord())
    assert choose([BROKEN, SPARSE], "best") == [SPARSE]


def test_all_keeps_every_source_in_order() -> None:
    assert choose([SPARSE, RICH, MARC], "all") == [SPARSE, RICH, MARC]


def test_the_users_pick_by_index() -> None:
    assert choose([SPARSE, RICH, MARC], 2) == [MARC]
    with pytest.raises(ExportError, match=r"no source record 4 .* it has 3"):
        choose([SPARSE, RICH, MARC], 3)
    with pytest.raises(ExportError):
        choose([SPARSE], -1)


def test_no_sources_nothing_to_choose() -> None:
    assert choose([], "best") == [] and choose([], 0) == []


def test_an_unknown_rule_is_an_error() -> None:
    with pytest.raises(ExportError):
        choose([SPARSE], "first")  # type: ignore[arg-type]
