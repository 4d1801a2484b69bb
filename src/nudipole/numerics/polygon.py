"""Which points lie inside a polygon: matplotlib's answer, without matplotlib.

The existing limits (:mod:`nudipole.limits.catalogue`) and the names placed inside regions
(:mod:`nudipole.plotting.region_labels`) test points against closed polygons in (log10 m,
log10 d). matplotlib's ``Path.contains_points`` does it by the crossings test of E. Haines
(Graphics Gems IV, 1994, as in matplotlib's ``src/_path.h``): a ray is cast from the point
(tx, ty) along +x, and edge A -> B of the polygon counts when

    (A.y >= ty) != (B.y >= ty)   and
    ((B.y - ty)(A.x - B.x) >= (B.x - tx)(A.y - B.y)) == (B.y >= ty);

the point is inside for an odd count. It evaluates this for every edge at every point. The
functions here give the same answer, point for point (the same floating-point operations for
every pair that counts, so points on an edge go the same way; compared with matplotlib in
``tests/numerics/test_polygon.py``), evaluating it only for the pairs whose first condition
holds: a ray crosses a few edges of a polygon, not all of them.

``ring`` is the polygon's vertices, (n, 2), finite, its last edge returning to the first
vertex; ``closed_ring`` turns the vertices of a closed matplotlib path (whose last vertex
only closes it) into it. Points with a coordinate that is not finite are outside, as in
matplotlib; so is every point of a ring with fewer than two vertices.
"""

from __future__ import annotations

import bisect
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from nudipole.physics._types import FloatArray

BoolArray = NDArray[np.bool_]

#: Pairs (point, edge) evaluated at once by :func:`points_inside` (bounds its memory).
_PAIRS_PER_PASS = 1 << 21
#: Up to this many pairs (points x edges), :func:`points_inside` evaluates every pair: fewer
#: array passes than finding the pairs that count (a single point against a limit's outline
#: in 10 us instead of 50 us).
_DENSE_PAIRS = 1 << 14


def closed_ring(vertices: FloatArray) -> FloatArray:
    """The ring tested by matplotlib for ``Path(vertices, closed=True)``: the vertices but the
    last, which that path's closing code ignores (a closed outline repeats its first vertex
    there)."""
    ring = np.asarray(vertices, dtype=float)
    if ring.ndim != 2 or ring.shape[1] != 2:
        raise ValueError(f"vertices have shape {ring.shape}; give an (n, 2) array")
    if not np.isfinite(ring).all():
        raise ValueError("the polygon's vertices must be finite")
    return ring[:-1]


def _edges(ring: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(A.x, A.y, B.x, B.y) of every edge A -> B of ``ring``, the last back to the first."""
    ax, ay = ring[:, 0], ring[:, 1]
    return ax, ay, np.roll(ax, -1), np.roll(ay, -1)


def grid_inside(ring: FloatArray, tx: FloatArray, ty: FloatArray) -> BoolArray:
    """Inside-test of the grid of points (tx[column], ty[row]) (finite): a bool array (rows,
    columns). The first condition depends on the row only: the edges that each row's ray
    crosses are found once, and the second is evaluated for them on the row's columns."""
    out = np.zeros((ty.size, tx.size), dtype=bool)
    if ring.shape[0] < 2 or out.size == 0:
        return out
    ax, ay, bx, by = _edges(ring)
    above_a = ay[None, :] >= ty[:, None]  # (rows, edges)
    above_b = by[None, :] >= ty[:, None]
    rows, edges = np.nonzero(above_a != above_b)  # row-major: grouped by row
    if rows.size == 0:
        return out
    lhs = (by[edges] - ty[rows]) * (ax[edges] - bx[edges])
    rhs = (bx[edges][:, None] - tx[None, :]) * (ay[edges] - by[edges])[:, None]
    counts = ((lhs[:, None] >= rhs) == above_b[rows, edges][:, None]).astype(np.int32)
    first = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    out[rows[first]] = (np.add.reduceat(counts, first, axis=0) & 1).astype(bool)
    return out


def points_inside(ring: FloatArray, x: FloatArray, y: FloatArray) -> BoolArray:
    """Inside-test of the points (x[i], y[i]) (1-D arrays of one length): the points sorted by
    y once, the points whose ray crosses each edge (y in its half-open y range) are a run of
    them, and only those pairs are evaluated."""
    n = x.size
    out = np.zeros(n, dtype=bool)
    if ring.shape[0] < 2 or n == 0:
        return out
    ax, ay, bx, by = _edges(ring)
    if n * ax.size <= _DENSE_PAIRS:  # few points: every pair at once, in a few array passes
        with np.errstate(invalid="ignore"):  # a coordinate that is not finite: outside
            py = y[:, None]
            crosses = (ay >= py) != (by >= py)
            hit = ((by - py) * (ax - bx) >= (bx - x[:, None]) * (ay - by)) == (by >= py)
        count = np.count_nonzero(crosses & hit, axis=1)
        inside: BoolArray = ((count & 1) == 1) & np.isfinite(x) & np.isfinite(y)
        return inside
    ok = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    order = ok[np.argsort(y[ok], kind="stable")]
    ys = y[order]
    # (A.y >= ty) != (B.y >= ty) holds for ty in (min(A.y, B.y), max(A.y, B.y)]
    start = np.searchsorted(ys, np.minimum(ay, by), side="right")
    stop = np.searchsorted(ys, np.maximum(ay, by), side="right")
    counts = np.zeros(n, dtype=np.int64)
    # edges a few at a time, so that their pairs stay within _PAIRS_PER_PASS
    sizes = stop - start
    e0 = 0
    while e0 < sizes.size:
        e1 = e0 + 1
        total = int(sizes[e0])
        while e1 < sizes.size and total + int(sizes[e1]) <= _PAIRS_PER_PASS:
            total += int(sizes[e1])
            e1 += 1
        size = sizes[e0:e1]
        edge = np.repeat(np.arange(e0, e1), size)
        offset = np.arange(edge.size) - np.repeat(np.cumsum(size) - size, size)
        pt = order[start[edge] + offset]
        px, py = x[pt], y[pt]
        hit = (
            (by[edge] - py) * (ax[edge] - bx[edge]) >= (bx[edge] - px) * (ay[edge] - by[edge])
        ) == (by[edge] >= py)
        counts += np.bincount(pt[hit], minlength=n)
        e0 = e1
    out[:] = (counts & 1).astype(bool)
    return out


def grid_axes(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray] | None:
    """(column x values, row y values) when the points (x, y), 2-D arrays of one shape, are a
    grid of finite values (x the same down every column, y the same along every row), else
    None."""
    if x.ndim != 2 or x.shape != y.shape or x.size == 0:
        return None
    tx, ty = x[0], y[:, 0]
    if not (np.isfinite(tx).all() and np.isfinite(ty).all()):
        return None
    if not (
        np.array_equal(x, np.broadcast_to(tx, x.shape))
        and np.array_equal(y, np.broadcast_to(ty[:, None], y.shape))
    ):
        return None
    return tx, ty


def inside(ring: FloatArray, x: FloatArray, y: FloatArray) -> BoolArray:
    """Inside-test of the points (x, y) (arrays of one shape): :func:`grid_inside` where they
    form a grid, else :func:`points_inside`; a bool array of their shape."""
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    if xa.shape != ya.shape:
        raise ValueError(f"x and y have shapes {xa.shape} and {ya.shape}; give one shape")
    grid = grid_axes(xa, ya)
    if grid is not None:
        return grid_inside(ring, *grid)
    return points_inside(ring, xa.ravel(), ya.ravel()).reshape(xa.shape)


#: Up to this many points, :meth:`Polygon.contains` tests them one by one in Python floats
#: on the few edges that their ray can cross (found in :attr:`Polygon.slabs`).
_FEW_POINTS = 4


class Polygon:
    """A ring (see the module docstring) with the inside-test of :func:`inside`, and for one
    point or a few a faster one: the edges that a ray at height ty can cross are those of the
    slab between two consecutive vertex heights that holds ty, listed once per polygon
    (a point against a limit's outline in about 2 us, where matplotlib takes 5 us and the
    array passes 20 us; the new-ground edges of the e+e- curves test single points)."""

    def __init__(self, ring: FloatArray) -> None:
        self.ring = np.asarray(ring, dtype=float)

    @cached_property
    def slabs(self) -> tuple[list[float], list[list[tuple[float, float, float, float]]]]:
        """(the vertices' distinct heights u_k ascending, per slab (u_(k-1), u_k] the edges
        (A.x, A.y, B.x, B.y) that cross it). An edge crosses the ray at ty when
        min(A.y, B.y) < ty <= max(A.y, B.y); for ty in the slab that holds exactly the edges
        with min <= u_(k-1) and max >= u_k, as both ends are vertex heights."""
        if self.ring.shape[0] < 2:
            return [], []
        ax, ay, bx, by = _edges(self.ring)
        heights = np.unique(self.ring[:, 1])
        low, high = np.minimum(ay, by), np.maximum(ay, by)
        edges = list(zip(ax.tolist(), ay.tolist(), bx.tolist(), by.tolist(), strict=True))
        per_slab = [
            [edges[e] for e in np.flatnonzero((low <= heights[k - 1]) & (high >= heights[k]))]
            for k in range(1, heights.size)
        ]
        return heights.tolist(), per_slab

    def contains(self, x: FloatArray, y: FloatArray) -> BoolArray:
        """Inside-test of the points (x, y) (arrays of one shape), as :func:`inside`."""
        xa = np.asarray(x, dtype=float)
        ya = np.asarray(y, dtype=float)
        if xa.shape != ya.shape:
            raise ValueError(f"x and y have shapes {xa.shape} and {ya.shape}; give one shape")
        if xa.size > _FEW_POINTS:
            return inside(self.ring, xa, ya)
        heights, per_slab = self.slabs
        out = np.zeros(xa.shape, dtype=bool)
        flat = out.reshape(-1)
        for i, (tx, ty) in enumerate(zip(xa.ravel().tolist(), ya.ravel().tolist(), strict=True)):
            k = bisect.bisect_left(heights, ty)  # the slab (u_(k-1), u_k] that holds ty
            if not (0 < k < len(heights)) or tx != tx or abs(tx) == float("inf"):
                continue  # beyond every edge's heights, or not finite: outside
            odd = False
            for ax, ay, bx, by in per_slab[k - 1]:
                if ((by - ty) * (ax - bx) >= (bx - tx) * (ay - by)) == (by >= ty):
                    odd = not odd
            flat[i] = odd
        return out
