"""``nudipole`` command line: reach, figure, headline, experiments.

Errors in the user's input print one line on stderr and exit with status 2; nothing is
written in that case (output files are written atomically after the work succeeded).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

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


class _Parser(argparse.ArgumentParser):
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


_NEGATIVE_VALUE = re.compile(r"^-(\d|\.\d|inf|nan)", re.IGNORECASE)


def join_negative_values(argv: Sequence[str]) -> list[str]:
    """``--opt -1e-6`` -> ``--opt=-1e-6``: argparse would read a value that starts with '-'
    and is not a plain number (e.g. ``-3/ab``, ``-inf``) as an option and fail."""
    out: list[str] = []
    i = 0
    args = list(argv)
    while i < len(args):
        tok = args[i]
        nxt = args[i + 1] if i + 1 < len(args) else None
        if (
            tok.startswith("--")
            and "=" not in tok
            and nxt is not None
            and _NEGATIVE_VALUE.match(nxt)
        ):
            out.append(f"{tok}={nxt}")
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    raw = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(join_negative_values(raw))
    try:
        return int(args.func(args))
    except (ExperimentError, LuminosityError, ValueError, OSError) as err:
        sys.stderr.write(f"nudipole: error: {err}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("nudipole: interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
