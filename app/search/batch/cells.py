"""Cells, progress and the holdings matrix a batch lookup fills, and how it is written."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from app.search.batch.isbns import BatchError, SkippedLine
from app.targets import TargetProfile

CellStatus = Literal["found", "not found", "error"]
NOT_SEARCHED = "not searched"  # a cell of an interrupted run, in the written matrix

# records fetched for a "found" cell to choose its best from
RECORDS_PER_CELL = 3
# timeouts or drops in a row after which a catalogue counts as down for this run
TROUBLE_LIMIT = 3
_STATE_VERSION = 1



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


