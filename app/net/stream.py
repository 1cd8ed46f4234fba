"""The socket end of an association: bytes to and from the protocol core, and the opening
of one (TCP connect, Init, the Init's answer) before an ``Association`` takes it over.

``Stream`` is a small ``asyncio.Protocol`` that hands every chunk straight to the core's
buffer (no line-oriented StreamReader limits, no copies) and wakes whoever waits for bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import socket

from app.net.errors import ConnectFailed, InitRefused, OperationTimeout, TargetClosed
from app.z3950 import Connection, Role
from app.z3950.errors import RemoteProtocolError
from app.z3950.events import (
    Authentication,
    CharsetProposal,
    Close,
    ConnectionClosed,
    InitRequest,
    InitResponse,
    _NeedData,
)

__all__ = ["Stream", "open_stream"]


class Stream(asyncio.Protocol):
    """The socket end: feeds bytes to the core and wakes whoever waits for them."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.transport: asyncio.Transport | None = None
        self.eof = False
        self.error: BaseException | None = None  # the core refused our bytes (after ERROR)
        self._waiter: asyncio.Future[None] | None = None
        self.lost: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self.error is None:
            try:
                self.conn.receive_data(data)
            except Exception as exc:  # the core is in ERROR/CLOSED: keep why, stop reading
                self.error = exc
        self.wake()

    def eof_received(self) -> bool:
        self._end_of_stream()
        return False  # let the transport close itself

    def connection_lost(self, exc: Exception | None) -> None:
        self._end_of_stream()
        if not self.lost.done():
            self.lost.set_result(None)

    def _end_of_stream(self) -> None:
        if not self.eof:
            self.eof = True
            if self.error is None:
                with contextlib.suppress(Exception):
                    self.conn.receive_data(b"")
        self.wake()

    def wake(self) -> None:
        """Let whoever waits in ``readable`` go on (more bytes, the end, or an abort)."""
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def readable(self) -> None:
        """Wait until more bytes (or the end of the stream) have arrived."""
        if self.eof:
            return
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None


async def open_stream(
    host: str,
    port: int,
    *,
    auth: Authentication | None,
    charset: str | None,
    encoding: str,
    timeout: float,
    version: int,
    options: frozenset[str],
    message_size: int,
) -> tuple[Stream, InitResponse]:
    """TCP connect, send the Init, read its answer: the stream and the accepted response.

    ConnectFailed, OperationTimeout, TargetClosed or InitRefused (the socket closed) when it
    does not come to that.
    """
    loop = asyncio.get_running_loop()
    target = f"{host}:{port}"
    # room above the negotiated size for the APDU's own envelope around a maximal record
    conn = Connection(Role.ORIGIN, max_apdu_size=message_size + 64 * 1024, encoding=encoding)
    stream: Stream | None = None
    try:
        async with asyncio.timeout(timeout):
            try:
                _, protocol = await loop.create_connection(lambda: Stream(conn), host, port)
            except socket.gaierror as exc:
                raise ConnectFailed(
                    f"cannot find the catalogue's host {host!r}", target=target, detail=str(exc)
                ) from exc
            except OSError as exc:
                reason = os.strerror(exc.errno) if exc.errno else str(exc)
                if exc.errno == errno.ECONNREFUSED:
                    reason = "connection refused (nothing answers on that port)"
                raise ConnectFailed(
                    f"cannot connect to {target}: {reason[:1].lower()}{reason[1:]}",
                    target=target,
                    detail=repr(exc),
                ) from exc
            stream = protocol
            if not charset:  # no proposal: do not claim the negotiation model either
                options = options - {"negotiationModel"}
            request = InitRequest(
                version=version,
                options=options,
                preferred_message_size=message_size,
                exceptional_record_size=message_size,
                authentication=auth,
                charset=CharsetProposal((charset,)) if charset else None,
            )
            assert stream.transport is not None
            stream.transport.write(conn.send(request))
            response = await _first_answer(stream, target)
    except TimeoutError:
        if stream is not None and stream.transport is not None:
            stream.transport.abort()
        raise OperationTimeout("connection and login", timeout, target=target) from None
    except BaseException:
        if stream is not None and stream.transport is not None:
            stream.transport.abort()
        raise
    if not response.accepted:
        assert stream.transport is not None
        stream.transport.close()
        raise InitRefused(response, target=target)
    # the core switched ``conn.encoding`` to the agreed character set, when Python has it
    return stream, response


async def _first_answer(stream: Stream, target: str) -> InitResponse:
    """Read the Init response (no association exists to read it yet)."""
    while True:
        if stream.error is not None:
            raise stream.error
        event = stream.conn.next_event()
        if isinstance(event, _NeedData):
            await stream.readable()
            continue
        if isinstance(event, InitResponse):
            return event
        if isinstance(event, Close):
            raise TargetClosed(event.reason, event.diagnostic_information, target=target)
        if isinstance(event, ConnectionClosed):
            raise TargetClosed(None, "before answering the login", target=target)
        raise RemoteProtocolError(
            "the catalogue did not answer the login",
            detail=f"{target} answered the Init with {type(event).__name__}",
        )
