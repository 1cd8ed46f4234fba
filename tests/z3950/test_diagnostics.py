"""The Bib-1 table, plain words for librarians, DiagnosticError, and OID names."""

from __future__ import annotations

import pytest

from app.errors import PolycatError
from app.z3950 import Diagnostic, DiagnosticError, oids
from app.z3950.diagnostics import BIB1, PLAIN_WORDS, describe, explain


def test_the_table_is_the_whole_bib1_set() -> None:
    assert len(BIB1) == 176
    assert set(range(1, 34)) <= set(BIB1)
    assert set(range(100, 133)) <= set(BIB1) and set(range(205, 248)) <= set(BIB1)
    assert set(range(1001, 1030)) <= set(BIB1) and set(range(1040, 1075)) <= set(BIB1)
    assert all(text and text == text.strip() for text in BIB1.values())


@pytest.mark.parametrize(
    ("code", "standard"),
    [
        (1, "Permanent system error"),
        (13, "Present request out of range"),
        (109, "Database unavailable"),
        (114, "Unsupported Use attribute"),
        (235, "Database does not exist"),
        (239, "Record syntax not supported"),
        (1011, "Init/AC: Bad Userid and/or Password"),
        (1074, "Proxy failure"),
    ],
)
def test_standard_texts(code: int, standard: str) -> None:
    assert describe(code) == standard
    assert Diagnostic(code).message == standard


def test_plain_words_for_what_librarians_meet() -> None:
    assert explain(235) == "Database does not exist"
    assert explain(1011) == "Login refused: wrong user name or password"
    assert explain(1012).startswith("Login refused")
    assert explain(114).startswith("The catalogue cannot search this field")
    assert set(PLAIN_WORDS) <= set(BIB1)
    assert explain(221) == describe(221)  # no plain words: the standard's text


def test_unknown_codes_and_other_sets_never_raise() -> None:
    assert describe(9999) == "Unknown Bib-1 diagnostic 9999"
    assert describe(5, "1.2.3") == "Diagnostic 5 from diagnostic set 1.2.3"
    assert describe(1011, oids.DIAG1) == BIB1[1011]  # diag-1 carries Bib-1 codes


def test_diagnostic_error_carries_code_addinfo_set_message() -> None:
    error = DiagnosticError(235, "Nowhere", target="ztest")
    assert isinstance(error, PolycatError)
    assert (error.code, error.addinfo) == (235, "Nowhere")
    assert error.diagnostic_set == oids.BIB1_DIAGNOSTICS
    assert error.target == "ztest"
    assert error.message == "Database does not exist"
    assert str(error) == "Database does not exist (Nowhere)"
    assert error.detail == (
        "diagnostic 235 [1.2.840.10003.4.1]: Database does not exist; addinfo 'Nowhere'; from ztest"
    )
    same = DiagnosticError.from_diagnostic(Diagnostic(1011, "alice"))
    assert same.message == "Login refused: wrong user name or password"
    assert same.addinfo == "alice"


@pytest.mark.parametrize(
    ("name", "oid"),
    [
        ("usmarc", "1.2.840.10003.5.10"),
        ("MARC21", "1.2.840.10003.5.10"),
        ("unimarc", "1.2.840.10003.5.1"),
        ("ukmarc", "1.2.840.10003.5.11"),
        ("intermarc", "1.2.840.10003.5.2"),
        ("danmarc", "1.2.840.10003.5.14"),
        ("pica", "1.2.840.10003.5.19"),
        ("mab", "1.2.840.10003.5.16"),
        ("sutrs", "1.2.840.10003.5.101"),
        ("opac", "1.2.840.10003.5.102"),
        ("grs-1", "1.2.840.10003.5.105"),
        ("xml", "1.2.840.10003.5.109.10"),
        ("marcxml", "1.2.840.10003.5.109.10"),
        ("application-xml", "1.2.840.10003.5.109.11"),
        ("explain", "1.2.840.10003.5.100"),
        ("summary", "1.2.840.10003.5.103"),
        ("turbomarc", "1.2.840.10003.5.109.10.1.1"),
        ("picaxml", "1.2.840.10003.5.109.10.1.0"),
        ("1.2.840.10003.5.999", "1.2.840.10003.5.999"),
    ],
)
def test_record_syntax_names(name: str, oid: str) -> None:
    assert oids.record_syntax_oid(name) == oid


def test_names_back_from_oids() -> None:
    assert oids.record_syntax_name("1.2.840.10003.5.10") == "usmarc"
    assert oids.record_syntax_name("1.2.3") == "1.2.3"
    assert oids.attribute_set_oid("Bib-1") == "1.2.840.10003.3.1"
    assert oids.attribute_set_oid("exp1") == "1.2.840.10003.3.2"
    assert oids.attribute_set_name("1.2.840.10003.3.5") == "gils"
    assert oids.diagnostic_set_name(oids.DIAG1) == "diag-1"


def test_unknown_names_are_a_clear_error() -> None:
    with pytest.raises(oids.UnknownName, match=r"Unknown record syntax 'marc22'.*usmarc"):
        oids.record_syntax_oid("marc22")
    with pytest.raises(oids.UnknownName, match="Unknown attribute set 'bib-9'"):
        oids.attribute_set_oid("bib-9")
