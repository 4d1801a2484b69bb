"""The node combinations of one channel at one mass: (momentum group, E*, cos theta*) of N
whose lab direction can reach the detector's polar window from some parent, with the run of
parents that can send it there (:func:`node_combos`; the per-parent theta* rule of a W/Z part
under a small window, :func:`window_combos`). The physics is in the docstring of
:mod:`nudipole.production.meson_source`; the parents come from
:mod:`nudipole.production.meson_parents`. Both the NumPy path (``meson_source``) and the
compiled count (:mod:`nudipole.reach.far_rays`) start from these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nudipole.physics._types import FloatArray
from nudipole.production.meson_parents import KEY_STRIDE, THETA_PAD, ParentTable
from nudipole.production.source_rules import cos_theta_rule
from nudipole.production.window_theta import WindowThetaRule, window_nodes


@dataclass(frozen=True)
class NodeCombos:
    """The (momentum group, E*, cos theta*) combinations of one channel whose N can reach the
    detector's polar window from some parent, ordered by their ln p cell (see
    :func:`node_combos`).

    Per combo: the parents ``first`` .. ``first + count - 1`` of the table (those that can
    send such an N into the window), cos(alpha/2), sin(alpha/2) and sin(alpha) of the lab
    angle alpha between N and parent, the node weight (E* weight x cos theta* weight / 2;
    per d^2, GeV^2) and the N momentum (GeV).
    """

    first: npt.NDArray[np.int64]
    count: npt.NDArray[np.int64]
    cos_half: FloatArray
    sin_half: FloatArray
    sin_alpha: FloatArray
    weight: FloatArray
    momentum: FloatArray

    @property
    def size(self) -> int:
        return int(self.first.size)


def node_combos(
    table: ParentTable,
    e_star: FloatArray,
    e_weight: FloatArray,
    m_n: float,
    window: tuple[float, float],
    n_cos: int,
    log_p_step: float,
    cos_rule: tuple[FloatArray, FloatArray] | None = None,
) -> NodeCombos | None:
    """The combos of :class:`NodeCombos`; None if no N can reach the window.

    ``cos_rule``: the rule in cos theta* (nodes, weights: the weights include the density of
    cos theta* and sum to 1), the same for every E* node. None: ``n_cos`` Gauss-Legendre nodes
    with the isotropic density 1/2 of an unpolarised parent (node weight E* weight x cos
    theta* weight / 2, as always for the mesons). The W/Z source passes its own
    (:func:`part_cos_rule`: Gauss-Legendre in theta*, with the boson's density about its
    direction of flight).

    The N kinematics (momentum, opening angle alpha) depends on the parent only through its
    momentum, so it is computed once per (momentum group, E*, cos theta*); the parents of the
    group whose polar angle lets such an N reach the window, |theta_P - alpha| < theta_hi and
    theta_lo < theta_P + alpha < 2 pi - theta_lo, are a contiguous run of the table (binary
    search). Combos are ordered by floor(ln p / ``log_p_step``).
    """
    th_lo, th_hi = window
    n_grp = table.momentum.size
    if n_grp == 0 or e_star.size == 0:
        return None
    c, w_cos = cos_theta_rule(n_cos, cos_rule)
    n_jk = e_star.size * c.size
    # N momentum along and across the parent direction for every (group, E*, cos theta*)
    p_star = np.sqrt(np.maximum(e_star**2 - m_n**2, 0.0))
    along = (p_star[:, None] * c[None, :])[None, :, :] + (
        table.beta[:, None, None] * e_star[None, :, None]
    )
    along *= table.gamma[:, None, None]
    along = along.reshape(-1)
    across = np.tile((p_star[:, None] * np.sqrt(1.0 - c**2)[None, :]).ravel(), n_grp)
    mom = np.sqrt(along * along + across * across)
    # half opening angle alpha/2 between N and parent without cancellation (derived):
    # cos(alpha/2) = (p + p_par) r, sin(alpha/2) = p_perp r, r = 1/sqrt(2 p (p + p_par)) if
    # p_par >= 0; for p_par < 0 the two are swapped and p + p_par becomes p - p_par
    big = mom + np.abs(along)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = 1.0 / np.sqrt(2.0 * mom * big)
        sin_a = across / mom
    fwd = along >= 0.0
    sin_h = np.where(fwd, across, big) * r
    cos_h = np.where(fwd, big, across) * r
    # combos that can reach the window from some parent of their group
    a_min = np.maximum(table.theta_min - th_hi, th_lo - table.theta_max) - THETA_PAD
    a_max = np.minimum(table.theta_max + th_hi, 2.0 * math.pi - th_lo - table.theta_min)
    a_max = a_max + THETA_PAD
    h_min = np.sin(0.5 * np.clip(a_min, 0.0, math.pi))
    h_max = np.where(a_max >= math.pi, 2.0, np.sin(0.5 * np.clip(a_max, 0.0, math.pi)))
    sh2 = sin_h.reshape(n_grp, n_jk)
    maybe = np.flatnonzero(((sh2 >= h_min[:, None]) & (sh2 <= h_max[:, None])).ravel())
    if maybe.size == 0:
        return None
    # alpha of those, and the run of parents that can send the N into the window
    sh = sin_h[maybe]
    ch = cos_h[maybe]
    half = np.arcsin(np.minimum(sh, ch))
    alpha = 2.0 * np.where(sh <= ch, half, 0.5 * math.pi - half)
    lower = np.maximum(alpha - th_hi, th_lo - alpha) - THETA_PAD
    upper = np.minimum(alpha + th_hi, 2.0 * math.pi - th_lo - alpha) + THETA_PAD
    base_key = KEY_STRIDE * (maybe // n_jk)
    first = np.searchsorted(table.key, base_key + np.clip(lower, -0.5, 3.5), side="left")
    stop = np.searchsorted(table.key, base_key + np.clip(upper, -0.5, 3.5), side="right")
    count = stop - first
    has = np.flatnonzero(count > 0)
    if has.size == 0:
        return None
    cmb = maybe[has]
    # combos ordered by their ln p cell, so that a chunk of nodes covers few cells
    ip_all = np.floor(np.log(mom[cmb]) / log_p_step).astype(np.int64)
    by_p = np.argsort(ip_all, kind="stable")
    cmb = cmb[by_p]
    w_jk = (e_weight[:, None] * w_cos[None, :]).ravel()
    return NodeCombos(
        first=first[has][by_p].astype(np.int64),
        count=count[has][by_p].astype(np.int64),
        cos_half=cos_h[cmb],
        sin_half=sin_h[cmb],
        sin_alpha=sin_a[cmb],
        weight=w_jk[cmb % n_jk],
        momentum=mom[cmb],
    )


def window_combos(
    table: ParentTable,
    e_star: FloatArray,
    e_weight: FloatArray,
    m_n: float,
    window: tuple[float, float],
    rule: WindowThetaRule,
    log_p_step: float,
) -> NodeCombos | None:
    """The combos of the per-parent theta* rule (:mod:`nudipole.production.window_theta`):
    one parent each (``count`` 1), ordered by their ln p cell as :func:`node_combos` orders
    its own; None if no N can reach the window."""
    if table.momentum.size == 0 or e_star.size == 0:
        return None
    parent, weight, mom, cos_h, sin_h, sin_a = window_nodes(
        table.key, table.beta, table.gamma, e_star, e_weight, m_n, window, rule, KEY_STRIDE
    )
    keep = np.flatnonzero(weight > 0.0)
    if keep.size == 0:
        return None
    ip = np.floor(np.log(mom[keep]) / log_p_step).astype(np.int64)
    order = keep[np.argsort(ip, kind="stable")]
    return NodeCombos(
        first=parent[order].astype(np.int64),
        count=np.ones(order.size, dtype=np.int64),
        cos_half=cos_h[order],
        sin_half=sin_h[order],
        sin_alpha=sin_a[order],
        weight=weight[order],
        momentum=mom[order],
    )
