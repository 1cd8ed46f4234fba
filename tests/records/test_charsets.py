"""MARC-8 and UTF-8 records, honest and lying: the bytes come from YAZ, never our own encoder."""

from __future__ import annotations

import unicodedata

import pytest

from app.records import BibRecord, read_record
from tests.records.helpers import (
    USMARC,
    df,
    iso,
    raw_record,
    subfields,
    to_marc8,
    yaz_iconv,
    yaz_marcdump,
)

NAMES = ["Müller, Hans", "Dvořák, Antonín", "Ørsted, Hans Christian", "Straße, Günther"]
TITLE = "Café naïve: über Ærø"
RUSSIAN = "Толстой, Лев Николаевич"
RUSSIAN_TITLE = "Война и мир"
JAPANESE = "東京大学出版会"


def utf8_record(form: str = "NFC") -> bytes:
    """The test record in UTF-8; NFD is what yaz needs to write every accent in MARC-8
    (it drops composed letters MARC-8 lacks, such as ř)."""

    def text(value: str) -> str:
        return unicodedata.normalize(form, value)

    return iso(
        df("100", "1 ", ("a", text(NAMES[0]))),
        df("245", "10", ("a", text(TITLE))),
        *[df("700", "1 ", ("a", text(n))) for n in NAMES[1:]],
        df("700", "1 ", ("a", RUSSIAN)),
        df("246", "1 ", ("a", RUSSIAN_TITLE)),
        df("264", " 1", ("a", "Tokyo :"), ("b", JAPANESE), ("c", "2001.")),
    )


def marc8_record() -> bytes:
    return to_marc8(utf8_record("NFD"))


def assert_text(rec: BibRecord) -> None:
    assert rec.error is None, rec.error
    assert rec.title == TITLE
    assert [n.name for n in rec.names] == [*NAMES, RUSSIAN]
    assert rec.publisher == JAPANESE
    for text in (rec.title, rec.publisher, *(n.name for n in rec.names)):
        assert unicodedata.is_normalized("NFC", text)


def set_leader09(data: bytes, value: bytes) -> bytes:
    return data[:9] + value + data[10:]


def test_yaz_marc8_bytes_put_combining_marks_before_the_base_letter() -> None:
    marc8 = marc8_record()
    assert marc8[9:10] == b" "
    assert b"M\xe8uller" in marc8  # umlaut (0xE8) before its u
    assert b"\x1b(N" in marc8  # Cyrillic escape
    assert b"\x1b$1" in marc8  # CJK (EACC) escape


def test_marc8_record_reads_to_nfc_unicode() -> None:
    rec = read_record(USMARC, marc8_record())
    assert_text(rec)
    assert rec.warnings == ()
    assert rec.title != unicodedata.normalize("NFD", TITLE)


def test_utf8_record_reads_without_warnings() -> None:
    rec = read_record(USMARC, utf8_record())
    assert_text(rec)
    assert rec.warnings == ()


def test_decomposed_utf8_comes_out_composed() -> None:
    nfd = iso(df("245", "10", ("a", unicodedata.normalize("NFD", TITLE))))
    assert read_record(USMARC, nfd).title == TITLE


def test_utf8_bytes_claiming_marc8_are_read_as_utf8_with_a_warning() -> None:
    lying = set_leader09(utf8_record(), b" ")
    rec = read_record(USMARC, lying)
    assert_text(rec)
    assert rec.warnings == (
        "leader/09 says MARC-8 but the bytes are UTF-8; read as UTF-8",
    )


def test_marc8_bytes_claiming_utf8_are_read_as_marc8_with_a_warning() -> None:
    lying = set_leader09(marc8_record(), b"a")
    rec = read_record(USMARC, lying)
    assert_text(rec)
    assert rec.warnings == ("leader/09 says UTF-8 but the bytes are MARC-8; read as MARC-8",)


def test_marc8_latin_only_claiming_utf8_is_still_marc8() -> None:
    """No escape sequences to give it away: only accents before their letters."""
    nfd = [unicodedata.normalize("NFD", t) for t in (NAMES[1], TITLE)]
    latin = iso(df("100", "1 ", ("a", nfd[0])), df("245", "10", ("a", nfd[1])))
    lying = set_leader09(to_marc8(latin), b"a")
    assert b"\x1b" not in lying
    rec = read_record(USMARC, lying)
    assert (rec.title, rec.names[0].name) == (TITLE, NAMES[1])
    assert "the bytes are MARC-8" in rec.warnings[0]


def test_latin1_bytes_claiming_utf8_are_read_as_latin1() -> None:
    """What a GBV ".iso8859-1" database sends with leader/09 still saying UTF-8."""
    text = "Müller, Jürgen"
    data = raw_record(
        "00000nam a2200000 a 4500",
        [("100", subfields("1 ", ("a", text.encode("latin-1")))),
         ("245", subfields("10", ("a", "Grüße aus Köln".encode("latin-1"))))],
    )
    rec = read_record(USMARC, data)
    assert (rec.names[0].name, rec.title) == (text, "Grüße aus Köln")
    assert rec.warnings == (
        "leader/09 says UTF-8 but the bytes are ISO 8859-1 (Latin-1); read as ISO 8859-1 "
        "(Latin-1)",
    )


@pytest.mark.parametrize("leader09", [b" ", b"a"])
def test_nsb_nse_marc8_bytes_give_the_nonsort_part(leader09: bytes) -> None:
    title = b"\x88The \x89Caf" + yaz_iconv("é", "marc8") + b" of Z\xe8urich"
    data = raw_record("00000nam " + leader09.decode() + "2200000 a 4500",
                      [("245", subfields("10", ("a", title)))])
    rec = read_record(USMARC, data)
    assert (rec.title, rec.nonsort) == ("The Café of Zürich", "The ")


def test_nsb_nse_in_utf8() -> None:
    rec = read_record(USMARC, iso(df("245", "10", ("a", "\u0088Les \u0089Misérables"))))
    assert (rec.title, rec.nonsort) == ("Les Misérables", "Les ")


def test_marc8_lossless_character_references_come_back() -> None:
    utf8 = iso(df("245", "10", ("a", "\u0088The \u0089smile 😀 of ŉ")))
    lossless = yaz_marcdump(utf8, "-f", "UTF-8", "-t", "marc8lossless", "-l", "9=32", "-o",
                            "marc")
    assert b"&#x" in lossless
    rec = read_record(USMARC, lossless)
    assert (rec.title, rec.nonsort) == ("The smile 😀 of ŉ", "The ")


def test_marc8_escape_state_carries_across_subfields() -> None:
    """Some MARC-8 writers switch to Cyrillic once for a whole field."""
    war, peace = yaz_iconv("Война", "marc8"), yaz_iconv("мир", "marc8")
    assert war.startswith(b"\x1b(N") and war.endswith(b"\x1b(B")
    first = war.removesuffix(b"\x1b(B")  # Cyrillic stays in force...
    second = peace.removeprefix(b"\x1b(N")  # ...into the next subfield
    data = raw_record("00000nam  2200000 a 4500",
                      [("245", subfields("10", ("a", first), ("b", second)))])
    rec = read_record(USMARC, data)
    assert (rec.title, rec.subtitle) == ("Война", "мир")


def latin1_record(leader09: str) -> bytes:
    return raw_record(
        f"00000nam {leader09}2200000 a 4500",
        [("245", subfields("10", ("a", "Grüße aus Köln".encode("latin-1"))))],
    )


def test_profile_charset_reads_a_blank_leader_record() -> None:
    """A GBV ".iso8859-1" database: leader/09 blank means "not Unicode", the profile says what."""
    told = read_record(USMARC, latin1_record(" "), charset="ISO-8859-1")
    assert (told.title, told.warnings) == ("Grüße aus Köln", ())
    untold = read_record(USMARC, latin1_record(" "))
    assert untold.title != "Grüße aus Köln"  # taken for MARC-8, as leader/09 says


def test_profile_charset_is_preferred_when_leader_09_is_proven_wrong() -> None:
    rec = read_record(USMARC, latin1_record("a"), charset="latin-1")
    assert rec.title == "Grüße aus Köln"
    assert rec.warnings == (
        "leader/09 says UTF-8 but the bytes are ISO 8859-1 (Latin-1); read as ISO 8859-1 "
        "(Latin-1)",
    )


def test_profile_charset_never_overrides_proof() -> None:
    rec = read_record(USMARC, set_leader09(utf8_record(), b" "), charset="latin-1")
    assert_text(rec)
    assert rec.warnings == (
        "the target's profile says ISO 8859-1 (Latin-1) but the bytes are UTF-8; read as UTF-8",
    )


def test_profile_charset_for_text_records() -> None:
    text = "Title: Grüße\n".encode("latin-1")
    rec = read_record("1.2.840.10003.5.101", text, charset="latin1")
    assert (rec.title, rec.warnings) == ("Grüße", ())
