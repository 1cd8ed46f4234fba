"""Catalogue passwords: the system keyring when there is one, clear text only if the user says so.

A password the user would not have kept in clear is remembered for this session only (in
memory, until Polycat closes).

The keyring side is app.targets' (service "polycat", user "<catalogue id>:<user>"). This module
adds what only the window can do: tell whether a real keyring exists, and, when none does and
the user agreed (the question defaults to no), keep the password in ``credentials.ini`` in the
config folder, created readable by its owner only.
"""

from __future__ import annotations

import configparser
import os
from pathlib import Path

from app.targets import TargetProfile, forget_password, password_for, store_password
from ui.options import config_dir


def keyring_available() -> bool:
    """True when a real backend (not keyring's "fail" or "null" one) stores secrets."""
    import keyring

    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration counts as none
        return False
    name = type(backend).__module__
    priority = getattr(backend, "priority", 0)
    return bool(priority and priority > 0) and "fail" not in name and "null" not in name


def clear_file() -> Path:
    return config_dir() / "credentials.ini"


def _read() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(clear_file(), encoding="utf-8")
    return parser


def _write(parser: configparser.ConfigParser) -> None:
    path = clear_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    # owner-only from the moment it exists
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        parser.write(handle)


# passwords typed this session and not kept anywhere: (catalogue id, user) -> password
_SESSION: dict[tuple[str, str], str] = {}


def remember_for_session(profile: TargetProfile, password: str) -> None:
    _SESSION[(profile.id, profile.user)] = password


def forget_session_passwords() -> None:
    _SESSION.clear()


def load_password(profile: TargetProfile) -> str | None:
    """This session's password, the environment variable, the keyring, the clear file."""
    typed = _SESSION.get((profile.id, profile.user))
    if typed is not None:
        return typed
    found = password_for(profile)
    if found is not None:
        return found
    return _read().get(profile.id, profile.user, fallback=None)


def save_password(profile: TargetProfile, password: str, *, clear_ok: bool = False) -> str:
    """Keep a password: "keyring" or "clear". Without a keyring and without ``clear_ok``
    nothing is kept and ``PermissionError`` says so."""
    if keyring_available():
        store_password(profile, password)
        return "keyring"
    if not clear_ok:
        raise PermissionError("there is no system keyring; the password was not kept")
    parser = _read()
    if not parser.has_section(profile.id):
        parser.add_section(profile.id)
    parser.set(profile.id, profile.user, password)
    _write(parser)
    return "clear"


def drop_password(profile: TargetProfile) -> None:
    _SESSION.pop((profile.id, profile.user), None)
    if keyring_available():
        forget_password(profile)
    parser = _read()
    if parser.has_option(profile.id, profile.user):
        parser.remove_option(profile.id, profile.user)
        _write(parser)
