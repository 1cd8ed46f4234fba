"""What Polycat knows about one catalogue: a frozen ``TargetProfile``, built and checked here.

Every way a profile comes into being goes through ``profile_from_mapping``: a TOML file, an
imported target list, an address typed on the command line. So there is one set of rules and
every broken value is reported with the place it came from ("targets/loc.toml line 7: ...").
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from app.errors import PolycatError
from app.net.address import TargetAddress
from app.z3950.ccl import CCLError, Qualifier, parse_qualifier_spec
from app.z3950.oids import is_oid, record_syntax_oid

Auth = Literal["none", "open", "idpass"]
Style = Literal["copac", "gbv", "oclc", "generic"]
IsbnForm = Literal["13", "10", "as-typed"]
YearRange = Literal["relations", "hyphen"]

# The fields of the search form, in the order a form lists them.
SEARCH_FIELDS: tuple[str, ...] = (
    "any", "title", "author", "subject", "isbn", "issn", "publisher", "year",
    "lccn", "oclc", "series", "language", "place",
)
FIELD_LABELS: dict[str, str] = {
    "any": "any word", "title": "title", "author": "author", "subject": "subject",
    "isbn": "ISBN", "issn": "ISSN", "publisher": "publisher", "year": "year",
    "lccn": "LCCN", "oclc": "OCLC number", "series": "series", "language": "language",
    "place": "place of publication",
}

# How each field becomes Bib-1 attributes when a profile does not say (YAZ CCL notation):
# keywords ANDed word by word, each word a word (4=2) or a "quoted phrase" a phrase (4=1).
DEFAULT_QUERY_MAP: dict[str, str] = {
    "any": "u=1016 s=al,pw t=r",
    "title": "u=4 s=al,pw t=r",
    "author": "u=1003 s=al,pw t=r",
    "subject": "u=21 s=al,pw t=r",
    "isbn": "u=7",
    "issn": "u=8",
    "publisher": "u=1018 s=al,pw t=r",
    "year": "u=31 s=4 r=r",
    "lccn": "u=9",
    "oclc": "u=1211",
    "series": "u=5 s=al,pw t=r",
    "language": "u=54",
    "place": "u=59 s=al,pw t=r",
}

# The record syntaxes a profile may name (besides a dotted OID); mods is XML holding MODS.
SYNTAX_NAMES: tuple[str, ...] = (
    "usmarc", "marc21", "unimarc", "xml", "marcxml", "mods", "sutrs", "opac",
)
# What records arrive in when the record does not say; app.records.charsets spells them so.
CHARSETS: tuple[str, ...] = ("utf-8", "marc-8", "latin-1", "iso5426")
_CHARSET_ALIASES = {
    "utf8": "utf-8", "unicode": "utf-8", "marc8": "marc-8", "ansel": "marc-8",
    "iso-8859-1": "latin-1", "iso8859-1": "latin-1", "latin1": "latin-1",
    "iso_8859-1": "latin-1", "iso-5426": "iso5426", "iso_5426": "iso5426",
}
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FIELD = re.compile(r"^[a-z][a-z0-9_.-]*$")


class TargetError(PolycatError):
    """A target that cannot be used as given (unknown name, missing login ...)."""


class TargetFileError(TargetError):
    """A target file that cannot be read: names the file and, when known, the line."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None) -> None:
        where = f"{path} line {line}" if path and line else path
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.line = line
        self.reason = message


class TargetImportError(TargetFileError):
    """A target list from another program (ABCD, Koha, pazpar2) that cannot be imported."""


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds each step may take before the target is given up on."""

    connect: float = 10.0
    init: float = 20.0
    search: float = 60.0
    present: float = 60.0


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What the target offers beyond search and present."""

    scan: bool = False
    sort: bool = False
    named_result_sets: bool = False
    piggyback: bool = True  # records in the search response (small/medium set) are welcome


@dataclass(frozen=True, slots=True)
class TargetProfile:
    """One catalogue: where it is, how to talk to it and how its indexes are searched.

    ``query`` holds every search field's attributes in YAZ CCL notation (None: the catalogue
    cannot search that field). Passwords are never part of a profile (see ``password_for``).
    """

    id: str
    name: str
    host: str
    port: int = 210
    databases: tuple[str, ...] = ("Default",)
    syntaxes: tuple[str, ...] = ("usmarc",)
    element_set_full: str = "F"
    element_set_brief: str = "B"
    charset: str = "utf-8"
    query_charset: str = "utf-8"
    negotiate: bool = False
    database_suffix: str = ""
    auth: Auth = "none"
    user: str = ""
    password_env: str = ""
    style: Style = "generic"
    timeouts: Timeouts = Timeouts()
    page_size: int = 20
    max_records: int = 500
    max_sessions: int = 2
    pause_between_requests: float = 0.0
    capabilities: Capabilities = Capabilities()
    query: tuple[tuple[str, str | None], ...] = tuple(DEFAULT_QUERY_MAP.items())
    isbn_form: IsbnForm = "as-typed"
    fallback_on: tuple[int, ...] = ()
    isbn_fallback: Literal["", "any"] = ""
    year_range: YearRange = "relations"
    notes: str = ""
    example: bool = False  # a documented example, not listed among the catalogues
    source: str = field(default="", compare=False)  # the file it came from, for messages

    @property
    def address(self) -> str:
        """``host:port/db1+db2`` as yaz-client writes it."""
        return str(TargetAddress(self.host, self.port, self.databases))

    @property
    def database_names(self) -> tuple[str, ...]:
        """The names sent in a search: each database with the suffix (GBV ``.iso8859-1``)."""
        return tuple(db + self.database_suffix for db in self.databases)

    @property
    def syntax_oids(self) -> tuple[str, ...]:
        """The record syntaxes as dotted OIDs, in order of preference."""
        return tuple(syntax_oid(s) for s in self.syntaxes)

    def query_spec(self, search_field: str) -> str | None:
        """The CCL attribute spec for a field; None when the catalogue cannot search it."""
        return dict(self.query).get(search_field)

    def qualifier(self, search_field: str) -> Qualifier | None:
        spec = self.query_spec(search_field)
        return None if spec is None else parse_qualifier_spec(spec, search_field)

    def can_search(self, search_field: str) -> bool:
        return self.query_spec(search_field) is not None


def syntax_oid(name: str) -> str:
    """A profile's syntax name (or dotted OID) as the OID sent in present requests."""
    return record_syntax_oid("xml" if name == "mods" else name)


# --- building and checking ---------------------------------------------------------------

KeyPath = tuple[str, ...]
LineOf = Callable[[KeyPath], int | None]

_TOP_KEYS = {
    "id", "name", "host", "port", "databases", "syntaxes", "elements", "charset",
    "query_charset", "negotiate", "database_suffix", "auth", "user", "password_env", "style",
    "timeouts", "page_size", "max_records", "max_sessions", "pause_between_requests",
    "capabilities", "query", "isbn_form", "fallback_on", "isbn_fallback", "year_range",
    "notes", "example",
}
_TABLE_KEYS = {
    "elements": {"full", "brief"},
    "timeouts": {"connect", "init", "search", "present"},
    "capabilities": {"scan", "sort", "named_result_sets", "piggyback"},
}


class _Reader:
    """Reads checked values out of a mapping; every complaint carries its file and line."""

    def __init__(
        self,
        data: Mapping[str, Any],
        path: str,
        line_of: LineOf,
        error: type[TargetFileError],
    ) -> None:
        self.data, self.path, self.line_of, self.error = data, path, line_of, error

    def fail(self, key: KeyPath, message: str) -> TargetFileError:
        line = None
        for n in range(len(key), 0, -1):  # the key's own line, else its table's
            line = self.line_of(key[:n])
            if line is not None:
                break
        return self.error(message, path=self.path, line=line)

    def get(self, key: KeyPath) -> Any:
        value: Any = self.data
        for part in key:
            if not isinstance(value, Mapping) or part not in value:
                return None
            value = value[part]
        return value

    def text(self, key: KeyPath, default: str, *, required: bool = False) -> str:
        value = self.get(key)
        if value is None:
            if required:
                raise self.fail(key, f"{_name(key)} is missing")
            return default
        if not isinstance(value, str):
            raise self.fail(key, f"{_name(key)} must be text in quotes, not {_shown(value)}")
        return value.strip()

    def choice(self, key: KeyPath, default: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key, default)
        if value.lower() not in allowed:
            raise self.fail(
                key, f"{_name(key)} must be one of {_or(allowed)}, not {_shown(value)}"
            )
        return value.lower()

    def flag(self, key: KeyPath, default: bool) -> bool:
        value = self.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(key, f"{_name(key)} must be true or false, not {_shown(value)}")
        return value

    def whole(self, key: KeyPath, default: int, low: int, high: int) -> int:
        value = self.get(key)
        if value is None:
            return default
        number = _as_int(value)
        if number is None or not low <= number <= high:
            raise self.fail(
                key,
                f"{_name(key)} must be a number between {low} and {high}, not {_shown(value)}",
            )
        return number

    def seconds(self, key: KeyPath, default: float, low: float, high: float) -> float:
        value = self.get(key)
        if value is None:
            return default
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or not low <= value <= high:
            raise self.fail(
                key,
                f"{_name(key)} must be a number of seconds between {low:g} and {high:g}, "
                f"not {_shown(value)}",
            )
        return float(value)

    def texts(self, key: KeyPath, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self.get(key)
        if value is None:
            return default
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"{_name(key)} must be a list of texts, like [\"a\", \"b\"]")
        items = tuple(v.strip() for v in value if v.strip())
        if not items:
            raise self.fail(key, f"{_name(key)} must name at least one")
        return items

    def unknown_keys(self) -> None:
        for key in self.data:
            if key == "password":
                raise self.fail(
                    (key,),
                    "passwords are never kept in target files: Polycat keeps them in the "
                    "system keyring, or set password_env to the name of an environment "
                    "variable that holds it",
                )
            if key not in _TOP_KEYS:
                raise self.fail((key,), f"unknown setting '{key}'{_did_you_mean(key, _TOP_KEYS)}")
        for table, allowed in _TABLE_KEYS.items():
            value = self.get((table,))
            if value is None:
                continue
            if not isinstance(value, Mapping):
                raise self.fail((table,), f"{table} must be a table of settings")
            for key in value:
                if key not in allowed:
                    raise self.fail(
                        (table, key),
                        f"unknown setting '{key}' in {table}{_did_you_mean(key, allowed)}",
                    )


def _name(key: KeyPath) -> str:
    return ".".join(key)


def _shown(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value).lower() if isinstance(
        value, bool) else str(value)


def _or(options: tuple[str, ...] | list[str]) -> str:
    quoted = [f"'{o}'" for o in options]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}" if len(quoted) > 1 else quoted[0]


def _did_you_mean(word: str, options: set[str]) -> str:
    close = difflib.get_close_matches(word, sorted(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())  # imported lists carry numbers as text
    return None


def profile_from_mapping(
    data: Mapping[str, Any],
    *,
    path: str = "",
    line_of: LineOf = lambda key: None,
    error: type[TargetFileError] = TargetFileError,
    default_id: str = "",
) -> TargetProfile:
    """Check ``data`` (a TOML document's shape) and build the profile, or raise ``error``."""
    r = _Reader(data, path, line_of, error)
    r.unknown_keys()
    usual = Timeouts()
    profile_id = r.text(("id",), default_id, required=not default_id).lower()
    if not _ID.match(profile_id):
        raise r.fail(("id",), f"id must be a short name of small letters, digits, '.', '-' or "
                              f"'_' (like 'loc' or 'k10plus'), not {profile_id!r}")
    host = r.text(("host",), "", required=True)
    if not host or any(c.isspace() for c in host) or "/" in host:
        raise r.fail(("host",), f"host must be a host name or address, not {host!r}")
    syntaxes = tuple(s.lower() for s in r.texts(("syntaxes",), ("usmarc",)))
    for s in syntaxes:
        if s not in SYNTAX_NAMES and not is_oid(s):
            raise r.fail(("syntaxes",), f"unknown record syntax {s!r}: use "
                                        f"{_or(list(SYNTAX_NAMES))} or a dotted OID")
    auth = r.choice(("auth",), "none", ("none", "open", "idpass"))
    user = r.text(("user",), "")
    password_env = r.text(("password_env",), "")
    if password_env and not _ENV.match(password_env):
        raise r.fail(("password_env",), "password_env must be the name of an environment "
                                        f"variable (like POLYCAT_OCLC_PASSWORD), not "
                                        f"{password_env!r}")
    if auth == "none" and (user or password_env):
        key = ("user",) if user else ("password_env",)
        raise r.fail(key, f"{key[0]} is set but auth is 'none', so it would never be sent: "
                          "set auth = \"idpass\" (or \"open\") or remove it")
    page_size = r.whole(("page_size",), 20, 1, 1000)
    max_records = r.whole(("max_records",), 500, 1, 1_000_000)
    if max_records < page_size:
        raise r.fail(("max_records",), f"max_records ({max_records}) must not be smaller "
                                       f"than page_size ({page_size})")
    fallback_value = r.get(("fallback_on",))
    fallback_on: tuple[int, ...] = ()
    if fallback_value is not None:
        codes = [_as_int(v) for v in fallback_value] if isinstance(fallback_value, list) else [
            None]
        if any(c is None for c in codes):
            raise r.fail(("fallback_on",), "fallback_on must be a list of Bib-1 diagnostic "
                                           "numbers, like [3, 114]")
        fallback_on = tuple(c for c in codes if c is not None)
    isbn_fallback = r.choice(("isbn_fallback",), "", ("", "any"))
    if fallback_on and not isbn_fallback:
        raise r.fail(("fallback_on",), "fallback_on needs isbn_fallback = \"any\" to say "
                                       "what to retry with")
    return TargetProfile(
        id=profile_id,
        name=r.text(("name",), "") or profile_id,
        host=host,
        port=r.whole(("port",), 210, 1, 65535),
        databases=r.texts(("databases",), ("Default",)),
        syntaxes=syntaxes,
        element_set_full=r.text(("elements", "full"), "F"),
        element_set_brief=r.text(("elements", "brief"), "B"),
        charset=_charset(r, ("charset",)),
        query_charset=_charset(r, ("query_charset",)),
        negotiate=r.flag(("negotiate",), False),
        database_suffix=r.text(("database_suffix",), ""),
        auth=cast(Auth, auth),
        user=user,
        password_env=password_env,
        style=cast(Style, r.choice(("style",), "generic", ("copac", "gbv", "oclc", "generic"))),
        timeouts=Timeouts(
            connect=r.seconds(("timeouts", "connect"), usual.connect, 0.1, 600),
            init=r.seconds(("timeouts", "init"), usual.init, 0.1, 600),
            search=r.seconds(("timeouts", "search"), usual.search, 0.1, 3600),
            present=r.seconds(("timeouts", "present"), usual.present, 0.1, 3600),
        ),
        page_size=page_size,
        max_records=max_records,
        max_sessions=r.whole(("max_sessions",), 2, 1, 20),
        pause_between_requests=r.seconds(("pause_between_requests",), 0.0, 0, 60),
        capabilities=Capabilities(
            scan=r.flag(("capabilities", "scan"), False),
            sort=r.flag(("capabilities", "sort"), False),
            named_result_sets=r.flag(("capabilities", "named_result_sets"), False),
            piggyback=r.flag(("capabilities", "piggyback"), True),
        ),
        query=_query_map(r),
        isbn_form=cast(IsbnForm, r.choice(("isbn_form",), "as-typed", ("13", "10", "as-typed"))),
        fallback_on=fallback_on,
        isbn_fallback=cast(Literal["", "any"], isbn_fallback),
        year_range=cast(YearRange, r.choice(("year_range",), "relations", ("relations", "hyphen"))),
        notes=r.text(("notes",), ""),
        example=r.flag(("example",), False),
        source=path,
    )


def _charset(r: _Reader, key: KeyPath) -> str:
    value = r.text(key, "utf-8").lower()
    value = _CHARSET_ALIASES.get(value, value)
    if value not in CHARSETS:
        raise r.fail(key, f"{_name(key)} must be one of {_or(list(CHARSETS))}, "
                          f"not {_shown(value)}")
    return value


def _query_map(r: _Reader) -> tuple[tuple[str, str | None], ...]:
    given = r.get(("query",))
    if given is None:
        given = {}
    if not isinstance(given, Mapping):
        raise r.fail(("query",), "query must be a table: field = \"u=4 s=pw\" or false")
    merged: dict[str, str | None] = dict(DEFAULT_QUERY_MAP)
    for search_field, spec in given.items():
        key = ("query", search_field)
        if not _FIELD.match(search_field):
            raise r.fail(key, f"{search_field!r} is not a usable search field name")
        if spec is False:
            merged[search_field] = None
            continue
        if not isinstance(spec, str) or not spec.strip():
            raise r.fail(key, f"query.{search_field} must be Bib-1 attributes in YAZ CCL "
                              f"notation (like \"u=4 s=pw\") or false, not {_shown(spec)}")
        try:
            parse_qualifier_spec(spec, search_field)
        except CCLError as problem:
            raise r.fail(key, f"query.{search_field}: {problem.message}") from None
        merged[search_field] = " ".join(spec.split())
    order = {f: i for i, f in enumerate(SEARCH_FIELDS)}
    return tuple(sorted(merged.items(), key=lambda item: (order.get(item[0], 99), item[0])))
