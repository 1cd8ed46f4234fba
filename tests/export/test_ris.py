"""RIS, judged by rispy: every hostile record parses, and its key fields come back."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.export import export
from app.export.ris import ris_entry
from app.records.model import BibRecord, Holding, Name
from tests.export import expect
from tests.export.corpus import CASES, DARWIN, hostile
from tests.export.judges import rispy_records

LINE = re.compile(r"^[A-Z][A-Z0-9]  - \S.*$")


def _ris(records: list[BibRecord]) -> bytes:
    result = export(records, "ris")
    assert result.problems == ()
    return result.data


def test_hostile_corpus_parses_in_rispy_with_the_same_count() -> None:
    records = hostile()
    parsed = rispy_records(_ris(records))
    assert len(parsed) == len(records)
    for record, back in zip(records, parsed, strict=True):
        assert back.get("title", "") == expect.title(record)
        assert back.get("authors", []) == expect.author_names(record)
        assert back.get("year") == (f"{record.year:04d}" if record.year is not None else None)
        isbns = [i.value for i in record.isbns if i.valid and not i.cancelled]
        assert [n for n in back.get("issn", []) if n in isbns] == isbns


def test_every_line_is_one_tag_and_one_value() -> None:
    text = _ris(hostile()).decode("utf-8")
    assert not text.startswith("\ufeff")
    references = text.split("ER  - \r\n\r\n")
    assert references[-1] == ""
    for reference in references[:-1]:
        lines = reference.split("\r\n")
        assert lines[0].startswith("TY  - ")
        assert lines[-1] == ""
        for line in lines[:-1]:
            assert LINE.match(line), repr(line)
            assert "\n" not in line and "\r" not in line and "\t" not in line


@pytest.mark.parametrize(
    ("case", "ty"),
    [
        ("darwin", "BOOK"), ("article", "JOUR"), ("chapter", "CHAP"), ("phd_thesis", "THES"),
        ("map", "MAP"), ("music", "MUSIC"), ("sound", "SOUND"), ("video", "VIDEO"),
        ("image", "ART"), ("electronic", "ELEC"), ("manuscript", "MANSCPT"),
        ("proceedings", "CONF"), ("report", "RPRT"), ("serial", "SER"), ("other", "GEN"),
    ],
)  # fmt: skip
def test_type_of_reference_follows_the_material(case: str, ty: str) -> None:
    assert ris_entry(CASES[case]).splitlines()[0] == f"TY  - {ty}"


def _tags(record: BibRecord) -> list[tuple[str, str]]:
    return [(line[:2], line[6:]) for line in ris_entry(record).splitlines() if line]


def test_a_book_carries_every_field_it_has() -> None:
    tags = _tags(DARWIN)
    assert ("AU", "Darwin, Charles") in tags
    assert ("TI", "The origin of species: by means of natural selection") in tags
    assert ("PY", "1859") in tags
    assert ("PB", "John Murray") in tags and ("CY", "London") in tags
    assert ("ET", "1st ed.") in tags
    # every ISBN a citation may use, one SN line each; the cancelled 020 $z is left out
    assert [v for t, v in tags if t == "SN"] == ["9780198526636", "9780140432053", "0198526630"]
    assert [v for t, v in tags if t == "KW"] == list(DARWIN.subjects)
    assert ("UR", "https://doi.org/10.5962/bhl.title.68064") in tags
    assert ("DO", "10.5962/bhl.title.68064") in tags
    assert ("CN", "QH365 .O2 1859") in tags
    assert ("LA", "English") in tags and ("DP", "LoC") in tags
    assert tags[-1] == ("ER", "")
    # empty fields are never written
    assert all(value for tag, value in tags if tag != "ER")


def test_article_takes_journal_volume_issue_and_pages_from_the_host() -> None:
    tags = dict(_tags(CASES["article"]))
    assert tags["T2"] == "Nature"
    assert (tags["VL"], tags["IS"], tags["SP"], tags["EP"]) == ("171", "4356", "737", "738")
    assert tags["SN"] == "0028-0836"
    assert tags["DA"] == "1953/04/25/"


def test_editors_are_ed_and_translators_a4() -> None:
    record = BibRecord(
        title="T",
        names=(
            Name("Author, A."),
            Name("Editor, E.", role="editor"),
            Name("Translator, T.", role="translator"),
            Name("Illustrator, I.", role="illustrator"),
        ),
    )
    tags = _tags(record)
    assert ("AU", "Author, A.") in tags and ("ED", "Editor, E.") in tags
    assert ("A4", "Translator, T.") in tags
    assert not any(v == "Illustrator, I." for _, v in tags)


def test_a_date_as_printed_goes_into_the_other_part_of_da() -> None:
    tags = dict(_tags(CASES["weird_year"]))
    assert tags["PY"] == "0850"
    assert tags["DA"] == "0850///[850?]"


def test_line_breaks_and_tabs_collapse_inside_a_value() -> None:
    tags = _tags(CASES["line_breaks"])
    assert ("TI", "A title broken over three lines") in tags
    assert ("N1", "line one line two indented vertical form nel ls ps") in tags
    assert ("AB", "para 1 para 2 tabbed") in tags


def test_thesis_names_degree_and_university() -> None:
    tags = dict(_tags(CASES["phd_thesis"]))
    assert tags["M3"] == "Doctoral thesis"
    assert tags["PB"] == "University of Oxford"


def test_every_call_number_of_the_holdings() -> None:
    record = BibRecord(
        title="T",
        holdings=(Holding(call_number="QA76 .A1"), Holding(call_number="QA76 .A1"),
                  Holding(call_number="004 ABC")),
    )  # fmt: skip
    assert [v for t, v in _tags(record) if t == "CN"] == ["QA76 .A1", "004 ABC"]


@given(st.text(max_size=60), st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_any_text_is_one_value_rispy_reads_back(title: str, note: str) -> None:
    record = BibRecord(title=title, names=(Name(note),), notes=(note, title))
    (back,) = rispy_records(_ris([record]))
    assert back.get("title", "") == expect.flat(title)
    assert back.get("notes", []) == [n for n in (expect.flat(note), expect.flat(title)) if n]
