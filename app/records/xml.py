"""XML from catalogues, parsed safely, and told apart: MARCXML, turbomarc, MODS, Dublin Core.

Parsing goes through defusedxml: no entity expansion (billion laughs), no external entities or
DTDs fetched, no network. Refused XML becomes an UnreadableRecord saying why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Literal
from xml.etree.ElementTree import Element, ParseError
from xml.etree.ElementTree import fromstring as _fast_fromstring

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
    "record_slices",
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


def _plain_bytes(data: bytes) -> bool:
    """True when ``data`` is ASCII-compatible XML without a document type declaration: then
    it declares no entities at all, and expat's C parser has nothing dangerous to expand."""
    head = data[:4]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:  # UTF-16/32: look closer
        return False
    return b"<!DOCTYPE" not in data and b"<!ENTITY" not in data


def parse_xml(data: bytes | str) -> Element:
    """The root element; UnreadableRecord for XML that is malformed or declares entities.

    XML without a DOCTYPE goes to ElementTree's C parser (fast: nothing can be expanded);
    anything with one goes through defusedxml, which refuses entity declarations."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        if _plain_bytes(data):
            return _fast_fromstring(data)
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


_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.-]+)")
_ROOT_TAG = re.compile(rb"<[A-Za-z_][^>]*>")
_NAMESPACE = re.compile(rb"\sxmlns(?::[\w.-]+)?\s*=\s*(?:\"[^\"]*\"|'[^']*')")


def record_slices(data: bytes, root: Element, elems: list[Element]) -> list[bytes] | None:
    """Each record's own bytes, cut from the document, with the namespace declarations of the
    root copied into its start tag; None when that cannot be done safely (another encoding
    than UTF-8, records that are not the root's children, tags the count does not match).

    Serialising every record again would cost more than reading it."""
    if elems == [root]:
        return [data]
    declared = _DECLARATION.match(data)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        return None
    name = local(elems[0].tag).encode()
    if any(local(e.tag).encode() != name for e in elems) or len(root) != len(elems):
        return None
    starts = [m.start() for m in re.finditer(rb"<(?:[\w.-]+:)?" + name + rb"[\s/>]", data)]
    ends = [m.end() for m in re.finditer(rb"</(?:[\w.-]+:)?" + name + rb"\s*>", data)]
    if len(starts) != len(elems) or len(ends) != len(elems):
        return None
    if any(e <= s for s, e in zip(starts, ends, strict=True)):
        return None
    if any(s < e for s, e in zip(starts[1:], ends[:-1], strict=True)):
        return None
    root_tag = _ROOT_TAG.search(data)
    declarations = _NAMESPACE.findall(root_tag.group(0)) if root_tag else []
    slices = []
    for start, end in zip(starts, ends, strict=True):
        piece = data[start:end]
        head_end = piece.index(b">")
        head = piece[:head_end]
        missing = b"".join(
            d for d in declarations if d.split(b"=", 1)[0].strip() + b"=" not in head
        )
        tag_name = re.match(rb"<[^\s/>]+", head)
        name_end = start + (len(tag_name.group(0)) if tag_name else len(head))
        slices.append(data[start:name_end] + missing + data[name_end:end])
    return slices
