"""Real records through zebrasrv (fetched by yaz-client, bytes taken off the wire) read the same
as the corpus records they were made from, in every syntax zebra serves."""

from __future__ import annotations

import unicodedata
from copy import deepcopy
from typing import Any

import pytest
from pymarc import Record, Subfield

from app.records import BibRecord, read_bytes, read_record, record_to_json
from tests.corpus import corpus, style_sets
from tests.peers import OCLC_LOGIN, Zebra, ZTest, utf8_iso2709
from tests.records.capture import capture
from tests.records.helpers import SUTRS, USMARC, to_marc8

pytestmark = pytest.mark.peers

ALL = 'find @attr 1=_ALLRECORDS @attr 2=103 ""'
PROVENANCE = ("syntax", "target", "database", "position", "warnings")


def fetch(
    peer: Zebra, syntax: str, elements: str | None = None, *, count: int,
    auth: tuple[str, str] | None = None,
) -> list[BibRecord]:
    commands = [ALL, f"format {syntax}", *([f"elements {elements}"] if elements else [])]
    records = capture(peer.host, peer.port, peer.databases[0], [*commands, f"show 1+{count}"],
                      auth=auth)
    assert len(records) == count
    return [read_record(oid, data, target="zebra", position=i)
            for i, (oid, data) in enumerate(records, 1)]


def local(records: list[Record]) -> dict[str, BibRecord]:
    """The corpus records read straight from their UTF-8 bytes, by control number."""
    read = [read_record(USMARC, utf8_iso2709(r)) for r in records]
    return {r.control_numbers[0][1]: r for r in read}


def comparable(rec: BibRecord) -> dict[str, Any]:
    out = record_to_json(rec)
    for key in PROVENANCE:
        out.pop(key)
    return out


@pytest.mark.parametrize(("syntax", "elements"), [("usmarc", None), ("xml", "marcxml")])
def test_zebra_marc_and_marcxml_read_like_the_originals(
    zebra: Zebra, syntax: str, elements: str | None
) -> None:
    originals = local(corpus())
    fetched = fetch(zebra, syntax, elements, count=len(originals))
    assert [r.error for r in fetched] == [None] * len(fetched)
    for rec in fetched:
        original = originals[rec.control_numbers[0][1]]
        assert comparable(rec) == comparable(original), rec.title


def decomposed(record: Record) -> Record:
    copy = deepcopy(record)
    for fld in copy.fields:
        if not fld.is_control_field():
            fld.subfields = [Subfield(s.code, unicodedata.normalize("NFD", s.value))
                             for s in fld.subfields]
    return copy


def test_zebra_marc8_reads_like_the_utf8_originals(zebra_marc8: Zebra) -> None:
    """Zebra drops what MARC-8 cannot say (modifier letters such as "ᵐᵉ"), as yaz-marcdump
    does: every record reads like yaz's own MARC-8 of it, and like the UTF-8 original
    wherever MARC-8 can say everything."""
    records = corpus()
    originals = local(records)
    marc8 = to_marc8(b"".join(utf8_iso2709(decomposed(r)) for r in records))
    by_yaz = {r.control_numbers[0][1]: r for r in read_bytes(marc8)}
    fetched = fetch(zebra_marc8, "usmarc", count=len(originals))
    same_as_utf8 = 0
    wire = b"".join(r.original.data for r in fetched if r.original is not None)
    # real MARC-8 on the wire: Cyrillic and CJK escapes, an umlaut before its letter
    assert b"\x1b(N" in wire and b"\x1b$1" in wire and b"\xe8u" in wire
    for rec in fetched:
        assert rec.original is not None and rec.original.data[9:10] == b" "
        assert rec.warnings == ()
        number = rec.control_numbers[0][1]
        assert comparable(rec) == comparable(by_yaz[number]), rec.title
        if comparable(by_yaz[number]) == comparable(originals[number]):
            same_as_utf8 += 1
            assert comparable(rec) == comparable(originals[number])
    assert same_as_utf8 >= len(fetched) - 3


@pytest.mark.parametrize(("syntax", "elements"), [("xml", "mods"), ("sutrs", "F")])
def test_zebra_mods_and_sutrs_keep_the_essentials(
    zebra: Zebra, syntax: str, elements: str
) -> None:
    originals = local(corpus())
    fetched = fetch(zebra, syntax, elements, count=len(originals))
    by_title: dict[str, list[BibRecord]] = {}
    for rec in originals.values():
        by_title.setdefault(rec.title, []).append(rec)
        if rec.part:  # a SUTRS "Title:" line carries the part too
            by_title.setdefault(f"{rec.title}. {rec.part}", []).append(rec)
    for rec in fetched:
        assert rec.error is None
        assert rec.original is not None
        assert rec.original.syntax == ("mods" if syntax == "xml" else "sutrs")
        candidates = by_title.get(rec.title)
        assert candidates, f"{rec.title!r} is not a corpus title"
        assert any(
            c.valid_isbns == rec.valid_isbns
            and c.year == rec.year
            and [n.name for n in c.authors][:3] == [n.name for n in rec.authors][:3]
            for c in candidates
        ), rec.title


def test_copac_style_mods_and_sutrs(copac_style: Zebra) -> None:
    copac = style_sets()["copac"]
    isbn_sets = {r.valid_isbns for r in local(copac).values()}
    for syntax, elements in (("xml", "F"), ("sutrs", "F")):
        fetched = fetch(copac_style, syntax, elements, count=len(copac))
        assert all(r.error is None and r.title for r in fetched)
        assert {r.valid_isbns for r in fetched} == isbn_sets
        assert any(r.holdings for r in fetched) or syntax == "sutrs"


def test_oclc_style_holdings_and_numbers(oclc_style: Zebra) -> None:
    oclc = style_sets()["oclc"]
    fetched = fetch(oclc_style, "usmarc", count=len(oclc), auth=OCLC_LOGIN)
    originals = local(oclc)
    assert sum(1 for r in fetched if r.holdings) >= len(fetched) // 2
    for rec in fetched:
        original = originals[rec.control_numbers[0][1]]
        assert rec.oclc_numbers == original.oclc_numbers != ()
        assert rec.holdings == original.holdings
        assert all(h.symbol and h.country for h in rec.holdings)
        assert rec.urls == original.urls


def test_sutrs_oid_is_what_zebra_sends(zebra: Zebra) -> None:
    records = capture(zebra.host, zebra.port, "books", [ALL, "format sutrs", "show 1+1"])
    assert records[0][0] == SUTRS


def test_ztest_lc_records_read_alike_in_usmarc_and_marcxml(ztest: ZTest) -> None:
    """yaz-ztest's 23 Library of Congress records, as USMARC and as yaz's own MARCXML."""
    read = {}
    for syntax in ("usmarc", "xml"):
        records = capture(ztest.host, ztest.port, "Default",
                          ["find 23", f"format {syntax}", "show 1+23"])
        assert len(records) == 23
        read[syntax] = [read_record(oid, data) for oid, data in records]
    assert all(r.error is None and r.title for r in read["usmarc"])
    for marc, xml in zip(read["usmarc"], read["xml"], strict=True):
        assert comparable(marc) == comparable(xml), marc.title
