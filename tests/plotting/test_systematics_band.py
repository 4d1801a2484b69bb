"""The systematics band of :func:`nudipole.plotting.reach_plots.plot_curves`: shaded between
the statistics-only curve and the one with a background uncertainty, and said in a note."""

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
