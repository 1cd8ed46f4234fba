"""``polycat search`` / ``polycat scan``: run as a user would, the JSON parsed and checked.

Real peers (yaz-ztest) for the ordinary paths; the in-process target, run on its own thread,
for what real peers cannot do (OCLC user information, a login, hostile bytes).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.net.target import Behaviour, serve
from app.z3950.events import OclcUserInformation
from tests.net.samples import catalogue
from tests.peers import ZTest

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def in_process_target(behaviour: Behaviour | None = None) -> Iterator[int]:
    """The in-process target on a thread of its own (the CLI runs its own event loop)."""
    ready = threading.Event()
    port: list[int] = []
    stop: list[asyncio.Event] = []
    loop = asyncio.new_event_loop()

    async def body() -> None:
        stop.append(asyncio.Event())
        async with serve(catalogue(), behaviour=behaviour) as server:
            port.append(server.port)
            ready.set()
            await stop[0].wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(body(),), daemon=True)
    thread.start()
    assert ready.wait(10), "the in-process target did not start"
    try:
        yield port[0]
    finally:
        loop.call_soon_threadsafe(stop[0].set)
        thread.join(10)
        loop.close()


def nobody_listens() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main([*argv, "--format", "json"])
    out = capsys.readouterr().out
    document: dict[str, Any] = json.loads(out)
    return code, document


# --- search ---------------------------------------------------------------------------------


@pytest.mark.peers
def test_search_json_against_ztest(ztest: ZTest, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = run_json(
        capsys, "search", "--target", ztest.target(), "--pqf", "water", "--limit", "5"
    )
    assert code == 0
    assert doc["query"] == "water"
    (target,) = doc["targets"]
    assert target["target"] == ztest.target()
    assert (target["status"], target["hits"], target["fetched"]) == ("ok", 19, 5)
    assert target["error"] is None
    assert target["init"]["implementation"].startswith("GFS/YAZ")
    assert target["init"]["user_info"] is None
    assert [r["position"] for r in target["records"]] == [1, 2, 3, 4, 5]
    for record in target["records"]:
        data = base64.b64decode(record["data"])
        assert int(data[:5]) == len(data)  # a whole ISO 2709 record
        assert (record["syntax"], record["oid"]) == ("usmarc", "1.2.840.10003.5.10")
        assert record["database"] == "Default"


@pytest.mark.peers
def test_limit_beyond_one_page_and_syntax(ztest: ZTest, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = run_json(
        capsys,
        "search",
        "--target", ztest.target(),
        "--pqf", "250",
        "--limit", "230",
        "--syntax", "xml",
    )  # fmt: skip
    assert code == 0
    (target,) = doc["targets"]
    assert (target["hits"], target["fetched"]) == (250, 230)
    assert [r["position"] for r in target["records"]] == list(range(1, 231))
    assert all(r["syntax"] == "xml" for r in target["records"])
    assert b"<record" in base64.b64decode(target["records"][229]["data"])


@pytest.mark.peers
def test_several_targets_at_once_each_with_its_own_status(
    ztest: ZTest, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = nobody_listens()
    code, doc = run_json(
        capsys,
        "search",
        "--target", ztest.target(),
        "--target", ztest.target("nosuch"),
        "--target", f"127.0.0.1:{dead}/Default",
        "--pqf", "@attr 1=4 water",
        "--limit", "2",
    )  # fmt: skip
    assert code == 0  # one answered
    ok, wrong_db, unreachable = doc["targets"]
    assert (ok["status"], ok["hits"], ok["fetched"]) == ("ok", 19, 2)
    assert wrong_db["status"] == "error"
    assert wrong_db["error"]["kind"] == "database"
    assert wrong_db["error"]["code"] == 109
    assert "nosuch" in wrong_db["error"]["message"]
    assert wrong_db["init"]["implementation"].startswith("GFS/YAZ")  # the login worked
    assert unreachable["status"] == "error"
    assert unreachable["error"] == {
        "kind": "connect",
        "code": None,
        "message": unreachable["error"]["message"],
    }
    assert f"127.0.0.1:{dead}" in unreachable["error"]["message"]
    assert unreachable["init"] is None and unreachable["hits"] is None


def test_no_target_answered_is_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    dead = nobody_listens()
    code, doc = run_json(capsys, "search", "--target", f"127.0.0.1:{dead}/x", "--pqf", "a")
    assert code == 1
    assert doc["targets"][0]["status"] == "error"


@pytest.mark.peers
def test_timeout_status(ztest: ZTest, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = run_json(
        capsys, "search", "--target", ztest.target("Slow"), "--pqf", "water", "--timeout", "0.5"
    )
    assert code == 1
    (target,) = doc["targets"]
    assert target["status"] == "timeout"
    assert target["error"]["kind"] == "timeout"
    assert "0.5 seconds" in target["error"]["message"]


@pytest.mark.peers
def test_text_summary(ztest: ZTest, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["search", "--target", ztest.target(), "--pqf", "3", "--limit", "3"])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{ztest.target()}: 3 hits, 3 fetched"
    assert [line.split()[:2] for line in lines[1:]] == [
        ["1", "usmarc"],
        ["2", "usmarc"],
        ["3", "usmarc"],
    ]
    assert "How to program a computer" in lines[1]


@pytest.mark.peers
def test_output_file(ztest: ZTest, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "result.json"
    code = main(["search", "--target", ztest.target(), "--pqf", "5", "--format", "json",
                 "-o", str(out)])  # fmt: skip
    assert code == 0
    assert capsys.readouterr().out == ""
    assert json.loads(out.read_text(encoding="utf-8"))["targets"][0]["hits"] == 5


def test_oclc_login_and_user_information(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    behaviour = Behaviour(
        users={"100-200-300": "s3cret"},
        oclc=OclcUserInformation(motd="Welcome to FirstSearch", dblist=("WorldCat", "ERIC")),
    )
    monkeypatch.setenv("POLYCAT_TEST_PW", "s3cret")
    with in_process_target(behaviour) as port:
        code, doc = run_json(
            capsys,
            "search",
            "--target", f"127.0.0.1:{port}/books",
            "--pqf", "@attr 1=1003 darwin",
            "--user", "100-200-300",
            "--password-env", "POLYCAT_TEST_PW",
        )  # fmt: skip
        assert code == 0
        (target,) = doc["targets"]
        assert (target["status"], target["hits"], target["fetched"]) == ("ok", 3, 3)
        assert target["init"] == {
            "implementation": "Polycat in-process target 1",
            "user_info": {
                "motd": "Welcome to FirstSearch",
                "dblist": ["WorldCat", "ERIC"],
                "failReason": None,
                "text": None,
            },
        }
        monkeypatch.setenv("POLYCAT_TEST_PW", "wrong")
        code, doc = run_json(
            capsys,
            "search",
            "--target", f"127.0.0.1:{port}/books",
            "--pqf", "darwin",
            "--user", "100-200-300",
            "--password-env", "POLYCAT_TEST_PW",
        )  # fmt: skip
        assert code == 1
        error = doc["targets"][0]["error"]
        assert error["kind"] == "login"
        assert error["code"] == 1011
        assert error["message"].startswith("login refused: Invalid authorization number")


@pytest.mark.parametrize("how", ["garbage", "huge", "truncated"])
def test_hostile_target_does_not_hurt_the_others(
    how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    behaviour = Behaviour(hostile=how, hostile_on="search")  # type: ignore[arg-type]
    with in_process_target(behaviour) as bad, in_process_target() as good:
        code, doc = run_json(
            capsys,
            "search",
            "--target", f"127.0.0.1:{bad}/books",
            "--target", f"127.0.0.1:{good}/books",
            "--pqf", "@attr 1=1003 marx",
        )  # fmt: skip
    assert code == 0
    hostile, fine = doc["targets"]
    assert hostile["status"] == "error"
    assert hostile["error"]["kind"] == "protocol"
    assert hostile["error"]["message"]
    assert (fine["status"], fine["hits"], fine["fetched"]) == ("ok", 2, 2)


def test_limit_0_gives_hit_counts_only(capsys: pytest.CaptureFixture[str]) -> None:
    with in_process_target() as port:
        code, doc = run_json(
            capsys, "search", "--target", f"127.0.0.1:{port}/books+more", "--pqf", "darwin",
            "--limit", "0",
        )  # fmt: skip
    assert code == 0
    (target,) = doc["targets"]
    assert target["target"] == f"127.0.0.1:{port}/books+more"
    assert (target["hits"], target["fetched"], target["records"]) == (6, 0, [])


# --- scan -----------------------------------------------------------------------------------


@pytest.mark.peers
def test_scan_text_and_json(ztest: ZTest, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scan", "--target", ztest.target(), "--pqf", "@attr 1=4 a", "--count", "3"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert [line.lower() for line in lines] == ["abbey (482)", "account (437)", "africa (482)"]
    code, doc = run_json(capsys, "scan", "--target", ztest.target(), "--pqf", "abbey")
    assert code == 0
    assert doc["target"] == ztest.target() and doc["status"] == "ok"
    assert len(doc["entries"]) == 20
    assert doc["entries"][0]["term"].lower() == "abbey" and doc["entries"][0]["count"] == 482


def test_scan_of_the_in_process_target(capsys: pytest.CaptureFixture[str]) -> None:
    with in_process_target() as port:
        code, doc = run_json(
            capsys, "scan", "--target", f"127.0.0.1:{port}/books", "--pqf", "@attr 1=1003 t",
            "--count", "1",
        )  # fmt: skip
    assert code == 0
    assert doc["entries"] == [{"term": "Tolstoy, Leo", "count": 2}]


# --- usage ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["search", "--target", "h:1/db"], "--pqf"),
        (["search", "--pqf", "x"], "--target"),
        (["search", "--target", "h:port/db", "--pqf", "x"], "port"),
        (["search", "--target", "h:1/db", "--pqf", "@attr 1= x"], "query"),
        (["search", "--target", "h:1/db", "--pqf", "x", "--syntax", "nosuch"], "nosuch"),
        (["search", "--target", "h:1/db", "--pqf", "x", "--limit", "-1"], "negative"),
        (
            ["search", "--target", "h:1/db", "--pqf", "x", "--password-env", "NO_SUCH_VAR_X"],
            "NO_SUCH_VAR_X",
        ),
        (["scan", "--target", "h:1/db", "--pqf", "@and a b"], "one term"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert words in captured.err
    assert captured.out == ""


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert "polycat" in capsys.readouterr().out
    assert main(["search", "--help"]) == 0
    assert "--password-env" in capsys.readouterr().out


@pytest.mark.peers
def test_python_dash_m_and_the_polycat_entry_point(ztest: ZTest) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for command in (
        [sys.executable, "-m", "app.cli"],
        [sys.executable, "-c", "import sys; from ui.main import main; sys.exit(main())"],
    ):
        done = subprocess.run(
            [*command, "search", "--target", ztest.target(), "--pqf", "7", "--format", "json",
             "--limit", "1"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        doc = json.loads(done.stdout)
        assert doc["targets"][0]["hits"] == 7
        assert "PySide6" not in done.stderr
