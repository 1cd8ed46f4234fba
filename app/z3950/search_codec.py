"""Search and Present requests and responses to and from their pyasn1 form."""

from __future__ import annotations

from typing import Any

from app.z3950.components import (
    fill_database_names,
    optional_int,
    read_texts,
    reference_id,
)
from app.z3950.events import (
    PresentRequest,
    PresentResponse,
    SearchRequest,
    SearchResponse,
)
from app.z3950.retrieval import fill_records, read_records
from app.z3950.rpn_codec import fill_query, read_query
from app.z3950.text import to_octets, to_text


def _fill_element_set(component: Any, name: str, encoding: str) -> None:
    component["genericElementSetName"] = to_octets(name, encoding, "element set name")


def _read_element_set(component: Any, encoding: str) -> str | None:
    if not component.isValue:
        return None
    if component.getName() == "genericElementSetName":
        return to_text(component["genericElementSetName"], encoding)
    specific = component["databaseSpecific"]
    return to_text(specific[0]["esn"], encoding) if len(specific) else None


def fill_search_request(pdu: Any, event: SearchRequest, encoding: str) -> None:
    pdu["smallSetUpperBound"] = event.small_set_upper_bound
    pdu["largeSetLowerBound"] = event.large_set_lower_bound
    pdu["mediumSetPresentNumber"] = event.medium_set_present_number
    pdu["replaceIndicator"] = event.replace
    pdu["resultSetName"] = to_octets(event.result_set_name, encoding, "result set name")
    fill_database_names(pdu["databaseNames"], event.databases, encoding)
    if event.small_set_element_set is not None:
        _fill_element_set(pdu["smallSetElementSetNames"], event.small_set_element_set, encoding)
    if event.medium_set_element_set is not None:
        _fill_element_set(pdu["mediumSetElementSetNames"], event.medium_set_element_set, encoding)
    if event.preferred_record_syntax is not None:
        pdu["preferredRecordSyntax"] = event.preferred_record_syntax
    fill_query(pdu["query"], event.query, encoding)


def read_search_request(pdu: Any, encoding: str) -> SearchRequest:
    syntax = pdu["preferredRecordSyntax"]
    return SearchRequest(
        query=read_query(pdu["query"], encoding),
        databases=read_texts(pdu["databaseNames"], encoding),
        result_set_name=to_text(pdu["resultSetName"], encoding),
        replace=bool(pdu["replaceIndicator"]),
        small_set_upper_bound=int(pdu["smallSetUpperBound"]),
        large_set_lower_bound=int(pdu["largeSetLowerBound"]),
        medium_set_present_number=int(pdu["mediumSetPresentNumber"]),
        small_set_element_set=_read_element_set(pdu["smallSetElementSetNames"], encoding),
        medium_set_element_set=_read_element_set(pdu["mediumSetElementSetNames"], encoding),
        preferred_record_syntax=str(syntax) if syntax.isValue else None,
        reference_id=reference_id(pdu),
    )


def fill_search_response(pdu: Any, event: SearchResponse, encoding: str) -> None:
    pdu["resultCount"] = event.result_count
    pdu["numberOfRecordsReturned"] = event.records_returned
    pdu["nextResultSetPosition"] = event.next_position
    pdu["searchStatus"] = event.search_status
    if event.result_set_status is not None:
        pdu["resultSetStatus"] = event.result_set_status
    if event.present_status is not None:
        pdu["presentStatus"] = event.present_status
    fill_records(pdu, event.records, event.diagnostics, encoding)


def read_search_response(pdu: Any, encoding: str) -> SearchResponse:
    records, diagnostics = read_records(pdu["records"], encoding)
    return SearchResponse(
        result_count=int(pdu["resultCount"]),
        search_status=bool(pdu["searchStatus"]),
        records_returned=int(pdu["numberOfRecordsReturned"]),
        next_position=int(pdu["nextResultSetPosition"]),
        result_set_status=optional_int(pdu["resultSetStatus"]),
        present_status=optional_int(pdu["presentStatus"]),
        records=records,
        diagnostics=diagnostics,
        reference_id=reference_id(pdu),
    )


def fill_present_request(pdu: Any, event: PresentRequest, encoding: str) -> None:
    pdu["resultSetId"] = to_octets(event.result_set, encoding, "result set name")
    pdu["resultSetStartPoint"] = event.start
    pdu["numberOfRecordsRequested"] = event.count
    if event.element_set is not None:
        _fill_element_set(pdu["recordComposition"]["simple"], event.element_set, encoding)
    if event.preferred_record_syntax is not None:
        pdu["preferredRecordSyntax"] = event.preferred_record_syntax
    if event.max_record_size is not None:
        pdu["maxRecordSize"] = event.max_record_size


def read_present_request(pdu: Any, encoding: str) -> PresentRequest:
    composition = pdu["recordComposition"]
    element_set = None
    if composition.isValue:
        if composition.getName() == "simple":
            element_set = _read_element_set(composition["simple"], encoding)
        else:
            spec = composition["complex"]["generic"]
            if spec.isValue and spec["elementSpec"].isValue:
                chosen = spec["elementSpec"]
                if chosen.getName() == "elementSetName":
                    element_set = to_text(chosen["elementSetName"], encoding)
    syntax = pdu["preferredRecordSyntax"]
    return PresentRequest(
        result_set=to_text(pdu["resultSetId"], encoding),
        start=int(pdu["resultSetStartPoint"]),
        count=int(pdu["numberOfRecordsRequested"]),
        element_set=element_set,
        preferred_record_syntax=str(syntax) if syntax.isValue else None,
        max_record_size=optional_int(pdu["maxRecordSize"]),
        reference_id=reference_id(pdu),
    )


def fill_present_response(pdu: Any, event: PresentResponse, encoding: str) -> None:
    pdu["numberOfRecordsReturned"] = event.records_returned
    pdu["nextResultSetPosition"] = event.next_position
    pdu["presentStatus"] = event.present_status
    fill_records(pdu, event.records, event.diagnostics, encoding)


def read_present_response(pdu: Any, encoding: str) -> PresentResponse:
    records, diagnostics = read_records(pdu["records"], encoding)
    return PresentResponse(
        records_returned=int(pdu["numberOfRecordsReturned"]),
        next_position=int(pdu["nextResultSetPosition"]),
        present_status=int(pdu["presentStatus"]),
        records=records,
        diagnostics=diagnostics,
        reference_id=reference_id(pdu),
    )
