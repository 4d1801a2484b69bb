"""New-ground intervals of the landscape curves, and the crossings that set their lower edges.

Prints the markdown tables quoted in docs/existing-limits.md:

    python benchmarks/newground_report.py [--points 240]

For every curve of the seed's Fig. 3 (Belle II low-mass and bBG, BESIII, STCF 4 GeV
30/ab), both presets, both limit sets ("paper" = the seed's Fig. 3 set, "all" = the
catalogue, its rows where they differ) and each flavour: the mass intervals where the
projection beats every existing limit, with each edge solved on the curve (as ``nudipole
newground`` and ``headline`` do). Then, for the lower edges the seed quotes, the projected
d95 and the limiting existing curve at the seed's edge, to show how far apart the two nearly
parallel curves are there. ``docs/make_figures.py --only numbers`` writes the first table
into docs/existing-limits.md (:func:`scan`, :func:`table_lines`).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from nudipole.api import mass_grid, reach, resolve_experiment
from nudipole.cli.landscape_commands import curve_function
from nudipole.limits import envelope, load_catalogue, new_ground_intervals
from nudipole.reach.recipes import LANDSCAPE, SEED_NEW_GROUND
from nudipole.reach.result import ReachResult


def fmt(intervals: list[list[float]]) -> str:
    if not intervals:
        return "none"
    return ", ".join(f"{lo:.3g}–{hi:.3g}" for lo, hi in intervals)


def scan(
    points: int,
) -> tuple[dict[tuple[str, str], ReachResult], dict[tuple[str, str], Callable[[float], float]]]:
    """Each landscape curve and preset on ``points`` masses from 1 MeV, and its d95 at any
    mass (for the edges), by (label, preset)."""
    results: dict[tuple[str, str], ReachResult] = {}
    curves: dict[tuple[str, str], Callable[[float], float]] = {}
    for preset in ("paper", "default"):
        for curve, _style in LANDSCAPE:
            exp = resolve_experiment(curve.experiment, sqrt_s=curve.sqrt_s, lumi=curve.lumi)
            m = mass_grid(1e-3, 0.995 * exp.max_sqrt_s, points)
            results[(curve.label, preset)] = reach(exp, m, selection=curve.selection, preset=preset)
            curves[(curve.label, preset)] = curve_function(curve, preset)
    return results, curves


def table_lines(
    results: dict[tuple[str, str], ReachResult],
    curves: dict[tuple[str, str], Callable[[float], float]],
) -> list[str]:
    """The new-ground table of docs/existing-limits.md: every curve and preset against the
    seed's set of limits, then the rows that the full catalogue changes."""
    catalogue = load_catalogue()
    rows: dict[str, list[str]] = {"paper": [], "all": []}
    for (label, preset), res in results.items():
        for which, found in rows.items():
            cells = []
            for flavour in ("e", "mu", "tau"):
                limits = catalogue.select(which).for_flavour(flavour)
                ivs = new_ground_intervals(
                    limits, res.mass, res.d95, d95_at=curves[(label, preset)]
                )
                cells.append(fmt([iv.as_list() for iv in ivs]))
            found.append((f"| {label} | {preset} | {which} | ", " | ".join(cells) + " |"))
    changed = [
        head + cells
        for (head, cells), (_, seed) in zip(rows["all"], rows["paper"], strict=True)
        if cells != seed
    ]
    return [
        "| curve | preset | limits | d_e | d_μ | d_τ |",
        "|---|---|---|---|---|---|",
        *(head + cells for head, cells in rows["paper"]),
        *changed,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=240)
    args = parser.parse_args()
    catalogue = load_catalogue()
    t0 = time.perf_counter()
    results, curves = scan(args.points)
    t_reach = time.perf_counter() - t0

    t0 = time.perf_counter()
    print("\n".join(table_lines(results, curves)))
    t_ng = time.perf_counter() - t0

    print("\nAt the seed's lower edges (paper preset, paper limit set):\n")
    print("| curve | flavour | seed edge [GeV] | d95 there | existing envelope there | ratio |")
    print("|---|---|---|---|---|---|")
    for label, edges in SEED_NEW_GROUND.items():
        res = results[(label, "paper")]
        for flavour, (lo, _hi) in edges.items():
            limits = catalogue.select("paper").for_flavour(flavour)
            d95 = float(np.exp(np.interp(np.log(lo), np.log(res.mass), np.log(res.d95))))
            env = float(envelope(limits, np.array([lo]))[0])
            print(f"| {label} | {flavour} | {lo} | {d95:.3g} | {env:.3g} | {d95 / env:.2f} |")
    print(f"\n{len(results)} reach curves ({args.points} masses each): {t_reach:.1f} s; ")
    print(f"new-ground intervals for {len(results) * 6} cases: {t_ng:.2f} s")


if __name__ == "__main__":
    main()
