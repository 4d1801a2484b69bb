"""Lab-volume decays in the prompt limit: a mass whose N all decay inside the fiducial volume
at the limit needs only its prompt-decay acceptance, not its kappa distribution.

With the lab-volume decay model the signal of a (mass, energy point) is
(:mod:`nudipole.reach.signal`, seed Eq. 7 with an event-by-event decay path)

    S(d) = R d^2 sum_k w_k [1 - exp(-kappa_k d^2)],    kappa = L m Gamma / p,

L the path from the interaction point to the surface of the fiducial cylinder. The point is
inside the cylinder (``z_min < 0 < z_max``, checked on load), so every N has
L >= L_min = min(R, -z_min, z_max), and p <= p_max = gamma_b (p* + |beta| E*) (the CM
momentum p* and energy E* boosted along the beam), hence kappa >= kappa_min = L_min m Gamma /
p_max at every node, and with A = sum_k w_k (the prompt-decay acceptance)

    R d^2 A [1 - exp(-kappa_min d^2)]  <=  S(d)  <=  R d^2 A.

A is integrated with the azimuth psi and the photon angle done exactly
(:func:`nudipole.reach.rule_templates.accepted_sums`, the fixed-length model's path: about a
tenth of the lab-volume node sweep's cost). The limit d_c solved with the left side (one bin at
kappa_min) is at least d95, since every statistic grows with S. Because S / d^2 does not
fall with d, S(c d_c) <= c^2 S(d_c) for c < 1; with c^2 = 1 - exp(-kappa_min d_c^2) the right
side then gives S(c d_c) <= the left side at d_c for every point, so

    d_c (1 - exp(-kappa_min d_c^2))^(1/2)  <=  d95  <=  d_c.

Where kappa_min d_c^2 >= :data:`PROMPT_EXPONENT` (40) the two ends differ by less than
exp(-40) / 2 = 2e-18 relative, below the rounding of a double: the mass keeps the one-bin
template. The other masses (N long-lived at the limit: at BESIII below about 0.18 GeV) get
the full lab-volume templates (:func:`nudipole.reach.rule_templates.build_rule_templates_many`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from nudipole.constants import metres_to_natural
from nudipole.experiments.schema import Experiment, Selection
from nudipole.physics._types import FloatArray
from nudipole.physics.production import n_energy_cm, n_momentum_cm
from nudipole.production.ee_rules import CutRule
from nudipole.reach.model import CouplingModel
from nudipole.reach.presets import DecayModel, Preset
from nudipole.reach.rule_templates import (
    accepted_sums,
    build_rule_templates_many,
    open_groups,
    polynomial_density_likely,
    rates_and_widths,
)
from nudipole.reach.signal import N_KAPPA_BINS

#: kappa_min d^2 from which a mass keeps its prompt template: exp(-40) = 4e-18.
PROMPT_EXPONENT = 40.0

#: Acceptance below which :func:`prompt_decisions` does not try a mass (a saving only).
SKIP_ACCEPTANCE = 0.01

#: Solves the limit of (rate (M, P), weight (M, P, K), kappa (M, P, K)): d (M,), NaN if none.
Solver = Callable[[FloatArray, FloatArray, FloatArray], FloatArray]


def shortest_path(experiment: Experiment) -> float:
    """L_min = min(R, -z_min, z_max) of the fiducial cylinder (GeV^-1): the shortest path
    from the interaction point (inside it) to its surface."""
    fid = experiment.detector.fiducial
    return float(metres_to_natural(min(fid.radius_m, -fid.z_min_m, fid.z_max_m)))


def kappa_floor(
    experiment: Experiment, masses: FloatArray, sqrt_s: FloatArray, widths: FloatArray
) -> FloatArray:
    """kappa_min = L_min m Gamma / p_max (GeV^2) per (mass, point) (M, P): no N of the pair
    has a smaller kappa (module docstring); +inf at and above threshold (no N)."""
    m = masses[:, None]
    s = np.maximum(sqrt_s**2, m**2)
    beta = abs(float(experiment.beta))
    gamma_b = 1.0 / np.sqrt(1.0 - beta**2)
    p_max = gamma_b * (n_momentum_cm(s, m) + beta * n_energy_cm(s, m))
    floor = shortest_path(experiment) * m * widths[:, None] / np.where(p_max > 0, p_max, 1.0)
    return np.asarray(np.where(m < sqrt_s, floor, np.inf))


def prompt_templates_many(
    experiment: Experiment,
    preset: Preset,
    sqrt_s: FloatArray,
    luminosity_natural: FloatArray,
    masses: FloatArray,
    rule: CutRule,
    model: CouplingModel,
) -> tuple[FloatArray, FloatArray, FloatArray] | None:
    """The one-bin templates of the module docstring's left side, in the layout of
    :func:`~nudipole.reach.rule_templates.build_rule_templates_many`: ``rate`` (M, P), and
    ``weight``, ``kappa`` (M, P, 2, K) with the acceptance A (Gauss-Kronrod rule, then its
    embedded Gauss rule) and kappa_min in bin 0. None where A has no exact form (a density
    not polynomial in the N direction: the electron flavour's t-channel W)."""
    rate, widths = rates_and_widths(experiment, preset, sqrt_s, luminosity_natural, masses, model)
    weight = _prompt_weights(preset, sqrt_s, masses, widths, rule, model)
    if weight is None:
        return None
    return rate, weight, _floor_kappa(experiment, masses, sqrt_s, widths)


def _floor_kappa(
    experiment: Experiment, masses: FloatArray, sqrt_s: FloatArray, widths: FloatArray
) -> FloatArray:
    """kappa (M, P, 2, K) of the one-bin templates: kappa_min in bin 0, 1 elsewhere and
    where the point is closed (no weight there, and no inf for the solver)."""
    floor = kappa_floor(experiment, masses, sqrt_s, widths)
    kappa = np.ones((masses.size, sqrt_s.size, 2, N_KAPPA_BINS))
    kappa[..., 0] = np.where(np.isfinite(floor), floor, 1.0)[..., None]
    return kappa


def _prompt_weights(
    preset: Preset,
    sqrt_s: FloatArray,
    masses: FloatArray,
    widths: FloatArray,
    rule: CutRule,
    model: CouplingModel,
) -> FloatArray | None:
    """weight (M, P, 2, K) of the one-bin templates: A of both rules in bin 0; None where A
    has no exact form."""
    weight = np.zeros((masses.size, sqrt_s.size, 2, N_KAPPA_BINS))
    groups, inverse = open_groups(masses, sqrt_s, widths)
    if groups is None:
        return weight
    sums = accepted_sums(preset, rule, groups, model)
    if sums is None:
        return None
    acc = np.zeros((masses.size, groups.sqrt_s.size, 2))
    acc[groups.mass, groups.dist, 0], acc[groups.mass, groups.dist, 1] = sums
    weight[..., 0] = acc[:, inverse]
    return weight


class PromptDecisions(NamedTuple):
    """What :func:`prompt_decisions` finds for M masses: the one-bin templates ``rate``
    (M, P), ``weight`` and ``kappa`` (M, P, 2, K), and which masses they decide
    (``decided``, (M,) bool)."""

    rate: FloatArray
    weight: FloatArray
    kappa: FloatArray
    decided: np.ndarray


def prompt_decisions(
    experiment: Experiment,
    preset: Preset,
    sqrt_s: FloatArray,
    luminosity_natural: FloatArray,
    masses: FloatArray,
    rule: CutRule,
    model: CouplingModel,
    solve: Solver,
    batch: int,
) -> PromptDecisions | None:
    """The one-bin templates of ``masses`` (:func:`prompt_templates_many`; the acceptance
    ``batch`` masses at a time, to bound the memory) and which masses they decide (M,) bool:
    the N all decay inside at the limit that ``solve`` finds with them (module docstring), or
    there is no accepted signal (S <= R d^2 A = 0 whatever the decay). The other masses need
    the full templates. None where A has no exact form.

    The acceptance of a mass that could only be decided with A below
    :data:`SKIP_ACCEPTANCE` (its limit with A = 1, which is below d_c, puts kappa_min d^2 under
    ``PROMPT_EXPONENT x SKIP_ACCEPTANCE``) is not integrated: it goes to the full templates
    (a saving, not an approximation)."""
    if preset.decay_model is not DecayModel.LAB_VOLUME:
        raise ValueError("the prompt limit is a shortcut of the lab-volume decay model")
    if not polynomial_density_likely(preset, model, sqrt_s, masses):
        return None  # (before any work: the electron flavour's W at LEP, 60 ms a curve)
    rate, widths = rates_and_widths(experiment, preset, sqrt_s, luminosity_natural, masses, model)
    kappa = _floor_kappa(experiment, masses, sqrt_s, widths)
    floor = np.where(rate > 0, kappa[:, :, 0, 0], np.inf).min(axis=1)
    k_one = kappa[:, :, 0, :1]
    d_all = solve(rate, np.ones_like(k_one), k_one)  # every N accepted: d_all <= d_c
    with np.errstate(invalid="ignore", over="ignore"):
        hopeless = floor * d_all * d_all < PROMPT_EXPONENT * SKIP_ACCEPTANCE
    todo = np.flatnonzero(~hopeless)
    weight = np.zeros_like(kappa)
    for lo in range(0, todo.size, max(1, batch)):
        idx = todo[lo : lo + batch]
        part = _prompt_weights(preset, sqrt_s, masses[idx], widths[idx], rule, model)
        if part is None:
            return None
        weight[idx] = part
    # one solve for the masses with their acceptance, with bin 0 only (the others are empty)
    d = solve(rate[todo], weight[todo, :, 0, :1], k_one[todo])
    decided = np.zeros(masses.size, dtype=bool)
    with np.errstate(invalid="ignore", over="ignore"):
        decided[todo] = np.isfinite(d) & (floor[todo] * d * d >= PROMPT_EXPONENT)
    decided[todo] |= ~(rate[todo, :, None] * weight[todo, :, 0] > 0).any(axis=(1, 2))
    return PromptDecisions(rate, weight, kappa, decided)


def lab_volume_templates(
    experiment: Experiment,
    selection: Selection,
    preset: Preset,
    sqrt_s: FloatArray,
    luminosity_natural: FloatArray,
    masses: FloatArray,
    rule: CutRule,
    model: CouplingModel,
    solve: Solver,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """:func:`~nudipole.reach.rule_templates.build_rule_templates_many` for the lab-volume model,
    the masses that :func:`prompt_decisions` decides keeping their one-bin templates: the
    same limits to 2e-18 relative."""
    args = (experiment, preset, sqrt_s, luminosity_natural, masses, rule, model)
    decisions = prompt_decisions(*args, solve, masses.size)
    if decisions is None:
        return build_rule_templates_many(experiment, selection, *args[1:])
    rate, weight, kappa, decided = decisions
    rest = ~decided
    if rest.any():
        _, w_rest, k_rest = build_rule_templates_many(
            experiment, selection, preset, sqrt_s, luminosity_natural, masses[rest], rule, model
        )
        weight[rest], kappa[rest] = w_rest, k_rest
    return rate, weight, kappa
