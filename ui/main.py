"""The ``polycat`` entry point: a subcommand goes to app.cli before Qt is imported."""

from __future__ import annotations

import sys

# Subcommands of the command line; anything else (no argument, --demo) opens the window.
CLI_COMMANDS = {"search", "scan", "show", "targets", "batch", "convert"}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and (args[0] in CLI_COMMANDS or args[0] in ("-h", "--help", "--version")):
        from app.cli import main as cli_main

        return cli_main(args)
    from ui.app import run_window  # Qt is imported only from here on

    return run_window(args)


if __name__ == "__main__":
    sys.exit(main())
