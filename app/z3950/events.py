"""Every APDU as a frozen event: what ``Connection.send`` takes and ``next_event`` returns.

The same events serve both roles: an origin sends requests and receives responses, a target
(the in-process test target, the offline demo) does the reverse. Field names follow the
standard's ASN.1 names in Python spelling; OIDs are dotted strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from app.z3950.oids import BIB1_DIAGNOSTICS
from app.z3950.rpn import BIB1, RPNQuery, Term

BIB1_DIAG = BIB1_DIAGNOSTICS

# Init options we ask for: what a federated search client actually uses.
DEFAULT_OPTIONS: frozenset[str] = frozenset(
    {
        "search",
        "present",
        "delSet",
        "resourceReport",
        "triggerResourceCtrl",
        "scan",
        "sort",
        "namedResultSets",
        "negotiationModel",
    }
)

# Bit positions of the Init Options BIT STRING (Z39.50-2003 3.2.1.1.6).
OPTION_BITS: dict[str, int] = {
    "search": 0,
    "present": 1,
    "delSet": 2,
    "resourceReport": 3,
    "triggerResourceCtrl": 4,
    "resourceCtrl": 5,
    "accessCtrl": 6,
    "scan": 7,
    "sort": 8,
    "extendedServices": 10,
    "level-1Segmentation": 11,
    "level-2Segmentation": 12,
    "concurrentOperations": 13,
    "namedResultSets": 14,
    "encapsulation": 15,
    "resultCountInSort": 16,
    "negotiationModel": 17,
    "duplicateDetection": 18,
    "queryType104": 19,
    "pQESCorrection": 20,
    "stringSchema": 21,
}


class CloseReason(IntEnum):
    FINISHED = 0
    SHUTDOWN = 1
    SYSTEM_PROBLEM = 2
    COST_LIMIT = 3
    RESOURCES = 4
    SECURITY_VIOLATION = 5
    PROTOCOL_ERROR = 6
    LACK_OF_ACTIVITY = 7
    PEER_ABORT = 8
    UNSPECIFIED = 9


# --- pieces shared by several APDUs -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A DefaultDiagFormat: Bib-1 code, addinfo, and the table's text for the code."""

    code: int
    addinfo: str = ""
    diagnostic_set: str = BIB1_DIAG

    @property
    def message(self) -> str:
        from app.z3950.diagnostics import describe

        return describe(self.code, self.diagnostic_set)


@dataclass(frozen=True, slots=True)
class Open:
    """idAuthentication open: one string, often ``user/password``."""

    text: str


@dataclass(frozen=True, slots=True)
class IdPass:
    """idAuthentication idPass; OCLC reads userId and password and ignores groupId."""

    user: str | None = None
    password: str | None = None
    group: str | None = None


@dataclass(frozen=True, slots=True)
class Anonymous:
    """idAuthentication anonymous (NULL)."""


Authentication = Open | IdPass | Anonymous


@dataclass(frozen=True, slots=True)
class CharsetProposal:
    """Character-set negotiation-3 proposal, sent in the Init request's otherInfo."""

    charsets: tuple[str, ...] = ("UTF-8",)
    languages: tuple[str, ...] = ()
    records_in_selected_charsets: bool = True


@dataclass(frozen=True, slots=True)
class CharsetAgreement:
    """What the target chose in its Init response (absent when it ignored the proposal)."""

    charset: str | None
    language: str | None = None
    records_in_selected_charsets: bool | None = None


@dataclass(frozen=True, slots=True)
class External:
    """An EXTERNAL we do not interpret: its OID and the encoding's raw bytes."""

    oid: str | None
    data: bytes
    single_asn1: bool = False  # True: data is the BER of the single-ASN1-type value


@dataclass(frozen=True, slots=True)
class OclcUserInformation:
    """OCLC's user-information record (OID 1.2.840.10003.10.1000.17.1) on Init response."""

    motd: str | None = None
    dblist: tuple[str, ...] = ()
    fail_reason: bool | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class RetrievalRecord:
    """One record as sent: syntax OID, the database it came from, and its bytes untouched.

    Octet-aligned records (MARC, XML) carry the octets; a single-ASN1-type record carries
    the BER of the inner value (SUTRS: the string's bytes; OPAC, GRS-1: the encoded value).
    """

    oid: str | None
    data: bytes
    database: str | None = None
    single_asn1: bool = False


@dataclass(frozen=True, slots=True)
class SurrogateDiagnostic:
    """A record the target could not give, with why (e.g. 238 not in requested syntax)."""

    diagnostic: Diagnostic
    database: str | None = None


Record = RetrievalRecord | SurrogateDiagnostic


@dataclass(frozen=True, slots=True)
class ScanEntry:
    """One term in a scan list; ``count`` is None when the target does not say.

    A target may put a surrogate diagnostic where a term would be: then ``term`` is empty
    and ``diagnostic`` says why.
    """

    term: str
    count: int | None = None
    display: str | None = None
    diagnostic: Diagnostic | None = None  # a surrogate diagnostic in place of a term


@dataclass(frozen=True, slots=True)
class SortKey:
    """One sort key: a Bib-1 use attribute (4 title, 1003 author, 31 date) or a field name."""

    use: int | None = None
    field: str | None = None  # sortField (a name such as "year"), when use is None
    ascending: bool = True
    case_sensitive: bool = False


# --- Init ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InitRequest:
    version: int = 3  # highest version offered; every lower one from 2 is offered too
    options: frozenset[str] = DEFAULT_OPTIONS
    preferred_message_size: int = 16 * 1024 * 1024
    exceptional_record_size: int = 16 * 1024 * 1024
    authentication: Authentication | None = None
    implementation_id: str = "Polycat"
    implementation_name: str = "Polycat"
    implementation_version: str = "0.1.0"
    charset: CharsetProposal | None = None
    user_information: External | None = None
    reference_id: bytes | None = None


@dataclass(frozen=True, slots=True)
class InitResponse:
    accepted: bool
    version: int = 3  # highest version bit both sides set
    options: frozenset[str] = frozenset()
    preferred_message_size: int = 0
    exceptional_record_size: int = 0
    implementation_id: str | None = None
    implementation_name: str | None = None
    implementation_version: str | None = None
    charset: CharsetAgreement | None = None
    oclc: OclcUserInformation | None = None
    diagnostic: Diagnostic | None = None  # why a refused Init was refused, when it says
    user_information: External | None = None  # any other userInformationField, kept raw
    reference_id: bytes | None = None


# --- Search and Present -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchRequest:
    query: RPNQuery
    databases: tuple[str, ...]
    result_set_name: str = "default"
    replace: bool = True
    # piggy-backing: up to small_set_upper_bound hits come back whole in the response,
    # larger sets send medium_set_present_number records; large_set_lower_bound starts "large"
    small_set_upper_bound: int = 0
    large_set_lower_bound: int = 1
    medium_set_present_number: int = 0
    small_set_element_set: str | None = None
    medium_set_element_set: str | None = None
    preferred_record_syntax: str | None = None
    reference_id: bytes | None = None


@dataclass(frozen=True, slots=True)
class SearchResponse:
    result_count: int
    search_status: bool
    records_returned: int = 0
    next_position: int = 0
    result_set_status: int | None = None  # 1 subset, 2 interim, 3 none
    present_status: int | None = None  # 0 success .. 5 failure
    records: tuple[Record, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()  # nonSurrogateDiagnostic(s)
    reference_id: bytes | None = None


@dataclass(frozen=True, slots=True)
class PresentRequest:
    result_set: str
    start: int
    count: int
    element_set: str | None = None
    preferred_record_syntax: str | None = None
    max_record_size: int | None = None
    reference_id: bytes | None = None


@dataclass(frozen=True, slots=True)
class PresentResponse:
    records_returned: int
    next_position: int
    present_status: int = 0
    records: tuple[Record, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    reference_id: bytes | None = None


# --- Scan and Sort ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScanRequest:
    databases: tuple[str, ...]
    term: Term
    attribute_set: str = BIB1
    count: int = 20
    preferred_position: int = 1
    step_size: int = 0
    reference_id: bytes | None = None


@dataclass(frozen=True, slots=True)
class ScanResponse:
    status: int  # 0 success, 1 partial-1 .. 5 partial-5, 6 failure
    entries: tuple[ScanEntry, ...] = ()
    position_of_term: int | None = None
    step_size: int | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    reference_id: bytes | None = None


@dataclass(frozen=True, slots=True)
class SortRequest:
    inputs: tuple[str, ...]
    output: str
    keys: tuple[SortKey, ...]
    reference_id: bytes | None = None


@dataclass(frozen=True, slots=True)
class SortResponse:
    status: int  # 0 success, 1 partial-1, 2 failure
    result_set_status: int | None = None
    result_count: int | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    reference_id: bytes | None = None


# --- the rest of the services -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeleteResultSetRequest:
    names: tuple[str, ...] = ()  # empty and all=True: delete every result set
    all: bool = False
    reference_id: bytes | None = None


@dataclass(frozen=True, slots=True)
class DeleteResultSetResponse:
    status: int  # 0 success; other values per DeleteSetStatus
    statuses: tuple[tuple[str, int], ...] = ()
    reference_id: bytes | None = None


@dataclass(frozen=True, slots=True)
class TriggerResourceControlRequest:
    action: int = 3  # 1 resourceReport, 2 resourceControl, 3 cancel
    reference_id: bytes | None = None


@dataclass(frozen=True, slots=True)
class ResourceReportRequest:
    reference_id: bytes | None = None


@dataclass(frozen=True, slots=True)
class ResourceReportResponse:
    status: int  # 0 success, 1 partial, 2 failure-1 .. 6 failure-5, 6 noReport...
    reference_id: bytes | None = None


@dataclass(frozen=True, slots=True)
class Close:
    """Either side ends the association; a target may send it at any time."""

    reason: CloseReason = CloseReason.FINISHED
    diagnostic_information: str | None = None
    reference_id: bytes | None = None


Request = (
    InitRequest
    | SearchRequest
    | PresentRequest
    | ScanRequest
    | SortRequest
    | DeleteResultSetRequest
    | TriggerResourceControlRequest
    | ResourceReportRequest
)
Response = (
    InitResponse
    | SearchResponse
    | PresentResponse
    | ScanResponse
    | SortResponse
    | DeleteResultSetResponse
    | ResourceReportResponse
)


@dataclass(frozen=True, slots=True)
class ConnectionClosed:
    """The peer closed the byte stream (``receive_data(b"")``); nothing more will come."""


Event = Request | Response | Close | ConnectionClosed


@dataclass(frozen=True, slots=True)
class _NeedData:
    """Sentinel from ``next_event``: the buffer does not hold a whole APDU yet."""

    reason: str = field(default="need data")


NEED_DATA = _NeedData()
