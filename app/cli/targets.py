"""``polycat targets list | show ID | import FILE [--save]``: the catalogues Polycat knows.

``list`` shows the shipped and the user's catalogues (``--all`` adds the documented style
examples); ``show`` prints one profile as TOML; ``import`` reads a target list from ABCD, Koha
or pazpar2 and says what it would add, ``--save`` adds it to the user's targets folder with
the passwords in the system keyring. A malformed list is refused whole (exit 2, with the file
and line) and nothing of it is saved.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import output
from app.cli.common import UsageError, emit, emit_json, warn
from app.cli.profiles import known_profiles, resolve
from app.targets import (
    ImportedTargets,
    TargetError,
    TargetImportError,
    profile_toml,
    read_target_list,
    save_imported,
)
from app.targets.files import shown_path


def cmd_targets(args: argparse.Namespace) -> int:
    if args.action == "list":
        return targets_list(args)
    if args.action == "show":
        return targets_show(args)
    return targets_import(args)


def targets_list(args: argparse.Namespace) -> int:
    profiles = known_profiles(examples=args.all)
    if args.format == "json":
        emit_json(args, {"targets": [output.profile_json(p) for p in profiles.values()]})
    else:
        emit(args, "\n".join(output.profiles_text(profiles.values())) + "\n")
    return 0


def targets_show(args: argparse.Namespace) -> int:
    (profile,) = resolve([args.id], known_profiles())
    emit(args, profile_toml(profile))
    return 0


def targets_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        imported: ImportedTargets = read_target_list(path)
    except TargetImportError as problem:
        raise UsageError(str(problem)) from None
    saved: list[Path] = []
    if args.save:
        try:
            saved = save_imported(imported)
        except TargetError as problem:  # a keyring or a folder that refuses: nothing written
            warn(f"{problem} Nothing was saved.")
            return 1
    if args.format == "json":
        emit_json(args, output.import_json(imported, saved))
    else:
        emit(args, output.import_text(imported, shown_path(path), saved))
    return 0
