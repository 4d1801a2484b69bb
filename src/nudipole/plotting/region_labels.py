"""Names written inside the regions of a plot, as papers do.

Each region (an existing limit, a far-detector band) gets its name inside it, in its own edge
colour. The name is placed on a grid of cells over the axes:

* the text box must lie in cells that all belong to the same set of regions of its group (it
  crosses no region edge), one of which is its own, and it touches no drawn line (curve or band
  outline), no legend and no name placed before;
* among such places the one shared with the fewest other regions wins; a name alone in its
  region sits where it has the most room, a name that has to share sits close to its own edge;
* larger, horizontal text is preferred; if nothing fits, the name goes into the nearest free
  place with a thin leader line to its region; a region not in view gets no name.

The placement is deterministic (a fixed grid; ties go to the lowest cell index). It needs the
final axes positions, so call :func:`place_region_labels` after the figure's layout has been
computed (:func:`nudipole.plotting.layout.settle_layout`); it never selects a backend.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.textpath import text_to_path
from numpy.typing import NDArray
from scipy import ndimage

from nudipole.numerics.polygon import closed_ring, inside
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
#: Preference for a leader-line name placed on empty ground over one placed on another region
#: (pixels of extra distance).
LEADER_PENALTY_PX = 60.0


@dataclass(frozen=True)
class RegionLabel:
    """A name to write inside a region.

    Attributes
    ----------
    key
        Identifier; the text artist gets ``gid = "label:<key>"``.
    text
        The name.
    color
        Text colour (the region's edge colour).
    contains
        ``contains(mass, d)`` -> bool array: True inside the region (data coordinates).
    group
        Regions of one group are told apart from each other (a name never crosses an edge of
        its own group); names of other groups are only kept clear of.
    """

    key: str
    text: str
    color: str
    contains: Callable[[FloatArray, FloatArray], BoolArray]
    group: str = "limits"


def polygon_contains(polygon: FloatArray) -> Callable[[FloatArray, FloatArray], BoolArray]:
    """Inside test of a closed (mass, d) polygon, in log-log coordinates (as matplotlib's
    ``Path.contains_points`` tests it, :mod:`nudipole.numerics.polygon`; the placement grid
    row by row).

    Parameters
    ----------
    polygon
        Vertices, shape (n, 2), positive, the last repeating the first.

    Returns
    -------
    callable
        ``contains(mass, d)`` for arrays of one shape.
    """
    ring = closed_ring(np.log10(np.asarray(polygon, dtype=float)))

    def contains(mass: FloatArray, d: FloatArray) -> BoolArray:
        return inside(ring, np.log10(mass), np.log10(d))

    return contains


def union_contains(
    polygons: Sequence[FloatArray],
) -> Callable[[FloatArray, FloatArray], BoolArray]:
    """Inside test of the union of closed (mass, d) polygons (see :func:`polygon_contains`)."""
    tests = [polygon_contains(p) for p in polygons]

    def contains(mass: FloatArray, d: FloatArray) -> BoolArray:
        out = np.zeros(np.shape(mass), dtype=bool)
        for test in tests:
            out |= test(mass, d)
        return out

    return contains


@dataclass
class _Grid:
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


def _grid(ax: Axes, shape: tuple[int, int]) -> _Grid:
    nx, ny = shape
    fx = (np.arange(nx) + 0.5) / nx
    fy = (np.arange(ny) + 0.5) / ny
    gx, gy = np.meshgrid(fx, fy)
    to_data = ax.transAxes + ax.transData.inverted()
    data = to_data.transform(np.column_stack([gx.ravel(), gy.ravel()]))
    bbox = ax.get_window_extent()
    return _Grid(
        nx=nx,
        ny=ny,
        mass=data[:, 0].reshape(ny, nx),
        d=data[:, 1].reshape(ny, nx),
        cell_w=bbox.width / nx,
        cell_h=bbox.height / ny,
        dpi=float(ax.figure.dpi) if ax.figure is not None else 100.0,
    )


def _mark_polyline(mask: BoolArray, xy: FloatArray) -> None:
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
        _mark_points(mask, start[owner] + delta[owner] * t[:, None])
    if ok.sum() == 1:
        _mark_points(mask, xy[ok])


def _mark_points(mask: BoolArray, pts: FloatArray) -> None:
    ny, nx = mask.shape
    col = np.floor(pts[:, 0] * nx).astype(int)
    row = np.floor(pts[:, 1] * ny).astype(int)
    keep = (col >= 0) & (col < nx) & (row >= 0) & (row < ny)
    mask[row[keep], col[keep]] = True


def _mark_box(mask: BoolArray, x0: float, y0: float, x1: float, y1: float) -> None:
    """Mark the cells of an axes-fraction box."""
    ny, nx = mask.shape
    c0, c1 = max(math.floor(x0 * nx), 0), min(math.ceil(x1 * nx), nx)
    r0, r1 = max(math.floor(y0 * ny), 0), min(math.ceil(y1 * ny), ny)
    if c0 < c1 and r0 < r1:
        mask[r0:r1, c0:c1] = True


def _obstacles(ax: Axes, shape: tuple[int, int]) -> BoolArray:
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
        _mark_polyline(mask, to_axes.transform(disp))
    if LINE_CLEARANCE > 0:
        mask = np.asarray(ndimage.binary_dilation(mask, iterations=LINE_CLEARANCE), dtype=bool)
    boxes = [t.get_window_extent() for t in ax.texts if t.get_visible() and t.get_text()]
    legend = ax.get_legend()
    if legend is not None and legend.get_visible():
        boxes.append(legend.get_window_extent())
    for box in boxes:
        (x0, y0), (x1, y1) = to_axes.transform([[box.x0, box.y0], [box.x1, box.y1]])
        _mark_box(mask, x0, y0, x1, y1)
    return mask


def _window_fits(allowed: BoolArray, kh: int, kw: int) -> BoolArray:
    """For every lower-left cell, True if the kh x kw window from it is all ``allowed``."""
    ny, nx = allowed.shape
    if kh > ny or kw > nx:
        return np.zeros((0, 0), dtype=bool)
    sat = np.zeros((ny + 1, nx + 1), dtype=np.int64)
    sat[1:, 1:] = np.cumsum(np.cumsum(allowed, axis=0), axis=1)
    total = sat[kh:, kw:] - sat[:-kh, kw:] - sat[kh:, :-kw] + sat[:-kh, :-kw]
    return np.asarray(total == kh * kw, dtype=bool)


def _text_cells(text: str, size: float, rotated: bool, grid: _Grid) -> tuple[int, int]:
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


@dataclass(frozen=True)
class _Spot:
    cost: tuple[float, ...]
    row: float  # centre, in cells
    col: float
    size: float
    rotated: bool
    kh: int
    kw: int


def _best_spot(
    own: BoolArray,
    sig: NDArray[np.int64],
    bit: int,
    popcount: dict[int, int],
    blocked: BoolArray,
    label: RegionLabel,
    grid: _Grid,
) -> _Spot | None:
    """The best place inside the region: fewest regions shared, then horizontal, then the
    largest font, then room (alone) or closeness to its own edge (shared)."""
    sampling = (grid.cell_h, grid.cell_w)
    candidates = [int(s) for s in np.unique(sig[own]) if int(s) >> bit & 1]
    levels = sorted({popcount[s] for s in candidates})
    own_depth: FloatArray | None = None
    rooms: dict[int, FloatArray] = {}  # each place's room, for every size and orientation
    for level in levels:
        allowed = {s: (sig == s) & ~blocked for s in candidates if popcount[s] == level}
        for rotated in (False, True):
            for size in FONT_SIZES:
                kh, kw = _text_cells(label.text, size, rotated, grid)
                best: _Spot | None = None
                for s, ok in allowed.items():
                    fits = _window_fits(ok, kh, kw)
                    if not fits.any():
                        continue
                    rows, cols = np.nonzero(fits)
                    cr = rows + (kh - 1) / 2.0
                    cc = cols + (kw - 1) / 2.0
                    ir, ic = np.round(cr).astype(int), np.round(cc).astype(int)
                    if s not in rooms:
                        rooms[s] = np.asarray(
                            ndimage.distance_transform_edt(ok, sampling=sampling), dtype=float
                        )
                    room = rooms[s][ir, ic]
                    if level == 1:  # alone in its region: where it has the most room
                        key = -room
                    else:  # shared: close to its own edge
                        if own_depth is None:
                            own_depth = np.asarray(
                                ndimage.distance_transform_edt(own, sampling=sampling),
                                dtype=float,
                            )
                        key = own_depth[ir, ic] - 0.25 * room
                    k = int(np.argmin(key))
                    cost = (float(key[k]),)
                    if best is None or cost < best.cost:
                        best = _Spot(cost, float(cr[k]), float(cc[k]), size, rotated, kh, kw)
                if best is not None:
                    return best
    return None


def _leader_spot(
    own: BoolArray,
    sig: NDArray[np.int64],
    popcount: dict[int, int],
    blocked: BoolArray,
    label: RegionLabel,
    grid: _Grid,
) -> tuple[_Spot, tuple[float, float]] | None:
    """A free place near the region and the point of the region the leader line goes to."""
    own_sigs = np.unique(sig[own])
    fewest = min(popcount[int(s)] for s in own_sigs)
    target_cells = own & np.isin(sig, [s for s in own_sigs if popcount[int(s)] == fewest])
    depth = np.asarray(
        ndimage.distance_transform_edt(target_cells, sampling=(grid.cell_h, grid.cell_w)),
        dtype=float,
    )
    tr, tc = np.unravel_index(int(np.argmax(depth)), depth.shape)
    size = FONT_SIZES[-1]
    kh, kw = _text_cells(label.text, size, False, grid)
    best: _Spot | None = None
    for s in sorted({int(v) for v in np.unique(sig)}):
        allowed = (sig == s) & ~blocked & ~own
        fits = _window_fits(allowed, kh, kw)
        if not fits.any():
            continue
        rows, cols = np.nonzero(fits)
        cr = rows + (kh - 1) / 2.0
        cc = cols + (kw - 1) / 2.0
        dist = np.hypot((cr - tr) * grid.cell_h, (cc - tc) * grid.cell_w)
        dist = dist + (0.0 if s == 0 else LEADER_PENALTY_PX)
        k = int(np.argmin(dist))
        cost = (float(dist[k]),)
        if best is None or cost < best.cost:
            best = _Spot(cost, float(cr[k]), float(cc[k]), size, False, kh, kw)
    if best is None:
        return None
    return best, (float(tr), float(tc))


def place_region_labels(
    ax: Axes, labels: Sequence[RegionLabel], grid_shape: tuple[int, int] = GRID
) -> list[Text]:
    """Write each label's name inside its region on ``ax`` (see the module docstring).

    Parameters
    ----------
    ax
        Axes whose limits, scales, lines and legend are final, after the figure's layout has
        been computed (:func:`nudipole.plotting.layout.settle_layout`).
    labels
        The regions to name, in the order their groups are placed (a group's regions are
        placed smallest first).
    grid_shape
        Cells across and up the axes.

    Returns
    -------
    list of Text
        The text artists added (annotations for names with a leader line); regions not in
        view get none.
    """
    grid = _grid(ax, grid_shape)
    blocked = _obstacles(ax, grid_shape)
    # Keep names off the frame.
    blocked[:1, :] = blocked[-1:, :] = True
    blocked[:, :1] = blocked[:, -1:] = True
    masks = [lab.contains(grid.mass, grid.d) for lab in labels]
    groups: dict[str, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(lab.group, []).append(i)
    out: list[Text] = []
    halo = [patheffects.withStroke(linewidth=2.0, foreground="white", alpha=0.75)]
    for members in groups.values():
        if len(members) > 62:
            raise ValueError("at most 62 regions per label group")
        sig = np.zeros(masks[members[0]].shape, dtype=np.int64)
        for bit, i in enumerate(members):
            sig |= masks[i].astype(np.int64) << bit
        popcount = {int(s): bin(int(s)).count("1") for s in np.unique(sig)}
        order = sorted(range(len(members)), key=lambda b: int(masks[members[b]].sum()))
        for bit in order:
            i = members[bit]
            lab, own = labels[i], masks[i]
            if not own.any():
                continue
            spot = _best_spot(own, sig, bit, popcount, blocked, lab, grid)
            target: tuple[float, float] | None = None
            if spot is None:
                found = _leader_spot(own, sig, popcount, blocked, lab, grid)
                if found is None:
                    continue
                spot, target = found
            x, y = grid.to_axes(spot.row, spot.col)
            style: dict[str, Any] = {
                "ha": "center",
                "va": "center",
                "fontsize": spot.size,
                "color": lab.color,
                "rotation": 90.0 if spot.rotated else 0.0,
                "gid": f"label:{lab.key}",
                "zorder": 5,
                "path_effects": halo,
            }
            if target is None:
                text = ax.text(x, y, lab.text, transform=ax.transAxes, clip_on=True, **style)
            else:
                tx, ty = grid.to_axes(*target)
                text = ax.annotate(
                    lab.text,
                    xy=(tx, ty),
                    xycoords="axes fraction",
                    xytext=(x, y),
                    textcoords="axes fraction",
                    arrowprops={"arrowstyle": "-", "color": lab.color, "linewidth": 0.7},
                    annotation_clip=True,
                    **style,
                )
                line = np.zeros_like(blocked)
                _mark_polyline(line, np.array([[x, y], [tx, ty]]))
                blocked |= line
            text.set_in_layout(False)
            r0 = round(spot.row - (spot.kh - 1) / 2.0)
            c0 = round(spot.col - (spot.kw - 1) / 2.0)
            blocked[max(r0, 0) : r0 + spot.kh, max(c0, 0) : c0 + spot.kw] = True
            out.append(text)
    return out


@dataclass(frozen=True)
class PointLabel:
    """A name to write next to a point (e.g. the tip of a band), with a leader line if it has
    to sit farther away.

    Attributes
    ----------
    key
        Identifier; the text artist gets ``gid = "label:<key>"``.
    text, color
        The name and its colour.
    mass, d
        The point, in data coordinates (GeV, GeV^-1).
    """

    key: str
    text: str
    color: str
    mass: float
    d: float


def place_point_labels(
    ax: Axes,
    labels: Sequence[PointLabel],
    size: float = FONT_SIZES[0],
    grid_shape: tuple[int, int] = GRID,
) -> list[Text]:
    """Write each name in the free place nearest to its point (off every drawn line, text and
    legend, and off the names placed before), with a thin leader line when it is not next to
    the point. Call after the figure's layout has been computed.

    Parameters
    ----------
    ax
        Axes with final limits, lines and legend.
    labels
        The points to name; placed top to bottom.
    size
        Font size (points).
    grid_shape
        Cells across and up the axes.

    Returns
    -------
    list of Text
        The annotations added; points outside the axes get none.
    """
    grid = _grid(ax, grid_shape)
    blocked = _obstacles(ax, grid_shape)
    blocked[:1, :] = blocked[-1:, :] = True
    blocked[:, :1] = blocked[:, -1:] = True
    to_axes = ax.transData + ax.transAxes.inverted()
    placed = []
    for lab in labels:
        fx, fy = to_axes.transform([lab.mass, lab.d])
        if not (0.0 <= fx <= 1.0 and 0.0 <= fy <= 1.0):
            continue
        placed.append((float(fy), lab, float(fx)))
    out: list[Text] = []
    for fy, lab, fx in sorted(placed, key=lambda t: -t[0]):
        kh, kw = _text_cells(lab.text, size, False, grid)
        fits = _window_fits(~blocked, kh, kw)
        if not fits.any():
            continue
        rows, cols = np.nonzero(fits)
        tr, tc = fy * grid.ny - 0.5, fx * grid.nx - 0.5
        # Distance from the point to the nearest cell of each box (pixels); to the right wins
        # ties, as text is read from the left.
        dr = np.maximum(np.maximum(rows - tr, tr - (rows + kh - 1)), 0.0) * grid.cell_h
        dc = np.maximum(np.maximum(cols - tc, tc - (cols + kw - 1)), 0.0) * grid.cell_w
        cost = np.hypot(dr, dc) + np.where(cols >= tc, 0.0, 0.5 * grid.cell_w)
        k = int(np.argmin(cost))
        cr, cc = rows[k] + (kh - 1) / 2.0, cols[k] + (kw - 1) / 2.0
        x, y = grid.to_axes(cr, cc)
        text = ax.annotate(
            lab.text,
            xy=(fx, fy),
            xycoords="axes fraction",
            xytext=(x, y),
            textcoords="axes fraction",
            ha="center",
            va="center",
            fontsize=size,
            color=lab.color,
            gid=f"label:{lab.key}",
            zorder=5,
            path_effects=[patheffects.withStroke(linewidth=2.0, foreground="white", alpha=0.75)],
            arrowprops={
                "arrowstyle": "-",
                "color": lab.color,
                "linewidth": 0.7,
                "shrinkA": 1.0,
                "shrinkB": 0.0,
            },
            annotation_clip=True,
        )
        text.set_in_layout(False)
        blocked[rows[k] : rows[k] + kh, cols[k] : cols[k] + kw] = True
        line = np.zeros_like(blocked)
        _mark_polyline(line, np.array([[x, y], [fx, fy]]))
        blocked |= line
        out.append(text)
    return out
