"""How each modelling convention moves the limits: the numbers behind docs/conventions.md.

Run:  python benchmarks/conventions.py  (about half a minute). Prints the Markdown tables of
docs/conventions.md that this script computes:

- d95 at 1 GeV for the seed's headline curves under each convention, starting from the
  `paper` preset and switching one convention at a time, up to the `default` preset
  (:func:`convention_lines`);
- the ratio default / paper versus mass (:func:`preset_ratio_lines`);
- the ratio lab-volume / fixed-length decay, other conventions as `paper`
  (:func:`decay_ratio_lines`);
- the signal needed at 95 % CL by each statistic for the backgrounds of the headline
  selections (:func:`signal_needed_lines`).

``docs/make_figures.py --only numbers`` writes them into docs/conventions.md between their
markers; the deterministic rules (the default integration) compute them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import nudipole
from nudipole.io.markdown import markdown_table, sci
from nudipole.stats import DELTA_CHI2_95
from nudipole.stats.asimov import exclusion_q
from nudipole.stats.chi2 import chi2_q
from nudipole.stats.limits import background_variance
from nudipole.stats.poisson import expected_signal_limit

#: (label in the docs, reach arguments, the seed's quoted d95 at 1 GeV in GeV^-1)
CURVES: list[tuple[str, dict[str, Any], float]] = [
    ("BESIII 27 fb⁻¹", dict(experiment="besiii"), 1.3e-5),
    ("Belle II low-mass", dict(experiment="belle2", selection="low-mass"), 8e-6),
    ("Belle II bBG", dict(experiment="belle2", selection="bbg"), 2e-6),
    ("STCF 4 GeV 30 ab⁻¹", dict(experiment="stcf", sqrt_s=4.0, lumi="30/ab"), 1.3e-6),
]

#: (label in the docs, reach options): one convention switched at a time
VARIANTS: list[tuple[str, dict[str, Any]]] = [
    ("**paper**: isotropic, both, fixed l_D", dict(preset="paper")),
    (
        "paper + `one-minus-cos` (the seed's words)",
        dict(preset="paper", photon_angular="one-minus-cos"),
    ),
    ("paper + N ν̄ only", dict(preset="paper", charge_states="n-only")),
    ("paper + spin-correlated", dict(preset="paper", photon_angular="spin-correlated")),
    ("paper + lab-volume decay", dict(preset="paper", decay_model="lab-volume")),
    (
        "paper + `gmu` scheme (α(√s) for the exchanged photon)",
        dict(preset="paper", ew_scheme="gmu"),
    ),
    ("**default** (spin-correlated, lab-volume, `gmu`)", dict(preset="default")),
    ("default + Asimov statistic", dict(preset="default", statistic="asimov")),
]

#: Masses (GeV) of the default / paper ratio and of the decay-model ratio.
RATIO_MASSES = [0.05, 0.2, 1.0, 3.0]
DECAY_MASSES = [0.01, 0.02, 0.05, 0.1]
#: Relative background uncertainties of the signal-needed table.
UNCERTAINTIES = [0.0, 0.01, 0.05]


def _reach(ckw: dict[str, Any], masses: list[float], **kw: Any) -> np.ndarray:
    extra = {k: v for k, v in ckw.items() if k != "experiment"}
    return np.asarray(nudipole.reach(ckw["experiment"], masses, **extra, **kw).d95)


def _table(header: list[str], rows: list[tuple[str, list[str]]]) -> list[str]:
    return markdown_table(header, [[label, *cells] for label, cells in rows])


def convention_lines() -> list[str]:
    """d95 at m_N = 1 GeV (GeV^-1) of each curve under each convention, and its ratio to the
    seed's quoted value."""
    rows = []
    for name, kw in VARIANTS:
        cells = []
        for _, ckw, published in CURVES:
            d95 = float(_reach(ckw, [1.0], **kw)[0])
            cells.append(f"{d95:.2e} ({d95 / published:.2f})")
        rows.append((name, cells))
    return _table(["convention", *(label for label, _, _ in CURVES)], rows)


def preset_ratio_lines() -> list[str]:
    """d95 default / paper at :data:`RATIO_MASSES`."""
    rows = []
    for label, ckw, _ in CURVES:
        ratio = _reach(ckw, RATIO_MASSES, preset="default") / _reach(
            ckw, RATIO_MASSES, preset="paper"
        )
        rows.append((label, [f"{x:.2f}" for x in ratio]))
    return _table(["curve", *(f"{m:g}" for m in RATIO_MASSES)], rows)


def decay_ratio_lines() -> list[str]:
    """d95 with the lab-volume decay over that with the seed's fixed length, other conventions
    as the `paper` preset, at :data:`DECAY_MASSES`."""
    rows = []
    for label, ckw, _ in CURVES:
        fixed = _reach(ckw, DECAY_MASSES, preset="paper")
        lab = _reach(ckw, DECAY_MASSES, preset="paper", decay_model="lab-volume")
        rows.append((label, [f"{x:.2f}" for x in lab / fixed]))
    return _table(["curve", *(f"{m:g} GeV" for m in DECAY_MASSES)], rows)


def total_background(ckw: dict[str, Any]) -> float:
    """The selection's background summed over its energy points (events; `default` preset,
    which the `paper` preset shares: the background couples with alpha(0) in both)."""
    extra = {k: v for k, v in ckw.items() if k != "experiment"}
    points = nudipole.reach(ckw["experiment"], [1.0], **extra).inputs["points"]
    return float(sum(p["background_irreducible"] + p["background_reducible"] for p in points))


def needed_signal(background: float, uncertainty: float) -> tuple[float, float, float]:
    """Signal (events) at the 95 % CL limit over ``background`` events known to a relative
    ``uncertainty``, as one counting point: `chi2` (S²/(S + B + (rB)²) = 2.7055), `asimov`
    (q = 2.7055) and `poisson-cls` (the median expected CLs limit)."""
    from scipy.optimize import brentq

    v = float(background_variance(background, uncertainty))

    def solve(q: Any) -> float:
        hi = 10.0 + 10.0 * math.sqrt(background + v)
        while float(q(hi, background, v)) < DELTA_CHI2_95:
            hi *= 2.0
        root = brentq(lambda s: float(q(s, background, v)) - DELTA_CHI2_95, 0.0, hi, rtol=1e-12)
        return float(root)

    return solve(chi2_q), solve(exclusion_q), expected_signal_limit(background, 0.95, uncertainty)


def _count(x: float) -> str:
    """Three significant digits, as 1.25e4 above 10^4."""
    return f"{x:.3g}" if x < 1e4 else sci(x)


def _events(x: float) -> str:
    """A number of events: four significant digits below 10 (2.706), three up to 100 (50.3),
    whole numbers up to 10^4 (1428), else as 1.25e4."""
    if x < 10.0:
        return f"{x:.4g}"
    if x < 100.0:
        return f"{x:.3g}"
    return f"{x:.0f}" if x < 1e4 else sci(x)


def signal_needed_lines() -> list[str]:
    """Signal needed at 95 % CL (events), `chi2` / `asimov` / `poisson-cls`, for no background
    and the backgrounds of the headline selections, at each of :data:`UNCERTAINTIES`."""
    cases = [("0", 0.0)]
    for label, ckw, _ in sorted(CURVES, key=lambda c: total_background(c[1])):
        b = total_background(ckw)
        cases.append((f"{_count(b)} ({label})", b))
    rows = []
    for label, b in cases:
        cells = []
        for r in UNCERTAINTIES:
            cells.append(" / ".join(_events(x) for x in needed_signal(b, r)))
        rows.append((label, cells))
    return _table(["B (events)", *(f"r = {100 * r:g} %" for r in UNCERTAINTIES)], rows)


def main() -> None:
    print("d95 [GeV^-1] at m_N = 1 GeV (ratio to the seed's):\n")
    print("\n".join(convention_lines()))
    print("\nRatio default / paper versus mass (GeV):\n")
    print("\n".join(preset_ratio_lines()))
    print("\nRatio lab-volume / fixed-length decay, other conventions as paper:\n")
    print("\n".join(decay_ratio_lines()))
    print("\nSignal needed at 95 % CL (events), chi2 / asimov / poisson-cls:\n")
    print("\n".join(signal_needed_lines()))


if __name__ == "__main__":
    main()
