"""Reach scan: expected 95 % CL upper limit on d versus m_N for one experiment.

Work is organised so that the cost is one pass of vectorised kinematics per mass:
integration nodes are drawn once (common random numbers for all masses, which makes the curve
smooth), the background is integrated once per energy point, every mass yields a binned signal
template, and the limit is solved for all masses together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from nudipole._version import provenance
from nudipole.experiments.errors import ExperimentError
from nudipole.experiments.schema import EnergyPoint, Experiment, LimitSpec, Selection
from nudipole.experiments.selections import Frame
from nudipole.kinematics.sampling import (
    Nodes,
    monte_carlo_nodes,
    quadrature_nodes,
    sobol_nodes,
)
from nudipole.physics._types import FloatArray
from nudipole.physics.z_pole import sigma_z_peak, width_z_to_nu_nbar
from nudipole.reach.background import BackgroundCounts, expected_background
from nudipole.reach.model import PHOTON_ONLY, CouplingModel
from nudipole.reach.presets import Preset
from nudipole.reach.result import ReachResult
from nudipole.reach.signal import (
    N_KAPPA_BINS,
    PointNodes,
    build_templates,
    charge_multiplicity,
    concatenate_nodes,
)
from nudipole.stats import DELTA_CHI2_95, Statistic, limit_spread, solve_upper_limit
from nudipole.units import format_luminosity, inverse_pb_to_natural

SAMPLERS = ("mc", "sobol", "quadrature")


@dataclass(frozen=True)
class IntegrationOptions:
    """How the signal acceptance is integrated.

    ``sampler``: "mc" (plain Monte Carlo), "sobol" (scrambled Sobol) or "quadrature"
    (Gauss-Legendre product grid, deterministic). ``n_events``: points per mass for mc and
    sobol. ``n_batch``: independent batches for the error estimate (mc, sobol).
    ``quadrature_orders``: (z_N, cos t*, phi*) orders.
    """

    sampler: str = "mc"
    n_events: int = 16384
    seed: int = 20220415
    n_batch: int = 8
    quadrature_orders: tuple[int, int, int] = (48, 48, 24)

    def __post_init__(self) -> None:
        if self.sampler not in SAMPLERS:
            raise ValueError(
                f"unknown sampler {self.sampler!r}: choose one of {', '.join(SAMPLERS)}"
            )
        if self.n_events < self.n_batch or self.n_batch < 2:
            raise ValueError("need n_batch >= 2 and n_events >= n_batch")


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


def validate_masses(masses: Sequence[float] | FloatArray, experiment: Experiment) -> FloatArray:
    """Check requested masses: positive, finite and below the highest sqrt(s)."""
    m = np.asarray(masses, dtype=float).ravel()
    if m.size == 0:
        raise ExperimentError("no masses given")
    if not np.all(np.isfinite(m)) or np.any(m <= 0.0):
        raise ExperimentError("masses must be positive numbers in GeV")
    top = experiment.max_sqrt_s
    if np.any(m >= top):
        raise ExperimentError(
            f"m_N = {m[m >= top].max():g} GeV is at or above the threshold sqrt(s) = {top:g} GeV "
            f"of {experiment.title}; choose masses below it"
        )
    return np.sort(m)


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
        return limit.value * sigma_z_peak(sin2w=model.sin2w)
    if limit.type == "measured-cross-section":
        a = limit.sm_pb - limit.measured_pb
        s_pb = -a + float(np.sqrt(a**2 + DELTA_CHI2_95 * limit.error_pb**2))
        return _pb_to_natural(s_pb)
    raise ValueError(f"limit type {limit.type!r} is not a signal cross-section limit")


def z_width_limit(
    limit: LimitSpec, model: CouplingModel, preset: Preset, masses: FloatArray
) -> FloatArray:
    """d_gamma excluded by an invisible-width bound: n Gamma(Z -> nu Nbar)(d) = max.

    Every Z -> nu N decay changes the Z lineshape whether or not N decays in the detector
    (it is neither a hadronic nor a charged-lepton final state), so the whole width counts.
    Gamma(Z -> nu Nbar) = d_Z^2 M_Z^3 (1 - y)^2 (1 + 2y) / (12 pi) (PHYSICS.md §3) with
    d_Z = (d_Z/d_gamma) d_gamma; n = 2 charge states (Dirac) or a Majorana N. NaN where
    d_Z = 0 or m_N >= M_Z.
    """
    r = model.ratios.dz_over_dgamma
    unit = charge_multiplicity(preset) * width_z_to_nu_nbar(masses, r)
    max_gev = limit.max_mev * 1e-3
    ok = unit > 0.0
    safe = np.where(ok, unit, 1.0)
    return np.asarray(np.where(ok, np.sqrt(max_gev / safe), np.nan))


def _inputs(
    experiment: Experiment,
    selection_name: str,
    preset: Preset,
    options: IntegrationOptions,
    backgrounds: list[dict[str, float]],
    model: CouplingModel,
    points: tuple[EnergyPoint, ...],
) -> dict[str, Any]:
    sel = experiment.selection(selection_name)
    return {
        **provenance(),
        "experiment": experiment.name,
        "experiment_title": experiment.title,
        "experiment_origin": experiment.origin,
        "selection": sel.name,
        "cuts": [c.describe() for c in sel.cuts],
        "reducible_background": None if sel.reducible is None else asdict(sel.reducible),
        "preset": preset.name,
        "conventions": {
            "photon_angular": str(preset.effective_photon_angular),
            "charge_states": str(preset.charge_states),
            "decay_model": str(preset.decay_model),
            "statistic": str(preset.statistic),
            "nature": str(preset.nature),
            "delta_chi2": DELTA_CHI2_95,
        },
        "couplings": model.describe(),
        "limit": asdict(sel.limit),
        "sm_background": experiment.sm_background,
        "detector": asdict(experiment.detector),
        "beam_energy_ratio": experiment.beam_energy_ratio,
        "points": [
            {**asdict(p), "luminosity": format_luminosity(p.luminosity_pb), **bkg}
            for p, bkg in zip(points, backgrounds, strict=True)
        ],
        "total_luminosity": format_luminosity(sum(p.luminosity_pb for p in points)),
        "integration": asdict(options),
        "citations": [
            "Y. Zhang, M. Song, R. Ding, L. Chen, PLB 829 (2022) 137116, arXiv:2204.07802",
            *(
                []
                if model.photon_only
                else ["Y. Zhang, W. Liu, PRD 107 (2023) 095031, arXiv:2301.06050"]
            ),
            experiment.reference,
            sel.source,
            *([sel.limit.source] if sel.limit.source else []),
        ],
        "experiment_definition": experiment.raw,
    }


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
        Integration nodes of all energy points (drawn once, shared by all masses).
    sqrt_s
        (P,) sqrt(s) of the points, GeV.
    luminosity
        (P,) luminosity per point in GeV^2 for a counting experiment; 1 for a published
        cross-section limit (the rate is then an accepted cross section, GeV^-2).
    backgrounds
        Expected background counts per point (zero for a published limit).
    statistic, threshold
        The test statistic and the value it must reach at 95 % CL.
    """

    nodes: PointNodes
    sqrt_s: FloatArray
    luminosity: FloatArray
    backgrounds: list[BackgroundCounts]
    statistic: Statistic
    threshold: float


def prepare_scan(
    experiment: Experiment,
    sel: Selection,
    points: tuple[EnergyPoint, ...],
    preset: Preset,
    options: IntegrationOptions,
    model: CouplingModel = PHOTON_ONLY,
) -> ScanSetup:
    """Nodes, luminosities, backgrounds and statistic of a scan of ``sel`` over ``points``.

    ``experiment`` as returned by :func:`selection_points`. The nodes are drawn from
    ``options.seed`` in the same order for every call, so a scan and the ``events`` command
    (:mod:`nudipole.reach.collider_events`) see the same integration.
    """
    limit = sel.limit
    counting = limit.type == "counting"
    rng = np.random.default_rng(options.seed)
    counts = _allocate([p.luminosity_pb for p in points], options.n_events, options.n_batch)
    drawn = [_nodes(options, rng, n) for n in counts]
    n_batch = drawn[0][1]
    all_nodes = concatenate_nodes([d[0] for d in drawn], n_batch)

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
            )
            for f, lum, p in zip(frames, lumis, points, strict=True)
        ]
        statistic, threshold = preset.statistic, DELTA_CHI2_95
    else:
        # A published cross-section limit: the rate is the accepted cross section (GeV^-2).
        lumis = [1.0 for _ in points]
        bkgs = [BackgroundCounts(0.0, 0.0) for _ in points]
        statistic, threshold = Statistic.SIGNAL, excluded_signal(limit, model)
    return ScanSetup(
        nodes=all_nodes,
        sqrt_s=np.array([f.sqrt_s for f in frames], dtype=float),
        luminosity=np.array(lumis),
        backgrounds=bkgs,
        statistic=statistic,
        threshold=threshold,
    )


def combine_batches(weight: FloatArray, kappa: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Templates of all batches as one: mean weight and weight-averaged kappa per bin.

    ``weight``, ``kappa``: (..., n_batch, K), each batch an estimate of the full weight sum;
    returns two (..., K) arrays, what the limit solver uses.
    """
    mean_w = weight.mean(axis=-2)
    summed = weight.sum(axis=-2)
    mean_k = np.divide(
        (weight * kappa).sum(axis=-2), summed, out=np.ones_like(mean_w), where=summed > 0
    )
    return np.asarray(mean_w), np.asarray(mean_k)


def compute_reach(
    experiment: Experiment,
    masses: Sequence[float] | FloatArray,
    preset: Preset,
    selection: str | None = None,
    options: IntegrationOptions | None = None,
    progress: Callable[[int], None] | None = None,
    model: CouplingModel = PHOTON_ONLY,
) -> ReachResult:
    """Expected 95 % CL upper limit on d for each mass.

    Parameters
    ----------
    experiment
        A loaded :class:`~nudipole.experiments.Experiment` (overrides already applied).
    masses
        m_N values in GeV (sorted on output).
    preset
        Modelling conventions.
    selection
        Selection name (the experiment's default if None).
    options
        Integration options (Monte Carlo by default).
    progress
        Called with 1 after each mass (for a progress bar).
    model
        Flavour and d_Z/d_gamma, d_W/d_gamma (photon only by default); the limit is on d_gamma.
    """
    opts = options or IntegrationOptions()
    sel = experiment.selection(selection)
    experiment, points = selection_points(experiment, sel)
    m = validate_masses(masses, replace(experiment, points=points))
    limit = sel.limit
    if limit.type == "z-invisible-width":
        for _ in m:
            if progress is not None:
                progress(1)
        d95 = z_width_limit(limit, model, preset, m)
        return ReachResult(
            mass=m,
            d95=d95,
            d95_error=np.where(np.isnan(d95), np.nan, 0.0),
            acceptance=np.where(np.isnan(d95), 0.0, 1.0),
            inputs=_inputs(experiment, sel.name, preset, opts, [{} for _ in points], model, points),
        )
    setup = prepare_scan(experiment, sel, points, preset, opts, model)
    bkgs, statistic, threshold = setup.backgrounds, setup.statistic, setup.threshold
    n_batch = setup.nodes.n_batch
    n_m, n_p = m.size, len(points)
    rate = np.zeros((n_m, n_p))
    weight = np.zeros((n_m, n_p, n_batch, N_KAPPA_BINS))
    kappa = np.ones((n_m, n_p, n_batch, N_KAPPA_BINS))
    for i, mass in enumerate(m):
        tpl = build_templates(
            experiment,
            sel,
            preset,
            setup.sqrt_s,
            setup.luminosity,
            float(mass),
            setup.nodes,
            model,
        )
        rate[i], weight[i], kappa[i] = tpl.rate, tpl.weight, tpl.kappa
        if progress is not None:
            progress(1)

    background = np.array([b.total for b in bkgs])
    mean_w, mean_k = combine_batches(weight, kappa)
    d95 = solve_upper_limit(rate, mean_w, mean_k, background, statistic, threshold)
    if n_batch > 1:
        d95_error = limit_spread(d95, rate, weight, kappa, background, statistic, threshold)
    else:
        d95_error = np.full(n_m, np.nan)
    total_rate = rate.sum(axis=1)
    acceptance = np.divide(
        (rate * mean_w.sum(axis=-1)).sum(axis=1),
        total_rate,
        out=np.zeros(n_m),
        where=total_rate > 0,
    )
    backgrounds = [
        {"background_irreducible": b.irreducible, "background_reducible": b.reducible} for b in bkgs
    ]
    return ReachResult(
        mass=m,
        d95=d95,
        d95_error=np.where(np.isnan(d95), np.nan, d95_error),
        acceptance=acceptance,
        inputs=_inputs(experiment, sel.name, preset, opts, backgrounds, model, points),
    )
