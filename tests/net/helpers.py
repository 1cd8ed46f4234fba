"""Helpers shared by the association tests: run a coroutine, count what is left open."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


def run(coro: Awaitable[T]) -> T:
    """Run one test's coroutine on a fresh event loop (pytest-asyncio is not a dependency)."""

    async def main() -> T:
        return await coro

    return asyncio.run(main())


def open_sockets() -> set[str]:
    """Inodes of every socket this process holds open (``socket:[1234]`` in /proc/self/fd)."""
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            link = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:"):
            found.add(link)
    return found


async def settle() -> None:
    """Let callbacks scheduled by a close (connection_lost...) run."""
    for _ in range(5):
        await asyncio.sleep(0)


def other_tasks() -> set[asyncio.Task[object]]:
    """Tasks still alive besides the one asking."""
    return {t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()}
