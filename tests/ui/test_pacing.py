"""The window's search run reads records in small slices and asks for small pages (so twenty
catalogues answering at once cannot freeze it); if app.search.run changes under it, this says
so."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pymarc
import pytest

from app.net import Catalogue, CatalogueRecord, serve
from app.records import read_record
from app.search.events import RecordsArrived, RunFinished, TargetDone
from app.search.query import Query
from app.search.run import SearchRun
from app.targets import TargetProfile
from app.z3950.oids import USMARC
from ui.engine import READ_SLICE, WINDOW_PAGE_SIZE, make_run

pytestmark = pytest.mark.peers  # Polycat's in-process target, on 127.0.0.1


def marc(n: int) -> bytes:
    rec = pymarc.Record(force_utf8=True)
    rec.add_field(
        pymarc.Field("245", pymarc.Indicators("1", "0"), [pymarc.Subfield("a", f"Pacing book {n}")])
    )
    return rec.as_marc()


def test_the_window_reads_records_in_small_slices_from_every_catalogue() -> None:

    asked: dict[str, tuple[int, int]] = {}  # catalogue -> (page size used, requests sent)

    async def scenario() -> list[Any]:
        records = [marc(n) for n in range(30)]
        catalogue = Catalogue(
            {
                "books": [
                    CatalogueRecord.from_bib(read_record(USMARC, r), {USMARC: r}) for r in records
                ]
            }
        )
        async with contextlib.AsyncExitStack() as stack:
            servers = [await stack.enter_async_context(serve(catalogue)) for _ in range(3)]
            profiles = [
                TargetProfile(
                    id=f"t{i}",
                    name=f"T{i}",
                    host="127.0.0.1",
                    port=s.port,
                    databases=("books",),
                    page_size=30,
                )
                for i, s in enumerate(servers)
            ]
            run = make_run(Query("words", "pacing"), profiles, first=30)
            assert isinstance(run, SearchRun)
            events = [e async for e in run]
            for tid, session in run.targets.items():
                assert session.assoc is not None
                asked[tid] = (session.profile.page_size, session.assoc.round_trips)
            await run.close()
            return events

    events = asyncio.run(scenario())
    pages = [e for e in events if isinstance(e, RecordsArrived)]
    assert sum(len(p.records) for p in pages) == 90
    assert max(len(p.records) for p in pages) == READ_SLICE  # the command line reads 25 at once
    assert [e.fetched for e in events if isinstance(e, TargetDone)] == [30, 30, 30]
    assert isinstance(events[-1], RunFinished) and events[-1].answered == 3
    # the profiles say 30 a page; the window asked for pages of 10: Init, a Search (with the
    # first 10) and 2 Presents
    assert WINDOW_PAGE_SIZE == 10 and set(asked.values()) == {(10, 4)}
