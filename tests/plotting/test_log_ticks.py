"""Ticks of the log axes (nudipole.plotting.log_ticks): the same pixels as matplotlib's own
ticks, with fewer tick objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.axes import Axes

#: Spans of the axes drawn: several decades (minor ticks by MinorTickMarks), either order,
#: and within a decade (matplotlib's own labelled minor ticks).
SPANS = ((1e-9, 1e-1), (1e-3, 10.0), (10.0, 1e-3), (0.01, 11.0), (0.2, 0.9))


def _rendered(
    span: tuple[float, float],
    trimmed: bool,
    before: Callable[[Axes], Any] | None = None,
    after: Callable[[Axes], Any] | None = None,
    rc: dict[str, Any] | None = None,
) -> tuple[np.ndarray, Axes]:
    """Pixels of a log-log axes over ``span`` with a major grid (its lines lie on the
    limits, where the minor marks meet them), ticked by :func:`trim_log_ticks` or by
    matplotlib; ``before`` and ``after`` act on the axes around that call."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from nudipole.plotting.log_ticks import trim_log_ticks

    with mpl.rc_context(rc or {}):  # type: ignore[arg-type]
        fig = Figure(figsize=(3, 3), dpi=150, layout="constrained")
        canvas = FigureCanvasAgg(fig)
        ax = fig.subplots()
        ax.plot([span[0], span[1]], [span[0], span[1]])
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(*span)
        ax.set_ylim(*span)
        ax.grid(True, which="major", alpha=0.3)
        if before is not None:
            before(ax)
        if trimmed:
            trim_log_ticks(ax)
        if after is not None:
            after(ax)
        canvas.draw()  # type: ignore[no-untyped-call]
    return np.asarray(canvas.buffer_rgba()).copy(), ax  # type: ignore[no-untyped-call]


def _trim(ax: Axes) -> None:
    from nudipole.plotting.log_ticks import trim_log_ticks

    trim_log_ticks(ax)


def _same_pixels(span: tuple[float, float], **kwargs: Any) -> bool:
    return bool(
        np.array_equal(_rendered(span, True, **kwargs)[0], _rendered(span, False, **kwargs)[0])
    )


@pytest.mark.parametrize("span", SPANS)
def test_trimmed_ticks_draw_the_same_pixels_with_at_most_one_minor_tick_object(
    span: tuple[float, float],
) -> None:
    """trim_log_ticks: the same pixels as matplotlib's own ticks (grid lines on the limits
    included), and over several decades the minor ticks are one artist, not a tick object
    each; a drawn figure is not left stale."""
    assert _same_pixels(span)
    _, ax = _rendered(span, True)
    _, plain = _rendered(span, False)
    # moving the marks while drawing leaves nothing to draw again (no redraw loop on an
    # interactive canvas)
    figure = ax.get_figure()
    assert figure is not None
    assert not figure.stale
    if abs(np.log10(span[1] / span[0])) > 1.0:
        assert len(ax.xaxis.get_minor_ticks(0)) == 0
        assert len(ax.xaxis.minorTicks) <= 1
        assert len(ax.yaxis.minorTicks) <= 1
        # (over 8 decades of a small axes matplotlib's majors skip decades: no minor ticks)
        if abs(np.log10(span[1] / span[0])) < 5.0:
            assert len(plain.xaxis.minorTicks) > 10
    else:  # within a decade matplotlib labels some minor ticks: they stay its own
        assert len(ax.xaxis.minorTicks) == len(plain.xaxis.minorTicks) > 1


@pytest.mark.parametrize(
    "rc",
    [
        {"xtick.direction": "in", "ytick.direction": "in"},
        {"xtick.direction": "inout", "ytick.direction": "inout"},
        {"xtick.top": True, "ytick.right": True},
        {"xtick.minor.size": 5.0, "ytick.minor.width": 1.5, "xtick.color": "tab:red"},
        {"axes.axisbelow": True},
        {"axes.axisbelow": False},
    ],
)
def test_minor_marks_follow_the_rc_settings(rc: dict[str, Any]) -> None:
    """Direction, sides, size, width, colour and z-order of the ticks from the rcParams: the
    same pixels as matplotlib draws with them."""
    assert _same_pixels((1e-9, 1e-1), rc=rc)


@pytest.mark.parametrize(
    "after",
    [
        # styled after trimming (tick_params reaches the axis's own minor tick)
        lambda ax: ax.tick_params(which="minor", length=6.0, width=1.2, colors="tab:blue"),
        lambda ax: ax.grid(True, which="minor", alpha=0.2),
        # new limits after trimming: the marks follow (the major ticks stay in-view only)
        lambda ax: (ax.set_xlim(1e-6, 1e2), ax.set_ylim(3e-4, 2e-1)),
        lambda ax: ax.set_axis_off(),
        lambda ax: ax.xaxis.set_visible(False),
        # trimmed again: the second artist draws, the first no more (no double marks)
        lambda ax: _trim(ax),
    ],
)
def test_minor_marks_follow_later_changes(after: Callable[[Axes], Any]) -> None:
    """Tick styles, a minor grid, new limits, hidden axes set after trim_log_ticks, or the
    axes trimmed again: the same pixels as matplotlib draws with the same changes."""
    assert _same_pixels((1e-9, 1e-1), after=after)


def test_minor_ticks_handed_back_to_matplotlib() -> None:
    """A minor locator given again (``minorticks_on``) hands the minor ticks back to
    matplotlib: the artist then draws nothing, and the pixels are matplotlib's."""
    from matplotlib.ticker import LogLocator

    def locator_again(ax: Axes) -> None:
        ax.yaxis.set_minor_locator(LogLocator(subs="auto"))

    trimmed, ax = _rendered((1e-9, 1e-1), True, after=locator_again)
    plain, _ = _rendered((1e-9, 1e-1), False, after=locator_again)
    assert np.array_equal(trimmed, plain)
    assert len(ax.yaxis.minorTicks) > 1


def test_minor_mark_places_are_matplotlibs() -> None:
    """MinorTickMarks.locations: matplotlib's minor tick places in view, without those on a
    major tick."""
    from nudipole.plotting.log_ticks import MinorTickMarks

    for span in ((1e-9, 1e-1), (1e-3, 10.0), (0.01, 11.0)):
        _, plain = _rendered(span, False)
        _, ax = _rendered(span, True)
        marks = [a for a in ax.get_children() if isinstance(a, MinorTickMarks)]
        assert len(marks) == 2
        for mark, axis in zip(marks, (plain.xaxis, plain.yaxis), strict=True):
            lo, hi = sorted(axis.get_view_interval())
            drawn = np.array(
                [t.get_loc() for t in axis.get_minor_ticks(len(axis.get_minorticklocs()))]
            )
            expected = drawn[(drawn >= lo * (1 - 1e-12)) & (drawn <= hi * (1 + 1e-12))]
            np.testing.assert_allclose(mark.locations(), expected, rtol=1e-14)
            # not a curve: region labels do not avoid it
            assert all(line is not mark for line in ax.get_lines())  # type: ignore[comparison-overlap]


def test_minor_labels_dropped_only_where_none_are_drawn() -> None:
    """Over several decades matplotlib labels no minor tick: those axes get a NullFormatter;
    within a decade it does label some, and the axis keeps its formatter."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import NullFormatter

    from nudipole.plotting.log_ticks import trim_log_ticks

    ax = Figure().subplots()
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(0.2, 0.9)
    ax.set_ylim(1e-6, 1e-2)
    trim_log_ticks(ax)
    assert not isinstance(ax.xaxis.get_minor_formatter(), NullFormatter)
    assert isinstance(ax.yaxis.get_minor_formatter(), NullFormatter)


def test_log_axes_ticked_only_inside_their_limits() -> None:
    """InViewLogLocator keeps exactly the ticks of matplotlib's LogLocator that lie inside
    the view limits (their ends included, either order)."""
    from matplotlib.ticker import LogLocator

    from nudipole.plotting.log_ticks import InViewLogLocator

    for lo, hi in ((1e-9, 1e-1), (1e-3, 10.0), (0.2, 0.9), (3e-4, 7e-2)):
        for subs in ((1.0,), None):
            full = np.asarray(LogLocator(subs=subs).tick_values(lo, hi))
            inside = full[(full >= lo * (1 - 1e-12)) & (full <= hi * (1 + 1e-12))]
            for args in ((lo, hi), (hi, lo)):
                got = InViewLogLocator(subs=subs).tick_values(*args)
                np.testing.assert_array_equal(got, inside)
            if hi / lo > 100.0:  # beyond the limits LogLocator gives ticks of other decades
                assert inside.size < full.size
    # the decade ends are kept
    assert {1e-9, 1e-1} <= set(InViewLogLocator().tick_values(1e-9, 1e-1))


def test_pdf_and_svg_draw_the_marks() -> None:
    """The marks are drawn by any renderer: a PDF and an SVG of a trimmed axes hold as many
    minor marks as matplotlib's own (counted in the SVG as tick markers used)."""
    import io

    from matplotlib.figure import Figure

    from nudipole.plotting.log_ticks import trim_log_ticks

    def svg(trimmed: bool) -> str:
        fig = Figure(figsize=(3, 3))
        ax = fig.subplots()
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(1e-4, 1.0)
        ax.set_ylim(1e-4, 1.0)
        if trimmed:
            trim_log_ticks(ax)
        fig.savefig(io.BytesIO(), format="pdf")
        out = io.StringIO()
        fig.savefig(out, format="svg")
        return out.getvalue()

    trimmed, plain = svg(True), svg(False)
    assert trimmed.count("<use ") == plain.count("<use ") > 60


def test_tight_bounding_box_is_matplotlibs() -> None:
    """The marks take no part in a tight bounding box (as matplotlib's own tick marks): a
    trimmed figure saved with ``bbox_inches="tight"`` is the same image."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    from nudipole.plotting.log_ticks import trim_log_ticks

    def png(trimmed: bool) -> np.ndarray:
        fig = Figure(figsize=(3, 3))
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(1e-4, 1.0)
        ax.set_ylim(1e-4, 1.0)
        ax.plot([1e-4, 1.0], [1e-4, 1.0])
        if trimmed:
            trim_log_ticks(ax)
        out = io.BytesIO()
        fig.savefig(out, format="png", bbox_inches="tight", dpi=100)
        out.seek(0)
        return np.asarray(Image.open(out))

    assert np.array_equal(png(True), png(False))
