"""PQF, YAZ's prefix query format, to the RPN tree and back.

``@attrset set``, ``@attr [set] type=value`` (a value that is not a number is sent as a
complex string value), ``@and @or @not``, ``@prox exclusion distance ordered relation
which-code unit``, ``@set name``, ``@term general|numeric|string|null``, terms quoted with
"..." or {...} and backslash escapes. As in YAZ, attributes written before an operator
apply to every term below it (a later attribute of the same type wins), and ``@term`` holds
for the rest of the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from app.errors import PolycatError
from app.z3950.oids import UnknownName, attribute_set_name, attribute_set_oid, is_oid
from app.z3950.rpn import (
    BIB1,
    Attribute,
    Boolean,
    Node,
    Proximity,
    ResultSetRef,
    RPNQuery,
    Term,
    TermKind,
)

_OPERATORS = ("@and", "@or", "@not", "@prox", "@attr", "@attrset", "@set", "@term")
_BOOLEANS: dict[str, Literal["and", "or", "and-not"]] = {
    "@and": "and",
    "@or": "or",
    "@not": "and-not",
}
_TERM_KINDS: dict[str, TermKind] = {
    "general": "general",
    "numeric": "numeric",
    "string": "characterString",
    "null": "null",
}
_PQF_KIND = {kind: word for word, kind in _TERM_KINDS.items()}
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}
_CLOSERS = {'"': '"', "{": "}"}
_NUMBER = re.compile(r"[0-9]+")


class PQFError(PolycatError):
    """A PQF query that cannot be parsed; ``position`` is the 0-based offset of the problem."""

    def __init__(self, message: str, position: int, query: str) -> None:
        self.position = position
        self.query = query
        pointer = f"{query}\n{' ' * position}^"
        super().__init__(f"{message} at position {position}", detail=pointer)


@dataclass(frozen=True, slots=True)
class _Token:
    text: str  # as written between its delimiters, escapes still in place
    start: int  # where the token (its opening quote, if any) starts
    body: int  # where ``text`` starts
    quoted: bool

    @property
    def operator(self) -> str | None:
        if self.quoted:
            return None
        if self.text in _OPERATORS:
            return self.text
        return None


def _unescape(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char != "\\" or i + 1 == len(text):
            out.append(char)
            i += 1
            continue
        code = text[i + 1]
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            i += 2
        elif code == "x" and _is_hex(text[i + 2 : i + 4]):
            out.append(chr(int(text[i + 2 : i + 4], 16)))
            i += 4
        elif code in "0123" and _is_octal(text[i + 1 : i + 4]):
            out.append(chr(int(text[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(code)
            i += 2
    return "".join(out)


def _is_hex(text: str) -> bool:
    return len(text) == 2 and all(c in "0123456789abcdefABCDEF" for c in text)


def _is_octal(text: str) -> bool:
    return len(text) == 3 and all(c in "01234567" for c in text)


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, size = 0, len(query)
    while True:
        while i < size and query[i].isspace():
            i += 1
        if i >= size:
            return tokens
        start = i
        closer = _CLOSERS.get(query[i])
        if closer is not None:
            i += 1
            body = i
            while i < size and query[i] != closer:
                i += 2 if query[i] == "\\" and i + 1 < size else 1
            if i >= size:
                raise PQFError(f"missing closing {closer}", start, query)
            tokens.append(_Token(query[body:i], start, body, True))
            i += 1
            continue
        if query[i] == "@" and i + 1 < size and query[i + 1] in "0123456789":
            tokens.append(_Token("@attr", start, start, False))  # YAZ shorthand: @1=4
            i += 1
            continue
        while i < size and not query[i].isspace():
            i += 2 if query[i] == "\\" and i + 1 < size else 1
        tokens.append(_Token(query[start:i], start, start, False))


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _tokens(query)
        self.index = 0
        self.kind: TermKind = "general"

    def error(self, message: str, position: int) -> PQFError:
        return PQFError(message, position, self.query)

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, wanted: str) -> _Token:
        token = self.peek()
        if token is None:
            raise self.error(f"expected {wanted} but the query ended", len(self.query))
        self.index += 1
        return token

    def attribute_set(self, token: _Token) -> str:
        name = _unescape(token.text)
        try:
            return attribute_set_oid(name)
        except UnknownName:
            raise self.error(f"unknown attribute set {name!r}", token.body) from None

    def whole_query(self) -> Node:
        node = self.structure(())
        extra = self.peek()
        if extra is not None:
            raise self.error(f"unexpected {extra.text!r} after the end of the query", extra.start)
        return node

    def structure(self, inherited: tuple[Attribute, ...]) -> Node:
        token = self.take("a term or an operator")
        operator = token.operator
        if operator == "@attr":
            attribute = self.attribute(token)
            kept = tuple(a for a in inherited if a.type != attribute.type)
            return self.structure((*kept, attribute))
        if operator == "@term":
            word = self.take("a term type (general, numeric, string or null)")
            kind = _TERM_KINDS.get(word.text.lower()) if not word.quoted else None
            if kind is None:
                raise self.error(
                    f"unknown term type {word.text!r} (general, numeric, string or null)",
                    word.body,
                )
            self.kind = kind
            return self.structure(inherited)
        if operator in _BOOLEANS:
            left = self.structure(inherited)
            right = self.structure(inherited)
            return Boolean(_BOOLEANS[operator], left, right)
        if operator == "@prox":
            return self.proximity(inherited)
        if operator == "@set":
            name = self.take("a result set name after @set")
            return ResultSetRef(_unescape(name.text))
        if operator == "@attrset":
            raise self.error("@attrset may only start the query", token.start)
        if not token.quoted and token.text.startswith("@"):
            raise self.error(
                f"unknown operator {token.text!r} (quote it to search for it)", token.start
            )
        return self.term(token, inherited)

    def term(self, token: _Token, attributes: tuple[Attribute, ...]) -> Term:
        text = _unescape(token.text)
        if self.kind == "null":
            text = ""
        elif self.kind == "numeric":
            try:
                int(text)
            except ValueError:
                raise self.error(
                    f"the numeric term {text!r} is not a number", token.body
                ) from None
        return Term(text, attributes, self.kind)

    def attribute(self, at: _Token) -> Attribute:
        token = self.take("an attribute such as 1=4 after @attr")
        attribute_set = None
        if "=" not in token.text:
            if token.text[:1] in tuple("0123456789") and not is_oid(token.text):
                raise self.error(
                    f"expected type=value after @attr, got {token.text!r}", token.body
                )
            attribute_set = self.attribute_set(token)
            token = self.take(f"an attribute such as 1=4 after the set name {token.text!r}")
            if "=" not in token.text:
                raise self.error(f"expected type=value, got {token.text!r}", token.body)
        kind_text, _, value_text = token.text.partition("=")
        equals = token.body + len(kind_text)
        if not _NUMBER.fullmatch(kind_text):
            raise self.error(
                f"expected an attribute type number before '=', got {kind_text!r}", token.body
            )
        if value_text == "" and not token.quoted:  # an empty value must be quoted: "1="
            raise self.error(f"expected a value after '{kind_text}='", equals + 1)
        numeric = _NUMBER.fullmatch(value_text)
        value: int | str = int(value_text) if numeric else _unescape(value_text)
        return Attribute(int(kind_text), value, attribute_set)

    def number(self, what: str) -> int:
        token = self.take(what)
        if token.quoted or not _NUMBER.fullmatch(token.text):
            raise self.error(f"expected {what}, got {token.text!r}", token.body)
        return int(token.text)

    def flag(self, what: str, allowed: str) -> str:
        token = self.take(what)
        first = token.text[:1]
        if token.quoted or not first or first not in allowed:
            raise self.error(f"expected {what}, got {token.text!r}", token.body)
        return first

    def proximity(self, inherited: tuple[Attribute, ...]) -> Proximity:
        exclusion = self.flag("the proximity exclusion flag (0 or 1)", "01vn") == "1"
        distance = self.number("the proximity distance (a number)")
        ordered = self.flag("the proximity ordered flag (0 or 1)", "01") == "1"
        relation = self.number("the proximity relation (1-6)")
        unit_kind = self.flag("the proximity unit kind (k or p)", "kp12")
        unit = self.number("the proximity unit (a number, 2 = word)")
        left = self.structure(inherited)
        right = self.structure(inherited)
        return Proximity(
            left,
            right,
            exclusion=exclusion,
            distance=distance,
            ordered=ordered,
            relation=relation,
            known_unit=unit_kind in "k1",
            unit=unit,
        )


def parse_pqf(text: str, *, type_101: bool = False) -> RPNQuery:
    """Parse a PQF query; PQFError (with ``position``) points at what is wrong."""
    parser = _Parser(text)
    attribute_set = BIB1
    first = parser.peek()
    if first is not None and first.operator == "@attrset":
        parser.index += 1
        attribute_set = parser.attribute_set(parser.take("an attribute set name after @attrset"))
    if parser.peek() is None:
        raise parser.error("the query is empty", len(text))
    return RPNQuery(parser.whole_query(), attribute_set, type_101)


# --- writing ------------------------------------------------------------------------------


def _quote(text: str) -> str:
    """A token that reads back as ``text``: bare when safe, else in double quotes."""
    bare = (
        text
        and not text.startswith(("@", '"', "{"))
        and all(c.isprintable() and not c.isspace() and c != "\\" for c in text)
    )
    if bare:
        return text
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char in "\t\n\r\f":
            out.append("\\" + {"\t": "t", "\n": "n", "\r": "r", "\f": "f"}[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _set_name(oid: str) -> str:
    name = attribute_set_name(oid)
    return name if not is_oid(name) else oid


class _Writer:
    def __init__(self) -> None:
        self.kind: TermKind = "general"
        self.parts: list[str] = []

    def node(self, node: Node) -> None:
        if isinstance(node, Term):
            self.term(node)
        elif isinstance(node, ResultSetRef):
            self.parts += ["@set", _quote(node.name)]
        elif isinstance(node, Boolean):
            self.parts.append({"and": "@and", "or": "@or", "and-not": "@not"}[node.op])
            self.node(node.left)
            self.node(node.right)
        else:
            self.parts += [
                "@prox",
                "1" if node.exclusion else "0",
                str(node.distance),
                "1" if node.ordered else "0",
                str(node.relation),
                "k" if node.known_unit else "p",
                str(node.unit),
            ]
            self.node(node.left)
            self.node(node.right)

    def term(self, term: Term) -> None:
        for attribute in term.attributes:
            self.parts.append("@attr")
            if attribute.attribute_set is not None:
                self.parts.append(_set_name(attribute.attribute_set))
            value = attribute.value
            if isinstance(value, int):
                self.parts.append(f"{attribute.type}={value}")
            elif value:
                self.parts.append(_quote(f"{attribute.type}={value}"))
            else:
                self.parts.append(f'"{attribute.type}="')
        if term.kind != self.kind:
            self.parts += ["@term", _PQF_KIND[term.kind]]
            self.kind = term.kind
        self.parts.append(_quote(term.text))


def to_pqf(query: RPNQuery) -> str:
    """PQF text for a query; ``parse_pqf(to_pqf(q), type_101=q.type_101) == q``."""
    writer = _Writer()
    if query.attribute_set != BIB1:
        writer.parts += ["@attrset", _set_name(query.attribute_set)]
    writer.node(query.root)
    return " ".join(writer.parts)
