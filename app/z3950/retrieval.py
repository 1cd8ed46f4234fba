"""Records in Search and Present responses: NamePlusRecord <-> RetrievalRecord, record
EXTERNALs in every encoding, surrogate and non-surrogate diagnostics.

A record's bytes are never decoded as text here. Octet-aligned records carry their octets;
a single-ASN1-type record of a text syntax (SUTRS, or MARC/XML some targets send this way)
carries the string's octets; a structured one (OPAC, GRS-1, Explain) carries its own BER,
in definite-length form.
"""

from __future__ import annotations

from typing import Any

from app.z3950 import ber, oids
from app.z3950.errors import LocalProtocolError, RemoteProtocolError
from app.z3950.events import Diagnostic, Record, RetrievalRecord, SurrogateDiagnostic
from app.z3950.externals import fill_default_diag, fill_diag_rec, read_default_diag, read_diag_rec
from app.z3950.text import to_octets, to_text

# UNIVERSAL string types a target may wrap a text record in
_STRING_TAGS = frozenset({4, 12, 18, 19, 20, 21, 22, 25, 26, 27, 28, 30})
_OCTET_STRING = 0x04
_GENERAL_STRING = 0x1B


def single_asn1_payload(oid: str | None, value: bytes) -> bytes:
    """What a RetrievalRecord keeps of a single-ASN1-type record's inner BER value.

    A structured record keeps its BER with lengths made definite (YAZ writes OPAC records
    with indefinite lengths, which pyasn1-based readers of the record cannot take).
    """
    if oid in oids.STRUCTURED_SYNTAXES:
        return ber.definite(value)
    element = ber.read_tlv(value, 0, len(value))
    if element.cls == ber.UNIVERSAL and element.tag in _STRING_TAGS:
        return ber.primitive_bytes(value, element)
    return value


def single_asn1_value(record: RetrievalRecord) -> bytes:
    """The inverse of ``single_asn1_payload``: the inner BER value to send."""
    if record.oid in oids.STRUCTURED_SYNTAXES:
        try:
            element = ber.read_tlv(record.data, 0, len(record.data))
        except RemoteProtocolError as exc:
            raise LocalProtocolError(
                "A structured record (OPAC, GRS-1...) must hold its BER value.", detail=exc.detail
            ) from exc
        if element.end != len(record.data):
            raise LocalProtocolError("A structured record holds more than one BER value.")
        return record.data
    identifier = _GENERAL_STRING if record.oid == oids.SUTRS else _OCTET_STRING
    return ber.tlv(identifier, record.data)


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
        external["encoding"]["single-ASN1-type"] = single_asn1_value(record)
    else:
        external["encoding"]["octet-aligned"] = record.data


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
    name = component["name"]
    database = to_text(name, encoding) if name.isValue else None
    chosen = component["record"]
    kind = chosen.getName()
    if kind == "surrogateDiagnostic":
        return SurrogateDiagnostic(read_diag_rec(chosen[kind], encoding), database)
    if kind != "retrievalRecord":
        raise RemoteProtocolError(
            "The target sent a record in fragments (segmentation), which Polycat never asks for.",
            detail=f"NamePlusRecord.record {kind}",
        )
    external = chosen[kind]
    reference = external["direct-reference"]
    oid = str(reference) if reference.isValue else None
    encoding_choice = external["encoding"]
    value = encoding_choice.getComponent().asOctets()
    if encoding_choice.getName() == "single-ASN1-type":
        return RetrievalRecord(oid, single_asn1_payload(oid, value), database, single_asn1=True)
    return RetrievalRecord(oid, value, database)
