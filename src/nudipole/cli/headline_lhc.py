"""The LHC part of ``nudipole headline``: ``fig_lhc_far`` (paper preset, as the talk), the
table of the bands at :data:`HEADLINE_MASSES` and the new ground of the nine bands.

Its computations run in a second process (:func:`second_process`, forked where that is safe)
while this one computes and draws the e+e- figures: the far-detector scans are compiled
kernels with NumPy between them, the figures pure Python, and in one process they would
take turns at the GIL. The bands (:func:`headline_bands`) are handed over at the start;
then the new ground of the e+e- curves (:func:`nudipole.cli.headline.landscape_ground`,
as soon as this process has the curves, so that the second process does not sit idle at
the end) and the table and the new-ground edges of the bands (:func:`headline_tables`),
computed there in that order, while ``fig_lhc_far`` is laid out
(:func:`nudipole.cli.lhc_figures.lhc_far_frame`) and drawn here. The numbers
are those of the same functions run in this process, bit for bit
(``tests/cli/test_headline_lhc.py``); where no second process can be started they are.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from rich.table import Table

from nudipole.cli._common import console, waiting
from nudipole.cli.lhc_figures import FAR_DETECTORS, draw_lhc_far, far_results
from nudipole.experiments import ExperimentError
from nudipole.limits.newground import Interval
from nudipole.model import Flavour
from nudipole.reach.result import ReachResult

#: Masses at which the headline quotes the far-detector bands (GeV).
HEADLINE_MASSES = (0.01, 0.05, 0.1)

T = TypeVar("T")


def closing_mass(result: ReachResult) -> float:
    """Mass (GeV) at which the band closes: the last island's upper end solved between two
    scanned masses (``band_ends``), else the largest scanned mass with a band; NaN if none."""
    ok = np.isfinite(result.d95)
    if not ok.any():
        return math.nan
    last = float(result.mass[ok][-1])
    ends = [e.mass for e in result.band_ends if e.side == "upper" and e.mass >= last]
    return min(ends) if ends else last


@functools.lru_cache(maxsize=1)
def headline_bands(n: int) -> dict[Flavour, list[tuple[ReachResult, str]]]:
    """The nine paper-preset bands of ``fig_lhc_far`` on ``n`` masses (:func:`~nudipole.cli.
    lhc_figures.far_results`, without a progress bar: it may run in the second process).
    The last call's bands are kept for :func:`headline_tables`, which the second process
    runs after them (read only: every caller gets the same objects)."""
    return far_results(list(Flavour), "paper", n, None)


def headline_tables(n: int) -> tuple[list[ReachResult], list[list[Interval]]]:
    """The bands of each detector and preset at :data:`HEADLINE_MASSES` (``far_reach``
    without band ends), detectors in :data:`FAR_DETECTORS` order, paper then default; and
    the new ground of the paper-preset bands of :func:`headline_bands` on ``n`` masses (those
    it computed last, in this process) against the seed's Fig. 3 limits, per detector and
    flavour, edges solved on the band itself (as ``nudipole newground`` does)."""
    from nudipole._parallel import run_threads
    from nudipole.api import far_band_function, far_reach
    from nudipole.limits import load_catalogue
    from nudipole.limits.newground import new_ground_band_intervals

    bands = headline_bands(n)
    limits = load_catalogue().paper_set()
    cases = [
        (name, flavour, bands[flavour][i][0])
        for i, (name, _) in enumerate(FAR_DETECTORS)
        for flavour in Flavour
    ]
    rows: list[Callable[[], Any]] = [
        functools.partial(
            far_reach,
            name,
            list(HEADLINE_MASSES),
            preset=preset,
            error_estimate=False,
            locate_ends=False,
        )
        for name, _ in FAR_DETECTORS
        for preset in ("paper", "default")
    ]
    ground: list[Callable[[], Any]] = [
        functools.partial(
            new_ground_band_intervals,
            limits.for_flavour(flavour),
            *r.band_samples(),
            band_at=far_band_function(name, preset="paper", flavour=flavour),
        )
        for name, flavour, r in cases
    ]
    # independent calls side by side on threads (nudipole._parallel), each as it is alone;
    # in one pool, so that no thread waits for the other's last scan before the edges start
    done = run_threads([*rows, *ground])
    table_bands: list[ReachResult] = done[: len(rows)]
    intervals: list[list[Interval]] = done[len(rows) :]
    return table_bands, intervals


def start_numba() -> None:
    """Start numba here, before :func:`second_process` forks its worker: both processes need
    it (the e+e- rules and the far-detector scans are compiled kernels), and a forked worker
    then begins with it instead of starting it again: importing numba and its NumPy
    support (which imports ``scipy.linalg`` for its BLAS check, 0.4 s) and initialising
    LLVM on the first kernel loaded from the cache (0.15 s). The kernel loaded is the
    energy rules' (:func:`nudipole.production.energy_rule.gauss_rule`), which the worker
    needs. Measured on the headline, six interleaved runs each: 8.8 -> 8.3 s of CPU, the
    median wall time 4.63 -> 4.5 s. (With a spawned worker or none, only this process's
    start of numba comes earlier.)"""
    from nudipole.production.energy_rule import gauss_rule

    gauss_rule(np.array([0.0, 1.0, 2.0]), np.ones(3), 1)


class _Here:
    """An executor that runs each call at once in this process (when no second process can
    be started): the same numbers, one after the other."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def os_threads() -> int:
    """Threads of this process as the operating system counts them (Python's and native ones,
    such as OpenBLAS's pool); 0 where it cannot tell (not Linux)."""
    import os

    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 0


def start_method() -> str:
    """How :func:`second_process` starts its worker: ``"fork"`` on Linux while this process
    runs one Python thread (the worker then begins with this process's modules already
    imported: 0.5-0.7 s of CPU less than a fresh interpreter, measured on the headline), else
    ``"spawn"`` (a fresh interpreter: no threads or locks inherited; macOS and Windows, or
    any other Python thread running, which a fork could copy holding a lock). From Python
    3.12, which warns of a fork beside any other thread, also only where the process has no
    native thread either (NumPy's OpenBLAS pool is one); Python 3.11 forks beside such
    pools by default, and OpenBLAS re-creates its own after a fork."""
    import multiprocessing
    import sys
    import threading

    if not (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    ):
        return "spawn"
    if sys.version_info >= (3, 12) and os_threads() != 1:
        return "spawn"
    return "fork"


@contextmanager
def second_process() -> Iterator[Executor | _Here]:
    """One worker process (:func:`start_method`: forked where that is safe, else a fresh
    interpreter; its garbage collector and allocator set as the script's,
    :func:`nudipole.cli.main.batch_process`), shut down on leaving, its pending calls
    dropped on an error or Ctrl-C; this process itself where there is one core to run on
    (``taskset -c 0``: a second interpreter would only add its start-up, 12.6 s against
    10.5 s measured) or where no process can be started (no semaphores, as in some
    sandboxes)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from nudipole._parallel import available_cpus

    if available_cpus() < 2:
        yield _Here()
        return
    from nudipole.cli.main import batch_process

    # (multiprocessing flushes this process's stdout and stderr before it forks: the worker
    # does not write their buffered text again)
    try:
        pool = ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context(start_method()), initializer=batch_process
        )
    except (OSError, NotImplementedError, ImportError):
        yield _Here()
        return
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def result_of(future: Future[T], what: str) -> T:
    """The result of a call to the second process; a clear error if that process died."""
    try:
        with waiting(f"{what} (second process)"):
            return future.result()
    except BrokenProcessPool:
        raise ExperimentError(
            f"the second process of 'nudipole headline' ({what}) ended unexpectedly (out of "
            "memory or killed); run the command again"
        ) from None


def lhc_headline(
    outdir: Path,
    fmt: str,
    bands: Future[dict[Flavour, list[tuple[ReachResult, str]]]],
    tables: Future[tuple[list[ReachResult], list[list[Interval]]]],
) -> list[Table]:
    """Draw ``fig_lhc_far`` from ``bands`` (:func:`headline_bands`) and return the table of
    the bands at :data:`HEADLINE_MASSES` and that of their new ground from ``tables``
    (:func:`headline_tables`), both submitted to the second process (the bands at the start
    of the headline); the figure is laid out after the e+e- figures, and drawn when the bands
    are there."""
    from nudipole.cli.lhc_figures import lhc_far_frame
    from nudipole.limits import load_catalogue

    limits = load_catalogue().paper_set()
    frame = lhc_far_frame(list(Flavour), limits, "paper")
    got = result_of(bands, "LHC far-detector bands")
    path = outdir / f"fig_lhc_far.{fmt}"
    results = draw_lhc_far(path, list(Flavour), limits, "paper", got, frame)
    console().print(f"wrote {path}")
    table_bands, intervals = result_of(tables, "LHC band table and new-ground edges")
    return [_band_table(table_bands, results), _ground_table(intervals, results[0].mass)]


def _band_table(table_bands: list[ReachResult], results: list[ReachResult]) -> Table:
    table = Table(
        title="LHC far detectors, N from meson decays: excluded band of d_e [GeV^-1]",
        header_style="bold",
    )
    for col in ("detector", "preset", *(f"m_N = {m:g} GeV" for m in HEADLINE_MASSES)):
        table.add_column(col, justify="right")
    table.add_column("last mass with a band (fig., paper)", justify="right")
    rows = [(i, preset) for i in range(len(FAR_DETECTORS)) for preset in ("paper", "default")]
    for (i, preset), r in zip(rows, table_bands, strict=True):
        cells = [
            "none" if np.isnan(lo) else f"{lo:.2e} - {hi:.2e}"
            for lo, hi in zip(r.d95, r.upper, strict=True)
        ]
        # results: flavour by flavour, detectors in order; d_e first
        last = f"{closing_mass(results[i]):.3g} GeV" if preset == "paper" else ""
        table.add_row(r.inputs["experiment_title"], preset, *cells, last)
    return table


def _ground_table(intervals: list[list[Interval]], masses: np.ndarray) -> Table:
    from nudipole.cli.newground_commands import largest_step_percent

    # the grid as the e+e- tables state theirs; an interval is sought from the grid masses and
    # the bands' solved ends (where a band closes), its edges solved on the band
    step = largest_step_percent(masses)
    table = Table(
        title="New ground of the paper-preset bands against the seed's Fig. 3 limits [GeV]",
        caption=f"bands scanned on {masses.size} log-spaced masses"
        + ("" if step is None else f" (steps up to {step:.2g} %)")
        + " and at their ends; interval edges solved on each band",
        header_style="bold",
    )
    for col in ("detector", "d_e", "d_mu", "d_tau"):
        table.add_column(col)
    n = len(Flavour)
    for i, (name, _) in enumerate(FAR_DETECTORS):
        cells = [
            ", ".join(f"{iv.low:.3g}-{iv.high:.3g}" for iv in ivs) or "none"
            for ivs in intervals[i * n : (i + 1) * n]
        ]
        table.add_row(name, *cells)
    return table
