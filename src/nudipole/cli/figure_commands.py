"""``nudipole figure``: the seed's figures, the limits landscape, LEP/CEPC and the LHC far
detectors (the per-figure work is in :mod:`nudipole.cli.landscape_commands`,
:mod:`nudipole.cli.ew_figure` and :mod:`nudipole.cli.lhc_commands`)."""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path
from typing import Any

from nudipole._parallel import run_threads
from nudipole.cli._commands import COMMANDS
from nudipole.cli._common import (
    background_uncertainty_value,
    curve_points,
    progress_bar,
)
from nudipole.cli.ew_commands import add_coupling_options
from nudipole.cli.landscape_commands import add_limit_options, chosen_limits, make_landscape
from nudipole.cli.lhc_figures import (
    LLP_PANELS,
    check_figure_output,
    make_lhc_channels,
    make_lhc_far,
    make_lhc_llp,
)
from nudipole.cli.reach_commands import curve_result
from nudipole.experiments import ExperimentError
from nudipole.io.results import load_result
from nudipole.model import Flavour, FlavourMode
from nudipole.reach.presets import PRESETS
from nudipole.reach.recipes import FIGURE_TITLES, FIGURES
from nudipole.reach.result import ReachResult

LANDSCAPE_FLAVOURS = [f.value for f in Flavour]
LHC_FIGURES = ("lhc-far", "lhc-channels", "lhc-llp")
#: Figures that draw one preset (``--preset both`` is refused, not silently narrowed).
ONE_PRESET = ("lep-cepc", *LHC_FIGURES)
#: Options that apply to some figures only: dest -> (flag, the figures it applies to). Any of
#: them given to another figure is refused rather than ignored.
FIGURE_OPTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "curve": ("--curve", ("landscape",)),
    "experiment": ("--experiment", ("lhc-channels",)),
    "flavour": ("--flavour", ("landscape", "lep-cepc", *LHC_FIGURES)),
    "limits": ("--limits", ("landscape", "lep-cepc", "lhc-far", "lhc-llp")),
    "cl95": ("--cl95", ("landscape", "lep-cepc", "lhc-far", "lhc-llp")),
    "scenario": ("--scenario", ("lep-cepc", "lhc-llp")),
    "a": ("--a", ("lep-cepc", "lhc-llp")),
    "sin2w": ("--sin2w", ("lep-cepc", "lhc-llp")),
    "bkg_uncertainty": ("--bkg-uncertainty", (*sorted(FIGURES), "lep-cepc")),
}


def add_figure(sub: Any) -> None:
    p = sub.add_parser(
        "figure",
        help=COMMANDS["figure"].help,
        description="belle2 = seed Fig. 1; besiii-stcf = seed Fig. 2; landscape = seed Fig. 3 "
        "(existing limits and projections, per flavour); lep-cepc = LEP limits and CEPC reach "
        "for an electroweak scenario (talk; arXiv:2301.06050); lhc-far = FASER-2, FACET and "
        "MAPP-2 bands from meson decays over the existing limits (arXiv:2308.16608); "
        "lhc-channels = one far detector's band per meson channel; lhc-llp = the bands of the "
        "LLP detectors with N from W/Z decays for --scenario or --a (arXiv:2302.02081).",
    )
    p.add_argument("name", choices=[*sorted(FIGURES), "landscape", "lep-cepc", *LHC_FIGURES])
    p.add_argument(
        "-o", "--output", metavar="FILE", help="output .pdf, .png or .svg (default: NAME.pdf)"
    )
    p.add_argument(
        "--preset",
        choices=["both", *sorted(PRESETS)],
        help="which presets to draw (default both: paper solid, default dashed; lep-cepc and "
        "the LHC figures draw one, default: default)",
    )
    p.add_argument(
        "--points", type=curve_points, default=120, help="masses per curve (2 to 1000; default 120)"
    )
    p.add_argument(
        "--flavour",
        choices=[*LANDSCAPE_FLAVOURS, FlavourMode.UNIVERSAL.value, "all"],
        help="landscape, lep-cepc, lhc-far: one flavour or all three panels (default all); "
        "lhc-channels: one flavour (default e); lhc-llp: one panel, e, mu, tau or universal "
        "(d_e = d_mu = d_tau), or all three flavours (default: universal and tau, the talk's "
        "two panels)",
    )
    p.add_argument(
        "--curve",
        action="append",
        default=[],
        metavar="FILE",
        help="landscape: overlay a saved reach result (.json or .csv); repeatable",
    )
    p.add_argument("--experiment", help="lhc-channels: the far detector (default faser2)")
    p.add_argument(
        "--bkg-uncertainty",
        type=background_uncertainty_value,
        metavar="R",
        help=f"{', '.join(sorted(FIGURES))}, lep-cepc: also shade, for each curve with a "
        "background (lep-cepc: the CEPC runs), the band from the statistics-only limit to the "
        "one with this relative background uncertainty (0 to 1, e.g. 0.05 = 5 %%)",
    )
    add_limit_options(p)
    add_coupling_options(p, default_sin2w=None)  # lep-cepc: scenario I unless given
    p.set_defaults(func=run_figure)


def make_figure(
    name: str,
    output: Path,
    presets: list[str],
    n: int,
    show_progress: bool,
    bkg_uncertainty: float | None = None,
    workers: int | None = None,
) -> list[ReachResult]:
    """Draw figure ``name`` (seed Fig. 1 or 2); with ``bkg_uncertainty`` (relative) each curve
    also gets the band up to its limit with that background uncertainty (twice the work).
    The curves are computed on ``workers`` threads (:func:`nudipole._parallel.run_threads`)."""
    curves = FIGURES[name]
    passes = 1 if bkg_uncertainty is None else 2
    total = passes * len(curves) * len(presets) * n
    # statistics only (0 whatever the file says) when a band is drawn over it
    base = None if bkg_uncertainty is None else 0.0
    pairs = [(preset, curve) for preset in presets for curve in curves]
    with progress_bar(total, f"figure {name}", show_progress) as progress:
        # the curves side by side on threads (nudipole._parallel), each as it is alone
        calls = [
            functools.partial(curve_result, curve, preset, None, n, progress, 0.01, base)
            for preset, curve in pairs
        ]
        if bkg_uncertainty is not None:
            # on the masses of the curve: curve_result's own grid, the same for both passes
            calls += [
                functools.partial(
                    curve_result, curve, preset, None, n, progress, 0.01, bkg_uncertainty
                )
                for preset, curve in pairs
            ]
        results = run_threads(calls, workers)
    drawn = [(r, curve.label, curve.color) for r, (_, curve) in zip(results, pairs, strict=False)]
    bands: list[ReachResult | None] = (
        [None] * len(pairs) if bkg_uncertainty is None else list(results[len(pairs) :])
    )
    draw_figure(name, drawn, bands, output)
    return [r for r, _, _ in drawn]


def draw_figure(
    name: str,
    drawn: list[tuple[ReachResult, str, str]],
    bands: list[ReachResult | None],
    output: Path,
) -> None:
    """Draw seed figure ``name`` from its curves (result, label, colour) and their background
    uncertainty bands (None: none) to ``output``, as :func:`make_figure` does."""
    from nudipole.plotting.reach_plots import plot_curves, save_figure

    fig = plot_curves(drawn, title=FIGURE_TITLES[name], xlim=(0.01, 11.0), systematics=bands)
    save_figure(fig, output)


def _given(args: argparse.Namespace, dest: str) -> bool:
    return getattr(args, dest) not in (None, [], False)


def check_figure_options(args: argparse.Namespace) -> None:
    """Refuse options that the figure ``args.name`` would ignore, naming them."""
    name = args.name
    ignored = [
        flag
        for dest, (flag, figures) in FIGURE_OPTIONS.items()
        if name not in figures and _given(args, dest)
    ]
    if ignored:
        where = {
            flag: ", ".join(figures)
            for dest, (flag, figures) in FIGURE_OPTIONS.items()
            if flag in ignored
        }
        detail = "; ".join(f"{flag} applies to {figs}" for flag, figs in where.items())
        raise ExperimentError(
            f"figure {name} does not use {', '.join(ignored)} ({detail}): drop "
            + ("it" if len(ignored) == 1 else "them")
        )
    if name in ONE_PRESET and args.preset == "both":
        raise ExperimentError(
            f"figure {name} draws one preset: --preset both is not available; choose "
            f"{' or '.join(sorted(PRESETS))}"
        )
    if args.flavour == FlavourMode.UNIVERSAL.value and name != "lhc-llp":
        raise ExperimentError(
            f"figure {name} has no flavour-universal panel: --flavour universal applies to "
            f"lhc-llp; choose {', '.join(LANDSCAPE_FLAVOURS)} or all"
        )
    if name == "lhc-channels" and args.flavour == "all":
        raise ExperimentError(
            "figure lhc-channels draws one flavour: --flavour all is not available; choose "
            f"{', '.join(LANDSCAPE_FLAVOURS)}"
        )


def llp_panels(flavour: str | None) -> list[FlavourMode]:
    """The panels of ``figure lhc-llp``: the talk's two (universal, tau) by default, the three
    single flavours for ``all``, else the one chosen."""
    if flavour is None:
        return list(LLP_PANELS)
    if flavour == "all":
        return [FlavourMode(f.value) for f in Flavour]
    return [FlavourMode(flavour)]


def run_figure(args: argparse.Namespace) -> int:
    check_figure_options(args)
    output = check_figure_output(args.output, f"{args.name}.pdf")
    chosen = args.preset or ("default" if args.name in ONE_PRESET else "both")
    presets = ["paper", "default"] if chosen == "both" else [chosen]
    flavour = args.flavour or "all"
    if args.name == "lhc-llp":
        panels = llp_panels(args.flavour)
        make_lhc_llp(
            output,
            panels,
            chosen_limits(args),
            args.scenario,
            args.a,
            args.sin2w,
            chosen,
            args.points,
            True,
        )
    elif args.name in LHC_FIGURES:
        if args.name == "lhc-far":
            flavours = list(Flavour) if flavour == "all" else [Flavour(flavour)]
            make_lhc_far(output, flavours, chosen_limits(args), chosen, args.points, True)
        else:
            make_lhc_channels(
                output,
                args.experiment or "faser2",
                Flavour(args.flavour or "e"),
                chosen,
                args.points,
                True,
            )
    elif args.name == "lep-cepc":
        from nudipole.cli.ew_figure import make_lep_cepc

        flavours = list(Flavour) if flavour == "all" else [Flavour(flavour)]
        scenario = args.scenario if args.scenario or args.a is not None else "I"
        make_lep_cepc(
            output,
            flavours,
            chosen_limits(args),
            scenario,
            args.a,
            args.sin2w,
            chosen,
            args.points,
            True,
            args.bkg_uncertainty,
        )
    elif args.name == "landscape":
        extra = [Path(c) for c in args.curve]
        for path in extra:
            load_result(path)  # fail early, before any computation
        make_landscape(output, flavour, chosen_limits(args), presets, args.points, extra, True)
    else:
        make_figure(args.name, output, presets, args.points, True, args.bkg_uncertainty)
    sys.stdout.write(f"wrote {output}\n")
    return 0
