"""``nudipole figure lep-cepc``: LEP limits and CEPC reach per flavour, with existing limits."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nudipole.api import mass_grid, reach, resolve_experiment
from nudipole.limits import LimitSet
from nudipole.model import Flavour
from nudipole.reach.recipes import LEP_CEPC
from nudipole.reach.result import ReachResult

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Axes of the LEP/CEPC figure: m_N in GeV and d_gamma in GeV^-1.
LEP_CEPC_MASS_RANGE = (1e-2, 400.0)
LEP_CEPC_D_RANGE = (1e-8, 1e-1)
M_MIN = 1e-2  # GeV
#: The catalogue's LEP entry (photon dipole alone), replaced by the scenario's own LEP limits.
CATALOGUE_LEP = "lep"
#: Opacity of the cos(theta_b) bands around the CEPC curves.
BOUNDARY_BAND_ALPHA = 0.18
#: Hatch and opacity of the background-uncertainty bands (``--bkg-uncertainty``), drawn over
#: the cos(theta_b) bands: hatched (against the existing limits' forward hatch) so that the
#: two stay apart.
SYSTEMATICS_HATCH = "\\\\\\\\"
SYSTEMATICS_ALPHA = 0.55


def lep_cepc_curves(
    flavour: Flavour,
    scenario: str | None,
    a: float | None,
    sin2w: float | None,
    preset: str,
    n: int,
    progress: Any,
) -> list[tuple[ReachResult, Any]]:
    """The eight curves of :data:`LEP_CEPC` for one flavour."""
    from nudipole.plotting.landscape import CurveStyle

    out = []
    for curve, style in LEP_CEPC:
        exp = resolve_experiment(curve.experiment)
        sel = exp.selection(curve.selection)
        top = sel.sqrt_s if sel.sqrt_s is not None else exp.max_sqrt_s
        masses = mass_grid(M_MIN, 0.995 * top, n)
        model = (flavour, scenario, a, sin2w)
        result = _curve(exp, masses, curve.selection, preset, progress, model)
        out.append((result, CurveStyle(curve.label, curve.color, style)))
    return out


def _curve(
    exp: Any,
    masses: Any,
    selection: str | None,
    preset: str,
    progress: Any,
    model: tuple[Flavour, str | None, float | None, float | None],
    background_uncertainty: float | None = None,
) -> ReachResult:
    """One curve of the figure: the reach with the figure's settings and coupling ``model``
    (flavour, scenario, a, sin2w), with the selection's background uncertainty or
    ``background_uncertainty`` (relative)."""
    flavour, scenario, a, sin2w = model
    return reach(
        exp,
        masses,
        selection=selection,
        preset=preset,
        progress=progress,
        flavour=flavour,
        scenario=scenario,
        a=a,
        sin2w=sin2w,
        background_uncertainty=background_uncertainty,
    )


def counted_curves() -> list[tuple[Any, str]]:
    """The curves of :data:`LEP_CEPC` whose limit is counted from signal and background (the
    CEPC runs), as (curve, line style): only they depend on a background uncertainty; the LEP
    curves use published results."""
    return [
        (curve, style)
        for curve, style in LEP_CEPC
        if resolve_experiment(curve.experiment).selection(curve.selection).limit.type == "counting"
    ]


def systematics_bands(
    curves: list[tuple[ReachResult, Any]],
    model: tuple[Flavour, str | None, float | None, float | None],
    uncertainty: float,
    preset: str,
    progress: Any,
) -> list[tuple[ReachResult, ReachResult, Any]]:
    """For each counted curve among ``curves`` (the statistics-only results of
    :func:`lep_cepc_curves` for the coupling ``model``: flavour, scenario, a, sin2w), the same
    curve with a relative background uncertainty ``uncertainty``, profiled as its statistic
    says (docs/conventions.md): (statistics-only, with uncertainty, style)."""
    counted = {curve.label: curve for curve, _ in counted_curves()}
    out = []
    for result, style in curves:
        curve = counted.get(style.label)
        if curve is None:
            continue
        exp = resolve_experiment(curve.experiment)
        syst = _curve(
            exp, result.mass, curve.selection, preset, progress, model,
            background_uncertainty=uncertainty,
        )  # fmt: skip
        out.append((result, syst, style))
    return out


def _fill_bands(
    fig: Figure,
    flavours: list[Flavour],
    bands: dict[Flavour, list[tuple[ReachResult, ReachResult, Any]]],
    gid: str,
    **style_kw: Any,
) -> None:
    """Fill, on each flavour's panel, between the two limits of each band (they share their
    masses), with the curve's colour as ``style_kw`` asks (``color`` or ``edgecolor`` set to
    it) and ``gid`` = "<gid>:<label>"."""
    for ax, flavour in zip(fig.axes, flavours, strict=False):
        for one, two, style in bands.get(flavour, []):
            d_lo, d_hi = np.fmin(one.d95, two.d95), np.fmax(one.d95, two.d95)
            ok = np.isfinite(d_lo) & np.isfinite(d_hi)
            colour = {k: style.color for k, v in style_kw.items() if v is None}
            ax.fill_between(
                one.mass[ok],
                d_lo[ok],
                d_hi[ok],
                **{**style_kw, **colour},
                linewidth=0.0,
                zorder=2,
                gid=f"{gid}:{style.label}",
            )


def _draw_systematics_bands(
    fig: Figure,
    flavours: list[Flavour],
    bands: dict[Flavour, list[tuple[ReachResult, ReachResult, Any]]],
) -> None:
    """Hatch, on each flavour's panel, from each counted curve to its limit with the
    background uncertainty."""
    _fill_bands(
        fig,
        flavours,
        bands,
        "bkg-band",
        facecolor="none",
        edgecolor=None,
        hatch=SYSTEMATICS_HATCH,
        alpha=SYSTEMATICS_ALPHA,
    )


def boundary_bands(
    flavour: Flavour,
    scenario: str | None,
    a: float | None,
    sin2w: float | None,
    preset: str,
    n: int,
    progress: Any,
) -> list[tuple[ReachResult, ReachResult, Any]]:
    """For each curve of :data:`LEP_CEPC` whose boundary-energy cut (seed Eq. 14) has a
    ``cos_theta_b_range`` (CEPC: no source fixes theta_b), the limits at the two ends of the
    range on the curve's mass grid: (low end, high end, style)."""
    from nudipole.experiments.selections import BoundaryEnergyCut
    from nudipole.plotting.landscape import CurveStyle

    out = []
    for curve, style in LEP_CEPC:
        exp = resolve_experiment(curve.experiment)
        sel = exp.selection(curve.selection)
        ranges = [
            c.cos_theta_b_range
            for c in sel.cuts
            if isinstance(c, BoundaryEnergyCut) and c.cos_theta_b_range is not None
        ]
        if not ranges:
            continue
        top = sel.sqrt_s if sel.sqrt_s is not None else exp.max_sqrt_s
        masses = mass_grid(M_MIN, 0.995 * top, n)
        model = (flavour, scenario, a, sin2w)
        ends = [
            _curve(
                exp.with_cos_theta_b(curve.selection, cos_b),
                masses,
                curve.selection,
                preset,
                progress,
                model,
            )
            for cos_b in ranges[0]
        ]
        out.append((ends[0], ends[1], CurveStyle(curve.label, curve.color, style)))
    return out


def _draw_boundary_bands(
    fig: Figure,
    flavours: list[Flavour],
    bands: dict[Flavour, list[tuple[ReachResult, ReachResult, Any]]],
) -> None:
    """Shade, on each flavour's panel, the limit between the two ends of cos(theta_b)."""
    _fill_bands(fig, flavours, bands, "theta-b-band", color=None, alpha=BOUNDARY_BAND_ALPHA)


def _lep_notes(
    by_flavour: dict[Flavour, list[tuple[ReachResult, Any]]], limits: LimitSet
) -> tuple[list[str], dict[Flavour, list[tuple[ReachResult, Any]]]]:
    """Notes of the LEP/CEPC figure, and the curves left to draw (those with a bound)."""
    notes = []
    first = next((r for curves in by_flavour.values() for r, _ in curves), None)
    couplings = first.inputs.get("couplings", {}) if first is not None else {}
    if not isinstance(couplings, dict):
        couplings = {}
    ratios = ""
    if "dZ_over_dgamma" in couplings and "dW_over_dgamma" in couplings:
        ratios = (
            f" ($d_Z/d_\\gamma$ = {couplings['dZ_over_dgamma']:.4g}, "
            f"$d_W/d_\\gamma$ = {couplings['dW_over_dgamma']:.4g})"
        )
    lep = (
        " The catalogue's LEP region (Magill et al., arXiv:1803.03262) assumes a photon dipole "
        "alone and is not drawn here."
        if CATALOGUE_LEP in limits.ids()
        else ""
    )
    notes.append(
        "LEP curves: this scenario's limits from the published OPAL, L3, DELPHI and Z-width "
        f"results{ratios}, computed by nudipole.{lep} The shaded regions are existing limits "
        "on $d_\\gamma$ at low mass, where $d_Z$ and $d_W$ do not enter."
    )
    kept: dict[Flavour, list[tuple[ReachResult, Any]]] = {}
    no_bound: dict[str, ReachResult] = {}
    for flavour, curves in by_flavour.items():
        kept[flavour] = []
        for result, style in curves:
            if np.any(np.isfinite(result.d95)):
                kept[flavour].append((result, style))
            else:
                no_bound.setdefault(style.label, result)
    for label, result in no_bound.items():
        if result.inputs.get("selection") == "z-width" and couplings.get("dZ_over_dgamma") == 0:
            notes.append(f"{label}: no bound, since $d_Z$ = 0 here ($Z \\to \\nu N$ needs $d_Z$).")
        else:
            notes.append(f"{label}: no bound on the mass axis (not drawn).")
    return notes, kept


def lep_cepc_figure(
    flavours: list[Flavour],
    limits: LimitSet,
    by_flavour: dict[Flavour, list[tuple[ReachResult, Any]]],
    scenario: str | None,
    a: float | None,
    preset: str,
    bands: dict[Flavour, list[tuple[ReachResult, ReachResult, Any]]] | None = None,
    systematics: dict[Flavour, list[tuple[ReachResult, ReachResult, Any]]] | None = None,
    uncertainty: float | None = None,
) -> Figure:
    """The LEP/CEPC figure from computed curves (:func:`lep_cepc_curves` per flavour).

    Parameters
    ----------
    flavours
        One panel per flavour.
    limits
        Existing limits; the catalogue's photon-only LEP region is left out, since the
        scenario's own LEP limits are drawn (a note says so).
    by_flavour
        The curves of each flavour; those without a bound get a note, not a legend entry.
    scenario, a
        The coupling scenario (or the ratio a), for the title.
    preset
        The preset, for the title.
    bands
        Per flavour, the CEPC limits at both ends of the estimated cos(theta_b) range
        (:func:`boundary_bands`), shaded around the curves; none if not given.
    systematics, uncertainty
        Per flavour, each counted curve with the relative background ``uncertainty``
        (:func:`systematics_bands`), hatched from the statistics-only curve; none if not given.

    Returns
    -------
    Figure
        A bare figure (no backend chosen).
    """
    from nudipole.plotting.landscape import plot_landscape

    name = f"scenario {scenario}" if scenario else (f"a = {a:g}" if a is not None else "")
    notes, drawn = _lep_notes(by_flavour, limits)
    if bands:
        notes.append(
            "Shaded around the CEPC curves: the limit for a radiative-Bhabha boundary "
            "cos(theta_b) from 0.99 (the ECAL edge; the lines) to 0.999 (a forward veto down to "
            "45 mrad), both estimated: no source fixes theta_b (docs/electroweak.md)."
        )
    if systematics and uncertainty is not None:
        notes.append(
            "Hatched from each CEPC curve: up to its limit with a relative background "
            f"uncertainty of {100 * uncertainty:g} % (profiled, docs/conventions.md); the "
            "lines are statistics only. The LEP curves use published results and do not change."
        )
    fig = plot_landscape(
        flavours,
        LimitSet(tuple(lim for lim in limits if lim.id != CATALOGUE_LEP)),
        [],
        title=f"LEP and CEPC, {name} ({preset})",
        curves_by_flavour=drawn,
        mass_range=LEP_CEPC_MASS_RANGE,
        d_range=LEP_CEPC_D_RANGE,
        notes=notes,
        coupling="\\gamma,",
    )
    if bands:
        _draw_boundary_bands(fig, flavours, bands)
    if systematics:
        _draw_systematics_bands(fig, flavours, systematics)
    return fig


def make_lep_cepc(
    output: Path,
    flavours: list[Flavour],
    limits: LimitSet,
    scenario: str | None,
    a: float | None,
    sin2w: float | None,
    preset: str,
    n: int,
    show_progress: bool,
    background_uncertainty: float | None = None,
) -> None:
    """Compute the LEP limits and CEPC reach for each flavour and save the figure.

    The catalogue's photon-only LEP region is left out (the scenario's own LEP limits are
    drawn instead, and a note says so); curves with no bound get a note, not a legend entry.
    The CEPC curves get a band over their estimated cos(theta_b) range (:func:`boundary_bands`)
    and, with ``background_uncertainty`` (relative), a hatched band up to their limit with that
    uncertainty (:func:`systematics_bands`).
    """
    from nudipole.cli._common import progress_bar
    from nudipole.experiments.selections import BoundaryEnergyCut
    from nudipole.plotting.reach_plots import save_figure

    by_flavour = {}
    bands = {}
    n_curves = len(LEP_CEPC) + 2 * sum(
        any(
            isinstance(c, BoundaryEnergyCut) and c.cos_theta_b_range is not None
            for c in resolve_experiment(curve.experiment).selection(curve.selection).cuts
        )
        for curve, _ in LEP_CEPC
    )
    if background_uncertainty is not None:
        n_curves += len(counted_curves())
    systematics = {}
    with progress_bar(len(flavours) * n_curves * n, "LEP/CEPC", show_progress) as progress:
        for flavour in flavours:
            by_flavour[flavour] = lep_cepc_curves(flavour, scenario, a, sin2w, preset, n, progress)
            bands[flavour] = boundary_bands(flavour, scenario, a, sin2w, preset, n, progress)
            if background_uncertainty is not None:
                model = (flavour, scenario, a, sin2w)
                systematics[flavour] = systematics_bands(
                    by_flavour[flavour], model, background_uncertainty, preset, progress
                )
    figure = lep_cepc_figure(
        flavours,
        limits,
        by_flavour,
        scenario,
        a,
        preset,
        bands=bands,
        systematics=systematics or None,
        uncertainty=background_uncertainty,
    )
    save_figure(figure, output)
