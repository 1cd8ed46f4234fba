"""ABCD's ``z3950.def``: ``Name|Host|Port|Database|User|Password|Syntax`` or
``Name|Host|Port|Database|isUTF8`` lines."""

from __future__ import annotations

from typing import Any

from app.targets.listed import ListedTarget, set_login, syntax_name
from app.targets.profile import TargetImportError

__all__ = ["read_abcd"]

_TRUE = {"1", "y", "yes", "s", "si", "sí", "true", "utf8", "utf-8", "t", "x"}
_FALSE = {"", "0", "n", "no", "false", "f"}


def read_abcd(text: str, shown: str, skipped: list[str]) -> list[ListedTarget]:
    entries: list[ListedTarget] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith(("#", "//", ";")):
            continue
        fields = [f.strip() for f in line.split("|")]
        if len(fields) == 7:
            name, host, port, db, user, password, syntax = fields
            data: dict[str, Any] = {"name": name, "host": host, "port": port,
                                    "databases": db.split("+") if db else []}
            if syntax:
                data["syntaxes"] = [syntax_name(syntax, shown, number)]
            secret = set_login(data, user, password, shown, number)
            entries.append(ListedTarget(data, number, secret))
        elif len(fields) == 5:
            name, host, port, db, is_utf8 = fields
            data = {"name": name, "host": host, "port": port,
                    "databases": db.split("+") if db else []}
            flag = is_utf8.lower()
            if flag not in _TRUE | _FALSE:
                raise TargetImportError(
                    f"the fifth field says whether records are UTF-8 (1 or 0), not {is_utf8!r}",
                    path=shown, line=number)
            data["charset"] = "utf-8" if flag in _TRUE else "marc-8"
            entries.append(ListedTarget(data, number))
        else:
            raise TargetImportError(
                f"expected Name|Host|Port|Database|User|Password|Syntax or "
                f"Name|Host|Port|Database|isUTF8, but this line has {len(fields)} fields",
                path=shown, line=number)
        if not host:
            raise TargetImportError(f"'{name}' has no host", path=shown, line=number)
        if not db:
            raise TargetImportError(f"'{name}' names no database", path=shown, line=number)
    return entries


