"""What the user typed, turned into the RPN query each target understands.

A ``Query`` is plain words, CCL, PQF or the search form. ``to_rpn(query, profile)`` builds the
RPN for one target with that target's query map: the same form gives ``@attr 1=7`` to one
catalogue and ``@attr 1=1007`` to another, ISBNs lose their hyphens and change form as the
target wants, words become word or phrase terms as the target indexes them. PQF is passed on
as typed. ``fallback_queries`` gives the retries for a target that refuses an ISBN search.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from stdnum import isbn as stdnum_isbn
from stdnum import issn as stdnum_issn
from stdnum.exceptions import ValidationError

from app.errors import PolycatError
from app.records.identifiers import normalize_lccn, normalize_oclc
from app.targets.profile import FIELD_LABELS, TargetProfile
from app.z3950.ccl import (
    CCLError,
    Qualifier,
    Qualifiers,
    Word,
    parse_ccl,
    range_term,
    search_term,
    split_words,
)
from app.z3950.rpn import Boolean, Node, Proximity, ResultSetRef, RPNQuery, Term, terms

QueryKind = Literal["words", "ccl", "pqf", "form"]
Operator = Literal["AND", "OR", "NOT"]

# CCL's customary short names for the search fields (YAZ, pazpar2, Koha all use them)
CCL_NAMES: dict[str, str] = {
    "term": "any", "kw": "any", "ti": "title", "au": "author", "su": "subject",
    "bn": "isbn", "in": "issn", "pb": "publisher", "date": "year", "yr": "year",
    "da": "year", "se": "series", "la": "language", "ln": "language", "pl": "place",
    "no": "oclc",
}


class QueryError(PolycatError):
    """A query that cannot be sent: says what is wrong and, for typed text, where."""

    def __init__(self, message: str, *, position: int | None = None, detail: str = "") -> None:
        super().__init__(message, detail=detail)
        self.position = position


class UnsupportedSearch(QueryError):
    """The target has no index for a field the query uses ("cannot search by LCCN")."""

    def __init__(self, message: str, *, field: str, target: str) -> None:
        super().__init__(message)
        self.field = field
        self.target = target


@dataclass(frozen=True, slots=True)
class Clause:
    """One row of the search form; ``operator`` joins it to the rows above."""

    field: str  # a search field: any, title, author, subject, isbn ... (SEARCH_FIELDS)
    text: str
    operator: Operator = "AND"


@dataclass(frozen=True, slots=True)
class SearchForm:
    clauses: tuple[Clause, ...] = ()
    year_from: int | None = None
    year_to: int | None = None


@dataclass(frozen=True, slots=True)
class Query:
    """What the user asked for: typed text of some kind, or the filled-in form."""

    kind: QueryKind
    text: str = ""
    form: SearchForm | None = None

    @classmethod
    def typed(cls, text: str) -> Query:
        """Text from the search bar, its kind told by ``detect_kind``."""
        return cls(detect_kind(text), text.strip())

    @classmethod
    def of_form(cls, form: SearchForm) -> Query:
        return cls("form", form=form)


_QUALIFIED = re.compile(r"(?:^|[\s(])[A-Za-z][\w.-]*(?:\s*,\s*[A-Za-z][\w.-]*)*\s*(?:[<>=])")
_BOOLEAN = re.compile(r"(?:^|\s)(?:and|or|not)(?=\s)|[&|]", re.IGNORECASE)


def detect_kind(text: str) -> Literal["words", "ccl", "pqf"]:
    """``@attr ...`` is PQF; ``field=...`` or and/or/not between words is CCL; else words."""
    stripped = text.strip()
    if stripped.startswith("@"):
        return "pqf"
    unquoted = re.sub(r'"(?:[^"\\]|\\.)*"?', " ", stripped)
    if _QUALIFIED.search(unquoted):
        return "ccl"
    if _BOOLEAN.search(f" {unquoted.strip()} "):
        # and/or/not between words is CCL only when it reads as CCL: a title such as
        # "to be or not to be" is searched as the words it is, not refused
        try:
            parse_ccl(stripped)
        except CCLError:
            return "words"
        return "ccl"
    return "words"


# --- identifiers -------------------------------------------------------------------------

_ISBN_LABEL = re.compile(r"^\s*ISBN(?:-1[03])?:?\s*", re.IGNORECASE)
_ISSN_LABEL = re.compile(r"^\s*ISSN:?\s*", re.IGNORECASE)


def _isbn_compact(text: str) -> str:
    return re.sub(r"[\s-]", "", _ISBN_LABEL.sub("", text)).upper()


def looks_like_isbn(text: str) -> bool:
    return stdnum_isbn.is_valid(_isbn_compact(text))


def looks_like_issn(text: str) -> bool:
    """An ISSN as people write it: four digits, a hyphen, four (or "ISSN 12345679")."""
    labelled = bool(_ISSN_LABEL.match(text))
    number = _ISSN_LABEL.sub("", text).strip()
    shaped = labelled or re.fullmatch(r"\d{4}-\d{3}[\dXx]", number) is not None
    return shaped and stdnum_issn.is_valid(number)


def isbn_for(profile: TargetProfile, text: str) -> str:
    """An ISBN as this target wants it: digits only, as typed or turned into ISBN-13/-10."""
    digits = _isbn_compact(text)
    if profile.isbn_form == "as-typed" or not stdnum_isbn.is_valid(digits):
        return digits
    if profile.isbn_form == "13":
        return stdnum_isbn.to_isbn13(digits)
    try:
        return stdnum_isbn.to_isbn10(digits)
    except ValidationError:  # a 979 ISBN has no ISBN-10: send the ISBN-13
        return digits


def _other_isbn_form(digits: str) -> str | None:
    if not stdnum_isbn.is_valid(digits):
        return None
    try:
        other = stdnum_isbn.to_isbn13(digits) if len(digits) == 10 else stdnum_isbn.to_isbn10(
            digits)
    except ValidationError:
        return None
    return other if other != digits else None


# --- per-target qualifiers ---------------------------------------------------------------


def _qualifier(profile: TargetProfile, search_field: str) -> Qualifier:
    found = profile.qualifier(search_field)
    if found is None:
        raise _unsupported(profile, search_field)
    return found


def _unsupported(profile: TargetProfile, search_field: str) -> UnsupportedSearch:
    label = FIELD_LABELS.get(search_field, search_field)
    return UnsupportedSearch(f"{profile.name} cannot search by {label}", field=search_field,
                             target=profile.id)


def ccl_qualifiers(profile: TargetProfile) -> Qualifiers:
    """The target's query map as a CCL profile: field names plus the usual short names."""
    definitions = {name: profile.qualifier(name) for name, _ in profile.query}
    aliases = {short: (name,) for short, name in CCL_NAMES.items() if short not in definitions}
    return Qualifiers(definitions=definitions, aliases=aliases)


def _rewrite(profile: TargetProfile, search_field: str, text: str) -> str:
    if search_field == "isbn":
        return isbn_for(profile, text)
    if search_field == "lccn":
        return normalize_lccn(text)
    if search_field == "oclc":
        return normalize_oclc(text) or text.strip()
    return text


# --- building RPN ------------------------------------------------------------------------


def to_rpn(query: Query, profile: TargetProfile) -> RPNQuery:
    """The query as this target should receive it (see the module's docstring)."""
    if query.kind == "pqf":
        return _pqf(query.text)
    if query.kind == "ccl":
        try:
            return parse_ccl(
                query.text, ccl_qualifiers(profile),
                rewrite=lambda name, text: _rewrite(profile, name, text),
            )
        except CCLError as problem:
            if problem.problem == "unsupported":
                search_field = CCL_NAMES.get(problem.qualifier.lower(), problem.qualifier)
                raise _unsupported(profile, search_field) from None
            raise QueryError(problem.message, position=problem.position) from None
    if query.kind == "form":
        return RPNQuery(_form(query.form or SearchForm(), profile))
    return RPNQuery(_words(query.text, profile))


def _pqf(text: str) -> RPNQuery:
    try:
        from app.z3950.pqf import PQFError, parse_pqf
    except ImportError as missing:  # the PQF module is another part of Polycat
        raise QueryError("PQF queries cannot be read in this build", detail=str(missing)) from None
    try:
        return parse_pqf(text)
    except PQFError as problem:
        raise QueryError(problem.message, position=problem.position,
                         detail=problem.detail) from None


def _words(text: str, profile: TargetProfile) -> Node:
    words = split_words(text)
    if not words:
        raise QueryError("Type something to search for")
    numbers = [w.text for w in words if not w.quoted]
    if len(numbers) == len(words):
        joined = "".join(numbers)
        if looks_like_isbn(joined):
            return _identifiers(profile, "isbn", [joined])
        if all(looks_like_isbn(n) for n in numbers):
            return _identifiers(profile, "isbn", numbers)
        if all(looks_like_issn(n) for n in numbers):
            return _identifiers(profile, "issn", numbers)
    any_word = _qualifier(profile, "any")
    try:
        return _join("and", [search_term(any_word, [w]) for w in words])
    except CCLError as problem:
        raise QueryError(problem.message, position=problem.position) from None


def _identifiers(profile: TargetProfile, search_field: str, numbers: Sequence[str]) -> Node:
    """One term per number, ORed ("9780198526636 0262033844": either book)."""
    q = _qualifier(profile, search_field)
    terms = [search_term(q, [Word(_rewrite(profile, search_field, n))], marks="")
             for n in numbers]
    return _join("or", terms)


_OPERATORS: dict[Operator, Literal["and", "or", "and-not"]] = {
    "AND": "and", "OR": "or", "NOT": "and-not"}


def _form(form: SearchForm, profile: TargetProfile) -> Node:
    node: Node | None = None
    for clause in form.clauses:
        if not clause.text.strip():
            continue
        part = _clause(clause, profile)
        if node is None:
            if clause.operator == "NOT":
                raise QueryError("A search cannot start with NOT: first say what to look for")
            node = part
        else:
            node = Boolean(_OPERATORS[clause.operator], node, part)
    years = _years(form, profile)
    if years is not None:
        node = years if node is None else Boolean("and", node, years)
    if node is None:
        raise QueryError("Type something to search for")
    return node


def _clause(clause: Clause, profile: TargetProfile) -> Node:
    q = _qualifier(profile, clause.field)
    text = clause.text.strip()
    try:
        if clause.field in ("isbn", "issn", "lccn", "oclc"):
            numbers = [n for n in re.split(r"\s*[,;]\s*|\s{2,}", text) if n]
            if clause.field in ("isbn", "issn"):
                numbers = [n for part in numbers for n in _split_numbers(part, clause.field)]
            return _identifiers(profile, clause.field, numbers)
        if clause.field == "year":
            low, dash, high = text.partition("-")
            if dash:
                return _year_range(profile, q, _year(low.strip() or None),
                                   _year(high.strip() or None))
            return search_term(q, [Word(text)], marks="")
        return search_term(q, text)
    except CCLError as problem:
        raise QueryError(f"{FIELD_LABELS.get(clause.field, clause.field)}: {problem.message}",
                         position=problem.position) from None


def _split_numbers(text: str, search_field: str) -> list[str]:
    """"9780198526636 0262033844" is two ISBNs, "978 0 19 852663 6" is one."""
    parts = text.split()
    check = looks_like_isbn if search_field == "isbn" else looks_like_issn
    if len(parts) > 1 and all(check(p) for p in parts):
        return parts
    return [text]


def _year(text: str | int | None) -> int | None:
    if text is None:
        return None
    value = str(text).strip()
    if not value.isdigit() or not 0 < int(value) < 10000:
        raise QueryError(f"'{value}' is not a year")
    return int(value)


def _years(form: SearchForm, profile: TargetProfile) -> Node | None:
    low, high = _year(form.year_from), _year(form.year_to)
    if low is None and high is None:
        return None
    return _year_range(profile, _qualifier(profile, "year"), low, high)


def _year_range(
    profile: TargetProfile, q: Qualifier, low: int | None, high: int | None
) -> Node:
    if low is not None and high is not None and low > high:
        raise QueryError(f"The years run backwards: {low} to {high}")
    if low is not None and low == high:
        return search_term(q, [Word(str(low))], marks="")
    if profile.year_range == "hyphen":
        # one term "1900-1920" (Jisc Discover); an open end is closed with the widest year
        plain = replace(q, ordered="", omit_equals=False)
        return search_term(plain, [Word(f"{low or 1}-{high or 9999}")], marks="")
    if not q.ordered:
        raise UnsupportedSearch(f"{profile.name} cannot search a range of years",
                                field="year", target=profile.id)
    return range_term(q, str(low) if low else None, str(high) if high else None)


def _join(op: Literal["and", "or"], nodes: Sequence[Node]) -> Node:
    result = nodes[0]
    for node in nodes[1:]:
        result = Boolean(op, result, node)
    return result


# --- fallbacks, display ------------------------------------------------------------------


def fallback_queries(
    query: Query, profile: TargetProfile, diagnostic_code: int
) -> list[RPNQuery]:
    """Retries for a target that refused an ISBN search with ``diagnostic_code``.

    Only where the profile asks for it (``fallback_on`` lists the code and ``isbn_fallback``
    is "any"): the same query with every ISBN term searched as a keyword on the number, first
    in the form sent, then in the other form (ISBN-10 for ISBN-13 and back).
    """
    if diagnostic_code not in profile.fallback_on or profile.isbn_fallback != "any":
        return []
    isbn = profile.qualifier("isbn")
    any_word = profile.qualifier("any")
    use = isbn.fixed(1) if isbn else None
    if use is None or any_word is None:
        return []
    sent = to_rpn(query, profile)
    if not any(_is_isbn_term(t, use.value) for t in terms(sent.root)):
        return []
    retries: list[RPNQuery] = []
    for other_form in (False, True):
        root = _swap_isbns(sent.root, use.value, any_word, other_form)
        if root is not None and all(root != r.root for r in retries):
            retries.append(replace(sent, root=root))
    return retries


def _is_isbn_term(term: Term, use: int | str) -> bool:
    return any(a.type == 1 and a.value == use and a.attribute_set is None
               for a in term.attributes)


def _swap_isbns(node: Node, use: int | str, any_word: Qualifier, other: bool) -> Node | None:
    """The tree with ISBN terms as keyword terms; None if ``other`` finds no other form."""
    if isinstance(node, Term):
        if not _is_isbn_term(node, use):
            return node
        text = _other_isbn_form(node.text) if other else node.text
        if text is None:
            return None
        return search_term(any_word, [Word(text)], marks="")
    if isinstance(node, ResultSetRef):
        return node
    left = _swap_isbns(node.left, use, any_word, other)
    right = _swap_isbns(node.right, use, any_word, other)
    if left is None or right is None:
        return None
    if isinstance(node, Proximity):
        return replace(node, left=left, right=right)
    return Boolean(node.op, left, right)


def to_pqf(query: RPNQuery) -> str:
    """Any RPN as PQF text, for the details pane and the log."""
    from app.z3950.pqf import to_pqf as render

    return render(query)


def describe(query: Query, *, width: int = 80) -> str:
    """A short line for the status bar: "title: origin of species AND author: darwin"."""
    if query.kind == "form":
        form = query.form or SearchForm()
        parts: list[str] = []
        for clause in form.clauses:
            if not clause.text.strip():
                continue
            label = FIELD_LABELS.get(clause.field, clause.field)
            joiner = f" {clause.operator} " if parts else ""
            parts.append(f"{joiner}{label}: {clause.text.strip()}")
        if form.year_from or form.year_to:
            span = (f"{form.year_from}" if form.year_from == form.year_to else
                    f"{form.year_from or '…'}–{form.year_to or '…'}")
            parts.append(f"{', ' if parts else ''}years {span}")
        text = "".join(parts) or "(empty form)"
    elif query.kind == "words":
        words = query.text.strip()
        compact = words.replace(" ", "")
        text = (f"ISBN {_isbn_compact(compact)}" if looks_like_isbn(compact)
                else f"ISSN {words}" if looks_like_issn(words) else words)
    else:
        text = f"{query.kind.upper()}: {query.text.strip()}"
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
