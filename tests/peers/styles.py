"""The three target styles Polycat is specified from, as zebrasrv instances over the corpus.

- ``copac``: database "COPAC", no login, records only as XML (MODS; F full, B brief) or SUTRS;
  USMARC is refused with diagnostic 239; an ISBN-10 finds the ISBN-13 record and the other way
  round (see the Copac seed document).
- ``gbv``: database "olc", MARC21 UTF-8 (USMARC) and MARCXML, Scan and Sort (the GBV seed).
- ``oclc``: database "WorldCat", login required (:data:`OCLC_LOGIN`), USMARC by default, also
  MARCXML and SUTRS; its records carry 948 holdings and 856 links (the OCLC seed).

Each holds its catalogue of :func:`tests.corpus.style_sets`; the sets overlap, and
:func:`tests.corpus.expected_groups` says exactly how their records merge.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from tests.corpus import Catalogue, style_sets
from tests.peers.zebra import Zebra, start_zebra

LOGIN = ("alice", "wonderland")  # the zebra_auth fixture's user and password
OCLC_LOGIN = ("100-123-456", "firstsearch")  # an OCLC-style authorization number and password


@dataclass(frozen=True)
class StyleOptions:
    database: str
    syntaxes: tuple[str, ...]
    users: Mapping[str, str]
    isbn_both_forms: bool = False


STYLES: dict[Catalogue, StyleOptions] = {
    # Copac turns an ISBN-10 query into ISBN-13 (seed 001): both forms find the record
    "copac": StyleOptions("COPAC", ("mods", "sutrs"), {}, isbn_both_forms=True),
    "gbv": StyleOptions("olc", ("usmarc", "marcxml"), {}),
    "oclc": StyleOptions("WorldCat", ("usmarc", "marcxml", "sutrs"), dict([OCLC_LOGIN])),
}


@contextmanager
def start_style(style: Catalogue, workdir: str | os.PathLike[str] | None = None) -> Iterator[Zebra]:
    """Serve one style's catalogue (see the module docstring) until the block ends."""
    options = STYLES[style]
    with start_zebra(
        workdir,
        style_sets()[style],
        database=options.database,
        users=options.users,
        syntaxes=options.syntaxes,
        isbn_both_forms=options.isbn_both_forms,
    ) as zebra:
        yield zebra
