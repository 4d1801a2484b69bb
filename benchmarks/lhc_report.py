"""The numbers quoted in docs/lhc.md and README (not a unit test): far-detector bands per
detector, preset and flavour, closing masses, channel breakdown, and the effect of each
modelling option (form factor, spectra set, Majorana, photon threshold, FASER-2 position,
photon polarisation bound).

Run:  python benchmarks/lhc_report.py

``docs/make_figures.py --only numbers`` writes three of its tables into docs/lhc.md between
their markers: the VMD form factor's effect on the neutral pseudoscalars' rates
(:func:`form_factor_lines`), the bands of d_e at four masses with the closing mass
(:func:`band_lines`) and the effect of each option on FASER-2's band (:func:`option_lines`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

import nudipole
from nudipole.api import events, far_reach
from nudipole.cli.headline_lhc import closing_mass
from nudipole.detectors import BeamAxisCylinder
from nudipole.experiments import load_far_experiment
from nudipole.io.markdown import markdown_table, sci
from nudipole.physics.decay import photon_energy_fraction
from nudipole.production.meson_rates import br_per_d2

MASSES = (0.003, 0.01, 0.05, 0.1)
SCAN = np.geomspace(0.03, 3.0, 60)


def band(r: nudipole.ReachResult, i: int) -> str:
    lo, hi = r.d95[i], r.upper[i]
    return "none" if np.isnan(lo) else f"{lo:.3g}-{hi:.3g}"


def closing(name: str | object, **kw: object) -> float:
    r = far_reach(name, SCAN, error_estimate=False, **kw)  # type: ignore[arg-type]
    ok = np.isfinite(r.d95)
    return float(r.mass[ok][-1]) if ok.any() else float("nan")


#: (name, title) of the far detectors of docs/lhc.md's tables
DOC_DETECTORS = (("faser2", "FASER-2"), ("facet", "FACET"), ("mapp2", "MAPP-2"))


def band_lines() -> list[str]:
    """docs/lhc.md's table: the excluded band of d_e [GeV^-1] at :data:`MASSES` for each
    detector and preset, and the mass at which the band closes (its end solved between two
    masses of :data:`SCAN`, ``band_ends``)."""
    rows = []
    for name, title in DOC_DETECTORS:
        for preset in ("paper", "default"):
            r = far_reach(name, MASSES, preset=preset, error_estimate=False)
            cells = [
                "none" if np.isnan(lo) else f"{sci(lo)} – {sci(hi)}"
                for lo, hi in zip(r.d95, r.upper, strict=True)
            ]
            scan = far_reach(name, SCAN, preset=preset, error_estimate=False, locate_ends=True)
            close = f"{closing_mass(scan):.3g} GeV"
            rows.append([title, preset, *cells, close])
    masses = [f"{1e3 * m:g} MeV" for m in MASSES]
    return markdown_table(["detector", "preset", *masses, "closes at"], rows)


def option_lines() -> list[str]:
    """docs/lhc.md's table: the ratio of FASER-2's lower / upper band edge (d_e) to that of
    the paper preset at :data:`MASSES` for each option; the lower edge alone where the
    option is a photon threshold (the upper edge does not move)."""
    base = far_reach("faser2", MASSES, preset="paper", error_estimate=False)
    exp = load_far_experiment("faser2")

    def threshold(e_min: float) -> object:
        return replace(exp, selection=replace(exp.selection, photon_energy_min=e_min))

    # (label, detector, far_reach options, both edges)
    runs: list[tuple[str, object, dict[str, str], bool]] = [
        (
            "`--form-factor vmd` (η ×1.3–1.4, η′ ×3.6–3.9)",
            "faser2",
            {"preset": "paper", "form_factor": "vmd"},
            True,
        ),
        ("`--spectra nlo` (D, D_s, B only)", "faser2", {"preset": "paper", "spectra": "nlo"}, True),
        ("`--nature majorana`", "faser2", {"preset": "paper", "nature": "majorana"}, True),
        ("`default` preset (E_γ > 10 GeV, CLs at B = 0)", "faser2", {"preset": "default"}, True),
        ("`default` with E_γ > 1 GeV", threshold(1.0), {"preset": "default"}, False),
        ("`default` with E_γ > 100 GeV", threshold(100.0), {"preset": "default"}, False),
        (
            "FASER-2 at 480–485 m (FORESEE's default)",
            replace(exp, shape=BeamAxisCylinder(1.0, 480.0, 485.0)),
            {"preset": "paper"},
            True,
        ),
    ]
    rows = []
    for label, detector, kw, both in runs:
        r = far_reach(detector, MASSES, error_estimate=False, **kw)  # type: ignore[arg-type]
        cells = [
            f"{lo:.3f} / {hi:.3f}" if both else f"{lo:.3f}"
            for lo, hi in zip(r.d95 / base.d95, r.upper / base.upper, strict=True)
        ]
        rows.append([label, *cells])
    return markdown_table(["option", *(f"{1e3 * m:g} MeV" for m in MASSES)], rows)


#: Masses (GeV) of the form-factor table.
FORM_FACTOR_MASSES = (0.01, 0.1, 0.3)


def form_factor_lines() -> list[str]:
    """docs/lhc.md's table: Br(P0 -> gamma nu Nbar) with the VMD form factor over the
    point-like one for pi0, eta, eta' ("closed" above the parent's mass)."""
    rows = []
    for m in FORM_FACTOR_MASSES:
        cells = []
        for name in ("pi0", "eta", "etap"):
            point = br_per_d2(name, m, "e")
            ratio = br_per_d2(name, m, "e", "vmd") / point if point > 0.0 else None
            cells.append(
                "closed" if ratio is None else f"{ratio:#.4g}" if ratio < 2 else f"{ratio:#.3g}"
            )
        rows.append([f"{m:g}", *cells])
    return markdown_table(["m_N [GeV]", "π⁰", "η", "η′"], rows)


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
    print("\n## docs/lhc.md: bands of d_e and closing masses\n")
    print("\n".join(band_lines()))
    print("\n## docs/lhc.md: VMD / point-like form factor, Br\n")
    print("\n".join(form_factor_lines()))
    print("\n## docs/lhc.md: options, FASER-2, d_e\n")
    print("\n".join(option_lines()))
