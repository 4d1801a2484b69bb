"""The landscape plot: existing limits (shaded) and projected reach curves, per flavour.

Colour scheme of the seed's Fig. 3 (Zhang et al., PLB 829 (2022) 137116): grey for limits on
all flavours, orange for d_e, sky blue for d_mu, pink for d_tau. Every artist carries a ``gid``
(``limit:<id>`` or ``reach:<label>``) so that tests and users can find it on the axes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nudipole.limits.catalogue import ExistingLimit, LimitSet
from nudipole.model import Flavour
from nudipole.physics._types import FloatArray
from nudipole.reach.result import ReachResult

FLAVOUR_COLOURS = {
    "all": ("0.55", "0.35"),
    Flavour.E: ("orange", "darkorange"),
    Flavour.MU: ("skyblue", "steelblue"),
    Flavour.TAU: ("pink", "palevioletred"),
}
FLAVOUR_SYMBOL = {Flavour.E: "e", Flavour.MU: r"\mu", Flavour.TAU: r"\tau"}
MASS_RANGE = (1e-3, 10.0)
D_RANGE = (1e-11, 1e-2)


@dataclass(frozen=True)
class CurveStyle:
    """How to draw one projected curve."""

    label: str
    color: str
    linestyle: str
    alpha: float = 1.0
    linewidth: float = 1.8


def _limit_colours(limit: ExistingLimit) -> tuple[str, str]:
    if len(limit.flavours) == 3:
        return FLAVOUR_COLOURS["all"]
    return FLAVOUR_COLOURS[limit.flavours[0]]


def limit_label(limit: ExistingLimit) -> str:
    cl = f"{round(100 * limit.cl)}% CL" + (", rescaled" if limit.rescaled else "")
    return f"{limit.label} ({cl}) [arXiv:{limit.arxiv}]"


def draw_limits(ax: Axes, limits: LimitSet) -> None:
    """Shade each excluded region and outline it."""
    for limit in limits:
        face, edge = _limit_colours(limit)
        ax.fill(
            limit.polygon[:, 0],
            limit.polygon[:, 1],
            facecolor=face,
            edgecolor=edge,
            alpha=0.45,
            linewidth=0.8,
            label=limit_label(limit),
            gid=f"limit:{limit.id}",
            zorder=1,
        )


def band_outline(result: ReachResult) -> list[tuple[FloatArray, FloatArray]]:
    """Closed outlines (mass, d) of a banded result, one per run of masses where the band
    exists: the lower edge left to right, then the upper edge back. Where the result knows
    where a run ends between two scanned masses (``result.band_ends``), the outline closes
    there (at the tip where the edges meet), not at the last scanned mass."""
    ok = np.isfinite(result.d95) & np.isfinite(result.upper)
    outlines = []
    i, n = 0, ok.size
    while i < n:
        if not ok[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and ok[j + 1]:
            j += 1
        mass = list(result.mass[i : j + 1])
        low = list(result.d95[i : j + 1])
        high = list(result.upper[i : j + 1])
        for end in result.band_ends:
            if end.side == "lower" and i > 0 and result.mass[i - 1] < end.mass < mass[0]:
                mass.insert(0, end.mass)
                low.insert(0, end.d95)
                high.insert(0, end.d95_upper)
            elif end.side == "upper" and j + 1 < n and mass[-1] < end.mass < result.mass[j + 1]:
                mass.append(end.mass)
                low.append(end.d95)
                high.append(end.d95_upper)
        m = np.asarray(mass)
        x = np.concatenate([m, m[::-1], m[:1]])
        y = np.concatenate([low, high[::-1], low[:1]])
        outlines.append((x, y))
        i = j + 1
    return outlines


def draw_curves(ax: Axes, curves: Sequence[tuple[ReachResult, CurveStyle]]) -> None:
    """One-sided limits as lines; banded (far-detector) results as closed, lightly filled
    outlines."""
    for result, style in curves:
        if result.is_band:
            for k, (x, y) in enumerate(band_outline(result)):
                ax.fill(
                    x,
                    y,
                    facecolor=style.color,
                    edgecolor=style.color,
                    alpha=0.18 * style.alpha,
                    linewidth=0.0,
                    zorder=2,
                    gid=f"reach-fill:{style.label}",
                )
                ax.plot(
                    x,
                    y,
                    color=style.color,
                    linestyle=style.linestyle,
                    linewidth=style.linewidth,
                    alpha=style.alpha,
                    label=style.label if k == 0 else None,
                    gid=f"reach:{style.label}",
                    zorder=3,
                )
            continue
        ok = np.isfinite(result.d95)
        ax.plot(
            result.mass[ok],
            result.d95[ok],
            color=style.color,
            linestyle=style.linestyle,
            linewidth=style.linewidth,
            alpha=style.alpha,
            label=style.label,
            gid=f"reach:{style.label}",
            zorder=3,
        )


def plot_landscape(
    flavours: Sequence[Flavour],
    limits: LimitSet,
    curves: Sequence[tuple[ReachResult, CurveStyle]],
    title: str = "",
    curves_by_flavour: Mapping[Flavour, Sequence[tuple[ReachResult, CurveStyle]]] | None = None,
    mass_range: tuple[float, float] = MASS_RANGE,
    d_range: tuple[float, float] = D_RANGE,
) -> Figure:
    """One panel per flavour with the limits on that flavour and the projected curves.

    ``curves`` are drawn on every panel, ``curves_by_flavour`` only on their flavour's (for
    results that depend on the flavour, e.g. W exchange for d_e).
    """
    n = len(flavours)
    # A bare Figure (no pyplot): the library never touches the user's backend or global state.
    fig = Figure(figsize=(6.6 * n, 5.4), layout="constrained")
    axes = fig.subplots(1, n, squeeze=False)
    for ax, flavour in zip(axes[0], flavours, strict=True):
        draw_limits(ax, limits.for_flavour(flavour))
        draw_curves(ax, curves)
        if curves_by_flavour is not None:
            draw_curves(ax, curves_by_flavour.get(flavour, ()))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(*mass_range)
        ax.set_ylim(*d_range)
        ax.set_xlabel(r"$m_N$ [GeV]")
        ax.set_ylabel(rf"$d_{{{FLAVOUR_SYMBOL[flavour]}}}$ [GeV$^{{-1}}$]")
        ax.set_title(
            rf"$\nu_{{{FLAVOUR_SYMBOL[flavour]}}}$ dipole portal"
            + (f" — {title}" if title else ""),
            fontsize=10,
        )
        ax.grid(True, which="major", alpha=0.25)
        # Lower right is empty in every panel (heavy N, tiny couplings): no region is hidden.
        ax.legend(fontsize=5.5, loc="lower right", ncol=1, framealpha=0.85)
    return fig
