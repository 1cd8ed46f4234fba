"""A small BER tag-length-value reader and writer for the two places pyasn1 does not go.

Framing must know where an APDU ends before it is whole, and which APDU it is (``read_header``;
``codec.decode_apdu`` reads the same first header to choose the APDU's spec). OCLC's
user-information record reuses a tag, so no pyasn1 spec can describe it: it is read with
``read_tlv``/``children`` and written with ``tlv``. Every other value is decoded and encoded
by pyasn1 (``asn1.decoder``). ``definite`` rewrites lengths for comparing captured YAZ bytes
with pyasn1's (tests/vectors); Polycat's own reading never calls it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from app.z3950.errors import RemoteProtocolError

UNIVERSAL = 0x00
APPLICATION = 0x40
CONTEXT = 0x80
PRIVATE = 0xC0
CONSTRUCTED = 0x20

Buffer = bytes | bytearray | memoryview

_CLASS_NAMES = {
    UNIVERSAL: "UNIVERSAL ",
    APPLICATION: "APPLICATION ",
    CONTEXT: "",
    PRIVATE: "PRIVATE ",
}


class TLV(NamedTuple):
    """One element: class bits (0x00/0x40/0x80/0xC0), constructed flag, tag number, where it
    starts, where its contents start and end (``end`` is past the 00 00 of an indefinite one).
    """

    cls: int
    constructed: bool
    tag: int
    start: int
    content: int
    content_end: int
    end: int


def tag_name(cls: int, tag: int) -> str:
    """``[21]`` for context tags, ``[UNIVERSAL 8]`` for the others."""
    return f"[{_CLASS_NAMES.get(cls, '')}{tag}]"


def read_header(data: Buffer, pos: int, end: int) -> tuple[int, int, int, int] | None:
    """Parse the identifier and length at ``pos``.

    Returns ``(identifier octet, tag number, content start, length)`` with length -1 for the
    indefinite form, or None when ``data[pos:end]`` stops inside the header.
    """
    if pos >= end:
        return None
    first = data[pos]
    pos += 1
    number = first & 0x1F
    if number == 0x1F:
        number = 0
        while True:
            if pos >= end:
                return None
            octet = data[pos]
            pos += 1
            number = (number << 7) | (octet & 0x7F)
            if not octet & 0x80:
                break
            if number > 0xFFFFFF:
                raise RemoteProtocolError(
                    "The target sent malformed data (a tag number too large to be real).",
                    detail=f"BER tag number overflow at offset {pos}",
                )
    if pos >= end:
        return None
    octet = data[pos]
    pos += 1
    if octet < 0x80:
        return first, number, pos, octet
    if octet == 0x80:
        if not first & CONSTRUCTED:
            raise RemoteProtocolError(
                "The target sent malformed data (indefinite length on a primitive value).",
                detail=f"BER indefinite length on primitive {tag_name(first & 0xC0, number)}"
                f" at offset {pos - 2}",
            )
        return first, number, pos, -1
    count = octet & 0x7F
    if count == 0x7F or count > 8:
        raise RemoteProtocolError(
            "The target sent malformed data (an impossible length field).",
            detail=f"BER length of {count} octets at offset {pos - 1}",
        )
    if pos + count > end:
        return None
    length = int.from_bytes(data[pos : pos + count], "big")
    return first, number, pos + count, length


def _header(data: Buffer, pos: int, end: int) -> tuple[int, int, int, int]:
    header = read_header(data, pos, end)
    if header is None:
        raise RemoteProtocolError(
            "The target sent a truncated message.",
            detail=f"BER header cut off at offset {pos} (element ends at {end})",
        )
    return header


def read_tlv(data: Buffer, pos: int, end: int) -> TLV:
    """The whole element at ``pos``, which must lie inside ``data[:end]``."""
    if pos + 4 <= end and data[pos] & 0x1F != 0x1F:
        # the common case inline (records are read in bulk): low tag, short or 1-2 octet length
        first = data[pos]
        octet = data[pos + 1]
        if octet < 0x80:
            content, length = pos + 2, octet
        elif octet == 0x81:
            content, length = pos + 3, data[pos + 2]
        elif octet == 0x82:
            content, length = pos + 4, (data[pos + 2] << 8) | data[pos + 3]
        else:
            content, length = -1, 0
        stop = content + length
        if content >= 0 and stop <= end:
            return TLV(first & 0xC0, bool(first & 0x20), first & 0x1F, pos, content, stop, stop)
    first, number, content, length = _header(data, pos, end)
    constructed = bool(first & CONSTRUCTED)
    if length >= 0:
        stop = content + length
        if stop > end:
            raise RemoteProtocolError(
                "The target sent a truncated message.",
                detail=f"{tag_name(first & 0xC0, number)} at offset {pos} claims {length} octets,"
                f" only {end - content} remain",
            )
        return TLV(first & 0xC0, constructed, number, pos, content, stop, stop)
    inner = content
    while True:
        if inner + 2 <= end and data[inner] == 0 and data[inner + 1] == 0:
            return TLV(first & 0xC0, constructed, number, pos, content, inner, inner + 2)
        if inner >= end:
            raise RemoteProtocolError(
                "The target sent a truncated message.",
                detail=f"indefinite {tag_name(first & 0xC0, number)} at offset {pos} has no end",
            )
        inner = read_tlv(data, inner, end).end


def children(data: Buffer, parent: TLV) -> Iterator[TLV]:
    """The elements inside a constructed element, in order."""
    pos = parent.content
    while pos < parent.content_end:
        child = read_tlv(data, pos, parent.content_end)
        yield child
        pos = child.end


def primitive_bytes(data: Buffer, element: TLV) -> bytes:
    """The contents of a string element; a constructed (segmented) string is joined."""
    if not element.constructed:
        return bytes(data[element.content : element.content_end])
    return b"".join(primitive_bytes(data, part) for part in children(data, element))


def tlv(identifier: int, contents: bytes) -> bytes:
    """One element with a low tag number (identifier octet < 0x1F tag) in definite form."""
    return bytes((identifier,)) + _length(len(contents)) + contents


def _length(length: int) -> bytes:
    if length < 0x80:
        return bytes((length,))
    size = (length.bit_length() + 7) // 8
    return bytes((0x80 | size,)) + length.to_bytes(size, "big")


def definite(data: Buffer) -> bytes:
    """The same BER value with every indefinite length made definite (bytes unchanged when
    there is none)."""
    element = read_tlv(data, 0, len(data))
    if element.end != len(data):
        raise RemoteProtocolError(
            "The target sent malformed data (extra octets after a value).",
            detail=f"{len(data) - element.end} octets after the element",
        )
    return _definite(data, element)


def _definite(data: Buffer, element: TLV) -> bytes:
    if not element.constructed:
        return bytes(data[element.start : element.end])
    parts = [_definite(data, child) for child in children(data, element)]
    identifier_end = element.start + 1
    if data[element.start] & 0x1F == 0x1F:
        while data[identifier_end] & 0x80:
            identifier_end += 1
        identifier_end += 1
    contents = b"".join(parts)
    return bytes(data[element.start : identifier_end]) + _length(len(contents)) + contents
