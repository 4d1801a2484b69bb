"""LEP limits and CEPC reach on d_gamma for the electroweak scenarios: the tables of
docs/electroweak.md, with timings.

    python benchmarks/electroweak_report.py
"""

from __future__ import annotations

import copy
import time

import numpy as np

from nudipole.api import reach, resolve_experiment
from nudipole.experiments.schema import Experiment, experiment_from_dict
from nudipole.limits import load_catalogue

MASSES = [0.01, 0.1, 1.0, 10.0, 50.0, 80.0]
RUNS = [
    ("lep", "opal"),
    ("lep", "l3"),
    ("lep", "delphi"),
    ("lep", "z-width"),
    ("cepc-z", None),
    ("cepc-ww", None),
    ("cepc-h", None),
    ("cepc-tt", None),
]


def fmt(values: np.ndarray) -> str:
    return " / ".join("–" if not np.isfinite(v) else f"{v:.2g}" for v in values)


def opal_over_barrel(abs_cos_max: float) -> Experiment:
    """LEP with OPAL's 0.15 pb read over |cos theta| < abs_cos_max instead of the shipped 0.7."""
    raw = copy.deepcopy(resolve_experiment("lep").raw)
    raw["selections"]["opal"]["cuts"][0]["regions"][0]["abs_cos_max"] = abs_cos_max
    return experiment_from_dict(raw, "lep-opal-barrel")


def readings_table() -> None:
    """The table of docs/electroweak.md, "How the published limits are read" (nu_mu)."""
    m = [0.01, 0.1, 1.0, 10.0, 30.0, 50.0, 70.0, 85.0]
    print("\nHow the published limits are read: d95 [GeV^-1], nu_mu\n")
    print("| m_N [GeV] | " + " | ".join(f"{v:g}" for v in m) + " |")
    print("|---|" + "---|" * len(m))

    def row(label: str, values: np.ndarray, spec: str = ".3g") -> None:
        print(f"| {label} | " + " | ".join(format(v, spec) for v in values) + " |")

    for scenario in ("I", "II"):
        ours = reach("lep", m, selection="l3", scenario=scenario, flavour="mu").d95
        talk = reach("lep", m, selection="l3-talk", scenario=scenario, flavour="mu").d95
        row(f"{scenario}, `l3`", ours)
        row(f"{scenario}, `l3-talk`", talk)
        if scenario == "I":
            row("ratio", ours / talk, ".2f")
    opal = reach("lep", m, selection="opal", scenario="I", flavour="mu").d95
    barrel = reach(opal_over_barrel(0.82), m, selection="opal", scenario="I", flavour="mu").d95
    row("OPAL, I (for comparison)", opal)
    row("OPAL, I, over the whole barrel (\\|cos θ\\| < 0.82)", barrel)
    row("ratio barrel / shipped", barrel / opal, ".3f")


def main() -> None:
    print("d95 on d_gamma [GeV^-1] at m_N = " + ", ".join(f"{m:g}" for m in MASSES) + " GeV\n")
    print("| scenario | flavour | " + " | ".join(f"{e} {s or ''}".strip() for e, s in RUNS) + " |")
    print("|---|---|" + "---|" * len(RUNS))
    t0 = time.perf_counter()
    n_curves = 0
    for scenario in ("I", "II", "III", "IV"):
        for flavour in ("e", "mu"):
            cells = []
            for exp, sel in RUNS:
                r = reach(exp, MASSES, selection=sel, scenario=scenario, flavour=flavour)
                cells.append(fmt(r.d95))
                n_curves += 1
            print(f"| {scenario} | {flavour} | " + " | ".join(cells) + " |")
    elapsed = time.perf_counter() - t0
    print(f"\n{n_curves} curves x {len(MASSES)} masses: {elapsed:.1f} s")

    print("\nScenario I against Magill et al.'s LEP curve (existing-limits catalogue):\n")
    lep = load_catalogue().get("lep").curves[0]
    m = np.array([0.01, 0.1, 1.0, 10.0, 30.0, 50.0, 70.0, 85.0])
    magill = np.exp(np.interp(np.log(m), np.log(lep[:, 0]), np.log(lep[:, 1])))
    best = np.full(m.size, np.inf)
    for sel in ("opal", "l3", "delphi", "z-width"):
        best = np.fmin(best, reach("lep", m, selection=sel, scenario="I", flavour="mu").d95)
    equal = reach("lep", m, selection="l3", a=2 * 1.3576 / 0.3952, flavour="mu")
    print("| m_N [GeV] | " + " | ".join(f"{v:g}" for v in m) + " |")
    print("|---|" + "---|" * m.size)
    print("| Magill et al. | " + " | ".join(f"{v:.3g}" for v in magill) + " |")
    print("| ours, scenario I, best LEP | " + " | ".join(f"{v:.3g}" for v in best) + " |")
    print("| ratio | " + " | ".join(f"{v:.2f}" for v in best / magill) + " |")
    dz = equal.inputs["couplings"]["dZ_over_dgamma"]
    print(f"| ours, L3, d_Z = {dz:.3f} d_gamma | " + " | ".join(f"{v:.3g}" for v in equal.d95))
    talk = reach("lep", m, selection="l3-talk", a=2 * 1.3576 / 0.3952, flavour="mu")
    cells = " | ".join(f"{v:.3g}" for v in talk.d95)
    print(f"| ours, L3 (l3-talk), d_Z = {dz:.3f} d_gamma | " + cells)

    readings_table()

    t0 = time.perf_counter()
    reach("cepc-z", np.geomspace(0.01, 90.0, 200), scenario="II", flavour="mu")
    print(f"\none 200-mass CEPC Z curve (scenario II): {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    reach("lep", np.geomspace(0.01, 90.0, 200), selection="l3", scenario="II", flavour="mu")
    print(f"one 200-mass LEP L3 curve (scenario II): {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
