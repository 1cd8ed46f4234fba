"""An in-process Z39.50 target: serves a ``Catalogue`` from memory on a loopback port.

It plays the target role of the same protocol core the origin uses, so the tests can produce
what real peers cannot (an OCLC user-information record, a refused login with failReason,
hostile bytes, a Close in the middle of a Present, slow answers), and the offline demo serves
its three catalogues with it::

    async with serve(catalogue, behaviour=Behaviour(oclc=...)) as server:
        async with connect("127.0.0.1", server.port) as assoc: ...
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any, Literal

from app.net.catalogue import Catalogue, Hit, diagnostic
from app.z3950 import Connection, Role, oids
from app.z3950.errors import DiagnosticError, ProtocolError
from app.z3950.events import (
    BIB1_DIAG,
    CharsetAgreement,
    Close,
    CloseReason,
    ConnectionClosed,
    DeleteResultSetRequest,
    DeleteResultSetResponse,
    Diagnostic,
    Event,
    IdPass,
    InitRequest,
    InitResponse,
    OclcUserInformation,
    Open,
    PresentRequest,
    PresentResponse,
    Record,
    ResourceReportRequest,
    ResourceReportResponse,
    RetrievalRecord,
    ScanRequest,
    ScanResponse,
    SearchRequest,
    SearchResponse,
    SortRequest,
    SortResponse,
    SurrogateDiagnostic,
    TriggerResourceControlRequest,
    _NeedData,
)

# syntaxes sent as single-ASN1-type EXTERNALs (SUTRS and the structured ones), the rest
# octet-aligned
_SINGLE_ASN1 = frozenset({oids.SUTRS, oids.OPAC, oids.GRS1})
_OPTIONS = frozenset(
    {"search", "present", "delSet", "scan", "sort", "namedResultSets", "triggerResourceCtrl"}
)

Hostile = Literal["garbage", "huge", "truncated"]
# What a web server says when a Z39.50 client knocks: a classic "garbage" answer.
_GARBAGE = (
    b"HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\n"
    b"Content-Length: 150\r\nConnection: close\r\n\r\n<html><head><title>400 Bad Request"
    b"</title></head><body><center><h1>400 Bad Request</h1></center></body></html>\r\n"
)
# an InitResponse tag whose length field announces 1 GiB
_HUGE = b"\xb5\x84\x40\x00\x00\x00" + b"\x00" * 256


@dataclass(frozen=True, slots=True)
class Behaviour:
    """How the target behaves, beyond serving its catalogue faithfully.

    ``hostile_on`` / ``close_on`` / ``delays`` name a request: "init", "search", "present",
    "scan", "sort", "delete".
    """

    implementation_name: str = "Polycat in-process target"
    implementation_version: str = "1"
    version: int = 3  # 2: answer like a version-2-only target
    charset: str | None = "UTF-8"  # what a charset proposal is answered with; None ignores it
    users: Mapping[str, str] | None = None  # login required: user -> password
    oclc: OclcUserInformation | None = None  # user-information record on the Init response
    refuse_init: bool = False  # refuse every Init
    refusal: Diagnostic | None = None  # the diagnostic a refused Init carries
    piggyback: bool = True  # honour small/medium set piggy-backing
    hostile: Hostile | None = None  # bytes sent instead of an answer
    hostile_on: str = "init"
    close_on: str | None = None  # send a Close instead of this answer
    close_after: int = 0  # ... after answering this many of them normally
    close_reason: CloseReason = CloseReason.SYSTEM_PROBLEM
    close_message: str = "the server is going down for maintenance"
    delays: Mapping[str, float] = field(default_factory=dict)  # seconds before an answer
    idle_timeout: float | None = None  # seconds of silence before a Close (lack of activity)


class _Session:
    """One client's association: result sets, counters, and the request loop."""

    def __init__(
        self,
        server: Server,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.server = server
        self.catalogue = server.catalogue
        self.behaviour = server.behaviour
        self.reader = reader
        self.writer = writer
        self.conn = Connection(Role.TARGET)
        self.result_sets: dict[str, list[Hit]] = {}
        self.counts: dict[str, int] = {}
        self.message_size = 1024 * 1024

    async def run(self) -> None:
        try:
            while True:
                try:
                    async with asyncio.timeout(self.behaviour.idle_timeout):
                        data = await self.reader.read(256 * 1024)
                except TimeoutError:  # as YAZ's front end does after its idle time
                    self._send(Close(CloseReason.LACK_OF_ACTIVITY, "idle for too long"))
                    await self.writer.drain()
                    return
                self.conn.receive_data(data)
                while True:
                    event = self.conn.next_event()
                    if isinstance(event, ConnectionClosed):
                        return
                    if isinstance(event, _NeedData):
                        break
                    if not await self._answer(event):
                        return
                if not data:
                    return
        except (ProtocolError, ConnectionError):
            pass  # the client sent garbage or vanished: hang up
        finally:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()

    def _send(self, event: Event) -> None:
        self.writer.write(self.conn.send(event))

    async def _answer(self, request: Event) -> bool:
        """Answer one request; False ends the session."""
        kind = _KINDS.get(type(request))
        if kind is None:
            if isinstance(request, Close):
                with contextlib.suppress(ProtocolError):
                    self._send(Close(CloseReason.FINISHED))
                await self.writer.drain()
                return False
            return True  # TriggerResourceControl and the like need no answer
        self.counts[kind] = self.counts.get(kind, 0) + 1
        behaviour = self.behaviour
        delay = behaviour.delays.get(kind, 0.0)
        if delay:
            await asyncio.sleep(delay)
        if behaviour.hostile and behaviour.hostile_on == kind:
            await self._hostile(request, behaviour.hostile)
            return False
        if behaviour.close_on == kind and self.counts[kind] > behaviour.close_after:
            self._send(Close(behaviour.close_reason, behaviour.close_message))
            await self.writer.drain()
            return False
        response = self._respond(request)
        self._send(response)
        await self.writer.drain()
        # a refused Init ends the session; an agreed charset was switched to by the core
        return not (isinstance(response, InitResponse) and not response.accepted)

    async def _hostile(self, request: Event, how: Hostile) -> None:
        if how == "garbage":
            self.writer.write(_GARBAGE)
        elif how == "huge":
            self.writer.write(_HUGE)
        else:  # a real answer cut in half, then the connection ends
            whole = self.conn.send(self._respond(request))
            self.writer.write(whole[: max(1, len(whole) // 2)])
        await self.writer.drain()
        if how != "truncated":  # let the client notice the bytes, not an early EOF
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.reader.read(), timeout=30)

    def _respond(self, request: Event) -> Event:
        if isinstance(request, InitRequest):
            return self._init(request)
        if isinstance(request, SearchRequest):
            return self._search(request)
        if isinstance(request, PresentRequest):
            return self._present(request)
        if isinstance(request, ScanRequest):
            return self._scan(request)
        if isinstance(request, SortRequest):
            return self._sort(request)
        if isinstance(request, DeleteResultSetRequest):
            return self._delete(request)
        assert isinstance(request, ResourceReportRequest)
        return ResourceReportResponse(status=6)  # no report available

    # --- services -------------------------------------------------------------------------

    def _init(self, request: InitRequest) -> InitResponse:
        b = self.behaviour
        self.message_size = max(4096, request.preferred_message_size)
        version = min(b.version, request.version)
        login_ok = self._login_ok(request)
        accepted = login_ok and not b.refuse_init
        refusal, oclc = b.refusal, b.oclc
        if not login_ok:  # as YAZ and OCLC do: 1011, and OCLC's failReason with its words
            refusal = refusal or Diagnostic(1011, _user(request), BIB1_DIAG)
            if oclc is not None:
                oclc = replace(
                    oclc,
                    fail_reason=True,
                    text=oclc.text or "Invalid authorization number or password",
                )
        charset = None
        if request.charset is not None and b.charset and version >= 3:
            charset = CharsetAgreement(b.charset, None, True)
        options = _OPTIONS & request.options
        if charset is not None:
            options |= {"negotiationModel"}
        return InitResponse(
            accepted=accepted,
            version=version,
            options=options,
            preferred_message_size=self.message_size,
            exceptional_record_size=self.message_size,
            implementation_id="polycat-target",
            implementation_name=b.implementation_name,
            implementation_version=b.implementation_version,
            charset=charset if accepted else None,
            oclc=oclc,
            diagnostic=None if accepted else refusal,
        )

    def _login_ok(self, request: InitRequest) -> bool:
        users = self.behaviour.users
        if users is None:
            return True
        user, password = _credentials(request)
        return user is not None and users.get(user) == password

    def _search(self, request: SearchRequest) -> SearchResponse:
        try:
            hits = self.catalogue.search(request.query, request.databases, self.result_sets)
        except DiagnosticError as exc:
            return SearchResponse(
                result_count=0,
                search_status=False,
                result_set_status=3,
                diagnostics=(_diagnostic(exc),),
            )
        name = request.result_set_name
        if not request.replace and name in self.result_sets:
            return SearchResponse(
                result_count=0,
                search_status=False,
                result_set_status=3,
                diagnostics=(Diagnostic(21, name, BIB1_DIAG),),
            )
        self.result_sets[name] = hits
        count = len(hits)
        if not self.behaviour.piggyback or count >= request.large_set_lower_bound:
            wanted, element_set = 0, None
        elif count <= request.small_set_upper_bound:
            wanted, element_set = count, request.small_set_element_set
        else:
            wanted = request.medium_set_present_number
            element_set = request.medium_set_element_set
        if wanted == 0:
            return SearchResponse(result_count=count, search_status=True, next_position=1)
        try:
            records = self._records(hits, 1, wanted, request.preferred_record_syntax, element_set)
        except DiagnosticError as exc:
            return SearchResponse(
                result_count=count,
                search_status=True,
                next_position=1,
                present_status=5,
                diagnostics=(_diagnostic(exc),),
            )
        return SearchResponse(
            result_count=count,
            search_status=True,
            records_returned=len(records),
            next_position=len(records) + 1,
            present_status=0 if len(records) == wanted else 2,
            records=tuple(records),
        )

    def _present(self, request: PresentRequest) -> PresentResponse:
        hits = self.result_sets.get(request.result_set)
        try:
            if hits is None:
                raise diagnostic(30, request.result_set)
            if request.start < 1 or request.start > len(hits):
                raise diagnostic(13, str(request.start))
            records = self._records(
                hits,
                request.start,
                request.count,
                request.preferred_record_syntax,
                request.element_set,
            )
        except DiagnosticError as exc:
            return PresentResponse(
                records_returned=0,
                next_position=request.start,
                present_status=5,
                diagnostics=(_diagnostic(exc),),
            )
        return PresentResponse(
            records_returned=len(records),
            next_position=request.start + len(records),
            present_status=0 if len(records) == request.count else 2,
            records=tuple(records),
        )

    def _records(
        self,
        hits: list[Hit],
        start: int,
        count: int,
        syntax: str | None,
        element_set: str | None,
    ) -> list[Record]:
        """Records start..start+count-1 within the negotiated message size (at least one)."""
        if syntax is not None and syntax not in self.catalogue.syntaxes:
            raise diagnostic(239, syntax)
        esn = (element_set or "F").upper()
        if esn not in ("F", "B"):
            raise diagnostic(25, element_set or "")
        out: list[Record] = []
        size = 0
        for hit in hits[start - 1 : start - 1 + count]:
            record = self.catalogue.record(hit)
            oid = syntax or next(iter(record.formats))
            # brief where the record has a brief form in that syntax, else the full record
            data = (record.brief.get(oid) if esn == "B" else None) or record.formats.get(oid)
            if data is None:
                out.append(
                    SurrogateDiagnostic(Diagnostic(238, oid, BIB1_DIAG), database=hit.database)
                )
                continue
            size += len(data) + 64
            if out and size > self.message_size:
                break  # the rest in the next Present (presentStatus partial-2)
            out.append(
                RetrievalRecord(oid, data, database=hit.database, single_asn1=oid in _SINGLE_ASN1)
            )
        return out

    def _scan(self, request: ScanRequest) -> ScanResponse:
        try:
            entries, position = self.catalogue.scan(
                request.term, request.databases, request.count, request.preferred_position
            )
        except DiagnosticError as exc:
            return ScanResponse(status=6, diagnostics=(_diagnostic(exc),))
        status = 0 if len(entries) == request.count else 3  # partial-3: list ran out
        return ScanResponse(status=status, entries=tuple(entries), position_of_term=position)

    def _sort(self, request: SortRequest) -> SortResponse:
        try:
            hits: list[Hit] = []
            for name in request.inputs:
                if name not in self.result_sets:
                    raise diagnostic(30, name)
                hits.extend(self.result_sets[name])
            ordered = self.catalogue.sort(hits, request.keys)
        except DiagnosticError as exc:
            return SortResponse(status=2, result_set_status=3, diagnostics=(_diagnostic(exc),))
        self.result_sets[request.output] = ordered
        return SortResponse(status=0, result_count=len(ordered))

    def _delete(self, request: DeleteResultSetRequest) -> DeleteResultSetResponse:
        if request.all:
            self.result_sets.clear()
            return DeleteResultSetResponse(status=0)
        statuses = []
        for name in request.names:
            statuses.append((name, 0 if self.result_sets.pop(name, None) is not None else 1))
        worst = max((s for _, s in statuses), default=0)
        return DeleteResultSetResponse(status=worst, statuses=tuple(statuses))


_KINDS: dict[type, str] = {
    InitRequest: "init",
    SearchRequest: "search",
    PresentRequest: "present",
    ScanRequest: "scan",
    SortRequest: "sort",
    DeleteResultSetRequest: "delete",
    ResourceReportRequest: "report",
}
assert TriggerResourceControlRequest not in _KINDS  # a cancel needs no answer


def _credentials(request: InitRequest) -> tuple[str | None, str | None]:
    auth = request.authentication
    if isinstance(auth, IdPass):
        return auth.user, auth.password
    if isinstance(auth, Open):
        user, _, password = auth.text.partition("/")
        return user, password
    return None, None


def _user(request: InitRequest) -> str:
    return _credentials(request)[0] or ""


def _diagnostic(exc: DiagnosticError) -> Diagnostic:
    return Diagnostic(exc.code, exc.addinfo or "", exc.diagnostic_set or BIB1_DIAG)


class Server:
    """A running target. ``port`` is the one the system chose when 0 was asked for."""

    def __init__(self, catalogue: Catalogue, host: str, port: int, behaviour: Behaviour) -> None:
        self.catalogue = catalogue
        self.behaviour = behaviour
        self.host = host
        self.port = port
        self.sessions = 0  # associations accepted so far
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def target(self, database: str) -> str:
        return f"{self.host}:{self.port}/{database}"

    async def start(self) -> Server:
        self._server = await asyncio.start_server(
            self._session, self.host, self.port, limit=1024 * 1024
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.sessions += 1
        try:
            await _Session(self, reader, writer).run()
        except asyncio.CancelledError:
            pass  # close() ends sessions; a cancelled handler task upsets Python 3.11's streams
        finally:
            self._tasks.discard(task)

    async def close(self) -> None:
        """Stop listening and end every session (their sockets close)."""
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> Server:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


def serve(
    catalogue: Catalogue,
    host: str = "127.0.0.1",
    port: int = 0,
    behaviour: Behaviour | None = None,
) -> Server:
    """A target for ``async with serve(...) as server`` (or ``await serve(...).start()``)."""
    return Server(catalogue, host, port, behaviour or Behaviour())
