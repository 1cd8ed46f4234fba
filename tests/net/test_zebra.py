"""The association against zebrasrv (real peer, never skipped), judged by yaz-client and the corpus.

What zebrasrv really answers (checked with yaz-client on this machine): implementation
"Zebra Information Server/GFS/YAZ"; a UTF-8 charset proposal is accepted as UTF-8; a wrong
database is 109 (not 235); an unknown syntax 239; present past the end 13; a refused Init
carries diagnostic 1011 (addinfo: the user name when one was sent); several databases per
search work and each record names its database.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pymarc
import pytest

from app.net.association import Association, connect
from app.net.errors import InitRefused
from app.net.results import RawRecord
from app.z3950.errors import DiagnosticError
from app.z3950.events import Anonymous, IdPass, Open, SortKey
from app.z3950.oids import SUTRS, USMARC, XML
from tests.corpus import corpus
from tests.net.helpers import open_sockets, run
from tests.peers import LOGIN, OCLC_LOGIN, Zebra, run_yaz_client, search_hits, start_zebra

pytestmark = pytest.mark.peers

QUERY = "@attr 1=4 the"


def opened(zebra: Zebra, **kwargs: object) -> connect:
    return connect(zebra.host, zebra.port, **kwargs)  # type: ignore[arg-type]


def marc(record: RawRecord) -> pymarc.Record:
    (parsed,) = list(pymarc.MARCReader(io.BytesIO(record.data), to_unicode=True))
    assert parsed is not None
    return parsed


def control_number(record: RawRecord) -> str:
    return str(marc(record)["001"].data)


async def fetch_all(assoc: Association, query: str, db: str, **kwargs: object) -> list[RawRecord]:
    result = await assoc.search(query, db, **kwargs)  # type: ignore[arg-type]
    return [r async for page in assoc.fetch(result, page_size=10) for r in page]


@pytest.fixture(scope="module")
def two_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zebra]:
    """zebrasrv with "books" (the corpus) and "extra" (its first 10 records again)."""
    records = corpus()
    with start_zebra(
        tmp_path_factory.mktemp("zebra2"),
        {"books": records, "extra": records[:10]},
        syntaxes=("usmarc",),
    ) as zebra:
        yield zebra


# --- Init -----------------------------------------------------------------------------------


def test_init_and_charset(zebra: Zebra) -> None:
    async def go() -> tuple[Association, Association]:
        async with (
            opened(zebra) as utf8,
            opened(zebra, charset=None, auth=Anonymous()) as plain,
        ):
            return utf8, plain

    utf8, plain = run(go())
    assert utf8.init.implementation_name == "Zebra Information Server/GFS/YAZ"
    assert utf8.version == 3
    assert utf8.charset == "UTF-8"
    assert utf8._conn.encoding == "utf-8"
    assert plain.charset is None
    assert {"search", "present", "delSet", "scan", "sort", "namedResultSets"} <= utf8.options


@pytest.mark.parametrize(
    "auth", [IdPass(*LOGIN), Open("/".join(LOGIN)), IdPass(LOGIN[0], LOGIN[1], "group")]
)
def test_login_accepted(zebra_auth: Zebra, auth: IdPass | Open) -> None:
    async def go() -> int:
        async with opened(zebra_auth, auth=auth) as assoc:
            return (await assoc.search(QUERY, "books")).hits

    assert run(go()) == search_hits(zebra_auth.target(), QUERY, auth=LOGIN)


@pytest.mark.parametrize(
    ("auth", "addinfo"),
    [
        (None, ""),
        (Anonymous(), ""),
        (IdPass(LOGIN[0], "wrong"), LOGIN[0]),
        (Open(f"{LOGIN[0]}/wrong"), LOGIN[0]),
    ],
)
def test_login_refused(
    zebra_auth: Zebra, auth: IdPass | Open | Anonymous | None, addinfo: str
) -> None:
    before = open_sockets()
    with pytest.raises(InitRefused) as info:
        run(opened(zebra_auth, auth=auth))
    refused = info.value
    assert refused.code == 1011
    assert refused.diagnostic is not None and refused.diagnostic.addinfo == addinfo
    assert str(refused).startswith("login refused: ")
    assert "password" in str(refused).lower()
    assert refused.kind == "login"
    assert open_sockets() == before


# --- Search and Present -----------------------------------------------------------------------


def test_search_piggybacks_the_first_ten(zebra: Zebra) -> None:
    expected = search_hits(zebra.target(), QUERY)

    async def go() -> None:
        async with opened(zebra) as assoc:
            result = await assoc.search(QUERY, "books", syntax="usmarc", piggyback=10)
            assert assoc.round_trips == 2
            assert result.hits == expected
            assert [r.position for r in result.records] == list(range(1, 11))
            assert all(r.oid == USMARC and r.database == "books" for r in result.records)
            titles = [marc(r).title or "" for r in result.records]
            assert all(re.search(r"\bthe\b", t, re.IGNORECASE) for t in titles), titles

    run(go())


def test_fetch_in_pages_gives_every_record_once(zebra: Zebra) -> None:
    expected = search_hits(zebra.target(), QUERY)
    in_corpus = {str(r["001"].data) for r in corpus()}

    async def go() -> list[RawRecord]:
        async with opened(zebra) as assoc:
            return await fetch_all(assoc, QUERY, "books", syntax="usmarc", piggyback=0)

    records = run(go())
    assert [r.position for r in records] == list(range(1, expected + 1))
    numbers = [control_number(r) for r in records]
    assert len(set(numbers)) == expected
    assert set(numbers) <= in_corpus


@pytest.mark.parametrize(
    ("syntax", "elements", "oid", "starts"),
    [
        ("xml", None, XML, b"<record"),
        ("xml", "marcxml", XML, b"<record"),
        ("xml", "mods", XML, b"<mods"),
        ("sutrs", None, SUTRS, b"Title: "),
        ("usmarc", "B", USMARC, b""),
    ],
)
def test_syntaxes_and_element_sets(
    zebra: Zebra, syntax: str, elements: str | None, oid: str, starts: bytes
) -> None:
    async def go() -> RawRecord:
        async with opened(zebra) as assoc:
            result = await assoc.search(
                '@attr 1=4 @attr 4=1 "water handbook"', "books", syntax=syntax, element_set=elements
            )
            assert result.hits == 1
            return result.records[0]

    record = run(go())
    assert record.oid == oid
    body = re.sub(rb"^<\?xml[^>]*>\s*", b"", record.data)
    assert body.startswith(starts)
    if syntax == "usmarc":  # brief: the title, not the subject
        assert b"water handbook" in record.data and b"Water supply" not in record.data
    else:
        assert b"water handbook" in record.data.lower()


def test_present_past_the_end_is_13(zebra: Zebra) -> None:
    async def go() -> None:
        async with opened(zebra) as assoc:
            result = await assoc.search(QUERY, "books", piggyback=0)
            with pytest.raises(DiagnosticError) as info:
                await assoc.present(result.hits + 1, 1)
            assert info.value.code == 13

    run(go())


def test_wrong_database_is_109_on_zebra(zebra: Zebra) -> None:
    async def go() -> None:
        async with opened(zebra) as assoc:
            with pytest.raises(DiagnosticError) as info:
                await assoc.search(QUERY, "nosuch")
            assert (info.value.code, info.value.addinfo) == (109, "nosuch")

    run(go())


def test_unsupported_syntax_is_239(zebra: Zebra) -> None:
    async def go() -> None:
        async with opened(zebra) as assoc:
            result = await assoc.search(QUERY, "books", syntax="opac", piggyback=5)
            assert result.hits > 5 and result.records == []
            assert [d.code for d in result.diagnostics] == [239]
            with pytest.raises(DiagnosticError) as info:
                await assoc.present(1, 1, syntax="opac")
            assert (info.value.code, info.value.addinfo) == (239, "1.2.840.10003.5.102")

    run(go())


def test_several_databases_per_search(two_databases: Zebra) -> None:
    books = search_hits(two_databases.target("books"), "@attr 1=1016 a")
    extra = search_hits(two_databases.target("extra"), "@attr 1=1016 a")
    assert books > extra > 0

    async def go() -> list[RawRecord]:
        async with opened(two_databases) as assoc:
            return await fetch_all(assoc, "@attr 1=1016 a", ["books", "extra"], piggyback=0)

    records = run(go())
    assert len(records) == books + extra
    by_db = {
        db: [control_number(r) for r in records if r.database == db] for db in ("books", "extra")
    }
    assert (len(by_db["books"]), len(by_db["extra"])) == (books, extra)
    assert set(by_db["extra"]) <= set(by_db["books"])


def test_named_result_sets(zebra: Zebra) -> None:
    async def go() -> None:
        async with opened(zebra) as assoc:
            the = await assoc.search(QUERY, "books", result_set="the", piggyback=0)
            water = await assoc.search("@attr 1=4 water", "books", result_set="water")
            assert the.hits > water.hits > 0
            # the first set is still there after the second search
            record = (await assoc.present(the.hits, 1, result_set="the"))[0]
            assert record.position == the.hits
            both = await assoc.search("@and @set the @set water", "books", result_set="both")
            assert 0 < both.hits <= water.hits

    run(go())


def test_scan_agrees_with_yaz_client(zebra: Zebra) -> None:
    out = run_yaz_client([f"open tcp:{zebra.target()}", "scan @attr 1=1003 b"])
    expected = re.findall(r"^[ *] (.+) \((\d+)\)$", out, re.MULTILINE)

    async def go() -> list[tuple[str, str]]:
        async with opened(zebra) as assoc:
            scan = await assoc.scan("@attr 1=1003 b", "books", count=20)
            # yaz-client prints the display term when the target sends one, else the term
            return [(e.display or e.term, str(e.count)) for e in scan.entries]

    got = run(go())
    assert len(got) == 20
    assert got == expected


def test_sort_by_year(zebra: Zebra) -> None:
    async def go() -> list[RawRecord]:
        async with opened(zebra) as assoc:
            the = await assoc.search(QUERY, "books", result_set="the", piggyback=0)
            sorted_ = await assoc.sort("the", "by-year", [SortKey(use=31, ascending=False)])
            assert sorted_.status == 0
            return await assoc.present(1, the.hits, result_set="by-year", syntax="usmarc")

    records = run(go())
    years = [str(marc(r)["008"].data)[7:11] for r in records]
    numeric = [int(y) for y in years if y.isdigit()]
    assert len(numeric) > 10
    assert numeric == sorted(numeric, reverse=True)


def test_delete_result_set(zebra: Zebra) -> None:
    async def go() -> None:
        async with opened(zebra) as assoc:
            await assoc.search(QUERY, "books", result_set="gone", piggyback=0)
            await assoc.search(QUERY, "books", result_set="kept", piggyback=0)
            deleted = await assoc.delete_result_sets(["gone"])
            assert deleted.status == 0
            with pytest.raises(DiagnosticError) as info:
                await assoc.present(1, 1, result_set="gone")
            assert info.value.code == 30
            assert len(await assoc.present(1, 1, result_set="kept")) == 1

    run(go())


def test_cancel_and_close(zebra: Zebra) -> None:
    before = open_sockets()

    async def go() -> None:
        first = await opened(zebra)
        await first.search(QUERY, "books")
        await first.cancel()
        assert first.closed and first._stream.lost.done()
        second = await opened(zebra)
        await second.close()
        assert second.closed and second._stream.lost.done()

    run(go())
    assert open_sockets() == before


def test_marc8_records_arrive_untouched(zebra_marc8: Zebra) -> None:
    async def go() -> RawRecord:
        async with opened(zebra_marc8) as assoc:
            result = await assoc.search(
                '@attr 1=4 @attr 4=1 "water handbook"', "books", syntax="usmarc"
            )
            return result.records[0]

    record = run(go())
    assert record.data[9:10] == b" "  # leader/09 blank: MARC-8, bytes as sent


# --- the three target styles ------------------------------------------------------------------


def test_copac_style_gives_mods_and_refuses_usmarc(copac_style: Zebra) -> None:
    async def go() -> None:
        async with opened(copac_style) as assoc:
            result = await assoc.search("@attr 1=1016 a", "COPAC", syntax="xml", piggyback=2)
            assert result.records and b"<mods" in result.records[0].data
            with pytest.raises(DiagnosticError) as info:
                await assoc.present(1, 1, syntax="usmarc")
            assert info.value.code == 239

    run(go())


def test_oclc_style_needs_its_login(oclc_style: Zebra) -> None:
    with pytest.raises(InitRefused):
        run(opened(oclc_style))

    async def go() -> int:
        async with opened(oclc_style, auth=IdPass(*OCLC_LOGIN)) as assoc:
            result = await assoc.search("@attr 1=1016 a", "WorldCat", piggyback=1)
            assert result.records[0].oid == USMARC  # USMARC by default
            return result.hits

    assert run(go()) == search_hits(oclc_style.target(), "@attr 1=1016 a", auth=OCLC_LOGIN)


def test_gbv_style_scan_and_sort(gbv_style: Zebra) -> None:
    async def go() -> None:
        async with opened(gbv_style) as assoc:
            scan = await assoc.scan("@attr 1=4 a", "olc", count=5)
            assert len(scan.entries) == 5
            await assoc.search("@attr 1=1016 a", "olc", piggyback=0, result_set="x")
            assert (await assoc.sort("x", "y", [SortKey(use=4)])).status == 0

    run(go())
