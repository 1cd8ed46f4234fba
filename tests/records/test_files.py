"""read_file / show_file (what ``polycat show FILE`` prints) and read_record's dispatch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.errors import PolycatError
from app.records import read_file, read_record, show_file
from tests.records.helpers import OPAC, SUTRS, USMARC, XML, cf, df, iso, to_marc8, yaz_marcdump
from tests.records.test_mods import COPAC_BOOK

BOOK = iso(
    cf("008", "860506s1859    enk           000 0 eng d"),
    df("020", "  ", ("a", "0-19-852663-6 (pbk.)")),
    df("020", "  ", ("z", "0198526637")),
    df("100", "1 ", ("a", "Darwin, Charles,"), ("d", "1809-1882.")),
    df("245", "14", ("a", "The origin of species :"), ("b", "by means of natural selection.")),
    df("700", "1 ", ("a", "Beer, Gillian,"), ("e", "editor.")),
    df("948", "  ", ("a", "GB"), ("c", "BLX"), ("d", "British Library")),
)
SECOND = iso(
    df("245", "10", ("a", "Zweites Buch über Köln.")), df("020", "  ", ("a", "9780198526636"))
)


def test_show_file_on_a_mixed_marc21_and_marc8_file(tmp_path: Path) -> None:
    path = tmp_path / "mixed.mrc"
    path.write_bytes(BOOK + to_marc8(SECOND))
    shown = show_file(path)
    json.dumps(shown)  # what the command line prints must be JSON
    first, second = shown["records"]
    assert first["title"] == "The origin of species"
    assert first["subtitle"] == "by means of natural selection"
    assert first["authors"] == ["Darwin, Charles"]
    assert first["editors"] == ["Beer, Gillian"]
    assert first["year"] == 1859
    assert first["isbns"] == ["9780198526636"]
    assert first["invalid_isbns"] == ["0198526637"]
    assert first["holdings"] == [
        {"library": "British Library", "symbol": "BLX", "location": "", "call_number": "",
         "country": "GB", "state": "", "note": ""}
    ]
    assert first["error"] is None and first["warnings"] == []
    assert (first["syntax"], first["position"]) == ("usmarc", 1)
    assert second["title"] == "Zweites Buch über Köln"
    assert second["isbns"] == first["isbns"]
    assert second["position"] == 2


def test_read_file_on_marcxml_and_mods(tmp_path: Path) -> None:
    xml = tmp_path / "records.xml"
    xml.write_bytes(yaz_marcdump(BOOK + SECOND, "-o", "marcxml"))
    assert [r.title for r in read_file(xml)] == ["The origin of species", "Zweites Buch über Köln"]
    mods = tmp_path / "one.mods"
    mods.write_text(COPAC_BOOK, encoding="utf-8")
    (record,) = read_file(mods)
    assert record.original is not None and record.original.syntax == "mods"


def test_a_damaged_record_in_a_file_does_not_lose_the_others(tmp_path: Path) -> None:
    path = tmp_path / "damaged.mrc"
    path.write_bytes(BOOK + b"00042nam  2200025   4500\x1d" + SECOND)
    records = read_file(path)
    assert [r.title for r in records] == ["The origin of species", "", "Zweites Buch über Köln"]
    assert records[1].error is not None
    assert records[1].original is not None and records[1].original.data.startswith(b"00042")


def test_files_that_cannot_be_read_raise_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(PolycatError, match=r"Cannot open .*missing\.mrc"):
        read_file(tmp_path / "missing.mrc")
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.4\n...")
    with pytest.raises(PolycatError, match=r"paper\.pdf is not a MARC"):
        read_file(pdf)
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<collection><record>")
    with pytest.raises(PolycatError, match=r"broken\.xml: the XML is not well-formed"):
        read_file(broken)
    empty = tmp_path / "empty.mrc"
    empty.write_bytes(b"")
    assert read_file(empty) == []


@pytest.mark.parametrize(
    ("oid", "hint", "data", "syntax"),
    [
        (None, None, BOOK, "usmarc"),
        (None, "usmarc", BOOK, "usmarc"),
        ("1.2.840.10003.5.11", None, BOOK, "usmarc"),  # UKMARC read as MARC 21
        ("1.2.840.10003.5.109.11", None, COPAC_BOOK.encode(), "mods"),
        (None, None, COPAC_BOOK.encode(), "mods"),
        (None, "mods", COPAC_BOOK.encode(), "mods"),
        (None, None, b"Title: Plain text\n", "sutrs"),
        (SUTRS, None, b"Title: Plain text\n", "sutrs"),
        ("1.2.840.10003.5.99", None, BOOK, "usmarc"),  # some other MARC: told by shape
    ],
)
def test_dispatch(oid: str | None, hint: str | None, data: bytes, syntax: str) -> None:
    rec = read_record(oid, data, syntax_hint=hint)
    assert rec.error is None
    assert rec.original is not None
    assert (rec.original.syntax, rec.original.oid, rec.original.data) == (syntax, oid, data)
    assert rec.title


def test_bytearray_from_the_network_is_accepted() -> None:
    rec = read_record(USMARC, bytearray(BOOK), target="LoC", database="books", position=5)
    assert (rec.title, rec.target, rec.database, rec.position) == (
        "The origin of species", "LoC", "books", 5
    )


def test_sutrs_oid_carrying_xml_is_read_as_xml() -> None:
    rec = read_record(SUTRS, COPAC_BOOK.encode())
    assert rec.original is not None and rec.original.syntax == "mods"


def test_every_syntax_gives_an_error_record_for_nonsense() -> None:
    for oid in (USMARC, XML, OPAC, "1.2.840.10003.5.1"):
        rec = read_record(oid, b"\x00\xff nonsense \xfe")
        assert rec.error, oid
