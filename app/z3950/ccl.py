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

Qualifiers are defined in YAZ's notation, one per line (``ti u=4 s=pw t=l,r``): ``u r p s t c``
or a number name the attribute type, optionally after an attribute set (``gils,1=2000``);
special values: ``s=pw`` phrase for several words else word, ``s=al``/``s=ol`` one term per
word ANDed/ORed, ``r=o`` ordered relations and ``a - b`` ranges, ``r=r`` also ``a-b``,
``r=omiteq`` sends no relation for ``=``, ``t=l``/``t=r``/``t=b`` allow ``?`` (or ``#``)
truncation at that end, ``t=n`` sends "do not truncate" when no mark is typed, ``t=z`` sends
Z39.58 truncation (104) for a term with ``#`` or ``?`` in it. A line of plain names
(``title ti dc.title``) is an alias that ORs them. ``#`` starts a comment line; ``@truncation``,
``@field or|merge``, ``@case 0|1``, ``@and``, ``@or``, ``@not``, ``@set`` are directives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Literal

from app.errors import PolycatError
from app.z3950.oids import UnknownName, attribute_set_name, attribute_set_oid
from app.z3950.rpn import BIB1, Attribute, Boolean, Node, Proximity, ResultSetRef, RPNQuery, Term

CCLProblem = Literal["syntax", "unknown", "unsupported"]


class CCLError(PolycatError):
    """A CCL query or qualifier file that cannot be read; ``position`` points at the bad token."""

    def __init__(
        self,
        message: str,
        position: int,
        *,
        problem: CCLProblem = "syntax",
        qualifier: str = "",
        detail: str = "",
    ) -> None:
        super().__init__(message, detail=detail)
        self.position = position
        self.problem = problem
        self.qualifier = qualifier


ATTRIBUTE_TYPES = {"u": 1, "r": 2, "p": 3, "s": 4, "t": 5, "c": 6}
RELATIONS = {"<": 1, "<=": 2, "=": 3, ">=": 4, ">": 5, "<>": 6}
_TYPE_LETTERS = {number: letter for letter, number in ATTRIBUTE_TYPES.items()}
_STRUCTURE_MODES = {"pw", "al", "ol"}
_RELATION_MODES = {"o", "r", "omiteq"}
_TRUNCATION_MODES = {"l", "r", "b", "n", "z"}


@dataclass(frozen=True, slots=True)
class Qualifier:
    """One CCL qualifier: attributes always sent, plus the YAZ special modes it allows."""

    name: str
    attributes: tuple[Attribute, ...] = ()
    phrase_or_word: bool = False  # s=pw
    word_list: Literal["", "and", "or"] = ""  # s=al / s=ol
    ordered: Literal["", "o", "r"] = ""  # r=o / r=r
    omit_equals: bool = False  # r=omiteq
    truncation: frozenset[str] = frozenset()  # t= letters: l r b n z

    def fixed(self, attribute_type: int) -> Attribute | None:
        return next((a for a in self.attributes if a.type == attribute_type), None)

    def to_spec(self) -> str:
        """The qualifier back in YAZ notation (without its name)."""
        parts: list[str] = []
        for attr in self.attributes:
            kind = _TYPE_LETTERS.get(attr.type, str(attr.type))
            prefix = "" if attr.attribute_set in (None, BIB1) else f"{_set_name(attr)},"
            parts.append(f"{prefix}{kind}={attr.value}")
        structure = [m for m, on in (("al", self.word_list == "and"),
                                     ("ol", self.word_list == "or"),
                                     ("pw", self.phrase_or_word)) if on]
        if structure:
            parts.append("s=" + ",".join(structure))
        relation = [m for m, on in ((self.ordered, bool(self.ordered)),
                                    ("omiteq", self.omit_equals)) if on]
        if relation:
            parts.append("r=" + ",".join(relation))
        if self.truncation:
            parts.append("t=" + ",".join(sorted(self.truncation)))
        return " ".join(parts)


def _set_name(attr: Attribute) -> str:
    return attribute_set_name(attr.attribute_set or BIB1)


@dataclass(frozen=True)
class Qualifiers:
    """A CCL profile: qualifier definitions, aliases and the directives' settings.

    A definition of ``None`` names a search this catalogue cannot do: using it gives a
    CCLError with ``problem="unsupported"`` instead of "unknown".
    """

    definitions: Mapping[str, Qualifier | None] = field(default_factory=dict)
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    truncation_marks: str = "?#"
    field_mode: Literal["or", "merge"] = "merge"
    case_insensitive: bool = True
    and_words: tuple[str, ...] = ("and",)
    or_words: tuple[str, ...] = ("or",)
    not_words: tuple[str, ...] = ("not",)
    set_words: tuple[str, ...] = ("set",)

    def key(self, name: str) -> str:
        return name.lower() if self.case_insensitive else name

    @cached_property
    def keywords(self) -> dict[str, TokenKind]:
        """Operator words (compared by ``key``) and the token each stands for."""
        found: dict[str, TokenKind] = {self.key(w): "and" for w in self.and_words}
        found.update((self.key(w), "or") for w in self.or_words)
        found.update((self.key(w), "not") for w in self.not_words)
        return found

    def names(self) -> list[str]:
        return sorted(n for n, q in self.definitions.items() if q is not None) + sorted(
            self.aliases
        )

    def resolve(self, name: str, position: int = 0) -> tuple[Qualifier, ...]:
        """The qualifiers a name stands for (aliases expanded); CCLError when unknown."""
        return self._resolve(self.key(name), name, position, ())

    def _resolve(
        self, key: str, shown: str, position: int, seen: tuple[str, ...]
    ) -> tuple[Qualifier, ...]:
        if key in seen:
            raise CCLError(f"CCL qualifier '{shown}' is defined in terms of itself", position)
        if key in self.aliases:
            found: list[Qualifier] = []
            for target in self.aliases[key]:
                found.extend(self._resolve(self.key(target), target, position, (*seen, key)))
            return tuple(found)
        if key in self.definitions:
            qualifier = self.definitions[key]
            if qualifier is None:
                raise CCLError(
                    f"this catalogue cannot search by {shown}",
                    position,
                    problem="unsupported",
                    qualifier=shown,
                )
            return (qualifier,)
        known = ", ".join(self.names()) or "none"
        raise CCLError(
            f"unknown search field '{shown}' (known here: {known})",
            position,
            problem="unknown",
            qualifier=shown,
        )

    def default(self) -> tuple[Qualifier, ...]:
        """What an unqualified term means: the ``term`` qualifier, or no attributes at all."""
        key = self.key("term")
        if key in self.definitions or key in self.aliases:
            return self.resolve("term")
        return (Qualifier("term"),)


# --- qualifier files -------------------------------------------------------------------


@lru_cache(maxsize=2048)  # profiles ask again for every target of every search
def parse_qualifier_spec(spec: str, name: str = "", *, offset: int = 0) -> Qualifier:
    """``u=4 s=pw t=l,r`` -> Qualifier. ``offset`` places error positions in a larger text."""
    attributes: dict[tuple[str | None, int], Attribute] = {}
    qualifier = Qualifier(name)
    for match in re.finditer(r"\S+", spec):
        item, at = match.group(), offset + match.start()
        left, eq, value = item.partition("=")
        if not eq or not left or not value:
            raise CCLError(f"'{item}' is not of the form type=value", at)
        attribute_set: str | None = None
        if "," in left:
            set_name, _, left = left.rpartition(",")
            attribute_set = _attribute_set(set_name, at)
        kind = _attribute_type(left, at)
        specials = [v for v in value.split(",") if not _is_number(v)]
        if specials and attribute_set is None and kind in (2, 4, 5):
            qualifier = _special(qualifier, kind, value.split(","), item, at)
            continue
        attr_value: int | str = int(value) if _is_number(value) else value
        attributes[(attribute_set, kind)] = Attribute(kind, attr_value, attribute_set)
    ordered = sorted(attributes.values(), key=lambda a: (a.attribute_set or "", a.type))
    return replace(qualifier, attributes=tuple(ordered))


def _attribute_set(name: str, at: int) -> str | None:
    """None for Bib-1 (the query's own set), else the set's dotted OID."""
    try:
        oid = attribute_set_oid(name)
    except UnknownName as error:
        raise CCLError(error.message, at) from None
    return None if oid == BIB1 else oid


def _attribute_type(text: str, at: int) -> int:
    if _is_number(text):
        return int(text)
    try:
        return ATTRIBUTE_TYPES[text.lower()]
    except KeyError:
        raise CCLError(
            f"unknown attribute type '{text}' (use u r p s t c or a number)", at
        ) from None


def _is_number(text: str) -> bool:
    return text.isdigit()


def _special(
    qualifier: Qualifier, kind: int, values: list[str], item: str, at: int
) -> Qualifier:
    if kind == 4:
        bad = [v for v in values if v not in _STRUCTURE_MODES]
        if bad or ("al" in values and "ol" in values):
            raise CCLError(f"'{item}': structure modes are pw, al or ol", at)
        word_list: Literal["", "and", "or"] = (
            "and" if "al" in values else "or" if "ol" in values else ""
        )
        return replace(qualifier, phrase_or_word="pw" in values, word_list=word_list)
    if kind == 2:
        bad = [v for v in values if v not in _RELATION_MODES]
        modes = [v for v in values if v in ("o", "r")]
        if bad or len(modes) > 1:
            raise CCLError(f"'{item}': relation modes are o, r and omiteq", at)
        ordered: Literal["", "o", "r"] = "o" if "o" in modes else "r" if "r" in modes else ""
        return replace(qualifier, ordered=ordered, omit_equals="omiteq" in values)
    bad = [v for v in values if v not in _TRUNCATION_MODES]
    if bad:
        raise CCLError(f"'{item}': truncation modes are l, r, b, n and z", at)
    return replace(qualifier, truncation=frozenset(values))


def parse_qualifiers(text: str) -> Qualifiers:
    """Read a YAZ-style CCL qualifier file (definitions, aliases, comments, directives)."""
    definitions: dict[str, Qualifier | None] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    settings: dict[str, object] = {}
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        here, offset = offset, offset + len(line)
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name, _, rest = stripped.partition(" ")
        rest = rest.strip()
        at = here + line.index(name)
        try:
            if name.startswith("@"):
                settings.update(_directive(name[1:].lower(), rest, at))
                continue
            words = rest.split()
            if not words:
                raise CCLError(f"'{name}' has no attributes and names no other qualifier", at)
            with_eq = [w for w in words if "=" in w]
            if with_eq and len(with_eq) != len(words):
                raise CCLError(
                    f"'{name}' mixes attributes and qualifier names; put them on two lines", at
                )
            key = name.lower()
            if with_eq:
                spec_at = here + line.index(rest, line.index(name) + len(name))
                definitions[key] = parse_qualifier_spec(rest, name, offset=spec_at)
            else:
                aliases[key] = tuple(words)
        except CCLError as error:
            raise CCLError(
                f"CCL qualifiers line {number}: {error.message}", error.position
            ) from None
    table = Qualifiers(definitions=definitions, aliases=aliases)
    return replace(table, **settings)  # type: ignore[arg-type]


def _directive(name: str, value: str, at: int) -> dict[str, object]:
    words = tuple(value.split())
    if not words:
        raise CCLError(f"directive @{name} needs a value", at)
    if name == "truncation":
        return {"truncation_marks": "".join(words)}
    if name == "field":
        if words[0].lower() not in ("or", "merge"):
            raise CCLError("@field is 'or' or 'merge'", at)
        return {"field_mode": words[0].lower()}
    if name == "case":
        if words[0] not in ("0", "1"):
            raise CCLError("@case is 0 (case matters) or 1 (it does not)", at)
        return {"case_insensitive": words[0] == "1"}
    if name in ("and", "or", "not", "set"):
        return {f"{name}_words": words}
    raise CCLError(
        f"unknown directive @{name} (known: truncation, field, case, and, or, not, set)", at
    )


# YAZ's classic qualifiers for Bib-1, the table yaz-client users know.
DEFAULT_QUALIFIERS_TEXT = """\
term    u=1016 s=al,pw t=r
ti      u=4 s=pw t=l,r
au      u=1003 s=pw t=r
pn      u=1004 s=pw t=r
cn      u=1005 s=pw t=r
su      u=21 s=pw t=r
isbn    u=7
issn    u=8
lccn    u=9
pb      u=1018 s=pw t=r
pl      u=59 s=pw
se      u=5 s=pw t=r
la      u=54
date    u=30 r=r
yr      u=31 s=4 r=r
oclc    u=1211
any     term
"""


# --- the query tokens ------------------------------------------------------------------

TokenKind = Literal["(", ")", ",", "rel", "prox", "and", "or", "not", "word", "end"]
_PUNCTUATION: dict[str, TokenKind] = {"(": "(", ")": ")", ",": ",", "&": "and", "|": "or"}


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a term as typed; a quoted word keeps its spaces and its marks literal."""

    text: str
    position: int = 0
    quoted: bool = False


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
            found.append(_Token("word", _unescape(quoted.group(1)), start, quoted=True))
            at = quoted.end()
        else:
            found.append(_Token(keywords.get(table.key(value), "word"), value, start))
    found.append(_Token("end", "", len(text)))
    return found


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def split_words(text: str) -> list[Word]:
    """A search box's text as words: whitespace separates, "double quotes" group."""
    words: list[Word] = []
    for match in re.finditer(r'"((?:[^"\\]|\\.)*)"|(\S+)', text):
        if match.group(1) is not None:
            inner = _unescape(match.group(1))
            if inner.strip():
                words.append(Word(inner, match.start(), quoted=True))
        else:
            words.append(Word(match.group(2), match.start()))
    return words


# --- building terms ----------------------------------------------------------------------

Rewrite = Callable[[str, str], str]  # (qualifier name, term text) -> term text to send


def search_term(
    qualifiers: Qualifier | Sequence[Qualifier],
    words: Sequence[Word] | str,
    relation: str = "=",
    *,
    marks: str = "?#",
    field_mode: Literal["or", "merge"] = "merge",
    rewrite: Rewrite | None = None,
) -> Node:
    """The RPN for ``quals rel words``: several qualifiers OR (or merge), word lists split."""
    quals = (qualifiers,) if isinstance(qualifiers, Qualifier) else tuple(qualifiers)
    items = split_words(words) if isinstance(words, str) else list(words)
    if not items:
        raise CCLError("there is nothing to search for", 0)
    groups = [_merge(quals)] if field_mode == "merge" and _mergeable(quals) else list(quals)
    nodes = [_word_list(q, items, relation, marks, rewrite) for q in groups]
    return _chain("or", nodes)


def range_term(
    qualifiers: Qualifier | Sequence[Qualifier],
    low: str | None,
    high: str | None,
    *,
    position: int = 0,
) -> Node:
    """``low <= x <= high`` (either end open) as an AND of two relation terms."""
    quals = (qualifiers,) if isinstance(qualifiers, Qualifier) else tuple(qualifiers)
    parts: list[Node] = []
    for bound, rel in ((low, ">="), (high, "<=")):
        if bound:
            parts.append(search_term(quals, [Word(bound, position)], rel, marks=""))
    if not parts:
        raise CCLError("a range needs at least one end", position)
    return _chain("and", parts)


def _mergeable(quals: tuple[Qualifier, ...]) -> bool:
    types = [(a.attribute_set, a.type) for q in quals for a in q.attributes]
    return len(types) == len(set(types))


def _merge(quals: tuple[Qualifier, ...]) -> Qualifier:
    if len(quals) == 1:
        return quals[0]
    first, *rest = quals
    merged = first
    for q in rest:
        merged = Qualifier(
            f"{merged.name},{q.name}",
            attributes=merged.attributes + q.attributes,
            phrase_or_word=merged.phrase_or_word or q.phrase_or_word,
            word_list=merged.word_list or q.word_list,
            ordered=merged.ordered or q.ordered,
            omit_equals=merged.omit_equals or q.omit_equals,
            truncation=merged.truncation | q.truncation,
        )
    return merged


def _word_list(
    q: Qualifier, words: list[Word], relation: str, marks: str, rewrite: Rewrite | None
) -> Node:
    if q.word_list and relation == "=":
        op: Literal["and", "or"] = "and" if q.word_list == "and" else "or"
        return _chain(op, [_term(q, [w], relation, marks, rewrite) for w in words])
    return _term(q, words, relation, marks, rewrite)


def _term(
    q: Qualifier, words: list[Word], relation: str, marks: str, rewrite: Rewrite | None
) -> Term:
    text = " ".join(w.text for w in words)
    attrs = {(a.attribute_set, a.type): a for a in q.attributes}
    fixed_truncation = q.fixed(5)
    if fixed_truncation is None:
        text, truncation = _truncation(q, words, text, marks)
        if truncation:
            attrs[(None, 5)] = Attribute(5, truncation)
    if rewrite is not None:
        text = rewrite(q.name, text)
    if not text.strip():
        raise CCLError("there is nothing to search for", words[0].position)
    code = RELATIONS[relation]
    if relation != "=" and not q.ordered:
        raise CCLError(
            f"'{relation}' cannot be used with {q.name}; only '=' can",
            words[0].position,
        )
    if q.ordered and not (relation == "=" and q.omit_equals):
        attrs[(None, 2)] = Attribute(2, code)
    if q.phrase_or_word and q.fixed(4) is None:
        several = len(words) > 1 or any(" " in w.text.strip() for w in words)
        attrs[(None, 4)] = Attribute(4, 1 if several else 2)
    ordered = sorted(attrs.values(), key=lambda a: (a.attribute_set or "", a.type))
    return Term(text, tuple(ordered))


def _truncation(q: Qualifier, words: list[Word], text: str, marks: str) -> tuple[str, int]:
    allowed = q.truncation
    if "z" in allowed:
        return text, (104 if any(m in text for m in "#?") else 0)
    left = bool(marks) and not words[0].quoted and text[:1] in marks
    right = bool(marks) and not words[-1].quoted and len(text) > 1 and text[-1:] in marks
    left_ok = "l" in allowed or "b" in allowed
    right_ok = "r" in allowed or "b" in allowed
    # '?' where it is not allowed is a mistake; '#' there is part of a word (C#, F#)
    for end, marked, ok, mark, where in (
        ("left", left, left_ok, text[:1], words[0].position),
        ("right", right, right_ok, text[-1:], words[-1].position),
    ):
        if marked and not ok and mark == "?":
            raise CCLError(f"{q.name} does not allow truncation on the {end}", where)
    left, right = left and left_ok, right and right_ok
    if left:
        text = text[1:]
    if right:
        text = text[:-1]
    if left and right:
        return text, 3
    if left or right:
        return text, 2 if left else 1
    return text, (100 if "n" in allowed else 0)


def _chain(op: Literal["and", "or", "and-not"], nodes: Iterable[Node]) -> Node:
    result: Node | None = None
    for node in nodes:
        result = node if result is None else Boolean(op, result, node)
    if result is None:
        raise CCLError("there is nothing to search for", 0)
    return result


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


DEFAULT_QUALIFIERS = parse_qualifiers(DEFAULT_QUALIFIERS_TEXT)
