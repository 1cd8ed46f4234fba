"""CCL terms as RPN: the words of a term, several qualifiers ORed or merged, word lists,
truncation marks, relations and ranges. The parser and the search form both build here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from app.z3950.ccl_qualifiers import CCLError, Qualifier
from app.z3950.rpn import Attribute, Boolean, Node, Term

RELATIONS = {"<": 1, "<=": 2, "=": 3, ">=": 4, ">": 5, "<>": 6}


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a term as typed; a quoted word keeps its spaces and its marks literal."""

    text: str
    position: int = 0
    quoted: bool = False


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def split_words(text: str) -> list[Word]:
    """A search box's text as words: whitespace separates, "double quotes" group."""
    words: list[Word] = []
    for match in re.finditer(r'"((?:[^"\\]|\\.)*)"|(\S+)', text):
        if match.group(1) is not None:
            inner = unescape(match.group(1))
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


