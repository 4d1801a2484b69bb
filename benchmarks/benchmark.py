"""Timing benchmark (not a unit test): the seven curves of seed Figs. 1-2 on 200 log-spaced
masses each, and one 200-mass Belle II curve, for both presets.

Run:  python benchmarks/benchmark.py [--repeat 3]
Reports wall time per curve (best of the repeats, one core), the largest Monte Carlo error on
d95 over the curve, and the total.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import nudipole
from nudipole.api import resolve_experiment
from nudipole.reach.recipes import FIGURES

N_MASSES = 200


def time_curve(curve, preset: str, repeat: int) -> tuple[float, float]:
    exp = resolve_experiment(curve.experiment, sqrt_s=curve.sqrt_s, lumi=curve.lumi)
    masses = np.geomspace(0.01, 0.995 * exp.max_sqrt_s, N_MASSES)
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = nudipole.reach(exp, masses, selection=curve.selection, preset=preset)
        best = min(best, time.perf_counter() - t0)
    rel = np.nanmax(r.d95_error / r.d95)
    return best, float(rel)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"nudipole {nudipole.__version__}, {N_MASSES} masses per curve, best of {args.repeat}, "
        f"cpus available: {os.cpu_count()}"
    )
    print(f"{'curve':45s} {'preset':8s} {'time [s]':>9s} {'max MC err':>10s}")
    for preset in ("paper", "default"):
        total = 0.0
        for name in ("belle2", "besiii-stcf"):
            for curve in FIGURES[name]:
                dt, rel = time_curve(curve, preset, args.repeat)
                total += dt
                print(f"{curve.label:45s} {preset:8s} {dt:9.3f} {100 * rel:9.2f}%")
        print(f"{'seven curves of Figs. 1-2':45s} {preset:8s} {total:9.3f}")


if __name__ == "__main__":
    main()
