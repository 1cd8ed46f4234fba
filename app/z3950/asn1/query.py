"""The RPN query (Type-1 and Type-101) and the attribute lists Scan and Sort reuse."""

# pyasn1 ships no type information, so its classes are Any to mypy
# mypy: disallow-subclassing-any=False
from __future__ import annotations

from pyasn1.type import namedtype, univ, useful

from app.z3950.asn1.base import (
    External,
    InternationalString,
    IntUnit,
    ResultSetId,
    StringOrNumeric,
    explicit,
    field,
    implicit,
    implicit_tags,
    optional,
    sequence_of,
)

__all__ = [
    "AttributeElement", "AttributeList", "AttributeValue", "AttributesPlusTerm",
    "ComplexAttributeValue", "Operand", "Operator", "OperatorChoice", "ProximityOperator",
    "ProximityUnitCode", "Query", "RPNQuery", "RPNStructure", "ResultSetPlusAttributes",
    "RpnRpnOp", "Term",
]  # fmt: skip


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
    tagSet = implicit_tags(univ.Sequence, 102)
    componentType = namedtype.NamedTypes(
        field("attributes", AttributeList),
        field("term", Term()),
    )


class ResultSetPlusAttributes(univ.Sequence):
    tagSet = implicit_tags(univ.Sequence, 214)
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
_NOT_YET = namedtype.NamedTypes()  # made once: a default argument would be made on every read


class RPNStructure(univ.Choice):
    @property
    def componentType(self) -> namedtype.NamedTypes:
        return _RECURSIVE.get("RPNStructure", _NOT_YET)

    @componentType.setter
    def componentType(self, value: namedtype.NamedTypes) -> None:
        """pyasn1 assigns the class value on creation; the property stays authoritative."""


class RpnRpnOp(univ.Sequence):
    tagSet = implicit_tags(univ.Sequence, 1)

    @property
    def componentType(self) -> namedtype.NamedTypes:
        return _RECURSIVE.get("RpnRpnOp", _NOT_YET)

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
