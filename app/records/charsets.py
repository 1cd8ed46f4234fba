"""The character sets MARC records arrive in, and how to tell which one the bytes really use.

MARC-8 goes through pymarc's tables (Latin, Greek, Cyrillic, Hebrew, Arabic and the CJK EACC
set); ISO 5426 (UNIMARC, GBV) has its own small table here. Both put combining marks BEFORE the
base letter; output is always NFC. Which set a record declares (leader/09, UNIMARC 100 $a/26-29)
is checked against the bytes, because catalogues get it wrong in both directions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Literal

from pymarc.marc8 import MARC8ToUnicode
from pymarc.marc8_mapping import CODESETS

__all__ = [
    "CHARSET_NAMES",
    "Charset",
    "decoder",
    "sniff_charset",
]

Charset = Literal["utf-8", "marc-8", "iso5426", "latin-1"]
CHARSET_NAMES: dict[Charset, str] = {
    "utf-8": "UTF-8",
    "marc-8": "MARC-8",
    "iso5426": "ISO 5426",
    "latin-1": "ISO 8859-1 (Latin-1)",
}
# A field decoder takes one field's bytes (subfield delimiters included) and gives text with
# the delimiters kept; anything it had to guess at is added to ``problems``.
Decoder = Callable[[bytes, set[str]], str]

_BASIC_LATIN = 0x42
_ANSEL = CODESETS[0x45]
# ESC ( , ESC ) , ESC $ and the technique sets ESC b/g/p/s: MARC-8 and nothing else
_MARC8_ESCAPE = re.compile(rb"\x1b(?:[(),$-][\x21-\x7e]|[bgps])")
_NCR = re.compile(r"&#x([0-9A-Fa-f]{2,6});?")  # marc8lossless writes what MARC-8 lacks so
_MARC8_SPLIT = re.compile(rb"([\x1f\x88\x89])")


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _decode_utf8(data: bytes, problems: set[str]) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        problems.add("some bytes are not valid UTF-8 and were replaced by �")
        text = data.decode("utf-8", "replace")
    return _nfc(text)


def _decode_latin1(data: bytes, problems: set[str]) -> str:
    return data.decode("latin-1")


def _decode_marc8(data: bytes, problems: set[str]) -> str:
    if data.isascii() and b"\x1b" not in data:
        text = data.decode("ascii")
        return _NCR.sub(_from_reference, text) if "&#x" in text else text
    converter = MARC8ToUnicode(quiet=True)  # one per field: escapes carry across subfields
    out = []
    code_next = False
    for piece in _MARC8_SPLIT.split(data):
        if len(piece) == 1 and piece in b"\x1f\x88\x89":
            out.append(chr(piece[0]))  # pymarc would drop NSB/NSE; they mark the non-sort part
            code_next = piece == b"\x1f"
            continue
        if code_next and piece:  # a subfield code is ASCII whatever set is in force
            out.append(chr(piece[0]))
            piece = piece[1:]
        code_next = False
        if piece.isascii() and b"\x1b" not in piece and converter.g0 == _BASIC_LATIN:
            out.append(piece.decode("ascii"))
        elif piece:
            try:
                out.append(converter.translate(piece))  # type: ignore[no-untyped-call]
            except (IndexError, KeyError, TypeError, ValueError):
                problems.add("some MARC-8 characters could not be decoded")
                out.append(piece.decode("latin-1"))
    text = "".join(out)
    if "&#x" in text:
        text = _NCR.sub(_from_reference, text)
    return _nfc(text)


def _from_reference(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return chr(code) if code <= 0x10FFFF else match.group(0)


# ISO 5426 right half: spacing characters, and the combining diacritics 0xC0-0xDF
_ISO5426_SPACING = {
    0xA1: "¡", 0xA2: "„", 0xA3: "£", 0xA4: "$", 0xA5: "¥", 0xA6: "†", 0xA7: "§", 0xA8: "′",
    0xA9: "‘", 0xAA: "“", 0xAB: "«", 0xAC: "♭", 0xAD: "©", 0xAE: "℗", 0xAF: "®", 0xB0: "ʻ",
    0xB1: "ʼ", 0xB2: "‚", 0xB6: "‡", 0xB7: "·", 0xB8: "″", 0xB9: "’", 0xBA: "”", 0xBB: "»",
    0xBC: "♯", 0xBD: "ʹ", 0xBE: "ʺ", 0xBF: "¿", 0xE1: "Æ", 0xE2: "Đ", 0xE6: "Ĳ", 0xE8: "Ł",
    0xE9: "Ø", 0xEA: "Œ", 0xEC: "Þ", 0xF1: "æ", 0xF2: "đ", 0xF3: "ð", 0xF5: "ı", 0xF6: "ĳ",
    0xF8: "ł", 0xF9: "ø", 0xFA: "œ", 0xFB: "ß", 0xFC: "þ", 0xA0: " ",
    0x88: "\x88", 0x89: "\x89",
}
_ISO5426_COMBINING = {
    0xC0: "\u0309", 0xC1: "\u0300", 0xC2: "\u0301", 0xC3: "\u0302", 0xC4: "\u0303",
    0xC5: "\u0304", 0xC6: "\u0306", 0xC7: "\u0307", 0xC8: "\u0308", 0xC9: "\u0308",
    0xCA: "\u030a", 0xCB: "\u0315", 0xCC: "\u0313", 0xCD: "\u030b", 0xCE: "\u031b",
    0xCF: "\u030c", 0xD0: "\u0327", 0xD1: "\u031c", 0xD2: "\u0326", 0xD3: "\u0328",
    0xD4: "\u0325", 0xD5: "\u032e", 0xD6: "\u0323", 0xD7: "\u0324", 0xD8: "\u0332",
    0xD9: "\u0333", 0xDA: "\u0329", 0xDB: "\u032d", 0xDD: "\u0360",
}


def _decode_iso5426(data: bytes, problems: set[str]) -> str:
    if data.isascii():
        return data.decode("ascii").replace("\x1bH", "\x88").replace("\x1bI", "\x89")
    out: list[str] = []
    marks: list[str] = []
    for byte in data:
        if byte in _ISO5426_COMBINING:
            marks.append(_ISO5426_COMBINING[byte])
            continue
        if byte < 0x80:
            char = chr(byte)
        elif byte in _ISO5426_SPACING:
            char = _ISO5426_SPACING[byte]
        else:
            problems.add(f"byte 0x{byte:02X} is not an ISO 5426 character")
            char = "\ufffd"
        out.append(char)
        if marks:
            if byte < 0x20:
                problems.add("an ISO 5426 accent had no letter after it and was dropped")
            else:
                out.extend(marks)
            marks.clear()
    text = "".join(out).replace("\x1bH", "\x88").replace("\x1bI", "\x89")
    return unicodedata.normalize("NFC", text)


_DECODERS: dict[Charset, Decoder] = {
    "utf-8": _decode_utf8,
    "marc-8": _decode_marc8,
    "iso5426": _decode_iso5426,
    "latin-1": _decode_latin1,
}


def decoder(charset: Charset) -> Decoder:
    return _DECODERS[charset]


_ALIASES: dict[str, Charset] = {
    "utf-8": "utf-8", "utf8": "utf-8", "unicode": "utf-8", "marc-8": "marc-8",
    "marc8": "marc-8", "ansel": "marc-8", "latin-1": "latin-1", "latin1": "latin-1",
    "iso-8859-1": "latin-1", "iso8859-1": "latin-1", "iso_8859-1": "latin-1",
    "iso5426": "iso5426", "iso-5426": "iso5426", "iso_5426": "iso5426",
}


def charset_named(name: str | None) -> Charset | None:
    """"UTF8", "iso-8859-1", "MARC8"... as a Charset; None for no name or an unknown one."""
    return _ALIASES.get(name.strip().casefold()) if name else None


_LOOSE_MARKS = frozenset(range(0xFE20, 0xFE30)) | {0x0360, 0x0361, 0x0362}
_MIDWORD_UPPER = re.compile(r"(?<=[a-z])[^\x00-\x7f](?=[a-z])")


def _implausibility(text: str, undefined: int) -> int:
    """How wrong a decoding looks: accents left without a letter that takes them, characters
    the set lacks, capitals in the middle of lower-case words."""
    score = 3 * (undefined + text.count("\ufffd"))
    score += sum(
        1 for c in text if unicodedata.combining(c) and ord(c) not in _LOOSE_MARKS
    )
    score += sum(1 for m in _MIDWORD_UPPER.finditer(text) if m.group(0).isupper())
    return score


def _best_guess(data: bytes, candidates: tuple[Charset, ...]) -> Charset:
    scored = []
    for rank, charset in enumerate(candidates):
        problems: set[str] = set()
        text = _DECODERS[charset](data, problems)
        undefined = 0
        if charset == "marc-8":
            undefined = sum(1 for b in data if b >= 0xA0 and b not in _ANSEL)
        scored.append((_implausibility(text, undefined), rank, charset))
    return min(scored)[2]


def sniff_charset(
    data: bytes,
    declared: Charset,
    *,
    marc8_possible: bool = True,
    declared_by: str = "leader/09",
    prefer: Charset | None = None,
) -> tuple[Charset, str | None]:
    """The character set ``data`` (a record's fields) really uses, and a warning when that
    differs from what the record declares. ``marc8_possible`` is False for UNIMARC; ``prefer``
    (the target's profile) is tried first when the declaration is proven wrong."""
    has_escapes = marc8_possible and b"\x1b" in data and bool(_MARC8_ESCAPE.search(data))
    if data.isascii() and not has_escapes:
        return declared, None
    if has_escapes:
        found: Charset = "marc-8"
    else:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            found = declared
            if declared == "utf-8":  # a guess only when the declaration is proven wrong
                order: tuple[Charset, ...] = ("marc-8", "latin-1", "iso5426")
                if not marc8_possible:
                    order = ("iso5426", "latin-1")
                if prefer in order:
                    order = (prefer, *(c for c in order if c != prefer))
                found = _best_guess(data, order)
        else:
            found = "utf-8"
    if found == declared:
        return found, None
    return found, (
        f"{declared_by} says {CHARSET_NAMES[declared]} but the bytes are "
        f"{CHARSET_NAMES[found]}; read as {CHARSET_NAMES[found]}"
    )
