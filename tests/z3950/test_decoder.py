"""The repaired pyasn1 decoder: an ANY of indefinite length holds exactly what was sent."""

from __future__ import annotations

import pytest
from pyasn1.codec.ber import decoder as stock
from pyasn1.codec.ber import encoder as stock_encoder
from pyasn1.error import PyAsn1Error
from pyasn1.type import univ

from app.z3950 import PresentResponse, RemoteProtocolError, RetrievalRecord, decode_apdu
from app.z3950 import encode_apdu as encode
from app.z3950.asn1.apdus import APDUS
from app.z3950.asn1.base import External, explicit, text_octets
from app.z3950.asn1.decoder import decode, dotted
from tests.vectors import load


def h(hexdigits: str) -> bytes:
    return bytes.fromhex(hexdigits.replace(" ", ""))


# [0] indefinite { SEQUENCE indefinite { [1] indefinite { INTEGER 5 } OCTET STRING "ab" } }
NESTED = h("a080 3080 a180 020105 0000 04026162 0000 0000")


def test_stock_pyasn1_cannot_read_yazs_opac_response() -> None:
    """Why the repair exists; if pyasn1 learns this, the repair can go."""
    present = [apdu for direction, apdu in load("show_opac") if direction == "<"][2]
    with pytest.raises(AttributeError, match="effectiveTagSet"):
        stock.decode(present, asn1Spec=APDUS[25][1])


def test_a_tagged_any_of_indefinite_length_keeps_every_octet_inside_its_tag() -> None:
    value, rest = decode(NESTED + b"tail", explicit(univ.Any(), 0))
    assert bytes(value) == NESTED[2:-2]  # the SEQUENCE with its own and its child's 00 00
    assert rest == b"tail"


def test_an_untagged_any_of_indefinite_length_is_the_whole_element() -> None:
    value, rest = decode(NESTED[2:-2], univ.Any())
    assert (bytes(value), rest) == (NESTED[2:-2], b"")


def test_an_external_of_indefinite_length_reads_as_its_definite_twin() -> None:
    indefinite = h("2880 0603 2a0304 a080 3080 020105 0000 0000 0000")
    definite = h("280c 0603 2a0304 a005 3003 020105")
    open_form, _ = decode(indefinite, External())
    closed_form, _ = decode(definite, External())
    assert dotted(open_form["direct-reference"]) == "1.2.3.4"
    assert open_form["encoding"]["single-ASN1-type"].asOctets() == h("3080 020105 0000")
    assert closed_form["encoding"]["single-ASN1-type"].asOctets() == h("3003 020105")


@pytest.mark.parametrize(
    "damaged",
    [NESTED[:-2], NESTED[:-4], h("a080 3080 a180 0201"), h("a080 04056162 0000")],
    ids=["no-outer-end", "no-inner-ends", "cut-inside", "child-overruns"],
)
def test_a_damaged_indefinite_any_is_a_pyasn1_error(damaged: bytes) -> None:
    with pytest.raises(PyAsn1Error):
        decode(damaged, explicit(univ.Any(), 0))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (h("0403 616263"), b"abc"),
        (h("1b03 c3a978"), b"\xc3\xa9x"),  # GeneralString (SUTRS): octets, not Latin-1 text
        (h("2480 0402 6162 0401 63 0000"), b"abc"),  # a segmented OCTET STRING is joined
        (h("0c02 6869"), b"hi"),
        (h("3003 020105"), None),  # a SEQUENCE is no text
        (h("0405 6162"), None),  # a string cut short is left to the record reader
    ],
)
def test_text_octets(value: bytes, expected: bytes | None) -> None:
    assert text_octets(value) == expected


@pytest.mark.parametrize("encodings", [(), ("single-ASN1-type", "octet-aligned")])
def test_a_record_external_needs_exactly_one_encoding(encodings: tuple[str, ...]) -> None:
    """RecordExternal spells the encoding CHOICE as OPTIONAL fields: one must be there."""

    good = encode(PresentResponse(1, 2, records=(RetrievalRecord("1.2.3", b"xy"),)))
    pdu, _ = decode(good, APDUS[25][1])
    external = pdu["records"]["responseRecords"][0]["record"]["retrievalRecord"]
    external["octet-aligned"] = univ.noValue
    for kind in encodings:
        external[kind] = h("0400") if kind == "single-ASN1-type" else b"xy"
    with pytest.raises(RemoteProtocolError, match="malformed presentResponse") as caught:
        decode_apdu(stock_encoder.encode(pdu))
    assert f"has {len(encodings)} encodings instead of one" in (caught.value.detail or "")
