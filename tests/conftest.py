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

from tests.peers import PeerError, PeerMissing, ZTest, start_ztest

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
