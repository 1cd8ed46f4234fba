"""Every shipped preset in targets/ loads and validates, and says what it knows and from where."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from app.targets import load_profile, load_profiles, shipped_dir

ROOT = Path(__file__).resolve().parents[2]
PRESETS = sorted((ROOT / "targets").glob("*.toml"))


@pytest.fixture(autouse=True)
def real_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("POLYCAT_TARGETS_DIR", raising=False)
    monkeypatch.setenv("POLYCAT_CONFIG_DIR", str(tmp_path / "no-user-profiles"))


def test_the_shipped_folder_is_the_repository_targets_folder() -> None:
    assert shipped_dir() == ROOT / "targets"
    assert len(PRESETS) >= 13


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.name)
def test_preset_loads_validates_and_documents_its_sources(path: Path) -> None:
    profile = load_profile(path)
    assert profile.id == path.stem
    assert profile.source == f"targets/{path.name}"
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert "password" not in data
    assert text.startswith("#"), "a preset starts with where its facts come from"
    if profile.auth == "none":
        assert not profile.user and not profile.password_env
    else:
        assert profile.password_env.startswith("POLYCAT_")
    assert profile.can_search("isbn") and profile.can_search("title")


def test_all_presets_load_together_with_unique_ids() -> None:
    everything = load_profiles(include_examples=True)
    assert sorted(everything) == sorted(p.stem for p in PRESETS)
    listed = load_profiles()
    assert {"copac-style", "gbv-style", "oclc-style"}.isdisjoint(listed)
    assert {"loc", "loc-marc8", "k10plus", "gbv-olc", "jisc-discover", "oclc-worldcat", "bnf",
            "libris", "bne", "b3kat", "kobv"} <= set(listed)


def test_seed_styles_carry_their_documented_quirks() -> None:
    p = load_profiles(include_examples=True)
    copac = p["copac-style"]
    assert (copac.databases, copac.syntaxes, copac.auth) == (("COPAC",), ("mods", "sutrs"), "none")
    assert copac.style == "copac" and copac.isbn_form == "as-typed"
    assert copac.query_spec("title") == "u=4 s=al,pw t=101"
    assert copac.query_spec("year") == "u=30 r=r"  # relations only on use 30
    gbv = p["gbv-style"]
    assert gbv.database_names == ("olc!levels=0",)
    assert (gbv.charset, gbv.negotiate, gbv.style) == ("utf-8", True, "gbv")
    oclc = p["oclc-style"]
    assert (oclc.auth, oclc.style, oclc.max_sessions) == ("idpass", "oclc", 1)
    assert oclc.capabilities.named_result_sets and oclc.capabilities.sort


def test_real_catalogue_facts() -> None:
    p = load_profiles()
    assert p["loc"].address == "lx2.loc.gov:210/LCDB" and p["loc"].charset == "utf-8"
    assert p["loc-marc8"].address == "lx2.loc.gov:210/LCDB_MARC8"
    assert p["loc-marc8"].charset == "marc-8"
    assert p["jisc-discover"].address == "discover.libraryhub.jisc.ac.uk:210/DISCOVER"
    assert p["oclc-worldcat"].address == "zcat.oclc.org:210/OLUCWorldCat"
    assert p["oclc-worldcat"].negotiate
    assert p["bnf"].address == "z3950.bnf.fr:2211/TOUT-UTF8"
    assert p["bnf"].syntaxes == ("unimarc",) and p["bnf"].auth == "open"
    assert p["b3kat"].address == "bvbr.bib-bvb.de:9991/BVB01MCZ"
    assert p["kobv"].query_spec("publisher") == "u=59 s=al,pw t=r"
    assert p["kobv"].query_spec("author") == "u=1 s=al,pw t=r"
    assert not p["kobv"].can_search("place")
    assert p["k10plus"].host == "z3950.k10plus.de"
