"""The association against yaz-ztest, Index Data's test target (a real peer, never skipped).

What ztest really answers (checked with yaz-client on this machine): implementation "GFS/YAZ";
a UTF-8 charset proposal is answered with ISO-8859-1; the first numeric term is the hit count
("water" gives 19); a wrong database is 109, several databases 23, an unknown syntax 239,
present past the end 13; Sort reports success and changes nothing; Slow sleeps 3 s per search.
"""

from __future__ import annotations

import asyncio

import pytest

from app.net.association import Association, connect
from app.net.errors import AssociationCancelled, OperationTimeout
from app.z3950.errors import DiagnosticError
from app.z3950.events import Anonymous, CloseReason, IdPass, Open, SortKey
from app.z3950.oids import SUTRS, USMARC, XML
from tests.net.helpers import open_sockets, other_tasks, run, settle
from tests.peers import ZTest, scan_words

pytestmark = pytest.mark.peers


def opened(ztest: ZTest, **kwargs: object) -> connect:
    return connect(ztest.host, ztest.port, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "auth", [None, Anonymous(), IdPass("alice", "pw"), IdPass("alice", "pw", "grp"), Open("a/b")]
)
def test_init(ztest: ZTest, auth: IdPass | Open | Anonymous | None) -> None:
    async def go() -> Association:
        async with opened(ztest, auth=auth) as assoc:
            return assoc

    assoc = run(go())
    assert assoc.init.accepted
    assert assoc.version == 3
    assert assoc.init.implementation_name == "GFS/YAZ"
    assert {"search", "present", "delSet", "scan", "sort", "namedResultSets"} <= assoc.options


def test_charset_negotiation_ztest_answers_latin1(ztest: ZTest) -> None:
    async def go() -> tuple[str | None, str | None, str]:
        async with opened(ztest) as assoc:
            plain = await opened(ztest, charset=None)
            try:
                return assoc.charset, plain.charset, assoc._conn.encoding
            finally:
                await plain.close()

    proposed, not_proposed, encoding = run(go())
    assert proposed == "ISO-8859-1"
    assert encoding.replace("-", "").replace("_", "") == "iso88591"
    assert not_proposed is None


def test_search_with_piggyback(ztest: ZTest) -> None:
    async def go() -> None:
        async with opened(ztest) as assoc:
            result = await assoc.search("water", "Default", syntax="usmarc", piggyback=10)
            assert assoc.round_trips == 2
            assert result.hits == 19
            assert [r.position for r in result.records] == list(range(1, 11))
            for record in result.records:
                assert record.oid == USMARC and record.syntax == "usmarc"
                assert record.database == "Default"
                assert int(record.data[:5]) == len(record.data)
                assert record.data.endswith(b"\x1d")

    run(go())


def test_present_in_pages(ztest: ZTest) -> None:
    async def go() -> None:
        async with opened(ztest) as assoc:
            result = await assoc.search("67", "Default", syntax="usmarc", piggyback=0)
            assert result.hits == 67
            pages = [p async for p in assoc.fetch(result, page_size=20)]
            assert [len(p) for p in pages] == [20, 20, 20, 7]
            assert [r.position for p in pages for r in p] == list(range(1, 68))
            assert assoc.round_trips == 2 + 4
            assert b"How to program a computer" in pages[0][0].data

    run(go())


@pytest.mark.parametrize(("syntax", "oid"), [("usmarc", USMARC), ("xml", XML), ("sutrs", SUTRS)])
def test_syntaxes(ztest: ZTest, syntax: str, oid: str) -> None:
    async def go() -> bytes:
        async with opened(ztest) as assoc:
            result = await assoc.search("3", "Default", syntax=syntax, piggyback=3)
            assert [r.position for r in result.records] == [1, 2, 3]
            record = result.records[0]
            assert record.oid == oid
            return record.data

    data = run(go())
    if syntax == "usmarc":
        assert b"How to program a computer" in data
    elif syntax == "xml":
        assert b"<record" in data and b"How to program a computer" in data
    else:
        assert data.decode().strip() == "This is dummy SUTRS record number 1"


def test_present_past_the_end_is_13(ztest: ZTest) -> None:
    async def go() -> None:
        async with opened(ztest) as assoc:
            result = await assoc.search("water", "Default", piggyback=0)
            with pytest.raises(DiagnosticError) as info:
                await assoc.present(result.hits + 1, 1)
            assert info.value.code == 13
            assert info.value.addinfo == "20"
            # fetch never asks past the end
            got = [r async for p in assoc.fetch(result, 15, 100) for r in p]
            assert [r.position for r in got] == [15, 16, 17, 18, 19]

    run(go())


def test_wrong_database_is_109(ztest: ZTest) -> None:
    async def go() -> None:
        async with opened(ztest) as assoc:
            with pytest.raises(DiagnosticError) as info:
                await assoc.search("water", "nosuch")
            assert (info.value.code, info.value.addinfo) == (109, "nosuch")
            assert (await assoc.search("water", "Default")).hits == 19  # still usable

    run(go())


def test_unsupported_syntax_is_239(ztest: ZTest) -> None:
    async def go() -> None:
        async with opened(ztest) as assoc:
            result = await assoc.search("water", "Default", piggyback=0)
            with pytest.raises(DiagnosticError) as info:
                await assoc.present(1, 1, syntax="mab")
            assert info.value.code == 239
            assert info.value.addinfo == "1.2.840.10003.5.16"
            assert result.hits == 19

    run(go())


def test_several_databases_ztest_refuses_with_23(ztest: ZTest) -> None:
    async def go() -> None:
        async with opened(ztest) as assoc:
            with pytest.raises(DiagnosticError) as info:
                await assoc.search("42", ["Default", "db1"])
            assert info.value.code == 23

    run(go())


def test_named_result_sets(ztest: ZTest) -> None:
    async def go() -> None:
        async with opened(ztest) as assoc:
            a = await assoc.search("5", "Default", result_set="five", piggyback=0)
            b = await assoc.search("42", "Default", result_set="many", piggyback=0)
            assert (a.hits, b.hits) == (5, 42)
            with pytest.raises(DiagnosticError) as info:
                await assoc.present(6, 1, result_set="five")  # "five" still has 5 records
            assert info.value.code == 13
            assert len(await assoc.present(40, 3, result_set="many")) == 3

    run(go())


def test_scan_walks_the_dummy_words(ztest: ZTest) -> None:
    async def go() -> None:
        async with opened(ztest) as assoc:
            scan = await assoc.scan("@attr 1=4 a", "Default", count=10)
            assert scan.status == 0
            expected = [(w.lower(), c) for w, c in scan_words()[:10]]
            assert [(e.term.lower(), e.count) for e in scan.entries] == expected

    run(go())


def test_sort_and_delete(ztest: ZTest) -> None:
    async def go() -> None:
        async with opened(ztest) as assoc:
            await assoc.search("water", "Default", result_set="w", piggyback=0)
            sorted_ = await assoc.sort("w", "w2", [SortKey(use=4)])
            assert sorted_.status == 0
            deleted = await assoc.delete_result_sets(["w"])
            assert deleted.statuses == (("w", 0),)

    run(go())


def test_slow_database_times_out_and_leaves_nothing_behind(ztest: ZTest) -> None:
    before = open_sockets()

    async def go() -> Association:
        assoc = await opened(ztest, timeout=10)
        with pytest.raises(OperationTimeout) as info:
            await assoc.search("water", "Slow", timeout=0.5)
        assert info.value.seconds == 0.5
        await settle()
        assert other_tasks() == set()
        assert assoc.closed
        return assoc

    assoc = run(go())
    assert assoc._stream.lost.done()
    assert open_sockets() == before


def test_cancel_a_slow_search(ztest: ZTest) -> None:
    before = open_sockets()

    async def go() -> None:
        assoc = await opened(ztest)
        waiting = asyncio.create_task(assoc.search("water", "Slow"))
        await asyncio.sleep(0.2)
        await assoc.cancel()
        with pytest.raises(AssociationCancelled):
            await waiting
        await settle()
        assert other_tasks() == set()
        assert assoc._stream.lost.done()

    run(go())
    assert open_sockets() == before


def test_close(ztest: ZTest) -> None:
    before = open_sockets()

    async def go() -> None:
        assoc = await opened(ztest)
        await assoc.search("water", "Default")
        await assoc.close(CloseReason.FINISHED)
        assert assoc.closed
        assert assoc._stream.lost.done()

    run(go())
    assert open_sockets() == before
