"""Layout helpers of the figures (nudipole.plotting.layout)."""

from __future__ import annotations

from typing import Literal

import numpy as np


def _rendered(span: tuple[float, float], drop_minor_labels: bool) -> np.ndarray:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from nudipole.plotting.layout import no_minor_labels

    fig = Figure(figsize=(3, 3), layout="constrained")
    canvas = FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.plot([span[0], span[1]], [span[0], span[1]])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*span)
    ax.set_ylim(*span)
    if drop_minor_labels:
        no_minor_labels(ax)
    canvas.draw()  # type: ignore[no-untyped-call]
    return np.asarray(canvas.buffer_rgba()).copy()  # type: ignore[no-untyped-call]


def test_minor_labels_dropped_only_where_none_are_drawn() -> None:
    from matplotlib.ticker import NullFormatter

    # over several decades matplotlib labels no minor tick: the same pixels without them
    wide = (1e-9, 1e-1)
    assert np.array_equal(_rendered(wide, True), _rendered(wide, False))
    # within a decade it does label some: those axes keep their formatter
    from matplotlib.figure import Figure

    from nudipole.plotting.layout import no_minor_labels

    ax = Figure().subplots()
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(0.2, 0.9)
    ax.set_ylim(1e-6, 1e-2)
    no_minor_labels(ax)
    assert not isinstance(ax.xaxis.get_minor_formatter(), NullFormatter)
    assert isinstance(ax.yaxis.get_minor_formatter(), NullFormatter)


def test_settled_layout_is_the_one_a_draw_gives() -> None:
    """settle_layout gives each axes the position a full draw without rendering gives it
    (the layout engine alone, without walking every artist); a figure without an engine
    keeps its positions."""
    from matplotlib.figure import Figure

    from nudipole.plotting.layout import settle_layout

    def figure(layout: Literal["constrained"] | None) -> Figure:
        fig = Figure(figsize=(8, 4), layout=layout)
        for ax in fig.subplots(1, 2):
            ax.set_xscale("log")
            ax.set_xlim(1e-3, 10)
            ax.set_ylabel(r"$d_{\tau}$ [GeV$^{-1}$]")
            ax.set_title("a panel title")
            ax.fill_between([1e-2, 1.0], [0.2, 0.4], [0.6, 0.9], label="a limit")
        fig.legend(loc="outside lower center")
        return fig

    settled, drawn = figure("constrained"), figure("constrained")
    before = [ax.get_position().bounds for ax in settled.axes]
    settle_layout(settled)
    drawn.draw_without_rendering()
    after = [ax.get_position().bounds for ax in settled.axes]
    assert after != before
    np.testing.assert_allclose(after, [ax.get_position().bounds for ax in drawn.axes], atol=1e-12)
    plain = figure(None)
    kept = [ax.get_position().bounds for ax in plain.axes]
    settle_layout(plain)
    assert [ax.get_position().bounds for ax in plain.axes] == kept
