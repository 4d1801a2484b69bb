"""``nudipole headline``: the main job. Seed Figs. 1-3, the headline table and new ground."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rich.markup import escape
from rich.table import Table

from nudipole._parallel import run_threads
from nudipole.cli._commands import COMMANDS
from nudipole.cli._common import console, curve_points, progress_bar
from nudipole.cli.figure_commands import LANDSCAPE_FLAVOURS, make_figure
from nudipole.cli.headline_lhc import (
    headline_bands,
    headline_tables,
    lhc_headline,
    result_of,
    second_process,
    start_numba,
)
from nudipole.cli.landscape_commands import curve_function, landscape_curves
from nudipole.cli.newground_commands import coarse_caution, largest_step_percent
from nudipole.cli.reach_commands import curve_result
from nudipole.experiments import ExperimentError
from nudipole.limits import LimitSet, load_catalogue, new_ground_intervals
from nudipole.limits.newground import Interval
from nudipole.model import Flavour
from nudipole.reach.recipes import FIGURES, HEADLINE, LANDSCAPE, SEED_NEW_GROUND
from nudipole.reach.result import ReachResult


def add_headline(sub: Any) -> None:
    p = sub.add_parser(
        "headline",
        help=COMMANDS["headline"].help,
        description="Reproduce seed Figs. 1-3 (Belle II; BESIII and STCF; the landscape per "
        "flavour), the far-detector bands of FASER-2, FACET and MAPP-2 over the existing "
        "limits, and print the tables of limits and new ground.",
    )
    p.add_argument(
        "--outdir",
        default="nudipole-output",
        help="folder for the figures (default nudipole-output)",
    )
    p.add_argument("--format", choices=["pdf", "png", "svg"], default="png")
    p.add_argument(
        "--points",
        type=curve_points,
        default=120,
        help="masses per e+e- curve (2 to 1000; default 120)",
    )
    p.add_argument(
        "--lhc-points",
        type=curve_points,
        default=24,
        help="masses per far-detector band in fig_lhc_far (default 24)",
    )
    p.set_defaults(func=run_headline)


def headline_rows() -> list[dict[str, Any]]:
    rows = []
    for curve, mass, published in HEADLINE:
        row: dict[str, Any] = {"curve": curve.label, "mass": mass, "published": published}
        for preset in ("paper", "default"):
            r = curve_result(curve, preset, np.array([mass]), 1, None)
            row[preset] = float(r.d95[0])
        rows.append(row)
    return rows


def run_headline(args: argparse.Namespace) -> int:
    outdir = Path(args.outdir)
    if outdir.exists() and not outdir.is_dir():
        raise ExperimentError(f"--outdir {args.outdir!r} is a file; give a folder name")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExperimentError(
            f"--outdir {args.outdir!r}: cannot create the folder ({err.strerror or err})"
        ) from None
    out = console()
    start_numba()  # before the worker is forked, which then has it
    with second_process() as pool:
        # The second process (headline_lhc) computes, in this order: the LHC bands, from the
        # start; the new ground of the e+e- curves (landscape_ground), handed over as soon as
        # this process has the curves; the LHC tables. This process meanwhile computes and
        # draws the e+e- figures, then fig_lhc_far. (With the new ground here, the second
        # process was idle for the last 0.7-0.9 s of the headline: measured 2026-12-02.)
        bands = pool.submit(headline_bands, args.lhc_points)
        curves = ee_curves_and_figures(outdir, args.format, args.points, out)
        ground = pool.submit(landscape_ground, [(s.label, r.mass, r.d95) for r, s in curves])
        tables = pool.submit(headline_tables, args.lhc_points)
        draw_landscape(outdir, args.format, curves, out)
        rows = headline_table()
        lhc_tables = lhc_headline(outdir, args.format, bands, tables)
        seed, full = result_of(ground, "new ground of the e+e- curves")
        catalogue = load_catalogue()
        out.print(rows)
        out.print(newground_table(curves, catalogue.paper_set(), SEED_LIMITS, None, seed))
        out.print(newground_table(curves, catalogue, "the full catalogue", None, full))
        for table in lhc_tables:
            out.print(table)
    return 0


#: The name of the seed's set of limits in the new-ground tables' titles.
SEED_LIMITS = "the seed's Fig. 3 limits"


def ee_curves_and_figures(
    outdir: Path, fmt: str, n: int, out: Any
) -> list[tuple[ReachResult, Any]]:
    """Seed Figs. 1 and 2 on ``n`` masses per curve, drawn (each file named on ``out``), and
    the curves of the landscape (seed Fig. 3), both presets, with their styles."""
    for name in sorted(FIGURES):
        path = outdir / f"fig_{name}.{fmt}"
        make_figure(name, path, ["paper", "default"], n, True)
        out.print(f"wrote {path}")
    with progress_bar(2 * len(LANDSCAPE) * n, "landscape", True) as progress:
        return landscape_curves(["paper", "default"], n, progress)


def draw_landscape(outdir: Path, fmt: str, curves: list[tuple[ReachResult, Any]], out: Any) -> None:
    """``fig_landscape``: the landscape's curves over the seed's Fig. 3 set of existing
    limits, so that the figure is a reproduction."""
    from nudipole.plotting.landscape import plot_landscape
    from nudipole.plotting.reach_plots import save_figure

    path = outdir / f"fig_landscape.{fmt}"
    save_figure(plot_landscape(list(Flavour), load_catalogue().paper_set(), curves), path)
    out.print(f"wrote {path}")


def headline_table() -> Table:
    """The table of limits at 1 GeV against the seed's (:func:`headline_rows`)."""
    table = Table(title="Expected 95% CL limits on d [GeV^-1] at m_N = 1 GeV", header_style="bold")
    for col in (
        "curve",
        "published (seed)",
        "paper preset",
        "ratio",
        "default preset",
        "default/paper",
    ):
        table.add_column(col, justify="right")
    for row in headline_rows():
        table.add_row(*headline_cells(row))
    return table


def headline_cells(row: dict[str, Any]) -> list[str]:
    """One row of the table of limits at 1 GeV (:func:`headline_rows`) as printed: curve,
    published, paper preset, ratio to published, default preset, default / paper."""
    return [
        row["curve"],
        f"{row['published']:.2g}",
        f"{row['paper']:.3g}",
        f"{row['paper'] / row['published']:.2f}",
        f"{row['default']:.3g}",
        f"{row['default'] / row['paper']:.2f}",
    ]


def landscape_functions() -> dict[str, Callable[[float], float]]:
    """Each landscape curve's d95 at any mass (:func:`curve_function`), by its label in the
    landscape (``"<curve> [<preset>]"``)."""
    return {
        f"{curve.label} [{preset}]": curve_function(curve, preset)
        for preset in ("paper", "default")
        for curve, _ in LANDSCAPE
    }


#: A curve as :func:`landscape_ground` takes it: its label, masses (GeV) and d95 (GeV^-1).
CurveData = tuple[str, np.ndarray, np.ndarray]


def ground_intervals(
    curves: Sequence[CurveData],
    limits: LimitSet,
    d95_at: dict[str, Callable[[float], float]] | None = None,
) -> list[list[list[Interval]]]:
    """New ground of each curve against ``limits``, per flavour of
    :data:`LANDSCAPE_FLAVOURS`; edges solved on the curve where ``d95_at`` (by label) gives
    it at any mass. One curve per thread (its d95 function is then used by one thread
    only)."""

    def per_flavour(label: str, mass: np.ndarray, d95: np.ndarray) -> list[list[Interval]]:
        at = (d95_at or {}).get(label)
        return [
            new_ground_intervals(limits.for_flavour(f), mass, d95, d95_at=at)
            for f in LANDSCAPE_FLAVOURS
        ]

    return run_threads([functools.partial(per_flavour, *curve) for curve in curves])


def landscape_ground(
    curves: Sequence[CurveData],
) -> tuple[list[list[list[Interval]]], list[list[list[Interval]]]]:
    """New ground of the landscape's curves (label, masses, d95) against the seed's Fig. 3
    limits and against the full catalogue, edges solved on each curve
    (:func:`landscape_functions`; the two share its evaluations). The headline runs it in
    its second process, which builds the curves' functions itself."""
    d95_at = landscape_functions()
    catalogue = load_catalogue()
    return (
        ground_intervals(curves, catalogue.paper_set(), d95_at),
        ground_intervals(curves, catalogue, d95_at),
    )


def newground_table(
    curves: list[tuple[ReachResult, Any]],
    limits: LimitSet,
    name: str,
    d95_at: dict[str, Callable[[float], float]] | None = None,
    intervals: list[list[list[Interval]]] | None = None,
) -> Table:
    """New ground of each landscape curve per flavour against ``limits``, with the seed's;
    edges solved on each curve where ``d95_at`` (by curve label) gives it at any mass, or
    ``intervals`` as :func:`ground_intervals` gives them with each curve's function (edges
    solved on the curves; computed elsewhere: the headline's second process) for the same
    curves and limits."""
    sizes = sorted({r.mass.size for r, _ in curves})
    solved = d95_at or intervals is not None
    edges = "solved on each curve" if solved else "interpolated between the grid masses"
    # the coarsest curve's caution (the one with the fewest masses per decade)
    coarsest = max((r.mass for r, _ in curves), key=lambda m: largest_step_percent(m) or 0.0)
    caution = coarse_caution(coarsest)
    table = Table(
        title=f"New ground [GeV] against {name} ({', '.join(limits.ids())})",
        caption=f"curves scanned on {'/'.join(map(str, sizes))} log-spaced masses; interval "
        f"edges {edges}" + ("" if caution is None else f"; caution: {caution} (--points)"),
        header_style="bold",
    )
    for col in ("curve", "preset", *(f"d_{f}" for f in LANDSCAPE_FLAVOURS)):
        table.add_column(col)

    if intervals is None:
        data = [(style.label, result.mass, result.d95) for result, style in curves]
        intervals = ground_intervals(data, limits, d95_at)
    for (result, style), found in zip(curves, intervals, strict=True):
        cells = []
        preset = str(result.inputs.get("preset", ""))
        seed = SEED_NEW_GROUND.get(style.label.rsplit(" [", 1)[0], {})
        for flavour, ivs in zip(LANDSCAPE_FLAVOURS, found, strict=True):
            text = ", ".join(f"{iv.low:.3g}-{iv.high:.3g}" for iv in ivs) or "none"
            if flavour in seed and preset == "paper" and limits.ids() == limits.paper_set().ids():
                lo, hi = seed[flavour]
                text += f" (seed: {lo:g}-{hi:g})"
            cells.append(text)
        table.add_row(escape(style.label.rsplit(" [", 1)[0]), preset, *cells)
    return table
