"""Batch ISBN lookup: the list readers, the state file, and runs against real style zebras.

The expected matrix is computed from the corpus records themselves (which catalogue holds
which ISBN in 020 $a, and how many records), never from what Polycat answered. Requests are
counted by an opener that wraps each association Polycat opens.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy
from stdnum import isbn as stdnum_isbn

from app.export.choose import completeness
from app.net import Association, Behaviour, serve
from app.records import read_record
from app.records.identifiers import normalize_isbn
from app.search.batch import (
    BatchError,
    BatchLookup,
    BatchProgress,
    Cell,
    HoldingsMatrix,
    StateFile,
    batch_command,
    read_isbn_list,
    read_isbn_text,
    write_matrix_csv,
    write_matrix_json,
)
from app.search.sessions import Sessions, open_association
from app.targets import TargetProfile, Timeouts, load_profiles
from app.z3950.oids import XML
from app.z3950.rpn import RPNQuery, Term, terms
from tests.corpus import ODYSSEY, isbn13, style_sets
from tests.net.samples import BOOKS, catalogue
from tests.peers import OCLC_LOGIN, Zebra, fetch_raw

ROOT = Path(__file__).resolve().parents[2]

# --- the ISBN list -------------------------------------------------------------------------


def test_plain_lines_normalise_dedupe_and_report_bad_lines() -> None:
    text = "\n".join([
        "# wanted for the spring order",           # 1 comment
        "978-0-19-852663-6",                        # 2 hyphens
        "",                                         # 3 blank
        "0198526636",                               # 4 the same book as ISBN-10: a duplicate
        "ISBN: 0-262-03384-4  # second copy",       # 5 label and trailing comment
        "9780198526637",                            # 6 wrong check digit
        "97801985266",                              # 7 too short
        "just a note",                              # 8 no number at all
        "9780140436310,The descent of man,Darwin",  # 9 a CSV row
        "0-19-852663-X (pbk.)",                     # 10 ISBN-10 with a wrong X check digit
        "9780192834386 0140268863",                 # 11 two books one blank apart
        "  979-10-90636-07-1  ",                    # 12 a 979 ISBN (no ISBN-10 form)
    ])
    found = read_isbn_text(text)
    assert list(found) == [
        "9780198526636",
        "9780262033848",
        "9780140436310",
        "9780192834386",
        "9780140268867",
        "9791090636071",
    ]
    assert found.duplicates == 1
    skipped = {s.line: s for s in found.skipped}
    assert sorted(skipped) == [6, 7, 8, 10]
    assert "wrong check digit" in skipped[6].reason
    assert "13 digits, this has 11" in skipped[7].reason
    assert skipped[8].reason == "no ISBN on this line"
    assert "wrong check digit" in skipped[10].reason
    assert skipped[6].text == "9780198526637"


def test_ris_takes_sn_and_bn_and_names_references_without_isbn(tmp_path: Path) -> None:
    ris = textwrap.dedent("""\
        TY  - BOOK
        TI  - The Odyssey
        SN  - 0140268863; 978-0-14-026886-7
        ER  -

        TY  - JOUR
        TI  - A journal article
        SN  - 0022-2259
        ER  -

        TY  - BOOK
        T1  - Two numbers
        BN  - 9780262033848
        SN  - 0-19-852663-6 (pbk.)
        ER  -
        """)
    path = tmp_path / "refs.ris"
    path.write_text(ris, encoding="utf-8")
    found = read_isbn_list(path)
    assert list(found) == ["9780140268867", "9780262033848", "9780198526636"]
    assert [(s.line, s.text) for s in found.skipped] == [(6, "A journal article")]
    assert "no ISBN in this reference" in found.skipped[0].reason
    # the judge: rispy reads the same references, and every ISBN it sees is one we took
    judged = rispy.loads(ris)
    numbers = [n for ref in judged for n in [ref.get("issn", "")] if n]
    by_rispy = {normalize_isbn(p) for n in numbers for p in n.split(";")} - {None}
    assert by_rispy <= set(found)


def test_bibtex_fields_braces_quotes_and_entries_without_isbn(tmp_path: Path) -> None:
    bib = textwrap.dedent("""\
        @string{oup = "Oxford University Press"}
        @comment{isbn = {9780262033848} is not an entry}
        @book{homer,
          title = {The {Odyssey}: a {new} translation},
          publisher = oup,
          ISBN = {0-14-026886-3},
        }
        @Book(knuth,
          title = "The art of computer programming",
          isbn = "978-0-201-89683-1, 0201896834",
        )
        @article{article1,
          title = {A paper {with} no ISBN},
          issn = {0022-2259}
        }
        @book{bare, isbn = 9780192834386}
        """)
    path = tmp_path / "refs.bib"
    path.write_text(bib, encoding="utf-8")
    found = read_isbn_list(path)
    assert list(found) == ["9780140268867", "9780201896831", "9780192834386"]
    assert found.duplicates == 1  # Knuth's ISBN-10 is the same book
    assert [(s.line, s.text.split(":")[0]) for s in found.skipped] == [(12, "article1")]
    # the judge: bibtexparser's ISBN fields give the same numbers
    library = bibtexparser.parse_string(bib)
    judged = [
        normalize_isbn(part)
        for entry in library.entries
        for key, value in entry.fields_dict.items()
        if key.lower() == "isbn"
        for part in str(value.value).split(",")
    ]
    assert list(dict.fromkeys(j for j in judged if j)) == list(found)


def test_list_files_in_latin1_with_bom_or_missing(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("9780198526636 Bücher\n".encode("latin-1"))
    assert list(read_isbn_list(latin)) == ["9780198526636"]
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf0198526636\r\n")
    assert list(read_isbn_list(bom)) == ["9780198526636"]
    with pytest.raises(BatchError, match=r"Cannot read the ISBN list .*missing\.txt"):
        read_isbn_list(tmp_path / "missing.txt")


# --- the state file and the matrix -----------------------------------------------------------


def _profile(pid: str, port: int = 1, **changes: Any) -> TargetProfile:
    return dataclasses.replace(TargetProfile(id=pid, name=pid.upper(), host="127.0.0.1",
                                             port=port), **changes)


def test_state_file_survives_a_line_cut_short_and_refuses_a_second_user(tmp_path: Path) -> None:
    path = tmp_path / "state.jsonl"

    async def write_two() -> None:
        state = StateFile(path)
        assert state.open() == {}
        state.append(Cell("9780198526636", "a", "found", 2, title="One"))
        with pytest.raises(BatchError, match="Another batch lookup is using the state file"):
            StateFile(path).open()
        state.append(Cell("9780198526636", "b", "not found"))
        state.close()

    asyncio.run(write_two())
    with path.open("a", encoding="utf-8") as f:
        f.write('{"v": 1, "isbn": "97801')  # the process died in the middle of a line

    async def read_again() -> dict[tuple[str, str], Cell]:
        state = StateFile(path)
        cells = state.open()
        assert state.unreadable == 1
        state.append(Cell("9780262033848", "a", "error", error="timeout"))
        state.close()
        return cells

    cells = asyncio.run(read_again())
    assert {k: (c.status, c.hits, c.resumed) for k, c in cells.items()} == {
        ("9780198526636", "a"): ("found", 2, True),
        ("9780198526636", "b"): ("not found", 0, True),
    }
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and json.loads(lines[-1])["status"] == "error"


def test_matrix_best_record_is_the_highest_score_ties_to_the_first_catalogue() -> None:
    isbn = "9780198526636"
    matrix = HoldingsMatrix([isbn], [_profile("a"), _profile("b"), _profile("c")])
    matrix.add(Cell(isbn, "c", "found", 1, title="From C", score=7, record={"title": "C"}))
    matrix.add(Cell(isbn, "b", "found", 1, title="From B", score=7, record={"title": "B"}))
    matrix.add(Cell(isbn, "a", "found", 1, title="From A", score=5, record={"title": "A"}))
    row = matrix.rows[0]
    assert (row.best_catalogue, row.title, row.best) == ("b", "From B", {"title": "B"})
    assert not matrix.add(Cell("9780262033848", "a", "found"))  # not a row of this matrix
    assert matrix.complete


# --- real zebras -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _oclc_password(profile: TargetProfile) -> str | None:
    return OCLC_LOGIN[1] if profile.style == "oclc" else None


@pytest.fixture(scope="module")
def styles(copac_style: Zebra, gbv_style: Zebra, oclc_style: Zebra) -> dict[str, TargetProfile]:
    shipped = load_profiles(include_examples=True)

    def local(name: str, peer: Zebra, **changes: Any) -> TargetProfile:
        return dataclasses.replace(
            shipped[f"{name}-style"], host="127.0.0.1", port=peer.port, **changes
        )

    return {
        "copac": local("copac", copac_style),
        # the local peer is the UTF-8 flavour of the style: database "olc", no filter
        "gbv": local("gbv", gbv_style, databases=("olc",)),
        # the shipped OCLC pause (0.5 s) is kept only where a test is about the pause
        "oclc": local("oclc", oclc_style, user=OCLC_LOGIN[0], pause_between_requests=0.0),
    }


def _holdings() -> dict[str, Counter[str]]:
    """The ground truth: catalogue -> ISBN-13 -> records holding it in 020 $a."""
    truth: dict[str, Counter[str]] = {}
    for name, records in style_sets().items():
        counted: Counter[str] = Counter()
        for record in records:
            numbers = {normalize_isbn(a) for f in record.get_fields("020")
                       for a in f.get_subfields("a")}
            counted.update(n for n in numbers if n)
        truth[name] = counted
    return truth


def _wanted() -> list[str]:
    truth = _holdings()
    held = sorted(set().union(*truth.values()))
    cancelled = {normalize_isbn(z) for records in style_sets().values() for r in records
                 for f in r.get_fields("020") for z in f.get_subfields("z")} - {None}
    nowhere = ["9780000000002", "9781111111113"]  # valid ISBNs no catalogue holds
    return held + sorted(c for c in cancelled if c and c not in held) + nowhere


def _isbn_of(query: RPNQuery | str) -> str:
    assert isinstance(query, RPNQuery)
    for term in terms(query.root):
        if isinstance(term, Term) and (number := normalize_isbn(term.text)):
            return number
    raise AssertionError(f"no ISBN in {query}")


class Recorder:
    """An opener that counts what Polycat asks: every Init, Search and Present, per
    association, with the pauses in between (in the order they happened)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, int, Any]] = []  # (kind, catalogue, assoc, what)
        self.opened: list[tuple[str, Association]] = []
        self.most_at_once: Counter[str] = Counter()

    async def open(self, profile: TargetProfile, password: str | None = None) -> Association:
        self.events.append(("init", profile.id, len(self.opened), None))
        assoc = await open_association(profile, password)
        number = len(self.opened)
        live = sum(1 for pid, a in self.opened if pid == profile.id and not a.closed)
        self.most_at_once[profile.id] = max(self.most_at_once[profile.id], live + 1)
        self.opened.append((profile.id, assoc))
        search, present = assoc.search, assoc.present

        async def counted_search(query: RPNQuery | str, *args: Any, **kwargs: Any) -> Any:
            self.events.append(("search", profile.id, number, _isbn_of(query)))
            return await search(query, *args, **kwargs)

        async def counted_present(*args: Any, **kwargs: Any) -> Any:
            self.events.append(("present", profile.id, number, None))
            return await present(*args, **kwargs)

        assoc.search = counted_search  # type: ignore[method-assign]
        assoc.present = counted_present  # type: ignore[method-assign]
        return assoc

    async def sleep(self, seconds: float) -> None:
        self.events.append(("pause", "", -1, seconds))
        await asyncio.sleep(0)

    def searches(self, catalogue: str | None = None) -> Counter[tuple[str, str]]:
        return Counter((c, what) for kind, c, _, what in self.events
                       if kind == "search" and catalogue in (None, c))


def _lookup(
    isbns: Sequence[str],
    profiles: Sequence[TargetProfile],
    state: Path,
    recorder: Recorder,
    **options: Any,
) -> BatchLookup:
    return BatchLookup(isbns, profiles, state_path=state, sessions=Sessions(recorder.open),
                       passwords=_oclc_password, sleep=recorder.sleep, **options)


async def _drain(lookup: BatchLookup) -> list[BatchProgress | Cell]:
    async with contextlib.aclosing(lookup.run()) as events:
        return [event async for event in events]


def test_found_not_found_and_error_cells_match_the_corpus(
    styles: dict[str, TargetProfile], tmp_path: Path
) -> None:
    dead = _profile("dead", _free_port(), name="Dead catalogue")
    profiles = [styles["copac"], styles["gbv"], styles["oclc"], dead]
    isbns = _wanted()
    recorder = Recorder()
    lookup = _lookup(isbns, profiles, tmp_path / "state.jsonl", recorder)
    events = asyncio.run(_drain(lookup))

    truth = _holdings()
    told = {(e.isbn, e.catalogue): e for e in events if isinstance(e, Cell)}
    for row in lookup.matrix.rows:
        for name in ("copac", "gbv", "oclc"):
            cell = row.cells[styles[name].id]
            expected = truth[name][row.isbn]
            assert (cell.status, cell.hits) == (
                ("found", expected) if expected else ("not found", 0)
            ), (row.isbn, name, cell)
            if expected:  # the record told with the cell is one holding this ISBN
                record = told[row.isbn, styles[name].id].record
                assert record is not None and row.isbn in record["isbns"]
                assert cell.error == "" and cell.title
        dead_cell = row.cells["dead"]
        assert dead_cell.status == "error"
        assert dead_cell.error == (
            f"cannot connect to 127.0.0.1:{dead.port}: connection refused"
            " (nothing answers on that port)")
    # each cell searched once; the dead catalogue never got past the first connection
    assert set(recorder.searches().values()) == {1}
    assert len(recorder.searches()) == len(isbns) * 3
    assert [e for e in recorder.events if e[1] == "dead"] == [("init", "dead", 0, None)]
    # the story: a progress, then each cell with a progress; the last says it all
    cells = [e for e in events if isinstance(e, Cell)]
    assert len(cells) == len(isbns) * 4 and not any(c.resumed for c in cells)
    final = events[-1]
    assert isinstance(final, BatchProgress)
    assert (final.done, final.total, final.errors) == (len(isbns) * 4, len(isbns) * 4,
                                                         len(isbns))
    held_somewhere = sum(1 for i in isbns for t in truth.values() if t[i])
    assert final.found == held_somewhere


def test_the_row_best_record_is_the_most_complete_read_independently(
    styles: dict[str, TargetProfile], tmp_path: Path
) -> None:
    isbn = normalize_isbn(ODYSSEY.isbns[0][0])
    assert isbn is not None
    profiles = [styles["copac"], styles["gbv"], styles["oclc"]]
    lookup = _lookup([isbn], profiles, tmp_path / "state.jsonl", Recorder())
    asyncio.run(_drain(lookup))
    row = lookup.matrix.rows[0]
    assert all(c.status == "found" for c in row.cells.values())

    # the same records fetched by yaz-client and scored by the export's rule
    scores = {}
    for name, syntax, oid in (("copac", "xml", XML), ("gbv", "usmarc", "1.2.840.10003.5.10"),
                              ("oclc", "usmarc", "1.2.840.10003.5.10")):
        profile = styles[name]
        data = fetch_raw(
            f"127.0.0.1:{profile.port}/{profile.databases[0]}",
            f"@attr 1=7 {stdnum_isbn.to_isbn10(isbn)}" if name == "gbv" else f"@attr 1=7 {isbn}",
            syntax=syntax, elements="F",
            auth=OCLC_LOGIN if name == "oclc" else None,
        )
        scores[profile.id] = completeness(read_record(oid, data, target=profile.name))
    best = max(scores.values())
    expected = next(p.id for p in profiles if scores[p.id] == best)
    assert {p.id: row.cells[p.id].score for p in profiles} == scores
    assert row.best_catalogue == expected
    assert row.best is not None and row.best["target"] == styles_name(profiles, expected)
    assert row.title.startswith("The Odyssey")


def styles_name(profiles: Sequence[TargetProfile], pid: str) -> str:
    return next(p.name for p in profiles if p.id == pid)


def test_the_pause_comes_between_every_two_requests(
    styles: dict[str, TargetProfile], oclc_style: Zebra, tmp_path: Path
) -> None:
    shipped_pause = load_profiles(include_examples=True)["oclc-style"].pause_between_requests
    assert shipped_pause > 0 and styles["oclc"].max_sessions == 1
    oclc = dataclasses.replace(styles["oclc"], pause_between_requests=shipped_pause)
    isbns = _wanted()[:8]
    recorder = Recorder()
    asyncio.run(_drain(_lookup(isbns, [oclc], tmp_path / "state.jsonl", recorder)))
    kinds = [kind for kind, *_ in recorder.events]
    # init, pause, search, pause, search ... : one association, never two requests unpaused
    assert kinds[0] == "init"
    assert kinds[1::2] == ["pause"] * (len(kinds) // 2)
    assert set(kinds[0::2]) <= {"init", "search", "present"}
    assert kinds.count("search") == len(isbns) and kinds.count("init") == 1
    assert {what for kind, _, _, what in recorder.events if kind == "pause"} == {shipped_pause}


def test_max_sessions_splits_the_list_and_is_never_exceeded(
    styles: dict[str, TargetProfile], tmp_path: Path
) -> None:
    isbns = _wanted()
    two = dataclasses.replace(styles["gbv"], max_sessions=2)
    one = dataclasses.replace(styles["copac"], max_sessions=1)
    recorder = Recorder()
    asyncio.run(_drain(_lookup(isbns, [two, one], tmp_path / "state.jsonl", recorder)))
    assert recorder.most_at_once == {two.id: 2, one.id: 1}
    by_assoc = Counter((c, n) for kind, c, n, _ in recorder.events if kind == "search")
    shares = sorted(count for (c, _), count in by_assoc.items() if c == two.id)
    assert len(shares) == 2 and sum(shares) == len(isbns) and min(shares) > 0
    assert set(recorder.searches().values()) == {1}


def test_resume_after_cancel_searches_no_finished_cell_again(
    styles: dict[str, TargetProfile], tmp_path: Path
) -> None:
    isbns = _wanted()
    profiles = [dataclasses.replace(styles["gbv"], max_sessions=2), styles["copac"]]
    state = tmp_path / "state.jsonl"
    first = Recorder()
    lookup = _lookup(isbns, profiles, state, first)
    stop_after = 25

    async def interrupted() -> int:
        seen = 0

        async def consume() -> None:
            nonlocal seen
            async for event in lookup.run():
                if isinstance(event, Cell):
                    seen += 1
                    if seen == stop_after:
                        task.cancel()  # as Ctrl-C or the Stop button does
                        await asyncio.sleep(0)

        task = asyncio.ensure_future(consume())
        with pytest.raises(asyncio.CancelledError):
            await task
        return seen

    assert asyncio.run(interrupted()) == stop_after
    journaled = [json.loads(line) for line in state.read_text("utf-8").splitlines()]
    done_first = {(e["catalogue"], e["isbn"]) for e in journaled}
    assert len(done_first) == len(journaled) >= stop_after
    assert len(done_first) < len(isbns) * len(profiles)
    in_flight = set(first.searches()) - done_first
    assert len(in_flight) <= sum(p.max_sessions for p in profiles)  # one per session

    second = Recorder()
    again = _lookup(isbns, profiles, state, second)
    events = asyncio.run(_drain(again))
    searched_again = set(second.searches())
    assert searched_again.isdisjoint(done_first)
    assert set(second.searches().values()) == {1}
    assert searched_again | done_first == {(p.id, i) for p in profiles for i in isbns}
    resumed = [e for e in events if isinstance(e, Cell) and e.resumed]
    assert len(resumed) == len(done_first)
    assert again.matrix.complete

    truth = _holdings()
    for row in again.matrix.rows:
        for name, profile in zip(("gbv", "copac"), profiles, strict=True):
            assert row.cells[profile.id].hits == truth[name][row.isbn], (row.isbn, name)
    lines = state.read_text("utf-8").splitlines()
    assert len(lines) == len({(json.loads(x)["catalogue"], json.loads(x)["isbn"])
                              for x in lines}) == len(isbns) * 2


def test_resume_after_the_process_is_killed(
    styles: dict[str, TargetProfile], tmp_path: Path
) -> None:
    """A real crash: the lookup runs in a child process that gets SIGKILL mid-way."""
    gbv = dataclasses.replace(styles["gbv"], max_sessions=1, pause_between_requests=0.02)
    nowhere = [isbn13(f"978000{n:06d}") for n in range(300)]  # held by no catalogue
    isbns = list(dict.fromkeys(_wanted() + nowhere))
    listing = tmp_path / "isbns.txt"
    listing.write_text("\n".join(isbns) + "\n", encoding="utf-8")
    state = tmp_path / "state.jsonl"
    child = tmp_path / "child.py"
    child.write_text(textwrap.dedent(f"""\
        import asyncio, dataclasses, sys
        sys.path.insert(0, {str(ROOT)!r})
        from app.search.batch import batch_command
        from app.targets import load_profiles
        gbv = dataclasses.replace(load_profiles(include_examples=True)["gbv-style"],
            host="127.0.0.1", port={gbv.port}, databases=("olc",), max_sessions=1,
            pause_between_requests=0.02)
        asyncio.run(batch_command({str(listing)!r}, [gbv], out_csv=None, out_json=None,
                                  state_path={str(state)!r}, progress=lambda p: None))
        """), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(child)], cwd=ROOT)
    try:
        deadline = 600  # polls of 0.05 s
        while deadline and (not state.exists() or state.read_bytes().count(b"\n") < 40):
            assert proc.poll() is None, "the child finished or died before it was killed"
            deadline -= 1
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    before = state.read_text("utf-8").splitlines()
    done_first = {json.loads(x)["isbn"] for x in before if x.strip().endswith("}")}
    assert 40 <= len(done_first) < len(isbns)

    recorder = Recorder()
    lookup = _lookup(isbns, [dataclasses.replace(gbv, pause_between_requests=0.0)], state,
                     recorder)
    asyncio.run(_drain(lookup))
    searched = {isbn for _, isbn in recorder.searches()}
    assert searched.isdisjoint(done_first)
    assert searched | done_first == set(isbns)
    assert lookup.matrix.complete
    truth = _holdings()["gbv"]
    assert all(row.cells[gbv.id].hits == truth[row.isbn] for row in lookup.matrix.rows)


def test_retry_errors_searches_only_the_error_cells_again(
    styles: dict[str, TargetProfile], tmp_path: Path
) -> None:
    isbns = _wanted()[:6]
    port = _free_port()
    down = _profile("flaky", port, name="Flaky", databases=("olc",))
    state = tmp_path / "state.jsonl"
    asyncio.run(_drain(_lookup(isbns, [styles["gbv"], down], state, Recorder())))
    # the catalogue comes back (the same data on that port) and the user retries
    back = dataclasses.replace(styles["gbv"], id="flaky", name="Flaky")
    recorder = Recorder()
    lookup = _lookup(isbns, [styles["gbv"], back], state, recorder, retry_errors=True)
    asyncio.run(_drain(lookup))
    assert set(recorder.searches()) == {("flaky", i) for i in isbns}
    assert all(row.cells["flaky"].status == row.cells[styles["gbv"].id].status
               for row in lookup.matrix.rows)


def test_fallback_on_114_finds_by_keyword(styles: dict[str, TargetProfile],
                                          tmp_path: Path) -> None:
    # a catalogue whose ISBN index is refused (Zebra: 114 for an unknown use attribute)
    query = dict(styles["gbv"].query) | {"isbn": "u=9999"}
    gbv = dataclasses.replace(styles["gbv"], query=tuple(query.items()),
                              fallback_on=(114,), isbn_fallback="any")
    plain = dataclasses.replace(gbv, id="no-fallback", fallback_on=())
    isbn = _wanted()[0]
    lookup = _lookup([isbn], [gbv, plain], tmp_path / "state.jsonl", Recorder())
    asyncio.run(_drain(lookup))
    found, refused = lookup.matrix.rows[0].cells[gbv.id], lookup.matrix.rows[0].cells[plain.id]
    assert (found.status, found.hits) == ("found", _holdings()["gbv"][isbn])
    assert "1=1016" in found.query and "9999" not in found.query
    assert refused.status == "error" and refused.error.startswith("unsupported search")
    assert "114" in refused.detail


def test_a_refused_record_syntax_falls_to_the_next_for_good(
    styles: dict[str, TargetProfile], tmp_path: Path
) -> None:
    # the Copac style refuses USMARC (239): asked first, it must give way to MODS, once
    copac = dataclasses.replace(styles["copac"], syntaxes=("usmarc", "mods"), max_sessions=1)
    truth = _holdings()["copac"]
    held = [i for i in _wanted() if truth[i]][:3]
    recorder = Recorder()
    events = asyncio.run(_drain(_lookup(held, [copac], tmp_path / "s.jsonl", recorder)))
    cells = [e for e in events if isinstance(e, Cell)]
    assert [(c.status, c.error) for c in cells] == [("found", "")] * 3
    assert {c.record["syntax"] for c in cells if c.record} == {"mods"}
    kinds = [kind for kind, *_ in recorder.events]
    assert kinds == ["init", "search", "present", "search", "search"]


def test_a_catalogue_that_cannot_search_by_isbn_or_lacks_a_login(
    styles: dict[str, TargetProfile], tmp_path: Path
) -> None:
    query = dict(styles["gbv"].query) | {"isbn": None}
    blind = dataclasses.replace(styles["gbv"], id="blind", query=tuple(query.items()))
    locked = dataclasses.replace(styles["oclc"], id="locked")
    recorder = Recorder()
    lookup = BatchLookup(_wanted()[:3], [blind, locked], state_path=tmp_path / "s.jsonl",
                         sessions=Sessions(recorder.open), passwords=lambda p: None)
    asyncio.run(_drain(lookup))
    cells = [c for row in lookup.matrix.rows for c in row.cells.values()]
    assert {(c.catalogue, c.status) for c in cells} == {("blind", "error"), ("locked", "error")}
    assert {c.error for c in cells if c.catalogue == "blind"} == {
        f"{blind.name} cannot search by ISBN"}
    locked_errors = {c.error for c in cells if c.catalogue == "locked"}
    assert len(locked_errors) == 1 and "password" in next(iter(locked_errors)).lower()
    assert recorder.opened == []  # neither was ever connected to


# --- drops and timeouts (the in-process target plays them) ------------------------------------

# the valid ISBNs of the in-process target's books (two of them carry invalid ones)
BOOK_ISBNS = [n for b in BOOKS if (n := normalize_isbn(b.isbn))]


def _inprocess(port: int, **changes: Any) -> TargetProfile:
    return _profile("local", port, name="Local", databases=("books",), max_sessions=1,
                    **changes)


async def _with_target(behaviour: Behaviour, work: Callable[[int], Awaitable[Any]]) -> Any:
    async with serve(catalogue(), behaviour=behaviour) as server:
        return await work(server.port)


def test_a_dropped_association_is_reopened_and_the_isbn_asked_again(tmp_path: Path) -> None:
    recorder = Recorder()

    async def work(port: int) -> BatchLookup:
        lookup = _lookup(BOOK_ISBNS, [_inprocess(port)], tmp_path / "s.jsonl", recorder)
        await _drain(lookup)
        return lookup

    # the target closes every association at its third search ("going down for maintenance")
    lookup = asyncio.run(_with_target(Behaviour(close_on="search", close_after=2), work))
    assert len(BOOK_ISBNS) == 5
    assert [row.cells["local"].status for row in lookup.matrix.rows] == ["found"] * 5
    assert [kind for kind, *_ in recorder.events].count("init") == 3
    assert recorder.searches()[("local", BOOK_ISBNS[2])] == 2  # asked again after the drop


def test_an_idle_close_between_runs_is_reopened(tmp_path: Path) -> None:
    recorder = Recorder()
    sessions = Sessions(recorder.open)

    async def work(port: int) -> list[str]:
        profile = _inprocess(port)
        statuses: list[str] = []
        for n, isbns in enumerate((BOOK_ISBNS[:2], BOOK_ISBNS[2:])):
            lookup = BatchLookup(isbns, [profile], state_path=tmp_path / f"{n}.jsonl",
                                 sessions=sessions)
            await _drain(lookup)
            statuses += [row.cells["local"].status for row in lookup.matrix.rows]
            await asyncio.sleep(1.5)  # the target's idle timeout passes
        await sessions.close()
        return statuses

    # long enough that a busy machine never idles out within a run, short for the test
    statuses = asyncio.run(_with_target(Behaviour(idle_timeout=1.0), work))
    assert statuses == ["found"] * 5
    inits = [kind for kind, *_ in recorder.events].count("init")
    assert inits == 2  # the kept association was found closed and reopened once
    assert recorder.searches()[("local", BOOK_ISBNS[2])] == 2  # the first ISBN it was asked


def test_timeouts_make_error_cells_and_three_in_a_row_stop_the_catalogue(
    tmp_path: Path,
) -> None:
    async def work(port: int) -> BatchLookup:
        profile = _inprocess(port, timeouts=Timeouts(search=0.2))
        lookup = BatchLookup(BOOK_ISBNS, [profile], state_path=tmp_path / "s.jsonl")
        await _drain(lookup)
        return lookup

    lookup = asyncio.run(_with_target(Behaviour(delays={"search": 1.0}), work))
    errors = [row.cells["local"].error for row in lookup.matrix.rows]
    assert errors[:3] == ["no answer to the search within 0.2 seconds"] * 3
    assert errors[3:] == [
        "stopped after 3 failures in a row: no answer to the search within 0.2 seconds"] * 2
    assert {row.cells["local"].status for row in lookup.matrix.rows} == {"error"}


def test_cancel_stops_every_catalogue_and_keeps_what_was_finished(tmp_path: Path) -> None:
    recorder = Recorder()

    async def work(port: int) -> tuple[BatchLookup, list[BatchProgress | Cell]]:
        lookup = _lookup(BOOK_ISBNS, [_inprocess(port)], tmp_path / "s.jsonl", recorder)
        told: list[BatchProgress | Cell] = []
        async with contextlib.aclosing(lookup.run()) as events:
            async for event in events:
                told.append(event)
                if isinstance(event, Cell):
                    lookup.cancel()  # the Stop button, after the first answer
        return lookup, told

    lookup, told = asyncio.run(_with_target(Behaviour(delays={"search": 0.2}), work))
    cells = [e for e in told if isinstance(e, Cell)]
    assert len(cells) == 1 and not lookup.matrix.complete
    assert len(recorder.searches()) == 2  # the one answered and the one stopped in flight
    lines = (tmp_path / "s.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(x)["isbn"] for x in lines] == [cells[0].isbn]

    # stopped before anything was asked: nothing is opened at all
    early = Recorder()
    before = _lookup(BOOK_ISBNS, [_inprocess(_free_port())], tmp_path / "t.jsonl", early)

    async def stop_at_once() -> list[BatchProgress | Cell]:
        told = []
        async with contextlib.aclosing(before.run()) as events:
            async for event in events:
                told.append(event)
                before.cancel()
        return told

    assert [type(e) for e in asyncio.run(stop_at_once())] == [BatchProgress]
    assert early.events == []


def test_without_a_state_file_nothing_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where a stray state file would land

    async def work(port: int) -> BatchLookup:
        lookup = BatchLookup(BOOK_ISBNS[:2], [_inprocess(port)], state_path=None)
        await _drain(lookup)
        return lookup

    lookup = asyncio.run(_with_target(Behaviour(), work))
    assert [row.cells["local"].status for row in lookup.matrix.rows] == ["found", "found"]
    assert list(tmp_path.iterdir()) == []


# --- the command line's entry point ------------------------------------------------------------


def test_batch_command_writes_csv_and_json(
    styles: dict[str, TargetProfile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(styles["oclc"].password_env, OCLC_LOGIN[1])
    isbns = _wanted()[:5]
    listing = tmp_path / "wanted.txt"
    listing.write_text("# order\n" + "\n".join(isbns) + "\n9780198526637\n", encoding="utf-8")
    dead = _profile("dead", _free_port(), name="Dead, closed")
    profiles = [styles["gbv"], styles["oclc"], dead]
    progress: list[BatchProgress] = []
    out_csv, out_json = tmp_path / "m.csv", tmp_path / "m.json"

    code = asyncio.run(batch_command(listing, profiles, out_csv=out_csv, out_json=out_json,
                                     state_path=tmp_path / "s.jsonl", progress=progress.append))
    assert code == 0
    assert progress[-1].done == progress[-1].total == 15
    assert [(s.line, s.reason) for s in progress[-1].skipped] == [
        (7, "9780198526637: wrong check digit")]

    truth = _holdings()
    with out_csv.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert table[0] == ["ISBN", "Title", styles["gbv"].name, styles["oclc"].name,
                        "Dead, closed", "Problems"]
    assert [r[0] for r in table[1:]] == isbns
    for row, isbn in zip(table[1:], isbns, strict=True):
        assert row[2:4] == ["found" if truth[n][isbn] else "not found" for n in ("gbv", "oclc")]
        assert row[4] == "error"
        assert row[5].startswith(f"Dead, closed: cannot connect to 127.0.0.1:{dead.port}: ")
        assert bool(row[1]) == bool(truth["gbv"][isbn] or truth["oclc"][isbn])

    data = json.loads(out_json.read_text("utf-8"))
    assert data["catalogues"] == [p.id for p in profiles]
    assert data["complete"] is True and data["counts"]["error"] == 5
    assert data["skipped"] == [{"line": 7, "text": "9780198526637",
                                "reason": "9780198526637: wrong check digit"}]
    for row in data["rows"]:
        assert set(row) >= {"isbn", "title", "cells", "best"}
        assert set(row["cells"]) == {p.id for p in profiles}
        assert row["cells"]["dead"]["status"] == "error"
        if row["best"] is not None:
            assert row["isbn"] in row["best"]["isbns"]
            assert row["title"].startswith(row["best"]["title"])

    # nobody answered: exit code 1; no ISBN at all: a clear error
    only_dead = asyncio.run(batch_command(listing, [dead], out_csv=None, out_json=None,
                                          state_path=tmp_path / "d.jsonl",
                                          progress=lambda p: None))
    assert only_dead == 1
    empty = tmp_path / "empty.txt"
    empty.write_text("no numbers here\n", encoding="utf-8")
    with pytest.raises(BatchError, match=r"No ISBN found in .*empty\.txt \(line 1: no ISBN"):
        asyncio.run(batch_command(empty, profiles, out_csv=None, out_json=None,
                                  state_path=tmp_path / "e.jsonl", progress=lambda p: None))


def test_matrix_files_of_an_interrupted_run_say_not_searched(tmp_path: Path) -> None:
    isbn = "9780198526636"
    matrix = HoldingsMatrix([isbn], [_profile("a"), _profile("b")])
    matrix.add(Cell(isbn, "a", "found", 1, title="Kept", score=3, record={"title": "Kept"}))
    write_matrix_csv(matrix, tmp_path / "m.csv")
    write_matrix_json(matrix, tmp_path / "m.json")
    with (tmp_path / "m.csv").open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f))[1] == [isbn, "Kept", "found", "not searched", ""]
    data = json.loads((tmp_path / "m.json").read_text("utf-8"))
    assert data["complete"] is False
    assert data["rows"][0]["cells"]["b"] == {"status": "not searched", "hits": 0, "error": ""}
    with pytest.raises(BatchError, match="Cannot write"):
        write_matrix_csv(matrix, tmp_path / "no-such-folder" / "m.csv")
    # a named pipe (as /dev/null or a shell's <(...) is) stays what it was: written, not replaced
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    write_matrix_json(matrix, fifo)
    assert json.loads(reader.communicate(timeout=30)[0])["complete"] is False
    assert fifo.is_fifo()
