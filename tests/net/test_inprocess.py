"""The association against the in-process target: every service, and what real peers can't do.

Real peers (yaz-ztest, zebrasrv) are in test_ztest.py and test_zebra.py; here the target is
``app.net.target`` serving ``tests.net.samples`` so that OCLC user information, refused logins
with failReason, hostile bytes, a Close during a Present and slow answers can be produced.
"""

from __future__ import annotations

import asyncio
import socket

import pytest

from app.net.association import Association, connect
from app.net.catalogue import Catalogue
from app.net.errors import (
    AssociationCancelled,
    ConnectFailed,
    InitRefused,
    OperationTimeout,
    TargetClosed,
)
from app.net.target import Behaviour, Server, serve
from app.z3950.errors import DiagnosticError, RemoteProtocolError
from app.z3950.events import (
    Anonymous,
    CloseReason,
    Diagnostic,
    IdPass,
    OclcUserInformation,
    Open,
    SortKey,
)
from app.z3950.oids import SUTRS, USMARC, XML
from tests.net.helpers import open_sockets, other_tasks, run, settle
from tests.net.samples import BOOKS, catalogue, sutrs

CATALOGUE: Catalogue = catalogue()


async def served(behaviour: Behaviour | None = None) -> Server:
    return await serve(CATALOGUE, behaviour=behaviour).start()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# --- Init -----------------------------------------------------------------------------------


def test_init_negotiates_version_charset_and_options() -> None:
    async def go() -> Association:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            assert assoc.round_trips == 1
            return assoc

    assoc = run(go())
    assert assoc.init.accepted
    assert assoc.version == 3
    assert assoc.charset == "UTF-8"
    assert assoc.init.implementation_name == "Polycat in-process target"
    assert {"search", "present", "scan", "sort", "namedResultSets"} <= assoc.options
    assert assoc.closed


def test_await_connect_works_like_async_with() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server:
            assoc = await connect("127.0.0.1", server.port, charset=None)
            assert assoc.charset is None  # nothing proposed, nothing agreed
            await assoc.close()
            assert assoc.closed

    run(go())


def test_version_2_target() -> None:
    async def go() -> Association:
        async with (
            serve(CATALOGUE, behaviour=Behaviour(version=2)) as server,
            connect("127.0.0.1", server.port) as assoc,
        ):
            result = await assoc.search("@attr 1=1003 darwin", "books")
            assert result.hits == 3
            return assoc

    assoc = run(go())
    assert assoc.version == 2
    assert assoc.charset is None  # character-set negotiation is version 3 only


def test_latin1_agreement_changes_the_encoding_of_terms() -> None:
    async def go() -> int:
        behaviour = Behaviour(charset="ISO-8859-1")
        async with (
            serve(CATALOGUE, behaviour=behaviour) as server,
            connect("127.0.0.1", server.port) as assoc,
        ):
            assert assoc.charset == "ISO-8859-1"
            return (await assoc.search("@attr 1=1003 Müller", "books")).hits

    assert run(go()) == 1


def test_oclc_user_information_on_init() -> None:
    oclc = OclcUserInformation(
        motd="FirstSearch will be down Sunday 02:00-04:00 EST",
        dblist=("WorldCat", "ERIC", "MEDLINE"),
    )

    async def go() -> Association:
        async with (
            serve(CATALOGUE, behaviour=Behaviour(oclc=oclc)) as server,
            connect("127.0.0.1", server.port, auth=IdPass("100-200-300", "secret")) as assoc,
        ):
            return assoc

    init = run(go()).init
    assert init.oclc is not None
    assert init.oclc.motd == "FirstSearch will be down Sunday 02:00-04:00 EST"
    assert init.oclc.dblist == ("WorldCat", "ERIC", "MEDLINE")


def test_refused_init_with_oclc_fail_reason() -> None:
    behaviour = Behaviour(
        refuse_init=True,
        oclc=OclcUserInformation(fail_reason=True, text="Authorization expired on 2026-01-31"),
    )

    async def go() -> None:
        async with serve(CATALOGUE, behaviour=behaviour) as server:
            await connect("127.0.0.1", server.port, auth=IdPass("100-200-300", "old"))

    with pytest.raises(InitRefused) as info:
        run(go())
    assert info.value.fail_reason is True
    assert info.value.text == "Authorization expired on 2026-01-31"
    assert str(info.value) == "login refused: Authorization expired on 2026-01-31"
    assert info.value.kind == "login"


@pytest.mark.parametrize(
    ("auth", "accepted"),
    [
        (None, False),
        (Anonymous(), False),
        (IdPass("alice", "wrong"), False),
        (Open("alice/wrong"), False),
        (IdPass("alice", "wonderland"), True),
        (IdPass("alice", "wonderland", group="ignored"), True),
        (Open("alice/wonderland"), True),
    ],
)
def test_login(auth: IdPass | Open | Anonymous | None, accepted: bool) -> None:
    behaviour = Behaviour(users={"alice": "wonderland"})

    async def go() -> bool:
        async with (
            serve(CATALOGUE, behaviour=behaviour) as server,
            connect("127.0.0.1", server.port, auth=auth) as assoc,
        ):
            return assoc.init.accepted

    if accepted:
        assert run(go())
    else:
        with pytest.raises(InitRefused) as info:
            run(go())
        assert info.value.code == 1011
        assert str(info.value).startswith("login refused: ")
        assert "password" in str(info.value).lower()


def test_nobody_listening() -> None:
    port = free_port()
    with pytest.raises(ConnectFailed) as info:
        run(connect("127.0.0.1", port, timeout=5))
    assert f"127.0.0.1:{port}" in str(info.value)
    assert "refused" in str(info.value)


# --- Search and Present -----------------------------------------------------------------------


def test_first_page_arrives_in_the_search_response() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            result = await assoc.search("@attr 1=4 many", "big", syntax="usmarc", piggyback=10)
            assert assoc.round_trips == 2  # Init + Search
            assert result.hits == 250
            assert [r.position for r in result.records] == list(range(1, 11))
            first = result.records[0]
            assert first.syntax == "usmarc" and first.oid == USMARC
            assert first.database == "big"
            assert first.data[5:10] == b"nam a" or first.data[9:10] == b"a"
            assert b"Record 1 of many" in first.data
            assert int(first.data[:5]) == len(first.data)  # the whole ISO 2709 record

    run(go())


def test_small_set_comes_whole_and_no_piggyback_means_no_records() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            small = await assoc.search("@attr 1=1003 darwin", "books", piggyback=10)
            assert small.hits == 3 and len(small.records) == 3
            none = await assoc.search("@attr 1=1003 darwin", "books", piggyback=0)
            assert none.hits == 3 and none.records == []

    run(go())


def test_fetch_pages_through_the_whole_set_and_stops_at_the_end() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            result = await assoc.search("@attr 1=4 many", "big", piggyback=10)
            pages = [page async for page in assoc.fetch(result, page_size=100)]
            assert [len(p) for p in pages] == [10, 100, 100, 40]
            positions = [r.position for p in pages for r in p]
            assert positions == list(range(1, 251))
            titles = [r.data for p in pages for r in p]
            assert all(
                f"Record {n} of many".encode() in d for n, d in zip(positions, titles, strict=True)
            )
            assert assoc.round_trips == 2 + 3
            # a window in the middle, beyond the piggy-backed records
            window = [r async for p in assoc.fetch(result, 245, 20, page_size=3) for r in p]
            assert [r.position for r in window] == [245, 246, 247, 248, 249, 250]

    run(go())


def test_present_past_the_end_is_diagnostic_13() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            await assoc.search("@attr 1=1003 darwin", "books")
            with pytest.raises(DiagnosticError) as info:
                await assoc.present(4, 1)
            assert info.value.code == 13
            # the association is still usable after a diagnostic
            assert len(await assoc.present(1, 3)) == 3

    run(go())


@pytest.mark.parametrize(
    ("syntax", "oid", "name"),
    [("xml", XML, "xml"), ("sutrs", SUTRS, "sutrs"), ("1.2.840.10003.5.10", USMARC, "usmarc")],
)
def test_syntaxes(syntax: str, oid: str, name: str) -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            result = await assoc.search("@attr 1=4 faust", "books", syntax=syntax)
            (record,) = result.records
            assert (record.oid, record.syntax) == (oid, name)
            if name == "sutrs":
                assert record.data == sutrs(BOOKS[5])
            elif name == "xml":
                assert record.data.lstrip().startswith(b"<") and b"Faust" in record.data
            else:
                assert b"Faust" in record.data

    run(go())


def test_brief_element_set() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            full = await assoc.search("@attr 1=4 faust", "books", syntax="usmarc")
            brief = await assoc.search("@attr 1=4 faust", "books", syntax="usmarc", element_set="B")
            assert b"Goethe" in full.records[0].data
            assert b"Goethe" not in brief.records[0].data
            assert b"Faust" in brief.records[0].data
            # no brief SUTRS in the catalogue: element set B gives the full text, not an error
            text = await assoc.search("@attr 1=4 faust", "books", syntax="sutrs", element_set="B")
            assert text.records[0].ok and b"Goethe" in text.records[0].data

    run(go())


def test_unsupported_syntax_keeps_the_hits_and_present_raises_239() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            result = await assoc.search("@attr 1=1003 darwin", "books", syntax="opac")
            assert result.hits == 3
            assert result.records == []
            assert [d.code for d in result.diagnostics] == [239]
            with pytest.raises(DiagnosticError) as info:
                _ = [p async for p in assoc.fetch(result)]
            assert info.value.code == 239

    run(go())


def test_wrong_database_is_235() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            with pytest.raises(DiagnosticError) as info:
                await assoc.search("@attr 1=4 faust", "nosuchdb")
            assert info.value.code == 235
            assert info.value.addinfo == "nosuchdb"
            assert "nosuchdb" in str(info.value)

    run(go())


def test_several_databases_in_one_search() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            result = await assoc.search("@attr 1=1003 darwin", ["books", "more"])
            assert result.hits == 6
            assert [r.database for r in result.records] == ["books"] * 3 + ["more"] * 3
            same = await assoc.search("@attr 1=1003 darwin", "more+books")
            assert [r.database for r in same.records] == ["more"] * 3 + ["books"] * 3

    run(go())


def test_named_result_sets_and_set_operand() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            darwin = await assoc.search("@attr 1=1003 darwin", "books", result_set="darwin")
            marx = await assoc.search("@attr 1=1003 marx", "books", result_set="marx")
            assert (darwin.hits, marx.hits) == (3, 2)
            # both sets live on: present from the first one after the second search
            (record,) = await assoc.present(3, 1, result_set="darwin")
            assert b"Beagle" in record.data
            both = await assoc.search("@or @set darwin @set marx", "books", result_set="both")
            assert both.hits == 5

    run(go())


def test_scan() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            scan = await assoc.scan("@attr 1=1003 h", "books", count=3)
            assert [(e.term, e.count) for e in scan.entries] == [
                ("Hugo, Victor", 2),
                ("Marx, Karl", 2),
                ("Müller, Jürgen", 1),
            ]
            assert scan.position_of_term == 1

    run(go())


def test_sort_then_present_in_the_new_order() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            await assoc.search("@attr 1=1003 darwin", "books", result_set="d", piggyback=0)
            sorted_ = await assoc.sort("d", "by-year", [SortKey(use=31)])
            assert sorted_.status == 0 and sorted_.result_count == 3
            records = await assoc.present(1, 3, result_set="by-year")
            assert [r.database for r in records] == ["books"] * 3
            assert [b"Beagle" in r.data for r in records] == [True, False, False]
            with pytest.raises(DiagnosticError) as info:
                await assoc.sort("nosuch", "x", [SortKey(use=4)])
            assert info.value.code == 30

    run(go())


def test_delete_result_sets() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            await assoc.search("@attr 1=1003 darwin", "books", result_set="a")
            await assoc.search("@attr 1=1003 marx", "books", result_set="b")
            deleted = await assoc.delete_result_sets(["a", "nosuch"])
            assert dict(deleted.statuses) == {"a": 0, "nosuch": 1}
            with pytest.raises(DiagnosticError) as info:
                await assoc.present(1, 1, result_set="a")
            assert info.value.code == 30
            assert len(await assoc.present(1, 1, result_set="b")) == 1
            assert (await assoc.delete_result_sets()).status == 0  # all of them
            with pytest.raises(DiagnosticError):
                await assoc.present(1, 1, result_set="b")

    run(go())


def test_concurrent_callers_take_turns() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server, connect("127.0.0.1", server.port) as assoc:
            a, b, c = await asyncio.gather(
                assoc.search("@attr 1=1003 darwin", "books", result_set="a"),
                assoc.search("@attr 1=1003 marx", "books", result_set="b"),
                assoc.scan("@attr 1=4 a", "books", count=2),
            )
            assert (a.hits, b.hits, len(c.entries)) == (3, 2, 2)

    run(go())


# --- what only the in-process target can do -------------------------------------------------


@pytest.mark.parametrize("how", ["garbage", "huge", "truncated"])
@pytest.mark.parametrize("when", ["init", "search"])
def test_hostile_bytes_are_a_remote_protocol_error(how: str, when: str) -> None:
    before = open_sockets()
    behaviour = Behaviour(hostile=how, hostile_on=when)  # type: ignore[arg-type]

    async def go() -> None:
        try:
            async with serve(CATALOGUE, behaviour=behaviour) as server:
                assoc = await connect("127.0.0.1", server.port, timeout=10)
                try:
                    await assoc.search("@attr 1=4 faust", "books")
                finally:
                    await assoc.close()
        finally:
            await settle()
            assert other_tasks() == set()

    with pytest.raises(RemoteProtocolError) as info:
        run(go())
    assert str(info.value)  # a message, not an empty error
    assert open_sockets() == before


def test_close_in_the_middle_of_a_present() -> None:
    behaviour = Behaviour(
        close_on="present",
        close_after=1,
        close_reason=CloseReason.SHUTDOWN,
        close_message="nightly restart",
    )

    async def go() -> None:
        async with (
            serve(CATALOGUE, behaviour=behaviour) as server,
            connect("127.0.0.1", server.port) as assoc,
        ):
            result = await assoc.search("@attr 1=4 many", "big", piggyback=0)
            fetched = []
            with pytest.raises(TargetClosed) as info:
                async for page in assoc.fetch(result, page_size=50):
                    fetched.extend(page)
            assert len(fetched) == 50  # the first Present was answered
            assert info.value.reason == CloseReason.SHUTDOWN
            assert info.value.diagnostic_information == "nightly restart"
            assert "shutting down" in str(info.value) and "nightly restart" in str(info.value)
            # every later operation ends the same way, at once
            with pytest.raises(TargetClosed):
                await assoc.present(1, 1)
            assert assoc.closed

    run(go())


def test_slow_search_times_out_and_leaves_nothing_behind() -> None:
    before = open_sockets()

    async def go() -> None:
        async with serve(CATALOGUE, behaviour=Behaviour(delays={"search": 30})) as server:
            assoc = await connect("127.0.0.1", server.port, timeout=5)
            with pytest.raises(OperationTimeout) as info:
                await assoc.search("@attr 1=4 faust", "books", timeout=0.3)
            assert info.value.kind == "timeout"
            assert "search" in str(info.value)
            assert assoc.closed
            await settle()
            assert assoc._stream.lost.done()  # the client socket is gone
            assert other_tasks() <= set(server._tasks)  # only the server's own session
            with pytest.raises(OperationTimeout):  # the association stays over
                await assoc.present(1, 1)
        await settle()
        assert other_tasks() == set()

    run(go())
    assert open_sockets() == before


def test_slow_init_times_out() -> None:
    before = open_sockets()

    async def go() -> None:
        async with serve(CATALOGUE, behaviour=Behaviour(delays={"init": 30})) as server:
            with pytest.raises(OperationTimeout) as info:
                await connect("127.0.0.1", server.port, timeout=0.3)
            assert "connection and login" in str(info.value)
        await settle()
        assert other_tasks() == set()

    run(go())
    assert open_sockets() == before


def test_cancel_stops_a_waiting_search() -> None:
    before = open_sockets()

    async def go() -> None:
        async with serve(CATALOGUE, behaviour=Behaviour(delays={"search": 30})) as server:
            assoc = await connect("127.0.0.1", server.port)
            waiting = asyncio.create_task(assoc.search("@attr 1=4 faust", "books"))
            await asyncio.sleep(0.1)
            await assoc.cancel()
            with pytest.raises(AssociationCancelled):
                await waiting
            assert assoc.closed
            assert assoc._stream.lost.done()
        await settle()
        assert other_tasks() == set()

    run(go())
    assert open_sockets() == before


def test_task_cancellation_closes_the_association() -> None:
    before = open_sockets()

    async def go() -> None:
        async with serve(CATALOGUE, behaviour=Behaviour(delays={"present": 30})) as server:
            assoc = await connect("127.0.0.1", server.port)
            await assoc.search("@attr 1=4 many", "big", piggyback=0)
            waiting = asyncio.create_task(assoc.present(1, 10))
            await asyncio.sleep(0.1)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            assert assoc.closed
            with pytest.raises(AssociationCancelled):
                await assoc.present(1, 1)
            await settle()
            assert assoc._stream.lost.done()
        await settle()
        assert other_tasks() == set()

    run(go())
    assert open_sockets() == before


def test_polite_close_ends_the_session_on_both_sides() -> None:
    async def go() -> None:
        async with serve(CATALOGUE) as server:
            assoc = await connect("127.0.0.1", server.port)
            await assoc.close(CloseReason.FINISHED)
            await settle()
            assert assoc.closed and assoc._stream.lost.done()
            for _ in range(50):  # the server's session ends when it reads our Close
                if not server._tasks:
                    break
                await asyncio.sleep(0.01)
            assert not server._tasks
            assert server.sessions == 1

    run(go())


def test_refused_init_diagnostic_from_behaviour() -> None:
    behaviour = Behaviour(refuse_init=True, refusal=Diagnostic(1014, "too many sessions"))

    async def go() -> None:
        async with serve(CATALOGUE, behaviour=behaviour) as server:
            await connect("127.0.0.1", server.port)

    with pytest.raises(InitRefused) as info:
        run(go())
    assert info.value.code == 1014
    assert "too many sessions" in str(info.value)


def test_target_closes_an_idle_association_and_the_next_call_says_why() -> None:
    async def go() -> None:
        async with serve(CATALOGUE, behaviour=Behaviour(idle_timeout=0.2)) as server:
            assoc = await connect("127.0.0.1", server.port)
            await asyncio.sleep(0.8)  # the target's Close arrives while nobody is asking
            with pytest.raises(TargetClosed) as info:
                await assoc.search("@attr 1=1003 darwin", "books")
            assert info.value.reason == CloseReason.LACK_OF_ACTIVITY
            assert "idle" in str(info.value)
            assert assoc.closed
            await assoc.close()

    run(go())


def test_small_messages_make_the_target_send_short_pages() -> None:
    async def go() -> None:
        async with (
            serve(CATALOGUE) as server,
            connect("127.0.0.1", server.port, message_size=4096) as assoc,
        ):
            result = await assoc.search("@attr 1=4 many", "big", piggyback=0)
            pages = [p async for p in assoc.fetch(result, page_size=100)]
            assert max(len(p) for p in pages) < 100  # each Present answered in part
            assert [r.position for p in pages for r in p] == list(range(1, 251))

    run(go())
