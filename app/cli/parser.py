"""The options of every subcommand, and ``main``: parse, run the one ``cmd_*``, exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from app.cli.batch import cmd_batch
from app.cli.common import UsageError, warn
from app.cli.files import cmd_convert, cmd_show
from app.cli.search import SORTS, cmd_scan, cmd_search
from app.cli.targets import cmd_targets
from app.errors import PolycatError
from app.export import FORMATS
from app.targets import FIELD_LABELS, SEARCH_FIELDS

VERSION = "0.1.0"
FIELD_HELP = {
    "any": "any words", "isbn": "an ISBN (either form is searched; repeat: any of them)",
    "issn": "an ISSN (repeat: any of them)", "year": "a year or a range: 1990, 1990-1999, -1900",
}  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="polycat",
        description="Search many library catalogues at once over Z39.50.",
        epilog="Exit codes: 0 done (a search: at least one target answered), 1 nothing "
        "answered or nothing could be done, 2 a usage error.",
    )
    parser.add_argument("--version", action="version", version=f"polycat {VERSION}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    network = argparse.ArgumentParser(add_help=False)
    network.add_argument("--user", help="user name for targets that need a login")
    network.add_argument(
        "--password-env",
        metavar="VAR",
        help="name of the environment variable holding the password (never on the command line)",
    )
    network.add_argument(
        "--timeout",
        type=_positive_float,
        metavar="SECONDS",
        help="seconds to wait for each answer from a target (default: the profile's)",
    )
    written = argparse.ArgumentParser(add_help=False)
    written.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")

    search = commands.add_parser(
        "search", parents=[network, written], help="search one or more targets at once",
        description="Search targets at once and merge their records. Give the query as PQF, "
        "as CCL, or with search fields (several fields combine with AND).",
    )
    search.add_argument(
        "--target",
        action="append",
        required=True,
        metavar="ID|HOST:PORT/DB",
        help="a catalogue's id (see 'polycat targets list') or an address; repeat for several "
        "(searched at once); DB may be a+b",
    )
    search.add_argument("--pqf", metavar="PQF", help="the query in PQF: '@attr 1=4 water'")
    search.add_argument("--ccl", metavar="CCL", help="the query in CCL: 'ti=water and au=smith'")
    for name in SEARCH_FIELDS:
        search.add_argument(
            f"--{name}", action="append", metavar="TEXT",
            help=f"search by {FIELD_HELP.get(name, FIELD_LABELS[name])}",
        )
    search.add_argument(
        "--syntax",
        metavar="SYNTAX",
        help="record syntax: usmarc, unimarc, xml, sutrs, opac or an OID (default: the profile's)",
    )
    search.add_argument("--elements", metavar="ESN", help="element set name: F, B, ...")
    search.add_argument(
        "--limit",
        type=_count,
        default=10,
        metavar="N",
        help="records to fetch per target (default 10; 0 for hit counts only)",
    )
    search.add_argument("--sort", choices=list(SORTS), help="ask the targets to sort, and "
                        "sort the merged list")
    search.add_argument(
        "--format",
        choices=["text", "json", *FORMATS],
        default="text",
        help="text (default), json, or an export of each merged entry's best record",
    )
    search.set_defaults(run=cmd_search)

    scan = commands.add_parser(
        "scan", parents=[network, written], help="browse a target's index"
    )
    scan.add_argument("--target", required=True, metavar="ID|HOST:PORT/DB",
                      help="an id scans the profile's first database")
    scan.add_argument("--pqf", required=True, metavar="PQF", help="the start term in PQF")
    scan.add_argument("--count", type=_count, default=20, metavar="N")
    scan.add_argument("--format", choices=["text", "json"], default="text")
    scan.set_defaults(run=cmd_scan)

    show = commands.add_parser(
        "show", parents=[written], help="print the records of a MARC, MARCXML or MODS file as JSON"
    )
    show.add_argument("file", metavar="FILE")
    show.set_defaults(run=cmd_show)

    convert = commands.add_parser(
        "convert", help="convert a record file (MARC, MARCXML, MODS, Dublin Core)",
        description="Convert records between formats; OUT's ending names the format "
        "(.ris .bib .json .mrc .xml) unless --to says it; OUT '-' is standard output.",
    )
    convert.add_argument("input", metavar="IN")
    convert.add_argument("out", metavar="OUT")
    convert.add_argument("--to", choices=list(FORMATS), help="the format to write")
    convert.set_defaults(run=cmd_convert)

    targets = commands.add_parser("targets", help="the catalogues Polycat knows")
    actions = targets.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[written], help="list the catalogues")
    listing.add_argument("--all", action="store_true", help="include the style examples")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    one = actions.add_parser("show", parents=[written], help="print one profile as TOML")
    one.add_argument("id", metavar="ID")
    imports = actions.add_parser(
        "import", parents=[written], help="read an ABCD, Koha or pazpar2 target list"
    )
    imports.add_argument("file", metavar="FILE")
    imports.add_argument("--save", action="store_true",
                         help="add them to your catalogues (passwords to the keyring)")
    imports.add_argument("--format", choices=["text", "json"], default="text")
    targets.set_defaults(run=cmd_targets)

    batch = commands.add_parser(
        "batch", parents=[network], help="look a list of ISBNs up in several catalogues",
        description="Look every ISBN of a list (plain lines, RIS or BibTeX) up in every target "
        "and write a holdings matrix. Interrupted? Run the same command again to continue.",
    )
    batch.add_argument("--isbns", required=True, metavar="FILE", help="the list of ISBNs")
    batch.add_argument("--target", action="append", required=True, metavar="ID|HOST:PORT/DB",
                       help="a catalogue's id or an address; repeat for several")
    batch.add_argument("--csv", metavar="OUT.csv", help="write the matrix as CSV")
    batch.add_argument("--json", metavar="OUT.json", help="write the matrix as JSON")
    batch.add_argument("--state", metavar="FILE",
                       help="where finished lookups are kept (default: the list's name + .state)")
    batch.add_argument("--retry-errors", action="store_true",
                       help="search again the lookups that ended in an error last time")
    batch.set_defaults(run=cmd_batch)
    return parser


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # --help, --version, or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except UsageError as problem:
        print(f"polycat {args.command}: {problem}", file=sys.stderr)
        return 2
    except PolycatError as problem:  # said in words; the detail only where it helps
        warn(str(problem))
        return 1
    except KeyboardInterrupt:
        warn("stopped")
        return 130
