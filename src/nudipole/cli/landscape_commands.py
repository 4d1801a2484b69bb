"""CLI actions for the limits landscape: ``limits``, ``figure landscape``, ``newground``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from rich.table import Table

from nudipole.api import far_reach, luminosity_pb, mass_grid, reach, resolve_experiment
from nudipole.cli.reach_commands import add_model_options, curve_result, model_kwargs
from nudipole.experiments import ExperimentError, FarDetectorExperiment, load_definition
from nudipole.io.results import load_result
from nudipole.limits import LimitSet, envelope, load_catalogue, new_ground_intervals
from nudipole.limits.newground import new_ground_band_intervals
from nudipole.model import Flavour
from nudipole.reach.recipes import LANDSCAPE
from nudipole.reach.result import ReachResult

FLAVOURS = [f.value for f in Flavour]
NEWGROUND_POINTS = 240


def add_limit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--limits",
        choices=["paper", "all"],
        default="all",
        help="existing limits: the seed's Fig. 3 set or the full catalogue (default all)",
    )
    p.add_argument(
        "--cl95",
        action="store_true",
        help="rescale 90%% CL limits to 95%% CL (docs/existing-limits.md)",
    )


def chosen_limits(args: argparse.Namespace) -> LimitSet:
    limits = load_catalogue().select(args.limits)
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
        help="list existing limits, or their envelope for one flavour",
        description="The catalogue of existing limits on d_e, d_mu, d_tau.",
    )
    p.add_argument("--flavour", choices=FLAVOURS, help="only limits on this flavour")
    add_limit_options(p)
    p.add_argument(
        "--mass-range",
        type=float,
        nargs=3,
        metavar=("LO", "HI", "N"),
        default=[1e-3, 10.0, 200],
        help="mass grid of the envelope (default 1e-3 10 200)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON (with --flavour: the combined envelope on the mass grid)",
    )
    p.set_defaults(func=run_limits)


def run_limits(args: argparse.Namespace) -> int:
    from nudipole.cli._common import console

    limits = chosen_limits(args)
    if args.flavour:
        limits = limits.for_flavour(args.flavour)
    if args.json:
        out: dict[str, Any] = {
            "limit_set": args.limits,
            "cl95": bool(args.cl95),
            "units": {"mass": "GeV", "envelope": "GeV^-1"},
            "limits": _catalogue_rows(limits),
        }
        if args.flavour:
            lo, hi, n = args.mass_range
            if n != int(n):
                raise ExperimentError("--mass-range N must be a whole number")
            m = mass_grid(lo, hi, int(n))
            env = envelope(limits, m)
            out["flavour"] = args.flavour
            out["mass"] = m.tolist()
            out["envelope"] = [None if not np.isfinite(v) else float(v) for v in env]
        sys.stdout.write(json.dumps(out, indent=1) + "\n")
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
def landscape_curves(
    presets: list[str], n: int, seed: int, progress: Any
) -> list[tuple[ReachResult, Any]]:
    from nudipole.plotting.landscape import CurveStyle

    out = []
    for preset in presets:
        for curve, style in LANDSCAPE:
            result = curve_result(curve, preset, None, n, seed, progress, m_min=1e-3)
            faded = preset == "default"
            out.append(
                (
                    result,
                    CurveStyle(
                        label=f"{curve.label} [{preset}]",
                        color=curve.color,
                        linestyle=style,
                        alpha=0.5 if faded else 1.0,
                        linewidth=1.2 if faded else 1.8,
                    ),
                )
            )
    return out


def make_landscape(
    output: Path,
    flavour: str,
    limits: LimitSet,
    presets: list[str],
    n: int,
    seed: int,
    extra: list[Path],
    show_progress: bool,
) -> None:
    from nudipole.cli._common import progress_bar
    from nudipole.plotting.landscape import CurveStyle, plot_landscape
    from nudipole.plotting.reach_plots import save_figure

    flavours = list(Flavour) if flavour == "all" else [Flavour(flavour)]
    with progress_bar(len(presets) * len(LANDSCAPE) * n, "landscape", show_progress) as progress:
        curves = landscape_curves(presets, n, seed, progress)
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


# ----------------------------------------------------------------------------- newground
def add_newground(sub: Any) -> None:
    from nudipole.cli.lhc_commands import add_far_options

    p = sub.add_parser(
        "newground",
        help="mass intervals where a projection beats every existing limit",
        description="Where the projected limit is stronger than every existing limit.",
    )
    p.add_argument(
        "experiment", help="besiii, belle2, stcf, a TOML file, or a saved result (.json/.csv)"
    )
    p.add_argument("--flavour", choices=FLAVOURS, required=True)
    p.add_argument("--selection")
    p.add_argument("--sqrt-s", type=float, metavar="GEV")
    p.add_argument("--lumi", metavar="LUMI")
    p.add_argument("--points", type=int, default=NEWGROUND_POINTS, help="masses scanned (log grid)")
    add_model_options(p, flavour=False)
    add_far_options(p)
    add_limit_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_newground)


def newground_result(args: argparse.Namespace) -> ReachResult:
    from nudipole.cli._common import progress_bar

    source = Path(args.experiment)
    if source.suffix.lower() in (".json", ".csv"):
        return load_result(source)
    definition = load_definition(args.experiment)
    if isinstance(definition, FarDetectorExperiment):
        from nudipole.cli.lhc_commands import FIGURE_MASSES, far_kwargs, reject_collider_options

        reject_collider_options(args, definition.title)
        far = (
            definition
            if args.lumi is None
            else definition.with_luminosity(luminosity_pb(args.lumi))
        )
        masses = mass_grid(*FIGURE_MASSES, args.points)
        with progress_bar(len(masses), f"{far.title} band", not args.json) as progress:
            return far_reach(
                far,
                masses,
                progress=progress,
                error_estimate=False,
                **far_kwargs(args),
            )
    exp = resolve_experiment(definition, sqrt_s=args.sqrt_s, lumi=args.lumi)
    masses = mass_grid(1e-3, 0.995 * exp.max_sqrt_s, args.points)
    with progress_bar(len(masses), f"{exp.title} reach", not args.json) as progress:
        return reach(exp, masses, selection=args.selection, progress=progress, **model_kwargs(args))


def run_newground(args: argparse.Namespace) -> int:
    from nudipole.cli._common import console

    limits = chosen_limits(args).for_flavour(args.flavour)
    result = newground_result(args)
    if result.is_band:
        intervals = new_ground_band_intervals(limits, result.mass, result.d95, result.upper)
    else:
        intervals = new_ground_intervals(limits, result.mass, result.d95)
    if args.json:
        out = {
            "intervals": [iv.as_list() for iv in intervals],
            "flavour": args.flavour,
            "limit_set": args.limits,
            "cl95": bool(args.cl95),
            "limits": [lim.id for lim in limits],
            "units": {"intervals": "GeV"},
            "inputs": result.inputs,
        }
        sys.stdout.write(json.dumps(out, indent=1, default=str) + "\n")
        return 0
    c = console()
    c.print(
        f"new ground for d_{args.flavour}: {result.label} against {len(limits)} existing "
        f"limits ({args.limits}{', rescaled to 95% CL' if args.cl95 else ''})"
    )
    if not intervals:
        c.print("none: the projection is inside existing exclusions everywhere")
    for iv in intervals:
        c.print(f"  {iv.low:.4g} GeV - {iv.high:.4g} GeV")
    return 0
