"""``nudipole`` command line: reach, figure, headline, experiments.

Errors in the user's input print one line on stderr and exit with status 2; nothing is
written in that case (output files are written atomically after the work succeeded).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from nudipole._version import __version__
from nudipole.cli import (
    events_commands,
    ew_commands,
    experiments_commands,
    figure_commands,
    headline,
    landscape_commands,
    reach_commands,
    spectra_commands,
)
from nudipole.experiments import ExperimentError
from nudipole.units import LuminosityError

EXIT_USAGE = 2


#: Values that start with '-' and are numbers or luminosities: "-1e-6", "-inf", "-3/ab", "-.5".
_NEGATIVE_VALUE = re.compile(r"^-(\d|\.\d|inf|nan)", re.IGNORECASE)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # argparse reads a token starting with '-' as an option unless it is a plain number
        # ("-1", "-0.5"); widen that to every number and luminosity, so that "--d-gamma -1e-6"
        # or "--mass-range -1 1 3" reach the checks that name them (no option of nudipole
        # looks like a number).
        self._negative_number_matcher = _NEGATIVE_VALUE

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"nudipole: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nudipole", description="Collider reach on the neutrino dipole portal.")
    parser.add_argument("--version", action="version", version=f"nudipole {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    reach_commands.add_reach(sub)
    figure_commands.add_figure(sub)
    headline.add_headline(sub)
    experiments_commands.add_experiments(sub)
    landscape_commands.add_limits(sub)
    landscape_commands.add_newground(sub)
    ew_commands.add_couplings(sub)
    ew_commands.add_widths(sub)
    events_commands.add_events(sub)
    spectra_commands.add_spectra(sub)
    return parser


#: Options that name an output file or folder: an empty value would write nothing silently.
_OUTPUT_OPTIONS = (("output", "-o/--output"), ("outdir", "--outdir"))


def _check_empty_outputs(args: argparse.Namespace) -> None:
    for dest, flag in _OUTPUT_OPTIONS:
        value = getattr(args, dest, None)
        if isinstance(value, str) and not value.strip():
            raise ExperimentError(f"{flag} {value!r}: give a file or folder name")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    raw = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(list(raw))
    try:
        _check_empty_outputs(args)
        return int(args.func(args))
    except (ExperimentError, LuminosityError, ValueError, OSError) as err:
        sys.stderr.write(f"nudipole: error: {err}\n")
        return EXIT_USAGE
    except MemoryError:  # a safety net: every size a user can ask for is bounded
        sys.stderr.write(
            f"nudipole: error: out of memory running 'nudipole {' '.join(raw)}'; ask for fewer "
            "masses, points or events\n"
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("nudipole: interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
