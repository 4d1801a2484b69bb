"""Expected events of an e+ e- experiment at one point (m_N, d), stage by stage.

The counts come from the reach scan itself (:mod:`nudipole.reach.scan`): the same integration
nodes (:func:`~nudipole.reach.scan_setup.prepare_scan`, same seed), the same binned templates
(:func:`~nudipole.reach.signal.build_templates`), the same signal formula
(:func:`~nudipole.stats.limits.signal_counts`), the same backgrounds and statistic. At
d = d95 of ``nudipole reach`` the passing signal is therefore the signal the 95 % CL
statistic requires (tests/reach/test_collider_events.py). Per energy point i, with L_i the
luminosity, n = 2 counted channels (N nubar + Nbar nu, or a Majorana N; 1 with
``--charge-states n-only``) and the d = 1 cross section sigma_1(s) of one channel (seed
Eq. 3, :func:`nudipole.physics.production.sigma`; :mod:`nudipole.physics.production_ew` with
Z and W couplings):

produced
    N_prod = L_i n sigma_1(s_i) d^2.
in acceptance
    N_acc = N_prod A, with the *acceptance* A = sum_k w_k: the fraction of the N produced
    (weighted with the production and photon angular distributions) whose photon from
    N -> nu gamma, emitted at the interaction point, passes every cut of the selection
    (calorimeter polar range, gap vetoes, energy thresholds, ...). It is the ``acceptance``
    column of ``nudipole reach``. Every N starts inside the fiducial volume (the interaction
    point is inside it), so the far detectors' "N heading into the detector" stage is this
    acceptance here.
decaying inside
    N_dec = N_prod sum_k w_k [1 - exp(-kappa_k d^2)]: the N in acceptance that decay (to any
    channel) inside the fiducial cylinder along their lab path (``lab-volume``) or within the
    seed's l_D (``fixed-length``, seed Eqs. 5-7); kappa_k d^2 = L/l_dec
    (:mod:`nudipole.reach.signal`). P_dec = N_dec / N_acc.
passing
    S = N_dec eps_det Br(N -> nu gamma) = R d^2 sum_k w_k [1 - exp(-kappa_k d^2)] with
    R = L eps_det n Br sigma_1 (seed Eq. 7 generalised): the signal of the scan.
background
    B = L eps_det sigma_acc(SM nu nubar gamma) + reducible (:mod:`nudipole.reach.background`),
    in the same selection.

The statistic Q(d) = sum_i q_i(S_i, B_i) (:mod:`nudipole.stats.limits`) is compared with its
95 % CL threshold; ``signal_required`` is the total passing signal at which Q reaches the
threshold with the shares of the points held as at this d (one point, chi^2:
S95 = [Delta + sqrt(Delta^2 + 4 Delta B)]/2). A selection that quotes a published cross
section (LEP) has no background of its own: S95 = sigma_excluded x L. The invisible-Z-width
selection counts every Z -> nu N, not events: only N produced is given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nudipole.experiments.errors import ExperimentError
from nudipole.experiments.schema import EnergyPoint, Experiment, Selection
from nudipole.numerics import root_bracketed
from nudipole.physics._types import FloatArray
from nudipole.physics.z_pole import width_z_to_nu_nbar
from nudipole.production.ee_rules import CutRule
from nudipole.reach.model import PHOTON_ONLY, CouplingModel
from nudipole.reach.presets import Preset
from nudipole.reach.scan import MIN_MASS, combine_batches, templates
from nudipole.reach.scan_setup import IntegrationOptions, ScanSetup, prepare_scan, selection_points
from nudipole.reach.signal import charge_multiplicity
from nudipole.stats import SIGNAL_COUNTING, Statistic, per_point_statistic
from nudipole.stats.limits import signal_counts
from nudipole.units import inverse_pb_to_natural

#: Largest and smallest d accepted (GeV^-1), as for the far detectors: far beyond any physical
#: interest (below MIN_D decay lengths overflow).
MAX_D = 1.0e3
MIN_D = 1.0e-20


@dataclass(frozen=True)
class PointEvents:
    """Expected counts at one energy point (see the module docstring for each stage).

    ``acceptance`` and ``decay_probability`` are fractions; the counts are expected events.
    NaN where a stage does not apply (the invisible-Z-width selection).
    """

    sqrt_s: float
    luminosity_pb: float
    produced: float
    acceptance: float
    in_acceptance: float
    decay_probability: float
    decaying: float
    passing: float
    background_irreducible: float
    background_reducible: float

    @property
    def background(self) -> float:
        return self.background_irreducible + self.background_reducible


@dataclass(frozen=True)
class SelectionEvents:
    """Expected counts of one selection, per energy point and summed, and its verdict.

    Attributes
    ----------
    selection
        Selection name.
    limit
        How it sets a limit: "counting" or the published-limit type (LEP).
    points
        Counts per energy point.
    statistic, threshold, statistic_value
        The scan's statistic, its 95 % CL threshold and its value at this d (for a published
        cross-section limit: the accepted cross section in GeV^-2 and the excluded one; for the
        invisible Z width: n Gamma(Z -> nu Nbar) and the bound, GeV).
    signal_required
        Passing events the 95 % CL statistic needs (NaN where not defined).
    excluded
        True if this d is excluded at 95 % CL by this selection.
    note
        Why a stage is missing, if one is.
    """

    selection: str
    limit: str
    points: tuple[PointEvents, ...]
    statistic: str
    threshold: float
    statistic_value: float
    signal_required: float
    excluded: bool
    note: str = ""

    def _sum(self, key: str) -> float:
        return float(sum(getattr(p, key) for p in self.points))

    @property
    def produced(self) -> float:
        return self._sum("produced")

    @property
    def in_acceptance(self) -> float:
        return self._sum("in_acceptance")

    @property
    def decaying(self) -> float:
        return self._sum("decaying")

    @property
    def passing(self) -> float:
        return self._sum("passing")

    @property
    def background(self) -> float:
        return self._sum("background")

    @property
    def acceptance(self) -> float:
        """N in acceptance / N produced (equals the ``acceptance`` of ``nudipole reach``)."""
        return _ratio(self.in_acceptance, self.produced)

    @property
    def decay_probability(self) -> float:
        """N decaying inside / N in acceptance."""
        return _ratio(self.decaying, self.in_acceptance)


def _ratio(num: float, den: float) -> float:
    if math.isnan(num) or math.isnan(den):
        return float("nan")
    return num / den if den > 0.0 else 0.0


def check_point(experiment: Experiment, mass: float, d: float) -> None:
    """Refuse a mass outside (0, sqrt(s)) or a d outside (0, MAX_D] with one line."""
    if not (math.isfinite(mass) and mass > 0.0):
        raise ExperimentError(f"--mass {mass:g}: m_N must be a positive, finite number in GeV")
    if mass < MIN_MASS:
        raise ExperimentError(
            f"--mass {mass:g}: m_N is below {MIN_MASS:g} GeV (10 keV), the lightest N computed "
            "for an e+e- experiment; choose a larger mass"
        )
    top = experiment.max_sqrt_s
    if mass >= top:
        raise ExperimentError(
            f"--mass {mass:g}: m_N is at or above the threshold sqrt(s) = {top:g} GeV of "
            f"{experiment.title}; choose a mass below it"
        )
    if not MIN_D <= d <= MAX_D:  # also NaN
        raise ExperimentError(
            f"--d {d:g}: d must be a positive number in GeV^-1 ({MIN_D:g} to {MAX_D:g})"
        )


def required_signal(
    signal: FloatArray,
    background: FloatArray,
    statistic: Statistic,
    threshold: float,
    uncertainty: float = 0.0,
) -> float:
    """Total signal at which sum_i q_i(t S_i, B_i) = threshold, in the units of ``signal``;
    ``uncertainty`` is the relative background uncertainty of every point.

    The shares S_i / sum S of the points are held fixed; q increases with S, so t is unique
    (Brent's method in ln t). NaN if there is no signal.
    """
    total = float(np.sum(signal))
    if not total > 0.0:
        return float("nan")
    if statistic in SIGNAL_COUNTING:
        return threshold

    def excess(log_t: float) -> float:
        q = per_point_statistic(math.exp(log_t) * signal, background, statistic, uncertainty)
        return float(np.sum(q)) - threshold

    lo, hi = -1.0, 1.0
    while excess(lo) > 0.0:
        lo -= 10.0
    while excess(hi) < 0.0:
        hi += 10.0
    log_t = root_bracketed(excess, lo, hi, xtol=1e-14, rtol=4.0 * np.finfo(float).eps)
    return math.exp(log_t) * total


def _z_width_events(
    sel: Selection,
    points: tuple[EnergyPoint, ...],
    produced: FloatArray,
    d: float,
    preset: Preset,
    model: CouplingModel,
    mass: float,
) -> SelectionEvents:
    """An invisible-width bound counts every Z -> nu N: only N produced is an event count.

    The statistic is n Gamma(Z -> nu Nbar)(d) (GeV), bounded by the published maximum, as in
    :func:`~nudipole.reach.scan.z_width_limit`.
    """
    width = (
        charge_multiplicity(preset)
        * float(width_z_to_nu_nbar(np.array([mass]), model.ratios.dz_over_dgamma)[0])
        * d**2
    )
    bound = sel.limit.max_mev * 1e-3
    nan = float("nan")
    rows = tuple(
        PointEvents(p.sqrt_s, p.luminosity_pb, float(n), nan, nan, nan, nan, nan, nan, nan)
        for p, n in zip(points, produced, strict=True)
    )
    return SelectionEvents(
        selection=sel.name,
        limit=sel.limit.type,
        points=rows,
        statistic="z-invisible-width",
        threshold=bound,
        statistic_value=width,
        signal_required=nan,
        excluded=bool(width > 0.0 and width >= bound),
        note="limit on the invisible Z width: every Z -> nu N counts, no event selection",
    )


def selection_events(
    experiment: Experiment,
    sel: Selection,
    mass: float,
    d: float,
    preset: Preset,
    options: IntegrationOptions,
    model: CouplingModel = PHOTON_ONLY,
    background_uncertainty: float | None = None,
) -> SelectionEvents:
    """Counts of one selection at (m_N GeV, d GeV^-1); ``experiment`` with overrides applied;
    ``background_uncertainty`` overrides the selection's (relative, 0.01 = 1 %).

    The model's SM inputs are used in the preset's electroweak scheme, as in the scan."""
    model = model.with_scheme(preset.ew_scheme)
    exp, points = selection_points(experiment, sel)
    sqrt_s = np.array([p.sqrt_s for p in points], dtype=float)
    lumi = np.array([inverse_pb_to_natural(p.luminosity_pb) for p in points])
    open_point = mass < sqrt_s
    s = np.maximum(sqrt_s**2, mass**2)
    produced = np.where(
        open_point, lumi * charge_multiplicity(preset) * model.sigma_unit(s, mass) * d**2, 0.0
    )
    if sel.limit.type == "z-invisible-width":
        return _z_width_events(sel, points, produced, d, preset, model, mass)
    setup: ScanSetup = prepare_scan(
        exp, sel, points, preset, options, model, background_uncertainty
    )
    tpl = templates(exp, sel, preset, setup, mass, model, d)
    mean_w, mean_k = combine_batches(tpl.weight, tpl.kappa, isinstance(setup.nodes, CutRule))
    counting = sel.limit.type == "counting"  # else a published limit: no background of its own
    nan = float("nan")
    d2 = np.array([d**2])
    # The scan's signal (its units: events, or an accepted cross section for a published limit)
    scan_signal = signal_counts(d2, tpl.rate[None, :], mean_w[None], mean_k[None])[0]
    # fraction of the N produced that are in acceptance and decay inside: sum w (1 - e^-kappa d^2)
    decayed = np.sum(mean_w * -np.expm1(-mean_k * d**2), axis=-1)
    acceptance = mean_w.sum(axis=-1)
    passing = scan_signal * (lumi / setup.luminosity)  # 1 for counting: the same numbers
    rows = tuple(
        PointEvents(
            sqrt_s=p.sqrt_s,
            luminosity_pb=p.luminosity_pb,
            produced=float(produced[i]),
            acceptance=float(acceptance[i]),
            in_acceptance=float(produced[i] * acceptance[i]),
            decay_probability=_ratio(float(decayed[i]), float(acceptance[i])),
            decaying=float(produced[i] * decayed[i]),
            passing=float(passing[i]),
            background_irreducible=setup.backgrounds[i].irreducible if counting else nan,
            background_reducible=setup.backgrounds[i].reducible if counting else nan,
        )
        for i, p in enumerate(points)
    )
    background = np.array([b.total for b in setup.backgrounds])
    unc = setup.background_uncertainty
    q = float(np.sum(per_point_statistic(scan_signal, background, setup.statistic, unc)))
    required = required_signal(scan_signal, background, setup.statistic, setup.threshold, unc)
    total_scan = float(np.sum(scan_signal))
    # In events: the scan's units times the passing events per unit (1 for counting).
    required_events = required * float(np.sum(passing)) / total_scan if total_scan > 0 else required
    if not open_point.any():
        note = "m_N is above sqrt(s) of every point of this selection"
    elif not counting:
        note = f"published limit ({sel.limit.type}): S95 = excluded cross section x L"
    else:
        note = ""
    return SelectionEvents(
        selection=sel.name,
        limit=sel.limit.type,
        points=rows,
        statistic=str(setup.statistic),
        threshold=setup.threshold,
        statistic_value=q,
        signal_required=required_events,
        excluded=bool(q >= setup.threshold),
        note=note,
    )


def has_energy(experiment: Experiment, sel: Selection) -> bool:
    """Whether the run has the energy point that ``sel`` analyses (any, if it names none)."""
    if sel.sqrt_s is None:
        return True
    return any(abs(p.sqrt_s - sel.sqrt_s) < 1e-3 for p in experiment.points)


def selection_names(experiment: Experiment) -> list[str]:
    """All selections of ``experiment``, the default first."""
    default = experiment.default_selection
    return [default, *sorted(s for s in experiment.selections if s != default)]


def collider_events(
    experiment: Experiment,
    mass: float,
    d: float,
    preset: Preset,
    selections: Sequence[str] | None = None,
    options: IntegrationOptions | None = None,
    model: CouplingModel = PHOTON_ONLY,
    background_uncertainty: float | None = None,
) -> list[SelectionEvents]:
    """Expected counts at one point (m_N GeV, d GeV^-1), one entry per selection.

    Parameters
    ----------
    experiment
        A loaded e+ e- experiment with the sqrt(s) and luminosity overrides applied.
    mass, d
        m_N (GeV, below the highest sqrt(s)) and d (GeV^-1; d_gamma with Z/W couplings).
    preset
        Modelling conventions (as for the reach scan).
    selections
        Selection names; all of the experiment's (default first) if None. Without names, a
        selection that analyses an energy the run does not have (LEP with ``--sqrt-s``) is
        left out.
    options
        Integration options; the scan's defaults (same nodes as ``nudipole reach``) if None.
    model
        Flavour and d_Z/d_gamma, d_W/d_gamma (photon only by default).
    background_uncertainty
        Relative background uncertainty of every selection (0.01 = 1 %); each selection's own
        ``background_uncertainty`` if None.
    """
    check_point(experiment, mass, d)
    opts = options or IntegrationOptions()
    names = list(selections) if selections is not None else selection_names(experiment)
    out = []
    for name in names:
        sel = experiment.selection(name)
        if selections is None and not has_energy(experiment, sel):
            continue
        out.append(
            selection_events(experiment, sel, mass, d, preset, opts, model, background_uncertainty)
        )
    if not out:
        raise ExperimentError(
            f"no selection of {experiment.title} analyses the energies of this run; "
            "drop --sqrt-s or choose a selection"
        )
    return out
