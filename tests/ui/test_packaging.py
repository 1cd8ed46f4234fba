"""The desktop entry, AppStream metainfo, icon and PyInstaller spec agree with each other."""

from __future__ import annotations

import configparser
import tomllib
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
APP_ID = "io.github.polycat.Polycat"


def desktop_entry() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(PACKAGING / f"{APP_ID}.desktop", encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_desktop_entry_starts_the_installed_command() -> None:
    entry = desktop_entry()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] in scripts
    assert entry["Icon"] == APP_ID
    assert entry["Categories"].endswith(";")


def test_metainfo_names_the_desktop_entry_and_the_binary() -> None:
    root = ElementTree.parse(PACKAGING / f"{APP_ID}.metainfo.xml").getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("provides/binary") == desktop_entry()["Exec"].split()[0]
    screenshot = root.findtext("screenshots/screenshot/image") or ""
    assert (ROOT / "resources" / "screenshots" / Path(screenshot).name).exists()


def test_icon_renders_and_the_spec_ships_what_exists(qapp: Any) -> None:
    from PySide6.QtGui import QIcon

    icon = QIcon(str(ROOT / "resources" / "polycat.svg"))
    assert not icon.pixmap(64, 64).isNull()
    spec = (PACKAGING / "polycat.spec").read_text(encoding="utf-8")
    for folder in ("resources", "targets"):
        assert f'root / "{folder}"' in spec
        assert (ROOT / folder).is_dir()
    assert (ROOT / "ui" / "main.py").exists() and 'root / "ui" / "main.py"' in spec
