"""The one entry point: formats, options, problems per record, and records as the readers
(app.records) leave them, from the generated MARC corpus (tests/corpus.py) and real peers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.export import FORMATS, ExportError, ExportResult, export
from app.records import read_file, read_record
from app.records.model import BibRecord, Original
from tests.corpus import corpus, style_sets
from tests.export.corpus import CASES, DARWIN
from tests.export.judges import (
    assert_yaz_accepts,
    bibtexparser_entries,
    citeproc_bibliography,
    pybtex_entries,
    pymarc_iso,
    pymarc_xml,
    rispy_records,
)

USMARC = "1.2.840.10003.5.10"
XML = "1.2.840.10003.5.109.10"
SUTRS = "1.2.840.10003.5.101"
TODAY = dt.date(2024, 5, 17)
OPTIONS: dict[str, dict[str, object]] = {"marc": {"today": TODAY}, "marcxml": {"today": TODAY}}


def test_formats_describe_themselves_for_the_window() -> None:
    assert list(FORMATS) == ["ris", "bibtex", "csljson", "marc", "marcxml"]
    assert FORMATS["ris"].extension == ".ris"
    assert FORMATS["bibtex"].mime_type == "application/x-bibtex"
    assert FORMATS["marc"].binary and not FORMATS["marcxml"].binary
    assert all(f.label and f.extension.startswith(".") for f in FORMATS.values())


def test_result_is_bytes_and_counts() -> None:
    result = export([DARWIN], "ris")
    assert isinstance(result, ExportResult)
    assert bytes(result) == result.data and result.written == 1 and result.format == "ris"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_no_records_give_a_valid_empty_file(fmt: str, tmp_path: Path) -> None:
    result = export([], fmt)
    assert result.written == 0 and result.problems == ()
    if fmt == "csljson":
        assert json.loads(result.data) == []
    elif fmt == "marcxml":
        (path := tmp_path / "empty.xml").write_bytes(result.data)
        assert pymarc_xml(path) == []
        assert_yaz_accepts(path, "-i", "marcxml")
    else:
        assert result.data == b""


def test_unknown_format_and_unknown_option_are_refused_in_plain_words() -> None:
    with pytest.raises(ExportError, match="cannot export to “endnote”"):
        export([DARWIN], "endnote")
    with pytest.raises(ExportError, match="no option ascii"):
        export([DARWIN], "ris", ascii=True)
    with pytest.raises(ExportError, match="must be a date"):
        export([DARWIN], "marc", today="yesterday")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_an_unreadable_record_is_left_out_and_named(fmt: str) -> None:
    broken = BibRecord(
        error="the record is cut off after 120 bytes",
        original=Original("usmarc", USMARC, b"00500nam a22"),
        target="K10plus",
        position=17,
    )
    result = export([DARWIN, broken, CASES["article"]], fmt, **OPTIONS.get(fmt, {}))
    assert result.written == 2
    (problem,) = [p for p in result.problems if p.skipped]
    assert problem.index == 1 and problem.target == "K10plus" and problem.position == 17
    assert str(problem) == (
        "Record 2, untitled record (K10plus #17), not exported: Polycat could not read this "
        "record (the record is cut off after 120 bytes)"
    )


def test_nothing_writable_raises_with_the_reason() -> None:
    broken = BibRecord(error="empty record", target="LoC")
    with pytest.raises(ExportError, match=r"None of the 2 record.*\(empty record\)") as info:
        export([broken, broken], "bibtex")
    assert "Record 1" in info.value.detail and "Record 2" in info.value.detail


# --- records as the readers leave them ------------------------------------------------------


def _judge_all(records: list[BibRecord], tmp_path: Path) -> dict[str, ExportResult]:
    """Every format, every judge; the same record count everywhere."""
    n = len(records)
    results = {fmt: export(records, fmt, **OPTIONS.get(fmt, {})) for fmt in FORMATS}
    assert len(rispy_records(results["ris"].data)) == n
    assert len(bibtexparser_entries(results["bibtex"].data)) == n
    assert len(pybtex_entries(results["bibtex"].data).entries) == n
    ascii_bib = export(records, "bibtex", ascii=True).data
    assert ascii_bib.isascii() and len(pybtex_entries(ascii_bib).entries) == n
    assert len(bibtexparser_entries(ascii_bib)) == n
    assert len(citeproc_bibliography(results["csljson"].data)) == n
    (iso := tmp_path / "out.mrc").write_bytes(results["marc"].data)
    assert_yaz_accepts(iso)
    assert len(pymarc_iso(results["marc"].data)) == n
    (xml := tmp_path / "out.xml").write_bytes(results["marcxml"].data)
    assert_yaz_accepts(xml, "-i", "marcxml")
    assert len(pymarc_xml(xml)) == n
    return results


def test_generated_corpus_read_by_polycat_exports_everywhere(tmp_path: Path) -> None:
    originals = [r.as_marc() for r in corpus()]
    originals += [r.as_marc() for rs in style_sets().values() for r in rs]
    records = [read_record(USMARC, data, target="corpus", position=i)
               for i, data in enumerate(originals, 1)]  # fmt: skip
    assert all(r.error is None for r in records)
    results = _judge_all(records, tmp_path)
    # the catalogue's own UTF-8 MARC, untouched: byte for byte
    assert results["marc"].data == b"".join(originals)
    assert results["marc"].problems == ()


def test_marc_file_read_by_read_file_round_trips_byte_for_byte(tmp_path: Path) -> None:
    data = b"".join(r.as_marc() for r in corpus()[:20])
    (path := tmp_path / "in.mrc").write_bytes(data)
    assert export(read_file(path), "marc").data == data


MODS = """<?xml version="1.0" encoding="UTF-8"?>
<mods xmlns="http://www.loc.gov/mods/v3" version="3.7">
  <titleInfo><nonSort>The </nonSort><title>hound of the Baskervilles</title>
    <subTitle>another adventure of Sherlock Holmes</subTitle></titleInfo>
  <name type="personal"><namePart type="family">Doyle</namePart>
    <namePart type="given">Arthur Conan</namePart><namePart type="date">1859-1930</namePart>
    <role><roleTerm type="text">author</roleTerm></role></name>
  <originInfo><place><placeTerm type="text">London</placeTerm></place>
    <publisher>George Newnes &amp; Co.</publisher><dateIssued>1902</dateIssued></originInfo>
  <language><languageTerm authority="iso639-2b" type="code">eng</languageTerm></language>
  <subject><topic>Holmes, Sherlock (Fictitious character)</topic></subject>
  <note>First edition {with} 100% of the "plates" &amp; a $ price</note>
  <identifier type="isbn">9780140437867</identifier>
  <location><physicalLocation>British Library</physicalLocation>
    <shelfLocator>Cup.410.g.74</shelfLocator></location>
</mods>
"""


def test_a_mods_record_from_a_copac_style_target_exports_everywhere(tmp_path: Path) -> None:
    record = read_record(XML, MODS.encode(), target="Copac", position=3)
    assert record.error is None and record.original is not None
    results = _judge_all([record], tmp_path)
    (marc,) = pymarc_iso(results["marc"].data)
    assert marc["245"]["a"] == "The hound of the Baskervilles"
    assert marc["245"].indicators[1] == "4"
    assert marc["020"]["a"] == "9780140437867"
    assert "from the MODS record sent by Copac #3" in marc.get_fields("500")[-1]["a"]
    (ris,) = rispy_records(results["ris"].data)
    assert ris["authors"] == ["Doyle, Arthur Conan"] and ris["year"] == "1902"


def test_a_sutrs_record_exports_everywhere(tmp_path: Path) -> None:
    text = b"Title: Brief lives\nAuthor: Aubrey, John\nPublisher: Clarendon Press, 1898\n"
    record = read_record(SUTRS, text, target="OCLC", position=1)
    assert record.error is None
    _judge_all([record], tmp_path)
