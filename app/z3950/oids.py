"""Object identifiers Z39.50 uses, and the names people type for them.

Names are lower case; lookups accept any case, a known alias, or a dotted OID as is.
"""

from __future__ import annotations

import re

from app.errors import PolycatError

Z3950 = "1.2.840.10003"

# --- record syntaxes (Z39.50 OID register, class 5) ---------------------------------------

USMARC = f"{Z3950}.5.10"
UNIMARC = f"{Z3950}.5.1"
SUTRS = f"{Z3950}.5.101"
OPAC = f"{Z3950}.5.102"
GRS1 = f"{Z3950}.5.105"
XML = f"{Z3950}.5.109.10"
APPLICATION_XML = f"{Z3950}.5.109.11"
EXPLAIN = f"{Z3950}.5.100"

RECORD_SYNTAXES: dict[str, str] = {
    "unimarc": UNIMARC,
    "intermarc": f"{Z3950}.5.2",
    "ccf": f"{Z3950}.5.3",
    "usmarc": USMARC,
    "ukmarc": f"{Z3950}.5.11",
    "normarc": f"{Z3950}.5.12",
    "librismarc": f"{Z3950}.5.13",
    "danmarc": f"{Z3950}.5.14",
    "finmarc": f"{Z3950}.5.15",
    "mab": f"{Z3950}.5.16",
    "canmarc": f"{Z3950}.5.17",
    "sbn": f"{Z3950}.5.18",
    "picamarc": f"{Z3950}.5.19",
    "ausmarc": f"{Z3950}.5.20",
    "ibermarc": f"{Z3950}.5.21",
    "carmarc": f"{Z3950}.5.22",
    "malmarc": f"{Z3950}.5.23",
    "jpmarc": f"{Z3950}.5.24",
    "swemarc": f"{Z3950}.5.25",
    "siglemarc": f"{Z3950}.5.26",
    "isdsmarc": f"{Z3950}.5.27",
    "rusmarc": f"{Z3950}.5.28",
    "hunmarc": f"{Z3950}.5.29",
    "nacsis-catp": f"{Z3950}.5.30",
    "finmarc2000": f"{Z3950}.5.31",
    "marc21-fin": f"{Z3950}.5.32",
    "explain": EXPLAIN,
    "sutrs": SUTRS,
    "opac": OPAC,
    "summary": f"{Z3950}.5.103",
    "grs-0": f"{Z3950}.5.104",
    "grs-1": GRS1,
    "extended": f"{Z3950}.5.106",
    "fragment": f"{Z3950}.5.107",
    "pdf": f"{Z3950}.5.109.1",
    "postscript": f"{Z3950}.5.109.2",
    "html": f"{Z3950}.5.109.3",
    "tiff": f"{Z3950}.5.109.4",
    "gif": f"{Z3950}.5.109.5",
    "jpeg": f"{Z3950}.5.109.6",
    "png": f"{Z3950}.5.109.7",
    "mpeg": f"{Z3950}.5.109.8",
    "sgml": f"{Z3950}.5.109.9",
    "xml": XML,
    "application-xml": APPLICATION_XML,
    # GBV's XML flavours: sub-arcs of text-XML
    "picaxml": f"{Z3950}.5.109.10.1.0",
    "turbomarc": f"{Z3950}.5.109.10.1.1",
    "sql-rs": f"{Z3950}.5.111",
    "soif": f"{Z3950}.5.1000.81.2",
    "json": f"{Z3950}.5.1000.81.3",
}

RECORD_SYNTAX_ALIASES: dict[str, str] = {
    "marc21": "usmarc",
    "marc": "usmarc",
    "pica": "picamarc",
    "text-xml": "xml",
    "marcxml": "xml",
    "grs1": "grs-1",
    "mab2": "mab",
}

# Syntaxes whose single-ASN1-type records are ASN.1 structures: kept as their BER.
STRUCTURED_SYNTAXES: frozenset[str] = frozenset(
    RECORD_SYNTAXES[name]
    for name in ("explain", "opac", "summary", "grs-0", "grs-1", "extended", "fragment")
)

# --- attribute sets (class 3) -------------------------------------------------------------

BIB1_ATTRIBUTES = f"{Z3950}.3.1"

ATTRIBUTE_SETS: dict[str, str] = {
    "bib-1": BIB1_ATTRIBUTES,
    "exp-1": f"{Z3950}.3.2",
    "ext-1": f"{Z3950}.3.3",
    "ccl-1": f"{Z3950}.3.4",
    "gils": f"{Z3950}.3.5",
    "stas": f"{Z3950}.3.6",
    "collections-1": f"{Z3950}.3.7",
    "cimi-1": f"{Z3950}.3.8",
    "geo-1": f"{Z3950}.3.9",
    "zbig": f"{Z3950}.3.10",
    "util": f"{Z3950}.3.11",
    "xd-1": f"{Z3950}.3.12",
    "zthes": f"{Z3950}.3.13",
    "fin-1": f"{Z3950}.3.14",
    "dan-1": f"{Z3950}.3.15",
    "holdings": f"{Z3950}.3.16",
    "marc": f"{Z3950}.3.17",
    "bib-2": f"{Z3950}.3.18",
    "zeerex": f"{Z3950}.3.19",
    "thesaurus": f"{Z3950}.3.1000.81.1",
    "idxpath": f"{Z3950}.3.1000.81.2",
    "extlite": f"{Z3950}.3.1000.81.3",
}

ATTRIBUTE_SET_ALIASES: dict[str, str] = {
    "bib1": "bib-1",
    "exp1": "exp-1",
    "ext1": "ext-1",
    "gils-attset": "gils",
    "stas-attset": "stas",
}

# --- diagnostic sets (class 4) ------------------------------------------------------------

BIB1_DIAGNOSTICS = f"{Z3950}.4.1"
DIAG1 = f"{Z3950}.4.2"
DIAG_ES = f"{Z3950}.4.3"

DIAGNOSTIC_SETS: dict[str, str] = {
    "bib-1": BIB1_DIAGNOSTICS,
    "diag-1": DIAG1,
    "diag-es": DIAG_ES,
}

# --- negotiation and user information -----------------------------------------------------

CHARSET_NEGOTIATION_3 = f"{Z3950}.15.3"
CHARSET_ID = f"{Z3950}.15.1000.81.1"  # a private character set named by a string
USER_INFO_1 = f"{Z3950}.10.3"
OCLC_USER_INFORMATION = f"{Z3950}.10.1000.17.1"

# ISO 10646 transfer-syntax OIDs (charneg-3 Iso10646.encodingLevel)
ISO10646_FORMS: dict[str, str] = {
    "1.0.10646.1.0.2": "UCS-2",
    "1.0.10646.1.0.4": "UCS-4",
    "1.0.10646.1.0.5": "UTF-16",
    "1.0.10646.1.0.8": "UTF-8",
}

_DOTTED = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))+$")


class UnknownName(PolycatError):
    """A record syntax or attribute set name that is neither known nor a dotted OID."""


def is_oid(text: str) -> bool:
    return bool(_DOTTED.match(text))


def _lookup(kind: str, text: str, table: dict[str, str], aliases: dict[str, str]) -> str:
    if is_oid(text):
        return text
    key = text.strip().lower()
    key = aliases.get(key, key)
    if key in table:
        return table[key]
    known = ", ".join(sorted(table))
    raise UnknownName(f"Unknown {kind} '{text}'. Known names: {known}; or give a dotted OID.")


def _name(oid: str, table: dict[str, str]) -> str:
    for name, value in table.items():
        if value == oid:
            return name
    return oid


def record_syntax_oid(name: str) -> str:
    """``"usmarc"``/``"MARC21"``/``"xml"``/a dotted OID -> the dotted OID."""
    return _lookup("record syntax", name, RECORD_SYNTAXES, RECORD_SYNTAX_ALIASES)


def record_syntax_name(oid: str) -> str:
    """The short name of a record syntax OID (``"usmarc"``), or the OID when unknown."""
    return _name(oid, RECORD_SYNTAXES)


def attribute_set_oid(name: str) -> str:
    """``"bib-1"``/``"Bib1"``/``"gils"``/a dotted OID -> the dotted OID."""
    return _lookup("attribute set", name, ATTRIBUTE_SETS, ATTRIBUTE_SET_ALIASES)


def attribute_set_name(oid: str) -> str:
    """The short name of an attribute set OID (``"bib-1"``), or the OID when unknown."""
    return _name(oid, ATTRIBUTE_SETS)


def diagnostic_set_name(oid: str) -> str:
    return _name(oid, DIAGNOSTIC_SETS)
