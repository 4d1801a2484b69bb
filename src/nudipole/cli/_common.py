"""Helpers shared by the CLI modules: console, progress bar, output-path checks, the masses of
``--masses`` / ``--mass-range`` and the output of a reach result."""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nudipole.api import mass_grid
from nudipole.experiments import ExperimentError
from nudipole.experiments.schema import MAX_BACKGROUND_UNCERTAINTY
from nudipole.io.results import dumps, to_csv, write_atomic
from nudipole.reach.result import ReachResult

PROGRESS_MIN_MASSES = 20


def console() -> Console:
    # Wide enough for the tables when the output is a file or a pipe (no terminal width).
    return Console(file=sys.stdout, width=None if sys.stdout.isatty() else 160)


@contextmanager
def progress_bar(total: int, label: str, enabled: bool) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar on stderr (only on a terminal and for long scans)."""
    if not enabled or total < PROGRESS_MIN_MASSES or not sys.stderr.isatty():
        yield None
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )
    with bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


@contextmanager
def waiting(label: str) -> Iterator[None]:
    """A rich spinner with ``label`` on stderr while this process waits for another (only on
    a terminal)."""
    if not sys.stderr.isatty():
        yield
        return
    with Console(file=sys.stderr).status(label):
        yield


#: Most masses per curve of a figure, ``headline`` or ``newground`` (``--points``): a figure is
#: about a thousand pixels wide, and each mass costs about 0.05 s per curve and energy point.
MAX_POINTS = 1000


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be a positive integer")
    return value


def curve_points(text: str) -> int:
    """``--points``: masses per curve, 2 to :data:`MAX_POINTS`."""
    value = _positive_int(text)
    if not 2 <= value <= MAX_POINTS:
        raise argparse.ArgumentTypeError(
            f"{text!r}: a curve takes 2 to {MAX_POINTS} masses (a curve is smooth: a few "
            "hundred resolve it)"
        )
    return value


def background_uncertainty_value(text: str) -> float:
    """``--bkg-uncertainty``: a relative background uncertainty from 0 to
    :data:`~nudipole.experiments.schema.MAX_BACKGROUND_UNCERTAINTY` (0.01 = 1 %)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number; give a relative uncertainty such as 0.01 (1 %)"
        ) from None
    if not 0.0 <= value <= MAX_BACKGROUND_UNCERTAINTY:  # also NaN
        raise argparse.ArgumentTypeError(
            f"{text!r}: a relative background uncertainty must be a number from 0 to "
            f"{MAX_BACKGROUND_UNCERTAINTY:g} (0.01 = 1 %)"
        )
    return value


def range_count(n: float, flag: str = "--mass-range") -> int:
    """The N of ``--mass-range LO HI N`` as an int (a whole, finite number)."""
    if not (math.isfinite(n) and n == int(n)):
        raise ExperimentError(f"{flag} N = {n:g}: N must be a whole number of masses")
    return int(n)


def check_output(path: str, suffixes: tuple[str, ...]) -> Path:
    """Validate an output path before any work: known suffix and an existing folder."""
    out = Path(path)
    if out.suffix.lower() not in suffixes:
        names = ", ".join(suffixes[:-1]) + " or " + suffixes[-1]
        raise ExperimentError(f"cannot write {path!r}: use a file name ending in {names}")
    if not out.parent.is_dir():
        raise ExperimentError(f"cannot write {path!r}: folder {str(out.parent)!r} does not exist")
    if out.is_dir():
        raise ExperimentError(f"cannot write {path!r}: it is a folder; give a file name")
    if not os.access(out.parent, os.W_OK):
        raise ExperimentError(f"cannot write {path!r}: folder {str(out.parent)!r} is read-only")
    return out


def given_masses(args: argparse.Namespace) -> np.ndarray | None:
    """The masses (GeV) of ``--masses M ...`` or ``--mass-range LO HI N`` (N log-spaced), or
    None if neither was given."""
    if args.masses is not None:
        return np.asarray(args.masses, dtype=float)
    if args.mass_range is not None:
        lo, hi, n = args.mass_range
        return mass_grid(lo, hi, range_count(n))
    return None


def output_result(
    result: ReachResult, out: Path | None, as_json: bool, show: Callable[[ReachResult], None]
) -> None:
    """Write ``result`` to ``out`` (.csv or .json) if given, then print it: one JSON object on
    stdout if ``as_json``, else with ``show`` (a table)."""
    if out is not None:
        text = to_csv(result) if out.suffix.lower() == ".csv" else dumps(result) + "\n"
        write_atomic(out, text.encode("utf-8"))
    if as_json:
        sys.stdout.write(dumps(result) + "\n")
    else:
        show(result)
