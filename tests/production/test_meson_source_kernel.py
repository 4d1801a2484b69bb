"""The fast meson-source kernel against an independent, node-by-node reference (the
pre-optimisation algorithm), and its helpers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudipole.constants import HBARC_GEV_M
from nudipole.detectors import BeamAxisAnnulus, BeamAxisCylinder, Box, azimuthal_nodes
from nudipole.production import meson_parents
from nudipole.production import meson_source as ms
from nudipole.production.absorber import ChargedMesonDecays
from nudipole.production.angular_rules import arcsin_series_terms, polar_angle
from nudipole.production.detector_grid import detector_grid
from nudipole.production.meson_rates import energy_nodes
from nudipole.production.meson_table import channel_info

RULE = ChargedMesonDecays(absorber_distance_m=20.0, beam_pipe_radius_m=0.05)


def _reference_nodes(parents, parent_mass, e_star, e_weight, m_n, window, options):
    """Every (parent, E*, cos theta*, phi*) node, written out with arctan2 / arcsin / sin."""
    th_lo, th_hi = window
    # Gauss-Legendre in theta* on [0, pi] with the isotropic density: weight (pi/4) w sin
    # theta*, normalised to 1
    x, wx = np.polynomial.legendre.leggauss(options.n_cos)
    theta_star = 0.5 * np.pi * (x + 1.0)
    c = np.cos(theta_star)
    wc = 0.25 * np.pi * wx * np.sin(theta_star)
    wc = 2.0 * wc / wc.sum()  # the reference multiplies by 1/2 below (density of c)
    e_p = np.sqrt(parents.momentum**2 + parent_mass**2)
    gam, bet = e_p / parent_mass, parents.momentum / e_p
    p_star = np.sqrt(np.maximum(e_star**2 - m_n**2, 0.0))
    ib, ie = np.meshgrid(np.arange(parents.theta.size), np.arange(e_star.size), indexing="ij")
    ib, ie = ib.ravel(), ie.ravel()
    p_par = gam[ib, None] * (p_star[ie, None] * c[None, :] + bet[ib, None] * e_star[ie, None])
    p_perp = p_star[ie, None] * np.sqrt(1 - c**2)[None, :]
    p_n = np.hypot(p_par, p_perp)
    alpha = np.arctan2(p_perp, p_par)
    tp = parents.theta[ib, None]
    base = np.sin(0.5 * (tp - alpha)) ** 2
    span = np.sin(tp) * np.sin(alpha)
    s_lo, s_hi = math.sin(0.5 * th_lo) ** 2, math.sin(0.5 * th_hi) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        u_a = np.clip((s_lo - base) / span, 0, 1)
        u_b = np.clip((s_hi - base) / span, 0, 1)
    phi_a, phi_b = 2 * np.arcsin(np.sqrt(u_a)), 2 * np.arcsin(np.sqrt(u_b))
    w = (parents.sigma_pb[ib] * e_weight[ie])[:, None] * (0.5 * wc)[None, :]
    ok = phi_b > phi_a
    full = ok & (phi_a <= 0) & (phi_b >= np.pi)
    thetas, moms, weights = [], [], []
    for sel, n in ((full, options.n_phi), (ok & ~full, options.n_phi)):
        x, wx = np.polynomial.legendre.leggauss(n)
        wd = (phi_b - phi_a)[sel][:, None]
        phi = phi_a[sel][:, None] + 0.5 * wd * (x + 1)
        thetas.append(
            2 * np.arcsin(np.sqrt(base[sel][:, None] + span[sel][:, None] * np.sin(phi / 2) ** 2))
        )
        weights.append(w[sel][:, None] * 0.5 * wd * wx / np.pi)
        moms.append(np.repeat(p_n[sel][:, None], n, axis=1))
    return [np.concatenate([a.ravel() for a in arr]) for arr in (thetas, moms, weights)]


@pytest.mark.parametrize(
    ("shape", "channel", "m_n"),
    [
        (BeamAxisCylinder(1.0, 475.0, 480.0), "eta", 0.05),
        (BeamAxisAnnulus(0.18, 0.5, 101.0, 119.0), "D", 0.3),
        (Box(3.0, 6.0, -2.0, 1.0, 48.0, 61.0), "rho", 0.01),
    ],
)
def test_cells_keep_every_node_of_the_reference(shape, channel: str, m_n: float) -> None:
    # Sum w, sum w theta and sum w / p do not depend on which cell a node falls in: the
    # cells must reproduce the node-by-node reference (only the phi* sine is in single
    # precision: 1e-7 of theta).
    window = shape.polar_window()
    opts = ms.SourceOptions()
    parents = meson_parents.channel_parents(channel, "default", 1, 2, RULE, window)
    e, w = energy_nodes(channel, m_n, "e")
    mass = channel_info(channel).mass
    theta, mom, weight = ms.channel_rays(
        parents, mass, np.asarray(e), np.asarray(w), m_n, window, opts
    )
    r_theta, r_mom, r_w = _reference_nodes(
        parents, mass, np.asarray(e), np.asarray(w), m_n, window, opts
    )
    assert weight.sum() == pytest.approx(r_w.sum(), rel=1e-12)
    assert (weight / mom).sum() == pytest.approx((r_w / r_mom).sum(), rel=1e-12)
    assert (weight * theta).sum() == pytest.approx((r_w * r_theta).sum(), rel=1e-7)


@settings(max_examples=200, deadline=None)
@given(st.floats(0.0, 0.05), st.floats(1e-12, 1.0))
def test_arcsin_series_is_arcsin(x_max: float, frac: float) -> None:
    coef = arcsin_series_terms(x_max)
    assert coef is not None
    x = np.array([frac * x_max])
    assert polar_angle(x, coef)[0] == pytest.approx(
        2 * math.asin(math.sqrt(x[0])), rel=1e-15, abs=0
    )


def test_detector_grid_is_the_exact_geometry_at_its_angles() -> None:
    box = Box(3.0, 6.0, -2.0, 1.0, 48.0, 61.0)
    window = box.polar_window()
    grid = detector_grid(box, window, 512, 4)
    theta = window[0] + (np.arange(512) + 0.5) * grid.step
    nodes = azimuthal_nodes(box, theta, 4)
    hit = (nodes.weight > 0) & (nodes.l_out > nodes.l_in)
    np.testing.assert_array_equal(grid.count, hit.sum(axis=1))
    np.testing.assert_allclose(
        grid.fraction, np.where(hit, nodes.weight, 0).sum(axis=1), rtol=1e-14
    )
    np.testing.assert_allclose(grid.l_in * HBARC_GEV_M, nodes.l_in[hit], rtol=1e-14)
