"""The RPN query tree (``rpn.py``) to and from its ASN.1 form (Type-1 / Type-101)."""

from __future__ import annotations

from typing import Any

from app.z3950.errors import LocalProtocolError, RemoteProtocolError
from app.z3950.rpn import (
    Attribute,
    Boolean,
    Node,
    Proximity,
    ResultSetRef,
    RPNQuery,
    Term,
    TermKind,
)
from app.z3950.text import to_octets, to_text

# --- encoding -----------------------------------------------------------------------------


def fill_query(component: Any, query: RPNQuery, encoding: str) -> None:
    """``component`` is the Query CHOICE of a SearchRequest."""
    rpn = component["type-101" if query.type_101 else "type-1"]
    rpn["attributeSet"] = query.attribute_set
    fill_structure(rpn["rpn"], query.root, encoding)


def fill_structure(component: Any, node: Node, encoding: str) -> None:
    # iterative on the left spine: long AND chains built by forms nest to the left
    while isinstance(node, Boolean | Proximity):
        complex_ = component["rpnRpnOp"]
        operator = complex_["op"]
        if isinstance(node, Boolean):
            operator[node.op] = None
        else:
            prox = operator["prox"]
            prox["exclusion"] = node.exclusion
            prox["distance"] = node.distance
            prox["ordered"] = node.ordered
            prox["relationType"] = node.relation
            prox["proximityUnitCode"]["known" if node.known_unit else "private"] = node.unit
        fill_structure(complex_["rpn2"], node.right, encoding)
        component, node = complex_["rpn1"], node.left
    operand = component["op"]
    if isinstance(node, ResultSetRef):
        operand["resultSet"] = to_octets(node.name, encoding, "result set name")
    else:
        fill_attributes_plus_term(operand["attrTerm"], node, encoding)


def fill_attributes_plus_term(component: Any, term: Term, encoding: str) -> None:
    fill_attributes(component["attributes"], term.attributes, encoding)
    fill_term(component["term"], term, encoding)


def fill_attributes(component: Any, attributes: tuple[Attribute, ...], encoding: str) -> None:
    component.clear()  # an empty AttributeList is still sent (YAZ does too)
    for index, attribute in enumerate(attributes):
        element = component[index]
        if attribute.attribute_set is not None:
            element["attributeSet"] = attribute.attribute_set
        element["attributeType"] = attribute.type
        value = element["attributeValue"]
        if isinstance(attribute.value, str):
            value["complex"]["list"][0]["string"] = to_octets(
                attribute.value, encoding, "attribute value"
            )
        else:
            value["numeric"] = attribute.value


def fill_term(component: Any, term: Term, encoding: str) -> None:
    if term.kind == "general":
        component["general"] = to_octets(term.text, encoding, "search term")
    elif term.kind == "characterString":
        component["characterString"] = to_octets(term.text, encoding, "search term")
    elif term.kind == "numeric":
        try:
            component["numeric"] = int(term.text)
        except ValueError as exc:
            raise LocalProtocolError(
                f"The numeric search term {term.text!r} is not a whole number."
            ) from exc
    else:
        component["null"] = None


# --- decoding -----------------------------------------------------------------------------


def read_query(component: Any, encoding: str) -> RPNQuery:
    kind = component.getName()
    if kind not in ("type-1", "type-101"):
        raise RemoteProtocolError(
            f"The search uses query {kind}, which Polycat cannot read (only Type-1/Type-101).",
            detail=f"Query CHOICE {kind}",
        )
    rpn = component[kind]
    return RPNQuery(
        root=read_structure(rpn["rpn"], encoding),
        attribute_set=str(rpn["attributeSet"]),
        type_101=kind == "type-101",
    )


def read_structure(component: Any, encoding: str) -> Node:
    # walk the left spine iteratively, then build the tree back up
    pending: list[tuple[Any, Node]] = []
    while component.getName() == "rpnRpnOp":
        complex_ = component["rpnRpnOp"]
        pending.append((complex_["op"], read_structure(complex_["rpn2"], encoding)))
        component = complex_["rpn1"]
    node = _read_operand(component["op"], encoding)
    for operator, right in reversed(pending):
        node = _operator(operator, node, right)
    return node


def _operator(operator: Any, left: Node, right: Node) -> Node:
    name = operator.getName()
    if name != "prox":
        return Boolean(name, left, right)
    prox = operator["prox"]
    unit = prox["proximityUnitCode"]
    exclusion = prox["exclusion"]
    return Proximity(
        left,
        right,
        exclusion=bool(exclusion) if exclusion.isValue else False,
        distance=int(prox["distance"]),
        ordered=bool(prox["ordered"]),
        relation=int(prox["relationType"]),
        known_unit=unit.getName() == "known",
        unit=int(unit.getComponent()),
    )


def _read_operand(component: Any, encoding: str) -> Node:
    kind = component.getName()
    if kind == "resultSet":
        return ResultSetRef(to_text(component["resultSet"], encoding))
    if kind == "resultAttr":
        raise RemoteProtocolError(
            "The query restricts a result set by attributes, which Polycat cannot read.",
            detail="Operand resultAttr [214]",
        )
    return read_attributes_plus_term(component["attrTerm"], encoding)


def read_attributes_plus_term(component: Any, encoding: str) -> Term:
    text, kind = read_term(component["term"], encoding)
    return Term(text, read_attributes(component["attributes"], encoding), kind)


def read_attributes(component: Any, encoding: str) -> tuple[Attribute, ...]:
    attributes = []
    for element in component:
        attribute_set = element["attributeSet"]
        value = element["attributeValue"]
        parsed: int | str
        if value.getName() == "numeric":
            parsed = int(value["numeric"])
        else:
            first = value["complex"]["list"][0] if len(value["complex"]["list"]) else None
            if first is None:
                raise RemoteProtocolError(
                    "The query has an empty complex attribute value.",
                    detail="AttributeElement complex list is empty",
                )
            parsed = (
                to_text(first["string"], encoding)
                if first.getName() == "string"
                else int(first["numeric"])
            )
        attributes.append(
            Attribute(
                type=int(element["attributeType"]),
                value=parsed,
                attribute_set=str(attribute_set) if attribute_set.isValue else None,
            )
        )
    return tuple(attributes)


def read_term(component: Any, encoding: str) -> tuple[str, TermKind]:
    """The term's text and kind (general, numeric, characterString, null)."""
    kind = component.getName()
    if kind == "general":
        return to_text(component["general"], encoding), "general"
    if kind == "characterString":
        return to_text(component["characterString"], encoding), "characterString"
    if kind == "numeric":
        return str(int(component["numeric"])), "numeric"
    if kind == "null":
        return "", "null"
    if kind in ("oid", "dateTime"):
        return str(component[kind]), "general"
    raise RemoteProtocolError(
        f"The query uses a {kind} term, which Polycat cannot read.", detail=f"Term CHOICE {kind}"
    )
