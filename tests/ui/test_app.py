"""``polycat --demo`` as a user starts it: the entry point, the window, the demo, a clean exit."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]

# closes the window 4 s after it opened, printing what it showed; everything else is real
DRIVER = textwrap.dedent(
    """
    from PySide6.QtCore import QTimer
    import ui.app

    build = ui.app.build_window

    def watched(*args, **kwargs):
        window = build(*args, **kwargs)

        def done():
            print("STATUS", window.status_label.text())
            print("SUMMARY", window.summary.text())
            window.close()

        QTimer.singleShot(4000, done)
        return window

    ui.app.build_window = watched
    from ui.main import main
    raise SystemExit(main(["--demo"]))
    """
)


def test_polycat_demo_opens_searches_and_closes(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", POLYCAT_CONFIG_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", DRIVER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert lines["STATUS"].startswith("3 catalogues answered · ")
    assert lines["SUMMARY"] == "5 results from 3 of 3 catalogues · 5 merged"
    assert (tmp_path / "window.ini").exists()  # window state and last query were saved
    assert "darwin" in (tmp_path / "window.ini").read_text(encoding="utf-8")
