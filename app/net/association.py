"""One Z39.50 association over asyncio: connect, Init, then search, present, scan, sort...

The socket lives in ``stream.Stream``, which also opens the association (connect, Init);
the ``Association`` sends events and waits for the answer through one path, ``_call``, which
owns the timeout, cancellation and the target's Close. One request is outstanding at a time
(Z39.50 without concurrentOperations): concurrent callers queue on a lock.

    async with connect("127.0.0.1", 9999, timeout=10) as assoc:
        result = await assoc.search("@attr 1=4 water", ["Default"], syntax="usmarc")
        async for page in assoc.fetch(result, page_size=100):
            ...
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Generator, Sequence
from types import TracebackType
from typing import Any, TypeVar

from app.net.errors import (
    AssociationCancelled,
    AssociationClosed,
    NetError,
    OperationTimeout,
    TargetClosed,
)
from app.net.results import DeleteResult, RawRecord, ScanResult, SearchResult, SortResult
from app.net.stream import Stream, open_stream
from app.z3950.errors import DiagnosticError, LocalProtocolError, RemoteProtocolError
from app.z3950.events import (
    DEFAULT_OPTIONS,
    Authentication,
    Close,
    CloseReason,
    ConnectionClosed,
    DeleteResultSetRequest,
    DeleteResultSetResponse,
    Diagnostic,
    Event,
    InitResponse,
    PresentRequest,
    PresentResponse,
    Record,
    Request,
    ScanRequest,
    ScanResponse,
    SearchRequest,
    SearchResponse,
    SortKey,
    SortRequest,
    SortResponse,
    SurrogateDiagnostic,
    TriggerResourceControlRequest,
    _NeedData,
)
from app.z3950.oids import record_syntax_name, record_syntax_oid
from app.z3950.pqf import parse_pqf
from app.z3950.rpn import BIB1, RPNQuery, Term

DEFAULT_TIMEOUT = 30.0
DEFAULT_MESSAGE_SIZE = 16 * 1024 * 1024
# largeSetLowerBound when piggy-backing: no result set is ever "large", so the target always
# sends the first page (medium set) or everything (small set) inside the Search response
_NEVER_LARGE = 2**31 - 1
# how long a polite Close may wait for the target's Close before the socket is dropped
_CLOSE_GRACE = 2.0

_ResponseT = TypeVar("_ResponseT")

# the name lookup walks the OID table; a fetch of 2,000 records asks for a handful of OIDs
_syntax_name = functools.lru_cache(maxsize=64)(record_syntax_name)


def _databases(databases: str | Sequence[str]) -> tuple[str, ...]:
    """``"books"``, ``"a+b"`` or a list: the tuple of database names to send."""
    names = databases.split("+") if isinstance(databases, str) else list(databases)
    result = tuple(n.strip() for n in names if n.strip())
    if not result:
        raise ValueError("at least one database name is needed")
    return result


def _query(query: RPNQuery | str) -> RPNQuery:
    return parse_pqf(query) if isinstance(query, str) else query


class Association:
    """An open, initialised association with one target. Make one with ``connect()``."""

    def __init__(
        self,
        stream: Stream,
        init: InitResponse,
        *,
        host: str,
        port: int,
        timeout: float,
    ) -> None:
        self._stream = stream
        self._conn = stream.conn
        self.init = init
        self.host = host
        self.port = port
        self.timeout = timeout
        self.round_trips = 1  # the Init
        self._lock = asyncio.Lock()
        self._failure: NetError | None = None  # set once the association is over
        self._waiting = False
        self._result_sets: dict[str, tuple[str, ...]] = {}

    @property
    def target(self) -> str:
        """``host:port``, as errors name the catalogue."""
        return f"{self.host}:{self.port}"

    @property
    def version(self) -> int:
        """The protocol version the Init agreed (2 or 3)."""
        return self.init.version

    @property
    def options(self) -> frozenset[str]:
        """The Init options the target agreed to."""
        return self.init.options

    @property
    def charset(self) -> str | None:
        """The character set the target chose in the Init, or None when it chose none."""
        return self.init.charset.charset if self.init.charset else None

    # --- the one path every operation takes -------------------------------------------

    @property
    def closed(self) -> bool:
        return self._failure is not None

    def _check_open(self) -> None:
        if self._failure is not None:
            raise self._failure

    async def _call(
        self,
        request: Request,
        expect: type[_ResponseT],
        operation: str,
        timeout: float | None,
    ) -> _ResponseT:
        seconds = self.timeout if timeout is None else timeout
        self._check_open()
        async with self._lock:
            self._check_open()
            if self._stream.eof:  # the target hung up while we were idle: tell why
                await self._receive()
            self._waiting = True
            try:
                async with asyncio.timeout(seconds):
                    self._write(request)
                    event = await self._receive()
            except TimeoutError:
                error = OperationTimeout(operation, seconds, target=self.target)
                self._abort(error)
                raise error from None
            except asyncio.CancelledError:
                self._abort(
                    AssociationCancelled(f"the {operation} was stopped", target=self.target)
                )
                raise
            except (RemoteProtocolError, LocalProtocolError) as exc:
                self._abort(AssociationClosed(f"the session broke down: {exc}", target=self.target))
                raise
            finally:
                self._waiting = False
            self.round_trips += 1
        if not isinstance(event, expect):
            unexpected = f"the catalogue did not answer the {operation}"
            detail = f"{self.target} answered a {operation} with {type(event).__name__}"
            self._abort(AssociationClosed(unexpected, target=self.target, detail=detail))
            raise RemoteProtocolError(unexpected, detail=detail)
        return event

    def _write(self, event: Event) -> None:
        transport = self._stream.transport
        if transport is None or transport.is_closing():
            raise TargetClosed(None, target=self.target)
        transport.write(self._conn.send(event))

    async def _receive(self) -> Event:
        """The next whole event; the target's Close or EOF ends the association."""
        conn = self._conn
        stream = self._stream
        while True:
            if self._failure is not None:
                raise self._failure
            if stream.error is not None:
                raise stream.error
            event = conn.next_event()
            if isinstance(event, _NeedData):
                await stream.readable()
                continue
            if isinstance(event, Close):
                error = TargetClosed(event.reason, event.diagnostic_information, target=self.target)
                # the origin answers a Close with a Close, when the core still lets us
                with contextlib.suppress(Exception):
                    self._write(Close(CloseReason.FINISHED))
                self._abort(error, graceful=True)
                raise error
            if isinstance(event, ConnectionClosed):
                error = TargetClosed(None, target=self.target)
                self._abort(error)
                raise error
            return event

    def _abort(self, failure: NetError, *, graceful: bool = False) -> None:
        """End the association now: remember why, drop the socket, wake any waiter."""
        if self._failure is None:
            self._failure = failure
        transport = self._stream.transport
        if transport is not None and not transport.is_closing():
            if graceful:
                transport.close()  # flushes what we wrote (our Close) first
            else:
                transport.abort()
        self._stream.wake()

    # --- services -------------------------------------------------------------------------

    async def search(
        self,
        query: RPNQuery | str,
        databases: str | Sequence[str],
        *,
        result_set: str = "default",
        syntax: str | None = None,
        element_set: str | None = None,
        piggyback: int = 10,
        timeout: float | None = None,
    ) -> SearchResult:
        """Search; up to ``piggyback`` first records come back in the same round trip.

        A failed search (searchStatus false) raises ``DiagnosticError``. When the search
        worked but the piggy-backed records could not be given (e.g. 239, syntax not
        supported) the result keeps the hits and carries the diagnostics.
        """
        rpn = _query(query)
        dbs = _databases(databases)
        oid = record_syntax_oid(syntax) if syntax else None
        n = max(0, piggyback)
        request = SearchRequest(
            query=rpn,
            databases=dbs,
            result_set_name=result_set,
            replace=True,
            small_set_upper_bound=n,
            large_set_lower_bound=_NEVER_LARGE if n else 1,
            medium_set_present_number=n,
            small_set_element_set=element_set if n else None,
            medium_set_element_set=element_set if n else None,
            preferred_record_syntax=oid,
        )
        response = await self._call(request, SearchResponse, "search", timeout)
        if not response.search_status:
            raise self._failed(response.diagnostics, "the search failed")
        self._result_sets[result_set] = dbs
        return SearchResult(
            hits=response.result_count,
            records=self._raw_records(response.records, 1, dbs),
            diagnostics=response.diagnostics,
            result_set=result_set,
            databases=dbs,
            query=rpn,
            syntax=oid,
            element_set=element_set,
            result_set_status=response.result_set_status,
            present_status=response.present_status,
        )

    async def present(
        self,
        start: int,
        count: int,
        *,
        result_set: str = "default",
        syntax: str | None = None,
        element_set: str | None = None,
        timeout: float | None = None,
    ) -> list[RawRecord]:
        """Records ``start`` .. ``start + count - 1`` of a result set.

        Past the end the target answers diagnostic 13, raised as ``DiagnosticError``.
        """
        if start < 1 or count < 0:
            raise ValueError(f"cannot present {count} records from position {start}")
        request = PresentRequest(
            result_set=result_set,
            start=start,
            count=count,
            element_set=element_set,
            preferred_record_syntax=record_syntax_oid(syntax) if syntax else None,
        )
        response = await self._call(request, PresentResponse, "present", timeout)
        if response.diagnostics and not response.records:
            raise self._failed(response.diagnostics, "the records could not be fetched")
        return self._raw_records(response.records, start, self._result_sets.get(result_set, ()))

    async def fetch(
        self,
        result: SearchResult,
        start: int = 1,
        count: int | None = None,
        page_size: int = 100,
        *,
        syntax: str | None = None,
        element_set: str | None = None,
        timeout: float | None = None,
    ) -> AsyncIterator[list[RawRecord]]:
        """Pages of records from ``start``, up to ``count`` records or the end of the set.

        Records that came piggy-backed with the search are handed out first, without a
        round trip. The iteration stops cleanly at the last hit, or early when the target
        gives nothing more.
        """
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        end = result.hits if count is None else min(result.hits, start + count - 1)
        position = start
        known = [r for r in result.records if start <= r.position <= end]
        known.sort(key=lambda r: r.position)
        first: list[RawRecord] = []
        for record in known:  # only a run that starts exactly at ``start``
            if record.position != position:
                break
            first.append(record)
            position += 1
        if first:
            yield first
        syntax = syntax or result.syntax
        element_set = element_set or result.element_set
        while position <= end:
            page = await self.present(
                position,
                min(page_size, end - position + 1),
                result_set=result.result_set,
                syntax=syntax,
                element_set=element_set,
                timeout=timeout,
            )
            if not page:
                return  # the target gave nothing more; asking again would loop forever
            yield page
            position += len(page)

    async def scan(
        self,
        term: Term | str,
        databases: str | Sequence[str],
        count: int = 20,
        position: int = 1,
        *,
        step_size: int = 0,
        timeout: float | None = None,
    ) -> ScanResult:
        """Browse the index around ``term`` (a ``Term`` or a PQF such as ``@attr 1=4 wat``)."""
        attribute_set = BIB1
        if isinstance(term, str):
            rpn = parse_pqf(term)
            if not isinstance(rpn.root, Term):
                raise ValueError("scan needs one term, not a query with operators")
            attribute_set = rpn.attribute_set
            term = rpn.root
        request = ScanRequest(
            databases=_databases(databases),
            term=term,
            attribute_set=attribute_set,
            count=count,
            preferred_position=position,
            step_size=step_size,
        )
        response = await self._call(request, ScanResponse, "scan", timeout)
        if response.status == 6 or (response.diagnostics and not response.entries):
            raise self._failed(response.diagnostics, "the scan failed")
        return ScanResult(
            status=response.status,
            entries=response.entries,
            position_of_term=response.position_of_term,
            diagnostics=response.diagnostics,
        )

    async def sort(
        self,
        inputs: str | Sequence[str],
        output: str,
        keys: Sequence[SortKey],
        *,
        timeout: float | None = None,
    ) -> SortResult:
        """Sort result set(s) ``inputs`` into ``output`` by ``keys``."""
        names = (inputs,) if isinstance(inputs, str) else tuple(inputs)
        request = SortRequest(inputs=names, output=output, keys=tuple(keys))
        response = await self._call(request, SortResponse, "sort", timeout)
        if response.status == 2:
            raise self._failed(response.diagnostics, "the sort failed")
        dbs = tuple(dict.fromkeys(d for n in names for d in self._result_sets.get(n, ())))
        self._result_sets[output] = dbs
        return SortResult(
            status=response.status,
            result_set=output,
            result_count=response.result_count,
            diagnostics=response.diagnostics,
        )

    async def delete_result_sets(
        self, names: Sequence[str] | None = None, *, timeout: float | None = None
    ) -> DeleteResult:
        """Delete the named result sets, or every one when ``names`` is None."""
        if names is None:
            request = DeleteResultSetRequest(all=True)
        else:
            request = DeleteResultSetRequest(names=tuple(names))
        response = await self._call(request, DeleteResultSetResponse, "delete", timeout)
        for name in list(self._result_sets) if names is None else names:
            self._result_sets.pop(name, None)
        return DeleteResult(status=response.status, statuses=response.statuses)

    async def cancel(self) -> None:
        """Stop whatever is running: TriggerResourceControl cancel, then Close, then hang up.

        A waiting operation ends with ``AssociationCancelled``; the association is closed.
        """
        if self._failure is not None:
            return
        if self._waiting:
            with contextlib.suppress(Exception):
                self._write(TriggerResourceControlRequest(action=3))
        with contextlib.suppress(Exception):
            self._write(Close(CloseReason.PEER_ABORT, "cancelled by the user"))
        self._abort(
            AssociationCancelled("the search was stopped", target=self.target), graceful=True
        )
        await self._wait_lost()

    async def close(
        self, reason: CloseReason = CloseReason.FINISHED, message: str | None = None
    ) -> None:
        """End the association politely: Close, wait briefly for the target's Close, hang up."""
        if self._failure is not None:
            await self._wait_lost()
            return
        if self._lock.locked():  # an operation is waiting: it ends with AssociationClosed
            with contextlib.suppress(Exception):
                self._write(Close(reason, message))
            self._abort(
                AssociationClosed("the session was closed", target=self.target), graceful=True
            )
            await self._wait_lost()
            return
        async with self._lock:
            with contextlib.suppress(Exception):
                self._write(Close(reason, message))
                async with asyncio.timeout(min(self.timeout, _CLOSE_GRACE)):
                    while not isinstance(await self._receive_quietly(), Close | None):
                        pass  # a late answer to something earlier; keep reading to the Close
            self._abort(
                AssociationClosed("the session is closed", target=self.target), graceful=True
            )
        await self._wait_lost()

    async def _receive_quietly(self) -> Event | None:
        """Like ``_receive`` but the target's Close is the expected answer, not a failure."""
        while True:
            event = self._conn.next_event()
            if isinstance(event, _NeedData):
                if self._stream.eof:
                    return None
                await self._stream.readable()
                continue
            if isinstance(event, ConnectionClosed):
                return None
            return event

    async def _wait_lost(self) -> None:
        transport = self._stream.transport
        try:
            async with asyncio.timeout(_CLOSE_GRACE):
                await asyncio.shield(self._stream.lost)
        except TimeoutError:
            if transport is not None:
                transport.abort()

    # --- helpers ------------------------------------------------------------------------

    def _failed(self, diagnostics: Sequence[Diagnostic], what: str) -> DiagnosticError:
        first = diagnostics[0] if diagnostics else Diagnostic(100, what)
        return DiagnosticError.from_diagnostic(first)

    @staticmethod
    def _raw_records(
        records: Sequence[Record], start: int, databases: Sequence[str]
    ) -> list[RawRecord]:
        only = databases[0] if len(databases) == 1 else None
        out: list[RawRecord] = []
        for i, record in enumerate(records):
            if isinstance(record, SurrogateDiagnostic):
                out.append(
                    RawRecord(
                        position=start + i,
                        database=record.database or only,
                        syntax=None,
                        oid=None,
                        diagnostic=record.diagnostic,
                    )
                )
            else:
                out.append(
                    RawRecord(
                        position=start + i,
                        database=record.database or only,
                        syntax=_syntax_name(record.oid) if record.oid else None,
                        oid=record.oid,
                        data=record.data,
                    )
                )
        return out

    # --- async with ------------------------------------------------------------------------

    async def __aenter__(self) -> Association:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None and issubclass(exc_type, asyncio.CancelledError):
            self._abort(AssociationCancelled("the work was stopped", target=self.target))
            await self._wait_lost()
        else:
            await self.close()



class connect:  # lower case: used like a function: ``await connect()`` / ``async with``
    """Open an association: TCP connect, then Init (login, character set, options).

    ``auth``: ``Open("user/pw")``, ``IdPass(user, password, group)``, ``Anonymous()`` or None.
    ``charset``: proposed in the Init (None proposes nothing); the target's choice, when it
    makes one, becomes the encoding of every string after Init. ``encoding`` is what is
    assumed otherwise. ``timeout`` bounds the connect+Init and is each operation's default.
    ``version`` 3 also offers 2; a v2-only target answers with version 2.
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        auth: Authentication | None = None,
        charset: str | None = "UTF-8",
        encoding: str = "utf-8",
        timeout: float = DEFAULT_TIMEOUT,
        version: int = 3,
        options: frozenset[str] = DEFAULT_OPTIONS,
        message_size: int = DEFAULT_MESSAGE_SIZE,
    ) -> None:
        self._host = host
        self._port = port
        self._timeout = timeout
        self._opening = functools.partial(
            open_stream,
            host,
            port,
            auth=auth,
            charset=charset,
            encoding=encoding,
            timeout=timeout,
            version=version,
            options=options,
            message_size=message_size,
        )
        self._association: Association | None = None

    def __await__(self) -> Generator[Any, None, Association]:
        return self._open().__await__()

    async def __aenter__(self) -> Association:
        self._association = await self._open()
        return self._association

    async def _open(self) -> Association:
        stream, response = await self._opening()
        return Association(
            stream, response, host=self._host, port=self._port, timeout=self._timeout
        )

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._association is not None:
            await self._association.__aexit__(exc_type, exc, tb)
