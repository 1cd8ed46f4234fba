"""``polycat targets list | show | import``: the catalogues Polycat knows, and adding more.

The user's targets folder is a temporary POLYCAT_CONFIG_DIR; the shipped ``targets/*.toml``
are read with tomllib as the judge of what ``list`` and ``show`` must say.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from app.cli import main
from tests.corpus import ODYSSEY
from tests.peers import Zebra
from tests.targets.conftest import MemoryKeyring
from tests.targets.conftest import memory as memory  # the in-memory keyring fixture
from tests.test_cli import run_json

ROOT = Path(__file__).resolve().parent.parent
MINE = 'name = "My library"\nhost = "z.example.org"\nport = 2100\ndatabases = ["main"]\n' \
       'auth = "idpass"\nuser = "reader"\n'


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user targets folder (it does not exist yet)."""
    monkeypatch.setenv("POLYCAT_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config" / "targets"


def shipped() -> dict[str, dict[str, object]]:
    """Every shipped profile as tomllib reads it, by id (the file name)."""
    return {p.stem: tomllib.loads(p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "targets").glob("*.toml"))}


# --- list and show ------------------------------------------------------------------------------


def test_list_shows_the_shipped_and_the_users_catalogues(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config.mkdir(parents=True)
    (config / "mine.toml").write_text(MINE, encoding="utf-8")
    assert main(["targets", "list", "--format", "json"]) == 0
    listed = {t["id"]: t for t in json.loads(capsys.readouterr().out)["targets"]}
    presets = shipped()
    plain = {name for name, data in presets.items() if not data.get("example")}
    assert set(listed) == plain | {"mine"}
    assert listed["mine"] == {
        "id": "mine", "name": "My library", "address": "z.example.org:2100/main",
        "style": "generic", "login": True, "user": "reader", "example": False,
        "source": listed["mine"]["source"],
    }
    for name in plain:
        data = presets[name]
        assert listed[name]["name"] == data["name"]
        assert listed[name]["login"] == (data.get("auth", "none") != "none")

    assert main(["targets", "list", "--all"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "ADDRESS", "STYLE", "LOGIN"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == set(presets) | {"mine"}  # the style examples too
    assert rows["mine"].split()[-4:] == ["z.example.org:2100/main", "generic", "yes", "(reader)"]
    assert rows["copac-style"].split()[-2:] == ["copac", "no"]


def test_a_broken_profile_is_named_and_the_others_still_listed(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config.mkdir(parents=True)
    (config / "mine.toml").write_text(MINE, encoding="utf-8")
    (config / "broken.toml").write_text('name = "Broken"\nhost = "x.org"\nport = "many"\n',
                                        encoding="utf-8")
    assert main(["targets", "list"]) == 0
    captured = capsys.readouterr()
    assert "broken.toml line 3: port" in captured.err
    assert any(line.startswith("mine ") for line in captured.out.splitlines())
    assert not any(line.startswith("broken ") for line in captured.out.splitlines())


def test_show_prints_the_profile_as_toml(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["targets", "show", "loc"]) == 0
    shown = tomllib.loads(capsys.readouterr().out)
    original = shipped()["loc"]
    for key in ("name", "host", "port", "databases", "syntaxes"):
        assert shown[key] == original[key]
    assert shown["id"] == "loc"


def test_show_an_unknown_id_is_a_usage_error(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["targets", "show", "lco"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no catalogue called 'lco'" in captured.err and "Did you mean loc" in captured.err


# --- import -----------------------------------------------------------------------------------


def abcd(path: Path, zebra_port: int) -> Path:
    path.write_text(
        f"# copy cataloguing\nLocal books|127.0.0.1|{zebra_port}|books|||USMARC\n"
        "Locked library|z.example.org|210|main|reader|s3cret|USMARC\n", encoding="utf-8",
    )
    return path


def test_import_says_what_it_would_add_and_adds_nothing(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = abcd(tmp_path / "z3950.def", 2100)
    assert main(["targets", "import", str(source)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{source}: ABCD z3950.def, 2 catalogues\n")
    assert "local-books     Local books     127.0.0.1:2100/books" in out
    assert "locked-library  Locked library  z.example.org:210/main  generic  yes (reader)" in out
    assert "s3cret" not in out
    assert "add --save" in out
    assert not config.exists()
    code, doc = run_json(capsys, "targets", "import", str(source))
    assert code == 0
    assert [t["id"] for t in doc["targets"]] == ["local-books", "locked-library"]
    assert doc["passwords"] == ["locked-library"] and doc["saved"] == []


def test_a_malformed_list_is_refused_whole_with_its_line(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "z3950.def"
    source.write_text("Good|z.example.org|210|main|||USMARC\nBad|z.example.org|seventy|main"
                      "|||USMARC\n", encoding="utf-8")
    assert main(["targets", "import", "--save", str(source)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{source} line 2: port must be a number" in captured.err
    assert not config.exists()  # nothing half-imported


@pytest.mark.peers
def test_save_then_search_the_imported_catalogue(
    config: Path, tmp_path: Path, zebra: Zebra, memory: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = abcd(tmp_path / "z3950.def", zebra.port)
    assert main(["targets", "import", "--save", str(source)]) == 0
    out = capsys.readouterr().out
    assert f"saved {config / 'local-books.toml'}" in out
    assert sorted(p.name for p in config.iterdir()) == ["local-books.toml", "locked-library.toml"]
    assert memory.secrets == {("polycat", "locked-library:reader"): "s3cret"}
    assert all("s3cret" not in p.read_text(encoding="utf-8") for p in config.iterdir())

    code, doc = run_json(capsys, "search", "--target", "local-books", "--title", "odyssey")
    assert code == 0
    (target,) = doc["targets"]
    assert (target["id"], target["name"], target["target"]) == (
        "local-books", "Local books", zebra.target())
    assert {r["record"]["title"] for r in target["records"]} == {ODYSSEY.title}

    # importing again never overwrites: the second copies get ids of their own
    assert main(["targets", "import", "--save", str(source)]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in config.iterdir()) == [
        "local-books-2.toml", "local-books.toml", "locked-library-2.toml",
        "locked-library.toml"]


def test_no_keyring_means_nothing_saved(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        assert main(["targets", "import", "--save", str(abcd(tmp_path / "z.def", 2100))]) == 1
    finally:
        keyring.set_keyring(before)
    captured = capsys.readouterr()
    assert "could not be kept in the system keyring" in captured.err
    assert not config.exists() or list(config.iterdir()) == []
