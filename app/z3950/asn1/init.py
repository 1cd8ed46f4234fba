"""Init, and the character-set and language negotiation-3 it carries (charneg-3.asn)."""

# pyasn1 ships no type information, so its classes are Any to mypy
# mypy: disallow-subclassing-any=False
from __future__ import annotations

from pyasn1.type import namedtype, univ

from app.z3950.asn1.base import (
    External,
    InternationalString,
    OtherInformation,
    ReferenceId,
    VisibleString,
    explicit,
    field,
    implicit,
    optional,
    sequence_of,
)

__all__ = [
    "CharSetandLanguageNegotiation", "Environment", "IdAuthentication", "IdPassSequence",
    "InitialSet", "InitializeRequest", "InitializeResponse", "Iso2022",
    "Iso2022OriginProposal", "Iso2022TargetResponse", "Iso10646", "LeftAndRight", "Options",
    "OriginProposal", "PrivateCharacterSet", "ProposedCharSet", "ProtocolVersion",
    "SelectedCharSet", "TargetResponse",
]  # fmt: skip


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
