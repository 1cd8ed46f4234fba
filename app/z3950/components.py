"""Small readers and writers of pyasn1 components that the APDU codecs share: optional
values, the reference id, database names, lists of texts and of diagnostics."""

from __future__ import annotations

from typing import Any

from app.z3950.events import Diagnostic
from app.z3950.externals import read_diag_rec
from app.z3950.text import to_octets, to_text


def optional_text(component: Any, encoding: str) -> str | None:
    return to_text(component, encoding) if component.isValue else None


def optional_int(component: Any) -> int | None:
    return int(component) if component.isValue else None


def reference_id(pdu: Any) -> bytes | None:
    """The APDU's referenceId, echoed by the answer to a request that has one."""
    value = pdu["referenceId"]
    return bytes(value) if value.isValue else None


def fill_database_names(component: Any, databases: tuple[str, ...], encoding: str) -> None:
    for index, name in enumerate(databases):
        component[index] = to_octets(name, encoding, "database name")


def read_texts(component: Any, encoding: str) -> tuple[str, ...]:
    return tuple(to_text(item, encoding) for item in component)


def read_diagnostics(component: Any, encoding: str) -> tuple[Diagnostic, ...]:
    return tuple(read_diag_rec(rec, encoding) for rec in component) if component.isValue else ()
