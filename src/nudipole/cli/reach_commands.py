"""``nudipole reach`` for the e+ e- experiments, and the modelling options it shares.

:func:`add_model_options` / :func:`model_kwargs` define the conventions and integration
options of an e+ e- reach (used by ``reach``, ``newground`` and ``events``); far detectors
(:mod:`nudipole.cli.lhc_commands`) take their own options, and ``reach`` hands them over to
:func:`nudipole.cli.lhc_commands.run_far_reach`. :func:`curve_result` computes one curve of a
figure recipe (:mod:`nudipole.reach.recipes`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from nudipole._api_checks import photon_settings
from nudipole.api import check_counted_options, mass_grid, reach, resolve_experiment
from nudipole.cli._commands import COMMANDS
from nudipole.cli._common import (
    _positive_int,
    background_uncertainty_value,
    check_output,
    console,
    given_masses,
    output_result,
    progress_bar,
)
from nudipole.cli.ew_commands import add_coupling_options
from nudipole.cli.lhc_commands import (
    add_far_error_rule,
    add_far_options,
    reject_far_options,
    run_far_reach,
)
from nudipole.experiments import (
    ExperimentError,
    FarDetectorExperiment,
    builtin_names,
    load_definition,
)
from nudipole.model import FlavourMode, Nature
from nudipole.physics.angular import PhotonAngular
from nudipole.physics.sm import EWScheme
from nudipole.reach.presets import PRESETS, ChargeStates, DecayModel
from nudipole.reach.recipes import Curve
from nudipole.reach.result import ReachResult
from nudipole.reach.scan_setup import RANDOM_SAMPLERS, SAMPLERS
from nudipole.stats import USER_STATISTICS

#: Defaults of the e+e- integration options (None in the parser, so that far detectors can
#: tell an option the user gave from one they did not).
N_EVENTS = 16384
SEED = 20220415
#: Options that override one convention of the preset: (flag, its values, help).
CONVENTION_OPTIONS: tuple[tuple[str, Iterable[StrEnum], str], ...] = (
    (
        "--statistic",
        USER_STATISTICS,
        "override the test statistic (chi2 = seed's S^2/(S+B); asimov = Poisson likelihood; "
        "poisson-cls = median CLs limit on the summed signal, for few events)",
    ),
    (
        "--photon-angular",
        PhotonAngular,
        "override the photon angular distribution in the N rest frame",
    ),
    ("--charge-states", ChargeStates, "override which Dirac channels are counted"),
    ("--decay-model", DecayModel, "override the decay-volume model"),
    ("--nature", Nature, "Dirac (default) or Majorana N"),
)


def add_model_options(p: argparse.ArgumentParser, flavour: bool = True) -> None:
    p.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        default="default",
        help="modelling conventions (default: physically correct; "
        "paper: reproduces arXiv:2204.07802)",
    )
    for flag, values, text in CONVENTION_OPTIONS:
        p.add_argument(flag, choices=[v.value for v in values], help=text)
    p.add_argument(
        "--sampler",
        choices=SAMPLERS,
        help="acceptance integration (default rules: deterministic, cut-adapted)",
    )
    p.add_argument(
        "--events",
        type=_positive_int,
        help=f"events per mass (--sampler mc or sobol only; default {N_EVENTS})",
    )
    p.add_argument(
        "--seed", type=int, help=f"random seed (--sampler mc or sobol only; default {SEED})"
    )
    p.add_argument(
        "--bkg-uncertainty",
        type=background_uncertainty_value,
        metavar="R",
        help="relative uncertainty of the expected background, 0 to 1 (e.g. 0.01 = 1 %%; "
        "default: the selection's, 0 for the built-in experiments), profiled in the statistic; "
        "far detectors: only where the detector file expects background (default preset)",
    )
    p.add_argument(
        "--ew-scheme",
        choices=[s.value for s in EWScheme],
        help="electroweak input scheme of the e+e- signal, background and published-limit "
        "conversions (default: the preset's; gmu for default, gmu-alpha0 for paper; see "
        "docs/electroweak.md)",
    )
    if flavour:  # (newground has its own, required --flavour)
        p.add_argument(
            "--flavour",
            choices=[f.value for f in FlavourMode],
            default="e",
            help="flavour of d (matters with --scenario/--a: W exchange, N -> l W); far "
            "detectors also take universal (d_e = d_mu = d_tau: the three flavours' production "
            "with the three-flavour width)",
        )
    add_coupling_options(
        p, default_sin2w=None, sin2w_note="; far detectors: with --scenario or --a only"
    )
    p.add_argument(
        "--no-w-interference",
        dest="w_interference",
        action="store_false",
        help="drop the W-gamma/W-Z interference in e+e- -> N nu_e (as the talk's slide; "
        "electron flavour with a --scenario or --a that has d_W)",
    )


def check_sampler_options(args: argparse.Namespace) -> None:
    """Refuse --events and --seed with a deterministic sampler (the default rules, or
    quadrature), which would ignore them."""
    sampler = args.sampler or "rules"
    given = [
        f"{flag} {value}"
        for flag, value in (("--events", args.events), ("--seed", args.seed))
        if value is not None
    ]
    if given and sampler not in RANDOM_SAMPLERS:
        verb, it = ("applies", "it") if len(given) == 1 else ("apply", "them")
        raise ExperimentError(
            f"{', '.join(given)}: {verb} only to the random samplers (--sampler mc or sobol); "
            f"--sampler {sampler} is deterministic: drop {it}"
        )


def photon_given(args: argparse.Namespace) -> dict[str, object]:
    """The settings of N's decay and of the acceptance integration on the command line
    (None where not given), for :func:`nudipole.api.check_counted_options`."""
    return photon_settings(args.photon_angular, args.decay_model, args.nature, args.sampler)


def model_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """The e+ e- conventions and integration options of ``args`` (checked: see
    :func:`check_sampler_options`) as keywords of :func:`nudipole.api.reach`."""
    check_sampler_options(args)
    return {
        "preset": args.preset,
        "statistic": args.statistic,
        "photon_angular": args.photon_angular,
        "charge_states": args.charge_states,
        "decay_model": args.decay_model,
        "nature": args.nature,
        "sampler": args.sampler or "rules",
        "n_events": N_EVENTS if args.events is None else args.events,
        "seed": SEED if args.seed is None else args.seed,
        "flavour": args.flavour,
        "scenario": args.scenario,
        "a": args.a,
        "sin2w": args.sin2w,
        "w_interference": args.w_interference,
        "background_uncertainty": args.bkg_uncertainty,
        "ew_scheme": args.ew_scheme,
    }


# --------------------------------------------------------------------------- reach
def add_reach(sub: Any) -> None:
    p = sub.add_parser(
        "reach",
        help=COMMANDS["reach"].help,
        description="Expected 95%% CL upper limit on the dipole coupling d.",
    )
    p.add_argument(
        "experiment",
        help=f"one of {', '.join(builtin_names())} or the path to a TOML file",
    )
    p.add_argument("--selection", help="selection name (default: the experiment's)")
    masses = p.add_mutually_exclusive_group()
    masses.add_argument("--masses", type=float, nargs="+", metavar="M", help="masses in GeV")
    masses.add_argument(
        "--mass-range",
        type=float,
        nargs=3,
        metavar=("LO", "HI", "N"),
        help="N log-spaced masses from LO to HI GeV",
    )
    p.add_argument("--sqrt-s", type=float, metavar="GEV", help="run at this c.m. energy only")
    p.add_argument(
        "--lumi", metavar="LUMI", help="integrated luminosity, e.g. 30/ab, 20/fb, 500/pb"
    )
    add_model_options(p)
    add_far_options(p)
    add_far_error_rule(p)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("-o", "--output", metavar="FILE", help="also write the result (.json or .csv)")
    p.set_defaults(func=run_reach)


def print_table(result: ReachResult, console: Console) -> None:
    inp = result.inputs
    conv = inp["conventions"]
    console.print(
        f"[bold]{inp['experiment_title']}[/bold]  selection={inp['selection']}  "
        f"luminosity={inp['total_luminosity']} in {len(inp['points'])} point(s)  "
        f"preset={inp['preset']}"
    )
    console.print(
        f"photons: {conv['photon_angular']}, channels: {conv['charge_states']}, decay: "
        f"{conv['decay_model']}, statistic: {conv['statistic']} "
        f"({_threshold_text(conv)}), {integration_text(inp['integration'])}"
    )
    cpl = inp["couplings"]
    if cpl["couplings"] != "photon only":
        console.print(
            f"couplings: {cpl['couplings']}, flavour {cpl['flavour']}: d_Z/d_gamma = "
            f"{cpl['dZ_over_dgamma']:.4g}, d_W/d_gamma = {cpl['dW_over_dgamma']:.4g} "
            f"(sin^2 theta_w = {cpl['sin2w']:g}); the limit is on d_gamma"
        )
    limit = inp["limit"]
    if limit["type"] == "counting":
        bkg_irr = sum(p["background_irreducible"] for p in inp["points"])
        bkg_red = sum(p["background_reducible"] for p in inp["points"])
        unc = conv.get("background_uncertainty") or 0.0
        console.print(
            f"background: {bkg_irr:.4g} irreducible (SM nu nubar gamma, "
            f"{inp['sm_background']}) + {bkg_red:.4g} reducible events, "
            f"relative uncertainty {100 * unc:g} %"
        )
    else:
        console.print(f"limit: {limit['type']} ({limit['source']})")
    table = Table(show_edge=False, header_style="bold")
    table.add_column("m_N [GeV]", justify="right")
    table.add_column("d95 [GeV^-1]", justify="right")
    table.add_column("int. error", justify="right")
    table.add_column("acceptance", justify="right")
    for m, d, e, a in zip(
        result.mass, result.d95, result.d95_error, result.acceptance, strict=True
    ):
        table.add_row(
            f"{m:.4g}",
            "no sensitivity" if np.isnan(d) else f"{d:.3e}",
            "" if np.isnan(e) else f"{100 * e / d:.2f} %",
            f"{a:.3f}",
        )
    console.print(table)


def integration_text(integration: dict[str, Any]) -> str:
    """How the acceptance was integrated, for the header lines: the seed only where it is used."""
    if integration["sampler"] == "rules":
        return "rules (deterministic)"
    return f"{integration['sampler']} seed {integration['seed']}"


def _threshold_text(conv: dict[str, Any]) -> str:
    """What the statistic must reach: Delta, or the signal events of poisson-cls."""
    events = conv.get("signal_events_required")
    if events is not None:
        return f"S95 = {events:.4g} events"
    return f"Delta = {conv['delta_chi2']:.4f}"


def run_reach(args: argparse.Namespace) -> int:
    out = check_output(args.output, (".json", ".csv")) if args.output else None
    definition = load_definition(args.experiment)
    if isinstance(definition, FarDetectorExperiment):
        return run_far_reach(args, definition, out)
    reject_far_options(args)
    masses = given_masses(args)
    exp = resolve_experiment(definition, sqrt_s=args.sqrt_s, lumi=args.lumi)
    check_counted_options(
        exp, [args.selection], args.lumi, args.statistic, args.bkg_uncertainty, photon_given(args)
    )
    n = len(masses) if masses is not None else 60
    with progress_bar(n, f"{exp.title} reach", not args.json) as progress:
        result = reach(
            exp, masses, selection=args.selection, progress=progress, **model_kwargs(args)
        )
    output_result(result, out, args.json, lambda r: print_table(r, console()))
    return 0


def curve_result(
    curve: Curve,
    preset: str,
    masses: np.ndarray | None,
    n: int,
    progress: Callable[[int], None] | None,
    m_min: float = 0.01,
    background_uncertainty: float | None = None,
) -> ReachResult:
    """Reach of one recipe curve on ``n`` log-spaced masses (or the given ``masses``), with
    the selection's background uncertainty or ``background_uncertainty`` (relative)."""
    exp = resolve_experiment(curve.experiment, sqrt_s=curve.sqrt_s, lumi=curve.lumi)
    m = masses if masses is not None else mass_grid(m_min, 0.995 * exp.max_sqrt_s, n)
    return reach(
        exp,
        m,
        selection=curve.selection,
        preset=preset,
        progress=progress,
        background_uncertainty=background_uncertainty,
    )
