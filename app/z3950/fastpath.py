"""Placeholder: the fast record path lands with its benchmark."""

from __future__ import annotations

from app.z3950.events import Event


def decode(number: int, data: bytes, encoding: str) -> Event | None:
    return None
