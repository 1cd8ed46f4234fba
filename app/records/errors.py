"""Why a record could not be read: readers raise it, ``read_record`` makes it an error record."""

from __future__ import annotations

from app.errors import PolycatError

__all__ = ["UnreadableRecord"]


class UnreadableRecord(PolycatError):
    """The bytes are not a record of the syntax they claim; ``message`` says why in plain words."""
