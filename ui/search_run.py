"""One search sent to many catalogues at once, told as app.search.events, target by target.

This is the fan-out the window drives. It belongs with the engine (``app/search/run.py``, the
contract in app/search/events.py); it lives here until that module lands, and uses only
app.* (no Qt), so it can move there as it is.

- Every catalogue is searched concurrently; a failing catalogue yields ``TargetFailed`` with a
  one-line reason and the whole story, it never takes the others down.
- The first page arrives piggy-backed in the Search response where the profile allows it,
  then Present fetches up to ``first`` records per catalogue; ``more(target, n)`` fetches the
  next ``n`` on the association kept open for it.
- Records are read into BibRecords a few at a time, yielding to the event loop in between.
- ``cancel()`` (or cancelling the task iterating the run) closes every association at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.errors import PolycatError
from app.net import Association, failure_kind
from app.net.results import RawRecord, SearchResult
from app.records import read_record
from app.records.model import BibRecord
from app.search.events import (
    Connecting,
    Failure,
    FailureKind,
    HitsKnown,
    RecordsArrived,
    RunFinished,
    SearchEvent,
    Searching,
    TargetDone,
    TargetFailed,
)
from app.search.query import Query, fallback_queries, to_pqf, to_rpn
from app.targets import TargetProfile, syntax_oid
from app.z3950.diagnostics import describe
from app.z3950.errors import DiagnosticError
from app.z3950.events import SortKey
from app.z3950.rpn import RPNQuery

# records read before the event loop gets a turn (about 5-10 ms of work)
READ_SLICE = 10
# the event loop's share between two slices of reading, in seconds
PAUSE_BETWEEN_SLICES = 0.004
# syntaxes a target refuses with these diagnostics are skipped for the next one
SYNTAX_REFUSED = frozenset({238, 239})
SORT_KEYS: dict[str, SortKey] = {
    "title": SortKey(use=4),
    "author": SortKey(use=1003),
    "year": SortKey(use=31),
    "year-desc": SortKey(use=31, ascending=False),
}

Opener = Callable[[TargetProfile, "str | None"], Any]
Passwords = Callable[[TargetProfile], "str | None"]


@dataclass
class _Session:
    profile: TargetProfile
    started: float
    assoc: Association | None = None
    result: SearchResult | None = None
    result_set: str = "default"
    syntaxes: list[str] = field(default_factory=list)
    hits: int = 0
    fetched: int = 0


class SearchRun:
    """``async for event in SearchRun(query, profiles)``; then ``more()``; ``cancel()``."""

    def __init__(
        self,
        query: Query,
        profiles: Sequence[TargetProfile],
        *,
        opener: Opener,
        passwords: Passwords,
        first: int = 20,
        sort: str | None = None,
    ) -> None:
        self.query = query
        self.profiles = list(profiles)
        self.first = first
        self.sort = sort if sort in SORT_KEYS else None
        self._open = opener
        self._password = passwords
        self._sessions: dict[str, _Session] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._queue: asyncio.Queue[SearchEvent] = asyncio.Queue()
        # when the next slice of record reading may start (see _take_turn)
        self._next_slice = 0.0
        self.started = time.monotonic()
        self.cancelled = False

    # --- the events ---

    def __aiter__(self) -> AsyncIterator[SearchEvent]:
        return self._events()

    async def _events(self) -> AsyncIterator[SearchEvent]:
        answered = failed = 0
        for profile in self.profiles:
            self._spawn(self._search(profile))
        pending = len(self.profiles)
        try:
            while pending:
                event = await self._queue.get()
                if isinstance(event, TargetDone):
                    answered += 1
                    pending -= 1
                elif isinstance(event, TargetFailed):
                    failed += 1
                    pending -= 1
                yield event
            yield RunFinished(answered, failed, time.monotonic() - self.started)
        except (asyncio.CancelledError, GeneratorExit):
            self.cancel()
            raise

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _put(self, event: SearchEvent) -> None:
        self._queue.put_nowait(event)

    def _fail(self, session: _Session, exc: BaseException) -> TargetFailed:
        kind: FailureKind = failure_kind(exc)  # type: ignore[assignment]
        message = exc.message if isinstance(exc, PolycatError) else str(exc) or type(exc).__name__
        detail = (exc.detail if isinstance(exc, PolycatError) else "") or repr(exc)
        code = exc.code if isinstance(exc, DiagnosticError) else None
        if isinstance(exc, OSError) and not isinstance(exc, PolycatError):
            message = f"cannot connect: {exc.strerror or exc}"
        return TargetFailed(
            session.profile.id,
            Failure(kind, message, detail, code),
            time.monotonic() - session.started,
        )

    # --- one catalogue ---

    async def _search(self, profile: TargetProfile) -> None:
        session = _Session(profile, time.monotonic(), syntaxes=list(profile.syntaxes))
        self._sessions[profile.id] = session
        self._put(Connecting(profile.id))
        try:
            session.assoc = await self._open(profile, self._password(profile))
            rpn = to_rpn(self.query, profile)
            self._put(Searching(profile.id, to_pqf(rpn)))
            await self._send_search(session, rpn)
            self._put(HitsKnown(profile.id, session.hits))
            await self._fetch(session, self.first, self._put)
            self._put(
                TargetDone(
                    profile.id, session.hits, session.fetched, time.monotonic() - session.started
                )
            )
        except asyncio.CancelledError:
            self._put(
                TargetFailed(
                    profile.id, Failure("cancelled", "stopped"), time.monotonic() - session.started
                )
            )
            await self._close(session)
            raise
        except Exception as exc:  # every failure is this catalogue's alone
            self._put(self._fail(session, exc))
            await self._close(session)

    async def _send_search(self, session: _Session, rpn: RPNQuery) -> None:
        profile = session.profile
        assert session.assoc is not None
        databases = [d + profile.database_suffix for d in profile.databases]
        piggyback = min(self.first, profile.page_size) if profile.capabilities.piggyback else 0
        queries, fell_back = [rpn], False
        while True:
            try:
                result = await session.assoc.search(
                    queries[0],
                    databases,
                    syntax=syntax_oid(session.syntaxes[0]) if session.syntaxes else None,
                    element_set=profile.element_set_full,
                    # records come sorted only after Sort: none piggy-backed then
                    piggyback=0 if self.sort and profile.capabilities.sort else piggyback,
                    timeout=profile.timeouts.search,
                )
                break
            except DiagnosticError as exc:
                # a refused ISBN search is retried as the profile says (keyword on the number)
                queries = (
                    queries[1:] if fell_back else fallback_queries(self.query, profile, exc.code)
                )
                fell_back = True
                if not queries:
                    raise
        session.result, session.hits = result, result.hits
        if self.sort and profile.capabilities.sort and result.hits:
            with contextlib.suppress(DiagnosticError):
                # a catalogue that cannot sort after all still answers, in its own order
                await session.assoc.sort(
                    "default", "sorted", [SORT_KEYS[self.sort]], timeout=profile.timeouts.search
                )
                session.result_set = "sorted"
                session.result = None

    async def _fetch(
        self, session: _Session, count: int, emit: Callable[[SearchEvent], None]
    ) -> None:
        """Fetch up to ``count`` records after those already fetched."""
        profile = session.profile
        assoc = session.assoc
        assert assoc is not None
        end = min(session.hits, session.fetched + count, profile.max_records or session.hits)
        waiting: list[RawRecord] = []
        if session.result is not None and session.fetched == 0:
            waiting = [r for r in session.result.records if r.position <= end]
            if any(
                not r.ok and r.diagnostic and r.diagnostic.code in SYNTAX_REFUSED for r in waiting
            ):
                waiting = []  # refused in this syntax: ask again in the next one below
        if waiting:
            await self._arrived(session, waiting, emit)
        while session.fetched < end:
            start = session.fetched + 1
            size = min(profile.page_size, end - session.fetched)
            try:
                page = await assoc.present(
                    start,
                    size,
                    result_set=session.result_set,
                    syntax=syntax_oid(session.syntaxes[0]) if session.syntaxes else None,
                    element_set=profile.element_set_full,
                    timeout=profile.timeouts.present,
                )
            except DiagnosticError as exc:
                if exc.code in SYNTAX_REFUSED and len(session.syntaxes) > 1:
                    session.syntaxes.pop(0)
                    continue
                raise
            refused = [
                r for r in page if not r.ok and r.diagnostic and r.diagnostic.code in SYNTAX_REFUSED
            ]
            if refused and len(refused) == len(page) and len(session.syntaxes) > 1:
                session.syntaxes.pop(0)
                continue
            if not page:
                break
            await self._arrived(session, page, emit)

    async def _arrived(
        self, session: _Session, raw: Sequence[RawRecord], emit: Callable[[SearchEvent], None]
    ) -> None:
        name = session.profile.name
        for start in range(0, len(raw), READ_SLICE):
            await self._take_turn()
            records = tuple(_read(r, name) for r in raw[start : start + READ_SLICE])
            self._next_slice = time.monotonic() + PAUSE_BETWEEN_SLICES
            session.fetched += len(records)
            emit(RecordsArrived(session.profile.id, records, session.fetched, session.hits))
            await asyncio.sleep(0)

    async def _take_turn(self) -> None:
        """Wait until the pause after the last slice of reading (any catalogue's) is over:
        twenty catalogues answering at once then cost each turn of the event loop one
        slice, not twenty. (A lock would not do: a slice never awaits, so it is always free.)"""
        while (wait := self._next_slice - time.monotonic()) > 0:
            await asyncio.sleep(wait)

    # --- more, cancel ---

    def more(self, target: str, count: int) -> AsyncIterator[SearchEvent]:
        return self._more(target, count)

    async def _more(self, target: str, count: int) -> AsyncIterator[SearchEvent]:
        session = self._sessions.get(target)
        if session is None or session.assoc is None or session.fetched >= session.hits:
            return
        session.started = time.monotonic()
        queue: asyncio.Queue[SearchEvent] = asyncio.Queue()
        task = asyncio.ensure_future(self._fetch(session, count, queue.put_nowait))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        try:
            while not (task.done() and queue.empty()):
                getter = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED)
                if getter in done:
                    yield getter.result()
                else:
                    getter.cancel()
            exc = task.exception()
            if exc is not None:
                yield self._fail(session, exc)
                await self._close(session)
            else:
                yield TargetDone(
                    target, session.hits, session.fetched, time.monotonic() - session.started
                )
        except (asyncio.CancelledError, GeneratorExit):
            task.cancel()
            raise

    def cancel(self) -> None:
        """Stop now: every catalogue's task ends and its association closes."""
        self.cancelled = True
        for task in list(self._tasks):
            task.cancel()
        for session in self._sessions.values():
            assoc, session.assoc = session.assoc, None
            if assoc is not None:
                self._closing(assoc)

    async def close(self) -> None:
        """End the run politely (Close to every catalogue still open)."""
        for session in self._sessions.values():
            await self._close(session)

    async def _close(self, session: _Session) -> None:
        assoc, session.assoc = session.assoc, None
        if assoc is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(assoc.close(), 2.0)

    def _closing(self, assoc: Association) -> None:
        task = asyncio.ensure_future(_abort(assoc))
        task.add_done_callback(lambda t: t.cancelled() or t.exception())


async def _abort(assoc: Association) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(assoc.close(), 1.0)


def _read(raw: RawRecord, target: str) -> BibRecord:
    if raw.diagnostic is not None:
        reason = describe(raw.diagnostic.code)
        if raw.diagnostic.addinfo:
            reason += f" ({raw.diagnostic.addinfo})"
        return BibRecord(
            error=f"the catalogue could not send this record: {reason}",
            target=target,
            database=raw.database or "",
            position=raw.position,
        )
    return read_record(
        raw.oid, raw.data, target=target, database=raw.database or "", position=raw.position
    )
