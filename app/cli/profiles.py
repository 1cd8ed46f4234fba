"""Which targets the command line means: ids or addresses, tailored by the options."""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Mapping, Sequence

from app.cli.common import UsageError, warn
from app.errors import PolycatError
from app.targets import (
    TargetError,
    TargetProfile,
    Timeouts,
    load_profiles,
    parse_target,
    syntax_oid,
)


def known_profiles(*, examples: bool = True) -> dict[str, TargetProfile]:
    """Every profile (an id may name a documented example too); a broken file is told."""
    return load_profiles(on_error=lambda problem: warn(f"ignored {problem}"),
                         include_examples=examples)


def resolve(specs: Sequence[str], profiles: Mapping[str, TargetProfile] | None = None
            ) -> list[TargetProfile]:
    """Profiles for ``--target`` values (ids or addresses), each once, in the order given."""
    if profiles is None:
        # an address alone needs no profile files read (and none of their warnings)
        profiles = known_profiles() if any(_is_id(s) for s in specs) else {}
    found: dict[str, TargetProfile] = {}
    for spec in specs:
        try:
            profile = parse_target(spec, profiles)
        except (TargetError, PolycatError) as problem:
            raise UsageError(str(problem)) from None
        found.setdefault(profile.id, profile)
    return list(found.values())


def _is_id(spec: str) -> bool:
    return not any(c in spec for c in ":/")


def tailor(profile: TargetProfile, args: argparse.Namespace) -> TargetProfile:
    """The profile with what the command line says instead: syntax, elements, login, time."""
    changes: dict[str, object] = {}
    if getattr(args, "syntax", None):
        changes["syntaxes"] = (args.syntax,)
    if getattr(args, "elements", None):
        changes["element_set_full"] = args.elements
    limit = getattr(args, "limit", None)
    if limit is not None and profile.max_records and limit > profile.max_records:
        changes["max_records"] = limit  # asked for on the command line: more than the profile's
    if args.user:
        changes["user"] = args.user
    if args.password_env:
        changes["password_env"] = args.password_env
    if (args.user or args.password_env) and profile.auth == "none":
        changes["auth"] = "idpass"
    if args.timeout is not None:
        t = args.timeout
        changes["timeouts"] = Timeouts(connect=t, init=t, search=t, present=t)
    tailored = dataclasses.replace(profile, **changes)  # type: ignore[arg-type]
    if args.password_env and not tailored.user:
        raise UsageError(f"--password-env needs --user: {profile.name} has no user name")
    return tailored


def check_login(args: argparse.Namespace) -> None:
    """A password variable named on the command line must exist (its value is never shown)."""
    if args.password_env and os.environ.get(args.password_env) is None:
        raise UsageError(f"the environment variable {args.password_env} is not set")


def check_syntax(name: str | None) -> None:
    if name is None:
        return
    try:
        syntax_oid(name)
    except PolycatError:
        raise UsageError(f"unknown record syntax {name!r}: use usmarc, unimarc, xml, sutrs, "
                         "opac or a dotted OID") from None
