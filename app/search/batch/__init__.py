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

from app.search.batch.cells import (
    NOT_SEARCHED,
    RECORDS_PER_CELL,
    TROUBLE_LIMIT,
    BatchProgress,
    Cell,
    CellStatus,
    HoldingsMatrix,
    MatrixRow,
    write_matrix_csv,
    write_matrix_json,
)
from app.search.batch.command import batch_command
from app.search.batch.isbns import (
    BatchError,
    IsbnList,
    SkippedLine,
    read_isbn_list,
    read_isbn_text,
    why_not_isbn,
)
from app.search.batch.lookup import BatchLookup
from app.search.batch.state import StateFile

__all__ = [
    "NOT_SEARCHED",
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
    "why_not_isbn",
    "write_matrix_csv",
    "write_matrix_json",
]
