"""``nudipole events``: expected counts at one (m_N, d) point, stage by stage, any experiment.

Far detectors: one row per meson channel (:func:`nudipole.cli.lhc_commands.run_far_events`).
e+ e- experiments: one row per selection (and per energy point with ``--per-point``), built
from the reach scan's own templates (:mod:`nudipole.reach.collider_events`, where every
stage is defined).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from rich.table import Table

from nudipole._version import provenance
from nudipole.api import (
    check_counted_options,
    collider_events,
    collider_preset,
    resolve_experiment,
    single_flavour,
)
from nudipole.cli._commands import COMMANDS
from nudipole.cli._common import console
from nudipole.cli.lhc_commands import add_far_options, reject_far_options, run_far_events
from nudipole.cli.reach_commands import (
    add_model_options,
    integration_text,
    model_kwargs,
    photon_given,
)
from nudipole.experiments import Experiment, ExperimentError, builtin_names, load_definition
from nudipole.reach.collider_events import PointEvents, SelectionEvents
from nudipole.reach.model import make_model
from nudipole.reach.signal import charge_multiplicity
from nudipole.units import format_luminosity

#: What each e+ e- column means (printed under the table, written into the JSON).
DEFINITIONS = {
    "produced": "L x n x sigma(e+e- -> N nubar) at this d (seed Eq. 3; with Z/W couplings "
    "arXiv:2301.06050), n = 2 counted channels (N nubar + Nbar nu, or a Majorana N)",
    "acceptance": "fraction of the N produced whose photon (N -> nu gamma, emitted at the "
    "interaction point) passes every cut of the selection, as the 'acceptance' of nudipole "
    "reach; every N starts inside the fiducial volume, so this takes the place of the far "
    "detectors' 'N heading into the detector'",
    "in_acceptance": "N produced x acceptance",
    "decay_probability": "probability that an N in acceptance decays (to any channel) inside "
    "the fiducial cylinder along its lab path (decay model lab-volume) or within the seed's "
    "l_D (fixed-length)",
    "decaying": "N in acceptance x decay probability",
    "passing": "N decaying in x photon efficiency x Br(N -> nu gamma): the signal of the "
    "reach scan",
    "background": "SM nu nubar gamma + reducible background expected in the same selection "
    "(n/a for a published limit, whose background is inside the published number)",
    "signal_required": "passing events at which the reach scan's 95% CL statistic reaches its "
    "threshold (point shares as at this d); d is excluded if passing >= S95",
}


def add_events(sub: Any) -> None:
    p = sub.add_parser(
        "events",
        help=COMMANDS["events"].help,
        description="Far detectors, per meson channel: parents, N produced, N heading into the "
        "detector, N decaying inside it, events passing the selection. e+e- experiments, per "
        "selection: N produced, N in acceptance (photon passing the cuts), N decaying inside "
        "the fiducial volume, events passing (x efficiency x Br), background, and the signal "
        "the 95%% CL statistic needs, from the reach scan's own integration.",
    )
    p.add_argument(
        "experiment", help=f"one of {', '.join(builtin_names())} or the path to a TOML file"
    )
    p.add_argument("--mass", type=float, required=True, metavar="M", help="m_N in GeV")
    p.add_argument(
        "--d", type=float, required=True, metavar="D", help="d in GeV^-1 (d_gamma with Z/W)"
    )
    g = p.add_argument_group("e+e- experiments")
    g.add_argument("--selection", help="one selection (default: all, the experiment's first)")
    g.add_argument("--sqrt-s", type=float, metavar="GEV", help="run at this c.m. energy only")
    g.add_argument(
        "--per-point",
        action="store_true",
        help="one row per energy point as well (BESIII has 71)",
    )
    p.add_argument("--lumi", metavar="LUMI", help="integrated luminosity, e.g. 50/ab, 3/ab")
    add_model_options(p)
    add_far_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_events)


def run_events(args: argparse.Namespace) -> int:
    definition = load_definition(args.experiment)
    if not isinstance(definition, Experiment):
        if args.per_point:
            raise ExperimentError(
                f"{definition.title} is a far detector: --per-point applies only to e+e- "
                "experiments; drop it"
            )
        return run_far_events(args, definition)
    reject_far_options(args)
    exp = resolve_experiment(definition, sqrt_s=args.sqrt_s, lumi=args.lumi)
    names = list(exp.selections) if args.selection is None else [args.selection]
    # (the luminosity scales the counts shown, even for a published limit: not refused)
    check_counted_options(
        exp, names, None, args.statistic, args.bkg_uncertainty, photon_given(args)
    )
    kwargs = model_kwargs(args)
    rows = collider_events(exp, args.mass, args.d, selection=args.selection, **kwargs)
    header = _header(args, exp, kwargs)
    if args.json:
        out = {
            **header,
            "units": {
                "mass": "GeV",
                "d": "GeV^-1",
                "counts": "expected events",
                "acceptance, decay_probability": "fraction",
            },
            "definitions": DEFINITIONS,
            "selections": [_selection_dict(r) for r in rows],
        }
        sys.stdout.write(json.dumps(_clean(out), indent=1) + "\n")
        return 0
    _print_table(header, rows, args.per_point)
    return 0


def _header(args: argparse.Namespace, exp: Experiment, kwargs: dict[str, Any]) -> dict[str, Any]:
    preset = collider_preset(
        kwargs["preset"],
        kwargs["statistic"],
        kwargs["photon_angular"],
        kwargs["charge_states"],
        kwargs["decay_model"],
        kwargs["nature"],
        kwargs["ew_scheme"],
    )
    # the SM inputs in the preset's scheme, as the counts use them
    model = make_model(
        single_flavour(kwargs["flavour"]),
        kwargs["scenario"],
        kwargs["a"],
        kwargs["sin2w"],
        kwargs["w_interference"],
    ).with_scheme(preset.ew_scheme)
    return {
        **provenance(),
        "experiment": exp.name,
        "experiment_title": exp.title,
        "mass": args.mass,
        "d": args.d,
        "coupling": "d" if model.photon_only else "d_gamma",
        "preset": preset.name,
        "conventions": {
            "photon_angular": str(preset.effective_photon_angular),
            "charge_states": str(preset.charge_states),
            "charge_multiplicity": charge_multiplicity(preset),
            "decay_model": str(preset.decay_model),
            "statistic": str(preset.statistic),
            "nature": str(preset.nature),
            # relative; None: each selection's own (0 for the built-in experiments)
            "background_uncertainty": kwargs["background_uncertainty"],
        },
        "couplings": model.describe(),
        "photon_efficiency": exp.detector.efficiency,
        "total_luminosity": format_luminosity(exp.total_luminosity_pb),
        "integration": {
            "sampler": kwargs["sampler"],
            "n_events": kwargs["n_events"],
            "seed": kwargs["seed"],
        },
    }


def _point_dict(p: PointEvents) -> dict[str, Any]:
    return {
        **vars(p),
        "luminosity": format_luminosity(p.luminosity_pb),
        "background": p.background,
    }


def _selection_dict(r: SelectionEvents) -> dict[str, Any]:
    return {
        "selection": r.selection,
        "limit": r.limit,
        "produced": r.produced,
        "acceptance": r.acceptance,
        "in_acceptance": r.in_acceptance,
        "decay_probability": r.decay_probability,
        "decaying": r.decaying,
        "passing": r.passing,
        "background": r.background,
        "signal_required": r.signal_required,
        "statistic": r.statistic,
        "statistic_value": r.statistic_value,
        "threshold": r.threshold,
        "excluded": r.excluded,
        "note": r.note,
        "points": [_point_dict(p) for p in r.points],
    }


def _clean(value: Any) -> Any:
    """NaN and infinities -> null (JSON has neither)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _num(value: float, fmt: str = ".3e") -> str:
    return "n/a" if math.isnan(value) else format(value, fmt)


def _energies(points: tuple[PointEvents, ...]) -> str:
    if len(points) == 1:
        return f"{points[0].sqrt_s:g}"
    lo = min(p.sqrt_s for p in points)
    hi = max(p.sqrt_s for p in points)
    return f"{lo:.4g}-{hi:.4g} ({len(points)} points)"


def _cells(
    produced: float,
    acceptance: float,
    in_acceptance: float,
    decay_probability: float,
    decaying: float,
    passing: float,
    background: float,
) -> list[str]:
    return [
        _num(produced),
        _num(acceptance, ".3f"),
        _num(in_acceptance),
        _num(decay_probability, ".3f"),
        _num(decaying),
        _num(passing),
        _num(background),
    ]


def _print_table(header: dict[str, Any], rows: list[SelectionEvents], per_point: bool) -> None:
    c = console()
    conv = header["conventions"]
    cpl = header["couplings"]
    c.print(
        f"[bold]{header['experiment_title']}[/bold]  m_N = {header['mass']:g} GeV, "
        f"{header['coupling']} = {header['d']:g} GeV^-1, preset={header['preset']}, "
        f"luminosity {header['total_luminosity']}"
    )
    c.print(
        f"photons: {conv['photon_angular']}, channels: {conv['charge_states']} "
        f"(n = {conv['charge_multiplicity']:g}), decay: {conv['decay_model']}, "
        f"statistic: {conv['statistic']}, {conv['nature']} N, photon efficiency "
        f"{header['photon_efficiency']:g}, {integration_text(header['integration'])}"
    )
    if cpl["couplings"] != "photon only":
        c.print(
            f"couplings: {cpl['couplings']}, flavour {cpl['flavour']}: d_Z/d_gamma = "
            f"{cpl['dZ_over_dgamma']:.4g}, d_W/d_gamma = {cpl['dW_over_dgamma']:.4g}"
        )
    table = Table(show_edge=False, header_style="bold")
    cols = (
        "selection",
        "sqrt(s) [GeV]",
        "N produced",
        "acceptance",
        "N in acceptance",
        "P(decay in)",
        "N decaying in",
        "passing",
        "background",
        "S95 needed",
        "excluded",
    )
    for col in cols:
        table.add_column(col, justify="left" if col == "selection" else "right")
    for r in rows:
        if per_point and len(r.points) > 1:
            for p in r.points:
                cells = _cells(
                    p.produced,
                    p.acceptance,
                    p.in_acceptance,
                    p.decay_probability,
                    p.decaying,
                    p.passing,
                    p.background,
                )
                table.add_row("", f"{p.sqrt_s:g}", *cells, "", "")
        cells = _cells(
            r.produced,
            r.acceptance,
            r.in_acceptance,
            r.decay_probability,
            r.decaying,
            r.passing,
            r.background,
        )
        table.add_row(
            r.selection,
            _energies(r.points) if not (per_point and len(r.points) > 1) else "all",
            *cells,
            _num(r.signal_required),
            "yes" if r.excluded else "no",
        )
    c.print(table)
    notes = [f"{r.selection}: {r.note}" for r in rows if r.note]
    for line in (
        f"N produced = {DEFINITIONS['produced']}.",
        f"acceptance = {DEFINITIONS['acceptance']}.",
        f"P(decay in) = {DEFINITIONS['decay_probability']}.",
        f"passing = {DEFINITIONS['passing']}.",
        f"background = {DEFINITIONS['background']}.",
        f"S95 needed = {DEFINITIONS['signal_required']}.",
        *notes,
    ):
        c.print(line, highlight=False)
