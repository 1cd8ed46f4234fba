"""Federated search over 20 and 60 catalogues 200 ms away, through SearchRun and the Merger.

Every catalogue is a port of the latency proxy (``bench/proxy.py``, in a process of its own:
100 ms each way, 200 ms per round trip) in front of one of two zebrasrv instances holding
different MARC21 books (2,000 each).

Why two zebras behind many ports, and why not the test zebra: zebrasrv forks one process per
association, so 60 associations to two masters are 60 server processes, as 60 instances would
be, without indexing 60 databases. But the test zebra (tests/peers: ICU word folding, MARCXML
stored, XSLT on retrieval) spends 50-70 ms of CPU on each new association's first search; on
this 2-core machine 60 of them are 3-4 s of server CPU and the figure would measure zebrasrv,
not the client (a real federation spreads that over 60 machines). So these two zebras use
Zebra's plain MARC filter (``grs.marc.usmarc``: ISO 2709 stored and served as is, default
word index, no ICU, no XSLT), a few ms per association: what remains is the client's work,
plus the latency.

Printed, all measured in the same run (median of the repeats, every sample beside it):
- reference: one catalogue alone (SearchRun + Merger, first page of 20), for each zebra; the
  slowest is the reference;
- federation of 20 and of 60 catalogues: the time until every first page (20 records each)
  has been read and merged, its ratio to the reference (aim <= 1.3 at 20), and Polycat's
  own CPU time in it;
- at 60, the same work done by 60 yaz-client processes started at once (open, find,
  show 1+20, through the same proxy ports), and Polycat's ratio to it (aim <= 1.0);
- round trips per catalogue as the proxy counted them: Polycat Init + Search with the page
  piggy-backed + its closing Close = 3; yaz-client open + find + show = 3 (its ``quit``
  sends no Close), so 2 against 3 before the records are in.

    .venv/bin/python bench/bench_federation.py            # 20 and 60, median of 3
    .venv/bin/python bench/bench_federation.py --quick    # 20 only, one run
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pymarc import Record

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.search.events import RecordsArrived, TargetFailed  # noqa: E402
from app.search.merge import Merger  # noqa: E402
from app.search.query import Query  # noqa: E402
from app.search.run import SearchRun  # noqa: E402
from app.targets import TargetProfile  # noqa: E402
from bench.proxy import Proxies, proxies  # noqa: E402
from tests.corpus import bulk  # noqa: E402
from tests.peers import utf8_iso2709  # noqa: E402
from tests.peers._process import HOST, require, run_checked, serve  # noqa: E402

DATABASE = "bulk"
QUERY = "@attr 1=4 history"  # 1 title in 20 of the bulk books: 100 hits in 2,000
FIRST = 20
DELAY = 0.1  # seconds each way: 200 ms per round trip
AIM_20 = 1.3


@contextmanager
def plain_zebra(workdir: Path, records: Sequence[Record]) -> Iterator[str]:
    """zebrasrv with the plain MARC filter over ``records``; yields "host:port"."""
    binaries = require("zebraidx", "zebrasrv")
    workdir.mkdir(parents=True)
    (workdir / "register").mkdir()
    (workdir / "zebra.cfg").write_text("\n".join([
        "profilePath: /usr/share/idzebra-2.0/tab",
        "attset: bib1.att",
        "recordType: grs.marc.usmarc",
        f"register: {workdir / 'register'}:200M",
        f"lockDir: {workdir}",
        f"keyTmpDir: {workdir}",
        "perm.anonymous: rw",
    ]) + "\n", encoding="utf-8")
    (workdir / "records.mrc").write_bytes(b"".join(utf8_iso2709(r) for r in records))
    run_checked([binaries["zebraidx"], "-c", "zebra.cfg", "-d", DATABASE, "update",
                 "records.mrc"], cwd=workdir, what="zebraidx")
    with serve("zebrasrv", lambda port: [binaries["zebrasrv"], "-c", "zebra.cfg",
                                         f"tcp:{HOST}:{port}"],
               cwd=workdir, log=workdir / "zebrasrv.log") as (port, _):
        yield f"{HOST}:{port}"


def profiles_for(px: Proxies, count: int) -> list[TargetProfile]:
    return [
        TargetProfile(
            id=f"catalogue-{n + 1:02d}",
            name=f"Catalogue {n + 1}",
            host="127.0.0.1",
            port=px.ports[n],
            databases=(DATABASE,),
            syntaxes=("usmarc",),
            page_size=FIRST,
        )
        for n in range(count)
    ]


async def federate(profiles: Sequence[TargetProfile]) -> tuple[float, int, int, float]:
    """Search every catalogue, merge every first page: (seconds, records, merged entries,
    Polycat's CPU seconds)."""
    started = time.perf_counter()
    cpu = time.process_time()
    run = SearchRun(Query("pqf", QUERY), profiles, first=FIRST, passwords=lambda p: None)
    merger = Merger()
    failed: list[str] = []
    async for event in run:
        if isinstance(event, RecordsArrived):
            merger.add_many(event.records)
        elif isinstance(event, TargetFailed):
            failed.append(f"{event.target}: {event.failure.message}")
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    await run.close()
    if failed:
        raise SystemExit("a catalogue failed: " + "; ".join(failed[:3]))
    return seconds, merger.record_count, len(merger), cpu


def yaz_clients(px: Proxies, count: int, work: Path) -> tuple[float, int]:
    """``count`` yaz-client processes started at once: (seconds until all ended, records)."""
    binary = require("yaz-client")["yaz-client"]
    scripts = []
    for n in range(count):
        dump = work / f"yaz-{n}.mrc"
        dump.unlink(missing_ok=True)
        script = work / f"yaz-{n}.txt"
        script.write_text("\n".join([
            f"open tcp:127.0.0.1:{px.ports[n]}/{DATABASE}", "format usmarc",
            f"set_marcdump {dump}", f"find {QUERY}", f"show 1+{FIRST}", "quit",
        ]) + "\n", encoding="utf-8")
        scripts.append((script, dump))
    started = time.perf_counter()
    processes = [
        subprocess.Popen([binary, "-f", str(script)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for script, _ in scripts
    ]
    for process in processes:
        process.wait(timeout=120)
    seconds = time.perf_counter() - started
    records = sum(dump.read_bytes().count(b"\x1d") for _, dump in scripts if dump.exists())
    return seconds, records


def _median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def _shown(samples: Sequence[float]) -> str:
    return " ".join(f"{s:.3f}" for s in samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 catalogues only, one run")
    args = parser.parse_args(argv)
    sizes = (20,) if args.quick else (20, 60)
    repeats = 1 if args.quick else 3
    books = bulk(4000)  # two halves: different books, each with 100 "history" titles

    with tempfile.TemporaryDirectory(prefix="polycat-bench-") as tmp:
        work = Path(tmp)
        print("indexing two zebrasrv instances of 2,000 MARC21 records ...", flush=True)
        with plain_zebra(work / "a", books[:2000]) as zebra_a, \
             plain_zebra(work / "b", books[2000:]) as zebra_b, \
             proxies([zebra_a, zebra_b], max(sizes), DELAY) as px:
            catalogues = profiles_for(px, max(sizes))
            asyncio.run(federate(catalogues[:2]))  # warm both zebras' caches
            px.reset()

            alone: dict[str, list[float]] = {c.id: [] for c in catalogues[:2]}
            together: dict[int, list[tuple[float, int, int, float]]] = {n: [] for n in sizes}
            yaz: list[tuple[float, int]] = []
            trips: dict[str, list[int]] = {}
            # turn about, so that a busy moment on the shared machine hits every figure alike
            for _ in range(repeats):
                for profile in catalogues[:2]:  # one per zebra
                    alone[profile.id].append(asyncio.run(federate([profile]))[0])
                for n in sizes:
                    px.reset()
                    together[n].append(asyncio.run(federate(catalogues[:n])))
                    trips.setdefault("polycat", px.turns())
                if 60 in sizes:
                    px.reset()
                    yaz.append(yaz_clients(px, 60, work))
                    trips.setdefault("yaz-client", px.turns())

    reference = max(_median(samples) for samples in alone.values())
    print(f"latency added            : {DELAY * 2000:.0f} ms per round trip (proxy, own process)")
    print(f"query                    : {QUERY!r}, first {FIRST} records of 100 per catalogue")
    print(f"machine                  : {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    for pid, samples in alone.items():
        print(f"one catalogue alone      : {_median(samples):.3f} s  [{_shown(samples)}] ({pid})")
    print(f"reference (slowest alone): {reference:.3f} s")
    for n in sizes:
        seconds = [s for s, _, _, _ in together[n]]
        _, records, entries, _ = together[n][-1]
        cpu = _median([c for _, _, _, c in together[n]])
        if records != n * FIRST:
            print(f"{n} catalogues gave {records} records, expected {n * FIRST}", file=sys.stderr)
            return 1
        aim = f"  (aim <= {AIM_20})" if n == 20 else ""
        print(f"{n} catalogues            : {_median(seconds):.3f} s  [{_shown(seconds)}]"
              f"  {records} records merged into {entries} entries")
        print(f"  ratio to one alone     : {_median(seconds) / reference:.2f}{aim}")
        print(f"  polycat's own CPU      : {cpu:.3f} s (reading, merging, protocol)")
    if yaz:
        yaz_seconds = [s for s, _ in yaz]
        if yaz[-1][1] != 60 * FIRST:
            print(f"yaz-client fetched {yaz[-1][1]} records, expected {60 * FIRST}",
                  file=sys.stderr)
            return 1
        ours = _median([s for s, _, _, _ in together[60]])
        print(f"60 yaz-client processes  : {_median(yaz_seconds):.3f} s  [{_shown(yaz_seconds)}]"
              f"  {yaz[-1][1]} records (not merged)")
        print(f"  polycat / yaz-client   : {ours / _median(yaz_seconds):.2f}  (aim <= 1.0)")
    said = {"polycat": "Init, Search with the page, Close",
            "yaz-client": "open, find, show; quit sends no Close"}
    for who, turns in trips.items():
        print(f"round trips, {who:<12}: {sorted(set(turns))} per catalogue ({said[who]};"
              f" proxy count over {len(turns)} connections)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
