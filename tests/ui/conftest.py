"""Window tests run offscreen on qasync's event loop, with settings in a temporary folder."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path

# before Qt is imported: no display is needed, and none is touched
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import qasync
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.gui


@pytest.fixture(scope="session")
def _qasync(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=True)
    yield loop
    asyncio.events._set_running_loop(loop)
    for task in asyncio.all_tasks(loop):
        task.cancel()
    qapp.processEvents()
    loop.stop()
    loop.close()  # its name-lookup threads must end before Qt does
    asyncio.events._set_running_loop(None)


@pytest.fixture
def qloop(_qasync: qasync.QEventLoop, qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """qasync's loop on the test QApplication, marked running, so coroutines advance whenever
    pytest-qt spins Qt's event loop (qtbot.waitUntil, waitSignal). After each test no task
    may be left running (a leftover is the window's bug), and the loop is unset again, so
    tests elsewhere in the same session can use asyncio.run."""
    asyncio.events._set_running_loop(_qasync)
    asyncio.set_event_loop(_qasync)
    try:
        yield _qasync
        pending: list[asyncio.Task[object]] = []
        for _ in range(100):  # closing windows close their associations: give them a moment
            pending = [t for t in asyncio.all_tasks(_qasync) if not t.done()]
            if not pending:
                break
            qapp.processEvents()
            time.sleep(0.01)
        names = ", ".join(repr(t.get_coro()) for t in pending)
        assert not pending, f"tasks left running after the test: {names}"
    finally:
        for task in asyncio.all_tasks(_qasync):
            task.cancel()
        qapp.processEvents()
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings and user catalogues go to a fresh folder, never the user's own."""
    from ui.credentials import forget_session_passwords

    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("POLYCAT_CONFIG_DIR", str(folder))
    forget_session_passwords()  # passwords typed in an earlier test are not this one's
    return folder
