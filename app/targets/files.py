"""Target profiles on disk: the shipped ``targets/*.toml``, the user's own, and writing back.

Shipped presets live in the repository's ``targets/`` folder (``POLYCAT_TARGETS_DIR``
overrides it for tests and packaging); the user's live in ``<config>/targets/*.toml`` where
``<config>`` is ``platformdirs.user_config_dir("polycat")`` or ``POLYCAT_CONFIG_DIR``. A user
profile with a shipped profile's id replaces it.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import platformdirs

from app.net.address import parse_address
from app.targets.profile import (
    DEFAULT_QUERY_MAP,
    KeyPath,
    TargetError,
    TargetFileError,
    TargetProfile,
    profile_from_mapping,
)

TARGETS_DIR_ENV = "POLYCAT_TARGETS_DIR"
CONFIG_DIR_ENV = "POLYCAT_CONFIG_DIR"


def shipped_dir() -> Path:
    """The folder of shipped presets: ``targets/`` beside the ``app`` package."""
    override = os.environ.get(TARGETS_DIR_ENV)
    return Path(override) if override else Path(__file__).resolve().parents[2] / "targets"


def user_dir() -> Path:
    """The folder of the user's own profiles (it may not exist yet)."""
    override = os.environ.get(CONFIG_DIR_ENV)
    base = Path(override) if override else Path(platformdirs.user_config_dir("polycat"))
    return base / "targets"


def shown_path(path: Path) -> str:
    """How a file is named in messages: ``targets/loc.toml`` for presets, else the path."""
    try:
        return f"targets/{path.resolve().relative_to(shipped_dir().resolve())}"
    except ValueError:
        pass
    home = Path.home()
    try:
        return f"~/{path.resolve().relative_to(home.resolve())}"
    except ValueError:
        return str(path)


# --- reading -----------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"
                  r"\"[^\"]*\"|'[^']*'))*)\s*=")


def _key_parts(text: str) -> KeyPath:
    """``a."b.c".d`` -> ("a", "b.c", "d")."""
    return tuple(p.strip("\"'") for p in re.findall(r"\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+", text))


def key_lines(text: str) -> dict[KeyPath, int]:
    """Where each key and table starts in a TOML text (1-based lines), for error messages."""
    lines: dict[KeyPath, int] = {}
    table: KeyPath = ()
    in_multiline = False
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            in_multiline = line.count('"""') % 2 == 0 and line.count("'''") % 2 == 0
            continue
        header = _HEADER.match(line)
        if header and not line.lstrip().startswith("[["):
            table = _key_parts(header.group(1))
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault(table + _key_parts(key.group(1)), number)
            in_multiline = line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1
    return lines


def read_profile_text(text: str, *, path: str = "", default_id: str = "") -> TargetProfile:
    """A profile from TOML text; ``path`` names it in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        line = re.search(r"line (\d+)", str(problem))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "",
                        str(problem))
        raise TargetFileError(
            f"this is not valid TOML: {reason}", path=path,
            line=int(line.group(1)) if line else None,
        ) from None
    lines = key_lines(text)
    return profile_from_mapping(data, path=path, line_of=lines.get, default_id=default_id)


def load_profile(path: Path) -> TargetProfile:
    """One profile file; its id defaults to the file name without ``.toml``."""
    shown = shown_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TargetFileError("the file is not UTF-8 text", path=shown) from None
    except OSError as problem:
        raise TargetFileError(f"cannot be read ({problem.strerror})", path=shown) from None
    return read_profile_text(text, path=shown, default_id=path.stem.lower())


def _load_folder(
    folder: Path, on_error: Callable[[TargetFileError], None] | None
) -> dict[str, TargetProfile]:
    found: dict[str, TargetProfile] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.toml")):
        try:
            profile = load_profile(path)
            if profile.id in found:
                raise TargetFileError(
                    f"id '{profile.id}' is already used by {found[profile.id].source}",
                    path=profile.source,
                    line=key_lines(path.read_text(encoding="utf-8")).get(("id",)),
                )
        except TargetFileError as problem:
            if on_error is None:
                raise
            on_error(problem)
            continue
        found[profile.id] = profile
    return found


def load_profiles(
    *,
    on_error: Callable[[TargetFileError], None] | None = None,
    include_examples: bool = False,
) -> dict[str, TargetProfile]:
    """Shipped presets, then the user's profiles over them, sorted by name.

    A broken file raises ``TargetFileError``, unless ``on_error`` is given: then it is told
    about each broken file and the others still load.
    """
    profiles = _load_folder(shipped_dir(), on_error)
    profiles.update(_load_folder(user_dir(), on_error))
    shown = [p for p in profiles.values() if include_examples or not p.example]
    return {p.id: p for p in sorted(shown, key=lambda p: (p.name.casefold(), p.id))}


def parse_target(spec: str, profiles: Mapping[str, TargetProfile]) -> TargetProfile:
    """A profile id (``loc``) or an address (``host:port/db``, ``host/db1+db2``, ``tcp:...``).

    An address becomes an ad-hoc profile with the usual defaults (USMARC, UTF-8, no login).
    """
    text = spec.strip()
    by_id = {key.lower(): profile for key, profile in profiles.items()}
    if text.lower() in by_id:
        return by_id[text.lower()]
    if not text or not any(c in text for c in ":/."):
        close = difflib.get_close_matches(text.lower(), sorted(by_id), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        known = ", ".join(sorted(by_id)) or "none"
        raise TargetError(
            f"There is no catalogue called '{text}'.{hint} Known catalogues: {known}; "
            "or give an address like z3950.loc.gov:7090/Voyager."
        )
    address = parse_address(text)
    return TargetProfile(
        id=str(address), name=str(address), host=address.host, port=address.port,
        databases=address.databases,
    )


# --- writing -----------------------------------------------------------------------------


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON strings are TOML basic strings
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def profile_toml(profile: TargetProfile) -> str:
    """The profile as TOML: always where it is, otherwise only what differs from defaults."""
    usual = TargetProfile(id=profile.id, name=profile.name, host=profile.host)
    lines = [f"# {profile.name}: written by Polycat", ""]
    for key in ("id", "name", "host", "port", "databases", "syntaxes"):
        lines.append(f"{key} = {_toml(getattr(profile, key))}")
    if (profile.element_set_full, profile.element_set_brief) != ("F", "B"):
        lines.append(f"elements = {{ full = {_toml(profile.element_set_full)}, "
                     f"brief = {_toml(profile.element_set_brief)} }}")
    for key in ("charset", "query_charset", "negotiate", "database_suffix", "auth", "user",
                "password_env", "style", "page_size", "max_records", "max_sessions",
                "pause_between_requests", "isbn_form", "fallback_on", "isbn_fallback",
                "year_range", "notes", "example"):
        value = getattr(profile, key)
        if value != getattr(usual, key):
            lines.append(f"{key} = {_toml(value)}")
    for table in ("timeouts", "capabilities"):
        mine, default = getattr(profile, table), getattr(usual, table)
        changed = [k for k in type(mine).__slots__ if getattr(mine, k) != getattr(default, k)]
        if changed:
            lines += ["", f"[{table}]"] + [f"{k} = {_toml(getattr(mine, k))}" for k in changed]
    query = [(f, spec) for f, spec in profile.query if DEFAULT_QUERY_MAP.get(f, "") != spec]
    if query:
        lines += ["", "[query]"]
        lines += [f"{f} = {_toml(spec) if spec is not None else 'false'}" for f, spec in query]
    return "\n".join(lines) + "\n"


def save_profile(profile: TargetProfile, path: Path) -> None:
    """Write ``profile`` to ``path`` (replacing it whole), refusing what could not be read back.

    No password is ever written: a profile does not hold one.
    """
    text = profile_toml(profile)
    read_profile_text(text, path=shown_path(path))  # the checks of loading: never a bad file
    write_text(path, text)


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` whole with ``text`` (a temporary file renamed over it)."""
    shown = shown_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", text=True)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError as problem:
        Path(temporary).unlink(missing_ok=True)
        raise TargetFileError(f"cannot be written ({problem.strerror})", path=shown) from None
