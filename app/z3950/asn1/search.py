"""Search and Present, and the records, element set names and compositions they carry."""

# pyasn1 ships no type information, so its classes are Any to mypy
# mypy: disallow-subclassing-any=False
from __future__ import annotations

from pyasn1.type import namedtype, univ

from app.z3950.asn1.base import (
    DatabaseName,
    DefaultDiagFormat,
    DiagRec,
    ElementSetName,
    External,
    InternationalString,
    OtherInformation,
    RecordExternal,
    ReferenceId,
    ResultSetId,
    explicit,
    field,
    implicit,
    optional,
    sequence_of,
)
from app.z3950.asn1.query import Query

__all__ = [
    "CompSpec", "DatabaseSpecificElementSet", "DatabaseSpecification", "ElementSetNames",
    "ElementSpec", "FragmentSyntax", "NamePlusRecord", "PresentRequest", "PresentResponse",
    "PresentStatus", "Range", "RecordChoice", "RecordComposition", "Records", "Schema",
    "SearchRequest", "SearchResponse", "Specification",
]  # fmt: skip


class DatabaseSpecificElementSet(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("dbName", DatabaseName),
        field("esn", ElementSetName),
    )


class ElementSetNames(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("genericElementSetName", implicit(InternationalString(), 0)),
        field("databaseSpecific", implicit(sequence_of(DatabaseSpecificElementSet()), 1)),
    )


class SearchRequest(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        field("smallSetUpperBound", implicit(univ.Integer(), 13)),
        field("largeSetLowerBound", implicit(univ.Integer(), 14)),
        field("mediumSetPresentNumber", implicit(univ.Integer(), 15)),
        field("replaceIndicator", implicit(univ.Boolean(), 16)),
        field("resultSetName", implicit(InternationalString(), 17)),
        field("databaseNames", implicit(sequence_of(DatabaseName), 18)),
        optional("smallSetElementSetNames", explicit(ElementSetNames(), 100)),
        optional("mediumSetElementSetNames", explicit(ElementSetNames(), 101)),
        optional("preferredRecordSyntax", implicit(univ.ObjectIdentifier(), 104)),
        field("query", explicit(Query(), 21)),
        optional("additionalSearchInfo", implicit(OtherInformation(), 203)),
        optional("otherInfo", OtherInformation()),
    )


class FragmentSyntax(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("externallyTagged", External()),
        field("notExternallyTagged", univ.OctetString()),
    )


class RecordChoice(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("retrievalRecord", explicit(RecordExternal(), 1)),
        field("surrogateDiagnostic", explicit(DiagRec(), 2)),
        field("startingFragment", explicit(FragmentSyntax(), 3)),
        field("intermediateFragment", explicit(FragmentSyntax(), 4)),
        field("finalFragment", explicit(FragmentSyntax(), 5)),
    )


class NamePlusRecord(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("name", implicit(InternationalString(), 0)),
        field("record", explicit(RecordChoice(), 1)),
    )


class Records(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("responseRecords", implicit(sequence_of(NamePlusRecord()), 28)),
        field("nonSurrogateDiagnostic", implicit(DefaultDiagFormat(), 130)),
        field("multipleNonSurDiagnostics", implicit(sequence_of(DiagRec()), 205)),
    )


PresentStatus = implicit(univ.Integer(), 27)


class SearchResponse(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        field("resultCount", implicit(univ.Integer(), 23)),
        field("numberOfRecordsReturned", implicit(univ.Integer(), 24)),
        field("nextResultSetPosition", implicit(univ.Integer(), 25)),
        field("searchStatus", implicit(univ.Boolean(), 22)),
        optional("resultSetStatus", implicit(univ.Integer(), 26)),
        optional("presentStatus", PresentStatus),
        optional("records", Records()),
        optional("additionalSearchInfo", implicit(OtherInformation(), 203)),
        optional("otherInfo", OtherInformation()),
    )


class Range(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("startingPosition", implicit(univ.Integer(), 1)),
        field("numberOfRecords", implicit(univ.Integer(), 2)),
    )


class ElementSpec(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("elementSetName", implicit(InternationalString(), 1)),
        field("externalEspec", implicit(External(), 2)),
    )


class Schema(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("oid", implicit(univ.ObjectIdentifier(), 1)),
        field("uri", implicit(InternationalString(), 300)),
    )


class Specification(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("schema", Schema()),
        optional("elementSpec", explicit(ElementSpec(), 2)),
    )


class DatabaseSpecification(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("db", explicit(DatabaseName, 1)),
        field("spec", implicit(Specification(), 2)),
    )


class CompSpec(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("selectAlternativeSyntax", implicit(univ.Boolean(), 1)),
        optional("generic", implicit(Specification(), 2)),
        optional("dbSpecific", implicit(sequence_of(DatabaseSpecification()), 3)),
        optional("recordSyntax", implicit(sequence_of(univ.ObjectIdentifier()), 4)),
    )


class RecordComposition(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("simple", explicit(ElementSetNames(), 19)),
        field("complex", implicit(CompSpec(), 209)),
    )


class PresentRequest(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        field("resultSetId", ResultSetId),
        field("resultSetStartPoint", implicit(univ.Integer(), 30)),
        field("numberOfRecordsRequested", implicit(univ.Integer(), 29)),
        optional("additionalRanges", implicit(sequence_of(Range()), 212)),
        optional("recordComposition", RecordComposition()),
        optional("preferredRecordSyntax", implicit(univ.ObjectIdentifier(), 104)),
        optional("maxSegmentCount", implicit(univ.Integer(), 204)),
        optional("maxRecordSize", implicit(univ.Integer(), 206)),
        optional("maxSegmentSize", implicit(univ.Integer(), 207)),
        optional("otherInfo", OtherInformation()),
    )


class PresentResponse(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        field("numberOfRecordsReturned", implicit(univ.Integer(), 24)),
        field("nextResultSetPosition", implicit(univ.Integer(), 25)),
        field("presentStatus", PresentStatus),
        optional("records", Records()),
        optional("otherInfo", OtherInformation()),
    )
