"""The fixtures really serve what they promise, checked with yaz-client on real output.

Expected hit counts are not typed in: each is computed here from the corpus records by a
small reading of the same MARC fields (the oracle below), independently of Zebra.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import socket
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from lxml import etree
from pymarc import MARCReader, Record
from stdnum import isbn

from tests.conftest import _enter
from tests.corpus import BULK_RARE_HITS, BULK_RARE_WORD, bulk, corpus, style_sets
from tests.peers import (
    LOGIN,
    OCLC_LOGIN,
    PeerError,
    PeerMissing,
    Zebra,
    ZTest,
    _process,
    fetch_raw,
    hit_counts,
    run_yaz_client,
    scan_words,
    search_hits,
    start_zebra,
    start_ztest,
)
from tests.peers._process import serve

pytestmark = pytest.mark.peers

MODS = {"m": "http://www.loc.gov/mods/v3"}
MARCXML = {"x": "http://www.loc.gov/MARC21/slim"}


def _group_members(pgid: int) -> list[str]:
    """Processes still alive in a peer's process group (pgrep prints nothing when none)."""
    done = subprocess.run(["pgrep", "-g", str(pgid)], capture_output=True, text=True, check=False)
    return done.stdout.split()


def _records_shown(output: str) -> list[str]:
    """The records a yaz-client transcript printed, each as the text after "Record type"."""
    parts = re.split(r"^\[[^\]]*\]Record type: \S+\n", output, flags=re.MULTILINE)[1:]
    return [part.split("\nnextResultSetPosition")[0].strip() for part in parts]


def _diagnostics(output: str) -> list[int]:
    return [int(code) for code in re.findall(r"^\s+\[(\d+)\] ", output, flags=re.MULTILINE)]


def _marc(data: bytes) -> list[Record]:
    """ISO 2709 records; leader/09 decides UTF-8 or MARC-8 (pymarc converts MARC-8)."""
    return [r for r in MARCReader(io.BytesIO(data), to_unicode=True) if r]


def _control(record: Record) -> str:
    return str(record["001"].data)


def _by_control(records: Sequence[Record], control: str) -> Record:
    return next(r for r in records if _control(r) == control)


# --- the oracle: which corpus records a word query should find ---------------------------------


def _unmarked(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _fold(text: str) -> str:
    return _unmarked(text).casefold()


TITLE = {"245": "abfgknps", "246": "abnp", "240": "abnp", "130": "abnp", "740": "abnp"}
TITLE_880 = {**TITLE, "880": "a"}  # the corpus' only 880 pairs a 245
AUTHOR = {tag: "abcdq" for tag in ("100", "110", "111", "700", "710", "711")}
SUBJECT = {tag: "abcdtvxyz" for tag in ("600", "610", "611", "630", "650", "651", "655")}
PUBLISHER = {"260": "b", "264": "b"}
PLACE = {"260": "a", "264": "a"}


def _texts(record: Record, fields: dict[str, str]) -> Iterator[str]:
    for fld in record.get_fields(*fields):
        yield " ".join(sf.value for sf in fld.subfields if sf.code in fields[fld.tag])


def _has_word(record: Record, fields: dict[str, str], word: str) -> bool:
    return any(_fold(word) in re.findall(r"\w+", _fold(t)) for t in _texts(record, fields))


def _year(record: Record) -> int | None:
    y008 = str(record["008"].data)[7:11]
    if y008.isdigit():
        return int(y008)
    digits = re.findall(r"\d{4}", " ".join(_texts(record, {"260": "c", "264": "c"})))
    return int(digits[0]) if digits else None


def _isbn_digits(record: Record, code: str = "a") -> set[str]:
    return {v.split()[0].replace("-", "") for v in _texts(record, {"020": code}) if v}


BOOKS = corpus()


def _count(predicate: object) -> int:
    assert callable(predicate)
    return sum(1 for record in BOOKS if predicate(record))


# --- yaz-ztest ---------------------------------------------------------------------------------


def test_ztest_hit_count_follows_the_numeric_term(ztest: ZTest) -> None:
    out = run_yaz_client([f"open tcp:{ztest.target()}", "find 42", "find 7", "find water"])
    assert hit_counts(out) == [42, 7, 19]


def test_ztest_serves_lc_marc_records(ztest: ZTest) -> None:
    out = run_yaz_client([f"open tcp:{ztest.target()}", "find 3", "format usmarc", "show 1"])
    assert "245 10 $a How to program a computer" in out


def test_ztest_scan_walks_the_dummy_words(ztest: ZTest) -> None:
    out = run_yaz_client([f"open tcp:{ztest.target()}", "scan @attr 1=4 abbey"])
    first = [f"{word} ({count})" for word, count in scan_words()[:5]]
    lines = [line.strip(" *") for line in out.splitlines()]
    assert [line for line in lines if line in first] == first
    assert "connection closed" not in out.lower()


def test_ztest_target_and_address_agree(ztest: ZTest) -> None:
    assert ztest.address == f"127.0.0.1:{ztest.port}"
    assert ztest.target() == f"{ztest.address}/Default"
    assert ztest.target("Slow") == f"{ztest.address}/Slow"


def test_ztest_leaves_no_process_behind_even_with_a_session_open() -> None:
    with start_ztest() as zt, socket.create_connection((zt.host, zt.port)) as sock:
        assert hit_counts(run_yaz_client([f"open tcp:{zt.target()}", "find 5"])) == [5]
        assert _group_members(zt.pid)  # the master is alive while the block runs
        sock.sendall(b"\x00")  # a half-open session: a forked child that would linger
    assert _group_members(zt.pid) == []


def test_ztest_body_failure_still_stops_the_peer() -> None:
    pid = 0
    with pytest.raises(RuntimeError, match="boom"), start_ztest() as zt:
        pid = zt.pid
        raise RuntimeError("boom")
    assert pid and _group_members(pid) == []


# --- zebra: searching -------------------------------------------------------------------------


def test_zebra_holds_every_corpus_record(zebra: Zebra) -> None:
    everything = '@attr 1=_ALLRECORDS @attr 2=103 ""'
    assert search_hits(zebra.target(), everything) == len(BOOKS) == zebra.record_counts["books"]
    assert zebra.target() == f"127.0.0.1:{zebra.port}/books" and zebra.databases == ("books",)


WORD_QUERIES = [
    ("@attr 1=4 water", lambda r: _has_word(r, TITLE, "water")),
    ("@attr 1=4 history", lambda r: _has_word(r, TITLE, "history")),
    ("@attr 1=1003 kemp", lambda r: _has_word(r, AUTHOR, "kemp")),
    ("@attr 1=1004 dickinson", lambda r: _has_word(r, {"100": "a", "700": "a"}, "dickinson")),
    ("@attr 1=1 ostrogorsky", lambda r: _has_word(r, {"100": "a", "700": "a"}, "ostrogorsky")),
    ("@attr 1=21 history", lambda r: _has_word(r, SUBJECT, "history")),
    ("@attr 1=21 birds", lambda r: _has_word(r, SUBJECT, "birds")),
    ("@attr 1=1018 routledge", lambda r: _has_word(r, PUBLISHER, "routledge")),
    ("@attr 1=59 cambridge", lambda r: _has_word(r, PLACE, "cambridge")),
    (
        "@attr 1=1016 penguin",
        lambda r: _has_word(r, {**TITLE, **AUTHOR, **SUBJECT, **PUBLISHER}, "penguin"),
    ),
    # case and accents fold both ways; decomposed (NFD) records are found too
    ("@attr 1=1003 müller", lambda r: _has_word(r, AUTHOR, "muller")),
    ("@attr 1=1003 muller", lambda r: _has_word(r, AUTHOR, "müller")),
    ("@attr 1=4 misérables", lambda r: _has_word(r, TITLE, "miserables")),
    ("@attr 1=4 MISERABLES", lambda r: _has_word(r, TITLE, "misérables")),
    ("@attr 1=4 straßen", lambda r: _has_word(r, TITLE, "straßen")),
    ("@attr 1=4 война", lambda r: _has_word(r, TITLE, "Война")),
    ("@attr 1=4 紅樓夢", lambda r: _has_word(r, TITLE, "紅樓夢")),
    ("@attr 1=4 吾輩は猫である", lambda r: _has_word(r, TITLE_880, "吾輩は猫である")),
    ("@attr 1=54 ger", lambda r: str(r["008"].data)[35:38] == "ger"),
    ("@attr 1=31 1997", lambda r: _year(r) == 1997),
    ("@attr 1=31 @attr 2=4 @attr 4=4 2010", lambda r: (_year(r) or 0) >= 2010),
    ("@attr 1=31 @attr 2=4 2010", lambda r: (_year(r) or 0) >= 2010),
    ("@attr 1=30 @attr 2=5 1990", lambda r: (_year(r) or 0) > 1990),
    ("@attr 1=30 @attr 2=2 1890", lambda r: (_year(r) or 9999) <= 1890),
    ("@attr 1=31 @attr 2=1 @attr 4=109 1960", lambda r: (_year(r) or 9999) < 1960),
    ("@attr 1=30 @attr 2=3 @attr 4=4 1977", lambda r: _year(r) == 1977),
    (
        "@attr 1=4 @attr 5=1 bridg",
        lambda r: any(
            w.startswith("bridg") for t in _texts(r, TITLE) for w in re.findall(r"\w+", _fold(t))
        ),
    ),
    (
        '@attr 1=4 @attr 4=1 "history of water"',
        lambda r: any(
            "history of water" in " ".join(re.findall(r"\w+", _fold(t))) for t in _texts(r, TITLE)
        ),
    ),
    ("@attr 1=7 9780140268867", lambda r: "9780140268867" in _isbn_digits(r)),
    ("@attr 1=7 0140268863", lambda r: "0140268863" in _isbn_digits(r)),
    ('@attr 1=7 "0-14-026886-3"', lambda r: "0140268863" in _isbn_digits(r)),
    # a cancelled ISBN (020 $z) is not an ISBN, only a standard identifier
    ("@attr 1=7 9780486254432", lambda r: "9780486254432" in _isbn_digits(r)),
    (
        "@attr 1=1007 9780486254432",
        lambda r: "9780486254432" in _isbn_digits(r) | _isbn_digits(r, "z"),
    ),
    (
        "@attr 1=8 0022-2259",
        lambda r: any("0022-2259" in t for t in _texts(r, {"022": "al", "773": "x", "490": "x"})),
    ),
    ("@attr 1=12 pc00001", lambda r: _control(r) == "pc00001"),
    ("@attr 1=9 55012000", lambda r: any("55012000" in t for t in _texts(r, {"010": "a"}))),
]


@pytest.mark.parametrize(("query", "matches"), WORD_QUERIES, ids=[q for q, _ in WORD_QUERIES])
def test_zebra_search_finds_what_the_records_say(zebra: Zebra, query: str, matches: object) -> None:
    expected = _count(matches)
    assert expected > 0  # every query here has an answer in the corpus
    assert search_hits(zebra.target(), query) == expected


def test_zebra_cancelled_isbn_is_in_one_record_and_valid_in_another() -> None:
    # the trap the merge must not fall into: COUNTERPOINT's $z is HARMONY's ISBN
    z_holders = [r for r in BOOKS if "9780486254432" in _isbn_digits(r, "z")]
    a_holders = [r for r in BOOKS if "9780486254432" in _isbn_digits(r)]
    assert len(z_holders) == len(a_holders) == 1
    assert z_holders[0]["999"]["w"] != a_holders[0]["999"]["w"]


def test_zebra_unknown_use_attribute_and_database_are_diagnosed(zebra: Zebra) -> None:
    out = run_yaz_client([f"open tcp:{zebra.target()}", "find @attr 1=9999 water"])
    assert _diagnostics(out) == [114]
    out = run_yaz_client([f"open tcp:{zebra.target('nowhere')}", "find water"])
    assert _diagnostics(out) == [109]


# --- zebra: records ---------------------------------------------------------------------------

EVERYTHING = '@attr 1=_ALLRECORDS @attr 2=103 ""'
# the Odyssey record that has the ISBN-13 (its twin has the ISBN-10)
ODYSSEY = next(_control(r) for r in BOOKS if "9780140268867" in _isbn_digits(r))


def test_zebra_usmarc_full_is_the_corpus_record(zebra: Zebra) -> None:
    served = _marc(fetch_raw(zebra.target(), f"@attr 1=12 {ODYSSEY}"))
    assert len(served) == 1
    original = _by_control(BOOKS, ODYSSEY)
    assert [str(f) for f in served[0].fields] == [str(f) for f in original.fields]
    assert served[0].leader[9] == "a"
    assert served[0]["245"]["a"] == "The Odyssey /"


def test_zebra_serves_every_record_as_indexed_in_utf8(zebra: Zebra) -> None:
    served = _marc(fetch_raw(zebra.target(), EVERYTHING, count=len(BOOKS)))
    assert sorted(_control(r) for r in served) == sorted(_control(r) for r in BOOKS)
    for record in served:
        assert record.leader[9] == "a"
        original = _by_control(BOOKS, _control(record))
        assert [str(f) for f in record.fields] == [str(f) for f in original.fields]


def test_zebra_usmarc_brief_has_only_the_list_fields(zebra: Zebra) -> None:
    brief = _marc(fetch_raw(zebra.target(), f"@attr 1=12 {ODYSSEY}", elements="B"))[0]
    tags = {f.tag for f in brief.fields}
    assert {"001", "020", "100", "245", "260"} <= tags
    assert not tags & {"300", "650", "999"}


def test_zebra_marcxml_full_and_brief(zebra: Zebra) -> None:
    query = f"@attr 1=12 {ODYSSEY}"
    for elements in ("F", "marcxml"):
        doc = etree.fromstring(fetch_raw(zebra.target(), query, syntax="xml", elements=elements))
        tags = doc.xpath("x:datafield/@tag", namespaces=MARCXML)
        assert tags == [
            f.tag for f in _by_control(BOOKS, ODYSSEY).fields if not f.is_control_field()
        ]
        title = doc.xpath(
            "x:datafield[@tag='245']/x:subfield[@code='a']/text()", namespaces=MARCXML
        )
        assert title == ["The Odyssey /"]
    brief = etree.fromstring(fetch_raw(zebra.target(), query, syntax="xml", elements="B"))
    assert brief.xpath("x:datafield[@tag='650']", namespaces=MARCXML) == []
    assert brief.xpath("x:datafield[@tag='245']", namespaces=MARCXML) != []


def _mods(zebra: Zebra, query: str) -> etree._Element:
    return etree.fromstring(fetch_raw(zebra.target(), query, syntax="xml", elements="mods"))


def _mods_text(doc: etree._Element, path: str) -> list[str]:
    return [str(t) for t in doc.xpath(path + "/text()", namespaces=MODS)]


def test_zebra_mods_of_a_book(zebra: Zebra) -> None:
    doc = _mods(zebra, f"@attr 1=12 {ODYSSEY}")
    assert _mods_text(doc, "m:titleInfo/m:nonSort") == ["The "]
    assert _mods_text(doc, "m:titleInfo/m:title") == ["Odyssey"]
    assert _mods_text(doc, "m:name/m:namePart") == ["Homer"]
    assert _mods_text(doc, "m:name/m:role/m:roleTerm") == ["author"]
    assert _mods_text(doc, "m:originInfo/m:publisher") == ["Penguin Books"]
    assert _mods_text(doc, "m:originInfo/m:place/m:placeTerm[@type='text']") == ["London"]
    assert "1997" in _mods_text(doc, "m:originInfo/m:dateIssued")
    assert _mods_text(doc, "m:identifier[@type='isbn']") == ["9780140268867 (pbk.)"]
    assert _mods_text(doc, "m:subject/m:topic") == ["Odysseus (Greek mythology)", "Poetry"]
    assert _mods_text(doc, "m:physicalDescription/m:extent") == ["541 p. ; 24 cm"]
    assert _mods_text(doc, "m:language/m:languageTerm") == ["eng"]
    assert _mods_text(doc, "m:recordInfo/m:recordIdentifier") == [ODYSSEY]
    assert _mods_text(doc, "m:note") == ["Translation of: Odysseia."]
    assert _mods_text(doc, "m:abstract") == [
        "Odysseus' ten-year journey home from Troy to Ithaca and to Penelope."
    ]


def test_zebra_mods_of_volumes_articles_theses_and_links(zebra: Zebra) -> None:
    volume = _mods(zebra, "@and @attr 1=4 byzantine @attr 1=4 middle")
    assert _mods_text(volume, "m:titleInfo/m:subTitle") == []
    assert _mods_text(volume, "m:titleInfo/m:partNumber") == ["Vol. 2"]
    assert _mods_text(volume, "m:titleInfo/m:partName") == ["The middle centuries"]
    assert [i.endswith(("(v. 2)", "(set)")) for i in _mods_text(volume, "m:identifier")] == [
        True,
        True,
    ]
    article = _mods(zebra, '@attr 1=4 @attr 4=1 "circulating libraries"')
    host = article.xpath("m:relatedItem[@type='host']", namespaces=MODS)[0]
    assert _mods_text(host, "m:titleInfo/m:title") == ["Journal of library history"]
    assert _mods_text(host, "m:identifier[@type='issn']") == ["0022-2259"]
    assert _mods_text(host, "m:part/m:text") == ["Vol. 12, no. 3 (1977), p. 245-261"]
    thesis = _mods(zebra, '@attr 1=4 @attr 4=1 "water rights"')
    assert _mods_text(thesis, "m:genre") == ["thesis"]
    assert _mods_text(thesis, "m:note[@type='thesis']") == [
        "Thesis (Ph.D.)--University of Edinburgh, 2015"
    ]
    assert _mods_text(thesis, "m:location/m:url") == ["https://era.example.ac.uk/handle/1842/12345"]
    serial = _mods(zebra, '@attr 1=4 @attr 4=1 "journal of library history"')
    assert _mods_text(serial, "m:originInfo/m:issuance") == ["serial"]
    assert _mods_text(serial, "m:identifier[@type='issn']") == ["0022-2259"]
    report = _mods(zebra, "@and @attr 1=4 annual @attr 1=31 2020")
    assert report.xpath("m:name/@type", namespaces=MODS) == ["corporate"]


def test_zebra_sutrs_is_labelled_text(zebra: Zebra) -> None:
    full = fetch_raw(zebra.target(), f"@attr 1=12 {ODYSSEY}", syntax="sutrs").decode("utf-8")
    lines = full.splitlines()
    assert lines[0] == "Title: The Odyssey"
    for line in (
        "Statement of responsibility: translated by Robert Fagles",
        "Author: Homer",
        "Published: London : Penguin Books, 1997",
        "Subject: Odysseus (Greek mythology) -- Poetry",
        "ISBN: 9780140268867 (pbk.)",
        f"Record number: {ODYSSEY}",
    ):
        assert line in lines
    brief = fetch_raw(zebra.target(), f"@attr 1=12 {ODYSSEY}", syntax="sutrs", elements="B")
    assert "Subject:" not in brief.decode("utf-8")
    german = fetch_raw(zebra.target(), "@attr 1=1003 groß", syntax="sutrs").decode("utf-8")
    assert "Author: Groß, Anna" in german.splitlines()


def test_zebra_refuses_what_it_does_not_offer(zebra: Zebra) -> None:
    out = run_yaz_client(
        [
            f"open tcp:{zebra.target()}",
            "find water",
            "format opac",
            "show 1",
            "format xml",
            "elements XYZ",
            "show 1",
        ]
    )
    assert _diagnostics(out) == [239, 25]


# --- zebra: scan and sort ---------------------------------------------------------------------


def _scan_entries(output: str) -> list[tuple[str, int]]:
    return [
        (m.group(1), int(m.group(2)))
        for m in re.finditer(r"^[* ] (.+) \((\d+)\)$", output, flags=re.MULTILINE)
    ]


def test_zebra_scan_title_author_subject(zebra: Zebra) -> None:
    out = run_yaz_client(
        [
            f"open tcp:{zebra.target()}",
            "scan @attr 1=4 water",
            "scan @attr 1=1003 homer",
            "scan @attr 1=21 @attr 6=3 birds",
        ]
    )
    entries = _scan_entries(out)
    assert ("water", _count(lambda r: _has_word(r, TITLE, "water"))) in entries
    assert ("Homer", _count(lambda r: _has_word(r, AUTHOR, "homer"))) in entries
    birds = _count(lambda r: any(t == "Birds" for t in _texts(r, SUBJECT)))
    assert ("Birds", birds) in entries
    assert len(entries) >= 3 * 5  # each scan lists its neighbours too


def _title_key(record: Record) -> str:
    field = record["245"]
    nonfiling = str(field.indicator2)
    skip = int(nonfiling) if nonfiling.isdigit() else 0
    text = " ".join(field.get_subfields("a"))[skip:] + " " + " ".join(field.get_subfields("b"))
    return " ".join(re.findall(r"\w+", _unmarked(text).lower()))  # as Zebra's sort register


def _sorted_by(zebra: Zebra, query: str, sort: str) -> list[Record]:
    hits = search_hits(zebra.target(), query)
    dump = fetch_raw(zebra.target(), query, then=[f"sort {sort}"], count=hits)
    records = _marc(dump)
    assert len(records) == hits > 5
    return records


def test_zebra_sort_by_title_ignores_the_leading_article(zebra: Zebra) -> None:
    records = _sorted_by(zebra, "@attr 1=21 history", "1=4 <")
    keys = [_title_key(r) for r in records]
    assert keys == sorted(keys)
    assert keys != [_title_key(r) for r in sorted(records, key=lambda r: r["245"]["a"])]


def test_zebra_sort_by_year_descending_and_author(zebra: Zebra) -> None:
    years = [_year(r) for r in _sorted_by(zebra, "@attr 1=4 history", "1=31 >")]
    assert years == sorted(years, key=lambda y: -(y or 0))
    authors = [r["100"]["a"].lower() for r in _sorted_by(zebra, "@attr 1=1003 kemp", "1=1003 <")]
    assert authors == sorted(authors)


# --- login -------------------------------------------------------------------------------------


def test_zebra_auth_refuses_anonymous_and_wrong_password(zebra_auth: Zebra) -> None:
    anonymous = run_yaz_client([f"open tcp:{zebra_auth.target()}", "find water"])
    assert "Connection rejected" in anonymous
    assert "code=1011" in anonymous
    assert hit_counts(anonymous) == []
    wrong = run_yaz_client([f"open tcp:{zebra_auth.target()}", "find water"], auth=("alice", "x"))
    assert "code=1011" in wrong


def test_zebra_auth_accepts_idpass_and_open_login(zebra_auth: Zebra) -> None:
    expected = _count(lambda r: _has_word(r, TITLE, "water"))
    assert search_hits(zebra_auth.target(), "@attr 1=4 water", auth=LOGIN) == expected
    user, password = LOGIN
    out = run_yaz_client(
        [f"auth {user}/{password}", f"open tcp:{zebra_auth.target()}", "find @attr 1=4 water"]
    )
    assert hit_counts(out) == [expected]


# --- MARC-8 ------------------------------------------------------------------------------------


def test_zebra_marc8_sends_marc8_bytes(zebra_marc8: Zebra) -> None:
    data = fetch_raw(zebra_marc8.target(), "@attr 1=1003 müller")
    assert data[9:10] == b" "  # leader/09 blank: MARC-8
    assert b"M\xe8uller, J\xe8urgen" in data  # ANSEL umlaut 0xE8 before its letter
    assert b"V\xe8olkerpsychologie" in data
    strassen = fetch_raw(zebra_marc8.target(), "@attr 1=4 straßen")
    assert b"Stra\xc7en" in strassen and b"\xe8Uber" in strassen  # eszett 0xC7
    french = fetch_raw(zebra_marc8.target(), "@attr 1=4 miserables", count=2)
    assert french.count(b"mis\xe2erables") == 2  # acute 0xE2, also from the NFC record
    record = _marc(data)[0]  # pymarc decodes MARC-8 back to the same text
    assert unicodedata.normalize("NFC", record["100"]["a"]) == "Müller, Jürgen."


def test_zebra_marc8_keeps_cyrillic_and_cjk_as_escape_sequences(zebra_marc8: Zebra) -> None:
    cjk = fetch_raw(zebra_marc8.target(), "@attr 1=4 紅樓夢")
    assert b"\x1b$1" in cjk  # EACC (CJK) escape
    assert _marc(cjk)[0]["245"]["a"] == "紅樓夢."
    cyrillic = fetch_raw(zebra_marc8.target(), "@attr 1=4 война")
    assert b"\x1b(N" in cyrillic  # basic Cyrillic escape
    assert unicodedata.normalize("NFC", _marc(cyrillic)[0]["245"]["a"]) == "Война и мир."


# --- the three styles --------------------------------------------------------------------------


def test_style_instances_hold_their_catalogues(
    copac_style: Zebra, gbv_style: Zebra, oclc_style: Zebra
) -> None:
    sets = style_sets()
    assert copac_style.target().endswith("/COPAC")
    assert gbv_style.target().endswith("/olc")
    assert oclc_style.target().endswith("/WorldCat")
    assert search_hits(copac_style.target(), EVERYTHING) == len(sets["copac"])
    assert search_hits(gbv_style.target(), EVERYTHING) == len(sets["gbv"])
    assert search_hits(oclc_style.target(), EVERYTHING, auth=OCLC_LOGIN) == len(sets["oclc"])


def test_copac_style_refuses_usmarc_and_defaults_to_mods(copac_style: Zebra) -> None:
    out = run_yaz_client(
        [
            f"open tcp:{copac_style.target()}",
            f"find {EVERYTHING}",
            "format usmarc",
            "show 1",
            "format none",
            "show 1",
        ]
    )
    assert _diagnostics(out) == [239]
    shown = _records_shown(out)
    assert len(shown) == 1 and "<mods" in shown[0]
    sutrs = fetch_raw(copac_style.target(), "@attr 1=4 odyssey", syntax="sutrs").decode()
    assert "Title: The Odyssey" in sutrs.splitlines()
    mods = etree.fromstring(fetch_raw(copac_style.target(), "@attr 1=4 odyssey", syntax="xml"))
    assert _mods_text(mods, "m:location/m:physicalLocation")  # Copac holdings (852)
    assert _mods_text(mods, "m:identifier[@type='isbn']") == ["9780140268867 (pbk.)"]
    assert _mods_text(mods, "m:subject/m:topic")  # the full record has subjects, brief has not
    brief = etree.fromstring(
        fetch_raw(copac_style.target(), "@attr 1=4 odyssey", syntax="xml", elements="B")
    )
    assert _mods_text(brief, "m:subject/m:topic") == []
    assert _mods_text(brief, "m:titleInfo/m:title") == ["Odyssey"]


def test_copac_style_finds_an_isbn_in_either_form(copac_style: Zebra) -> None:
    held = [
        value.split()[0]
        for record in style_sets()["copac"]
        for value in _values_020a(record)
        if value.startswith("978")
    ]
    assert len(held) > 10
    other_forms = [isbn.to_isbn10(value) for value in held]
    out = run_yaz_client(
        [f"open tcp:{copac_style.target()}"]
        + [f"find @attr 1=7 {value}" for value in [*held, *other_forms]]
    )
    assert hit_counts(out) == [1] * (2 * len(held))


def _values_020a(record: Record) -> list[str]:
    return [v for f in record.get_fields("020") for v in f.get_subfields("a")]


def test_gbv_style_serves_marc21_with_scan_and_sort(gbv_style: Zebra) -> None:
    records = _marc(fetch_raw(gbv_style.target(), "@attr 1=4 odyssey"))
    assert records[0]["020"]["a"] == "0-14-026886-3 (pbk.)"
    assert records[0].get_fields("264") and records[0].leader[9] == "a"
    out = run_yaz_client(
        [
            f"open tcp:{gbv_style.target()}",
            "scan @attr 1=4 odyssey",
            "find @attr 1=4 history",
            "sort 1=4 <",
            "format sutrs",
            "show 1",
        ]
    )
    assert ("Odyssey", 1) in _scan_entries(out)
    assert "Sort" in out and "status=success" in out
    assert _diagnostics(out) == [239]  # GBV offers no SUTRS


def test_oclc_style_needs_login_and_sends_holdings(oclc_style: Zebra) -> None:
    refused = run_yaz_client([f"open tcp:{oclc_style.target()}", "find odyssey"])
    assert "code=1011" in refused
    out = run_yaz_client(
        [f"open tcp:{oclc_style.target()}", "find @attr 1=4 odyssey", "format none", "show 1"],
        auth=OCLC_LOGIN,
    )
    assert "Record type: USmarc" in out  # USMARC when the client names no syntax
    total = len(style_sets()["oclc"])
    records = _marc(fetch_raw(oclc_style.target(), EVERYTHING, count=total, auth=OCLC_LOGIN))
    assert len(records) == total
    assert all(r.get_fields("948") for r in records)
    assert all(_control(r).startswith("ocm") and str(r["003"].data) == "OCoLC" for r in records)
    assert sum(1 for r in records if r.get_fields("856")) >= 5


# --- lifecycle and failures ---------------------------------------------------------------------


def test_zebra_leaves_no_process_behind(tmp_path: Path) -> None:
    with start_zebra(tmp_path, BOOKS[:5]) as zb, socket.create_connection((zb.host, zb.port)):
        assert search_hits(zb.target(), EVERYTHING) == 5
        assert _group_members(zb.pid)
    assert _group_members(zb.pid) == []


def test_peers_die_with_a_test_run_killed_outright() -> None:
    code = (
        "import os\n"
        "from tests.corpus import corpus\n"
        "from tests.peers import start_zebra, start_ztest\n"
        "peers = [start_ztest(), start_zebra(None, corpus()[:2])]  # kept: no clean-up by GC\n"
        "zt, zb = [peer.__enter__() for peer in peers]\n"
        "print(zt.pid, zb.pid, flush=True)\n"
        "os._exit(9)  # no clean-up runs\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    pids = [int(pid) for pid in done.stdout.split()]
    assert len(pids) == 2, done.stderr
    deadline = time.monotonic() + 5
    while any(_group_members(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [_group_members(pid) for pid in pids] == [[], []]


def test_zebra_several_databases_in_one_instance(tmp_path: Path) -> None:
    with start_zebra(tmp_path, {"one": BOOKS[:3], "two": BOOKS[2:7]}) as zb:
        assert zb.databases == ("one", "two")
        assert search_hits(zb.target("two"), EVERYTHING) == 5
        out = run_yaz_client([f"open tcp:{zb.target()}", "base one two", f"find {EVERYTHING}"])
        assert hit_counts(out) == [8]


def test_bulk_has_the_documented_rare_word(tmp_path: Path) -> None:
    with start_zebra(tmp_path, bulk(300), database="bulk") as zb:
        assert search_hits(zb.target(), f"@attr 1=4 {BULK_RARE_WORD}") == BULK_RARE_HITS
        assert search_hits(zb.target(), f"@attr 1=1016 {BULK_RARE_WORD}") == BULK_RARE_HITS


def test_unknown_syntax_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="subset of"):
        start_zebra(tmp_path, BOOKS[:1], syntaxes=("opac",)).__enter__()


def test_missing_binary_names_the_apt_get_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(PeerMissing, match=r"apt-get install -y idzebra-2\.0"):
        start_zebra(None, BOOKS[:1]).__enter__()
    with pytest.raises(PeerMissing, match=r"apt-get install -y yaz"):
        start_ztest().__enter__()


def test_fixtures_fail_never_skip_when_a_peer_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with contextlib.ExitStack() as stack, pytest.raises(pytest.fail.Exception, match="apt-get"):
        _enter(stack, start_ztest())


def test_a_peer_that_dies_at_start_reports_its_log(tmp_path: Path) -> None:
    def argv(port: int) -> list[str]:
        return ["sh", "-c", f"echo cannot listen on {port} >&2; exit 3"]

    expected = r"broken on 127\.0\.0\.1:\d+ exited with status 3(.|\n)*cannot listen on"
    with (
        pytest.raises(PeerError, match=expected),
        serve("broken", argv, tmp_path, tmp_path / "log"),
    ):
        pass


def test_a_peer_that_never_listens_is_stopped_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_process, "START_TIMEOUT", 0.3)
    deaf = serve("deaf", lambda port: ["sleep", "30"], tmp_path, tmp_path / "log")
    with pytest.raises(PeerError, match="did not accept connections within"), deaf:
        pass
    children = subprocess.run(
        ["pgrep", "-P", str(os.getpid()), "-x", "sleep"], capture_output=True, check=False
    )
    assert children.stdout == b""
