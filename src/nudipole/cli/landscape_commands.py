"""CLI actions for the limits landscape: ``limits``, ``figure landscape``, ``newground``."""

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
    check_counted_options,
    collider_preset,
    far_band_function,
    far_reach,
    luminosity_pb,
    mass_grid,
    reach,
    resolve_experiment,
)
from nudipole.cli._commands import COMMANDS
from nudipole.cli._common import curve_points, range_count
from nudipole.cli.reach_commands import add_model_options, curve_result, model_kwargs
from nudipole.experiments import ExperimentError, FarDetectorExperiment, load_definition
from nudipole.io.results import json_safe, load_result
from nudipole.limits import LimitSet, envelope, load_catalogue, new_ground_intervals
from nudipole.limits.newground import (
    CURVE_EDGE_RTOL,
    coverage_start,
    new_ground_band_intervals,
)
from nudipole.model import Flavour
from nudipole.reach.model import make_model
from nudipole.reach.recipes import LANDSCAPE, Curve
from nudipole.reach.result import ReachResult
from nudipole.reach.scan import reach_function
from nudipole.reach.scan_setup import IntegrationOptions

FLAVOURS = [f.value for f in Flavour]
NEWGROUND_POINTS = 240
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


# ----------------------------------------------------------------------------- newground
def add_newground(sub: Any) -> None:
    from nudipole.cli.lhc_commands import add_far_options

    p = sub.add_parser(
        "newground",
        help=COMMANDS["newground"].help,
        description="Where the projected limit is stronger than every existing limit. Given an "
        "experiment, the reach is computed on a log grid of --points masses and each interval "
        "edge is solved on the curve itself (e+e- experiments); given a saved result, the "
        "edges are interpolated on its masses. The grid is recorded in the output.",
    )
    p.add_argument(
        "experiment", help="besiii, belle2, stcf, a TOML file, or a saved result (.json/.csv)"
    )
    p.add_argument(
        "--flavour", choices=FLAVOURS, required=True, help="flavour of d to compare (e, mu, tau)"
    )
    p.add_argument("--selection", help="selection name (default: the experiment's)")
    p.add_argument("--sqrt-s", type=float, metavar="GEV", help="run at this c.m. energy only")
    p.add_argument("--lumi", metavar="LUMI", help="integrated luminosity, e.g. 30/ab")
    p.add_argument(
        "--points",
        type=curve_points,
        default=NEWGROUND_POINTS,
        help=f"masses scanned, log grid (2 to 1000; default {NEWGROUND_POINTS})",
    )
    add_model_options(p, flavour=False)
    add_far_options(p)
    add_limit_options(p)
    p.add_argument(
        "--json", action="store_true", help="print one JSON object (intervals in GeV, inputs)"
    )
    # What a saved result cannot take: every option that sets up a computation.
    computing = {
        a.dest: (a.option_strings[0], a.default)
        for a in p._actions
        if a.option_strings and a.dest not in ("help", "flavour", "limits", "cl95", "json")
    }
    p.set_defaults(func=run_newground, computing_options=computing)


def _given_computing_options(args: argparse.Namespace) -> list[str]:
    """The computing options given (differing from their defaults), by flag."""
    return [
        flag
        for dest, (flag, default) in args.computing_options.items()
        if getattr(args, dest, default) != default
    ]


def newground_result(args: argparse.Namespace) -> tuple[ReachResult, Any]:
    """The projection and the projection at any mass (an e+e- experiment's d95, a far
    detector's band; None for a saved result)."""
    from nudipole.cli._common import progress_bar

    source = Path(args.experiment)
    if source.suffix.lower() in (".json", ".csv"):
        given = _given_computing_options(args)
        if given:
            them = "it" if len(given) == 1 else "them"
            raise ExperimentError(
                f"{args.experiment!r} is a saved result: {', '.join(given)} would not change "
                f"it; drop {them}, or give an experiment name to compute a new projection"
            )
        return load_result(source), None
    definition = load_definition(args.experiment)
    if isinstance(definition, FarDetectorExperiment):
        from nudipole.cli.lhc_commands import FIGURE_MASSES, far_kwargs, reject_collider_options

        reject_collider_options(args, definition.title)
        far = (
            definition
            if args.lumi is None
            else definition.with_luminosity(luminosity_pb(args.lumi))
        )
        if args.bkg_uncertainty is not None:
            far = far.with_background_uncertainty(args.bkg_uncertainty)
        masses = mass_grid(*FIGURE_MASSES, args.points)
        with progress_bar(len(masses), f"{far.title} band", not args.json) as progress:
            result = far_reach(
                far,
                masses,
                progress=progress,
                error_estimate=False,
                **far_kwargs(args),
            )
        return result, far_band_function(far, **far_kwargs(args))
    exp = resolve_experiment(definition, sqrt_s=args.sqrt_s, lumi=args.lumi)
    check_counted_options(exp, [args.selection], args.lumi, args.statistic, args.bkg_uncertainty)
    masses = mass_grid(1e-3, 0.995 * exp.max_sqrt_s, args.points)
    kw = model_kwargs(args)
    with progress_bar(len(masses), f"{exp.title} reach", not args.json) as progress:
        result = reach(exp, masses, selection=args.selection, progress=progress, **kw)
    d95_at = reach_function(
        exp,
        collider_preset(
            kw["preset"],
            kw["statistic"],
            kw["photon_angular"],
            kw["charge_states"],
            kw["decay_model"],
            kw["nature"],
            kw["ew_scheme"],
        ),
        args.selection,
        IntegrationOptions(sampler=kw["sampler"], n_events=kw["n_events"], seed=kw["seed"]),
        make_model(kw["flavour"], kw["scenario"], kw["a"], kw["sin2w"], kw["w_interference"]),
        kw["background_uncertainty"],
    )
    return result, d95_at


#: Largest step of the mass grid (per cent) above which ``newground`` cautions that new
#: ground may be missed: an interval is found from its grid masses (its edges are solved
#: between them), so one that lies between two masses that are not new ground is not.
COARSE_STEP_PERCENT = 25.0


def largest_step_percent(mass: np.ndarray) -> float | None:
    """The largest step between neighbouring masses of a grid (per cent); None for one mass."""
    m = np.asarray(mass, dtype=float)
    return float(100.0 * np.expm1(np.max(np.diff(np.log(m))))) if m.size > 1 else None


def coarse_caution(mass: np.ndarray) -> str | None:
    """The caution of a grid coarser than :data:`COARSE_STEP_PERCENT`, else None."""
    step = largest_step_percent(mass)
    if step is None or step <= COARSE_STEP_PERCENT:
        return None
    # masses for steps of 10 % over the same range
    enough = int(np.ceil(np.log(mass[-1] / mass[0]) / np.log(1.1))) + 1
    return (
        f"a coarse grid (steps up to {step:.2g} %): new ground between two grid masses that are "
        f"not new ground is missed; about {enough} masses give steps of 10 %"
    )


def grid_record(result: ReachResult, solved: bool) -> dict[str, Any]:
    """How the intervals were found: the mass grid and whether edges were solved on the curve;
    a ``caution`` where the grid is coarse (:func:`coarse_caution`)."""
    m = result.mass
    step = largest_step_percent(m)
    record: dict[str, Any] = {
        "masses": int(m.size),
        "low": float(m[0]),
        "high": float(m[-1]),
        "largest_step_percent": step,
        "edges": f"solved on the curve to {CURVE_EDGE_RTOL:g} in m_N"
        if solved
        else "interpolated (log-log) between the grid masses",
    }
    caution = coarse_caution(m)
    if caution is not None:
        # a computed curve takes --points; a saved one is computed again on more masses
        hint = "--points" if solved else "save the result again on more masses"
        record["caution"] = f"{caution} ({hint})"
    return record


def empty_reason(limits: LimitSet, result: ReachResult) -> str:
    """Why there is no new ground: no sensitivity, masses below the catalogue, or covered."""
    finite = np.isfinite(result.d95) | np.isfinite(result.upper)
    if not finite.any():
        return "none: the projection has no sensitivity at any of its masses"
    start = coverage_start(limits)
    if not np.any(finite & (result.mass >= start)):
        return (
            f"none claimed: the projection is sensitive only below {start:.3g} GeV, where the "
            "catalogue of existing limits starts"
        )
    return "none: the projection is inside existing exclusions at every one of its masses"


def run_newground(args: argparse.Namespace) -> int:
    from nudipole.cli._common import console

    limits = chosen_limits(args).for_flavour(args.flavour)
    result, d95_at = newground_result(args)
    if result.is_band:
        samples = (
            result.band_samples() if d95_at is not None else (result.mass, result.d95, result.upper)
        )
        intervals = new_ground_band_intervals(limits, *samples, band_at=d95_at)
    else:
        intervals = new_ground_intervals(limits, result.mass, result.d95, d95_at=d95_at)
    grid = grid_record(result, solved=d95_at is not None)
    if args.json:
        out = {
            "intervals": [iv.as_list() for iv in intervals],
            "flavour": args.flavour,
            "limit_set": limit_set(args),
            "cl95": bool(args.cl95),
            "limits": [lim.id for lim in limits],
            "units": {"intervals": "GeV"},
            "grid": grid,
            **({} if intervals else {"note": empty_reason(limits, result)}),
            "inputs": result.inputs,
        }
        sys.stdout.write(json.dumps(json_safe(out), indent=1, default=str, allow_nan=False) + "\n")
        return 0
    c = console()
    c.print(
        f"new ground for d_{args.flavour}: {result.label} against {len(limits)} existing "
        f"limits ({limit_set(args)}{', rescaled to 95% CL' if args.cl95 else ''})"
    )
    step = grid["largest_step_percent"]
    c.print(
        f"grid: {grid['masses']} masses from {grid['low']:.4g} to {grid['high']:.4g} GeV"
        + ("" if step is None else f" (steps up to {step:.2g} %)")
        + f"; edges {grid['edges']}"
    )
    if "caution" in grid:
        c.print(f"caution: {grid['caution']}")
    if not intervals:
        c.print(empty_reason(limits, result))
    for iv in intervals:
        c.print(f"  {iv.low:.4g} GeV - {iv.high:.4g} GeV")
    return 0
