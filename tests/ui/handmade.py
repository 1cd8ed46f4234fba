"""Hand-made stand-ins for the engine's search run, for tests of the window's own logic.

Only tests use these; the shipped window always runs app.search. Tests against real peers
live in test_window_peers.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

from app.records.model import BibRecord, Holding, Isbn, Name
from app.search.events import (
    Connecting,
    Failure,
    HitsKnown,
    RecordsArrived,
    RunFinished,
    Searching,
    TargetDone,
    TargetFailed,
)
from app.targets import TargetProfile
from ui.engine import Engine
from ui.search_bar import QueryProblem


def profile(pid: str, name: str, **kw: Any) -> TargetProfile:
    return TargetProfile(id=pid, name=name, host="127.0.0.1", **kw)


def book(title: str, isbn: str, target: str, year: int = 2001, **kw: Any) -> BibRecord:
    return BibRecord(
        title=title,
        names=(Name(kw.pop("author", "Müller, Jürgen")),),
        year=year,
        isbns=(Isbn(isbn, isbn, True),) if isbn else (),
        target=target,
        **kw,
    )


class HandRun:
    """Events per target, streamed with a pause; ``more`` and ``cancel`` recorded."""

    def __init__(self, script: dict[str, list[Any]], pause: float = 0.01) -> None:
        self.script, self.pause = script, pause
        self.cancelled = False
        self.more_asked: list[tuple[str, int]] = []

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._all()

    async def _all(self) -> AsyncIterator[Any]:
        answered = failed = 0
        for _target, events in self.script.items():
            for event in events:
                await asyncio.sleep(self.pause)
                answered += isinstance(event, TargetDone)
                failed += isinstance(event, TargetFailed)
                yield event
        yield RunFinished(answered, failed, 0.5)

    async def _more(self, target: str, count: int) -> AsyncIterator[Any]:
        self.more_asked.append((target, count))
        await asyncio.sleep(self.pause)
        extra = tuple(book(f"More {i}", "", target) for i in range(count))
        yield RecordsArrived(target, extra, 10 + count, 100)
        yield TargetDone(target, 100, 10 + count, 0.1)

    def more(self, target: str, count: int) -> AsyncIterator[Any]:
        return self._more(target, count)

    def cancel(self) -> None:
        self.cancelled = True

    async def close(self) -> None:
        self.closed = True


def standard_script() -> dict[str, list[Any]]:
    """Two catalogues answer with overlapping books, a third is refused."""
    loc = (
        book(
            "Über die Größe der Bibliotheken",
            "9783161484100",
            "LoC",
            2009,
            edition="2nd ed.",
            holdings=(Holding(library="Library of Congress", call_number="Z665 .M85"),),
        ),
        book("Cataloguing rules", "9780306406157", "LoC", 1999, author="Smith, Ann"),
    )
    k10 = (
        book(
            "Über die Größe der Bibliotheken",
            "9783161484100",
            "K10plus",
            2009,
            edition="2. Aufl.",
            publisher="Mohr",
            place="Tübingen",
        ),
        book(
            "Die Blechtrommel",
            "9783882432345",
            "K10plus",
            1993,
            author="Grass, Günter",
            language="ger",
        ),
    )
    return {
        "loc": [Connecting("loc"), Searching("loc", "@attr 1=1016 bibliothek"),
                HitsKnown("loc", 2), RecordsArrived("loc", loc, 2, 2),
                TargetDone("loc", 2, 2, 0.2)],
        "k10": [Connecting("k10"), Searching("k10", "@attr 1=1016 bibliothek"),
                HitsKnown("k10", 100), RecordsArrived("k10", k10, 2, 100),
                TargetDone("k10", 100, 2, 0.3)],
        "bnf": [Connecting("bnf"), TargetFailed(
            "bnf", Failure("connect", "connection refused", "ConnectionRefusedError: [Errno 111]"),
            0.1)],
    }  # fmt: skip


def hand_engine(profiles: Sequence[TargetProfile], runs: list[HandRun], **overrides: Any) -> Engine:
    """An Engine whose runs are the given HandRuns, one per search, in order."""

    def check(text: str) -> str | QueryProblem:
        if text.startswith("@attr 1= "):
            return QueryProblem("expected a value after '1='", 8)
        return "words"

    def make_run(query: Any, chosen: list[Any], **options: Any) -> HandRun:
        return runs.pop(0)

    async def no_scan(*_args: Any) -> list[Any]:
        return []

    async def no_test(*_args: Any) -> list[str]:
        return []

    async def no_lookup(*_args: Any) -> AsyncIterator[tuple[str, str, str, int, str]]:
        return
        yield

    parts: dict[str, Any] = {
        "check": check,
        "make_query": lambda text, kind: text,
        "terms_of": lambda text, kind: text.split(),
        "make_run": make_run,
        "load_profiles": lambda: list(profiles),
        "scan": no_scan,
        "test_connection": no_test,
        "lookup": no_lookup,
    }
    parts.update(overrides)
    return Engine(**parts)
