"""InternationalString in the association's character set (UTF-8 unless negotiated)."""

from __future__ import annotations

import codecs
from typing import Any

from app.z3950.errors import CharacterSetError


def to_octets(text: str, encoding: str, what: str = "text") -> bytes:
    """Encode for the wire; a character the agreed set cannot hold is our error, said plainly."""
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise CharacterSetError(
            f"The {what} {text!r} contains {text[exc.start : exc.end]!r}, which cannot be sent"
            f" in the character set agreed with this catalogue ({encoding}).",
            detail=str(exc),
        ) from exc
    except LookupError as exc:
        raise CharacterSetError(
            f"Unknown character set {encoding!r} for this association.", detail=str(exc)
        ) from exc


def to_text(octets: Any, encoding: str) -> str:
    """Decode what a target sent; undecodable bytes become U+FFFD rather than an error."""
    return bytes(octets).decode(encoding, errors="replace")


def python_codec(charset: str | None) -> str | None:
    """The Python codec for a negotiated character-set name, or None when Python has none."""
    if not charset:
        return None
    try:
        return codecs.lookup(charset.strip()).name
    except LookupError:
        return None


def visible_text(octets: Any, encoding: str) -> str:
    """A VisibleString: ISO 646, though targets put their own set's bytes in it too; read
    it with the association's set unless that set is not ASCII-based (UTF-16)."""
    if "A".encode(encoding, errors="replace") != b"A":
        encoding = "latin-1"
    return to_text(octets, encoding)
