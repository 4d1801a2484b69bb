"""Accuracy of the deterministic default (``rules``) against high-statistics Monte Carlo
(not a unit test; tests/reach/test_rules_reach.py asserts the same with 2^16 events).

Run:  python benchmarks/engine_accuracy.py [--events 262144] [--masses 12]

For every built-in e+ e- experiment's default curve, LEP's threshold selections and the
``paper`` preset of Belle II and BESIII: the largest |d95(rules) / d95(mc) - 1| over the
masses, the largest stated error of each (``d95_error / d95``) and the largest pull
|difference| / sqrt(mc error^2 + rules error^2).
"""

from __future__ import annotations

import argparse

import numpy as np

import nudipole
from nudipole.api import resolve_experiment
from nudipole.experiments import Experiment
from nudipole.experiments.registry import builtin_names, load_definition


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1 << 18)
    parser.add_argument("--masses", type=int, default=12)
    args = parser.parse_args()
    names = [n for n in builtin_names() if isinstance(load_definition(n), Experiment)]
    cases: list[tuple[str, str | None, str]] = [(n, None, "default") for n in names]
    cases += [("lep", s, "default") for s in ("l3", "l3-talk", "opal")]
    cases += [("belle2", None, "paper"), ("besiii", None, "paper")]
    print(f"MC {args.events} events per mass, {args.masses} masses from 10 MeV to 98 % of the top")
    print()
    cols = ("experiment", "selection", "preset", "max diff", "max rules error", "max mc error")
    print("| " + " | ".join((*cols, "max pull")) + " |")
    print("|---|---|---|---|---|---|---|")
    for name, selection, preset in cases:
        exp = resolve_experiment(name)
        sel = exp.selection(selection)
        top = sel.sqrt_s or exp.max_sqrt_s
        m = np.geomspace(0.01, 0.98 * top, args.masses)
        rules = nudipole.reach(name, m, selection=selection, preset=preset)
        mc = nudipole.reach(
            name, m, selection=selection, preset=preset, sampler="mc", n_events=args.events
        )
        ok = np.isfinite(mc.d95) & np.isfinite(rules.d95)
        diff = np.abs(rules.d95[ok] / mc.d95[ok] - 1)
        e_r = rules.d95_error[ok] / rules.d95[ok]
        e_m = mc.d95_error[ok] / mc.d95[ok]
        pull = diff / np.hypot(e_r, e_m)
        print(
            f"| {name} | {sel.name} | {preset} | {100 * diff.max():.3f} % | "
            f"{100 * e_r.max():.3f} % | {100 * e_m.max():.3f} % | {pull.max():.2f} |"
        )


if __name__ == "__main__":
    main()
