"""zebrasrv, Index Data's indexing server, built from MARC21 records and started on a free port.

One call builds a database with ``zebraidx`` (DOM filter: ISO 2709 in, MARCXML stored, index
terms made by ``zebra/index.xsl``) and serves it with ``zebrasrv`` until the block ends::

    with start_zebra(tmp, corpus(), database="books") as zb:
        zb.target()          # "127.0.0.1:PORT/books"

Search: Bib-1 use attributes 1, 2, 3, 4, 5, 7, 8, 9, 12, 21, 30, 31, 54, 59, 62, 63, 1003, 1004,
1007, 1016, 1018, 1031, 1033; structure word (default) and phrase (4=1), complete field (6=3);
truncation right (5=1) and "process #" (5=101); words are case- and accent-folded by
:func:`charmap` (``muller`` finds "Müller", NFD records too); relations 1-5 on the year
(30/31), also with structure 4=4 (year) or 4=109 (numeric).
Scan: title 1=4, author 1=1003, subject 1=21 (words; add 6=3 for whole headings, ICU-folded).
Sort (Z39.50 Sort service): title 1=4 (without the leading article), author 1=1003, year 1=30/31.
Retrieval, per format in ``syntaxes`` (the first is what a client gets when it names none):
``usmarc`` MARC21 UTF-8 (MARC-8 when ``marc8=True``), element sets F and B; ``marcxml`` XML
syntax, element sets F, B and "marcxml"; ``mods`` XML syntax, element set "mods" (and F/B when
MARCXML is not offered); ``sutrs`` labelled text lines, F and B. Anything else is refused with
a diagnostic (239 for a syntax, 25 for an element set).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from pymarc import Field, Record, Subfield

from tests.peers._process import HOST, log_tail, require, run_checked, serve, workdir_for

CONFIG_DIR = Path(__file__).with_name("zebra")
FORMATS = ("usmarc", "marcxml", "mods", "sutrs")  # what an instance can offer, in this order

# DOM retrieve pipelines: name -> stylesheets applied in turn to the stored MARCXML.
_PIPELINES: dict[str, tuple[str, ...]] = {
    "marcxml": ("marcxml.xsl",),
    "brief": ("brief.xsl",),
    "mods": ("mods.xsl",),
    "briefmods": ("brief.xsl", "mods.xsl"),
}
_SCHEMA_IDS = {
    "marcxml": "info:srw/schema/1/marcxml-v1.1",
    "mods": "info:srw/schema/1/mods-v3.7",
}


@dataclass(frozen=True)
class Zebra:
    """A running zebrasrv. ``target()`` gives the "host:port/db" string clients take."""

    host: str
    port: int
    pid: int
    workdir: Path
    log: Path
    databases: tuple[str, ...]
    record_counts: Mapping[str, int]  # database -> number of records indexed
    syntaxes: tuple[str, ...]
    users: Mapping[str, str] = field(default_factory=dict)
    marc8: bool = False

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def target(self, db: str | None = None) -> str:
        return f"{self.address}/{db or self.databases[0]}"

    def log_tail(self, lines: int = 20) -> str:
        return log_tail(self.log, lines)


Records = Sequence[Record] | Mapping[str, Sequence[Record]]


@contextlib.contextmanager
def start_zebra(
    workdir: str | os.PathLike[str] | None,
    records: Records,
    *,
    database: str = "books",
    users: Mapping[str, str] | None = None,
    syntaxes: Sequence[str] = FORMATS,
    marc8: bool = False,
    isbn_both_forms: bool = False,
) -> Iterator[Zebra]:
    """Index ``records`` and serve them with zebrasrv on a free 127.0.0.1 port.

    ``records`` is a list of pymarc records for ``database``, or a mapping of database name to
    records for an instance with several databases. Records are written as UTF-8 ISO 2709
    (leader/09 'a'). ``users`` = {"name": "password"} requires login: an anonymous or wrong Init
    is refused. ``syntaxes`` is a subset of FORMATS, first one the default. ``marc8=True``
    serves USMARC in MARC-8 (leader/09 blank); its records are stored decomposed (NFD) so that
    every accent has a MARC-8 combining mark. ``isbn_both_forms=True`` indexes each ISBN also
    in its other form (ISBN-10 <-> 978 ISBN-13), so either finds the record, as on Copac.
    Raises PeerMissing or PeerError (with the log).
    """
    offered = tuple(syntaxes)
    unknown = [name for name in offered if name not in FORMATS]
    if unknown or not offered:
        raise ValueError(f"syntaxes must be a non-empty subset of {FORMATS}, got {offered}")
    by_database = dict(records) if isinstance(records, Mapping) else {database: records}
    binaries = require("zebraidx", "zebrasrv")
    with workdir_for(workdir, "polycat-zebra-") as wd:
        _write_config(wd, users or {}, isbn_both_forms)
        counts = _index(binaries["zebraidx"], wd, by_database, marc8)
        log = wd / "zebrasrv.log"
        with serve(
            "zebrasrv",
            lambda port: [binaries["zebrasrv"], "-f", _write_yazgfs(wd, port, offered, marc8)],
            cwd=wd,
            log=log,
        ) as (port, proc):
            yield Zebra(
                host=HOST,
                port=port,
                pid=proc.pid,
                workdir=wd,
                log=log,
                databases=tuple(by_database),
                record_counts=counts,
                syntaxes=offered,
                users=dict(users or {}),
                marc8=marc8,
            )


def utf8_iso2709(record: Record) -> bytes:
    """The record as MARC21 UTF-8 bytes with leader/09 'a', leaving ``record`` as it was."""
    was = record.force_utf8
    record.force_utf8 = True
    try:
        data: bytes = record.as_marc()
    finally:
        record.force_utf8 = was
    return data[:9] + b"a" + data[10:]


def _decomposed(record: Record) -> bytes:
    """UTF-8 ISO 2709 with every string decomposed (NFD): MARC-8 has combining marks, not é."""

    def nfd(text: str | None) -> str:
        return unicodedata.normalize("NFD", text or "")

    copy = Record(leader=str(record.leader), force_utf8=True)
    for fld in record.fields:
        if fld.is_control_field():
            copy.fields.append(Field(tag=fld.tag, data=nfd(fld.data)))
        else:
            subfields = [Subfield(sf.code, nfd(sf.value)) for sf in fld.subfields]
            copy.fields.append(Field(tag=fld.tag, indicators=fld.indicators, subfields=subfields))
    return utf8_iso2709(copy)


def _index(
    zebraidx: str, wd: Path, by_database: Mapping[str, Sequence[Record]], marc8: bool
) -> dict[str, int]:
    run_checked([zebraidx, "-c", "zebra.cfg", "init"], cwd=wd, what="zebraidx init")
    counts = {}
    for number, (db, recs) in enumerate(by_database.items()):
        path = wd / f"records-{number}.mrc"
        encode = _decomposed if marc8 else utf8_iso2709
        path.write_bytes(b"".join(encode(record) for record in recs))
        counts[db] = len(recs)
        if recs:
            run_checked(
                [zebraidx, "-c", "zebra.cfg", "-d", db, "update", path.name],
                cwd=wd,
                what=f"zebraidx update of database {db!r}",
            )
    return counts


# Letters that fold to themselves (lower, upper); accented letters map onto these.
_BASE_RANGES = ((0x3B1, 0x3CA), (0x430, 0x460))  # Greek, Cyrillic lowercase
_FOLDED_RANGES = ((0xC0, 0x250), (0x370, 0x500), (0x1E00, 0x1F00))  # letters with marks
_SPACE = "{\\001-\\040}!\"#$%&'\\()*+,-./:;<=>?@\\[\\\\]^_`\\{|}~«»“”„‘’‚–—¿¡·"


def charmap() -> str:
    """Zebra's word map (polycat.chr): case-folded Latin, Greek and Cyrillic, accents dropped
    from precomposed and decomposed (NFD) letters alike, so "muller" finds "Müller".

    A charmap rather than ICU because Zebra allows relations (year ranges without a structure
    attribute, as Copac and OCLC take them) only on charmap indexes. Characters it does not
    list (CJK, kana) stay in words as they are.
    """
    lower, upper = list("0123456789abcdefghijklmnopqrstuvwxyz"), list("0123456789")
    upper += [c.upper() for c in lower[10:]]
    for letter in "ßæøþðłđœŋ":  # Latin letters without a decomposition
        lower.append(letter)
        upper.append(letter.upper() if len(letter.upper()) == 1 else letter)
    for start, end in _BASE_RANGES:
        for letter in map(chr, range(start, end)):
            if not unicodedata.decomposition(letter) and letter != "ς":
                lower.append(letter)
                upper.append(letter.upper())
    bases = set(lower)
    maps = ["map ς σ"]
    for start, end in _FOLDED_RANGES:
        for letter in map(chr, range(start, end)):
            decomposed = unicodedata.normalize("NFD", letter)
            if len(decomposed) > 1 and decomposed[0].lower() in bases:
                maps.append(f"map {letter}({decomposed}) {decomposed[0].lower()}")
    lines = ["encoding utf-8", "lowercase " + "".join(lower), "uppercase " + "".join(upper)]
    return "\n".join([*lines, "space " + _SPACE, *maps]) + "\n"


def _write_config(wd: Path, users: Mapping[str, str], isbn_both_forms: bool) -> None:
    for path in CONFIG_DIR.iterdir():
        shutil.copyfile(path, wd / path.name)
    if isbn_both_forms:
        index = wd / "index.xsl"
        switch = 'name="isbn-both-forms" select="false()"'
        index.write_text(index.read_text("utf-8").replace(switch, switch.replace("false", "true")))
    (wd / "polycat.chr").write_text(charmap(), encoding="utf-8")
    (wd / "register").mkdir(exist_ok=True)
    (wd / "dom.xml").write_text(_dom_config(wd), encoding="utf-8")
    lines = [
        f"profilePath: {wd}:/usr/share/idzebra-2.0/tab",
        f"recordType: dom.{wd / 'dom.xml'}",
        "attset: bib1.att",
        "attset: explain.att",
        "index: polycat.idx",
        # Z39.50 query terms arrive as UTF-8 (Zebra assumes ISO-8859-1 otherwise)
        "encoding: UTF-8",
        f"register: {wd / 'register'}:200M",
        f"lockDir: {wd}",
        f"keyTmpDir: {wd}",
        "isam: b",
    ]
    if users:
        (wd / "passwd").write_text(
            "".join(f"{user}:{password}\n" for user, password in users.items()), encoding="utf-8"
        )
        lines.append("passwd: passwd")
        # no "a" for anonymous: an Init without a known user and password is refused
        lines.append("perm.anonymous: r")
        lines.extend(f"perm.{user}: rw" for user in users)
    else:
        lines.append("perm.anonymous: rw")
    (wd / "zebra.cfg").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _dom_config(wd: Path) -> str:
    retrieves = []
    for name, sheets in _PIPELINES.items():
        steps = "".join(f'<xslt stylesheet="{wd / sheet}"/>' for sheet in sheets)
        retrieves.append(f'  <retrieve name="{name}">{steps}</retrieve>')
    return (
        '<dom xmlns="http://indexdata.com/zebra-2.0">\n'
        '  <input syntax="usmarc"><marc inputcharset="utf-8"/></input>\n'
        f'  <extract name="index"><xslt stylesheet="{wd / "index.xsl"}"/></extract>\n'
        + "\n".join(retrieves)
        + "\n</dom>\n"
    )


def _retrievals(wd: Path, offered: Sequence[str], marc8: bool) -> Iterable[str]:
    """yazgfs.xml <retrieval> elements; the first one is served when a client names none."""
    charset = "marc8" if marc8 else "utf-8"
    # leader/09 must tell the truth about the bytes: blank for MARC-8, 'a' for UTF-8
    leader = ' leaderspec="9=32"' if marc8 else ' leaderspec="9=97"'
    to_marc = f'<marc inputformat="xml" outputformat="marc" outputcharset="{charset}"{leader}/>'
    xml_full = "marcxml" if "marcxml" in offered else "mods"
    for fmt in offered:
        if fmt == "usmarc":
            for name, backend in (("F", "marcxml"), ("B", "brief")):
                yield _retrieval("usmarc", name, backend, to_marc)
        elif fmt == "sutrs":
            # text is made by the front end: Zebra would parse a DOM pipeline's text as XML
            to_text = f'<xslt stylesheet="{wd / "sutrs.xsl"}"/>'
            for name, backend in (("F", "marcxml"), ("B", "brief")):
                yield _retrieval("sutrs", name, backend, to_text)
        else:
            if fmt == xml_full:
                brief = "brief" if fmt == "marcxml" else "briefmods"
                yield _retrieval("xml", "F", fmt)
                yield _retrieval("xml", "B", brief)
            yield _retrieval("xml", fmt, fmt, identifier=_SCHEMA_IDS[fmt])


def _retrieval(
    syntax: str, name: str, backend: str, conversion: str = "", *, identifier: str = ""
) -> str:
    ident = f" identifier={quoteattr(identifier)}" if identifier else ""
    return (
        f'<retrieval syntax="{syntax}" name="{name}"{ident}>'
        f'<backend syntax="xml" name="{backend}">{conversion}</backend></retrieval>'
    )


def _write_yazgfs(wd: Path, port: int, offered: Sequence[str], marc8: bool) -> str:
    retrievals = "\n      ".join(_retrievals(wd, offered, marc8))
    text = f"""<yazgfs>
  <listen id="public">tcp:{HOST}:{port}</listen>
  <server id="zebra" listenref="public">
    <directory>{wd}</directory>
    <config>zebra.cfg</config>
    <retrievalinfo>
      {retrievals}
    </retrievalinfo>
  </server>
</yazgfs>
"""
    path = wd / "yazgfs.xml"
    path.write_text(text, encoding="utf-8")
    return str(path)
