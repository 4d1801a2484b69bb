"""Cut-adapted deterministic integration of the e+ e- signal acceptance (issue 11).

The acceptance of one energy point at one mass is (:mod:`nudipole.production.ee_source`)

    A = int dz/2 int dc*/2 int df*/(2 pi) [a(z, c*) + b(z, c*) cos f*] 1[photon passes],

z = cos theta_N, c* and f* the photon polar cosine and azimuth in the N helicity frame; the
physical density is linear in cos f* (:func:`~nudipole.production.ee_source.density_coefficients`).
At fixed c* the photon has the CM energy E = gamma_N (m/2)(1 + beta_N c*) and leaves at the
angle alpha to the N direction, cos alpha = (c* + beta_N) / (1 + beta_N c*) (aberration).
The map (N direction, f*) -> (photon direction, psi = azimuth of N about the photon) keeps the
uniform measure, and every cut and the detector are symmetric about the beam, so

    A = int dc*/2 int sin(theta_g) dtheta_g / 2 int_0^pi dpsi / pi
        [a(z, c*) + b(z, c*) cos f*] 1[photon passes at (E(c*), cos theta_g)],
    z = cos theta_g cos alpha + sin theta_g sin alpha cos psi,
    cos f* = (z cos alpha - cos theta_g) / (sqrt(1 - z^2) sin alpha)

(the second line is the rotation of :func:`~nudipole.production.ee_source.generate`,
cos theta_g = z cos alpha - sqrt(1 - z^2) sin alpha cos f*, solved for cos f*). Every built-in
cut is a condition on (E, cos theta_g) alone (lab quantities by the boost along the beam), so
the indicator is constant between the cut's edges in cos theta_g at that energy, given in
closed form by :func:`cut_edges.cos_cm_edges`: theta_g is split there, and each piece's
verdict is the cut's own ``mask`` at its midpoint (an edge listed but not crossed costs
nothing).

What remains is smooth within the panels up to kinks in c* where the accepted set appears,
vanishes or changes shape at a photon energy (an energy threshold in a symmetric collider, the
boundary cut's end point, an energy-dependent edge crossing a fixed one): those energies,
:func:`cut_edges.cut_energies`, do not depend on the mass and split the c* axis. c* and theta_g use
composite Gauss-Kronrod rules (a narrow piece of theta_g, an endcap, the next lower one:
:attr:`RulePanels.narrow_theta`), psi the trapezoid rule (periodic: spectrally accurate); the
embedded Gauss rules and every other psi node give the error estimate at no extra cost
(QUADPACK, Piessens et al. 1983, :func:`nudipole.kinematics.sampling.composite_gauss_kronrod`).
Where the integrand is even under (cos theta_g, z_N) -> (-cos theta_g, -z_N) the photon angle
is integrated over cos theta_g >= 0 only, with twice the weight (:attr:`RulePanels.fold`).

:func:`rule_pieces` is the (c*, photon angle) skeleton of the rule: the c* nodes
(:func:`c_star_nodes`) and the accepted pieces of the photon angle. Between two cut energies
the edges keep their order and the pieces their verdicts, so both are found once per such
segment (:class:`Topology`) and each node only checks the order (compiled). Where the
density is polynomial in the N direction (:mod:`nudipole.production.ee_polynomial`) the psi
and theta_g integrals over a piece are elementary, and the fixed-length decay model needs
nothing else (:func:`piece_moments`); :func:`rule_nodes` adds the theta_g and psi nodes for
an integrand that depends on the N direction otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from nudipole.experiments.selections import Cut
from nudipole.kinematics.sampling import gauss_kronrod
from nudipole.physics._types import FloatArray
from nudipole.physics.production import n_energy_cm, n_momentum_cm
from nudipole.production.cut_edges import cut_energies
from nudipole.production.ee_polynomial import cosine_moments
from nudipole.production.ee_topology import (
    Topology,
    edge_columns,
    fixed_columns,
    moving_columns,
    plan_topology,
    verdicts,
)

#: Width (radians) below which a photon-angle piece gets the next lower Gauss-Kronrod rule
#: (:attr:`RulePanels.narrow_theta`), by the points of the rule: measured to keep the stated
#: error of every built-in curve (docs/benchmarks.md). The 15-point rule's lower rule, the
#: 7-point Kronrod rule (exact to degree 11), does as well on pieces up to pi/4; the 7-point
#: rule's, Gauss-Legendre 3 (degree 5), on pieces up to pi/8 (at pi/4 BESIII's stated error
#: grows from 0.15 % to 0.23 %). The endcaps' pieces (about 0.14 rad at BESIII, 0.2 at Belle
#: II) are narrower than both, the barrels' (0.8-1.9 rad) wider.
NARROW_THETA: dict[int, float] = {15: float(np.pi / 4), 7: float(np.pi / 8), 3: 0.0}

#: The next lower Gauss-Kronrod rule of each (:attr:`RulePanels.narrow_theta`).
_LOWER_RULE = {15: 7, 7: 3, 3: 3}


@dataclass(frozen=True)
class RulePanels:
    """Orders of the cut-adapted rule (:func:`rule_nodes`): ``n_c`` equal panels in c*,
    ``n_theta`` equal panels in the photon CM polar angle (each further split at the cuts'
    edges), ``points`` Gauss-Kronrod nodes per panel (``theta_points`` in the photon angle, if
    given) and ``n_psi`` trapezoid intervals (even) in the N azimuth about the photon.
    ``psi_exact``: the integrand is a polynomial of degree <= 2 in cos psi, which the trapezoid
    rule with 2 or more intervals integrates exactly (:func:`psi_is_exact`): the embedded rule
    then keeps all psi nodes (no psi error to estimate).

    ``narrow_theta`` (radians): a piece of the photon polar angle narrower than this gets the
    next lower Gauss-Kronrod rule (15 -> 7, 7 -> 3 points; its embedded Gauss rule, 7 -> 3,
    3 -> 1, still gives the error); None: :data:`NARROW_THETA` of the photon angle's rule
    (:attr:`narrow_width`). The endcaps are such pieces: a seventh of the barrel's width,
    where the integrand changes little, so the lower rule's error (and its estimate) stays
    small while the pieces' nodes drop by about half (measured: docs/benchmarks.md). 0: every
    piece gets the same rule.

    ``fold``: integrate the photon angle over cos theta_g >= 0 only, with twice the weight, at
    every c* node whose accepted pieces are mirror images (:func:`rule_pieces`). Exact for an
    integrand even under (cos theta_g, z_N) -> (-cos theta_g, -z_N) (the mirror of a node at
    (theta_g, psi) is at (pi - theta_g, pi - psi), and the psi rule is symmetric): the
    photon-only density (no term odd in z_N) with kappa even in z_N (beta = 0, a fiducial
    cylinder symmetric about the interaction point); the caller decides
    (:func:`nudipole.reach.scan_setup.prepare_scan`). A piece across cos theta_g = 0 (a barrel)
    keeps its nodes on its upper half; its mirror images (the other endcap) go."""

    n_c: int = 2
    n_theta: int = 1
    n_psi: int = 4
    points: int = 7
    theta_points: int | None = None
    psi_exact: bool = False
    narrow_theta: float | None = None
    fold: bool = False

    def __post_init__(self) -> None:
        if self.points not in (3, 7, 15) or self.theta_points not in (None, 3, 7, 15):
            raise ValueError("the rule's panels have 3, 7 or 15 Gauss-Kronrod points")
        width = self.narrow_theta
        if width is not None and (
            isinstance(width, bool)
            or not isinstance(width, int | float | np.floating)
            or not 0.0 <= width <= np.pi  # NaN too
        ):
            raise ValueError(
                f"narrow_theta = {self.narrow_theta!r}: a width in radians from 0 to pi"
            )
        if self.n_c < 1 or self.n_theta < 1:
            raise ValueError("the rule needs at least one panel per axis")
        if self.n_psi < 2 or self.n_psi % 2:
            raise ValueError("the azimuth rule needs an even number (>= 2) of intervals")

    @property
    def narrow_width(self) -> float:
        """The width (radians) below which a photon-angle piece gets the lower rule."""
        if self.narrow_theta is not None:
            return self.narrow_theta
        return NARROW_THETA[self.theta_points or self.points]


@dataclass(frozen=True)
class CutRule:
    """The mass-independent part of the cut-adapted rule of a scan: its orders, the cuts, the
    frame, the (P, E) energies of :func:`cut_edges.cut_energies` and further photon CM polar
    cosines at which the photon angle is split although no cut changes there
    (``smooth_edges``: where the integrand has a kink of its own, e.g. the decay path at the
    fiducial cylinder's corners).
    ``topology``: the order of the photon-angle edges and the verdict of each piece between
    the cut energies (:class:`Topology`, made by :meth:`plan`; None: found at every node)."""

    panels: RulePanels
    cuts: tuple[Cut, ...]
    sqrt_s: FloatArray
    beta: float
    energies: FloatArray
    smooth_edges: tuple[float, ...] = ()
    topology: Topology | None = None

    @classmethod
    def plan(
        cls,
        cuts: Sequence[Cut],
        panels: RulePanels,
        sqrt_s: FloatArray,
        beta: float,
        smooth_edges: Sequence[float] = (),
    ) -> CutRule:
        rs = np.asarray(sqrt_s, dtype=float)
        energies = cut_energies(cuts, rs, beta)
        rule = cls(panels, tuple(cuts), rs, beta, energies, tuple(smooth_edges))
        return replace(rule, topology=plan_topology(rule))


def psi_is_exact(photon_only: bool, kappa_depends_on_direction: bool) -> bool:
    """Whether the psi integrand is a polynomial of degree <= 2 in cos psi.

    With the photon-only production (seed Eq. 2) the density a + b cos f* is: a = (3/2)
    [(1 - z^2) s + (1 + z^2) m^2 - c* ((1 - z^2) s - (1 + z^2) m^2) P] / (s + 2 m^2) with P = 1
    (spin-correlated, ``one-minus-cos``) or 0 (isotropic), quadratic in z (PHYSICS.md §2-3,
    :func:`nudipole.physics.production.polarization_longitudinal`); and b cos f* =
    -3 sqrt(s) m z sqrt(1 - c*^2) (z cos alpha - cos theta_g) / ((s + 2 m^2) sin alpha) (P_T
    of :func:`~nudipole.physics.production.polarization_transverse` carries sqrt(1 - z^2),
    which cancels that of cos f*), also quadratic in z; z is linear in cos psi. The binning in
    kappa adds nothing if kappa does not depend on the N direction (``fixed-length``). The
    trapezoid rule with n intervals on [0, pi] integrates cos(k psi) exactly for k < 2n.
    """
    return photon_only and not kappa_depends_on_direction


def _c_star_edges(
    n_c: int, energies: FloatArray, sqrt_s: FloatArray, m_n: FloatArray
) -> FloatArray:
    """(G, n_c + 1 + E) sorted c* panel edges of G (mass, point) groups: ``n_c`` equal panels,
    split where the photon energy E = gamma_N (m/2)(1 + beta_N c*) equals one of ``energies``
    (G, E); ``sqrt_s``, ``m_n`` (G,)."""
    s = sqrt_s**2
    gamma_n = n_energy_cm(s, m_n) / m_n
    bg_n = n_momentum_cm(s, m_n) / m_n
    base = np.broadcast_to(np.linspace(-1.0, 1.0, n_c + 1), (sqrt_s.size, n_c + 1))
    if energies.shape[1] == 0:
        return np.array(base)
    with np.errstate(invalid="ignore", divide="ignore"):
        c_edge = (2.0 * energies / m_n[:, None] - gamma_n[:, None]) / bg_n[:, None]
    c_edge = np.clip(np.nan_to_num(c_edge, nan=1.0), -1.0, 1.0)
    return np.sort(np.concatenate([base, c_edge], axis=1), axis=1)


@dataclass(frozen=True)
class RuleNodes:
    """Nodes of the cut-adapted rule at one mass, only where the photon passes the cuts.

    Attributes
    ----------
    point
        Group index of each node (:func:`rule_nodes`).
    cos_n, cos_star, cos_phi
        z_N, c* and cos f* of the node.
    weight_kronrod, weight_gauss
        Weights of the Gauss-Kronrod rule and of its embedded Gauss rule (with every other
        azimuth node); each sums to the acceptance of a density equal to one.
    """

    point: np.ndarray
    cos_n: FloatArray
    cos_star: FloatArray
    cos_phi: FloatArray
    weight_kronrod: FloatArray
    weight_gauss: FloatArray


@dataclass(frozen=True)
class CStarNodes:
    """The c* nodes of the cut-adapted rule (:func:`c_star_nodes`), flattened over the groups.

    Attributes
    ----------
    group, c, weight_kronrod, weight_gauss, cos_alpha, sin_alpha, e_cm
        Per c* node (V,): its group index, c*, the composite Gauss-Kronrod and embedded Gauss
        weights in c* (each summing to 2 over a group), cos and sin of the angle alpha between
        the photon and N in the CM, and the photon CM energy (GeV).
    sqrt_s, point
        The node's sqrt(s) (GeV) and the index of its energy point in the rule.
    """

    group: np.ndarray
    c: FloatArray
    weight_kronrod: FloatArray
    weight_gauss: FloatArray
    cos_alpha: FloatArray
    sin_alpha: FloatArray
    e_cm: FloatArray
    sqrt_s: FloatArray
    point: np.ndarray


@dataclass(frozen=True)
class RulePieces(CStarNodes):
    """The (c*, photon polar angle) skeleton of the cut-adapted rule (:func:`rule_pieces`):
    its c* nodes (:class:`CStarNodes`) and the accepted pieces of the photon angle.

    Attributes
    ----------
    node, cos_lo, cos_hi
        Per accepted piece of the photon CM polar angle (K,): its c* node and the cosines
        of its edges (-1 <= cos_lo < cos_hi <= 1); the photon passes every cut between the
        edges. Pieces come ordered by c* node, hence by group.
    """

    node: np.ndarray
    cos_lo: FloatArray
    cos_hi: FloatArray


def c_star_nodes(
    rule: CutRule, m_n: float | FloatArray, points: np.ndarray | None = None
) -> CStarNodes:
    """The c* nodes of the cut-adapted rule for groups of (mass, energy point): ``m_n`` (GeV)
    one mass or one per group, ``points`` the index of each group's point in ``rule`` (all
    points if None). c* is split at the energies of :func:`cut_edges.cut_energies` into composite
    Gauss-Kronrod panels (``panels.points`` each); panels of zero width are left out. At
    fixed c* the photon leaves at the angle alpha to N, cos alpha = (c* + beta_N)/(1 + beta_N
    c*) (aberration), with CM energy E = gamma_N (m/2)(1 + beta_N c*)."""
    panels = rule.panels
    point_g = np.arange(rule.sqrt_s.size) if points is None else np.asarray(points)
    rs_g = rule.sqrt_s[point_g]
    energies = rule.energies[point_g]
    mass_g = np.broadcast_to(np.asarray(m_n, dtype=float), rs_g.shape)
    c_edges = _c_star_edges(panels.n_c, energies, rs_g, mass_g)
    # the N's kinematics per group; the nodes on the panels of non-zero width (edges outside
    # [-1, 1] are clipped onto the ends), flattened over the groups, in one compiled pass
    s_g = rs_g**2
    gamma_g = n_energy_cm(s_g, mass_g) / mass_g
    bg_g = n_momentum_cm(s_g, mass_g) / mass_g
    from nudipole.production._ee_nodes_kernel import c_star_node_values  # numba: not at start

    group, c, w_k, w_g, cos_a, sin_a, e_cm = c_star_node_values(
        np.ascontiguousarray(c_edges), *gauss_kronrod(panels.points), gamma_g,
        bg_g / gamma_g, 0.5 * mass_g * gamma_g,
    )  # fmt: skip
    return CStarNodes(
        group=group,
        c=c,
        weight_kronrod=w_k,
        weight_gauss=w_g,
        cos_alpha=cos_a,
        sin_alpha=sin_a,
        e_cm=e_cm,
        sqrt_s=rs_g[group],
        point=point_g[group],
    )


def rule_pieces(
    rule: CutRule, m_n: float | FloatArray, points: np.ndarray | None = None
) -> RulePieces:
    """The c* nodes (:func:`c_star_nodes`) and the accepted photon-angle pieces of the
    cut-adapted rule for groups of (mass, energy point): ``m_n`` (GeV) one mass or one per
    group, ``points`` the index of each group's point in ``rule`` (all points if None).

    At each c* node the photon CM polar angle theta_g is split at the cut edges
    (:func:`cut_edges.cos_cm_edges`), at ``panels.n_theta`` equal panels and at
    ``rule.smooth_edges``, and each piece's verdict is the cuts' mask at its midpoint: found
    once per energy segment (:class:`Topology`) where the rule has one, at every node
    otherwise.
    """
    nodes = c_star_nodes(rule, m_n, points)
    if rule.topology is None:
        v, cos_lo, cos_hi = _sorted_pieces(rule, nodes.e_cm, nodes.sqrt_s)
    else:
        v, cos_lo, cos_hi = _segment_pieces(
            rule, rule.topology, nodes.e_cm, nodes.sqrt_s, nodes.point
        )
    if rule.panels.fold:
        return _folded(nodes, v, cos_lo, cos_hi)
    return RulePieces(**vars(nodes), node=v, cos_lo=cos_lo, cos_hi=cos_hi)


#: Largest |cos_lo + cos_hi of the mirror piece| of a c* node whose pieces are taken as
#: mirror images (:func:`_folded`): the cuts' edges at +-c come out as exact negatives, and
#: this only guards against an edge computed in two ways.
_MIRROR_TOL = 1e-12


def _folded(nodes: CStarNodes, v: np.ndarray, cos_lo: FloatArray, cos_hi: FloatArray) -> RulePieces:
    """The pieces of :func:`rule_pieces` folded onto cos theta_g >= 0 (``RulePanels.fold``):
    at every c* node whose accepted pieces are mirror images of each other (piece j of n
    is [-cos_hi, -cos_lo] of piece n - 1 - j) only the parts with cos theta_g >= 0 are kept
    and the node's c* weights are doubled; other nodes keep all their pieces."""
    # numba is imported here, not with the package (start-up)
    from nudipole.production._ee_pieces_kernel import fold_pieces

    fold, node, lo, hi = fold_pieces(
        np.asarray(v, dtype=np.int64), cos_lo, cos_hi, nodes.c.size, _MIRROR_TOL
    )
    factor = np.where(fold, 2.0, 1.0)
    state = vars(nodes) | {
        "weight_kronrod": nodes.weight_kronrod * factor,
        "weight_gauss": nodes.weight_gauss * factor,
    }
    return RulePieces(**state, node=node, cos_lo=lo, cos_hi=hi)


def piece_moments(rule: CutRule, nodes: CStarNodes) -> FloatArray:
    """(V, 3) the integrals of 1, x and x^2 over the accepted photon CM cosines x at each c*
    node (the pieces of :func:`rule_pieces`, summed without being listed; compiled where the
    rule has a :class:`Topology`)."""
    topo = rule.topology
    if topo is None:
        rows = np.arange(nodes.c.size)
        moments = np.zeros((rows.size, 3))
        unordered = np.ones(rows.size, dtype=bool)
    else:
        # numba is imported here, not with the package (start-up)
        from nudipole.production._ee_pieces_kernel import segment_moments

        moments, unordered = segment_moments(
            fixed_columns(rule),
            moving_columns(rule, nodes.e_cm, nodes.sqrt_s),
            nodes.e_cm,
            nodes.point.astype(np.int64),
            topo.bounds,
            topo.order,
            topo.accept,
        )
        rows = np.flatnonzero(unordered)
    if rows.size:
        v, lo, hi = _sorted_pieces(rule, nodes.e_cm[rows], nodes.sqrt_s[rows])
        part = cosine_moments(lo, hi)
        for k in range(3):
            moments[rows, k] = np.bincount(v, weights=part[:, k], minlength=rows.size)
    return np.asarray(moments)


def _sorted_pieces(
    rule: CutRule, e_cm: FloatArray, sqrt_s: FloatArray
) -> tuple[np.ndarray, FloatArray, FloatArray]:
    """(node, cos_lo, cos_hi) of the accepted photon-angle pieces at CM energies ``e_cm``
    (V,): every node's edges sorted and every piece tested by the cuts' masks at its middle."""
    u = edge_columns(rule, e_cm, sqrt_s)
    u.sort(axis=1)
    lo, hi = u[:, :-1], u[:, 1:]
    keep = (hi > lo) & verdicts(rule, e_cm, sqrt_s, lo, hi)
    v, piece = np.nonzero(keep)  # ordered by node
    return v, lo[v, piece], hi[v, piece]


def _segment_pieces(
    rule: CutRule,
    topo: Topology,
    e_cm: FloatArray,
    sqrt_s: FloatArray,
    point: np.ndarray,
    moving: FloatArray | None = None,
) -> tuple[np.ndarray, FloatArray, FloatArray]:
    """:func:`_sorted_pieces` from the order and verdicts of each node's energy segment
    (:class:`Topology`; compiled), sorted and tested afresh where the order does not hold;
    ``moving``: the nodes' :func:`moving_columns`, if the caller has them."""
    # numba is imported here, not with the package (start-up)
    from nudipole.production._ee_pieces_kernel import segment_pieces

    v, lo, hi, unordered = segment_pieces(
        fixed_columns(rule),
        moving_columns(rule, e_cm, sqrt_s) if moving is None else moving,
        e_cm,
        point.astype(np.int64),
        topo.bounds,
        topo.order,
        topo.accept,
    )
    if unordered.any():
        rows = np.flatnonzero(unordered)
        v2, lo2, hi2 = _sorted_pieces(rule, e_cm[rows], sqrt_s[rows])
        v = np.concatenate([v, rows[v2]])
        by_node = np.argsort(v, kind="stable")
        v = v[by_node]
        lo = np.concatenate([lo, lo2])[by_node]
        hi = np.concatenate([hi, hi2])[by_node]
    return v, lo, hi


def accepted_cos_intervals(
    cuts: Sequence[Cut], e_cm: FloatArray, sqrt_s: float, beta: float
) -> tuple[np.ndarray, FloatArray, FloatArray, FloatArray]:
    """The photon CM polar cosines that pass ``cuts`` at each CM energy ``e_cm`` (R,) (GeV)
    at one ``sqrt_s`` (GeV) in a frame moving with ``beta``: (row, cos_lo, cos_hi) of the
    accepted pieces, ordered by row, and the (R, n_e) edges between which each cut's verdict
    cannot change (:func:`cut_edges.cos_cm_edges`, clipped to [-1, 1]; unsorted). Found as the rule
    finds them at its c* nodes (:class:`Topology`)."""
    e = np.asarray(e_cm, dtype=float)
    rule = CutRule.plan(tuple(cuts), RulePanels(), np.array([float(sqrt_s)]), beta)
    assert rule.topology is not None
    rs = np.full(e.size, float(sqrt_s))
    moving = moving_columns(rule, e, rs)
    rows, lo, hi = _segment_pieces(
        rule, rule.topology, e, rs, np.zeros(e.size, dtype=np.int64), moving
    )
    return rows, lo, hi, edge_columns(rule, e, rs, moving)


def psi_rule(n_psi: int, exact: bool) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(psi, Kronrod-side weights, embedded weights) of the trapezoid rule with ``n_psi``
    intervals on [0, pi] (weights sum to 1); the embedded rule takes every other node, or all
    of them if the psi integrand is integrated exactly (:func:`psi_is_exact`)."""
    psi = np.linspace(0.0, np.pi, n_psi + 1)
    wpk = np.full(n_psi + 1, 1.0 / n_psi)
    wpk[[0, -1]] *= 0.5
    wpg = np.zeros(n_psi + 1)
    wpg[::2] = 2.0 / n_psi
    wpg[[0, -1]] *= 0.5
    return psi, wpk, (wpk if exact else wpg)


def theta_rules(
    panels: RulePanels,
) -> tuple[tuple[FloatArray, FloatArray, FloatArray], tuple[FloatArray, FloatArray, FloatArray]]:
    """The Gauss-Kronrod rules (abscissae on [-1, 1], Kronrod and embedded Gauss weights) of
    the photon polar angle: for a piece as wide as ``panels.narrow_width`` or wider, and for
    a narrower one (the next lower rule)."""
    points = panels.theta_points or panels.points
    return gauss_kronrod(points), gauss_kronrod(_LOWER_RULE[points])


def theta_nodes(rule: CutRule, pieces: RulePieces) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(theta_g, Kronrod weights, embedded Gauss weights), (K, points) each, of the
    Gauss-Kronrod rule on every accepted photon-angle piece (:func:`theta_rules`): a narrow
    piece has its lower rule's nodes first and zero weights in the slots left over (at its
    middle; the nodes of zero weight add nothing)."""
    th_lo, th_hi = np.arccos(pieces.cos_hi), np.arccos(pieces.cos_lo)
    (x, wk, wg), (xn, wkn, wgn) = theta_rules(rule.panels)
    mid, half = 0.5 * (th_lo + th_hi), 0.5 * (th_hi - th_lo)
    narrow = (th_hi - th_lo < rule.panels.narrow_width)[:, None]
    n_n = xn.size
    pad = np.zeros(x.size - n_n)
    x_k = np.where(narrow, np.concatenate([xn, pad]), x)
    w_k = np.where(narrow, np.concatenate([wkn, pad]), wk)
    w_g = np.where(narrow, np.concatenate([wgn, pad]), wg)
    return (
        np.asarray(mid[:, None] + half[:, None] * x_k),
        np.asarray(half[:, None] * w_k),
        np.asarray(half[:, None] * w_g),
    )


def rule_nodes(
    rule: CutRule, m_n: float | FloatArray, points: np.ndarray | None = None
) -> RuleNodes:
    """The cut-adapted rule for groups of (mass, energy point): ``m_n`` (GeV) one mass or one
    per group, ``points`` the index of each group's point in ``rule`` (all points if None);
    ``RuleNodes.point`` is the group index. All groups are integrated in one array pass.

    Variables (module docstring): c*, then the photon CM polar angle theta_g, then the N
    azimuth psi about the photon (:func:`rule_pieces`). At fixed c* the photon leaves at the
    angle alpha to N with cos alpha = (c* + beta_N)/(1 + beta_N c*) (aberration);
    (N direction, f*) -> (photon direction, psi) preserves the uniform measure, so

        A = int dc*/2 int sin(theta_g) dtheta_g / 2 int_0^pi dpsi / pi
            [a(z, c*) + b(z, c*) cos f*] 1[photon passes at (E(c*), cos theta_g)],
        z = cos theta_g cos alpha + sin theta_g sin alpha cos psi,
        cos f* = (z cos alpha - cos theta_g) / (sqrt(1 - z^2) sin alpha).

    Composite Gauss-Kronrod rules (``panels.points`` per panel) in c* and theta_g, the
    trapezoid rule with ``panels.n_psi`` intervals in psi (periodic and even: spectrally
    accurate). The embedded rule for the error estimate takes the embedded Gauss rules and
    every other psi node.
    """
    return nodes_from_pieces(rule, rule_pieces(rule, m_n, points))


def nodes_from_pieces(rule: CutRule, pieces: RulePieces) -> RuleNodes:
    """The nodes of :func:`rule_nodes` from its skeleton ``pieces`` (:func:`rule_pieces`):
    the Gauss-Kronrod nodes of :func:`theta_nodes` on every piece of the photon angle (a
    narrow piece's slots of zero weight give nodes of zero weight) and the psi rule at each."""
    th, wtk, wtg = theta_nodes(rule, pieces)
    psi, wpk, wpg = psi_rule(rule.panels.n_psi, rule.panels.psi_exact)
    # numba is imported here, not with the package (start-up)
    from nudipole.production._ee_nodes_kernel import rule_node_values

    point, cos_n, cos_star, cos_phi, w_k, w_g = rule_node_values(
        pieces.node.astype(np.int64),
        np.cos(th),
        np.sin(th),
        wtk,
        wtg,
        pieces.cos_alpha,
        pieces.sin_alpha,
        pieces.weight_kronrod,
        pieces.weight_gauss,
        pieces.group.astype(np.int64),
        pieces.c,
        np.cos(psi),
        wpk,
        wpg,
    )
    return RuleNodes(
        point=point,
        cos_n=cos_n,
        cos_star=cos_star,
        cos_phi=cos_phi,
        weight_kronrod=w_k,
        weight_gauss=w_g,
    )
