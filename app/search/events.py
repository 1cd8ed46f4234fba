"""What a federated search run tells its listener, target by target, as it happens.

The command line prints these, the window's bridge turns them into Qt signals. Every event
names its target by profile id; ``Failure.message`` is for a librarian, ``detail`` for us.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.records.model import BibRecord

FailureKind = Literal[
    "connect",  # cannot connect: refused, unknown host, network unreachable
    "login",  # Init refused (wrong or missing password, OCLC failReason)
    "unsupported",  # the target does not support this search (diag 3, 107, 114, 121, 123 ...)
    "database",  # no such database (109, 235)
    "diagnostic",  # any other Bib-1 diagnostic
    "timeout",  # no answer within the profile's timeout
    "protocol",  # the target sent something that is not Z39.50
    "closed",  # the target closed the association
    "cancelled",  # the user stopped the search
]


@dataclass(frozen=True, slots=True)
class Failure:
    kind: FailureKind
    message: str  # one line a librarian understands: "login refused: password expired"
    detail: str = ""  # the whole story: diagnostic code, addinfo, server text, exception
    code: int | None = None  # Bib-1 diagnostic code when there is one


@dataclass(frozen=True, slots=True)
class Connecting:
    target: str


@dataclass(frozen=True, slots=True)
class Searching:
    target: str
    query: str  # the query as sent to this target, in PQF, for the details pane


@dataclass(frozen=True, slots=True)
class HitsKnown:
    target: str
    hits: int


@dataclass(frozen=True, slots=True)
class RecordsArrived:
    """A page of records read into BibRecords (bad ones carry ``error``, never dropped)."""

    target: str
    records: tuple[BibRecord, ...]
    fetched: int  # records fetched so far from this target
    hits: int


@dataclass(frozen=True, slots=True)
class TargetDone:
    """This target has delivered what was asked for now; ``more`` may fetch further pages."""

    target: str
    hits: int
    fetched: int
    elapsed: float


@dataclass(frozen=True, slots=True)
class TargetFailed:
    target: str
    failure: Failure
    elapsed: float


@dataclass(frozen=True, slots=True)
class RunFinished:
    """Every target is done or failed (or the run was cancelled)."""

    answered: int
    failed: int
    elapsed: float
    cancelled: bool = False


SearchEvent = (
    Connecting
    | Searching
    | HitsKnown
    | RecordsArrived
    | TargetDone
    | TargetFailed
    | RunFinished
)
