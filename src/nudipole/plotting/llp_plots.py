"""The LHC long-lived-particle figure: bands on d_gamma from N made in W and Z decays.

One panel per flavour (the talk's d_tau-dominated panel is ``flavours=[Flavour.TAU]``; the
W. Liu, Y. Zhang figures, EPJC 83 (2023) 568, arXiv:2302.02081): the expected 95 % CL bands
of the far detectors for one electroweak scenario (:mod:`nudipole.reach.far_couplings`), over
the existing limits of that flavour (photon-dipole limits of the catalogue, as drawn
elsewhere). The band is on d_gamma with d_Z, d_W fixed by the scenario.

A flavour-universal dipole (d_e = d_mu = d_tau) is not drawn: with the three flavours
kinematically alike it triples both the production and the width, so its band is the
single-flavour band divided by sqrt(3) (N(u) = L u sum w [exp(-a u) - exp(-b u)] with u -> 3 u),
up to tau-mass effects at the W threshold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure

from nudipole.limits import LimitSet
from nudipole.model import Flavour
from nudipole.plotting.landscape import CurveStyle, plot_landscape
from nudipole.reach.result import ReachResult

#: The detectors of the figure and their colours (the three meson-figure ones first).
LLP_DETECTORS: tuple[tuple[str, str], ...] = (
    ("faser2", "crimson"),
    ("facet", "darkgreen"),
    ("mapp2", "royalblue"),
    ("mathusla", "darkorange"),
    ("anubis", "purple"),
    ("codexb", "saddlebrown"),
    ("al3x", "teal"),
)
#: Axes of the figure: m_N in GeV, d_gamma in GeV^-1.
LLP_MASS_RANGE = (1.0e-3, 10.0)
LLP_D_RANGE = (1.0e-10, 1.0e-1)


def plot_llp_bands(
    results: Mapping[Flavour, Sequence[tuple[ReachResult, str]]],
    limits: LimitSet,
    scenario_label: str,
    preset: str,
) -> Figure:
    """One panel per flavour of ``results`` (flavour -> [(band, colour), ...]) over the
    existing ``limits`` on that flavour.

    Parameters
    ----------
    results
        Far-detector bands (:func:`nudipole.api.far_reach` with ``sources="wz"`` and a
        scenario) with their colours, per flavour.
    limits
        Existing limits (each panel draws those on its flavour).
    scenario_label
        "scenario C", "a = -3.3", ... (title and notes).
    preset
        The far-detector preset of the bands (legend).

    Returns
    -------
    Figure
        A bare figure (no pyplot).
    """
    by_flavour: dict[Flavour, list[tuple[ReachResult, CurveStyle]]] = {}
    for flavour, drawn in results.items():
        styled = []
        for result, colour in drawn:
            title = result.inputs["experiment_title"]
            label = f"{title}, {result.inputs['total_luminosity']} [{preset}]"
            styled.append((result, CurveStyle(label=label, color=colour, linestyle="-")))
        by_flavour[flavour] = styled
    return plot_landscape(
        list(results),
        limits,
        [],
        title=f"LLP detectors, N from W/Z decays, {scenario_label}",
        curves_by_flavour=by_flavour,
        mass_range=LLP_MASS_RANGE,
        d_range=LLP_D_RANGE,
        notes=(
            f"Bands on d_gamma with d_Z, d_W of {scenario_label} (arXiv:2302.02081); existing "
            "limits: photon dipole",
        ),
        coupling="\\gamma,",
    )


__all__ = ["LLP_DETECTORS", "LLP_D_RANGE", "LLP_MASS_RANGE", "plot_llp_bands"]
