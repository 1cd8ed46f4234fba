"""Real Z39.50 peers for tests and benchmarks: yaz-ztest and zebrasrv on free loopback ports.

Both work as plain context managers (benchmarks) and behind the pytest fixtures in
``tests/conftest.py``::

    from tests.peers import start_ztest, start_zebra
    with start_ztest() as zt:
        zt.target()              # "127.0.0.1:PORT/Default"
    with start_zebra(None, records, database="olc", syntaxes=("usmarc",)) as zb:
        zb.target()              # "127.0.0.1:PORT/olc"

A missing binary raises ``PeerMissing`` whose message is the apt-get command; the fixtures turn
it into a test failure, never a skip. See README.md beside this file for what each serves.
"""

from tests.peers._process import PeerError, PeerMissing
from tests.peers.styles import LOGIN, OCLC_LOGIN, STYLES, start_style
from tests.peers.yaz_client import fetch_raw, hit_counts, run_yaz_client, search_hits
from tests.peers.zebra import FORMATS, Zebra, start_zebra, utf8_iso2709
from tests.peers.ztest import ZTest, scan_words, start_ztest

__all__ = [
    "FORMATS",
    "LOGIN",
    "OCLC_LOGIN",
    "STYLES",
    "PeerError",
    "PeerMissing",
    "ZTest",
    "Zebra",
    "fetch_raw",
    "hit_counts",
    "run_yaz_client",
    "scan_words",
    "search_hits",
    "start_style",
    "start_zebra",
    "start_ztest",
    "utf8_iso2709",
]
