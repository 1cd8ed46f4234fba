"""A latency proxy: TCP relays on 127.0.0.1 that make a local target look far away.

Each relay listens on its own port and forwards to one real target, holding every chunk for
``delay`` seconds in each direction (0.1 s each way = 200 ms per round trip), in order. One
process runs many relays, so 20 or 60 ports can stand for 20 or 60 distinct catalogues::

    .venv/bin/python bench/proxy.py --target 127.0.0.1:9999 --count 20 --delay 0.1
    # prints one JSON line {"ports": [...], "targets": [...]} and relays until stdin closes

What it models: the propagation delay of a long path, per message. What it leaves out: the
TCP handshake (a connect through the proxy is immediate, the upstream connect is local),
bandwidth and loss. Both clients a benchmark compares pay the same delays.

Each relay also counts round trips per connection: a "turn" starts whenever the client
sends after having heard from the target (or first). A strict request/response protocol such
as Z39.50 has one turn per request, whatever TCP does to the bytes. Send ``stats`` on stdin to
get ``{"turns": [...], "open": n}``: the turns of the connections closed so far and how many
are still open; ``reset`` forgets the closed ones.

The benchmarks run it in a process of its own (:func:`proxies`), so that the client under
test and the relays do not share an event loop: a busy client would otherwise delay its own
answers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
CHUNK = 256 * 1024


@dataclass
class Relay:
    """One listening port in front of one target."""

    target: tuple[str, int]
    delay: float
    turns: list[int] = field(default_factory=list)  # per closed connection
    open: int = 0  # connections relayed now
    server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        assert self.server is not None
        port: int = self.server.sockets[0].getsockname()[1]
        return port

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._connection, HOST, 0)

    async def _connection(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        try:
            target_reader, target_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.close()
            return
        last = [""]  # the direction the latest bytes went: "up" (to the target) or "down"
        turns = [0]
        self.open += 1

        def heard(direction: str) -> None:
            if direction == "up" and last[0] != "up":
                turns[0] += 1
            last[0] = direction

        try:
            await asyncio.gather(
                self._pump(client_reader, target_writer, lambda: heard("up")),
                self._pump(target_reader, client_writer, lambda: heard("down")),
            )
        except asyncio.CancelledError:
            pass  # the proxy is shutting down: nothing to report for this connection
        finally:
            self.open -= 1
            self.turns.append(turns[0])
            for writer in (client_writer, target_writer):
                writer.close()

    async def _pump(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        seen: Callable[[], None],
    ) -> None:
        """Forward one direction, each chunk ``delay`` seconds after it arrived."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    with contextlib.suppress(OSError):
                        writer.close()  # the other side hung up: so do we, as late
                    return
                writer.write(data)
                with contextlib.suppress(OSError):
                    await writer.drain()

        sender = asyncio.ensure_future(deliver())
        try:
            while True:
                try:
                    data = await reader.read(CHUNK)
                except OSError:
                    data = b""
                if data:
                    seen()
                queue.put_nowait((loop.time() + self.delay, data))
                if not data:
                    break
            await sender
        finally:
            sender.cancel()


async def start_relays(
    targets: Sequence[tuple[str, int]], count: int, delay: float
) -> list[Relay]:
    """``count`` relays, spread over ``targets`` in turn, each adding ``delay`` each way."""
    relays = [Relay(targets[n % len(targets)], delay) for n in range(count)]
    for relay in relays:
        await relay.start()
    return relays


async def _serve(targets: Sequence[tuple[str, int]], count: int, delay: float) -> None:
    relays = await start_relays(targets, count, delay)
    print(json.dumps({
        "ports": [r.port for r in relays],
        "targets": [f"{r.target[0]}:{r.target[1]}" for r in relays],
    }), flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():  # stdin closed: the benchmark is over
        command = line.decode().strip()
        if command == "stats":
            print(json.dumps({"turns": [t for r in relays for t in r.turns],
                              "open": sum(r.open for r in relays)}), flush=True)
        elif command == "reset":
            for relay in relays:
                relay.turns.clear()


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host or HOST, int(port)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", action="append", required=True, type=_address,
                        help="HOST:PORT of a real target (repeat: relays take them in turn)")
    parser.add_argument("--count", type=int, default=1, help="relays to start (one port each)")
    parser.add_argument("--delay", type=float, default=0.1,
                        help="seconds added in each direction (default 0.1 = 200 ms a round trip)")
    args = parser.parse_args(argv)
    asyncio.run(_serve(args.target, args.count, args.delay))
    return 0


# --- for the benchmarks: the relays in a process of their own ---------------------------------


@dataclass
class Proxies:
    """A running proxy process: ``ports[i]`` relays to ``targets[i]``."""

    ports: list[int]
    targets: list[str]
    process: subprocess.Popen[str]

    def turns(self, wait: float = 5.0) -> list[int]:
        """Round trips of every connection closed since the last ``reset()``, once none is
        open any more (a hang-up takes the delay to pass), or after ``wait`` seconds."""
        assert self.process.stdin is not None and self.process.stdout is not None
        deadline = time.monotonic() + wait
        while True:
            self.process.stdin.write("stats\n")
            self.process.stdin.flush()
            stats = json.loads(self.process.stdout.readline())
            if not stats["open"] or time.monotonic() > deadline:
                turns: list[int] = stats["turns"]
                return turns
            time.sleep(0.05)

    def reset(self) -> None:
        """Forget the connections closed so far (after waiting for the open ones to end)."""
        assert self.process.stdin is not None
        self.turns()
        self.process.stdin.write("reset\n")
        self.process.stdin.flush()


@contextlib.contextmanager
def proxies(targets: Sequence[str], count: int, delay: float) -> Iterator[Proxies]:
    """Start ``count`` relays over ``targets`` ("host:port") in a child process."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--count", str(count),
            "--delay", str(delay)]
    for target in targets:
        argv += ["--target", target]
    process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise SystemExit(f"the latency proxy did not start: {' '.join(argv)}")
        started = json.loads(line)
        yield Proxies(started["ports"], started["targets"], process)
    finally:
        if process.stdin is not None:
            process.stdin.close()  # the relays end when their stdin does
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    sys.exit(main())
