"""The grid of cells over an axes on which names are placed (:mod:`nudipole.plotting.
region_labels`, :mod:`nudipole.plotting.point_labels`): each cell's centre in data
coordinates, the cells covered by drawn lines, texts and the legend, the windows of free
cells a text box fits in, and the cells a text box covers."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path
from numpy.typing import NDArray
from scipy import ndimage

from nudipole.physics._types import FloatArray

BoolArray = NDArray[np.bool_]
#: Cells of the placement grid across and up one axes.
GRID: tuple[int, int] = (240, 160)
#: Font sizes tried, largest first (points).
FONT_SIZES: tuple[float, ...] = (7.0, 6.0, 5.0)
#: Free space kept around a name, in units of its font size.
PAD = 0.25
#: Cells next to a drawn line that a name keeps clear of.
LINE_CLEARANCE = 1


@dataclass
class LabelGrid:
    """The placement grid of one axes: cell centres in data coordinates and cell size."""

    nx: int
    ny: int
    mass: FloatArray
    d: FloatArray
    cell_w: float  # pixels
    cell_h: float
    dpi: float

    def to_axes(self, row: float, col: float) -> tuple[float, float]:
        return (col + 0.5) / self.nx, (row + 0.5) / self.ny


def label_grid(ax: Axes, shape: tuple[int, int]) -> LabelGrid:
    nx, ny = shape
    fx = (np.arange(nx) + 0.5) / nx
    fy = (np.arange(ny) + 0.5) / ny
    gx, gy = np.meshgrid(fx, fy)
    to_data = ax.transAxes + ax.transData.inverted()
    data = to_data.transform(np.column_stack([gx.ravel(), gy.ravel()]))
    bbox = ax.get_window_extent()
    return LabelGrid(
        nx=nx,
        ny=ny,
        mass=data[:, 0].reshape(ny, nx),
        d=data[:, 1].reshape(ny, nx),
        cell_w=bbox.width / nx,
        cell_h=bbox.height / ny,
        dpi=float(ax.figure.dpi) if ax.figure is not None else 100.0,
    )


def mark_polyline(mask: BoolArray, xy: FloatArray) -> None:
    """Mark the cells that a polyline in axes fraction passes through."""
    ny, nx = mask.shape
    ok = np.all(np.isfinite(xy), axis=1)
    # Break the polyline where it has gaps (NaN) and densify each segment: all segments in
    # one pass, each on max(steps, 1) + 1 points k / steps (as np.linspace(0, 1) spaces them)
    seg = np.flatnonzero(ok[:-1] & ok[1:])
    if seg.size:
        start, end = xy[seg], xy[seg + 1]
        delta = end - start
        steps = np.ceil(2.0 * np.maximum(np.abs(delta[:, 0]) * nx, np.abs(delta[:, 1]) * ny))
        steps = np.maximum(steps.astype(np.int64), 1)
        owner = np.repeat(np.arange(seg.size), steps + 1)
        first = np.cumsum(steps + 1) - (steps + 1)
        k = np.arange(owner.size) - first[owner]
        t = k * (1.0 / steps[owner])
        t[first + steps] = 1.0
        mark_points(mask, start[owner] + delta[owner] * t[:, None])
    if ok.sum() == 1:
        mark_points(mask, xy[ok])


def mark_points(mask: BoolArray, pts: FloatArray) -> None:
    ny, nx = mask.shape
    col = np.floor(pts[:, 0] * nx).astype(int)
    row = np.floor(pts[:, 1] * ny).astype(int)
    keep = (col >= 0) & (col < nx) & (row >= 0) & (row < ny)
    mask[row[keep], col[keep]] = True


def mark_box(mask: BoolArray, x0: float, y0: float, x1: float, y1: float) -> None:
    """Mark the cells of an axes-fraction box."""
    ny, nx = mask.shape
    c0, c1 = max(math.floor(x0 * nx), 0), min(math.ceil(x1 * nx), nx)
    r0, r1 = max(math.floor(y0 * ny), 0), min(math.ceil(y1 * ny), ny)
    if c0 < c1 and r0 < r1:
        mask[r0:r1, c0:c1] = True


def obstacles(ax: Axes, shape: tuple[int, int]) -> BoolArray:
    """Cells covered by the drawn lines, texts and an in-axes legend."""
    nx, ny = shape
    mask = np.zeros((ny, nx), dtype=bool)
    to_axes = ax.transAxes.inverted()
    for line in ax.get_lines():
        if not line.get_visible():
            continue
        xy = np.asarray(line.get_xydata(), dtype=float)
        if xy.size == 0:
            continue
        finite = np.all(np.isfinite(xy), axis=1)
        disp = np.full_like(xy, np.nan)
        if finite.any():
            disp[finite] = line.get_transform().transform(xy[finite])
        mark_polyline(mask, to_axes.transform(disp))
    if LINE_CLEARANCE > 0:
        mask = np.asarray(ndimage.binary_dilation(mask, iterations=LINE_CLEARANCE), dtype=bool)
    boxes = [t.get_window_extent() for t in ax.texts if t.get_visible() and t.get_text()]
    legend = ax.get_legend()
    if legend is not None and legend.get_visible():
        boxes.append(legend.get_window_extent())
    for box in boxes:
        (x0, y0), (x1, y1) = to_axes.transform([[box.x0, box.y0], [box.x1, box.y1]])
        mark_box(mask, x0, y0, x1, y1)
    return mask


def blocked_cells(ax: Axes, shape: tuple[int, int]) -> BoolArray:
    """Cells a name may not cover: the :func:`obstacles` and the outermost cells, which keep
    names off the frame."""
    mask = obstacles(ax, shape)
    mask[:1, :] = mask[-1:, :] = True
    mask[:, :1] = mask[:, -1:] = True
    return mask


def window_fits(allowed: BoolArray, kh: int, kw: int) -> BoolArray:
    """For every lower-left cell, True if the kh x kw window from it is all ``allowed``."""
    ny, nx = allowed.shape
    if kh > ny or kw > nx:
        return np.zeros((0, 0), dtype=bool)
    sat = np.zeros((ny + 1, nx + 1), dtype=np.int64)
    sat[1:, 1:] = np.cumsum(np.cumsum(allowed, axis=0), axis=1)
    total = sat[kh:, kw:] - sat[:-kh, kw:] - sat[kh:, :-kw] + sat[:-kh, :-kw]
    return np.asarray(total == kh * kw, dtype=bool)


def text_cells(text: str, size: float, rotated: bool, grid: LabelGrid) -> tuple[int, int]:
    """(rows, columns) of cells that a text box with its padding covers."""
    ismath = "$" in text
    width, height, descent = text_to_path.get_text_width_height_descent(
        text, FontProperties(size=size), ismath=ismath
    )
    pad = 2.0 * PAD * size
    w_px = (width + pad) * grid.dpi / 72.0
    h_px = (height + descent + pad) * grid.dpi / 72.0
    if rotated:
        w_px, h_px = h_px, w_px
    return math.ceil(h_px / grid.cell_h), math.ceil(w_px / grid.cell_w)
