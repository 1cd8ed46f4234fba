"""Session-wide real peers, shared by every test that asks for them.

A missing yaz or zebra binary FAILS the test with the apt-get command that installs it: CI runs
with CI=true and a real-peer test that skips is a defect, so there is deliberately no skip here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import TypeVar

import pytest

from tests.corpus import corpus
from tests.peers import (
    LOGIN,
    PeerError,
    PeerMissing,
    Zebra,
    ZTest,
    start_style,
    start_zebra,
    start_ztest,
)

T = TypeVar("T")


def _enter(stack: contextlib.ExitStack, peer: AbstractContextManager[T]) -> T:
    """Start a peer inside ``stack``; a missing binary or a failed start fails the test."""
    try:
        return stack.enter_context(peer)
    except PeerMissing as exc:
        pytest.fail(f"real peer not installed (never skipped): {exc}", pytrace=False)
    except PeerError as exc:
        pytest.fail(f"real peer did not start: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def ztest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ZTest]:
    """yaz-ztest on a free loopback port: databases Default, Slow...; ``find 42`` gives 42."""
    with contextlib.ExitStack() as stack:
        yield _enter(stack, start_ztest(tmp_path_factory.mktemp("ztest")))


@pytest.fixture(scope="session")
def zebra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zebra]:
    """zebrasrv, database "books" = tests.corpus.corpus() in MARC21 UTF-8; every syntax
    (USMARC, MARCXML, MODS, SUTRS; F and B), Scan, Sort; no login."""
    with contextlib.ExitStack() as stack:
        yield _enter(stack, start_zebra(tmp_path_factory.mktemp("zebra"), corpus()))


@pytest.fixture(scope="session")
def zebra_auth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zebra]:
    """Like ``zebra`` but an Init must carry tests.peers.LOGIN ("alice", "wonderland")."""
    with contextlib.ExitStack() as stack:
        workdir = tmp_path_factory.mktemp("zebra_auth")
        yield _enter(stack, start_zebra(workdir, corpus(), users=dict([LOGIN])))


@pytest.fixture(scope="session")
def zebra_marc8(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zebra]:
    """Like ``zebra`` but USMARC comes in MARC-8 (leader/09 blank, accents as combining marks)."""
    with contextlib.ExitStack() as stack:
        workdir = tmp_path_factory.mktemp("zebra_marc8")
        yield _enter(stack, start_zebra(workdir, corpus(), marc8=True))


@pytest.fixture(scope="session")
def copac_style(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zebra]:
    """Copac style: database "COPAC", MODS (XML) and SUTRS only, no login."""
    with contextlib.ExitStack() as stack:
        yield _enter(stack, start_style("copac", tmp_path_factory.mktemp("copac_style")))


@pytest.fixture(scope="session")
def gbv_style(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zebra]:
    """GBV style: database "olc", MARC21 UTF-8 and MARCXML, Scan and Sort."""
    with contextlib.ExitStack() as stack:
        yield _enter(stack, start_style("gbv", tmp_path_factory.mktemp("gbv_style")))


@pytest.fixture(scope="session")
def oclc_style(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zebra]:
    """OCLC style: database "WorldCat", login tests.peers.OCLC_LOGIN, USMARC by default."""
    with contextlib.ExitStack() as stack:
        yield _enter(stack, start_style("oclc", tmp_path_factory.mktemp("oclc_style")))
