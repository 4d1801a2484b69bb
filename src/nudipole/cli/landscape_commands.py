"""CLI actions for the limits landscape: ``limits`` and ``figure landscape`` (``newground``:
:mod:`nudipole.cli.newground_commands`)."""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rich.table import Table

from nudipole._version import provenance
from nudipole.api import (
    collider_preset,
    mass_grid,
    resolve_experiment,
)
from nudipole.cli._commands import COMMANDS
from nudipole.cli._common import range_count
from nudipole.cli.reach_commands import curve_result
from nudipole.experiments import ExperimentError
from nudipole.io.results import json_safe, load_result
from nudipole.limits import LimitSet, envelope, load_catalogue
from nudipole.model import Flavour
from nudipole.reach.recipes import LANDSCAPE, Curve
from nudipole.reach.result import ReachResult
from nudipole.reach.scan import reach_function
from nudipole.reach.scan_setup import IntegrationOptions

FLAVOURS = [f.value for f in Flavour]
#: Default mass grid of the ``limits --json`` envelope, and its largest size (each mass costs
#: about 5 ms).
ENVELOPE_RANGE = (1e-3, 10.0, 200)
MAX_ENVELOPE_MASSES = 2000


def add_limit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--limits",
        choices=["paper", "all"],
        # None is "all" (limit_set): a figure without limits then knows it was not given
        default=None,
        help="existing limits: the seed's Fig. 3 set or the full catalogue (default all)",
    )
    p.add_argument(
        "--cl95",
        action="store_true",
        help="rescale 90%% CL limits to 95%% CL (docs/existing-limits.md)",
    )


def limit_set(args: argparse.Namespace) -> str:
    """``--limits`` as given, "all" if not."""
    return str(args.limits or "all")


def chosen_limits(args: argparse.Namespace) -> LimitSet:
    limits = load_catalogue().select(limit_set(args))
    return limits.at_95() if args.cl95 else limits


def _catalogue_rows(limits: LimitSet) -> list[dict[str, Any]]:
    return [
        {
            "id": lim.id,
            "label": lim.label,
            "flavours": [str(f) for f in lim.flavours],
            "cl": lim.cl,
            "rescaled_to_95": lim.rescaled,
            "geometry": lim.geometry,
            "mass_range_GeV": list(lim.mass_range),
            "arxiv": lim.arxiv,
            "reference": lim.reference,
            "data_reference": lim.data_reference,
            "in_paper": lim.in_paper,
        }
        for lim in limits
    ]


# ----------------------------------------------------------------------------- limits
def add_limits(sub: Any) -> None:
    p = sub.add_parser(
        "limits",
        help=COMMANDS["limits"].help,
        description="The catalogue of existing limits on d_e, d_mu, d_tau.",
    )
    p.add_argument("--flavour", choices=FLAVOURS, help="only limits on this flavour")
    add_limit_options(p)
    p.add_argument(
        "--mass-range",
        type=float,
        nargs=3,
        metavar=("LO", "HI", "N"),
        help="with --flavour and --json: mass grid of the envelope, N log-spaced masses "
        f"(N at most {MAX_ENVELOPE_MASSES}; default 1e-3 10 200)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON (with --flavour: the combined envelope on the mass grid)",
    )
    p.set_defaults(func=run_limits)


def run_limits(args: argparse.Namespace) -> int:
    from nudipole.cli._common import console

    if args.mass_range is not None and not (args.flavour and args.json):
        raise ExperimentError(
            "--mass-range sets the grid of the envelope, which only 'limits --flavour F --json' "
            "prints: add --flavour and --json, or drop --mass-range"
        )
    limits = chosen_limits(args)
    if args.flavour:
        limits = limits.for_flavour(args.flavour)
    if args.json:
        out: dict[str, Any] = {
            "limit_set": limit_set(args),
            "cl95": bool(args.cl95),
            **provenance(),
            "units": {"mass": "GeV", "envelope": "GeV^-1"},
            "limits": _catalogue_rows(limits),
        }
        if args.flavour:
            lo, hi, n = args.mass_range or ENVELOPE_RANGE
            count = range_count(n)
            if count > MAX_ENVELOPE_MASSES:
                raise ExperimentError(
                    f"--mass-range N = {count}: the envelope takes at most "
                    f"{MAX_ENVELOPE_MASSES} masses (about 5 ms each; a few hundred resolve it)"
                )
            m = mass_grid(lo, hi, count)
            env = envelope(limits, m)
            out["flavour"] = args.flavour
            out["mass"] = m.tolist()
            out["envelope"] = [None if not np.isfinite(v) else float(v) for v in env]
        sys.stdout.write(json.dumps(json_safe(out), indent=1, allow_nan=False) + "\n")
        return 0
    table = Table(header_style="bold", show_edge=False)
    for col in ("id", "limit", "flavours", "CL", "region", "m_N range [GeV]", "arXiv", "in Fig. 3"):
        table.add_column(col, no_wrap=True)
    for lim in limits:
        lo, hi = lim.mass_range
        cl = f"{round(100 * lim.cl)}%" + (" (resc.)" if lim.rescaled else "")
        table.add_row(
            lim.id,
            lim.label,
            "all" if len(lim.flavours) == len(Flavour) else ",".join(lim.flavours),
            cl,
            lim.geometry,
            f"{lo:.2g} - {hi:.3g}",
            lim.arxiv,
            "yes" if lim.in_paper else "",
        )
    c = console()
    c.print(table)
    c.print("\nreferences:")
    for lim in limits:
        data = f"; data: {lim.data_reference}" if lim.data_reference else ""
        c.print(f"  {lim.id}: {lim.citation}{data}", soft_wrap=True)
    return 0


# ----------------------------------------------------------------------------- landscape
def curve_function(curve: Curve, preset: str) -> Callable[[float], float]:
    """d95 at any mass of the recipe curve that :func:`curve_result` scans on a grid."""
    exp = resolve_experiment(curve.experiment, sqrt_s=curve.sqrt_s, lumi=curve.lumi)
    return reach_function(exp, collider_preset(preset), curve.selection, IntegrationOptions())


def landscape_curves(
    presets: list[str], n: int, progress: Any, workers: int | None = None
) -> list[tuple[ReachResult, Any]]:
    """The e+e- curves of seed Fig. 3 (:data:`LANDSCAPE`) for each preset, with their styles;
    computed on ``workers`` threads (:func:`nudipole._parallel.run_threads`)."""
    from nudipole._parallel import run_threads
    from nudipole.plotting.landscape import CurveStyle

    pairs = [(preset, curve, style) for preset in presets for curve, style in LANDSCAPE]
    # the curves side by side on threads, each as it is alone
    results = run_threads(
        [
            functools.partial(curve_result, curve, preset, None, n, progress, m_min=1e-3)
            for preset, curve, _ in pairs
        ],
        workers,
    )
    out = []
    for result, (preset, curve, style) in zip(results, pairs, strict=True):
        faded = preset == "default"
        look = CurveStyle(
            label=f"{curve.label} [{preset}]",
            color=curve.color,
            linestyle=style,
            alpha=0.5 if faded else 1.0,
            linewidth=1.2 if faded else 1.8,
        )
        out.append((result, look))
    return out


def make_landscape(
    output: Path,
    flavour: str,
    limits: LimitSet,
    presets: list[str],
    n: int,
    extra: list[Path],
    show_progress: bool,
) -> None:
    from nudipole.cli._common import progress_bar
    from nudipole.plotting.landscape import CurveStyle, plot_landscape
    from nudipole.plotting.reach_plots import save_figure

    flavours = list(Flavour) if flavour == "all" else [Flavour(flavour)]
    with progress_bar(len(presets) * len(LANDSCAPE) * n, "landscape", show_progress) as progress:
        curves = landscape_curves(presets, n, progress)
    palette = ["purple", "brown", "olive", "teal", "magenta"]
    for i, path in enumerate(extra):
        result = load_result(path)
        curves.append(
            (
                result,
                CurveStyle(
                    label=f"{path.name}: {result.label}",
                    color=palette[i % len(palette)],
                    linestyle="--",
                ),
            )
        )
    save_figure(plot_landscape(flavours, limits, curves), output)
