"""LEP limits and CEPC reach on d_gamma for the electroweak scenarios: the tables of
docs/electroweak.md, with timings.

    python benchmarks/electroweak_report.py

``docs/make_figures.py --only numbers`` writes them into docs/electroweak.md between their
markers: the coupling ratios (:func:`couplings_lines`), Br(N -> nu gamma)
(:func:`branching_lines`), the CEPC boundary band (:func:`cepc_band_lines`), the results
(:func:`results_lines`), the LEP readings (:func:`readings_lines`) and Magill et al.'s curve
(:func:`magill_lines`).
"""

from __future__ import annotations

import copy
import time

import numpy as np

from nudipole.api import reach, resolve_experiment
from nudipole.experiments.schema import Experiment, experiment_from_dict
from nudipole.io.markdown import markdown_table, sci
from nudipole.limits import load_catalogue
from nudipole.model import Flavour
from nudipole.physics.couplings import Scenario, scenario_ratios
from nudipole.physics.decay_ew import branching_ratios

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
    """d95 values to two significant digits as docs/electroweak.md writes them (3.2e-4), "–"
    where there is no limit."""
    return " / ".join(sci(v, 2) if np.isfinite(v) else "–" for v in values)


def opal_over_barrel(abs_cos_max: float) -> Experiment:
    """LEP with OPAL's 0.15 pb read over |cos theta| < abs_cos_max instead of the shipped 0.7."""
    raw = copy.deepcopy(resolve_experiment("lep").raw)
    raw["selections"]["opal"]["cuts"][0]["regions"][0]["abs_cos_max"] = abs_cos_max
    return experiment_from_dict(raw, "lep-opal-barrel")


def table_lines(header: list[float], rows: list[tuple[str, list[str]]]) -> list[str]:
    """A Markdown table: masses across, one labelled row of cells each."""
    head = ["m_N [GeV]", *(f"{v:g}" for v in header)]
    return markdown_table(head, [[label, *cells] for label, cells in rows])


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


#: sin^2 theta_w of the talk's coupling table.
TALK_SIN2W = 0.2293
#: The coupling table's rows: scenario, its name there, the relation, the closed forms of
#: d_Z/d_gamma and d_W/d_gamma (arXiv:2301.06050 Table I; "" for C and D, which the talk
#: gives as numbers), and the talk's magnitudes (C and D).
COUPLING_ROWS: list[tuple[Scenario, str, str, str, str, tuple[str, str] | None]] = [
    (Scenario.I, "I (= A)", "d_W = 0", "−tan θ_w", "", None),
    (Scenario.II, "II", "d_B = 0", "cot θ_w", "√2/s_w", None),
    (Scenario.III, "III (= B)", "a = 2 tan θ_w", "", "√2 s_w", None),
    (Scenario.IV, "IV", "a = −2 tan θ_w", "−tan 2θ_w", "−√2 s_w/cos 2θ_w", None),
    (Scenario.C, "C", "a = −3", "", "", ("11.250", "13.258")),
    (Scenario.D, "D", "a = −3.73", "", "", ("139.55", "173.52")),
]


def _minus(text: str) -> str:
    return text.replace("-", "−")


def couplings_lines() -> list[str]:
    """d_Z/d_gamma and d_W/d_gamma of each named scenario at the talk's sin^2 theta_w."""
    rows = []
    for scenario, name, relation, dz_form, dw_form, talk in COUPLING_ROWS:
        r = scenario_ratios(scenario, TALK_SIN2W)
        cells = []
        for i, (value, form) in enumerate(
            [(r.dz_over_dgamma, dz_form), (r.dw_over_dgamma, dw_form)]
        ):
            number = "0" if value == 0.0 else _minus(f"{value:.{6 if talk else 4}g}")
            text = f"{form} = {number}" if form and value != 0.0 else number
            if talk is not None:
                text += f" (talk: {talk[i]})"
            cells.append(text)
        rows.append([name, relation, *cells, f"{TALK_SIN2W:g}"])
    return markdown_table(["scenario", "relation", "d_Z/d_γ", "d_W/d_γ", "at sin²θ_w"], rows)


#: Masses (GeV) of the Br(N -> nu gamma) table.
BRANCHING_MASSES = [1.0, 50.0, 100.0, 200.0]


def _one_minus(others: float) -> str:
    """1 - x with x < 1e-5 as "1 − 2×10⁻¹²"."""
    mantissa, exponent = sci(others, 1).split("e")
    sup = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    return f"1 − {mantissa}×10{str(int(exponent)).translate(sup)}"


def branching_lines() -> list[str]:
    """Br(N -> nu gamma) of an electron-flavour Dirac N in scenarios I and II, their couplings
    at the talk's sin^2 theta_w (those of :func:`couplings_lines`; the other inputs the
    package's), near 1 as one minus the other channels."""
    per_scenario = []
    for scenario in ("I", "II"):
        couplings = {Flavour.E: scenario_ratios(scenario, TALK_SIN2W).couplings(1e-6)}
        brs = branching_ratios(np.array(BRANCHING_MASSES), couplings)
        others = sum(v for k, v in brs.items() if k != "nu gamma")
        per_scenario.append(
            [
                _one_minus(o) if o < 1e-5 else f"{g:.5f}"
                for g, o in zip(brs["nu gamma"], others, strict=True)
            ]
        )
    rows = [[f"{m:g}", *cells] for m, *cells in zip(BRANCHING_MASSES, *per_scenario, strict=True)]
    head = ["m_N [GeV]", f"Br(N→νγ), scenario I (e), sin²θ_w = {TALK_SIN2W:g}", "scenario II (e)"]
    return markdown_table(head, rows)


#: Masses (GeV) of the CEPC boundary-band table.
BAND_MASSES = [0.1, 1.0, 10.0, 50.0]
CEPC_RUNS = [
    ("cepc-z", "CEPC Z"),
    ("cepc-ww", "CEPC WW"),
    ("cepc-h", "CEPC H"),
    ("cepc-tt", "CEPC tt̄"),
]


def cepc_band_lines(scenario: str = "I") -> list[str]:
    """d95(cos theta_b = 0.999) / d95(0.99) of each CEPC run, default preset, nu_mu, with
    d95 at 0.99 (GeV^-1) in brackets."""
    rows = []
    for name, label in CEPC_RUNS:
        exp = resolve_experiment(name)
        ends = [
            reach(exp.with_cos_theta_b(None, c), BAND_MASSES, scenario=scenario, flavour="mu").d95
            for c in (0.99, 0.999)
        ]
        rows.append(
            [label, *(f"{hi / lo:.2f} ({sci(lo, 2)})" for lo, hi in zip(*ends, strict=True))]
        )
    return markdown_table(["run", *(f"{m:g} GeV" for m in BAND_MASSES)], rows)


def results_lines(runs: list[tuple[str, str | None]] = RUNS) -> list[str]:
    """d95 on d_gamma (GeV^-1) at :data:`MASSES` of each of ``runs`` (experiment, selection),
    scenarios I-IV, e and mu (default preset); "–" where the run sets no limit."""
    rows = []
    for scenario in ("I", "II", "III", "IV"):
        for flavour, mark in (("e", "e"), ("mu", "μ")):
            cells = [
                fmt(reach(exp, MASSES, selection=sel, scenario=scenario, flavour=flavour).d95)
                for exp, sel in runs
            ]
            rows.append([f"{scenario}, {mark}", *cells])
    return markdown_table(["scenario, flavour", *(_run_label(e, s) for e, s in runs)], rows)


def _run_label(experiment: str, selection: str | None) -> str:
    if selection is not None:
        return {"opal": "OPAL", "l3": "L3 (`l3`)", "delphi": "DELPHI", "z-width": "Z width"}[
            selection
        ]
    return dict(CEPC_RUNS)[experiment]


def main() -> None:
    print("d95 on d_gamma [GeV^-1] at m_N = " + " / ".join(f"{m:g}" for m in MASSES) + " GeV\n")
    t0 = time.perf_counter()
    print("\n".join(results_lines(RUNS[:4])))
    print()
    print("\n".join(results_lines(RUNS[4:])))
    elapsed = time.perf_counter() - t0
    print(f"\n{8 * len(RUNS)} curves x {len(MASSES)} masses: {elapsed:.1f} s")
    print(f"\nCoupling ratios at sin^2 theta_w = {TALK_SIN2W}:\n")
    print("\n".join(couplings_lines()))
    print("\nBr(N -> nu gamma):\n")
    print("\n".join(branching_lines()))
    print("\nCEPC boundary band, d95(0.999) / d95(0.99) (d95 at 0.99), scenario I, nu_mu:\n")
    print("\n".join(cepc_band_lines()))

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
