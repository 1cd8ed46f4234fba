"""Records as the JSON the command line prints (``polycat show FILE``) and tests compare."""

from __future__ import annotations

import dataclasses
import os
from typing import Any

from app.records.model import BibRecord
from app.records.reading import read_file

__all__ = ["record_to_json", "show_file"]


def record_to_json(rec: BibRecord) -> dict[str, Any]:
    """A plain dict (JSON-ready) of what a reader understood of one record.

    ``title`` is without subtitle; ``authors`` and ``editors`` are "Surname, Forenames";
    ``isbns`` the valid ISBN-13s, ``invalid_isbns`` the rest as written; ``holdings`` and
    ``links`` are objects; ``error`` is null or why the record could not be read."""
    return {
        "title": rec.title,
        "subtitle": rec.subtitle,
        "nonsort": rec.nonsort,
        "part": rec.part,
        "responsibility": rec.responsibility,
        "authors": [n.name for n in rec.authors],
        "editors": [n.name for n in rec.editors],
        "names": [dataclasses.asdict(n) for n in rec.names],
        "year": rec.year,
        "date": rec.date,
        "edition": rec.edition,
        "publisher": rec.publisher,
        "place": rec.place,
        "physical": rec.physical,
        "series": list(rec.series),
        "isbns": list(rec.valid_isbns),
        "invalid_isbns": list(rec.invalid_isbns),
        "isbn_details": [dataclasses.asdict(i) for i in rec.isbns],
        "issns": list(rec.valid_issns),
        "language": rec.language,
        "languages": list(rec.languages),
        "subjects": list(rec.subjects),
        "notes": list(rec.notes),
        "abstract": rec.abstract,
        "holdings": [dataclasses.asdict(h) for h in rec.holdings],
        "urls": [link.url for link in rec.urls],
        "links": [dataclasses.asdict(link) for link in rec.urls],
        "host": dataclasses.asdict(rec.host) if rec.host is not None else None,
        "lccn": rec.lccn,
        "oclc_numbers": list(rec.oclc_numbers),
        "control_numbers": [list(pair) for pair in rec.control_numbers],
        "material": rec.material,
        "target": rec.target,
        "database": rec.database,
        "position": rec.position,
        "error": rec.error,
        "warnings": list(rec.warnings),
        "syntax": rec.original.syntax if rec.original is not None else None,
    }


def show_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """``{"records": [...]}`` for every record in a MARC, MARCXML, MODS or Dublin Core file;
    raises PolycatError (with a plain message) when the file cannot be read at all."""
    return {"records": [record_to_json(r) for r in read_file(path)]}
