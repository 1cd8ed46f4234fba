"""The Z39.50-1995 APDUs as pyasn1 types (YAZ's z3950v3.asn, charneg-3.asn).

The module has no IMPLICIT TAGS default: a tag written without IMPLICIT is EXPLICIT, and a
tagged CHOICE is always explicit. InternationalString, VisibleString and ObjectDescriptor
are octet strings here so the codec decodes them with the association's character set
instead of pyasn1's Latin-1 default. OCLC's user-information record reuses a tag and is
read by hand in ``charneg.py``.
"""

# pyasn1 ships no type information, so its classes are Any to mypy
# mypy: disallow-subclassing-any=False
from __future__ import annotations

from typing import Any

from pyasn1.type import char, namedtype, tag, univ, useful

# --- tagging helpers ----------------------------------------------------------------------

_CONTEXT = tag.tagClassContext


def implicit(asn1: Any, number: int) -> Any:
    """``[number] IMPLICIT asn1``; the constructed/primitive form follows the base type."""
    return asn1.subtype(implicitTag=tag.Tag(_CONTEXT, tag.tagFormatSimple, number))


def explicit(asn1: Any, number: int) -> Any:
    """``[number] asn1`` (explicit: an extra constructed wrapper)."""
    return asn1.subtype(explicitTag=tag.Tag(_CONTEXT, tag.tagFormatConstructed, number))


def field(name: str, asn1: Any) -> namedtype.NamedType:
    return namedtype.NamedType(name, asn1)


def optional(name: str, asn1: Any) -> namedtype.OptionalNamedType:
    return namedtype.OptionalNamedType(name, asn1)


def sequence_of(asn1: Any) -> univ.SequenceOf:
    return univ.SequenceOf(componentType=asn1)


# --- strings kept as bytes ----------------------------------------------------------------


class InternationalString(univ.OctetString):
    """GeneralString on the wire; its bytes are in the negotiated character set."""

    tagSet = char.GeneralString.tagSet


class VisibleString(univ.OctetString):
    tagSet = char.VisibleString.tagSet


class ObjectDescriptor(univ.OctetString):
    tagSet = useful.ObjectDescriptor.tagSet


# --- EXTERNAL (UNIVERSAL 8) ---------------------------------------------------------------


class ExternalEncoding(univ.Choice):
    componentType = namedtype.NamedTypes(
        # the inner value is kept as its own BER and decoded by the codec from the OID
        field("single-ASN1-type", explicit(univ.Any(), 0)),
        field("octet-aligned", implicit(univ.OctetString(), 1)),
        field("arbitrary", implicit(univ.BitString(), 2)),
    )


class External(univ.Sequence):
    tagSet = univ.Sequence.tagSet.tagImplicitly(
        tag.Tag(tag.tagClassUniversal, tag.tagFormatConstructed, 8)
    )
    componentType = namedtype.NamedTypes(
        optional("direct-reference", univ.ObjectIdentifier()),
        optional("indirect-reference", univ.Integer()),
        optional("data-value-descriptor", ObjectDescriptor()),
        field("encoding", ExternalEncoding()),
    )


# --- global auxiliary definitions ---------------------------------------------------------

ReferenceId = implicit(univ.OctetString(), 2)
ResultSetId = implicit(InternationalString(), 31)
ElementSetName = implicit(InternationalString(), 103)
DatabaseName = implicit(InternationalString(), 105)


class InfoCategory(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("categoryTypeId", implicit(univ.ObjectIdentifier(), 1)),
        field("categoryValue", implicit(univ.Integer(), 2)),
    )


class OtherInformationValue(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("characterInfo", implicit(InternationalString(), 2)),
        field("binaryInfo", implicit(univ.OctetString(), 3)),
        field("externallyDefinedInfo", implicit(External(), 4)),
        field("oid", implicit(univ.ObjectIdentifier(), 5)),
    )


class OtherInformationUnit(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("category", implicit(InfoCategory(), 1)),
        field("information", OtherInformationValue()),
    )


class OtherInformation(univ.SequenceOf):
    tagSet = univ.SequenceOf.tagSet.tagImplicitly(tag.Tag(_CONTEXT, tag.tagFormatConstructed, 201))
    componentType = OtherInformationUnit()


class StringOrNumeric(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("string", implicit(InternationalString(), 1)),
        field("numeric", implicit(univ.Integer(), 2)),
    )


class Unit(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("unitSystem", explicit(InternationalString(), 1)),
        optional("unitType", explicit(StringOrNumeric(), 2)),
        optional("unit", explicit(StringOrNumeric(), 3)),
        optional("scaleFactor", implicit(univ.Integer(), 4)),
    )


class IntUnit(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("value", implicit(univ.Integer(), 1)),
        field("unitUsed", implicit(Unit(), 2)),
    )


# --- diagnostics --------------------------------------------------------------------------


class AddInfo(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("v2Addinfo", VisibleString()),
        field("v3Addinfo", InternationalString()),
    )


class DefaultDiagFormat(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("diagnosticSetId", univ.ObjectIdentifier()),
        field("condition", univ.Integer()),
        # optional here although the standard says mandatory: targets omit it in the wild
        optional("addinfo", AddInfo()),
    )


class DiagRec(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("defaultFormat", DefaultDiagFormat()),
        field("externallyDefined", External()),
    )


# --- RPN query ----------------------------------------------------------------------------


class ComplexAttributeValue(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("list", implicit(sequence_of(StringOrNumeric()), 1)),
        optional("semanticAction", implicit(sequence_of(univ.Integer()), 2)),
    )


class AttributeValue(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("numeric", implicit(univ.Integer(), 121)),
        field("complex", implicit(ComplexAttributeValue(), 224)),
    )


class AttributeElement(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("attributeSet", implicit(univ.ObjectIdentifier(), 1)),
        field("attributeType", implicit(univ.Integer(), 120)),
        field("attributeValue", AttributeValue()),
    )


AttributeList = implicit(sequence_of(AttributeElement()), 44)


class Term(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("general", implicit(univ.OctetString(), 45)),
        field("numeric", implicit(univ.Integer(), 215)),
        field("characterString", implicit(InternationalString(), 216)),
        field("oid", implicit(univ.ObjectIdentifier(), 217)),
        field("dateTime", implicit(useful.GeneralizedTime(), 218)),
        field("external", implicit(External(), 219)),
        field("integerAndUnit", implicit(IntUnit(), 220)),
        field("null", implicit(univ.Null(), 221)),
    )


class AttributesPlusTerm(univ.Sequence):
    tagSet = univ.Sequence.tagSet.tagImplicitly(tag.Tag(_CONTEXT, tag.tagFormatConstructed, 102))
    componentType = namedtype.NamedTypes(
        field("attributes", AttributeList),
        field("term", Term()),
    )


class ResultSetPlusAttributes(univ.Sequence):
    tagSet = univ.Sequence.tagSet.tagImplicitly(tag.Tag(_CONTEXT, tag.tagFormatConstructed, 214))
    componentType = namedtype.NamedTypes(
        field("resultSet", ResultSetId),
        field("attributes", AttributeList),
    )


class Operand(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("attrTerm", AttributesPlusTerm()),
        field("resultSet", ResultSetId),
        field("resultAttr", ResultSetPlusAttributes()),
    )


class ProximityUnitCode(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("known", implicit(univ.Integer(), 1)),
        field("private", implicit(univ.Integer(), 2)),
    )


class ProximityOperator(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("exclusion", implicit(univ.Boolean(), 1)),
        field("distance", implicit(univ.Integer(), 2)),
        field("ordered", implicit(univ.Boolean(), 3)),
        field("relationType", implicit(univ.Integer(), 4)),
        field("proximityUnitCode", explicit(ProximityUnitCode(), 5)),
    )


class OperatorChoice(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("and", implicit(univ.Null(), 0)),
        field("or", implicit(univ.Null(), 1)),
        field("and-not", implicit(univ.Null(), 2)),
        field("prox", implicit(ProximityOperator(), 3)),
    )


Operator = explicit(OperatorChoice(), 46)


# RPNStructure is recursive. pyasn1 copies componentType into each instance when it is
# made, so the two recursive types read theirs through a property, resolved once both exist.
_RECURSIVE: dict[str, namedtype.NamedTypes] = {}


class RPNStructure(univ.Choice):
    @property
    def componentType(self) -> namedtype.NamedTypes:
        return _RECURSIVE.get("RPNStructure", namedtype.NamedTypes())

    @componentType.setter
    def componentType(self, value: namedtype.NamedTypes) -> None:
        """pyasn1 assigns the class value on creation; the property stays authoritative."""


class RpnRpnOp(univ.Sequence):
    tagSet = univ.Sequence.tagSet.tagImplicitly(tag.Tag(_CONTEXT, tag.tagFormatConstructed, 1))

    @property
    def componentType(self) -> namedtype.NamedTypes:
        return _RECURSIVE.get("RpnRpnOp", namedtype.NamedTypes())

    @componentType.setter
    def componentType(self, value: namedtype.NamedTypes) -> None:
        """See RPNStructure."""


_RECURSIVE["RPNStructure"] = namedtype.NamedTypes(
    field("op", explicit(Operand(), 0)),
    field("rpnRpnOp", RpnRpnOp()),
)
_RECURSIVE["RpnRpnOp"] = namedtype.NamedTypes(
    field("rpn1", RPNStructure()),
    field("rpn2", RPNStructure()),
    field("op", Operator),
)


class RPNQuery(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("attributeSet", univ.ObjectIdentifier()),
        field("rpn", RPNStructure()),
    )


class Query(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("type-0", explicit(univ.Any(), 0)),
        field("type-1", implicit(RPNQuery(), 1)),
        field("type-2", explicit(univ.OctetString(), 2)),
        field("type-100", explicit(univ.OctetString(), 100)),
        field("type-101", implicit(RPNQuery(), 101)),
        field("type-102", explicit(univ.OctetString(), 102)),
        field("type-104", implicit(External(), 104)),
    )


# --- Init ---------------------------------------------------------------------------------

ProtocolVersion = implicit(univ.BitString(), 3)
Options = implicit(univ.BitString(), 4)


class IdPassSequence(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("groupId", implicit(InternationalString(), 0)),
        optional("userId", implicit(InternationalString(), 1)),
        optional("password", implicit(InternationalString(), 2)),
    )


class IdAuthentication(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("open", VisibleString()),
        field("idPass", IdPassSequence()),
        field("anonymous", univ.Null()),
        field("other", External()),
    )


def _init_fields(response: bool) -> namedtype.NamedTypes:
    result = [field("result", implicit(univ.Boolean(), 12))] if response else []
    auth = [] if response else [optional("idAuthentication", explicit(IdAuthentication(), 7))]
    return namedtype.NamedTypes(
        optional("referenceId", ReferenceId),
        field("protocolVersion", ProtocolVersion),
        field("options", Options),
        field("preferredMessageSize", implicit(univ.Integer(), 5)),
        field("exceptionalRecordSize", implicit(univ.Integer(), 6)),
        *auth,
        *result,
        optional("implementationId", implicit(InternationalString(), 110)),
        optional("implementationName", implicit(InternationalString(), 111)),
        optional("implementationVersion", implicit(InternationalString(), 112)),
        optional("userInformationField", explicit(External(), 11)),
        optional("otherInfo", OtherInformation()),
    )


class InitializeRequest(univ.Sequence):
    componentType = _init_fields(response=False)


class InitializeResponse(univ.Sequence):
    componentType = _init_fields(response=True)


# --- Search and Present -------------------------------------------------------------------


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
        field("retrievalRecord", explicit(External(), 1)),
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


# --- the PDU CHOICE: tag number -> (name, type); every alternative is IMPLICIT -----------


def _apdu(number: int, asn1: Any) -> Any:
    return implicit(asn1, number)


APDUS: dict[int, tuple[str, Any]] = {
    20: ("initRequest", _apdu(20, InitializeRequest())),
    21: ("initResponse", _apdu(21, InitializeResponse())),
    22: ("searchRequest", _apdu(22, SearchRequest())),
    23: ("searchResponse", _apdu(23, SearchResponse())),
    24: ("presentRequest", _apdu(24, PresentRequest())),
    25: ("presentResponse", _apdu(25, PresentResponse())),
    26: ("deleteResultSetRequest", _apdu(26, DeleteResultSetRequest())),
    27: ("deleteResultSetResponse", _apdu(27, DeleteResultSetResponse())),
    32: ("triggerResourceControlRequest", _apdu(32, TriggerResourceControlRequest())),
    33: ("resourceReportRequest", _apdu(33, ResourceReportRequest())),
    34: ("resourceReportResponse", _apdu(34, ResourceReportResponse())),
    35: ("scanRequest", _apdu(35, ScanRequest())),
    36: ("scanResponse", _apdu(36, ScanResponse())),
    43: ("sortRequest", _apdu(43, SortRequest())),
    44: ("sortResponse", _apdu(44, SortResponse())),
    48: ("close", _apdu(48, Close())),
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


# --- character-set and language negotiation-3 (charneg-3.asn) ----------------------------


class Environment(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("sevenBit", implicit(univ.Null(), 1)),
        field("eightBit", implicit(univ.Null(), 2)),
    )


class InitialSet(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("g0", implicit(univ.Integer(), 0)),
        optional("g1", implicit(univ.Integer(), 1)),
        optional("g2", implicit(univ.Integer(), 2)),
        optional("g3", implicit(univ.Integer(), 3)),
        field("c0", implicit(univ.Integer(), 4)),
        optional("c1", implicit(univ.Integer(), 5)),
    )


class LeftAndRight(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("gLeft", implicit(univ.Integer(), 3)),
        optional("gRight", implicit(univ.Integer(), 4)),
    )


class Iso2022OriginProposal(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("proposedEnvironment", explicit(Environment(), 0)),
        field("proposedSets", implicit(sequence_of(univ.Integer()), 1)),
        field("proposedInitialSets", implicit(sequence_of(InitialSet()), 2)),
        field("proposedLeftAndRight", implicit(LeftAndRight(), 3)),
    )


class Iso2022TargetResponse(univ.Sequence):
    componentType = namedtype.NamedTypes(
        field("selectedEnvironment", explicit(Environment(), 0)),
        field("selectedSets", implicit(sequence_of(univ.Integer()), 1)),
        field("selectedinitialSet", implicit(InitialSet(), 2)),
        field("selectedLeftAndRight", implicit(LeftAndRight(), 3)),
    )


class Iso2022(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("originProposal", implicit(Iso2022OriginProposal(), 1)),
        field("targetResponse", implicit(Iso2022TargetResponse(), 2)),
    )


class Iso10646(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("collections", implicit(univ.ObjectIdentifier(), 1)),
        field("encodingLevel", implicit(univ.ObjectIdentifier(), 2)),
    )


class PrivateCharacterSet(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("viaOid", implicit(sequence_of(univ.ObjectIdentifier()), 1)),
        field("externallySpecified", implicit(External(), 2)),
        field("previouslyAgreedUpon", implicit(univ.Null(), 3)),
    )


class ProposedCharSet(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("iso2022", explicit(Iso2022(), 1)),
        field("iso10646", implicit(Iso10646(), 2)),
        field("private", explicit(PrivateCharacterSet(), 3)),
    )


class OriginProposal(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("proposedCharSets", implicit(sequence_of(ProposedCharSet()), 1)),
        optional("proposedlanguages", implicit(sequence_of(InternationalString()), 2)),
        optional("recordsInSelectedCharSets", implicit(univ.Boolean(), 3)),
    )


class SelectedCharSet(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("iso2022", explicit(Iso2022(), 1)),
        field("iso10646", implicit(Iso10646(), 2)),
        field("private", explicit(PrivateCharacterSet(), 3)),
        field("none", implicit(univ.Null(), 4)),
    )


class TargetResponse(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("selectedCharSets", explicit(SelectedCharSet(), 1)),
        optional("selectedLanguage", implicit(InternationalString(), 2)),
        optional("recordsInSelectedCharSets", implicit(univ.Boolean(), 3)),
    )


class CharSetandLanguageNegotiation(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("proposal", implicit(OriginProposal(), 1)),
        field("response", implicit(TargetResponse(), 2)),
    )


# --- diag-1 (DiagnosticFormatDiag1): only the default-format part is interpreted ---------


class Diag1Choice(univ.Choice):
    componentType = namedtype.NamedTypes(
        field("defaultDiagRec", implicit(DefaultDiagFormat(), 1)),
        # explicitDiagnostic [2] DiagFormat: kept raw, its message is what a user reads
        field("explicitDiagnostic", explicit(univ.Any(), 2)),
    )


class Diag1Element(univ.Sequence):
    componentType = namedtype.NamedTypes(
        optional("diagnostic", explicit(Diag1Choice(), 1)),
        optional("message", implicit(InternationalString(), 2)),
    )


Diag1 = sequence_of(Diag1Element())
