"""``nudipole headline``: the main job. Seed Figs. 1-3, the headline table and new ground."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
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
        # the LHC bands and then their tables from the start, in the second process
        # (headline_lhc), while this one computes and draws the e+e- figures
        bands = pool.submit(headline_bands, args.lhc_points)
        tables = pool.submit(headline_tables, args.lhc_points)
        ee_headline(outdir, args.format, args.points, out)
        for table in lhc_headline(outdir, args.format, bands, tables):
            out.print(table)
    return 0


def ee_headline(outdir: Path, fmt: str, n: int, out: Any) -> None:
    """The e+e- part of the main job: seed Figs. 1-3 on ``n`` masses per curve, the table of
    limits at 1 GeV and the new ground of the landscape's curves, printed on ``out``."""
    for name in sorted(FIGURES):
        path = outdir / f"fig_{name}.{fmt}"
        make_figure(name, path, ["paper", "default"], n, True)
        out.print(f"wrote {path}")
    path = outdir / f"fig_landscape.{fmt}"
    with progress_bar(2 * len(LANDSCAPE) * n, "landscape", True) as progress:
        curves = landscape_curves(["paper", "default"], n, progress)
    from nudipole.plotting.landscape import plot_landscape
    from nudipole.plotting.reach_plots import save_figure

    # The seed's Fig. 3 set of existing limits, so that the figure is a reproduction.
    paper_limits = load_catalogue().paper_set()
    save_figure(plot_landscape(list(Flavour), paper_limits, curves), path)
    out.print(f"wrote {path}")
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
        table.add_row(
            row["curve"],
            f"{row['published']:.2g}",
            f"{row['paper']:.3g}",
            f"{row['paper'] / row['published']:.2f}",
            f"{row['default']:.3g}",
            f"{row['default'] / row['paper']:.2f}",
        )
    out.print(table)
    # Interval edges solved on each curve (not on its mass grid): the curves' d95 at any mass.
    d95_at = {
        f"{curve.label} [{preset}]": curve_function(curve, preset)
        for preset in ("paper", "default")
        for curve, _ in LANDSCAPE
    }
    out.print(newground_table(curves, paper_limits, "the seed's Fig. 3 limits", d95_at))
    out.print(newground_table(curves, load_catalogue(), "the full catalogue", d95_at))


def newground_table(
    curves: list[tuple[ReachResult, Any]],
    limits: LimitSet,
    name: str,
    d95_at: dict[str, Callable[[float], float]] | None = None,
) -> Table:
    """New ground of each landscape curve per flavour against ``limits``, with the seed's;
    edges solved on the curve where ``d95_at`` (by curve label) gives it at any mass."""
    sizes = sorted({r.mass.size for r, _ in curves})
    edges = "solved on each curve" if d95_at else "interpolated between the grid masses"
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

    def curve_intervals(result: ReachResult, label: str) -> list[list[Interval]]:
        return [
            new_ground_intervals(
                limits.for_flavour(flavour),
                result.mass,
                result.d95,
                d95_at=(d95_at or {}).get(label),
            )
            for flavour in LANDSCAPE_FLAVOURS
        ]

    # one curve per thread (its d95 function is then used by one thread only)
    per_curve = run_threads(
        [functools.partial(curve_intervals, result, style.label) for result, style in curves]
    )
    for (result, style), found in zip(curves, per_curve, strict=True):
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
