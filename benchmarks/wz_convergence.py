"""Convergence scan (not a unit test) of the W/Z bands of the far detectors in the phi* rule.

Run:  python benchmarks/wz_convergence.py [--detectors mathusla,anubis] [--orders 3,4,6]
      [--masses 9]

For each detector (sources=wz: channels W, Z; paper preset; N log-spaced masses from 3 MeV to
8 GeV) and each coupling case (d_tau scenario C, d_e scenario D, d_tau scenario A) it prints
the largest relative change of the lower and upper band edges (over the masses where both
runs have a band) between the detector's rules with ``n_phi_boson`` set to each order and
the same rules with every rule doubled (``SourceOptions.refined``), the criterion of
``tests/reach/test_far_convergence.py`` (0.5 %). A band that opens or closes at a mass in
one run only is reported as inf. The numbers quoted in the detectors' ``[integration]``
``source`` strings come from this scan.
"""

from __future__ import annotations

import argparse
import dataclasses

import numpy as np

from nudipole.experiments.registry import load_far_experiment
from nudipole.production.meson_source import SourceOptions
from nudipole.reach.far_couplings import make_far_couplings
from nudipole.reach.far_presets import get_far_preset
from nudipole.reach.far_scan import compute_far_reach
from nudipole.reach.far_setup import detector_options

CASES = (("tau", "C"), ("e", "D"), ("tau", "A"))


def _largest_change(a: np.ndarray, b: np.ndarray) -> float:
    """Largest |a/b - 1| where both are finite; inf if only one of them is finite somewhere."""
    if np.any(np.isfinite(a) != np.isfinite(b)):
        return float("inf")
    ok = np.isfinite(a) & np.isfinite(b)
    return float(np.max(np.abs(a[ok] / b[ok] - 1.0))) if ok.any() else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--detectors", default="mathusla,anubis,codexb,al3x,mapp2")
    parser.add_argument("--orders", default="3,4,6")
    parser.add_argument("--masses", type=int, default=9)
    args = parser.parse_args()
    masses = np.geomspace(0.003, 8.0, args.masses)
    preset = get_far_preset("paper")
    print("largest change of the band edges against every rule doubled (lower / upper, %)")
    for name in args.detectors.split(","):
        exp = load_far_experiment(name)
        base = detector_options(exp, SourceOptions(form_factor=str(preset.form_factor)))
        for flavour, scenario in CASES:
            cpl = make_far_couplings(flavour, scenario)

            def band(opts: SourceOptions, cpl=cpl, flavour=flavour, exp=exp):
                r = compute_far_reach(
                    exp,
                    masses,
                    preset,
                    channels=("W", "Z"),
                    flavour=flavour,
                    options=opts,
                    couplings=cpl,
                    error_estimate=False,
                    locate_ends=False,
                )
                return r.d95, r.d95_upper

            for order in (int(o) for o in args.orders.split(",")):
                opts = dataclasses.replace(base, n_phi_boson=order)
                lo, hi = band(opts)
                lo2, hi2 = band(opts.refined())
                print(
                    f"{name:9s} d_{flavour} {scenario}  n_phi_boson={order}: "
                    f"{100 * _largest_change(lo, lo2):.3f} / {100 * _largest_change(hi, hi2):.3f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
