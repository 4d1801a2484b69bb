"""``nudipole figure``: the seed's figures, the limits landscape, LEP/CEPC and the LHC far
detectors (the per-figure work is in :mod:`nudipole.cli.landscape_commands`,
:mod:`nudipole.cli.ew_figure` and :mod:`nudipole.cli.lhc_commands`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from nudipole.cli._common import _positive_int, progress_bar
from nudipole.cli.ew_commands import add_coupling_options
from nudipole.cli.landscape_commands import add_limit_options, chosen_limits, make_landscape
from nudipole.cli.lhc_commands import check_figure_output, make_lhc_channels, make_lhc_far
from nudipole.cli.reach_commands import curve_result
from nudipole.io.results import load_result
from nudipole.model import Flavour
from nudipole.reach.presets import PRESETS
from nudipole.reach.recipes import FIGURE_TITLES, FIGURES
from nudipole.reach.result import ReachResult

LANDSCAPE_FLAVOURS = [f.value for f in Flavour]
LHC_FIGURES = ("lhc-far", "lhc-channels")


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
