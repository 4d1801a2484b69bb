"""What an e+e- reach scan integrates with and against, set up once per scan: the integration
options, the energy points of a selection, the nodes (Monte Carlo, Sobol, quadrature) or the
cut-adapted rule, the backgrounds per point and the statistic with its threshold
(:func:`prepare_scan`). The mass loop and the limits are in :mod:`nudipole.reach.scan`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from nudipole._parallel import check_workers
from nudipole.experiments.errors import ExperimentError
from nudipole.experiments.schema import (
    EnergyPoint,
    Experiment,
    LimitSpec,
    Selection,
    check_background_uncertainty,
)
from nudipole.experiments.selections import Frame
from nudipole.kinematics.lorentz import massless_cos_to_other_frame
from nudipole.kinematics.sampling import (
    Nodes,
    monte_carlo_nodes,
    quadrature_nodes,
    sobol_nodes,
)
from nudipole.physics._types import FloatArray
from nudipole.physics.z_pole import sigma_z_peak
from nudipole.production.ee_rules import CutRule, RulePanels, psi_is_exact
from nudipole.reach.background import BackgroundCounts, expected_background
from nudipole.reach.model import PHOTON_ONLY, CouplingModel
from nudipole.reach.presets import DecayModel, Preset
from nudipole.reach.signal import PointNodes, concatenate_nodes
from nudipole.stats import DELTA_CHI2_95, Statistic
from nudipole.stats.poisson import MAX_BACKGROUND as MAX_POISSON_BACKGROUND
from nudipole.stats.poisson import expected_signal_limit
from nudipole.units import inverse_pb_to_natural

SAMPLERS = ("rules", "mc", "sobol", "quadrature")
#: The samplers that draw random numbers: only they use ``n_events`` and ``seed``.
RANDOM_SAMPLERS = ("mc", "sobol")


#: Most energy points for which the "rules" sampler uses 15-point panels by default.
FEW_POINTS = 8


#: Fewest events per mass for mc and sobol: below 128 per batch (of 8) batches can be empty, the
#: batch error estimate fails and the limit is off by up to tens of per cent without a word.
MIN_EVENTS = 1024


#: Most events per mass: memory grows by about 0.3 kB per event (per energy point), and at the
#: default 16384 the integration error is already about 0.5 % (falling as 1/sqrt(events)).
MAX_EVENTS = 1 << 20


@dataclass(frozen=True)
class IntegrationOptions:
    """How the signal acceptance is integrated.

    ``sampler``: "rules" (the default: the deterministic cut-adapted rule of
    :mod:`nudipole.production.ee_rules`, error from its embedded Gauss rule), "mc" (plain
    Monte Carlo), "sobol" (scrambled Sobol) or "quadrature" (Gauss-Legendre product grid,
    deterministic, no error). ``n_events``: points per mass for mc and sobol
    (:data:`MIN_EVENTS` to :data:`MAX_EVENTS`). ``seed``: a whole number >= 0.
    ``n_batch``: independent batches for the error estimate (mc, sobol).
    ``quadrature_orders``: (z_N, cos t*, phi*) orders. ``rule_orders``: (c* panels, photon
    angle panels, azimuth intervals) of the "rules" sampler (:class:`RulePanels`; 2 azimuth
    intervals, exact, for photon-only production with the fixed-length decay model);
    ``rule_points``: Gauss-Kronrod points per panel (3, 7 or 15), or None for 15 with at most
    :data:`FEW_POINTS` energy points and 7 with more (the 7-point rule is as accurate here but
    its embedded 3-point Gauss rule states errors up to 1 %; with BESIII's 71 points the
    15-point rule would cost four times as much). ``rule_narrow_theta``: photon-angle pieces
    narrower than this (radians) get the next lower rule (:class:`RulePanels`; None: pi/4
    with 15-point panels, pi/8 with 7; 0: none). ``workers``: threads over which the
    "rules" sampler spreads a curve's batches of masses with the lab-volume decay model
    (:func:`nudipole._parallel.run_threads`; None: the cores the process may use, at most 4;
    1: this thread only); the result is the same, bit for bit, whatever it is.
    """

    sampler: str = "rules"
    n_events: int = 16384
    seed: int = 20220415
    n_batch: int = 8
    quadrature_orders: tuple[int, int, int] = (48, 48, 24)
    rule_orders: tuple[int, int, int] = (2, 1, 4)
    rule_points: int | None = None
    rule_narrow_theta: float | None = None
    workers: int | None = None

    def __post_init__(self) -> None:
        check_workers(self.workers)
        if self.sampler not in SAMPLERS:
            raise ValueError(
                f"unknown sampler {self.sampler!r}: choose one of {', '.join(SAMPLERS)}"
            )
        RulePanels(
            *self.rule_orders,
            points=self.rule_points or 15,
            narrow_theta=self.rule_narrow_theta,
        )
        if self.n_batch < 2:
            raise ValueError(f"n_batch = {self.n_batch}: the error estimate needs 2 batches")
        n = self.n_events
        if isinstance(n, bool) or not isinstance(n, int | np.integer):
            raise ExperimentError(f"--events {n!r}: the events per mass must be a whole number")
        if n < max(MIN_EVENTS, self.n_batch):
            raise ExperimentError(
                f"--events {n}: too few events per mass for a stated precision (the error "
                f"estimate uses {self.n_batch} batches, which need at least "
                f"{MIN_EVENTS // self.n_batch} events each); use at least {MIN_EVENTS} "
                "(default 16384, about 0.5 % error)"
            )
        if n > MAX_EVENTS:
            raise ExperimentError(
                f"--events {n}: at most {MAX_EVENTS} events per mass are allowed (memory grows "
                "by about 0.3 kB per event; the error at the default 16384 is about 0.5 % and "
                "falls as 1/sqrt(events))"
            )
        seed = self.seed
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise ExperimentError(f"--seed {seed!r}: a seed must be a whole number >= 0")


def _allocate(weights: list[float], n_total: int, n_batch: int) -> list[int]:
    """Events per energy point: proportional to ``weights`` (the luminosities, which set each
    point's share of the chi^2), at least 64 per batch, in whole batches."""
    if len(weights) == 1:
        return [n_total]
    share = np.asarray(weights) / np.sum(weights)
    budget = 2 * n_total  # several points: more events in all, each point with fewer
    per = np.maximum(64 * n_batch, np.round(share * budget / n_batch) * n_batch)
    return [int(v) for v in per]


def _nodes(
    options: IntegrationOptions, rng: np.random.Generator, n_events: int
) -> tuple[Nodes, int]:
    """Nodes for one energy point (independent draws per point, shared by all masses)."""
    if options.sampler == "quadrature":
        return quadrature_nodes(*options.quadrature_orders), 1
    if options.sampler == "sobol":
        # Independent scrambles per batch, interleaved so that index % n_batch is the batch.
        batches = [sobol_nodes(rng, n_events // options.n_batch) for _ in range(options.n_batch)]
        stacked = {
            key: np.stack([getattr(b, key) for b in batches], axis=1).ravel()
            for key in ("cos_n", "cos_star", "phi_star", "weight")
        }
        return (
            Nodes(
                cos_n=stacked["cos_n"],
                cos_star=stacked["cos_star"],
                phi_star=stacked["phi_star"],
                weight=stacked["weight"] / options.n_batch,
                rule="sobol",
            ),
            options.n_batch,
        )
    return monte_carlo_nodes(rng, n_events), options.n_batch


def _pb_to_natural(sigma_pb: float) -> float:
    """Cross section in pb -> GeV^-2."""
    return sigma_pb / inverse_pb_to_natural(1.0)


def excluded_signal(limit: LimitSpec, model: CouplingModel) -> float:
    """Accepted signal cross section (GeV^-2) that a published result excludes at 95 % CL.

    ``cross-section``: the quoted limit. ``z-branching-ratio``: Br x sigma(e+ e- -> Z) at the
    peak (:func:`~nudipole.physics.z_pole.sigma_z_peak`). ``measured-cross-section``:
    with a = sigma_SM - sigma_meas, chi^2(S) - chi^2(0) = (a + S)^2/err^2 - a^2/err^2 = Delta
    gives S = -a + sqrt(a^2 + Delta err^2) (Delta = 2.7055, one-sided 95 % CL as for every
    other limit here; talk's chi^2 for DELPHI).
    """
    if limit.type == "cross-section":
        return _pb_to_natural(limit.max_pb)
    if limit.type == "z-branching-ratio":
        return limit.value * sigma_z_peak(model.sm)
    if limit.type == "measured-cross-section":
        a = limit.sm_pb - limit.measured_pb
        root = float(np.sqrt(a**2 + DELTA_CHI2_95 * limit.error_pb**2))
        # for a > 0 the same root as Delta err^2 / (a + root), without the cancellation
        s_pb = -a + root if a <= 0.0 else DELTA_CHI2_95 * limit.error_pb**2 / (a + root)
        return _pb_to_natural(s_pb)
    raise ValueError(f"limit type {limit.type!r} is not a signal cross-section limit")


def selection_points(
    experiment: Experiment, sel: Selection
) -> tuple[Experiment, tuple[EnergyPoint, ...]]:
    """The experiment as selection ``sel`` sees it, and the energy points it analyses.

    A selection with its own detector (LEP) replaces the experiment's; one with a ``sqrt_s``
    uses only the point at that energy (matched within 1 MeV).
    """
    if sel.detector is not None:  # an analysis with its own detector (LEP)
        experiment = replace(experiment, detector=sel.detector)
    points = experiment.points
    if sel.sqrt_s is not None:
        points = tuple(p for p in points if abs(p.sqrt_s - sel.sqrt_s) < 1e-3)
        if not points:
            raise ExperimentError(
                f"selection {sel.name!r} analyses the data at sqrt(s) = {sel.sqrt_s:g} GeV, "
                "which this run does not have; drop --sqrt-s or choose another selection"
            )
    return experiment, points


@dataclass(frozen=True)
class ScanSetup:
    """Everything of a scan that does not depend on the mass (one selection).

    Attributes
    ----------
    nodes
        Integration nodes of all energy points (drawn once, shared by all masses), or the
        orders of the cut-adapted rule (sampler "rules"; its nodes depend on the mass).
    sqrt_s
        (P,) sqrt(s) of the points, GeV.
    luminosity
        (P,) luminosity per point in GeV^2 for a counting experiment; 1 for a published
        cross-section limit (the rate is then an accepted cross section, GeV^-2).
    backgrounds
        Expected background counts per point (zero for a published limit).
    statistic, threshold
        The test statistic and the value it must reach at 95 % CL (for ``poisson-cls`` the
        median expected CLs limit on the summed signal, events).
    background_uncertainty
        Relative uncertainty of every point's background (0 for a published limit).
    """

    nodes: PointNodes | CutRule
    sqrt_s: FloatArray
    luminosity: FloatArray
    backgrounds: list[BackgroundCounts]
    statistic: Statistic
    threshold: float
    background_uncertainty: float = 0.0
    workers: int | None = None


def _corner_cosines(experiment: Experiment, preset: Preset) -> tuple[float, ...]:
    """Photon CM polar cosines at the fiducial cylinder's corners (lab cosines
    z / sqrt(z^2 + R^2) moved to the CM by massless aberration): the decay path, and so
    kappa, has a kink where the N direction crosses a corner, and at small m_N the photon
    follows the N. Only with the lab-volume decay model (kappa depends on the direction)."""
    if preset.decay_model is not DecayModel.LAB_VOLUME:
        return ()
    fid = experiment.detector.fiducial
    lab = [z / np.hypot(z, fid.radius_m) for z in (fid.z_min_m, fid.z_max_m)]
    return tuple(float(massless_cos_to_other_frame(c, -experiment.beta)) for c in lab)


def _foldable(experiment: Experiment, preset: Preset, model: CouplingModel) -> bool:
    """Whether the rule may fold the photon angle onto cos theta_g >= 0
    (:attr:`RulePanels.fold`): the photon-only density is even under (cos theta_g, z_N) ->
    (-cos theta_g, -z_N) (:func:`nudipole.production.ee_polynomial.photon_only_density` has
    no odd term; the Z's couplings add one), and so is kappa with the lab-volume model when
    the CM is the lab and the fiducial cylinder is symmetric about the interaction point
    (the fixed-length model integrates the photon angle exactly and does not fold)."""
    fid = experiment.detector.fiducial
    return bool(
        model.photon_only
        and experiment.beta == 0.0
        and preset.decay_model is DecayModel.LAB_VOLUME
        and fid.z_min_m == -fid.z_max_m
    )


def prepare_scan(
    experiment: Experiment,
    sel: Selection,
    points: tuple[EnergyPoint, ...],
    preset: Preset,
    options: IntegrationOptions,
    model: CouplingModel = PHOTON_ONLY,
    background_uncertainty: float | None = None,
) -> ScanSetup:
    """Nodes, luminosities, backgrounds and statistic of a scan of ``sel`` over ``points``.

    ``experiment`` as returned by :func:`selection_points`. The nodes are drawn from
    ``options.seed`` in the same order for every call, so a scan and the ``events`` command
    (:mod:`nudipole.reach.collider_events`) see the same integration.
    ``background_uncertainty``: relative background uncertainty, the selection's
    (``sel.background_uncertainty``) if None.
    """
    limit = sel.limit
    counting = limit.type == "counting"
    all_nodes: PointNodes | CutRule
    if options.sampler == "rules":
        exact = psi_is_exact(model.photon_only, preset.decay_model is DecayModel.LAB_VOLUME)
        n_c, n_theta, n_psi = options.rule_orders
        all_nodes = CutRule.plan(
            sel.cuts,
            RulePanels(
                n_c,
                n_theta,
                2 if exact else n_psi,
                points=options.rule_points or (15 if len(points) <= FEW_POINTS else 7),
                psi_exact=exact,
                narrow_theta=options.rule_narrow_theta,
                fold=_foldable(experiment, preset, model),
            ),
            np.array([p.sqrt_s for p in points], dtype=float),
            experiment.beta,
            _corner_cosines(experiment, preset),
        )
    else:
        rng = np.random.default_rng(options.seed)
        counts = _allocate([p.luminosity_pb for p in points], options.n_events, options.n_batch)
        drawn = [_nodes(options, rng, n) for n in counts]
        all_nodes = concatenate_nodes([d[0] for d in drawn], drawn[0][1])

    frames = [Frame(p.sqrt_s, experiment.beta) for p in points]
    if counting:
        lumis = [inverse_pb_to_natural(p.luminosity_pb) for p in points]
        bkgs = [
            expected_background(
                sel,
                f,
                lum,
                p.luminosity_pb,
                experiment.detector.efficiency,
                experiment.sm_background,
                model.sm,
            )
            for f, lum, p in zip(frames, lumis, points, strict=True)
        ]
        uncertainty = check_background_uncertainty(
            sel.background_uncertainty if background_uncertainty is None else background_uncertainty
        )
        statistic, threshold = preset.statistic, DELTA_CHI2_95
        if statistic is Statistic.POISSON:
            # one counting bin: the summed signal against the median expected CLs limit
            total = float(sum(b.total for b in bkgs))
            if total > MAX_POISSON_BACKGROUND:
                raise ExperimentError(
                    f"--statistic poisson-cls is for few events: selection {sel.name!r} "
                    f"expects {total:.3g} background events (more than "
                    f"{MAX_POISSON_BACKGROUND:g}); use chi2 or asimov, which are exact there"
                )
            threshold = expected_signal_limit(total, uncertainty=uncertainty)
    else:
        # A published cross-section limit: the rate is the accepted cross section (GeV^-2).
        lumis = [1.0 for _ in points]
        bkgs = [BackgroundCounts(0.0, 0.0) for _ in points]
        statistic, threshold = Statistic.SIGNAL, excluded_signal(limit, model)
        uncertainty = 0.0
    return ScanSetup(
        nodes=all_nodes,
        sqrt_s=np.array([f.sqrt_s for f in frames], dtype=float),
        luminosity=np.array(lumis),
        backgrounds=bkgs,
        statistic=statistic,
        threshold=threshold,
        background_uncertainty=uncertainty,
        workers=options.workers,
    )


def n_rules(setup: ScanSetup) -> int:
    """Size of the batch axis of the templates: batches (mc, sobol), 1 (quadrature) or the
    rule and its embedded rule (2, sampler "rules")."""
    return 2 if isinstance(setup.nodes, CutRule) else setup.nodes.n_batch
