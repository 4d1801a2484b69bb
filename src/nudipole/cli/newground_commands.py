"""CLI action ``newground``: the mass intervals where a projection (an experiment's reach,
computed, or a saved result) beats every existing limit, with the grid they were sought on and
a caution where it is coarse."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from nudipole.api import (
    check_counted_options,
    collider_preset,
    far_band_function,
    far_reach,
    mass_grid,
    reach,
    resolve_experiment,
)
from nudipole.cli._commands import COMMANDS
from nudipole.cli._common import curve_points
from nudipole.cli.landscape_commands import FLAVOURS, add_limit_options, chosen_limits, limit_set
from nudipole.cli.reach_commands import add_model_options, model_kwargs, photon_given
from nudipole.experiments import ExperimentError, FarDetectorExperiment, load_definition
from nudipole.io.results import json_safe, load_result
from nudipole.limits import LimitSet, new_ground_intervals
from nudipole.limits.newground import (
    CURVE_EDGE_RTOL,
    coverage_start,
    new_ground_band_intervals,
)
from nudipole.reach.model import make_model
from nudipole.reach.result import ReachResult
from nudipole.reach.scan import reach_function
from nudipole.reach.scan_setup import IntegrationOptions

#: Masses a computed projection is scanned on (``--points``).
NEWGROUND_POINTS = 240


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
        from nudipole.cli.lhc_commands import (
            FIGURE_MASSES,
            far_kwargs,
            reject_collider_options,
            with_run_options,
        )

        reject_collider_options(args, definition.title)
        far = with_run_options(definition, args)
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
    check_counted_options(
        exp, [args.selection], args.lumi, args.statistic, args.bkg_uncertainty, photon_given(args)
    )
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
