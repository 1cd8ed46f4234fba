"""MARC 21 ISO 2709 and MARCXML, judged by yaz-marcdump and pymarc."""

from __future__ import annotations

import datetime as dt
import subprocess
import unicodedata
from pathlib import Path

import pymarc
import pytest
from lxml import etree
from pymarc import Field, Indicators, Subfield

from app.export import export
from app.export.marc import MARCXML_NAMESPACE, marc_record
from app.records.model import BibRecord, Isbn, Name, Original
from tests.export import expect
from tests.export.corpus import CASES, hostile
from tests.export.judges import (
    assert_yaz_accepts,
    pymarc_iso,
    pymarc_xml,
    yaz_marcdump,
    yaz_record_count,
)

TODAY = dt.date(2024, 5, 17)


def _sf(*pairs: str) -> list[Subfield]:
    return [Subfield(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]


def utf8_marc(*extra: Field) -> bytes:
    """A real MARC 21 UTF-8 record as a catalogue would send it (built with pymarc)."""
    record = pymarc.Record(force_utf8=True)
    record.leader = pymarc.Leader("00000nam a2200000 i 4500")
    record.add_field(
        Field(tag="001", data="ocm12345"),
        Field(tag="008", data="850101s1985    ru a          000 0 rus d"),
        Field("020", Indicators(" ", " "), _sf("a", "9780198526636", "q", "pbk.")),
        Field("100", Indicators("1", " "), _sf("a", "Müller, Jörg,", "d", "1950-")),
        Field(
            "245",
            Indicators("1", "0"),
            _sf("a", "Café society in Łódka :", "b", "Война и мир ; 源氏物語 /", "c", "J. Müller."),
        ),
        Field("264", Indicators(" ", "1"), _sf("a", "Москва :", "b", "Наука,", "c", "1985.")),
        Field("948", Indicators(" ", " "), _sf("a", "DE", "c", "GBV", "d", "Göttingen SUB")),
        *extra,
    )
    return record.as_marc()


def from_marc(data: bytes, syntax: str = "usmarc", **kw: object) -> BibRecord:
    """A BibRecord as a reader leaves it: a little of the description and the raw original."""
    return BibRecord(
        title="Café society in Łódka", names=(Name("Müller, Jörg"),), year=1985,
        original=Original(syntax, "1.2.840.10003.5.10", data), target="GBV", position=4,
    )  # fmt: skip


def to_marc8(data: bytes, tmp_path: Path) -> bytes:
    """The same record in real MARC-8, made by yaz-marcdump (not by our code)."""
    path = tmp_path / "utf8.mrc"
    path.write_bytes(data)
    done = subprocess.run(
        ["yaz-marcdump", "-f", "UTF-8", "-t", "MARC-8", "-l", "9=32", "-o", "marc", str(path)],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    assert done.stdout[9:10] == b" " and b"\x1b" in done.stdout  # real MARC-8 escapes
    return done.stdout


def _texts(record: pymarc.Record) -> list[tuple[str, str]]:
    out = []
    for field in record.fields:
        if field.is_control_field():
            out.append((field.tag, field.data))
        else:
            for sub in field.subfields:
                out.append((field.tag, unicodedata.normalize("NFC", sub.value)))
    return out


def _lines(line_format: str) -> list[str]:
    """yaz's line format without the leader (whose length and leader/09 differ), in NFC."""
    return unicodedata.normalize("NFC", line_format).splitlines()[1:]


def _check_structure(data: bytes) -> int:
    """Walk ISO 2709 by hand: every leader length, base address and directory entry true."""
    count = 0
    while data:
        length, base = int(data[:5]), int(data[12:17])
        record, data = data[:length], data[length:]
        assert record.endswith(b"\x1d") and record[base - 1 : base] == b"\x1e"
        assert record[9:10] == b"a" and record[10:12] == b"22" and record[20:24] == b"4500"
        directory = record[24 : base - 1]
        assert len(directory) % 12 == 0
        for i in range(0, len(directory), 12):
            size, start = int(directory[i + 3 : i + 7]), int(directory[i + 7 : i + 12])
            assert record[base + start + size - 1 : base + start + size] == b"\x1e"
        record[base:].decode("utf-8")  # strict: every field is UTF-8
        count += 1
    return count


# --- the catalogue's own MARC --------------------------------------------------------------


def test_untouched_utf8_original_is_written_byte_for_byte() -> None:
    original = utf8_marc()
    result = export([from_marc(original), from_marc(original)], "marc")
    assert result.data == original + original
    assert result.problems == ()


def test_marc8_original_becomes_utf8_with_the_same_text(tmp_path: Path) -> None:
    original = utf8_marc()
    marc8 = to_marc8(original, tmp_path)
    result = export([from_marc(marc8)], "marc")
    assert result.problems == ()
    assert result.data[9:10] == b"a"
    assert _check_structure(result.data) == 1
    (ours,) = pymarc_iso(result.data)
    (theirs,) = pymarc_iso(original)
    assert _texts(ours) == _texts(theirs)
    path = tmp_path / "out.mrc"
    path.write_bytes(result.data)
    assert_yaz_accepts(path)
    # yaz, converting the MARC-8 itself, reads the same text as our UTF-8
    (marc8_path := tmp_path / "marc8.mrc").write_bytes(marc8)
    done = yaz_marcdump(marc8_path, "-f", "MARC-8", "-t", "UTF-8", "-o", "line")
    ours_line = yaz_marcdump(path, "-o", "line").stdout
    assert _lines(done.stdout) == _lines(ours_line)


def test_utf8_bytes_under_a_marc8_leader_are_relabelled_not_converted() -> None:
    original = utf8_marc()
    lying = original[:9] + b" " + original[10:]
    result = export([from_marc(lying)], "marc")
    assert result.data == original  # only leader/09 changed back
    (problem,) = result.problems
    assert "says MARC-8 but the text is UTF-8" in problem.message and not problem.skipped


def test_marc8_bytes_under_a_utf8_leader_are_converted(tmp_path: Path) -> None:
    marc8 = to_marc8(utf8_marc(), tmp_path)
    lying = marc8[:9] + b"a" + marc8[10:]
    result = export([from_marc(lying)], "marc")
    (ours,) = pymarc_iso(result.data)
    (theirs,) = pymarc_iso(utf8_marc())
    assert _texts(ours) == _texts(theirs)
    assert "says UTF-8 but the text is MARC-8" in result.problems[0].message


def test_an_original_over_99999_bytes_is_refused_for_iso2709_but_not_for_marcxml(
    tmp_path: Path,
) -> None:
    notes = [Field("500", Indicators(" ", " "), _sf("a", f"{i} " + "x" * 8000)) for i in range(13)]
    overflowing = utf8_marc(*notes)  # pymarc writes a six-digit length into the leader
    assert overflowing[:6].isdigit()  # a 25-byte leader
    big = b"99999" + overflowing[6:]  # as exporting systems do: the most five digits hold
    assert len(big) > 99_999
    records = [from_marc(big), from_marc(utf8_marc())]
    result = export(records, "marc")
    assert result.written == 1 and result.data == utf8_marc()
    (problem,) = result.problems
    assert problem.skipped and problem.index == 0
    assert "99,999" in problem.message and "MARCXML" in problem.message
    assert "Record 1" in str(problem) and "GBV #4" in str(problem)
    xml = export(records, "marcxml")
    assert xml.written == 2
    (path := tmp_path / "big.xml").write_bytes(xml.data)
    big_back, _ = pymarc_xml(path)
    # every field kept, read one by one since the leader cannot hold the length
    assert [f["a"][:3] for f in big_back.get_fields("500")] == [f"{i} x"[:3] for i in range(13)]
    assert big_back["948"]["d"] == "Göttingen SUB"
    assert "read one by one" in xml.problems[0].message


def test_a_damaged_directory_is_read_by_terminators_and_written_sound(tmp_path: Path) -> None:
    original = bytearray(utf8_marc())
    original[24 + 12 + 3 : 24 + 12 + 7] = b"0005"  # the second field's length lies
    result = export([from_marc(bytes(original))], "marc")
    (problem,) = result.problems
    assert "damaged directory" in problem.message and not problem.skipped
    assert _check_structure(result.data) == 1
    (path := tmp_path / "fixed.mrc").write_bytes(result.data)
    assert_yaz_accepts(path)
    (ours,) = pymarc_iso(result.data)
    (theirs,) = pymarc_iso(utf8_marc())
    assert _texts(ours) == _texts(theirs)


def test_a_marcxml_original_keeps_its_fields() -> None:
    (theirs,) = pymarc_iso(utf8_marc())
    xml = pymarc.record_to_xml(theirs, namespace=True)
    wrapped = b"<collection xmlns='http://www.loc.gov/MARC21/slim'>" + xml + b"</collection>"
    record = from_marc(wrapped, syntax="marcxml")
    result = export([record], "marc")
    assert result.problems == ()
    (ours,) = pymarc_iso(result.data)
    assert _texts(ours) == _texts(theirs)


def test_hostile_xml_original_is_not_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<record xmlns="http://www.loc.gov/MARC21/slim"><datafield tag="245" ind1="0" ind2="0">'
        b'<subfield code="a">&b;</subfield></datafield></record>'
    )
    result = export([from_marc(bomb, syntax="marcxml")], "marc", today=TODAY)
    assert b"aaaaaaaaaaaaaaaaaaaa" not in result.data
    assert any("could not be read" in p.message for p in result.problems)
    (ours,) = pymarc_iso(result.data)
    assert ours["245"]["a"] == "Café society in Łódka"  # rebuilt from what the reader kept


# --- records built from the model ----------------------------------------------------------


def test_hostile_corpus_as_iso2709_passes_yaz_and_pymarc(tmp_path: Path) -> None:
    records = hostile()
    result = export(records, "marc", today=TODAY)
    skipped = [p for p in result.problems if p.skipped]
    # the one record whose title alone is over 9,999 bytes cannot be ISO 2709
    assert [(p.index, "field 245") for p in skipped] == [
        (list(CASES).index("long_title"), "field 245")
    ]
    assert "field 245" in skipped[0].message and "MARCXML" in skipped[0].message
    assert result.written == len(records) - 1
    assert _check_structure(result.data) == result.written
    path = tmp_path / "hostile.mrc"
    path.write_bytes(result.data)
    assert_yaz_accepts(path)
    assert yaz_record_count(path) == result.written
    written = [r for i, r in enumerate(records) if i != skipped[0].index]
    for record, back in zip(written, pymarc_iso(result.data), strict=True):
        _same_key_fields(record, back)


def _same_key_fields(record: BibRecord, back: pymarc.Record) -> None:
    f245 = back["245"]
    assert f245.get("a") == (expect.flat(record.title) or "[Untitled]")
    assert f245.get("b", "") == expect.flat(record.subtitle)
    names = [f["a"] for f in back.get_fields("100", "110", "111", "700", "710", "711")]
    assert names == [expect.flat(n.name) for n in record.names]
    assert back["008"].data[7:11] == (f"{record.year:04d}" if record.year else "uuuu")
    isbns = [f.get("a") or f.get("z") for f in back.get_fields("020")]
    assert isbns == [i.value if i.valid and not i.cancelled else i.raw for i in record.isbns]


def test_hostile_corpus_as_marcxml_passes_yaz_lxml_and_pymarc(tmp_path: Path) -> None:
    records = hostile()
    result = export(records, "marcxml", today=TODAY)
    assert result.written == len(records)
    assert not any(p.skipped for p in result.problems)
    path = tmp_path / "hostile.xml"
    path.write_bytes(result.data)
    root = etree.fromstring(result.data)
    assert root.tag == f"{{{MARCXML_NAMESPACE}}}collection"
    assert len(root) == len(records)
    assert_yaz_accepts(path, "-i", "marcxml")
    assert yaz_record_count(path, "-i", "marcxml") == len(records)
    back = pymarc_xml(path)
    assert len(back) == len(records)
    for record, parsed in zip(records, back, strict=True):
        _same_key_fields(record, parsed)


def test_control_characters_of_an_original_are_dropped_from_marcxml(tmp_path: Path) -> None:
    original = utf8_marc(Field("500", Indicators(" ", " "), _sf("a", "ESC \x1b( B and \x01")))
    result = export([from_marc(original)], "marcxml")
    (problem,) = result.problems
    assert "2 control character(s)" in problem.message and not problem.skipped
    (path := tmp_path / "c.xml").write_bytes(result.data)
    (back,) = pymarc_xml(path)
    assert back.get_fields("500")[0]["a"] == "ESC ( B and "


def test_converted_record_is_marked_three_ways() -> None:
    result = export([CASES["mods_source"]], "marc", today=TODAY)
    (record,) = pymarc_iso(result.data)
    assert str(record.leader)[17:19] == "3c"
    notes = [f["a"] for f in record.get_fields("500")]
    assert "Converted by Polycat from the MODS record sent by Copac #7" in notes[-1]
    f884 = record["884"]
    assert f884["a"].endswith("MODS to MARC 21") and f884["g"] == "20240517"
    assert f884["k"] == "Copac #7"
    assert record["008"].data[:6] == "240517"
    (problem,) = result.problems
    assert not problem.skipped and "built as MARC 21 from the MODS record" in problem.message


def test_model_record_fields() -> None:
    record = BibRecord(
        title="The origin of species",
        nonsort="The ",
        subtitle="by means of natural selection",
        part="Vol. 2",
        names=(Name("Darwin, Charles", dates="1809-1882"), Name("Huxley, T. H.", role="editor")),
        isbns=(Isbn("9780198526636", "0198526636", True, "pbk."),
               Isbn("0000000000", "0000000000", False)),
        year=1859, language="eng", languages=("eng", "fre"), material="book",
        subjects=("Evolution -- History",), notes=("Thesis (Ph. D.)",),
    )  # fmt: skip
    (back,) = pymarc_iso(marc_record(record, today=TODAY))
    assert str(back.leader)[5:8] == "nam"
    assert back["245"].indicators == Indicators("1", "4")
    assert back["245"].get_subfields("a", "b", "n") == [
        "The origin of species", "by means of natural selection", "Vol. 2",
    ]  # fmt: skip
    assert back["100"].get_subfields("a", "d") == ["Darwin, Charles", "1809-1882"]
    assert back["700"].get_subfields("a", "e") == ["Huxley, T. H.", "editor"]
    assert [f.get_subfields("a", "q", "z") for f in back.get_fields("020")] == [
        ["9780198526636", "pbk."], ["0000000000"],
    ]  # fmt: skip
    assert back["041"].get_subfields("a") == ["eng", "fre"]
    assert back["650"].get_subfields("a", "x") == ["Evolution", "History"]
    assert back["008"].data[35:38] == "eng" and len(back["008"].data) == 40


def test_long_notes_are_split_over_repeated_fields() -> None:
    record = BibRecord(title="T", abstract="word " * 5000, notes=("note " * 4000,))
    (back,) = pymarc_iso(marc_record(record, today=TODAY))
    abstracts = [f["a"] for f in back.get_fields("520")]
    assert len(abstracts) == 3 and " ".join(abstracts) == ("word " * 5000).strip()
    assert all(len(a.encode()) <= 9000 for a in abstracts)


def test_the_judge_can_fail(tmp_path: Path) -> None:
    """A negative control: yaz-marcdump does complain when a directory lies."""
    data = bytearray(export([CASES["darwin"]], "marc", today=TODAY).data)
    data[24 + 3 : 24 + 7] = b"9999"  # the first field's length
    path = tmp_path / "broken.mrc"
    path.write_bytes(bytes(data))
    with pytest.raises(AssertionError):
        assert_yaz_accepts(path)
