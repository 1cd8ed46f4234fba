"""The command line: ``polycat search`` and ``polycat scan`` (no Qt is imported here).

One function per subcommand (``cmd_search``, ``cmd_scan``); each returns the exit code:
0 when at least one target answered, 1 when none did, 2 for a usage error. Every JSON
document is built by the ``*_json`` functions at the end, nowhere else. A password is only
ever read from the environment variable named by ``--password-env``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.errors import PolycatError
from app.net.address import AddressError, TargetAddress, parse_address
from app.net.association import Association, connect
from app.net.errors import failure_kind
from app.net.results import RawRecord, ScanResult
from app.z3950.events import IdPass, InitResponse, ScanEntry
from app.z3950.oids import record_syntax_oid
from app.z3950.pqf import PQFError, parse_pqf
from app.z3950.rpn import RPNQuery, Term

VERSION = "0.1.0"
PAGE = 100  # records per Present when more than the first page is wanted


class UsageError(PolycatError):
    """The command line itself is wrong: exit code 2."""


@dataclass(frozen=True, slots=True)
class Login:
    user: str | None
    password: str | None

    def authentication(self) -> IdPass | None:
        if self.user is None and self.password is None:
            return None
        return IdPass(user=self.user, password=self.password)


@dataclass(slots=True)
class Outcome:
    """What one target did for one command: the JSON and the text summary are built from it."""

    address: TargetAddress
    status: str = "ok"  # "ok" | "error" | "timeout"
    hits: int | None = None
    records: list[RawRecord] = field(default_factory=list)
    error: PolycatError | BaseException | None = None
    init: InitResponse | None = None
    elapsed: float = 0.0
    scan: ScanResult | None = None

    def failed(self, exc: BaseException) -> None:
        self.error = exc
        self.status = "timeout" if failure_kind(exc) == "timeout" else "error"


# --- the parser -------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="polycat",
        description="Search many library catalogues at once over Z39.50.",
    )
    parser.add_argument("--version", action="version", version=f"polycat {VERSION}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--user", help="user name for targets that need a login")
    common.add_argument(
        "--password-env",
        metavar="VAR",
        help="name of the environment variable holding the password (never on the command line)",
    )
    common.add_argument(
        "--timeout",
        type=_positive_float,
        default=30.0,
        metavar="SECONDS",
        help="seconds to wait for each answer from a target (default 30)",
    )
    common.add_argument("--format", choices=["text", "json"], default="text")
    common.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")

    search = commands.add_parser(
        "search", parents=[common], help="search one or more targets with a PQF query"
    )
    search.add_argument(
        "--target",
        action="append",
        required=True,
        metavar="HOST:PORT/DB",
        help="a target; repeat for several (searched at once); DB may be a+b",
    )
    search.add_argument("--pqf", required=True, metavar="PQF", help="the query in PQF")
    search.add_argument(
        "--syntax",
        metavar="SYNTAX",
        help="record syntax: usmarc, unimarc, xml, sutrs, opac or an OID",
    )
    search.add_argument("--elements", metavar="ESN", help="element set name: F, B, ...")
    search.add_argument(
        "--limit",
        type=_count,
        default=10,
        metavar="N",
        help="records to fetch per target (default 10; 0 for hit counts only)",
    )
    search.set_defaults(run=cmd_search)

    scan = commands.add_parser("scan", parents=[common], help="browse a target's index")
    scan.add_argument("--target", required=True, metavar="HOST:PORT/DB")
    scan.add_argument("--pqf", required=True, metavar="PQF", help="the start term in PQF")
    scan.add_argument("--count", type=_count, default=20, metavar="N")
    scan.set_defaults(run=cmd_scan)
    return parser


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # --help, --version, or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except UsageError as exc:
        print(f"polycat {args.command}: {exc}", file=sys.stderr)
        return 2


# --- the pieces every subcommand reads the same way -------------------------------------------


def _login(args: argparse.Namespace) -> Login:
    password = None
    if args.password_env:
        password = os.environ.get(args.password_env)
        if password is None:
            raise UsageError(f"the environment variable {args.password_env} is not set")
    return Login(args.user, password)


def _address(text: str) -> TargetAddress:
    try:
        return parse_address(text)
    except AddressError as exc:
        raise UsageError(str(exc)) from None


def _query(text: str) -> RPNQuery:
    try:
        return parse_pqf(text)
    except PQFError as exc:
        raise UsageError(f"the query cannot be read: {exc}") from None


def _syntax(name: str | None) -> str | None:
    if name is None:
        return None
    try:
        return record_syntax_oid(name)
    except (KeyError, ValueError, PolycatError):
        raise UsageError(f"unknown record syntax {name!r}") from None


def _emit(args: argparse.Namespace, text: str) -> None:
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)


async def _open(address: TargetAddress, login: Login, timeout: float) -> Association:
    return await connect(address.host, address.port, auth=login.authentication(), timeout=timeout)


# --- search -----------------------------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> int:
    addresses = [_address(t) for t in args.target]
    query = _query(args.pqf)
    syntax = _syntax(args.syntax)
    login = _login(args)

    async def everyone() -> list[Outcome]:
        return list(
            await asyncio.gather(
                *(
                    _search_target(a, query, login, syntax, args.elements, args.limit, args.timeout)
                    for a in addresses
                )
            )
        )

    outcomes = asyncio.run(everyone())
    if args.format == "json":
        _emit(
            args, json.dumps(search_json(args.pqf, outcomes), ensure_ascii=False, indent=1) + "\n"
        )
    else:
        _emit(args, search_text(outcomes))
    return 0 if any(o.status == "ok" for o in outcomes) else 1


async def _search_target(
    address: TargetAddress,
    query: RPNQuery,
    login: Login,
    syntax: str | None,
    elements: str | None,
    limit: int,
    timeout: float,
) -> Outcome:
    """One target's whole story; whatever goes wrong stays in its Outcome."""
    outcome = Outcome(address)
    started = time.monotonic()
    try:
        async with await _open(address, login, timeout) as assoc:
            outcome.init = assoc.init
            result = await assoc.search(
                query,
                address.databases,
                syntax=syntax,
                element_set=elements,
                piggyback=min(limit, PAGE),
            )
            outcome.hits = result.hits
            async for page in assoc.fetch(result, 1, limit, PAGE):
                outcome.records.extend(page)
    except Exception as exc:  # one target's failure never takes the others down
        outcome.failed(exc)
    outcome.elapsed = time.monotonic() - started
    return outcome


# --- scan -------------------------------------------------------------------------------------


def cmd_scan(args: argparse.Namespace) -> int:
    address = _address(args.target)
    query = _query(args.pqf)
    if not isinstance(query.root, Term):
        raise UsageError("scan needs one term (e.g. '@attr 1=4 water'), not a query with operators")
    term: Term = query.root
    login = _login(args)

    async def browse() -> Outcome:
        outcome = Outcome(address)
        try:
            async with await _open(address, login, args.timeout) as assoc:
                outcome.init = assoc.init
                outcome.scan = await assoc.scan(term, address.databases, count=args.count)
        except Exception as exc:
            outcome.failed(exc)
        return outcome

    outcome = asyncio.run(browse())
    if args.format == "json":
        _emit(args, json.dumps(scan_json(outcome), ensure_ascii=False, indent=1) + "\n")
    else:
        _emit(args, scan_text(outcome))
    return 0 if outcome.status == "ok" else 1


# --- every JSON document and every text summary is built here ---------------------------------


def error_json(exc: BaseException | None) -> dict[str, Any] | None:
    if exc is None:
        return None
    code = getattr(exc, "code", None)
    return {
        "kind": failure_kind(exc),
        "code": code if isinstance(code, int) else None,
        "message": str(exc) or type(exc).__name__,
    }


def init_json(init: InitResponse | None) -> dict[str, Any] | None:
    if init is None:
        return None
    implementation = " ".join(
        p for p in (init.implementation_name, init.implementation_version) if p
    )
    user_info = None
    if init.oclc is not None:
        user_info = {
            "motd": init.oclc.motd,
            "dblist": list(init.oclc.dblist),
            "failReason": init.oclc.fail_reason,
            "text": init.oclc.text,
        }
    return {"implementation": implementation or None, "user_info": user_info}


def record_json(record: RawRecord) -> dict[str, Any]:
    diagnostic = record.diagnostic
    return {
        "position": record.position,
        "database": record.database,
        "syntax": record.syntax,
        "oid": record.oid,
        "data": base64.b64encode(record.data).decode("ascii"),
        "diagnostic": None
        if diagnostic is None
        else {
            "code": diagnostic.code,
            "addinfo": diagnostic.addinfo,
            "message": diagnostic.message,
        },
    }


def search_json(query: str, outcomes: Sequence[Outcome]) -> dict[str, Any]:
    return {
        "query": query,
        "targets": [
            {
                "target": str(o.address),
                "status": o.status,
                "hits": o.hits,
                "fetched": len(o.records),
                "error": error_json(o.error),
                "init": init_json(o.init),
                "records": [record_json(r) for r in o.records],
            }
            for o in outcomes
        ],
    }


def scan_json(outcome: Outcome) -> dict[str, Any]:
    entries: Sequence[ScanEntry] = outcome.scan.entries if outcome.scan else ()
    return {
        "target": str(outcome.address),
        "status": outcome.status,
        "entries": [{"term": e.term, "count": e.count} for e in entries],
        "error": error_json(outcome.error),
    }


def search_text(outcomes: Sequence[Outcome]) -> str:
    out: list[str] = []
    for o in outcomes:
        if o.status == "ok":
            head = f"{o.address}: {o.hits} hits, {len(o.records)} fetched"
        else:
            head = f"{o.address}: {o.status.upper()}: {o.error}"
            if o.hits is not None:
                head += f" (after {o.hits} hits, {len(o.records)} fetched)"
        out.append(head)
        if o.init is not None and o.init.oclc is not None and o.init.oclc.motd:
            out.append(f"  message of the day: {o.init.oclc.motd}")
        out.extend(f"  {r.position:>4}  {r.syntax or '?':<7} {short_line(r)}" for r in o.records)
    return "\n".join(out) + "\n"


def scan_text(outcome: Outcome) -> str:
    if outcome.status != "ok" or outcome.scan is None:
        return f"{outcome.address}: {outcome.status.upper()}: {outcome.error}\n"
    lines = [e.term if e.count is None else f"{e.term} ({e.count})" for e in outcome.scan.entries]
    return "".join(line + "\n" for line in lines)


_MARC_SYNTAXES = frozenset({"usmarc", "marc21", "unimarc", "ukmarc", "danmarc", "intermarc"})


def short_line(record: RawRecord, width: int = 100) -> str:
    """A record in one line for the terminal: MARC 245 $a $b, else the text without markup."""
    if record.diagnostic is not None:
        return f"[not available: {record.diagnostic.message} {record.diagnostic.addinfo}]".strip()
    text = ""
    if record.syntax in _MARC_SYNTAXES:
        text = _marc_title(record.data)
    if not text:
        text = record.data.decode("utf-8", errors="replace")
        text = re.sub(r"<\?[^>]*\?>|<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _marc_title(data: bytes) -> str:
    """245 $a $b from ISO 2709 bytes, without a full MARC reader (this is only a preview)."""
    try:
        base = int(data[12:17])
        directory = data[24 : base - 1]
        for i in range(0, len(directory) - 11, 12):
            if directory[i : i + 3] == b"245":
                length = int(directory[i + 3 : i + 7])
                start = int(directory[i + 7 : i + 12])
                value = data[base + start : base + start + length]
                parts = [p[1:] for p in value.split(b"\x1f")[1:] if p[:1] in (b"a", b"b")]
                return b" ".join(parts).decode("utf-8", errors="replace").strip(" /:;")
    except ValueError:
        pass
    return ""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
