"""A TCP relay on a free loopback port that keeps every byte each way, in arrival order.

What real peers send is captured through it: the golden vectors (``tests/vectors/capture.py``)
and the records fixtures (``tests/records/capture.py``). Clients are served one at a time
until the ``with`` block ends.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

from app.z3950.framing import Framer

TO_TARGET = ">"
TO_ORIGIN = "<"


@dataclass
class Relay:
    """Where the relay listens, and the chunks it passed on: (direction, bytes)."""

    upstream: tuple[str, int]
    port: int = 0
    chunks: list[tuple[str, bytes]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def keep(self, direction: str, chunk: bytes) -> None:
        with self._lock:
            self.chunks.append((direction, chunk))

    @property
    def server_bytes(self) -> bytes:
        """Every byte the target sent, as one stream."""
        with self._lock:
            return b"".join(chunk for direction, chunk in self.chunks if direction == TO_ORIGIN)

    def apdus(self) -> list[tuple[str, bytes]]:
        """(direction, APDU) in the order each APDU was complete, cut by Polycat's framer."""
        framers = {TO_TARGET: Framer(), TO_ORIGIN: Framer()}
        found: list[tuple[str, bytes]] = []
        with self._lock:
            chunks = list(self.chunks)
        for direction, chunk in chunks:
            framer = framers[direction]
            framer.feed(chunk)
            while (apdu := framer.next_apdu()) is not None:
                found.append((direction, apdu))
        return found


@contextmanager
def relay(host: str, port: int) -> Iterator[Relay]:
    """Listen on 127.0.0.1:free and forward each client in turn to ``host:port``."""
    state = Relay((host, port))
    listener = socket.create_server(("127.0.0.1", 0))
    state.port = listener.getsockname()[1]
    listener.settimeout(0.2)  # so that the loop notices the end of the block
    stop = threading.Event()

    def pump(source: socket.socket, sink: socket.socket, direction: str) -> None:
        try:
            while chunk := source.recv(65536):
                state.keep(direction, chunk)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            with suppress(OSError):  # half-close: the other direction may still be talking
                sink.shutdown(socket.SHUT_WR)

    def serve() -> None:
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            server = socket.create_connection(state.upstream, timeout=10)
            server.settimeout(None)
            client.settimeout(None)
            pumps = [
                threading.Thread(target=pump, args=(client, server, TO_TARGET), daemon=True),
                threading.Thread(target=pump, args=(server, client, TO_ORIGIN), daemon=True),
            ]
            for thread in pumps:
                thread.start()
            for thread in pumps:
                thread.join()
            client.close()
            server.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        thread.join(timeout=10)
        listener.close()
