"""The ISBN list: plain lines, CSV, RIS or BibTeX in, ISBN-13s out, skipped lines said."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

from app.errors import PolycatError
from app.records.identifiers import find_isbns, normalize_isbn, parse_isbn


class BatchError(PolycatError):
    """A batch that cannot start: no ISBN in the file, no catalogue, a state file in use."""


# --- the ISBN list -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SkippedLine:
    """A line (or reference) of the list that gave no ISBN, and why."""

    line: int  # 1-based line number in the file
    text: str  # the line as written (for RIS/BibTeX: the reference's title or key)
    reason: str


class IsbnList(list[str]):
    """Normalised ISBN-13s in list order, without duplicates; ``skipped`` says what was not
    taken and why, ``duplicates`` how many repeats were dropped."""

    def __init__(
        self,
        isbns: Iterable[str] = (),
        skipped: Sequence[SkippedLine] = (),
        duplicates: int = 0,
    ) -> None:
        super().__init__(isbns)
        self.skipped = tuple(skipped)
        self.duplicates = duplicates


_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_BIBTEX_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*[{(]")
_BIBTEX_ISBN = re.compile(r"(?<![\w-])isbn\s*=\s*", re.IGNORECASE)
_BIBTEX_TITLE = re.compile(r"(?<![\w-])title\s*=\s*", re.IGNORECASE)
_COMMENT = re.compile(r"\s#.*$|^#.*$")
_TOKENS = re.compile(r"[\s,;|]+")


def read_isbn_list(path: str | os.PathLike[str]) -> IsbnList:
    """The ISBNs of a file: plain lines, a RIS file (``SN``/``BN`` fields) or BibTeX
    (``isbn`` fields); see :func:`read_isbn_text`. Raises ``BatchError`` when the file cannot
    be read at all; lines without an ISBN are never fatal."""
    try:
        raw = Path(path).read_bytes()
    except OSError as problem:
        raise BatchError(
            f"Cannot read the ISBN list {os.fspath(path)}: {problem.strerror or problem}",
            detail=repr(problem),
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # ISBNs are ASCII; only titles in messages could suffer
    return read_isbn_text(text)


def read_isbn_text(text: str) -> IsbnList:
    """ISBNs from text as a librarian has it, each normalised to ISBN-13.

    - RIS (a ``TY  -`` line): every valid ISBN in ``SN`` and ``BN`` fields; a reference with
      none is skipped with the line of its ``TY`` and its title.
    - BibTeX (an ``@type{`` entry): every valid ISBN in ``isbn`` fields; an entry with none is
      skipped with its line and key (``@string``, ``@comment`` and ``@preamble`` are ignored).
    - Anything else, line by line: ``#`` starts a comment, blank lines are ignored, hyphens,
      blanks and an "ISBN:" label are allowed, ISBN-10 becomes ISBN-13. Every valid ISBN on
      a line is taken (CSV rows and "(pbk.)" notes are fine); a line with none is skipped
      with the reason ("wrong check digit" ...).

    Duplicates (also an ISBN-10 and its ISBN-13) are dropped after the first, in order.
    """
    lines = text.splitlines()
    if any(line.startswith("TY  -") for line in lines):
        found, skipped = _from_ris(lines)
    elif re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]", text, re.MULTILINE):
        found, skipped = _from_bibtex(text)
    else:
        found, skipped = _from_lines(lines)
    unique = list(dict.fromkeys(found))
    return IsbnList(unique, skipped, duplicates=len(found) - len(unique))


def _isbns_in(text: str) -> list[str]:
    """Every valid ISBN (as ISBN-13) in a piece of text, in order."""
    valid = [i.value for i in find_isbns(text) if i.valid]
    if not valid:  # "9780198526636 0262033844": two numbers one blank apart
        valid = [n for n in map(normalize_isbn, _TOKENS.split(text)) if n]
    return valid


def why_not_isbn(text: str) -> str:
    """Why ``text`` gives no ISBN, in words."""
    parsed = parse_isbn(text)
    digits = parsed.value if parsed is not None else ""
    if not re.search(r"\d", text) or not digits:
        return "no ISBN on this line"
    try:
        stdnum_isbn.validate(digits)
    except InvalidChecksum:
        return f"{digits}: wrong check digit"
    except InvalidLength:
        return f"{digits}: an ISBN has 10 or 13 digits, this has {len(digits)}"
    except InvalidComponent:
        return f"{digits}: an ISBN-13 starts with 978 or 979"
    except ValidationError:
        return f"{digits}: not an ISBN"
    return f"{digits}: not an ISBN"


def _from_lines(lines: Sequence[str]) -> tuple[list[str], list[SkippedLine]]:
    found: list[str] = []
    skipped: list[SkippedLine] = []
    for number, line in enumerate(lines, start=1):
        text = _COMMENT.sub("", line).strip()
        if not text:
            continue
        isbns = _isbns_in(text)
        if isbns:
            found += isbns
        else:
            skipped.append(SkippedLine(number, line.strip(), why_not_isbn(text)))
    return found, skipped


def _from_ris(lines: Sequence[str]) -> tuple[list[str], list[SkippedLine]]:
    found: list[str] = []
    skipped: list[SkippedLine] = []
    start, title = 0, ""
    numbers: list[str] = []
    for number, line in enumerate(lines, start=1):
        match = _RIS_TAG.match(line.rstrip())
        if not match:
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            start, title, numbers = number, "", []
        elif tag in ("TI", "T1") and not title:
            title = value
        elif tag in ("SN", "BN"):
            numbers.append(value)
        elif tag == "ER":
            isbns = [i for n in numbers for i in _isbns_in(n)]
            found += isbns
            if not isbns:
                reason = why_not_isbn(numbers[0]) if numbers else "no SN field"
                skipped.append(SkippedLine(start, title, f"no ISBN in this reference ({reason})"))
    return found, skipped


def _from_bibtex(text: str) -> tuple[list[str], list[SkippedLine]]:
    found: list[str] = []
    skipped: list[SkippedLine] = []
    position = 0
    while match := _BIBTEX_ENTRY.search(text, position):
        body_start = match.end()
        body_end = _closing(text, body_start, ")" if match.group(0).endswith("(") else "}")
        position = body_end + 1
        if match.group(1).lower() in ("comment", "string", "preamble"):
            continue
        body = text[body_start:body_end]
        numbers = [_bibtex_value(body, m.end()) for m in _BIBTEX_ISBN.finditer(body)]
        isbns = [i for n in numbers for i in _isbns_in(n)]
        found += isbns
        if not isbns:
            key = body.split(",", 1)[0].strip()
            titles = [_bibtex_value(body, m.end()) for m in _BIBTEX_TITLE.finditer(body)]
            shown = f"{key}: {titles[0]}" if titles else key
            reason = why_not_isbn(numbers[0]) if numbers else "no isbn field"
            line = text.count("\n", 0, match.start()) + 1
            skipped.append(SkippedLine(line, shown, f"no ISBN in this entry ({reason})"))
    return found, skipped


def _closing(text: str, start: int, closer: str) -> int:
    """Where the entry opened just before ``start`` ends (braces balanced), or the end."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        elif char == closer and depth == 0:
            return index
    return len(text)


def _bibtex_value(body: str, start: int) -> str:
    """A field value at ``start``: ``{...}`` (nested braces), ``"..."`` or a bare word."""
    rest = body[start:].lstrip()
    if rest.startswith("{"):
        end = _closing(rest, 1, "}")
        return re.sub(r"[{}]", "", rest[1:end])
    if rest.startswith('"'):
        end = rest.find('"', 1)
        return re.sub(r"[{}]", "", rest[1 : end if end > 0 else len(rest)])
    return re.split(r"[,\s}]", rest, maxsplit=1)[0]


