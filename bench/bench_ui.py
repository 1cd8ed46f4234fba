"""Does the window stay responsive while 20 catalogues stream 5,000 records into it?

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_ui.py [--quick]

Twenty in-process Z39.50 targets (app.net.serve) on 127.0.0.1 each hold 250 MARC records
(5,000 in all; about a third of the books are held by several targets, so the merge has real
work). The real main window (offscreen) searches all twenty and fetches every record. A QTimer
heartbeat every 5 ms notes the gaps between its ticks: the longest gap is the longest time the
event loop was blocked. The same heartbeat over the idle window gives the reference in this
run. Aim: no stall over 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pymarc
import qasync
from PySide6.QtCore import QTimer
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
    """Ticks every 5 ms; remembers the gaps between ticks."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last = 0.0

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def summary(self) -> tuple[float, float, float]:
        gaps = sorted(self.gaps) or [0.0]
        p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]
        return max(gaps) * 1000, p99 * 1000, statistics.median(gaps) * 1000


async def main(targets: int, per_target: int) -> int:
    import tempfile

    from ui.app import build_window
    from ui.engine import default_engine
    from ui.options import Settings

    print(
        f"{targets} targets × {per_target} records = {targets * per_target} records, "
        "served by a child process on 127.0.0.1"
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
                    page_size=50,
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
    return 0


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 targets × 100 records")
    parser.add_argument(
        "--serve", nargs=2, type=int, metavar=("TARGETS", "RECORDS"), help=argparse.SUPPRESS
    )  # the child process that plays the targets
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve_until_stdin_closes(*args.serve))
        return 0
    targets, per_target = (5, 100) if args.quick else (20, 250)
    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        return loop.run_until_complete(main(targets, per_target))


if __name__ == "__main__":
    sys.exit(run())
