"""The numbers quoted in docs/lhc.md and README (not a unit test): far-detector bands per
detector, preset and flavour, closing masses, channel breakdown, and the effect of each
modelling option (form factor, spectra set, Majorana, photon threshold, FASER-2 position,
photon polarisation bound).

Run:  python benchmarks/lhc_report.py > docs/lhc_numbers.txt
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

import nudipole
from nudipole.api import events, far_reach
from nudipole.detectors import BeamAxisCylinder
from nudipole.experiments import load_far_experiment
from nudipole.physics.decay import photon_energy_fraction

MASSES = (0.003, 0.01, 0.05, 0.1)
SCAN = np.geomspace(0.03, 3.0, 60)


def band(r: nudipole.ReachResult, i: int) -> str:
    lo, hi = r.d95[i], r.upper[i]
    return "none" if np.isnan(lo) else f"{lo:.3g}-{hi:.3g}"


def closing(name: str | object, **kw: object) -> float:
    r = far_reach(name, SCAN, error_estimate=False, **kw)  # type: ignore[arg-type]
    ok = np.isfinite(r.d95)
    return float(r.mass[ok][-1]) if ok.any() else float("nan")


def main() -> None:
    print(f"nudipole {nudipole.__version__}")
    print("\n## Bands [GeV^-1] (d_low-d_high) and the last scanned mass with a band [GeV]")
    masses = " | ".join(f"{m:g} GeV" for m in MASSES)
    print(f"| detector | preset | flavour | {masses} | closes |")
    print("|---" * (len(MASSES) + 4) + "|")
    for name in ("faser2", "facet", "mapp2"):
        for preset in ("paper", "default"):
            for flavour in ("e", "mu", "tau"):
                r = far_reach(name, MASSES, preset=preset, flavour=flavour, error_estimate=True)
                cells = " | ".join(band(r, i) for i in range(len(MASSES)))
                err = np.nanmax(r.d95_error / r.d95)
                close = closing(name, preset=preset, flavour=flavour)
                print(f"| {name} | {preset} | {flavour} | {cells} | {close:.3g} | err<={err:.1%}")

    print("\n## Channel shares of the events at the lower edge (paper, d_e, m_N = 0.05 GeV)")
    for name in ("faser2", "facet", "mapp2"):
        r = far_reach(name, [0.05], preset="paper", error_estimate=False)
        ev = {k: v[0] or 0.0 for k, v in r.inputs["events_at_d95_per_channel"].items()}
        tot = sum(ev.values())
        ranked = sorted(ev.items(), key=lambda kv: -kv[1])
        print(name, ", ".join(f"{k} {v / tot:.1%}" for k, v in ranked))

    print("\n## Parents, N produced and heading at m_N = 0.05 GeV, d = 4e-6 (FASER-2, paper)")
    for row in events("faser2", 0.05, 4e-6, preset="paper"):
        print(
            f"{row.channel:8s} parents {row.parents:.3g}  produced {row.produced:.3g}  "
            f"Br/d^2 {row.produced / max(row.parents, 1e-300) / 16e-12:.3g} GeV^2  "
            f"heading {row.heading:.3g}  passing {row.passing:.3g}"
        )

    print("\n## Options: ratio of d_low (and d_high) to the paper preset, FASER-2, d_e")
    base = far_reach("faser2", MASSES, preset="paper", error_estimate=False)
    variants = {
        "form factor vmd": {"form_factor": "vmd"},
        "spectra nlo": {"spectra": "nlo"},
        "majorana": {"nature": "majorana"},
        "default preset (E_gamma > 10 GeV, CLs)": {"preset": "default"},
    }
    for label, kw in variants.items():
        kw.setdefault("preset", "paper")
        r = far_reach("faser2", MASSES, error_estimate=False, **kw)  # type: ignore[arg-type]
        ratios = (
            f"{m:g}: {r.d95[i] / base.d95[i]:.3f}/{r.upper[i] / base.upper[i]:.3f}"
            for i, m in enumerate(MASSES)
        )
        print(label, " ".join(ratios))
    exp = load_far_experiment("faser2")
    moved = replace(exp, shape=BeamAxisCylinder(1.0, 480.0, 485.0))
    r = far_reach(moved, MASSES, preset="paper", error_estimate=False)
    print(
        "FASER-2 at 480-485 m (FORESEE default)",
        " ".join(
            f"{m:g}: {r.d95[i] / base.d95[i]:.3f}/{r.upper[i] / base.upper[i]:.3f}"
            for i, m in enumerate(MASSES)
        ),
    )
    for th in (1.0, 100.0):
        e2 = replace(exp, selection=replace(exp.selection, photon_energy_min=th))
        r = far_reach(e2, MASSES, preset="default", error_estimate=False)
        print(
            f"default preset, E_gamma > {th:g} GeV",
            " ".join(f"{m:g}: {r.d95[i] / base.d95[i]:.3f}" for i, m in enumerate(MASSES)),
        )

    print("\n## Photon polarisation bound (energy cut 10 GeV): fraction passing, isotropic vs")
    print("## fully polarised (dN/dcos = (1 +- cos)/2), for E_N = 20, 50, 200, 1000 GeV, m_N = 0.1")
    for e_n in (20.0, 50.0, 200.0, 1000.0):
        iso = float(photon_energy_fraction(e_n, 0.1, 10.0))
        x = 10.0 / e_n  # E_gamma/E_N ~ (1 + cos)/2 for beta -> 1
        plus = 1.0 - x**2  # (1 + cos) weighting: density 2x on [0, 1]
        minus = (1.0 - x) ** 2  # (1 - cos): density 2(1 - x)
        print(f"E_N = {e_n:g}: isotropic {iso:.3f}, forward {plus:.3f}, backward {minus:.3f}")


if __name__ == "__main__":
    main()
