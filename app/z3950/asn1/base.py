"""What every APDU is built from: tagging helpers, strings kept as bytes, EXTERNAL, the
global auxiliary definitions and the diagnostic formats (bib-1 default, diag-1).

Records readers use this module alone (the OPAC record syntax): it loads no APDU.
"""

# pyasn1 ships no type information, so its classes are Any to mypy
# mypy: disallow-subclassing-any=False
from __future__ import annotations

from typing import Any

from pyasn1.error import PyAsn1Error
from pyasn1.type import char, namedtype, tag, univ, useful
from pyasn1.type.base import noValue

from app.z3950.asn1.decoder import decode, dotted

__all__ = [
    "AddInfo", "DatabaseName", "DefaultDiagFormat", "Diag1", "Diag1Choice", "Diag1Element",
    "DiagRec", "ElementSetName", "External", "ExternalEncoding", "InfoCategory",
    "IntUnit", "InternationalString", "ObjectDescriptor", "OtherInformation",
    "OtherInformationUnit", "OtherInformationValue", "RecordExternal", "ReferenceId",
    "ResultSetId", "StringOrNumeric", "TextValue", "Unit", "VisibleString", "components_at",
    "explicit", "external_encoding", "external_oid", "field", "implicit", "implicit_tags",
    "optional", "sequence_of", "text_octets",
]  # fmt: skip

# --- tagging helpers ----------------------------------------------------------------------

_CONTEXT = tag.tagClassContext


def implicit(asn1: Any, number: int) -> Any:
    """``[number] IMPLICIT asn1``; the constructed/primitive form follows the base type."""
    return asn1.subtype(implicitTag=tag.Tag(_CONTEXT, tag.tagFormatSimple, number))


def explicit(asn1: Any, number: int) -> Any:
    """``[number] asn1`` (explicit: an extra constructed wrapper)."""
    return asn1.subtype(explicitTag=tag.Tag(_CONTEXT, tag.tagFormatConstructed, number))


def implicit_tags(base: Any, number: int) -> Any:
    """The tag set of ``[number] IMPLICIT`` for a class of its own (``base`` is its univ type)."""
    return base.tagSet.tagImplicitly(tag.Tag(_CONTEXT, tag.tagFormatConstructed, number))


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
        # the inner value is kept as the octets the peer sent and decoded from the OID
        field("single-ASN1-type", explicit(univ.Any(), 0)),
        field("octet-aligned", implicit(univ.OctetString(), 1)),
        field("arbitrary", implicit(univ.BitString(), 2)),
    )


_ENCODINGS = ("single-ASN1-type", "octet-aligned", "arbitrary")


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


class RecordExternal(univ.Sequence):
    """The EXTERNAL a retrieved record travels in, spelt for the hundreds a response holds:
    the ``encoding`` CHOICE as three OPTIONAL fields of which exactly one is present
    (``external_encoding`` checks). The same octets on the wire, one pyasn1 level less per
    record: 12-17% of a record's decoding (bench_codec). Everywhere else, ``External``."""

    tagSet = External.tagSet
    componentType = namedtype.NamedTypes(
        *External.componentType.namedTypes[:3],
        *(
            optional(kind.name, kind.asn1Object)
            for kind in ExternalEncoding.componentType.namedTypes
        ),
    )


def external_encoding(external: Any) -> tuple[str, bytes]:
    """(which encoding, its octets) of a decoded EXTERNAL or RecordExternal: the
    single-ASN1-type value's BER, the octet-aligned octets, or the arbitrary BIT STRING's."""
    if external.__class__ is RecordExternal:
        present = [
            (kind, value)
            for kind, value in zip(_ENCODINGS, components_at(external, 3, 4, 5), strict=True)
            if value is not None
        ]
        if len(present) != 1:
            raise PyAsn1Error(f"an EXTERNAL has {len(present)} encodings instead of one")
        return present[0][0], present[0][1].asOctets()
    encoding = external["encoding"]
    return encoding.getName(), encoding.getComponent().asOctets()


def external_oid(external: Any) -> str | None:
    (reference,) = components_at(external, 0)
    return None if reference is None else dotted(reference)


def components_at(value: Any, *positions: int) -> list[Any | None]:
    """The components of a decoded SEQUENCE at ``positions``, None where absent (reading by
    name would make an empty one up: a record's hot path avoids that)."""
    found = [value.getComponentByPosition(i, instantiate=False) for i in positions]
    return [None if part is noValue or not part.isValue else part for part in found]


# --- strings a record travels in ----------------------------------------------------------


def _octets_tagged_as(string_type: Any) -> Any:
    """An OCTET STRING wearing a character string type's tag: its octets are kept as sent."""
    return type(string_type.__name__, (univ.OctetString,), {"tagSet": string_type.tagSet})()


class TextValue(univ.Choice):
    """Any string type: what a text record (SUTRS, or MARC sent as single-ASN1-type) is."""

    componentType = namedtype.NamedTypes(
        *(
            field(string_type.__name__, _octets_tagged_as(string_type))
            for string_type in (
                univ.OctetString, char.UTF8String, char.NumericString, char.PrintableString,
                char.TeletexString, char.VideotexString, char.IA5String, char.GraphicString,
                char.VisibleString, char.GeneralString, char.UniversalString, char.BMPString,
            )
        )
    )  # fmt: skip


def text_octets(value: bytes) -> bytes | None:
    """The octets of a single-ASN1-type value that is a string (segmented ones joined), or
    None when it is something else, which is then kept as its BER."""
    try:
        chosen, rest = decode(value, TextValue())
    except PyAsn1Error:
        return None
    return None if rest else bytes(chosen.getComponent().asOctets())


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
    tagSet = implicit_tags(univ.SequenceOf, 201)
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
