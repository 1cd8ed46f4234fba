"""``polycat show`` and ``polycat convert``: record files in, JSON or other formats out.

The files are made from the generated corpus (pymarc writes ISO 2709, yaz-marcdump turns it
into MARCXML, the Copac-style zebra serves MODS); what comes out is read back by rispy,
bibtexparser, pymarc and yaz-marcdump, and compared with the corpus works.
"""

from __future__ import annotations

import base64
import io
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import bibtexparser
import pymarc
import pytest
import rispy

from app.cli import main
from tests.corpus import COUNTERPOINT, HARMONY, ODYSSEY, Work, corpus, work_id
from tests.peers import Zebra
from tests.records.helpers import yaz_marcdump
from tests.test_cli import run_json

ROOT = Path(__file__).resolve().parent.parent
WORKS = (ODYSSEY, COUNTERPOINT, HARMONY)


def _records() -> list[pymarc.Record]:
    """The corpus records of WORKS, in corpus order (the Odyssey twice: ISBN-13 and -10)."""
    wanted = {w.id for w in WORKS}
    return [r for r in corpus() if work_id(r) in wanted]


def _work(record_json: dict[str, Any]) -> Work:
    (work,) = [w for w in WORKS if w.title == record_json["title"]]
    return work


def _assert_is_the_work(record_json: dict[str, Any]) -> None:
    work = _work(record_json)
    assert record_json["authors"] == list(work.authors)
    assert record_json["year"] == work.year
    assert record_json["isbns"] == [i for i, _ in work.isbns]
    assert record_json["publisher"] == work.publisher
    assert record_json["error"] is None


@pytest.fixture
def marc_file(tmp_path: Path) -> Path:
    path = tmp_path / "books.mrc"
    path.write_bytes(b"".join(r.as_marc() for r in _records()))
    return path


@pytest.fixture
def marcxml_file(tmp_path: Path, marc_file: Path) -> Path:
    path = tmp_path / "books.xml"
    path.write_bytes(yaz_marcdump(marc_file.read_bytes(), "-o", "marcxml"))
    return path


# --- show -------------------------------------------------------------------------------------


def test_show_a_marc_file(marc_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(marc_file)]) == 0
    shown = json.loads(capsys.readouterr().out)["records"]
    assert len(shown) == len(_records()) == 4
    assert [r["position"] for r in shown] == [1, 2, 3, 4]
    for record in shown:
        _assert_is_the_work(record)
        assert record["syntax"] == "usmarc"
    counterpoint = next(r for r in shown if r["title"] == COUNTERPOINT.title)
    assert counterpoint["invalid_isbns"] == list(COUNTERPOINT.cancelled)  # 020 $z as written


def test_show_a_marcxml_file_says_what_the_marc_file_says(
    marc_file: Path, marcxml_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", str(marc_file)]) == 0
    from_marc = json.loads(capsys.readouterr().out)["records"]
    assert main(["show", str(marcxml_file)]) == 0
    from_xml = json.loads(capsys.readouterr().out)["records"]
    assert [r["syntax"] for r in from_xml] == ["marcxml"] * 4
    for marc, xml in zip(from_marc, from_xml, strict=True):
        _assert_is_the_work(xml)
        assert {k: v for k, v in xml.items() if k != "syntax"} == {
            k: v for k, v in marc.items() if k != "syntax"}


@pytest.mark.peers
def test_show_a_mods_file_from_the_copac_style_target(
    copac_style: Zebra, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = run_json(capsys, "search", "--target", copac_style.target(), "--syntax", "xml",
                         "--title", "odyssey")  # fmt: skip
    assert code == 0
    (sent,) = doc["targets"][0]["records"]
    mods = base64.b64decode(sent["data"])
    assert b"http://www.loc.gov/mods/v3" in mods  # what Copac sends: MODS
    path = tmp_path / "odyssey.mods.xml"
    path.write_bytes(mods)
    assert main(["show", "-o", str(tmp_path / "shown.json"), str(path)]) == 0
    (record,) = json.loads((tmp_path / "shown.json").read_text(encoding="utf-8"))["records"]
    assert record["syntax"] == "mods"
    _assert_is_the_work(record)
    assert record["subjects"] == list(ODYSSEY.subjects)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "Cannot open"),
        (b"[tool.ruff]\nline-length = 100\n", "is not a MARC (ISO 2709), MARCXML, MODS"),
        (b"<html><body>no records</body></html>", "holds no MARCXML, MODS or Dublin Core"),
        (b"<record><unclosed>", "records.dat"),
    ],
)
def test_show_an_unreadable_file_says_why(
    content: bytes | None, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "records.dat"
    if content is not None:
        path.write_bytes(content)
    assert main(["show", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert words in captured.err
    assert "Traceback" not in captured.err


def test_show_and_convert_leave_the_network_stack_unloaded(marc_file: Path) -> None:
    code = (
        "import sys\n"
        "from app.cli import main\n"
        f"assert main(['show', '-o', {str(marc_file.with_suffix('.json'))!r}, "
        f"{str(marc_file)!r}]) == 0\n"
        f"assert main(['convert', {str(marc_file)!r}, '-', '--to', 'ris']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('app.net', 'app.targets',"
        " 'app.search', 'asyncio'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)  # fmt: skip
    assert done.stdout.splitlines()[-1] == "[]"


# --- convert ----------------------------------------------------------------------------------


def _convert(*argv: str) -> int:
    return main(["convert", *argv])


def test_convert_marc_to_ris(marc_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "books.ris"
    assert _convert(str(marc_file), str(out)) == 0
    entries = rispy.loads(out.read_text(encoding="utf-8"))
    assert [e["title"] for e in entries] == [ODYSSEY.title, COUNTERPOINT.title, HARMONY.title,
                                             ODYSSEY.title]
    for entry in entries:
        work = next(w for w in WORKS if w.title == entry["title"])
        assert entry["authors"] == list(work.authors)
        assert entry["year"] == str(work.year)


def test_convert_marc_to_bibtex(marc_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "books.bib"
    assert _convert(str(marc_file), str(out)) == 0
    library = bibtexparser.parse_string(out.read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    assert len(library.entries) == 4
    keys = [e.key for e in library.entries]
    assert len(set(keys)) == 4  # the two Odyssey records get keys of their own
    harmony = next(e for e in library.entries if "Harmony" in e.fields_dict["title"].value)
    assert harmony.fields_dict["author"].value == "Aldwell, Edward"
    assert harmony.fields_dict["isbn"].value == HARMONY.isbns[0][0]


def test_convert_marc_to_marcxml_and_back(marc_file: Path, tmp_path: Path) -> None:
    xml = tmp_path / "books.xml"
    assert _convert(str(marc_file), str(xml)) == 0
    from_xml = pymarc.parse_xml_to_array(io.BytesIO(xml.read_bytes()))
    originals = _records()
    assert [r["001"].data for r in from_xml] == [r["001"].data for r in originals]
    assert [r.title for r in from_xml] == [r.title for r in originals]
    assert b"<collection" in yaz_marcdump(xml.read_bytes(), "-i", "marcxml", "-o", "marcxml")

    back = tmp_path / "back.mrc"
    assert _convert(str(xml), str(back)) == 0
    again = list(pymarc.MARCReader(back.read_bytes(), to_unicode=True, force_utf8=True))
    assert [r.as_dict()["fields"] for r in again] == [r.as_dict()["fields"] for r in originals]
    yaz_marcdump(back.read_bytes(), "-n")  # yaz reads every record without complaint


def test_convert_to_standard_output_needs_the_format(
    marc_file: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert _convert(str(marc_file), "-", "--to", "csljson") == 0
    items = json.loads(capsysbinary.readouterr().out)
    assert [i["title"] for i in items][:2] == [ODYSSEY.title, COUNTERPOINT.title]
    assert _convert(str(marc_file), "-") == 2
    assert b"say it with --to" in capsysbinary.readouterr().err


def test_a_record_that_cannot_be_converted_is_named_and_the_others_written(
    marc_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = [r.as_marc() for r in _records()]
    body = b"garbage\x1e"  # a directory that lists no field: the record cannot be read
    broken = b"%05d" % (24 + len(body) + 1) + good[1][5:24] + body + b"\x1d"
    damaged = tmp_path / "damaged.mrc"
    damaged.write_bytes(good[0] + broken + good[2])
    out = tmp_path / "out.ris"
    assert _convert(str(damaged), str(out)) == 1
    err = capsys.readouterr().err
    assert "damaged.mrc, record 2: not converted:" in err
    assert f"1 of 3 records not converted; 2 written to {out}" in err
    titles = [e["title"] for e in rispy.loads(out.read_text(encoding="utf-8"))]
    assert titles == [ODYSSEY.title, HARMONY.title]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["books.txt"], "cannot tell the format of 'OUT/books.txt'"),
        (["books.mrc", "--to", "pdf"], "invalid choice: 'pdf'"),
    ],
)
def test_convert_usage_errors(
    argv: list[str], words: str, marc_file: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert _convert(str(marc_file), str(out / argv[0]), *argv[1:]) == 2
    assert words.replace("OUT", str(out)) in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_convert_never_writes_over_its_input(
    marc_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = marc_file.read_bytes()
    assert _convert(str(marc_file), str(marc_file), "--to", "marc") == 2
    assert "would overwrite the file being converted" in capsys.readouterr().err
    assert marc_file.read_bytes() == before


# --- where the output goes ------------------------------------------------------------------


def test_output_files_keep_their_mode_links_and_devices(
    marc_file: Path, tmp_path: Path
) -> None:
    fresh = tmp_path / "fresh.ris"
    umask = os.umask(0o022)
    try:
        assert _convert(str(marc_file), str(fresh)) == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # not a temporary file's 0600
    fresh.chmod(0o640)
    link = tmp_path / "link.ris"
    link.symlink_to(fresh)
    assert _convert(str(marc_file), str(link), "--to", "ris") == 0
    assert link.is_symlink() and link.resolve() == fresh  # written through the link
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
    assert rispy.loads(fresh.read_text(encoding="utf-8"))[0]["title"] == ODYSSEY.title
    assert sorted(p.name for p in tmp_path.iterdir()) == ["books.mrc", "fresh.ris", "link.ris"]

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert main(["show", "-o", str(fifo), str(marc_file)]) == 0  # a pipe is written, not replaced
    reader.join(30)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert len(json.loads(received[0])["records"]) == 4
