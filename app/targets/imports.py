"""Target lists from other library programs, read into profiles: ABCD, Koha, pazpar2.

- ABCD ``z3950.def``: ``Name|Host|Port|Database|User|Password|Syntax`` or
  ``Name|Host|Port|Database|isUTF8`` lines.
- Koha's ``z3950servers`` table: a CSV export with a header row, or an SQL dump
  (``INSERT INTO z3950servers (...) VALUES (...),(...);``, column names from the INSERT, from
  the dump's CREATE TABLE, or from Koha's known layouts).
- pazpar2 settings XML: ``<settings target="host:port/db"><set name=".." value=".."/>`` or
  ``<set target=".." name=".." value=".."/>``; ``target="*"`` applies to every target.

Every record goes through the same checks as a TOML profile. A file with any bad record is
refused whole (``TargetImportError`` naming the file and line); passwords come back apart from
the profiles, for the keyring. SRU, OpenSearch and authority-only servers are skipped and
said so in ``skipped``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import xml.sax
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.sax import parseString

from app.net.address import AddressError, parse_address
from app.targets.files import profile_toml, read_profile_text, shown_path, user_dir, write_text
from app.targets.login import store_password
from app.targets.profile import (
    SYNTAX_NAMES,
    TargetImportError,
    TargetProfile,
    profile_from_mapping,
)
from app.z3950.ccl import CCLError, parse_qualifier_spec
from app.z3950.oids import UnknownName, record_syntax_oid


@dataclass(frozen=True)
class ImportedTargets:
    """What a target list gave: profiles, their passwords (by profile id) and what was left."""

    profiles: tuple[TargetProfile, ...]
    passwords: dict[str, str] = field(default_factory=dict)  # for the keyring, never a file
    skipped: tuple[str, ...] = ()  # "line 4: 'X' is an SRU server: Polycat speaks Z39.50"
    kind: str = ""  # "ABCD z3950.def", "Koha CSV", "Koha SQL", "pazpar2 settings"


@dataclass
class _Entry:
    """One target as read, before the profile checks: TOML-shaped data and where it was."""

    data: dict[str, Any]
    line: int
    password: str = ""
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def line_of(self, key: tuple[str, ...]) -> int:
        return self.lines.get(key, self.line)


def import_targets(path: Path) -> list[TargetProfile]:
    """The profiles in a target list of any known kind (see ``read_target_list``)."""
    return list(read_target_list(path).profiles)


def read_target_list(path: Path) -> ImportedTargets:
    """Read a target list, telling its kind from its content; all or nothing."""
    shown = shown_path(path)
    try:
        raw = path.read_bytes()
    except OSError as problem:
        raise TargetImportError(f"cannot be read ({problem.strerror})", path=shown) from None
    text = _decode(raw)
    kind, reader = _sniff(text, shown)
    skipped: list[str] = []
    entries = reader(text, shown, skipped)
    if not entries and not skipped:
        raise TargetImportError(f"this {kind} file lists no targets", path=shown)
    profiles, passwords = _profiles(entries, shown)
    return ImportedTargets(tuple(profiles), passwords, tuple(skipped), kind)


def save_imported(imported: ImportedTargets, folder: Path | None = None) -> list[Path]:
    """Add imported profiles to the user's targets folder, their passwords to the keyring.

    Nothing is overwritten: an id already taken in the folder gets a "-2" ... suffix. Every
    file is rendered and checked, and every password stored, before the first file is
    written; the paths written come back in the order of ``imported.profiles``.
    """
    folder = folder or user_dir()
    taken = {p.stem.lower() for p in folder.glob("*.toml")} if folder.is_dir() else set()
    plan: list[tuple[Path, str]] = []
    for profile in imported.profiles:
        final = replace(profile, id=_unique(profile.id, taken))
        path = folder / f"{final.id}.toml"
        text = profile_toml(final)
        read_profile_text(text, path=shown_path(path))
        plan.append((path, text))
        if profile.id in imported.passwords:
            store_password(final, imported.passwords[profile.id])
    for path, text in plan:
        write_text(path, text)
    return [path for path, _ in plan]


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # old Windows exports (ABCD, Koha CSV)


Reader = Callable[[str, str, list[str]], list[_Entry]]


def _sniff(text: str, shown: str) -> tuple[str, Reader]:
    start = text.lstrip()
    first = next((ln for ln in text.splitlines()
                  if ln.strip() and not ln.lstrip().startswith(("#", "//", ";"))), "")
    if start.startswith("<"):
        return "pazpar2 settings", _read_pazpar2
    if re.search(r"\binsert\s+(?:ignore\s+)?into\s+`?z3950servers`?", text, re.IGNORECASE):
        return "Koha SQL", _read_koha_sql
    header = [c.strip().strip('"').lower() for c in re.split(r"[,;\t]", first)]
    if "host" in header and ("servername" in header or "name" in header):
        return "Koha CSV", _read_koha_csv
    if "|" in first:
        return "ABCD z3950.def", _read_abcd
    raise TargetImportError(
        "Polycat cannot tell what kind of target list this is: it reads ABCD z3950.def, "
        "Koha z3950servers (CSV with a header row, or an SQL dump) and pazpar2 settings XML",
        path=shown,
    )


def _profiles(entries: list[_Entry], shown: str) -> tuple[list[TargetProfile], dict[str, str]]:
    profiles: list[TargetProfile] = []
    passwords: dict[str, str] = {}
    problems: list[TargetImportError] = []
    used: set[str] = set()
    for entry in entries:
        entry.data["id"] = _unique(_slug(str(entry.data.get("name") or entry.data["host"])), used)
        try:
            profile = profile_from_mapping(
                entry.data, path=shown, error=TargetImportError, line_of=entry.line_of
            )
        except TargetImportError as problem:
            problems.append(problem)
            continue
        profiles.append(profile)
        if entry.password:
            passwords[profile.id] = entry.password
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise TargetImportError(
            first.reason + more + "; nothing was imported",
            path=shown, line=first.line,
        ) from None
    return profiles, passwords


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].strip("-") or "target"


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    used.add(candidate)
    return candidate


def _syntax(value: str, shown: str, line: int) -> str:
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


_ENCODINGS = {
    "utf8": "utf-8", "utf-8": "utf-8", "marc-8": "marc-8", "marc8": "marc-8",
    "iso_8859-1": "latin-1", "iso-8859-1": "latin-1", "iso8859-1": "latin-1",
    "latin1": "latin-1", "latin-1": "latin-1", "iso_5426": "iso5426", "iso5426": "iso5426",
    "iso-5426": "iso5426",
}


def _encoding(value: str) -> str:
    """Another program's charset name in the profile's spelling (left as is when unknown,
    so that the profile check names it)."""
    return _ENCODINGS.get(value.strip().lower(), value.strip())


def _login(data: dict[str, Any], user: str, password: str, shown: str, line: int) -> str:
    """Set the profile's login fields; give back the password for the keyring."""
    if user:
        data.update(auth="idpass", user=user)
    elif password:
        raise TargetImportError("a password is given without a user name", path=shown,
                                line=line)
    return password


# --- ABCD ------------------------------------------------------------------------------------

_TRUE = {"1", "y", "yes", "s", "si", "sí", "true", "utf8", "utf-8", "t", "x"}
_FALSE = {"", "0", "n", "no", "false", "f"}


def _read_abcd(text: str, shown: str, skipped: list[str]) -> list[_Entry]:
    entries: list[_Entry] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith(("#", "//", ";")):
            continue
        fields = [f.strip() for f in line.split("|")]
        if len(fields) == 7:
            name, host, port, db, user, password, syntax = fields
            data: dict[str, Any] = {"name": name, "host": host, "port": port,
                                    "databases": db.split("+") if db else []}
            if syntax:
                data["syntaxes"] = [_syntax(syntax, shown, number)]
            secret = _login(data, user, password, shown, number)
            entries.append(_Entry(data, number, secret))
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
            entries.append(_Entry(data, number))
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


# --- Koha ------------------------------------------------------------------------------------

# Koha's z3950servers columns, newest first, for dumps whose INSERTs name no columns.
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
) -> _Entry | None:
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
        data["syntaxes"] = [_syntax(col("syntax"), shown, line)]
    if col("encoding"):
        data["charset"] = _encoding(col("encoding"))
    timeout = col("timeout")
    if timeout and timeout != "0":
        if not timeout.isdigit():
            raise TargetImportError(f"timeout must be a number of seconds, not {timeout!r}",
                                    path=shown, line=line)
        data["timeouts"] = {"search": int(timeout), "present": int(timeout)}
    secret = _login(data, col("userid"), col("password"), shown, line)
    return _Entry(data, line, secret)


def _read_koha_csv(text: str, shown: str, skipped: list[str]) -> list[_Entry]:
    first = text.splitlines()[0] if text else ""
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    entries: list[_Entry] = []
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


def _read_koha_sql(text: str, shown: str, skipped: list[str]) -> list[_Entry]:
    dump = _SqlDump(text, shown)
    table_columns: list[str] | None = None
    entries: list[_Entry] = []
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


# --- pazpar2 ---------------------------------------------------------------------------------

# pazpar2's CCL map names for the search form's fields
_CCLMAP_FIELDS = {
    "term": "any", "ti": "title", "au": "author", "su": "subject", "isbn": "isbn",
    "issn": "issn", "date": "year", "pb": "publisher", "publisher": "publisher",
    "lccn": "lccn", "se": "series", "series": "series", "la": "language", "pl": "place",
}


@dataclass
class _Setting:
    value: str
    line: int


class _SettingsHandler(xml.sax.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.locator: Any = None
        self.stack: list[str | None] = []  # the target of each open <settings>
        self.found: list[tuple[str, str, str, int]] = []  # (target, name, value, line)
        self.target_lines: dict[str, int] = {}  # where <settings target=".."> opens

    def setDocumentLocator(self, locator: Any) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: Any) -> None:
        line = self.locator.getLineNumber() if self.locator else 0
        inherited = next((t for t in reversed(self.stack) if t), None)
        if name == "settings":
            self.stack.append(attrs.get("target"))
            if attrs.get("target"):
                self.target_lines.setdefault(attrs["target"], line)
        elif name == "set":
            target = attrs.get("target") or inherited
            self.found.append((target or "", attrs.get("name", ""),
                               attrs.get("value", ""), line))

    def endElement(self, name: str) -> None:
        if name == "settings" and self.stack:
            self.stack.pop()


def _read_pazpar2(text: str, shown: str, skipped: list[str]) -> list[_Entry]:
    handler = _SettingsHandler()
    try:
        parseString(text.encode("utf-8"), handler)
    except xml.sax.SAXParseException as problem:
        raise TargetImportError(f"this is not well-formed XML: {problem.getMessage()}",
                                path=shown, line=problem.getLineNumber()) from None
    except DefusedXmlException:
        line = handler.locator.getLineNumber() if handler.locator else None
        raise TargetImportError("the file declares XML entities or a DTD, which Polycat does "
                                "not read (a safety rule); remove them", path=shown,
                                line=line) from None
    common: dict[str, _Setting] = {}
    targets: dict[str, dict[str, _Setting]] = {}
    first_line: dict[str, int] = {}
    for target, name, value, line in handler.found:
        if not target:
            raise TargetImportError(f"setting {name!r} names no target", path=shown, line=line)
        if not name:
            raise TargetImportError("a <set> without a name", path=shown, line=line)
        if target == "*":
            common[name] = _Setting(value, line)
        else:
            first_line.setdefault(target, handler.target_lines.get(target, line))
            targets.setdefault(target, {})[name] = _Setting(value, line)
    return [e for target, own in targets.items()
            if (e := _pazpar2_entry(target, {**common, **own}, first_line[target], shown,
                                    skipped)) is not None]


def _pazpar2_entry(
    target: str, settings: dict[str, _Setting], line: int, shown: str, skipped: list[str]
) -> _Entry | None:
    def value(name: str) -> str:
        found = settings.get(name)
        return found.value.strip() if found else ""

    def line_of(name: str) -> int:
        found = settings.get(name)
        return found.line if found else line

    if value("pz:sru"):
        skipped.append(f"line {line}: '{target}' is an SRU server; Polycat speaks Z39.50 only")
        return None
    address_text = value("pz:url") or target
    try:
        address = parse_address(address_text)
    except AddressError as problem:
        raise TargetImportError(problem.message, path=shown, line=line_of("pz:url")) from None
    data: dict[str, Any] = {"name": value("pz:name") or str(address), "host": address.host,
                            "port": address.port, "databases": list(address.databases)}
    lines: dict[tuple[str, ...], int] = {("name",): line_of("pz:name")}
    if value("pz:requestsyntax"):
        data["syntaxes"] = [_syntax(value("pz:requestsyntax"), shown,
                                    line_of("pz:requestsyntax"))]
        lines[("syntaxes",)] = line_of("pz:requestsyntax")
    native, _, charset = value("pz:nativesyntax").partition(";")
    if native.strip().lower() in ("xml", "txml") and "syntaxes" not in data:
        data["syntaxes"] = ["xml"]
    if charset.strip():
        data["charset"] = _encoding(charset)
        lines[("charset",)] = line_of("pz:nativesyntax")
    if value("pz:queryencoding"):
        data["query_charset"] = _encoding(value("pz:queryencoding"))
        lines[("query_charset",)] = line_of("pz:queryencoding")
    if value("pz:elements"):
        data["elements"] = {"full": value("pz:elements")}
    if value("pz:piggyback"):
        data["capabilities"] = {"piggyback": value("pz:piggyback") not in ("0", "false")}
    if value("pz:maxrecs"):
        data["max_records"] = value("pz:maxrecs")
        lines[("max_records",)] = line_of("pz:maxrecs")
        if value("pz:maxrecs").isdigit():
            data["page_size"] = min(20, max(1, int(value("pz:maxrecs"))))
    secret = ""
    if value("pz:authentication"):
        user, _, secret = value("pz:authentication").partition("/")
        data.update(auth="open", user=user)  # pazpar2 sends it as one "open" string
    query: dict[str, str] = {}
    for name, setting in settings.items():
        if not name.startswith("pz:cclmap:"):
            continue
        short = name.removeprefix("pz:cclmap:")
        search_field = _CCLMAP_FIELDS.get(short.lower(), short.lower())
        try:
            parse_qualifier_spec(setting.value, short)
        except CCLError as problem:
            raise TargetImportError(f"{name}: {problem.message}", path=shown,
                                    line=setting.line) from None
        query[search_field] = setting.value
        lines[("query", search_field)] = setting.line
    if query:
        data["query"] = query
    return _Entry(data, line, secret, lines)
