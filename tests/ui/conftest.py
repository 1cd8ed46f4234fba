"""Window tests run offscreen on qasync's event loop, with settings in a temporary folder."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

# before Qt is imported: no display is needed, and none is touched
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import qasync
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.gui


@pytest.fixture(scope="session")
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """qasync's loop installed on the test QApplication and marked running, so coroutines
    advance whenever pytest-qt spins Qt's event loop (qtbot.waitUntil, waitSignal)."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    for task in asyncio.all_tasks(loop):
        task.cancel()
    qapp.processEvents()
    # the loop's thread pool (name lookups run there) must end before Qt does
    loop.stop()
    loop.close()


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings and user catalogues go to a fresh folder, never the user's own."""
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv("POLYCAT_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def _no_leftover_tasks(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that leaves a running task behind has a bug (or the window does)."""
    yield
    if "qloop" not in request.fixturenames:
        return
    loop = request.getfixturevalue("qloop")
    app = QApplication.instance()
    assert app is not None
    for _ in range(50):
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        if not pending:
            return
        app.processEvents()
        import time

        time.sleep(0.01)
    names = ", ".join(repr(t.get_coro()) for t in pending)
    for task in pending:
        task.cancel()
    pytest.fail(f"tasks left running after the test: {names}")
