"""Search and Present responses read without pyasn1, because records are most of the bytes.

pyasn1 builds an object per element and reads about 3,500 MARC records a second; walking
the same TLVs directly is an order of magnitude faster (see bench/bench_codec.py). The
walk accepts only the plain shapes targets send (records, surrogate diagnostics in the
default format); anything else returns None and the pyasn1 path decodes it, so errors
and rare shapes are still handled in one place. Tests check both paths agree.
"""

from __future__ import annotations

from app.z3950.ber import CONTEXT, TLV, UNIVERSAL, children, primitive_bytes, read_oid, read_tlv
from app.z3950.errors import RemoteProtocolError
from app.z3950.events import (
    Diagnostic,
    Event,
    PresentResponse,
    Record,
    RetrievalRecord,
    SearchResponse,
    SurrogateDiagnostic,
)
from app.z3950.retrieval import single_asn1_payload
from app.z3950.text import to_text, visible_text


class _Unusual(Exception):
    """A shape the fast path leaves to pyasn1."""


def decode(number: int, data: bytes, encoding: str) -> Event | None:
    """The event for a Search (23) or Present (25) response, or None to use pyasn1."""
    if number not in (23, 25):
        return None
    try:
        top = read_tlv(data, 0, len(data))
        if top.end != len(data):
            return None
        fields = _fields(data, top)
        if number == 25:
            return _present(data, fields, encoding)
        return _search(data, fields, encoding)
    except (_Unusual, RemoteProtocolError, ValueError, KeyError, IndexError):
        return None


def _fields(data: bytes, top: TLV) -> dict[int, TLV]:
    """Context tag -> element; every field of both responses is a distinct context tag."""
    found: dict[int, TLV] = {}
    for element in children(data, top):
        if element.cls != CONTEXT or element.tag in found:
            raise _Unusual
        found[element.tag] = element
    return found


def _int(data: bytes, element: TLV) -> int:
    if element.constructed or element.content == element.content_end:
        raise _Unusual
    return int.from_bytes(data[element.content : element.content_end], "big", signed=True)


def _optional_int(data: bytes, fields: dict[int, TLV], tag: int) -> int | None:
    return _int(data, fields[tag]) if tag in fields else None


def _reference(data: bytes, fields: dict[int, TLV]) -> bytes | None:
    return primitive_bytes(data, fields[2]) if 2 in fields else None


def _records(
    data: bytes, fields: dict[int, TLV], encoding: str
) -> tuple[tuple[Record, ...], tuple[Diagnostic, ...]]:
    if 28 in fields:
        listing = children(data, fields[28])
        return tuple(_name_plus_record(data, npr, encoding) for npr in listing), ()
    if 130 in fields or 205 in fields:
        raise _Unusual  # non-surrogate diagnostics: small, left to pyasn1
    return (), ()


def _present(data: bytes, fields: dict[int, TLV], encoding: str) -> PresentResponse:
    if not set(fields) <= {2, 24, 25, 27, 28, 130, 205, 201}:
        raise _Unusual
    records, diagnostics = _records(data, fields, encoding)
    return PresentResponse(
        records_returned=_int(data, fields[24]),
        next_position=_int(data, fields[25]),
        present_status=_int(data, fields[27]),
        records=records,
        diagnostics=diagnostics,
        reference_id=_reference(data, fields),
    )


def _search(data: bytes, fields: dict[int, TLV], encoding: str) -> SearchResponse:
    if not set(fields) <= {2, 23, 24, 25, 22, 26, 27, 28, 130, 205, 203, 201}:
        raise _Unusual
    records, diagnostics = _records(data, fields, encoding)
    status = fields[22]
    return SearchResponse(
        result_count=_int(data, fields[23]),
        search_status=any(data[status.content : status.content_end]),
        records_returned=_int(data, fields[24]),
        next_position=_int(data, fields[25]),
        result_set_status=_optional_int(data, fields, 26),
        present_status=_optional_int(data, fields, 27),
        records=records,
        diagnostics=diagnostics,
        reference_id=_reference(data, fields),
    )


def _name_plus_record(data: bytes, npr: TLV, encoding: str) -> Record:
    if npr.cls != UNIVERSAL or npr.tag != 16:
        raise _Unusual
    database: str | None = None
    chosen: TLV | None = None
    for part in children(data, npr):
        if part.cls != CONTEXT:
            raise _Unusual
        if part.tag == 0 and chosen is None:
            database = to_text(primitive_bytes(data, part), encoding)
        elif part.tag == 1 and chosen is None:
            chosen = read_tlv(data, part.content, part.content_end)
            if chosen.end != part.content_end:
                raise _Unusual
        else:
            raise _Unusual
    if chosen is None or chosen.cls != CONTEXT:
        raise _Unusual
    inner = read_tlv(data, chosen.content, chosen.content_end)
    if chosen.tag == 1:
        return _external_record(data, inner, database)
    if chosen.tag == 2:
        return SurrogateDiagnostic(_default_diag(data, inner, encoding), database)
    raise _Unusual  # fragments


def _external_record(data: bytes, external: TLV, database: str | None) -> RetrievalRecord:
    if external.cls != UNIVERSAL or external.tag != 8:
        raise _Unusual
    oid: str | None = None
    for part in children(data, external):
        if part.cls == UNIVERSAL and part.tag == 6 and oid is None:
            oid = read_oid(data, part)
        elif part.cls == UNIVERSAL and part.tag in (2, 7):
            continue  # indirect-reference, data-value-descriptor
        elif part.cls == CONTEXT and part.tag == 1:
            return RetrievalRecord(oid, primitive_bytes(data, part), database)
        elif part.cls == CONTEXT and part.tag == 0 and part.constructed:
            value = bytes(data[part.content : part.content_end])
            return RetrievalRecord(oid, single_asn1_payload(oid, value), database, True)
        else:
            raise _Unusual  # arbitrary (BIT STRING) or something else
    raise _Unusual


def _default_diag(data: bytes, diag: TLV, encoding: str) -> Diagnostic:
    if diag.cls != UNIVERSAL or diag.tag != 16:
        raise _Unusual  # an externally defined diagnostic
    parts = list(children(data, diag))
    if len(parts) not in (2, 3) or parts[0].tag != 6 or parts[1].tag != 2:
        raise _Unusual
    addinfo = ""
    if len(parts) == 3:
        if parts[2].cls != UNIVERSAL or parts[2].tag not in (26, 27):
            raise _Unusual
        octets = primitive_bytes(data, parts[2])
        read = visible_text if parts[2].tag == 26 else to_text
        addinfo = read(octets, encoding)
    diagnostic_set = read_oid(data, parts[0])
    return Diagnostic(_int(data, parts[1]), addinfo, diagnostic_set)
