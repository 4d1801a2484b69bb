"""Layout helpers of the figures (nudipole.plotting.layout)."""

from __future__ import annotations

import numpy as np


def _rendered(span: tuple[float, float], drop_minor_labels: bool) -> np.ndarray:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from nudipole.plotting.layout import no_minor_labels

    fig = Figure(figsize=(3, 3), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.plot([span[0], span[1]], [span[0], span[1]])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*span)
    ax.set_ylim(*span)
    if drop_minor_labels:
        no_minor_labels(ax)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


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
