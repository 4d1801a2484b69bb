"""The parents' sub-bin rule (:func:`nudipole.production.meson_parents._expand_bins`): each
spectrum bin spread evenly in log10 theta and log10 p over its width, integrated by a product
Gauss-Legendre rule, with more nodes in the bins of the fastest parents that can reach the
detector's polar window."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from nudipole.production import meson_parents as mp
from nudipole.production.absorber import ChargedMesonDecays
from nudipole.production.source_options import SourceOptions
from nudipole.production.spectra import Spectrum

WIDTH = 0.05
HALF = 0.5 * WIDTH
#: A polar window that every test bin reaches (rad).
ALL = (0.0, math.pi)


def _spectrum(log10_p: list[float], log10_theta: list[float] | None = None) -> Spectrum:
    n = len(log10_p)
    theta = log10_theta if log10_theta is not None else [-3.0 + 0.1 * i for i in range(n)]
    return Spectrum(
        pdgid=111,
        particle="pi0",
        generator="test",
        spectra_set="user",
        sqrt_s_gev=14000.0,
        log10_theta=theta,
        log10_p=log10_p,
        sigma_pb=[1.0 + i for i in range(n)],
        bin_width_log10=WIDTH,
    )


def _per_bin(spec: Spectrum, theta: np.ndarray, mom: np.ndarray) -> np.ndarray:
    """The bin of each node: the nearest centre (a node lies within 0.3 bin widths of it)."""
    lt, lp = np.log10(theta), np.log10(mom)
    dist = (lt[:, None] - spec.log10_theta[None, :]) ** 2 + (
        lp[:, None] - spec.log10_p[None, :]
    ) ** 2
    return np.asarray(np.argmin(dist, axis=1))


@settings(max_examples=30, deadline=None)
@given(n_sub=st.integers(1, 5), n_fast=st.integers(1, 6))
def test_every_bin_keeps_its_cross_section_inside_its_bounds(n_sub: int, n_fast: int) -> None:
    spec = _spectrum([0.5, 1.7, 2.8, 3.0, 3.2])
    theta, mom, sig = mp._expand_bins(spec, n_sub, n_fast, ALL)
    k = _per_bin(spec, theta, mom)
    np.testing.assert_allclose(np.bincount(k, weights=sig), spec.sigma_pb, rtol=1e-13)
    assert np.all(np.abs(np.log10(theta) - spec.log10_theta[k]) <= HALF * (1 + 1e-12))
    assert np.all(np.abs(np.log10(mom) - spec.log10_p[k]) <= HALF * (1 + 1e-12))
    # the weighted mean of each bin's nodes is its centre (the rule is symmetric)
    for axis, centre in ((np.log10(theta), spec.log10_theta), (np.log10(mom), spec.log10_p)):
        mean = np.bincount(k, weights=sig * axis) / spec.sigma_pb
        np.testing.assert_allclose(mean, centre, atol=1e-12)


def test_the_fastest_bins_of_each_row_get_the_fast_rule() -> None:
    # one row (theta 10^-3): its three bins of the highest momenta are fast
    spec = _spectrum([2.0, 2.95, 3.0, 3.05, 3.1], [-3.0] * 5)
    theta, mom, _ = mp._expand_bins(spec, 1, 2, ALL)
    nodes = np.bincount(_per_bin(spec, theta, mom), minlength=5)
    assert mp.FAST_BINS == 3
    assert nodes.tolist() == [1, 1, 4, 4, 4]
    theta, mom, _ = mp._expand_bins(spec, 1, 3, ALL, boson=True)  # a W/Z table: every bin
    assert np.bincount(_per_bin(spec, theta, mom), minlength=5).tolist() == [9] * 5
    # the fast rule never has fewer nodes than the rule of the other bins
    theta, _, _ = mp._expand_bins(spec, 3, 1, ALL)
    assert theta.size == 5 * 9
    # one node per axis everywhere: the bin centres themselves
    theta, mom, sig = mp._expand_bins(spec, 1, 1, ALL)
    np.testing.assert_array_equal(theta, 10.0**spec.log10_theta)
    np.testing.assert_array_equal(mom, 10.0**spec.log10_p)
    np.testing.assert_array_equal(sig, spec.sigma_pb)


def test_each_row_has_its_own_fastest_bins_and_only_rows_near_the_window_count() -> None:
    """Two rows, theta 10^-3 and 10^-1 rad, each with its own top momentum: each row's top
    bin is fast where the window reaches the row (within one bin), none where it does not."""
    spec = _spectrum([2.0, 3.0, 1.0, 2.0], [-3.0, -3.0, -1.0, -1.0])

    def nodes(window: tuple[float, float]) -> list[int]:
        theta, mom, _ = mp._expand_bins(spec, 1, 2, window)
        return np.bincount(_per_bin(spec, theta, mom), minlength=4).tolist()

    assert nodes(ALL) == [1, 4, 1, 4]
    assert nodes((0.05, 0.2)) == [1, 1, 1, 4]  # only the wide row
    assert nodes((0.0, 0.002)) == [1, 4, 1, 1]  # only the narrow row
    # the window's edge one bin (0.05 in log10) beyond the row still counts, two do not
    assert nodes((10**-0.95, 0.2)) == [1, 1, 1, 4]
    assert nodes((10**-0.85, 0.2)) == [1, 1, 1, 1]
    assert nodes((1e-4, 10**-3.05)) == [1, 4, 1, 1]
    assert nodes((1e-4, 10**-3.15)) == [1, 1, 1, 1]


def test_a_w_z_table_spreads_every_bin_in_momentum_and_near_the_window_in_angle() -> None:
    spec = _spectrum([2.0, 3.0, 1.0, 2.0], [-3.0, -3.0, -1.0, -1.0])
    theta, mom, sig = mp._expand_bins(spec, 1, 2, (0.05, 0.2), boson=True)
    k = _per_bin(spec, theta, mom)
    assert np.bincount(k, minlength=4).tolist() == [2, 2, 4, 4]
    # the far rows keep their centre angle and take two momenta across the bin
    far = k < 2
    np.testing.assert_allclose(np.log10(theta[far]), spec.log10_theta[k[far]], rtol=0, atol=1e-14)
    assert np.unique(np.round(np.log10(mom[far]), 9)).size == 4
    np.testing.assert_allclose(np.bincount(k, weights=sig), spec.sigma_pb, rtol=1e-13)


def test_the_backward_w_z_table_sees_the_window_from_the_other_side(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The backward table's angles count from -z: a detector at theta in (lo, hi) lies at
    (pi - hi, pi - lo) for it."""
    seen = []
    expand = mp._expand_bins

    def spy(spec, n_sub, n_sub_fast, window, boson=False):  # type: ignore[no-untyped-def]
        seen.append(window)
        return expand(spec, n_sub, n_sub_fast, window, boson)

    monkeypatch.setattr(mp, "_expand_bins", spy)
    mp._boson_spectra.__wrapped__("Z", "pythia", 1, 2, (1e-3, 2e-3))
    assert seen == [(1e-3, 2e-3), (math.pi - 2e-3, math.pi - 1e-3)]


@pytest.mark.parametrize("n", [2, 3, 4])
def test_the_product_rule_averages_polynomials_over_the_bin_exactly(n: int) -> None:
    """Gauss-Legendre with n nodes per axis integrates u^i v^j, i, j <= 2n - 1, exactly: the
    bin averages of u^2, v^2 and u^2 v^2 (u, v the offsets from the centre in log10) are
    h^2/3, h^2/3 and h^4/9 (h the half width); one node (the centre) gives 0."""
    spec = _spectrum([3.0])
    theta, mom, sig = mp._expand_bins(spec, n, n, ALL)
    u = np.log10(theta) - spec.log10_theta[0]
    v = np.log10(mom) - spec.log10_p[0]
    w = sig / sig.sum()
    assert np.dot(w, u**2) == pytest.approx(HALF**2 / 3, rel=1e-12)
    assert np.dot(w, v**2) == pytest.approx(HALF**2 / 3, rel=1e-12)
    assert np.dot(w, u**2 * v**2) == pytest.approx(HALF**4 / 9, rel=1e-11)
    one = mp._expand_bins(spec, 1, 1, ALL)
    assert np.log10(one[0][0]) - spec.log10_theta[0] == 0.0


def test_the_rule_converges_to_the_decay_probability_of_a_bin_spread_evenly() -> None:
    """The survival of the fastest N, e^(-x0 / p), averaged over a bin in log10 p (x0 p0^-1
    = 20, as at a band's upper edge): the product rule against adaptive quadrature; the bin
    centre is 18 % off, 2 nodes 0.4 %, 3 nodes 2.5e-5, 4 nodes 5e-8."""
    spec = _spectrum([3.0])
    p0 = 10.0**3.0
    x0 = 20.0 * p0

    def exact_average() -> float:
        value, _ = integrate.quad(lambda v: math.exp(-x0 / (p0 * 10.0**v)), -HALF, HALF)
        return value / (2 * HALF)

    want = exact_average()
    errors = {}
    for n in (1, 2, 3, 4):
        _, mom, sig = mp._expand_bins(spec, n, n, ALL)
        got = float(np.dot(sig, np.exp(-x0 / mom)) / sig.sum())
        errors[n] = abs(got / want - 1.0)
    assert errors[1] > 0.15
    assert errors[2] < 5e-3
    assert errors[3] < 5e-5
    assert errors[4] < 1e-7


def test_the_parents_of_a_channel_follow_the_fast_rule() -> None:
    rule = ChargedMesonDecays(absorber_distance_m=20.0, beam_pipe_radius_m=0.05)
    centres = mp.channel_parents("pi0", "default", 1, 1, rule)
    spread = mp.channel_parents("pi0", "default", 1, 2, rule)
    # the same cross section, on more nodes (each row's fastest bins spread over 2 x 2)
    assert spread.decaying_pb == pytest.approx(centres.decaying_pb, rel=1e-12)
    assert spread.theta.size > centres.theta.size
    assert spread.momentum.max() > centres.momentum.max()


def test_a_minor_channel_takes_the_halved_rules_and_no_more_nodes_than_its_own() -> None:
    opts = SourceOptions(n_cos=7, n_phi=1, n_energy=4, n_sub_fast=2, minor_channels=("B", "D"))
    assert opts.for_channel("pi0") is opts
    minor = opts.for_channel("B")
    # halved as coarsened() halves them; n_phi = 1 stays 1 (never more than the channel's own)
    assert (minor.n_cos, minor.n_phi, minor.n_energy, minor.n_sub_fast) == (4, 1, 2, 1)
    # the geometry every channel shares stays
    assert (minor.n_azimuth, minor.table_cells(), minor.log_p_step) == (
        opts.n_azimuth,
        opts.table_cells(),
        opts.log_p_step,
    )
    # every rule doubled is the reference for every channel; under every rule halved (the
    # error estimate) a minor channel has the rules it has already
    assert opts.refined().minor_channels == ()
    assert opts.coarsened().minor_channels == ()
    assert opts.coarsened().for_channel("D").n_cos == minor.n_cos
    with pytest.raises(ValueError, match="minor_channels"):
        SourceOptions(minor_channels=("W",))
    with pytest.raises(ValueError, match="minor_channels"):
        SourceOptions(minor_channels=["B"])  # type: ignore[arg-type]


def test_a_minor_channel_s_parts_are_built_with_its_rules() -> None:
    from nudipole.experiments.registry import load_far_experiment
    from nudipole.production.meson_source import channel_sources

    exp = load_far_experiment("faser2")
    window = exp.shape.polar_window()
    full = SourceOptions()
    for name in ("B", "Ds"):
        (part,) = channel_sources(name, 0.05, "e", exp.charged_mesons, window, full)
        rules = replace(full, minor_channels=(name,))
        (minor,) = channel_sources(name, 0.05, "e", exp.charged_mesons, window, rules)
        assert part.e_star.size == full.n_energy
        assert minor.e_star.size == rules.for_channel(name).n_energy < full.n_energy
        # the same rate: the energy rule integrates the same spectrum
        assert minor.e_weight.sum() == pytest.approx(part.e_weight.sum(), rel=1e-12)


def test_source_options_check_and_scale_the_fast_rule() -> None:
    assert SourceOptions().n_sub_fast == 2
    assert SourceOptions().refined().n_sub_fast == 4
    assert SourceOptions().coarsened().n_sub_fast == 1
    assert SourceOptions(n_sub_fast=5).coarsened().n_sub_fast == 2
    for bad in (0, -1, 65, 2.5, "2", True, math.nan, math.inf, 1e300):
        with pytest.raises(ValueError, match="n_sub_fast"):
            SourceOptions(n_sub_fast=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(("n_cos", "halved"), [(8, 4), (7, 4), (6, 3), (3, 2), (2, 2), (1, 2)])
def test_halved_rule_keeps_at_least_half_the_theta_star_nodes(n_cos: int, halved: int) -> None:
    # an odd order rounds up (7 -> 4): FACET's and MAPP-2's 7 nodes halve to 4, as the
    # default 8 do (3 nodes stated 0.00-0.02 % where MAPP-2's error is 0.07 %)
    assert SourceOptions(n_cos=n_cos).coarsened().n_cos == halved
    assert SourceOptions(n_cos=n_cos).refined().n_cos == 2 * n_cos


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-(10**9), 10**9) | st.sampled_from([-(2**62), 2**62]),
            st.integers(-(10**9), 10**9),
        ),
        min_size=0,
        max_size=40,
    )
)
def test_row_cells_are_the_rows_unique_inverse(pairs: list[tuple[int, int]]) -> None:
    """_row_cells numbers the (major, minor) pairs as np.unique(rows, axis=0) does: in
    lexicographic order of the distinct pairs (by one int64 key where their ranges allow it,
    else by the rows themselves: huge values included)."""
    major = np.array([p[0] for p in pairs], dtype=np.int64)
    minor = np.array([p[1] for p in pairs], dtype=np.int64)
    got = mp._row_cells(major, minor)
    if not pairs:
        assert got.size == 0
        return
    _, expected = np.unique(np.stack([major, minor], axis=1), axis=0, return_inverse=True)
    np.testing.assert_array_equal(got, expected.ravel())
