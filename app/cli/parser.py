"""The options of every subcommand, and ``main``: parse, run the one ``cmd_*``, exit code.

Only the subcommand asked for is built, and only its module imported: ``polycat convert``
never loads the network stack, ``polycat --help`` loads nothing but this file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from app.cli.common import UsageError, warn
from app.errors import PolycatError

VERSION = "0.1.0"
FIELD_HELP = {
    "any": "any words", "isbn": "an ISBN (either form is searched; repeat: any of them)",
    "issn": "an ISSN (repeat: any of them)", "year": "a year or a range: 1990, 1990-1999, -1900",
}  # fmt: skip


def _network_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", help="user name for targets that need a login")
    parser.add_argument(
        "--password-env",
        metavar="VAR",
        help="name of the environment variable holding the password (never on the command line)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        metavar="SECONDS",
        help="seconds to wait for each answer from a target (default: the profile's)",
    )


def _output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")


def _search(parser: argparse.ArgumentParser) -> None:
    from app.cli.search import SORTS, cmd_search
    from app.export import FORMATS
    from app.targets import FIELD_LABELS, SEARCH_FIELDS

    parser.description = ("Search targets at once and merge their records. Give the query as "
                          "PQF, as CCL, or with search fields (several fields combine with AND).")
    _network_options(parser)
    _output_option(parser)
    parser.add_argument(
        "--target",
        action="append",
        required=True,
        metavar="ID|HOST:PORT/DB",
        help="a catalogue's id (see 'polycat targets list') or an address; repeat for several "
        "(searched at once); DB may be a+b",
    )
    parser.add_argument("--pqf", metavar="PQF", help="the query in PQF: '@attr 1=4 water'")
    parser.add_argument("--ccl", metavar="CCL", help="the query in CCL: 'ti=water and au=smith'")
    for name in SEARCH_FIELDS:
        parser.add_argument(
            f"--{name}", action="append", metavar="TEXT",
            help=f"search by {FIELD_HELP.get(name, FIELD_LABELS[name])}",
        )
    parser.add_argument(
        "--syntax",
        metavar="SYNTAX",
        help="record syntax: usmarc, unimarc, xml, sutrs, opac or an OID (default: the profile's)",
    )
    parser.add_argument("--elements", metavar="ESN", help="element set name: F, B, ...")
    parser.add_argument(
        "--limit",
        type=_count,
        default=10,
        metavar="N",
        help="records to fetch per target (default 10; 0 for hit counts only)",
    )
    parser.add_argument("--sort", choices=list(SORTS),
                        help="ask the targets to sort, and sort the merged list")
    parser.add_argument(
        "--format",
        choices=["text", "json", *FORMATS],
        default="text",
        help="text (default), json, or an export of each merged entry's best record",
    )
    parser.set_defaults(run=cmd_search)


def _scan(parser: argparse.ArgumentParser) -> None:
    from app.cli.search import cmd_scan

    _network_options(parser)
    _output_option(parser)
    parser.add_argument("--target", required=True, metavar="ID|HOST:PORT/DB",
                        help="an id scans the profile's first database")
    parser.add_argument("--pqf", required=True, metavar="PQF", help="the start term in PQF")
    parser.add_argument("--count", type=_count, default=20, metavar="N")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.set_defaults(run=cmd_scan)


def _show(parser: argparse.ArgumentParser) -> None:
    from app.cli.files import cmd_show

    _output_option(parser)
    parser.add_argument("file", metavar="FILE")
    parser.set_defaults(run=cmd_show)


def _convert(parser: argparse.ArgumentParser) -> None:
    from app.cli.files import cmd_convert
    from app.export import FORMATS

    parser.description = ("Convert records between formats; OUT's ending names the format "
                           "(.ris .bib .json .mrc .xml) unless --to says it; OUT '-' is "
                           "standard output.")
    parser.add_argument("input", metavar="IN")
    parser.add_argument("out", metavar="OUT")
    parser.add_argument("--to", choices=list(FORMATS), help="the format to write")
    parser.set_defaults(run=cmd_convert)


def _targets(parser: argparse.ArgumentParser) -> None:
    from app.cli.targets import cmd_targets

    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list the catalogues")
    _output_option(listing)
    listing.add_argument("--all", action="store_true", help="include the style examples")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    one = actions.add_parser("show", help="print one profile as TOML")
    _output_option(one)
    one.add_argument("id", metavar="ID")
    imports = actions.add_parser("import", help="read an ABCD, Koha or pazpar2 target list")
    _output_option(imports)
    imports.add_argument("file", metavar="FILE")
    imports.add_argument("--save", action="store_true",
                         help="add them to your catalogues (passwords to the keyring)")
    imports.add_argument("--format", choices=["text", "json"], default="text")
    parser.set_defaults(run=cmd_targets)


def _batch(parser: argparse.ArgumentParser) -> None:
    from app.cli.batch import cmd_batch

    parser.description = ("Look every ISBN of a list (plain lines, RIS or BibTeX) up in every "
                          "target and write a holdings matrix. Interrupted? Run the same "
                          "command again to continue.")
    _network_options(parser)
    parser.add_argument("--isbns", required=True, metavar="FILE", help="the list of ISBNs")
    parser.add_argument("--target", action="append", required=True, metavar="ID|HOST:PORT/DB",
                        help="a catalogue's id or an address; repeat for several")
    parser.add_argument("--csv", metavar="OUT.csv", help="write the matrix as CSV")
    parser.add_argument("--json", metavar="OUT.json", help="write the matrix as JSON")
    parser.add_argument("--state", metavar="FILE",
                        help="where finished lookups are kept (default: the list's name + .state)")
    parser.add_argument("--retry-errors", action="store_true",
                        help="search again the lookups that ended in an error last time")
    parser.set_defaults(run=cmd_batch)


# name -> (one line of help, the builder of its options)
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "search": ("search one or more targets at once", _search),
    "scan": ("browse a target's index", _scan),
    "show": ("print the records of a MARC, MARCXML or MODS file as JSON", _show),
    "convert": ("convert a record file (MARC, MARCXML, MODS, Dublin Core)", _convert),
    "targets": ("the catalogues Polycat knows: list, show, import", _targets),
    "batch": ("look a list of ISBNs up in several catalogues", _batch),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser: every subcommand named, only ``command``'s options built (and imported)."""
    parser = argparse.ArgumentParser(
        prog="polycat",
        description="Search many library catalogues at once over Z39.50.",
        epilog="Exit codes: 0 done (a search: at least one target answered), 1 nothing "
        "answered or nothing could be done, 2 a usage error.",
    )
    parser.add_argument("--version", action="version", version=f"polycat {VERSION}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (summary, build) in COMMANDS.items():
        sub = commands.add_parser(name, help=summary)
        if name == command:
            build(sub)
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
    arguments = list(sys.argv[1:] if argv is None else argv)
    asked = arguments[0] if arguments and arguments[0] in COMMANDS else None
    parser = build_parser(asked)
    try:
        args = parser.parse_args(arguments)
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
