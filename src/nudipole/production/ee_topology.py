"""Where the accepted photon angles of the e+e- cut-adapted rule change shape
(:mod:`nudipole.production.ee_rules`): the photon CM polar cosines at which the photon angle
is split at each energy (:func:`edge_columns`: fixed ones, then those that move with the
energy, from each cut's own formulas in :mod:`nudipole.production.cut_edges`), the cuts'
verdict on a piece between two of them (:func:`verdicts`, the cuts' own masks), and the
:class:`Topology` of a rule: the order of those edges and the verdicts once per energy
segment, so that the compiled pass (:mod:`nudipole.production._ee_pieces_kernel`) only checks
the order at each c* node.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from nudipole.experiments.selections import Frame, Photons, combined_mask
from nudipole.physics._types import FloatArray
from nudipole.production.cut_edges import fixed_cos_cm_edges, moving_cos_cm_edges

if TYPE_CHECKING:  # the rule holds its topology: imported there, named here for types only
    from nudipole.production.ee_rules import CutRule


@dataclass(frozen=True)
class Topology:
    """The shape of the accepted set of photon angles between the cut energies.

    Between two consecutive energies of :func:`cut_edges.cut_energies` (a *segment*) nothing in the
    accepted set of photon CM polar angles appears, vanishes or changes shape: the edges of
    :func:`cut_edges.cos_cm_edges` move with the photon energy but keep their order, and the
    verdict of the piece between two neighbouring edges stays the same. Both are therefore
    found once per segment, at its middle energy, instead of at every c* node. Where an
    energy-dependent edge crosses another edge, the segments are split at a narrow bracket
    around the crossing (:func:`crossings`);
    :func:`~nudipole.production.ee_rules.rule_pieces` checks the order at every node and
    sorts and tests the cuts afresh where it does not hold (a node inside such a bracket, or
    a crossing the search missed).

    Attributes
    ----------
    bounds
        (P, B) the finite cut energies and crossing brackets of each point (GeV),
        increasing, padded with +inf: a photon energy E lies in segment ``sum(bounds < E)``.
    order
        (P, B + 1, n_e) the edge columns of :func:`edge_columns` in increasing order at the
        segment's middle energy.
    accept
        (P, B + 1, n_e - 1) whether the piece between the ``k``-th and ``k + 1``-th ordered
        edges passes every cut.
    """

    bounds: FloatArray
    order: np.ndarray
    accept: np.ndarray


def fixed_columns(rule: CutRule) -> FloatArray:
    """(n_f,) photon CM polar cosines at which the photon angle is split at every energy:
    the equal panels of ``panels.n_theta``, the rule's ``smooth_edges`` and every cut's
    :func:`cut_edges.fixed_cos_cm_edges`."""
    panels = np.cos(np.linspace(0.0, np.pi, rule.panels.n_theta + 1))
    cut_edges = [c for cut in rule.cuts for c in fixed_cos_cm_edges(cut, rule.beta)]
    return np.array([*panels, *rule.smooth_edges, *cut_edges], dtype=float)


def moving_columns(rule: CutRule, e_cm: FloatArray, sqrt_s: FloatArray) -> FloatArray:
    """(V, n_m) every cut's :func:`cut_edges.moving_cos_cm_edges` at CM energies ``e_cm`` (V,) and
    ``sqrt_s`` (V,), clipped to [-1, 1]; a missing edge (NaN) goes to 1 by fmin: a
    zero-width piece."""
    moving = [e for cut in rule.cuts for e in moving_cos_cm_edges(cut, e_cm, sqrt_s, rule.beta)]
    out = np.empty((np.size(e_cm), len(moving)))
    for j, edge in enumerate(moving):
        out[:, j] = np.fmax(np.fmin(edge, 1.0), -1.0)
    return out


def edge_columns(
    rule: CutRule, e_cm: FloatArray, sqrt_s: FloatArray, moving: FloatArray | None = None
) -> FloatArray:
    """(V, n_e) photon CM polar cosines at which the photon angle is split at CM energies
    ``e_cm`` (V,) and ``sqrt_s`` (V,): :func:`fixed_columns`, then :func:`moving_columns`
    (``moving``, if the caller has them); in the same column order at every energy, not
    sorted."""
    fixed = fixed_columns(rule)
    if moving is None:
        moving = moving_columns(rule, e_cm, sqrt_s)
    u = np.empty((moving.shape[0], fixed.size + moving.shape[1]))
    u[:, : fixed.size] = fixed
    u[:, fixed.size :] = moving
    return u


def verdicts(
    rule: CutRule, e_cm: FloatArray, sqrt_s: FloatArray, lo: FloatArray, hi: FloatArray
) -> np.ndarray:
    """(V, K) whether the photon at CM energy ``e_cm`` (V,) passes every cut at the middle of
    each piece [``lo``, ``hi``] (V, K) of its CM polar cosine."""
    beta = rule.beta
    cos_mid = 0.5 * (lo + hi)
    e_pieces = e_cm[:, None]  # one energy per row: the cuts broadcast it over the pieces
    if beta == 0.0:
        e_lab, cos_lab = e_pieces, cos_mid
    else:
        gamma_b = 1.0 / np.sqrt(1.0 - beta**2)
        e_lab = gamma_b * e_pieces * (1.0 + beta * cos_mid)
        cos_lab = np.clip((cos_mid + beta) / (1.0 + beta * cos_mid), -1.0, 1.0)
    photons = Photons(e_pieces, cos_mid, e_lab, cos_lab)
    return np.asarray(combined_mask(rule.cuts, photons, Frame(sqrt_s[:, None], beta)), bool)


#: Energies per segment at which :func:`crossings` compares the order of the edges, and the
#: halvings that narrow a change of order down (to 2^-10 of the gap between two of them).
CROSSING_SAMPLES = 16
CROSSING_HALVINGS = 10


def _segment_ends(rs: FloatArray, bounds: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(lo, hi) (P, B + 1) of the segments between ``bounds`` (P, B), the last one ending at
    sqrt(s)/2, the largest photon CM energy."""
    n_p = rs.size
    lo = np.concatenate([np.zeros((n_p, 1)), bounds], axis=1)
    hi = np.minimum(np.concatenate([bounds, np.full((n_p, 1), np.inf)], axis=1), 0.5 * rs[:, None])
    return lo, hi


def crossings(rule: CutRule, bounds: FloatArray) -> FloatArray:
    """(P, C) photon CM energies (GeV; +inf padded) that bracket, inside the segments between
    ``bounds``, a change in the order of the edges of :func:`edge_columns`: an energy-
    dependent edge crossing another one (a smooth edge of the fiducial volume, or another
    cut's edge), which no cut energy marks. Found on :data:`CROSSING_SAMPLES` energies per
    segment and two next to its ends, and narrowed by :data:`CROSSING_HALVINGS` halvings to
    a bracket whose two ends are returned: a node in such a bracket is sorted and tested
    afresh by :func:`~nudipole.production.ee_rules.rule_pieces`, as every node of the
    segment was before (5.7 % of BESIII's nodes; its pieces at the 90 masses of a default
    curve's lab-volume pass took 37 ms, now 31); order changes that the samples miss are
    left to that too."""
    rs = rule.sqrt_s
    lo, hi = _segment_ends(rs, bounds)
    # evenly inside, and next to either end (a crossing close to a cut energy)
    t = np.array(
        [2.0**-20, *((np.arange(CROSSING_SAMPLES) + 0.5) / CROSSING_SAMPLES), 1 - 2.0**-20]
    )
    open_ = hi > lo  # (an empty segment's ends may be +inf)
    width = np.where(open_, hi - lo, 0.0)
    e = np.where(open_, lo, 0.0)[..., None] + width[..., None] * t  # (P, S, n) inside each
    live = np.broadcast_to(open_[..., None], e.shape)
    p_row = np.broadcast_to(np.arange(rs.size)[:, None, None], e.shape)
    e_ok, p_ok = e[live], p_row[live]
    order = np.argsort(edge_columns(rule, e_ok, rs[p_ok]), axis=1, kind="stable")
    n_s = live.sum(axis=2).ravel()  # samples of each live segment, consecutive in e_ok
    same_segment = np.ones(e_ok.size, dtype=bool)
    same_segment[np.cumsum(n_s[n_s > 0])[:-1]] = False  # first sample of a segment
    change = np.flatnonzero((order[1:] != order[:-1]).any(axis=1) & same_segment[1:])
    if change.size == 0:
        return np.full((rs.size, 0), np.inf)
    a, b, point = e_ok[change], e_ok[change + 1], p_ok[change]
    left = order[change]
    for _ in range(CROSSING_HALVINGS):
        mid = 0.5 * (a + b)
        at_mid = np.argsort(edge_columns(rule, mid, rs[point]), axis=1, kind="stable")
        as_left = (at_mid == left).all(axis=1)
        a = np.where(as_left, mid, a)
        b = np.where(as_left, b, mid)
    count = np.bincount(point, minlength=rs.size)
    out = np.full((rs.size, 2 * count.max()), np.inf)
    slot = np.arange(point.size) - np.concatenate([[0], np.cumsum(count)[:-1]])[point]
    out[point, 2 * slot] = a
    out[point, 2 * slot + 1] = b
    return out


def plan_topology(rule: CutRule) -> Topology:
    """The :class:`Topology` of ``rule``: edges ordered and pieces tested at the middle of
    every segment below sqrt(s)/2, the largest photon CM energy (an empty or unreachable
    segment is tested at sqrt(s)/4; no photon falls in it). The segments are those between
    the cut energies and the brackets of :func:`crossings`."""
    rs = rule.sqrt_s
    cut = np.where(np.isfinite(rule.energies), rule.energies, np.inf)
    bounds = np.sort(np.concatenate([cut, crossings(rule, np.sort(cut, axis=1))], axis=1), axis=1)
    lo, hi = _segment_ends(rs, bounds)  # (P, B + 1)
    middle = np.where(hi > lo, 0.5 * (lo + hi), 0.25 * rs[:, None]).ravel()
    rs_rows = np.repeat(rs, lo.shape[1])
    u = edge_columns(rule, middle, rs_rows)
    order = np.argsort(u, axis=1, kind="stable")
    ordered = np.take_along_axis(u, order, axis=1)
    accept = verdicts(rule, middle, rs_rows, ordered[:, :-1], ordered[:, 1:])
    shape = lo.shape
    return Topology(
        bounds=bounds,
        order=order.reshape(*shape, -1),
        accept=accept.reshape(*shape, -1),
    )
