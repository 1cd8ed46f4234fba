"""Logins: passwords from the environment or the keyring, never for ``auth = "none"``."""

from __future__ import annotations

import pytest

from app.targets import (
    LoginNeeded,
    TargetProfile,
    authentication,
    forget_password,
    password_for,
    store_password,
)
from app.z3950.events import IdPass, Open
from tests.targets.conftest import MemoryKeyring

OCLC = TargetProfile(id="oclc", name="OCLC WorldCat", host="zcat.oclc.org", auth="idpass",
                     user="100200300", password_env="POLYCAT_TEST_OCLC_PASSWORD")
BNF = TargetProfile(id="bnf", name="BnF", host="z3950.bnf.fr", auth="open", user="Z3950")
OPEN_LOC = TargetProfile(id="loc", name="Library of Congress", host="lx2.loc.gov")


def test_no_login_is_ever_sent_for_auth_none(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory.set_password("polycat", "loc:", "should never be used")
    assert password_for(OPEN_LOC) is None
    assert authentication(OPEN_LOC) is None
    assert authentication(OPEN_LOC, password="typed") is None


def test_environment_variable_wins_over_the_keyring(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_password(OCLC, "from-keyring")
    assert memory.secrets == {("polycat", "oclc:100200300"): "from-keyring"}
    assert password_for(OCLC) == "from-keyring"
    monkeypatch.setenv("POLYCAT_TEST_OCLC_PASSWORD", "from-env")
    assert password_for(OCLC) == "from-env"
    assert authentication(OCLC) == IdPass(user="100200300", password="from-env")
    assert authentication(OCLC, password="typed") == IdPass(user="100200300", password="typed")


def test_missing_password_or_user_asks_for_a_login(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POLYCAT_TEST_OCLC_PASSWORD", raising=False)
    with pytest.raises(LoginNeeded) as caught:
        authentication(OCLC)
    assert caught.value.profile_id == "oclc"
    assert "POLYCAT_TEST_OCLC_PASSWORD" in str(caught.value)
    nameless = TargetProfile(id="fs", name="FirstSearch", host="fsz3950.oclc.org",
                             auth="idpass")
    with pytest.raises(LoginNeeded, match="FirstSearch needs a login"):
        authentication(nameless, password="x")


def test_open_authentication_is_user_slash_password(memory: MemoryKeyring) -> None:
    assert authentication(BNF) == Open("Z3950")
    store_password(BNF, "pw")
    assert authentication(BNF) == Open("Z3950/pw")
    forget_password(BNF)
    assert password_for(BNF) is None
    forget_password(BNF)  # forgetting twice is fine
