"""Sub-commands of the ``nudipole`` CLI (argument definitions and their actions)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from nudipole.api import mass_grid, reach, resolve_experiment
from nudipole.cli._common import (
    _positive_int,
    check_output,
    console,
    progress_bar,
)
from nudipole.cli.ew_commands import add_coupling_options
from nudipole.cli.lhc_commands import (
    add_far_options,
    check_figure_output,
    make_lhc_channels,
    make_lhc_far,
    run_far_reach,
)
from nudipole.experiments import (
    ExperimentError,
    FarDetectorExperiment,
    builtin_names,
    builtin_text,
    load_definition,
)
from nudipole.io.results import dumps, load_result, result_to_dict, to_csv, write_atomic
from nudipole.model import Flavour, Nature
from nudipole.physics.angular import PhotonAngular
from nudipole.reach.presets import PRESETS, ChargeStates, DecayModel
from nudipole.reach.recipes import (
    FIGURE_TITLES,
    FIGURES,
    Curve,
)
from nudipole.reach.result import ReachResult
from nudipole.reach.scan import SAMPLERS
from nudipole.stats import USER_STATISTICS
from nudipole.units import format_luminosity

LANDSCAPE_FLAVOURS = [f.value for f in Flavour]
#: Defaults of the e+e- integration options (None in the parser, so that far detectors can
#: tell an option the user gave from one they did not).
N_EVENTS = 16384
LHC_FIGURES = ("lhc-far", "lhc-channels")
SEED = 20220415


def add_model_options(p: argparse.ArgumentParser, flavour: bool = True) -> None:
    p.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        default="default",
        help="modelling conventions (default: physically correct; "
        "paper: reproduces arXiv:2204.07802)",
    )
    p.add_argument(
        "--statistic",
        choices=[s.value for s in USER_STATISTICS],
        help="override the test statistic (chi2 = seed's S^2/(S+B); asimov = Poisson likelihood)",
    )
    p.add_argument(
        "--photon-angular",
        choices=[a.value for a in PhotonAngular],
        help="override the photon angular distribution in the N rest frame",
    )
    p.add_argument(
        "--charge-states",
        choices=[c.value for c in ChargeStates],
        help="override which Dirac channels are counted",
    )
    p.add_argument(
        "--decay-model",
        choices=[d.value for d in DecayModel],
        help="override the decay-volume model",
    )
    p.add_argument(
        "--nature", choices=[n.value for n in Nature], help="Dirac (default) or Majorana N"
    )
    p.add_argument("--sampler", choices=SAMPLERS, help="acceptance integration (default mc)")
    p.add_argument(
        "--events", type=_positive_int, help=f"events per mass (mc, sobol; default {N_EVENTS})"
    )
    p.add_argument("--seed", type=int, help=f"random seed (mc, sobol; default {SEED})")
    if flavour:  # (newground has its own, required --flavour)
        p.add_argument(
            "--flavour",
            choices=[f.value for f in Flavour],
            default="e",
            help="flavour of d (matters with --scenario/--a: W exchange, N -> l W)",
        )
    add_coupling_options(p, default_sin2w=None)
    p.add_argument(
        "--no-w-interference",
        dest="w_interference",
        action="store_false",
        help="drop the W-gamma/W-Z interference in e+e- -> N nu_e (as the talk's slide)",
    )


def model_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "preset": args.preset,
        "statistic": args.statistic,
        "photon_angular": args.photon_angular,
        "charge_states": args.charge_states,
        "decay_model": args.decay_model,
        "nature": args.nature,
        "sampler": args.sampler or "mc",
        "n_events": N_EVENTS if args.events is None else args.events,
        "seed": SEED if args.seed is None else args.seed,
        "flavour": args.flavour,
        "scenario": args.scenario,
        "a": args.a,
        "sin2w": args.sin2w,
        "w_interference": args.w_interference,
    }


# --------------------------------------------------------------------------- reach
def add_reach(sub: Any) -> None:
    p = sub.add_parser(
        "reach",
        help="expected 95%% CL limit on d versus m_N for one experiment",
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
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("-o", "--output", metavar="FILE", help="also write the result (.json or .csv)")
    p.set_defaults(func=run_reach)


def _masses(args: argparse.Namespace) -> np.ndarray | None:
    if args.masses is not None:
        return np.asarray(args.masses, dtype=float)
    if args.mass_range is not None:
        lo, hi, n = args.mass_range
        if n != int(n):
            raise ExperimentError("--mass-range N must be a whole number")
        return mass_grid(lo, hi, int(n))
    return None


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
        f"(Delta = {conv['delta_chi2']:.4f}), "
        f"{inp['integration']['sampler']} seed {inp['integration']['seed']}"
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
        console.print(
            f"background: {bkg_irr:.4g} irreducible (SM nu nubar gamma, "
            f"{inp['sm_background']}) + {bkg_red:.4g} reducible events"
        )
    else:
        console.print(f"limit: {limit['type']} ({limit['source']})")
    table = Table(show_edge=False, header_style="bold")
    table.add_column("m_N [GeV]", justify="right")
    table.add_column("d95 [GeV^-1]", justify="right")
    table.add_column("MC error", justify="right")
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


def run_reach(args: argparse.Namespace) -> int:
    out = check_output(args.output, (".json", ".csv")) if args.output else None
    definition = load_definition(args.experiment)
    if isinstance(definition, FarDetectorExperiment):
        return run_far_reach(args, definition, out)
    if args.channels is not None or args.spectra != "default" or args.form_factor is not None:
        raise ExperimentError(
            "--channels, --spectra and --form-factor apply only to far detectors "
            "(faser2, mapp2, facet)"
        )
    masses = _masses(args)
    exp = resolve_experiment(definition, sqrt_s=args.sqrt_s, lumi=args.lumi)
    n = len(masses) if masses is not None else 60
    with progress_bar(n, f"{exp.title} reach", not args.json) as progress:
        result = reach(
            exp, masses, selection=args.selection, progress=progress, **model_kwargs(args)
        )
    if out is not None:
        text = to_csv(result) if out.suffix.lower() == ".csv" else dumps(result) + "\n"
        write_atomic(out, text.encode("utf-8"))
    if args.json:
        sys.stdout.write(dumps(result) + "\n")
    else:
        print_table(result, console())
    return 0


# --------------------------------------------------------------------------- figure
def add_figure(sub: Any) -> None:
    p = sub.add_parser(
        "figure",
        help="reproduce a figure of the seed paper",
        description="belle2 = seed Fig. 1; besiii-stcf = seed Fig. 2; landscape = seed Fig. 3 "
        "(existing limits and projections, per flavour); lep-cepc = LEP limits and CEPC reach "
        "for an electroweak scenario (talk; arXiv:2301.06050); lhc-far = FASER-2, FACET and "
        "MAPP-2 bands from meson decays over the existing limits (arXiv:2308.16608); "
        "lhc-channels = one far detector's band per meson channel.",
    )
    p.add_argument("name", choices=[*sorted(FIGURES), "landscape", "lep-cepc", *LHC_FIGURES])
    p.add_argument(
        "-o", "--output", metavar="FILE", help="output .pdf, .png or .svg (default: NAME.pdf)"
    )
    p.add_argument(
        "--preset",
        choices=["both", *sorted(PRESETS)],
        default="both",
        help="which presets to draw (default both: paper solid, default dashed)",
    )
    p.add_argument(
        "--points", type=_positive_int, default=120, help="masses per curve (default 120)"
    )
    p.add_argument("--seed", type=int, default=20220415)
    p.add_argument(
        "--flavour",
        choices=[*LANDSCAPE_FLAVOURS, "all"],
        default="all",
        help="landscape: one flavour or all three panels (default all)",
    )
    p.add_argument(
        "--curve",
        action="append",
        default=[],
        metavar="FILE",
        help="landscape: overlay a saved reach result (.json or .csv); repeatable",
    )
    p.add_argument(
        "--experiment",
        default="faser2",
        help="lhc-channels: the far detector (default faser2)",
    )
    add_limit_options(p)
    add_coupling_options(p, default_sin2w=None)  # lep-cepc: scenario I unless given
    p.set_defaults(func=run_figure)


def curve_result(
    curve: Curve,
    preset: str,
    masses: np.ndarray | None,
    n: int,
    seed: int,
    progress: Callable[[int], None] | None,
    m_min: float = 0.01,
) -> ReachResult:
    """Reach of one recipe curve on ``n`` log-spaced masses (or the given ``masses``)."""
    exp = resolve_experiment(curve.experiment, sqrt_s=curve.sqrt_s, lumi=curve.lumi)
    m = masses if masses is not None else mass_grid(m_min, 0.995 * exp.max_sqrt_s, n)
    return reach(exp, m, selection=curve.selection, preset=preset, seed=seed, progress=progress)


def make_figure(
    name: str, output: Path, presets: list[str], n: int, seed: int, show_progress: bool
) -> list[ReachResult]:
    curves = FIGURES[name]
    total = len(curves) * len(presets) * n
    drawn: list[tuple[ReachResult, str, str]] = []
    with progress_bar(total, f"figure {name}", show_progress) as progress:
        for preset in presets:
            for curve in curves:
                drawn.append(
                    (
                        curve_result(curve, preset, None, n, seed, progress),
                        curve.label,
                        curve.color,
                    )
                )
    from nudipole.plotting.reach_plots import plot_curves, save_figure

    fig = plot_curves(drawn, title=FIGURE_TITLES[name], xlim=(0.01, 11.0))
    save_figure(fig, output)
    return [r for r, _, _ in drawn]


def run_figure(args: argparse.Namespace) -> int:
    output = check_figure_output(args.output, f"{args.name}.pdf")
    presets = ["paper", "default"] if args.preset == "both" else [args.preset]
    if args.name in LHC_FIGURES:
        preset = "default" if args.preset == "both" else args.preset
        if args.name == "lhc-far":
            flavours = list(Flavour) if args.flavour == "all" else [Flavour(args.flavour)]
            make_lhc_far(output, flavours, chosen_limits(args), preset, args.points, True)
        else:
            flavour = Flavour("e" if args.flavour == "all" else args.flavour)
            make_lhc_channels(output, args.experiment, flavour, preset, args.points, True)
    elif args.name == "lep-cepc":
        from nudipole.cli.ew_figure import make_lep_cepc

        flavours = list(Flavour) if args.flavour == "all" else [Flavour(args.flavour)]
        scenario = args.scenario if args.scenario or args.a is not None else "I"
        make_lep_cepc(
            output,
            flavours,
            chosen_limits(args),
            scenario,
            args.a,
            args.sin2w,
            "default" if args.preset == "both" else args.preset,
            args.points,
            args.seed,
            True,
        )
    elif args.name == "landscape":
        extra = [Path(c) for c in args.curve]
        for path in extra:
            load_result(path)  # fail early, before any computation
        make_landscape(
            output, args.flavour, chosen_limits(args), presets, args.points, args.seed, extra, True
        )
    else:
        make_figure(args.name, output, presets, args.points, args.seed, True)
    sys.stdout.write(f"wrote {output}\n")
    return 0


# --------------------------------------------------------------------------- experiments
def add_experiments(sub: Any) -> None:
    p = sub.add_parser("experiments", help="list built-in experiments or print one's TOML to copy")
    p.add_argument("name", nargs="?", help="print this experiment's TOML definition")
    p.set_defaults(func=run_experiments)


def run_experiments(args: argparse.Namespace) -> int:
    if args.name:
        sys.stdout.write(builtin_text(args.name))
        return 0
    table = Table(header_style="bold", show_edge=False)
    for col in ("name", "kind", "title", "points", "luminosity", "selections (default first)"):
        table.add_column(col)
    for name in builtin_names():
        exp = load_definition(name)
        if isinstance(exp, FarDetectorExperiment):
            table.add_row(
                name,
                "far detector",
                exp.title,
                f"{exp.sqrt_s / 1e3:g} TeV pp",
                exp.luminosity,
                f"photon, E > {exp.selection.photon_energy_min:g} GeV",
            )
            continue
        sels = [
            exp.default_selection,
            *sorted(s for s in exp.selections if s != exp.default_selection),
        ]
        table.add_row(
            name,
            "e+e- collider",
            exp.title,
            str(len(exp.points)),
            format_luminosity(exp.total_luminosity_pb),
            ", ".join(sels),
        )
    console().print(table)
    return 0


from nudipole.cli.landscape_commands import (  # noqa: E402 - shares helpers defined above
    add_limit_options,
    chosen_limits,
    make_landscape,
)

__all__ = ["add_experiments", "add_figure", "add_reach", "result_to_dict"]
