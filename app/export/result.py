"""What an export hands back: the file's bytes and what went wrong with single records.

One bad record never costs the others: it is left out (or written with a caveat) and named in
``problems``; :class:`ExportError` is raised only when nothing at all could be written.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import PolycatError
from app.records.model import BibRecord


class ExportError(PolycatError):
    """The export cannot be done at all: unknown format or option, or no record writable."""


class RecordNotWritable(ExportError):
    """One record cannot be written in the chosen format; the export goes on without it."""


@dataclass(frozen=True, slots=True)
class ExportProblem:
    """Something about one record of the export that the user should know."""

    index: int  # 0-based place of the record in the sequence given to export()
    target: str
    position: int | None
    title: str
    message: str
    skipped: bool  # True: the record is not in the file; False: it is, with this caveat

    @classmethod
    def about(cls, record: BibRecord, index: int, message: str, *, skipped: bool) -> ExportProblem:
        return cls(index, record.target, record.position, record.full_title, message, skipped)

    def __str__(self) -> str:
        where = self.target or "unknown catalogue"
        if self.position is not None:
            where += f" #{self.position}"
        title = self.title if len(self.title) <= 60 else self.title[:57] + "..."
        what = f"“{title}” ({where})" if title else f"untitled record ({where})"
        outcome = "not exported" if self.skipped else "exported"
        return f"Record {self.index + 1}, {what}, {outcome}: {self.message}"


@dataclass(frozen=True, slots=True)
class ExportResult:
    """The file to write (``data``) and the problems met, record by record."""

    data: bytes
    format: str
    written: int  # how many records are in ``data``
    problems: tuple[ExportProblem, ...] = ()

    def __bytes__(self) -> bytes:
        return self.data

    @property
    def skipped(self) -> tuple[ExportProblem, ...]:
        return tuple(p for p in self.problems if p.skipped)
