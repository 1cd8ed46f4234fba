"""The shared views every citation format uses: names, pages, dates, theses, editions."""

from __future__ import annotations

import pytest

from app.export import fields
from app.records.model import BibRecord, HostItem, Isbn, Issn, Link


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Darwin, Charles", ("Darwin", "Charles", "")),
        ("King, Martin Luther, Jr.", ("King", "Martin Luther", "Jr.")),
        ("Henry, VIII, King of England", ("Henry", "VIII King of England", "")),
        ("Gates, Bill, III", ("Gates", "Bill", "III")),
        ("Plato", ("Plato", "", "")),
        ("Charles Darwin", ("Charles Darwin", "", "")),
        ("  Smith ,  John  ", ("Smith", "John", "")),
        (",", ("", "", "")),
    ],
)
def test_split_person(name: str, parts: tuple[str, str, str]) -> None:
    assert fields.split_person(name) == parts


@pytest.mark.parametrize(
    ("pages", "parts"),
    [
        ("425-431", ("425", "431")), ("p. 425-431", ("425", "431")), ("pp. 11–42.", ("11", "42")),
        ("S. 3 - 9", ("3", "9")), ("425", ("425", "")), ("xii-xv", ("xii", "xv")),
        ("various pagings", ("various pagings", "")), ("", ("", "")),
    ],
)  # fmt: skip
def test_page_range(pages: str, parts: tuple[str, str]) -> None:
    assert fields.page_range(pages) == parts


@pytest.mark.parametrize(
    ("year", "date", "parts"),
    [
        (1953, "1953-04-25", [1953, 4, 25]), (1953, "1953-04", [1953, 4]),
        (1953, "19530425", [1953, 4, 25]), (1953, "c1953", [1953]), (1953, "1954-01-01", [1953]),
        (1953, "1953-13-01", [1953]), (None, "1953", []),
    ],
)  # fmt: skip
def test_date_parts(year: int | None, date: str, parts: list[int]) -> None:
    assert fields.date_parts(BibRecord(year=year, date=date)) == parts


@pytest.mark.parametrize(
    ("note", "degree", "school"),
    [
        ("Thesis (Ph. D.)--University of Oxford, 1990.", "phd", "University of Oxford"),
        ("Thesis (M.A.)--University of Leeds, 2001.", "masters", "University of Leeds"),
        ("Diss., Univ. Hamburg, 2001", "phd", "Univ. Hamburg"),
        ("Dissertation, Universität Wien, 1999", "phd", "Universität Wien"),
        ("Diplomarbeit, TU München, 2004", "masters", "TU München"),
        ("Thèse de doctorat : Histoire : Paris 1 : 2010", "phd", ""),
        ("Thesis (MSc)--Imperial College London", "masters", "Imperial College London"),
        ("Thesis", "", ""),
        ("Includes index.", "", ""),
    ],
)
def test_thesis_degree_and_school(note: str, degree: str, school: str) -> None:
    record = BibRecord(notes=("Includes bibliographical references.", note), material="thesis")
    assert fields.thesis_degree(record) == degree
    assert fields.thesis_school(record) == school


@pytest.mark.parametrize(
    ("edition", "number"),
    [("2nd ed.", "2"), ("2. Aufl.", "2"), ("3e éd.", "3"), ("1st edition", "1"),
     ("Rev. ed.", "Rev. ed."), ("2nd ed., rev. and enl.", "2nd ed., rev. and enl."), ("", "")],
)  # fmt: skip
def test_edition_number(edition: str, number: str) -> None:
    assert fields.edition_number(edition) == number


def test_citable_isbns_and_issns() -> None:
    record = BibRecord(
        isbns=(
            Isbn("9780198526636", "0198526636", True),
            Isbn("9780198526636", "978-0-19-852663-6", True),  # the same book twice
            Isbn("12345", "12345 (pbk.)", False),
            Isbn("9780140432053", "9780140432053", True, cancelled=True),
        ),
        issns=(
            Issn("0028-0836", "0028-0836", True),
            Issn("1476-4687", "1476-4687", True, "linking"),
            Issn("1234-5678", "1234-5678", False, "incorrect"),
        ),
        host=HostItem(title="Nature", issn="0028-0836", isbn="9780000000002"),
    )
    assert fields.citable_isbns(record) == ["9780198526636", "12345 (pbk.)"]
    assert fields.citable_issns(record) == ["0028-0836", "1476-4687"]
    assert fields.citable_isbns(BibRecord(host=HostItem(isbn="9780000000002"))) == ["9780000000002"]


def test_one_line_and_doi() -> None:
    assert fields.one_line(" a\tb\r\nc\x00d\x1b e\u2028f ") == "a b cd e f"
    assert fields.one_line("Cafe\u0301") == "Café"
    record = BibRecord(urls=(Link("http://example.org"), Link("https://dx.doi.org/10.1000/182")))
    assert fields.doi(record) == "10.1000/182"
