"""The other services: Delete, resource control and report, Scan, Sort, Close."""

# pyasn1 ships no type information, so its classes are Any to mypy
# mypy: disallow-subclassing-any=False
from __future__ import annotations

from pyasn1.type import namedtype, univ

from app.z3950.asn1.base import (
    DatabaseName,
    DiagRec,
    External,
    InternationalString,
    OtherInformation,
    ReferenceId,
    ResultSetId,
    explicit,
    field,
    implicit,
    optional,
    sequence_of,
)
from app.z3950.asn1.query import AttributeList, AttributesPlusTerm, Term
from app.z3950.asn1.search import Specification

__all__ = [
    "Close", "DatabaseOccurrence", "DatabaseSortKey", "DeleteResultSetRequest",
    "DeleteResultSetResponse", "DeleteSetStatus", "Entry", "ListEntries", "ListStatus",
    "MissingValueAction", "OccurrenceByAttributesElement", "Occurrences",
    "ResourceReportRequest", "ResourceReportResponse", "ScanRequest", "ScanResponse",
    "SortAttributes", "SortElement", "SortKey", "SortKeySpec", "SortRequest", "SortResponse",
    "TermInfo", "TriggerResourceControlRequest",
]  # fmt: skip


# --- Delete, resource control, resource report --------------------------------------------

DeleteSetStatus = implicit(univ.Integer(), 33)


class ListStatus(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("id", ResultSetId),
        field("status", DeleteSetStatus),
    )


class DeleteResultSetRequest(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        field("deleteFunction", implicit(univ.Integer(), 32)),
        optional("resultSetList", sequence_of(ResultSetId)),
        optional("otherInfo", OtherInformation()),
    )


class DeleteResultSetResponse(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        field("deleteOperationStatus", implicit(DeleteSetStatus, 0)),
        optional("deleteListStatuses", implicit(sequence_of(ListStatus()), 1)),
        optional("numberNotDeleted", implicit(univ.Integer(), 34)),
        optional("bulkStatuses", implicit(sequence_of(ListStatus()), 35)),
        optional("deleteMessage", implicit(InternationalString(), 36)),
        optional("otherInfo", OtherInformation()),
    )


class TriggerResourceControlRequest(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        field("requestedAction", implicit(univ.Integer(), 46)),
        optional("prefResourceReportFormat", implicit(univ.ObjectIdentifier(), 47)),
        optional("resultSetWanted", implicit(univ.Boolean(), 48)),
        optional("otherInfo", OtherInformation()),
    )


class ResourceReportRequest(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        optional("opId", implicit(univ.OctetString(), 210)),
        optional("prefResourceReportFormat", implicit(univ.ObjectIdentifier(), 49)),
        optional("otherInfo", OtherInformation()),
    )


class ResourceReportResponse(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        field("resourceReportStatus", implicit(univ.Integer(), 50)),
        optional("resourceReport", explicit(External(), 51)),
        optional("otherInfo", OtherInformation()),
    )


# --- Scan ---------------------------------------------------------------------------------


class ScanRequest(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        field("databaseNames", implicit(sequence_of(DatabaseName), 3)),
        optional("attributeSet", univ.ObjectIdentifier()),
        field("termListAndStartPoint", AttributesPlusTerm()),
        optional("stepSize", implicit(univ.Integer(), 5)),
        field("numberOfTermsRequested", implicit(univ.Integer(), 6)),
        optional("preferredPositionInResponse", implicit(univ.Integer(), 7)),
        optional("otherInfo", OtherInformation()),
    )


class DatabaseOccurrence(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("db", DatabaseName),
        optional("num", implicit(univ.Integer(), 1)),
        optional("otherDbInfo", OtherInformation()),
    )


class Occurrences(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("global", explicit(univ.Integer(), 2)),
        field("byDatabase", implicit(sequence_of(DatabaseOccurrence()), 3)),
    )


class OccurrenceByAttributesElement(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("attributes", explicit(AttributeList, 1)),
        optional("occurrences", Occurrences()),
        optional("otherOccurInfo", OtherInformation()),
    )


class TermInfo(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("term", Term()),
        optional("displayTerm", implicit(InternationalString(), 0)),
        optional("suggestedAttributes", AttributeList),
        optional("alternativeTerm", implicit(sequence_of(AttributesPlusTerm()), 4)),
        optional("globalOccurrences", implicit(univ.Integer(), 2)),
        optional("byAttributes", implicit(sequence_of(OccurrenceByAttributesElement()), 3)),
        optional("otherTermInfo", OtherInformation()),
    )


class Entry(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("termInfo", implicit(TermInfo(), 1)),
        field("surrogateDiagnostic", explicit(DiagRec(), 2)),
    )


class ListEntries(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("entries", implicit(sequence_of(Entry()), 1)),
        optional("nonsurrogateDiagnostics", implicit(sequence_of(DiagRec()), 2)),
    )


class ScanResponse(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        optional("stepSize", implicit(univ.Integer(), 3)),
        field("scanStatus", implicit(univ.Integer(), 4)),
        field("numberOfEntriesReturned", implicit(univ.Integer(), 5)),
        optional("positionOfTerm", implicit(univ.Integer(), 6)),
        optional("entries", implicit(ListEntries(), 7)),
        optional("attributeSet", implicit(univ.ObjectIdentifier(), 8)),
        optional("otherInfo", OtherInformation()),
    )


# --- Sort ---------------------------------------------------------------------------------


class SortAttributes(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("id", univ.ObjectIdentifier()),
        field("list", AttributeList),
    )


class SortKey(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("sortfield", implicit(InternationalString(), 0)),
        field("elementSpec", implicit(Specification(), 1)),
        field("sortAttributes", implicit(SortAttributes(), 2)),
    )


class DatabaseSortKey(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("databaseName", DatabaseName),
        field("dbSort", SortKey()),
    )


class SortElement(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("generic", explicit(SortKey(), 1)),
        field("databaseSpecific", implicit(sequence_of(DatabaseSortKey()), 2)),
    )


class MissingValueAction(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("abort", implicit(univ.Null(), 1)),
        field("null", implicit(univ.Null(), 2)),
        field("missingValueData", implicit(univ.OctetString(), 3)),
    )


class SortKeySpec(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("sortElement", SortElement()),
        field("sortRelation", implicit(univ.Integer(), 1)),
        field("caseSensitivity", implicit(univ.Integer(), 2)),
        optional("missingValueAction", explicit(MissingValueAction(), 3)),
    )


class SortRequest(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        field("inputResultSetNames", implicit(sequence_of(InternationalString()), 3)),
        field("sortedResultSetName", implicit(InternationalString(), 4)),
        field("sortSequence", implicit(sequence_of(SortKeySpec()), 5)),
        optional("otherInfo", OtherInformation()),
    )


class SortResponse(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        field("sortStatus", implicit(univ.Integer(), 3)),
        optional("resultSetStatus", implicit(univ.Integer(), 4)),
        optional("diagnostics", implicit(sequence_of(DiagRec()), 5)),
        optional("resultCount", implicit(univ.Integer(), 6)),
        optional("otherInfo", OtherInformation()),
    )


# --- Close --------------------------------------------------------------------------------


class Close(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        field("closeReason", implicit(univ.Integer(), 211)),
        optional("diagnosticInformation", implicit(InternationalString(), 3)),
        optional("resourceReportFormat", implicit(univ.ObjectIdentifier(), 4)),
        optional("resourceReport", explicit(External(), 5)),
        optional("otherInfo", OtherInformation()),
    )
