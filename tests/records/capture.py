"""Capture records exactly as a real server sends them: yaz-client talks, a relay listens.

Run ``python -m tests.records.capture`` to refresh the fixtures in ``tests/records/data``
from a yaz-ztest started for the purpose; the tests also capture live (``peers`` marker).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.peers import run_yaz_client, start_ztest
from tests.records.helpers import externals
from tests.vectors.relay import relay

DATA = Path(__file__).with_name("data")


def capture(
    host: str,
    port: int,
    database: str,
    commands: list[str],
    *,
    auth: tuple[str, str] | None = None,
) -> list[tuple[str, bytes]]:
    """(OID, bytes) of every record the server sent while yaz-client ran ``commands``."""
    with relay(host, port) as tap:
        output = run_yaz_client(
            [f"open tcp:127.0.0.1:{tap.port}/{database}", *commands], auth=auth, timeout=60
        )
    found = externals(tap.server_bytes)
    if not found:
        raise AssertionError(f"no records captured; yaz-client said:\n{output[-2000:]}")
    return found


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, start_ztest(tmp) as zt:
        records = capture(zt.host, zt.port, "Default", ["format opac", "find water", "show 1"])
    oid, data = next((o, d) for o, d in records if o.endswith(".5.102"))
    (DATA / "ztest-opac-1.ber").write_bytes(data)
    print(f"{oid}: {len(data)} bytes written to {DATA / 'ztest-opac-1.ber'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
