"""What an association hands back: records as sent, and the outcome of each service."""

from __future__ import annotations

from dataclasses import dataclass

from app.z3950.events import Diagnostic, ScanEntry
from app.z3950.rpn import RPNQuery


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record exactly as the target sent it, or why the target could not send it.

    ``data`` is untouched: MARC and XML octets, a SUTRS text's bytes, an OPAC record's BER.
    A per-record (surrogate) diagnostic leaves ``data`` empty and fills ``diagnostic``.
    """

    position: int  # 1-based in the result set
    database: str | None
    syntax: str | None  # a name such as "usmarc", "xml", "sutrs"; None when unknown
    oid: str | None
    data: bytes = b""
    diagnostic: Diagnostic | None = None

    @property
    def ok(self) -> bool:
        return self.diagnostic is None


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A search's hit count and the records that came piggy-backed in its response."""

    hits: int
    records: list[RawRecord]
    diagnostics: tuple[Diagnostic, ...]
    result_set: str
    databases: tuple[str, ...] = ()
    query: RPNQuery | None = None
    syntax: str | None = None  # the record syntax OID asked for, reused by fetch()
    element_set: str | None = None
    # resultSetStatus (1 subset, 2 interim, 3 none) and presentStatus when the target says
    result_set_status: int | None = None
    present_status: int | None = None


@dataclass(frozen=True, slots=True)
class ScanResult:
    """A slice of a browse list around the term asked for."""

    status: int  # 0 success, 1-5 partial, 6 failure
    entries: tuple[ScanEntry, ...]
    position_of_term: int | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class SortResult:
    status: int  # 0 success, 1 partial
    result_set: str
    result_count: int | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class DeleteResult:
    """Per-set outcome: 0 success, 1 no such result set, others per DeleteSetStatus."""

    status: int
    statuses: tuple[tuple[str, int], ...] = ()
