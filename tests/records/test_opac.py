"""OPAC records: built with our pyasn1 spec, captured from yaz-ztest, and captured live."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyasn1.codec.ber import encoder
from pyasn1.type import univ
from pyasn1.type.tag import Tag

from app.records import Holding, read_record
from app.records.opac import HoldingsRecord, OPACRecord, encode_opac
from app.z3950.asn1.base import External
from tests.peers import ZTest, run_yaz_client
from tests.records.capture import capture
from tests.records.helpers import OPAC, USMARC, df, iso
from tests.z3950.lengths import indefinite

ZTEST_OPAC = Path(__file__).with_name("data") / "ztest-opac-1.ber"

BOOK = iso(
    df("020", "  ", ("a", "0198526636")),
    df("100", "1 ", ("a", "Darwin, Charles.")),
    df("245", "14", ("a", "The origin of species.")),
)


def test_opac_record_built_with_our_spec() -> None:
    data = encode_opac(
        BOOK,
        [
            {"nucCode": "DLC", "localLocation": "Main Reading Room",
             "shelvingLocation": "Stack 3", "callNumber": "QH365 .O2", "copyNumber": "c. 2",
             "publicNote": "Rare book"},
            {"nucCode": "Uk", "localLocation": "St Pancras", "callNumber": "7006.d.12"},
        ],
        circulation=[
            [{"availableNow": True, "itemId": "39015000"},
             {"availableNow": False, "availablityDate": "2024-12-01", "itemId": "39015001"}],
        ],
    )
    assert data[:1] == b"\x30"
    rec = read_record(OPAC, data, target="LoC", position=2)
    assert rec.error is None
    assert (rec.title, rec.valid_isbns) == ("The origin of species", ("9780198526636",))
    assert rec.original is not None and rec.original.syntax == "opac"
    assert rec.holdings == (
        Holding(symbol="DLC", location="Main Reading Room, Stack 3", call_number="QH365 .O2",
                note="c. 2; Rare book; available, item 39015000; "
                     "on loan until 2024-12-01, item 39015001"),
        Holding(symbol="Uk", location="St Pancras", call_number="7006.d.12"),
    )


def test_opac_record_captured_from_yaz_ztest() -> None:
    data = ZTEST_OPAC.read_bytes()
    rec = read_record(OPAC, data, target="ztest")
    assert rec.error is None
    assert rec.title == "How to program a computer"
    assert [n.name for n in rec.authors] == ["Jack Collins"]
    assert rec.lccn == "11224466"
    assert rec.holdings == (
        Holding(
            symbol="s-FM/GC",
            location="Main or Science/Business Reading Rms - STORED OFFSITE",
            call_number="MLCM 89/00602 (N) FT MEADE",
            note="Copy 1; available, item 1226176",
        ),
    )


def test_marc_holdings_record_inside_opac() -> None:
    holdings = iso(df("852", "  ", ("a", "Bodleian Library"), ("b", "Weston"), ("h", "QH365"),
                      ("z", "Reference only")), leader="00000nu  a2200000 a 4500")
    record = OPACRecord()
    record["bibliographicRecord"]["direct-reference"] = univ.ObjectIdentifier(USMARC)
    record["bibliographicRecord"]["encoding"]["octet-aligned"] = BOOK
    entry = HoldingsRecord()
    entry["marcHoldingsRecord"]["direct-reference"] = univ.ObjectIdentifier(USMARC)
    entry["marcHoldingsRecord"]["encoding"]["octet-aligned"] = holdings
    record["holdingsData"].append(entry)
    rec = read_record(OPAC, encoder.encode(record))
    assert rec.holdings == (
        Holding(library="Bodleian Library", location="Weston", call_number="QH365",
                note="Reference only"),
    )


def test_opac_without_bibliographic_record_says_so() -> None:
    rec = read_record(OPAC, encode_opac(None, [{"nucCode": "DLC"}]))
    assert rec.error is None
    assert rec.holdings == (Holding(symbol="DLC"),)
    assert rec.warnings == ("the OPAC record carries no bibliographic record",)


def test_opac_still_inside_its_single_asn1_type_wrapper() -> None:
    inner = encode_opac(BOOK, [])
    wrapped = b"\xa0" + bytes([len(inner)]) + inner if len(inner) < 128 else (
        b"\xa0\x82" + len(inner).to_bytes(2, "big") + inner
    )
    assert read_record(OPAC, wrapped).title == "The origin of species"


def test_opac_inside_its_external_and_the_externals_tag() -> None:
    inner = encode_opac(BOOK, [{"nucCode": "DLC"}])
    external = External()
    external["direct-reference"] = OPAC
    external["encoding"]["single-ASN1-type"] = inner
    in_external = encoder.encode(external)
    in_tag = encoder.encode(univ.Any(in_external).subtype(explicitTag=Tag(128, 32, 0)))
    for data in (in_external, in_tag, indefinite(in_tag)):
        rec = read_record(OPAC, data)
        assert rec.error is None, data.hex()
        assert (rec.title, rec.holdings) == ("The origin of species", (Holding(symbol="DLC"),))


def test_indefinite_bibliographic_record_sent_as_single_asn1_type() -> None:
    """YAZ's open lengths around a MARC record in an OCTET STRING: stock pyasn1 fails here."""
    record = OPACRecord()
    bibliographic = record["bibliographicRecord"]
    bibliographic["direct-reference"] = USMARC
    bibliographic["encoding"]["single-ASN1-type"] = encoder.encode(univ.OctetString(BOOK))
    data = indefinite(encoder.encode(record))
    assert data.startswith(b"\x30\x80\xa1\x80")
    rec = read_record(OPAC, data)
    assert rec.error is None
    assert rec.title == "The origin of species"


def test_a_value_that_is_no_opac_record_is_an_error() -> None:
    rec = read_record(OPAC, bytes.fromhex("0403616263"))
    assert rec.error is not None and "OPAC" in rec.error


def test_garbage_is_an_error_with_the_bytes_kept() -> None:
    rec = read_record(OPAC, b"\x30\x05\x02\x01")
    assert rec.error is not None and "OPAC" in rec.error
    assert rec.original is not None and rec.original.data == b"\x30\x05\x02\x01"


def test_damaged_embedded_marc_is_the_opac_records_error() -> None:
    rec = read_record(OPAC, encode_opac(b"0000", [{"nucCode": "DLC"}]))
    assert rec.error is not None and "shorter than a MARC leader" in rec.error


@pytest.mark.peers
def test_live_opac_from_ztest_matches_what_yaz_client_shows(ztest: ZTest) -> None:
    commands = ["format opac", "find water", "show 1+3"]
    records = capture(ztest.host, ztest.port, "Default", commands)
    opac = [data for oid, data in records if oid == OPAC]
    assert len(opac) == 3
    shown = run_yaz_client([f"open tcp:{ztest.target()}", *commands])
    expected_calls = re.findall(r"^callNumber: (.*)$", shown, re.MULTILINE)
    expected_places = re.findall(r"^localLocation: (.*)$", shown, re.MULTILINE)
    titles = re.findall(r"^245 \d\d \$a (.*?)(?: \$\w |$)", shown, re.MULTILINE)
    read = [read_record(OPAC, data, target="ztest", position=i) for i, data in
            enumerate(opac, 1)]
    assert [r.error for r in read] == [None, None, None]
    assert [r.title for r in read] == [t.strip().rstrip(" /.:;") for t in titles]
    assert [h.call_number.split(" FT ")[0] for r in read for h in r.holdings] == expected_calls
    assert [h.location for r in read for h in r.holdings] == expected_places
