"""How fast the protocol core reads records: 2,000 USMARC records in Present responses of 100.

    .venv/bin/python bench/bench_codec.py [--quick]

The records are the real LC MARC records yaz-ztest sent in tests/vectors/show_usmarc.hex,
repeated. Prints records/s and MB/s for
  - decode_apdu (pyasn1 decodes every APDU; there is one path),
  - the same APDUs in the indefinite-length form YAZ writes,
  - a whole origin Connection: 64 KiB chunks in, framing, decoding, state machine,
  - encode_apdu of the requests an origin sends (Init, Search, Present), per call.
CPU time (the machine is shared: wall time would count the neighbours), best of several
runs; no assertion here, figures to compare.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.z3950 import (
    NEED_DATA,
    Connection,
    InitRequest,
    InitResponse,
    PresentRequest,
    PresentResponse,
    RetrievalRecord,
    Role,
    SearchRequest,
    decode_apdu,
    encode_apdu,
)
from app.z3950.events import Event
from app.z3950.oids import USMARC
from app.z3950.rpn import RPNQuery, Term
from tests.vectors import load
from tests.z3950.lengths import indefinite

CHUNK = 64 * 1024


def ztest_records() -> list[RetrievalRecord]:
    for direction, apdu in load("show_usmarc"):
        event = decode_apdu(apdu)
        if direction == "<" and isinstance(event, PresentResponse) and event.records:
            return [r for r in event.records if isinstance(r, RetrievalRecord)]
    raise SystemExit("tests/vectors/show_usmarc.hex holds no records: re-run the capture")


def present_responses(total: int, page: int) -> list[bytes]:
    records = ztest_records()
    pages = []
    for start in range(0, total, page):
        chosen = tuple(records[(start + i) % len(records)] for i in range(page))
        pages.append(encode_apdu(PresentResponse(page, start + page + 1, records=chosen)))
    return pages


def best(runs: int, work: Callable[[], int]) -> tuple[float, int]:
    times = []
    count = 0
    for _ in range(runs):
        began = time.process_time()
        count = work()
        times.append(time.process_time() - began)
    return min(times), count


def decode_all(pages: list[bytes]) -> int:
    count = 0
    for apdu in pages:
        event = decode_apdu(apdu)
        assert isinstance(event, PresentResponse)
        count += len(event.records)
    return count


def through_connection(pages: list[bytes]) -> int:
    origin = Connection(Role.ORIGIN)
    origin.send(InitRequest())
    origin.receive_data(encode_apdu(InitResponse(True)))
    origin.next_event()
    stream = b"".join(pages)
    count = 0
    position = 0
    for _ in pages:
        origin.send(PresentRequest("default", count + 1, 100))
        while True:
            event = origin.next_event()
            if event is NEED_DATA:
                origin.receive_data(stream[position : position + CHUNK])
                position += CHUNK
                continue
            assert isinstance(event, PresentResponse)
            count += len(event.records)
            break
    return count


def report(label: str, seconds: float, records: int, octets: int) -> None:
    print(
        f"{label:<44} {records / seconds:>10,.0f} records/s  {octets / seconds / 1e6:>7.1f} MB/s"
        f"  ({records} records, {seconds * 1000:.0f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (a smoke test)")
    args = parser.parse_args()
    runs = 1 if args.quick else 5
    pages = present_responses(2000, 100)
    octets = sum(len(page) for page in pages)
    record_octets = sum(len(r.data) for r in ztest_records())
    print(f"2,000 USMARC records (~{record_octets // 3} bytes each) in {len(pages)} APDUs,"
          f" {octets / 1e6:.1f} MB; best of {runs}")  # fmt: skip
    seconds, count = best(runs, lambda: decode_all(pages))
    report("decode_apdu (pyasn1)", seconds, count, octets)
    open_pages = [indefinite(page) for page in pages]
    open_octets = sum(len(page) for page in open_pages)
    seconds, count = best(runs, lambda: decode_all(open_pages))
    report("decode_apdu, indefinite lengths (as YAZ)", seconds, count, open_octets)
    seconds, count = best(runs, lambda: through_connection(pages))
    report("Connection: 64 KiB chunks, framing, decoding", seconds, count, octets)
    requests = {
        "Init": InitRequest(),
        "Search": SearchRequest(RPNQuery(Term("water")), ("Default",)),
        "Present": PresentRequest("default", 1, 100, preferred_record_syntax=USMARC),
    }
    for name, request in requests.items():
        calls = 200 if args.quick else 1000
        seconds, _ = best(runs, lambda r=request, n=calls: encode_many(r, n))
        print(f"encode_apdu({name}Request){'':<25} {seconds / calls * 1e6:>10,.0f} us per call")


def encode_many(request: Event, calls: int) -> int:
    for _ in range(calls):
        encode_apdu(request)
    return calls


if __name__ == "__main__":
    main()
