"""Limit geometry, unit conversion, envelope and new-ground intervals on synthetic limits."""

import numpy as np
import pytest

from nudipole.constants import ALPHA_EM, BOHR_MAGNETON_GEV, M_ELECTRON
from nudipole.limits.catalogue import (
    D_TOP,
    Z_90,
    Z_95,
    ExistingLimit,
    LimitSet,
    close_polygon,
    convert_units,
    read_two_columns,
)
from nudipole.limits.newground import envelope, new_ground_band_intervals, new_ground_intervals
from nudipole.model import Flavour


def make(
    limit_id: str, geometry: str, parts: list[np.ndarray], cl: float = 0.9, n: int = 2
) -> ExistingLimit:
    return ExistingLimit(
        id=limit_id, label=limit_id, flavours=(Flavour.MU,), geometry=geometry, cl=cl,
        rate_power=n, arxiv="0000.00000", reference="ref", data_reference="",
        category="terrestrial", in_paper=True, notes="", files=(),
        mass_unit="GeV", coupling_unit="d",
        curves=tuple(parts), polygon=close_polygon(geometry, parts),
    )  # fmt: skip


def test_parser_handles_comments_and_annotations() -> None:
    text = "# header\n0.1 2e-5\n#0.2 3e-5\n\n0.3\t4e-5 #JOSU\n0.4 0.1 #note\n"
    pts = read_two_columns(text)
    assert pts.tolist() == [[0.1, 2e-5], [0.3, 4e-5], [0.4, 0.1]]


def test_unit_conversion() -> None:
    # mu_B = e/(2 m_e) with e = sqrt(4 pi alpha): 296.3 GeV^-1; d = mu_tr / 2 (HNLimits convention)
    assert pytest.approx(np.sqrt(4 * np.pi * ALPHA_EM) / (2 * M_ELECTRON)) == BOHR_MAGNETON_GEV
    assert pytest.approx(296.3, rel=1e-3) == BOHR_MAGNETON_GEV
    pts = convert_units(np.array([[200.0, 1e-10]]), "MeV", "mu_B")
    assert pts[0, 0] == pytest.approx(0.2)
    assert pts[0, 1] == pytest.approx(0.5 * 1e-10 * 296.304, rel=1e-5)
    assert convert_units(np.array([[1.0, 1e-5]]), "GeV", "d").tolist() == [[1.0, 1e-5]]
    with pytest.raises(ValueError, match="unit"):
        convert_units(np.array([[1.0, 1.0]]), "keV", "d")


def test_upper_curve_excludes_above_within_mass_range() -> None:
    lim = make("up", "upper-curve", [np.array([[1e-3, 1e-6], [1.0, 1e-6]])])
    assert lim.contains(0.01, 1e-5)
    assert not lim.contains(0.01, 1e-7)
    assert not lim.contains(2.0, 1e-5)  # beyond its mass range
    assert lim.contains(0.5, 0.1 * D_TOP)


def test_band_and_open_contour() -> None:
    bottom = np.array([[1e-3, 1e-10], [0.3, 1e-10]])
    top = np.array([[1e-3, 1e-8], [0.3, 1e-8]])
    band = make("band", "band", [bottom, top], n=0)
    assert band.contains(0.01, 1e-9)
    assert not band.contains(0.01, 1e-7)
    assert not band.contains(0.01, 1e-11)
    contour = np.array([[0.06, 1e-5], [0.09, 2e-6], [0.05, 6e-7], [0.005, 5e-7]])
    sk = make("sk", "open-contour", [contour])
    assert sk.contains(0.02, 2e-6)
    assert not sk.contains(0.02, 1e-7)
    assert not sk.contains(0.2, 2e-6)


def test_cl_rescaling_one_parameter() -> None:
    lim = make("up", "upper-curve", [np.array([[1e-3, 1e-6], [1.0, 1e-6]])], cl=0.9, n=2)
    assert lim.cl_factor() == pytest.approx(np.sqrt(Z_95 / Z_90))
    assert lim.at_95().polygon[0, 1] == pytest.approx(1e-6 * np.sqrt(1.6449 / 1.2816), rel=1e-4)
    assert lim.at_95().cl == 0.95
    assert lim.at_95().at_95().polygon[0, 1] == lim.at_95().polygon[0, 1]  # idempotent
    assert make(
        "x", "upper-curve", [np.array([[1e-3, 1.0], [1.0, 1.0]])], n=4
    ).cl_factor() == pytest.approx((Z_95 / Z_90) ** 0.25)
    assert (
        make("y", "upper-curve", [np.array([[1e-3, 1.0], [1.0, 1.0]])], cl=0.95).cl_factor() == 1.0
    )
    assert make("z", "band", [np.ones((2, 2)), 2 * np.ones((2, 2))], n=0).cl_factor() == 1.0


def test_envelope_ignores_isolated_bands() -> None:
    upper = make("up", "upper-curve", [np.array([[1e-3, 1e-5], [10.0, 1e-5]])])
    band = make(
        "sn",
        "band",
        [np.array([[1e-3, 1e-10], [0.3, 1e-10]]), np.array([[1e-3, 1e-8], [0.3, 1e-8]])],
        n=0,
    )
    lower = make("low", "upper-curve", [np.array([[1e-3, 1e-7], [0.1, 1e-7]])])
    env = envelope(LimitSet((upper, band, lower)), np.array([0.01, 0.2, 5.0, 20.0]))
    assert env[0] == pytest.approx(1e-7, rel=0.02)
    assert env[1] == pytest.approx(1e-5, rel=0.02)
    assert env[2] == pytest.approx(1e-5, rel=0.02)
    assert np.isnan(env[3])


def test_new_ground_intervals_refined() -> None:
    # Existing: d > 1e-5 everywhere up to 10 GeV, and d > 1e-7 below 0.1 GeV.
    upper = make("up", "upper-curve", [np.array([[1e-3, 1e-5], [10.0, 1e-5]])])
    lower = make("low", "upper-curve", [np.array([[1e-3, 1e-7], [0.1, 1e-7]])])
    m = np.geomspace(1e-3, 10.0, 60)
    d95 = 1e-6 * np.ones_like(m)
    d95[m > 8.0] = 1e-4  # projection loses sensitivity near 8 GeV
    ivs = new_ground_intervals(LimitSet((upper, lower)), m, d95)
    assert len(ivs) == 1
    assert ivs[0].low == pytest.approx(0.1, rel=1e-3)
    # the edge sits where the log-log interpolation of d95 crosses 1e-5, between the grid points
    k = np.flatnonzero(m > 8.0)[0]
    t = (np.log(1e-5) - np.log(1e-6)) / (np.log(1e-4) - np.log(1e-6))
    expected = np.exp(np.log(m[k - 1]) + t * (np.log(m[k]) - np.log(m[k - 1])))
    assert ivs[0].high == pytest.approx(expected, rel=1e-3)
    assert new_ground_intervals(LimitSet((upper,)), m, np.full_like(m, np.nan)) == []


def toy_band(mass: float) -> tuple[float, float]:
    """A far-detector-like band: [1e-6, 1e-4 (m / 0.1)^-2] up to where it closes (its edges
    meet at m = 1 GeV), none above."""
    low, high = 1e-6, 1e-4 * (mass / 0.1) ** -2
    return (low, high) if high > low else (np.nan, np.nan)


@pytest.mark.parametrize("n", [17, 40, 160])
def test_band_new_ground_solved_on_the_band_does_not_move_with_the_grid(n: int) -> None:
    # Existing: d > 5e-7 below 0.05 GeV, which covers the whole band there.
    cover = make("cover", "upper-curve", [np.array([[1e-3, 5e-7], [0.05, 5e-7]])])
    limits = LimitSet((cover,))
    m = np.geomspace(1e-3, 10.0, n)
    bands = np.array([toy_band(x) for x in m])
    solved = new_ground_band_intervals(limits, m, bands[:, 0], bands[:, 1], band_at=toy_band)
    assert len(solved) == 1
    # starts where the limit ends (0.05 GeV) and ends where the band closes (1 GeV), each to
    # CURVE_EDGE_RTOL = 1e-4, whatever the grid
    assert solved[0].low == pytest.approx(0.05, rel=2e-4)
    assert solved[0].high == pytest.approx(1.0, rel=2e-4)
    # without the band function the interval stops at the last grid mass with a band
    grid = new_ground_band_intervals(limits, m, bands[:, 0], bands[:, 1])
    assert grid[0].high == pytest.approx(m[np.isfinite(bands[:, 0])][-1])
