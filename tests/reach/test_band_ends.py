"""Band peaks and where a band ends in mass (nudipole.reach.band.band_peak,
nudipole.reach.band_ends.band_ends), their files and outlines."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from nudipole.experiments.registry import load_far_experiment
from nudipole.io.results import load_csv, load_json, save_csv, save_json
from nudipole.plotting.landscape import band_outline
from nudipole.reach.band import BandRays, band_peak, solve_band
from nudipole.reach.band_ends import BAND_END_RTOL, ScannedRays, band_ends
from nudipole.reach.far_presets import get_far_preset
from nudipole.reach.far_scan import compute_far_reach

S95 = 3.0


def _rays(scale: float) -> BandRays:
    a = np.array([1e5, 3e5, 2e6])
    return BandRays(coeff=scale * np.array([1e10, 2e10, 5e9]), a=a, b=1.05 * a)


def test_peak_is_the_maximum_of_the_count() -> None:
    rays = _rays(1.0)
    d_peak, n_peak = band_peak(rays)
    u = np.geomspace(1e-9, 1e-3, 200001)
    counts = rays.events_many(u)
    k = int(np.argmax(counts))
    assert n_peak == pytest.approx(counts[k], rel=1e-9)
    assert n_peak >= counts[k] * (1 - 1e-12)
    assert d_peak**2 == pytest.approx(u[k], rel=1e-3)


def test_peak_without_rays() -> None:
    d_peak, n_peak = band_peak(BandRays(np.empty(0), np.empty(0), np.empty(0)))
    assert math.isnan(d_peak)
    assert n_peak == 0.0


def test_band_exists_iff_peak_above_threshold() -> None:
    rays = _rays(1.0)
    _, n_peak = band_peak(rays)
    for threshold in (0.5 * n_peak, 0.999 * n_peak):
        assert math.isfinite(solve_band(rays, threshold)[0])
    assert math.isnan(solve_band(rays, 1.001 * n_peak)[0])


def test_smooth_closure_found_where_the_peak_meets_the_threshold() -> None:
    # Rate falling linearly with mass: the peak is proportional to the rate, so the band
    # closes exactly where rate(m) x peak(1) = S95 (analytic).
    _, n1 = band_peak(_rays(1.0))
    m_c = 2.0

    def band_at(m: float) -> BandRays:
        return _rays(max(m_c - m, 0.0) * 10 * S95 / n1)

    m_close = m_c - 0.1  # rate x peak = 10 S95 (m_c - m) = S95
    masses = np.geomspace(0.5, 3.0, 12)
    lower = np.array([solve_band(band_at(m), S95)[0] for m in masses])
    (end,) = band_ends(masses, lower, band_at, S95)
    assert end.side == "upper"
    assert end.mass <= m_close
    assert end.mass == pytest.approx(m_close, rel=BAND_END_RTOL)
    assert end.tolerance <= BAND_END_RTOL * 1.01
    # at the tip the two edges have (nearly) met at the peak
    d_peak, _ = band_peak(band_at(end.mass))
    assert end.d95 <= d_peak <= end.d95_upper
    assert end.d95_upper / end.d95 < 1.2


def _counted_band() -> tuple[Callable[[float], BandRays], list[float]]:
    """A band that closes at 2 GeV (ten times S95 at its peak at 1 GeV, falling linearly),
    and the list of the masses it is asked for."""
    _, n1 = band_peak(_rays(1.0))
    asked: list[float] = []

    def band_at(m: float) -> BandRays:
        asked.append(m)
        return _rays(max(2.0 - m, 0.0) * 10 * S95 / n1)

    return band_at, asked


def test_each_mass_is_evaluated_once_and_the_end_solved_on_its_rays() -> None:
    """band_at is the costly call (every ray of a detector at one mass): each mass it is
    asked for is a new one, and the band at the end is that of the rays Brent evaluated
    there (the same as evaluating them again)."""
    band_at, asked = _counted_band()
    masses = np.geomspace(0.5, 3.0, 12)
    lower = np.array([solve_band(band_at(m), S95)[0] for m in masses])
    asked.clear()
    (end,) = band_ends(masses, lower, band_at, S95)
    assert len(asked) == len(set(asked)) >= 3
    assert end.mass in asked
    assert (end.d95, end.d95_upper) == solve_band(band_at(end.mass), S95)


def test_the_scans_own_rays_stand_for_the_scanned_masses() -> None:
    """With the scan's rays at the two masses around the end (``scanned``), band_at is asked
    only for masses between them, and the end is the one found by asking for everything."""
    band_at, asked = _counted_band()
    masses = np.geomspace(0.5, 3.0, 12)
    at_scan = [band_at(m) for m in masses]
    lower = np.array([solve_band(r, S95)[0] for r in at_scan])
    asked.clear()
    alone = band_ends(masses, lower, band_at, S95)
    asked_alone = list(asked)
    asked.clear()
    kept = ScannedRays()
    for i, r in enumerate(at_scan):
        kept.add(i, r)
    kept.keep_beside_ends(np.isfinite(lower), complete=True)
    (i,) = np.flatnonzero(np.diff(np.isfinite(lower)))
    assert sorted(kept.rays) == [i, i + 1]
    assert band_ends(masses, lower, band_at, S95, scanned=kept.rays) == alone
    assert len(asked) == len(asked_alone) - 2
    assert all(masses[i] < m < masses[i + 1] for m in asked)


def test_a_scanned_mass_without_its_rays_is_asked_for_at_itself() -> None:
    """Where the scan kept no rays of a mass beside an end (one it skipped by its bound,
    reach.far_bounds), band_at is asked for that very mass (not exp(ln m), which may differ
    in the last digit): its rays are then those the scan would have kept."""
    band_at, asked = _counted_band()
    masses = np.geomspace(0.5, 3.0, 12)
    lower = np.array([solve_band(band_at(m), S95)[0] for m in masses])
    (i,) = np.flatnonzero(np.diff(np.isfinite(lower)))
    asked.clear()
    band_ends(masses, lower, band_at, S95)
    assert asked[:2] == [float(masses[i]), float(masses[i + 1])]


def test_scanned_rays_keep_only_the_masses_beside_an_end() -> None:
    """Masses whose neighbours agree on having a band are dropped once both are scanned;
    the last scanned mass is kept until its next neighbour is known."""
    kept = ScannedRays()
    have = np.array([False, True, True, True, False, False])
    for i in range(3):
        kept.add(i, _rays(1.0))
    kept.add(3, None)  # a mass whose rays were not made (nothing to keep)
    kept.keep_beside_ends(have[:4])
    assert sorted(kept.rays) == [0, 1]
    for i in range(4, 6):
        kept.add(i, _rays(1.0))
    kept.keep_beside_ends(have)
    assert sorted(kept.rays) == [0, 1, 4, 5]  # 5: last scanned, its neighbour unknown
    kept.keep_beside_ends(have, complete=True)
    assert sorted(kept.rays) == [0, 1, 4]


def test_a_scan_in_blocks_is_the_scan_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The masses scanned a few at a time (SCAN_BLOCK) give the same bands and ends, bit
    for bit, as all at once."""
    from nudipole.reach import far_scan

    exp = load_far_experiment("faser2")
    masses = np.geomspace(0.01, 1.0, 9)
    whole = compute_far_reach(exp, masses, get_far_preset("paper"), error_estimate=False)
    monkeypatch.setattr(far_scan, "SCAN_BLOCK", 2)
    blocks = compute_far_reach(exp, masses, get_far_preset("paper"), error_estimate=False)
    assert np.array_equal(whole.d95, blocks.d95, equal_nan=True)
    assert np.array_equal(whole.d95_upper, blocks.d95_upper, equal_nan=True)
    assert whole.band_ends == blocks.band_ends
    assert len(whole.band_ends) == 1


def test_kinematic_closure_is_a_vertical_end() -> None:
    # The rate drops to zero at m_k (a channel closing): the end is m_k, edges stay apart.
    m_k = 1.234

    def band_at(m: float) -> BandRays:
        return _rays(1.0 if m < m_k else 0.0)

    masses = np.geomspace(0.5, 3.0, 9)
    lower = np.array([solve_band(band_at(m), S95)[0] for m in masses])
    (end,) = band_ends(masses, lower, band_at, S95)
    assert end.mass == pytest.approx(m_k, rel=BAND_END_RTOL)
    lo, hi = solve_band(_rays(1.0), S95)
    assert end.d95 == pytest.approx(lo)
    assert end.d95_upper == pytest.approx(hi)


def test_opening_band_gives_a_lower_end() -> None:
    m_o = 0.8
    _, n1 = band_peak(_rays(1.0))

    def band_at(m: float) -> BandRays:
        return _rays(max(m - m_o + 0.1, 0.0) * 10 * S95 / n1)

    masses = np.geomspace(0.3, 3.0, 10)
    lower = np.array([solve_band(band_at(m), S95)[0] for m in masses])
    (end,) = band_ends(masses, lower, band_at, S95)
    assert end.side == "lower"
    assert end.mass == pytest.approx(m_o, rel=BAND_END_RTOL)
    assert end.mass >= m_o


@pytest.fixture(scope="module")
def faser2_band() -> object:
    exp = load_far_experiment("faser2")
    return compute_far_reach(
        exp, np.geomspace(0.01, 1.0, 9), get_far_preset("paper"), error_estimate=False
    )


def test_faser2_band_end_between_scanned_masses(faser2_band: object, tmp_path: object) -> None:
    res = faser2_band
    ok = np.isfinite(res.d95)
    last = int(np.flatnonzero(ok)[-1])
    (end,) = [e for e in res.band_ends if e.side == "upper"]
    assert res.mass[last] < end.mass < res.mass[last + 1]
    # the band exists at the end mass and not 2 x tolerance above it
    exp = load_far_experiment("faser2")
    inside = compute_far_reach(exp, [end.mass], get_far_preset("paper"), error_estimate=False)
    above = compute_far_reach(
        exp, [end.mass * (1 + 2 * BAND_END_RTOL)], get_far_preset("paper"), error_estimate=False
    )
    assert math.isfinite(inside.d95[0])
    assert math.isnan(above.d95[0])
    # the band is thin at its end (closes smoothly)
    assert end.d95_upper / end.d95 < 1.5
    assert res.inputs["band_end_tolerance"] == BAND_END_RTOL


def test_band_ends_survive_files_and_close_the_outline(
    faser2_band: object, tmp_path: object
) -> None:
    res = faser2_band
    for save, load, name in ((save_json, load_json, "r.json"), (save_csv, load_csv, "r.csv")):
        path = tmp_path / name  # type: ignore[operator]
        save(res, path)
        back = load(path)
        assert back.band_ends == res.band_ends
    (x, y), *_ = band_outline(res)
    end = next(e for e in res.band_ends if e.side == "upper")
    assert x.max() == pytest.approx(end.mass)
    assert end.d95 in y
    assert end.d95_upper in y


def test_band_samples_add_each_end_and_the_mass_beyond_it(faser2_band: object) -> None:
    res = faser2_band
    mass, low, high = res.band_samples()
    assert np.all(np.diff(mass) > 0)
    # the scanned masses keep their bands
    k = np.searchsorted(mass, res.mass)
    assert np.array_equal(mass[k], res.mass)
    assert np.array_equal(low[k], res.d95, equal_nan=True)
    assert np.array_equal(high[k], res.upper, equal_nan=True)
    (end,) = [e for e in res.band_ends if e.side == "upper"]
    i = int(np.flatnonzero(mass == end.mass)[0])
    assert (low[i], high[i]) == (end.d95, end.d95_upper)
    # the next sample is where band_ends found no band: the end's tolerance beyond
    assert mass[i + 1] == pytest.approx(end.mass * (1 + end.tolerance), rel=1e-12)
    assert math.isnan(low[i + 1])
    assert math.isnan(high[i + 1])
    assert mass.size == res.mass.size + 2 * len(res.band_ends)


def test_new_ground_at_a_band_end_needs_no_evaluation(faser2_band: object) -> None:
    # The ends are solved to the new-ground edges' precision, so an edge of new ground where
    # the band closes is bracketed by band_samples alone: the band function is called for
    # the other edge only (d_e against the seed's Fig. 3 limits: 0.0939-0.172 GeV).
    from nudipole.api import far_band_function
    from nudipole.limits import load_catalogue
    from nudipole.limits.newground import CURVE_EDGE_RTOL, new_ground_band_intervals
    from nudipole.model import Flavour

    assert BAND_END_RTOL <= CURVE_EDGE_RTOL
    res = faser2_band
    (end,) = [e for e in res.band_ends if e.side == "upper"]
    assert end.tolerance <= CURVE_EDGE_RTOL
    band = far_band_function("faser2", preset="paper")
    called: list[float] = []

    def band_at(mass: float) -> tuple[float, float]:
        called.append(mass)
        return band(mass)

    limits = load_catalogue().paper_set().for_flavour(Flavour.E)
    (iv,) = new_ground_band_intervals(limits, *res.band_samples(), band_at=band_at)
    assert iv.high == pytest.approx(end.mass, rel=CURVE_EDGE_RTOL)
    assert 0.09 < iv.low < 0.1
    assert called
    assert max(called) < 0.9 * end.mass  # none near the end


def test_band_samples_without_ends_are_the_scan() -> None:
    exp = load_far_experiment("faser2")
    res = compute_far_reach(
        exp, [0.05, 0.1, 0.3], get_far_preset("paper"), error_estimate=False, locate_ends=False
    )
    assert res.band_ends == ()
    assert res.inputs["band_end_tolerance"] is None
    mass, low, high = res.band_samples()
    assert np.array_equal(mass, res.mass)
    assert np.array_equal(low, res.d95, equal_nan=True)
    assert np.array_equal(high, res.upper, equal_nan=True)
    # the same bands as with the ends located
    located = compute_far_reach(
        exp, [0.05, 0.1, 0.3], get_far_preset("paper"), error_estimate=False
    )
    assert np.array_equal(located.d95, res.d95, equal_nan=True)
    assert located.band_ends
    assert located.band_ends[0].side == "upper"


def test_band_samples_skip_what_is_not_a_mass() -> None:
    from nudipole.reach.result import BandEnd, ReachResult

    nan = math.nan
    ends = (
        BandEnd(mass=nan, d95=1e-6, d95_upper=2e-6, side="upper", tolerance=1e-3),
        BandEnd(mass=0.5, d95=1e-6, d95_upper=2e-6, side="upper", tolerance=nan),
        BandEnd(mass=0.7, d95=1e-6, d95_upper=2e-6, side="upper", tolerance=5.0),
    )
    res = ReachResult(
        mass=np.array([0.1, 1.0]),
        d95=np.array([1e-6, nan]),
        d95_error=np.full(2, nan),
        acceptance=np.zeros(2),
        d95_upper=np.array([1e-4, nan]),
        band_ends=ends,
    )
    mass, _, _ = res.band_samples()
    # the ends' own masses where they are masses, no point beyond a tolerance that is none
    assert mass.tolist() == [0.1, 0.5, 0.7, 1.0]


def test_band_samples_of_a_lower_end() -> None:
    from nudipole.reach.result import BandEnd, ReachResult

    nan = math.nan
    res = ReachResult(
        mass=np.array([0.01, 0.1, 1.0]),
        d95=np.array([nan, 1e-6, 2e-6]),
        d95_error=np.full(3, nan),
        acceptance=np.zeros(3),
        d95_upper=np.array([nan, 1e-4, 1e-5]),
        band_ends=(BandEnd(mass=0.05, d95=3e-6, d95_upper=4e-6, side="lower", tolerance=1e-3),),
    )
    mass, low, high = res.band_samples()
    assert mass.tolist() == pytest.approx([0.01, 0.05 * (1 - 1e-3), 0.05, 0.1, 1.0], rel=1e-12)
    assert np.isnan(low[:2]).all()
    assert low[2:].tolist() == [3e-6, 1e-6, 2e-6]
    assert high[2:].tolist() == [4e-6, 1e-4, 1e-5]
