"""The OPAC record syntax (1.2.840.10003.5.102): a bibliographic record plus holdings.

The ASN.1 is YAZ's z3950v3.asn, module RecordSyntax-opac, where every tag is IMPLICIT:

    OPACRecord ::= SEQUENCE {
      bibliographicRecord [1] IMPLICIT EXTERNAL OPTIONAL,
      holdingsData        [2] IMPLICIT SEQUENCE OF HoldingsRecord OPTIONAL }
    HoldingsRecord ::= CHOICE {
      marcHoldingsRecord  [1] IMPLICIT EXTERNAL,
      holdingsAndCirc     [2] IMPLICIT HoldingsAndCircData }

The fields the standard calls required (CircRecord's availableNow, renewable, onHold) are
optional here, so that a record from a server that leaves them out still reads. Strings
(InternationalString = GeneralString) are kept as bytes and decoded as UTF-8, falling back to
Latin-1, because pyasn1 would decode them as Latin-1.
"""

# pyasn1 ships no type information, so its classes are Any to mypy
# mypy: disallow-subclassing-any=False
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyasn1.codec.ber import encoder
from pyasn1.error import PyAsn1Error
from pyasn1.type import namedtype, univ

from app.records.errors import UnreadableRecord
from app.records.model import BibRecord, Holding
from app.records.text import clean, join_nonempty
from app.z3950 import oids
from app.z3950.asn1.base import (
    External,
    InternationalString,
    explicit,
    external_encoding,
    external_oid,
    field,
    implicit,
    optional,
    sequence_of,
    text_octets,
)
from app.z3950.asn1.decoder import decode

__all__ = ["HoldingsRecord", "OPACRecord", "encode_opac", "read_opac"]


def _strings(*names: str, start: int = 1) -> list[namedtype.OptionalNamedType]:
    return [
        optional(name, implicit(InternationalString(), number))
        for number, name in enumerate(names, start)
    ]


class Volume(univ.Sequence):
    componentType = namedtype.NamedTypes(*_strings("enumeration", "chronology", "enumAndChron"))


class CircRecord(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("availableNow", implicit(univ.Boolean(), 1)),
        *_strings("availablityDate", "availableThru", "restrictions", "itemId", start=2),
        optional("renewable", implicit(univ.Boolean(), 6)),
        optional("onHold", implicit(univ.Boolean(), 7)),
        *_strings("enumAndChron", "midspine", "temporaryLocation", start=8),
    )


_HOLDINGS_STRINGS = (
    "typeOfRecord", "encodingLevel", "format", "receiptAcqStatus", "generalRetention",
    "completeness", "dateOfReport", "nucCode", "localLocation", "shelvingLocation",
    "callNumber", "shelvingData", "copyNumber", "publicNote", "reproductionNote",
    "termsUseRepro", "enumAndChron",
)


class HoldingsAndCircData(univ.Sequence):
    componentType = namedtype.NamedTypes(
        *_strings(*_HOLDINGS_STRINGS),
        optional("volumes", implicit(sequence_of(Volume()), 18)),
        optional("circulationData", implicit(sequence_of(CircRecord()), 19)),
    )


class HoldingsRecord(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("marcHoldingsRecord", implicit(External(), 1)),
        field("holdingsAndCirc", implicit(HoldingsAndCircData(), 2)),
    )


class OPACRecord(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("bibliographicRecord", implicit(External(), 1)),
        optional("holdingsData", implicit(sequence_of(HoldingsRecord()), 2)),
    )


def _text(value: Any) -> str:
    if value is None or not value.isValue:
        return ""
    raw = bytes(value)
    try:
        return clean(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return clean(raw.decode("latin-1"))


def _external_payload(external: Any) -> tuple[str | None, bytes]:
    """(OID, bytes) of an EXTERNAL: octet-aligned bytes, a string's octets (MARC sent as
    single-ASN1-type), or any other single-ASN1-type value's BER.

    Read here, not by ``app.z3950.externals``, which would load the protocol's events too.
    """
    how, payload = external_encoding(external)
    text = text_octets(payload) if how == "single-ASN1-type" else None
    return external_oid(external), payload if text is None else text


def _circulation(item: Any) -> str:
    available = item["availableNow"]
    if available.isValue and bool(available):
        state = "available"
    elif available.isValue:
        until = _text(item["availablityDate"])
        state = f"on loan until {until}" if until else "not available"
    else:
        state = ""
    return join_nonempty(
        [state, _text(item["restrictions"]), _text(item["temporaryLocation"]),
         f"item {_text(item['itemId'])}" if _text(item["itemId"]) else ""],
        ", ",
    )


def _holding(data: Any) -> Holding:
    circulation = data["circulationData"]
    items = [_circulation(c) for c in circulation] if circulation.isValue else []
    volumes = data["volumes"]
    held = [
        join_nonempty([_text(v["enumeration"]), _text(v["chronology"]),
                       _text(v["enumAndChron"])], " ")
        for v in volumes
    ] if volumes.isValue else []
    note = join_nonempty(
        [
            _text(data["copyNumber"]),
            _text(data["enumAndChron"]),
            ", ".join(h for h in held if h),
            _text(data["publicNote"]),
            "; ".join(i for i in items if i),
        ],
        "; ",
    )
    return Holding(
        symbol=_text(data["nucCode"]),
        location=join_nonempty(
            [_text(data["localLocation"]), _text(data["shelvingLocation"])], ", "
        ),
        call_number=join_nonempty([_text(data["callNumber"]), _text(data["shelvingData"])]),
        note=note,
    )


class _Wrapped(univ.Choice):
    """An OPACRecord as a caller may pass it: bare, in its EXTERNAL, or in the EXTERNAL's
    single-ASN1-type tag (any other value lands in that ANY whole, and is refused)."""

    componentType = namedtype.NamedTypes(
        field("record", OPACRecord()),
        field("external", External()),
        field("single-ASN1-type", explicit(univ.Any(), 0)),
    )


def _opac_record(data: bytes) -> tuple[Any, bytes]:
    """The OPACRecord and the octets after it, its wrappers taken off by pyasn1."""
    for _ in range(3):  # at most [0] { EXTERNAL { OPACRecord } }
        chosen, rest = decode(data, _Wrapped())
        kind = chosen.getName()
        if kind == "record":
            return chosen[kind], rest
        inner = _external_payload(chosen[kind])[1] if kind == "external" else bytes(chosen[kind])
        if len(inner) >= len(data):
            break  # not a wrapper: the ANY took the whole value
        data = inner
    raise PyAsn1Error("the value is not an OPACRecord, nor one inside an EXTERNAL")


def read_opac(
    data: bytes,
    read_embedded: Callable[[str | None, bytes], BibRecord],
    holdings_from_marc: Callable[[bytes], tuple[Holding, ...]],
) -> tuple[BibRecord, tuple[Holding, ...], list[str]]:
    """The bibliographic record (read by ``read_embedded`` from its OID and bytes), every
    holding, and warnings. MARC holdings records go through ``holdings_from_marc``."""
    try:
        record, rest = _opac_record(data)
    except PyAsn1Error as exc:
        raise UnreadableRecord(
            "the OPAC record is not valid BER for the OPAC record syntax", detail=str(exc)
        ) from exc
    warnings = [f"{len(rest)} bytes after the OPAC record were ignored"] if rest else []
    bib = BibRecord(warnings=("the OPAC record carries no bibliographic record",))
    if record["bibliographicRecord"].isValue:
        oid, payload = _external_payload(record["bibliographicRecord"])
        bib = read_embedded(oid, payload)
    holdings: list[Holding] = []
    if record["holdingsData"].isValue:
        for entry in record["holdingsData"]:
            if entry.getName() == "holdingsAndCirc":
                holdings.append(_holding(entry["holdingsAndCirc"]))
            else:
                holdings.extend(holdings_from_marc(_external_payload(entry["marcHoldingsRecord"])[1]))
    return bib, tuple(holdings), warnings


def encode_opac(
    marc: bytes | None,
    holdings: list[dict[str, str]],
    *,
    circulation: list[list[dict[str, str | bool]]] | None = None,
    marc_oid: str = oids.USMARC,
) -> bytes:
    """The BER of an OPACRecord: ``marc`` as its bibliographic record (octet-aligned), one
    holdingsAndCirc per dict of HoldingsAndCircData string fields, and per holding an
    optional list of CircRecord dicts. For the tests, which need OPAC records of every shape."""
    record = OPACRecord()
    if marc is not None:
        external = record["bibliographicRecord"]
        external["direct-reference"] = univ.ObjectIdentifier(marc_oid)
        external["encoding"]["octet-aligned"] = marc
    if holdings:
        entries = record["holdingsData"]
        for i, fields in enumerate(holdings):
            entry = HoldingsRecord()
            data = entry["holdingsAndCirc"]
            for name, value in fields.items():
                data[name] = value.encode("utf-8")
            for item in circulation[i] if circulation and i < len(circulation) else []:
                circ = CircRecord()
                for name, given in item.items():
                    circ[name] = given.encode("utf-8") if isinstance(given, str) else given
                data["circulationData"].append(circ)
            entries.append(entry)
    return bytes(encoder.encode(record))
