"""BER rewritten into the other length form, to feed the decoder what YAZ sends."""

from __future__ import annotations

from app.z3950 import ber


def indefinite(data: bytes) -> bytes:
    """The same BER with every constructed length indefinite, as YAZ writes its responses."""
    element = ber.read_tlv(data, 0, len(data))
    assert element.end == len(data)
    return _indefinite(data, element)


def _indefinite(data: bytes, element: ber.TLV) -> bytes:
    if not element.constructed:
        return data[element.start : element.end]
    identifier_end = element.start + 1
    if data[element.start] & 0x1F == 0x1F:
        while data[identifier_end] & 0x80:
            identifier_end += 1
        identifier_end += 1
    inside = b"".join(_indefinite(data, child) for child in ber.children(data, element))
    return data[element.start : identifier_end] + b"\x80" + inside + b"\x00\x00"
