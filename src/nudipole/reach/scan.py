"""Reach scan: expected 95 % CL upper limit on d versus m_N for one experiment.

Work is organised so that the cost is one pass of vectorised kinematics per mass:
integration nodes are drawn once (common random numbers for all masses, which makes the curve
smooth), the background is integrated at most once per energy point and cached across scans
(:func:`nudipole.reach.background.accepted_sm_cross_section`), every mass yields a binned signal
template, and the limit is solved for all masses together.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import asdict, fields, replace
from typing import Any

import numpy as np

from nudipole._parallel import run_threads
from nudipole._version import provenance
from nudipole.experiments.errors import ExperimentError
from nudipole.experiments.schema import (
    EnergyPoint,
    Experiment,
    LimitSpec,
    Selection,
    check_background_uncertainty,
)
from nudipole.physics._types import FloatArray
from nudipole.physics.z_pole import width_z_to_nu_nbar
from nudipole.production.ee_rules import CutRule
from nudipole.reach.model import PHOTON_ONLY, CouplingModel
from nudipole.reach.presets import DecayModel, Preset
from nudipole.reach.prompt import lab_volume_templates, prompt_decisions
from nudipole.reach.result import ReachResult
from nudipole.reach.rule_templates import build_rule_templates_many
from nudipole.reach.scan_setup import (
    IntegrationOptions,
    ScanSetup,
    n_rules,
    prepare_scan,
    selection_points,
)
from nudipole.reach.signal import (
    N_KAPPA_BINS,
    Templates,
    build_templates,
    charge_multiplicity,
)
from nudipole.stats import DELTA_CHI2_95, Statistic, limit_spread, solve_upper_limit
from nudipole.units import format_luminosity

#: (mass, energy point) pairs integrated together by the "rules" sampler: bounds the memory
#: (up to about 500 photon-angle pieces per pair, some 20 arrays of them; the node path holds
#: its nodes for :data:`nudipole.reach.rule_templates.NODE_GROUPS` pairs at a time). 640 measured
#: fastest: below it the per-call work dominates, above it fresh pages for the temporaries.
RULE_GROUPS = 640
#: Most masses in one scan (a curve is smooth and a few hundred masses resolve it; the bound
#: keeps a Monte Carlo scan, 5 ms (Belle II) to 18 ms (BESIII) per mass, under two minutes).
MAX_MASSES = 5000
#: Lightest N computed for an e+ e- experiment (GeV): at 10 keV the reach (rising as 1/m_N
#: towards small masses) is d ~ 0.1 GeV^-1, far inside existing limits; further down the
#: numbers underflow.
MIN_MASS = 1.0e-5
#: Masses solved together: bounds the memory of the templates (masses x points x batches x bins).
_MASS_CHUNK_BYTES = 64 << 20


def validate_masses(masses: Sequence[float] | FloatArray, experiment: Experiment) -> FloatArray:
    """Check requested masses: at most :data:`MAX_MASSES`, finite, from :data:`MIN_MASS` to
    below the highest sqrt(s); returned sorted."""
    m = np.asarray(masses, dtype=float).ravel()
    if m.size == 0:
        raise ExperimentError("no masses given")
    if m.size > MAX_MASSES:
        raise ExperimentError(
            f"{m.size} masses requested; a scan takes at most {MAX_MASSES} (a curve is smooth: "
            "a few hundred masses resolve it): use fewer"
        )
    bad = m[~np.isfinite(m) | (m <= 0.0)]
    if bad.size:
        raise ExperimentError(
            f"m_N = {bad[0]:g} GeV: masses must be positive numbers in GeV (finite)"
        )
    if np.any(m < MIN_MASS):
        raise ExperimentError(
            f"m_N = {m.min():g} GeV is below {MIN_MASS:g} GeV (10 keV), where the reach has "
            "risen (as 1/m_N) to d ~ 0.1 GeV^-1, far inside existing limits; choose masses of "
            f"at least {MIN_MASS:g} GeV"
        )
    top = experiment.max_sqrt_s
    if np.any(m >= top):
        raise ExperimentError(
            f"m_N = {m[m >= top].max():g} GeV is at or above the threshold sqrt(s) = {top:g} GeV "
            f"of {experiment.title}; choose masses below it"
        )
    return np.sort(m)


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


#: The fields of an energy point, as recorded in a result's inputs.
_POINT_FIELDS = tuple(f.name for f in fields(EnergyPoint))


def _inputs(
    experiment: Experiment,
    selection_name: str,
    preset: Preset,
    options: IntegrationOptions,
    backgrounds: list[dict[str, float]],
    model: CouplingModel,
    points: tuple[EnergyPoint, ...],
    setup: ScanSetup | None = None,
) -> dict[str, Any]:
    sel = experiment.selection(selection_name)
    # relative background uncertainty and signal events required (poisson-cls), if counting
    uncertainty: float | None = None
    events_required: float | None = None
    if setup is not None and sel.limit.type == "counting":
        uncertainty = setup.background_uncertainty
        if preset.statistic is Statistic.POISSON:
            events_required = setup.threshold
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
            "background_uncertainty": uncertainty,
            "signal_events_required": events_required,
        },
        "couplings": model.describe(),
        "limit": asdict(sel.limit),
        "sm_background": experiment.sm_background,
        "detector": asdict(experiment.detector),
        "beam_energy_ratio": experiment.beam_energy_ratio,
        "points": [
            # the point's fields (all scalars) without asdict's deep copy: 2 ms at BESIII
            {
                **{name: getattr(p, name) for name in _POINT_FIELDS},
                "luminosity": format_luminosity(p.luminosity_pb),
                **bkg,
            }
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


def combine_batches(
    weight: FloatArray, kappa: FloatArray, embedded: bool = False
) -> tuple[FloatArray, FloatArray]:
    """Templates of all batches as one: mean weight and weight-averaged kappa per bin.

    ``weight``, ``kappa``: (..., n_batch, K), each batch an estimate of the full weight sum;
    returns two (..., K) arrays, what the limit solver uses. ``embedded``: the batch axis
    holds a rule and its embedded lower rule (sampler "rules"): the first is the result.
    """
    if embedded:
        return np.asarray(weight[..., 0, :]), np.asarray(kappa[..., 0, :])
    mean_w = weight.mean(axis=-2)
    summed = weight.sum(axis=-2)
    mean_k = np.divide(
        (weight * kappa).sum(axis=-2), summed, out=np.ones_like(mean_w), where=summed > 0
    )
    return np.asarray(mean_w), np.asarray(mean_k)


def templates(
    experiment: Experiment,
    sel: Selection,
    preset: Preset,
    setup: ScanSetup,
    mass: float,
    model: CouplingModel,
    d: float | None = None,
) -> Templates:
    """The signal templates of the scan at one mass, with its nodes or its rule. With the
    rule and the lab-volume model, the prompt-limit template (:mod:`nudipole.reach.prompt`)
    where the N of this mass all decay inside at the coupling ``d`` (GeV^-1), as the scan
    has it at its limit; the full templates if ``d`` is None."""
    if isinstance(setup.nodes, CutRule):
        args = (experiment, sel, preset, setup.sqrt_s, setup.luminosity, np.array([mass]))
        if d is not None and preset.decay_model is DecayModel.LAB_VOLUME:
            at_d = float(d)

            def solve(rate: FloatArray, _w: FloatArray, _k: FloatArray) -> FloatArray:
                return np.full(rate.shape[0], at_d)

            rate, weight, kappa = lab_volume_templates(*args, setup.nodes, model, solve)
        else:
            rate, weight, kappa = build_rule_templates_many(*args, setup.nodes, model)
        return Templates(rate[0], weight[0], kappa[0])
    return build_templates(
        experiment, sel, preset, setup.sqrt_s, setup.luminosity, mass, setup.nodes, model
    )


def _mass_chunk(setup: ScanSetup) -> int:
    """Masses whose templates are held at once (:data:`_MASS_CHUNK_BYTES` in all)."""
    per_mass = 2 * 8 * setup.sqrt_s.size * n_rules(setup) * N_KAPPA_BINS
    return max(1, _MASS_CHUNK_BYTES // per_mass)


def _solve(
    setup: ScanSetup, background: FloatArray, rate: FloatArray, weight: FloatArray,
    kappa: FloatArray,
) -> FloatArray:  # fmt: skip
    """d95 (M,) of templates ``rate`` (M, P), ``weight`` and ``kappa`` (M, P, K) with the
    scan's statistic, threshold and background (``background`` (P,), its totals)."""
    return solve_upper_limit(
        rate, weight, kappa, background, setup.statistic, setup.threshold,
        uncertainty=setup.background_uncertainty,
    )  # fmt: skip


def _solve_masses(
    experiment: Experiment,
    sel: Selection,
    preset: Preset,
    setup: ScanSetup,
    model: CouplingModel,
    m: FloatArray,
    progress: Callable[[int], None] | None = None,
    with_error: bool = True,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """d95, its integration error and the acceptance at the masses ``m``, solved in chunks of
    masses so that the memory is bounded whatever the number of masses."""
    n_m, n_p = m.size, setup.sqrt_s.size
    n_batch = n_rules(setup)
    embedded = isinstance(setup.nodes, CutRule)
    background = np.array([b.total for b in setup.backgrounds])
    d95 = np.full(n_m, np.nan)
    d95_error = np.full(n_m, np.nan)
    acceptance = np.zeros(n_m)
    chunk = _mass_chunk(setup)
    for lo in range(0, n_m, chunk):
        part = m[lo : lo + chunk]
        # every mass of the part is written below (both branches): no fill needed
        shape = (part.size, n_p, n_batch, N_KAPPA_BINS)
        rate, weight, kappa = np.empty((part.size, n_p)), np.empty(shape), np.empty(shape)
        if isinstance(setup.nodes, CutRule):
            rule = setup.nodes
            # all masses of a batch in one array pass (bounded memory: RULE_GROUPS groups)
            step = max(1, RULE_GROUPS // np.unique(setup.sqrt_s).size)
            heavy = preset.decay_model is DecayModel.LAB_VOLUME
            todo = np.arange(part.size)
            decisions = None
            if heavy:
                # the masses whose N all decay inside at the limit from their prompt
                # acceptance alone (reach.prompt: the same limits to 2e-18)
                decisions = prompt_decisions(
                    experiment, preset, setup.sqrt_s, setup.luminosity, part, rule, model,
                    functools.partial(_solve, setup, background), step,
                )  # fmt: skip
            if decisions is not None:
                # the decisions' own (fresh) arrays, filled in below for the other masses: a
                # copy into the empty ones touched 1800 fresh pages a BESIII curve (measured)
                rate, weight, kappa = decisions.rate, decisions.weight, decisions.kappa
                todo = np.flatnonzero(~decisions.decided)
                if progress is not None:
                    for _ in range(part.size - todo.size):
                        progress(1)

            def batch(sub: FloatArray, rule: CutRule) -> tuple[FloatArray, FloatArray, FloatArray]:
                out = build_rule_templates_many(
                    experiment, sel, preset, setup.sqrt_s, setup.luminosity, sub, rule, model
                )
                if progress is not None:
                    for _ in sub:
                        progress(1)
                return out

            # the batches side by side on threads (the compiled passes release the GIL), for
            # the lab-volume model's node sweeps only (BESIII default 0.52 -> 0.30 s wall on
            # two before the prompt shortcut); the fixed-length model's batches are a few ms
            # each, and on two threads BESIII paper took as long (61-75 ms) for 1.4x the CPU
            # (a curve of one energy point is one batch: split in two on two threads, LEP
            # L3 d_e took 131 -> 106 ms wall but 162 ms CPU, CEPC Z 48 -> 46 ms and 64 ms)
            chunks = [todo[i : i + step] for i in range(0, todo.size, step)]
            batches = run_threads(
                [functools.partial(batch, part[idx], rule) for idx in chunks],
                setup.workers if heavy else 1,
            )
            for idx, (r_i, w_i, k_i) in zip(chunks, batches, strict=True):
                rate[idx], weight[idx], kappa[idx] = r_i, w_i, k_i
        else:
            for i, mass in enumerate(part):
                tpl = templates(experiment, sel, preset, setup, float(mass), model)
                rate[i], weight[i], kappa[i] = tpl.rate, tpl.weight, tpl.kappa
                if progress is not None:
                    progress(1)
        mean_w, mean_k = combine_batches(weight, kappa, embedded)
        unc = setup.background_uncertainty
        d = _solve(setup, background, rate, mean_w, mean_k)
        d95[lo : lo + part.size] = d
        if embedded and with_error:
            d95_error[lo : lo + part.size] = embedded_rule_error(
                d, rate, weight[..., 1, :], kappa[..., 1, :], background, setup, unc
            )
        elif n_batch > 1 and with_error:
            d95_error[lo : lo + part.size] = limit_spread(
                d, rate, weight, kappa, background, setup.statistic, setup.threshold, unc
            )
        total_rate = rate.sum(axis=1)
        acceptance[lo : lo + part.size] = np.divide(
            (rate * mean_w.sum(axis=-1)).sum(axis=1),
            total_rate,
            out=np.zeros(part.size),
            where=total_rate > 0,
        )
    return d95, np.where(np.isnan(d95), np.nan, d95_error), acceptance


def embedded_rule_error(
    d95: FloatArray,
    rate: FloatArray,
    weight_low: FloatArray,
    kappa_low: FloatArray,
    background: FloatArray,
    setup: ScanSetup,
    uncertainty: float,
) -> FloatArray:
    """|d95 - d95 of the embedded lower rule|: the error estimate of the "rules" sampler.

    The embedded 7-point Gauss rules (and every other azimuth node) on the nodes of the
    15-point Gauss-Kronrod rules estimate the error of the lower rule, an upper bound on that
    of the Kronrod rule where the integrand is piecewise smooth (QUADPACK, Piessens et al.
    1983); the limit is solved again with the lower rule's templates, started at d95.
    """
    d_low = solve_upper_limit(
        rate,
        weight_low,
        kappa_low,
        background,
        setup.statistic,
        setup.threshold,
        start=np.where(np.isfinite(d95), d95, np.nan),
        uncertainty=uncertainty,
    )
    return np.asarray(np.abs(d_low - d95))


def reach_function(
    experiment: Experiment,
    preset: Preset,
    selection: str | None = None,
    options: IntegrationOptions | None = None,
    model: CouplingModel = PHOTON_ONLY,
    background_uncertainty: float | None = None,
) -> Callable[[float], float]:
    """d95 (GeV^-1) at any mass of the curve :func:`compute_reach` scans, NaN where there is
    no sensitivity or outside (:data:`MIN_MASS`, threshold): the same nodes (same seed),
    templates and solver, set up once. Used to solve where the curve crosses an existing
    limit on the curve itself rather than on a mass grid. ``background_uncertainty`` as in
    :func:`compute_reach`."""
    opts = options or IntegrationOptions()
    model = model.with_scheme(preset.ew_scheme)
    sel = experiment.selection(selection)
    experiment, points = selection_points(experiment, sel)
    top = max(p.sqrt_s for p in points)
    limit = sel.limit
    cache: dict[float, float] = {}
    if limit.type == "z-invisible-width":

        def z_width(mass: float) -> float:
            ok = MIN_MASS <= mass < top
            return float(z_width_limit(limit, model, preset, np.array([mass]))[0]) if ok else np.nan

        return z_width
    setup = prepare_scan(experiment, sel, points, preset, opts, model, background_uncertainty)

    def d95_at(mass: float) -> float:
        key = float(mass)
        if key not in cache:
            if not MIN_MASS <= key < top:
                cache[key] = float("nan")
            else:
                d, _, _ = _solve_masses(
                    experiment, sel, preset, setup, model, np.array([key]), with_error=False
                )
                cache[key] = float(d[0])
        return cache[key]

    return d95_at


def compute_reach(
    experiment: Experiment,
    masses: Sequence[float] | FloatArray,
    preset: Preset,
    selection: str | None = None,
    options: IntegrationOptions | None = None,
    progress: Callable[[int], None] | None = None,
    model: CouplingModel = PHOTON_ONLY,
    background_uncertainty: float | None = None,
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
    background_uncertainty
        Relative uncertainty of the expected background (0.01 = 1 %), overriding the
        selection's ``background_uncertainty`` (0 unless its file says otherwise); recorded in
        ``inputs.conventions``. The model's SM inputs are used in the preset's electroweak
        scheme (``preset.ew_scheme``).
    """
    opts = options or IntegrationOptions()
    model = model.with_scheme(preset.ew_scheme)
    if background_uncertainty is not None:
        check_background_uncertainty(background_uncertainty)
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
    setup = prepare_scan(experiment, sel, points, preset, opts, model, background_uncertainty)
    bkgs = setup.backgrounds
    d95, d95_error, acceptance = _solve_masses(experiment, sel, preset, setup, model, m, progress)
    backgrounds = [
        {"background_irreducible": b.irreducible, "background_reducible": b.reducible} for b in bkgs
    ]
    return ReachResult(
        mass=m,
        d95=d95,
        d95_error=np.where(np.isnan(d95), np.nan, d95_error),
        acceptance=acceptance,
        inputs=_inputs(experiment, sel.name, preset, opts, backgrounds, model, points, setup),
    )
