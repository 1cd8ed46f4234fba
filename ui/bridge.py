"""The one place the engine and Qt meet: search runs in, signals out.

Everything runs on the window's qasync loop, in small pieces: the run reads records a slice
at a time, with a pause between two slices (ui.engine); the bridge merges in slices and hands
the table what changed at most every ``FLUSH_MS``, in small chunks until ``FLUSH_BUDGET`` is
spent (the rest on the next turn), so the loop never waits long and the table is not
repainted more often than a reader can follow. (A worker thread was tried and measured worse:
the table's model is Python, so every painted cell needs the GIL, and a thread busy reading
records makes each of those calls wait for the interpreter's switch interval.)

One task slot per kind of work (search, more, scan, batch, connection test): a new search
cancels the old one, Stop cancels at once, and clean-up runs in ``except CancelledError``.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from itertools import islice
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.search.events import (
    RecordsArrived,
    RunFinished,
    SearchEvent,
    TargetDone,
    TargetFailed,
)
from app.search.merge import MergeChange, Merger
from app.search.sessions import Sessions

# Records merged before the loop gets a turn: with their facets and relevance worked out,
# 0.2-0.3 ms a record today (mostly app.search.merge's fields, worked out when first read).
MERGE_SLICE = 10
# How often the table hears about new and changed entries: each time it is repainted (7-15 ms
# for a full window), so ten times a second, not once per slice of records.
FLUSH_MS = 100
# The table's share of one turn of the event loop (seconds): after it, the rest waits a turn.
FLUSH_BUDGET = 0.008
# Entries handed over in one signal; the budget is looked at between two of them.
FLUSH_CHUNK = 10
# The wait before the rest of a batch: long enough for input and a repaint to come first.
FLUSH_REST_MS = 5


class TaskSlot:
    """Holds the one running task of a kind; starting a new one cancels the old."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.task: asyncio.Task[Any] | None = None

    def start(self, coro: Awaitable[Any]) -> asyncio.Task[Any]:
        self.cancel()
        self.task = asyncio.ensure_future(coro)
        return self.task

    def cancel(self) -> bool:
        task, self.task = self.task, None
        if task is not None and not task.done():
            task.cancel()
            return True
        return False

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()


class QuietCollector:
    """Python's full (generation-2) garbage collection walks every object: with thousands of
    records alive that is 70-120 ms at once, the longest stall a search had. While a run
    streams in, only the cheap young generations are collected; when it is over, what
    survived is frozen (moved out of the collector's sight), so later full collections stay
    short. Reference counting still frees everything that is not in a cycle."""

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] | None = None

    def hold(self) -> None:
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.unfreeze()
            young, middle, _ = self._saved
            gc.set_threshold(young, middle, 1_000_000)

    def release(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
            gc.freeze()


class SearchBridge(QObject):
    """Runs searches for the window and reports progress as Qt signals."""

    runStarted = Signal(list)  # target ids
    targetEvent = Signal(object)  # a SearchEvent for the catalogues panel
    # what each slice of records did to the merged list, at once (list of MergeChange): what
    # is worked out per entry (facet counts, relevance) is done here, a slice at a time
    merged = Signal(list)
    entriesChanged = Signal(list, list, list)  # added entries, changed entries, removed ids
    runFinished = Signal(object)  # RunFinished
    failed = Signal(str, str)  # message for the user, detail for the details pane

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.merger = Merger()
        self.search_slot = TaskSlot("search")
        self.more_slot = TaskSlot("more")
        self.run: Any = None  # the SearchRun of the current search, for ``more``
        self.started_at = 0.0
        self.last_finished: RunFinished | None = None
        # each search's number: a replaced run's late clean-up must not speak for the new one
        self.generation = 0
        self.collector = QuietCollector()
        # associations kept between searches (a second search to a catalogue skips the
        # connect and Init); created on first use, inside the running event loop
        self.sessions: Sessions | None = None
        self._closing: set[asyncio.Task[Any]] = set()
        self._added: dict[int, Any] = {}
        self._changed: dict[int, Any] = {}
        self._removed: set[int] = set()
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)
        self._flush_timer.timeout.connect(self.flush)

    # --- searching ---

    def search(
        self, query: Any, profiles: Sequence[Any], *, make_run: Callable[..., Any], **options: Any
    ) -> asyncio.Task[Any]:
        """Start a search (cancelling any running one); ``make_run`` builds the SearchRun."""
        old, running = self.run, self.search_slot.running or self.more_slot.running
        self.more_slot.cancel()
        self.search_slot.cancel()
        if old is not None:
            if running:
                self._cancel_run(old)
            else:
                self._later(old.close())  # its healthy associations go back to the sessions
        self.reset()
        self.collector.hold()
        self.generation += 1
        if self.sessions is None:
            self.sessions = Sessions()
        self.run = make_run(query, list(profiles), sessions=self.sessions, **options)
        ids = [p.id for p in profiles]
        self.runStarted.emit(ids)
        return self.search_slot.start(self.consume(aiter(self.run)))

    def stop(self) -> bool:
        """Stop the search now; True when something was running."""
        stopped = self.search_slot.cancel() | self.more_slot.cancel()
        if stopped and self.run is not None:
            # a finished run keeps its associations for "More results"; a running one stops
            self._cancel_run(self.run)
        return stopped

    def more(self, target: str, count: int) -> asyncio.Task[Any] | None:
        """Fetch ``count`` more records from one catalogue of the current run."""
        if self.run is None:
            return None
        return self.more_slot.start(self.consume(self.run.more(target, count), final=False))

    def more_everywhere(self, count: int, statuses: dict[str, Any]) -> asyncio.Task[Any] | None:
        """Fetch the next page from every catalogue that has more than it sent."""
        if self.run is None:
            return None
        wanting = [
            t
            for t, s in statuses.items()
            if s.state == "done" and s.hits is not None and s.fetched < s.hits
        ]
        if not wanting:
            return None

        async def each() -> None:
            streams = [self.run.more(t, count) for t in wanting]
            await asyncio.gather(*(self.consume(s, final=False) for s in streams))

        return self.more_slot.start(each())

    def reset(self) -> None:
        """Forget the merged list (a new search)."""
        self._flush_timer.stop()
        self._added.clear()
        self._changed.clear()
        self._removed.clear()
        self.merger = Merger()
        self.started_at = time.monotonic()
        self.last_finished = None

    async def consume(self, events: AsyncIterator[SearchEvent], *, final: bool = True) -> None:
        """Read a run's events: statuses at once, records merged in slices, table batched."""
        answered = failed = 0
        generation = self.generation
        try:
            async for event in events:
                if isinstance(event, RecordsArrived):
                    await self.merge(event.records)
                elif isinstance(event, TargetDone):
                    answered += 1
                elif isinstance(event, TargetFailed):
                    failed += 1
                if isinstance(event, RunFinished):
                    await self.drain()
                    self.last_finished = event
                    self.collector.release()
                    self.runFinished.emit(event)
                    continue
                self.targetEvent.emit(event)
        except asyncio.CancelledError:
            if generation != self.generation:
                raise  # replaced by a newer search, which tells its own story
            # Stop: show what arrived, then say the run was cancelled
            self.flush()
            if final:
                finished = RunFinished(
                    answered, failed, time.monotonic() - self.started_at, cancelled=True
                )
                self.last_finished = finished
                self.collector.release()
                self.runFinished.emit(finished)
            raise
        except Exception as exc:  # the engine failed as a whole: say so, keep the window
            self.flush()
            detail = f"{type(exc).__name__}: {exc}"
            message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            self.failed.emit(str(message), str(getattr(exc, "detail", "") or detail))
            if final:
                finished = RunFinished(answered, failed, time.monotonic() - self.started_at)
                self.last_finished = finished
                self.collector.release()
                self.runFinished.emit(finished)
        else:
            await self.drain()

    async def drain(self) -> None:
        """Hand the table everything still waiting, a batch per turn of the event loop."""
        self.flush()
        while self._added or self._changed:
            await asyncio.sleep(0.005)
            self.flush()

    async def merge(self, records: Sequence[Any]) -> None:
        """Merge records a slice at a time, the loop's turn after each: the run's events wait
        in a queue, so without it every page already read would be merged in one go."""
        for start in range(0, len(records), MERGE_SLICE):
            changes = [self.merger.add(record) for record in records[start : start + MERGE_SLICE]]
            for change in changes:
                self._note(change)
            self.merged.emit(changes)
            if not self._flush_timer.isActive():
                self._flush_timer.start(FLUSH_MS)
            await asyncio.sleep(0)

    def _note(self, change: MergeChange) -> None:
        entry = self.merger.get(change.entry_id)
        if change.kind == "created":
            self._added[change.entry_id] = entry
        elif change.entry_id not in self._added:
            self._changed[change.entry_id] = entry
        for gone in change.absorbed:
            if self._added.pop(gone, None) is None:
                self._removed.add(gone)
            self._changed.pop(gone, None)

    def flush(self) -> None:
        """Tell the table what changed since the last flush, chunk by chunk until the turn's
        budget is spent; what is left follows on the next turn of the event loop."""
        self._flush_timer.stop()
        deadline = time.perf_counter() + FLUSH_BUDGET
        while self._added or self._changed or self._removed:
            added = [self._added.pop(i) for i in list(islice(self._added, FLUSH_CHUNK))]
            changed = [self._changed.pop(i) for i in list(islice(self._changed, FLUSH_CHUNK))]
            removed = sorted(self._removed)
            self._removed.clear()
            self.entriesChanged.emit(added, changed, removed)
            if time.perf_counter() >= deadline:
                break
        if self._added or self._changed:
            self._flush_timer.start(FLUSH_REST_MS)

    def _cancel_run(self, run: Any) -> None:
        """Tell a run to stop at once (its associations close; no task is left behind)."""
        run.cancel()

    def _later(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    def shutdown(self) -> None:
        """The window closes: stop searching, close every association (Close, then socket)."""
        self.stop()
        self.collector.release()
        run, self.run = self.run, None
        sessions, self.sessions = self.sessions, None

        async def close_all() -> None:
            # the run first: it hands its associations back, then the sessions close them all
            if run is not None:
                await run.close()
            if sessions is not None:
                await sessions.close()

        if run is not None or sessions is not None:
            self._later(close_all())

    async def aclose(self) -> None:
        """``shutdown`` and wait until the associations are closed."""
        self.shutdown()
        while self._closing:
            await asyncio.gather(*list(self._closing), return_exceptions=True)
