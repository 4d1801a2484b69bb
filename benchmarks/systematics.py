"""How a relative background uncertainty moves the headline limits: the numbers behind the
"Background uncertainty" section of docs/conventions.md.

Run:  python benchmarks/systematics.py [LABEL ...]  (a minute; with LABELs only the curves
whose label contains one of them, e.g. "CEPC"). For each headline curve and mass it prints d95
without background uncertainty and its ratio with r = 1 % and 5 % (chi2, the default
statistic, and the profiled Asimov), the background and S/B at the limit, and the poisson-cls
limit; then the summary table of docs/conventions.md (:func:`summary_lines`), which
``docs/make_figures.py --only numbers`` writes there between its markers.
"""

from __future__ import annotations

import sys
from typing import Any

import nudipole
from nudipole.api import collider_events
from nudipole.experiments import ExperimentError
from nudipole.io.markdown import markdown_table, sci

CURVES: list[tuple[str, dict[str, Any]]] = [
    ("BESIII 27 fb⁻¹", dict(experiment="besiii")),
    ("Belle II low-mass", dict(experiment="belle2", selection="low-mass")),
    ("Belle II high-mass", dict(experiment="belle2", selection="high-mass")),
    ("Belle II bBG", dict(experiment="belle2", selection="bbg")),
    ("STCF 4 GeV 30 ab⁻¹", dict(experiment="stcf", sqrt_s=4.0, lumi="30/ab")),
    ("CEPC Z 100 ab⁻¹", dict(experiment="cepc-z")),
    ("CEPC WW 6 ab⁻¹", dict(experiment="cepc-ww")),
    ("CEPC H 20 ab⁻¹", dict(experiment="cepc-h")),
    ("CEPC tt̄ 1 ab⁻¹", dict(experiment="cepc-tt")),
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


def summary_lines() -> list[str]:
    """docs/conventions.md's table: each curve's d95 at 1 GeV (GeV^-1; `paper` / `default`,
    no background uncertainty) and d95(r) / d95(0) for r = 1 % and 5 % at :data:`MASSES`
    (`default` preset, `chi2`; the CEPC rows with the photon dipole alone)."""
    rows = []
    for label, ckw in CURVES:
        base = _run(ckw, MASSES).d95  # default preset, no background uncertainty
        at_1 = [float(_run(ckw, [1.0], preset="paper").d95[0]), float(base[MASSES.index(1.0)])]
        cells = [
            " / ".join(f"{x:#.3g}" for x in _run(ckw, MASSES, background_uncertainty=r).d95 / base)
            for r in UNCERTAINTIES
        ]
        rows.append([label, " / ".join(sci(x) for x in at_1), *cells])
    at = " / ".join(f"{m:g}" for m in MASSES)
    header = ["curve", "d95 at 1 GeV, paper / default"]
    return markdown_table(
        [*header, *(f"r = {100 * r:g} % at {at} GeV" for r in UNCERTAINTIES)], rows
    )


if __name__ == "__main__":
    main(sys.argv[1:])
    print("\nSummary (docs/conventions.md):\n")
    print("\n".join(summary_lines()))
