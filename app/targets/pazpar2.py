"""pazpar2 settings XML: ``<settings target="host:port/db"><set name=".." value=".."/>`` or
``<set target=".." name=".." value=".."/>``; ``target="*"`` applies to every target."""

from __future__ import annotations

import xml.sax
from dataclasses import dataclass
from typing import Any
from xml.sax.xmlreader import AttributesImpl, Locator

from defusedxml import DefusedXmlException
from defusedxml.sax import parseString

from app.net.address import AddressError, parse_address
from app.targets.listed import ListedTarget, syntax_name
from app.targets.profile import TargetImportError
from app.z3950.ccl import CCLError, parse_qualifier_spec

__all__ = ["read_pazpar2"]

_CCLMAP_FIELDS = {
    "term": "any", "ti": "title", "au": "author", "su": "subject", "isbn": "isbn",
    "issn": "issn", "date": "year", "pb": "publisher", "publisher": "publisher",
    "lccn": "lccn", "se": "series", "series": "series", "la": "language", "pl": "place",
}


@dataclass
class _Setting:
    value: str
    line: int


class _SettingsHandler(xml.sax.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.locator: Locator | None = None
        self.stack: list[str | None] = []  # the target of each open <settings>
        self.found: list[tuple[str, str, str, int]] = []  # (target, name, value, line)
        self.target_lines: dict[str, int] = {}  # where <settings target=".."> opens

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        line = (self.locator.getLineNumber() or 0) if self.locator else 0
        inherited = next((t for t in reversed(self.stack) if t), None)
        if name == "settings":
            self.stack.append(attrs.get("target"))
            if attrs.get("target"):
                self.target_lines.setdefault(attrs["target"], line)
        elif name == "set":
            target = attrs.get("target") or inherited
            self.found.append((target or "", attrs.get("name", ""),
                               attrs.get("value", ""), line))

    def endElement(self, name: str) -> None:
        if name == "settings" and self.stack:
            self.stack.pop()


def read_pazpar2(text: str, shown: str, skipped: list[str]) -> list[ListedTarget]:
    handler = _SettingsHandler()
    try:
        parseString(text.encode("utf-8"), handler)
    except xml.sax.SAXParseException as problem:
        raise TargetImportError(f"this is not well-formed XML: {problem.getMessage()}",
                                path=shown, line=problem.getLineNumber()) from None
    except DefusedXmlException:
        line = handler.locator.getLineNumber() if handler.locator else None
        raise TargetImportError("the file declares XML entities or a DTD, which Polycat does "
                                "not read (a safety rule); remove them", path=shown,
                                line=line) from None
    common: dict[str, _Setting] = {}
    targets: dict[str, dict[str, _Setting]] = {}
    first_line: dict[str, int] = {}
    for target, name, value, line in handler.found:
        if not target:
            raise TargetImportError(f"setting {name!r} names no target", path=shown, line=line)
        if not name:
            raise TargetImportError("a <set> without a name", path=shown, line=line)
        if target == "*":
            common[name] = _Setting(value, line)
        else:
            first_line.setdefault(target, handler.target_lines.get(target, line))
            targets.setdefault(target, {})[name] = _Setting(value, line)
    return [e for target, own in targets.items()
            if (e := _pazpar2_entry(target, {**common, **own}, first_line[target], shown,
                                    skipped)) is not None]


def _pazpar2_entry(
    target: str, settings: dict[str, _Setting], line: int, shown: str, skipped: list[str]
) -> ListedTarget | None:
    def value(name: str) -> str:
        found = settings.get(name)
        return found.value.strip() if found else ""

    def line_of(name: str) -> int:
        found = settings.get(name)
        return found.line if found else line

    if value("pz:sru"):
        skipped.append(f"line {line}: '{target}' is an SRU server; Polycat speaks Z39.50 only")
        return None
    address_text = value("pz:url") or target
    try:
        address = parse_address(address_text)
    except AddressError as problem:
        raise TargetImportError(problem.message, path=shown, line=line_of("pz:url")) from None
    data: dict[str, Any] = {"name": value("pz:name") or str(address), "host": address.host,
                            "port": address.port, "databases": list(address.databases)}
    lines: dict[tuple[str, ...], int] = {("name",): line_of("pz:name")}
    if value("pz:requestsyntax"):
        data["syntaxes"] = [syntax_name(value("pz:requestsyntax"), shown,
                                    line_of("pz:requestsyntax"))]
        lines[("syntaxes",)] = line_of("pz:requestsyntax")
    native, _, charset = value("pz:nativesyntax").partition(";")
    if native.strip().lower() in ("xml", "txml") and "syntaxes" not in data:
        data["syntaxes"] = ["xml"]
    if charset.strip():
        data["charset"] = charset
        lines[("charset",)] = line_of("pz:nativesyntax")
    if value("pz:queryencoding"):
        data["query_charset"] = value("pz:queryencoding")
        lines[("query_charset",)] = line_of("pz:queryencoding")
    if value("pz:elements"):
        data["elements"] = {"full": value("pz:elements")}
    if value("pz:piggyback"):
        data["capabilities"] = {"piggyback": value("pz:piggyback") not in ("0", "false")}
    if value("pz:maxrecs"):
        data["max_records"] = value("pz:maxrecs")
        lines[("max_records",)] = line_of("pz:maxrecs")
        if value("pz:maxrecs").isdigit():
            data["page_size"] = min(20, max(1, int(value("pz:maxrecs"))))
    secret = ""
    if value("pz:authentication"):
        user, _, secret = value("pz:authentication").partition("/")
        data.update(auth="open", user=user)  # pazpar2 sends it as one "open" string
    query: dict[str, str] = {}
    for name, setting in settings.items():
        if not name.startswith("pz:cclmap:"):
            continue
        short = name.removeprefix("pz:cclmap:")
        search_field = _CCLMAP_FIELDS.get(short.lower(), short.lower())
        try:
            parse_qualifier_spec(setting.value, short)
        except CCLError as problem:
            raise TargetImportError(f"{name}: {problem.message}", path=shown,
                                    line=setting.line) from None
        query[search_field] = setting.value
        lines[("query", search_field)] = setting.line
    if query:
        data["query"] = query
    return ListedTarget(data, line, secret, lines)
