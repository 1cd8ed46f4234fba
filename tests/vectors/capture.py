"""Re-capture the golden byte vectors: yaz-client talking to yaz-ztest (and one zebrasrv
that refuses a login), through a relay that records every byte each way.

    .venv/bin/python -m tests.vectors.capture            # rewrites tests/vectors/*.hex
    .venv/bin/python -m tests.vectors.capture --out DIR  # somewhere else

Each scenario is a yaz-client command script; its conversation becomes ``NAME.hex``: one
APDU a line, ``>`` origin to target, ``<`` target to origin, ``#`` comments. The relay's
streams are cut into APDUs with Polycat's own framer (yaz-client is the judge that the bytes
were complete: it would not go on otherwise).
"""

from __future__ import annotations

import argparse
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.peers import start_zebra, start_ztest
from tests.vectors.relay import relay

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Scenario:
    """What a vector shows, the yaz-client commands after ``open`` (``close`` ends every
    session), commands that must come before ``open``, and the database opened."""

    title: str
    commands: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    database: str = "Default"


ZTEST_SCENARIOS: dict[str, Scenario] = {
    "init_plain": Scenario("Init without login, then Close"),
    "init_auth": Scenario("Init with an open login alice/secret", before=("auth alice/secret",)),
    "init_charset": Scenario("Init proposing UTF-8 (negotiation-3)", before=("charset UTF-8",)),
    "find": Scenario("Search Default for 'water' (hit count from a hash)", ("find water",)),
    "find_attr": Scenario(
        "Search with use and relation attributes", ("find @attr 1=4 @attr 2=3 computer",)
    ),
    "show_usmarc": Scenario(
        "Search '42' (42 hits), Present 1-3 as USMARC", ("find 42", "format usmarc", "show 1+3")
    ),
    "show_xml": Scenario("Present record 1 as XML (MARCXML)", ("find 42", "format xml", "show 1")),
    "show_sutrs": Scenario("Present record 1 as SUTRS", ("find 42", "format sutrs", "show 1")),
    "show_opac": Scenario("Present record 1 as OPAC", ("find 42", "format opac", "show 1")),
    "show_grs1": Scenario(
        "Present record 1 as GRS-1 (ztest answers a surrogate diagnostic)",
        ("find 42", "format grs-1", "show 1"),
    ),
    "show_unsupported": Scenario(
        "Present as Summary, a syntax ztest lacks (diagnostic 239)",
        ("find 42", "format summary", "show 1"),
    ),
    "show_past_end": Scenario("Present record 50 of 42 (diagnostic 13)", ("find 42", "show 50")),
    "find_bad_db": Scenario(
        "Search a database ztest does not have (diagnostic 109)",
        ("find water",),
        database="Nowhere",
    ),
    "scan": Scenario("Scan from 'water'", ("scan water",)),
    "sort": Scenario("Sort result set 1 by title, ascending", ("find 42", "sort 1=4 <")),
    "delete": Scenario("Delete result set 1", ("find 42", "delete 1")),
}
ZEBRA_REFUSED = Scenario(
    "zebrasrv refusing the login alice/wrong (diagnostic 1011)",
    before=("auth alice/wrong",),
    database="books",
)


def converse(target_port: int, scenario: Scenario) -> list[tuple[str, bytes]]:
    """Run yaz-client through a relay to ``target_port``; the APDUs each way, in order."""
    with relay(HOST, target_port) as tap:
        script = [
            *scenario.before,
            f"open tcp:{HOST}:{tap.port}/{scenario.database}",
            *scenario.commands,
            "close",
            "quit",
        ]
        subprocess.run(
            ["yaz-client"],
            input="\n".join(script) + "\n",
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    return tap.apdus()


def write(out: Path, name: str, scenario: Scenario, log: list[tuple[str, bytes]]) -> None:
    lines = [
        f"# {scenario.title}",
        f"# yaz-client: {' | '.join([*scenario.before, 'open', *scenario.commands, 'close'])}",
        "# > origin (yaz-client) to target, < target to origin",
    ]
    lines += [f"{direction} {apdu.hex()}" for direction, apdu in log]
    (out / f"{name}.hex").write_text("\n".join(lines) + "\n", encoding="ascii")


def capture(out: Path) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with start_ztest() as ztest:
        for name, scenario in ZTEST_SCENARIOS.items():
            write(out, name, scenario, converse(ztest.port, scenario))
            written.append(name)
    # zebrasrv with a password file refuses a wrong login: how YAZ's front end says why
    with start_zebra(None, [], database="books", users={"alice": "secret"}) as zebra:
        write(out, "zebra_init_refused", ZEBRA_REFUSED, converse(zebra.port, ZEBRA_REFUSED))
        written.append("zebra_init_refused")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    for name in capture(args.out):
        print(f"wrote {args.out / name}.hex")


if __name__ == "__main__":
    main()
