"""Other people's parsers, used as the judges of our exports.

Each function parses an export the way the real consumer would and raises (or fails the test)
on any error, so a test only has to compare what came back.
"""

from __future__ import annotations

import codecs
import json
import re
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import bibtexparser
import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import pybtex.database
import pybtex.errors
import pymarc
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as csl_formatter
from citeproc.source.json import CiteProcJSON

# the one CSL style citeproc-py bundles (its old 'harvard1' is no longer shipped)
CSL_STYLE = "harvard-cite-them-right"


def rispy_records(data: bytes) -> list[dict[str, Any]]:
    """RIS as rispy reads it, with SN and ED read as the lists they are (rispy's defaults keep
    only the first SN and file ED as unknown) and UR not split at ";" (a URL may hold one)."""
    return rispy.loads(
        data.decode("utf-8"),
        mapping={**rispy.TAG_KEY_MAPPING, "ED": "editors"},
        list_tags=[*rispy.LIST_TYPE_TAGS, "SN", "ED", "CN"],
        delimiter_tags_mapping={},
    )


def bibtexparser_entries(data: bytes) -> list[Any]:
    library = bibtexparser.parse_string(data.decode("utf-8"))
    assert library.failed_blocks == [], [b.error for b in library.failed_blocks]
    return list(library.entries)


def pybtex_entries(data: bytes) -> pybtex.database.BibliographyData:
    """pybtex in strict mode: any syntax or name error raises."""
    pybtex.errors.set_strict_mode(True)
    return pybtex.database.parse_string(data.decode("utf-8"), "bibtex")


def citeproc_bibliography(data: bytes) -> list[str]:
    """Load CSL-JSON with CiteProcJSON and render every item; an unsupported variable (a
    warning in citeproc-py) counts as an error."""
    items = json.loads(data.decode("utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        source = CiteProcJSON(items)
        style = CitationStylesStyle(CSL_STYLE, validate=False)
        bibliography = CitationStylesBibliography(style, source, csl_formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        return [str(entry) for entry in bibliography.bibliography()]


def yaz_marcdump(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run yaz-marcdump; a missing yaz fails the test (never a skip)."""
    if shutil.which("yaz-marcdump") is None:
        pytest.fail("yaz-marcdump is not installed: apt-get install yaz", pytrace=False)
    return subprocess.run(
        ["yaz-marcdump", *args, str(path)], capture_output=True, text=True, check=False,
        timeout=60,
    )  # fmt: skip


def assert_yaz_accepts(path: Path, *args: str) -> None:
    """``yaz-marcdump -n``: exit 0 and not a word on stdout or stderr (with -n it prints only
    what is wrong: "Directory offset 24: Data out of bounds", "<!-- Premature EOF -->" ...)."""
    done = yaz_marcdump(path, "-n", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (done.stdout, done.stderr) == ("", "")


def yaz_record_count(path: Path, *args: str) -> int:
    """How many records yaz-marcdump prints as MARC line format (each starts with a leader)."""
    done = yaz_marcdump(path, "-o", "line", *args)
    assert done.returncode == 0, done.stderr
    return len(re.findall(r"(?m)^\d{5}[a-z ][a-z][a-z ]", done.stdout))


def pymarc_iso(data: bytes) -> list[pymarc.Record]:
    reader = pymarc.MARCReader(data, to_unicode=True, force_utf8=True, utf8_handling="strict")
    records = []
    for record in reader:
        assert record is not None, reader.current_exception
        records.append(record)
    return records


def pymarc_xml(path: Path) -> list[pymarc.Record]:
    return list(pymarc.parse_xml_to_array(str(path), strict=True))


_TEXT_COMMANDS = {
    r"\textbraceleft": "{", r"\textbraceright": "}", r"\textbackslash": "\\",
    r"\textasciicircum": "^", r"\textasciitilde": "~", r"\$": "$",
}  # fmt: skip


def detex(value: str) -> str:
    """A BibTeX value back to text, by latexcodec (pybtex's own decoder), for comparisons.

    The few commands latexcodec leaves alone are replaced by private-use placeholders first,
    grouping braces dropped, then the placeholders restored.
    """
    placeholders = {}
    for i, (command, char) in enumerate(_TEXT_COMMANDS.items()):
        mark = chr(0xE000 + i)
        value = re.sub(r"\{?" + re.escape(command) + r"\}?", mark, value)
        placeholders[mark] = char
    text = codecs.decode(value, "ulatex").replace("{", "").replace("}", "")
    for mark, char in placeholders.items():
        text = text.replace(mark, char)
    return text
