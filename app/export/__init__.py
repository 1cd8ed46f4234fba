"""Exports: pure functions from records to RIS, BibTeX, CSL-JSON, MARC, MARCXML.

``export(records, fmt, **options)`` is the one entry point. It returns an
:class:`ExportResult`: ``data`` (the file's bytes; ``bytes(result)`` gives them too),
``written`` and ``problems``. A record that cannot be written in the format (unreadable, or too
big for ISO 2709) is left out and named in ``problems`` with ``skipped=True``; lesser caveats
(a MARC record rebuilt from MODS, characters with no ASCII LaTeX spelling) come with
``skipped=False``. :class:`ExportError` is raised only for an unknown format or option, or
when records were given and not one of them could be written. No records give a valid empty
file.

Options: ``bibtex`` takes ``ascii: bool`` (pure-ASCII LaTeX escapes for 8-bit BibTeX);
``marc``/``marcxml`` take ``today: datetime.date`` (the conversion date written into records
built from non-MARC sources; default: today). Choose which source records of a merged entry
to export with :func:`choose`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from app.export.bibtex import bibtex_entry
from app.export.choose import choose, completeness
from app.export.csljson import csl_item
from app.export.keys import citation_keys
from app.export.marc import marc_record, marcxml_collection, marcxml_record
from app.export.result import ExportError, ExportProblem, ExportResult, RecordNotWritable
from app.export.ris import ris_entry
from app.records.model import BibRecord

__all__ = [
    "FORMATS",
    "ExportError",
    "ExportFormat",
    "ExportProblem",
    "ExportResult",
    "Format",
    "RecordNotWritable",
    "choose",
    "completeness",
    "export",
]

Format = Literal["ris", "bibtex", "csljson", "marc", "marcxml"]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """What the window needs to offer a format: its label, file extension and MIME type."""

    name: str
    extension: str  # with the dot
    mime_type: str
    label: str
    binary: bool  # False: UTF-8 text a user may open in an editor
    options: frozenset[str] = frozenset()


FORMATS: dict[str, ExportFormat] = {
    "ris": ExportFormat(
        "ris", ".ris", "application/x-research-info-systems",
        "RIS (Zotero, EndNote, Mendeley, Citavi)", False,
    ),
    "bibtex": ExportFormat(
        "bibtex", ".bib", "application/x-bibtex", "BibTeX (LaTeX, biber, JabRef)", False,
        frozenset({"ascii"}),
    ),
    "csljson": ExportFormat(
        "csljson", ".json", "application/vnd.citationstyles.csl+json",
        "CSL-JSON (Zotero, Pandoc, citeproc)", False,
    ),
    "marc": ExportFormat(
        "marc", ".mrc", "application/marc", "MARC 21 (ISO 2709, UTF-8)", True,
        frozenset({"today"}),
    ),
    "marcxml": ExportFormat(
        "marcxml", ".xml", "application/marcxml+xml", "MARCXML (MARC 21 slim)", False,
        frozenset({"today"}),
    ),
}  # fmt: skip

Warn = Callable[[str], None]
# (record, its citation key, warn, options) -> the record's text or bytes in the format
_Writer = Callable[[BibRecord, str, Warn, dict[str, Any]], str | bytes]


def _ris(record: BibRecord, key: str, warn: Warn, options: dict[str, Any]) -> str:
    return ris_entry(record)


def _bibtex(record: BibRecord, key: str, warn: Warn, options: dict[str, Any]) -> str:
    return bibtex_entry(record, key, ascii=bool(options.get("ascii", False)), warn=warn)


def _csljson(record: BibRecord, key: str, warn: Warn, options: dict[str, Any]) -> str:
    return json.dumps(csl_item(record, key), ensure_ascii=False)  # one item a line


def _marc(record: BibRecord, key: str, warn: Warn, options: dict[str, Any]) -> bytes:
    return marc_record(record, warn=warn, today=options.get("today"))


def _marcxml(record: BibRecord, key: str, warn: Warn, options: dict[str, Any]) -> str:
    return marcxml_record(record, warn=warn, today=options.get("today"))


def _assemble(fmt: str, parts: list[str | bytes]) -> bytes:
    if fmt == "marc":
        return b"".join(p for p in parts if isinstance(p, bytes))
    texts = [p for p in parts if isinstance(p, str)]
    if fmt == "csljson":
        body = ",\n".join(texts)
        return (f"[\n{body}\n]\n" if texts else "[]\n").encode("utf-8")
    if fmt == "marcxml":
        return marcxml_collection(texts)
    return "".join(texts).encode("utf-8")


_WRITERS: dict[str, _Writer] = {
    "ris": _ris,
    "bibtex": _bibtex,
    "csljson": _csljson,
    "marc": _marc,
    "marcxml": _marcxml,
}


def _check(fmt: str, options: dict[str, Any]) -> None:
    if fmt not in FORMATS:
        known = ", ".join(FORMATS)
        raise ExportError(f"Polycat cannot export to “{fmt}”; it knows {known}.")
    unknown = set(options) - FORMATS[fmt].options
    if unknown:
        raise ExportError(
            f"The {FORMATS[fmt].label} export has no option {', '.join(sorted(unknown))}.",
            detail=f"options accepted: {sorted(FORMATS[fmt].options)}",
        )
    today = options.get("today")
    if today is not None and not isinstance(today, dt.date):
        raise ExportError("The conversion date must be a date.", detail=f"today={today!r}")


def export(records: Sequence[BibRecord], fmt: Format | str, **options: Any) -> ExportResult:
    """Write ``records`` in ``fmt``; see the module docstring for problems and options."""
    _check(fmt, options)
    problems: list[ExportProblem] = []
    readable: list[tuple[int, BibRecord]] = []
    for index, record in enumerate(records):
        if record.error is not None:
            message = f"Polycat could not read this record ({record.error})"
            problems.append(ExportProblem.about(record, index, message, skipped=True))
        else:
            readable.append((index, record))
    keys = (
        citation_keys([r for _, r in readable])
        if fmt in ("bibtex", "csljson")
        else [""] * len(readable)
    )
    writer = _WRITERS[fmt]
    parts: list[str | bytes] = []
    for (index, record), key in zip(readable, keys, strict=True):
        caveats: list[str] = []
        try:
            parts.append(writer(record, key, caveats.append, options))
        except RecordNotWritable as exc:
            problems.append(ExportProblem.about(record, index, exc.message, skipped=True))
            continue
        problems += [ExportProblem.about(record, index, c, skipped=False) for c in caveats]
    problems.sort(key=lambda p: p.index)
    if records and not parts:
        first = problems[0] if problems else None
        raise ExportError(
            f"None of the {len(records)} record(s) could be written as "
            f"{FORMATS[fmt].label}" + (f": {first.message}" if first else "."),
            detail="\n".join(map(str, problems)),
        )
    return ExportResult(_assemble(fmt, parts), fmt, len(parts), tuple(problems))
