"""Helpers shared by the CLI modules: console, progress bar, output-path checks."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nudipole.experiments import ExperimentError

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


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive integer")
    return value


def check_output(path: str, suffixes: tuple[str, ...]) -> Path:
    """Validate an output path before any work: known suffix and an existing folder."""
    out = Path(path)
    if out.suffix.lower() not in suffixes:
        names = ", ".join(suffixes[:-1]) + " or " + suffixes[-1]
        raise ExperimentError(f"cannot write {path!r}: use a file name ending in {names}")
    if not out.parent.is_dir():
        raise ExperimentError(f"cannot write {path!r}: folder {str(out.parent)!r} does not exist")
    return out
