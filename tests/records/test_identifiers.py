"""ISBN, ISSN, LCCN and OCLC numbers as catalogues write them, checked and normalised."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import isbn as stdnum_isbn

from app.records.identifiers import (
    find_isbns,
    find_issns,
    normalize_isbn,
    normalize_issn,
    normalize_lccn,
    normalize_oclc,
    parse_isbn,
    parse_issn,
    sort_identifiers,
)


@pytest.mark.parametrize(
    ("raw", "value", "valid", "qualifier"),
    [
        ("0-19-852663-6 (pbk.)", "9780198526636", True, "pbk."),
        ("0198526636", "9780198526636", True, ""),
        ("9780198526636 : £20.00", "9780198526636", True, ""),
        ("978-0-19-852663-6", "9780198526636", True, ""),
        ("ISBN 0 19 852663 6", "9780198526636", True, ""),
        ("080442957X (set)", "9780804429573", True, "set"),  # ISBN-10 with check digit X
        ("0-8044-2957-x", "9780804429573", True, ""),
        ("0804429570", "0804429570", False, ""),  # the same number with a wrong check digit
        ("0306406152", "9780306406157", True, ""),
        ("979-10-90636-07-1", "9791090636071", True, ""),  # 979: no ISBN-10 form
        ("0198526637", "0198526637", False, ""),  # wrong check digit, kept as found
        ("3-16-148410-X (v. 2 : alk. paper)", "9783161484100", True, "v. 2 : alk. paper"),
        ("0-19-852663-6 pbk.", "9780198526636", True, "pbk."),
        ("9780198526636 (hbk) (alk. paper)", "9780198526636", True, "hbk; alk. paper"),
    ],
)
def test_isbn_as_written(raw: str, value: str, valid: bool, qualifier: str) -> None:
    isbn = parse_isbn(raw)
    assert isbn is not None
    assert (isbn.value, isbn.valid, isbn.qualifier) == (value, valid, qualifier)
    assert isbn.raw == raw


def test_isbn10_and_isbn13_of_one_book_normalise_alike() -> None:
    assert normalize_isbn("0-19-852663-6") == normalize_isbn("978-0-19-852663-6")
    assert normalize_isbn("0-19-852663-7") is None


def test_separate_qualifier_wins_and_cancelled_is_marked() -> None:
    isbn = parse_isbn("0198526636 (hbk.)", qualifier="(pbk.)", cancelled=True)
    assert isbn is not None
    assert isbn.qualifier == "pbk."
    assert isbn.cancelled and isbn.valid


def test_text_without_number_is_not_an_isbn() -> None:
    assert parse_isbn("pbk.") is None
    assert parse_isbn("") is None


@given(st.integers(min_value=0, max_value=999_999_999))
def test_every_isbn10_becomes_its_isbn13(body: int) -> None:
    digits = f"{body:09d}"
    check = (11 - sum((10 - i) * int(d) for i, d in enumerate(digits)) % 11) % 11
    isbn10 = digits + ("X" if check == 10 else str(check))
    parsed = parse_isbn(isbn10)
    assert parsed is not None and parsed.valid
    assert parsed.value == stdnum_isbn.to_isbn13(isbn10)
    assert parsed.value.startswith("978") and len(parsed.value) == 13


def test_find_isbns_in_a_list() -> None:
    found = find_isbns("0198526636 (pbk.); 978-0-306-40615-7 : £20.00, 0198526637")
    assert [(i.value, i.valid, i.qualifier) for i in found] == [
        ("9780198526636", True, "pbk."),
        ("9780306406157", True, ""),
        ("0198526637", False, ""),
    ]


@pytest.mark.parametrize(
    ("raw", "value", "valid"),
    [
        ("0028-0836", "0028-0836", True),
        ("00280836", "0028-0836", True),
        ("1476-4687 (Online)", "1476-4687", True),
        ("0028-0837", "0028-0837", False),
        ("2049-3630", "2049-3630", True),
        ("0317-8471", "0317-8471", True),
        ("1050-124X", "1050-124X", True),
    ],
)
def test_issn(raw: str, value: str, valid: bool) -> None:
    issn = parse_issn(raw)
    assert issn is not None
    assert (issn.value, issn.valid, issn.kind) == (value, valid, "issn")


def test_issn_kinds_and_helpers() -> None:
    linking = parse_issn("0028-0836", "linking")
    assert linking is not None and linking.kind == "linking"
    assert normalize_issn("ISSN 00280836") == "0028-0836"
    assert normalize_issn("0028-0837") is None
    assert [i.value for i in find_issns("0028-0836; 1476-4687")] == ["0028-0836", "1476-4687"]


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        # the examples of the Library of Congress normalisation rule
        ("n78-890351", "n78890351"),
        ("n78-89035", "n78089035"),
        ("n 78890351 ", "n78890351"),
        (" 85000002 ", "85000002"),
        ("85-2 ", "85000002"),
        ("2001-000002", "2001000002"),
        ("75-425165//r75", "75425165"),
        (" 79139101 /AC/r932", "79139101"),
        ("   11224466 ", "11224466"),
    ],
)
def test_lccn(raw: str, normalised: str) -> None:
    assert normalize_lccn(raw) == normalised


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("(OCoLC)ocm12345", "12345"),
        ("(OCoLC)ocn123456789", "123456789"),
        ("(OCoLC)on1234567890", "1234567890"),
        ("(OCoLC)00012345", "12345"),
        ("ocm00012345 ", "12345"),
        ("12345", "12345"),
        ("(OCoLC)", None),
        ("(OCoLC)12345abc", None),
    ],
)
def test_oclc(raw: str, digits: str | None) -> None:
    assert normalize_oclc(raw) == digits


def test_sort_identifiers_tells_kinds_apart() -> None:
    found = sort_identifiers(
        [
            "ISBN 0198526636",
            "urn:ISBN:978-0-306-40615-7",
            "info:oclcnum/12345",
            "(OCoLC)ocm777",
            "LCCN: 85-2",
            "https://example.org/book",
            "0028-0836",
            "doi:10.1000/182",
            "ISSN: 1476-4687; OCLC: 999",
            "local-17",
        ]
    )
    assert [i.value for i in found.isbns] == ["9780198526636", "9780306406157"]
    assert [i.value for i in found.issns] == ["0028-0836", "1476-4687"]
    assert found.oclc_numbers == ["12345", "777", "999"]
    assert found.lccns == ["85000002"]
    assert found.urls == ["https://example.org/book"]
    assert found.other == [("doi", "10.1000/182"), ("", "local-17")]


@given(
    st.sampled_from(["978", "979", "977", "123"]),
    st.text(alphabet="0123456789", min_size=10, max_size=10),
)
def test_isbn13_check_agrees_with_stdnum_validate(prefix: str, rest: str) -> None:
    """The bare-digits shortcut for ISBN-13 says what stdnum's full validate says."""
    digits = prefix + rest
    found = parse_isbn(digits)
    assert found is not None
    assert found.valid == stdnum_isbn.is_valid(digits)
    assert found.value == digits
