"""``polycat batch --isbns FILE --target ...``: a holdings matrix, ISBN × catalogue.

The work is ``app.search.batch.batch_command``'s; here are the options and the progress on
stderr (one line rewritten in place on a terminal, a line per tenth of the work otherwise, so
a log stays short). The state file (default: the ISBN list's name + ``.state``) lets an
interrupted run continue where it stopped: run the same command again.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from app.cli.common import UsageError, warn
from app.cli.profiles import check_login, resolve, tailor
from app.search.batch import BatchProgress, batch_command


class Progress:
    """Prints a ``BatchProgress`` to stderr; the lines the list could not read, once."""

    def __init__(self) -> None:
        self.terminal = sys.stderr.isatty()
        self.shown_tenth = -1
        self.told_skipped = False

    def __call__(self, progress: BatchProgress) -> None:
        if not self.told_skipped:
            self.told_skipped = True
            for line in progress.skipped:
                warn(f"line {line.line} skipped: {line.reason}")
        text = (f"{progress.done}/{progress.total} looked up: {progress.found} found, "
                f"{progress.not_found} not found, {progress.errors} errors")
        if progress.resumed:
            text += f" ({progress.resumed} from the state file)"
        if self.terminal:
            end = "\n" if progress.done == progress.total else ""
            print(f"\r{text}", end=end, file=sys.stderr, flush=True)
            return
        tenth = int(progress.fraction * 10)
        if tenth != self.shown_tenth:
            self.shown_tenth = tenth
            print(text, file=sys.stderr, flush=True)


def cmd_batch(args: argparse.Namespace) -> int:
    if not (args.csv or args.json):
        raise UsageError("say where the matrix goes: --csv FILE and/or --json FILE")
    check_login(args)
    profiles = [tailor(p, args) for p in resolve(args.target)]
    state = Path(args.state) if args.state else Path(f"{args.isbns}.state")
    try:
        return asyncio.run(batch_command(
            args.isbns, profiles, out_csv=args.csv, out_json=args.json, state_path=state,
            progress=Progress(), retry_errors=args.retry_errors,
        ))
    except KeyboardInterrupt:
        warn(f"stopped: every finished lookup is kept in {state}; run the same command "
             "again to continue")
        return 130
