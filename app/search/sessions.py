"""Associations to catalogues, opened as their profiles say and kept for the next search.

Opening an association costs a TCP connect and an Init (a login at OCLC): a researcher who
searches the same catalogues again should not pay that twice. ``Sessions`` keeps one idle
association per catalogue and hands it out again while it is still open; a catalogue that
closed it in the meantime (idle timeout) simply gets a fresh one.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable

from app.net import Association, connect
from app.targets import TargetProfile, authentication

# An idle association older than this is closed rather than reused: many catalogues drop
# idle sessions after a few minutes, and a stale one costs a failed round trip to find out.
IDLE_SECONDS = 120.0

Opener = Callable[[TargetProfile, "str | None"], Awaitable[Association]]


async def open_association(profile: TargetProfile, password: str | None = None) -> Association:
    """Connect and log in to one catalogue as its profile says.

    Raises ``LoginNeeded`` (before any connection) when the profile needs a password we lack,
    ``ConnectFailed``, ``InitRefused`` or ``OperationTimeout`` otherwise.
    """
    auth = authentication(profile, password=password)  # never sent when auth = "none"
    return await connect(
        profile.host,
        profile.port,
        auth=auth,
        # propose UTF-8 only where the profile says the target negotiates
        charset="UTF-8" if profile.negotiate else None,
        encoding=_python_codec(profile.query_charset),
        timeout=profile.timeouts.connect + profile.timeouts.init,
    )


def _python_codec(charset: str) -> str:
    # terms are sent in the profile's query charset; MARC-8 has no Python codec and
    # MARC-8 catalogues take ASCII search terms, so UTF-8 is the honest fallback
    return "utf-8" if charset.lower() in ("marc-8", "marc8", "") else charset


class Sessions:
    """One idle association per catalogue, reused by the next search to the same catalogue."""

    def __init__(self, opener: Opener = open_association, idle: float = IDLE_SECONDS) -> None:
        self._open = opener
        self._idle_limit = idle
        self._idle: dict[str, tuple[Association, float, str | None]] = {}
        self._closing: set[asyncio.Task[None]] = set()

    async def acquire(self, profile: TargetProfile, password: str | None = None) -> Association:
        """An open association to ``profile``'s catalogue, reused when one is idle."""
        kept = self._idle.pop(profile.id, None)
        if kept is not None:
            assoc, since, used_password = kept
            fresh = time.monotonic() - since < self._idle_limit
            if fresh and not assoc.closed and used_password == password:
                return assoc
            self._close_later(assoc)
        return await self._open(profile, password)

    def release(
        self, profile: TargetProfile, assoc: Association, password: str | None = None
    ) -> None:
        """Give an association back after a search that ended well; it may be reused.

        ``password`` is the one it was opened with: a changed login is never ignored.
        """
        if assoc.closed:
            return
        previous = self._idle.pop(profile.id, None)
        if previous is not None and previous[0] is not assoc:
            self._close_later(previous[0])
        self._idle[profile.id] = (assoc, time.monotonic(), password)

    def discard(self, assoc: Association) -> None:
        """An association that must not be reused (failed, cancelled): close it."""
        self._close_later(assoc)

    @property
    def idle(self) -> int:
        return len(self._idle)

    async def close(self) -> None:
        """Close every idle association politely (Close, then the socket)."""
        idle, self._idle = self._idle, {}
        for assoc, _, _ in idle.values():
            await _close_quietly(assoc)
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)

    def _close_later(self, assoc: Association) -> None:
        task = asyncio.ensure_future(_close_quietly(assoc))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)


async def _close_quietly(assoc: Association, seconds: float = 2.0) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(assoc.close(), seconds)
