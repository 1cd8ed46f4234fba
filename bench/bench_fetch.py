"""Fetch every record of a 2,000-record zebrasrv through Polycat and through yaz-client.

Prints records/second for both, their ratio (aim: Polycat >= 0.5 x yaz-client), and the
number of round trips Polycat needs for the first 10 records of a fresh search (aim: Init +
Search = 2). Both clients ask for the same pages (``show 1+100``... vs Present of 100) of
USMARC records from the same server in the same run; yaz-client writes its records to a file
(``set_marcdump``) and its terminal output goes to /dev/null, so neither pays for a terminal.

    .venv/bin/python bench/bench_fetch.py            # 2,000 records, best of 5
    .venv/bin/python bench/bench_fetch.py --quick    # 500 records, best of 1
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.net.association import connect
from tests.corpus import bulk
from tests.peers import start_zebra
from tests.peers._process import require

QUERY = "@attr 1=4 of"  # every bulk title is "<Word> of <subject>"
DATABASE = "bulk"


async def polycat_fetch(host: str, port: int, expected: int, page: int) -> tuple[float, int, float]:
    """Connect, search, fetch every record in pages of ``page``: (seconds, records, CPU s)."""
    started = time.perf_counter()
    cpu = time.process_time()
    async with connect(host, port) as assoc:
        result = await assoc.search(QUERY, DATABASE, syntax="usmarc", piggyback=page)
        if result.hits != expected:
            raise SystemExit(f"expected {expected} hits for {QUERY!r}, got {result.hits}")
        count = 0
        async for records in assoc.fetch(result, page_size=page):
            count += sum(1 for r in records if r.data.endswith(b"\x1d"))
    return time.perf_counter() - started, count, time.process_time() - cpu


async def first_ten_round_trips(host: str, port: int) -> tuple[int, int]:
    async with connect(host, port) as assoc:
        result = await assoc.search(QUERY, DATABASE, syntax="usmarc", piggyback=10)
        return assoc.round_trips, len(result.records)


def yaz_client_fetch(target: str, expected: int, page: int, workdir: Path) -> tuple[float, int]:
    """The same work with yaz-client reading commands from a file: (seconds, records)."""
    dump = workdir / "yaz-dump.mrc"
    dump.unlink(missing_ok=True)
    commands = [f"open tcp:{target}", "format usmarc", f"set_marcdump {dump}", f"find {QUERY}"]
    commands += [f"show {start}+{min(page, expected - start + 1)}"
                 for start in range(1, expected + 1, page)]  # fmt: skip
    commands.append("quit")
    script = workdir / "yaz-commands.txt"
    script.write_text("\n".join(commands) + "\n", encoding="utf-8")
    binary = require("yaz-client")["yaz-client"]
    started = time.perf_counter()
    subprocess.run(
        [binary, "-f", str(script)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        timeout=600,
    )
    seconds = time.perf_counter() - started
    return seconds, dump.read_bytes().count(b"\x1d")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 records, one run")
    parser.add_argument("--records", type=int, default=None)
    parser.add_argument("--page", type=int, default=100, help="records per Present")
    parser.add_argument("--profile", action="store_true", help="print Polycat's top functions")
    args = parser.parse_args(argv)
    n = args.records or (500 if args.quick else 2000)
    runs = 1 if args.quick else 5

    with tempfile.TemporaryDirectory(prefix="polycat-bench-") as tmp:
        work = Path(tmp)
        print(f"indexing {n} MARC21 records in zebrasrv ...", flush=True)
        with start_zebra(work / "zebra", bulk(n), database=DATABASE, syntaxes=("usmarc",)) as zb:
            host, port = zb.host, zb.port
            asyncio.run(polycat_fetch(host, port, n, args.page))  # warm zebra's caches
            # turn about, so that a busy moment on the shared machine hits both clients alike
            mine, yaz = [], []
            for _ in range(runs):
                mine.append(asyncio.run(polycat_fetch(host, port, n, args.page)))
                yaz.append(yaz_client_fetch(zb.target(DATABASE), n, args.page, work))
            ours = min(mine, key=lambda r: r[0])
            theirs = min(yaz, key=lambda r: r[0])
            trips, first = asyncio.run(first_ten_round_trips(host, port))
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                asyncio.run(polycat_fetch(host, port, n, args.page))
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)

    for name, count in (("polycat", ours[1]), ("yaz-client", theirs[1])):
        if count != n:
            print(f"{name} fetched {count} records, expected {n}", file=sys.stderr)
            return 1
    ours_rate = n / ours[0]
    theirs_rate = n / theirs[0]
    print(f"records fetched          : {n} USMARC, pages of {args.page}, best of {runs}")
    print(
        f"polycat                  : {ours[0]:.3f} s  {ours_rate:,.0f} records/s"
        f"  (its own CPU: {ours[2]:.3f} s; the rest is waiting for zebrasrv)"
    )
    print(f"yaz-client               : {theirs[0]:.3f} s  {theirs_rate:,.0f} records/s")
    print(f"ratio polycat/yaz-client : {ours_rate / theirs_rate:.2f}  (aim >= 0.5)")
    print(f"round trips, first 10    : {trips} (Init + Search; aim 2), {first} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
