"""Real catalogue records from yaz-ztest (23 Library of Congress MARC records, MARC-8 coded),
fetched with yaz-client, read by app.records and exported in every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.export import export
from app.records import read_record
from tests.export.judges import (
    assert_yaz_accepts,
    bibtexparser_entries,
    citeproc_bibliography,
    pybtex_entries,
    pymarc_iso,
    pymarc_xml,
    rispy_records,
)
from tests.peers import ZTest, fetch_raw

pytestmark = pytest.mark.peers

USMARC = "1.2.840.10003.5.10"


def _split(data: bytes) -> list[bytes]:
    return [chunk + b"\x1d" for chunk in data.split(b"\x1d") if chunk.strip()]


def test_lc_records_from_ztest_export_everywhere(ztest: ZTest, tmp_path: Path) -> None:
    originals = _split(fetch_raw(ztest.target(), "23", count=23))
    assert len(originals) == 23
    records = [read_record(USMARC, data, target="ztest", position=i)
               for i, data in enumerate(originals, 1)]  # fmt: skip
    assert all(r.error is None for r in records)
    n = len(records)
    assert len(rispy_records(export(records, "ris").data)) == n
    for ascii in (False, True):
        bib = export(records, "bibtex", ascii=ascii).data
        assert len(bibtexparser_entries(bib)) == n == len(pybtex_entries(bib).entries)
    assert len(citeproc_bibliography(export(records, "csljson").data)) == n
    marc = export(records, "marc")
    assert marc.problems == ()
    (iso := tmp_path / "lc.mrc").write_bytes(marc.data)
    assert_yaz_accepts(iso)
    back = pymarc_iso(marc.data)
    for original, ours in zip(originals, _split(marc.data), strict=True):
        assert original[9:10] == b" " and ours[9:10] == b"a"
        if original.isascii() and b"\x1b" not in original:
            assert ours == original[:9] + b"a" + original[10:]  # ASCII MARC-8: relabelled only
    titles = [r["245"]["a"] for r in back]
    assert titles == [r["245"]["a"] for r in pymarc_iso(b"".join(originals))]
    xml = export(records, "marcxml")
    (path := tmp_path / "lc.xml").write_bytes(xml.data)
    assert_yaz_accepts(path, "-i", "marcxml")
    assert [r["245"]["a"] for r in pymarc_xml(path)] == titles


def test_marcxml_records_from_ztest_keep_their_fields(ztest: ZTest, tmp_path: Path) -> None:
    data = fetch_raw(ztest.target(), "3", syntax="xml", count=3)
    chunks = [c + b"</record>" for c in data.split(b"</record>") if c.strip()]
    records = [read_record("1.2.840.10003.5.109.10", c, target="ztest") for c in chunks]
    assert [r.original.syntax for r in records if r.original] == ["marcxml"] * 3
    result = export(records, "marc")
    assert result.problems == ()  # kept as MARC, never rebuilt from the model
    (path := tmp_path / "x.mrc").write_bytes(result.data)
    assert_yaz_accepts(path)
    ours = pymarc_iso(result.data)
    assert [r["001"].data for r in ours] == [
        r["001"].data for r in pymarc_xml(_write(tmp_path / "in.xml", chunks))
    ]


def _write(path: Path, chunks: list[bytes]) -> Path:
    body = b"".join(c.split(b"?>", 1)[-1] for c in chunks)
    path.write_bytes(
        b'<collection xmlns="http://www.loc.gov/MARC21/slim">' + body + b"</collection>"
    )
    return path
