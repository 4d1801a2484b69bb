"""Small versions of every kind of figure nudipole draws, from the fixtures of conftest.py."""

from __future__ import annotations

from matplotlib.figure import Figure

from nudipole.cli.ew_figure import lep_cepc_figure
from nudipole.limits import load_catalogue
from nudipole.model import Flavour, FlavourMode
from nudipole.plotting.far_plots import plot_channel_bands
from nudipole.plotting.landscape import CurveStyle, plot_landscape
from nudipole.plotting.llp_plots import plot_llp_bands
from nudipole.plotting.reach_plots import plot_curves
from nudipole.reach.recipes import FIGURE_TITLES
from nudipole.reach.result import ReachResult

PAPER_LIMITS = load_catalogue().paper_set()


def belle2_figure(curves: list[tuple[ReachResult, str, str]]) -> Figure:
    """Seed Fig. 1 as ``figure belle2`` draws it."""
    return plot_curves(curves, title=FIGURE_TITLES["belle2"], xlim=(0.01, 11.0))


def landscape_figure(curves: list[tuple[ReachResult, CurveStyle]]) -> Figure:
    """One landscape panel (d_mu, the seed's limits) as ``figure landscape`` draws it."""
    return plot_landscape([Flavour.MU], PAPER_LIMITS, curves)


def lep_cepc_iii_figure(curves: list[tuple[ReachResult, CurveStyle]]) -> Figure:
    """The LEP/CEPC figure for d_mu in scenario III, with every catalogue limit."""
    return lep_cepc_figure(
        [Flavour.MU], load_catalogue(), {Flavour.MU: curves}, "III", None, "default"
    )


def lhc_far_figure(band: ReachResult) -> Figure:
    """One panel of ``figure lhc-far`` (d_e) with FASER-2's band."""
    label = f"FASER-2, {band.inputs['total_luminosity']} [paper]"
    return plot_landscape(
        [Flavour.E],
        PAPER_LIMITS,
        [],
        title="LHC far detectors, N from meson decays",
        curves_by_flavour={Flavour.E: [(band, CurveStyle(label, "crimson", "-"))]},
        mass_range=(1e-3, 10.0),
        d_range=(1e-9, 1e-1),
    )


def lhc_channels_figure(total: ReachResult, channels: list[ReachResult]) -> Figure:
    """``figure lhc-channels``: FASER-2's band per meson channel."""
    return plot_channel_bands(total, channels)


def lhc_llp_figure(bands: dict[FlavourMode, ReachResult]) -> Figure:
    """``figure lhc-llp --scenario C`` with MATHUSLA only: the talk's two panels (flavour
    universal, d_tau) over the seed's limits."""
    return plot_llp_bands(
        {mode: [(band, "darkorange")] for mode, band in bands.items()},
        PAPER_LIMITS,
        "scenario C",
        "default",
    )
