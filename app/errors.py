"""The one root of every error Polycat raises on purpose."""

from __future__ import annotations


class PolycatError(Exception):
    """Something went wrong that a user can be told about in plain words."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        # the developer's half: shown one click away, never instead of the message
        self.detail = detail

    def __str__(self) -> str:
        return self.message
