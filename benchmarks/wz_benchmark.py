"""Timing benchmark (not a unit test) of the far-detector bands with N from W/Z decays.

Run:  python benchmarks/wz_benchmark.py [--repeat 3] [--masses 100]
      [--detectors faser2,mathusla] [--scenarios A,B,C,D] [--preset paper]

For each detector and scenario (sources=wz: channels W, Z; d_tau) it prints the CPU time of
a band on N log-spaced masses from 1 MeV to 9.4 GeV (best of the repeats, one process),
without and with the band ends and the integration-error pass, and the time per mass split
into the rays (source x detector, the compiled kernel, with the detector's own
``[integration]`` orders as in the band) and the band solve
(nudipole.reach.band.solve_band). The first call's extra cost (W/Z tables, parent tables,
detector geometry, numba compilation or cache load) is printed once.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import nudipole
from nudipole.experiments.registry import load_far_experiment
from nudipole.production.meson_source import SourceOptions
from nudipole.reach.band import solve_band
from nudipole.reach.far_couplings import make_far_couplings
from nudipole.reach.far_presets import get_far_preset
from nudipole.reach.far_scan import _merged_rays, compute_far_reach
from nudipole.reach.far_setup import detector_options


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--masses", type=int, default=100)
    parser.add_argument("--detectors", default="faser2,mathusla")
    parser.add_argument("--scenarios", default="A,B,C,D")
    parser.add_argument("--preset", default="paper")
    args = parser.parse_args()
    masses = np.geomspace(1e-3, 9.4, args.masses)
    preset = get_far_preset(args.preset)
    print(
        f"nudipole {nudipole.__version__}, sources=wz, d_tau, {args.masses} masses, preset "
        f"{args.preset}, best of {args.repeat}, cpus available: {os.cpu_count()}, CPU time"
    )
    print(
        f"{'detector':9s} {'scen.':5s} {'band [s]':>9s} {'+ends [s]':>10s} {'+error [s]':>11s} "
        f"{'rays [ms/m]':>12s} {'solve [ms/m]':>13s} {'bands':>6s}"
    )
    for name in args.detectors.split(","):
        exp = load_far_experiment(name)
        opts = detector_options(exp, SourceOptions(form_factor=str(preset.form_factor)))
        t0 = time.perf_counter()
        compute_far_reach(
            exp,
            masses[:1],
            preset,
            channels=("W", "Z"),
            flavour="tau",
            couplings=make_far_couplings("tau", "C"),
            error_estimate=False,
            locate_ends=False,
        )
        print(f"{name}: first call {time.perf_counter() - t0:.2f} s")
        for scenario in args.scenarios.split(","):
            cpl = make_far_couplings("tau", scenario)

            def run(ends: bool, error: bool, cpl=cpl, exp=exp) -> tuple[float, int]:
                t = time.process_time()
                r = compute_far_reach(
                    exp,
                    masses,
                    preset,
                    channels=("W", "Z"),
                    flavour="tau",
                    couplings=cpl,
                    error_estimate=error,
                    locate_ends=ends,
                )
                return time.process_time() - t, int(np.isfinite(r.d95).sum())

            best, n_band = min(run(False, False) for _ in range(args.repeat))
            ends, _ = run(True, False)
            full, _ = run(True, True)
            t_rays = t_solve = 0.0
            for m in masses[:: max(1, args.masses // 20)]:
                t = time.process_time()
                merged, _ = _merged_rays(exp, float(m), ("W", "Z"), "tau", opts, preset, cpl)
                t_rays += time.process_time() - t
                t = time.process_time()
                solve_band(merged.rays(), 3.0)
                t_solve += time.process_time() - t
            n = len(masses[:: max(1, args.masses // 20)])
            print(
                f"{name:9s} {scenario:5s} {best:9.3f} {ends:10.3f} {full:11.3f} "
                f"{1e3 * t_rays / n:12.1f} {1e3 * t_solve / n:13.1f} {n_band:6d}",
                flush=True,
            )


if __name__ == "__main__":
    main()
