"""BibTeX that classic BibTeX, biber, JabRef, pybtex and bibtexparser all read.

Decisions:
- Every value is one line in braces. The ten characters TeX treats specially are escaped so
  that no data can unbalance an entry: ``\\% \\& \\$ \\# \\_`` and ``{\\textbraceleft}``,
  ``{\\textbraceright}``, ``{\\textbackslash}``, ``{\\textasciicircum}``,
  ``{\\textasciitilde}`` -- never ``\\{``, because BibTeX counts that brace too.
- Titles: every word holding an uppercase letter anywhere except the title's very first
  character is wrapped in braces ({DNA}, {Paris}, {iPhone}), and so is every word mixing
  capitals and digits even in first place ({Z39.50}, {COVID-19}), so styles that
  sentence-case titles keep proper nouns, acronyms and codes. Only ``title`` is protected;
  journal and book titles are not case-changed by styles.
- Names: "Last, First and Last, First"; "Last, Jr., First" when MARC gives a suffix; a
  corporate or meeting name is one brace group ({World Health Organization}) so BibTeX never
  splits it; a lone word "and" inside a personal name is braced.
- Types: @book, @article, @incollection (a chapter whose book is named, else @inbook),
  @phdthesis / @mastersthesis from the thesis note (a thesis whose note names no degree is
  @phdthesis with ``type = {Thesis}``, which styles print instead of "PhD thesis"),
  @proceedings / @inproceedings, @techreport, @unpublished for manuscripts; maps, music, sound,
  video, images, serials and electronic resources are @misc with ``howpublished`` saying what
  they are (classic styles know no better type).
- ``ascii=True`` writes pure ASCII for 8-bit BibTeX: accents as {\\"u}, {\\'e}, {\\c{c}},
  {\\v{s}}, {\\'{\\i}}; letters as {\\ss}, {\\o}, {\\ae}, {\\l}, {\\th}; dashes, quotes and common
  symbols as their LaTeX commands. A character with no LaTeX spelling (Cyrillic, CJK, emoji)
  is written ``{\\symbol{NNNN}}`` (its code point in decimal; needs XeLaTeX or LuaLaTeX with a
  font that has it) and the record gets a warning naming those characters: the file stays pure
  ASCII and nothing is lost.
- Keys come from :func:`app.export.keys.citation_keys`. URLs and DOIs are verbatim fields:
  only spaces, braces, backslashes and non-ASCII are percent-encoded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from urllib.parse import quote

from app.export import fields
from app.records.model import BibRecord, Name

_SPECIAL = {
    "{": r"{\textbraceleft}", "}": r"{\textbraceright}", "\\": r"{\textbackslash}",
    "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#", "_": r"\_",
    "^": r"{\textasciicircum}", "~": r"{\textasciitilde}",
}  # fmt: skip
_SPECIAL_RE = re.compile(r"[{}\\%&$#_^~]")

# ASCII mode: characters with their own LaTeX spelling (letters NFD cannot take apart first)
_LATEX_CHARS = {
    "ß": r"{\ss}", "æ": r"{\ae}", "Æ": r"{\AE}", "ø": r"{\o}", "Ø": r"{\O}", "œ": r"{\oe}",
    "Œ": r"{\OE}", "ł": r"{\l}", "Ł": r"{\L}", "ı": r"{\i}", "ȷ": r"{\j}", "þ": r"{\th}",
    "Þ": r"{\TH}", "ð": r"{\dh}", "Ð": r"{\DH}", "đ": r"{\dj}", "Đ": r"{\DJ}", "ŋ": r"{\ng}",
    "Ŋ": r"{\NG}", "¡": r"{\textexclamdown}", "¿": r"{\textquestiondown}",
    "«": r"{\guillemotleft}", "»": r"{\guillemotright}", "‹": r"{\guilsinglleft}",
    "›": r"{\guilsinglright}", "–": "--", "—": "---", "‘": "`", "’": "'", "“": "``",
    "”": "''", "„": r"{\quotedblbase}", "‚": r"{\quotesinglbase}", "…": r"{\ldots}",
    "\u00ad": r"\-", "‐": "-", "‑": "-", "′": "'", "″": "''", "§": r"{\S}",
    "¶": r"{\P}", "©": r"{\textcopyright}", "®": r"{\textregistered}",
    "™": r"{\texttrademark}", "£": r"{\pounds}", "€": r"{\texteuro}", "°": r"{\textdegree}",
    "·": r"{\textperiodcentered}", "×": r"{\texttimes}", "÷": r"{\textdiv}", "±": r"{\textpm}",
    "¼": r"{\textonequarter}", "½": r"{\textonehalf}", "¾": r"{\textthreequarters}",
    "¹": r"{\textonesuperior}", "²": r"{\texttwosuperior}", "³": r"{\textthreesuperior}",
    "¢": r"{\textcent}", "¥": r"{\textyen}", "µ": r"{\textmu}", "ª": r"{\textordfeminine}",
    "º": r"{\textordmasculine}", "¬": r"{\textlnot}", "¦": r"{\textbrokenbar}",
    "¤": r"{\textcurrency}", "•": r"{\textbullet}", "†": r"{\textdagger}",
    "‡": r"{\textdaggerdbl}", "‰": r"{\textperthousand}",
}  # fmt: skip
# combining mark -> accent command; symbol commands take the letter bare, letter commands in {}
_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=",
    "\u0307": ".", "\u0308": '"', "\u0306": "u", "\u030a": "r", "\u030b": "H",
    "\u030c": "v", "\u0323": "d", "\u0327": "c", "\u0328": "k", "\u0331": "b",
    "\u0326": "textcommabelow",
}  # fmt: skip
_BELOW = {"d", "c", "k", "b", "textcommabelow"}  # these keep the dot of i and j


def _accented(char: str) -> str | None:
    """{\\'e}, {\\v{s}}, {\\^{\\d{e}}} for a letter with marks; None when LaTeX lacks one."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[:1], decomposed[1:]
    if not marks or any(m not in _ACCENTS for m in marks):
        return None
    if base in ("i", "j") and any(_ACCENTS[m] not in _BELOW for m in marks):
        text = "\\" + base  # dotless i/j under an accent above, as classic LaTeX wants
    elif base.isascii() and base.isalpha():
        text = base
    elif base in _LATEX_CHARS:
        text = _LATEX_CHARS[base][1:-1]
    else:
        return None
    for mark in marks:
        command = _ACCENTS[mark]
        if command.isalpha():
            text = f"\\{command}{{{text}}}"
        else:
            text = f"\\{command}{text}" if len(text) == 1 else f"\\{command}{{{text}}}"
    return "{" + text + "}"


def _ascii_cluster(cluster: str, unmapped: set[str]) -> str:
    """A letter and its combining marks, or one other character, in ASCII LaTeX."""
    latex = _LATEX_CHARS.get(cluster) or _accented(cluster)
    if latex is not None:
        return latex
    compatible = unicodedata.normalize("NFKD", cluster)
    if compatible.isascii() and " " not in compatible:  # ligatures, full-width forms
        return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], compatible)
    unmapped.update(c for c in cluster if not c.isascii())
    return "".join(c if c.isascii() else f"{{\\symbol{{{ord(c)}}}}}" for c in cluster)


# a character and the combining marks after it (NFC leaves some uncomposed: "ı́", "ě̌")
_CLUSTER = re.compile(r"[^\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]?"
                      r"[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*")  # fmt: skip


def latex(text: str, *, ascii: bool = False, unmapped: set[str] | None = None) -> str:
    """Text as a BibTeX value: one line, TeX specials escaped, pure ASCII when asked.

    Characters with no LaTeX spelling in ASCII mode are added to ``unmapped``.
    """
    text = _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], fields.one_line(text))
    if not ascii or text.isascii():
        return text
    sink: set[str] = set() if unmapped is None else unmapped
    return "".join(
        c if c.isascii() else _ascii_cluster(c, sink) for c in _CLUSTER.findall(text) if c
    )


_DIGIT = re.compile(r"\d")


def protect_title(title: str, *, ascii: bool = False, unmapped: set[str] | None = None) -> str:
    """Escape a title and brace every word with an uppercase letter that is not the title's
    first character, and every word mixing capitals and digits: "Z39.50 and DNA in Paris" ->
    "{Z39.50} and {DNA} in {Paris}"."""
    words = fields.one_line(title).split(" ")
    # escapes never hold a space, so escaped words line up with the words
    escaped = latex(" ".join(words), ascii=ascii, unmapped=unmapped).split(" ")
    out = []
    for i, (word, text) in enumerate(zip(words, escaped, strict=True)):
        rest = word[1:] if i == 0 else word
        capital = rest != rest.lower()
        code = word != word.lower() and _DIGIT.search(word) is not None
        out.append("{" + text + "}" if capital or code else text)
    return " ".join(out)


_AND = re.compile(r"(?i)(?<![^\s])and(?![^\s])")


def _bibtex_name(name: Name, ascii: bool, unmapped: set[str]) -> str:
    if name.kind != "personal":
        return "{" + latex(name.name, ascii=ascii, unmapped=unmapped) + "}"
    family, given, suffix = (
        _AND.sub(r"{\g<0>}", latex(p, ascii=ascii, unmapped=unmapped))
        for p in fields.split_person(name.name)
    )
    if suffix:
        return f"{family}, {suffix}, {given}"  # BibTeX's "von Last, Jr, First"
    return f"{family}, {given}" if given else family


def _names(names: tuple[Name, ...], ascii: bool, unmapped: set[str]) -> str:
    return " and ".join(text for text in (_bibtex_name(n, ascii, unmapped) for n in names) if text)


def _verbatim(url: str) -> str:
    """A URL or DOI for a verbatim field: percent-encode what BibTeX or \\url cannot carry."""
    return quote(fields.one_line(url), safe="!#$%&'()*+,-./:;=?@[]_~|<>^`\"")


_HOWPUBLISHED = {
    "serial": "Serial",
    "map": "Map",
    "music": "Printed music",
    "sound": "Sound recording",
    "video": "Video recording",
    "image": "Image",
    "electronic": "Electronic resource",
    "other": "",
}


def _entry_type(record: BibRecord) -> tuple[str, dict[str, str]]:
    """The entry type and the fields that only that type carries (still unescaped)."""
    has_host = record.host is not None and bool(record.host.title.strip())
    material = record.material
    if material == "chapter":
        return ("incollection" if has_host else "inbook"), {}
    if material == "article":
        return "article", {}
    if material == "thesis":
        degree = fields.thesis_degree(record)
        kind = "mastersthesis" if degree == "masters" else "phdthesis"
        return kind, {"school": fields.thesis_school(record), "type": "" if degree else "Thesis"}
    if material == "manuscript":
        return "unpublished", {"note": fields.sentences(record.notes) or "Manuscript"}
    if material == "conference":
        return ("inproceedings" if has_host else "proceedings"), {}
    if material == "report":
        return "techreport", {"institution": record.publisher}
    if material == "book":
        return "book", {}
    return "misc", {"howpublished": _HOWPUBLISHED.get(material, "")}


def _keyword(subject: str) -> str:
    return "{" + subject + "}" if "," in subject else subject


def bibtex_entry(
    record: BibRecord,
    key: str,
    *,
    ascii: bool = False,
    warn: Callable[[str], None] | None = None,
) -> str:
    """One ``@type{key, ...}`` entry and a blank line; ``warn`` hears about lossy spellings."""
    unmapped: set[str] = set()
    kind, special = _entry_type(record)
    host = record.host

    def text(value: str) -> str:
        return latex(value, ascii=ascii, unmapped=unmapped)

    values: list[tuple[str, str]] = [
        ("author", _names(record.authors, ascii, unmapped)),
        ("editor", _names(record.editors, ascii, unmapped)),
        ("translator", _names(tuple(n for n in record.names if n.role == "translator"),
                              ascii, unmapped)),
        ("title", protect_title(fields.display_title(record), ascii=ascii, unmapped=unmapped)),
    ]  # fmt: skip
    if host is not None and host.title:
        container = "journal" if kind == "article" else "booktitle"
        values.append((container, text(host.title)))
    values += [
        ("series", text("; ".join(record.series))),
        ("edition", text(fields.edition_number(record.edition))),
    ]
    if not {"school", "institution"} & special.keys():
        values.append(("publisher", text(record.publisher)))
    values += [(k, text(v)) for k, v in special.items() if k != "note"]
    values += [
        ("address", text(record.place)),
        ("year", str(record.year) if record.year is not None else ""),
    ]
    if host is not None:
        first, last = fields.page_range(host.pages)
        pages = f"{first}--{last}" if last else first
        values += [("volume", text(host.volume)), ("number", text(host.issue))]
        values.append(("pages", text(pages)))
    language = fields.language(record)
    values += [
        ("isbn", text(", ".join(fields.citable_isbns(record)))),
        ("issn", text(", ".join(fields.citable_issns(record)))),
        ("doi", _verbatim(fields.doi(record))),
        ("url", _verbatim(next(iter(fields.urls(record)), ""))),
        ("language", "" if language is None else text((language.name or language.code).lower())),
        ("keywords", ", ".join(_keyword(text(s)) for s in record.subjects if s.strip())),
        ("abstract", text(record.abstract)),
        ("note", text(special.get("note") or fields.sentences(record.notes))),
    ]
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in values if value)
    if unmapped and warn is not None:
        shown = ("◌" + c if unicodedata.combining(c) else c for c in sorted(unmapped)[:12])
        chars = "".join(shown) + ("…" if len(unmapped) > 12 else "")
        warn(
            f"{len(unmapped)} character(s) have no LaTeX spelling ({chars}); written as "
            "\\symbol{…}, which needs XeLaTeX or LuaLaTeX"
        )
    return f"@{kind}{{{key},\n{body}}}\n\n"
