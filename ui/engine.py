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
