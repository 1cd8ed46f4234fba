"""A catalogue held in memory: records, what to match them on, and a Bib-1 RPN evaluator.

The in-process target (``app.net.target``) serves one of these; the offline demo serves three.
Each record carries its bytes in one or more syntaxes and the index values to match
(``{"title": ("The origin of species",), "author": ("Darwin, Charles",), ...}``).

Matching is what a small OPAC does: case- and accent-insensitive words, Bib-1 use attributes
mapped to index names, structure (phrase, word, word list, key, year), relation (for years and
numbers), truncation (right, left, both, ``#`` masking), and/or/and-not, ``@set`` operands.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from app.records.model import BibRecord
from app.z3950.errors import DiagnosticError
from app.z3950.events import BIB1_DIAG, ScanEntry, SortKey
from app.z3950.rpn import BIB1, Attribute, Boolean, Node, ResultSetRef, RPNQuery, Term

# Bib-1 use attribute -> index name. "any" searches every index.
USE_ATTRIBUTES: dict[int, str] = {
    1: "author",  # personal name
    2: "author",  # corporate name
    3: "author",  # conference name
    4: "title",
    5: "series",
    7: "isbn",
    8: "issn",
    9: "lccn",
    12: "local",
    21: "subject",
    30: "year",
    31: "year",
    54: "language",
    59: "place",
    1003: "author",
    1004: "author",
    1007: "identifier",
    1016: "any",
    1018: "publisher",
    1035: "any",
}
# indexes whose values are identifiers: compared without hyphens and blanks
_IDENTIFIERS = frozenset({"isbn", "issn", "lccn", "local", "identifier"})
_YEAR = re.compile(r"\d{4}")


def diagnostic(code: int, addinfo: str = "") -> DiagnosticError:
    """A Bib-1 diagnostic raised by the evaluator; the target turns it into the APDU's."""
    return DiagnosticError(code, addinfo, BIB1_DIAG)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, accents off, punctuation to blanks: "Müller, J." -> "muller j"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w#]+", " ", bare.casefold()).split())


def _identifier(text: str) -> str:
    return re.sub(r"[\s\-]+", "", text).casefold()


@dataclass(frozen=True, slots=True)
class CatalogueRecord:
    """One record: its bytes per record syntax OID, and the index values to match on."""

    formats: Mapping[str, bytes]  # syntax OID -> bytes for the full element set (F)
    fields: Mapping[str, tuple[str, ...]]  # index name -> values as the record has them
    brief: Mapping[str, bytes] = field(default_factory=dict)  # syntax OID -> element set B

    @classmethod
    def from_bib(cls, record: BibRecord, formats: Mapping[str, bytes]) -> CatalogueRecord:
        """Index a record read by ``app.records`` (the demo's records) under its bytes."""
        fields: dict[str, tuple[str, ...]] = {
            "title": tuple(t for t in (record.full_title,) if t),
            "author": tuple(n.name for n in record.names),
            "isbn": tuple(i.raw for i in record.isbns),
            "issn": tuple(i.raw for i in record.issns),
            "lccn": (record.lccn,) if record.lccn else (),
            "subject": record.subjects,
            "series": record.series,
            "year": (str(record.year),) if record.year else (),
            "publisher": (record.publisher,) if record.publisher else (),
            "place": (record.place,) if record.place else (),
            "language": record.languages or ((record.language,) if record.language else ()),
            "local": tuple(number for _, number in record.control_numbers),
        }
        fields["identifier"] = fields["isbn"] + fields["issn"] + fields["lccn"]
        return cls(formats=dict(formats), fields={k: v for k, v in fields.items() if v})


@dataclass(frozen=True, slots=True)
class Hit:
    """A record in a result set: which database, which record there."""

    database: str
    index: int


class _Matcher:
    """One term with its attributes, ready to test against a record's index values."""

    def __init__(self, term: Term, attribute_set: str) -> None:
        use: int | str = 1016
        relation, structure, truncation = 3, 0, 100
        for attr in term.attributes:
            if (attr.attribute_set or attribute_set) != BIB1:
                raise diagnostic(121, attr.attribute_set or attribute_set)
            value = attr.value
            if attr.type == 1:
                use = value
            elif attr.type == 2:
                relation = _number(attr, (1, 2, 3, 4, 5, 6, 102), 117)
            elif attr.type == 4:
                structure = _number(attr, (1, 2, 3, 4, 5, 6, 100, 101), 118)
            elif attr.type == 5:
                truncation = _number(attr, (1, 2, 3, 100, 101), 120)
            elif attr.type in (3, 6):
                continue  # position and completeness: every position, any completeness
            else:
                raise diagnostic(113, str(attr.type))
        if isinstance(use, str):
            self.index = use.strip().lower()  # Zebra-style "@attr 1=title"
        elif use in USE_ATTRIBUTES:
            self.index = USE_ATTRIBUTES[use]
        else:
            raise diagnostic(114, str(use))
        self.relation = relation
        self.structure = structure
        self.truncation = truncation
        self.text = term.text
        if self.index in _IDENTIFIERS:
            self.words = [_identifier(term.text)]
        else:
            self.words = fold(term.text).split()
        comparing = relation != 3 or structure in (4, 5)
        self.number = _first_number(term.text) if comparing else None
        if not self.words and truncation != 101:
            raise diagnostic(108, "empty term")
        self.patterns = [self._pattern(w) for w in self.words]

    def _pattern(self, word: str) -> re.Pattern[str]:
        body = re.escape(word)
        if self.truncation == 101:
            body = body.replace("\\#", ".*")
        elif self.truncation == 1:
            body += ".*"
        elif self.truncation == 2:
            body = ".*" + body
        elif self.truncation == 3:
            body = ".*" + body + ".*"
        return re.compile(body)

    def matches(self, fields: Mapping[str, tuple[str, ...]]) -> bool:
        if self.index == "any":
            values: Iterable[str] = (v for vs in fields.values() for v in vs)
        else:
            values = fields.get(self.index, ())
        return any(self._value_matches(v) for v in values)

    def _value_matches(self, value: str) -> bool:
        if self.relation != 3 or self.structure in (4, 5):
            return self._compare(value)
        if self.index in _IDENTIFIERS:
            return self.patterns[0].fullmatch(_identifier(value)) is not None
        folded = fold(value)
        if self.structure == 3:  # key: the whole value
            return (
                re.compile(r"\s+".join(p.pattern for p in self.patterns)).fullmatch(folded)
                is not None
            )
        words = folded.split()
        if self.structure == 1:  # phrase: the words in a row
            n = len(self.patterns)
            return any(
                all(p.fullmatch(w) for p, w in zip(self.patterns, words[i : i + n], strict=True))
                for i in range(len(words) - n + 1)
            )
        return all(any(p.fullmatch(w) for w in words) for p in self.patterns)

    def _compare(self, value: str) -> bool:
        number = self.number
        mine = _first_number(value)
        if number is None or mine is None:
            return False
        return {
            1: mine < number,
            2: mine <= number,
            3: mine == number,
            4: mine >= number,
            5: mine > number,
            6: mine != number,
            102: mine == number,
        }[self.relation]


def _number(attr: Attribute, allowed: Sequence[int], code: int) -> int:
    if not isinstance(attr.value, int) or attr.value not in allowed:
        raise diagnostic(code, str(attr.value))
    return attr.value


def _first_number(text: str) -> int | None:
    found = _YEAR.search(text) or re.search(r"\d+", text)
    return int(found.group()) if found else None


class Catalogue:
    """Databases of records held in memory; shared by every session of a target."""

    def __init__(self, databases: Mapping[str, Sequence[CatalogueRecord]]) -> None:
        self.databases: dict[str, tuple[CatalogueRecord, ...]] = {
            name: tuple(records) for name, records in databases.items()
        }
        self._by_fold = {name.casefold(): name for name in self.databases}
        self.syntaxes: frozenset[str] = frozenset(
            oid
            for records in self.databases.values()
            for record in records
            for oid in record.formats
        )

    def database(self, name: str) -> str:
        """The catalogue's spelling of a database name (names are case-insensitive)."""
        found = self._by_fold.get(name.casefold())
        if found is None:
            raise diagnostic(235, name)
        return found

    def record(self, hit: Hit) -> CatalogueRecord:
        return self.databases[hit.database][hit.index]

    def search(
        self,
        query: RPNQuery,
        databases: Sequence[str],
        result_sets: Mapping[str, Sequence[Hit]] | None = None,
    ) -> list[Hit]:
        """Every record of ``databases`` the query matches, in catalogue order."""
        names = [self.database(d) for d in databases]
        if query.attribute_set != BIB1:
            raise diagnostic(121, query.attribute_set)
        found = self._evaluate(query.root, query.attribute_set, names, result_sets or {})
        return sorted(found, key=lambda h: (names.index(h.database), h.index))

    def _evaluate(
        self,
        node: Node,
        attribute_set: str,
        names: Sequence[str],
        result_sets: Mapping[str, Sequence[Hit]],
    ) -> set[Hit]:
        if isinstance(node, Term):
            matcher = _Matcher(node, attribute_set)
            return {
                Hit(name, i)
                for name in names
                for i, record in enumerate(self.databases[name])
                if matcher.matches(record.fields)
            }
        if isinstance(node, ResultSetRef):
            if node.name not in result_sets:
                raise diagnostic(30, node.name)
            return set(result_sets[node.name])
        if isinstance(node, Boolean):
            left = self._evaluate(node.left, attribute_set, names, result_sets)
            right = self._evaluate(node.right, attribute_set, names, result_sets)
            if node.op == "and":
                return left & right
            if node.op == "or":
                return left | right
            return left - right
        raise diagnostic(129, "proximity")  # proximity is not supported

    def scan(
        self, term: Term, databases: Sequence[str], count: int, position: int
    ) -> tuple[list[ScanEntry], int]:
        """``count`` index entries with ``term`` at ``position`` (1-based) when possible.

        Returns the entries and the position the term (or the first entry after it) got.
        """
        names = [self.database(d) for d in databases]
        index = _Matcher(Term("x", term.attributes), BIB1).index
        counts: dict[str, int] = {}
        display: dict[str, str] = {}
        for name in names:
            for record in self.databases[name]:
                values = (
                    (v for vs in record.fields.values() for v in vs)
                    if index == "any"
                    else record.fields.get(index, ())
                )
                for value in {fold(v): v for v in values}.items():
                    counts[value[0]] = counts.get(value[0], 0) + 1
                    display.setdefault(*value)
        keys = sorted(counts)
        start = fold(term.text)
        at = next((i for i, k in enumerate(keys) if k >= start), len(keys))
        first = max(0, at - (position - 1))
        chosen = keys[first : first + max(0, count)]
        entries = [ScanEntry(term=display[k], count=counts[k]) for k in chosen]
        return entries, at - first + 1

    def sort(self, hits: Sequence[Hit], keys: Sequence[SortKey]) -> list[Hit]:
        """The hits ordered by the keys (stable; a record without the value sorts last)."""
        ordered = list(hits)
        for key in reversed(keys):
            if key.use is not None:
                if key.use not in USE_ATTRIBUTES:
                    raise diagnostic(207, str(key.use))  # cannot sort by this attribute
                index = USE_ATTRIBUTES[key.use]
            elif key.field:
                index = key.field.lower()
            else:
                raise diagnostic(207, "no sort key")

            def value(hit: Hit, index: str = index, case: bool = key.case_sensitive) -> str:
                values = self.record(hit).fields.get(index, ())
                if not values:
                    return ""
                return values[0] if case else fold(values[0])

            present = [h for h in ordered if value(h)]
            missing = [h for h in ordered if not value(h)]
            present.sort(key=value, reverse=not key.ascending)
            ordered = present + missing
        return ordered
