"""Start the window: Qt application, qasync event loop, catalogues (or the offline demo)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from pathlib import Path
from typing import Any

import qasync
from PySide6.QtCore import QCoreApplication, QLocale, QSize, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from app.errors import PolycatError
from ui.engine import Engine
from ui.main_window import MainWindow
from ui.options import Settings

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def _arguments(args: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="polycat",
        description="Search many library catalogues at once over Z39.50. "
        "Without a subcommand this opens the window.",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the window with three offline demo catalogues served on 127.0.0.1",
    )
    parser.add_argument("query", nargs="?", default=None, help="search for this at start")
    return parser.parse_args(args)


def icon(name: str) -> QIcon:
    return QIcon(str(RESOURCES / name))


def tinted_icon(name: str) -> QIcon:
    """A one-colour SVG icon painted in the palette's text colour (readable in dark mode)."""
    source = icon(name)
    colour = QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    tinted = QIcon()
    for size in (16, 24, 32, 48):
        pixmap = source.pixmap(QSize(size, size))
        painter = QPainter(pixmap)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(pixmap.rect(), colour)
        painter.end()
        tinted.addPixmap(pixmap)
    return tinted


def make_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv)
    app.setApplicationName("Polycat")
    app.setOrganizationName("Polycat")
    app.setApplicationDisplayName("Polycat")
    app.setDesktopFileName("io.github.polycat.Polycat")
    app.setWindowIcon(icon("polycat.svg"))
    # translations, when a .qm for the user's language is shipped in resources/i18n
    translator = QTranslator(app)
    if translator.load(QLocale(), "polycat", "_", str(RESOURCES / "i18n")):
        app.installTranslator(translator)
    return app


def build_window(
    settings: Settings,
    engine: Engine,
    profiles: list[Any],
    *,
    checked: set[str] | None = None,
) -> MainWindow:
    window = MainWindow(
        settings,
        engine,
        profiles,
        checked=checked,
        icon=icon("polycat.svg"),
        lock_icon=tinted_icon("icons/lock.svg"),
    )
    window.setObjectName("polycat-main")
    return window


async def open_window(options: argparse.Namespace, engine: Engine, closed: asyncio.Event) -> None:
    """Show the window (with the demo's catalogues when asked) until it is closed."""
    settings = Settings()
    async with contextlib.AsyncExitStack() as stack:
        checked: set[str] | None = None
        if options.demo:
            from ui.demo import demo_catalogues

            profiles = await stack.enter_async_context(demo_catalogues())
            checked = {p.id for p in profiles}
        else:
            profiles = engine.load_profiles()
        window = build_window(settings, engine, profiles, checked=checked)
        window.show()
        first = options.query or ("darwin" if options.demo else "")
        if first:
            # the demo searches at once, so a new user sees catalogues answer and rows merge
            window.search_bar.set_text(first)
            window.search_bar.submit()
        await closed.wait()
        # associations close (Close APDU, socket) before the demo's targets stop
        await window.bridge.aclose()


def run_window(args: list[str]) -> int:
    """The ``polycat`` window; returns the process exit code."""
    # Qt takes its own options first (-style fusion, -platform ...), then ours are read
    app = make_application([sys.argv[0] if sys.argv else "polycat", *args])
    options = _arguments(app.arguments()[1:])
    # the window's close ends the coroutine below, which ends the loop: not Qt's own quit
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)
    from ui.engine import default_engine

    try:
        with loop:
            loop.run_until_complete(open_window(options, default_engine(), closed))
    except PolycatError as problem:
        QMessageBox.critical(
            None,
            QCoreApplication.translate("app", "Polycat cannot start"),
            problem.message + (f"\n\n{problem.detail}" if problem.detail else ""),
        )
        return 1
    return 0
