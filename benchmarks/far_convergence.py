"""Integration error of the far-detector bands (not a unit test): each detector's rules
against every rule doubled (``SourceOptions.refined``), both band edges, on masses from
1.5 MeV to just below where the band closes, with the stated ``d95_error`` (the change of the
lower edge under every rule halved) beside them. Optionally a single rule changed (``--vary
n_sub=2``) to see what it buys and costs.

Run:  python benchmarks/far_convergence.py [--detectors faser2,facet,mapp2] [--preset paper]
      [--masses 14] [--vary n_sub=2]

The numbers of docs/benchmarks.md (issue 11, seventh session) come from this script.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np

import nudipole
from nudipole.experiments.registry import load_far_experiment
from nudipole.production.meson_source import SourceOptions
from nudipole.reach.far_presets import get_far_preset
from nudipole.reach.far_scan import compute_far_reach
from nudipole.reach.far_setup import detector_options

#: Lightest mass of the check (GeV).
LIGHTEST = 1.5e-3


def closing_mass(name: str, preset: str) -> float:
    """Where the d_e band of ``name`` ends (GeV), solved by the scan's band ends."""
    exp = load_far_experiment(name)
    r = compute_far_reach(exp, np.geomspace(0.01, 3.0, 24), get_far_preset(preset))
    ok = np.isfinite(r.d95)
    ends = [e.mass for e in r.band_ends if e.side == "upper"]
    return float(min(ends)) if ends else float(r.mass[ok][-1])


def relative(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.abs(a / b - 1.0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--detectors", default="faser2,facet,mapp2")
    parser.add_argument("--preset", default="paper")
    parser.add_argument("--masses", type=int, default=14)
    parser.add_argument("--vary", default="", help="one rule changed, e.g. n_sub=2")
    args = parser.parse_args()
    preset = get_far_preset(args.preset)
    print(f"nudipole {nudipole.__version__}, preset {args.preset}, d_e, {args.masses} masses")
    print(
        "| detector | masses [GeV] | lower edge vs doubled | upper edge vs doubled "
        "| stated d95_error | stated below the change | rule / doubled CPU [s] |"
    )
    print("|---|---|---|---|---|---|---|")
    for name in args.detectors.split(","):
        exp = load_far_experiment(name)
        opts = detector_options(exp, SourceOptions(form_factor=str(preset.form_factor)))
        top = 0.98 * closing_mass(name, args.preset)
        masses = np.geomspace(LIGHTEST, top, args.masses)
        runs = {}
        cpu = {}
        variants = [("rule", opts), ("doubled", opts.refined())]
        if args.vary:
            field, value = args.vary.split("=")
            variants.append(("varied", replace(opts, **{field: int(value)})))
        for label, o in variants:
            t = time.process_time()
            runs[label] = compute_far_reach(
                exp, masses, preset, options=o, error_estimate=False, locate_ends=False, workers=1
            )
            cpu[label] = time.process_time() - t
        rule, ref = runs["rule"], runs["doubled"]
        stated_run = compute_far_reach(exp, masses, preset, options=opts, locate_ends=False)
        lo = relative(rule.d95, ref.d95)
        hi = relative(rule.d95_upper, ref.d95_upper)
        with np.errstate(invalid="ignore"):
            stated = stated_run.d95_error / stated_run.d95
        k_lo, k_hi = int(np.nanargmax(lo)), int(np.nanargmax(hi))
        # masses where the stated error (every rule halved) is below the change under every
        # rule doubled: where it is not the conservative estimate it is meant to be
        below = [
            f"{masses[k]:.3g} GeV: {100 * stated[k]:.3f} < {100 * lo[k]:.3f} %"
            for k in np.flatnonzero(stated < lo)
        ]
        print(
            f"| {name} | {LIGHTEST:g}-{top:.3g} | {100 * lo[k_lo]:.2f} % ({masses[k_lo]:.3g}) "
            f"| {100 * hi[k_hi]:.2f} % ({masses[k_hi]:.3g}) "
            f"| {100 * np.nanmin(stated):.2f}-{100 * np.nanmax(stated):.2f} % "
            f"| {'; '.join(below) or 'none'} "
            f"| {cpu['rule']:.2f} / {cpu['doubled']:.2f} |"
        )
        if "varied" in runs:
            v = runs["varied"]
            print(
                f"|   {args.vary} | | {100 * np.nanmax(relative(v.d95, ref.d95)):.2f} % "
                f"| {100 * np.nanmax(relative(v.d95_upper, ref.d95_upper)):.2f} % | | "
                f"| {cpu['varied']:.2f} |"
            )


if __name__ == "__main__":
    main()
