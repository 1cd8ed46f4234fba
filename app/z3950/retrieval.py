"""Records in Search and Present responses: NamePlusRecord <-> RetrievalRecord, record
EXTERNALs in every encoding, surrogate and non-surrogate diagnostics.

A record's bytes are never decoded as text here. Octet-aligned records carry their octets;
a single-ASN1-type record of a text syntax (SUTRS, or MARC/XML some targets send this way)
carries the string's octets; a structured one (OPAC, GRS-1, Explain) carries the BER of its
value exactly as the target sent it, indefinite lengths included.
"""

from __future__ import annotations

from typing import Any

from pyasn1.codec.ber import encoder
from pyasn1.type import univ

from app.z3950 import oids
from app.z3950.asn1.base import (
    InternationalString,
    components_at,
    external_encoding,
    external_oid,
    text_octets,
)
from app.z3950.errors import LocalProtocolError, RemoteProtocolError
from app.z3950.events import Diagnostic, Record, RetrievalRecord, SurrogateDiagnostic
from app.z3950.externals import (
    check_one_value,
    fill_default_diag,
    fill_diag_rec,
    read_default_diag,
    read_diag_rec,
)
from app.z3950.text import to_octets, to_text


def single_asn1_payload(oid: str | None, value: bytes) -> bytes:
    """What a RetrievalRecord keeps of a single-ASN1-type record's inner BER value: a
    structured record its BER as sent, a text record its string's octets."""
    if oid in oids.STRUCTURED_SYNTAXES:
        return value
    text = text_octets(value)
    return value if text is None else text


def single_asn1_value(record: RetrievalRecord) -> bytes:
    """The inverse of ``single_asn1_payload``: the inner BER value to send."""
    if record.oid in oids.STRUCTURED_SYNTAXES:
        check_one_value(record.data, "A structured record (OPAC, GRS-1...)")
        return record.data
    string = InternationalString if record.oid == oids.SUTRS else univ.OctetString
    return bytes(encoder.encode(string(record.data)))


# --- encoding -----------------------------------------------------------------------------


def fill_records(
    response: Any, records: tuple[Record, ...], diagnostics: tuple[Diagnostic, ...], encoding: str
) -> None:
    """Set the ``records`` CHOICE of a Search/Present response (absent when both are empty)."""
    if records and diagnostics:
        raise LocalProtocolError(
            "A response carries either records or non-surrogate diagnostics, not both."
        )
    if records:
        listing = response["records"]["responseRecords"]
        for index, record in enumerate(records):
            _fill_name_plus_record(listing[index], record, encoding)
    elif len(diagnostics) == 1:
        fill_default_diag(response["records"]["nonSurrogateDiagnostic"], diagnostics[0], encoding)
    elif diagnostics:
        listing = response["records"]["multipleNonSurDiagnostics"]
        for index, diagnostic in enumerate(diagnostics):
            fill_diag_rec(listing[index], diagnostic, encoding)


def _fill_name_plus_record(component: Any, record: Record, encoding: str) -> None:
    if record.database is not None:
        component["name"] = to_octets(record.database, encoding, "database name")
    chosen = component["record"]
    if isinstance(record, SurrogateDiagnostic):
        fill_diag_rec(chosen["surrogateDiagnostic"], record.diagnostic, encoding)
        return
    external = chosen["retrievalRecord"]
    if record.oid is not None:
        external["direct-reference"] = record.oid
    if record.single_asn1:
        external["single-ASN1-type"] = single_asn1_value(record)
    else:
        external["octet-aligned"] = record.data


# --- decoding -----------------------------------------------------------------------------


def read_records(
    component: Any, encoding: str
) -> tuple[tuple[Record, ...], tuple[Diagnostic, ...]]:
    """(records, non-surrogate diagnostics) from an optional ``records`` CHOICE."""
    if not component.isValue:
        return (), ()
    kind = component.getName()
    if kind == "nonSurrogateDiagnostic":
        return (), (read_default_diag(component[kind], encoding),)
    if kind == "multipleNonSurDiagnostics":
        return (), tuple(read_diag_rec(rec, encoding) for rec in component[kind])
    return tuple(_read_name_plus_record(npr, encoding) for npr in component[kind]), ()


def _read_name_plus_record(component: Any, encoding: str) -> Record:
    (name,) = components_at(component, 0)
    database = None if name is None else to_text(name, encoding)
    chosen = component[1]
    kind = chosen.getName()
    if kind == "surrogateDiagnostic":
        return SurrogateDiagnostic(read_diag_rec(chosen[kind], encoding), database)
    if kind != "retrievalRecord":
        raise RemoteProtocolError(
            "The target sent a record in fragments (segmentation), which Polycat never asks for.",
            detail=f"NamePlusRecord.record {kind}",
        )
    external = chosen[kind]
    oid = external_oid(external)
    how, value = external_encoding(external)
    if how == "single-ASN1-type":
        return RetrievalRecord(oid, single_asn1_payload(oid, value), database, single_asn1=True)
    return RetrievalRecord(oid, value, database)
