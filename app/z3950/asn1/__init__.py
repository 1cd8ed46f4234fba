"""The Z39.50-1995 APDUs as pyasn1 types (YAZ's z3950v3.asn, charneg-3.asn), in parts:
``base`` (tagging, strings, EXTERNAL, diagnostics), ``query`` (RPN), ``init`` (Init and
charset negotiation), ``search`` (Search, Present, records), ``services`` (Delete, resource
control, Scan, Sort, Close) and ``apdus`` (the PDU CHOICE by tag).

The module has no IMPLICIT TAGS default: a tag written without IMPLICIT is EXPLICIT, and a
tagged CHOICE is always explicit. InternationalString, VisibleString and ObjectDescriptor
are octet strings here so the codec decodes them with the association's character set
instead of pyasn1's Latin-1 default. OCLC's user-information record reuses a tag and is
read by hand in ``externals.py``; every other value is read with ``decoder.decode``
(pyasn1's decoder, its indefinite-length ANY repaired) and written by pyasn1's encoder.

Every type is also a name of this package (``asn1.SearchRequest``), loaded with its part on
first use, so that a reader of OPAC records builds ``base`` alone.
"""

from __future__ import annotations

import importlib
from typing import Any

_PARTS = ("base", "query", "init", "search", "services", "apdus")


def __getattr__(name: str) -> Any:
    if not name.startswith("_"):
        for part in _PARTS:
            module = importlib.import_module(f"{__name__}.{part}")
            if name in module.__all__:
                value = getattr(module, name)
                globals()[name] = value  # looked up once
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
