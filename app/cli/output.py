"""Every JSON document and every text summary the command line prints is built here.

The ``search``/``scan`` JSON keys of the first command line are a contract scripts rely on:
keys are only ever added. A target named by id also carries ``id`` and ``name``; its
``target`` stays ``host:port/db``. The merged entries' ``sources`` name each target as its
records do: by the profile's name, which for a bare address is the address itself.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.export.fields import display_title
from app.records import record_to_json
from app.records.model import BibRecord

if TYPE_CHECKING:  # show and convert load neither the network stack nor the targets
    from app.cli.search import Outcome
    from app.export import ExportProblem
    from app.search.events import Failure
    from app.search.merge import MergedRecord
    from app.targets import ImportedTargets, TargetProfile
    from app.z3950.events import InitResponse, ScanEntry

WIDTH = 100  # characters of a record's line in the text summary


# --- search and scan --------------------------------------------------------------------------


def error_json(failure: Failure | None) -> dict[str, Any] | None:
    if failure is None:
        return None
    return {"kind": failure.kind, "code": failure.code, "message": failure.message}


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


def record_json(record: BibRecord) -> dict[str, Any]:
    """One record as the target sent it (``data``, base64) and as Polycat read it."""
    original = record.original
    diagnostic = None
    if original is None and record.error is not None:
        # the target sent a diagnostic instead of the record: SearchRun keeps its words only
        diagnostic = {"code": None, "addinfo": None, "message": record.error}
    return {
        "position": record.position,
        "database": record.database or None,
        "syntax": syntax_name(record),
        "oid": original.oid if original is not None else None,
        "data": base64.b64encode(original.data if original else b"").decode("ascii"),
        "diagnostic": diagnostic,
        "record": record_to_json(record),
    }


def _named(profile: TargetProfile) -> dict[str, Any]:
    """``target`` is always host:port/db; a profile chosen by id adds its id and name."""
    named: dict[str, Any] = {"target": profile.address}
    if profile.source:
        named.update(id=profile.id, name=profile.name)
    return named


def target_json(outcome: Outcome) -> dict[str, Any]:
    return {
        **_named(outcome.profile),
        "status": outcome.status,
        "hits": outcome.hits,
        "fetched": len(outcome.records),
        "error": error_json(outcome.failure),
        "init": init_json(outcome.init),
        "pqf": outcome.sent or None,
        "seconds": round(outcome.elapsed, 3),
        "records": [record_json(r) for r in outcome.records],
    }


def search_json(
    query: str, outcomes: Sequence[Outcome], merged: Sequence[MergedRecord]
) -> dict[str, Any]:
    return {
        "query": query,
        "targets": [target_json(o) for o in outcomes],
        "merged": [entry.to_json() for entry in merged],
    }


def scan_json(outcome: Outcome) -> dict[str, Any]:
    entries: Sequence[ScanEntry] = outcome.scan.entries if outcome.scan else ()
    return {
        **_named(outcome.profile),
        "status": outcome.status,
        "entries": [{"term": e.term, "count": e.count} for e in entries],
        "error": error_json(outcome.failure),
    }


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _label(profile: TargetProfile) -> str:
    return f"{profile.name} ({profile.address})" if profile.source else profile.address


def _cut(text: str, width: int = WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def record_line(record: BibRecord) -> str:
    """A record in one line: title / first author (year), or why it is not there."""
    if record.error is not None and not record.title:
        return f"[not available: {record.error}]"
    line = display_title(record) or "[untitled]"
    if record.authors:
        line += f" / {record.authors[0].name}"
    if record.year is not None:
        line += f" ({record.year})"
    return _cut(line)


def search_text(outcomes: Sequence[Outcome], merged: Sequence[MergedRecord]) -> str:
    """Each target's story, then (for more than one target) the merged list."""
    out: list[str] = []
    for o in outcomes:
        label = _label(o.profile)
        if o.status == "ok":
            head = f"{label}: {o.hits} hits, {len(o.records)} fetched"
        else:
            message = o.failure.message if o.failure else "failed"
            head = f"{label}: {o.status.upper()}: {message}"
            if o.hits is not None:
                head += f" (after {o.hits} hits, {len(o.records)} fetched)"
        out.append(head)
        if o.init is not None and o.init.oclc is not None and o.init.oclc.motd:
            out.append(f"  message of the day: {o.init.oclc.motd}")
        out.extend(f"  {r.position or 0:>4}  {syntax_name(r) or '?':<7} {record_line(r)}"
                   for r in o.records)
    if len(outcomes) > 1:
        out += merged_text(merged)
    return "\n".join(out) + "\n"


def syntax_name(record: BibRecord) -> str | None:
    """The record syntax it came in, named as Z39.50 names it ("usmarc", "xml", "sutrs")."""
    from app.z3950.oids import record_syntax_name

    original = record.original
    if original is None:
        return None
    return record_syntax_name(original.oid) if original.oid else original.syntax


def merged_text(merged: Sequence[MergedRecord]) -> list[str]:
    count = sum(len(entry) for entry in merged)
    out = ["", f"Merged: {_count(len(merged), 'entry', 'entries')} from "
           f"{_count(count, 'record', 'records')}"]
    for n, entry in enumerate(merged, 1):
        line = entry.full_title or "[untitled]"
        if entry.authors:
            line += f" / {entry.authors[0]}"
        if entry.year is not None:
            line += f" ({entry.year})"
        if entry.isbns:
            line += f"  ISBN {', '.join(entry.isbns)}"
        out.append(f"{n:>4}. {_cut(line, WIDTH - 6)}")
        sources = ", ".join(f"{t} #{p}" if p is not None else t for t, p in entry.sources)
        out.append(f"        from {sources}")
        out.extend(f"        {why}" for why in entry.why)
    return out


def scan_text(outcome: Outcome) -> str:
    if outcome.status != "ok" or outcome.scan is None:
        message = outcome.failure.message if outcome.failure else "failed"
        return f"{_label(outcome.profile)}: {outcome.status.upper()}: {message}\n"
    lines = [(e.display or e.term) + ("" if e.count is None else f" ({e.count})")
             for e in outcome.scan.entries]
    return "".join(line + "\n" for line in lines)


# --- targets ----------------------------------------------------------------------------------


def profile_json(profile: TargetProfile) -> dict[str, Any]:
    return {
        "id": profile.id,
        "name": profile.name,
        "address": profile.address,
        "style": profile.style,
        "login": profile.auth != "none",
        "user": profile.user or None,
        "example": profile.example,
        "source": profile.source or None,
    }


def _login_words(profile: TargetProfile) -> str:
    if profile.auth == "none":
        return "no"
    return f"yes ({profile.user})" if profile.user else "yes"


def profiles_text(profiles: Iterable[TargetProfile]) -> list[str]:
    """A table: id, name, address, style, login needed."""
    rows = [("ID", "NAME", "ADDRESS", "STYLE", "LOGIN")]
    rows += [(p.id, p.name, p.address, p.style, _login_words(p)) for p in profiles]
    widths = [max(len(row[i]) for row in rows) for i in range(4)] + [0]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def import_json(imported: ImportedTargets, saved: Sequence[Path]) -> dict[str, Any]:
    return {
        "kind": imported.kind,
        "targets": [profile_json(p) for p in imported.profiles],
        "passwords": sorted(imported.passwords),  # which profiles bring one, never the secret
        "skipped": list(imported.skipped),
        "saved": [str(p) for p in saved],
    }


def import_text(imported: ImportedTargets, source: str, saved: Sequence[Path]) -> str:
    count = _count(len(imported.profiles), "catalogue", "catalogues")
    out = [f"{source}: {imported.kind}, {count}"]
    out += ["  " + line for line in profiles_text(imported.profiles)]
    if imported.passwords:
        kept = "are kept in" if saved else "would go to"
        out.append(f"  {_count(len(imported.passwords), 'password', 'passwords')} {kept} the "
                   "system keyring, never to a file")
    out += [f"  skipped: {reason}" for reason in imported.skipped]
    if saved:
        out += [f"saved {path}" for path in saved]
    elif imported.profiles:
        out.append("Nothing saved yet: add --save to add these to your catalogues.")
    return "\n".join(out) + "\n"



# --- files ------------------------------------------------------------------------------------


def problem_line(source: str, problem: ExportProblem) -> str:
    """A record that could not be converted (or only with a caveat), named by its place."""
    title = f" “{_cut(problem.title, 60)}”" if problem.title else ""
    outcome = "not converted" if problem.skipped else "converted"
    return f"{source}, record {problem.position or problem.index + 1}{title}: {outcome}: " + (
        problem.message)
