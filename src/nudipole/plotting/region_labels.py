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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.text import Text
from numpy.typing import NDArray
from scipy import ndimage

from nudipole.numerics.polygon import closed_ring, inside
from nudipole.physics._types import FloatArray
from nudipole.plotting.label_cells import (
    FONT_SIZES,
    GRID,
    BoolArray,
    LabelGrid,
    blocked_cells,
    label_grid,
    mark_polyline,
    text_cells,
    window_fits,
)

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
    grid: LabelGrid,
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
                kh, kw = text_cells(label.text, size, rotated, grid)
                best: _Spot | None = None
                for s, ok in allowed.items():
                    fits = window_fits(ok, kh, kw)
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
    grid: LabelGrid,
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
    kh, kw = text_cells(label.text, size, False, grid)
    best: _Spot | None = None
    for s in sorted({int(v) for v in np.unique(sig)}):
        allowed = (sig == s) & ~blocked & ~own
        fits = window_fits(allowed, kh, kw)
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
    grid = label_grid(ax, grid_shape)
    blocked = blocked_cells(ax, grid_shape)
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
                mark_polyline(blocked, np.array([[x, y], [tx, ty]]))
            text.set_in_layout(False)
            r0 = round(spot.row - (spot.kh - 1) / 2.0)
            c0 = round(spot.col - (spot.kw - 1) / 2.0)
            blocked[max(r0, 0) : r0 + spot.kh, max(c0, 0) : c0 + spot.kw] = True
            out.append(text)
    return out
