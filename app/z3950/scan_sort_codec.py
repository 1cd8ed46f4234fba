"""Scan and Sort requests and responses to and from their pyasn1 form."""

from __future__ import annotations

from typing import Any

from app.z3950.components import (
    fill_database_names,
    optional_int,
    optional_text,
    read_diagnostics,
    read_texts,
    reference_id,
)
from app.z3950.errors import LocalProtocolError, RemoteProtocolError
from app.z3950.events import (
    Diagnostic,
    ScanEntry,
    ScanRequest,
    ScanResponse,
    SortKey,
    SortRequest,
    SortResponse,
)
from app.z3950.externals import fill_diag_rec, read_diag_rec
from app.z3950.rpn import BIB1, Attribute
from app.z3950.rpn_codec import (
    fill_attributes,
    fill_attributes_plus_term,
    read_attributes,
    read_attributes_plus_term,
    read_term,
)
from app.z3950.text import to_octets, to_text


def _int_or(component: Any, default: int) -> int:
    return int(component) if component.isValue else default


def fill_scan_request(pdu: Any, event: ScanRequest, encoding: str) -> None:
    fill_database_names(pdu["databaseNames"], event.databases, encoding)
    pdu["attributeSet"] = event.attribute_set
    fill_attributes_plus_term(pdu["termListAndStartPoint"], event.term, encoding)
    pdu["stepSize"] = event.step_size
    pdu["numberOfTermsRequested"] = event.count
    pdu["preferredPositionInResponse"] = event.preferred_position


def read_scan_request(pdu: Any, encoding: str) -> ScanRequest:
    attribute_set = pdu["attributeSet"]
    return ScanRequest(
        databases=read_texts(pdu["databaseNames"], encoding),
        term=read_attributes_plus_term(pdu["termListAndStartPoint"], encoding),
        attribute_set=str(attribute_set) if attribute_set.isValue else BIB1,
        count=int(pdu["numberOfTermsRequested"]),
        preferred_position=_int_or(pdu["preferredPositionInResponse"], 1),
        step_size=_int_or(pdu["stepSize"], 0),
        reference_id=reference_id(pdu),
    )


def fill_scan_response(pdu: Any, event: ScanResponse, encoding: str) -> None:
    if event.step_size is not None:
        pdu["stepSize"] = event.step_size
    pdu["scanStatus"] = event.status
    pdu["numberOfEntriesReturned"] = len(event.entries)
    if event.position_of_term is not None:
        pdu["positionOfTerm"] = event.position_of_term
    if event.entries or event.diagnostics:
        listing = pdu["entries"]
        for index, entry in enumerate(event.entries):
            chosen = listing["entries"][index]
            if entry.diagnostic is not None:
                fill_diag_rec(chosen["surrogateDiagnostic"], entry.diagnostic, encoding)
                continue
            info = chosen["termInfo"]
            info["term"]["general"] = to_octets(entry.term, encoding, "scan term")
            if entry.display is not None:
                info["displayTerm"] = to_octets(entry.display, encoding, "scan term")
            if entry.count is not None:
                info["globalOccurrences"] = entry.count
        for index, diagnostic in enumerate(event.diagnostics):
            fill_diag_rec(listing["nonsurrogateDiagnostics"][index], diagnostic, encoding)


def read_scan_response(pdu: Any, encoding: str) -> ScanResponse:
    entries: list[ScanEntry] = []
    diagnostics: tuple[Diagnostic, ...] = ()
    listing = pdu["entries"]
    if listing.isValue:
        for chosen in listing["entries"] if listing["entries"].isValue else ():
            if chosen.getName() == "surrogateDiagnostic":
                entries.append(
                    ScanEntry("", diagnostic=read_diag_rec(chosen["surrogateDiagnostic"], encoding))
                )
                continue
            info = chosen["termInfo"]
            text, _ = read_term(info["term"], encoding)
            entries.append(
                ScanEntry(
                    term=text,
                    count=optional_int(info["globalOccurrences"]),
                    display=optional_text(info["displayTerm"], encoding),
                )
            )
        diagnostics = read_diagnostics(listing["nonsurrogateDiagnostics"], encoding)
    return ScanResponse(
        status=int(pdu["scanStatus"]),
        entries=tuple(entries),
        position_of_term=optional_int(pdu["positionOfTerm"]),
        step_size=optional_int(pdu["stepSize"]),
        diagnostics=diagnostics,
        reference_id=reference_id(pdu),
    )


# --- Sort ---------------------------------------------------------------------------------


def fill_sort_request(pdu: Any, event: SortRequest, encoding: str) -> None:
    for index, name in enumerate(event.inputs):
        pdu["inputResultSetNames"][index] = to_octets(name, encoding, "result set name")
    pdu["sortedResultSetName"] = to_octets(event.output, encoding, "result set name")
    for index, key in enumerate(event.keys):
        spec = pdu["sortSequence"][index]
        sort_key = spec["sortElement"]["generic"]
        if key.use is not None:
            fill_attributes(sort_key["sortAttributes"]["list"], (Attribute(1, key.use),), encoding)
            sort_key["sortAttributes"]["id"] = BIB1
        elif key.field is not None:
            sort_key["sortfield"] = to_octets(key.field, encoding, "sort field")
        else:
            raise LocalProtocolError("A sort key needs a use attribute or a field name.")
        spec["sortRelation"] = 0 if key.ascending else 1
        spec["caseSensitivity"] = 0 if key.case_sensitive else 1
        # records lacking the key sort as if empty rather than failing the sort (as YAZ asks)
        spec["missingValueAction"]["null"] = None


def _read_sort_key(spec: Any, encoding: str) -> SortKey:
    element = spec["sortElement"]
    if element.getName() == "generic":
        sort_key = element["generic"]
    else:
        specific = element["databaseSpecific"]
        sort_key = specific[0]["dbSort"]
    relation = int(spec["sortRelation"])
    ascending = relation in (0, 3)
    case_sensitive = int(spec["caseSensitivity"]) == 0
    kind = sort_key.getName()
    if kind == "sortfield":
        name = to_text(sort_key["sortfield"], encoding)
        return SortKey(field=name, ascending=ascending, case_sensitive=case_sensitive)
    if kind == "sortAttributes":
        for attribute in read_attributes(sort_key["sortAttributes"]["list"], encoding):
            if attribute.type != 1:
                continue
            if isinstance(attribute.value, int):
                return SortKey(
                    use=attribute.value, ascending=ascending, case_sensitive=case_sensitive
                )
            return SortKey(
                field=attribute.value, ascending=ascending, case_sensitive=case_sensitive
            )
    raise RemoteProtocolError(
        "The sort request has a sort key Polycat cannot read.", detail=f"SortKey {kind}"
    )


def read_sort_request(pdu: Any, encoding: str) -> SortRequest:
    return SortRequest(
        inputs=read_texts(pdu["inputResultSetNames"], encoding),
        output=to_text(pdu["sortedResultSetName"], encoding),
        keys=tuple(_read_sort_key(spec, encoding) for spec in pdu["sortSequence"]),
        reference_id=reference_id(pdu),
    )


def fill_sort_response(pdu: Any, event: SortResponse, encoding: str) -> None:
    pdu["sortStatus"] = event.status
    if event.result_set_status is not None:
        pdu["resultSetStatus"] = event.result_set_status
    for index, diagnostic in enumerate(event.diagnostics):
        fill_diag_rec(pdu["diagnostics"][index], diagnostic, encoding)
    if event.result_count is not None:
        pdu["resultCount"] = event.result_count


def read_sort_response(pdu: Any, encoding: str) -> SortResponse:
    return SortResponse(
        status=int(pdu["sortStatus"]),
        result_set_status=optional_int(pdu["resultSetStatus"]),
        result_count=optional_int(pdu["resultCount"]),
        diagnostics=read_diagnostics(pdu["diagnostics"], encoding),
        reference_id=reference_id(pdu),
    )
