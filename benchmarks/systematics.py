"""How a relative background uncertainty moves the headline limits: the numbers behind the
"Background uncertainty" section of docs/conventions.md.

Run:  PYTHONPATH=src python benchmarks/systematics.py [LABEL ...]  (a few minutes; with LABELs
only the curves whose label contains one of them, e.g. "CEPC"). For each headline curve
and mass it prints d95 without background uncertainty and its ratio with r = 1 % and 5 % (chi2,
the default statistic, and the profiled Asimov), the background and S/B at the limit, and the
poisson-cls limit.
"""

from __future__ import annotations

import sys
from typing import Any

import nudipole
from nudipole.api import collider_events
from nudipole.experiments import ExperimentError

CURVES: list[tuple[str, dict[str, Any]]] = [
    ("BESIII 27 fb^-1", dict(experiment="besiii")),
    ("Belle II low-mass", dict(experiment="belle2", selection="low-mass")),
    ("Belle II high-mass", dict(experiment="belle2", selection="high-mass")),
    ("Belle II bBG", dict(experiment="belle2", selection="bbg")),
    ("STCF 4 GeV 30/ab", dict(experiment="stcf", sqrt_s=4.0, lumi="30/ab")),
    ("CEPC Z 100/ab", dict(experiment="cepc-z")),
    ("CEPC WW 6/ab", dict(experiment="cepc-ww")),
    ("CEPC H 20/ab", dict(experiment="cepc-h")),
    ("CEPC tt 1/ab", dict(experiment="cepc-tt")),
]
MASSES = [0.05, 0.2, 1.0, 3.0]
UNCERTAINTIES = [0.01, 0.05]


def _run(ckw: dict[str, Any], masses: list[float], **kw: Any) -> Any:
    extra = {k: v for k, v in ckw.items() if k != "experiment"}
    return nudipole.reach(ckw["experiment"], masses, **extra, **kw)


def main(labels: list[str]) -> None:
    curves = [c for c in CURVES if not labels or any(x in c[0] for x in labels)]
    for preset in ("default", "paper"):
        print(f"\n### preset {preset}: d95 [GeV^-1] at r = 0, ratio d95(r)/d95(0)\n")
        head = "| curve | statistic | m_N [GeV] | B | S/B at limit | d95 (r = 0) |"
        head += "".join(f" r = {100 * r:g} % |" for r in UNCERTAINTIES)
        print(head)
        print("|" + "---|" * (6 + len(UNCERTAINTIES)))
        for label, ckw in curves:
            for stat in ("chi2", "asimov", "poisson-cls"):
                try:
                    base = _run(ckw, MASSES, preset=preset, statistic=stat)
                except ExperimentError as err:  # poisson-cls with B > 1e7
                    print(f"| {label} | {stat} | | | | {err} |")
                    continue
                pts = base.inputs["points"]
                bkg = sum(p["background_irreducible"] + p["background_reducible"] for p in pts)
                ratios = [
                    _run(ckw, MASSES, preset=preset, statistic=stat, background_uncertainty=r).d95
                    / base.d95
                    for r in UNCERTAINTIES
                ]
                for i, m in enumerate(base.mass):
                    s_over_b = ""
                    if stat == "chi2" and base.d95[i] == base.d95[i]:
                        ev = collider_events(
                            ckw["experiment"],
                            float(m),
                            float(base.d95[i]),
                            preset=preset,
                            statistic=stat,
                            **{k: v for k, v in ckw.items() if k != "experiment"},
                        )[0]
                        s_over_b = f"{ev.passing / bkg:.2g}"
                    cells = "".join(f" {r[i]:.3g} |" for r in ratios)
                    print(
                        f"| {label} | {stat} | {m:g} | {bkg:.3g} | {s_over_b} | "
                        f"{base.d95[i]:.3g} |{cells}"
                    )


if __name__ == "__main__":
    main(sys.argv[1:])
