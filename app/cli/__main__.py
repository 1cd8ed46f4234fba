"""``python -m app.cli ...``: the command line without the window."""

import sys

from app.cli import main

sys.exit(main())
