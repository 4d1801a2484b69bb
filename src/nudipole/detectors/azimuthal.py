"""Azimuthal quadrature: nodes in phi for the average of f(l_in, l_out) over the azimuth at
fixed polar angles.

Axisymmetric shapes need one node per theta; a :class:`~nudipole.detectors.box.Box` is split at
the azimuths where the ray crosses one of its edges into pieces on which l_in and l_out are
analytic, each integrated with Gauss-Legendre nodes (derivation: :func:`azimuthal_nodes`, Notes).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from nudipole.detectors.base import _check_theta, _slab
from nudipole.detectors.box import Box
from nudipole.detectors.shapes import Shape
from nudipole.detectors.vertical_cylinder import VerticalCylinder
from nudipole.physics._types import ArrayLike, FloatArray

_TWO_PI = 2.0 * math.pi


class AzimuthalNodes(NamedTuple):
    """Azimuthal quadrature at fixed polar angles; all arrays (n_theta, n_nodes).

    ``weight`` are fractions of 2 pi: sum_j weight[i, j] is the fraction of the azimuth whose
    rays hit at theta[i], and sum_j weight[i, j] f(l_in[i, j], l_out[i, j]) is
    (1/2 pi) * integral dphi f(l_in(theta_i, phi), l_out(theta_i, phi)) for f vanishing on
    misses. Unused (padding) nodes have phi = weight = l_in = l_out = 0. ``phi`` in [-pi, pi),
    ``l_in``/``l_out`` in metres.
    """

    phi: FloatArray
    weight: FloatArray
    l_in: FloatArray
    l_out: FloatArray


def azimuthal_nodes(shape: Shape, theta: ArrayLike, n: int) -> AzimuthalNodes:
    """Quadrature nodes in phi for the azimuthal average of f(l_in, l_out) at each theta.

    Parameters
    ----------
    shape
        The detector volume (lengths in metres).
    theta
        1-D array of polar angles in radians, in [0, pi].
    n
        Gauss-Legendre nodes per smooth piece of the azimuth (ignored by axisymmetric shapes).

    Returns
    -------
    AzimuthalNodes
        Arrays of shape (n_theta, 1) for azimuthally symmetric shapes (one node at phi = 0,
        weight 1 on a hit and 0 otherwise) and (n_theta, K n) for a :class:`Box`, where K is the
        largest number of smooth hit pieces at any of the given theta (unused slots padded
        with zero weight).

    Notes
    -----
    Box (derived). At fixed theta the entry and exit faces, and whether the ray hits, can only
    change at an azimuth where the ray passes through one of the 12 edges. The edge points
    with polar angle theta are found in closed form: on an edge parallel to z through the
    corner (x_a, y_a) at z = rho_a cot(theta) (azimuth atan2(y_a, x_a), if that z is on the
    edge); on an edge parallel to x at (y_a, z_a) where x^2 + y_a^2 = (z_a tan theta)^2 with
    z_a tan(theta) > 0 (two points, x = +-sqrt(...), if on the edge), and likewise for edges
    parallel to y. Between consecutive break points the ray either misses throughout or hits
    with fixed entry and exit faces (tested at the midpoint), so l_in and l_out are analytic
    there, l = plane offset / (u . normal), and an n-point Gauss-Legendre rule on each hit piece
    is accurate to high order: with n = 16 the phi average of exp(-l_in/lambda) -
    exp(-l_out/lambda) for MAPP-2 agrees with a fine phi scan to better than 1e-6 (tests).
    It converges more slowly only if a face plane passes very close to the interaction point
    (relative to the box size) and that face is met at nearly grazing azimuths, which puts a
    pole of offset / (u . normal) just outside a piece: a box touching the IP; raise n there.
    """
    t = np.asarray(theta, dtype=float)
    if t.ndim != 1:
        raise ValueError(f"theta has shape {t.shape}; pass a 1-D array of polar angles")
    _check_theta(t)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n = {n!r} must be a positive integer (nodes per azimuthal piece)")
    if isinstance(shape, Box):
        # subnormal or extreme angles may overflow intermediates (e.g. r^2); results are masked
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            return _box_nodes(shape, t, int(n))
    if isinstance(shape, VerticalCylinder):  # its own quadrature (pieces in phi)
        return shape.azimuthal_nodes(t, int(n))
    l_in, l_out = shape.segment(t, 0.0)
    weight = (l_out > l_in).astype(float)
    return AzimuthalNodes(np.zeros((t.size, 1)), weight[:, None], l_in[:, None], l_out[:, None])


def _edge_azimuths(box: Box, s: FloatArray, c: FloatArray) -> FloatArray:
    """Sorted azimuths (n_theta, n_cand) at which the rays of polar angle theta cross a box
    edge, NaN-padded at the end of each row. Formulas in :func:`azimuthal_nodes` (Notes).
    Rays along the axis or in the plane z = 0 give inf/NaN intermediates, masked out."""
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        return _edge_azimuths_impl(box, s, c)


def _edge_azimuths_impl(box: Box, s: FloatArray, c: FloatArray) -> FloatArray:
    n_theta = s.size
    fixed_cols: list[tuple[npt.NDArray[np.intp], float]] = []
    # crossing points (rows, y, x) on the edges parallel to x or y
    pts: list[tuple[npt.NDArray[np.intp], FloatArray, FloatArray]] = []
    cot = c / s
    tan = s / c
    # edges parallel to z through the corners (x_a, y_a): z = rho_a cot(theta) on the edge
    for xa in (box.x_min, box.x_max):
        for ya in (box.y_min, box.y_max):
            rho = math.hypot(xa, ya)
            if rho == 0.0:
                continue
            idx = np.flatnonzero((cot >= box.z_min / rho) & (cot <= box.z_max / rho))
            if idx.size:
                fixed_cols.append((idx, math.atan2(ya, xa)))
    # edges parallel to x at (y_a, z_a) and to y at (x_a, z_a): the points at distance
    # r = z_a tan(theta) > 0 from the axis, free coordinate +-sqrt(r^2 - fixed^2) on the edge
    for z_a in (box.z_min, box.z_max):
        r = z_a * tan
        for fixed_lo, fixed_hi, free_lo, free_hi, free_is_x in (
            (box.y_min, box.y_max, box.x_min, box.x_max, True),
            (box.x_min, box.x_max, box.y_min, box.y_max, False),
        ):
            for fixed in (fixed_lo, fixed_hi):
                # sign +1 needs sqrt(r^2 - fixed^2) in [max(free_lo, 0), free_hi], sign -1 in
                # [max(-free_hi, 0), -free_lo]; as bounds on r (no squares of r: they underflow)
                for sign, near, far in ((1.0, free_lo, free_hi), (-1.0, -free_hi, -free_lo)):
                    if far < 0.0:
                        continue
                    r_lo = math.hypot(max(near, 0.0), fixed)
                    r_hi = math.hypot(far, fixed)
                    idx = np.flatnonzero((r > 0.0) & (r >= r_lo) & (r <= r_hi))
                    if not idx.size:
                        continue
                    rr = r[idx]
                    q = fixed / rr  # in [-1, 1] on these rows
                    free = sign * rr * np.sqrt(np.maximum((1.0 - q) * (1.0 + q), 0.0))
                    other = np.full(idx.size, fixed)
                    pts.append((idx, other, free) if free_is_x else (idx, free, other))
    n_col = len(fixed_cols) + len(pts)
    cand = np.full((n_theta, max(n_col, 1)), np.nan)
    for j, (idx, azimuth) in enumerate(fixed_cols):
        cand[idx, j] = azimuth
    if pts:
        angles = np.arctan2(
            np.concatenate([p[1] for p in pts]), np.concatenate([p[2] for p in pts])
        )
        at = 0
        for j, (idx, _, _) in enumerate(pts, start=len(fixed_cols)):
            cand[idx, j] = angles[at : at + idx.size]
            at += idx.size
    cand.sort(axis=1)  # NaN last
    return cand


class _Pieces(NamedTuple):
    """Smooth hit pieces of the azimuth (see :func:`_box_pieces`), one entry per piece."""

    row: npt.NDArray[np.intp]
    mid: FloatArray
    half: FloatArray
    coef_in: tuple[FloatArray, FloatArray, FloatArray, FloatArray]
    coef_out: tuple[FloatArray, FloatArray, FloatArray, FloatArray]


# face codes: 0, 1, 2 = planes x, y, z = const; 3 = the origin (ray starts inside, l_in = 0)
_IS_X = np.array([1.0, 0.0, 0.0, 0.0])
_IS_Y = np.array([0.0, 1.0, 0.0, 0.0])
_IS_Z = np.array([0.0, 0.0, 1.0, 0.0])
_IS_ORIGIN = np.array([0.0, 0.0, 0.0, 1.0])


def _box_pieces(box: Box, theta: FloatArray) -> _Pieces:
    """Smooth hit pieces of the azimuth for each theta (derived, see :func:`azimuthal_nodes`).

    For each piece: the theta index ``row``, its midpoint and half-width in phi, and for the
    entry and the exit the coefficients (off, P, Q, C) with l = off / (P cos d + Q sin d + C)
    at phi = mid + d (u . normal of the face: s cos phi, s sin phi, cos theta, or 1 with
    off = 0 for a ray starting inside). Pieces are ordered by row, then by phi.
    """
    s_all = np.sin(theta)
    c_all = np.cos(theta)
    cand = _edge_azimuths(box, s_all, c_all)
    k = np.count_nonzero(cand == cand, axis=1)
    none = k == 0  # no break point: one piece, the full circle
    cand[none, 0] = -math.pi
    k[none] = 1
    # piece i of a row runs from cand[i] to cand[i + 1]; the last one wraps to cand[0] + 2 pi
    lo = cand[np.arange(cand.shape[1])[None, :] < k[:, None]]  # row by row
    ends = np.cumsum(k)
    hi = np.empty_like(lo)
    hi[:-1] = lo[1:]
    hi[ends - 1] = lo[ends - k] + _TWO_PI
    row = np.repeat(np.arange(theta.size), k)
    mid = 0.5 * (lo + hi)
    half = 0.5 * (hi - lo)
    s = s_all[row]
    c = c_all[row]
    cm = np.cos(mid)
    sm = np.sin(mid)

    # classify each piece at its midpoint: the entry is the largest of the slab entries and
    # t = 0 (face 3), the exit the smallest slab exit; a NaN bound (ray in a face plane)
    # propagates through maximum/minimum and makes the piece a miss, as in segment()
    n_mid = mid.size
    dx = s * cm
    dy = s * sm
    best_in = np.zeros(n_mid)
    best_out = np.full(n_mid, np.inf)
    face_in = np.full(n_mid, 3, dtype=np.intp)
    face_out = np.zeros(n_mid, dtype=np.intp)
    for face, (lo_b, hi_b, d) in enumerate(
        ((box.x_min, box.x_max, dx), (box.y_min, box.y_max, dy), (box.z_min, box.z_max, c))
    ):
        t_a, t_b = _slab(lo_b, hi_b, d)
        face_in[t_a > best_in] = face
        face_out[t_b < best_out] = face
        np.maximum(best_in, t_a, out=best_in)
        np.minimum(best_out, t_b, out=best_out)
    hit = np.flatnonzero((best_out > best_in) & (half > 0.0))

    face_in = face_in[hit]
    face_out = face_out[hit]
    s, c, cm, sm = s[hit], c[hit], cm[hit], sm[hit]
    dx, dy = dx[hit], dy[hit]
    lows = np.array([box.x_min, box.y_min, box.z_min, 0.0])
    highs = np.array([box.x_max, box.y_max, box.z_max, 0.0])
    coef = []
    for faces, forward_plane, backward_plane in (
        (face_in, lows, highs),
        (face_out, highs, lows),
    ):
        is_x = _IS_X[faces]
        is_y = _IS_Y[faces]
        is_z = _IS_Z[faces]
        # the direction component along the face normal, at the midpoint (its sign picks the
        # near or the far plane of the slab)
        d_face = dx * is_x + dy * is_y + c * is_z
        off = np.where(d_face > 0.0, forward_plane[faces], backward_plane[faces])
        # s cos(m + d) = (s cm) cos d - (s sm) sin d;  s sin(m + d) = (s sm) cos d + (s cm) sin d
        p = s * (cm * is_x + sm * is_y)
        q = s * (cm * is_y - sm * is_x)
        cc = c * is_z + _IS_ORIGIN[faces]
        coef.append((off, p, q, cc))
    return _Pieces(row[hit], mid[hit], half[hit], coef[0], coef[1])


#: Half-widths (rad) up to which cos is taken as sqrt(1 - sin^2) on the nodes (|d| < 1.2
#: keeps cos > 0.36, so the relative error stays below 1e-15).
_SQRT_COS_MAX = 1.2


#: Polar angles handled together in :func:`_box_nodes`: small enough that the work arrays
#: stay in cache (a pure speed setting; results do not depend on it).
_CHUNK = 2048


def _box_nodes(box: Box, theta: FloatArray, n: int) -> AzimuthalNodes:
    n_theta = theta.size
    chunks = [slice(i, min(i + _CHUNK, n_theta)) for i in range(0, max(n_theta, 1), _CHUNK)]
    pieces = [_box_pieces(box, theta[sl]) for sl in chunks]
    n_slots = max([int(np.bincount(p.row).max()) for p in pieces if p.row.size], default=1)
    out = AzimuthalNodes(*(np.empty((n_theta, n_slots * n)) for _ in range(4)))
    # Gauss-Legendre nodes on [-1, 1] (numpy returns them symmetric: x_j = -x_{n-1-j}), so
    # cos d and sin d are needed on the positive half only
    x, w = np.polynomial.legendre.leggauss(n)
    for sl, piece in zip(chunks, pieces, strict=True):
        _fill_box_nodes(piece, sl.stop - sl.start, n_slots, x, w, out, sl)
    return out


def _fill_box_nodes(
    pieces: _Pieces,
    n_rows: int,
    n_slots: int,
    x: FloatArray,
    w: FloatArray,
    out: AzimuthalNodes,
    rows: slice,
) -> None:
    """Write the nodes of ``pieces`` (rows 0..n_rows-1 of a chunk) into ``out[rows]``.

    Computed node-major, arrays (n, n_piece), so that numpy's inner loops run over pieces.
    """
    n = x.size
    row, mid, half = pieces.row, pieces.mid, pieces.half
    n_piece = row.size
    n_half = n // 2
    arg = x[n - n_half :, None] * half[None, :]
    sin_d = np.sin(arg)
    cos_d = np.sqrt(1.0 - sin_d * sin_d)
    wide = np.flatnonzero(half > _SQRT_COS_MAX)
    if wide.size:
        cos_d[:, wide] = np.cos(arg[:, wide])

    # padded layout: slot j of row r holds the j-th hit piece of that row, or the zero row
    counts = np.bincount(row, minlength=n_rows)
    first = np.cumsum(counts) - counts
    gather = np.full(n_rows * n_slots, n_piece)
    gather[row * n_slots + (np.arange(n_piece) - first[row])] = np.arange(n_piece)
    node_major = np.empty((n, n_piece))
    piece_major = np.empty((n_piece + 1, n))
    piece_major[n_piece] = 0.0

    def put(target: FloatArray) -> None:
        piece_major[:n_piece] = node_major.T
        np.take(
            piece_major,
            gather,
            axis=0,
            out=target[rows].reshape(n_rows * n_slots, n),
            mode="clip",
        )

    for (off, p, q, cc), target in ((pieces.coef_in, out.l_in), (pieces.coef_out, out.l_out)):
        even = cos_d * p
        even += cc
        odd = sin_d * q
        np.subtract(even, odd, out=node_major[n_half - 1 :: -1][:n_half])
        np.add(even, odd, out=node_major[n - n_half :])
        if n % 2:
            node_major[n_half] = p + cc
        np.divide(off, node_major, out=node_major)
        put(target)
    np.multiply(x[:, None], half[None, :], out=node_major)
    node_major += mid
    np.subtract(node_major, _TWO_PI, out=node_major, where=node_major >= math.pi)
    put(out.phi)
    np.multiply((0.5 * w)[:, None], (half / math.pi)[None, :], out=node_major)
    put(out.weight)
