"""What the window asks of the engine, in one place: a small set of plain functions.

The window is built with an ``Engine``; ``Engine.default()`` wires Polycat's own (app.search,
app.targets, app.net). No Qt here: these are the engine's calls as the window needs them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ui.search_bar import QueryProblem


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
    # (isbns, profiles) -> (isbn, target id, "found"|"not found"|"error", hits, detail)
    lookup: Callable[[list[str], list[Any]], AsyncIterator[tuple[str, str, str, int, str]]]


# --- Polycat's own engine -------------------------------------------------------------------


def check_query(text: str) -> str | QueryProblem:
    """The kind of a typed query, or where and why it cannot be parsed (nothing is sent)."""
    from app.search.query import ccl_qualifiers, detect_kind
    from app.targets import TargetProfile
    from app.z3950.ccl import CCLError, parse_ccl
    from app.z3950.pqf import PQFError, parse_pqf

    kind = detect_kind(text)
    try:
        if kind == "pqf":
            parse_pqf(text.strip())
        elif kind == "ccl":
            # the usual field names; a target that lacks one says so when it is searched
            usual = TargetProfile(id="usual", name="usual", host="localhost")
            parse_ccl(text.strip(), ccl_qualifiers(usual))
    except PQFError as problem:
        return QueryProblem(str(problem).rsplit(" at position", 1)[0], problem.position)
    except CCLError as problem:
        return QueryProblem(problem.message, problem.position)
    return kind


def make_query(text: str, kind: str) -> Any:
    from app.search.query import Query

    return Query(kind, text.strip())  # type: ignore[arg-type]


def query_terms(text: str, kind: str) -> list[str]:
    """The words relevance looks for: every term of the parsed query, or the typed words."""
    from app.search.query import ccl_qualifiers
    from app.targets import TargetProfile
    from app.z3950.ccl import parse_ccl
    from app.z3950.pqf import parse_pqf
    from app.z3950.rpn import terms

    try:
        if kind == "pqf":
            return [t.text for t in terms(parse_pqf(text.strip()).root)]
        if kind == "ccl":
            usual = TargetProfile(id="usual", name="usual", host="localhost")
            return [t.text for t in terms(parse_ccl(text.strip(), ccl_qualifiers(usual)).root)]
    except Exception:  # an unparsable query was refused before; rank by its words
        pass
    return text.split()


def load_profiles() -> list[Any]:
    """Shipped and user catalogues; a broken file is skipped (and named in the log)."""
    import logging

    from app.targets import load_profiles as load

    problems: list[Any] = []
    profiles = list(load(on_error=problems.append).values())
    for problem in problems:
        logging.getLogger("polycat").warning("%s", problem)
    return profiles


async def open_association(profile: Any, password: str | None = None) -> Any:
    """Connect and log in to one catalogue as its profile says (for scan and the test)."""
    from app.net import connect
    from app.targets import authentication

    return await connect(
        profile.host,
        profile.port,
        auth=authentication(profile, password=password),
        charset="UTF-8" if profile.negotiate else None,
        encoding=profile.charset if profile.charset != "marc-8" else "utf-8",
        timeout=profile.timeouts.connect + profile.timeouts.init,
    )


async def scan_index(profile: Any, index: str, term: str, count: int, position: int) -> Any:
    """Browse ``index`` (title, author, subject) of a catalogue around ``term``."""
    from app.search.query import UnsupportedSearch
    from app.z3950.rpn import Term

    qualifier = profile.qualifier(index)
    use = qualifier.fixed(1) if qualifier is not None else None
    if use is None:
        raise UnsupportedSearch(
            f"{profile.name} cannot browse by {index}", field=index, target=profile.id
        )
    from ui.credentials import load_password

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
    import time

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


def make_run(query: Any, profiles: list[Any], **options: Any) -> Any:
    from ui.credentials import load_password
    from ui.search_run import SearchRun

    return SearchRun(query, profiles, opener=open_association, passwords=load_password, **options)


async def isbn_lookup(
    isbns: list[str], profiles: list[Any]
) -> AsyncIterator[tuple[str, str, str, int, str]]:
    """Every ISBN in every catalogue: one association per catalogue, ISBNs one after another
    (with the profile's pause, so nobody is locked out), catalogues side by side."""
    import asyncio
    import contextlib

    from app.errors import PolycatError
    from app.search.query import Query, to_rpn
    from ui.credentials import load_password

    cells: asyncio.Queue[tuple[str, str, str, int, str] | None] = asyncio.Queue()

    async def one(profile: Any) -> None:
        try:
            assoc = await open_association(profile, load_password(profile))
        except (PolycatError, OSError) as problem:
            why = problem.message if isinstance(problem, PolycatError) else str(problem)
            for isbn in isbns:
                cells.put_nowait((isbn, profile.id, "error", 0, why))
            return
        try:
            for n, isbn in enumerate(isbns):
                if n and profile.pause_between_requests:
                    await asyncio.sleep(profile.pause_between_requests)
                try:
                    result = await assoc.search(
                        to_rpn(Query("words", isbn), profile),
                        profile.databases,
                        piggyback=0,
                        timeout=profile.timeouts.search,
                    )
                except PolycatError as problem:
                    cells.put_nowait((isbn, profile.id, "error", 0, problem.message))
                    continue
                state = "found" if result.hits else "not found"
                cells.put_nowait((isbn, profile.id, state, result.hits, ""))
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(assoc.close(), 2.0)

    async def all_of_them() -> None:
        try:
            await asyncio.gather(*(one(p) for p in profiles))
        finally:
            cells.put_nowait(None)

    runner = asyncio.ensure_future(all_of_them())
    try:
        while (cell := await cells.get()) is not None:
            yield cell
    finally:
        runner.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await runner


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
        lookup=isbn_lookup,
    )
