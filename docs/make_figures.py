"""Regenerate every figure shown in README.md and docs/ (one script, never by hand).

Run from the repository root:  python docs/make_figures.py [--only lhc|llp|...]

Each figure is made by the same CLI command a user would run; the command is printed.
``tests/plotting/test_figure_rules.py`` checks that every image README.md and docs/*.md show
is made here; ``tests/plotting/test_figure_baselines.py`` compares small versions of the
figures with stored baselines, so that a change of the drawing code is seen.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from nudipole.cli.main import main as nudipole

IMG = Path(__file__).resolve().parent / "img"

#: (group, file name, CLI arguments). The headline figures use the headline's settings.
FIGURES: list[tuple[str, str, list[str]]] = [
    ("core", "fig_belle2.png", ["figure", "belle2"]),
    ("core", "fig_besiii-stcf.png", ["figure", "besiii-stcf"]),
    ("core", "fig_landscape.png", ["figure", "landscape", "--limits", "paper"]),
    ("core", "fig_landscape_all.png", ["figure", "landscape", "--limits", "all"]),
    ("ew", "fig_lep_cepc_I.png", ["figure", "lep-cepc", "--scenario", "I"]),
    ("ew", "fig_lep_cepc_II.png", ["figure", "lep-cepc", "--scenario", "II"]),
    # statistics-only curves with the band up to a 1 % background uncertainty (issue 12 §3)
    (
        "syst",
        "fig_belle2_bkg.png",
        ["figure", "belle2", "--preset", "paper", "--bkg-uncertainty", "0.01"],
    ),
    (
        "syst",
        "fig_lep_cepc_II_bkg.png",
        ["figure", "lep-cepc", "--scenario", "II", "--flavour", "mu", "--bkg-uncertainty", "0.01"],
    ),
    (
        "lhc",
        "fig_lhc_far.png",
        ["figure", "lhc-far", "--preset", "paper", "--limits", "paper", "--points", "40"],
    ),
    (
        "lhc",
        "fig_lhc_far_default.png",
        ["figure", "lhc-far", "--preset", "default", "--limits", "paper", "--points", "40"],
    ),
    (
        "lhc",
        "fig_lhc_channels.png",
        [
            "figure",
            "lhc-channels",
            "--experiment",
            "faser2",
            "--flavour",
            "e",
            "--preset",
            "paper",
            "--points",
            "40",
        ],
    ),
    # the talk's LLP figure for W/Z-produced N: flavour universal (left) and d_tau (right)
    (
        "llp",
        "fig_lhc_llp_C.png",
        ["figure", "lhc-llp", "--scenario", "C", "--preset", "default", "--points", "40"],
    ),
]


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted({g for g, _, _ in FIGURES}))
    args = parser.parse_args()
    IMG.mkdir(exist_ok=True)
    for group, name, argv in FIGURES:
        if args.only and group != args.only:
            continue
        full = [*argv, "-o", str(IMG / name)]
        print("nudipole " + " ".join(full), flush=True)
        t0 = time.perf_counter()
        code = nudipole(full)
        if code != 0:
            return code
        print(f"  {time.perf_counter() - t0:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(run())
