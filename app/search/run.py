"""One query sent to many catalogues at once, told as app.search.events, target by target.

- Every catalogue is searched concurrently over its own association; a failing catalogue
  yields ``TargetFailed`` with a one-line reason and the whole story and never delays or
  takes down the others.
- The first page arrives piggy-backed in the Search response where the profile allows it
  (Init + Search = 2 round trips), then Present fetches up to ``first`` records per
  catalogue; ``more(target, n)`` fetches the next ``n`` on the association kept for it.
- Records are read into BibRecords a slice at a time, yielding to the event loop between
  slices, so a window stays responsive while thousands arrive.
- ``cancel()`` (or cancelling the task that iterates the run) stops every catalogue at once;
  ``close()`` hands healthy associations back to ``Sessions`` for the next search.

    run = SearchRun(Query.typed("ti=origin of species"), profiles)
    async for event in run:
        ...
    await run.close()
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.errors import PolycatError
from app.net import Association, InitRefused, RawRecord, SearchResult, failure_kind
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
from app.search.sessions import Sessions
from app.targets import LoginNeeded, TargetProfile, password_for, syntax_oid
from app.z3950.diagnostics import describe
from app.z3950.errors import DiagnosticError
from app.z3950.events import InitResponse, SortKey
from app.z3950.rpn import RPNQuery

# records read before the event loop gets a turn
READ_SLICE = 25
# a record syntax the target refuses with these is dropped for the next one in the profile
SYNTAX_REFUSED = frozenset({238, 239})
# server-side sort orders a user can ask for (Bib-1 use attributes)
SORT_KEYS: dict[str, SortKey] = {
    "title": SortKey(use=4),
    "author": SortKey(use=1003),
    "year": SortKey(use=31),
    "year-desc": SortKey(use=31, ascending=False),
}

Passwords = Callable[[TargetProfile], "str | None"]


@dataclass
class TargetSession:
    """What the run knows about one catalogue: its association, result set, counts."""

    profile: TargetProfile
    started: float
    password: str | None = None
    assoc: Association | None = None
    result: SearchResult | None = None
    result_set: str = "default"
    syntaxes: list[str] = field(default_factory=list)
    hits: int = 0
    fetched: int = 0
    failure: Failure | None = None
    query: str = ""  # the PQF actually sent, for the details pane
    init: InitResponse | None = None  # the target's Init answer (implementation, OCLC motd)


class SearchRun:
    """``async for event in SearchRun(query, profiles)``; then ``more()``; ``cancel()``."""

    def __init__(
        self,
        query: Query,
        profiles: Sequence[TargetProfile],
        *,
        sessions: Sessions | None = None,
        passwords: Passwords = password_for,
        first: int = 20,
        sort: str | None = None,
        read_slice: int = READ_SLICE,
        pause_between_slices: float = 0.0,
    ) -> None:
        """``read_slice`` records are read at a time; after each slice, whichever catalogue
        reads next waits ``pause_between_slices`` (a window passes a few milliseconds so that
        twenty catalogues answering together cannot freeze it; the command line passes 0)."""
        self.query = query
        self.profiles = list(profiles)
        self.first = first
        self.sort = sort if sort in SORT_KEYS else None
        self._own_sessions = sessions is None
        self.sessions = sessions if sessions is not None else Sessions()
        self._password = passwords
        self.targets: dict[str, TargetSession] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._queue: asyncio.Queue[SearchEvent] = asyncio.Queue()
        self.started = time.monotonic()
        self.cancelled = False
        self._read_slice = max(1, read_slice)
        self._pause = max(0.0, pause_between_slices)
        self._next_slice = 0.0  # when any catalogue may read its next slice

    # --- the events ---------------------------------------------------------------------

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
            yield RunFinished(answered, failed, time.monotonic() - self.started, self.cancelled)
        except (asyncio.CancelledError, GeneratorExit):
            self.cancel()
            raise

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _put(self, event: SearchEvent) -> None:
        self._queue.put_nowait(event)

    # --- one catalogue ------------------------------------------------------------------

    async def _search(self, profile: TargetProfile) -> None:
        session = TargetSession(profile, time.monotonic(), syntaxes=list(profile.syntaxes))
        self.targets[profile.id] = session
        self._put(Connecting(profile.id))
        try:
            rpn = to_rpn(self.query, profile)  # an unsupported field fails before connecting
            session.password = self._password(profile)
            session.assoc = await self.sessions.acquire(profile, session.password)
            session.init = session.assoc.init
            session.query = to_pqf(rpn)
            self._put(Searching(profile.id, session.query))
            await self._send_search(session, rpn)
            self._put(HitsKnown(profile.id, session.hits))
            await self._fetch(session, self.first, self._put)
            self._put(
                TargetDone(profile.id, session.hits, session.fetched, self._elapsed(session))
            )
        except asyncio.CancelledError:
            session.failure = Failure("cancelled", "stopped by the user")
            self._put(TargetFailed(profile.id, session.failure, self._elapsed(session)))
            self._drop(session)
            raise
        except Exception as exc:  # every failure is this catalogue's alone
            self._put(self._failed(session, exc))
            self._drop(session)

    async def _send_search(self, session: TargetSession, rpn: RPNQuery) -> None:
        profile = session.profile
        assoc = session.assoc
        assert assoc is not None
        sorting = bool(self.sort and profile.capabilities.sort)
        piggyback = min(self.first, profile.page_size) if profile.capabilities.piggyback else 0
        queries: list[RPNQuery] = [rpn]
        fell_back = False
        while True:
            try:
                result = await assoc.search(
                    queries[0],
                    profile.database_names,
                    syntax=self._syntax(session),
                    element_set=profile.element_set_full or None,  # "": none sent
                    # a sorted set is fetched after the Sort: nothing piggy-backed then
                    piggyback=0 if sorting else piggyback,
                    timeout=profile.timeouts.search,
                )
                break
            except DiagnosticError as exc:
                # a refused ISBN search is retried as the profile says (keyword on the number)
                queries = queries[1:] if fell_back else fallback_queries(
                    self.query, profile, exc.code
                )
                fell_back = True
                if not queries:
                    raise
                session.query = to_pqf(queries[0])
        session.result, session.hits = result, result.hits
        session.result_set = result.result_set
        if sorting and result.hits and self.sort is not None:
            with contextlib.suppress(DiagnosticError):
                # a catalogue that cannot sort after all still answers, in its own order
                await assoc.sort(
                    result.result_set, "sorted", [SORT_KEYS[self.sort]],
                    timeout=profile.timeouts.search,
                )
                session.result_set = "sorted"
                session.result = None

    @staticmethod
    def _syntax(session: TargetSession) -> str | None:
        return syntax_oid(session.syntaxes[0]) if session.syntaxes else None

    async def _fetch(
        self, session: TargetSession, count: int, emit: Callable[[SearchEvent], None]
    ) -> None:
        """Fetch up to ``count`` records after those already fetched."""
        profile = session.profile
        assoc = session.assoc
        assert assoc is not None
        end = min(session.hits, session.fetched + count)
        if profile.max_records:
            end = min(end, profile.max_records)
        if session.result is not None and session.fetched == 0:
            waiting = [r for r in session.result.records if r.position <= end]
            refused = any(_refused(r) for r in waiting) or any(
                d.code in SYNTAX_REFUSED for d in session.result.diagnostics
            )
            if refused:
                waiting = []  # refused in this syntax: asked again in the next one below
                if len(session.syntaxes) > 1:
                    session.syntaxes.pop(0)  # and never asked in the refused one again
            if waiting:
                await self._arrived(session, waiting, emit)
        while session.fetched < end:
            try:
                page = await assoc.present(
                    session.fetched + 1,
                    min(profile.page_size, end - session.fetched),
                    result_set=session.result_set,
                    syntax=self._syntax(session),
                    element_set=profile.element_set_full or None,  # "": none sent
                    timeout=profile.timeouts.present,
                )
            except DiagnosticError as exc:
                if exc.code in SYNTAX_REFUSED and len(session.syntaxes) > 1:
                    session.syntaxes.pop(0)
                    continue
                raise
            if page and all(_refused(r) for r in page) and len(session.syntaxes) > 1:
                session.syntaxes.pop(0)
                continue
            if not page:
                break  # the target gives nothing more; asking again would loop forever
            await self._arrived(session, page, emit)

    async def _arrived(
        self,
        session: TargetSession,
        raw: Sequence[RawRecord],
        emit: Callable[[SearchEvent], None],
    ) -> None:
        name, charset = session.profile.name, session.profile.charset
        for start in range(0, len(raw), self._read_slice):
            # slices take turns across catalogues: a lock would not do, a slice never awaits
            while (wait := self._next_slice - time.monotonic()) > 0:
                await asyncio.sleep(wait)
            chunk = raw[start : start + self._read_slice]
            records = tuple(read_raw(r, name, charset) for r in chunk)
            self._next_slice = time.monotonic() + self._pause
            session.fetched += len(records)
            emit(RecordsArrived(session.profile.id, records, session.fetched, session.hits))
            if not self._pause:
                await asyncio.sleep(0)  # the event loop's turn between two slices

    # --- more, cancel, close -----------------------------------------------------------

    async def more(self, target: str, count: int) -> AsyncIterator[SearchEvent]:
        """Fetch the next ``count`` records of one catalogue, told as events."""
        session = self.targets.get(target)
        if session is None or session.assoc is None or session.fetched >= session.hits:
            return
        session.started = time.monotonic()
        queue: asyncio.Queue[SearchEvent] = asyncio.Queue()
        task = self._spawn(self._fetch(session, count, queue.put_nowait))
        try:
            while not (task.done() and queue.empty()):
                getter = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED)
                if getter in done:
                    yield getter.result()
                else:
                    getter.cancel()
            problem = task.exception()
            if problem is not None:
                yield self._failed(session, problem)
                self._drop(session)
            else:
                yield TargetDone(target, session.hits, session.fetched, self._elapsed(session))
        except (asyncio.CancelledError, GeneratorExit):
            task.cancel()
            raise

    def cancel(self) -> None:
        """Stop now: every catalogue's task ends and its association is closed."""
        self.cancelled = True
        for task in list(self._tasks):
            task.cancel()
        for session in self.targets.values():
            self._drop(session)

    async def close(self) -> None:
        """End the run: healthy associations go back to ``sessions`` for the next search."""
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        for session in self.targets.values():
            assoc, session.assoc = session.assoc, None
            if assoc is not None:
                if session.failure is None and not self.cancelled:
                    self.sessions.release(session.profile, assoc, session.password)
                else:
                    self.sessions.discard(assoc)
        if self._own_sessions:
            await self.sessions.close()

    def _drop(self, session: TargetSession) -> None:
        assoc, session.assoc = session.assoc, None
        if assoc is not None:
            self.sessions.discard(assoc)

    # --- failures in words ----------------------------------------------------------------

    def _failed(self, session: TargetSession, exc: BaseException) -> TargetFailed:
        session.failure = failure_of(exc, session.profile)
        return TargetFailed(session.profile.id, session.failure, self._elapsed(session))

    @staticmethod
    def _elapsed(session: TargetSession) -> float:
        return time.monotonic() - session.started


def failure_of(exc: BaseException, profile: TargetProfile) -> Failure:
    """An exception from one catalogue, in words a librarian understands."""
    if isinstance(exc, LoginNeeded):
        return Failure("login", exc.message, exc.detail)
    kind: FailureKind = failure_kind(exc)  # type: ignore[assignment]
    if isinstance(exc, PolycatError):
        message, detail = exc.message, exc.detail or repr(exc)
    else:
        message, detail = str(exc) or type(exc).__name__, repr(exc)
    code = exc.code if isinstance(exc, DiagnosticError | InitRefused) else None
    if isinstance(exc, DiagnosticError):
        message = _diagnostic_words(exc, kind)
        detail = f"Bib-1 diagnostic {exc.code}: {exc.message}" + (
            f" (addinfo: {exc.addinfo})" if exc.addinfo else ""
        )
    elif isinstance(exc, OSError):
        message = f"cannot connect: {exc.strerror or exc}"
    return Failure(kind, message, f"{profile.name} ({profile.address}): {detail}", code)


def _diagnostic_words(exc: DiagnosticError, kind: str) -> str:
    said = exc.message + (f" ({exc.addinfo})" if exc.addinfo else "")
    if kind == "unsupported":
        return f"unsupported search: {said}"
    if kind == "database":
        return f"no such database: {said}"
    return said


def _refused(record: RawRecord) -> bool:
    return record.diagnostic is not None and record.diagnostic.code in SYNTAX_REFUSED


def read_raw(raw: RawRecord, target: str, charset: str | None = None) -> BibRecord:
    """A record as sent, read into a BibRecord; a per-record diagnostic becomes its error.

    ``charset`` is the profile's word for records that do not say (GBV's Latin-1 databases
    send a blank leader/09); the bytes still win where they prove it wrong.
    """
    if raw.diagnostic is not None:
        reason = describe(raw.diagnostic.code, raw.diagnostic.diagnostic_set)
        if raw.diagnostic.addinfo:
            reason += f" ({raw.diagnostic.addinfo})"
        return BibRecord(
            error=f"the catalogue could not send this record: {reason}",
            target=target,
            database=raw.database or "",
            position=raw.position,
        )
    return read_record(
        raw.oid,
        raw.data,
        target=target,
        database=raw.database or "",
        position=raw.position,
        charset=charset,
    )
