"""What every subcommand shares: the usage error, warnings, where output goes."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import stat
import sys
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
    """Write ``data`` to ``path`` whole or not at all (a temporary file renamed over it).

    A device or a pipe (``/dev/stdout``, ``/dev/null``, a FIFO) is written straight: renaming
    over it would replace the device. A symbolic link keeps pointing at the file it names; an
    existing file keeps its permissions, a new one gets the usual ones (umask).
    """
    try:
        if path.exists() and not path.is_file():
            with path.open("wb") as out:
                out.write(data)
            return
        target = path.resolve()
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else None
        temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}")
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as problem:
        raise PolycatError(f"Cannot write {path}: {problem.strerror or problem}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as problem:
        temporary.unlink(missing_ok=True)
        raise PolycatError(f"Cannot write {path}: {problem.strerror or problem}") from None
