"""Limit geometry, unit conversion, envelope and new-ground intervals on synthetic limits."""

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

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


# --------------------------------------------------------------- edges solved on the projection
class CountingBand:
    """A smooth band [low(m), high(m)] (power laws in m, closing where they meet) that counts
    its evaluations."""

    def __init__(self, low_at_1: float, low_power: float, high_at_1: float, high_power: float):
        self.low = (low_at_1, low_power)
        self.high = (high_at_1, high_power)
        self.calls = 0

    def __call__(self, mass: float) -> tuple[float, float]:
        self.calls += 1
        low = self.low[0] * mass ** self.low[1]
        high = self.high[0] * mass ** self.high[1]
        return (low, high) if high > low else (np.nan, np.nan)


def bisection_edge(free_at, lo: float, hi: float, rtol: float = 1e-4) -> tuple[float, int]:
    """Plain bisection in ln m (the former solver), for comparison: edge and evaluations."""
    a, b = np.log(lo), np.log(hi)
    free_lo = free_at(lo)
    n = 0
    while b - a > np.log1p(rtol):
        mid = 0.5 * (a + b)
        n += 1
        if free_at(float(np.exp(mid))) == free_lo:
            a = mid
        else:
            b = mid
    return float(np.exp(0.5 * (a + b))), n


def test_solved_edge_matches_bisection_with_fewer_evaluations() -> None:
    # existing: d > 2e-6 up to 30 GeV. The band [1e-6 m^0.3, 1e-3 m^-2] reaches below the
    # limit (new ground) while its bottom is below 2e-6, i.e. up to m = 2^(1/0.3) = 10.08 GeV.
    cover = make("cover", "upper-curve", [np.array([[1e-3, 2e-6], [30.0, 2e-6]])])
    limits = LimitSet((cover,))
    band = CountingBand(1e-6, 0.3, 1e-3, -2.0)
    m = np.geomspace(1e-2, 15.0, 9)  # a coarse grid: a factor 2.5 between masses
    grid = np.array([band(x) for x in m])
    band.calls = 0
    (iv,) = new_ground_band_intervals(limits, m, grid[:, 0], grid[:, 1], band_at=band)
    solved_calls = band.calls
    exact = 2.0 ** (1.0 / 0.3)
    assert iv.low == pytest.approx(m[0])
    assert iv.high == pytest.approx(exact, rel=1e-4)

    def free_at(mass: float) -> bool:
        low, _ = band(mass)
        return bool(np.isfinite(low)) and bool(low < 2e-6)

    k = np.searchsorted(m, exact)
    reference, bisection_calls = bisection_edge(free_at, m[k - 1], m[k])
    assert iv.high == pytest.approx(reference, rel=1e-4)
    # a power law is exact under log-log interpolation: the first prediction holds
    assert solved_calls <= 2 < bisection_calls


def edges_against_bisection(
    limits: LimitSet, law: Callable[[float], float], m: np.ndarray
) -> tuple[int, list[tuple[float, float, int]]]:
    """New ground of the curve ``law`` solved on it from the grid ``m``: the evaluations it
    took and, per inner edge, (edge, bisection's edge, bisection's evaluations)."""
    calls = []

    def curve(mass: float) -> float:
        calls.append(mass)
        return law(mass)

    d = np.array([law(x) for x in m])
    ivs = new_ground_intervals(limits, m, d, d95_at=curve)

    def free_at(mass: float) -> bool:
        return not bool(limits.excluded(mass, law(mass)))

    found = []
    for iv in ivs:
        for edge in (iv.low, iv.high):
            if edge in (m[0], m[-1]):
                continue
            k = int(np.searchsorted(m, edge))
            found.append((edge, *bisection_edge(free_at, m[k - 1], m[k])))
    return len(calls), found


def test_solved_edge_on_a_curved_projection_and_a_kinked_limit() -> None:
    # the projection d95(m) = 1e-6 exp((ln m)^2) is curved in log-log; the limit has a kink
    kinked = make(
        "kink", "upper-curve", [np.array([[1e-3, 1e-4], [0.03, 1e-5], [0.3, 3e-6], [10.0, 3e-6]])]
    )
    limits = LimitSet((kinked,))
    n_solved, expected = edges_against_bisection(
        limits, lambda mass: float(1e-6 * np.exp(np.log(mass) ** 2)), np.geomspace(1e-3, 10.0, 7)
    )
    assert expected, "the toy has inner edges"
    for edge, reference, _ in expected:
        assert edge == pytest.approx(reference, rel=1e-4)
    # never more than 2 x 3 evaluations (three missed predictions) beyond bisection's
    assert n_solved <= sum(n + 6 for _, _, n in expected)
    # and here far fewer: ln d is quadratic in ln m, so the quadratic through the bracket and
    # the grid mass beside it is exact and every first prediction holds (two evaluations)
    assert n_solved <= 2 * len(expected) < sum(n for _, _, n in expected)


def test_log_band_interpolation_is_linear_or_quadratic() -> None:
    from nudipole.limits.edges import Sample, _log_band

    def at(t: float) -> Sample:  # ln low = 1 + t - 0.3 t^2, ln high = 2 - t^2
        return Sample(t, float(np.exp(1.0 + t - 0.3 * t * t)), float(np.exp(2.0 - t * t)), True)

    t = np.linspace(-1.0, 2.0, 7)
    low, high = _log_band(at(-1.0), at(2.0), at(3.5))(t)
    np.testing.assert_allclose(low, 1.0 + t - 0.3 * t * t, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(high, 2.0 - t * t, rtol=1e-12, atol=1e-12)
    # without a third sample: the chord between the two ends
    low, high = _log_band(at(-1.0), at(2.0), None)(t)
    np.testing.assert_allclose(low, np.interp(t, [-1.0, 2.0], [-0.3, 1.8]), rtol=1e-12)
    np.testing.assert_allclose(high, np.interp(t, [-1.0, 2.0], [1.0, -2.0]), rtol=1e-12)


@given(
    c1=st.floats(-2.0, 2.0),
    c2=st.floats(-1.0, 1.0),
    c3=st.floats(-0.3, 0.3),
    level=st.floats(-14.0, -10.0),
)
def test_solved_edges_agree_with_bisection_on_smooth_projections(
    c1: float, c2: float, c3: float, level: float
) -> None:
    # a projection ln d = -12 + c1 x + c2 x^2 + c3 x^3 (x = ln m) under a flat limit exp(level)
    cover = make("cover", "upper-curve", [np.array([[1e-3, np.exp(level)], [10.0, np.exp(level)]])])
    limits = LimitSet((cover,))

    def law(mass: float) -> float:
        x = float(np.log(mass))
        return float(np.exp(-12.0 + c1 * x + c2 * x * x + c3 * x**3))

    n_solved, found = edges_against_bisection(limits, law, np.geomspace(1e-3, 10.0, 12))
    for edge, reference, _ in found:
        assert edge == pytest.approx(reference, rel=2e-4)
    # at most three missed predictions (2 x 3 evaluations) per edge beyond bisection's
    assert n_solved <= sum(n + 6 for _, _, n in found)


def test_bands_checked_together_as_one_by_one() -> None:
    from nudipole.limits.newground import _bands_have_free

    cover = make("cover", "upper-curve", [np.array([[1e-3, 2e-6], [0.5, 2e-6], [3.0, 1e-7]])])
    limits = LimitSet((cover,))
    rng = np.random.default_rng(3)
    m = 10.0 ** rng.uniform(-3.0, 1.0, 300)
    low = 10.0 ** rng.uniform(-8.0, -4.0, 300)
    high = low * 10.0 ** rng.uniform(-0.5, 3.0, 300)  # some with high < low: a single coupling
    together = _bands_have_free(limits, m, low, high)
    for i in range(m.size):
        d = np.geomspace(low[i], max(high[i], low[i]), 64)
        alone = not bool(np.all(limits.excluded(np.full(64, m[i]), d)))
        assert together[i] == alone
    assert together.any()
    assert not together.all()


# ----------------------------------------------------- a coarse grid that begins below coverage
def test_a_run_free_at_the_first_covered_grid_mass_starts_at_the_solved_edge() -> None:
    # existing: d > 5e-7 from 2 MeV to 0.05 GeV (coverage starts at 2 MeV). The toy band is
    # new ground from 0.05 GeV. A grid whose only masses are 1 MeV (below coverage) and one
    # free mass used to start the run at that grid mass; now the projection at the start of
    # coverage is taken as well, and the edge (0.05 GeV) is solved between them.
    cover = make("cover", "upper-curve", [np.array([[2e-3, 5e-7], [0.05, 5e-7]])])
    limits = LimitSet((cover,))
    for m in (np.array([1e-3, 0.3, 3.0]), np.array([1e-3, 0.08]), np.geomspace(1e-3, 3.0, 40)):
        bands = np.array([toy_band(x) for x in m])
        (iv,) = new_ground_band_intervals(limits, m, bands[:, 0], bands[:, 1], band_at=toy_band)
        assert iv.low == pytest.approx(0.05, rel=2e-4)

        def curve(mass: float) -> float:
            return toy_band(mass)[0]

        (iv,) = new_ground_intervals(limits, m, bands[:, 0], d95_at=curve)
        assert iv.low == pytest.approx(0.05, rel=2e-4)


def test_a_run_free_from_the_start_of_coverage_starts_there() -> None:
    # existing limits from 2 MeV that never reach the band: new ground from 2 MeV on, not from
    # the first covered grid mass (0.3 GeV), with or without the projection function
    high = make("high", "upper-curve", [np.array([[2e-3, 1e-3], [10.0, 1e-3]])])
    limits = LimitSet((high,))
    m = np.array([1e-3, 0.3, 3.0])
    bands = np.array([toy_band(x) for x in m])
    (iv,) = new_ground_band_intervals(limits, m, bands[:, 0], bands[:, 1], band_at=toy_band)
    assert iv.low == pytest.approx(2e-3)
    (iv,) = new_ground_band_intervals(limits, m, bands[:, 0], bands[:, 1])
    assert iv.low == pytest.approx(2e-3)
    (iv,) = new_ground_intervals(limits, m, bands[:, 0])
    assert iv.low == pytest.approx(2e-3)
    # a grid that begins at the start of coverage is taken as it is
    m = np.array([2e-3, 0.3])
    (iv,) = new_ground_intervals(limits, m, np.array([toy_band(x)[0] for x in m]))
    assert iv.low == pytest.approx(2e-3)
