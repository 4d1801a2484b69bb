"""A far detector tabulated along polar angles: the exact ray segments [l_in, l_out] and the
azimuthal weights of :func:`nudipole.detectors.azimuthal.azimuthal_nodes` at equally spaced
polar angles across its polar window, computed once per detector (mass independent) and read
by the meson and W/Z sources (:mod:`nudipole.production.meson_source`) and the compiled count
(:mod:`nudipole.reach.far_rays`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from nudipole._parallel import once_per_key
from nudipole.constants import HBARC_GEV_M
from nudipole.detectors import Shape, azimuthal_nodes
from nudipole.physics._types import FloatArray

#: Polar angles per source cell at which the detector geometry is tabulated (equally spaced
#: across the polar window, at most GRID_MAX in all; each cell uses the nearest one, at most
#: window / (2 x 64 n_theta_cells) away: 1e-5 rad for MAPP-2, changing the band edges by
#: less than 2e-5).
GRID_PER_CELL = 64
GRID_MAX = 1 << 16


def detector_grid_size(n_theta_cells: int) -> int:
    """Polar angles at which the detector geometry is tabulated (:func:`detector_grid`)."""
    return min(GRID_PER_CELL * n_theta_cells, GRID_MAX)


def _segment(
    shape: Shape, theta: FloatArray, n_azimuth: int
) -> tuple[np.ndarray, FloatArray, FloatArray, FloatArray]:
    """(ray index, l_in [m], l_out [m], azimuthal weight) of the detector along polar angles."""
    phi_nodes = azimuthal_nodes(shape, theta, n_azimuth)
    _, w, l_in, l_out = phi_nodes
    idx = np.broadcast_to(np.arange(theta.size)[:, None], w.shape)
    hit = (w > 0.0) & (l_out > l_in)
    return idx[hit], l_in[hit], l_out[hit], w[hit]


@dataclass(frozen=True)
class DetectorGrid:
    """A detector seen from the interaction point along ``n_grid`` polar angles equally
    spaced across its polar window (bin centres theta_lo + (g + 1/2) step), from the exact
    segments and azimuthal quadrature of :func:`nudipole.detectors.azimuthal.azimuthal_nodes`.

    Hits (rays that cross the volume) of grid angle g are the entries start[g] ..
    start[g] + count[g] - 1 of the per-hit arrays: ``w_azimuth`` (fraction of the azimuth),
    ``l_in``/``l_out`` (GeV^-1), their logarithms (-inf where l_in = 0), and
    ``w_l_in``/``w_l_out`` = w_azimuth x l. ``fraction[g]`` is the azimuthal fraction that
    hits (sum of w_azimuth); ``origin_inside`` is whether some l_in is 0.
    """

    theta_lo: float
    step: float
    start: npt.NDArray[np.intp]
    count: npt.NDArray[np.intp]
    fraction: FloatArray
    w_azimuth: FloatArray
    l_in: FloatArray
    l_out: FloatArray
    log_l_in: FloatArray
    log_l_out: FloatArray
    w_l_in: FloatArray
    w_l_out: FloatArray
    origin_inside: bool


@once_per_key
@lru_cache(maxsize=32)
def detector_grid(
    shape: Shape, window: tuple[float, float], n_grid: int, n_azimuth: int
) -> DetectorGrid:
    """:class:`DetectorGrid` of ``shape`` at ``n_grid`` polar angles across ``window``, with
    ``n_azimuth`` nodes per smooth azimuthal piece (mass independent, cached)."""
    th_lo, th_hi = window
    step = (th_hi - th_lo) / n_grid
    theta = np.asarray(th_lo + (np.arange(n_grid) + 0.5) * step, dtype=np.float64)
    chunk = 4096
    parts = [_segment(shape, theta[i : i + chunk], n_azimuth) for i in range(0, n_grid, chunk)]
    idx = np.concatenate([p[0] + i for p, i in zip(parts, range(0, n_grid, chunk), strict=True)])
    l_in = np.concatenate([p[1] for p in parts]) / HBARC_GEV_M
    l_out = np.concatenate([p[2] for p in parts]) / HBARC_GEV_M
    w_az = np.concatenate([p[3] for p in parts])
    count = np.bincount(idx, minlength=n_grid)
    with np.errstate(divide="ignore"):
        log_l_in = np.log(l_in)
        log_l_out = np.log(l_out)
    out = DetectorGrid(
        theta_lo=th_lo,
        step=step,
        start=np.cumsum(count) - count,
        count=count,
        fraction=np.asarray(np.bincount(idx, weights=w_az, minlength=n_grid), dtype=float),
        w_azimuth=w_az,
        l_in=l_in,
        l_out=l_out,
        log_l_in=log_l_in,
        log_l_out=log_l_out,
        w_l_in=w_az * l_in,
        w_l_out=w_az * l_out,
        origin_inside=bool(np.any(l_in <= 0.0)),
    )
    for name in (
        "start",
        "count",
        "fraction",
        "w_azimuth",
        "l_in",
        "l_out",
        "log_l_in",
        "log_l_out",
        "w_l_in",
        "w_l_out",
    ):
        getattr(out, name).setflags(write=False)
    return out
