"""Golden byte vectors captured from real peers (see README.md and capture.py)."""

from __future__ import annotations

from pathlib import Path

from app.z3950.ber import definite

__all__ = ["definite", "load", "load_from", "names"]

HERE = Path(__file__).resolve().parent


def names() -> list[str]:
    return sorted(path.stem for path in HERE.glob("*.hex"))


def load(name: str) -> list[tuple[str, bytes]]:
    """The conversation in ``NAME.hex``: (">" origin-to-target or "<", APDU bytes) in order."""
    return load_from(HERE, name)


def load_from(directory: Path, name: str) -> list[tuple[str, bytes]]:
    conversation = []
    for line in (directory / f"{name}.hex").read_text(encoding="ascii").splitlines():
        if line and not line.startswith("#"):
            direction, hexdigits = line.split()
            conversation.append((direction, bytes.fromhex(hexdigits)))
    return conversation
