"""The cut-adapted rule of the e+ e- acceptance: every cut changes only at the edges the rule
lists, the f* and photon-angle integration is exact for the density's form, and the embedded
error estimate bounds the difference to a much finer rule."""

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudipole.experiments import Experiment
from nudipole.experiments.registry import builtin_names, load_definition
from nudipole.experiments.selections import (
    BoundaryEnergyCut,
    EnergyDependentPolarWindow,
    EnergyThresholdByRegion,
    Frame,
    Photons,
    combined_mask,
)
from nudipole.physics.angular import PhotonAngular, photon_angular_density, polarization_vector
from nudipole.production import cut_edges, ee_rules, ee_topology
from nudipole.production.ee_source import density_coefficients, production_density_ratio


def _collider_selections() -> list[tuple[str, str]]:
    out = []
    for name in builtin_names():
        exp = load_definition(name)
        if isinstance(exp, Experiment):
            out += [
                (name, s)
                for s in sorted(exp.selections)
                if exp.selection(s).limit.type != "z-invisible-width"
            ]
    return out


SELECTIONS = _collider_selections()


def _frame(name: str, selection: str) -> tuple[Experiment, float, float]:
    exp = load_definition(name)
    assert isinstance(exp, Experiment)
    sel = exp.selection(selection)
    beta = (sel.detector and exp.beta) or exp.beta
    return exp, float(sel.sqrt_s or exp.max_sqrt_s), beta


def test_every_built_in_collider_selection_is_covered() -> None:
    assert {n for n, _ in SELECTIONS} >= {"belle2", "besiii", "stcf", "lep", "cepc-z"}


def _assert_edges_complete(cuts: tuple, rs: float, beta: float) -> None:
    energies = np.linspace(1e-3, 0.5 * rs, 157)[:, None]
    grid = np.linspace(-1.0, 1.0, 20001)[None, :]
    step = grid[0, 1] - grid[0, 0]
    cos = np.broadcast_to(grid, (energies.size, grid.size))
    e = np.broadcast_to(energies, cos.shape)
    gamma = 1.0 / np.sqrt(1.0 - beta**2)
    photons = Photons(e, cos, gamma * e * (1 + beta * cos), (cos + beta) / (1 + beta * cos))
    mask = combined_mask(cuts, photons, Frame(rs, beta))
    i, j = np.nonzero(mask[:, 1:] != mask[:, :-1])
    edges = np.stack(
        [np.broadcast_to(c, energies.shape)[:, 0] for cut in cuts
         for c in cut_edges.cos_cm_edges(cut, energies, np.asarray(rs), beta)],
        axis=1,
    )  # fmt: skip
    crossing = 0.5 * (grid[0, j] + grid[0, j + 1])
    distance = np.nanmin(np.abs(edges[i] - crossing[:, None]), axis=1)
    assert i.size > 0
    assert np.all(distance <= step)


@pytest.mark.parametrize(("name", "selection"), SELECTIONS)
def test_cut_changes_only_at_listed_edges(name: str, selection: str) -> None:
    """Scan cos theta_cm finely at many photon energies: every change of the mask lies within
    one grid step of an edge of :func:`cos_cm_edges`."""
    exp, rs, beta = _frame(name, selection)
    _assert_edges_complete(exp.selection(selection).cuts, rs, beta)


@pytest.mark.parametrize("beta", [0.0, 3 / 11, -0.4])
def test_every_cut_type_in_a_boosted_frame(cut_of_each_type: object, beta: float) -> None:
    """Each cut type alone, also in boosted frames (a user's TOML may combine any of them)."""
    _assert_edges_complete((cut_of_each_type,), 10.58, beta)


@pytest.mark.parametrize("angular", list(PhotonAngular))
def test_density_is_linear_in_cos_phi(angular: PhotonAngular) -> None:
    """a + b cos f* equals 2 p(z) x 4 pi W(c*, f*) of seed Eq. 2 and PHYSICS.md §2-3."""
    rng = np.random.default_rng(5)
    z, c, phi = rng.uniform(-1, 1, 50), rng.uniform(-1, 1, 50), rng.uniform(0, 2 * np.pi, 50)
    s, m = 16.0, 1.3
    a, b = density_coefficients(s, m, angular, z, c)
    p_l, p_t = polarization_vector(angular, s, m, z)
    direct = (
        production_density_ratio(s, m, z) * 4 * np.pi * photon_angular_density(c, phi, p_l, p_t)
    )
    np.testing.assert_allclose(a + b * np.cos(phi), direct, rtol=1e-13, atol=1e-15)


def _acceptance(rule: ee_rules.CutRule, m: float) -> tuple[float, float]:
    nodes = ee_rules.rule_nodes(rule, m)
    a, b = density_coefficients(
        rule.sqrt_s[nodes.point] ** 2, m, PhotonAngular.SPIN_CORRELATED, nodes.cos_n,
        nodes.cos_star,
    )  # fmt: skip
    density = a + b * nodes.cos_phi
    return float(np.sum(nodes.weight_kronrod * density)), float(
        np.sum(nodes.weight_gauss * density)
    )


def test_full_acceptance_is_one_within_the_estimate() -> None:
    """With cuts that accept everything the rule integrates the normalised density to 1 within
    its stated error (the photon-angle rule is not exact for sin(theta) x polynomial(cos))."""
    rule = ee_rules.CutRule.plan((), ee_rules.RulePanels(), np.array([4.0]), 0.0)
    for m in (0.01, 1.0, 3.9):
        k, g = _acceptance(rule, m)
        assert abs(k - 1.0) <= abs(k - g)
        assert abs(k - 1.0) < 1e-4


@pytest.mark.parametrize(("name", "selection"), SELECTIONS)
def test_embedded_estimate_bounds_the_error(name: str, selection: str) -> None:
    """|Kronrod - Gauss| of the default rule (narrow pieces with the 3-point rule) bounds its
    difference to a rule with twice the panels, 15-point panels everywhere and four times the
    azimuth nodes."""
    exp, rs, beta = _frame(name, selection)
    cuts = exp.selection(selection).cuts
    default = ee_rules.CutRule.plan(cuts, ee_rules.RulePanels(), np.array([rs]), beta)
    fine_panels = ee_rules.RulePanels(4, 2, 16, 15, narrow_theta=0.0)
    fine = ee_rules.CutRule.plan(cuts, fine_panels, np.array([rs]), beta)
    for m in np.geomspace(0.01, 0.98 * rs, 6):
        k, g = _acceptance(default, m)
        ref, _ = _acceptance(fine, m)
        assert abs(k - ref) <= abs(k - g) + 1e-12 * ref


def _acceptance_with(rule: ee_rules.CutRule, m: float, angular: PhotonAngular) -> float:
    nodes = ee_rules.rule_nodes(rule, m)
    a, b = density_coefficients(
        rule.sqrt_s[nodes.point] ** 2, m, angular, nodes.cos_n, nodes.cos_star
    )
    return float(np.sum(nodes.weight_kronrod * (a + b * nodes.cos_phi)))


@pytest.mark.parametrize("angular", list(PhotonAngular))
def test_three_psi_nodes_are_exact_for_the_photon_only_density(angular: PhotonAngular) -> None:
    """:func:`psi_is_exact`: with photon-only production the density is quadratic in cos psi,
    so 2 trapezoid intervals give the same acceptance as 16."""
    exp, rs, beta = _frame("belle2", "low-mass")
    cuts = exp.selection("low-mass").cuts
    coarse = ee_rules.CutRule.plan(
        cuts, ee_rules.RulePanels(n_psi=2, psi_exact=True), np.array([rs]), beta
    )
    fine = ee_rules.CutRule.plan(cuts, ee_rules.RulePanels(n_psi=16), np.array([rs]), beta)
    assert ee_rules.psi_is_exact(photon_only=True, kappa_depends_on_direction=False)
    assert not ee_rules.psi_is_exact(photon_only=True, kappa_depends_on_direction=True)
    for m in (0.01, 1.0, 8.0):
        assert _acceptance_with(coarse, m, angular) == pytest.approx(
            _acceptance_with(fine, m, angular), rel=1e-12
        )


def test_compiled_node_values_equal_the_array_expressions() -> None:
    # rule_nodes' last step (production/_ee_nodes_kernel.py) against the NumPy expressions
    # it replaced, on random pieces, c* nodes and angles
    from nudipole.production._ee_nodes_kernel import rule_node_values

    rng = np.random.default_rng(7)
    n_v, n_k, n_t, n_psi = 13, 29, 7, 6
    c = rng.uniform(-1.0, 1.0, n_v)
    beta_n = rng.uniform(0.0, 0.99, n_v)
    gamma_n = 1.0 / np.sqrt(1.0 - beta_n**2)
    wck, wcg = rng.uniform(0.0, 1.0, (2, n_v))
    group = rng.integers(0, 5, n_v)
    v = rng.integers(0, n_v, n_k)
    th = rng.uniform(0.0, np.pi, (n_k, n_t))
    wtk, wtg = rng.uniform(0.0, 1.0, (2, n_k, n_t))
    psi = np.linspace(0.0, np.pi, n_psi + 1)
    wpk, wpg = rng.uniform(0.0, 1.0, (2, n_psi + 1))
    cos_a = (c + beta_n) / (1.0 + beta_n * c)
    sin_a = np.sqrt(np.clip(1.0 - c**2, 0.0, None)) / (gamma_n * (1.0 + beta_n * c))
    sin_th = np.sin(th)
    got = rule_node_values(
        v, np.cos(th), sin_th, wtk, wtg, cos_a, sin_a, wck, wcg, group, c, np.cos(psi), wpk, wpg
    )
    # the NumPy expressions (as rule_nodes had them)
    ca, sa = cos_a[v][:, None, None], sin_a[v][:, None, None]
    cos_g = np.cos(th)[:, :, None]
    z = np.clip(cos_g * ca + sin_th[:, :, None] * sa * np.cos(psi), -1.0, 1.0)
    den = np.sqrt(np.clip(1.0 - z**2, 0.0, None)) * sa
    cos_phi = np.divide(z * ca - cos_g, den, out=np.zeros_like(z), where=den > 0.0)
    w_k = 0.25 * wck[v][:, None, None] * (wtk * sin_th)[:, :, None] * wpk
    w_g = 0.25 * wcg[v][:, None, None] * (wtg * sin_th)[:, :, None] * wpg
    shape = z.shape
    want = (
        np.broadcast_to(group[v][:, None, None], shape).ravel(),
        z.ravel(),
        np.broadcast_to(c[v][:, None, None], shape).ravel(),
        np.clip(cos_phi, -1.0, 1.0).ravel(),
        w_k.ravel(),
        w_g.ravel(),
    )
    np.testing.assert_array_equal(got[0], want[0])
    for g, w in zip(got[1:], want[1:], strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("beta", [0.0, 0.27, -0.6])
def test_compiled_kappa_equals_path_over_lab_momentum(beta: float) -> None:
    """node_kappa's L / p = 1 / max(p_T / R, p_z / z_end) against the path to the cylinder
    (kinematics.geometry) over the lab momentum of the boosted N, as reach.signal has them."""
    from nudipole.kinematics.geometry import path_length_in_cylinder
    from nudipole.production._ee_nodes_kernel import node_kappa

    rng = np.random.default_rng(5)
    z = np.concatenate([rng.uniform(-1.0, 1.0, 300), [-1.0, 0.0, 1.0]])
    mass, p_n = 1.7, 3.2
    e_n = np.hypot(p_n, mass)
    m_gamma = 2.5e-3
    gamma_b = 1.0 / np.sqrt(1.0 - beta**2)
    radius, z_min, z_max = 4.0e15, -6.0e15, 7.5e15  # GeV^-1
    inverse = np.array([1.0 / radius, 1.0 / z_min, 1.0 / z_max])
    pz = gamma_b * (p_n * z + beta * e_n)
    pt = p_n * np.sqrt(1.0 - z**2)
    p_lab = np.hypot(pz, pt)
    want = path_length_in_cylinder(pz / p_lab, radius, z_min, z_max) * m_gamma / p_lab
    got = np.array([node_kappa(float(x), p_n, e_n, m_gamma, beta, gamma_b, inverse) for x in z])
    np.testing.assert_allclose(got, want, rtol=1e-14)


def test_compiled_kappa_of_an_n_at_rest_in_the_lab_is_infinite() -> None:
    """An N emitted backwards with the boost's velocity (p_n = beta e_n, z = -1) is at rest in
    the lab: kappa = L m Gamma / p is infinite (it decays where it is made), not an error."""
    from nudipole.production._ee_nodes_kernel import node_kappa

    beta, mass = 0.4, 1.3
    e_n = mass / np.sqrt(1.0 - beta**2)
    p_n = beta * e_n
    inverse = np.array([1.0 / 4.0e15, -1.0 / 6.0e15, 1.0 / 7.5e15])
    gamma_b = 1.0 / np.sqrt(1.0 - beta**2)
    assert node_kappa(-1.0, p_n, e_n, 2.5e-3, beta, gamma_b, inverse) == np.inf
    assert np.isfinite(node_kappa(-0.999, p_n, e_n, 2.5e-3, beta, gamma_b, inverse))


def _kappa_range_by_angles(
    node: np.ndarray, cos_lo: np.ndarray, cos_hi: np.ndarray, cos_a: np.ndarray,
    sin_a: np.ndarray, kappa: Callable[[float], float],
) -> tuple[float, float]:  # fmt: skip
    """The kappa range over pieces from the angles themselves (acos, atan2, cos): the N's
    polar angle runs from the smallest |theta - alpha| to the largest min(theta + alpha,
    2 pi - theta - alpha) over the piece; kappa at both ends of that z range and at z = 0."""
    lo, hi = np.inf, -np.inf
    for k, v in enumerate(node):
        alpha = np.arctan2(sin_a[v], cos_a[v])
        t_a, t_b = np.arccos(cos_hi[k]), np.arccos(cos_lo[k])
        near = 0.0 if t_a <= alpha <= t_b else min(abs(t_a - alpha), abs(t_b - alpha))
        if t_a <= np.pi - alpha <= t_b:
            far = np.pi
        else:
            far = max(min(t + alpha, 2 * np.pi - t - alpha) for t in (t_a, t_b))
        z_lo, z_hi = np.cos(far), np.cos(near)
        for z in (z_lo, z_hi, 0.0):
            if z_lo <= z <= z_hi:
                kap = kappa(z)
                lo, hi = min(lo, kap), max(hi, kap)
    return lo, hi


@pytest.mark.parametrize("beta", [0.0, 0.27])
def test_compiled_kappa_range_equals_the_angle_form(beta: float) -> None:
    """The compiled kappa range over random photon-angle pieces (their z range from cosines
    and sines alone) equals the range from the angles themselves, to rounding: pieces on
    either side of alpha and of pi - alpha, pieces containing them, narrow and wide ones."""
    from nudipole.production._ee_lab_volume_kernel import lab_volume_kappa_range
    from nudipole.production._ee_nodes_kernel import node_kappa

    rng = np.random.default_rng(11)
    n_v = 400
    c = rng.uniform(-1.0, 1.0, n_v)  # c* of the nodes; the N's beta and gamma as in the rule
    beta_n, gamma_n = 0.6, 1.25
    cos_a = (c + beta_n) / (1.0 + beta_n * c)
    sin_a = np.sqrt(1.0 - c**2) / (gamma_n * (1.0 + beta_n * c))
    ends = np.sort(rng.uniform(-1.0, 1.0, (n_v, 2)), axis=1)
    ends[: n_v // 8] = [-1.0, 1.0]  # whole pieces: both alpha and pi - alpha inside
    ends[n_v // 8 : n_v // 4, 1] = np.minimum(ends[n_v // 8 : n_v // 4, 0] + 1e-3, 1.0)  # narrow
    node = np.arange(n_v, dtype=np.int64)
    kin = np.array([[3.2, np.hypot(3.2, 1.7), 2.5e-3]])
    inverse = np.array([1.0 / 4.0e15, -1.0 / 6.0e15, 1.0 / 7.5e15])
    gamma_b = 1.0 / np.sqrt(1.0 - beta**2)

    def kappa(z: float) -> float:
        return float(node_kappa(z, *kin[0], beta, gamma_b, inverse))

    for v in range(0, n_v, 20):  # one mass per 20 nodes: 20 ranges
        sel = node[v : v + 20]
        lo, hi = lab_volume_kappa_range(
            sel, ends[sel, 0], ends[sel, 1], cos_a, sin_a, np.zeros(n_v, dtype=np.int64),
            np.zeros(1, dtype=np.int64), kin, np.full((1, 0), np.nan), beta, inverse, 1,
        )  # fmt: skip
        want = _kappa_range_by_angles(sel, ends[sel, 0], ends[sel, 1], cos_a, sin_a, kappa)
        np.testing.assert_allclose([lo[0], hi[0]], want, rtol=1e-12)


def test_rule_pieces_are_the_accepted_photon_angles() -> None:
    """Every piece passes the cuts at random interior points, every gap between pieces of one
    c* node fails at its midpoint (or is a split without a change), and the pieces lie in
    [-1, 1] in the photon CM cosine."""
    exp = load_definition("belle2")
    assert isinstance(exp, Experiment)
    sel = exp.selection("bbg")
    rs = np.array([exp.points[0].sqrt_s])
    rule = ee_rules.CutRule.plan(sel.cuts, ee_rules.RulePanels(2, 1, 4, 7), rs, exp.beta)
    pieces = ee_rules.rule_pieces(rule, 2.0)
    assert np.all(pieces.cos_lo < pieces.cos_hi)
    assert np.all((pieces.cos_lo >= -1.0) & (pieces.cos_hi <= 1.0))
    rng = np.random.default_rng(3)
    u = rng.uniform(0.02, 0.98, pieces.node.size)
    cos_cm = pieces.cos_lo + u * (pieces.cos_hi - pieces.cos_lo)
    e_cm = pieces.e_cm[pieces.node]
    beta = exp.beta
    gamma = 1.0 / np.sqrt(1.0 - beta**2)
    photons = Photons(
        e_cm, cos_cm, gamma * e_cm * (1.0 + beta * cos_cm), (cos_cm + beta) / (1.0 + beta * cos_cm)
    )
    assert np.all(combined_mask(sel.cuts, photons, Frame(rs[0], beta)))


def _assert_same_pieces(a: ee_rules.RulePieces, b: ee_rules.RulePieces) -> None:
    np.testing.assert_array_equal(a.node, b.node)
    np.testing.assert_array_equal(a.cos_lo, b.cos_lo)
    np.testing.assert_array_equal(a.cos_hi, b.cos_hi)


def test_crossing_of_a_moving_and_a_smooth_edge_is_bracketed() -> None:
    """The boundary cut's edges cos = +-sqrt(1 - x^2), x = sin_b (sqrt(s)/E - 1) (seed
    Eq. 14), pass a smooth edge c at E = sqrt(s) / (1 + sqrt(1 - c^2) / sin_b): no cut energy
    marks it, and the topology brackets it (to 2^-10 of the gap between its samples)."""
    rs, cos_b, c = 4.0, 0.95, 0.83
    rule = ee_rules.CutRule.plan(
        (BoundaryEnergyCut(cos_b),), ee_rules.RulePanels(), np.array([rs]), 0.0, (c, -c)
    )
    e_star = rs / (1.0 + np.sqrt(1.0 - c * c) / np.sqrt(1.0 - cos_b**2))
    ends = ee_topology.crossings(rule, np.sort(rule.energies, axis=1))[0]
    a, b = ends[0::2], ends[1::2]
    inside = (a <= e_star) & (e_star <= b)
    assert inside.sum() == 1
    assert (b - a)[inside][0] < 1e-4 * e_star


@settings(max_examples=40, deadline=None)
@given(
    cos_b=st.floats(0.5, 0.99),
    corner=st.floats(0.05, 0.98),
    e_min=st.floats(0.01, 1.0),
    beta=st.floats(-0.5, 0.5),
    rs=st.floats(2.0, 12.0),
)
def test_topology_with_crossing_brackets_gives_the_pieces_of_sorting(
    cos_b: float, corner: float, e_min: float, beta: float, rs: float
) -> None:
    """For a boundary cut and a lab-energy threshold at random parameters, smooth edges at
    random corners (which the boundary edges cross inside segments) and a random boost, the
    segment topology with its crossing brackets gives exactly the pieces of sorting the edges
    and testing the cuts at every c* node."""
    cuts = (BoundaryEnergyCut(cos_b), EnergyThresholdByRegion(((0.0, 0.95, e_min),)))
    rule = ee_rules.CutRule.plan(
        cuts, ee_rules.RulePanels(), np.array([rs]), beta, (corner, -0.8 * corner)
    )
    plain = replace(rule, topology=None)
    for m in np.geomspace(1e-3, 0.99 * rs, 6):
        _assert_same_pieces(ee_rules.rule_pieces(rule, m), ee_rules.rule_pieces(plain, m))


@pytest.mark.parametrize(("name", "selection"), SELECTIONS)
def test_nodes_keep_their_segment_order_outside_the_crossing_brackets(
    name: str, selection: str
) -> None:
    """With the crossings of energy-dependent edges bracketed (ee_topology.crossings), the
    compiled pass finds every node in its segment's order but inside a bracket, for every
    built-in selection, its energy points and the corners of its fiducial cylinder."""
    from nudipole.production._ee_pieces_kernel import segment_pieces
    from nudipole.reach.presets import DEFAULT
    from nudipole.reach.scan_setup import _corner_cosines

    exp, rs, beta = _frame(name, selection)
    sel = exp.selection(selection)
    energies = np.unique([p.sqrt_s for p in exp.points]) if sel.sqrt_s is None else [rs]
    rule = ee_rules.CutRule.plan(
        sel.cuts, ee_rules.RulePanels(), np.asarray(energies), beta, _corner_cosines(exp, DEFAULT)
    )
    topo = rule.topology
    assert topo is not None
    for p in range(0, rule.sqrt_s.size, 7):
        e = np.linspace(1e-3, 0.5 * rule.sqrt_s[p], 3000)
        rs_e = np.full(e.size, rule.sqrt_s[p])
        args = (ee_topology.fixed_columns(rule), ee_topology.moving_columns(rule, e, rs_e), e)
        point = np.full(e.size, p, dtype=np.int64)
        unordered = segment_pieces(*args, point, topo.bounds, topo.order, topo.accept)[3]
        ends = ee_topology.crossings(rule, np.sort(rule.energies, axis=1))[p]
        a, b = ends[0::2, None], ends[1::2, None]
        in_bracket = ((a <= e) & (e <= b)).any(axis=0)
        assert not (unordered & ~in_bracket).any()


@pytest.mark.parametrize(("name", "selection"), SELECTIONS)
def test_segment_topology_gives_the_pieces_of_sorting_every_node(name: str, selection: str) -> None:
    """The order of the edges and the verdicts found once per energy segment (Topology) give
    exactly the pieces of sorting the edges and testing the cuts at every c* node, for every
    built-in selection at all its energy points and masses from 1 MeV to the endpoint."""
    exp, rs, beta = _frame(name, selection)
    sel = exp.selection(selection)
    energies = np.unique([p.sqrt_s for p in exp.points]) if sel.sqrt_s is None else [rs]
    rule = ee_rules.CutRule.plan(sel.cuts, ee_rules.RulePanels(), np.asarray(energies), beta)
    assert rule.topology is not None
    plain = replace(rule, topology=None)
    for m in np.geomspace(1e-3, 0.999 * rule.sqrt_s.max(), 25):
        points = np.flatnonzero(rule.sqrt_s > m)
        _assert_same_pieces(
            ee_rules.rule_pieces(rule, m, points), ee_rules.rule_pieces(plain, m, points)
        )


@pytest.mark.parametrize("beta", [0.0, 3 / 11, -0.4])
def test_segment_topology_with_any_two_cut_types(two_cut_types: tuple, beta: float) -> None:
    """Any two cut types (a user's TOML may combine them), also where two energy-dependent
    edges cross inside a segment: those nodes are sorted and tested afresh."""
    cuts = two_cut_types
    rule = ee_rules.CutRule.plan(cuts, ee_rules.RulePanels(), np.array([10.58]), beta)
    plain = replace(rule, topology=None)
    for m in np.geomspace(1e-3, 10.5, 20):
        _assert_same_pieces(ee_rules.rule_pieces(rule, m), ee_rules.rule_pieces(plain, m))
        np.testing.assert_allclose(
            ee_rules.piece_moments(rule, ee_rules.c_star_nodes(rule, m)),
            ee_rules.piece_moments(plain, ee_rules.c_star_nodes(plain, m)),
            rtol=1e-13,
            atol=1e-15,
        )


def test_nodes_out_of_their_segment_order_are_sorted_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The compiled pass flags a node whose edges are out of the segment's order (here the
    boundary cut's edges cross the Belle II window's inside a segment whose crossing is not
    bracketed, and a topology with every order reversed) and the rule sorts and tests those
    nodes itself; with the crossings bracketed, no node is out of order."""
    from nudipole.production._ee_pieces_kernel import segment_pieces

    cuts = (
        BoundaryEnergyCut(0.9),
        EnergyDependentPolarWindow((5.399, -58.82, 195.71), (-7.982, 87.77, -120.6)),
    )
    rule = ee_rules.CutRule.plan(cuts, ee_rules.RulePanels(), np.array([10.58]), 0.0)
    e = np.linspace(0.01, 5.28, 2000)
    rs = np.full(e.size, 10.58)
    args = (ee_topology.fixed_columns(rule), ee_topology.moving_columns(rule, e, rs), e)
    point = np.zeros(e.size, dtype=np.int64)
    topo = rule.topology
    assert topo is not None
    assert not segment_pieces(*args, point, topo.bounds, topo.order, topo.accept)[3].any()
    monkeypatch.setattr(ee_topology, "crossings", lambda r, b: np.full((b.shape[0], 0), np.inf))
    rule = ee_rules.CutRule.plan(cuts, ee_rules.RulePanels(), np.array([10.58]), 0.0)
    topo = rule.topology
    assert topo is not None
    unordered = segment_pieces(*args, point, topo.bounds, topo.order, topo.accept)[3]
    assert 0 < unordered.sum() < e.size
    reversed_topo = replace(topo, order=np.ascontiguousarray(topo.order[..., ::-1]))
    assert segment_pieces(*args, point, topo.bounds, reversed_topo.order, topo.accept)[3].all()
    plain = replace(rule, topology=None)
    for m in (0.05, 1.0, 7.0):
        _assert_same_pieces(
            ee_rules.rule_pieces(replace(rule, topology=reversed_topo), m),
            ee_rules.rule_pieces(plain, m),
        )


@pytest.mark.parametrize(("name", "selection"), SELECTIONS)
def test_piece_moments_are_the_integrals_over_the_pieces(name: str, selection: str) -> None:
    """The compiled moments (int 1, x, x^2 dx over the accepted cosines of each c* node)
    equal the sums over the listed pieces, with and without the segment topology."""
    exp, rs, beta = _frame(name, selection)
    rule = ee_rules.CutRule.plan(
        exp.selection(selection).cuts, ee_rules.RulePanels(), np.array([rs]), beta
    )
    for r in (rule, replace(rule, topology=None)):
        for m in np.geomspace(1e-3, 0.99 * rs, 7):
            pieces = ee_rules.rule_pieces(r, m)
            want = np.stack(
                [
                    np.bincount(
                        pieces.node,
                        weights=(pieces.cos_hi ** (k + 1) - pieces.cos_lo ** (k + 1)) / (k + 1),
                        minlength=pieces.c.size,
                    )
                    for k in range(3)
                ],
                axis=1,
            )
            got = ee_rules.piece_moments(r, ee_rules.c_star_nodes(r, m))
            np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)


def _pieces(widths: list[float]) -> ee_rules.RulePieces:
    """One c* node with photon-angle pieces of the given widths (radians), side by side."""
    edges = 0.2 + np.concatenate([[0.0], np.cumsum(widths)])
    one = np.zeros(1)
    return ee_rules.RulePieces(
        group=np.zeros(1, dtype=int), c=one, weight_kronrod=one + 2.0, weight_gauss=one + 2.0,
        cos_alpha=one, sin_alpha=one + 1.0, e_cm=one + 1.0, sqrt_s=one + 4.0,
        point=np.zeros(1, dtype=int), node=np.zeros(len(widths), dtype=int),
        cos_lo=np.cos(edges[1:]), cos_hi=np.cos(edges[:-1]),
    )  # fmt: skip


@pytest.mark.parametrize(("points", "lower", "threshold"), [(7, 3, np.pi / 8), (15, 7, np.pi / 4)])
def test_narrow_pieces_get_the_next_lower_rule(points: int, lower: int, threshold: float) -> None:
    """A photon-angle piece narrower than ``narrow_width`` (pi/8 with the 7-point rule, pi/4
    with the 15-point one) gets the lower Gauss-Kronrod rule (its nodes, then slots of zero
    weight); a wider one the rule of ``points``: each is the composite rule on that piece
    alone, and integrates sin(theta) to its cosine difference within the rule's own error."""
    from nudipole.kinematics.sampling import composite_gauss_kronrod

    widths = [0.1, 0.5, 0.05, 1.2, 0.7]
    panels = ee_rules.RulePanels(points=points)
    rule = ee_rules.CutRule.plan((), panels, np.array([4.0]), 0.0)
    pieces = _pieces(widths)
    th, wk, wg = ee_rules.theta_nodes(rule, pieces)
    assert th.shape == (len(widths), points)
    lo, hi = np.arccos(pieces.cos_hi), np.arccos(pieces.cos_lo)
    for k, width in enumerate(widths):
        n = lower if width < panels.narrow_width else points
        x, w_k, w_g = composite_gauss_kronrod(np.array([lo[k], hi[k]]), n)
        np.testing.assert_array_equal(th[k, :n], x)
        np.testing.assert_array_equal(wk[k, :n], w_k)
        np.testing.assert_array_equal(wg[k, :n], w_g)
        assert not wk[k, n:].any()
        assert not wg[k, n:].any()
        exact = np.cos(lo[k]) - np.cos(hi[k])
        kronrod, gauss = np.sum(wk[k] * np.sin(th[k])), np.sum(wg[k] * np.sin(th[k]))
        assert abs(kronrod - exact) <= abs(kronrod - gauss)
    assert panels.narrow_width == threshold
    # pi/8 (0.39 rad): the 0.1 and 0.05 rad pieces are narrow; pi/4 (0.79): also 0.5 and 0.7
    narrow = np.count_nonzero(wk[:, lower:].sum(axis=1) == 0.0)
    assert narrow == (2 if points == 7 else 4)
    off = ee_rules.CutRule.plan((), replace(panels, narrow_theta=0.0), np.array([4.0]), 0.0)
    th_off, _, _ = ee_rules.theta_nodes(off, pieces)
    x_all, _, _ = composite_gauss_kronrod(np.stack([lo, hi], axis=1), points)
    np.testing.assert_array_equal(th_off, x_all)


def test_the_lab_volume_pass_uses_the_narrow_rule_of_the_nodes() -> None:
    """The compiled lab-volume pass sums the same nodes as the node path (ee_rules.rule_nodes)
    with narrow pieces: its total weight equals the nodes' sum of Kronrod and Gauss weights
    with an isotropic density."""
    from nudipole.production._ee_lab_volume_kernel import lab_volume_bins

    widths = [0.1, 0.5, 0.05, 1.2]
    rule = ee_rules.CutRule.plan((), ee_rules.RulePanels(), np.array([4.0]), 0.0)
    pieces = _pieces(widths)
    nodes = ee_rules.nodes_from_pieces(rule, pieces)
    (x, wk, wg), (xn, wkn, wgn) = ee_rules.theta_rules(rule.panels)
    psi, wpk, wpg = ee_rules.psi_rule(rule.panels.n_psi, rule.panels.psi_exact)
    coeffs = np.array([[1.0, 0.0, 0.0, 0.0, 0.0]])  # density 1
    sum_w, _ = lab_volume_bins(
        pieces.node, pieces.cos_lo, pieces.cos_hi, x, wk, wg, rule.panels.narrow_width,
        xn, wkn, wgn, pieces.cos_alpha, pieces.sin_alpha, pieces.weight_kronrod,
        pieces.weight_gauss, np.zeros(1, dtype=np.int64), coeffs, np.cos(psi), wpk, wpg,
        np.zeros(1, dtype=np.int64), np.array([[1.0, 2.0, 1e-3]]), 0.0,
        np.array([1.0, -1.0, 1.0]), np.array([1e-4]), np.array([1.0]), 4, np.zeros((0, 2, 1)),
    )  # fmt: skip
    assert sum_w[0, 0].sum() == pytest.approx(nodes.weight_kronrod.sum(), rel=1e-14)
    assert sum_w[0, 1].sum() == pytest.approx(nodes.weight_gauss.sum(), rel=1e-14)
    # the nodes of weight: 3 theta nodes on each narrow piece, 7 on each wide one, 5 psi nodes
    assert np.count_nonzero(nodes.weight_kronrod) == 5 * (3 + 7 + 3 + 7)


def _lab_volume_reference(
    pieces: ee_rules.RulePieces,
    rule: ee_rules.CutRule,
    coeffs: np.ndarray,
    kinematics: np.ndarray,
    beta: float,
    inverse_geometry: np.ndarray,
    edges: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The lab-volume pass node by node in NumPy, with each node's theta_g and its own cosine
    and sine (one group, one mass): sums of weight and weight x kappa per rule and bin."""
    (x, wk, wg), (xn, wkn, wgn) = ee_rules.theta_rules(rule.panels)
    psi, wpk, wpg = ee_rules.psi_rule(rule.panels.n_psi, rule.panels.psi_exact)
    p_n, e_n, m_gamma = kinematics[0]
    gamma_b = 1.0 / np.sqrt(1.0 - beta**2)
    sums = np.zeros((2, 2, edges.size + 1))
    for k in range(pieces.node.size):
        v = pieces.node[k]
        ca, sa = pieces.cos_alpha[v], pieces.sin_alpha[v]
        lo, hi = np.arccos(pieces.cos_hi[k]), np.arccos(pieces.cos_lo[k])
        narrow = hi - lo < rule.panels.narrow_width
        xs, wks, wgs = (xn, wkn, wgn) if narrow else (x, wk, wg)
        th = 0.5 * (lo + hi) + 0.5 * (hi - lo) * xs[:, None]
        z = np.clip(np.cos(th) * ca + np.sin(th) * sa * np.cos(psi), -1.0, 1.0)
        a0, a1, a2, b0, b1 = coeffs[v]
        dens = a0 + (a1 + a2 * z) * z + (b0 + b1 * z) * (z * ca - np.cos(th)) / sa
        base = 0.25 * 0.5 * (hi - lo) * np.sin(th) * dens
        w_k = base * pieces.weight_kronrod[v] * wks[:, None] * wpk
        w_g = base * pieces.weight_gauss[v] * wgs[:, None] * wpg
        pz = gamma_b * (p_n * z + beta * e_n)
        pt = p_n * np.sqrt(1.0 - z * z)
        end = pz * np.where(pz > 0.0, inverse_geometry[2], inverse_geometry[1])
        kappa = m_gamma / np.maximum(pt * inverse_geometry[0], end)
        b = np.searchsorted(edges, kappa, side="right")
        keep = w_k > 0.0
        for r, w in enumerate((w_k, w_g)):
            np.add.at(sums[0, r], b[keep], w[keep])
            np.add.at(sums[1, r], b[keep], (w * kappa)[keep])
    return sums[0], sums[1]


def test_the_lab_volume_pass_equals_the_nodes_one_by_one() -> None:
    """The compiled pass (each theta node turned from its piece's middle by the addition
    theorem, once per mirror pair of abscissae) against every node computed on its own, with
    a density of every term, a moving frame and narrow and wide pieces: the binned sums of
    weight and weight x kappa agree to rounding."""
    from nudipole.production._ee_lab_volume_kernel import lab_volume_bins

    rule = ee_rules.CutRule.plan((), ee_rules.RulePanels(), np.array([4.0]), 0.0)
    pieces = replace(
        _pieces([0.1, 0.5, 0.05, 1.2, 0.7]), cos_alpha=np.array([0.6]), sin_alpha=np.array([0.8])
    )
    (x, wk, wg), (xn, wkn, wgn) = ee_rules.theta_rules(rule.panels)
    psi, wpk, wpg = ee_rules.psi_rule(rule.panels.n_psi, rule.panels.psi_exact)
    coeffs = np.array([[1.0, 0.3, -0.2, 0.1, 0.05]])
    kinematics = np.array([[1.0, 1.2, 1e-3]])
    beta, inverse_geometry = 0.2, np.array([1.0, -0.8, 1.3])
    kappa_lo, kappa_hi, n_bins = 4e-4, 3e-3, 6
    sum_w, sum_wk = lab_volume_bins(
        pieces.node, pieces.cos_lo, pieces.cos_hi, x, wk, wg, rule.panels.narrow_width,
        xn, wkn, wgn, pieces.cos_alpha, pieces.sin_alpha, pieces.weight_kronrod,
        pieces.weight_gauss, np.zeros(1, dtype=np.int64), coeffs, np.cos(psi), wpk, wpg,
        np.zeros(1, dtype=np.int64), kinematics, beta, inverse_geometry,
        np.array([kappa_lo]), np.array([kappa_hi]), n_bins, np.zeros((0, 2, 1)),
    )  # fmt: skip
    width = (np.log(kappa_hi) + 1e-12 - np.log(kappa_lo)) / n_bins
    edges = np.exp(np.log(kappa_lo) + width * np.arange(1, n_bins))
    ref_w, ref_wk = _lab_volume_reference(
        pieces, rule, coeffs, kinematics, beta, inverse_geometry, edges
    )
    assert np.count_nonzero(ref_w[0]) >= 3  # the nodes spread over several bins
    np.testing.assert_allclose(sum_w[0], ref_w, rtol=1e-13, atol=1e-16 * ref_w.max())
    np.testing.assert_allclose(sum_wk[0], ref_wk, rtol=1e-13, atol=1e-16 * ref_wk.max())


def test_the_lab_volume_pass_needs_symmetric_abscissae() -> None:
    from nudipole.production._ee_lab_volume_kernel import lab_volume_bins

    rule = ee_rules.CutRule.plan((), ee_rules.RulePanels(), np.array([4.0]), 0.0)
    pieces = _pieces([0.5])
    (x, wk, wg), (xn, wkn, wgn) = ee_rules.theta_rules(rule.panels)
    psi, wpk, wpg = ee_rules.psi_rule(rule.panels.n_psi, rule.panels.psi_exact)
    with pytest.raises(ValueError, match="symmetric"):
        lab_volume_bins(
            pieces.node, pieces.cos_lo, pieces.cos_hi, x + 0.01, wk, wg, 0.0, xn, wkn, wgn,
            pieces.cos_alpha, pieces.sin_alpha, pieces.weight_kronrod, pieces.weight_gauss,
            np.zeros(1, dtype=np.int64), np.array([[1.0, 0.0, 0.0, 0.0, 0.0]]), np.cos(psi),
            wpk, wpg, np.zeros(1, dtype=np.int64), np.array([[1.0, 2.0, 1e-3]]), 0.0,
            np.array([1.0, -1.0, 1.0]), np.array([1e-4]), np.array([1.0]), 4,
            np.zeros((0, 2, 1)),
        )  # fmt: skip


@pytest.mark.parametrize("bad", [-0.1, float("nan"), 4.0, float("inf"), 1e300, True, "0.3"])
def test_narrow_theta_must_be_an_angle(bad: object) -> None:
    with pytest.raises(ValueError, match="narrow_theta"):
        ee_rules.RulePanels(narrow_theta=bad)  # type: ignore[arg-type]


def test_narrow_width_follows_the_rule_unless_given() -> None:
    assert ee_rules.RulePanels(points=15).narrow_width == pytest.approx(np.pi / 4)
    assert ee_rules.RulePanels(points=15, theta_points=7).narrow_width == pytest.approx(np.pi / 8)
    assert ee_rules.RulePanels(points=3).narrow_width == 0.0
    assert ee_rules.RulePanels(narrow_theta=0.2).narrow_width == 0.2


def test_folding_keeps_the_upper_half_of_mirror_images() -> None:
    """RulePanels.fold: a c* node whose pieces are mirror images keeps their parts with
    cos theta_g >= 0 and doubles its c* weights; a node whose pieces are not keeps them all."""
    one = np.ones(2)
    nodes = ee_rules.CStarNodes(
        group=np.zeros(2, dtype=int), c=np.array([0.1, 0.2]), weight_kronrod=one * 0.3,
        weight_gauss=one * 0.4, cos_alpha=one * 0.5, sin_alpha=one * 0.8, e_cm=one,
        sqrt_s=one * 4.0, point=np.zeros(2, dtype=int),
    )  # fmt: skip
    # node 0: endcap, barrel, endcap (symmetric); node 1: the barrel and one endcap only
    v = np.array([0, 0, 0, 1, 1])
    lo = np.array([-0.92, -0.8, 0.86, -0.8, 0.86])
    hi = np.array([-0.86, 0.8, 0.92, 0.8, 0.92])
    got = ee_rules._folded(nodes, v, lo, hi)
    np.testing.assert_array_equal(got.node, [0, 0, 1, 1])
    np.testing.assert_array_equal(got.cos_lo, [0.0, 0.86, -0.8, 0.86])
    np.testing.assert_array_equal(got.cos_hi, [0.8, 0.92, 0.8, 0.92])
    np.testing.assert_array_equal(got.weight_kronrod, [0.6, 0.3])
    np.testing.assert_array_equal(got.weight_gauss, [0.8, 0.4])


def test_compiled_c_star_nodes_equal_the_array_expressions() -> None:
    """c_star_nodes' compiled pass (production/_ee_nodes_kernel.py) against the NumPy
    expressions it replaced: the composite Gauss-Kronrod rule on the panels of non-zero width
    and the aberration per node, for every built-in selection's energies."""
    from nudipole.kinematics.sampling import composite_gauss_kronrod
    from nudipole.physics.production import n_energy_cm, n_momentum_cm

    for name, selection in SELECTIONS:
        exp, rs, beta = _frame(name, selection)
        cuts = exp.selection(selection).cuts
        rule = ee_rules.CutRule.plan(cuts, ee_rules.RulePanels(), np.array([rs]), beta)
        m = np.geomspace(0.01, 0.98 * rs, 7)
        got = ee_rules.c_star_nodes(rule, m, np.zeros(m.size, dtype=int))
        edges = ee_rules._c_star_edges(
            rule.panels.n_c, rule.energies[np.zeros(m.size, dtype=int)], np.full(m.size, rs), m
        )
        lo, hi = edges[:, :-1], edges[:, 1:]
        wide = hi > lo
        panel_group = np.repeat(np.arange(m.size), np.count_nonzero(wide, axis=1))
        x, wk, wg = composite_gauss_kronrod(np.stack([lo[wide], hi[wide]], axis=1), 7)
        group = np.repeat(panel_group, 7)
        c = x.reshape(-1)
        s = np.full(m.size, rs**2)
        gamma_g = n_energy_cm(s, m) / m
        gamma_n, beta_n = gamma_g[group], (n_momentum_cm(s, m) / m / gamma_g)[group]
        one_plus = 1.0 + beta_n * c
        np.testing.assert_array_equal(got.group, group)
        np.testing.assert_array_equal(got.c, c)
        np.testing.assert_array_equal(got.weight_kronrod, wk.reshape(-1))
        np.testing.assert_array_equal(got.weight_gauss, wg.reshape(-1))
        np.testing.assert_array_equal(got.cos_alpha, (c + beta_n) / one_plus)
        np.testing.assert_array_equal(
            got.sin_alpha, np.sqrt(np.clip(1.0 - c**2, 0.0, None)) / (gamma_n * one_plus)
        )
        np.testing.assert_array_equal(got.e_cm, (0.5 * m * gamma_g)[group] * one_plus)
