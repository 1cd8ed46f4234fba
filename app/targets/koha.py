"""Koha's ``z3950servers`` table: a CSV export with a header row, or an SQL dump
(``INSERT INTO z3950servers (...) VALUES (...),(...);``, column names from the INSERT, from the
dump's CREATE TABLE, or from Koha's known layouts)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.targets.listed import ListedTarget, set_login, syntax_name
from app.targets.profile import TargetImportError

__all__ = ["KOHA_LAYOUTS", "read_koha_csv", "read_koha_sql"]

KOHA_LAYOUTS: tuple[tuple[str, ...], ...] = (
    ("id", "host", "port", "db", "userid", "password", "servername", "checked", "rank",
     "syntax", "timeout", "servertype", "encoding", "recordtype", "sru_options",
     "sru_fields", "add_xslt", "attributes"),  # 22.05 and later
    ("id", "host", "port", "db", "userid", "password", "servername", "checked", "rank",
     "syntax", "timeout", "servertype", "encoding", "recordtype", "sru_options",
     "sru_fields", "add_xslt"),  # 17.05 to 21.11
    ("host", "port", "db", "userid", "password", "name", "id", "checked", "rank", "syntax",
     "icon", "position", "type", "encoding", "description"),  # 3.x
)


def _koha_entry(
    row: dict[str, str | None], line: int, shown: str, skipped: list[str]
) -> ListedTarget | None:
    def col(name: str) -> str:
        return (row.get(name) or "").strip()

    name = col("servername") or col("name") or col("host")
    kind = (col("servertype") or col("type") or "zed").lower()
    if kind != "zed":
        skipped.append(f"line {line}: '{name}' is an {kind.upper()} server; Polycat speaks "
                       "Z39.50 only")
        return None
    if col("recordtype").lower() == "authority":
        skipped.append(f"line {line}: '{name}' serves authority records, not bibliographic "
                       "ones")
        return None
    data: dict[str, Any] = {"name": name, "host": col("host"),
                            "databases": [col("db")] if col("db") else []}
    if col("port"):
        data["port"] = col("port")
    if col("syntax"):
        data["syntaxes"] = [syntax_name(col("syntax"), shown, line)]
    if col("encoding"):
        data["charset"] = col("encoding")
    timeout = col("timeout")
    if timeout and timeout != "0":
        if not timeout.isdigit():
            raise TargetImportError(f"timeout must be a number of seconds, not {timeout!r}",
                                    path=shown, line=line)
        data["timeouts"] = {"search": int(timeout), "present": int(timeout)}
    secret = set_login(data, col("userid"), col("password"), shown, line)
    return ListedTarget(data, line, secret)


def read_koha_csv(text: str, shown: str, skipped: list[str]) -> list[ListedTarget]:
    first = text.splitlines()[0] if text else ""
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    entries: list[ListedTarget] = []
    start = reader.line_num + 1
    for values in reader:
        line, start = start, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise TargetImportError(
                f"this row has {len(values)} values but the header names {len(header)} "
                "columns", path=shown, line=line)
        entry = _koha_entry(dict(zip(header, values, strict=True)), line, shown, skipped)
        if entry is not None:
            entries.append(entry)
    return entries


@dataclass(frozen=True, slots=True)
class _Sql:
    kind: str  # "word" "string" "number" "null" "(" ")" "," ";"
    text: str
    line: int


_SQL_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<comment>--[^\n]*|\#[^\n]*|/\*.*?\*/)
      |(?P<string>'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*")
      |(?P<ident>`(?:[^`]|``)*`)|(?P<number>-?\d+(?:\.\d+)?)
      |(?P<word>[A-Za-z_][A-Za-z0-9_$]*)|(?P<punct>[(),;.=])|(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}


def _sql_string(quoted: str) -> str:
    quote, body = quoted[0], quoted[1:-1]
    body = body.replace(quote * 2, quote)
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body,
                  flags=re.DOTALL)


def _sql_tokens(text: str, shown: str) -> Iterator[_Sql]:
    line = 1
    for match in _SQL_TOKEN.finditer(text):
        kind, value = match.lastgroup or "", match.group()
        here = line
        line += value.count("\n")
        if kind in ("space", "comment"):
            continue
        if kind == "other":
            if value in "'\"":
                raise TargetImportError("a quoted text is never closed", path=shown, line=here)
            yield _Sql("other", value, here)
        elif kind == "string":
            yield _Sql("string", _sql_string(value), here)
        elif kind == "ident":
            yield _Sql("word", value[1:-1].replace("``", "`"), here)
        elif kind == "word" and value.upper() == "NULL":
            yield _Sql("null", "", here)
        elif kind == "punct":
            yield _Sql(value, value, here)
        else:
            yield _Sql(kind, value, here)


class _SqlDump:
    def __init__(self, text: str, shown: str) -> None:
        self.tokens = list(_sql_tokens(text, shown))
        self.at = 0
        self.shown = shown

    def peek(self) -> _Sql:
        return self.tokens[self.at] if self.at < len(self.tokens) else _Sql(";", ";", 0)

    def take(self) -> _Sql:
        token = self.peek()
        self.at += 1
        return token

    def fail(self, message: str, token: _Sql) -> TargetImportError:
        return TargetImportError(message, path=self.shown, line=token.line or None)

    def words(self, *expected: str) -> bool:
        """Take these words (any case) if they come next."""
        ahead = self.tokens[self.at : self.at + len(expected)]
        if [t.text.upper() for t in ahead if t.kind == "word"] == [w.upper() for w in expected]:
            self.at += len(expected)
            return True
        return False

    def skip_statement(self) -> None:
        while self.at < len(self.tokens) and self.take().kind != ";":
            pass

    def name_list(self) -> list[str]:
        open_ = self.take()
        if open_.kind != "(":
            raise self.fail("'(' expected before the column names", open_)
        names: list[str] = []
        while True:
            token = self.take()
            if token.kind != "word":
                raise self.fail(f"a column name expected, not {token.text!r}", token)
            names.append(token.text.lower())
            token = self.take()
            if token.kind == ")":
                return names
            if token.kind != ",":
                raise self.fail(f"',' or ')' expected in the column names, not {token.text!r}",
                                token)

    def table_columns(self) -> list[str]:
        """The column names of a CREATE TABLE body (keys and constraints left out)."""
        columns: list[str] = []
        depth, fresh = 0, True
        while True:
            token = self.take()
            if token.kind == ";" and token.line == 0:
                raise self.fail("the CREATE TABLE never ends", token)
            if token.kind == "(":
                depth += 1
            elif token.kind == ")":
                depth -= 1
                if depth == 0:
                    return columns
            elif token.kind == "," and depth == 1:
                fresh = True
            elif fresh and depth == 1:
                fresh = False
                if token.kind == "word" and token.text.upper() not in (
                    "PRIMARY", "KEY", "UNIQUE", "INDEX", "CONSTRAINT", "FOREIGN", "FULLTEXT",
                    "CHECK", "SPATIAL",
                ):
                    columns.append(token.text.lower())

    def value_tuple(self) -> tuple[list[str | None], int]:
        open_ = self.take()
        if open_.kind != "(":
            raise self.fail(f"'(' expected before a row of values, not {open_.text!r}", open_)
        values: list[str | None] = []
        while True:
            token = self.take()
            if token.kind == "null":
                values.append(None)
            elif token.kind in ("string", "number"):
                values.append(token.text)
            elif token.kind == "word" and token.text.upper() in ("TRUE", "FALSE"):
                values.append("1" if token.text.upper() == "TRUE" else "0")
            else:
                raise self.fail(f"a value expected, not {token.text!r}", token)
            token = self.take()
            if token.kind == ")":
                return values, open_.line
            if token.kind != ",":
                raise self.fail(f"',' or ')' expected between values, not {token.text!r}",
                                token)


def _is_koha_table(dump: _SqlDump) -> bool:
    token = dump.peek()
    if token.kind == "word" and token.text.lower() == "z3950servers":
        dump.take()
        return True
    return False


def read_koha_sql(text: str, shown: str, skipped: list[str]) -> list[ListedTarget]:
    dump = _SqlDump(text, shown)
    table_columns: list[str] | None = None
    entries: list[ListedTarget] = []
    while dump.at < len(dump.tokens):
        if dump.words("CREATE", "TABLE"):
            dump.words("IF", "NOT", "EXISTS")
            if _is_koha_table(dump):
                table_columns = dump.table_columns()
            dump.skip_statement()
        elif dump.words("INSERT") and (dump.words("IGNORE", "INTO") or dump.words("INTO")):
            if not _is_koha_table(dump):
                dump.skip_statement()
                continue
            columns = dump.name_list() if dump.peek().kind == "(" else None
            if not dump.words("VALUES"):
                raise dump.fail("VALUES expected in the INSERT INTO z3950servers", dump.peek())
            while True:
                values, line = dump.value_tuple()
                names = columns or table_columns or _koha_layout(len(values), dump, line)
                if len(names) != len(values):
                    raise TargetImportError(
                        f"this row has {len(values)} values for {len(names)} columns",
                        path=shown, line=line)
                entry = _koha_entry(dict(zip(names, values, strict=True)), line, shown, skipped)
                if entry is not None:
                    entries.append(entry)
                if dump.peek().kind != ",":
                    break
                dump.take()
            end = dump.take()
            if end.kind != ";":
                raise dump.fail(f"';' expected after the values, not {end.text!r}", end)
        else:
            dump.skip_statement()  # some other statement (SET, LOCK TABLES, other tables)
    return entries


def _koha_layout(count: int, dump: _SqlDump, line: int) -> tuple[str, ...]:
    for layout in KOHA_LAYOUTS:
        if len(layout) == count:
            return layout
    raise TargetImportError(
        f"the INSERT names no columns and its {count} values match no Koha version's "
        "z3950servers table; export again with column names (mysqldump --complete-insert)",
        path=dump.shown, line=line)


