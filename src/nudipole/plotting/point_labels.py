"""Names written next to points of a plot (the tips of far-detector bands), with a thin
leader line where a name has to sit farther away; placed on the cells of
:mod:`nudipole.plotting.label_cells`, off every drawn line, text and legend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.text import Text

from nudipole.plotting.label_cells import (
    FONT_SIZES,
    GRID,
    blocked_cells,
    label_grid,
    mark_polyline,
    text_cells,
    window_fits,
)


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
    grid = label_grid(ax, grid_shape)
    blocked = blocked_cells(ax, grid_shape)
    to_axes = ax.transData + ax.transAxes.inverted()
    placed = []
    for lab in labels:
        fx, fy = to_axes.transform([lab.mass, lab.d])
        if not (0.0 <= fx <= 1.0 and 0.0 <= fy <= 1.0):
            continue
        placed.append((float(fy), lab, float(fx)))
    out: list[Text] = []
    for fy, lab, fx in sorted(placed, key=lambda t: -t[0]):
        kh, kw = text_cells(lab.text, size, False, grid)
        fits = window_fits(~blocked, kh, kw)
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
        mark_polyline(blocked, np.array([[x, y], [fx, fy]]))
        out.append(text)
    return out
