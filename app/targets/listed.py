"""A target as another program's list gives it, and the readings every list format shares:
record syntax names in Polycat's spelling and the login fields. (Character-set names need no
reading here: the profile check knows every spelling the lists use.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.targets.profile import SYNTAX_NAMES, TargetImportError
from app.z3950.oids import UnknownName, record_syntax_oid

__all__ = ["ListReader", "ListedTarget", "set_login", "syntax_name"]


@dataclass
class ListedTarget:
    """One target as a list gives it, before the profile checks: TOML-shaped data, the line it
    is on (and the line of each key, where the format says), and its password."""

    data: dict[str, Any]
    line: int
    password: str = ""
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def line_of(self, key: tuple[str, ...]) -> int:
        return self.lines.get(key, self.line)


# (text, the file's name as shown, skipped lines to add to) -> the targets it lists
ListReader = Callable[[str, str, list[str]], list[ListedTarget]]


def syntax_name(value: str, shown: str, line: int) -> str:
    """A syntax name from another program as a profile syntax (a name or a dotted OID)."""
    name = value.strip().lower()
    if name in SYNTAX_NAMES:
        return name
    try:
        return record_syntax_oid(name)
    except UnknownName:
        raise TargetImportError(
            f"record syntax {value!r} is not one Polycat knows (like USMARC, UNIMARC, XML)",
            path=shown, line=line,
        ) from None


def set_login(data: dict[str, Any], user: str, password: str, shown: str, line: int) -> str:
    """Set the profile's login fields; give back the password for the keyring."""
    if user:
        data.update(auth="idpass", user=user)
    elif password:
        raise TargetImportError("a password is given without a user name", path=shown,
                                line=line)
    return password
