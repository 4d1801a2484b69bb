"""The systematics bands of :func:`nudipole.plotting.reach_plots.plot_curves` (shaded) and of
the LEP/CEPC figure (:func:`nudipole.cli.ew_figure.lep_cepc_figure`, hatched): between the
statistics-only curve and the one with a background uncertainty, and said in a note."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PolyCollection

from nudipole.plotting.reach_plots import plot_curves
from nudipole.reach.result import ReachResult


def _result(mass: np.ndarray, d95: np.ndarray, unc: float) -> ReachResult:
    return ReachResult(
        mass=mass,
        d95=d95,
        d95_error=np.zeros_like(mass),
        acceptance=np.ones_like(mass),
        inputs={
            "experiment": "belle2",
            "selection": "bbg",
            "preset": "paper",
            "conventions": {"background_uncertainty": unc},
        },
    )


def test_band_spans_the_two_curves_and_is_named() -> None:
    m = np.geomspace(0.01, 5.0, 12)
    stat = _result(m, 1e-5 * np.ones_like(m), 0.0)
    d_sys = 3e-5 * np.ones_like(m)
    d_sys[3] = np.nan  # no limit there: no band there either
    syst = _result(m, d_sys, 0.05)
    fig = plot_curves([(stat, "Belle II bBG", "black")], systematics=[syst])
    (band,) = [c for c in fig.axes[0].collections if isinstance(c, PolyCollection)]
    assert band.get_gid() == "band:belle2:bbg:paper"
    ys = np.concatenate([p.vertices[:, 1] for p in band.get_paths()])
    assert ys.min() == pytest.approx(1e-5)
    assert ys.max() == pytest.approx(3e-5)
    assert "background uncertainty of 5 %" in " ".join(t.get_text() for t in fig.texts)


def test_without_systematics_nothing_is_shaded() -> None:
    m = np.geomspace(0.01, 5.0, 4)
    fig = plot_curves([(_result(m, 1e-5 * np.ones_like(m), 0.0), "x", "black")])
    assert not [c for c in fig.axes[0].collections if isinstance(c, PolyCollection)]
    assert "background uncertainty" not in " ".join(t.get_text() for t in fig.texts)


def test_band_needs_matching_masses() -> None:
    m = np.geomspace(0.01, 5.0, 4)
    stat = _result(m, 1e-5 * np.ones_like(m), 0.0)
    with pytest.raises(ValueError, match="masses"):
        plot_curves([(stat, "x", "black")], systematics=[_result(m * 1.1, m, 0.05)])
    with pytest.raises(ValueError, match="1 curves"):
        plot_curves([(stat, "x", "black")], systematics=[None, None])


def test_lep_cepc_band_is_hatched_from_the_curve_to_its_systematics_limit() -> None:
    """``figure lep-cepc --bkg-uncertainty``: the band of a CEPC curve runs from its
    statistics-only limit to the one with the uncertainty, hatched, named after the curve."""
    from nudipole.cli.ew_figure import SYSTEMATICS_HATCH, lep_cepc_figure
    from nudipole.limits import LimitSet
    from nudipole.model import Flavour
    from nudipole.plotting.landscape import CurveStyle

    m = np.geomspace(0.01, 80.0, 10)
    stat = _result(m, 2e-7 * np.ones_like(m), 0.0)
    syst = _result(m, 1.3e-6 * np.ones_like(m), 0.01)
    style = CurveStyle("CEPC Z, 100/ab", "tab:red", "--")
    fig = lep_cepc_figure(
        [Flavour.MU],
        LimitSet(()),
        {Flavour.MU: [(stat, style)]},
        "II",
        None,
        "default",
        systematics={Flavour.MU: [(stat, syst, style)]},
        uncertainty=0.01,
    )
    (band,) = [c for c in fig.axes[0].collections if c.get_gid() == "bkg-band:CEPC Z, 100/ab"]
    assert band.get_hatch() == SYSTEMATICS_HATCH
    ys = np.concatenate([p.vertices[:, 1] for p in band.get_paths()])
    assert ys.min() == pytest.approx(2e-7)
    assert ys.max() == pytest.approx(1.3e-6)
    assert "uncertainty of 1 %" in " ".join(t.get_text() for t in fig.texts)
