"""Reach scan: expected 95 % CL upper limit on d versus m_N for one experiment.

Work is organised so that the cost is one pass of vectorised kinematics per mass:
integration nodes are drawn once (common random numbers for all masses, which makes the curve
smooth), the background is integrated once per energy point, every mass yields a binned signal
template, and the limit is solved for all masses together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from nudipole import __version__
from nudipole.experiments.errors import ExperimentError
from nudipole.experiments.schema import Experiment
from nudipole.experiments.selections import Frame
from nudipole.kinematics.sampling import (
    Nodes,
    monte_carlo_nodes,
    quadrature_nodes,
    sobol_nodes,
)
from nudipole.physics._types import FloatArray
from nudipole.reach.background import expected_background
from nudipole.reach.presets import Preset
from nudipole.reach.result import ReachResult
from nudipole.reach.signal import N_KAPPA_BINS, build_templates, concatenate_nodes
from nudipole.stats import DELTA_CHI2_95, limit_spread, solve_upper_limit
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


def _inputs(
    experiment: Experiment,
    selection_name: str,
    preset: Preset,
    options: IntegrationOptions,
    backgrounds: list[dict[str, float]],
) -> dict[str, Any]:
    sel = experiment.selection(selection_name)
    return {
        "package": "nudipole",
        "version": __version__,
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
        "detector": asdict(experiment.detector),
        "beam_energy_ratio": experiment.beam_energy_ratio,
        "points": [
            {**asdict(p), "luminosity": format_luminosity(p.luminosity_pb), **bkg}
            for p, bkg in zip(experiment.points, backgrounds, strict=True)
        ],
        "total_luminosity": format_luminosity(experiment.total_luminosity_pb),
        "integration": asdict(options),
        "citations": [
            "Y. Zhang, M. Song, R. Ding, L. Chen, PLB 829 (2022) 137116, arXiv:2204.07802",
            experiment.reference,
            sel.source,
        ],
        "experiment_definition": experiment.raw,
    }


def compute_reach(
    experiment: Experiment,
    masses: Sequence[float] | FloatArray,
    preset: Preset,
    selection: str | None = None,
    options: IntegrationOptions | None = None,
    progress: Callable[[int], None] | None = None,
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
    """
    opts = options or IntegrationOptions()
    sel = experiment.selection(selection)
    m = validate_masses(masses, experiment)
    rng = np.random.default_rng(opts.seed)
    counts = _allocate([p.luminosity_pb for p in experiment.points], opts.n_events, opts.n_batch)
    drawn = [_nodes(opts, rng, n) for n in counts]
    n_batch = drawn[0][1]
    all_nodes = concatenate_nodes([d[0] for d in drawn], n_batch)

    frames = [Frame(p.sqrt_s, experiment.beta) for p in experiment.points]
    lumis = [inverse_pb_to_natural(p.luminosity_pb) for p in experiment.points]
    bkgs = [
        expected_background(sel, f, lum, p.luminosity_pb, experiment.detector.efficiency)
        for f, lum, p in zip(frames, lumis, experiment.points, strict=True)
    ]
    n_m, n_p = m.size, len(frames)
    rate = np.zeros((n_m, n_p))
    weight = np.zeros((n_m, n_p, n_batch, N_KAPPA_BINS))
    kappa = np.ones((n_m, n_p, n_batch, N_KAPPA_BINS))
    sqrt_s = np.array([f.sqrt_s for f in frames], dtype=float)
    lumi_arr = np.array(lumis)
    for i, mass in enumerate(m):
        tpl = build_templates(experiment, sel, preset, sqrt_s, lumi_arr, float(mass), all_nodes)
        rate[i], weight[i], kappa[i] = tpl.rate, tpl.weight, tpl.kappa
        if progress is not None:
            progress(1)

    background = np.array([b.total for b in bkgs])
    mean_w = weight.mean(axis=2)
    mean_k = np.divide(
        (weight * kappa).sum(axis=2),
        weight.sum(axis=2),
        out=np.ones_like(mean_w),
        where=weight.sum(axis=2) > 0,
    )
    d95 = solve_upper_limit(rate, mean_w, mean_k, background, preset.statistic)
    if n_batch > 1:
        d95_error = limit_spread(d95, rate, weight, kappa, background, preset.statistic)
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
        inputs=_inputs(experiment, sel.name, preset, opts, backgrounds),
    )
