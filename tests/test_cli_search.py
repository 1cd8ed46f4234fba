"""``polycat search`` and ``polycat scan`` grown up: ids from profiles, query kinds, records as
Polycat reads them, the merged list, exports, sorting.

Real zebrasrv peers serve the generated corpus (``zebra``) and the three target styles; every
expectation comes from the corpus itself (its MARC records, its ground-truth merge), never
from a hard-coded answer.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bibtexparser
import pymarc
import pytest
import rispy

from app.cli import main
from app.cli.search import isbn_forms
from tests.corpus import ODYSSEY, corpus, expected_groups, isbn10_of, style_sets
from tests.peers import OCLC_LOGIN, Zebra, run_yaz_client
from tests.test_cli import run_json

ROOT = Path(__file__).resolve().parent.parent
ALL = '@attr 1=_ALLRECORDS @attr 2=103 ""'
OCLC_PASSWORD_VAR = "POLYCAT_TEST_OCLC_PASSWORD"


# --- the corpus as the oracle -------------------------------------------------------------------

TITLE = {"245": "abnp"}
AUTHOR = {tag: "a" for tag in ("100", "110", "111", "700", "710", "711")}


def _words(record: pymarc.Record, fields: dict[str, str]) -> set[str]:
    found: set[str] = set()
    for fld in record.get_fields(*fields):
        text = " ".join(sf.value for sf in fld.subfields if sf.code in fields[fld.tag])
        found.update(re.findall(r"\w+", text.casefold()))
    return found


def isbn_digits(record: pymarc.Record) -> set[str]:
    """Each 020 $a as its digits: "0-14-026886-3 (pbk.)" -> "0140268863"."""
    return {re.sub(r"[^0-9X]", "", a.split()[0]) for f in record.get_fields("020")
            for a in f.get_subfields("a")}


def year_008(record: pymarc.Record) -> int:
    """008/07-10, 0 when not a year ("uuuu")."""
    text = str(record["008"].data)[7:11]
    return int(text) if text.isdigit() else 0


def _control(record: pymarc.Record) -> str:
    return str(record["001"].data)


def corpus_controls(title_word: str, author_word: str) -> set[str]:
    """The 001 of every corpus record with the word in its title and the name in its authors."""
    return {
        _control(r)
        for r in corpus()
        if title_word in _words(r, TITLE) and author_word in _words(r, AUTHOR)
    }


def controls(target: dict[str, Any]) -> list[str]:
    """The 001 of each record a target sent, read by Polycat (control_numbers: [source, 001])."""
    return [r["record"]["control_numbers"][0][1] for r in target["records"]]


def marc_of(record_json: dict[str, Any]) -> pymarc.Record:
    """The bytes the target sent (base64 in "data"), read by pymarc: the independent reading."""
    data = base64.b64decode(record_json["data"])
    (record,) = list(pymarc.MARCReader(data, to_unicode=True, force_utf8=True))
    assert record is not None
    return record


# --- profiles in a user targets folder ------------------------------------------------------


@pytest.fixture
def catalogues(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    zebra: Zebra,
    gbv_style: Zebra,
    oclc_style: Zebra,
    copac_style: Zebra,
) -> Iterator[Path]:
    """A user targets folder (POLYCAT_CONFIG_DIR) with a profile for each local peer."""
    folder = tmp_path / "config" / "targets"
    folder.mkdir(parents=True)
    profiles = {
        "local-books": f'name = "Local books"\nhost = "127.0.0.1"\nport = {zebra.port}\n'
        'databases = ["books"]\n',
        "local-gbv": f'name = "Local GBV"\nhost = "127.0.0.1"\nport = {gbv_style.port}\n'
        'databases = ["olc"]\nsyntaxes = ["usmarc", "marcxml"]\nnegotiate = true\n'
        'style = "gbv"\n[capabilities]\nscan = true\nsort = true\n',
        "local-oclc": f'name = "Local OCLC"\nhost = "127.0.0.1"\nport = {oclc_style.port}\n'
        f'databases = ["WorldCat"]\nauth = "idpass"\nuser = "{OCLC_LOGIN[0]}"\n'
        f'password_env = "{OCLC_PASSWORD_VAR}"\nstyle = "oclc"\n',
        "local-copac": f'name = "Local Copac"\nhost = "127.0.0.1"\nport = {copac_style.port}\n'
        'databases = ["COPAC"]\nsyntaxes = ["mods", "sutrs"]\nstyle = "copac"\n'
        "[query]\nlccn = false\n",
    }
    for name, text in profiles.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("POLYCAT_CONFIG_DIR", str(folder.parent))
    monkeypatch.setenv(OCLC_PASSWORD_VAR, OCLC_LOGIN[1])
    yield folder


# --- query kinds ------------------------------------------------------------------------------


@pytest.mark.peers
def test_an_isbn10_finds_the_record_catalogued_with_the_isbn13(
    zebra: Zebra, capsys: pytest.CaptureFixture[str]
) -> None:
    isbn13 = ODYSSEY.isbns[0][0]
    typed = "0-14-026886-3"
    assert isbn10_of(isbn13) == typed.replace("-", "")  # the corpus' own conversion agrees
    code, doc = run_json(capsys, "search", "--target", zebra.target(), "--isbn", typed)
    assert code == 0
    (target,) = doc["targets"]
    assert target["status"] == "ok"
    by_020 = {_control(marc_of(r)): isbn_digits(marc_of(r)) for r in target["records"]}
    # the plain record has 020 $a 9780140268867 (pbk.), the GBV-style one the ISBN-10
    assert {isbn13} in by_020.values(), by_020
    expected = {_control(r) for r in corpus() if {isbn13, typed.replace("-", "")} & isbn_digits(r)}
    assert set(by_020) == expected and target["hits"] == len(expected) == 2
    for record in target["records"]:
        assert record["record"]["isbns"] == [isbn13]  # normalised, whatever the 020 said
        assert record["record"]["title"] == ODYSSEY.title
        assert record["record"]["authors"] == list(ODYSSEY.authors)
    assert doc["query"] == f"ISBN: {typed}"
    assert target["pqf"] == f"@or @attr 1=7 {typed.replace('-', '')} @attr 1=7 {isbn13}"


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("ISBN-10: 0-14-026886-3", ["0140268863", "9780140268867"]),
        ("978-0-14-026886-7", ["9780140268867", "0140268863"]),
        ("9791032305690", ["9791032305690"]),  # a 979 ISBN has no ISBN-10
        ("0-14-026886-X", ["0-14-026886-X"]),  # a wrong check digit: as typed, with a warning
    ],
)
def test_isbn_forms(typed: str, searched: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert isbn_forms(typed) == searched
    warned = capsys.readouterr().err
    assert ("not a valid ISBN" in warned) == (typed == "0-14-026886-X")


@pytest.mark.peers
def test_title_and_author_combine_with_and(
    zebra: Zebra, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = corpus_controls("water", "abbott")
    assert len(expected) >= 2  # the corpus gives this pair to more than one book
    code, doc = run_json(
        capsys, "search", "--target", zebra.target(), "--title", "water", "--author", "Abbott",
        "--limit", "50",
    )  # fmt: skip
    assert code == 0
    (target,) = doc["targets"]
    assert set(controls(target)) == expected and target["hits"] == len(expected)
    assert target["pqf"].startswith("@and ")
    for record in target["records"]:
        assert "water" in record["record"]["title"].casefold()
        assert any(a.startswith("Abbott, ") for a in record["record"]["authors"])
    assert doc["query"] == "title: water AND author: Abbott"


@pytest.mark.peers
def test_ccl_finds_what_the_form_finds(zebra: Zebra, capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = run_json(
        capsys, "search", "--target", zebra.target(), "--ccl", "ti=water and au=abbott",
        "--limit", "50",
    )  # fmt: skip
    assert code == 0
    (target,) = doc["targets"]
    assert set(controls(target)) == corpus_controls("water", "abbott")
    assert doc["query"] == "ti=water and au=abbott"


@pytest.mark.peers
def test_a_year_range_is_searched_as_a_range(
    zebra: Zebra, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = run_json(
        capsys, "search", "--target", zebra.target(), "--title", "water", "--year", "1960-1990",
        "--limit", "50",
    )  # fmt: skip
    assert code == 0
    years = [r["record"]["year"] for r in doc["targets"][0]["records"]]
    expected = [
        _control(r) for r in corpus()
        if "water" in _words(r, TITLE) and 1960 <= year_008(r) <= 1990
    ]  # fmt: skip
    assert len(years) == len(expected) > 0
    assert all(1960 <= y <= 1990 for y in years)


@pytest.mark.peers
def test_syntax_and_elements_override_what_the_target_gets(
    copac_style: Zebra, capsys: pytest.CaptureFixture[str]
) -> None:
    asked = ["search", "--target", copac_style.target(), "--title", "odyssey"]
    code, doc = run_json(capsys, *asked)  # an address asks for USMARC, which Copac refuses
    assert code == 1
    assert doc["targets"][0]["error"]["code"] == 239
    records = {}
    for elements in ("B", "F"):
        code, doc = run_json(capsys, *asked, "--syntax", "xml", "--elements", elements)
        assert code == 0
        (records[elements],) = doc["targets"][0]["records"]
        assert records[elements]["syntax"] == "xml"
    brief, full = records["B"]["record"], records["F"]["record"]
    assert brief["title"] == full["title"] == ODYSSEY.title
    assert (brief["subjects"], full["subjects"]) == ([], list(ODYSSEY.subjects))  # B is brief
    assert len(records["B"]["data"]) < len(records["F"]["data"])


# --- target ids from profiles -----------------------------------------------------------------


@pytest.mark.peers
def test_a_target_id_from_the_users_profiles(
    catalogues: Path, zebra: Zebra, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = run_json(capsys, "search", "--target", "local-books", "--title", "odyssey")
    assert code == 0
    (target,) = doc["targets"]
    assert (target["id"], target["name"]) == ("local-books", "Local books")
    assert target["target"] == zebra.target()
    assert (target["status"], target["hits"], target["fetched"]) == ("ok", 2, 2)
    for record in target["records"]:
        read = record["record"]
        assert (read["title"], read["nonsort"]) == (ODYSSEY.title, "The ")
        assert read["authors"] == list(ODYSSEY.authors)
        assert read["isbns"] == [ODYSSEY.isbns[0][0]]
        assert (read["year"], read["publisher"]) == (ODYSSEY.year, ODYSSEY.publisher)
        assert read["subjects"] == list(ODYSSEY.subjects)
        assert read["error"] is None
        assert record["syntax"] == "usmarc"
        assert _control(marc_of(record)) == read["control_numbers"][0][1]


def test_an_unknown_target_id_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "targets"
    folder.mkdir()
    (folder / "local-books.toml").write_text('host = "127.0.0.1"\nport = 9\n', encoding="utf-8")
    monkeypatch.setenv("POLYCAT_CONFIG_DIR", str(tmp_path))
    assert main(["search", "--target", "local-bokos", "--title", "x"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no catalogue called 'local-bokos'" in captured.err
    assert "Did you mean local-books" in captured.err


# --- the merged list --------------------------------------------------------------------------


def _group_of(doc: dict[str, Any], entry: dict[str, Any], names: dict[str, str]) -> frozenset[
        tuple[str, str]]:
    """An entry's sources as (catalogue, 001), read from the records they point at."""
    by_target = {t["name"]: t for t in doc["targets"]}
    group = set()
    for source in entry["sources"]:
        target = by_target[source["target"]]
        (record,) = [r for r in target["records"] if r["position"] == source["position"]]
        group.add((names[target["id"]], record["record"]["control_numbers"][0][1]))
    return frozenset(group)


@pytest.mark.peers
def test_a_shared_isbn_merges_the_gbv_and_oclc_records(
    catalogues: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    isbn13 = ODYSSEY.isbns[0][0]
    code, doc = run_json(
        capsys, "search", "--target", "local-gbv", "--target", "local-oclc", "--isbn", isbn13
    )
    assert code == 0
    assert [t["status"] for t in doc["targets"]] == ["ok", "ok"]
    names = {"local-gbv": "gbv", "local-oclc": "oclc"}
    sets = style_sets()
    truth = [g for g in expected_groups({k: sets[k] for k in ("gbv", "oclc")})
             if any(control.startswith("ocm") and control == f"ocm{ODYSSEY.oclc:08d}"
                    for _, control in g)]
    (entry,) = doc["merged"]
    assert {"key", "isbns", "title", "authors", "year", "sources", "why"} <= set(entry)
    assert _group_of(doc, entry, names) == truth[0]
    assert entry["key"] == f"isbn:{isbn13}"
    assert entry["isbns"] == [isbn13]
    assert (entry["title"], entry["authors"], entry["year"]) == (
        ODYSSEY.title, list(ODYSSEY.authors), ODYSSEY.year)
    assert entry["why"][0] == f"same ISBN {isbn13} (Local GBV, Local OCLC)"


@pytest.mark.peers
def test_every_record_of_two_styles_merges_as_the_ground_truth(
    catalogues: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = run_json(
        capsys, "search", "--target", "local-gbv", "--target", "local-oclc", "--pqf", ALL,
        "--limit", "1000",
    )  # fmt: skip
    assert code == 0
    sets = style_sets()
    assert [t["fetched"] for t in doc["targets"]] == [len(sets["gbv"]), len(sets["oclc"])]
    names = {"local-gbv": "gbv", "local-oclc": "oclc"}
    got = {_group_of(doc, entry, names) for entry in doc["merged"]}
    expected = set(expected_groups({k: sets[k] for k in ("gbv", "oclc")}))
    assert sorted(got ^ expected, key=sorted) == []
    # merged target by target in the order given: the first entry is GBV's first record
    first = doc["merged"][0]["sources"][0]
    assert (first["target"], first["position"]) == ("Local GBV", 1)


@pytest.mark.peers
def test_text_shows_each_target_then_the_merged_list(
    catalogues: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["search", "--target", "local-gbv", "--target", "local-oclc",
                 "--target", "local-copac", "--title", "odyssey"])  # fmt: skip
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0].startswith("Local GBV (127.0.0.1:") and out[0].endswith(": 1 hits, 1 fetched")
    assert out[1].split()[:2] == ["1", "usmarc"] and "The Odyssey / Homer (1997)" in out[1]
    assert out[5].split()[:2] == ["1", "xml"]  # Copac sends MODS
    assert out[7] == "Merged: 1 entry from 3 records"
    assert out[8].startswith("   1. The Odyssey / Homer (1997)  ISBN 9780140268867")
    assert out[9] == "        from Local GBV #1, Local OCLC #1, Local Copac #1"
    assert "same ISBN 9780140268867 (Local GBV, Local OCLC, Local Copac)" in out[10]


# --- exports ------------------------------------------------------------------------------------


@pytest.fixture
def odyssey_and_byzantium(catalogues: Path) -> list[str]:
    """Arguments of a search on three styles whose merged list has several entries."""
    return ["search", "--target", "local-gbv", "--target", "local-oclc", "--target",
            "local-copac", "--ccl", "ti=odyssey or ti=byzantine"]


def _merged(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[dict[str, Any]]:
    code, doc = run_json(capsys, *argv)
    assert code == 0
    merged: list[dict[str, Any]] = doc["merged"]
    assert len(merged) >= 3
    return merged


@pytest.mark.peers
@pytest.mark.parametrize("fmt", ["ris", "bibtex", "csljson", "marc", "marcxml"])
def test_every_export_format_reads_back(
    fmt: str, odyssey_and_byzantium: list[str], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    merged = _merged(capsys, odyssey_and_byzantium)
    out = tmp_path / f"export.{fmt}"
    assert main([*odyssey_and_byzantium, "--format", fmt, "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    data = out.read_bytes()
    titles: list[str]
    isbns: list[str]
    if fmt == "ris":
        entries = rispy.loads(data.decode("utf-8"))
        titles = [e["title"] for e in entries]
        isbns = [i for e in entries for i in ([e["issn"]] if isinstance(e.get("issn"), str)
                                              else e.get("issn", []))]
    elif fmt == "bibtex":
        library = bibtexparser.parse_string(data.decode("utf-8"))
        assert library.failed_blocks == []
        titles = [e.fields_dict["title"].value.replace("{", "").replace("}", "")
                  for e in library.entries]
        isbns = [e.fields_dict["isbn"].value for e in library.entries if "isbn" in e.fields_dict]
    elif fmt == "csljson":
        items = json.loads(data)
        titles = [i["title"] for i in items]
        isbns = [i["ISBN"] for i in items if "ISBN" in i]
    else:
        records = (list(pymarc.MARCReader(data, to_unicode=True, force_utf8=True))
                   if fmt == "marc" else pymarc.parse_xml_to_array(io.BytesIO(data)))
        assert all(r is not None for r in records)
        titles = [r["245"].get_subfields("a")[0].rstrip(" :/.") for r in records]
        isbns = [re.sub(r"\D", "", r["020"].get_subfields("a")[0])[:13] for r in records
                 if r["020"] is not None]
    assert len(titles) == len(merged)
    for title, entry in zip(titles, merged, strict=True):
        assert title.startswith(entry["title"]), (title, entry["title"])
    carried = {i for e in merged for i in e["isbns"]}
    carried |= {isbn10_of(i) for i in carried if i.startswith("978")}
    written = {re.sub(r"[^0-9X]", "", t.upper()) for i in isbns for t in re.split(r"[,;\s]+", i)}
    assert written and written - {""} <= carried  # every ISBN written is one of the entries'



@pytest.mark.peers
def test_marc_on_standard_output_is_binary_safe(
    odyssey_and_byzantium: list[str], catalogues: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", *odyssey_and_byzantium, "--format", "marc"],
        cwd=ROOT, env=env, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    records = list(pymarc.MARCReader(done.stdout, to_unicode=True, force_utf8=True))
    assert len(records) >= 3 and all(r is not None for r in records)
    assert all(int(chunk[:5]) == len(chunk) + 1 for chunk in done.stdout.split(b"\x1d")[:-1])


# --- sorting --------------------------------------------------------------------------------


@pytest.mark.peers
@pytest.mark.parametrize("order", ["year", "year-desc", "title", "author"])
def test_sort_orders_the_merged_list(
    order: str, zebra: Zebra, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = run_json(
        capsys, "search", "--target", zebra.target(), "--title", "history", "--limit", "40",
        "--sort", order,
    )  # fmt: skip
    assert code == 0
    merged = doc["merged"]
    assert len(merged) >= 10
    if order.startswith("year"):
        years = [e["year"] for e in merged if e["year"] is not None]
        assert years == sorted(years, reverse=order == "year-desc")
        assert all(e["year"] is None for e in merged[len(years):])  # undated last
    else:
        keys = [e["title"].casefold().removeprefix("a ").removeprefix("the ")
                if order == "title" else e["authors"][0].casefold() for e in merged
                if (e["title"] if order == "title" else e["authors"])]
        assert keys == sorted(keys)


@pytest.mark.peers
def test_a_target_that_can_sort_is_asked_to(
    catalogues: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = run_json(
        capsys, "search", "--target", "local-gbv", "--pqf", ALL, "--limit", "30",
        "--sort", "year-desc",
    )  # fmt: skip
    assert code == 0
    years = [r["record"]["year"] for r in doc["targets"][0]["records"]]
    dated = [y for y in years if y is not None]
    assert dated == sorted(dated, reverse=True) and len(dated) >= 20  # in the target's order


# --- per-target failures and usage errors ------------------------------------------------------


@pytest.mark.peers
def test_a_target_without_the_index_is_told_and_not_contacted(
    catalogues: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = run_json(
        capsys, "search", "--target", "local-copac", "--target", "local-books",
        "--lccn", "n 78890351",
    )  # fmt: skip
    assert code == 0  # the other one answered
    copac, books = doc["targets"]
    assert copac["status"] == "error"
    assert copac["error"] == {"kind": "unsupported", "code": None,
                              "message": "Local Copac cannot search by LCCN"}
    assert copac["init"] is None and copac["hits"] is None
    assert books["status"] == "ok"


@pytest.mark.peers
def test_login_from_the_profiles_password_variable(
    catalogues: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = run_json(capsys, "search", "--target", "local-oclc", "--title", "odyssey")
    assert code == 0 and doc["targets"][0]["fetched"] == 1
    monkeypatch.setenv(OCLC_PASSWORD_VAR, "wrong")
    code, doc = run_json(capsys, "search", "--target", "local-oclc", "--title", "odyssey")
    assert code == 1
    assert doc["targets"][0]["error"]["kind"] == "login"
    assert doc["targets"][0]["error"]["code"] == 1011


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--ccl", "ti=(water"], "')' expected at the end (at position 10)\n  ti=(water\n"
                                 + " " * 11 + "^"),
        (["--ccl", "ti=water and and"], "at position 14)\n  ti=water and and\n" + " " * 15 + "^"),
        (["--pqf", "@and a"], "the query cannot be read"),
        (["--year", "19x0"], "--year 19x0: not a year"),
        (["--year", "2000-1990"], "The years run backwards: 2000 to 1990"),
        (["--title", "x", "--pqf", "y"], "give one kind of query: --pqf, --ccl or search fields"),
        (["--title", " "], "empty"),
        ([], "--pqf PQF, --ccl CCL, or search fields"),
        (["--title", "x", "--user", "u", "--password-env", "PATH", "--syntax", "usmarc",
          "--sort", "nosuch"], "invalid choice: 'nosuch'"),
        (["--title", "x", "--format", "pdf"], "invalid choice: 'pdf'"),
        (["--title", "x", "--password-env", "PATH"], "--password-env needs --user"),
        (["--title", "x", "--syntax", "marc99"], "unknown record syntax 'marc99'"),
    ],
)
def test_usage_errors_point_at_the_problem(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "--target", "127.0.0.1:9/books", *argv]) == 2
    captured = capsys.readouterr()
    assert words in captured.err
    assert captured.out == ""


# --- scan -------------------------------------------------------------------------------------


@pytest.mark.peers
def test_scan_a_target_id_as_yaz_client_does(
    catalogues: Path, gbv_style: Zebra, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run_yaz_client([f"open tcp:{gbv_style.target()}", "scan @attr 1=4 odyssey"])
    judged = [f"{m.group(1)} ({m.group(2)})"
              for m in re.finditer(r"^[* ] (.+) \((\d+)\)$", out, flags=re.MULTILINE)]
    assert len(judged) >= 5
    # the text shows terms as the catalogue displays them, as yaz-client does
    assert main(["scan", "--target", "local-gbv", "--pqf", "@attr 1=4 odyssey"]) == 0
    assert capsys.readouterr().out.splitlines() == judged
    code, doc = run_json(capsys, "scan", "--target", "local-gbv", "--pqf", "@attr 1=4 odyssey")
    assert code == 0
    assert (doc["id"], doc["name"], doc["target"]) == ("local-gbv", "Local GBV",
                                                       gbv_style.target())
    # the JSON keeps the index's own form of each term (folded), the one to search with
    shown = [line.rsplit(" (", 1) for line in judged]
    assert [(e["count"]) for e in doc["entries"]] == [int(n.rstrip(")")) for _, n in shown]
    assert all(e["term"] == text.lower() for e, (text, _) in zip(doc["entries"], shown,
                                                                  strict=True) if text.isascii())
