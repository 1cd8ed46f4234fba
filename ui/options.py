"""Every setting the window keeps, declared once with its default (as Picard does).

The store is a QSettings INI file in the platformdirs config folder (``POLYCAT_CONFIG_DIR``
overrides it, for tests and portable installs). Widgets never call QSettings directly: they
read and write through ``Settings`` so a setting cannot exist without a declared default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

# Bumped when a stored setting changes meaning; ``Settings.migrate`` says what moves.
SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    default: Any
    doc: str


def _options(*items: Option) -> dict[str, Option]:
    return {o.key: o for o in items}


OPTIONS = _options(
    Option("schema", SCHEMA_VERSION, "version of this settings file"),
    Option("window/geometry", QByteArray(), "main window size and place"),
    Option("window/state", QByteArray(), "docks and toolbars"),
    Option("window/splitter", QByteArray(), "catalogues | results split"),
    Option("window/right_splitter", QByteArray(), "results / record split"),
    Option("results/header", QByteArray(), "column widths and sort column"),
    Option("search/last_query", "", "the query in the bar when the window closed"),
    Option("search/history", [], "earlier queries, newest first"),
    Option("search/history_size", 50, "how many earlier queries to keep"),
    Option("search/advanced_open", False, "advanced form folded out"),
    Option("search/checked_targets", [], "ids of the catalogues ticked (empty: the defaults)"),
    Option("search/records_per_target", 20, "records fetched from each catalogue at first"),
    Option("search/sort", "relevance", "relevance | title | author | year | year-desc"),
    Option("export/last_format", "ris", "the export format chosen last"),
    Option("export/last_dir", "", "the folder exported to last"),
    Option("batch/last_dir", "", "the folder a list of ISBNs was opened from last"),
    Option("record/last_tab", 0, "the record pane tab shown last"),
)


def config_dir() -> Path:
    """The user's Polycat config folder (the same one app.targets reads user profiles from)."""
    override = os.environ.get("POLYCAT_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir("polycat"))


class Settings:
    """Typed access to the declared options over one QSettings INI file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "window.ini"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._store = QSettings(str(self.path), QSettings.Format.IniFormat)
        self.migrate()

    def get(self, key: str) -> Any:
        option = OPTIONS[key]
        value = self._store.value(key, option.default)
        return _coerce(value, option.default)

    def set(self, key: str, value: Any) -> None:
        if key not in OPTIONS:
            raise KeyError(f"undeclared setting {key!r}: declare it in ui/options.py")
        self._store.setValue(key, value)

    def sync(self) -> None:
        self._store.sync()

    def migrate(self) -> None:
        """Explicit upgrades of older files; version 1 is the first, so nothing moves yet."""
        stored = _coerce(self._store.value("schema", SCHEMA_VERSION), SCHEMA_VERSION)
        if stored != SCHEMA_VERSION:
            self._store.setValue("schema", SCHEMA_VERSION)

    def remember_query(self, text: str) -> list[str]:
        """Put ``text`` at the top of the history (no duplicates) and return the history."""
        history = [q for q in self.get("search/history") if q != text]
        history.insert(0, text)
        del history[int(self.get("search/history_size")) :]
        self.set("search/history", history)
        return history


def _coerce(value: Any, default: Any) -> Any:
    """QSettings' INI store gives strings back; turn them into the default's type."""
    if isinstance(default, bool):
        if isinstance(value, str):
            return value.lower() in ("true", "1", "yes")
        return bool(value)
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            return default
    if isinstance(default, list):
        if value is None or value == "":
            return []
        return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    if isinstance(default, QByteArray):
        return value if isinstance(value, QByteArray) else QByteArray()
    return value if value is not None else default
