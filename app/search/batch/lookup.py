"""The lookup itself: every ISBN in every catalogue, within each catalogue's limits."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from dataclasses import dataclass

from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import ValidationError

from app.export.choose import completeness
from app.net import Association, AssociationClosed, RawRecord, SearchResult, TargetClosed
from app.records import record_to_json
from app.records.identifiers import normalize_isbn
from app.records.model import BibRecord
from app.search.batch.cells import (
    RECORDS_PER_CELL,
    TROUBLE_LIMIT,
    BatchProgress,
    Cell,
    HoldingsMatrix,
)
from app.search.batch.isbns import BatchError, IsbnList
from app.search.batch.state import StateFile
from app.search.events import Failure
from app.search.query import Clause, Query, SearchForm, fallback_queries, to_pqf, to_rpn
from app.search.run import SYNTAX_REFUSED, Passwords, failure_of, read_raw
from app.search.sessions import Sessions
from app.targets import TargetProfile, password_for, syntax_oid
from app.z3950.errors import DiagnosticError
from app.z3950.rpn import RPNQuery

# --- the lookup ------------------------------------------------------------------------------


@dataclass
class _Catalogue:
    profile: TargetProfile
    pending: deque[str]
    password: str | None = None
    live: int = 0  # associations open now
    opening: int = 0  # associations being opened now
    troubles: int = 0  # timeouts and drops in a row
    last_trouble: Failure | None = None
    down: Failure | None = None


@dataclass
class _Session:
    """One association of a catalogue and what it learned (syntaxes refused)."""

    catalogue: _Catalogue
    syntaxes: list[str]
    assoc: Association | None = None
    requests: int = 0


Sleep = Callable[[float], Awaitable[None]]


class BatchLookup:
    """Every ISBN in every catalogue (see the module docstring); ``run()`` tells it as it
    happens, ``matrix`` holds the result (also while running and after an interruption).

    ``state_path`` None keeps nothing (a quick lookup in the window); ``sessions`` lends
    associations (and gets them back afterwards); ``passwords`` gives a profile's password.
    """

    def __init__(
        self,
        isbns: Sequence[str],
        profiles: Sequence[TargetProfile],
        *,
        state_path: str | os.PathLike[str] | None,
        sessions: Sessions | None = None,
        passwords: Passwords = password_for,
        retry_errors: bool = False,
        sleep: Sleep = asyncio.sleep,  # waits the pause between requests; tests count calls
    ) -> None:
        normalised = [normalize_isbn(i) for i in isbns]
        invalid = [i for i, n in zip(isbns, normalised, strict=True) if n is None]
        if invalid:
            raise BatchError(
                f"Not an ISBN: {', '.join(invalid[:5])}" + (" ..." if len(invalid) > 5 else "")
            )
        self.isbns = list(dict.fromkeys(n for n in normalised if n is not None))
        ids = [p.id for p in profiles]
        if len(set(ids)) != len(ids):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            raise BatchError(f"A catalogue is chosen twice: {', '.join(twice)}")
        self.profiles = list(profiles)
        self.skipped = isbns.skipped if isinstance(isbns, IsbnList) else ()
        self.state = StateFile(state_path)
        self.retry_errors = retry_errors
        self.matrix = HoldingsMatrix(self.isbns, self.profiles, self.skipped)
        self._own_sessions = sessions is None
        self.sessions = sessions if sessions is not None else Sessions()
        self._password = passwords
        self._sleep = sleep
        self._counts = {"found": 0, "not found": 0, "error": 0}
        self._resumed = 0
        self._started = time.monotonic()
        self._events: asyncio.Queue[Cell | None] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self.cancelled = False

    @property
    def total(self) -> int:
        return len(self.isbns) * len(self.profiles)

    def progress(self) -> BatchProgress:
        counts = self._counts
        return BatchProgress(
            done=sum(counts.values()),
            total=self.total,
            resumed=self._resumed,
            found=counts["found"],
            not_found=counts["not found"],
            errors=counts["error"],
            elapsed=time.monotonic() - self._started,
            skipped=self.skipped,
        )

    async def run(self) -> AsyncGenerator[BatchProgress | Cell, None]:
        """The resumed cells, a progress; then each new cell followed by a progress.

        ``cancel()``, or closing the iteration, stops every catalogue; the cells finished so
        far are in the state file and in ``matrix``. Iterate inside
        ``contextlib.aclosing(lookup.run())`` so that cancelling the task that iterates
        closes it at once (a bare ``async for`` leaves that to the garbage collector).
        """
        self._started = time.monotonic()
        kept = self.state.open()
        try:
            todo: list[_Catalogue] = []
            for profile in self.profiles:
                pending: deque[str] = deque()
                for isbn in self.isbns:
                    cell = kept.pop((isbn, profile.id), None)
                    if cell is None or (self.retry_errors and cell.status == "error"):
                        pending.append(isbn)
                        continue
                    self._resumed += 1
                    self._count(cell)
                    yield cell
                if pending:
                    todo.append(_Catalogue(profile, pending))
            yield self.progress()
            del kept  # the cells of other lists and catalogues: not needed any more
            if self.cancelled:
                todo = []
            for catalogue in todo:
                # told when the task ends, also when it is cancelled before it ever ran
                self._spawn(self._catalogue(catalogue)).add_done_callback(
                    lambda _: self._events.put_nowait(None))
            running = len(todo)
            while running:
                cell = await self._events.get()
                if cell is None:
                    running -= 1
                    continue
                yield cell
                yield self.progress()
        finally:
            try:
                await self._stop()
            finally:
                self.state.close()

    def cancel(self) -> None:
        """Stop every catalogue now; ``run()`` ends after the cells already finished."""
        self.cancelled = True
        for task in list(self._tasks):
            task.cancel()

    def _count(self, cell: Cell) -> None:
        self.matrix.add(cell)
        self._counts[cell.status] += 1

    def _finish(self, cell: Cell) -> None:
        """A cell is done: state file first, then the matrix and the listener."""
        self.state.append(cell)
        self._count(cell)
        self._events.put_nowait(cell)

    def _spawn(self, coro: Awaitable[None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._own_sessions:
            await self.sessions.close()

    # --- one catalogue ---------------------------------------------------------------------

    async def _catalogue(self, catalogue: _Catalogue) -> None:
        """The first session; more (up to max_sessions) once it works; errors for the rest."""
        profile = catalogue.profile
        try:
            try:
                to_rpn(_isbn_query(profile, catalogue.pending[0]), profile)  # before connecting
                catalogue.password = self._password(profile)
            except Exception as exc:  # cannot search by ISBN, no login
                catalogue.down = failure_of(exc, profile)
                return
            first = _Session(catalogue, list(profile.syntaxes))
            if not await self._connect(first):
                return
            more = min(profile.max_sessions, len(catalogue.pending)) - 1
            workers = [self._work(first)]
            workers += [self._work(_Session(catalogue, list(profile.syntaxes)), opened=False)
                        for _ in range(max(0, more))]
            ended = await asyncio.gather(*map(self._spawn, workers), return_exceptions=True)
            for problem in ended:  # a defect in one session: the catalogue stops, told why
                if isinstance(problem, Exception) and catalogue.down is None:
                    catalogue.down = failure_of(problem, profile)
            if catalogue.pending and catalogue.down is None:  # every session refused: say so
                catalogue.down = Failure("closed", "the catalogue kept no session open")
        except Exception as exc:  # a defect here must not take the other catalogues down
            catalogue.down = failure_of(exc, profile)
        finally:
            if catalogue.down is not None and not _cancelled():
                self._give_up(catalogue)

    def _give_up(self, catalogue: _Catalogue) -> None:
        failure = catalogue.down
        assert failure is not None
        while catalogue.pending:
            isbn = catalogue.pending.popleft()
            self._finish(_error_cell(isbn, failure, catalogue.profile))

    async def _work(self, session: _Session, opened: bool = True) -> None:
        """Take ISBNs from the catalogue's queue until it is empty or the catalogue is down."""
        catalogue = session.catalogue
        try:
            if not opened and not await self._connect(session):
                return  # refused a further session (1015, busy): the others carry on
            while catalogue.pending and catalogue.down is None:
                if session.assoc is None or session.assoc.closed:
                    self._close(session, healthy=False)
                    if not await self._connect(session):
                        return
                isbn = catalogue.pending.popleft()
                try:
                    cell = await self._cell(session, isbn)
                except BaseException:
                    catalogue.pending.appendleft(isbn)  # not answered: still to do
                    raise
                if cell is None:
                    catalogue.pending.appendleft(isbn)  # lost and not reopened: still to do
                    return
                self._finish(cell)
                trouble = catalogue.last_trouble
                if catalogue.troubles >= TROUBLE_LIMIT and trouble is not None:
                    catalogue.down = Failure(
                        trouble.kind,
                        f"stopped after {TROUBLE_LIMIT} failures in a row: {trouble.message}",
                        trouble.detail,
                        trouble.code,
                    )
        finally:
            self._close(session)

    async def _connect(self, session: _Session) -> bool:
        """Open the session's association; False (the catalogue down if it was the last
        hope) when the catalogue refuses."""
        catalogue = session.catalogue
        catalogue.opening += 1
        try:
            await self._pace(session)
            session.assoc = await self.sessions.acquire(catalogue.profile, catalogue.password)
        except Exception as exc:
            if catalogue.live == 0 and catalogue.opening == 1 and catalogue.down is None:
                catalogue.down = failure_of(exc, catalogue.profile)
            return False
        finally:
            catalogue.opening -= 1
        catalogue.live += 1
        return True

    def _close(self, session: _Session, *, healthy: bool = True) -> None:
        assoc, session.assoc = session.assoc, None
        if assoc is None:
            return
        catalogue = session.catalogue
        catalogue.live -= 1
        if healthy and not assoc.closed and not _cancelled():
            self.sessions.release(catalogue.profile, assoc, catalogue.password)
        else:
            self.sessions.discard(assoc)

    async def _pace(self, session: _Session) -> None:
        pause = session.catalogue.profile.pause_between_requests
        if session.requests and pause > 0:
            await self._sleep(pause)
        session.requests += 1

    # --- one ISBN ------------------------------------------------------------------------

    async def _cell(self, session: _Session, isbn: str) -> Cell | None:
        """Search one ISBN; a dropped association is reopened and the ISBN asked again once.
        None when it could not be reopened."""
        catalogue = session.catalogue
        profile = catalogue.profile
        for attempt in (1, 2):
            try:
                cell = await self._search(session, isbn)
            except DiagnosticError as exc:
                catalogue.troubles = 0  # an answer: the catalogue works
                return _error_cell(isbn, failure_of(exc, profile), profile)
            except (TargetClosed, AssociationClosed, ConnectionError) as exc:
                if attempt == 1:  # dropped while idle, most likely: reopen and ask again
                    self._close(session, healthy=False)
                    if not await self._connect(session):
                        return None
                    continue
                return self._trouble(session, isbn, exc)
            except Exception as exc:  # timeout, garbage from the target
                return self._trouble(session, isbn, exc)
            catalogue.troubles = 0
            return cell
        raise AssertionError("unreachable")

    def _trouble(self, session: _Session, isbn: str, exc: Exception) -> Cell:
        catalogue = session.catalogue
        catalogue.troubles += 1
        catalogue.last_trouble = failure = failure_of(exc, catalogue.profile)
        self._close(session, healthy=False)
        return _error_cell(isbn, failure, catalogue.profile)

    async def _search(self, session: _Session, isbn: str) -> Cell:
        profile = session.catalogue.profile
        assoc = session.assoc
        assert assoc is not None
        query = _isbn_query(profile, isbn)
        queries: list[RPNQuery] = [to_rpn(query, profile)]
        fell_back = False
        wanted = min(RECORDS_PER_CELL, profile.page_size) if profile.capabilities.piggyback else 0
        while True:
            await self._pace(session)
            try:
                result = await assoc.search(
                    queries[0],
                    profile.database_names,
                    syntax=_syntax(session),
                    element_set=profile.element_set_full,
                    piggyback=wanted,
                    timeout=profile.timeouts.search,
                )
                break
            except DiagnosticError as exc:
                # a refused ISBN search is retried as the profile says (keyword on the number)
                queries = queries[1:] if fell_back else fallback_queries(query, profile, exc.code)
                fell_back = True
                if not queries:
                    raise
        sent = to_pqf(queries[0])
        if not result.hits:
            return Cell(isbn, profile.id, "not found", query=sent)
        count = min(RECORDS_PER_CELL, result.hits)
        try:
            records = await self._records(session, result, count)
        except DiagnosticError as exc:
            failure = failure_of(exc, profile)
            return Cell(isbn, profile.id, "found", result.hits, query=sent,
                        error=f"the records could not be fetched: {failure.message}",
                        detail=failure.detail)
        best = _best(records)
        if best is None:
            reason = next((r.error for r in records if r.error), "no record came back")
            return Cell(isbn, profile.id, "found", result.hits, query=sent, error=reason or "")
        return Cell(isbn, profile.id, "found", result.hits, query=sent, title=best.full_title,
                    score=completeness(best), record=record_to_json(best))

    async def _records(
        self, session: _Session, result: SearchResult, count: int
    ) -> list[BibRecord]:
        """The first ``count`` records, in the first syntax of the profile the target gives."""
        profile = session.catalogue.profile
        assoc = session.assoc
        assert assoc is not None
        raw = [r for r in result.records if r.position <= count]
        refused = any(d.code in SYNTAX_REFUSED for d in result.diagnostics)
        if not raw and refused and len(session.syntaxes) > 1:
            session.syntaxes.pop(0)  # the search said so already: no Present in that syntax
        while not raw or any(_refused(r) for r in raw):
            if raw and len(session.syntaxes) > 1:
                session.syntaxes.pop(0)  # refused in this syntax: the next one, from now on
            elif raw:
                break  # refused in every syntax: the records say why
            await self._pace(session)
            try:
                raw = await assoc.present(
                    1, count, syntax=_syntax(session), element_set=profile.element_set_full,
                    timeout=profile.timeouts.present,
                )
            except DiagnosticError as exc:
                if exc.code in SYNTAX_REFUSED and len(session.syntaxes) > 1:
                    session.syntaxes.pop(0)
                    raw = []
                    continue
                raise
            if not raw:
                break
        return [read_raw(r, profile.name) for r in raw]


def _error_cell(isbn: str, failure: Failure, profile: TargetProfile) -> Cell:
    return Cell(isbn, profile.id, "error", error=failure.message, detail=failure.detail)


def _isbn_query(profile: TargetProfile, isbn: str) -> Query:
    """The ISBN as a form search; both forms ORed where the profile sends ISBNs as typed."""
    numbers = [isbn]
    if profile.isbn_form == "as-typed":
        with contextlib.suppress(ValidationError):
            ten = stdnum_isbn.to_isbn10(isbn)
            numbers.append(ten)
    return Query.of_form(SearchForm((Clause("isbn", ", ".join(numbers)),)))


def _syntax(session: _Session) -> str | None:
    return syntax_oid(session.syntaxes[0]) if session.syntaxes else None


def _refused(record: RawRecord) -> bool:
    return record.diagnostic is not None and record.diagnostic.code in SYNTAX_REFUSED


def _best(records: Sequence[BibRecord]) -> BibRecord | None:
    """The export's "best" choice among readable records (ties to the first)."""
    readable = [r for r in records if r.error is None]
    if not readable:
        return None
    scores = [completeness(r) for r in readable]
    return readable[scores.index(max(scores))]


def _cancelled() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


