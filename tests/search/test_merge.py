"""The merge rules, one table row per rule, plus provenance, ids and order independence."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymarc import Record as PymarcRecord

from app.records import read_record
from app.records.identifiers import parse_isbn, parse_issn
from app.records.model import BibRecord, Holding, HostItem, Isbn, Issn, Name, Original
from app.search.merge import (
    Merger,
    edition_key,
    fold,
    is_set_qualifier,
    link_keys,
    strict_key,
    title_key,
)
from tests.corpus import corpus, expected_groups, style_sets

USMARC = "1.2.840.10003.5.10"
# Valid ISBNs (check digits right) used throughout: ISBN-10 and ISBN-13 forms of one book.
ORIGIN_10 = "0-19-852663-6"
ORIGIN_13 = "9780198526636"
SET = "978-3-16-148410-0"  # the ISBN of a whole three-volume set
VOL1 = "978-0-306-40615-7"
VOL2 = "978-1-4028-9462-6"
FIRST_ED = "978-0-14-143951-8"
SECOND_ED = "978-0-14-303943-3"


def isbn(raw: str, qualifier: str = "", *, cancelled: bool = False) -> Isbn:
    found = parse_isbn(raw, qualifier=qualifier, cancelled=cancelled)
    assert found is not None and found.valid, raw
    return found


def rec(
    label: str,
    title: str = "The origin of species",
    *,
    isbns: Sequence[Isbn] = (),
    author: str = "Darwin, Charles",
    year: int | None = 1859,
    target: str = "LoC",
    **fields: object,
) -> BibRecord:
    """A record tagged with ``label`` (in control_numbers) so a test can name its group."""
    names = (Name(author),) if author else ()
    record = BibRecord(
        title=title,
        names=names,
        year=year,
        isbns=tuple(isbns),
        target=target,
        position=1,
        control_numbers=(("test", label),),
    )
    return replace(record, **fields)  # type: ignore[arg-type]


def label(record: BibRecord) -> str:
    return record.control_numbers[0][1]


def groups(merger: Merger) -> list[list[str]]:
    return sorted(sorted(label(r) for r in e.records) for e in merger.entries)


def merged(*records: BibRecord) -> list[list[str]]:
    merger = Merger()
    merger.add_many(records)
    return groups(merger)


# --- the rules, table-driven -----------------------------------------------------------------

CASES: list[tuple[str, list[BibRecord], list[list[str]]]] = [
    (
        "ISBN-10 and ISBN-13 of the same book merge",
        [
            rec("a", isbns=[isbn(ORIGIN_10)]),
            rec("b", "Origin of species", isbns=[isbn(ORIGIN_13)], target="K10plus"),
        ],
        [["a", "b"]],
    ),
    (
        "any shared ISBN merges, not only the first",
        [
            rec("a", isbns=[isbn(FIRST_ED, "hbk."), isbn(ORIGIN_13, "pbk.")]),
            rec("b", isbns=[isbn(ORIGIN_10, "pbk.")], target="K10plus"),
        ],
        [["a", "b"]],
    ),
    (
        "an ISBN only in $z never merges",
        [
            rec("a", isbns=[isbn(ORIGIN_13)]),
            rec("b", isbns=[isbn(ORIGIN_13, cancelled=True)], target="K10plus"),
        ],
        [["a"], ["b"]],
    ),
    (
        "two records with the same ISBN only in $z and different titles stay apart",
        [
            rec("a", "Alpha", isbns=[isbn(ORIGIN_13, cancelled=True)]),
            rec("b", "Beta", isbns=[isbn(ORIGIN_13, cancelled=True)], target="K10plus"),
        ],
        [["a"], ["b"]],
    ),
    (
        "volumes sharing only a set ISBN stay apart",
        [
            rec("v1", "History", part="Vol. 1", isbns=[isbn(SET, "set"), isbn(VOL1, "v. 1")]),
            rec("v2", "History", part="Vol. 2", isbns=[isbn(SET, "(set)"), isbn(VOL2, "v. 2")]),
        ],
        [["v1"], ["v2"]],
    ),
    (
        "a set ISBN qualified in one record only still keeps volumes apart",
        [
            rec("v1", "History", isbns=[isbn(SET, "v. 1-3"), isbn(VOL1)]),
            rec("v2", "History", isbns=[isbn(SET), isbn(VOL2)], target="K10plus"),
        ],
        [["v1"], ["v2"]],
    ),
    (
        "the record of the whole set joins neither volume",
        [
            rec("v1", "History", isbns=[isbn(SET, "Gesamtwerk"), isbn(VOL1)]),
            rec("v2", "History", isbns=[isbn(SET, "complete set"), isbn(VOL2)]),
            rec("set", "History", isbns=[isbn(SET, "set")], target="K10plus"),
            rec("set2", "History", isbns=[isbn(SET)], target="Copac"),
        ],
        [["set", "set2"], ["v1"], ["v2"]],
    ),
    (
        "one volume from two catalogues merges on its own ISBN",
        [
            rec("v1", "History", isbns=[isbn(SET, "obra completa"), isbn(VOL1, "v. 1")]),
            rec("v1b", "History", isbns=[isbn(VOL1), isbn(SET, "série")], target="BnF"),
            rec("v2", "History", isbns=[isbn(SET, "set"), isbn(VOL2)]),
        ],
        [["v1", "v1b"], ["v2"]],
    ),
    (
        "editions with different ISBNs stay apart",
        [
            rec("first", isbns=[isbn(FIRST_ED)], edition="1st ed."),
            rec("second", isbns=[isbn(SECOND_ED)], edition="2nd ed.", target="K10plus"),
        ],
        [["first"], ["second"]],
    ),
    (
        "the same ISBN merges even when the edition statements differ",
        [
            rec("a", isbns=[isbn(ORIGIN_13)], edition="2nd ed."),
            rec("b", isbns=[isbn(ORIGIN_10)], edition="2. Aufl.", target="K10plus"),
        ],
        [["a", "b"]],
    ),
    (
        "look-alikes without identifiers differing in year stay apart",
        [rec("a", year=1859), rec("b", year=1860, target="K10plus")],
        [["a"], ["b"]],
    ),
    (
        "look-alikes without identifiers differing in edition stay apart",
        [rec("a", edition="2nd ed."), rec("b", edition="3rd ed.", target="K10plus")],
        [["a"], ["b"]],
    ),
    (
        "look-alikes by different authors stay apart",
        [rec("a", author="Darwin, Charles"), rec("b", author="Huxley, T. H.", target="K")],
        [["a"], ["b"]],
    ),
    (
        "no identifier: title (article, case, diacritics, ISBD) + surname + year + edition merge",
        [
            rec("a", "The Origin of Species", nonsort="The ", edition="Second edition"),
            rec("b", "Origin of species : by means of natural selection", edition="2nd ed."),
            rec("c", "ORIGIN OF SPECIES.", author="Darwin, C.", edition="2. Aufl.", target="K"),
        ],
        [["a", "b", "c"]],
    ),
    (
        "diacritics and ß fold away",
        [
            rec("a", "Über die Größe der Bibliotheken", author="Müller, Jürgen", year=1989),
            rec("b", "Uber die Grosse der Bibliotheken", author="Muller, Jurgen", year=1989),
        ],
        [["a", "b"]],
    ),
    (
        "a record with identifiers never merges on the key alone",
        [rec("a", isbns=[isbn(ORIGIN_13)]), rec("b", target="K10plus")],
        [["a"], ["b"]],
    ),
    (
        "no identifier and no author or year: too thin to merge",
        [rec("a", "Poems", author="", year=None), rec("b", "Poems", author="", year=None)],
        [["a"], ["b"]],
    ),
    (
        "numbered parts without ISBN stay apart",
        [rec("p1", "History", part="Part 1"), rec("p2", "History", part="Part 2")],
        [["p1"], ["p2"]],
    ),
    (
        "a film never joins the book",
        [rec("book"), rec("film", material="video", target="K10plus")],
        [["book"], ["film"]],
    ),
    (
        "same OCLC number merges, leading zeros aside",
        [
            rec("a", oclc_numbers=("00012345",)),
            rec("b", "Another reading", oclc_numbers=("12345",), target="WorldCat"),
        ],
        [["a", "b"]],
    ),
    (
        "same LCCN merges",
        [rec("a", lccn="85000002"), rec("b", lccn="85000002", target="K10plus")],
        [["a", "b"]],
    ),
    (
        "serials with the same ISSN merge",
        [
            rec("a", "Nature", issns=(parse_issn("0028-0836"),), material="serial"),
            rec("b", "Nature (London)", issns=(parse_issn("00280836"),), material="serial"),
        ],
        [["a", "b"]],
    ),
    (
        "a linking ISSN does not merge",
        [
            rec("a", "Nature", issns=(parse_issn("0028-0836", "linking"),), year=None),
            rec("b", "Natur", issns=(parse_issn("0028-0836", "linking"),), year=None),
        ],
        [["a"], ["b"]],
    ),
    (
        "two books of one series (same ISSN, own ISBNs) stay apart",
        [
            rec("a", isbns=[isbn(VOL1)], issns=(parse_issn("0028-0836"),)),
            rec("b", isbns=[isbn(VOL2)], issns=(parse_issn("0028-0836"),)),
        ],
        [["a"], ["b"]],
    ),
    (
        "articles of one journal (host ISSN only) stay apart",
        [
            rec(
                "x",
                "Editorial",
                author="",
                material="article",
                issns=(parse_issn("0028-0836"),),
                host=HostItem(title="Nature", volume="1", issn="0028-0836", pages="1"),
            ),
            rec(
                "y",
                "Editorial",
                author="",
                material="article",
                issns=(parse_issn("0028-0836"),),
                host=HostItem(title="Nature", volume="2", issn="0028-0836", pages="1"),
            ),
        ],
        [["x"], ["y"]],
    ),
    (
        "transitive: A~B by ISBN and B~C by OCLC number are one entry",
        [
            rec("a", isbns=[isbn(ORIGIN_13)]),
            rec("b", isbns=[isbn(ORIGIN_10)], oclc_numbers=("4321",), target="K10plus"),
            rec("c", "Origin", oclc_numbers=("4321",), target="WorldCat"),
            rec("d", "Origin", lccn="59000001", oclc_numbers=("4321",), target="Copac"),
            rec("e", "Origin", lccn="59000001", target="BnF"),
        ],
        [["a", "b", "c", "d", "e"]],
    ),
    (
        "a record that could not be read stays on its own",
        [rec("a", isbns=[isbn(ORIGIN_13)]), rec("bad", isbns=[isbn(ORIGIN_13)], error="bad")],
        [["a"], ["bad"]],
    ),
]


@pytest.mark.parametrize(
    ("records", "expected"), [(r, e) for _, r, e in CASES], ids=[name for name, _, _ in CASES]
)
def test_rule(records: list[BibRecord], expected: list[list[str]]) -> None:
    assert merged(*records) == expected
    # the rule holds whichever catalogue answers first
    assert merged(*reversed(records)) == expected


@pytest.mark.parametrize(
    ("qualifier", "is_set"),
    [
        ("set", True),
        ("(set)", True),
        ("v. 1-3", True),
        ("vols. 1-4", True),
        ("Bd. 1-2", True),
        ("complete set", True),
        ("set of 3 v.", True),
        ("3 v.", True),
        ("Gesamtwerk", True),
        ("Gesamtausgabe", True),
        ("obra completa", True),
        ("obras completas", True),
        ("série", True),
        ("coffret", True),
        ("", False),
        ("pbk.", False),
        ("hbk. : alk. paper", False),
        ("v. 2", False),
        ("Bd. 2", False),
        ("v. 2/3", False),  # two volumes bound together, not the set
        ("t. 3", False),
        ("electronic bk.", False),
        ("Settings", False),
    ],
)
def test_set_qualifier(qualifier: str, is_set: bool) -> None:
    assert is_set_qualifier(qualifier) is is_set


def test_set_qualifier_found_by_the_isbn_reader_in_the_raw_text() -> None:
    # "978-3-16-148410-0 (set)" as one 020 $a: the reader splits the qualifier off
    v1 = rec("v1", isbns=[parse_isbn(f"{SET} (set)"), isbn(VOL1)])  # type: ignore[list-item]
    v2 = rec("v2", isbns=[parse_isbn(f"{SET} (v. 1-3)"), isbn(VOL2)])  # type: ignore[list-item]
    assert merged(v1, v2) == [["v1"], ["v2"]]


# --- normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edition", "key"),
    [
        ("", ""),
        ("1st ed.", ""),
        ("First edition", ""),
        ("2nd ed.", "2"),
        ("2. Aufl.", "2"),
        ("Second edition", "2"),
        ("Zweite, überarbeitete Auflage", "2"),
        ("3e éd.", "3"),
        ("Deuxième édition", "2"),
        ("Segunda edición", "2"),
        ("Rev. ed.", "rev"),
        ("Revised edition", "revised"),
    ],
)
def test_edition_key(edition: str, key: str) -> None:
    assert edition_key(edition) == key


@pytest.mark.parametrize(
    ("title", "nonsort", "key"),
    [
        ("The origin of species", "The ", "originofspecies"),
        ("The origin of species", "", "originofspecies"),
        ("Origin of species : by means of natural selection", "", "originofspecies"),
        ("Der Prozess", "", "prozess"),
        ("L'Étranger", "", "etranger"),
        ("L'Étranger", "L'", "etranger"),
        ("A", "", "a"),  # a one-word title is never taken for an article
        ("Война и мир", "", "войнаимир"),
        ("吾輩は猫である", "", "吾輩は猫である"),
    ],
)
def test_title_key(title: str, nonsort: str, key: str) -> None:
    assert title_key(title, nonsort) == key


def test_fold() -> None:
    assert fold("Über die Größe!") == "uberdiegrosse"
    assert fold("Ç'est-à-dire") == "cestadire"
    assert fold("U\u0308ber") == "uber"  # decomposed input folds the same
    assert fold("Ἰλιάς") == "ιλιασ"  # casefold makes the final sigma plain
    assert fold("Йошкар-Ола") == "йошкарола"  # й is a letter of its own, not и with a mark
    assert fold("ﬁnal ＡＢＣ") == "finalabc"


def test_strict_key_format_and_when_there_is_none() -> None:
    assert strict_key(rec("a")) == "key:originofspecies|darwin|1859|"
    assert strict_key(rec("a", edition="2nd ed.")) == "key:originofspecies|darwin|1859|2"
    assert strict_key(rec("a", material="sound")) == "key:originofspecies|darwin|1859||sound"
    assert strict_key(rec("a", "")) is None
    assert strict_key(rec("a", author="", year=None)) is None


def test_link_keys_name_what_a_record_publishes() -> None:
    record = rec(
        "a",
        isbns=[isbn(SET, "set"), isbn(VOL1), isbn(VOL2, cancelled=True)],
        issns=(parse_issn("0028-0836"),),
        oclc_numbers=("0042",),
        lccn="85000002",
    )
    assert link_keys(record) == ("isbn:9780306406157", "oclc:42", "lccn:85000002")
    assert link_keys(rec("b")) == ("key:originofspecies|darwin|1859|",)
    assert link_keys(rec("c", error="unreadable")) == ()


# --- what an entry shows ---------------------------------------------------------------------

MARC = Original("usmarc", "1.2.840.10003.5.10", b"")


def _three_catalogues() -> Merger:
    loc = rec(
        "loc",
        "The origin of species",
        nonsort="The ",
        subtitle="by means of natural selection",
        isbns=[isbn(ORIGIN_10)],
        edition="2nd ed.",
        place="London",
        subjects=("Evolution (Biology)", "Natural selection."),
        language="eng",
        physical="ix, 502 p.",
        original=MARC,
        target="LoC",
    )
    k10 = rec(
        "k10",
        "Origin of species",
        isbns=[isbn(ORIGIN_13), isbn(FIRST_ED)],
        edition="2. Aufl.",
        publisher="Murray",
        subjects=("Natural selection",),
        original=MARC,
        target="K10plus",
        position=7,
    )
    oclc = rec(
        "wc",
        "Origin of species",
        isbns=[isbn(FIRST_ED)],
        oclc_numbers=("12345",),
        holdings=(
            Holding(library="Oxford", symbol="OXF", country="GB"),
            Holding(library="Yale", symbol="YUS", country="US", state="CT"),
        ),
        target="WorldCat",
        position=3,
    )
    merger = Merger()
    merger.add_many([loc, k10, oclc])
    return merger


def test_entry_shows_fields_with_their_sources() -> None:
    merger = _three_catalogues()
    [entry] = merger.entries
    assert entry.key == "isbn:9780141439518"  # held by two sources, ORIGIN_13 by two as well
    assert entry.isbns == (ORIGIN_13, "9780141439518")
    # LoC is the most complete MARC record: title, subtitle and authors come from it
    assert entry.best is entry.records[0]
    assert entry.title == "The origin of species"
    assert entry.nonsort == "The "
    assert entry.subtitle == "by means of natural selection"
    assert entry.full_title == "The origin of species: by means of natural selection"
    assert entry.authors == ("Darwin, Charles",)
    assert entry.year == 1859
    assert entry.edition == "2nd ed."
    assert entry.publisher == "Murray"  # only K10plus has one
    assert entry.field_sources["title"] == "LoC"
    assert entry.field_sources["subtitle"] == "LoC"
    assert entry.field_sources["publisher"] == "K10plus"
    assert entry.field_sources["place"] == "LoC"
    assert entry.subjects == ("Evolution (Biology)", "Natural selection")
    assert entry.held_by == ("LoC", "K10plus", "WorldCat")
    assert entry.sources == (("LoC", 1), ("K10plus", 7), ("WorldCat", 3))
    assert entry.holdings["WorldCat"][1].library == "Yale"
    assert entry.holdings["LoC"] == ()
    assert entry.oclc_numbers == ("12345",)
    assert entry.probable is False


def test_entry_says_why_and_what_conflicts() -> None:
    [entry] = _three_catalogues().entries
    assert entry.why == (
        "same ISBN 9780198526636 (LoC, K10plus)",
        "same ISBN 9780141439518 (K10plus, WorldCat)",
    )
    assert entry.conflicts == {"edition": ("2nd ed.", "2. Aufl.")}


def test_same_catalogue_twice_is_counted_in_why() -> None:
    merger = Merger()
    merger.add_many([rec("a", lccn="1"), rec("b", lccn="1"), rec("c", lccn="1", target="K")])
    assert merger.entries[0].why == ("same LCCN 1 (LoC ×2, K)",)


def test_probable_entry() -> None:
    merger = Merger()
    merger.add_many([rec("a", target="Copac"), rec("b", "Origin of species", target="BnF")])
    [entry] = merger.entries
    assert entry.probable is True
    assert entry.key == "key:originofspecies|darwin|1859|"
    assert entry.why == ("probable: same title, author, year and edition (Copac, BnF)",)


def test_year_and_title_conflicts_are_shown() -> None:
    merger = Merger()
    merger.add_many(
        [
            rec("a", isbns=[isbn(ORIGIN_13)], year=1859),
            rec("b", "On the origin of species", isbns=[isbn(ORIGIN_10)], year=1860),
        ]
    )
    conflicts = merger.entries[0].conflicts
    assert conflicts["year"] == ("1859", "1860")
    assert conflicts["title"] == ("The origin of species", "On the origin of species")


def test_set_isbn_held_back_is_explained() -> None:
    merger = Merger()
    merger.add(rec("v1", isbns=[isbn(SET, "set"), isbn(VOL1)], target="LoC"))
    assert merger.entries[0].notes == (
        "set ISBN 9783161484100 not used to merge: LoC's record has an ISBN of its own",
    )
    assert merger.entries[0].isbns == ("9783161484100", "9780306406157")


def test_unreadable_record_is_kept_and_shown_last_choice() -> None:
    good = rec("good", isbns=[isbn(ORIGIN_13)], oclc_numbers=("9",))
    bad = rec("bad", "", oclc_numbers=("9",), error="truncated record", target="Early")
    merger = Merger()
    merger.add_many([bad, good])
    assert groups(merger) == [["bad"], ["good"]]
    assert merger.entries[0].key == "id:1"


def test_to_json_is_plain_json() -> None:
    [entry] = _three_catalogues().entries
    data = json.loads(json.dumps(entry.to_json()))
    assert data["key"] == entry.key
    assert data["isbns"] == list(entry.isbns)
    assert data["title"] == "The origin of species"
    assert data["authors"] == ["Darwin, Charles"]
    assert data["year"] == 1859
    assert data["sources"][1] == {"target": "K10plus", "position": 7, "database": ""}
    assert data["why"] == list(entry.why)
    assert data["conflicts"] == {"edition": ["2nd ed.", "2. Aufl."]}
    assert data["field_sources"]["publisher"] == "K10plus"
    assert data["holdings"]["WorldCat"][0] == {
        "library": "Oxford",
        "symbol": "OXF",
        "country": "GB",
    }
    assert data["probable"] is False


# --- ids and changes -------------------------------------------------------------------------


def test_changes_and_stable_ids_when_a_record_bridges_entries() -> None:
    merger = Merger()
    c1 = merger.add(rec("c", "Origin", oclc_numbers=("4321",), target="WorldCat"))
    c2 = merger.add(rec("other", "Something else", isbns=[isbn(VOL1)]))
    c3 = merger.add(rec("a", isbns=[isbn(ORIGIN_13)]))
    assert [c.kind for c in (c1, c2, c3)] == ["created", "created", "created"]
    assert [c.entry_id for c in (c1, c2, c3)] == [1, 2, 3]
    older = merger.get(1)

    bridge = merger.add(rec("b", isbns=[isbn(ORIGIN_10)], oclc_numbers=("4321",)))
    assert bridge.kind == "merged"
    assert bridge.entry_id == 1  # the oldest entry survives
    assert bridge.absorbed == (3,)
    assert bridge.reason == "same ISBN 9780198526636"
    assert [e.id for e in merger.entries] == [1, 2]
    assert merger.get(3) is older is merger.get(1)
    assert merger.survivor(3) == 1
    assert sorted(label(r) for r in older.records) == ["a", "b", "c"]
    assert [label(r) for r in older.records] == ["c", "a", "b"]  # arrival order

    joined = merger.add(rec("d", isbns=[isbn(VOL1)], target="K10plus"))
    assert (joined.kind, joined.entry_id, joined.absorbed) == ("joined", 2, ())
    with pytest.raises(KeyError):
        merger.get(99)


def test_retired_entry_points_to_its_survivor() -> None:
    merger = Merger()
    merger.add(rec("a", lccn="1"))
    merger.add(rec("b", oclc_numbers=("2",)))
    retired = merger.get(2)
    merger.add(rec("c", lccn="1", oclc_numbers=("2",)))
    assert retired.merged_into == 1
    assert len(retired) == 0
    assert len(merger) == 1


def test_version_changes_and_cached_view_is_refreshed() -> None:
    merger = Merger()
    merger.add(rec("a", lccn="1", target="LoC"))
    entry = merger.get(1)
    before = entry.version
    assert entry.held_by == ("LoC",)
    merger.add(rec("b", lccn="1", target="K10plus"))
    assert entry.version > before
    assert entry.held_by == ("LoC", "K10plus")


def test_memo_is_worked_out_again_only_after_a_change() -> None:
    merger = Merger()
    merger.add(rec("a", lccn="1"))
    entry = merger.get(1)
    calls: list[int] = []

    def count(e: object) -> int:
        calls.append(entry.version)
        return len(entry.records)

    assert entry.memo("n", count) == entry.memo("n", count) == 1
    assert len(calls) == 1
    merger.add(rec("b", lccn="1"))
    assert entry.memo("n", count) == 2
    assert len(calls) == 2


# --- arrival order never changes the grouping ------------------------------------------------

_POOL_ISBNS = [ORIGIN_13, FIRST_ED, SECOND_ED, SET, VOL1, VOL2]


@st.composite
def _records(draw: st.DrawFn) -> list[BibRecord]:
    """Small worlds of records sharing identifiers in every way the rules care about."""
    n = draw(st.integers(min_value=1, max_value=14))
    out = []
    for i in range(n):
        isbns = []
        for raw in draw(st.lists(st.sampled_from(_POOL_ISBNS), max_size=3, unique=True)):
            qualifier = draw(st.sampled_from(["", "", "pbk.", "set", "v. 1-3"]))
            isbns.append(isbn(raw, qualifier, cancelled=draw(st.booleans()) and not i % 3))
        out.append(
            rec(
                f"r{i}",
                draw(st.sampled_from(["Origin of species", "The origin of species", "History"])),
                isbns=isbns,
                author=draw(st.sampled_from(["Darwin, Charles", "Darwin, C.", ""])),
                year=draw(st.sampled_from([1859, 1860, None])),
                edition=draw(st.sampled_from(["", "2nd ed.", "2. Aufl."])),
                oclc_numbers=tuple(draw(st.lists(st.sampled_from(["1", "2"]), max_size=1))),
                lccn=draw(st.sampled_from(["", "", "", "85000002"])),
                issns=tuple(
                    draw(st.lists(st.just(Issn("0028-0836", "0028-0836", True)), max_size=1))
                ),
                target=draw(st.sampled_from(["LoC", "K10plus", "Copac", "WorldCat"])),
                error=draw(st.sampled_from([None] * 9 + ["unreadable"])),
            )
        )
    return out


def _components(records: list[BibRecord]) -> list[list[str]]:
    """The reference answer by brute force: records linked when they share any link key."""
    keys = [set(link_keys(r)) for r in records]
    seen: set[int] = set()
    found = []
    for start in range(len(records)):
        if start in seen:
            continue
        todo, group = [start], []
        seen.add(start)
        while todo:
            i = todo.pop()
            group.append(label(records[i]))
            for j in range(len(records)):
                if j not in seen and keys[i] & keys[j]:
                    seen.add(j)
                    todo.append(j)
        found.append(sorted(group))
    return sorted(found)


def _unordered(why: str) -> tuple[str, list[str]]:
    """A reason with its catalogues in any order (they are listed in arrival order)."""
    reason, _, names = why.rpartition(" (")
    return reason, sorted(names.rstrip(")").split(", "))


@settings(max_examples=200, deadline=None)
@given(data=st.data(), records=_records())
def test_grouping_does_not_depend_on_arrival_order(
    data: st.DataObject, records: list[BibRecord]
) -> None:
    batch = Merger()
    batch.add_many(records)
    shuffled = data.draw(st.permutations(records))
    one_by_one = Merger()
    changes = [one_by_one.add(r) for r in shuffled]

    assert groups(batch) == groups(one_by_one) == _components(records)
    by_members = {tuple(sorted(map(label, e.records))): e for e in batch.entries}
    for e in one_by_one.entries:
        twin = by_members[tuple(sorted(map(label, e.records)))]
        assert e.key == twin.key or e.key.startswith("id:") == twin.key.startswith("id:")
        assert e.probable == twin.probable
        assert sorted(map(_unordered, e.why)) == sorted(map(_unordered, twin.why))
        assert set(e.isbns) == set(twin.isbns)
    # replaying the changes gives the live ids
    live: set[int] = set()
    for c in changes:
        live -= set(c.absorbed)
        live.add(c.entry_id)
    assert live == {e.id for e in one_by_one.entries}


# --- the generated corpus: the merge against its ground truth --------------------------------


def _read_catalogues(catalogues: dict[str, list[PymarcRecord]]) -> list[BibRecord]:
    """Every corpus record as the engine reads it off the wire (USMARC), interleaved by
    position as the catalogues would answer."""
    read = []
    for name, records in catalogues.items():
        for position, record in enumerate(records, start=1):
            read.append(read_record(USMARC, record.as_marc(), target=name, position=position))
    read.sort(key=lambda r: (r.position, r.target))
    return read


def _controls(catalogues: dict[str, list[PymarcRecord]]) -> dict[tuple[str, int], str]:
    return {
        (name, position): "".join(str(f.data) for f in record.get_fields("001"))
        for name, records in catalogues.items()
        for position, record in enumerate(records, start=1)
    }


def _grouping(
    merger: Merger, controls: dict[tuple[str, int], str]
) -> list[frozenset[tuple[str, str]]]:
    found = [
        frozenset((r.target, controls[(r.target, r.position or 0)]) for r in e.records)
        for e in merger.entries
    ]
    return sorted(found, key=lambda g: (-len(g), sorted(g)))


@pytest.mark.parametrize("which", ["styles", "books"])
def test_corpus_merges_exactly_as_its_ground_truth(which: str) -> None:
    catalogues = style_sets() if which == "styles" else {"books": corpus()}
    records = _read_catalogues(catalogues)
    assert not [r.error for r in records if r.error]
    controls = _controls(catalogues)
    truth = expected_groups(catalogues)
    for order in (records, records[::-1], sorted(records, key=lambda r: r.title)):
        merger = Merger()
        merger.add_many(order)
        assert _grouping(merger, controls) == truth


def test_corpus_entries_explain_themselves() -> None:
    sets = style_sets()
    merger = Merger()
    merger.add_many(_read_catalogues(sets))
    entries = merger.entries
    probable = [e for e in entries if e.probable]
    # the only probable merges are the works without any identifier held by two catalogues
    assert probable and all(not e.isbns and not e.oclc_numbers for e in probable)
    assert all(e.why[0].startswith("probable: same title") for e in probable)
    three = [e for e in entries if len(e.held_by) == 3]
    assert three and all(e.why for e in three)
    assert all(set(e.held_by) == {"copac", "gbv", "oclc"} for e in three)
    # the same ISBN with its edition written three ways merges, and says so
    [edition] = [e for e in entries if len(e.conflicts.get("edition", ())) == 3]
    assert sorted(edition.conflicts["edition"]) == ["2. ed.", "2nd ed.", "Second edition"]
    assert set(edition.held_by) == {"copac", "gbv", "oclc"}
