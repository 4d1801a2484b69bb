"""The far-detector figures of ``nudipole figure`` and ``headline``: ``lhc-far`` (the bands of
FASER-2, FACET and MAPP-2 per flavour), ``lhc-channels`` (one detector's band per meson
channel) and ``lhc-llp`` (the W/Z source at the long-lived-particle detectors)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nudipole.api import far_reach, far_reach_detectors, mass_grid
from nudipole.cli._common import check_output, progress_bar
from nudipole.cli.lhc_commands import FIGURE_MASSES
from nudipole.experiments import ExperimentError
from nudipole.model import Flavour, FlavourMode
from nudipole.production.meson_table import CHANNELS, channel_info
from nudipole.reach.result import ReachResult

if TYPE_CHECKING:  # plotting is imported where a figure is drawn (start-up of the CLI)
    from nudipole.plotting.landscape import CurveStyle, LandscapeFrame

#: Built-in far detectors drawn by ``figure lhc-far``, with their colours.
FAR_DETECTORS = (("faser2", "crimson"), ("facet", "darkgreen"), ("mapp2", "royalblue"))
#: Panels of ``figure lhc-llp`` by default, as in the talk ("Left is the flavor universal
#: coupling case, right for d_tau dominance"; Liu & Zhang, EPJC 83 (2023) 568).
LLP_PANELS: tuple[FlavourMode, ...] = (FlavourMode.UNIVERSAL, FlavourMode.TAU)


def far_results(
    flavours: Sequence[Flavour], preset: str, n: int, progress: Any, workers: int | None = None
) -> dict[Flavour, list[tuple[ReachResult, str]]]:
    """The band of each far detector of the figure for each flavour; the flavour-blind
    channels' rays computed once per detector (:func:`nudipole.api.far_reach_detectors`), its
    masses on ``workers`` threads (:func:`nudipole._parallel.run_threads`)."""
    masses = mass_grid(*FIGURE_MASSES, n)
    # each detector's masses side by side on threads (measured a little faster than the
    # detectors side by side: 4.4-5.3 s against 4.7-5.7 s for the nine bands of 24 masses),
    # the ends of all the bands' islands at the end
    bands = far_reach_detectors(
        [name for name, _ in FAR_DETECTORS],
        masses,
        flavours,
        preset=preset,
        progress=progress,
        error_estimate=False,
        workers=workers,
    )
    return {
        flavour: [
            (per[flavour], colour) for per, (_, colour) in zip(bands, FAR_DETECTORS, strict=True)
        ]
        for flavour in flavours
    }


def make_lhc_far(
    output: Path, flavours: list[Flavour], limits: Any, preset: str, n: int, show: bool
) -> list[ReachResult]:
    """Bands of FASER-2, FACET and MAPP-2 over the existing limits, one panel per flavour
    (results flavour by flavour, detectors in :data:`FAR_DETECTORS` order)."""
    with progress_bar(len(flavours) * len(FAR_DETECTORS) * n, "lhc-far", show) as progress:
        bands = far_results(flavours, preset, n, progress)
    return draw_lhc_far(output, flavours, limits, preset, bands)


#: plot_landscape's arguments of ``fig_lhc_far`` besides its limits and curves.
FAR_FIGURE: dict[str, Any] = {
    "title": "LHC far detectors, N from meson decays",
    "mass_range": (1e-3, 10.0),
    "d_range": (1e-9, 1e-1),
}


def _far_style(inputs: Any, colour: str, preset: str) -> CurveStyle:
    """The curve style of a far detector's band in ``fig_lhc_far`` from its result's
    ``inputs`` (title and luminosity)."""
    from nudipole.plotting.landscape import CurveStyle

    label = f"{inputs['experiment_title']}, {inputs['total_luminosity']} [{preset}]"
    return CurveStyle(label=label, color=colour, linestyle="-")


def lhc_far_frame(flavours: list[Flavour], limits: Any, preset: str) -> LandscapeFrame:
    """``fig_lhc_far`` laid out before its bands are computed
    (:func:`nudipole.plotting.landscape.landscape_frame`): the legend texts of the bands
    follow from the detectors' files (title, sqrt(s), luminosity, the entries of a far
    result's ``inputs`` that they use). The headline draws it while its second process
    computes the bands; :func:`draw_lhc_far` checks that the bands are those it was laid out
    for and otherwise draws the figure afresh."""
    from nudipole.experiments.registry import load_far_experiment
    from nudipole.plotting.labels import inputs_curve_label
    from nudipole.plotting.landscape import landscape_frame

    panel = []
    for name, colour in FAR_DETECTORS:
        exp = load_far_experiment(name)
        inputs = {
            "experiment_title": exp.title,
            "sqrt_s": exp.sqrt_s,
            "total_luminosity": exp.luminosity,
        }
        style = _far_style(inputs, colour, preset)
        panel.append((style, inputs_curve_label(style.label, inputs)))
    return landscape_frame(flavours, limits, [list(panel) for _ in flavours], **FAR_FIGURE)


def draw_lhc_far(
    output: Path,
    flavours: list[Flavour],
    limits: Any,
    preset: str,
    bands: dict[Flavour, list[tuple[ReachResult, str]]],
    frame: LandscapeFrame | None = None,
) -> list[ReachResult]:
    """The figure of :func:`make_lhc_far` from its bands (:func:`far_results`); the results
    flavour by flavour, detectors in :data:`FAR_DETECTORS` order. ``frame``: the figure laid
    out beforehand (:func:`lhc_far_frame`, the same limits), used where the bands are those
    it was laid out for (the same figure, to the byte)."""
    from nudipole.plotting.landscape import finish_landscape, plot_landscape
    from nudipole.plotting.reach_plots import save_figure

    by_flavour: dict[Flavour, list[tuple[ReachResult, CurveStyle]]] = {}
    results = []
    for flavour in flavours:
        drawn = []
        for result, colour in bands[flavour]:
            results.append(result)
            drawn.append((result, _far_style(result.inputs, colour, preset)))
        by_flavour[flavour] = drawn
    if frame is not None and finish_landscape(frame, [by_flavour[f] for f in flavours]):
        fig = frame.fig
    else:
        fig = plot_landscape(flavours, limits, [], curves_by_flavour=by_flavour, **FAR_FIGURE)
    save_figure(fig, output)
    return results


def make_lhc_channels(
    output: Path, experiment: str, flavour: Flavour, preset: str, n: int, show: bool
) -> list[ReachResult]:
    """Per-channel breakdown: the band of one far detector from each meson channel alone."""
    from nudipole.plotting.far_plots import plot_channel_bands
    from nudipole.plotting.reach_plots import save_figure

    masses = mass_grid(*FIGURE_MASSES, n)
    results = []
    with progress_bar(len(CHANNELS) * n + n, "lhc-channels", show) as progress:
        total = far_reach(
            experiment,
            masses,
            preset=preset,
            flavour=flavour,
            progress=progress,
            error_estimate=False,
        )
        for ch in CHANNELS:
            # A single channel reaches only below its parent's mass.
            below = masses[masses < channel_info(ch).mass]
            if below.size == 0:
                continue
            results.append(
                far_reach(
                    experiment,
                    below,
                    preset=preset,
                    flavour=flavour,
                    channels=[ch],
                    progress=progress,
                    error_estimate=False,
                )
            )
    save_figure(plot_channel_bands(total, results), output)
    return [total, *results]


def check_figure_output(path: str | None, default: str) -> Path:
    return check_output(path or default, (".pdf", ".png", ".svg"))


# ------------------------------------------------------------------------------ lhc-llp
def make_lhc_llp(
    output: Path,
    flavours: Sequence[FlavourMode],
    limits: Any,
    scenario: str | None,
    a: float | None,
    sin2w: float | None,
    preset: str,
    n: int,
    show: bool,
) -> list[ReachResult]:
    """Bands on d_gamma of the seven far detectors with N from W/Z decays for one scenario
    (or a = d_W/d_B), one panel per flavour choice (``universal``: d_e = d_mu = d_tau), over
    the existing limits (:func:`nudipole.plotting.llp_plots.plot_llp_bands`)."""
    from nudipole.plotting.llp_plots import LLP_DETECTORS, plot_llp_bands
    from nudipole.plotting.reach_plots import save_figure

    if scenario is None and a is None:
        raise ExperimentError("figure lhc-llp needs --scenario A|B|C|D|I|II|III|IV or --a")
    label = f"scenario {scenario}" if scenario is not None else f"a = {a:g}"
    masses = mass_grid(*FIGURE_MASSES, n)
    drawn: dict[FlavourMode, list[tuple[ReachResult, str]]] = {}
    results = []
    with progress_bar(len(flavours) * len(LLP_DETECTORS) * n, "lhc-llp", show) as progress:
        for flavour in flavours:
            drawn[flavour] = []
            for name, colour in LLP_DETECTORS:
                r = far_reach(
                    name,
                    masses,
                    preset=preset,
                    flavour=flavour,
                    sources="wz",
                    scenario=scenario,
                    a=a,
                    sin2w=sin2w,
                    progress=progress,
                    error_estimate=False,
                )
                results.append(r)
                drawn[flavour].append((r, colour))
    save_figure(plot_llp_bands(drawn, limits, label, preset), output)
    return results
