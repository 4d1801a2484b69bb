"""Recipes for the seed paper's figures: which curves, with which inputs.

Seed: Zhang, Song, Ding, Chen, PLB 829 (2022) 137116, arXiv:2204.07802.
Fig. 1: Belle II, 50 ab^-1, low-mass, high-mass and bBG selections.
Fig. 2: BESIII (28 fb^-1 in the seed; 27 fb^-1 in our cited table) and STCF at 2, 4, 7 GeV
with 10 ab^-1 each (advanced cuts).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Curve:
    """One projected curve: experiment, selection, sqrt(s), luminosity, label and colour."""

    experiment: str
    label: str
    color: str
    selection: str | None = None
    sqrt_s: float | None = None
    lumi: str | None = None


FIGURES: dict[str, tuple[Curve, ...]] = {
    "belle2": (
        Curve("belle2", "Belle II low-mass cut (gBG incl.)", "tab:blue", selection="low-mass"),
        Curve("belle2", "Belle II high-mass cut (gBG incl.)", "tab:red", selection="high-mass"),
        Curve("belle2", "Belle II bBG cut (gBG omitted)", "black", selection="bbg"),
    ),
    "besiii-stcf": (
        Curve("besiii", "BESIII 2012-20, 27 fb$^{-1}$", "black"),
        Curve(
            "stcf", r"STCF $\sqrt{s}$ = 2 GeV, 10 ab$^{-1}$", "tab:green", sqrt_s=2.0, lumi="10/ab"
        ),
        Curve(
            "stcf", r"STCF $\sqrt{s}$ = 4 GeV, 10 ab$^{-1}$", "tab:red", sqrt_s=4.0, lumi="10/ab"
        ),
        Curve(
            "stcf", r"STCF $\sqrt{s}$ = 7 GeV, 10 ab$^{-1}$", "tab:blue", sqrt_s=7.0, lumi="10/ab"
        ),
    ),
}

FIGURE_TITLES: dict[str, str] = {
    "belle2": "Belle II, 50 ab$^{-1}$ (seed Fig. 1)",
    "besiii-stcf": "BESIII and STCF, advanced cuts (seed Fig. 2)",
}

#: Projected curves of the landscape plot (seed Fig. 3), with the seed's line styles:
#: (curve, line style). Drawn for each preset.
LANDSCAPE: tuple[tuple[Curve, str], ...] = (
    (Curve("belle2", "Belle II 50/ab low-mass (gBG incl.)", "red", selection="low-mass"), "-"),
    (Curve("belle2", "Belle II 50/ab bBG cut (gBG omitted)", "red", selection="bbg"), "-."),
    (Curve("besiii", "BESIII 27/fb", "green"), ":"),
    (Curve("stcf", "STCF 4 GeV 30/ab", "blue", sqrt_s=4.0, lumi="30/ab"), ":"),
)

#: New ground the seed states (Sec. III): curve label -> flavour -> (low, high) in GeV.
SEED_NEW_GROUND: dict[str, dict[str, tuple[float, float]]] = {
    "Belle II 50/ab low-mass (gBG incl.)": {
        "e": (0.07, 10.0),
        "mu": (2.0, 10.0),
        "tau": (0.07, 10.0),
    },
    "STCF 4 GeV 30/ab": {"e": (0.07, 3.8), "mu": (2.0, 3.8), "tau": (0.07, 3.8)},
}

#: Headline numbers quoted by the seed (abstract, Sec. III): experiment curve, mass, d95 (GeV^-1).
HEADLINE: tuple[tuple[Curve, float, float], ...] = (
    (Curve("besiii", "BESIII 2012-20 (27/fb)", "black"), 1.0, 1.3e-5),
    (Curve("belle2", "Belle II 50/ab low-mass", "tab:blue", selection="low-mass"), 1.0, 8e-6),
    (Curve("belle2", "Belle II 50/ab bBG", "black", selection="bbg"), 1.0, 2e-6),
    (Curve("stcf", "STCF 4 GeV 30/ab", "tab:red", sqrt_s=4.0, lumi="30/ab"), 1.0, 1.3e-6),
)

#: Curves of the LEP/CEPC figure (talk; Zhang & Liu, PRD 107 (2023) 095031): (curve, line style).
#: LEP analyses are published limits, CEPC runs expected limits.
LEP_CEPC: tuple[tuple[Curve, str], ...] = (
    (Curve("lep", "LEP1 OPAL monophoton", "tab:olive", selection="opal"), "-"),
    (Curve("lep", "LEP1 L3 Z -> gamma + inv.", "tab:brown", selection="l3"), "-"),
    (Curve("lep", "LEP2 DELPHI monophoton", "tab:purple", selection="delphi"), "-"),
    (Curve("lep", "Z invisible width", "tab:gray", selection="z-width"), "-"),
    (Curve("cepc-z", "CEPC Z, 100/ab", "tab:red"), "--"),
    (Curve("cepc-ww", "CEPC WW, 6/ab", "tab:orange"), "--"),
    (Curve("cepc-h", "CEPC H, 20/ab", "tab:green"), "--"),
    (Curve("cepc-tt", "CEPC ttbar, 1/ab", "tab:blue"), "--"),
)
