"""The query tree every query language becomes: Z39.50 RPN (Type-1 / Type-101).

PQF, CCL and the search form all produce these frozen nodes; the codec encodes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.z3950.oids import BIB1_ATTRIBUTES

BIB1 = BIB1_ATTRIBUTES  # the attribute set a query uses unless it names another

TermKind = Literal["general", "numeric", "characterString", "null"]


@dataclass(frozen=True, slots=True)
class Attribute:
    """One ``@attr [set] type=value``; a ``str`` value is sent as a complex string value."""

    type: int
    value: int | str
    attribute_set: str | None = None  # dotted OID when it differs from the query's set


@dataclass(frozen=True, slots=True)
class Term:
    """A search term with its attributes (``@attr 1=4 "origin of species"``)."""

    text: str
    attributes: tuple[Attribute, ...] = ()
    kind: TermKind = "general"


@dataclass(frozen=True, slots=True)
class ResultSetRef:
    """``@set name``: an earlier named result set used as an operand."""

    name: str


@dataclass(frozen=True, slots=True)
class Boolean:
    """``@and``, ``@or``, ``@not`` (sent as and-not)."""

    op: Literal["and", "or", "and-not"]
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Proximity:
    """``@prox exclusion distance ordered relation which-code unit``."""

    left: Node
    right: Node
    exclusion: bool = False
    distance: int = 1
    ordered: bool = True
    relation: int = 3  # 1 < 2 <= 3 = 4 >= 5 > 6 !=
    known_unit: bool = True  # False: unit is a private unit code
    unit: int = 2  # 2 = word (ProximityUnitCode known)


Node = Term | ResultSetRef | Boolean | Proximity


@dataclass(frozen=True, slots=True)
class RPNQuery:
    """A whole query: the default attribute set and the tree. ``type_101`` asks for Type-101."""

    root: Node
    attribute_set: str = BIB1
    type_101: bool = False


def terms(node: Node) -> list[Term]:
    """Every term in a tree, left to right (for ranking and highlighting)."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, ResultSetRef):
        return []
    return terms(node.left) + terms(node.right)
