"""Timing benchmark (not a unit test) of the far-detector bands (meson source).

Run:  python benchmarks/lhc_benchmark.py [--repeat 3] [--masses 100] [--detectors faser2,mapp2]

For FASER-2, FACET and MAPP-2 (all 13 channels, d_e, both presets) it prints the wall time of
a band on N log-spaced masses (1 MeV to 9.4 GeV), best of the repeats, on one core, without
and with the integration-error pass (and both per mass), the largest estimated integration
error on the lower edge, and the first call's extra cost (spectra loading, parent tables and
detector geometry, cached afterwards).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import nudipole
from nudipole.api import far_reach

DETECTORS = ("faser2", "facet", "mapp2")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--masses", type=int, default=100)
    parser.add_argument("--detectors", default=",".join(DETECTORS))
    parser.add_argument("--presets", default="paper,default")
    args = parser.parse_args()
    masses = np.geomspace(1e-3, 9.4, args.masses)
    print(
        f"nudipole {nudipole.__version__}, {args.masses} masses, all channels, best of "
        f"{args.repeat}, cpus available: {os.cpu_count()}"
    )
    t0 = time.perf_counter()
    far_reach("faser2", masses[:1], error_estimate=False)
    print(f"first call (loads and caches the spectra): {time.perf_counter() - t0:.2f} s")
    print(
        f"{'detector':10s} {'preset':8s} {'band [s]':>9s} {'[ms/mass]':>10s} "
        f"{'with error [s]':>15s} {'[ms/mass]':>10s} {'max err':>8s}"
    )
    for name in args.detectors.split(","):
        far_reach(name, masses[:1], error_estimate=True)  # caches of this detector
        for preset in args.presets.split(","):
            best = np.inf
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                far_reach(name, masses, preset=preset, error_estimate=False)
                best = min(best, time.perf_counter() - t0)
            t0 = time.perf_counter()
            r = far_reach(name, masses, preset=preset, error_estimate=True)
            with_err = time.perf_counter() - t0
            rel = np.nanmax(r.d95_error / r.d95) if np.any(np.isfinite(r.d95)) else np.nan
            per = 1e3 / args.masses
            print(
                f"{name:10s} {preset:8s} {best:9.3f} {best * per:10.1f} "
                f"{with_err:15.3f} {with_err * per:10.1f} {100 * rel:7.2f}%"
            )


if __name__ == "__main__":
    main()
