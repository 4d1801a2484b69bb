"""Far-detector figures: the excluded band of one detector broken down by meson channel."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from nudipole.plotting.landscape import band_outline
from nudipole.reach.result import ReachResult

#: One colour per channel (tab20 order, distinguishable in print).
CHANNEL_COLOURS = {
    "pi0": "#1f77b4",
    "eta": "#ff7f0e",
    "etap": "#2ca02c",
    "rho": "#d62728",
    "omega": "#9467bd",
    "phi": "#8c564b",
    "jpsi": "#e377c2",
    "upsilon": "#7f7f7f",
    "pi": "#bcbd22",
    "K": "#17becf",
    "D": "#aec7e8",
    "Ds": "#ffbb78",
    "B": "#98df8a",
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
    """The band of all channels (grey, filled) and each channel's own band (outlines)."""
    fig = Figure(figsize=(8.6, 5.4), layout="constrained")
    ax = fig.subplots()
    for x, y in band_outline(total):
        ax.fill(x, y, facecolor="0.85", edgecolor="0.3", linewidth=1.2, zorder=1, gid="band:all")
    ax.plot([], [], color="0.3", linewidth=6, alpha=0.4, label="all channels")
    for result in per_channel:
        channel = result.inputs["channels"][0]
        outlines = band_outline(result)
        colour = CHANNEL_COLOURS.get(channel, "k")
        for k, (x, y) in enumerate(outlines):
            ax.plot(
                x,
                y,
                color=colour,
                linewidth=1.4,
                label=CHANNEL_LABELS.get(channel, channel) if k == 0 else None,
                gid=f"band:{channel}",
                zorder=2,
            )
        if not outlines:  # keep every channel in the legend: say it has no band
            ax.plot([], [], color=colour, linestyle=":", label=f"{channel}: no band")
    inp = total.inputs
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*mass_range)
    ax.set_ylim(*d_range)
    ax.set_xlabel(r"$m_N$ [GeV]")
    flav = inp.get("couplings", {}).get("flavour", "e")
    symbol = {"e": "e", "mu": r"\mu", "tau": r"\tau"}.get(flav, flav)
    ax.set_ylabel(rf"$d_{{{symbol}}}$ [GeV$^{{-1}}$]")
    ax.set_title(
        f"{inp.get('experiment_title', '')}, {inp.get('total_luminosity', '')}: "
        f"excluded band per meson channel [{inp.get('preset', '')}]",
        fontsize=10,
    )
    ax.grid(True, which="major", alpha=0.25)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return fig
