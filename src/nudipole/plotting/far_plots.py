"""Far-detector figures: the excluded band of one detector broken down by meson channel."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from nudipole.plotting.labels import beam_and_luminosity
from nudipole.plotting.landscape import band_outline
from nudipole.plotting.layout import (
    HANDLE_LENGTH,
    bare_figure,
    freeze_layout,
    settle_layout,
)
from nudipole.plotting.log_ticks import trim_log_ticks
from nudipole.plotting.point_labels import PointLabel, place_point_labels
from nudipole.reach.result import ReachResult

#: One colour per channel (tab10 order, then darker tints that read on the grey band).
CHANNEL_COLOURS = {
    "pi0": "#1f77b4",
    "eta": "#ff7f0e",
    "etap": "#2ca02c",
    "rho": "#d62728",
    "omega": "#9467bd",
    "phi": "#8c564b",
    "jpsi": "#e377c2",
    "upsilon": "#404040",
    "pi": "#9b9b00",
    "K": "#17becf",
    "D": "#6a5acd",
    "Ds": "#b8860b",
    "B": "#000080",
}
#: One line style per channel, so that neighbouring bands of similar colour still differ.
CHANNEL_LINESTYLES = {
    "pi0": "-",
    "eta": "--",
    "etap": "-.",
    "rho": "-",
    "omega": "--",
    "phi": "-.",
    "jpsi": "-",
    "upsilon": "--",
    "pi": "-.",
    "K": "-",
    "D": "--",
    "Ds": "-.",
    "B": "-",
}
CHANNEL_LABELS = {
    "pi0": r"$\pi^0$",
    "eta": r"$\eta$",
    "etap": r"$\eta'$",
    "rho": r"$\rho^0$",
    "omega": r"$\omega$",
    "phi": r"$\phi$",
    "jpsi": r"$J/\psi$",
    "upsilon": r"$\Upsilon(1S)$",
    "pi": r"$\pi^\pm$",
    "K": r"$K^\pm$",
    "D": r"$D^\pm$",
    "Ds": r"$D_s^\pm$",
    "B": r"$B^\pm$",
}


def plot_channel_bands(
    total: ReachResult,
    per_channel: Sequence[ReachResult],
    mass_range: tuple[float, float] = (1e-3, 1.0),
    d_range: tuple[float, float] = (1e-7, 1e-1),
) -> Figure:
    """The band of all channels (grey, filled) and each channel's own band (outlines).

    Parameters
    ----------
    total
        The band from every channel together.
    per_channel
        One result per channel (``inputs["channels"]`` names it).
    mass_range, d_range
        Axes ranges (GeV, GeV^-1).

    Returns
    -------
    Figure
        A bare figure (no pyplot, no backend chosen). Each channel's outline has its own
        colour and line style, and its name is written at the band's tip (the heaviest N it
        reaches); the legend sits right of the axes. The names are placed for the layout of
        a first draw, which is then kept (the layout engine is switched off).
    """
    fig = bare_figure((8.6, 5.4))
    ax = fig.subplots()
    for x, y in band_outline(total):
        ax.fill(x, y, facecolor="0.85", edgecolor="0.3", linewidth=1.2, zorder=1, gid="band:all")
    ax.plot([], [], color="0.3", linewidth=6, alpha=0.4, label="all channels")
    tips = []
    for result in per_channel:
        channel = result.inputs["channels"][0]
        outlines = band_outline(result)
        colour = CHANNEL_COLOURS.get(channel, "k")
        name = CHANNEL_LABELS.get(channel, channel)
        for k, (x, y) in enumerate(outlines):
            ax.plot(
                x,
                y,
                color=colour,
                linestyle=CHANNEL_LINESTYLES.get(channel, "-"),
                linewidth=1.4,
                label=name if k == 0 else None,
                gid=f"band:{channel}",
                zorder=2,
            )
        if outlines:
            x, y = max(outlines, key=lambda xy: float(np.max(xy[0])))
            i = int(np.argmax(x))
            tips.append(PointLabel(f"band:{channel}", name, colour, float(x[i]), float(y[i])))
        else:  # keep every channel in the legend: say it has no band
            ax.plot([], [], color=colour, linestyle=":", label=f"{name}: no band")
    inp = total.inputs
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*mass_range)
    ax.set_ylim(*d_range)
    trim_log_ticks(ax)
    ax.set_xlabel(r"$m_N$ [GeV]")
    flav = inp.get("couplings", {}).get("flavour", "e")
    symbol = {"e": "e", "mu": r"\mu", "tau": r"\tau"}.get(flav, flav)
    ax.set_ylabel(rf"$d_{{{symbol}}}$ [GeV$^{{-1}}$]")
    energy, luminosity = beam_and_luminosity(total)
    head = ", ".join(t for t in (inp.get("experiment_title", ""), luminosity, energy) if t)
    ax.set_title(f"{head}: excluded band per meson channel [{inp.get('preset', '')}]", fontsize=10)
    ax.grid(True, which="major", alpha=0.25)
    ax.legend(
        fontsize=7,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        handlelength=HANDLE_LENGTH,
    )
    settle_layout(fig)  # final axes position, for the names at the tips
    place_point_labels(ax, tips, size=7.0)
    freeze_layout(fig)  # the names were placed for this position: keep it
    return fig
