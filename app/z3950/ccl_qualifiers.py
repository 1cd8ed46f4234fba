"""CCL qualifier profiles: the Qualifier and Qualifiers types, YAZ's qualifier-file notation,
and YAZ's classic table for Bib-1.

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
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Literal

from app.errors import PolycatError
from app.z3950.oids import UnknownName, attribute_set_name, attribute_set_oid
from app.z3950.rpn import BIB1, Attribute

CCLProblem = Literal["syntax", "unknown", "unsupported"]
Keyword = Literal["and", "or", "not"]  # what an operator word of a profile stands for


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
    def keywords(self) -> dict[str, Keyword]:
        """Operator words (compared by ``key``) and the token each stands for."""
        found: dict[str, Keyword] = {self.key(w): "and" for w in self.and_words}
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
    table = Qualifiers()  # the directives' settings, until the definitions join them
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
                table = _directive(table, name[1:].lower(), rest, at)
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
    return replace(table, definitions=definitions, aliases=aliases)


def _directive(table: Qualifiers, name: str, value: str, at: int) -> Qualifiers:
    """``table`` with one directive's setting; a later directive of a kind wins."""
    words = tuple(value.split())
    if not words:
        raise CCLError(f"directive @{name} needs a value", at)
    if name == "truncation":
        return replace(table, truncation_marks="".join(words))
    if name == "field":
        mode = words[0].lower()
        if mode == "or":
            return replace(table, field_mode="or")
        if mode == "merge":
            return replace(table, field_mode="merge")
        raise CCLError("@field is 'or' or 'merge'", at)
    if name == "case":
        if words[0] not in ("0", "1"):
            raise CCLError("@case is 0 (case matters) or 1 (it does not)", at)
        return replace(table, case_insensitive=words[0] == "1")
    if name == "and":
        return replace(table, and_words=words)
    if name == "or":
        return replace(table, or_words=words)
    if name == "not":
        return replace(table, not_words=words)
    if name == "set":
        return replace(table, set_words=words)
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

DEFAULT_QUALIFIERS = parse_qualifiers(DEFAULT_QUALIFIERS_TEXT)
