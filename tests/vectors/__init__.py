"""Golden byte vectors captured from real peers (see README.md and capture.py)."""

from __future__ import annotations

from pathlib import Path

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


def definite(data: bytes) -> bytes:
    """The same BER with every indefinite length made definite (YAZ sends some APDUs in the
    indefinite form; pyasn1 writes definite lengths). Independent of Polycat's BER reader."""
    out, end = _rewrite(data, 0)
    if end != len(data):
        raise ValueError(f"{len(data) - end} octets after the element")
    return out


def _rewrite(data: bytes, pos: int) -> tuple[bytes, int]:
    start = pos
    pos += 1
    if data[start] & 0x1F == 0x1F:
        while data[pos] & 0x80:
            pos += 1
        pos += 1
    identifier = data[start:pos]
    first = data[pos]
    pos += 1
    if first == 0x80:
        parts = []
        while data[pos : pos + 2] != b"\x00\x00":
            part, pos = _rewrite(data, pos)
            parts.append(part)
        contents = b"".join(parts)
        pos += 2
    else:
        length = first
        if first & 0x80:
            count = first & 0x7F
            length = int.from_bytes(data[pos : pos + count], "big")
            pos += count
        contents = data[pos : pos + length]
        if data[start] & 0x20:  # constructed: children may be indefinite too
            parts, inner = [], 0
            while inner < len(contents):
                part, inner = _rewrite(contents, inner)
                parts.append(part)
            contents = b"".join(parts)
        pos += length
    return identifier + _length(len(contents)) + contents, pos


def _length(length: int) -> bytes:
    if length < 0x80:
        return bytes((length,))
    size = (length.bit_length() + 7) // 8
    return bytes((0x80 | size,)) + length.to_bytes(size, "big")
