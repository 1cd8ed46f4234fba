"""The PDU CHOICE: every APDU Polycat speaks by its tag, and the ones it refuses by name."""

from __future__ import annotations

from typing import Any

from app.z3950.asn1.base import implicit
from app.z3950.asn1.init import InitializeRequest, InitializeResponse
from app.z3950.asn1.search import PresentRequest, PresentResponse, SearchRequest, SearchResponse
from app.z3950.asn1.services import (
    Close,
    DeleteResultSetRequest,
    DeleteResultSetResponse,
    ResourceReportRequest,
    ResourceReportResponse,
    ScanRequest,
    ScanResponse,
    SortRequest,
    SortResponse,
    TriggerResourceControlRequest,
)

__all__ = ["APDUS", "UNSUPPORTED_APDUS"]


# tag number -> (name, type); every alternative of the CHOICE is IMPLICIT
APDUS: dict[int, tuple[str, Any]] = {
    number: (name, implicit(asn1, number))
    for number, name, asn1 in (
        (20, "initRequest", InitializeRequest()),
        (21, "initResponse", InitializeResponse()),
        (22, "searchRequest", SearchRequest()),
        (23, "searchResponse", SearchResponse()),
        (24, "presentRequest", PresentRequest()),
        (25, "presentResponse", PresentResponse()),
        (26, "deleteResultSetRequest", DeleteResultSetRequest()),
        (27, "deleteResultSetResponse", DeleteResultSetResponse()),
        (32, "triggerResourceControlRequest", TriggerResourceControlRequest()),
        (33, "resourceReportRequest", ResourceReportRequest()),
        (34, "resourceReportResponse", ResourceReportResponse()),
        (35, "scanRequest", ScanRequest()),
        (36, "scanResponse", ScanResponse()),
        (43, "sortRequest", SortRequest()),
        (44, "sortResponse", SortResponse()),
        (48, "close", Close()),
    )
}

# APDUs of the standard Polycat does not speak, so a refusal can name them.
UNSUPPORTED_APDUS: dict[int, str] = {
    28: "accessControlRequest",
    29: "accessControlResponse",
    30: "resourceControlRequest",
    31: "resourceControlResponse",
    45: "segmentRequest",
    46: "extendedServicesRequest",
    47: "extendedServicesResponse",
    49: "duplicateDetectionRequest",
    50: "duplicateDetectionResponse",
}
