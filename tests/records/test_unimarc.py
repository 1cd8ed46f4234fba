"""UNIMARC in UTF-8 and in ISO 5426 (the ISO 5426 bytes are checked against yaz-iconv)."""

from __future__ import annotations

import unicodedata

import pytest

from app.records import Name, read_bytes, read_record
from tests.records.helpers import (
    UNIMARC,
    df,
    iso,
    raw_record,
    subfields,
    yaz_decode_iso5426,
)

LEADER = "00000nam0 2200000   450 "


def general(charsets: str) -> str:
    """100 $a: entered 2001-01-01, single date 1859, French cataloguing, ``charsets`` 26-29."""
    return f"20010101d1859    u  y0frey{charsets}    ba"


def hugo() -> bytes:
    return iso(
        df("010", "  ", ("a", "2-07-036822-X"), ("b", "br."), ("d", "8 EUR")),
        df("010", "  ", ("z", "2-07-036822-1")),
        df("011", "  ", ("a", "0028-0836"), ("f", "0028-0836")),
        df("035", "  ", ("a", "(OCoLC)ocm98765")),
        df("100", "  ", ("a", general("50  "))),
        df("101", "0 ", ("a", "fre"), ("a", "eng")),
        df("200", "1 ", ("a", "\u0088Les \u0089Misérables"), ("e", "roman"),
           ("f", "Victor Hugo"), ("g", "préface de Jean Dupont"), ("h", "Tome 1"),
           ("i", "Fantine")),
        df("205", "  ", ("a", "Nouvelle éd.")),
        df("210", "  ", ("a", "Paris"), ("c", "Gallimard"), ("d", "1995")),
        df("215", "  ", ("a", "512 p."), ("d", "18 cm")),
        df("225", "2 ", ("a", "Folio"), ("v", "3178")),
        df("300", "  ", ("a", "Texte intégral.")),
        df("330", "  ", ("a", "Le destin de Jean Valjean.")),
        df("600", " 1", ("a", "Valjean"), ("b", "Jean"), ("x", "Romans")),
        df("606", "  ", ("a", "Pauvreté"), ("y", "France"), ("z", "19e siècle"), ("2", "rameau")),
        df("608", "  ", ("a", "Romans")),
        df("610", "0 ", ("a", "misère"), ("a", "justice")),
        df("700", " 1", ("a", "Hugo"), ("b", "Victor"), ("f", "1802-1885"), ("4", "070")),
        df("702", " 1", ("a", "Dupont"), ("b", "Jean"), ("4", "080")),
        df("702", " 1", ("a", "Smith"), ("b", "Anne"), ("4", "730")),
        df("702", " 1", ("a", "Durand"), ("b", "Paul")),
        df("710", "02", ("a", "Bibliothèque nationale de France"), ("b", "Réserve")),
        df("856", "4 ", ("u", "https://gallica.bnf.fr/ark:/12148/bpt6k"), ("z", "Gallica")),
        leader=LEADER,
    )


def test_unimarc_utf8() -> None:
    rec = read_record(UNIMARC, hugo(), target="BnF")
    assert rec.error is None
    assert rec.original is not None and rec.original.syntax == "unimarc"
    assert (rec.title, rec.nonsort, rec.subtitle) == ("Les Misérables", "Les ", "roman")
    assert rec.part == "Tome 1, Fantine"
    assert rec.responsibility == "Victor Hugo ; préface de Jean Dupont"
    assert rec.edition == "Nouvelle éd."
    assert (rec.place, rec.publisher, rec.date, rec.year) == ("Paris", "Gallimard", "1995", 1995)
    assert rec.physical == "512 p. 18 cm"
    assert rec.series == ("Folio ; 3178",)
    assert rec.notes == ("Texte intégral.",)
    assert rec.abstract == "Le destin de Jean Valjean."
    assert rec.subjects == (
        "Valjean, Jean -- Romans",
        "Pauvreté -- France -- 19e siècle",
        "misère",
        "justice",
    )
    assert rec.names == (
        Name("Hugo, Victor", "author", "personal", "1802-1885"),
        Name("Dupont, Jean", "contributor", "personal"),
        Name("Smith, Anne", "translator", "personal"),
        Name("Durand, Paul", "contributor", "personal"),
        Name("Bibliothèque nationale de France. Réserve", "author", "corporate"),
    )
    assert (rec.language, rec.languages) == ("fre", ("fre", "eng"))
    assert rec.valid_isbns == ("9782070368228",)
    assert rec.isbns[0].qualifier == "br."
    assert rec.invalid_isbns == ("2-07-036822-1",)
    assert [(i.value, i.kind) for i in rec.issns] == [("0028-0836", "issn"),
                                                      ("0028-0836", "linking")]
    assert rec.oclc_numbers == ("98765",)
    assert rec.urls[0].url == "https://gallica.bnf.fr/ark:/12148/bpt6k"
    assert rec.material == "book"
    assert rec.warnings == ()


# ISO 5426 bytes written by hand: the diacritic (0xC1-0xCF) before the letter, as the
# standard has it. yaz-iconv is the judge of what they mean.
ISO5426_TITLE = b"Les Mis\xc2erables \xc8a Z\xc8urich, \xc3etre, fa\xd0con, Stra\xfbe, \xf9re"
EXPECTED_TITLE = "Les Misérables ä Zürich, être, façon, Straße, øre"


def iso5426_record(charsets: str = "0103") -> bytes:
    return raw_record(
        LEADER,
        [
            ("100", subfields("  ", ("a", general(charsets).encode()))),
            ("200", subfields("1 ", ("a", ISO5426_TITLE), ("f", b"Fran\xd0cois M\xc8uller"))),
            ("700", subfields(" 1", ("a", b"M\xc8uller"), ("b", b"Fran\xd0cois"))),
        ],
    )


def test_iso5426_table_agrees_with_yaz() -> None:
    assert unicodedata.normalize("NFC", yaz_decode_iso5426(ISO5426_TITLE)) == EXPECTED_TITLE


@pytest.mark.parametrize("byte", [*range(0xA1, 0xC0), *range(0xE0, 0x100)])
def test_every_iso5426_spacing_character_matches_yaz(byte: int) -> None:
    data = raw_record(
        LEADER,
        [("100", subfields("  ", ("a", general("0103").encode()))),
         ("200", subfields("1 ", ("a", b"x" + bytes([byte]) + b"y")))],
    )
    judged = unicodedata.normalize("NFC", yaz_decode_iso5426(b"x" + bytes([byte]) + b"y"))
    title = read_record(UNIMARC, data).title
    if judged == "xy":  # a code ISO 5426 leaves unassigned: we show U+FFFD instead
        assert title == "x\ufffdy"
    else:
        assert title == judged


@pytest.mark.parametrize("byte", range(0xC0, 0xE0))
def test_every_iso5426_diacritic_matches_yaz(byte: int) -> None:
    sample = bytes([byte]) + b"e"
    judged = unicodedata.normalize("NFC", yaz_decode_iso5426(sample))
    data = raw_record(
        LEADER,
        [("100", subfields("  ", ("a", general("0103").encode()))),
         ("200", subfields("1 ", ("a", sample)))],
    )
    title = read_record(UNIMARC, data).title
    assert title == judged or (judged == "e" and title == "\ufffde")


def test_unimarc_iso5426() -> None:
    rec = read_record(UNIMARC, iso5426_record())
    assert rec.title == EXPECTED_TITLE
    assert rec.responsibility == "François Müller"
    assert rec.names == (Name("Müller, François", "author", "personal"),)
    assert rec.warnings == ()


def test_unimarc_declaring_iso5426_but_sending_utf8_is_read_as_utf8() -> None:
    data = raw_record(
        LEADER,
        [("100", subfields("  ", ("a", general("0103").encode()))),
         ("200", subfields("1 ", ("a", "Les Misérables".encode())))],
    )
    rec = read_record(UNIMARC, data)
    assert rec.title == "Les Misérables"
    assert rec.warnings == (
        "UNIMARC 100 $a/26-29 says ISO 5426 but the bytes are UTF-8; read as UTF-8",
    )


def test_unimarc_file_is_told_from_marc21_by_its_shape() -> None:
    marc21 = iso(df("245", "10", ("a", "A MARC 21 record")))
    records = read_bytes(hugo() + marc21 + iso5426_record())
    assert [r.original.syntax for r in records if r.original] == ["unimarc", "usmarc", "unimarc"]
    assert [r.title for r in records] == ["Les Misérables", "A MARC 21 record", EXPECTED_TITLE]


def test_unimarc_without_100_follows_the_target_profile() -> None:
    data = raw_record(LEADER, [("200", subfields("1 ", ("a", ISO5426_TITLE)))])
    rec = read_record(UNIMARC, data, charset="iso5426")
    assert (rec.title, rec.warnings) == (EXPECTED_TITLE, ())
