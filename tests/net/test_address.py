"""Target addresses as people write them: ``host:port/db``, ``a+b``, IPv6, defaults."""

from __future__ import annotations

import pytest

from app.net.address import AddressError, TargetAddress, parse_address


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("z3950.loc.gov:7090/Voyager", TargetAddress("z3950.loc.gov", 7090, ("Voyager",))),
        ("tcp:127.0.0.1:9999/a+b", TargetAddress("127.0.0.1", 9999, ("a", "b"))),
        ("[::1]:210/COPAC", TargetAddress("::1", 210, ("COPAC",))),
        ("lx2.loc.gov", TargetAddress("lx2.loc.gov", 210, ("Default",))),
        ("host:2100", TargetAddress("host", 2100, ("Default",))),
        ("host:2100/olc!levels=0", TargetAddress("host", 2100, ("olc!levels=0",))),
    ],
)
def test_parse(text: str, expected: TargetAddress) -> None:
    assert parse_address(text) == expected


def test_str_round_trips() -> None:
    for text in ("h:1/a+b", "[::1]:210/COPAC"):
        assert str(parse_address(text)) == text


@pytest.mark.parametrize(
    ("text", "words"),
    [(":210/db", "no host"), ("h:x/db", "not a number"), ("h:70000/db", "out of range")],
)
def test_errors(text: str, words: str) -> None:
    with pytest.raises(AddressError, match=words):
        parse_address(text)
