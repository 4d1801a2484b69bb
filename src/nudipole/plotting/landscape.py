"""The landscape plot: existing limits (shaded) and projected reach curves, per flavour.

Colour families of the seed's Fig. 3 (Zhang et al., PLB 829 (2022) 137116): grey for limits on
all flavours, orange for d_e, sky blue for d_mu, pink for d_tau; within a family every limit has
its own tint, edge and, where it lies inside others, hatch (:mod:`nudipole.plotting.styles`),
and its name is written inside its region (:mod:`nudipole.plotting.region_labels`). The legend
sits below each panel, off the curves. Every artist carries a ``gid`` (``limit:<id>``,
``reach:<label>``, ``label:<id>``) so that tests and users can find it on the axes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from nudipole.limits.catalogue import ExistingLimit, LimitSet
from nudipole.model import Flavour, FlavourMode
from nudipole.physics._types import FloatArray
from nudipole.plotting.labels import curve_label, glossary_notes
from nudipole.plotting.layout import (
    COLUMN_SPACING,
    HANDLE_LENGTH,
    add_notes,
    bare_figure,
    columns_that_fit,
    freeze_layout,
    legend_below,
    settle_layout,
)
from nudipole.plotting.log_ticks import trim_log_ticks
from nudipole.plotting.region_labels import (
    RegionLabel,
    place_region_labels,
    polygon_contains,
    union_contains,
)
from nudipole.plotting.styles import FACE_ALPHA, FLAVOUR_COLOURS, limit_style
from nudipole.reach.result import ReachResult

__all__ = [
    "D_RANGE",
    "FLAVOUR_COLOURS",
    "MASS_RANGE",
    "CurveStyle",
    "LandscapeFrame",
    "band_outline",
    "draw_curves",
    "draw_limits",
    "finish_landscape",
    "landscape_frame",
    "legend_proxy",
    "legend_text",
    "limit_label",
    "panel_limits",
    "panel_texts",
    "plot_landscape",
]

FLAVOUR_SYMBOL = {Flavour.E: "e", Flavour.MU: r"\mu", Flavour.TAU: r"\tau"}


def panel_limits(limits: LimitSet, panel: Flavour | FlavourMode) -> LimitSet:
    """The existing limits drawn on a panel: those on its flavour; on a flavour-universal
    panel (d_e = d_mu = d_tau = d) every limit, since a limit on any single d_k bounds d
    (module docstring of :mod:`nudipole.plotting.llp_plots`)."""
    mode = FlavourMode(panel)
    if mode is FlavourMode.UNIVERSAL:
        return limits
    return limits.for_flavour(mode.value)


def panel_texts(panel: Flavour | FlavourMode, coupling: str, title: str) -> tuple[str, str]:
    """(y label, title) of a panel; ``coupling`` is the subscript before the flavour."""
    mode = FlavourMode(panel)
    if mode is FlavourMode.UNIVERSAL:
        ds = " = ".join(f"d_{{{coupling}{FLAVOUR_SYMBOL[f]}}}" for f in Flavour)
        ylabel = f"${ds}$ [GeV$^{{-1}}$]"
        head = r"flavour-universal dipole portal ($d_e = d_\mu = d_\tau$)"
    else:
        symbol = FLAVOUR_SYMBOL[Flavour(mode.value)]
        ylabel = rf"$d_{{{coupling}{symbol}}}$ [GeV$^{{-1}}$]"
        head = rf"$\nu_{{{symbol}}}$ dipole portal"
    return ylabel, head + (f" — {title}" if title else "")


#: Mass axis (GeV): up to beyond the Belle II threshold, sqrt(s) = 10.58 GeV.
MASS_RANGE = (1e-3, 12.0)
D_RANGE = (1e-11, 1e-2)
#: Opacity of a band's fill: light, so that the regions under overlapping bands stay visible.
BAND_FILL_ALPHA = 0.12


@dataclass(frozen=True)
class CurveStyle:
    """How to draw one projected curve.

    Attributes
    ----------
    label
        The curve's name; its ``gid`` is ``reach:<label>``. The legend adds the centre-of-mass
        energy and luminosity where the name lacks them.
    color, linestyle, alpha, linewidth
        Matplotlib line properties.
    """

    label: str
    color: str
    linestyle: str
    alpha: float = 1.0
    linewidth: float = 1.8


def flavour_tag(limit: ExistingLimit) -> str:
    """The flavours of a limit on some flavours only, as " ($d_\\mu$)" (the universal panel
    names them); "" for a limit on every flavour."""
    if set(limit.flavours) == set(Flavour):
        return ""
    return " (" + ", ".join(f"$d_{{{FLAVOUR_SYMBOL[f]}}}$" for f in limit.flavours) + ")"


def limit_label(limit: ExistingLimit, tag_flavour: bool = False) -> str:
    """Legend text of an existing limit: name (with its flavour when ``tag_flavour`` and it
    bounds some flavours only), confidence level and arXiv number."""
    cl = f"{round(100 * limit.cl)}% CL" + (", rescaled" if limit.rescaled else "")
    tag = flavour_tag(limit) if tag_flavour else ""
    return f"{limit.label}{tag} ({cl}) [arXiv:{limit.arxiv}]"


def draw_limits(ax: Axes, limits: LimitSet, tag_flavour: bool = False) -> None:
    """Shade each excluded region in its own style (:func:`~nudipole.plotting.styles.limit_style`)
    and outline it (``tag_flavour``: see :func:`limit_label`)."""
    for limit in limits:
        style = limit_style(limit)
        ax.fill(
            limit.polygon[:, 0],
            limit.polygon[:, 1],
            facecolor=to_rgba(style.face, FACE_ALPHA),
            edgecolor=to_rgba(style.edge, 0.9),
            hatch=style.hatch,
            linewidth=0.8,
            label=limit_label(limit, tag_flavour),
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


def _band_name(result: ReachResult, style: CurveStyle) -> str:
    title = result.inputs.get("experiment_title")
    return str(title) if title else style.label


def draw_curves(
    ax: Axes, curves: Sequence[tuple[ReachResult, CurveStyle]], labelled: bool = True
) -> list[str]:
    """One-sided limits as lines; banded (far-detector) results as closed, lightly filled
    outlines. A result without any sensitivity is not drawn and gets no legend entry.
    ``labelled`` False: no legend labels (the legend was made beforehand from
    :func:`legend_proxy` handles, :func:`landscape_frame`).

    Returns
    -------
    list of str
        The labels of the results that were not drawn (no sensitivity on the whole scan).
    """
    missing = []
    for result, style in curves:
        legend = curve_label(style.label, result) if labelled else None
        if not np.any(np.isfinite(result.d95)):
            missing.append(style.label.rsplit(" [", 1)[0])
            continue
        if result.is_band:
            for k, (x, y) in enumerate(band_outline(result)):
                ax.fill(
                    x,
                    y,
                    facecolor=style.color,
                    edgecolor=style.color,
                    alpha=BAND_FILL_ALPHA * style.alpha,
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
                    label=legend if k == 0 else None,
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
            label=legend,
            gid=f"reach:{style.label}",
            zorder=3,
        )
    return missing


def _band_labels(curves: Sequence[tuple[ReachResult, CurveStyle]]) -> list[RegionLabel]:
    bands = [(r, s) for r, s in curves if r.is_band]
    names = [_band_name(r, s) for r, s in bands]
    out = []
    for (result, style), name in zip(bands, names, strict=True):
        if names.count(name) > 1:
            name = f"{name} [{result.inputs.get('preset', '')}]"
        inside = union_contains([np.column_stack(xy) for xy in band_outline(result)])
        out.append(RegionLabel(f"band:{style.label}", name, style.color, inside, group="bands"))
    return out


def _limit_labels(limits: LimitSet, tag_flavour: bool = False) -> list[RegionLabel]:
    out = []
    for limit in limits:
        style = limit_style(limit)
        text = style.short + (flavour_tag(limit) if tag_flavour else "")
        out.append(RegionLabel(limit.id, text, style.edge, polygon_contains(limit.polygon)))
    return out


def _legends(
    fig: Figure, axes: Sequence[Axes], curves: Sequence[Sequence[tuple[CurveStyle, str]]]
) -> None:
    """Each panel's legend below it (its limits, then ``curves``: style and legend text of
    each curve with sensitivity, as :func:`legend_proxy` handles); with several panels, the
    curves drawn on every panel go into one legend under the figure instead."""
    entries = []
    for ax, panel in zip(axes, curves, strict=True):
        handles, labels = ax.get_legend_handles_labels()
        entries.append(
            (
                [*handles, *(legend_proxy(style) for style, _ in panel)],
                [*labels, *(text for _, text in panel)],
            )
        )
    shared: list[str] = []
    if len(axes) > 1:
        first_handles, first_labels = entries[0]
        for handle, label in zip(first_handles, first_labels, strict=True):
            gid = handle.get_gid() or ""
            if gid.startswith("reach:") and all(label in lab for _, lab in entries[1:]):
                shared.append(label)
    for ax, (handles, labels) in zip(axes, entries, strict=True):
        keep = [(h, lab) for h, lab in zip(handles, labels, strict=True) if lab not in shared]
        legend_below(ax, [h for h, _ in keep], [lab for _, lab in keep])
    if shared:
        handles, labels = entries[0]
        by_label = dict(zip(labels, handles, strict=True))
        fig.legend(
            [by_label[lab] for lab in shared],
            shared,
            loc="outside upper center",
            ncol=columns_that_fit(shared, 7.0, fig.get_figwidth() * 72.0, 4, fig),
            fontsize=7,
            handlelength=HANDLE_LENGTH,
            frameon=False,
            columnspacing=COLUMN_SPACING,
        )


def plot_landscape(
    flavours: Sequence[Flavour | FlavourMode],
    limits: LimitSet,
    curves: Sequence[tuple[ReachResult, CurveStyle]],
    title: str = "",
    curves_by_flavour: Mapping[Flavour, Sequence[tuple[ReachResult, CurveStyle]]]
    | Mapping[FlavourMode, Sequence[tuple[ReachResult, CurveStyle]]]
    | None = None,
    mass_range: tuple[float, float] = MASS_RANGE,
    d_range: tuple[float, float] = D_RANGE,
    notes: Sequence[str] = (),
    coupling: str = "",
    label_regions: bool = True,
) -> Figure:
    """One panel per flavour with the limits on that flavour and the projected curves.

    Parameters
    ----------
    flavours
        One panel per flavour, left to right; ``FlavourMode.UNIVERSAL`` is a panel for
        d_e = d_mu = d_tau (:func:`panel_limits`: every limit applies).
    limits
        Existing limits; each panel draws those on its flavour (:func:`panel_limits`).
    curves
        Drawn on every panel.
    title
        Added to each panel's title.
    curves_by_flavour
        Drawn only on their flavour's panel (results that depend on the flavour, e.g. W
        exchange for d_e).
    mass_range, d_range
        Axes ranges (GeV, GeV^-1).
    notes
        Lines written under the figure; notes on abbreviations used in the labels and on
        curves without sensitivity are added.
    coupling
        Subscript before the flavour in the y label (``"\\gamma,"`` gives d_{gamma,e}).
    label_regions
        Write each limit's name inside its region, and each band's name inside it. The
        names are placed for the layout of a first draw, which is then kept (the figure's
        layout engine is switched off): artists added afterwards do not move the axes.

    Returns
    -------
    Figure
        A bare figure (no pyplot, no backend chosen).
    """
    by_panel = {FlavourMode(k): v for k, v in (curves_by_flavour or {}).items()}
    panels = [[*curves, *by_panel.get(FlavourMode(flavour), ())] for flavour in flavours]
    frame = landscape_frame(
        flavours,
        limits,
        [[(style, legend_text(result, style)) for result, style in panel] for panel in panels],
        title=title,
        mass_range=mass_range,
        d_range=d_range,
        notes=notes,
        coupling=coupling,
        label_regions=label_regions,
    )
    finish_landscape(frame, panels)
    return frame.fig


def legend_text(result: ReachResult, style: CurveStyle) -> str | None:
    """The legend text of a curve (:func:`~nudipole.plotting.labels.curve_label`); None for
    a result without any sensitivity (not drawn, named in a note instead)."""
    if not np.any(np.isfinite(result.d95)):
        return None
    return curve_label(style.label, result)


def legend_proxy(style: CurveStyle) -> Line2D:
    """A legend handle drawn as the curve of ``style`` is (:func:`draw_curves`; it belongs to
    no axes, so the figure holds it in its legend only)."""
    props: dict[str, Any] = {
        "color": style.color,
        "linestyle": style.linestyle,
        "linewidth": style.linewidth,
        "alpha": style.alpha,
        "gid": f"reach:{style.label}",
    }
    return Line2D([], [], **props)


@dataclass
class LandscapeFrame:
    """A landscape figure laid out before its curves are drawn (:func:`landscape_frame`):
    panels, limits, axes, legends and notes in place; :func:`finish_landscape` adds the
    curves and the names inside the regions. ``legends``: per panel, the curves' styles and
    legend texts (None: no sensitivity, in the note) it was laid out for."""

    fig: Figure
    axes: list[Axes]
    limits: list[LimitSet]
    universal: list[bool]
    legends: list[list[tuple[CurveStyle, str | None]]]
    label_regions: bool
    finished: bool = False


def landscape_frame(
    flavours: Sequence[Flavour | FlavourMode],
    limits: LimitSet,
    legends: Sequence[Sequence[tuple[CurveStyle, str | None]]],
    title: str = "",
    mass_range: tuple[float, float] = MASS_RANGE,
    d_range: tuple[float, float] = D_RANGE,
    notes: Sequence[str] = (),
    coupling: str = "",
    label_regions: bool = True,
) -> LandscapeFrame:
    """The figure of :func:`plot_landscape` without its curves, for curves whose legend texts
    are known before the curves are (``legends``: per panel, each curve's style and legend
    text, None for one without sensitivity; :func:`legend_text`): the existing limits, axes,
    legends and notes, laid out (the layout does not depend on the curves, which lie inside
    the axes). Other arguments as :func:`plot_landscape`."""
    n = len(flavours)
    fig = bare_figure((6.6 * n, 7.2))
    axes = list(fig.subplots(1, n, squeeze=False)[0])
    missing: list[str] = []
    own_limits: list[LimitSet] = []
    universal: list[bool] = []
    texts = [title]
    for ax, flavour, panel in zip(axes, flavours, legends, strict=True):
        own = panel_limits(limits, flavour)
        is_universal = FlavourMode(flavour) is FlavourMode.UNIVERSAL
        draw_limits(ax, own, tag_flavour=is_universal)
        for style, text in panel:
            name = style.label.rsplit(" [", 1)[0]
            if text is None and name not in missing:
                missing.append(name)
        own_limits.append(own)
        universal.append(is_universal)
        texts += [style.label for style, _ in panel]
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(*mass_range)
        ax.set_ylim(*d_range)
        trim_log_ticks(ax)
        ax.set_xlabel(r"$m_N$ [GeV]")
        ylabel, panel_title = panel_texts(flavour, coupling, title)
        ax.set_ylabel(ylabel)
        ax.set_title(panel_title, fontsize=10)
        ax.grid(True, which="major", alpha=0.25)
    shown = [[(style, text) for style, text in panel if text is not None] for panel in legends]
    _legends(fig, axes, shown)
    all_notes = list(notes)
    if missing:
        all_notes.append("No sensitivity on the mass axis (not drawn): " + ", ".join(missing))
    all_notes += glossary_notes(texts)
    add_notes(fig, all_notes)
    if label_regions:
        settle_layout(fig)  # final axes positions, for the names inside regions
    return LandscapeFrame(
        fig, axes, own_limits, universal, [list(p) for p in legends], label_regions
    )


def finish_landscape(
    frame: LandscapeFrame, panels: Sequence[Sequence[tuple[ReachResult, CurveStyle]]]
) -> bool:
    """Draw the curves of each panel into ``frame`` (:func:`landscape_frame`) and name the
    regions; False, with nothing drawn, when the curves are not those the frame was laid
    out for (their styles or legend texts differ, or one has no sensitivity that the frame
    expected to have some): draw the figure afresh (:func:`plot_landscape`) then."""
    if frame.finished:
        raise ValueError("this landscape frame has its curves already: lay out another")
    expected = [[(style, legend_text(r, style)) for r, style in panel] for panel in panels]
    if expected != frame.legends:
        return False
    frame.finished = True
    for ax, panel in zip(frame.axes, panels, strict=True):
        draw_curves(ax, panel, labelled=False)
    if frame.label_regions:
        for ax, own, panel, universal in zip(
            frame.axes, frame.limits, panels, frame.universal, strict=True
        ):
            labels = [*_band_labels(panel), *_limit_labels(own, tag_flavour=universal)]
            place_region_labels(ax, labels)
        # the names were placed for these positions: keep them (saving then draws once,
        # without the layout's passes over every tick label)
        freeze_layout(frame.fig)
    return True
