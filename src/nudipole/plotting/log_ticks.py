"""The ticks of the figures' log axes: only those inside the limits, and the unlabelled minor
ticks of an axis over several decades drawn as one artist instead of one matplotlib tick each.

matplotlib makes a tick object (a tick line on either side, a grid line, two labels) for
every tick, creates them on the first layout pass and updates each in every pass; over 8
decades a log axis has 64 minor ticks, a three-panel figure about 300. Making them took
0.45-0.6 s of the 0.85-1.0 s that the LHC far figure's layout took (measured): a tick is
about 1.5 ms to make. :class:`MinorTickMarks` draws the same marks, with the style of the
axis's own minor tick, in one call per side.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis, XAxis
from matplotlib.backend_bases import RendererBase
from matplotlib.ticker import Locator, LogLocator, NullFormatter, NullLocator

from nudipole.physics._types import FloatArray


class InViewLogLocator(LogLocator):
    """matplotlib's :class:`~matplotlib.ticker.LogLocator` with only the ticks inside the view
    limits (to 1e-6 of a decade): it also gives a decade below and two above them, for which
    the axis makes tick objects and updates them in every layout and draw pass although it
    draws none (on a log axis over 8 decades, 96 minor ticks for the 64 shown). The figure is
    the same to the byte (compared for the four figures of ``nudipole headline``)."""

    # (matplotlib's stub says Sequence[float]; its locators return arrays, as this one does)
    def tick_values(self, vmin: float, vmax: float) -> FloatArray:  # type: ignore[override]
        ticks = np.asarray(super().tick_values(vmin, vmax), dtype=float)
        lo, hi = min(vmin, vmax), max(vmin, vmax)
        if not (lo > 0.0 and math.isfinite(hi)):
            return ticks
        with np.errstate(divide="ignore", invalid="ignore"):
            log_t = np.log10(ticks)
        keep = (log_t >= math.log10(lo) - 1e-6) & (log_t <= math.log10(hi) + 1e-6)
        return np.asarray(ticks[keep], dtype=float)


class MinorTickMarks(Artist):
    """The unlabelled minor ticks of one axis: the marks that matplotlib would draw, at the
    places it would draw them, drawn with one minor tick of the axis's own (so that its size,
    width, colour, direction, sides and grid line follow the rcParams and any later
    ``tick_params(which="minor")``), moved along the axis. The axis itself then has no minor
    ticks (a :class:`~matplotlib.ticker.NullLocator`); giving it a minor locator again (e.g.
    ``Axes.minorticks_on``) hands the minor ticks back to matplotlib, and this artist draws
    nothing more.

    Places: ``locator``'s ticks in the view limits, without those that coincide with a major
    tick, as :meth:`matplotlib.axis.Axis.get_minorticklocs` and the axis's draw select them;
    recomputed at each draw, so they follow the limits.

    Parameters
    ----------
    axis
        The axis (of an axes the artist is then added to, :func:`trim_log_ticks`).
    locator
        Where the minor ticks are.
    """

    def __init__(self, axis: Axis, locator: Locator) -> None:
        super().__init__()
        self._axis = axis
        self._locator = locator
        locator.set_axis(axis)
        # a minor tick of the axis's own, made before the axis stops having them
        self._tick = axis.get_minor_ticks(1)[0]
        self._null = NullLocator()
        axis.set_minor_locator(self._null)
        axis.set_minor_formatter(NullFormatter())
        self._along_x = isinstance(axis, XAxis)
        # drawn where matplotlib draws them, so that where they meet a grid line (at a limit
        # that is a major tick) the same colour lies on top: matplotlib draws the x axis
        # (ticks, grid lines) and then the y axis, at one z-order. The x marks get that
        # z-order (an axes' children come before its axes then), the y marks the next
        # number up (after both). Tick marks are no part of an axes' tight box.
        z = axis.get_zorder()
        self.set_zorder(z if self._along_x else math.nextafter(z, math.inf))
        self.set_in_layout(False)

    def locations(self) -> FloatArray:
        """The minor ticks to draw (data coordinates), as matplotlib selects them."""
        axis = self._axis
        lo, hi = sorted(float(v) for v in axis.get_view_interval())
        minor = np.asarray(self._locator.tick_values(lo, hi), dtype=float)
        if minor.size == 0:
            return minor
        transform = axis.get_transform()
        t_minor = np.asarray(transform.transform(minor), dtype=float)
        t_lo, t_hi = sorted(float(v) for v in transform.transform([lo, hi]))
        if axis.remove_overlapping_locs:
            major = np.asarray(axis.get_majorticklocs(), dtype=float)
            if major.size:
                t_major = np.asarray(transform.transform(major), dtype=float)
                # matplotlib's tolerance: 1e-5 of the transformed view
                near = np.isclose(
                    t_minor[:, None], t_major[None, :], atol=(t_hi - t_lo) * 1e-5, rtol=0.0
                ).any(axis=1)
                minor, t_minor = minor[~near], t_minor[~near]
        # and, as the axis's draw, only those within 1e-10 of the view
        pad = (t_hi - t_lo) * 1e-10
        inside = (t_minor >= t_lo - pad) & (t_minor <= t_hi + pad)
        return minor[inside]

    def draw(self, renderer: RendererBase) -> None:
        axis = self._axis
        ax = axis.axes
        if not (
            self.get_visible()
            and axis.get_visible()
            and ax.axison
            and axis.get_minor_locator() is self._null
        ):
            return
        locs = self.locations()
        if locs.size == 0:
            return
        tick = self._tick
        along_x = self._along_x
        # (tick1line on the bottom or left spine, at 0 in axes coordinates; tick2line at 1)
        sides = [
            (ln, c) for ln, c in ((tick.tick1line, 0.0), (tick.tick2line, 1.0)) if ln.get_visible()
        ]
        grid = tick.gridline
        # with a minor grid (rare), tick by tick as matplotlib draws them: grid line, then
        # marks (where they meet, the same colour lies on top); else each side in one call
        groups = [locs[i : i + 1] for i in range(locs.size)] if grid.get_visible() else [locs]
        for at in groups:
            if grid.get_visible():
                pair = np.array([at[0], at[0]])
                ends = np.array([0.0, 1.0])
                grid.set_data(pair, ends) if along_x else grid.set_data(ends, pair)
                grid.draw(renderer)
            for line, across in sides:
                other = np.full(at.size, across)
                line.set_data(at, other) if along_x else line.set_data(other, at)
                line.draw(renderer)
        self.stale = False


def trim_log_ticks(ax: Axes) -> None:
    """Log axes of ``ax`` ticked only inside their limits (:class:`InViewLogLocator`, with
    matplotlib's default settings otherwise); on an axis that spans more than a decade,
    where matplotlib's log formatter labels no minor tick (``LogFormatter.minor_thresholds``),
    the minor ticks drawn by :class:`MinorTickMarks` (call it after the limits are set).
    The figure is the same to the pixel (compared for the four figures of ``nudipole
    headline`` and in the tests)."""
    for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
        if axis.get_scale() != "log":
            continue
        # as matplotlib's log scale sets them (base 10; minor ticks: subs None, i.e. "auto")
        axis.set_major_locator(InViewLogLocator())
        minor = InViewLogLocator(subs=None)
        if lo > 0 and hi > 0 and abs(math.log10(hi / lo)) > 1.0:
            ax.add_artist(MinorTickMarks(axis, minor))
        else:
            axis.set_minor_locator(minor)
