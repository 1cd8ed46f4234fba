"""The command line, Qt-free: ``polycat search | scan | show | convert | targets | batch``.

One ``cmd_*`` function per subcommand, each returning the exit code: 0 done (a search: at
least one target answered), 1 nothing answered or nothing could be done, 2 a usage error
(an unknown target id, a query that does not parse, a malformed target list). Every JSON
document and text summary is built in :mod:`app.cli.output`. A password is only ever read
from an environment variable (``--password-env`` or the profile's) or the system keyring.

- :mod:`app.cli.parser` - the options and ``main`` (only the subcommand asked for is loaded)
- :mod:`app.cli.profiles` - which targets ``--target`` means, tailored by the options
- :mod:`app.cli.search` - ``search`` and ``scan`` (through ``SearchRun``, merged by ``Merger``)
- :mod:`app.cli.files` - ``show`` and ``convert``
- :mod:`app.cli.targets` - ``targets list | show | import``
"""

from app.cli.parser import build_parser, main

__all__ = ["build_parser", "main"]
