"""Shared inputs of the plotting tests: small, fast reach results (a few masses, few events).

The tests choose the Agg backend here; the library itself never selects one.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from nudipole.api import far_reach, reach
from nudipole.model import Flavour, FlavourMode
from nudipole.plotting.landscape import CurveStyle
from nudipole.reach.recipes import FIGURES, LANDSCAPE, LEP_CEPC
from nudipole.reach.result import ReachResult

#: Masses of the Belle II curves (GeV), up to just below sqrt(s) = 10.58 GeV.
BELLE2_MASSES = np.array([0.01, 0.1, 1.0, 5.0, 10.4])
#: Masses of the far-detector bands (GeV): the band closes between the last two.
FAR_MASSES = np.geomspace(1e-3, 0.3, 6)

#: Masses of the W/Z bands of the lhc-llp figure (GeV): MATHUSLA's closes between the last two.
LLP_MASSES = np.geomspace(1e-3, 2.0, 5)

Curves = list[tuple[ReachResult, CurveStyle]]


@pytest.fixture(scope="session")
def belle2_curves() -> list[tuple[ReachResult, str, str]]:
    """Seed Fig. 1: the three Belle II selections, both presets."""
    out = []
    for preset in ("paper", "default"):
        for curve in FIGURES["belle2"]:
            result = reach(
                curve.experiment,
                BELLE2_MASSES,
                selection=curve.selection,
                preset=preset,
            )
            out.append((result, curve.label, curve.color))
    return out


@pytest.fixture(scope="session")
def landscape_curves() -> Curves:
    """The landscape's Belle II and STCF curves (paper preset), as ``figure landscape``
    styles them."""
    out = []
    for curve, linestyle in LANDSCAPE:
        if curve.experiment == "besiii":
            continue  # 71 energy points: slow, and nothing the other curves do not show
        top = 10.4 if curve.experiment == "belle2" else 0.99 * (curve.sqrt_s or 4.0)
        result = reach(
            curve.experiment,
            np.geomspace(1e-3, top, 5),
            selection=curve.selection,
            sqrt_s=curve.sqrt_s,
            lumi=curve.lumi,
            preset="paper",
        )
        out.append((result, CurveStyle(f"{curve.label} [paper]", curve.color, linestyle)))
    return out


@pytest.fixture(scope="session")
def lep_cepc_curves() -> Curves:
    """Scenario III, d_mu: OPAL, the Z width (no bound: d_Z = 0) and CEPC Z."""
    out = []
    wanted = {("lep", "opal"), ("lep", "z-width"), ("cepc-z", None)}
    for curve, linestyle in LEP_CEPC:
        if (curve.experiment, curve.selection) not in wanted:
            continue
        top = 91.0 if curve.experiment == "lep" else 90.0
        result = reach(
            curve.experiment,
            np.geomspace(1e-2, top, 5),
            selection=curve.selection,
            preset="default",
            flavour=Flavour.MU,
            scenario="III",
        )
        out.append((result, CurveStyle(curve.label, curve.color, linestyle)))
    return out


@pytest.fixture(scope="session")
def faser2_band() -> ReachResult:
    """FASER-2's band for d_e from all meson channels (paper preset)."""
    return far_reach("faser2", FAR_MASSES, preset="paper", flavour=Flavour.E, error_estimate=False)


@pytest.fixture(scope="session")
def faser2_channels() -> list[ReachResult]:
    """FASER-2's band for d_e from pi0 and from eta alone."""
    return [
        far_reach(
            "faser2",
            FAR_MASSES[mass > FAR_MASSES],
            preset="paper",
            flavour=Flavour.E,
            channels=[channel],
            error_estimate=False,
        )
        for channel, mass in (("pi0", 0.1349), ("eta", 0.5478))
    ]


@pytest.fixture(scope="session")
def mathusla_llp_bands() -> dict[FlavourMode, ReachResult]:
    """MATHUSLA's bands on d_gamma with N from W/Z (scenario C), flavour universal and d_tau."""
    return {
        mode: far_reach(
            "mathusla",
            LLP_MASSES,
            flavour=mode,
            sources="wz",
            scenario="C",
            error_estimate=False,
        )
        for mode in (FlavourMode.UNIVERSAL, FlavourMode.TAU)
    }
