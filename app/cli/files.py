"""``polycat show`` and ``polycat convert``: record files, no network.

``show FILE`` prints what Polycat understands of each record (the JSON of ``app.records``);
``convert IN OUT`` reads MARC (ISO 2709: MARC 21 in UTF-8 or MARC-8, UNIMARC), MARCXML, MODS
or Dublin Core and writes RIS, BibTeX, CSL-JSON, MARC or MARCXML. A record that cannot be
converted is named on stderr and the others are written all the same; the exit code is then 1
so that a script notices (0: every record converted).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import output
from app.cli.common import UsageError, emit_json, warn, write_file
from app.errors import PolycatError
from app.export import FORMATS, ExportError, export
from app.records import read_file, show_file

# file name endings -> export format, beyond each format's own extension
EXTENSIONS: dict[str, str] = {
    **{f.extension: name for name, f in FORMATS.items()},
    ".marc": "marc", ".iso": "marc", ".iso2709": "marc", ".bibtex": "bibtex",
    ".marcxml": "marcxml",
}  # fmt: skip


def cmd_show(args: argparse.Namespace) -> int:
    try:
        document = show_file(args.file)
    except PolycatError as problem:
        warn(str(problem))
        return 1
    emit_json(args, document)
    return 0


def format_for(out: str, to: str | None) -> str:
    if to:
        return to
    suffix = Path(out).suffix.lower()
    if out == "-" or suffix not in EXTENSIONS:
        endings = ", ".join(sorted(EXTENSIONS))
        raise UsageError(f"cannot tell the format of {out!r} from its name (known endings: "
                         f"{endings}); say it with --to")
    return EXTENSIONS[suffix]


def cmd_convert(args: argparse.Namespace) -> int:
    fmt = format_for(args.out, args.to)
    source, target = Path(args.input), Path(args.out)
    if args.out != "-" and target.exists() and target.resolve() == source.resolve():
        raise UsageError(f"{args.out} would overwrite the file being converted")
    try:
        records = read_file(source)
    except PolycatError as problem:
        warn(str(problem))
        return 1
    if not records:
        warn(f"{source} holds no records: nothing written")
        return 1
    try:
        result = export(records, fmt)
    except ExportError as problem:
        warn(f"{source}: {problem}")
        return 1
    for caveat in result.problems:
        warn(output.problem_line(source.name, caveat))
    if args.out == "-":
        sys.stdout.buffer.write(result.data)
        sys.stdout.buffer.flush()
    else:
        write_file(target, result.data)
    if result.skipped:
        warn(f"{len(result.skipped)} of {len(records)} records not converted; "
             f"{result.written} written to {args.out}")
        return 1
    return 0
