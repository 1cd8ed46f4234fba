"""``polycat batch``: an ISBN list looked up in several catalogues, as a holdings matrix.

The expected cells come from the style catalogues' own records (which ISBNs their 020 $a
carry); an interrupted run is a real ``python -m app.cli batch`` process stopped by SIGINT.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from tests.corpus import BYZANTIUM, HARMONY, ODYSSEY, isbn10_of, style_sets
from tests.peers import ZTest
from tests.test_cli import nobody_listens
from tests.test_cli_search import catalogues as catalogues  # the local-* user profiles
from tests.test_cli_search import isbn_digits

ROOT = Path(__file__).resolve().parent.parent
WANTED = [ODYSSEY.isbns[0][0], BYZANTIUM[0].isbns[0][0], HARMONY.isbns[0][0]]


def held(catalogue: str, isbn13: str) -> bool:
    """Does this style catalogue have a record whose 020 $a is the ISBN, in either form?"""
    forms = {isbn13, isbn10_of(isbn13)}
    return any(forms & isbn_digits(r) for r in style_sets()[catalogue])


def isbn_list(path: Path) -> Path:
    lines = ["# wanted for the reading room", isbn10_of(WANTED[0]), WANTED[1], "",
             "not an ISBN", WANTED[2]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.peers
def test_batch_writes_the_matrix_and_resumes_from_its_state(
    catalogues: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wanted = isbn_list(tmp_path / "wanted.txt")
    dead = f"127.0.0.1:{nobody_listens()}/olc"
    out_csv, out_json = tmp_path / "matrix.csv", tmp_path / "matrix.json"
    argv = ["batch", "--isbns", str(wanted), "--target", "local-gbv", "--target", "local-oclc",
            "--target", dead, "--csv", str(out_csv), "--json", str(out_json)]
    assert main(argv) == 0
    err = capsys.readouterr().err.splitlines()
    assert "polycat: line 5 skipped: no ISBN on this line" in err
    total = len(WANTED) * 3
    expected_found = sum(held(c, i) for c in ("gbv", "oclc") for i in WANTED)
    assert err[-1] == (f"{total}/{total} looked up: {expected_found} found, "
                       f"{2 * len(WANTED) - expected_found} not found, {len(WANTED)} errors")

    rows = list(csv.reader(out_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["ISBN", "Title", "Local GBV", "Local OCLC", dead, "Problems"]
    assert [r[0] for r in rows[1:]] == WANTED
    for row in rows[1:]:
        isbn = row[0]
        expected = ["found" if held(c, isbn) else "not found" for c in ("gbv", "oclc")]
        assert row[2:4] == expected, isbn
        assert row[4] == "error"
        assert row[5].startswith(f"{dead}: cannot connect")
    assert rows[1][1] == ODYSSEY.title  # the best record's title
    matrix = json.loads(out_json.read_text(encoding="utf-8"))
    assert matrix["complete"] is True
    assert matrix["catalogues"] == ["local-gbv", "local-oclc", dead]
    assert matrix["rows"][0]["best"]["isbns"] == [WANTED[0]]

    # the state file (default: beside the list) makes a second run search nothing
    state = Path(f"{wanted}.state")
    assert state.exists()
    first_csv = out_csv.read_bytes()
    out_csv.unlink()
    assert main(argv) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[-1].endswith(f"({total} from the state file)")
    assert out_csv.read_bytes() == first_csv


def test_batch_needs_somewhere_to_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    wanted = isbn_list(tmp_path / "wanted.txt")
    assert main(["batch", "--isbns", str(wanted), "--target", "127.0.0.1:9/x"]) == 2
    assert "--csv FILE and/or --json FILE" in capsys.readouterr().err
    assert not Path(f"{wanted}.state").exists()


def test_a_list_without_isbns_is_told(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("no ISBN here\n", encoding="utf-8")
    assert main(["batch", "--isbns", str(empty), "--target", "127.0.0.1:9/x", "--csv",
                 str(tmp_path / "m.csv")]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "No ISBN found in" in err and "line 1: no ISBN on this line" in err
    assert not (tmp_path / "m.csv").exists()


@pytest.mark.peers
def test_an_interrupted_batch_continues_where_it_stopped(ztest: ZTest, tmp_path: Path) -> None:
    # ISBN-13s that ztest (every search a hit) answers after a delay of 1 s each
    isbns = [_isbn(n) for n in range(6)]
    wanted = tmp_path / "wanted.txt"
    wanted.write_text("\n".join(isbns) + "\n", encoding="utf-8")
    state = tmp_path / "run.state"
    base = [sys.executable, "-m", "app.cli", "batch", "--isbns", str(wanted), "--state",
            str(state), "--json", str(tmp_path / "m.json")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    slow = ["--target", ztest.target("Default?search-delay=1")]
    with subprocess.Popen([*base, *slow], cwd=ROOT, env=env, stderr=subprocess.PIPE,
                          text=True) as process:  # fmt: skip
        assert process.stderr is not None
        seen = []
        for line in process.stderr:  # stop it once the first lookup is done
            seen.append(line)
            if line.startswith("1/6 looked up"):
                process.send_signal(signal.SIGINT)
                break
        rest = process.stderr.read()
        code = process.wait(timeout=60)
    assert code == 130, [*seen, rest]
    assert f"stopped: every finished lookup is kept in {state}" in rest
    assert not (tmp_path / "m.json").exists()  # no matrix from a half run
    finished = [json.loads(line) for line in state.read_text(encoding="utf-8").splitlines()]
    assert 1 <= len(finished) < 6

    done = subprocess.run([*base, *slow], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1].startswith("6/6 looked up: 6 found")
    assert f"({len(finished)} from the state file)" in done.stderr.splitlines()[-1]
    again = [json.loads(line) for line in state.read_text(encoding="utf-8").splitlines()]
    searched = [(c["isbn"], c["catalogue"]) for c in again]
    assert sorted(searched) == sorted(set(searched)) and len(searched) == 6  # none twice
    matrix = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert [r["isbn"] for r in matrix["rows"]] == isbns


def _isbn(n: int) -> str:
    """A valid ISBN-13 (ztest takes a number as its hit count: these start with 978)."""
    body = f"978{1000000 + n * 7919:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)
