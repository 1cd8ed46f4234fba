"""The fixtures really serve what they promise: checked with yaz-client, on real output."""

from __future__ import annotations

import socket
import subprocess

import pytest

from tests.peers import ZTest, hit_counts, run_yaz_client, scan_words, start_ztest

pytestmark = pytest.mark.peers


def _group_members(pgid: int) -> list[str]:
    """Processes still alive in a peer's process group (pgrep prints nothing when none)."""
    done = subprocess.run(["pgrep", "-g", str(pgid)], capture_output=True, text=True, check=False)
    return done.stdout.split()


# --- yaz-ztest ---------------------------------------------------------------------------------


def test_ztest_hit_count_follows_the_numeric_term(ztest: ZTest) -> None:
    out = run_yaz_client([f"open tcp:{ztest.target()}", "find 42", "find 7", "find water"])
    assert hit_counts(out) == [42, 7, 19]


def test_ztest_serves_lc_marc_records(ztest: ZTest) -> None:
    out = run_yaz_client([f"open tcp:{ztest.target()}", "find 3", "format usmarc", "show 1"])
    assert "245 10 $a How to program a computer" in out


def test_ztest_scan_walks_the_dummy_words(ztest: ZTest) -> None:
    out = run_yaz_client([f"open tcp:{ztest.target()}", "scan @attr 1=4 abbey"])
    first = [f"{word} ({count})" for word, count in scan_words()[:5]]
    lines = [line.strip(" *") for line in out.splitlines()]
    assert [line for line in lines if line in first] == first
    assert "connection closed" not in out.lower()


def test_ztest_target_and_address_agree(ztest: ZTest) -> None:
    assert ztest.address == f"127.0.0.1:{ztest.port}"
    assert ztest.target() == f"{ztest.address}/Default"
    assert ztest.target("Slow") == f"{ztest.address}/Slow"


def test_ztest_leaves_no_process_behind_even_with_a_session_open(tmp_path: object) -> None:
    with start_ztest() as zt, socket.create_connection((zt.host, zt.port)) as sock:
        out = run_yaz_client([f"open tcp:{zt.target()}", "find 5"])
        assert hit_counts(out) == [5]
        assert _group_members(zt.pid)  # the master is alive while the block runs
        sock.sendall(b"\x00")  # a half-open session: a forked child that would linger
    assert _group_members(zt.pid) == []


def test_ztest_body_failure_still_stops_the_peer() -> None:
    pid = 0
    with pytest.raises(RuntimeError, match="boom"), start_ztest() as zt:
        pid = zt.pid
        raise RuntimeError("boom")
    assert pid and _group_members(pid) == []
