"""The fan-out against real zebrasrv instances playing Copac-, GBV- and OCLC-style targets."""

from __future__ import annotations

import asyncio
import dataclasses
import socket

import pytest

from app.net import Association
from app.search.events import (
    Connecting,
    Failure,
    HitsKnown,
    RecordsArrived,
    RunFinished,
    SearchEvent,
    Searching,
    TargetDone,
    TargetFailed,
)
from app.search.merge import Merger
from app.search.query import Clause as FormClause
from app.search.query import Query, SearchForm
from app.search.run import SearchRun
from app.search.sessions import Sessions, open_association
from app.targets import TargetProfile, Timeouts, load_profiles
from tests.corpus import expected_groups, style_sets
from tests.peers import OCLC_LOGIN, Zebra, ZTest

ALL = Query("pqf", '@attr 1=_ALLRECORDS @attr 2=103 ""')


def _style(style: str, peer: Zebra | ZTest, **changes: object) -> TargetProfile:
    shipped = load_profiles(include_examples=True)[f"{style}-style"]
    return dataclasses.replace(shipped, host="127.0.0.1", port=peer.port, **changes)  # type: ignore[arg-type]


def _oclc_password(profile: TargetProfile) -> str | None:
    return OCLC_LOGIN[1] if profile.style == "oclc" else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def _collect(run: SearchRun) -> list[SearchEvent]:
    events = [event async for event in run]
    await run.close()
    return events


@pytest.fixture(scope="module")
def styles(
    copac_style: Zebra, gbv_style: Zebra, oclc_style: Zebra
) -> dict[str, TargetProfile]:
    return {
        "copac": _style("copac", copac_style, max_records=1000),
        # the local peer is the UTF-8 flavour of the style: database "olc", no suffix
        "gbv": _style(
            "gbv", gbv_style, max_records=1000, databases=("olc",), database_suffix="",
            charset="utf-8", query_charset="utf-8", negotiate=True,
        ),
        "oclc": _style("oclc", oclc_style, user=OCLC_LOGIN[0], max_records=1000),
    }


def test_three_styles_merge_to_the_known_answer(styles: dict[str, TargetProfile]) -> None:
    run = SearchRun(ALL, list(styles.values()), passwords=_oclc_password, first=1000)
    events = asyncio.run(_collect(run))

    done = {e.target: e for e in events if isinstance(e, TargetDone)}
    assert set(done) == {p.id for p in styles.values()}, [
        e for e in events if isinstance(e, TargetFailed)
    ]
    sets = style_sets()
    for name, profile in styles.items():
        assert done[profile.id].hits == len(sets[name])
        assert done[profile.id].fetched == len(sets[name])

    # each target told its story in order: connecting, searching, hits, records, done
    for profile in styles.values():
        story = [type(e) for e in events if getattr(e, "target", None) == profile.id]
        assert story[:3] == [Connecting, Searching, HitsKnown]
        assert story[-1] is TargetDone
        assert RecordsArrived in story
    assert isinstance(events[-1], RunFinished)
    assert (events[-1].answered, events[-1].failed) == (3, 0)

    records = [r for e in events if isinstance(e, RecordsArrived) for r in e.records]
    assert [r.error for r in records if r.error] == []
    merger = Merger()
    merger.add_many(records)
    # the ground truth: which (catalogue, 001) belong together; map names to our targets
    by_name = {p.name: name for name, p in styles.items()}
    expected = set(expected_groups(sets))
    got: set[frozenset[tuple[str, str]]] = set()
    for entry in merger.entries:
        # each record names its catalogue and its own control number (001, first)
        got.add(frozenset((by_name[r.target], r.control_numbers[0][1]) for r in entry.records))
    assert sum(len(g) for g in got) == len(records)
    wrong = sorted(got ^ expected, key=sorted)
    assert wrong == [], f"merged otherwise than the ground truth: {wrong[:6]}"


def test_a_dead_target_fails_alone_with_a_reason(styles: dict[str, TargetProfile]) -> None:
    dead = dataclasses.replace(styles["gbv"], id="dead", name="Dead", port=_free_port())
    run = SearchRun(ALL, [styles["copac"], dead], passwords=_oclc_password, first=5)
    events = asyncio.run(_collect(run))
    failed = [e for e in events if isinstance(e, TargetFailed)]
    assert [f.target for f in failed] == ["dead"]
    assert failed[0].failure.kind == "connect"
    assert "refused" in failed[0].failure.message
    done = [e for e in events if isinstance(e, TargetDone)]
    assert [d.target for d in done] == [styles["copac"].id]
    assert done[0].fetched == 5


def test_a_missing_password_is_a_login_failure(styles: dict[str, TargetProfile]) -> None:
    run = SearchRun(ALL, [styles["oclc"]], passwords=lambda p: None, first=5)
    events = asyncio.run(_collect(run))
    failed = [e for e in events if isinstance(e, TargetFailed)]
    assert len(failed) == 1 and failed[0].failure.kind == "login"
    assert "password" in failed[0].failure.message


def test_a_wrong_password_is_refused_in_words(styles: dict[str, TargetProfile]) -> None:
    run = SearchRun(ALL, [styles["oclc"]], passwords=lambda p: "wrong", first=5)
    events = asyncio.run(_collect(run))
    failed = [e.failure for e in events if isinstance(e, TargetFailed)]
    assert len(failed) == 1
    assert failed[0].kind == "login"
    assert failed[0].message.startswith("login refused")


def test_a_slow_target_times_out_without_delaying_the_others(
    ztest: ZTest, styles: dict[str, TargetProfile]
) -> None:
    slow = dataclasses.replace(
        styles["gbv"],
        id="slow",
        name="Slow",
        port=ztest.port,
        databases=("Slow",),
        timeouts=Timeouts(connect=5, init=5, search=0.5, present=5),
    )

    async def go() -> tuple[list[SearchEvent], set[asyncio.Task[object]]]:
        run = SearchRun(ALL, [slow, styles["copac"]], passwords=_oclc_password, first=3)
        events = await _collect(run)
        await asyncio.sleep(0.1)
        left = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
        return events, left  # type: ignore[return-value]

    events, left = asyncio.run(go())
    order = [(type(e).__name__, getattr(e, "target", "")) for e in events]
    failed = [e for e in events if isinstance(e, TargetFailed)]
    assert [f.target for f in failed] == ["slow"]
    assert failed[0].failure == Failure(
        "timeout", failed[0].failure.message, failed[0].failure.detail
    )
    assert "0.5 seconds" in failed[0].failure.message
    # the quick catalogue finished before the slow one gave up
    assert order.index(("TargetDone", styles["copac"].id)) < order.index(("TargetFailed", "slow"))
    assert left == set()


def test_cancel_stops_everything_promptly(
    ztest: ZTest, styles: dict[str, TargetProfile]
) -> None:
    slow = dataclasses.replace(
        styles["gbv"], id="slow", name="Slow", port=ztest.port, databases=("Slow5",)
    )

    async def go() -> tuple[list[SearchEvent], float, set[asyncio.Task[object]]]:
        loop = asyncio.get_running_loop()
        run = SearchRun(ALL, [slow], first=3)
        seen: list[SearchEvent] = []

        async def consume() -> None:
            async for event in run:
                seen.append(event)

        task = asyncio.ensure_future(consume())
        while not any(isinstance(e, Searching) for e in seen):
            await asyncio.sleep(0.01)
        started = loop.time()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await run.close()
        took = loop.time() - started
        await asyncio.sleep(0.05)
        left = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
        return seen, took, left  # type: ignore[return-value]

    seen, took, left = asyncio.run(go())
    assert took < 3.0  # Slow5 sleeps 5 s in the search: we did not wait for it
    assert left == set()
    assert not any(isinstance(e, TargetDone) for e in seen)


def test_associations_are_reused_by_the_next_search(styles: dict[str, TargetProfile]) -> None:
    opened: list[Association] = []

    async def opener(profile: TargetProfile, password: str | None) -> Association:
        assoc = await open_association(profile, password)
        opened.append(assoc)
        return assoc

    async def go() -> tuple[list[SearchEvent], int]:
        sessions = Sessions(opener)
        await _collect(SearchRun(ALL, [styles["gbv"]], sessions=sessions, first=2))
        round_trips = opened[0].round_trips
        form = SearchForm((FormClause("title", "odyssey"),))
        events = await _collect(
            SearchRun(Query.of_form(form), [styles["gbv"]], sessions=sessions, first=2)
        )
        after = opened[0].round_trips - round_trips
        await sessions.close()
        return events, after

    events, round_trips = asyncio.run(go())
    assert len(opened) == 1  # one connect and one Init for both searches
    assert round_trips == 1  # the second search's first page came in its Search response
    hits = next(e.hits for e in events if isinstance(e, HitsKnown))
    fetched = [e.fetched for e in events if isinstance(e, TargetDone)]
    assert hits >= 1 and fetched == [min(hits, 2)]


def test_a_refused_syntax_is_dropped_after_one_answer(styles: dict[str, TargetProfile]) -> None:
    # a profile that asks Copac for MARC first: the search response refuses it (239)
    copac = dataclasses.replace(styles["copac"], syntaxes=("usmarc", "mods"))
    opened: list[Association] = []

    async def opener(profile: TargetProfile, password: str | None) -> Association:
        assoc = await open_association(profile, password)
        opened.append(assoc)
        return assoc

    async def go() -> list[SearchEvent]:
        sessions = Sessions(opener)
        events = await _collect(SearchRun(ALL, [copac], sessions=sessions, first=5))
        await sessions.close()
        return events

    events = asyncio.run(go())
    records = [r for e in events if isinstance(e, RecordsArrived) for r in e.records]
    assert [r.original.syntax for r in records if r.original] == ["mods"] * 5
    assert [r.error for r in records] == [None] * 5
    # Init, Search (MARC refused), one Present in MODS: no Present wasted on MARC
    assert opened[0].round_trips == 3
