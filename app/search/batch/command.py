"""``polycat batch``: the command line's one call."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence

from app.search.batch.cells import BatchProgress, write_matrix_csv, write_matrix_json
from app.search.batch.isbns import BatchError, read_isbn_list
from app.search.batch.lookup import BatchLookup
from app.targets import TargetProfile

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
