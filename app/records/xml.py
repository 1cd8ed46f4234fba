"""XML from catalogues, parsed safely, and told apart: MARCXML, turbomarc, MODS, Dublin Core.

Parsing goes through defusedxml: no entity expansion (billion laughs), no external entities or
DTDs fetched, no network. Refused XML becomes an UnreadableRecord saying why.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Literal
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from app.records.errors import UnreadableRecord

__all__ = [
    "DC_ELEMENTS",
    "MARC_NS",
    "MODS_NS",
    "TURBOMARC_NS",
    "XmlKind",
    "children",
    "find_records",
    "local",
    "parse_xml",
    "text_of",
]

MARC_NS = "http://www.loc.gov/MARC21/slim"
MODS_NS = "http://www.loc.gov/mods/v3"
TURBOMARC_NS = "http://www.indexdata.com/turbomarc"
DC_NS = "http://purl.org/dc/elements/1.1/"
DC_ELEMENTS = frozenset(
    {"title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
     "format", "identifier", "source", "language", "relation", "coverage", "rights"}
)
XmlKind = Literal["marcxml", "turbomarc", "mods", "dc", "oclcxml"]


def parse_xml(data: bytes | str) -> Element:
    """The root element; UnreadableRecord for XML that is malformed or declares entities."""
    try:
        return fromstring(data)  # type: ignore[no-any-return]
    except DefusedXmlException as exc:
        raise UnreadableRecord(
            "the XML declares entities or a document type that loads other files; Polycat "
            "refuses such XML because it can be used to attack the computer reading it",
            detail=repr(exc),
        ) from exc
    except ParseError as exc:
        raise UnreadableRecord(f"the XML is not well-formed ({exc})", detail=repr(exc)) from exc
    except (ValueError, LookupError) as exc:  # an encoding expat does not know
        raise UnreadableRecord(f"the XML cannot be decoded ({exc})", detail=repr(exc)) from exc


def local(tag: object) -> str:
    """"{http://www.loc.gov/mods/v3}title" → "title"."""
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def children(elem: Element, name: str) -> Iterator[Element]:
    """Direct children called ``name`` in any namespace."""
    return (c for c in elem if local(c.tag) == name)


def text_of(elem: Element | None) -> str:
    """All text inside ``elem`` with blanks made single, NFC."""
    if elem is None:
        return ""
    text = " ".join("".join(elem.itertext()).split())
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def kind_of(elem: Element) -> XmlKind | None:
    """What record (or collection of records) ``elem`` is, or None."""
    name, ns = local(elem.tag), namespace(elem.tag) if isinstance(elem.tag, str) else ""
    if ns == MARC_NS or (not ns and name in ("record", "collection") and _has_marc_shape(elem)):
        return "marcxml" if name in ("record", "collection") else None
    if ns == TURBOMARC_NS:
        return "turbomarc" if name in ("r", "collection") else None
    if name in ("mods", "modsCollection") and (ns == MODS_NS or not ns):
        return "mods"
    if name == "dc" or ns == DC_NS:
        return "dc"
    names = {local(c.tag) for c in elem}
    if "title" in names and len(names & DC_ELEMENTS) >= 2 and len(names - DC_ELEMENTS) <= 3:
        has_dc_ns = any(namespace(c.tag) == DC_NS for c in elem if isinstance(c.tag, str))
        return "dc" if has_dc_ns else "oclcxml"
    return None


def _has_marc_shape(elem: Element) -> bool:
    inner = next(iter(elem), None) if local(elem.tag) == "collection" else elem
    if inner is None:
        return False
    return any(local(c.tag) in ("leader", "controlfield", "datafield") for c in inner)


def find_records(root: Element) -> tuple[XmlKind | None, list[Element]]:
    """The record elements under ``root`` (itself, a collection's members, or records inside
    a wrapper such as an SRU response), and their kind."""
    kind = kind_of(root)
    if kind is None:
        for elem in root.iter():
            kind = kind_of(elem)
            if kind is not None:
                root = elem
                break
        else:
            return None, []
    if local(root.tag) in ("collection", "modsCollection"):
        members = [c for c in root if local(c.tag) in ("record", "r", "mods")]
        return kind, members
    return kind, [root]
