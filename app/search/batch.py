"""Batch ISBN lookup: every ISBN of a list in every chosen catalogue, as a holdings matrix.

    isbns = read_isbn_list("wanted.txt")          # plain lines, RIS or BibTeX
    lookup = BatchLookup(isbns, profiles, state_path="wanted.state")
    async with contextlib.aclosing(lookup.run()) as events:
        async for event in events:                 # Cell or BatchProgress, as they happen
            ...
    write_matrix_csv(lookup.matrix, "wanted.csv")

How a run treats the catalogues (decisions, since a 10,000-ISBN list must not lock anyone out):

- Each catalogue gets one association, opened once and kept for its whole share of the list;
  at most ``profile.max_sessions`` of them at once, sharing one queue of ISBNs. The second
  and later ones open only after the first worked, and one the catalogue refuses (too many
  sessions) simply leaves the work to the others.
- ``profile.pause_between_requests`` is waited between two requests on an association
  (Init, Search, Present alike): with two sessions a catalogue gets two requests per pause.
- An association the catalogue dropped (idle Close, reset) is reopened and the ISBN asked
  again, once. A timeout or a second drop makes that ISBN an "error" cell and the next ISBN
  gets a fresh association; after :data:`TROUBLE_LIMIT` such failures in a row the catalogue
  counts as down and its remaining ISBNs become "error" cells saying why. A Bib-1 diagnostic
  is that ISBN's answer ("error" with the reason) and the association carries on.
- An ISBN is searched as ``Clause("isbn", ...)`` through the profile's query map, with the
  profile's ``fallback_queries`` on a refusal. A profile that sends ISBNs as typed gets the
  ISBN-13 and the ISBN-10 ORed in one search, because such catalogues index the form that
  was catalogued; a profile that names a form gets that form.
- "found" fetches up to :data:`RECORDS_PER_CELL` records (piggy-backed with the search where
  the profile allows) and keeps the best by the export's choice rule
  (:func:`app.export.choose.completeness`); a row's best record is the best of its cells,
  ties going to the catalogue listed first.

Resume: every finished cell is appended to the state file (JSON lines) and flushed before it
is reported, so a process that dies loses only the cells in flight; the file is synced to disk
in the background, a cell or two behind. A rerun with the same state file takes its cells as
done and searches only the rest (``retry_errors=True`` also searches its "error" cells
again); the matrix holds both. The state file is kept after a complete run, so a rerun is
instant; delete it to search everything again. One run at a time may use a state file.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import json
import os
import re
import sys
import tempfile
import time
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

from app.errors import PolycatError
from app.export.choose import completeness
from app.net import Association, AssociationClosed, RawRecord, SearchResult, TargetClosed
from app.records import record_to_json
from app.records.identifiers import find_isbns, normalize_isbn, parse_isbn
from app.records.model import BibRecord
from app.search.events import Failure
from app.search.query import Clause, Query, SearchForm, fallback_queries, to_pqf, to_rpn
from app.search.run import SYNTAX_REFUSED, Passwords, failure_of, read_raw
from app.search.sessions import Sessions
from app.targets import TargetProfile, password_for, syntax_oid
from app.z3950.errors import DiagnosticError
from app.z3950.rpn import RPNQuery

__all__ = [
    "RECORDS_PER_CELL",
    "TROUBLE_LIMIT",
    "BatchError",
    "BatchLookup",
    "BatchProgress",
    "Cell",
    "CellStatus",
    "HoldingsMatrix",
    "IsbnList",
    "MatrixRow",
    "SkippedLine",
    "StateFile",
    "batch_command",
    "read_isbn_list",
    "read_isbn_text",
    "write_matrix_csv",
    "write_matrix_json",
]

CellStatus = Literal["found", "not found", "error"]
NOT_SEARCHED = "not searched"  # a cell of an interrupted run, in the written matrix

# records fetched for a "found" cell to choose its best from
RECORDS_PER_CELL = 3
# timeouts or drops in a row after which a catalogue counts as down for this run
TROUBLE_LIMIT = 3
_STATE_VERSION = 1


class BatchError(PolycatError):
    """A batch that cannot start: no ISBN in the file, no catalogue, a state file in use."""


# --- the ISBN list -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SkippedLine:
    """A line (or reference) of the list that gave no ISBN, and why."""

    line: int  # 1-based line number in the file
    text: str  # the line as written (for RIS/BibTeX: the reference's title or key)
    reason: str


class IsbnList(list[str]):
    """Normalised ISBN-13s in list order, without duplicates; ``skipped`` says what was not
    taken and why, ``duplicates`` how many repeats were dropped."""

    def __init__(
        self,
        isbns: Iterable[str] = (),
        skipped: Sequence[SkippedLine] = (),
        duplicates: int = 0,
    ) -> None:
        super().__init__(isbns)
        self.skipped = tuple(skipped)
        self.duplicates = duplicates


_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_BIBTEX_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*[{(]")
_BIBTEX_ISBN = re.compile(r"(?<![\w-])isbn\s*=\s*", re.IGNORECASE)
_BIBTEX_TITLE = re.compile(r"(?<![\w-])title\s*=\s*", re.IGNORECASE)
_COMMENT = re.compile(r"\s#.*$|^#.*$")
_TOKENS = re.compile(r"[\s,;|]+")


def read_isbn_list(path: str | os.PathLike[str]) -> IsbnList:
    """The ISBNs of a file: plain lines, a RIS file (``SN``/``BN`` fields) or BibTeX
    (``isbn`` fields); see :func:`read_isbn_text`. Raises ``BatchError`` when the file cannot
    be read at all; lines without an ISBN are never fatal."""
    try:
        raw = Path(path).read_bytes()
    except OSError as problem:
        raise BatchError(
            f"Cannot read the ISBN list {os.fspath(path)}: {problem.strerror or problem}",
            detail=repr(problem),
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # ISBNs are ASCII; only titles in messages could suffer
    return read_isbn_text(text)


def read_isbn_text(text: str) -> IsbnList:
    """ISBNs from text as a librarian has it, each normalised to ISBN-13.

    - RIS (a ``TY  -`` line): every valid ISBN in ``SN`` and ``BN`` fields; a reference with
      none is skipped with the line of its ``TY`` and its title.
    - BibTeX (an ``@type{`` entry): every valid ISBN in ``isbn`` fields; an entry with none is
      skipped with its line and key (``@string``, ``@comment`` and ``@preamble`` are ignored).
    - Anything else, line by line: ``#`` starts a comment, blank lines are ignored, hyphens,
      blanks and an "ISBN:" label are allowed, ISBN-10 becomes ISBN-13. Every valid ISBN on
      a line is taken (CSV rows and "(pbk.)" notes are fine); a line with none is skipped
      with the reason ("wrong check digit" ...).

    Duplicates (also an ISBN-10 and its ISBN-13) are dropped after the first, in order.
    """
    lines = text.splitlines()
    if any(line.startswith("TY  -") for line in lines):
        found, skipped = _from_ris(lines)
    elif re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]", text, re.MULTILINE):
        found, skipped = _from_bibtex(text)
    else:
        found, skipped = _from_lines(lines)
    unique = list(dict.fromkeys(found))
    return IsbnList(unique, skipped, duplicates=len(found) - len(unique))


def _isbns_in(text: str) -> list[str]:
    """Every valid ISBN (as ISBN-13) in a piece of text, in order."""
    valid = [i.value for i in find_isbns(text) if i.valid]
    if not valid:  # "9780198526636 0262033844": two numbers one blank apart
        valid = [n for n in map(normalize_isbn, _TOKENS.split(text)) if n]
    return valid


def why_not_isbn(text: str) -> str:
    """Why ``text`` gives no ISBN, in words."""
    parsed = parse_isbn(text)
    digits = parsed.value if parsed is not None else ""
    if not re.search(r"\d", text) or not digits:
        return "no ISBN on this line"
    try:
        stdnum_isbn.validate(digits)
    except InvalidChecksum:
        return f"{digits}: wrong check digit"
    except InvalidLength:
        return f"{digits}: an ISBN has 10 or 13 digits, this has {len(digits)}"
    except InvalidComponent:
        return f"{digits}: an ISBN-13 starts with 978 or 979"
    except ValidationError:
        return f"{digits}: not an ISBN"
    return f"{digits}: not an ISBN"


def _from_lines(lines: Sequence[str]) -> tuple[list[str], list[SkippedLine]]:
    found: list[str] = []
    skipped: list[SkippedLine] = []
    for number, line in enumerate(lines, start=1):
        text = _COMMENT.sub("", line).strip()
        if not text:
            continue
        isbns = _isbns_in(text)
        if isbns:
            found += isbns
        else:
            skipped.append(SkippedLine(number, line.strip(), why_not_isbn(text)))
    return found, skipped


def _from_ris(lines: Sequence[str]) -> tuple[list[str], list[SkippedLine]]:
    found: list[str] = []
    skipped: list[SkippedLine] = []
    start, title = 0, ""
    numbers: list[str] = []
    for number, line in enumerate(lines, start=1):
        match = _RIS_TAG.match(line.rstrip())
        if not match:
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            start, title, numbers = number, "", []
        elif tag in ("TI", "T1") and not title:
            title = value
        elif tag in ("SN", "BN"):
            numbers.append(value)
        elif tag == "ER":
            isbns = [i for n in numbers for i in _isbns_in(n)]
            found += isbns
            if not isbns:
                reason = why_not_isbn(numbers[0]) if numbers else "no SN field"
                skipped.append(SkippedLine(start, title, f"no ISBN in this reference ({reason})"))
    return found, skipped


def _from_bibtex(text: str) -> tuple[list[str], list[SkippedLine]]:
    found: list[str] = []
    skipped: list[SkippedLine] = []
    position = 0
    while match := _BIBTEX_ENTRY.search(text, position):
        body_start = match.end()
        body_end = _closing(text, body_start, ")" if match.group(0).endswith("(") else "}")
        position = body_end + 1
        if match.group(1).lower() in ("comment", "string", "preamble"):
            continue
        body = text[body_start:body_end]
        numbers = [_bibtex_value(body, m.end()) for m in _BIBTEX_ISBN.finditer(body)]
        isbns = [i for n in numbers for i in _isbns_in(n)]
        found += isbns
        if not isbns:
            key = body.split(",", 1)[0].strip()
            titles = [_bibtex_value(body, m.end()) for m in _BIBTEX_TITLE.finditer(body)]
            shown = f"{key}: {titles[0]}" if titles else key
            reason = why_not_isbn(numbers[0]) if numbers else "no isbn field"
            line = text.count("\n", 0, match.start()) + 1
            skipped.append(SkippedLine(line, shown, f"no ISBN in this entry ({reason})"))
    return found, skipped


def _closing(text: str, start: int, closer: str) -> int:
    """Where the entry opened just before ``start`` ends (braces balanced), or the end."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        elif char == closer and depth == 0:
            return index
    return len(text)


def _bibtex_value(body: str, start: int) -> str:
    """A field value at ``start``: ``{...}`` (nested braces), ``"..."`` or a bare word."""
    rest = body[start:].lstrip()
    if rest.startswith("{"):
        end = _closing(rest, 1, "}")
        return re.sub(r"[{}]", "", rest[1:end])
    if rest.startswith('"'):
        end = rest.find('"', 1)
        return re.sub(r"[{}]", "", rest[1 : end if end > 0 else len(rest)])
    return re.split(r"[,\s}]", rest, maxsplit=1)[0]


# --- cells, progress and the matrix ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """One ISBN in one catalogue, finished: what the matrix shows and the state file keeps."""

    isbn: str  # ISBN-13
    catalogue: str  # profile id
    status: CellStatus
    hits: int = 0
    error: str = ""  # for a librarian: why "error", or why a found record could not be read
    detail: str = ""  # the developer's half: diagnostic code, addinfo, exception
    query: str = ""  # the PQF actually sent (the fallback's, when one was used)
    title: str = ""  # of the best record fetched, "Title: subtitle"
    score: int = -1  # the best record's completeness (the export's "best" rule)
    record: dict[str, Any] | None = None  # record_to_json of the best record fetched
    resumed: bool = False  # taken from the state file, not searched in this run

    def to_state(self) -> dict[str, Any]:
        entry = {
            "v": _STATE_VERSION,
            "isbn": self.isbn,
            "catalogue": self.catalogue,
            "status": self.status,
            "hits": self.hits,
            "error": self.error,
            "detail": self.detail,
            "query": self.query,
            "title": self.title,
            "score": self.score,
            "record": self.record,
        }
        entry["at"] = datetime.now(UTC).isoformat(timespec="seconds")
        return entry

    @classmethod
    def from_state(cls, entry: Any) -> Cell | None:
        """A cell from one state-file line; None for anything that is not one."""
        if not isinstance(entry, dict) or entry.get("status") not in ("found", "not found",
                                                                      "error"):
            return None
        try:
            return cls(
                isbn=str(entry["isbn"]),
                catalogue=str(entry["catalogue"]),
                status=entry["status"],
                hits=int(entry.get("hits", 0)),
                error=str(entry.get("error", "")),
                detail=str(entry.get("detail", "")),
                query=str(entry.get("query", "")),
                title=str(entry.get("title", "")),
                score=int(entry.get("score", -1)),
                record=entry["record"] if isinstance(entry.get("record"), dict) else None,
                resumed=True,
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """How far the run is; sent after the resumed cells and after every new cell."""

    done: int  # cells finished, those from the state file included
    total: int  # ISBNs × catalogues
    resumed: int  # cells taken from the state file
    found: int
    not_found: int
    errors: int
    elapsed: float  # seconds since the run started
    skipped: tuple[SkippedLine, ...] = ()  # lines of the list that gave no ISBN

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


@dataclass(slots=True)
class MatrixRow:
    isbn: str
    cells: dict[str, Cell] = field(default_factory=dict)  # catalogue id -> cell (no record)
    best: dict[str, Any] | None = None  # record_to_json of the row's best record
    best_catalogue: str = ""
    title: str = ""
    _best_rank: tuple[int, int] = (-2, 0)  # (score, -catalogue index): higher is better


class HoldingsMatrix:
    """ISBN × catalogue; rows in list order, catalogues in the order given."""

    def __init__(
        self,
        isbns: Sequence[str],
        profiles: Sequence[TargetProfile],
        skipped: Sequence[SkippedLine] = (),
    ) -> None:
        self.catalogues = tuple(p.id for p in profiles)
        self.names = {p.id: p.name for p in profiles}
        self.rows = [MatrixRow(isbn) for isbn in isbns]
        self.skipped = tuple(skipped)
        self._rows = {row.isbn: row for row in self.rows}
        self._column = {cat: n for n, cat in enumerate(self.catalogues)}

    def add(self, cell: Cell) -> bool:
        """Put a cell in its place (a later one replaces an earlier); False if it has none."""
        row = self._rows.get(cell.isbn)
        column = self._column.get(cell.catalogue)
        if row is None or column is None:
            return False
        row.cells[cell.catalogue] = replace(cell, record=None)
        rank = (cell.score, -column)
        if cell.record is not None and rank > row._best_rank:
            row.best, row.best_catalogue, row.title = cell.record, cell.catalogue, cell.title
            row._best_rank = rank
        return True

    def cell(self, isbn: str, catalogue: str) -> Cell | None:
        row = self._rows.get(isbn)
        return row.cells.get(catalogue) if row is not None else None

    @property
    def complete(self) -> bool:
        return all(len(row.cells) == len(self.catalogues) for row in self.rows)

    def counts(self) -> dict[str, int]:
        counted = {"found": 0, "not found": 0, "error": 0, NOT_SEARCHED: 0}
        for row in self.rows:
            for cat in self.catalogues:
                cell = row.cells.get(cat)
                counted[cell.status if cell else NOT_SEARCHED] += 1
        return counted

    def to_json(self) -> dict[str, Any]:
        def shown(cell: Cell | None) -> dict[str, Any]:
            if cell is None:
                return {"status": NOT_SEARCHED, "hits": 0, "error": ""}
            return {"status": cell.status, "hits": cell.hits, "error": cell.error}

        return {
            "catalogues": list(self.catalogues),
            "names": dict(self.names),
            "complete": self.complete,
            "counts": self.counts(),
            "skipped": [
                {"line": s.line, "text": s.text, "reason": s.reason} for s in self.skipped
            ],
            "rows": [
                {
                    "isbn": row.isbn,
                    "title": row.title,
                    "cells": {cat: shown(row.cells.get(cat)) for cat in self.catalogues},
                    "best_catalogue": row.best_catalogue or None,
                    "best": row.best,
                }
                for row in self.rows
            ],
        }


def write_matrix_csv(matrix: HoldingsMatrix, path: str | os.PathLike[str]) -> None:
    """One row per ISBN: ISBN, title of the best record, one column per catalogue (found /
    not found / error), and "problems" naming each error. UTF-8 with a byte-order mark, so
    that spreadsheet programs read accents right; written whole or not at all."""

    def write(out: IO[str]) -> None:
        writer = csv.writer(out)
        writer.writerow(["ISBN", "Title", *(matrix.names[c] for c in matrix.catalogues),
                         "Problems"])
        for row in matrix.rows:
            cells = [row.cells.get(c) for c in matrix.catalogues]
            problems = "; ".join(
                f"{matrix.names[c]}: {cell.error}"
                for c, cell in zip(matrix.catalogues, cells, strict=True)
                if cell is not None and cell.status == "error"
            )
            writer.writerow([
                row.isbn, row.title, *(c.status if c else NOT_SEARCHED for c in cells), problems
            ])

    _write_atomically(path, write, encoding="utf-8-sig")


def write_matrix_json(matrix: HoldingsMatrix, path: str | os.PathLike[str]) -> None:
    """The matrix as JSON (see ``HoldingsMatrix.to_json``); written whole or not at all."""

    def write(out: IO[str]) -> None:
        json.dump(matrix.to_json(), out, ensure_ascii=False, indent=1)
        out.write("\n")

    _write_atomically(path, write, encoding="utf-8")


def _write_atomically(
    path: str | os.PathLike[str], write: Callable[[IO[str]], None], *, encoding: str
) -> None:
    target = Path(path)
    try:
        if target.exists() and not target.is_file():
            # /dev/null, a pipe: replacing it would put a plain file in its place
            with target.open("w", encoding=encoding, newline="") as out:
                write(out)
            return
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(handle, "w", encoding=encoding, newline="") as out:
                write(out)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as problem:
        raise BatchError(
            f"Cannot write {target}: {problem.strerror or problem}", detail=repr(problem)
        ) from None


# --- the state file --------------------------------------------------------------------------


class StateFile:
    """Finished cells, one JSON line each, appended and flushed as they finish."""

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = Path(path) if path is not None else None  # None: nothing is kept
        self._file: IO[str] | None = None
        self._dirty = False
        self._syncing: asyncio.Task[None] | None = None
        self.unreadable = 0  # lines that were not a cell (a line cut short by a crash)

    def open(self) -> dict[tuple[str, str], Cell]:
        """Lock the file, read the cells it holds (the last for a cell wins), open to append."""
        if self.path is None:
            return {}
        try:
            self._file = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (kept open)
        except OSError as problem:
            raise BatchError(
                f"Cannot open the state file {self.path}: {problem.strerror or problem}",
                detail=repr(problem),
            ) from None
        _lock(self._file, self.path)
        self._file.seek(0)
        cells: dict[tuple[str, str], Cell] = {}
        line = ""
        for line in self._file:
            if not line.strip():
                continue
            try:
                cell = Cell.from_state(json.loads(line))
            except ValueError:
                cell = None
            if cell is None:
                self.unreadable += 1
                continue
            cells[cell.isbn, cell.catalogue] = cell
        if line and not line.endswith("\n"):
            self._file.write("\n")  # a line cut short by a crash stays alone on its line
            self._file.flush()
        return cells

    def append(self, cell: Cell) -> None:
        if self._file is None:
            return  # closed while the run was torn down: the cell was in flight
        self._file.write(json.dumps(cell.to_state(), ensure_ascii=False) + "\n")
        self._file.flush()  # from here on the cell survives the death of this process
        self._dirty = True
        if self._syncing is None or self._syncing.done():
            self._syncing = asyncio.ensure_future(self._sync())

    async def _sync(self) -> None:
        # one fsync at a time, off the event loop, covering every line written before it
        while self._dirty and self._file is not None:
            self._dirty = False
            await asyncio.to_thread(os.fsync, self._file.fileno())

    def close(self) -> None:
        if self._syncing is not None:
            self._syncing.cancel()
        if self._file is not None:
            with contextlib.suppress(OSError, ValueError):
                self._file.flush()
                os.fsync(self._file.fileno())
            self._file.close()  # closing drops the lock
            self._file = None


def _lock(file: IO[str], path: Path | None) -> None:
    if sys.platform == "win32":
        return  # no advisory locks there; two runs on one state file are the user's choice
    import fcntl

    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        file.close()
        raise BatchError(
            f"Another batch lookup is using the state file {path}: wait for it to finish, "
            "or give this one another state file."
        ) from None


# --- the lookup ------------------------------------------------------------------------------


@dataclass
class _Catalogue:
    profile: TargetProfile
    pending: deque[str]
    password: str | None = None
    live: int = 0  # associations open now
    opening: int = 0  # associations being opened now
    troubles: int = 0  # timeouts and drops in a row
    last_trouble: Failure | None = None
    down: Failure | None = None


@dataclass
class _Session:
    """One association of a catalogue and what it learned (syntaxes refused)."""

    catalogue: _Catalogue
    syntaxes: list[str]
    assoc: Association | None = None
    requests: int = 0


Sleep = Callable[[float], Awaitable[None]]


class BatchLookup:
    """Every ISBN in every catalogue (see the module docstring); ``run()`` tells it as it
    happens, ``matrix`` holds the result (also while running and after an interruption).

    ``state_path`` None keeps nothing (a quick lookup in the window); ``sessions`` lends
    associations (and gets them back afterwards); ``passwords`` gives a profile's password.
    """

    def __init__(
        self,
        isbns: Sequence[str],
        profiles: Sequence[TargetProfile],
        *,
        state_path: str | os.PathLike[str] | None,
        sessions: Sessions | None = None,
        passwords: Passwords = password_for,
        retry_errors: bool = False,
        sleep: Sleep = asyncio.sleep,  # waits the pause between requests; tests count calls
    ) -> None:
        normalised = [normalize_isbn(i) for i in isbns]
        invalid = [i for i, n in zip(isbns, normalised, strict=True) if n is None]
        if invalid:
            raise BatchError(
                f"Not an ISBN: {', '.join(invalid[:5])}" + (" ..." if len(invalid) > 5 else "")
            )
        self.isbns = list(dict.fromkeys(n for n in normalised if n is not None))
        ids = [p.id for p in profiles]
        if len(set(ids)) != len(ids):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            raise BatchError(f"A catalogue is chosen twice: {', '.join(twice)}")
        self.profiles = list(profiles)
        self.skipped = isbns.skipped if isinstance(isbns, IsbnList) else ()
        self.state = StateFile(state_path)
        self.retry_errors = retry_errors
        self.matrix = HoldingsMatrix(self.isbns, self.profiles, self.skipped)
        self._own_sessions = sessions is None
        self.sessions = sessions if sessions is not None else Sessions()
        self._password = passwords
        self._sleep = sleep
        self._counts = {"found": 0, "not found": 0, "error": 0}
        self._resumed = 0
        self._started = time.monotonic()
        self._events: asyncio.Queue[Cell | None] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self.cancelled = False

    @property
    def total(self) -> int:
        return len(self.isbns) * len(self.profiles)

    def progress(self) -> BatchProgress:
        counts = self._counts
        return BatchProgress(
            done=sum(counts.values()),
            total=self.total,
            resumed=self._resumed,
            found=counts["found"],
            not_found=counts["not found"],
            errors=counts["error"],
            elapsed=time.monotonic() - self._started,
            skipped=self.skipped,
        )

    async def run(self) -> AsyncGenerator[BatchProgress | Cell, None]:
        """The resumed cells, a progress; then each new cell followed by a progress.

        ``cancel()``, or closing the iteration, stops every catalogue; the cells finished so
        far are in the state file and in ``matrix``. Iterate inside
        ``contextlib.aclosing(lookup.run())`` so that cancelling the task that iterates
        closes it at once (a bare ``async for`` leaves that to the garbage collector).
        """
        self._started = time.monotonic()
        kept = self.state.open()
        try:
            todo: list[_Catalogue] = []
            for profile in self.profiles:
                pending: deque[str] = deque()
                for isbn in self.isbns:
                    cell = kept.pop((isbn, profile.id), None)
                    if cell is None or (self.retry_errors and cell.status == "error"):
                        pending.append(isbn)
                        continue
                    self._resumed += 1
                    self._count(cell)
                    yield cell
                if pending:
                    todo.append(_Catalogue(profile, pending))
            yield self.progress()
            del kept  # the cells of other lists and catalogues: not needed any more
            if self.cancelled:
                todo = []
            for catalogue in todo:
                # told when the task ends, also when it is cancelled before it ever ran
                self._spawn(self._catalogue(catalogue)).add_done_callback(
                    lambda _: self._events.put_nowait(None))
            running = len(todo)
            while running:
                cell = await self._events.get()
                if cell is None:
                    running -= 1
                    continue
                yield cell
                yield self.progress()
        finally:
            try:
                await self._stop()
            finally:
                self.state.close()

    def cancel(self) -> None:
        """Stop every catalogue now; ``run()`` ends after the cells already finished."""
        self.cancelled = True
        for task in list(self._tasks):
            task.cancel()

    def _count(self, cell: Cell) -> None:
        self.matrix.add(cell)
        self._counts[cell.status] += 1

    def _finish(self, cell: Cell) -> None:
        """A cell is done: state file first, then the matrix and the listener."""
        self.state.append(cell)
        self._count(cell)
        self._events.put_nowait(cell)

    def _spawn(self, coro: Awaitable[None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._own_sessions:
            await self.sessions.close()

    # --- one catalogue ---------------------------------------------------------------------

    async def _catalogue(self, catalogue: _Catalogue) -> None:
        """The first session; more (up to max_sessions) once it works; errors for the rest."""
        profile = catalogue.profile
        try:
            try:
                to_rpn(_isbn_query(profile, catalogue.pending[0]), profile)  # before connecting
                catalogue.password = self._password(profile)
            except Exception as exc:  # cannot search by ISBN, no login
                catalogue.down = failure_of(exc, profile)
                return
            first = _Session(catalogue, list(profile.syntaxes))
            if not await self._connect(first):
                return
            more = min(profile.max_sessions, len(catalogue.pending)) - 1
            workers = [self._work(first)]
            workers += [self._work(_Session(catalogue, list(profile.syntaxes)), opened=False)
                        for _ in range(max(0, more))]
            ended = await asyncio.gather(*map(self._spawn, workers), return_exceptions=True)
            for problem in ended:  # a defect in one session: the catalogue stops, told why
                if isinstance(problem, Exception) and catalogue.down is None:
                    catalogue.down = failure_of(problem, profile)
            if catalogue.pending and catalogue.down is None:  # every session refused: say so
                catalogue.down = Failure("closed", "the catalogue kept no session open")
        except Exception as exc:  # a defect here must not take the other catalogues down
            catalogue.down = failure_of(exc, profile)
        finally:
            if catalogue.down is not None and not _cancelled():
                self._give_up(catalogue)

    def _give_up(self, catalogue: _Catalogue) -> None:
        failure = catalogue.down
        assert failure is not None
        while catalogue.pending:
            isbn = catalogue.pending.popleft()
            self._finish(_error_cell(isbn, failure, catalogue.profile))

    async def _work(self, session: _Session, opened: bool = True) -> None:
        """Take ISBNs from the catalogue's queue until it is empty or the catalogue is down."""
        catalogue = session.catalogue
        try:
            if not opened and not await self._connect(session):
                return  # refused a further session (1015, busy): the others carry on
            while catalogue.pending and catalogue.down is None:
                if session.assoc is None or session.assoc.closed:
                    self._close(session, healthy=False)
                    if not await self._connect(session):
                        return
                isbn = catalogue.pending.popleft()
                try:
                    cell = await self._cell(session, isbn)
                except BaseException:
                    catalogue.pending.appendleft(isbn)  # not answered: still to do
                    raise
                if cell is None:
                    catalogue.pending.appendleft(isbn)  # lost and not reopened: still to do
                    return
                self._finish(cell)
                trouble = catalogue.last_trouble
                if catalogue.troubles >= TROUBLE_LIMIT and trouble is not None:
                    catalogue.down = Failure(
                        trouble.kind,
                        f"stopped after {TROUBLE_LIMIT} failures in a row: {trouble.message}",
                        trouble.detail,
                        trouble.code,
                    )
        finally:
            self._close(session)

    async def _connect(self, session: _Session) -> bool:
        """Open the session's association; False (the catalogue down if it was the last
        hope) when the catalogue refuses."""
        catalogue = session.catalogue
        catalogue.opening += 1
        try:
            await self._pace(session)
            session.assoc = await self.sessions.acquire(catalogue.profile, catalogue.password)
        except Exception as exc:
            if catalogue.live == 0 and catalogue.opening == 1 and catalogue.down is None:
                catalogue.down = failure_of(exc, catalogue.profile)
            return False
        finally:
            catalogue.opening -= 1
        catalogue.live += 1
        return True

    def _close(self, session: _Session, *, healthy: bool = True) -> None:
        assoc, session.assoc = session.assoc, None
        if assoc is None:
            return
        catalogue = session.catalogue
        catalogue.live -= 1
        if healthy and not assoc.closed and not _cancelled():
            self.sessions.release(catalogue.profile, assoc, catalogue.password)
        else:
            self.sessions.discard(assoc)

    async def _pace(self, session: _Session) -> None:
        pause = session.catalogue.profile.pause_between_requests
        if session.requests and pause > 0:
            await self._sleep(pause)
        session.requests += 1

    # --- one ISBN ------------------------------------------------------------------------

    async def _cell(self, session: _Session, isbn: str) -> Cell | None:
        """Search one ISBN; a dropped association is reopened and the ISBN asked again once.
        None when it could not be reopened."""
        catalogue = session.catalogue
        profile = catalogue.profile
        for attempt in (1, 2):
            try:
                cell = await self._search(session, isbn)
            except DiagnosticError as exc:
                catalogue.troubles = 0  # an answer: the catalogue works
                return _error_cell(isbn, failure_of(exc, profile), profile)
            except (TargetClosed, AssociationClosed, ConnectionError) as exc:
                if attempt == 1:  # dropped while idle, most likely: reopen and ask again
                    self._close(session, healthy=False)
                    if not await self._connect(session):
                        return None
                    continue
                return self._trouble(session, isbn, exc)
            except Exception as exc:  # timeout, garbage from the target
                return self._trouble(session, isbn, exc)
            catalogue.troubles = 0
            return cell
        raise AssertionError("unreachable")

    def _trouble(self, session: _Session, isbn: str, exc: Exception) -> Cell:
        catalogue = session.catalogue
        catalogue.troubles += 1
        catalogue.last_trouble = failure = failure_of(exc, catalogue.profile)
        self._close(session, healthy=False)
        return _error_cell(isbn, failure, catalogue.profile)

    async def _search(self, session: _Session, isbn: str) -> Cell:
        profile = session.catalogue.profile
        assoc = session.assoc
        assert assoc is not None
        query = _isbn_query(profile, isbn)
        queries: list[RPNQuery] = [to_rpn(query, profile)]
        fell_back = False
        wanted = min(RECORDS_PER_CELL, profile.page_size) if profile.capabilities.piggyback else 0
        while True:
            await self._pace(session)
            try:
                result = await assoc.search(
                    queries[0],
                    profile.database_names,
                    syntax=_syntax(session),
                    element_set=profile.element_set_full,
                    piggyback=wanted,
                    timeout=profile.timeouts.search,
                )
                break
            except DiagnosticError as exc:
                # a refused ISBN search is retried as the profile says (keyword on the number)
                queries = queries[1:] if fell_back else fallback_queries(query, profile, exc.code)
                fell_back = True
                if not queries:
                    raise
        sent = to_pqf(queries[0])
        if not result.hits:
            return Cell(isbn, profile.id, "not found", query=sent)
        count = min(RECORDS_PER_CELL, result.hits)
        try:
            records = await self._records(session, result, count)
        except DiagnosticError as exc:
            failure = failure_of(exc, profile)
            return Cell(isbn, profile.id, "found", result.hits, query=sent,
                        error=f"the records could not be fetched: {failure.message}",
                        detail=failure.detail)
        best = _best(records)
        if best is None:
            reason = next((r.error for r in records if r.error), "no record came back")
            return Cell(isbn, profile.id, "found", result.hits, query=sent, error=reason or "")
        return Cell(isbn, profile.id, "found", result.hits, query=sent, title=best.full_title,
                    score=completeness(best), record=record_to_json(best))

    async def _records(
        self, session: _Session, result: SearchResult, count: int
    ) -> list[BibRecord]:
        """The first ``count`` records, in the first syntax of the profile the target gives."""
        profile = session.catalogue.profile
        assoc = session.assoc
        assert assoc is not None
        raw = [r for r in result.records if r.position <= count]
        refused = any(d.code in SYNTAX_REFUSED for d in result.diagnostics)
        if not raw and refused and len(session.syntaxes) > 1:
            session.syntaxes.pop(0)  # the search said so already: no Present in that syntax
        while not raw or any(_refused(r) for r in raw):
            if raw and len(session.syntaxes) > 1:
                session.syntaxes.pop(0)  # refused in this syntax: the next one, from now on
            elif raw:
                break  # refused in every syntax: the records say why
            await self._pace(session)
            try:
                raw = await assoc.present(
                    1, count, syntax=_syntax(session), element_set=profile.element_set_full,
                    timeout=profile.timeouts.present,
                )
            except DiagnosticError as exc:
                if exc.code in SYNTAX_REFUSED and len(session.syntaxes) > 1:
                    session.syntaxes.pop(0)
                    raw = []
                    continue
                raise
            if not raw:
                break
        return [read_raw(r, profile.name) for r in raw]


def _error_cell(isbn: str, failure: Failure, profile: TargetProfile) -> Cell:
    return Cell(isbn, profile.id, "error", error=failure.message, detail=failure.detail)


def _isbn_query(profile: TargetProfile, isbn: str) -> Query:
    """The ISBN as a form search; both forms ORed where the profile sends ISBNs as typed."""
    numbers = [isbn]
    if profile.isbn_form == "as-typed":
        with contextlib.suppress(ValidationError):
            ten = stdnum_isbn.to_isbn10(isbn)
            numbers.append(ten)
    return Query.of_form(SearchForm((Clause("isbn", ", ".join(numbers)),)))


def _syntax(session: _Session) -> str | None:
    return syntax_oid(session.syntaxes[0]) if session.syntaxes else None


def _refused(record: RawRecord) -> bool:
    return record.diagnostic is not None and record.diagnostic.code in SYNTAX_REFUSED


def _best(records: Sequence[BibRecord]) -> BibRecord | None:
    """The export's "best" choice among readable records (ties to the first)."""
    readable = [r for r in records if r.error is None]
    if not readable:
        return None
    scores = [completeness(r) for r in readable]
    return readable[scores.index(max(scores))]


def _cancelled() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


# --- the command line's entry point ----------------------------------------------------------


async def batch_command(
    isbn_file: str | os.PathLike[str],
    profiles: Sequence[TargetProfile],
    *,
    out_csv: str | os.PathLike[str] | None,
    out_json: str | os.PathLike[str] | None,
    state_path: str | os.PathLike[str],
    progress: Callable[[BatchProgress], None],
    retry_errors: bool = False,
) -> int:
    """``polycat batch --isbns FILE``: look every ISBN up, write the matrix, return the exit
    code: 0 when at least one catalogue answered (a found or not-found cell), else 1.

    ``progress`` gets a ``BatchProgress`` after the resumed cells and after each new cell
    (its ``skipped`` lists the lines that gave no ISBN). Raises ``BatchError`` when there is
    nothing to do (no ISBN in the file, no catalogue) or the state file is in use. On an
    interruption the outputs are not written (the state file keeps every finished cell: run
    the same command again to continue) and ``CancelledError`` goes on to the caller.
    """
    isbns = read_isbn_list(isbn_file)
    if not isbns:
        first = f" (line {isbns.skipped[0].line}: {isbns.skipped[0].reason})" if isbns.skipped \
            else ""
        raise BatchError(f"No ISBN found in {os.fspath(isbn_file)}{first}")
    if not profiles:
        raise BatchError("Choose at least one catalogue to look the ISBNs up in.")
    lookup = BatchLookup(isbns, profiles, state_path=state_path, retry_errors=retry_errors)
    async with contextlib.aclosing(lookup.run()) as events:
        async for event in events:
            if isinstance(event, BatchProgress):
                progress(event)
    if out_csv is not None:
        write_matrix_csv(lookup.matrix, out_csv)
    if out_json is not None:
        write_matrix_json(lookup.matrix, out_json)
    counts = lookup.matrix.counts()
    return 0 if counts["found"] + counts["not found"] else 1
