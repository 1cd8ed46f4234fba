"""Round trips for every record of a 67-hit search, 200 ms away: Polycat against yaz-client.

A zebrasrv of 2,000 MARC21 books (tests.corpus.bulk) behind the latency proxy
(``bench/proxy.py``: 100 ms each way). The search ``@attr 1=4 zephyr`` has exactly 67 hits
(:data:`tests.corpus.BULK_RARE_HITS`); each client fetches all of them in USMARC:

- Polycat through SearchRun (the product's path), asking for every record (``first`` =
  the profile's ``max_records``), with a page size of 100: the 67 records come back
  piggy-backed in the Search response, so Init + Search = 2 round trips;
- the same with the profiles' default page size of 20, for comparison: Init + Search
  (20 piggy-backed) + 3 Presents = 5 round trips;
- yaz-client: ``open``, ``find``, ``show 1+67`` = 3 round trips.

Printed: the round trips Polycat counted (``Association.round_trips``, before the Close)
and the turns the proxy counted on each connection (Polycat's closing Close included; yaz-
client's ``quit`` sends none), the records each got, and the wall time (median of the
repeats, samples beside it, clients taking turns) with Polycat's ratio to yaz-client.
Polycat's time runs from the SearchRun's start to the last record read; yaz-client's is the
process's whole life (its start-up is a few ms).

    .venv/bin/python bench/bench_roundtrips.py            # median of 5
    .venv/bin/python bench/bench_roundtrips.py --quick    # one run each
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.search.events import RecordsArrived, TargetFailed  # noqa: E402
from app.search.query import Query  # noqa: E402
from app.search.run import SearchRun  # noqa: E402
from app.targets import TargetProfile  # noqa: E402
from bench.proxy import Proxies, proxies  # noqa: E402
from tests.corpus import BULK_RARE_HITS, BULK_RARE_WORD, bulk  # noqa: E402
from tests.peers import start_zebra  # noqa: E402
from tests.peers._process import require  # noqa: E402

DATABASE = "bulk"
QUERY = f"@attr 1=4 {BULK_RARE_WORD}"
DELAY = 0.1  # seconds each way


async def polycat(port: int, page_size: int) -> tuple[float, int, int]:
    """Every record of QUERY through SearchRun: (seconds, records, round trips)."""
    profile = TargetProfile(id="bulk", name="Bulk", host="127.0.0.1", port=port,
                            databases=(DATABASE,), syntaxes=("usmarc",), page_size=page_size)
    started = time.perf_counter()
    run = SearchRun(Query("pqf", QUERY), [profile], first=profile.max_records,
                    passwords=lambda p: None)
    records = 0
    async for event in run:
        if isinstance(event, RecordsArrived):
            records += sum(1 for r in event.records if r.error is None)
        elif isinstance(event, TargetFailed):
            raise SystemExit(f"Polycat failed: {event.failure.message}")
    seconds = time.perf_counter() - started
    assoc = run.targets[profile.id].assoc
    trips = assoc.round_trips if assoc is not None else -1
    await run.close()
    return seconds, records, trips


def yaz_client(port: int, work: Path) -> tuple[float, int]:
    """open, find, show 1+67 with yaz-client: (seconds, records)."""
    dump = work / "yaz.mrc"
    dump.unlink(missing_ok=True)
    script = work / "yaz.txt"
    script.write_text("\n".join([
        f"open tcp:127.0.0.1:{port}/{DATABASE}", "format usmarc", f"set_marcdump {dump}",
        f"find {QUERY}", f"show 1+{BULK_RARE_HITS}", "quit",
    ]) + "\n", encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([require("yaz-client")["yaz-client"], "-f", str(script)],
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True, timeout=120)
    return time.perf_counter() - started, dump.read_bytes().count(b"\x1d")


def _turns(px: Proxies) -> int:
    turns = px.turns()
    px.reset()
    return turns[0] if len(turns) == 1 else -1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run each")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else 5
    clients = {"polycat, page 100": 100, "polycat, page 20": 20}
    times: dict[str, list[float]] = {name: [] for name in [*clients, "yaz-client"]}
    got: dict[str, tuple[int, int, int]] = {}  # name -> (records, own count, proxy turns)

    with tempfile.TemporaryDirectory(prefix="polycat-bench-") as tmp:
        work = Path(tmp)
        print("indexing 2,000 MARC21 records in zebrasrv ...", flush=True)
        with start_zebra(work / "zebra", bulk(2000), database=DATABASE,
                         syntaxes=("usmarc",)) as zebra, \
             proxies([zebra.address], 1, DELAY) as px:
            port = px.ports[0]
            asyncio.run(polycat(port, 100))  # warm zebra's caches
            px.reset()
            for _ in range(repeats):  # turn about: a busy moment hits every client alike
                for name, page in clients.items():
                    seconds, records, trips = asyncio.run(polycat(port, page))
                    times[name].append(seconds)
                    got[name] = (records, trips, _turns(px))
                seconds, records = yaz_client(port, work)
                times["yaz-client"].append(seconds)
                got["yaz-client"] = (records, 3, _turns(px))

    print(f"search                   : {QUERY!r}, {BULK_RARE_HITS} hits, all fetched, USMARC")
    print(f"latency added            : {DELAY * 2000:.0f} ms per round trip (proxy, own process)")
    theirs = statistics.median(times["yaz-client"])
    for name, samples in times.items():
        records, trips, turns = got[name]
        if records != BULK_RARE_HITS:
            print(f"{name} got {records} records, expected {BULK_RARE_HITS}", file=sys.stderr)
            return 1
        own = f"{trips} counted by Polycat, " if name != "yaz-client" else "open/find/show, "
        median = statistics.median(samples)
        print(f"{name:<25}: {median:.3f} s  [{' '.join(f'{s:.3f}' for s in samples)}]"
              f"  round trips: {own}{turns} by the proxy")
        if name != "yaz-client":
            print(f"  ratio to yaz-client    : {median / theirs:.2f}")
    best = got["polycat, page 100"][1]
    print(f"aim: no more round trips than yaz-client's 3: {best} "
          f"({'met' if best <= 3 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
