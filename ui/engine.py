"""What the window asks of the engine, in one place: a small set of plain functions.

The window is built with an ``Engine``; ``default_engine()`` wires Polycat's own (app.search,
app.targets, app.net). No Qt here: these are the engine's calls as the window needs them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from app.search.batch import BatchLookup
from app.search.query import Query, UnsupportedSearch, ccl_qualifiers, detect_kind
from app.search.run import SearchRun
from app.search.sessions import open_association
from app.targets import TargetProfile
from app.targets import load_profiles as load_target_profiles
from app.z3950.ccl import CCLError, parse_ccl
from app.z3950.pqf import PQFError, parse_pqf
from app.z3950.rpn import Term, terms
from ui.credentials import load_password
from ui.search_bar import QueryProblem

# The usual field names (a target without one says so when it is searched); built once.
USUAL = TargetProfile(id="usual", name="usual", host="localhost")


@dataclass(frozen=True)
class Engine:
    # text -> "words" | "ccl" | "pqf", or the problem (message and position) that stops it
    check: Callable[[str], str | QueryProblem]
    # (text, kind) -> the query object a run takes
    make_query: Callable[[str, str], Any]
    # (text, kind) -> the terms relevance is computed from
    terms_of: Callable[[str, str], list[str]]
    # (query, profiles, **options) -> a run: async-iterable events, more(target, n), cancel()
    make_run: Callable[..., Any]
    # the catalogues to list
    load_profiles: Callable[[], list[Any]]
    # (profile, index, term, count, position) -> scan entries
    scan: Callable[[Any, str, str, int, int], Awaitable[Sequence[Any]]]
    # (profile, password or None) -> lines describing what the catalogue answered to Init
    test_connection: Callable[[Any, str | None], Awaitable[list[str]]]
    # (isbns, profiles, state file) -> a BatchLookup: run() tells Cells, matrix holds them
    lookup: Callable[[Any, list[Any], Path], Any]


# --- Polycat's own engine -------------------------------------------------------------------


def check_query(text: str) -> str | QueryProblem:
    """The kind of a typed query, or where and why it cannot be parsed (nothing is sent)."""

    kind = detect_kind(text)
    try:
        if kind == "pqf":
            parse_pqf(text.strip())
        elif kind == "ccl":
            parse_ccl(text.strip(), ccl_qualifiers(USUAL))
    except PQFError as problem:
        return QueryProblem(str(problem).rsplit(" at position", 1)[0], problem.position)
    except CCLError as problem:
        return QueryProblem(problem.message, problem.position)
    return kind


def make_query(text: str, kind: str) -> Any:

    return Query(kind, text.strip())  # type: ignore[arg-type]  # kind came from detect_kind


def query_terms(text: str, kind: str) -> list[str]:
    """The words relevance looks for: every term of the parsed query, or the typed words."""

    try:
        if kind == "pqf":
            return [t.text for t in terms(parse_pqf(text.strip()).root)]
        if kind == "ccl":
            return [t.text for t in terms(parse_ccl(text.strip(), ccl_qualifiers(USUAL)).root)]
    except Exception:  # an unparsable query was refused before; rank by its words
        pass
    return text.split()


def load_profiles() -> list[Any]:
    """Shipped and user catalogues; a broken file is skipped (and named in the log)."""

    problems: list[Any] = []
    profiles = list(load_target_profiles(on_error=problems.append).values())
    for problem in problems:
        logging.getLogger("polycat").warning("%s", problem)
    return profiles


async def scan_index(profile: Any, index: str, term: str, count: int, position: int) -> Any:
    """Browse ``index`` (title, author, subject) of a catalogue around ``term``."""

    qualifier = profile.qualifier(index)
    use = qualifier.fixed(1) if qualifier is not None else None
    if use is None:
        raise UnsupportedSearch(
            f"{profile.name} cannot browse by {index}", field=index, target=profile.id
        )

    async with await open_association(profile, load_password(profile)) as assoc:
        found = await assoc.scan(
            Term(term, (use,)),
            profile.databases,
            count=count,
            position=position,
            timeout=profile.timeouts.search,
        )
    return list(found.entries)


async def test_connection(profile: Any, password: str | None) -> list[str]:
    """Init and report: who answered, what it offers, what it said."""

    started = time.monotonic()
    assoc = await open_association(profile, password)
    try:
        init = assoc.init
        server = f"{init.implementation_name or '?'} {init.implementation_version or ''}"
        lines = [
            f"Connected to {profile.host}:{profile.port} and logged in "
            f"({time.monotonic() - started:.2f} s).",
            f"Server: {server.strip()}",
            f"Protocol version {init.version}; services: {', '.join(sorted(init.options)) or '?'}",
        ]
        if assoc.charset:
            lines.append(f"Character set agreed: {assoc.charset}")
        if init.oclc is not None:
            if init.oclc.motd:
                lines.append(f"Message of the day: {init.oclc.motd}")
            if init.oclc.dblist:
                lines.append(f"Databases: {', '.join(init.oclc.dblist)}")
            if init.oclc.text:
                lines.append(init.oclc.text)
        return lines
    finally:
        await assoc.close()


# Records a catalogue's page is read in, and the wait before the next slice (any catalogue's):
# every slice also costs the window its decoding, merging, facets and table rows, about three
# times the reading itself, so the pause leaves the loop time for input and painting. With
# 4 ms twenty catalogues kept the loop busy all the time and stalls reached 60-100 ms; with
# 10 ms the loop is busy about 60% of a search and the longest stall was 40 ms (median of 7
# runs of bench/bench_ui.py on 2 shared cores, 48 ms the worst), 5,000 records in 7 s.
READ_SLICE = 10
PAUSE_BETWEEN_SLICES = 0.010
# The most records the window asks for in one Search or Present: a whole answer is decoded in
# one go as it arrives (0.2-0.3 ms a record today), unpaced, and at the start of a search the
# first answers of twenty catalogues arrive together: pages of 20 made 50-80 ms stalls there,
# pages of 10 about half. (A search of 20 records per catalogue costs one more round trip.)
WINDOW_PAGE_SIZE = 10


def window_profile(profile: Any) -> Any:
    """The profile as the window searches it: pages of at most ``WINDOW_PAGE_SIZE``."""
    if isinstance(profile, TargetProfile) and profile.page_size > WINDOW_PAGE_SIZE:
        return replace(profile, page_size=WINDOW_PAGE_SIZE)
    return profile


def make_run(query: Any, profiles: list[Any], **options: Any) -> Any:
    """app.search's SearchRun (paced, in small pages); passwords also from the clear file the
    user allowed."""
    return SearchRun(
        query,
        [window_profile(p) for p in profiles],
        passwords=load_password,
        read_slice=READ_SLICE,
        pause_between_slices=PAUSE_BETWEEN_SLICES,
        **options,
    )


def make_lookup(isbns: Any, profiles: list[Any], state_path: Path) -> Any:
    """app.search's BatchLookup (one association per catalogue, pauses, resumable)."""

    return BatchLookup(isbns, profiles, state_path=state_path, passwords=load_password)


def default_engine() -> Engine:
    """Polycat's own engine."""
    return Engine(
        check=check_query,
        make_query=make_query,
        terms_of=query_terms,
        make_run=make_run,
        load_profiles=load_profiles,
        scan=scan_index,
        test_connection=test_connection,
        lookup=make_lookup,
    )
