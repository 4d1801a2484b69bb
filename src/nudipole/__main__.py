"""``python -m nudipole``: the command line, as the ``nudipole`` script."""

import sys

from nudipole.cli.main import script

sys.exit(script())
