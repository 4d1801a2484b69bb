"""LEP limits and CEPC reach on d_gamma for the electroweak scenarios: the tables of
docs/electroweak.md, with timings.

    python benchmarks/electroweak_report.py

``docs/make_figures.py --only numbers`` writes two of them into docs/electroweak.md
(:func:`readings_lines`, :func:`magill_lines`).
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


def sci(value: float) -> str:
    """``value`` to three significant digits as docs/electroweak.md writes it (4.80e-4)."""
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def table_lines(header: list[float], rows: list[tuple[str, list[str]]]) -> list[str]:
    """A Markdown table: masses across, one labelled row of cells each."""
    lines = ["| m_N [GeV] | " + " | ".join(f"{v:g}" for v in header) + " |"]
    lines.append("|---|" + "---|" * len(header))
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
    return lines


READING_MASSES = [0.01, 0.1, 1.0, 10.0, 30.0, 50.0, 70.0, 85.0]


def readings_lines() -> list[str]:
    """The table of docs/electroweak.md, "How the published limits are read" (nu_mu)."""
    m = READING_MASSES
    rows: list[tuple[str, list[str]]] = []
    for scenario in ("I", "II"):
        ours = reach("lep", m, selection="l3", scenario=scenario, flavour="mu").d95
        talk = reach("lep", m, selection="l3-talk", scenario=scenario, flavour="mu").d95
        rows.append((f"{scenario}, `l3`", [sci(v) for v in ours]))
        rows.append((f"{scenario}, `l3-talk`", [sci(v) for v in talk]))
        if scenario == "I":
            rows.append(("ratio", [f"{v:.2f}" for v in ours / talk]))
    opal = reach("lep", m, selection="opal", scenario="I", flavour="mu").d95
    barrel = reach(opal_over_barrel(0.82), m, selection="opal", scenario="I", flavour="mu").d95
    rows.append(("OPAL, I (for comparison)", [sci(v) for v in opal]))
    rows.append(("OPAL, I, whole barrel (\\|cos θ\\| < 0.82)", [sci(v) for v in barrel]))
    rows.append(("ratio barrel / shipped", [f"{v:.3f}" for v in barrel / opal]))
    return table_lines(m, rows)


def magill_lines() -> list[str]:
    """The table of docs/electroweak.md, "Against Magill et al.'s LEP curve": scenario I's
    best LEP bound and L3's with d_Z = d_gamma (both readings) against the catalogue's curve."""
    lep = load_catalogue().get("lep").curves[0]
    m = np.array(READING_MASSES)
    magill = np.exp(np.interp(np.log(m), np.log(lep[:, 0]), np.log(lep[:, 1])))
    best = np.full(m.size, np.inf)
    for sel in ("opal", "l3", "delphi", "z-width"):
        best = np.fmin(best, reach("lep", m, selection=sel, scenario="I", flavour="mu").d95)
    # the coupling a of d_Z = d_gamma at the scheme's sin^2(theta_w) (checked just below)
    equal = reach("lep", m, selection="l3", a=2 * 1.3576 / 0.3952, flavour="mu")
    talk = reach("lep", m, selection="l3-talk", a=2 * 1.3576 / 0.3952, flavour="mu")
    dz = equal.inputs["couplings"]["dZ_over_dgamma"]
    if abs(dz - 1.0) > 5e-4:
        raise SystemExit(f"d_Z / d_gamma = {dz:.4f}, not 1: update the coupling a here")
    rows = [
        ("Magill et al.", [sci(v) for v in magill]),
        ("ours, scenario I, best LEP", [sci(v) for v in best]),
        ("ratio", [f"{v:.3g}" for v in best / magill]),
        ("ours, L3 (`l3`), d_Z = d_γ", [sci(v) for v in equal.d95]),
        ("ours, L3 (`l3-talk`), d_Z = d_γ", [sci(v) for v in talk.d95]),
    ]
    return table_lines(list(m), rows)


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
    print("\n".join(magill_lines()))
    print("\nHow the published limits are read: d95 [GeV^-1], nu_mu\n")
    print("\n".join(readings_lines()))

    t0 = time.perf_counter()
    reach("cepc-z", np.geomspace(0.01, 90.0, 200), scenario="II", flavour="mu")
    print(f"\none 200-mass CEPC Z curve (scenario II): {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    reach("lep", np.geomspace(0.01, 90.0, 200), selection="l3", scenario="II", flavour="mu")
    print(f"one 200-mass LEP L3 curve (scenario II): {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
