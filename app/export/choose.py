"""Which source record of a merged entry to export.

Rule "best" -- most complete, MARC preferred: score = the number of descriptive fields of the
model that are filled (title, subtitle, names, edition, publisher, place, year, physical
description, series, language, subjects, notes, abstract, ISBNs, ISSNs, LCCN, OCLC numbers,
URLs, holdings, host item ...; where a record came from and its warnings do not count), plus
:data:`MARC_BONUS` when the catalogue sent MARC 21 (ISO 2709 or MARCXML), whose export keeps
every field the model does not. A record that could not be read scores below every readable
one. Ties go to the earlier source (arrival order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields as dataclass_fields
from typing import Literal

from app.export.result import ExportError
from app.records.model import BibRecord

MARC_BONUS = 3
_MARC_SYNTAXES = frozenset({"usmarc", "marc21", "marcxml"})
# provenance and housekeeping, not description
_NOT_COUNTED = frozenset(
    {"target", "database", "position", "original", "error", "warnings", "nonsort", "date",
     "languages"}
)  # fmt: skip
_COUNTED = tuple(f.name for f in dataclass_fields(BibRecord) if f.name not in _NOT_COUNTED)

Rule = Literal["best", "all"] | int


def completeness(record: BibRecord) -> int:
    """The score of the "best" rule for one record."""
    if record.error is not None:
        return -1
    score = sum(1 for name in _COUNTED if getattr(record, name) not in ("", (), None))
    if record.original is not None and record.original.syntax.lower() in _MARC_SYNTAXES:
        score += MARC_BONUS
    return score


def choose(sources: Sequence[BibRecord], rule: Rule = "best") -> list[BibRecord]:
    """The source records to export for one merged entry.

    ``"best"``: the one record the rule above picks; ``"all"``: every source, in order; an
    int: the source the user picked (0-based, as listed in the entry).
    """
    if not sources:
        return []
    if rule == "all":
        return list(sources)
    if rule == "best":
        scores = [completeness(r) for r in sources]
        return [sources[scores.index(max(scores))]]
    if isinstance(rule, int) and not isinstance(rule, bool):
        if 0 <= rule < len(sources):
            return [sources[rule]]
        raise ExportError(
            f"There is no source record {rule + 1} in this entry: it has {len(sources)}.",
            detail=f"choose(rule={rule!r}) with {len(sources)} sources",
        )
    raise ExportError(
        "Unknown choice of record.", detail=f"rule must be 'best', 'all' or an int, not {rule!r}"
    )
