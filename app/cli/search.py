"""``polycat search`` and ``polycat scan``: catalogues asked over the network.

Search goes through ``SearchRun`` (every target at once, each failure its own), the records are
merged by ``Merger`` in the order the targets were given (so the merged list does not depend
on which catalogue answered first), and ``output`` turns the outcome into JSON, text or an
export of each merged entry's best record.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from stdnum import isbn as stdnum_isbn

from app.cli import output
from app.cli.common import UsageError, emit, emit_json, warn
from app.cli.profiles import check_login, check_syntax, resolve, tailor
from app.export import ExportError, choose, export
from app.net.results import ScanResult
from app.records.identifiers import normalize_isbn
from app.records.model import BibRecord
from app.search.events import (
    Failure,
    HitsKnown,
    RecordsArrived,
    Searching,
    TargetDone,
    TargetFailed,
)
from app.search.merge import MergedRecord, Merger
from app.search.query import (
    Clause,
    Query,
    QueryError,
    SearchForm,
    UnsupportedSearch,
    describe,
    to_rpn,
)
from app.search.rank import SortBy, sort_entries
from app.search.run import SearchRun, failure_of
from app.search.sessions import open_association
from app.targets import SEARCH_FIELDS, TargetProfile, password_for
from app.z3950.events import InitResponse
from app.z3950.pqf import PQFError, parse_pqf
from app.z3950.rpn import Term

# fields whose repeated values are alternatives (either number), not further conditions
NUMBER_FIELDS = frozenset({"isbn", "issn", "lccn", "oclc"})
YEARS = re.compile(r"\d{1,4}|\d{1,4}\s*-\s*\d{0,4}|-\s*\d{1,4}")
# --sort: the merged list's order (the targets are asked to sort too, where they can)
SORTS: dict[str, tuple[SortBy, bool]] = {
    "title": ("title", False),
    "author": ("author", False),
    "year": ("year", False),
    "year-desc": ("year", True),
}


@dataclass(slots=True)
class Outcome:
    """What one target did for one command; the JSON and the text are built from it."""

    profile: TargetProfile
    status: str = "error"  # "ok" | "error" | "timeout"
    hits: int | None = None
    records: list[BibRecord] = field(default_factory=list)
    failure: Failure | None = None
    init: InitResponse | None = None  # when the target answered the Init
    sent: str = ""  # the query as sent, in PQF
    elapsed: float = 0.0
    scan: ScanResult | None = None

    def failed(self, failure: Failure) -> None:
        self.failure = failure
        self.status = "timeout" if failure.kind == "timeout" else "error"


@dataclass(frozen=True, slots=True)
class Search:
    """What the command line asked for: the query, its words for the JSON, and the targets."""

    query: Query
    shown: str  # the query as the JSON's "query" says it
    profiles: tuple[TargetProfile, ...]


# --- the query from the options ---------------------------------------------------------------


def query_of(args: argparse.Namespace) -> tuple[Query, str]:
    """One query from --pqf, --ccl or the search-field options (several fields: AND)."""
    fields = [f for f in SEARCH_FIELDS if getattr(args, f, None)]
    kinds = [k for k in ("pqf", "ccl") if getattr(args, k, None) is not None] + (
        ["fields"] if fields else [])
    if not kinds:
        raise UsageError("say what to search for: --pqf PQF, --ccl CCL, or search fields "
                         "such as --title T --author A (several fields combine with AND)")
    if len(kinds) > 1:
        raise UsageError("give one kind of query: --pqf, --ccl or search fields, not "
                         + " and ".join(k if k == "fields" else f"--{k}" for k in kinds))
    if args.pqf is not None:
        return Query("pqf", args.pqf.strip()), args.pqf
    if args.ccl is not None:
        return Query("ccl", args.ccl.strip()), args.ccl
    typed: list[Clause] = []  # as the user wrote them, for the JSON's "query"
    sent: list[Clause] = []
    for name in fields:
        values: list[str] = [v.strip() for v in getattr(args, name) if v.strip()]
        bad = [v for v in values if name == "year" and not YEARS.fullmatch(v)]
        if bad:
            raise UsageError(f"--year {bad[0]}: not a year or a range of years "
                             "(1859, 1990-1999, -1900, 1990-)")
        if name in NUMBER_FIELDS and values:
            typed.append(Clause(name, ", ".join(values)))
            numbers = [n for v in values for n in isbn_forms(v)] if name == "isbn" else values
            sent.append(Clause(name, ", ".join(dict.fromkeys(numbers))))
        else:
            typed += [Clause(name, v) for v in values]
            sent += [Clause(name, v) for v in values]
    if not sent:
        raise UsageError("the search fields given are empty: type something to search for")
    shown = describe(Query.of_form(SearchForm(tuple(typed))), width=10_000)
    return Query.of_form(SearchForm(tuple(sent))), shown


def isbn_forms(text: str) -> list[str]:
    """An ISBN as typed and in its other form (ISBN-10 <-> ISBN-13): a catalogue may have
    indexed either."""
    thirteen = normalize_isbn(text)
    if thirteen is None:
        warn(f"{text!r} is not a valid ISBN (check digit); it is searched as typed")
        return [text]
    ten = stdnum_isbn.to_isbn10(thirteen) if thirteen.startswith("978") else None
    if ten is not None and re.sub(r"[^0-9X]", "", text.upper()).endswith(ten):
        return [ten, thirteen]
    return [thirteen] + ([ten] if ten else [])


def _readable(problem: QueryError, text: str) -> str:
    """The parser's message, with the query and a caret under the place it stopped."""
    message = problem.message.rsplit(" at position", 1)[0]  # said below, counted from 1
    if problem.position is None or not text:
        return f"the query cannot be read: {message}"
    return (f"the query cannot be read: {message} (at position {problem.position + 1})\n"
            f"  {text}\n  {' ' * problem.position}^")


def search_of(args: argparse.Namespace) -> Search:
    query, shown = query_of(args)
    check_syntax(args.syntax)
    check_login(args)
    profiles = [tailor(p, args) for p in resolve(args.target)]
    # a bare address asks as yaz-client does, with no element set name (SearchRun sends none
    # for ""): yaz-ztest, for one, refuses XML in element set F
    profiles = [p if p.source or args.elements else dataclasses.replace(p, element_set_full="")
                for p in profiles]
    return Search(query, shown, tuple(profiles))


def unsupported(search: Search) -> dict[str, Failure]:
    """Targets that cannot take the query (no such index): told so without being contacted.

    A query that does not parse at all is a usage error (exit 2), whatever the target."""
    cannot: dict[str, Failure] = {}
    for profile in search.profiles:
        try:
            to_rpn(search.query, profile)
        except UnsupportedSearch as problem:
            cannot[profile.id] = Failure("unsupported", problem.message,
                                         f"{profile.name} ({profile.address})")
        except QueryError as problem:
            raise UsageError(_readable(problem, search.query.text)) from None
    return cannot


# --- search -----------------------------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> int:
    search = search_of(args)
    cannot = unsupported(search)
    outcomes = asyncio.run(run_search(search, args.limit, args.sort, cannot))
    entries = merge(outcomes, args.sort)
    answered = any(o.status == "ok" for o in outcomes)
    if args.format == "json":
        document = output.search_json(search.shown, outcomes, entries)
        emit_json(args, document)
    elif args.format == "text":
        emit(args, output.search_text(outcomes, entries))
    elif not export_entries(args, entries):
        return 1
    return 0 if answered else 1


async def run_search(
    search: Search, limit: int, sort: str | None, cannot: dict[str, Failure]
) -> list[Outcome]:
    outcomes = {p.id: Outcome(p) for p in search.profiles}
    for target, failure in cannot.items():
        outcomes[target].failed(failure)
    runnable = [p for p in search.profiles if p.id not in cannot]
    run = SearchRun(search.query, runnable, passwords=password_for, first=limit, sort=sort)
    try:
        async for event in run:
            if isinstance(event, Searching):
                outcomes[event.target].sent = event.query
            elif isinstance(event, HitsKnown):
                outcomes[event.target].hits = event.hits
            elif isinstance(event, RecordsArrived):
                outcomes[event.target].records.extend(event.records)
            elif isinstance(event, TargetDone):
                outcomes[event.target].status = "ok"
                outcomes[event.target].elapsed = event.elapsed
            elif isinstance(event, TargetFailed):
                outcomes[event.target].failed(event.failure)
                outcomes[event.target].elapsed = event.elapsed
    finally:
        for target, session in run.targets.items():
            outcomes[target].init = session.init
            outcomes[target].sent = session.query or outcomes[target].sent
        await run.close()
    return list(outcomes.values())


def merge(outcomes: Sequence[Outcome], sort: str | None) -> list[MergedRecord]:
    """Every record fetched, merged target by target in the order given, then sorted."""
    merger = Merger()
    for outcome in outcomes:
        merger.add_many(outcome.records)
    if sort is None:
        return merger.entries
    by, descending = SORTS[sort]
    return sort_entries(merger.entries, by, descending=descending)


def export_entries(args: argparse.Namespace, entries: Sequence[MergedRecord]) -> bool:
    """The best record of each merged entry in the export format; problems on stderr."""
    records = [r for entry in entries for r in choose(entry.records, "best")]
    try:
        result = export(records, args.format)
    except ExportError as problem:
        warn(str(problem))
        return False
    for caveat in result.problems:
        warn(str(caveat))
    emit(args, result.data)
    return True


# --- scan -------------------------------------------------------------------------------------


def cmd_scan(args: argparse.Namespace) -> int:
    try:
        pqf = parse_pqf(args.pqf)
    except PQFError as problem:
        raise UsageError(_readable(QueryError(problem.message, position=problem.position),
                                   args.pqf.strip())) from None
    if not isinstance(pqf.root, Term):
        raise UsageError("scan needs one term (e.g. '@attr 1=4 water'), not a query with operators")
    check_login(args)
    (profile,) = (tailor(p, args) for p in resolve([args.target]))
    if profile.source:  # a profile's first database; an address's databases as typed
        profile = dataclasses.replace(profile, databases=profile.databases[:1])
    outcome = asyncio.run(scan_target(profile, args.pqf, args.count))
    if args.format == "json":
        emit_json(args, output.scan_json(outcome))
    else:
        emit(args, output.scan_text(outcome))
    return 0 if outcome.status == "ok" else 1


async def scan_target(profile: TargetProfile, pqf: str, count: int) -> Outcome:
    """Browse the index of the profile's first database around the PQF's term."""
    outcome = Outcome(profile)
    started = time.monotonic()
    try:
        assoc = await open_association(profile, password_for(profile))
        outcome.init = assoc.init
        async with assoc:
            outcome.scan = await assoc.scan(
                pqf, profile.database_names, count=count, timeout=profile.timeouts.search
            )
        outcome.status = "ok"
    except Exception as problem:  # whatever the target did, it is told, never a traceback
        outcome.failed(failure_of(problem, profile))
    outcome.elapsed = time.monotonic() - started
    return outcome
