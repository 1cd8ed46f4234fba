"""Does the window stay responsive while 20 catalogues stream 5,000 records into it?

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_ui.py [--quick] [--runs N] [--explain]

Twenty in-process Z39.50 targets (app.net.serve) on 127.0.0.1 each hold 250 MARC records
(5,000 in all; about a third of the books are held by several targets, so the merge has real
work). The real main window (offscreen) searches all twenty and fetches every record. A QTimer
heartbeat every 5 ms notes the gaps between its ticks: the longest gap is the longest time the
event loop was blocked. The same heartbeat over the idle window gives the reference in this
run. Aim: no stall over 50 ms.

``--runs N`` searches N times, each in a fresh process (the machine is shared: one run proves
little), and prints the median and the worst of each figure. ``--explain`` times every Qt event
and every asyncio callback of the run (and a few known costly calls inside them) and prints
what filled the longest stalls, then where the loop's time went; the timing itself slows the
run a little, so its stall figures are not the ones to quote.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pymarc
import qasync
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from app.net import Catalogue, CatalogueRecord, serve
from app.records import read_record
from app.targets import TargetProfile
from app.z3950.oids import USMARC

WORDS = (
    "history",
    "science",
    "letters",
    "voyages",
    "theory",
    "practice",
    "essays",
    "studies",
    "origins",
    "principles",
    "memoirs",
    "atlas",
    "survey",
    "notes",
)


def isbn13(n: int) -> str:
    stem = f"978{n:09d}"
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(stem))
    return stem + str((10 - total % 10) % 10)


def marc(work: int, target: int) -> bytes:
    rec = pymarc.Record(force_utf8=True)
    rec.leader = pymarc.Leader("00000nam a2200000 i 4500")
    rec.add_field(pymarc.Field("001", data=f"t{target:02d}w{work:05d}"))
    rec.add_field(
        pymarc.Field(
            "020", pymarc.Indicators(" ", " "), [pymarc.Subfield("a", isbn13(100000 + work))]
        )
    )
    rec.add_field(
        pymarc.Field(
            "100", pymarc.Indicators("1", " "), [pymarc.Subfield("a", f"Author{work % 700}, Alex")]
        )
    )
    title = f"{WORDS[work % len(WORDS)]} of {WORDS[(work // 7) % len(WORDS)]} {work}"
    rec.add_field(
        pymarc.Field("245", pymarc.Indicators("1", "0"), [pymarc.Subfield("a", title.capitalize())])
    )
    rec.add_field(
        pymarc.Field(
            "264",
            pymarc.Indicators(" ", "1"),
            [
                pymarc.Subfield("a", "London :"),
                pymarc.Subfield("b", f"Press {work % 40},"),
                pymarc.Subfield("c", str(1900 + work % 120)),
            ],
        )
    )
    rec.add_field(
        pymarc.Field("650", pymarc.Indicators(" ", "0"), [pymarc.Subfield("a", "Benchmarks")])
    )
    return rec.as_marc()


def catalogues(targets: int, per_target: int) -> list[Catalogue]:
    """Each target holds ``per_target`` works; neighbours share a third of theirs."""
    out = []
    for t in range(targets):
        first = t * (per_target * 2 // 3)
        works = range(first, first + per_target)
        records = []
        for w in works:
            data = marc(w, t)
            records.append(CatalogueRecord.from_bib(read_record(USMARC, data), {USMARC: data}))
        out.append(Catalogue({"books": records}))
    return out


class TargetsProcess:
    """The targets in a child process, as remote catalogues would be: their work (building
    answers) must not be counted as the window's stalls, nor compete for its GIL."""

    def __init__(self, targets: int, per_target: int) -> None:
        self.args = [sys.executable, __file__, "--serve", str(targets), str(per_target)]
        self.child: subprocess.Popen[str] | None = None

    def __enter__(self) -> list[int]:
        self.child = subprocess.Popen(
            self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.child.stdout is not None
        line = self.child.stdout.readline()
        if not line:
            raise RuntimeError("the target process did not start")
        return [int(p) for p in json.loads(line)]

    def __exit__(self, *exc: object) -> None:
        assert self.child is not None and self.child.stdin is not None
        self.child.stdin.close()  # the child ends when its standard input closes
        self.child.wait(10)


async def serve_until_stdin_closes(targets: int, per_target: int) -> None:
    cats = catalogues(targets, per_target)
    async with contextlib.AsyncExitStack() as stack:
        servers = [await stack.enter_async_context(serve(c)) for c in cats]
        print(json.dumps([s.port for s in servers]), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


class Heartbeat:
    """Ticks every 5 ms; remembers the gaps between ticks (and where the longest ones were)."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self.stalls: list[tuple[float, float]] = []  # (from, to) of gaps over 25 ms
        self._last = 0.0

    def start(self) -> None:
        self.gaps.clear()
        self.stalls.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        if now - self._last > 0.025:
            self.stalls.append((self._last, now))
        self._last = now

    def summary(self) -> tuple[float, float, float]:
        gaps = sorted(self.gaps) or [0.0]
        p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]
        return max(gaps) * 1000, p99 * 1000, statistics.median(gaps) * 1000


# Calls inside the loop's callbacks that are timed by --explain: (module, attribute path).
# A name that has moved is reported and skipped.
COSTLY = (
    ("app.z3950.connection", "Connection.next_event"),  # one whole APDU decoded
    ("app.search.run", "read_raw"),  # one record read into a BibRecord
    ("ui.bridge", "SearchBridge.flush"),  # table batches, time-boxed
    ("ui.main_window", "MainWindow._merged"),  # facets and relevance per merged slice
    ("ui.main_window", "MainWindow.refresh_facets"),
    ("ui.results_model", "ResultsModel.update"),
)


class Explainer:
    """Times what the event loop runs: each Qt event delivered, each asyncio callback (named
    by its task's coroutine), the calls in COSTLY and every garbage collection; then tells
    what filled each of the longest stalls."""

    TOP, INSIDE, COSTLY = 0, 1, 2  # a span's level: a turn of the loop, inside one, a call

    def __init__(self) -> None:
        self.spans: list[tuple[float, float, int, str]] = []  # (start, seconds, level, what)
        self.missing: list[str] = []
        self._gc_started = 0.0

    def install(self, app: TimedApplication) -> None:
        app.explainer = explainer = self
        handle_run = asyncio.events.Handle._run

        def timed_run(handle: asyncio.events.Handle) -> None:
            started = time.perf_counter()
            try:
                handle_run(handle)
            finally:
                explainer.note(started, self.INSIDE, explainer.callback_name(handle))

        setattr(asyncio.events.Handle, "_run", timed_run)  # noqa: B010  (a diagnostic patch)
        gc.callbacks.append(self._gc)
        for module, path in COSTLY:
            self._time_calls(module, path)

    def note(self, started: float, level: int, what: str) -> None:
        seconds = time.perf_counter() - started
        if seconds >= 0.0005 or level == self.COSTLY:  # the COSTLY calls all count
            self.spans.append((started, seconds, level, what))

    @staticmethod
    def callback_name(handle: asyncio.events.Handle) -> str:
        callback = getattr(handle, "_callback", None)
        owner = getattr(callback, "__self__", None)
        if isinstance(owner, asyncio.Task):
            coro = owner.get_coro()
            return "task " + getattr(coro, "__qualname__", type(coro).__name__)
        return "callback " + getattr(callback, "__qualname__", repr(callback))

    def _gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            what = f"garbage collection (generation {info['generation']})"
            self.note(self._gc_started, self.INSIDE, what)

    def _time_calls(self, module: str, path: str) -> None:
        try:
            owner: Any = importlib.import_module(module)
            *outer, name = path.split(".")
            for part in outer:
                owner = getattr(owner, part)
            original: Callable[..., Any] = getattr(owner, name)
        except (ImportError, AttributeError):
            self.missing.append(f"{module}.{path}")
            return
        explainer = self

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                explainer.note(started, self.COSTLY, path)

        setattr(owner, name, timed)

    def report(self, stalls: list[tuple[float, float]], since: float, until: float) -> None:
        for name in self.missing:
            print(f"(not timed: {name} is gone)")
        print("\nthe longest stalls, and what ran in them (ms from the stall's start, ms taken):")
        for low, high in sorted(stalls, key=lambda s: s[0] - s[1])[:8]:
            print(f"  {1000 * (high - low):.1f} ms, {low - since:.2f} s into the search")
            costly: dict[str, list[float]] = defaultdict(list)
            for started, seconds, level, what in self.spans:
                if started >= high or started + seconds <= low:
                    continue
                if level == self.COSTLY:
                    costly[what].append(seconds)
                elif seconds >= 0.001:
                    indent = "  " * level
                    print(
                        f"    +{1000 * (started - low):5.1f} {1000 * seconds:5.1f}  {indent}{what}"
                    )
            for what, times in costly.items():
                print(f"       {len(times):3d}x {1000 * sum(times):5.1f} ms in {what}")
        totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        for started, seconds, _level, what in self.spans:
            if since <= started <= until:
                totals[what][0] += 1
                totals[what][1] += seconds
        print(f"\nwhere the loop's time went during the search ({until - since:.2f} s):")
        for what, (count, seconds) in sorted(totals.items(), key=lambda t: -t[1][1])[:20]:
            print(f"  {1000 * seconds:8.1f} ms {int(count):6d}x  {what}")


class TimedApplication(QApplication):
    """The QApplication of an --explain run: every event delivered is timed (the events
    delivered inside another one, such as a paint inside an update request, are kept too)."""

    explainer: Explainer | None = None
    depth = 0

    def notify(self, receiver: QObject, event: QEvent) -> bool:
        started = time.perf_counter()
        TimedApplication.depth += 1
        try:
            return super().notify(receiver, event)
        finally:
            TimedApplication.depth -= 1
            if self.explainer is not None and not isinstance(receiver, qasync._SimpleTimer):
                # qasync's timer events are the asyncio callbacks, timed and named apart
                try:
                    name = type(receiver).__name__
                except RuntimeError:  # deleted while the event was delivered
                    name = "a deleted object"
                level = Explainer.TOP if TimedApplication.depth == 0 else Explainer.INSIDE
                self.explainer.note(started, level, f"Qt {event.type().name} for {name}")


async def main(
    targets: int, per_target: int, explainer: Explainer | None = None
) -> dict[str, float]:
    import tempfile

    from ui.app import build_window
    from ui.engine import WINDOW_PAGE_SIZE, default_engine
    from ui.options import Settings

    page_size = 50  # as a librarian might set it; the window asks for at most WINDOW_PAGE_SIZE
    print(
        f"{targets} targets × {per_target} records = {targets * per_target} records, "
        f"served by a child process on 127.0.0.1; profiles ask for pages of {page_size}, "
        f"the window for pages of {min(page_size, WINDOW_PAGE_SIZE)}"
    )
    beat = Heartbeat()
    with tempfile.TemporaryDirectory() as config:
        os.environ["POLYCAT_CONFIG_DIR"] = config
        with TargetsProcess(targets, per_target) as ports:
            profiles = [
                TargetProfile(
                    id=f"t{i:02d}",
                    name=f"Target {i:02d}",
                    host="127.0.0.1",
                    port=port,
                    databases=("books",),
                    page_size=page_size,
                    max_records=per_target,
                )
                for i, port in enumerate(ports)
            ]
            settings = Settings()
            settings.set("search/records_per_target", per_target)
            window = build_window(
                settings, default_engine(), profiles, checked={p.id for p in profiles}
            )
            window.resize(1280, 800)
            window.show()
            await asyncio.sleep(0.3)
            # reference: the idle window, same heartbeat, one second
            beat.start()
            await asyncio.sleep(1.0)
            beat.stop()
            idle_max, idle_p99, idle_median = beat.summary()
            # the search: every record of every target into the window
            window.search_bar.set_text("@attr 1=21 benchmarks")
            beat.start()
            started = time.perf_counter()
            window.search_bar.submit()
            while window.bridge.last_finished is None:
                await asyncio.sleep(0.01)
            took = time.perf_counter() - started
            await asyncio.sleep(0.4)  # the last coalesced table update and facet count
            beat.stop()
            busy_max, busy_p99, busy_median = beat.summary()
            fetched = sum(s.fetched for s in window.targets.statuses.values())
            slowest = max((s.elapsed or 0.0) for s in window.targets.statuses.values())
            rows = window.model.rowCount()
            window.close()
            await asyncio.sleep(0.1)
    print(
        f"search: {fetched} records from {targets} targets in {took:.2f} s "
        f"({fetched / took:,.0f} records/s); slowest target {slowest:.2f} s; "
        f"{rows} merged rows"
    )
    print(
        f"event-loop gaps while idle     : max {idle_max:6.1f} ms  p99 {idle_p99:5.1f} ms  "
        f"median {idle_median:4.1f} ms"
    )
    print(
        f"event-loop gaps while searching: max {busy_max:6.1f} ms  p99 {busy_p99:5.1f} ms  "
        f"median {busy_median:4.1f} ms"
    )
    verdict = "OK" if busy_max <= 50 else "OVER the 50 ms aim"
    print(f"longest stall {busy_max:.1f} ms against {idle_max:.1f} ms idle: {verdict}")
    if explainer is not None:
        explainer.report(beat.stalls, started, started + took)
    return {
        "max": busy_max,
        "p99": busy_p99,
        "median": busy_median,
        "idle max": idle_max,
        "seconds": took,
        "records/s": fetched / took,
        "rows": rows,
    }


def several(runs: int, quick: bool) -> None:
    """Each run in a fresh process; then the median and the worst of every figure."""
    figures: list[dict[str, float]] = []
    for n in range(runs):
        args = [sys.executable, __file__, "--json", *(["--quick"] if quick else [])]
        out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
        figures.append(json.loads(out.strip().splitlines()[-1]))
        f = figures[-1]
        print(
            f"run {n + 1}: longest stall {f['max']:5.1f} ms  p99 {f['p99']:4.1f} ms  "
            f"median {f['median']:4.1f} ms  (idle {f['idle max']:4.1f} ms)  "
            f"{f['seconds']:.2f} s, {f['records/s']:,.0f} records/s",
            flush=True,
        )
    worst = {
        "max": max,
        "p99": max,
        "median": max,
        "idle max": max,
        "seconds": max,
        "records/s": min,
    }
    print(f"{runs} runs, median (worst):")
    for name, pick in worst.items():
        values = [f[name] for f in figures]
        print(f"  {name:10s} {statistics.median(values):8.1f} ({pick(values):.1f})")


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 targets × 100 records")
    parser.add_argument("--runs", type=int, default=1, help="searches, each in a new process")
    parser.add_argument("--explain", action="store_true", help="what filled the longest stalls")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # for --runs
    parser.add_argument(
        "--serve", nargs=2, type=int, metavar=("TARGETS", "RECORDS"), help=argparse.SUPPRESS
    )  # the child process that plays the targets
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve_until_stdin_closes(*args.serve))
        return 0
    if args.runs > 1:
        several(args.runs, args.quick)
        return 0
    targets, per_target = (5, 100) if args.quick else (20, 250)
    explainer = Explainer() if args.explain else None
    if explainer is not None:
        timed = TimedApplication([])
        explainer.install(timed)
        app: QApplication = timed
    else:
        app = QApplication([])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        if args.json:
            with contextlib.redirect_stdout(sys.stderr):
                figures = loop.run_until_complete(main(targets, per_target))
            print(json.dumps(figures))
        else:
            loop.run_until_complete(main(targets, per_target, explainer))
    return 0


if __name__ == "__main__":
    sys.exit(run())
