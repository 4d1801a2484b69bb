"""The Python entry point: :func:`reach`.

>>> import nudipole
>>> r = nudipole.reach("belle2", masses=[0.5, 1.0], preset="paper")  # doctest: +SKIP
>>> r.mass, r.d95                                                      # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from nudipole.experiments import Experiment, ExperimentError, load_experiment
from nudipole.model import Flavour, Nature
from nudipole.physics.angular import PhotonAngular
from nudipole.physics.couplings import Scenario
from nudipole.reach.model import make_model
from nudipole.reach.presets import ChargeStates, DecayModel, get_preset
from nudipole.reach.result import ReachResult
from nudipole.reach.scan import IntegrationOptions, compute_reach
from nudipole.stats import USER_STATISTICS, Statistic
from nudipole.units import parse_luminosity

DEFAULT_N_MASSES = 60
DEFAULT_MASS_MIN = 0.01  # GeV


def resolve_experiment(
    experiment: str | Path | Experiment,
    *,
    sqrt_s: float | None = None,
    lumi: str | float | None = None,
) -> Experiment:
    """Load ``experiment`` (name, path or object) and apply sqrt(s) / luminosity overrides.

    ``lumi`` is a string such as "30/ab" or a number in pb^-1. With several energy points
    (BESIII) and no ``sqrt_s``, the points are scaled to the new total.
    """
    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    lumi_pb: float | None
    if lumi is None:
        lumi_pb = None
    elif isinstance(lumi, str):
        lumi_pb = parse_luminosity(lumi)
    else:
        lumi_pb = float(lumi)
        if not lumi_pb > 0.0:
            raise ExperimentError(f"luminosity must be positive, got {lumi_pb} pb^-1")
    if sqrt_s is not None:
        return exp.with_sqrt_s(float(sqrt_s), lumi_pb)
    if lumi_pb is not None:
        return exp.with_luminosity(lumi_pb)
    return exp


def default_masses(experiment: Experiment, n: int = DEFAULT_N_MASSES) -> np.ndarray:
    """Log-spaced masses from 10 MeV to 99 % of the highest sqrt(s)."""
    return np.geomspace(DEFAULT_MASS_MIN, 0.99 * experiment.max_sqrt_s, n)


def mass_grid(lo: float, hi: float, n: int) -> np.ndarray:
    """``n`` log-spaced masses from ``lo`` to ``hi`` GeV (validated)."""
    if not (lo > 0.0 and hi > lo and n >= 2):
        raise ExperimentError("mass range needs 0 < LO < HI and N >= 2")
    return np.geomspace(lo, hi, int(n))


def reach(
    experiment: str | Path | Experiment,
    masses: Sequence[float] | np.ndarray | None = None,
    *,
    mass_range: tuple[float, float, int] | None = None,
    selection: str | None = None,
    sqrt_s: float | None = None,
    lumi: str | float | None = None,
    preset: str = "default",
    statistic: str | Statistic | None = None,
    photon_angular: str | PhotonAngular | None = None,
    charge_states: str | ChargeStates | None = None,
    decay_model: str | DecayModel | None = None,
    nature: str | Nature | None = None,
    sampler: str = "mc",
    n_events: int = 16384,
    seed: int = 20220415,
    progress: Callable[[int], None] | None = None,
    flavour: str | Flavour = Flavour.E,
    scenario: str | Scenario | None = None,
    a: float | None = None,
    sin2w: float | None = None,
    w_interference: bool = True,
) -> ReachResult:
    """Expected 95 % CL upper limit on the dipole coupling d (GeV^-1) versus m_N (GeV).

    Parameters
    ----------
    experiment
        "besiii", "belle2", "stcf", a path to a TOML file, or an Experiment.
    masses, mass_range
        Explicit masses (GeV) or (lo, hi, n) log-spaced; default: 60 masses from 10 MeV.
    selection
        Selection name (experiment default if None).
    sqrt_s, lumi
        Run at one sqrt(s) (GeV) and/or with another luminosity ("30/ab" or pb^-1).
    preset
        "default" (physically correct) or "paper" (reproduces arXiv:2204.07802).
    statistic, photon_angular, charge_states, decay_model, nature
        Override single conventions of the preset.
    sampler, n_events, seed
        Acceptance integration: "mc", "sobol" or "quadrature"; events per mass; RNG seed.
    progress
        Callback called once per mass.
    flavour, scenario, a, sin2w
        Electroweak dipoles: the flavour of d_k and d_Z/d_gamma, d_W/d_gamma from a named
        scenario (I-IV, A-D) or from a = d_W/d_B, at sin^2 theta_w (default: data file value).
        Without scenario or a the photon-only model of the seed is used; the limit is on d_gamma.
    w_interference
        False drops the W-gamma and W-Z interference in e+ e- -> N nu (electron flavour), as the
        talk's cross-section slide does (:class:`~nudipole.reach.model.CouplingModel`).
    """
    exp = resolve_experiment(experiment, sqrt_s=sqrt_s, lumi=lumi)
    if masses is not None and mass_range is not None:
        raise ExperimentError("give either masses or mass_range, not both")
    if masses is not None:
        m = np.asarray(masses, dtype=float)
    elif mass_range is not None:
        m = mass_grid(*mass_range)
    else:
        m = default_masses(exp)
    base = get_preset(preset)
    chosen = base.with_overrides(
        statistic=None if statistic is None else Statistic(statistic),
        photon_angular=None if photon_angular is None else PhotonAngular(photon_angular),
        charge_states=None if charge_states is None else ChargeStates(charge_states),
        decay_model=None if decay_model is None else DecayModel(decay_model),
        nature=None if nature is None else Nature(nature),
    )
    if chosen.statistic not in USER_STATISTICS:
        raise ExperimentError(f"statistic must be one of {', '.join(USER_STATISTICS)}")
    options = IntegrationOptions(sampler=sampler, n_events=n_events, seed=seed)
    model = make_model(flavour, scenario, a, sin2w, w_interference)
    return compute_reach(exp, m, chosen, selection, options, progress, model)
