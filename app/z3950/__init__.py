"""Z39.50 as bytes in, events out: ASN.1, BER framing, the association state machine, PQF.

No sockets and no asyncio live here (see app/net for those). The names below load on first
use: a program that only reads records (``polycat show``) imports the OID table or the ASN.1
base types without paying for the codec and the state machine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.z3950.codec import decode_apdu, encode_apdu
    from app.z3950.connection import Connection, Role, State
    from app.z3950.errors import (
        CharacterSetError,
        DiagnosticError,
        LocalProtocolError,
        ProtocolError,
        RemoteProtocolError,
    )
    from app.z3950.events import (
        NEED_DATA,
        Anonymous,
        CharsetAgreement,
        CharsetProposal,
        Close,
        CloseReason,
        ConnectionClosed,
        DeleteResultSetRequest,
        DeleteResultSetResponse,
        Diagnostic,
        Event,
        External,
        IdPass,
        InitRequest,
        InitResponse,
        OclcUserInformation,
        Open,
        PresentRequest,
        PresentResponse,
        Record,
        ResourceReportRequest,
        ResourceReportResponse,
        RetrievalRecord,
        ScanEntry,
        ScanRequest,
        ScanResponse,
        SearchRequest,
        SearchResponse,
        SortKey,
        SortRequest,
        SortResponse,
        SurrogateDiagnostic,
        TriggerResourceControlRequest,
    )
    from app.z3950.pqf import PQFError, parse_pqf, to_pqf

__all__ = [
    "NEED_DATA",
    "Anonymous",
    "CharacterSetError",
    "CharsetAgreement",
    "CharsetProposal",
    "Close",
    "CloseReason",
    "Connection",
    "ConnectionClosed",
    "DeleteResultSetRequest",
    "DeleteResultSetResponse",
    "Diagnostic",
    "DiagnosticError",
    "Event",
    "External",
    "IdPass",
    "InitRequest",
    "InitResponse",
    "LocalProtocolError",
    "OclcUserInformation",
    "Open",
    "PQFError",
    "PresentRequest",
    "PresentResponse",
    "ProtocolError",
    "Record",
    "RemoteProtocolError",
    "ResourceReportRequest",
    "ResourceReportResponse",
    "RetrievalRecord",
    "Role",
    "ScanEntry",
    "ScanRequest",
    "ScanResponse",
    "SearchRequest",
    "SearchResponse",
    "SortKey",
    "SortRequest",
    "SortResponse",
    "State",
    "SurrogateDiagnostic",
    "TriggerResourceControlRequest",
    "decode_apdu",
    "encode_apdu",
    "parse_pqf",
    "to_pqf",
]

# the module each public name lives in; everything not listed is an event
_HOMES = {
    "decode_apdu": "codec",
    "encode_apdu": "codec",
    "Connection": "connection",
    "Role": "connection",
    "State": "connection",
    "CharacterSetError": "errors",
    "DiagnosticError": "errors",
    "LocalProtocolError": "errors",
    "ProtocolError": "errors",
    "RemoteProtocolError": "errors",
    "PQFError": "pqf",
    "parse_pqf": "pqf",
    "to_pqf": "pqf",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_HOMES.get(name, 'events')}")
    value = getattr(module, name)
    globals()[name] = value  # looked up once
    return value
