"""The offline demo: three catalogues served on 127.0.0.1 by Polycat's in-process target.

``polycat --demo`` starts them from the records shipped in ``resources/demo/`` (made by
``resources/demo/make_demo.py``) and searches them like any real catalogue:

- *Copac-style demo* — database COPAC, MODS (XML) and SUTRS only, no login;
- *GBV-style demo* — database olc, MARC 21 in UTF-8, scan and sort;
- *OCLC-style demo* — database WorldCat, MARC 21 with 948 holdings, user "demo" with password
  "demo" (set in this process's environment only), an OCLC user-information record on Init.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

from app.net.catalogue import Catalogue, CatalogueRecord
from app.net.target import Behaviour, Server, serve
from app.records import read_record
from app.targets import TargetProfile, profile_from_mapping
from app.z3950.events import OclcUserInformation
from app.z3950.oids import SUTRS, USMARC, XML

DEMO_DIR = Path(__file__).resolve().parent.parent / "resources" / "demo"
# the demo's OCLC-style login; only this process's environment holds the password
DEMO_USER = "demo"
DEMO_PASSWORD_ENV = "POLYCAT_DEMO_PASSWORD"
DEMO_PASSWORD = "demo"

_MODS = re.compile(rb"<mods[\s>].*?</mods>", re.DOTALL)
_MODS_HEADER = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def iso2709_records(data: bytes) -> list[bytes]:
    """Split a file of ISO 2709 records at the record terminator."""
    return [chunk + b"\x1d" for chunk in data.split(b"\x1d") if chunk.strip()]


def copac_records(folder: Path = DEMO_DIR) -> list[CatalogueRecord]:
    """MODS and SUTRS of the same records, in the same order."""
    mods_file = (folder / "copac.mods.xml").read_bytes()
    # each <mods> element of the collection carries its namespace (see make_demo.py)
    mods = [_MODS_HEADER + m.group() for m in _MODS.finditer(mods_file)]
    sutrs = (folder / "copac.sutrs.txt").read_text(encoding="utf-8").split("\f\n")
    if len(mods) != len(sutrs):
        raise ValueError(f"demo data: {len(mods)} MODS records but {len(sutrs)} SUTRS records")
    return [
        CatalogueRecord.from_bib(
            read_record(XML, m, target="Copac-style demo"),
            {XML: m, SUTRS: s.encode("utf-8")},
        )
        for m, s in zip(mods, sutrs, strict=True)
    ]


def marc_records(name: str, target: str, folder: Path = DEMO_DIR) -> list[CatalogueRecord]:
    return [
        CatalogueRecord.from_bib(read_record(USMARC, data, target=target), {USMARC: data})
        for data in iso2709_records((folder / name).read_bytes())
    ]


def demo_profiles(ports: dict[str, int]) -> list[TargetProfile]:
    """Profiles for the three demo catalogues, checked by app.targets like any other."""
    common = {"host": "127.0.0.1", "notes": "Offline demo served by Polycat itself"}
    mappings = [
        {
            **common, "id": "demo-copac", "name": "Copac-style demo", "port": ports["copac"],
            "databases": ["COPAC"], "syntaxes": ["mods", "sutrs"], "style": "copac",
            "capabilities": {"sort": True, "named_result_sets": True},
        },
        {
            **common, "id": "demo-gbv", "name": "GBV-style demo", "port": ports["gbv"],
            "databases": ["olc"], "syntaxes": ["usmarc"], "style": "gbv", "negotiate": True,
            "capabilities": {"scan": True, "sort": True},
        },
        {
            **common, "id": "demo-oclc", "name": "OCLC-style demo", "port": ports["oclc"],
            "databases": ["WorldCat"], "syntaxes": ["usmarc"], "style": "oclc",
            "auth": "idpass", "user": DEMO_USER, "password_env": DEMO_PASSWORD_ENV,
            "capabilities": {"named_result_sets": True},
        },
    ]  # fmt: skip
    return [profile_from_mapping(m, path="the demo") for m in mappings]


@contextlib.asynccontextmanager
async def demo_catalogues(folder: Path = DEMO_DIR) -> AsyncIterator[list[TargetProfile]]:
    """Serve the three demo catalogues for as long as the ``async with`` lasts."""
    os.environ[DEMO_PASSWORD_ENV] = DEMO_PASSWORD
    copac = Catalogue({"COPAC": copac_records(folder)})
    gbv = Catalogue({"olc": marc_records("gbv.mrc", "GBV-style demo", folder)})
    oclc = Catalogue({"WorldCat": marc_records("oclc.mrc", "OCLC-style demo", folder)})
    welcome = OclcUserInformation(
        motd="Welcome to the OCLC-style demo. Databases: WorldCat.",
        dblist=("WorldCat",),
    )
    async with contextlib.AsyncExitStack() as stack:
        servers: dict[str, Server] = {
            "copac": await stack.enter_async_context(
                serve(copac, behaviour=Behaviour(implementation_name="Copac-style demo"))
            ),
            "gbv": await stack.enter_async_context(
                serve(gbv, behaviour=Behaviour(implementation_name="GBV-style demo (GFS/YAZ)"))
            ),
            "oclc": await stack.enter_async_context(
                serve(
                    oclc,
                    behaviour=Behaviour(
                        implementation_name="OCLC-style demo",
                        users={DEMO_USER: DEMO_PASSWORD},
                        oclc=welcome,
                    ),
                )
            ),
        }
        yield demo_profiles({name: server.port for name, server in servers.items()})
