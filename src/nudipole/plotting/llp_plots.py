"""The LHC long-lived-particle figure: bands on d_gamma from N made in W and Z decays.

The talk's two panels (W. Liu, Y. Zhang, EPJC 83 (2023) 568, arXiv:2302.02081; talk: "Left is
the flavor universal coupling case, right for d_tau dominance") are
``[FlavourMode.UNIVERSAL, FlavourMode.TAU]`` (:data:`nudipole.cli.lhc_figures.LLP_PANELS`,
the default of ``nudipole figure lhc-llp``); any single flavour is a panel too. Each
panel draws the expected 95 % CL bands of the far detectors for one electroweak scenario
(:mod:`nudipole.reach.far_couplings`), over the existing limits (photon-dipole limits of the
catalogue, as drawn elsewhere). The band is on d_gamma with d_Z, d_W fixed by the scenario.

Flavour-universal panel (d_e = d_mu = d_tau = d). The band is computed, not rescaled: the
production of the three flavours (W -> l_k N with each lepton mass, Z -> nu_k N) with the
three-flavour width (:func:`nudipole.reach.far_scan.compute_far_reach` with
``flavour="universal"``). Where the flavours are kinematically alike it is the single-flavour
band / sqrt(3) exactly: with u = d^2, N(u) = L u sum c [exp(-a u) - exp(-b u)] and both c
(production) and a, b (width) tripled give N_univ(u) = N_single(3 u). The tau mass breaks it
at high m_N (W -> tau N closes at M_W - m_tau, N -> tau W* opens above m_tau); the measured
deviations are in docs/lhc-wz.md.

Existing limits on the universal panel: every limit of the catalogue, each in its flavour's
colour (:func:`nudipole.plotting.landscape.panel_limits`). With d_e = d_mu = d_tau = d a bound
on any single d_k is a bound on d (the experiment sees at least the rate of flavour k alone),
so the excluded region is the union of the flavours' regions and its lower edge the strongest
limit at each mass; drawing each region (not only the envelope) keeps every limit named. Not
rescaled: the extra flavours add production in e.g. LEP and shorten the N lifetime by 3, which
would move edges set by N decaying too early (SN1987A, BBN, the Super-K atmospheric band) by
O(sqrt 3); those are drawn as published (conservative for the scattering lower edges).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure

from nudipole.limits import LimitSet
from nudipole.model import Flavour, FlavourMode
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
    results: Mapping[FlavourMode, Sequence[tuple[ReachResult, str]]]
    | Mapping[Flavour, Sequence[tuple[ReachResult, str]]],
    limits: LimitSet,
    scenario_label: str,
    preset: str,
) -> Figure:
    """One panel per flavour choice of ``results`` (flavour or ``universal`` -> [(band,
    colour), ...]) over the existing ``limits`` that apply to it.

    Parameters
    ----------
    results
        Far-detector bands (:func:`nudipole.api.far_reach` with ``sources="wz"``, a scenario
        and that ``flavour``) with their colours, per panel, left to right.
    limits
        Existing limits (a single-flavour panel draws those on its flavour, the universal
        panel all of them: module docstring).
    scenario_label
        "scenario C", "a = -3.3", ... (title and notes).
    preset
        The far-detector preset of the bands (legend).

    Returns
    -------
    Figure
        A bare figure (no pyplot).
    """
    by_panel: dict[FlavourMode, list[tuple[ReachResult, CurveStyle]]] = {}
    for panel, drawn in results.items():
        styled = []
        for result, colour in drawn:
            title = result.inputs["experiment_title"]
            label = f"{title}, {result.inputs['total_luminosity']} [{preset}]"
            styled.append((result, CurveStyle(label=label, color=colour, linestyle="-")))
        by_panel[FlavourMode(panel)] = styled
    panels = [FlavourMode(p) for p in results]
    notes = [
        f"Bands on d_gamma with d_Z, d_W of {scenario_label} (arXiv:2302.02081); existing "
        "limits: photon dipole",
    ]
    if FlavourMode.UNIVERSAL in panels:
        notes.append(
            "Universal panel: production of e, mu, tau with the three-flavour N width; every "
            "single-flavour limit bounds d there (drawn as published)"
        )
    return plot_landscape(
        panels,
        limits,
        [],
        title=f"N from W/Z, {scenario_label}",
        curves_by_flavour=by_panel,
        mass_range=LLP_MASS_RANGE,
        d_range=LLP_D_RANGE,
        notes=notes,
        coupling="\\gamma,",
    )


__all__ = ["LLP_DETECTORS", "LLP_D_RANGE", "LLP_MASS_RANGE", "plot_llp_bands"]
