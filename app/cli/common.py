"""What every subcommand shares: the usage error, warnings, where output goes."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from app.errors import PolycatError


class UsageError(PolycatError):
    """The command line itself is wrong: exit code 2."""


def warn(message: str) -> None:
    print(f"polycat: {message}", file=sys.stderr)


def emit(args: argparse.Namespace, data: str | bytes) -> None:
    """Text or bytes to ``-o FILE`` (written whole, never half) or to standard output."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if args.output:
        write_file(Path(args.output), payload)
    elif isinstance(data, str):
        sys.stdout.write(data)
        sys.stdout.flush()
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()


def emit_json(args: argparse.Namespace, document: Any) -> None:
    """JSON indented for a person at a terminal; compact (and five times faster) for a
    program or a file."""
    person = not args.output and sys.stdout.isatty()
    emit(args, json.dumps(document, ensure_ascii=False, indent=1 if person else None) + "\n")


def write_file(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` through a temporary file: a failed write leaves no torso."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.")
    except OSError as problem:
        raise PolycatError(f"Cannot write {path}: {problem.strerror or problem}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError as problem:
        Path(temporary).unlink(missing_ok=True)
        raise PolycatError(f"Cannot write {path}: {problem.strerror or problem}") from None
