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
from collections.abc import Callable, Collection, Sequence
from typing import Any, NoReturn, cast

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


#: glibc's ``mallopt`` parameter number of M_TOP_PAD (``<malloc.h>``).
_M_TOP_PAD = -2

#: Free memory (bytes) that glibc's allocator keeps at the top of a heap when it shrinks it,
#: and adds when it grows it, in a ``nudipole`` process (glibc's default is 128 kiB). The
#: e+e- engine's and matplotlib's temporaries of some 1-30 MB (a figure's 13 MB canvas) are
#: freed and allocated again and again; with the default the heap is given back to the
#: system after each and its pages fault in afresh on the next. With 64 MiB, ``nudipole
#: headline`` takes 96 000 page faults instead of 198 000 (parent 68 000 instead of 141 000-
#: 156 000, second process 28 000 instead of 54 000-56 000) and 0.36 s of system time
#: instead of 0.54-0.6 s; its peak memory is 288 instead of 272 MB; 32 MiB does as well,
#: 16 MiB only a third (measured: docs/benchmarks.md, fifteenth session).
TOP_PAD_BYTES = 64 * 1024 * 1024


def _glibc_mallopt() -> Callable[[int, int], int] | None:
    """glibc's ``mallopt`` (None on another C library or system)."""
    import os

    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return None
    except (ValueError, OSError, AttributeError):  # not glibc, or no confstr at all
        return None
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return None
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return cast("Callable[[int, int], int]", mallopt)


def batch_allocator() -> bool:
    """Set glibc's allocator of this process for a command that runs once and ends: keep
    :data:`TOP_PAD_BYTES` of freed memory at the top of its heaps for reuse instead of
    returning it to the system (``mallopt(M_TOP_PAD)``). For the ``nudipole`` script and
    the worker processes it starts, not for a program that imports nudipole. Returns
    whether it was set (False on another C library or system: nothing is changed)."""
    mallopt = _glibc_mallopt()
    return mallopt is not None and mallopt(_M_TOP_PAD, TOP_PAD_BYTES) == 1


def batch_process() -> None:
    """:func:`batch_collector` and :func:`batch_allocator`: the ``nudipole`` script's
    settings for a process that runs one command and ends (its worker processes too)."""
    batch_collector()
    batch_allocator()


def script(argv: Sequence[str] | None = None) -> int:
    """The ``nudipole`` script and ``python -m nudipole``: :func:`main` with the collector
    and the allocator set for one command (:func:`batch_process`); then every object still
    alive is frozen (:func:`gc.freeze`) before the interpreter exits.

    The interpreter's last garbage collection would otherwise walk every object that the
    command left (NumPy, numba and matplotlib hold hundreds of thousands): 0.15-0.3 s after
    a reach or a figure, measured, for memory the operating system takes back anyway. Every
    file is written and closed, and every process and thread ended, before :func:`main`
    returns. Only for a process that ends here: a program that calls :func:`main` keeps its
    garbage collection and allocator as they are."""
    batch_process()
    status = main(argv)
    gc.freeze()
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(script())
