"""Events to BER and back: ``encode_apdu`` and ``decode_apdu`` for every APDU in events.py.

The APDUs of each service group are filled and read in their own module (``init_codec``,
``search_codec``, ``scan_sort_codec``); Delete, resource control and Close, a few lines each,
are here with the tables that dispatch to all of them.

Both directions exist for requests and responses alike, so the same core can play an
origin or a target. Strings use the association's character set (``encoding``); record
bytes are never touched. Whatever a peer sends that we cannot read raises
RemoteProtocolError naming the APDU and the part that was wrong, never a pyasn1 traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyasn1.codec.ber import encoder
from pyasn1.error import PyAsn1Error

from app.z3950 import ber
from app.z3950.asn1.apdus import APDUS, UNSUPPORTED_APDUS
from app.z3950.asn1.decoder import decode
from app.z3950.components import optional_text, read_texts, reference_id
from app.z3950.errors import LocalProtocolError, RemoteProtocolError
from app.z3950.events import (
    Close,
    CloseReason,
    DeleteResultSetRequest,
    DeleteResultSetResponse,
    Event,
    InitRequest,
    InitResponse,
    PresentRequest,
    PresentResponse,
    ResourceReportRequest,
    ResourceReportResponse,
    ScanRequest,
    ScanResponse,
    SearchRequest,
    SearchResponse,
    SortRequest,
    SortResponse,
    TriggerResourceControlRequest,
)
from app.z3950.init_codec import (
    fill_init_request,
    fill_init_response,
    read_init_request,
    read_init_response,
)
from app.z3950.scan_sort_codec import (
    fill_scan_request,
    fill_scan_response,
    fill_sort_request,
    fill_sort_response,
    read_scan_request,
    read_scan_response,
    read_sort_request,
    read_sort_response,
)
from app.z3950.search_codec import (
    fill_present_request,
    fill_present_response,
    fill_search_request,
    fill_search_response,
    read_present_request,
    read_present_response,
    read_search_request,
    read_search_response,
)
from app.z3950.text import to_octets, to_text

# --- public API ---------------------------------------------------------------------------


def encode_apdu(event: Event, *, encoding: str = "utf-8") -> bytes:
    """The BER bytes of one APDU. LocalProtocolError for an event that is not an APDU or
    holds something that cannot be sent (a term the character set cannot hold)."""
    entry = _ENCODERS.get(type(event))
    if entry is None:
        raise LocalProtocolError(f"{type(event).__name__} is not an APDU that can be sent.")
    number, fill = entry
    pdu = APDUS[number][1].clone()
    fill(pdu, event, encoding)
    reference = getattr(event, "reference_id", None)
    if reference is not None:
        pdu["referenceId"] = reference
    try:
        return bytes(encoder.encode(pdu))
    except PyAsn1Error as exc:
        raise LocalProtocolError(
            f"{type(event).__name__} could not be encoded.", detail=str(exc)
        ) from exc


def decode_apdu(data: bytes, *, encoding: str = "utf-8") -> Event:
    """The event for one whole APDU (as ``framing`` cuts them). RemoteProtocolError if the
    bytes are not a Z39.50 APDU Polycat understands.

    Only the first header is read here, as the framer reads it (which APDU, to choose its
    spec and to name one Polycat does not speak); pyasn1 decodes the rest."""
    header = ber.read_header(data, 0, len(data))
    if header is None:
        raise RemoteProtocolError(
            "The target sent a truncated message.", detail=f"{len(data)} octets: {data.hex()}"
        )
    identifier, number, _, _ = header
    if identifier & 0xE0 != ber.CONTEXT | ber.CONSTRUCTED or number not in APDUS:
        if identifier & 0xE0 == ber.CONTEXT | ber.CONSTRUCTED and number in UNSUPPORTED_APDUS:
            name = UNSUPPORTED_APDUS[number]
            raise RemoteProtocolError(
                f"The target sent a {name}, a Z39.50 service Polycat does not support.",
                detail=f"APDU [{number}] {name}",
            )
        raise RemoteProtocolError(
            "The target sent something that is not a Z39.50 message.",
            detail=f"unknown APDU tag {ber.tag_name(identifier & 0xC0, number)};"
            f" first octets {data[:16].hex()}",
        )
    name, spec = APDUS[number]
    try:
        pdu, rest = decode(data, spec)
        if rest:
            raise RemoteProtocolError(
                f"The target sent a malformed {name} APDU.",
                detail=f"{len(rest)} octets after the end of {name}",
            )
        return _DECODERS[number](pdu, encoding)
    except RemoteProtocolError:
        raise
    except Exception as exc:  # pyasn1 fails in many ways on bad input; all mean the same
        raise RemoteProtocolError(
            f"The target sent a malformed {name} APDU.", detail=f"{name}: {exc!r}"
        ) from exc


# --- Delete, resource control, Close ------------------------------------------------------


def _fill_delete_request(pdu: Any, event: DeleteResultSetRequest, encoding: str) -> None:
    pdu["deleteFunction"] = 1 if event.all else 0
    for index, name in enumerate(event.names):
        pdu["resultSetList"][index] = to_octets(name, encoding, "result set name")


def _read_delete_request(pdu: Any, encoding: str) -> DeleteResultSetRequest:
    names = pdu["resultSetList"]
    return DeleteResultSetRequest(
        names=read_texts(names, encoding) if names.isValue else (),
        all=int(pdu["deleteFunction"]) == 1,
        reference_id=reference_id(pdu),
    )


def _fill_delete_response(pdu: Any, event: DeleteResultSetResponse, encoding: str) -> None:
    pdu["deleteOperationStatus"] = event.status
    for index, (name, status) in enumerate(event.statuses):
        entry = pdu["deleteListStatuses"][index]
        entry["id"] = to_octets(name, encoding, "result set name")
        entry["status"] = status


def _read_delete_response(pdu: Any, encoding: str) -> DeleteResultSetResponse:
    statuses = pdu["deleteListStatuses"]
    return DeleteResultSetResponse(
        status=int(pdu["deleteOperationStatus"]),
        statuses=tuple((to_text(s["id"], encoding), int(s["status"])) for s in statuses)
        if statuses.isValue
        else (),
        reference_id=reference_id(pdu),
    )


def _fill_trigger(pdu: Any, event: TriggerResourceControlRequest, encoding: str) -> None:
    pdu["requestedAction"] = event.action


def _read_trigger(pdu: Any, encoding: str) -> TriggerResourceControlRequest:
    return TriggerResourceControlRequest(
        action=int(pdu["requestedAction"]), reference_id=reference_id(pdu)
    )


def _fill_report_request(pdu: Any, event: ResourceReportRequest, encoding: str) -> None:
    """Nothing but the reference id: Polycat asks for the target's default report format."""


def _read_report_request(pdu: Any, encoding: str) -> ResourceReportRequest:
    return ResourceReportRequest(reference_id=reference_id(pdu))


def _fill_report_response(pdu: Any, event: ResourceReportResponse, encoding: str) -> None:
    pdu["resourceReportStatus"] = event.status


def _read_report_response(pdu: Any, encoding: str) -> ResourceReportResponse:
    return ResourceReportResponse(
        status=int(pdu["resourceReportStatus"]), reference_id=reference_id(pdu)
    )


def _fill_close(pdu: Any, event: Close, encoding: str) -> None:
    pdu["closeReason"] = int(event.reason)
    if event.diagnostic_information is not None:
        pdu["diagnosticInformation"] = to_octets(
            event.diagnostic_information, encoding, "close message"
        )


def _read_close(pdu: Any, encoding: str) -> Close:
    value = int(pdu["closeReason"])
    known = value in CloseReason._value2member_map_
    reason = CloseReason(value) if known else CloseReason.UNSPECIFIED
    return Close(
        reason=reason,
        diagnostic_information=optional_text(pdu["diagnosticInformation"], encoding),
        reference_id=reference_id(pdu),
    )


_ENCODERS: dict[type, tuple[int, Callable[[Any, Any, str], None]]] = {
    InitRequest: (20, fill_init_request),
    InitResponse: (21, fill_init_response),
    SearchRequest: (22, fill_search_request),
    SearchResponse: (23, fill_search_response),
    PresentRequest: (24, fill_present_request),
    PresentResponse: (25, fill_present_response),
    DeleteResultSetRequest: (26, _fill_delete_request),
    DeleteResultSetResponse: (27, _fill_delete_response),
    TriggerResourceControlRequest: (32, _fill_trigger),
    ResourceReportRequest: (33, _fill_report_request),
    ResourceReportResponse: (34, _fill_report_response),
    ScanRequest: (35, fill_scan_request),
    ScanResponse: (36, fill_scan_response),
    SortRequest: (43, fill_sort_request),
    SortResponse: (44, fill_sort_response),
    Close: (48, _fill_close),
}

_DECODERS: dict[int, Callable[[Any, str], Event]] = {
    20: read_init_request,
    21: read_init_response,
    22: read_search_request,
    23: read_search_response,
    24: read_present_request,
    25: read_present_response,
    26: _read_delete_request,
    27: _read_delete_response,
    32: _read_trigger,
    33: _read_report_request,
    34: _read_report_response,
    35: read_scan_request,
    36: read_scan_response,
    43: read_sort_request,
    44: read_sort_response,
    48: _read_close,
}
