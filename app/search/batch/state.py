"""The state file: every finished cell, so an interrupted batch resumes where it stopped."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import IO

from app.search.batch.cells import Cell
from app.search.batch.isbns import BatchError

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


