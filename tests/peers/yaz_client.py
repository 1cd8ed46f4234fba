"""Drive Index Data's yaz-client non-interactively: the independent judge of what a peer serves.

Commands go on standard input, one per line, as a user would type them (``open``, ``find``,
``show``, ``format``, ``elements``, ``scan``, ``sort``...). Login is ``auth user/pw`` as the
first line (``auth user pw`` for idPass, ``auth user/pw`` for Open): ``-u`` is applied too late
when commands come from a file (peers.md).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from tests.peers._process import PeerError, require

_HITS = re.compile(r"^Number of hits: (\d+)", re.MULTILINE)


def run_yaz_client(
    commands: Sequence[str], *, auth: tuple[str, str] | None = None, timeout: float = 30
) -> str:
    """Run yaz-client with ``commands`` and return everything it printed (stdout and stderr).

    ``auth`` = (user, password) sends an idPass in the Init (``auth user/pw`` as the first
    command sends an Open one). A final ``quit`` is added. Raises
    PeerError when yaz-client hangs longer than ``timeout`` seconds.
    """
    binary = require("yaz-client")["yaz-client"]
    lines = [f"auth {auth[0]} {auth[1]}"] if auth else []  # two words: an idPass Init
    lines += [*commands, "quit"]
    try:
        done = subprocess.run(
            [binary],
            input="\n".join(lines).encode("utf-8") + b"\n",
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PeerError(f"yaz-client did not finish within {timeout} s: {lines!r}") from exc
    return (done.stdout + done.stderr).decode("utf-8", errors="replace")


def hit_counts(output: str) -> list[int]:
    """Every "Number of hits: N" in a yaz-client transcript, in order."""
    return [int(n) for n in _HITS.findall(output)]


def search_hits(target: str, query: str, *, auth: tuple[str, str] | None = None) -> int:
    """Open ``target`` ("host:port/db"), run one PQF ``query``, return its hit count."""
    output = run_yaz_client([f"open tcp:{target}", f"find {query}"], auth=auth)
    counts = hit_counts(output)
    if len(counts) != 1:
        raise PeerError(f"no hit count for {query!r} on {target}:\n{output[-2000:]}")
    return counts[0]


def fetch_raw(
    target: str,
    query: str,
    *,
    syntax: str = "usmarc",
    elements: str | None = None,
    count: int = 1,
    then: Sequence[str] = (),
    auth: tuple[str, str] | None = None,
) -> bytes:
    """The bytes of the first ``count`` records of ``query``, exactly as the peer sent them.

    ``then`` are commands run between the search and the fetch (``["sort 1=4 <"]``).
    ``syntax`` is a yaz-client format name (usmarc, xml, sutrs, opac...) or an OID; records
    follow one another (ISO 2709 records end in 0x1D; XML and SUTRS are simply concatenated).
    Raises PeerError with the transcript when no record came back (a diagnostic, no hits).
    """
    with tempfile.TemporaryDirectory(prefix="polycat-yaz-") as tmp:
        dump = Path(tmp) / "records"
        commands = [f"open tcp:{target}", f"find {query}", *then, f"format {syntax}"]
        commands += [f"elements {elements}"] if elements else []
        commands += [f"set_marcdump {dump}", f"show 1+{count}"]
        output = run_yaz_client(commands, auth=auth)
        data = dump.read_bytes() if dump.exists() else b""
    if not data:
        raise PeerError(f"no record for {query!r} ({syntax}) on {target}:\n{output[-2000:]}")
    return data
