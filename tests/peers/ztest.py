"""yaz-ztest, Index Data's test target, on a free loopback port.

What it serves (see /work/shared/reference/peers.md): databases ``Default``, ``db…``,
``Slow``/``Slow5`` and ``Default?search-delay=2&present-delay=1``; the first term that starts
with a digit is the hit count (``find 42`` gives 42), otherwise a hash of the terms modulo 24
(``water`` gives 19); 23 real LC MARC records repeated; Scan over the words in ``dummy-words``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.peers._process import HOST, log_tail, require, serve, workdir_for

# A few hundred `word:count` lines; without this file a Scan kills ztest's session process.
DUMMY_WORDS = Path(__file__).with_name("data") / "dummy-words"


@dataclass(frozen=True)
class ZTest:
    """A running yaz-ztest. ``target()`` gives the "host:port/db" string clients take."""

    host: str
    port: int
    pid: int
    workdir: Path
    log: Path

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def target(self, db: str = "Default") -> str:
        return f"{self.address}/{db}"

    def log_tail(self, lines: int = 20) -> str:
        return log_tail(self.log, lines)


def scan_words() -> list[tuple[str, int]]:
    """The (word, count) pairs ztest's Scan walks through, in file order."""
    pairs = []
    for line in DUMMY_WORDS.read_text(encoding="utf-8").splitlines():
        word, _, count = line.partition(":")
        pairs.append((word, int(count)))
    return pairs


@contextlib.contextmanager
def start_ztest(workdir: str | os.PathLike[str] | None = None) -> Iterator[ZTest]:
    """Run yaz-ztest in the foreground on a free 127.0.0.1 port until the block ends.

    ``workdir`` receives ``dummy-words`` and ``ztest.log``; without one a temporary directory
    is made and removed afterwards. Raises PeerMissing (with the apt-get command) when yaz is
    not installed, PeerError with the log tail when ztest does not start within a few seconds.
    """
    binary = require("yaz-ztest")["yaz-ztest"]
    with workdir_for(workdir, "polycat-ztest-") as wd:
        shutil.copyfile(DUMMY_WORDS, wd / "dummy-words")
        log = wd / "ztest.log"  # stderr: ztest logs every request there
        with serve(
            "yaz-ztest", lambda port: [binary, f"tcp:{HOST}:{port}"], cwd=wd, log=log
        ) as (port, proc):
            yield ZTest(host=HOST, port=port, pid=proc.pid, workdir=wd, log=log)

