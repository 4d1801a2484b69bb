"""Compiled pieces of the e+e- cut-adapted rule (numba, ``cache=True``): the accepted pieces of
the photon CM polar angle at every c* node from the order of its edges and the verdicts of its
energy segment (:class:`nudipole.production.ee_topology.Topology`), in one pass over the nodes.
No cut is written here: the edges come from the cuts' own formulas
(:func:`~nudipole.production.cut_edges.moving_cos_cm_edges`) and the verdicts from their masks,
tested once per segment. The pieces equal those of sorting the edges and testing the cuts at
every node (compared in ``tests/production/test_ee_rules.py``).
"""

from __future__ import annotations

import numba
import numpy as np

from nudipole.physics._types import FloatArray

IntArray = np.ndarray
BoolArray = np.ndarray


@numba.njit(cache=True, nogil=True)
def _edge(fixed: FloatArray, moving: FloatArray, v: int, j: int) -> float:  # pragma: no cover
    """Column ``j`` of the node's edges: a fixed cosine, then the clipped moving ones."""
    n_f = fixed.size
    if j < n_f:
        return float(fixed[j])
    x = float(moving[v, j - n_f])
    if x != x:  # NaN: the edge does not exist (fmin(NaN, 1) = 1)
        return 1.0
    return min(max(x, -1.0), 1.0)


@numba.njit(cache=True, nogil=True)
def _segment(bounds: FloatArray, p: int, e: float) -> int:  # pragma: no cover - compiled
    """The energy segment of a photon at CM energy ``e`` at point ``p``: the number of the
    point's ``bounds`` (increasing, +inf padded) below ``e``."""
    n_b = bounds.shape[1]
    k = 0
    while k < n_b and bounds[p, k] < e:
        k += 1
    return k


@numba.njit(cache=True, nogil=True)
def _node_pieces(
    fixed: FloatArray,
    moving: FloatArray,
    v: int,
    e: float,
    p: int,
    bounds: FloatArray,
    order: IntArray,
    accept: BoolArray,
    lo: FloatArray,
    hi: FloatArray,
) -> int:  # pragma: no cover - compiled
    """The accepted pieces of node ``v`` (photon CM energy ``e``, energy point ``p``) written
    to ``lo``, ``hi`` (room for n_e - 1); returns their number, or -1 where the node's edges
    are not in its segment's order (then the caller sorts and tests it afresh)."""
    k = _segment(bounds, p, e)
    n = 0
    prev = _edge(fixed, moving, v, order[p, k, 0])
    for i in range(1, order.shape[2]):
        x = _edge(fixed, moving, v, order[p, k, i])
        if x < prev:
            return -1
        if accept[p, k, i - 1] and x > prev:
            lo[n] = prev
            hi[n] = x
            n += 1
        prev = x
    return n


@numba.njit(cache=True, nogil=True)
def segment_pieces(
    fixed: FloatArray,
    moving: FloatArray,
    e_cm: FloatArray,
    point: IntArray,
    bounds: FloatArray,
    order: IntArray,
    accept: BoolArray,
) -> tuple[IntArray, FloatArray, FloatArray, BoolArray]:  # pragma: no cover - compiled
    """(node, cos_lo, cos_hi, unordered) of the accepted pieces of every c* node v.

    Node v has the photon CM energy ``e_cm[v]`` at energy point ``point[v]``; its edges are
    ``fixed`` (n_f,) and ``moving[v]`` (n_m,) (clipped to [-1, 1], NaN -> 1). Its segment is
    the number of ``bounds[point]`` below ``e_cm``; ``order[point, segment]`` lists the edge
    columns in increasing order and ``accept[point, segment, k]`` whether the piece between
    the k-th and (k + 1)-th passes the cuts. Pieces of zero width are left out. Where the
    edges are not in that order (``unordered[v]``) the node gets no pieces: the caller sorts
    and tests it afresh. Pieces come ordered by node, then by cosine.
    """
    n_v = e_cm.size
    lo = np.empty(order.shape[2])
    hi = np.empty(order.shape[2])
    counts = np.empty(n_v, dtype=np.int64)
    for v in range(n_v):
        counts[v] = _node_pieces(fixed, moving, v, e_cm[v], point[v], bounds, order, accept,
                                 lo, hi)  # fmt: skip
    total = 0
    for v in range(n_v):
        total += max(counts[v], 0)
    node = np.empty(total, dtype=np.int64)
    cos_lo = np.empty(total)
    cos_hi = np.empty(total)
    j = 0
    for v in range(n_v):
        if counts[v] <= 0:
            continue
        n = _node_pieces(fixed, moving, v, e_cm[v], point[v], bounds, order, accept, lo, hi)
        for i in range(n):
            node[j] = v
            cos_lo[j] = lo[i]
            cos_hi[j] = hi[i]
            j += 1
    return node, cos_lo, cos_hi, counts < 0


@numba.njit(cache=True, nogil=True)
def segment_moments(
    fixed: FloatArray,
    moving: FloatArray,
    e_cm: FloatArray,
    point: IntArray,
    bounds: FloatArray,
    order: IntArray,
    accept: BoolArray,
) -> tuple[FloatArray, BoolArray]:  # pragma: no cover - compiled
    """(moments, unordered): sum over the accepted pieces [u, v] of :func:`segment_pieces` of
    (v - u, (v^2 - u^2) / 2, (v^3 - u^3) / 3), (V, 3), the integrals of 1, x and x^2 over
    the accepted photon CM cosines x; a node flagged ``unordered`` gets zeros (the caller
    sorts and tests it afresh)."""
    n_v = e_cm.size
    lo = np.empty(order.shape[2])
    hi = np.empty(order.shape[2])
    moments = np.zeros((n_v, 3))
    unordered = np.zeros(n_v, dtype=np.bool_)
    for v in range(n_v):
        n = _node_pieces(fixed, moving, v, e_cm[v], point[v], bounds, order, accept, lo, hi)
        unordered[v] = n < 0
        m0 = 0.0
        m1 = 0.0
        m2 = 0.0
        for i in range(n):
            u, x = lo[i], hi[i]
            m0 += x - u
            m1 += 0.5 * (x * x - u * u)
            m2 += (x * x * x - u * u * u) / 3.0
        moments[v, 0] = m0
        moments[v, 1] = m1
        moments[v, 2] = m2
    return moments, unordered


@numba.njit(cache=True, nogil=True)
def fold_pieces(
    v: IntArray, cos_lo: FloatArray, cos_hi: FloatArray, n_v: int, tol: float
) -> tuple[BoolArray, IntArray, FloatArray, FloatArray]:  # pragma: no cover - compiled
    """(fold (n_v,), node, cos_lo, cos_hi) of :func:`nudipole.production.ee_rules._folded`:
    pieces ordered by node ``v``; a node folds where it has pieces and piece j of its n is the
    mirror [-cos_hi, -cos_lo] of piece n - 1 - j (|cos_lo_j + cos_hi_(n-1-j)| <= ``tol``);
    a folded node keeps the parts of its pieces with cos >= 0, the others all their pieces."""
    n = v.size
    fold = np.zeros(n_v, dtype=np.bool_)
    node = np.empty(n, dtype=np.int64)
    lo = np.empty(n)
    hi = np.empty(n)
    out = 0
    start = 0
    while start < n:
        stop = start
        while stop < n and v[stop] == v[start]:
            stop += 1
        mirrored = True
        for i in range(start, stop):
            if abs(cos_lo[i] + cos_hi[start + stop - 1 - i]) > tol:
                mirrored = False
                break
        fold[v[start]] = mirrored
        for i in range(start, stop):
            if mirrored and not cos_hi[i] > 0.0:
                continue
            node[out] = v[i]
            lo[out] = max(cos_lo[i], 0.0) if mirrored else cos_lo[i]
            hi[out] = cos_hi[i]
            out += 1
        start = stop
    return fold, node[:out], lo[:out], hi[:out]
