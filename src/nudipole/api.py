"""The Python entry point: :func:`reach`.

>>> import nudipole
>>> r = nudipole.reach("belle2", masses=[0.5, 1.0], preset="paper")  # doctest: +SKIP
>>> r.mass, r.d95                                                      # doctest: +SKIP
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nudipole._api_checks import (
    check_counted_options,
    checked_progress,
    checked_workers,
    choice,
    coupling_numbers,
    integration_given,
    integration_options,
    luminosity_pb,
    masses_array,
    number,
    optional_number,
    photon_settings,
)
from nudipole.experiments import (
    Experiment,
    ExperimentError,
    FarDetectorExperiment,
    load_definition,
    load_experiment,
)
from nudipole.far_api import (
    far_band_function,
    far_detector_events,
    far_reach,
    far_reach_detectors,
    far_reach_flavours,
    far_setup,
    far_with_background_uncertainty,
)
from nudipole.model import Flavour, FlavourMode, Nature
from nudipole.physics.angular import PhotonAngular
from nudipole.physics.couplings import Scenario
from nudipole.physics.sm import EWScheme
from nudipole.reach.collider_events import SelectionEvents
from nudipole.reach.collider_events import collider_events as compute_collider_events
from nudipole.reach.far_couplings import FarSignal
from nudipole.reach.model import CouplingModel, make_model
from nudipole.reach.presets import ChargeStates, DecayModel, Preset, get_preset
from nudipole.reach.result import ReachResult
from nudipole.reach.scan import compute_reach
from nudipole.stats import USER_STATISTICS, Statistic

if TYPE_CHECKING:
    # nudipole.reach.far_scan (and the band solver and numba with it) is imported
    # by the far-detector functions that use it, not by `import nudipole`.
    from nudipole.reach.far_events import ChannelCounts

__all__ = [
    "check_counted_options",
    "collider_events",
    "collider_preset",
    "default_masses",
    "events",
    "far_band_function",
    "far_detector_events",
    "far_reach",
    "far_reach_detectors",
    "far_reach_flavours",
    "far_setup",
    "luminosity_pb",
    "mass_grid",
    "reach",
    "reach_many",
    "resolve_experiment",
    "single_flavour",
]

DEFAULT_N_MASSES = 60
#: Most masses any mass range may ask for (bounds the memory of the grid itself). The work
#: done per mass sets tighter bounds where it is costly, each refused with its own message
#: naming ``--mass-range``: a reach scan :data:`nudipole.reach.scan.MAX_MASSES`, a
#: far-detector scan :data:`nudipole.reach.far_setup.MAX_FAR_MASSES` (both 5000), the
#: envelope of existing limits ``MAX_ENVELOPE_MASSES`` in the landscape commands.
MAX_GRID_MASSES = 100_000
DEFAULT_MASS_MIN = 0.01  # GeV
#: Default far-detector mass range (GeV): the meson source reaches up to the Upsilon(1S).
DEFAULT_FAR_MASSES = (1.0e-3, 9.4)
#: How a relative background uncertainty is written in the errors (:func:`_uncertainty`).
_RELATIVE = "(relative: 0.01 = 1 %)"


def single_flavour(flavour: str | Flavour | FlavourMode) -> Flavour:
    """The flavour of an e+ e- run: e, mu or tau; ExperimentError for ``universal`` (a
    far-detector choice) or an unknown name."""
    if flavour == FlavourMode.UNIVERSAL:
        raise ExperimentError(
            "--flavour universal (d_e = d_mu = d_tau) applies only to far detectors (faser2, "
            "mathusla, ...); for an e+e- experiment choose e, mu or tau"
        )
    try:
        return Flavour(flavour)
    except ValueError:
        raise ExperimentError(
            f"unknown flavour {flavour!r}; choose one of {', '.join(f.value for f in Flavour)}"
        ) from None


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
    lumi_pb = None if lumi is None else luminosity_pb(lumi)
    if sqrt_s is not None:
        return exp.with_sqrt_s(number(sqrt_s, "sqrt_s", "GeV"), lumi_pb)
    if lumi_pb is not None:
        return exp.with_luminosity(lumi_pb)
    return exp


def events(
    experiment: str | Path | Experiment | FarDetectorExperiment,
    mass: float,
    d: float,
    *,
    preset: str = "default",
    channels: str | Sequence[str] | None = None,
    flavour: str | Flavour | FlavourMode = Flavour.E,
    spectra: str = "default",
    form_factor: str | None = None,
    nature: str | Nature | None = None,
    lumi: str | float | None = None,
    sources: str | Sequence[str] | None = None,
    signal: str | FarSignal = FarSignal.PHOTON,
    boson_polarisation: str = "lo",
    wz_tables: str = "pythia",
    **collider: Any,
) -> list[ChannelCounts] | list[SelectionEvents]:
    """Expected counts at one point (m_N in GeV, d in GeV^-1) of any experiment.

    A far detector gives one :class:`~nudipole.reach.far_events.ChannelCounts` per channel
    (meson channels, and W, Z with ``sources="wz"`` and a scenario: parents, N produced, N
    heading into the detector, N decaying inside, events passing); an e+ e- experiment one
    :class:`~nudipole.reach.collider_events.SelectionEvents` per selection (see
    :func:`collider_events`, which takes the ``collider`` keywords). The keywords
    ``scenario``, ``a`` and ``sin2w`` apply to both.
    """
    far_only = {
        "sources": sources,
        "signal": None if signal == FarSignal.PHOTON else signal,
        "boson_polarisation": None if boson_polarisation == "lo" else boson_polarisation,
        "wz_tables": None if wz_tables == "pythia" else wz_tables,
    }
    definition = (
        experiment
        if isinstance(experiment, Experiment | FarDetectorExperiment)
        else load_definition(experiment)
    )
    if isinstance(definition, Experiment):
        given = [k for k, v in far_only.items() if v is not None]
        if channels is not None or spectra != "default" or form_factor is not None or given:
            raise ExperimentError(
                "options channels, spectra, form_factor, sources, signal, boson_polarisation "
                "and wz_tables apply only to far detectors (faser2, mapp2, facet, mathusla, ...)"
            )
        return collider_events(
            definition,
            mass,
            d,
            preset=preset,
            flavour=flavour,
            nature=nature,
            lumi=lumi,
            **collider,
        )
    electroweak = {k: collider.pop(k) for k in ("scenario", "a", "sin2w") if k in collider}
    if collider:
        raise ExperimentError(
            f"{definition.title} is a far detector: option(s) {', '.join(collider)} apply only "
            "to e+e- experiments; drop them"
        )
    return far_detector_events(
        definition,
        mass,
        d,
        preset=preset,
        channels=channels,
        flavour=flavour,
        spectra=spectra,
        form_factor=form_factor,
        nature=nature,
        lumi=lumi,
        sources=sources,
        signal=signal,
        boson_polarisation=boson_polarisation,
        wz_tables=wz_tables,
        **electroweak,
    )


def collider_preset(
    preset: str,
    statistic: str | Statistic | None = None,
    photon_angular: str | PhotonAngular | None = None,
    charge_states: str | ChargeStates | None = None,
    decay_model: str | DecayModel | None = None,
    nature: str | Nature | None = None,
    ew_scheme: str | EWScheme | None = None,
) -> Preset:
    """The e+ e- preset ``preset`` with single conventions overridden (see :func:`reach`)."""
    return get_preset(preset).with_overrides(
        statistic=None
        if statistic is None
        else choice(Statistic, statistic, "statistic", USER_STATISTICS),
        photon_angular=None
        if photon_angular is None
        else choice(PhotonAngular, photon_angular, "photon_angular"),
        charge_states=None
        if charge_states is None
        else choice(ChargeStates, charge_states, "charge_states"),
        decay_model=None if decay_model is None else choice(DecayModel, decay_model, "decay_model"),
        nature=None if nature is None else choice(Nature, nature, "nature"),
        ew_scheme=None if ew_scheme is None else choice(EWScheme, ew_scheme, "ew_scheme"),
    )


def collider_events(
    experiment: str | Path | Experiment,
    mass: float,
    d: float,
    *,
    selection: str | None = None,
    sqrt_s: float | None = None,
    lumi: str | float | None = None,
    preset: str = "default",
    statistic: str | Statistic | None = None,
    photon_angular: str | PhotonAngular | None = None,
    charge_states: str | ChargeStates | None = None,
    decay_model: str | DecayModel | None = None,
    nature: str | Nature | None = None,
    sampler: str = "rules",
    n_events: int = 16384,
    seed: int = 20220415,
    flavour: str | Flavour | FlavourMode = Flavour.E,
    scenario: str | Scenario | None = None,
    a: float | None = None,
    sin2w: float | None = None,
    w_interference: bool = True,
    background_uncertainty: float | None = None,
    ew_scheme: str | EWScheme | None = None,
) -> list[SelectionEvents]:
    """Expected counts of an e+ e- experiment at one point (m_N GeV, d GeV^-1), per selection:
    N produced, N in acceptance, N decaying inside, events passing, background, and whether
    the 95 % CL statistic of :func:`reach` (same options, same integration) excludes d.

    ``selection`` restricts to one selection (all, default first, otherwise); the other
    keywords (``background_uncertainty`` and ``ew_scheme`` included) are those of
    :func:`reach`. Definitions: :mod:`nudipole.reach.collider_events`.
    """
    exp = resolve_experiment(experiment, sqrt_s=sqrt_s, lumi=lumi)
    names = list(exp.selections) if selection is None else [selection]
    # (the luminosity scales the counts shown, even for a published limit: not refused)
    photon = photon_settings(photon_angular, decay_model, nature, sampler)
    check_counted_options(exp, names, None, statistic, background_uncertainty, photon)
    chosen = collider_preset(
        preset, statistic, photon_angular, charge_states, decay_model, nature, ew_scheme
    )
    return compute_collider_events(
        exp,
        number(mass, "mass", "GeV"),
        number(d, "d", "GeV^-1"),
        chosen,
        selections=None if selection is None else [selection],
        options=integration_options(sampler, n_events, seed, None),
        model=_model(flavour, scenario, a, sin2w, w_interference),
        background_uncertainty=_uncertainty(background_uncertainty),
    )


def _chosen_masses(
    masses: Sequence[float] | np.ndarray | None,
    mass_range: tuple[float, float, int] | None,
    default: np.ndarray,
) -> np.ndarray:
    """Explicit masses, a (lo, hi, n) range, or ``default``; not both of the first two."""
    if masses is not None and mass_range is not None:
        raise ExperimentError("give either masses or mass_range, not both")
    if masses is not None:
        return masses_array(masses)
    if mass_range is not None:
        return _range_grid(mass_range)
    return default


def _range_grid(mass_range: object) -> np.ndarray:
    """:func:`mass_grid` of a (lo, hi, n) tuple, checked: three numbers, n whole."""
    parts = list(mass_range) if isinstance(mass_range, tuple | list) else None
    if parts is None or len(parts) != 3:
        raise ExperimentError(f"mass_range {mass_range!r}: give (lo, hi, n), masses in GeV")
    lo, hi, n = (number(v, "mass_range", "GeV (lo, hi) and a whole n") for v in parts)
    if not (np.isfinite(n) and n == int(n)):
        raise ExperimentError(f"mass_range {mass_range!r}: n = {parts[2]!r} is not a whole number")
    return mass_grid(lo, hi, int(n))


def default_masses(experiment: Experiment, n: int = DEFAULT_N_MASSES) -> np.ndarray:
    """Log-spaced masses from 10 MeV to 99 % of the highest sqrt(s)."""
    return np.geomspace(DEFAULT_MASS_MIN, 0.99 * experiment.max_sqrt_s, n)


def mass_grid(lo: float, hi: float, n: int) -> np.ndarray:
    """``n`` log-spaced masses from ``lo`` to ``hi`` GeV (validated)."""
    if not (lo > 0.0 and hi > lo and n >= 2):
        raise ExperimentError(
            f"--mass-range {lo:g} {hi:g} {n:g}: needs 0 < LO < HI and N >= 2 masses"
        )
    if n > MAX_GRID_MASSES:
        raise ExperimentError(
            f"--mass-range asks for {n:g} masses; at most {MAX_GRID_MASSES} are allowed (a "
            "curve is smooth: a few hundred resolve it)"
        )
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
    sampler: str = "rules",
    n_events: int = 16384,
    seed: int = 20220415,
    progress: Callable[[int], None] | None = None,
    flavour: str | Flavour | FlavourMode = Flavour.E,
    scenario: str | Scenario | None = None,
    a: float | None = None,
    sin2w: float | None = None,
    w_interference: bool = True,
    channels: str | Sequence[str] | None = None,
    spectra: str = "default",
    form_factor: str | None = None,
    error_estimate: bool = True,
    sources: str | Sequence[str] | None = None,
    signal: str | FarSignal = FarSignal.PHOTON,
    boson_polarisation: str = "lo",
    wz_tables: str = "pythia",
    wz_every_mass: bool = False,
    background_uncertainty: float | None = None,
    ew_scheme: str | EWScheme | None = None,
    workers: int | None = None,
    error_rule: str | None = None,
) -> ReachResult:
    """Expected 95 % CL limit on the dipole coupling d (GeV^-1) versus m_N (GeV).

    For an e+e- collider experiment the excluded region is d > d95. For a far detector
    (``faser2``, ``mapp2``, ``facet`` or a TOML file of kind far-detector) it is the band
    d95 < d < d95_upper: too few decays in the volume below it, N decaying before the
    detector above it.

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
    statistic, photon_angular, charge_states, decay_model, nature, ew_scheme
        Override single conventions of the preset (``ew_scheme``: "gmu", "gmu-alpha0" or
        "alpha0", :mod:`nudipole.physics.sm`; e+ e- experiments only).
    sampler, n_events, seed
        Acceptance integration (e+ e- experiments): "rules" (deterministic, cut-adapted;
        the default), "mc", "sobol" or "quadrature"; events per mass and RNG seed (mc, sobol).
    progress
        Callback called once per mass.
    flavour, scenario, a, sin2w
        Electroweak dipoles: the flavour of d_k and d_Z/d_gamma, d_W/d_gamma from a named
        scenario (I-IV, A-D) or from a = d_W/d_B, at sin^2 theta_w (default: data file value).
        Without scenario or a the photon-only model of the seed is used; the limit is on d_gamma.
        For a far detector they set the W/Z production (required with ``sources`` "wz") and
        the total width of N (:mod:`nudipole.reach.far_couplings`); there ``flavour`` may also
        be "universal" (d_e = d_mu = d_tau: the three flavours' production, three-flavour
        width; :class:`~nudipole.model.FlavourMode`).
    w_interference
        False drops the W-gamma and W-Z interference in e+ e- -> N nu (electron flavour), as the
        talk's cross-section slide does (:class:`~nudipole.reach.model.CouplingModel`).
    channels, spectra, form_factor, error_estimate, error_rule
        Far detectors only: meson channels ("pi0,eta,..." or a list; all by default), the
        spectra set ("default": EPOS-LHC + Pythia 8; "nlo": NLO+Pythia 8 charm and beauty),
        the P -> gamma gamma* form factor ("point" or "vmd"), and whether to estimate the
        integration error by a second rule (``error_rule``: "halved", every rule halved, the
        default, a conservative estimate at 20-45 % more time; "doubled", every rule doubled, an
        estimate of the error itself, the run 14-34 times as long;
        :class:`~nudipole.reach.far_presets.ErrorRule`).
    sources, signal, boson_polarisation, wz_tables
        Far detectors only: the sources of N, "mesons" (default), "wz" (N from W and Z decays:
        channels W, Z; needs ``scenario`` or ``a``) or "mesons,wz" (they add); the signal,
        "photon" (N -> nu gamma, default) or "visible" (every visible decay of N); the N
        angular distribution in the W/Z frame, "lo" (transverse polarisation about the boson
        direction, default) or "unpolarised"; the W/Z tables, "pythia" (default) or "foresee".
    wz_every_mass
        Far detectors only: compute the W/Z source afresh at every mass (slower) instead of
        from the rays of reference masses (up to 0.3 GeV those of 1 MeV; above, without a
        photon selection, interpolated in m_N^2 between references 1.5 apart; band edges
        within 2e-4 of every mass afresh; ``SourceOptions.light_boson_mass``,
        ``boson_reference_step``).
    background_uncertainty
        Relative uncertainty of the expected background (0.01 = 1 %, from 0 to 1), profiled in
        the ``chi2``/``asimov`` statistic or averaged over in ``poisson-cls``
        (:mod:`nudipole.stats`); the selection's (far detector: the photon selection's) value
        from its file if None, 0 for the built-in experiments.
    workers
        Threads over which the curve's masses are spread: a far detector's masses, an e+ e-
        experiment's batches of masses with ``sampler="rules"`` and the lab-volume decay
        model (``default`` preset). None: the cores the process may use, at most 4; 1: this
        thread only. The result is the same, bit for bit, whatever it is.

    Examples
    --------
    >>> nudipole.reach("mathusla", [0.1, 1.0], sources="wz", scenario="C",
    ...                flavour="tau")  # doctest: +SKIP
    """
    definition = (
        experiment
        if isinstance(experiment, Experiment | FarDetectorExperiment)
        else load_definition(experiment)
    )
    if isinstance(definition, FarDetectorExperiment):
        # the e+ e- integration's settings count as given where they differ from its defaults
        collider_only: dict[str, object] = {
            "selection": selection,
            "sqrt_s": sqrt_s,
            "statistic": statistic,
            "photon_angular": photon_angular,
            "charge_states": charge_states,
            "decay_model": decay_model,
            "ew_scheme": ew_scheme,
            **integration_given(sampler, n_events, seed),
            "w_interference": None if w_interference else w_interference,
        }
        given = [k for k, v in collider_only.items() if v is not None]
        if given:
            verb, them = ("applies", "it") if len(given) == 1 else ("apply", "them")
            raise ExperimentError(
                f"{definition.title} is a far detector: {', '.join(given)} {verb} only to e+e- "
                f"experiments; drop {them}"
            )
        far = definition if lumi is None else definition.with_luminosity(luminosity_pb(lumi))
        if background_uncertainty is not None:
            value = number(background_uncertainty, "background_uncertainty", _RELATIVE)
            far = far_with_background_uncertainty(far, value, preset)
        m = _chosen_masses(masses, mass_range, np.geomspace(*DEFAULT_FAR_MASSES, DEFAULT_N_MASSES))
        return far_reach(
            far,
            m,
            preset=preset,
            channels=channels,
            flavour=flavour,
            spectra=spectra,
            form_factor=form_factor,
            nature=nature,
            progress=progress,
            error_estimate=error_estimate,
            sources=sources,
            scenario=scenario,
            a=a,
            sin2w=sin2w,
            signal=signal,
            boson_polarisation=boson_polarisation,
            wz_tables=wz_tables,
            wz_every_mass=wz_every_mass,
            workers=workers,
            error_rule=error_rule or "halved",
        )
    far_only = (
        sources is not None
        or signal != FarSignal.PHOTON
        or boson_polarisation != "lo"
        or wz_tables != "pythia"
        or wz_every_mass
        or error_rule is not None
    )
    if channels is not None or spectra != "default" or form_factor is not None or far_only:
        raise ExperimentError(
            "options channels, spectra, form_factor, sources, signal, boson_polarisation, "
            "wz_tables and error_rule apply only to far detectors (faser2, mapp2, facet, "
            "mathusla, ...)"
        )
    checked_progress(progress)
    exp = resolve_experiment(definition, sqrt_s=sqrt_s, lumi=lumi)
    photon = photon_settings(photon_angular, decay_model, nature, sampler)
    check_counted_options(exp, [selection], lumi, statistic, background_uncertainty, photon)
    m = _chosen_masses(masses, mass_range, default_masses(exp))
    chosen = collider_preset(
        preset, statistic, photon_angular, charge_states, decay_model, nature, ew_scheme
    )
    options = integration_options(sampler, n_events, seed, checked_workers(workers))
    model = _model(flavour, scenario, a, sin2w, w_interference)
    return compute_reach(
        exp, m, chosen, selection, options, progress, model, _uncertainty(background_uncertainty)
    )


def _model(
    flavour: str | Flavour,
    scenario: str | Scenario | None,
    a: float | None,
    sin2w: float | None,
    w_interference: bool,
) -> CouplingModel:
    """:func:`make_model` of the API's keywords, ``a`` and ``sin2w`` checked as numbers."""
    ratio, s2w = coupling_numbers(a, sin2w)
    return make_model(single_flavour(flavour), scenario, ratio, s2w, w_interference)


def _uncertainty(value: float | None) -> float | None:
    """``background_uncertainty`` checked as a number (its range where it is used)."""
    return optional_number(value, "background_uncertainty", _RELATIVE)


def reach_many(
    curves: Sequence[Mapping[str, Any]], *, workers: int | None = None
) -> list[ReachResult]:
    """:func:`reach` for each of ``curves``, side by side on threads.

    Parameters
    ----------
    curves
        The keywords of one :func:`reach` call each, ``experiment`` included (and ``masses``
        where given), e.g. ``[{"experiment": "besiii", "preset": "paper"}, ...]``.
    workers
        Threads: the compiled integration kernels release the GIL, so separate curves run on
        separate cores. None: the cores this process may use, at most 4
        (:data:`nudipole._parallel.MAX_WORKERS`); 1: one after the other in this thread.

    Returns
    -------
    list of ReachResult
        In the order of ``curves``, each the same, bit for bit, as its own :func:`reach` call;
        the first error in that order is raised, as a loop would raise it. A ``progress``
        callback given to several curves is called from their threads.
    """
    from nudipole._parallel import check_workers, run_threads

    n = check_workers(workers)
    if isinstance(curves, str | bytes | Mapping):
        raise ValueError(
            f"curves = {curves!r}: give a list of dicts, each the keywords of one reach() call"
        )
    calls = []
    for i, curve in enumerate(curves):
        if not isinstance(curve, Mapping) or "experiment" not in curve:
            raise ValueError(
                f"curves[{i}] = {curve!r}: give the keywords of one reach() call as a dict, "
                "with 'experiment'"
            )
        keywords = dict(curve)
        experiment = keywords.pop("experiment")
        calls.append(functools.partial(reach, experiment, **keywords))
    return run_threads(calls, n)
