"""MARCXML (MARC 21 slim) and Index Data's turbomarc into the same MarcRecord ISO 2709 gives."""

from __future__ import annotations

import unicodedata
from xml.etree.ElementTree import Element

from app.records.marc import DataField, MarcRecord
from app.records.xml import local

__all__ = ["marc_from_turbomarc", "marc_from_xml"]


def _text(value: str | None) -> str:
    if not value:
        return ""
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def _leader(text: str) -> str:
    return (text.replace("#", " ") + " " * 24)[:24]


def marc_from_xml(record: Element) -> MarcRecord:
    """One <record> of the MARC 21 slim schema (any namespace prefix, or none)."""
    leader = " " * 24
    control: dict[str, str] = {}
    fields: list[DataField] = []
    for child in record:
        name = local(child.tag)
        if name == "datafield":
            subfields = tuple(
                (sub.get("code", " ")[:1] or " ", _text(sub.text))
                for sub in child
                if local(sub.tag) == "subfield"
            )
            ind1 = (child.get("ind1") or " ")[:1]
            ind2 = (child.get("ind2") or " ")[:1]
            fields.append(DataField(child.get("tag", "   "), ind1, ind2, subfields))
        elif name == "controlfield":
            control.setdefault(child.get("tag", "   "), _text(child.text))
        elif name == "leader":
            leader = _leader(child.text or "")
    return MarcRecord(leader, control, fields)


def marc_from_turbomarc(record: Element) -> MarcRecord:
    """One turbomarc <r>: <l> leader, <c001> control fields, <d245 i1 i2> with <sa> subfields."""
    leader = " " * 24
    control: dict[str, str] = {}
    fields: list[DataField] = []
    for child in record:
        name = local(child.tag)
        if name.startswith("d") and len(name) == 4:
            subfields = tuple(
                (local(sub.tag)[1:2] or " ", _text(sub.text))
                for sub in child
                if local(sub.tag).startswith("s")
            )
            ind1 = (child.get("i1") or " ")[:1]
            ind2 = (child.get("i2") or " ")[:1]
            fields.append(DataField(name[1:], ind1, ind2, subfields))
        elif name.startswith("c") and len(name) == 4:
            control.setdefault(name[1:], _text(child.text))
        elif name == "l":
            leader = _leader(child.text or "")
    return MarcRecord(leader, control, fields)
