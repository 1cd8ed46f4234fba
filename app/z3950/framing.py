"""Cut a Z39.50 byte stream into APDUs (RFC 1729: an APDU ends where its BER length says).

The framer remembers how far it got: a definite-length APDU is measured once from its
header, an indefinite-length one is walked child by child as bytes arrive, and neither is
rescanned when the next chunk comes. Bytes after an APDU stay for the next one.
"""

from __future__ import annotations

from app.z3950 import ber
from app.z3950.errors import RemoteProtocolError

DEFAULT_MAX_APDU_SIZE = 16 * 1024 * 1024

# PDU alternatives are [20] .. [50], always context-class and constructed
_FIRST_APDU_TAG = 20
_LAST_APDU_TAG = 50


class Framer:
    """``feed`` bytes in, take whole APDUs out with ``next_apdu``."""

    def __init__(self, max_apdu_size: int = DEFAULT_MAX_APDU_SIZE) -> None:
        self.max_apdu_size = max_apdu_size
        self._buffer = bytearray()
        self._total: int | None = None  # size of the APDU at the front, once known
        self._scan = 0  # indefinite form: where the walk resumes
        self._open = 0  # indefinite form: constructed elements still awaiting 00 00

    @property
    def buffered(self) -> int:
        """Bytes held, whole APDUs and a partial one together."""
        return len(self._buffer)

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def next_apdu(self) -> bytes | None:
        """The next whole APDU, or None until more bytes arrive."""
        if self._total is None and not self._measure():
            return None
        total = self._total
        assert total is not None
        if len(self._buffer) < total:
            return None
        apdu = bytes(self._buffer[:total])
        del self._buffer[:total]
        self._total = None
        return apdu

    def _measure(self) -> bool:
        """Find the size of the APDU at the front; False when more bytes are needed."""
        buffer = self._buffer
        if self._open == 0:
            header = ber.read_header(buffer, 0, len(buffer))
            if header is None:
                if buffer:
                    self._check_start(buffer[0], None)
                return False
            identifier, number, content, length = header
            self._check_start(identifier, number)
            if length >= 0:
                self._total = self._refuse_oversize(content + length, declared=True)
                return True
            self._scan, self._open = content, 1
        return self._walk()

    def _walk(self) -> bool:
        buffer = self._buffer
        end = len(buffer)
        scan, depth = self._scan, self._open
        try:
            while depth:
                if scan > end:
                    return False  # a definite child we skipped over is still arriving
                if scan + 2 <= end and buffer[scan] == 0 and buffer[scan + 1] == 0:
                    scan += 2
                    depth -= 1
                    continue
                header = ber.read_header(buffer, scan, end)
                if header is None:
                    return False
                _, _, content, length = header
                if length < 0:
                    scan, depth = content, depth + 1
                else:
                    scan = content + length
                self._refuse_oversize(scan, declared=False)
            self._total = scan
            return True
        finally:
            self._scan, self._open = scan, depth

    def _refuse_oversize(self, size: int, *, declared: bool) -> int:
        if size > self.max_apdu_size:
            how = "announced" if declared else "reached"
            raise RemoteProtocolError(
                f"The target sent a message larger than Polycat accepts"
                f" ({size:,} bytes {how}; the limit is {self.max_apdu_size:,}).",
                detail=f"APDU size {size} > max_apdu_size {self.max_apdu_size}",
            )
        return size

    def _check_start(self, identifier: int, number: int | None) -> None:
        """Refuse at once what cannot begin an APDU, before waiting for a body."""
        context_constructed = identifier & 0xE0 == ber.CONTEXT | ber.CONSTRUCTED
        if context_constructed and (number is None or _FIRST_APDU_TAG <= number <= _LAST_APDU_TAG):
            return
        start = bytes(self._buffer[:16])
        if start.startswith((b"HTTP/", b"<?xml", b"<html", b"<HTML")):
            message = (
                "The server answered in HTTP/XML, not Z39.50: is this the address of a web"
                " (SRU) service rather than a Z39.50 port?"
            )
        else:
            message = "The target sent something that is not a Z39.50 message."
        raise RemoteProtocolError(message, detail=f"first octets {start.hex()} {start!r}")
