"""Timing benchmark (not a unit test) of the far-detector bands (meson source).

Run:  python benchmarks/lhc_benchmark.py [--repeat 3] [--masses 100] [--detectors faser2,mapp2]
      [--kernels compiled,numpy]

For FASER-2, FACET and MAPP-2 (all 13 channels, d_e, both presets) it prints the wall time of a
band on N log-spaced masses (1 MeV to 9.4 GeV), best of the repeats, on one core, without and
with the integration-error pass (and both per mass), the largest estimated integration error on
the lower edge, and the first call's extra cost (spectra loading, parent tables and detector
geometry, cached afterwards; and the numba compilation, or loading it from the on-disk cache),
and the time of the parent-frame energy nodes of every channel at one mass. ``--kernels``
compares the compiled kernel (default) with the NumPy reference path on the same work; both are
timed as CPU time of this process (``time.process_time``), which a busy machine disturbs less
than the wall clock.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import nudipole
from nudipole.experiments.registry import load_far_experiment
from nudipole.production.meson_rates import energy_nodes
from nudipole.production.meson_source import Kernel, SourceOptions
from nudipole.production.meson_table import CHANNELS
from nudipole.reach.far_presets import get_far_preset
from nudipole.reach.far_scan import compute_far_reach

DETECTORS = ("faser2", "facet", "mapp2")


def _run(
    name: str,
    masses: np.ndarray,
    preset: str,
    kernel: Kernel,
    error_estimate: bool,
    locate_ends: bool,
) -> tuple[float, float]:
    """(CPU seconds, largest relative error estimate on the lower edge) of one band."""
    exp = load_far_experiment(name)
    chosen = get_far_preset(preset)
    opts = SourceOptions(form_factor=str(chosen.form_factor), kernel=kernel)
    t0 = time.process_time()
    r = compute_far_reach(
        exp,
        masses,
        chosen,
        options=opts,
        error_estimate=error_estimate,
        locate_ends=locate_ends,
    )
    dt = time.process_time() - t0
    rel = float(np.nanmax(r.d95_error / r.d95)) if error_estimate else float("nan")
    return dt, rel


def _energy_nodes_ms(repeat: int = 5) -> float:
    """Best wall time (ms) of the parent-frame energy nodes of every meson channel at 0.1 GeV
    (mu flavour), after a warm-up (a unit test used to time this; it is measured here)."""
    for name in CHANNELS:
        energy_nodes(name, 0.1, "mu")
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for name in CHANNELS:
            energy_nodes(name, 0.1, "mu")
        best = min(best, time.perf_counter() - t0)
    return 1e3 * best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--masses", type=int, default=100)
    parser.add_argument("--detectors", default=",".join(DETECTORS))
    parser.add_argument("--presets", default="paper,default")
    parser.add_argument("--kernels", default="compiled,numpy")
    args = parser.parse_args()
    masses = np.geomspace(1e-3, 9.4, args.masses)
    print(
        f"nudipole {nudipole.__version__}, {args.masses} masses, all channels, best of "
        f"{args.repeat}, cpus available: {os.cpu_count()}, CPU time of one process"
    )
    t0 = time.perf_counter()
    _run("faser2", masses[:1], "paper", Kernel.COMPILED, False, False)
    print(
        "first call (spectra, parent tables, geometry; numba compile or cache load): "
        f"{time.perf_counter() - t0:.2f} s"
    )
    print(f"energy nodes of the {len(CHANNELS)} channels at one mass: {_energy_nodes_ms():.2f} ms")
    print(
        f"{'detector':9s} {'preset':8s} {'kernel':9s} {'band [s]':>9s} {'[ms/mass]':>10s} "
        f"{'+ends [s]':>10s} {'+error [s]':>11s} {'max err':>8s}"
    )
    for name in args.detectors.split(","):
        _run(name, masses[:1], "paper", Kernel.COMPILED, True, False)  # this detector's caches
        for preset in args.presets.split(","):
            for kernel in (Kernel(k) for k in args.kernels.split(",")):
                best = min(
                    _run(name, masses, preset, kernel, False, False)[0] for _ in range(args.repeat)
                )
                ends, _ = _run(name, masses, preset, kernel, False, True)
                with_err, rel = _run(name, masses, preset, kernel, True, True)
                per = 1e3 / args.masses
                print(
                    f"{name:9s} {preset:8s} {kernel!s:9s} {best:9.3f} {best * per:10.1f} "
                    f"{ends:10.3f} {with_err:11.3f} {100 * rel:7.2f}%",
                    flush=True,
                )


if __name__ == "__main__":
    main()
