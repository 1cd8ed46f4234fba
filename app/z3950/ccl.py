"""CCL (ISO 8777 Common Command Language) read the way YAZ reads it, into an RPN tree.

Grammar (YAZ's, all boolean operators of equal precedence, left to right)::

    find     ::= elements { ("and" | "or" | "not" | "&" | "|") elements }
    elements ::= "(" find ")" | "set" "=" name | terms
               | quals rel terms | quals rel "(" find ")" | quals "=" low "-" high
    quals    ::= name { "," name }          -- several qualifiers: OR (or merged, see below)
    terms    ::= term { ("%" | "!") [n] term }   -- proximity: % unordered, ! ordered
    term     ::= word { word }              -- a quoted "..." word keeps its spaces
    rel      ::= "=" | "<" | "<=" | ">" | ">=" | "<>"

Two elements side by side without an operator are ANDed (``ti=origin au=darwin``).

The qualifiers a profile defines are read in ``ccl_qualifiers``; terms become RPN in
``ccl_terms``. Every name of both is importable from here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from app.z3950.ccl_qualifiers import (
    ATTRIBUTE_TYPES,
    DEFAULT_QUALIFIERS,
    DEFAULT_QUALIFIERS_TEXT,
    CCLError,
    CCLProblem,
    Qualifier,
    Qualifiers,
    parse_qualifier_spec,
    parse_qualifiers,
)
from app.z3950.ccl_terms import (
    RELATIONS,
    Rewrite,
    Word,
    range_term,
    search_term,
    split_words,
    unescape,
)
from app.z3950.rpn import Boolean, Node, Proximity, ResultSetRef, RPNQuery

__all__ = [
    "ATTRIBUTE_TYPES",
    "DEFAULT_QUALIFIERS",
    "DEFAULT_QUALIFIERS_TEXT",
    "RELATIONS",
    "CCLError",
    "CCLProblem",
    "Qualifier",
    "Qualifiers",
    "Rewrite",
    "TokenKind",
    "Word",
    "parse_ccl",
    "parse_qualifier_spec",
    "parse_qualifiers",
    "range_term",
    "search_term",
    "split_words",
]

# --- the query tokens ------------------------------------------------------------------

TokenKind = Literal["(", ")", ",", "rel", "prox", "and", "or", "not", "word", "end"]
_PUNCTUATION: dict[str, TokenKind] = {"(": "(", ")": ")", ",": ",", "&": "and", "|": "or"}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: TokenKind
    text: str
    position: int
    quoted: bool = False


_TOKEN = re.compile(
    r'\s*(?:(?P<punct>[(),&|])|(?P<rel><=|>=|<>|[=<>])|(?P<prox>[%!]\d*)|(?P<quote>")'
    r'|(?P<word>[^\s()=<>,"%!&|]+))'
)
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _tokens(text: str, table: Qualifiers) -> list[_Token]:
    found: list[_Token] = []
    keywords = table.keywords
    at = 0
    while (match := _TOKEN.match(text, at)) and match.lastgroup:
        kind, value, start = match.lastgroup, match.group(match.lastgroup), match.start(
            match.lastgroup)
        at = match.end()
        if kind == "punct":
            found.append(_Token(_PUNCTUATION[value], value, start))
        elif kind == "rel":
            found.append(_Token("rel", value, start))
        elif kind == "prox":
            found.append(_Token("prox", value, start))
        elif kind == "quote":
            quoted = _QUOTED.match(text, start)
            if quoted is None:
                raise CCLError("a quotation mark is never closed", start)
            found.append(_Token("word", unescape(quoted.group(1)), start, quoted=True))
            at = quoted.end()
        else:
            found.append(_Token(keywords.get(table.key(value), "word"), value, start))
    found.append(_Token("end", "", len(text)))
    return found


# --- the parser --------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str, table: Qualifiers, rewrite: Rewrite | None) -> None:
        self.table = table
        self.rewrite = rewrite
        self.tokens = _tokens(text, table)
        self.at = 0

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.at + ahead, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.peek()
        self.at += 1
        return token

    def expect(self, kind: TokenKind, what: str) -> _Token:
        token = self.peek()
        if token.kind != kind:
            raise CCLError(f"{what} expected {_where(token)}", token.position)
        return self.take()

    def query(self) -> Node:
        node = self.find(None)
        token = self.peek()
        if token.kind != "end":
            raise CCLError(f"unexpected {_shown(token)}", token.position)
        return node

    def find(self, context: tuple[tuple[Qualifier, ...], str] | None) -> Node:
        node = self.elements(context)
        ops: dict[str, Literal["and", "or", "and-not"]] = {
            "and": "and", "or": "or", "not": "and-not"}
        while True:
            token = self.peek()
            if token.kind in ops:
                self.take()
                node = Boolean(ops[token.kind], node, self.elements(context))
            elif token.kind in ("word", "("):
                node = Boolean("and", node, self.elements(context))  # side by side: AND
            else:
                return node

    def elements(self, context: tuple[tuple[Qualifier, ...], str] | None) -> Node:
        token = self.peek()
        if token.kind == "(":
            self.take()
            node = self.find(context)
            self.expect(")", "')'")
            return node
        if token.kind != "word":
            raise CCLError(f"a search term expected {_where(token)}", token.position)
        if self._is_set(token):
            self.take()
            self.take()
            name = self.expect("word", "a result set name")
            return ResultSetRef(name.text)
        names = self._qualifier_names()
        if names is None:
            quals, relation = context if context else (self.table.default(), "=")
            return self.terms(quals, relation)
        quals = tuple(q for t in names for q in self.table.resolve(t.text, t.position))
        rel = self.take()
        if self.peek().kind == "(":
            self.take()
            node = self.find((quals, rel.text))
            self.expect(")", "')'")
            return node
        return self.terms(quals, rel.text, rel.position)

    def _is_set(self, token: _Token) -> bool:
        is_set_word = self.table.key(token.text) in (self.table.key(w)
                                                     for w in self.table.set_words)
        return (not token.quoted and is_set_word and self.peek(1).kind == "rel"
                and self.peek(1).text == "=" and self.table.key(token.text)
                not in self.table.definitions)

    def _qualifier_names(self) -> list[_Token] | None:
        """``name {, name} rel`` ahead? Then those names, else None (a plain term)."""
        names: list[_Token] = []
        ahead = 0
        while True:
            token = self.peek(ahead)
            if token.kind != "word" or token.quoted:
                return None
            names.append(token)
            follow = self.peek(ahead + 1)
            if follow.kind == "rel":
                self.at += ahead + 1
                return names
            if follow.kind != ",":
                return None
            ahead += 2

    def terms(
        self, quals: tuple[Qualifier, ...], relation: str, rel_position: int = 0
    ) -> Node:
        node = self.term(quals, relation, rel_position)
        while self.peek().kind == "prox":
            token = self.take()
            distance = int(token.text[1:]) if len(token.text) > 1 else 1
            right = self.term(quals, relation, rel_position)
            node = Proximity(node, right, distance=distance, ordered=token.text[0] == "!",
                             relation=2)
        return node

    def term(self, quals: tuple[Qualifier, ...], relation: str, rel_position: int) -> Node:
        words: list[Word] = []
        while True:
            token = self.peek()
            if token.kind == "word" and not (words and self._starts_qualified()):
                self.take()
                words.append(Word(token.text, token.position, token.quoted))
            elif token.kind == "," and words and not self._starts_qualified(1):
                self.take()  # "darwin, charles": a comma inside a name, not a qualifier list
                last = words[-1]
                words[-1] = Word(last.text + ",", last.position, last.quoted)
            else:
                break
        if not words:
            token = self.peek()
            raise CCLError(f"a search term expected {_where(token)}", token.position)
        bounds = _range(quals, words)
        if bounds is not None:
            if relation != "=":
                raise CCLError("a range is written with '=' (year=1990-2000)", rel_position)
            low, high = bounds
            return range_term(quals, low or None, high or None, position=words[0].position)
        return search_term(quals, words, relation, marks=self.table.truncation_marks,
                           field_mode=self.table.field_mode, rewrite=self.rewrite)

    def _starts_qualified(self, ahead: int = 0) -> bool:
        saved = self.at
        self.at += ahead
        try:
            return self._qualifier_names() is not None
        finally:
            self.at = saved


def _range(quals: tuple[Qualifier, ...], words: list[Word]) -> tuple[str, str] | None:
    """``a - b`` (r=o or r=r) or ``a-b`` (r=r only) as its two ends ("" = open); else None."""
    modes = {q.ordered for q in quals}
    if not modes & {"o", "r"} or any(w.quoted for w in words):
        return None
    texts = [w.text for w in words]
    if texts.count("-") == 1 and len(texts) <= 3:
        dash = texts.index("-")
        return " ".join(texts[:dash]), " ".join(texts[dash + 1 :])
    if "r" in modes and len(texts) == 1 and texts[0].count("-") == 1:
        first, _, last = texts[0].partition("-")
        return first, last
    return None


def _shown(token: _Token) -> str:
    return "end of query" if token.kind == "end" else f"'{token.text}'"


def _where(token: _Token) -> str:
    return "at the end" if token.kind == "end" else f"at '{token.text}'"


def parse_ccl(
    text: str, qualifiers: Qualifiers | None = None, *, rewrite: Rewrite | None = None
) -> RPNQuery:
    """A CCL query as RPN, using ``qualifiers`` (YAZ's classic table when not given).

    ``rewrite(qualifier_name, term)`` may change a term before it is sent (ISBN clean-up).
    """
    table = qualifiers if qualifiers is not None else DEFAULT_QUALIFIERS
    if not text.strip():
        raise CCLError("there is nothing to search for", 0)
    return RPNQuery(_Parser(text, table, rewrite).query())


