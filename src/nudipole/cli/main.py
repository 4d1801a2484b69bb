"""``nudipole`` command line: reach, figure, headline, experiments.

Errors in the user's input print one line on stderr and exit with status 2; nothing is
written in that case (output files are written atomically after the work succeeded).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import re
import sys
from collections.abc import Collection, Sequence
from typing import Any, NoReturn

from nudipole._version import __version__
from nudipole.cli._commands import COMMANDS

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


def build_parser(full: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The ``nudipole`` parser with every subcommand.

    ``full``: the subcommands whose parsers are built (their modules imported); the others get
    a placeholder with their help line only, enough for ``nudipole --help``. All if None.
    """
    parser = _Parser(prog="nudipole", description="Collider reach on the neutrino dipole portal.")
    parser.add_argument("--version", action="version", version=f"nudipole {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, command in COMMANDS.items():
        if full is None or name in full:
            module = importlib.import_module(f"nudipole.cli.{command.module}")
            getattr(module, command.adder)(sub)
        else:
            sub.add_parser(name, help=command.help)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line (the first word not an option), if any."""
    return next((a for a in argv if not a.startswith("-")), None)


def _command_parser(parser: argparse.ArgumentParser, name: str | None) -> argparse.ArgumentParser:
    """The parser of subcommand ``name`` (``parser`` itself if there is none such)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and name in action.choices:
            chosen: argparse.ArgumentParser = action.choices[name]
            return chosen
    return parser


#: Options that name an output file or folder: an empty value would write nothing silently.
_OUTPUT_OPTIONS = (("output", "-o/--output"), ("outdir", "--outdir"))


def _check_empty_outputs(args: argparse.Namespace) -> None:
    from nudipole.experiments import ExperimentError

    for dest, flag in _OUTPUT_OPTIONS:
        value = getattr(args, dest, None)
        if isinstance(value, str) and not value.strip():
            raise ExperimentError(f"{flag} {value!r}: give a file or folder name")


def main(argv: Sequence[str] | None = None) -> int:
    raw = sys.argv[1:] if argv is None else argv
    # only the command being run is built: `nudipole --help` imports none of them
    parser = build_parser(full={c for c in [_command(raw)] if c is not None})
    args, extra = parser.parse_known_args(list(raw))
    if extra:
        # named by the command that does not take them (its help lists what it does take)
        _command_parser(parser, _command(raw)).error(f"unrecognized arguments: {' '.join(extra)}")

    from nudipole.experiments import ExperimentError
    from nudipole.units import LuminosityError

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


#: Container allocations between two collections of the youngest generation in a
#: ``nudipole`` process (Python's default is 700). NumPy, numba and matplotlib leave some
#: 250 000 long-lived objects, and with the default a full collection walks them all every
#: few hundred thousand allocations (0.1-0.2 s each): 0.45-0.55 s of ``nudipole headline``
#: (5 full collections, one while the LHC figure is drawn), measured. With 10 000 there are
#: none in a headline (0.2 s less wall time in six runs each), at the price of up to 10 000
#: objects of cyclic garbage held a little longer.
YOUNG_COLLECTION_THRESHOLD = 10_000


def batch_collector() -> None:
    """Set this process's garbage collector for a command that runs once and ends
    (:data:`YOUNG_COLLECTION_THRESHOLD`; the older generations' thresholds as they are).
    For the ``nudipole`` script and the worker processes it starts, not for a program that
    imports nudipole."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)


def script(argv: Sequence[str] | None = None) -> int:
    """The ``nudipole`` script and ``python -m nudipole``: :func:`main` with the collector
    set for one command (:func:`batch_collector`); then every object still alive is frozen
    (:func:`gc.freeze`) before the interpreter exits.

    The interpreter's last garbage collection would otherwise walk every object that the
    command left (NumPy, numba and matplotlib hold hundreds of thousands): 0.15-0.3 s after
    a reach or a figure, measured, for memory the operating system takes back anyway. Every
    file is written and closed, and every process and thread ended, before :func:`main`
    returns. Only for a process that ends here: a program that calls :func:`main` keeps its
    garbage collection as it is."""
    batch_collector()
    status = main(argv)
    gc.freeze()
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(script())
