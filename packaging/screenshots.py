"""Take the README's screenshots from the program itself, with the offline demo catalogues.

    .venv/bin/python packaging/screenshots.py        # writes resources/screenshots/*.png

Runs offscreen (no display needed): the real window searches the three demo catalogues served
on 127.0.0.1 and ``QWidget.grab()`` saves what it shows. Settings go to a temporary folder.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

OUT = ROOT / "resources" / "screenshots"


async def until(test: Callable[[], bool], seconds: float = 20.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if test():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the window did not get there in time")


def save(widget: QWidget, name: str) -> None:
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(ROOT)}")


async def shoot() -> None:
    from ui.app import build_window, make_application
    from ui.demo import demo_catalogues
    from ui.engine import default_engine
    from ui.options import Settings

    make_application(["polycat"])
    OUT.mkdir(parents=True, exist_ok=True)
    async with demo_catalogues() as profiles:
        window = build_window(Settings(), default_engine(), profiles,
                              checked={p.id for p in profiles})
        window.resize(1360, 860)
        window.show()
        # 1. a search: three catalogues, merged rows, a record held by all three
        window.search_bar.set_text("darwin")
        window.search_bar.submit()
        await until(lambda: window.bridge.last_finished is not None)
        await asyncio.sleep(0.5)
        row = next(r for r in range(window.proxy.rowCount())
                   if window.proxy.index(r, 0).data() == "On the origin of species")
        window.table.selectRow(row)
        window.record.tabs.setCurrentIndex(0)
        await asyncio.sleep(0.2)
        save(window, "main-window")
        # 2. every catalogue's version side by side, differences marked
        window.search_bar.set_text("ti=größe")
        window.search_bar.submit()
        await until(lambda: window.bridge.last_finished is not None)
        await asyncio.sleep(0.5)
        window.table.selectRow(0)
        window.record.tabs.setCurrentIndex(4)
        await asyncio.sleep(0.2)
        save(window, "sources-side-by-side")
        # 3. the MARC view, MarcEdit style
        window.record.tabs.setCurrentIndex(2)
        gbv = next(i for i in range(window.record.source_box.count())
                   if window.record.source_box.itemText(i).startswith("GBV"))
        window.record.source_box.setCurrentIndex(gbv)
        await asyncio.sleep(0.2)
        save(window.record, "marc-view")
        # 4. the advanced form writing CCL, and browsing an index
        window.search_bar.advanced_button.setChecked(True)
        window.search_bar.form.set_clause(0, "title", "origin of species")
        window.search_bar.form.set_clause(1, "author", "darwin")
        window.scan_dock.show()
        window.scan_dock.target.setCurrentIndex(window.scan_dock.target.findData("demo-gbv"))
        window.scan_dock.term.setText("o")
        window.scan_dock.browse()
        await until(lambda: window.scan_dock.entries.topLevelItemCount() > 0)
        await asyncio.sleep(0.2)
        save(window, "advanced-form-and-index")
        window.close()
        await window.bridge.aclose()


def main() -> int:
    with tempfile.TemporaryDirectory() as config:
        os.environ["POLYCAT_CONFIG_DIR"] = config
        app = QApplication.instance() or QApplication(["polycat"])
        app.setQuitOnLastWindowClosed(False)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            loop.run_until_complete(shoot())
    return 0


if __name__ == "__main__":
    sys.exit(main())
