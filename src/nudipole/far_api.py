"""The far-detector half of the Python API: the excluded band of FASER-2, MAPP-2, FACET or
any far-detector TOML (:func:`far_reach`, also reached through :func:`nudipole.api.reach`),
per flavour with shared rays (:func:`far_reach_flavours`), at any one mass
(:func:`far_band_function`), and the counts per channel at one point
(:func:`far_detector_events`). Re-exported by :mod:`nudipole.api`.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nudipole._api_checks import (
    checked_progress,
    checked_workers,
    choice,
    coupling_numbers,
    luminosity_pb,
    masses_array,
    number,
)
from nudipole.experiments import ExperimentError, FarDetectorExperiment
from nudipole.experiments.registry import load_far_experiment
from nudipole.model import Flavour, FlavourMode, Nature
from nudipole.physics.couplings import Scenario
from nudipole.production.boson_channels import BOSON_TABLE_SETS, BosonPolarisation
from nudipole.production.meson_source import SPECTRA_SETS, SourceOptions
from nudipole.reach.far_couplings import FarCouplings, FarSignal, make_far_couplings
from nudipole.reach.far_presets import (
    ErrorRule,
    FarPreset,
    FarStatistic,
    FormFactor,
    get_far_preset,
)
from nudipole.reach.result import BandEnd, ReachResult

if TYPE_CHECKING:
    # nudipole.reach.far_scan (and the band solver and numba with it) is imported
    # by the far-detector functions that use it, not by `import nudipole`.
    from nudipole.reach.far_events import ChannelCounts
    from nudipole.reach.far_shared import SharedRays


def _far_options(
    spectra: str,
    form_factor: FormFactor,
    boson_polarisation: str = "lo",
    wz_tables: str = "pythia",
    wz_every_mass: bool = False,
) -> SourceOptions:
    if spectra not in SPECTRA_SETS:
        raise ExperimentError(
            f"unknown spectra set {spectra!r}; choose one of {', '.join(SPECTRA_SETS)}"
        )
    polarisations = [p.value for p in BosonPolarisation]
    if boson_polarisation not in polarisations:
        raise ExperimentError(
            f"unknown boson polarisation {boson_polarisation!r}; choose one of "
            f"{', '.join(polarisations)}"
        )
    if wz_tables not in BOSON_TABLE_SETS:
        raise ExperimentError(
            f"unknown W/Z tables {wz_tables!r}; choose one of {', '.join(BOSON_TABLE_SETS)}"
        )
    options = SourceOptions(
        spectra_set=spectra,
        form_factor=str(form_factor),
        wz_tables=wz_tables,
        boson_polarisation=boson_polarisation,
    )
    if wz_every_mass:  # no W/Z rays of reference masses: every mass computed afresh
        return dataclasses.replace(options, light_boson_mass=0.0, boson_reference_step=0.0)
    return options


def far_setup(
    *,
    sources: str | Sequence[str] | None,
    channels: str | Sequence[str] | None,
    flavour: str | Flavour | FlavourMode,
    scenario: str | Scenario | None,
    a: float | None,
    sin2w: float | None,
    signal: str | FarSignal,
) -> tuple[tuple[str, ...], FarCouplings]:
    """The channels (from ``sources`` and ``channels``) and the couplings (scenario or a,
    signal) of a far-detector run, validated; ExperimentError on bad input.

    The W/Z source needs a scenario or ``a`` (d_Z, d_W relative to d_gamma); with the meson
    source alone a scenario only changes the N width and the signal fraction.
    """
    from nudipole.reach.far_setup import resolve_channels

    for name, value in (("sources", sources), ("channels", channels)):
        if not (value is None or isinstance(value, str) or _strings(value)):
            raise ExperimentError(
                f"{name} {value!r}: give names, comma-separated in one string or as a list"
            )
    chans = resolve_channels(sources, channels)
    ratio, s2w = coupling_numbers(a, sin2w)
    try:
        couplings = make_far_couplings(
            flavour, None if scenario is None else str(scenario), ratio, s2w, signal
        )
    except ValueError as err:
        raise ExperimentError(str(err)) from None
    return chans, couplings


def _strings(value: object) -> bool:
    """Whether ``value`` is a list or tuple of strings."""
    return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)


def far_with_background_uncertainty(
    exp: FarDetectorExperiment, uncertainty: float, preset: str = "default"
) -> FarDetectorExperiment:
    """``exp`` with the relative background uncertainty ``uncertainty`` (0 to 1); refused
    (other than 0) where there is no background for it to widen: a detector that expects none
    (every built-in one) or the ``paper`` preset, which counts none."""
    out = exp.with_background_uncertainty(uncertainty)  # its range checked first
    chosen = get_far_preset(preset)
    none = (
        f"the {chosen.name} preset counts no background"
        if chosen.statistic is FarStatistic.THREE_EVENTS
        else f"{exp.title} expects no background events"
        if exp.selection.background == 0.0
        else None
    )
    if uncertainty > 0.0 and none is not None:
        raise ExperimentError(
            f"--bkg-uncertainty {uncertainty:g} (background_uncertainty) widens the background, "
            f"and {none}: it would change nothing; drop it"
        )
    return out


def _check_boson_options(
    chans: Sequence[str], boson_polarisation: str, wz_tables: str, wz_every_mass: bool
) -> None:
    """Refuse settings of the W/Z source (other than its defaults) for a run without a W or
    Z channel, which would ignore them."""
    from nudipole.reach.far_setup import has_bosons

    if has_bosons(chans):
        return
    given = [
        f"{name}={value!r} (--{name.replace('_', '-')})"
        for name, value, default in (
            ("boson_polarisation", boson_polarisation, BosonPolarisation.LO.value),
            ("wz_tables", wz_tables, "pythia"),
            ("wz_every_mass", wz_every_mass, False),
        )
        if value != default
    ]
    if given:
        verb, them = ("sets", "it") if len(given) == 1 else ("set", "them")
        raise ExperimentError(
            f"{', '.join(given)} {verb} the W/Z source, but the run has no W or Z channel "
            f"({len(chans)} meson channel(s)): add the source (--sources mesons,wz) or drop {them}"
        )


def _check_meson_options(
    chans: Sequence[str], spectra: str, chosen: FarPreset, preset: str
) -> None:
    """Refuse a spectra set or form factor (other than the default and the preset's) for a
    run with none of the channels it changes, which would ignore it."""
    from nudipole.production.channels import ALL_CHANNELS
    from nudipole.reach.far_setup import form_factor_channels, spectra_set_channels

    given = []
    if spectra != "default" and not spectra_set_channels(chans, spectra):
        changed = ", ".join(spectra_set_channels(ALL_CHANNELS, spectra))
        given.append(f"spectra={spectra!r} (--spectra) changes channels {changed} only")
    ff = chosen.form_factor
    if ff != get_far_preset(preset).form_factor and not form_factor_channels(chans):
        changed = ", ".join(form_factor_channels(ALL_CHANNELS))
        given.append(f"form_factor={str(ff)!r} (--form-factor) changes channels {changed} only")
    if given:
        them = "it" if len(given) == 1 else "them"
        raise ExperimentError(
            f"{'; '.join(given)}, and the run has none of them ({', '.join(chans)}): add one "
            f"(--channels) or drop {them}"
        )


def _far_preset(preset: str, form_factor: str | None, nature: str | Nature | None) -> FarPreset:
    return get_far_preset(preset).with_overrides(
        nature=None if nature is None else choice(Nature, nature, "nature"),
        form_factor=None if form_factor is None else choice(FormFactor, form_factor, "form_factor"),
    )


def _far_experiment(experiment: str | Path | FarDetectorExperiment) -> FarDetectorExperiment:
    """A far detector given by name, path or object."""
    if isinstance(experiment, FarDetectorExperiment):
        return experiment
    return load_far_experiment(experiment)


def _far_run(
    preset: str,
    form_factor: str | None,
    nature: str | Nature | None,
    spectra: str,
    boson_polarisation: str,
    wz_tables: str,
    wz_every_mass: bool,
    **couplings: Any,
) -> tuple[FarPreset, tuple[str, ...], FarCouplings, SourceOptions]:
    """The preset, channels, couplings (:func:`far_setup` with ``couplings``) and source
    options of a far-detector run, validated."""
    chosen = _far_preset(preset, form_factor, nature)
    chans, far_couplings = far_setup(**couplings)
    _check_boson_options(chans, boson_polarisation, wz_tables, wz_every_mass)
    _check_meson_options(chans, spectra, chosen, preset)
    options = _far_options(
        spectra, chosen.form_factor, boson_polarisation, wz_tables, wz_every_mass
    )
    return chosen, chans, far_couplings, options


def far_reach(
    experiment: str | Path | FarDetectorExperiment,
    masses: Sequence[float] | np.ndarray,
    *,
    preset: str = "default",
    channels: str | Sequence[str] | None = None,
    flavour: str | Flavour | FlavourMode = Flavour.E,
    spectra: str = "default",
    form_factor: str | None = None,
    nature: str | Nature | None = None,
    progress: Callable[[int], None] | None = None,
    error_estimate: bool = True,
    sources: str | Sequence[str] | None = None,
    scenario: str | Scenario | None = None,
    a: float | None = None,
    sin2w: float | None = None,
    signal: str | FarSignal = FarSignal.PHOTON,
    boson_polarisation: str = "lo",
    wz_tables: str = "pythia",
    wz_every_mass: bool = False,
    locate_ends: bool = True,
    workers: int | None = None,
    error_rule: str | ErrorRule = ErrorRule.HALVED,
    _shared: SharedRays | None = None,
    _defer_ends: list[Callable[[], tuple[BandEnd, ...]]] | None = None,
) -> ReachResult:
    """Excluded band of a far detector (see :func:`reach`, which dispatches here).

    ``flavour`` "universal" (d_e = d_mu = d_tau): the band on the common d from the three
    flavours' production with the three-flavour width (:func:`nudipole.reach.far_scan.
    compute_far_reach`). ``locate_ends`` False: the ends of the band's islands between two
    scanned masses are not solved (``band_ends`` empty; each costs about ten evaluations of
    the band), for a table at a few masses that draws no outline. ``workers``: threads over
    which the masses are spread (as for :func:`reach`; the same bands whatever it is).
    ``error_rule`` ("halved" or "doubled", :class:`~nudipole.reach.far_presets.ErrorRule`):
    the second rule of ``d95_error``, every integration rule halved (a conservative estimate, cheap)
    or doubled (an estimate of the error itself; the run takes 14-34 times as long)."""
    rule = _error_rule(error_rule)
    exp = _far_experiment(experiment)
    chosen, chans, couplings, options = _far_run(
        preset, form_factor, nature, spectra, boson_polarisation, wz_tables, wz_every_mass,
        sources=sources, channels=channels, flavour=flavour, scenario=scenario, a=a,
        sin2w=sin2w, signal=signal,
    )  # fmt: skip
    checked_progress(progress)
    from nudipole.reach.far_scan import compute_far_reach

    return compute_far_reach(
        exp,
        masses_array(masses),
        chosen,
        channels=chans,
        flavour=FlavourMode(flavour),
        options=options,
        progress=progress,
        error_estimate=error_estimate,
        locate_ends=locate_ends,
        couplings=couplings,
        shared=_shared,
        workers=checked_workers(workers),
        error_rule=rule,
        defer_ends=_defer_ends,
    )


def _error_rule(value: str | ErrorRule) -> ErrorRule:
    try:
        return ErrorRule(value)
    except ValueError:
        choices = ", ".join(r.value for r in ErrorRule)
        raise ExperimentError(f"error_rule {value!r} is not known; use one of: {choices}") from None


def far_reach_flavours(
    experiment: str | Path | FarDetectorExperiment,
    masses: Sequence[float] | np.ndarray,
    flavours: Sequence[str | Flavour] = tuple(Flavour),
    **kwargs: Any,
) -> dict[Flavour, ReachResult]:
    """The bands of one far detector for each of ``flavours`` (:func:`far_reach` with the same
    keywords, ``flavour`` excepted): the rays of the channels that are the same for every
    flavour (the neutral mesons with the photon-only couplings,
    :func:`nudipole.reach.far_shared.flavour_blind`) are computed once, so the three flavours
    cost about what two did; the bands are those of :func:`far_reach` per flavour. The
    flavours are scanned one after the other (each scan's masses on ``workers`` threads);
    the ends of their islands are then solved side by side on those threads (each end's
    search is sequential: one flavour's alone would keep one thread busy)."""
    (bands,) = far_reach_detectors([experiment], masses, flavours, **kwargs)
    return bands


def far_reach_detectors(
    experiments: Sequence[str | Path | FarDetectorExperiment],
    masses: Sequence[float] | np.ndarray,
    flavours: Sequence[str | Flavour] = tuple(Flavour),
    **kwargs: Any,
) -> list[dict[Flavour, ReachResult]]:
    """:func:`far_reach_flavours` of each of several far detectors, in their order: the
    detectors scanned one after the other, and the ends of all their bands' islands solved
    side by side at the end (an end's search is sequential; the more of them, the better
    they share the threads)."""
    from nudipole._parallel import run_threads
    from nudipole.reach.far_shared import SharedRays

    if "flavour" in kwargs:
        raise TypeError("give ``flavours`` (one or more), not ``flavour``")
    chosen = []
    for flavour in flavours:
        try:
            chosen.append(Flavour(flavour))
        except ValueError:
            raise ValueError(
                f"flavour {flavour!r}: choose from {', '.join(f.value for f in Flavour)}"
            ) from None
    if not chosen:
        raise ValueError("no flavour given: choose one or more of e, mu, tau")
    if isinstance(experiments, str | Path | FarDetectorExperiment):
        raise TypeError(
            f"experiments={experiments!r}: give a list of detectors (far_reach_flavours takes one)"
        )
    # every detector loaded (and a bad name refused) before any is scanned
    loaded = [_far_experiment(experiment) for experiment in experiments]
    later: list[Callable[[], tuple[BandEnd, ...]]] = []
    scans = []
    for exp in loaded:
        shared = SharedRays()
        for fl in chosen:
            waiting = len(later)
            band = far_reach(exp, masses, flavour=fl, _shared=shared, _defer_ends=later, **kwargs)
            scans.append((fl, band, len(later) > waiting))
    ends = iter(run_threads(later, kwargs.get("workers")))
    done = [
        (fl, dataclasses.replace(band, band_ends=next(ends)) if deferred else band)
        for fl, band, deferred in scans
    ]
    n = len(chosen)
    return [dict(done[i : i + n]) for i in range(0, len(done), n)]


def far_band_function(
    experiment: str | Path | FarDetectorExperiment, **kwargs: Any
) -> Callable[[float], tuple[float, float]]:
    """The excluded band (d95, d95_upper) in GeV^-1 of a far detector at any mass m_N (GeV),
    NaN where there is none: :func:`far_reach` at that one mass with the same keywords
    (``progress`` and ``error_estimate`` excepted). Used to solve where a band crosses an
    existing limit on the band itself rather than between grid masses. The keywords are
    checked here, before any mass is asked for (a TypeError for one :func:`far_reach` does
    not take, an ExperimentError for a bad value)."""
    exp = _far_experiment(experiment)
    fixed = {"masses", "progress", "error_estimate"} & set(kwargs)
    if fixed:
        raise TypeError(f"far_band_function sets {', '.join(sorted(fixed))} itself")
    given = inspect.signature(far_reach).bind(exp, [], **kwargs)
    given.apply_defaults()
    v = given.arguments
    _error_rule(v["error_rule"])
    _far_run(
        v["preset"], v["form_factor"], v["nature"], v["spectra"], v["boson_polarisation"],
        v["wz_tables"], v["wz_every_mass"], sources=v["sources"], channels=v["channels"],
        flavour=v["flavour"], scenario=v["scenario"], a=v["a"], sin2w=v["sin2w"],
        signal=v["signal"],
    )  # fmt: skip

    def band_at(mass: float) -> tuple[float, float]:
        r = far_reach(exp, [mass], error_estimate=False, **kwargs)
        return float(r.d95[0]), float(r.upper[0])

    return band_at


def far_detector_events(
    experiment: str | Path | FarDetectorExperiment,
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
    scenario: str | Scenario | None = None,
    a: float | None = None,
    sin2w: float | None = None,
    signal: str | FarSignal = FarSignal.PHOTON,
    boson_polarisation: str = "lo",
    wz_tables: str = "pythia",
    wz_every_mass: bool = False,
) -> list[ChannelCounts]:
    """Expected counts per channel at one point (m_N in GeV, d in GeV^-1; d_gamma with a
    scenario) of a far detector: parents, N produced, N heading into the detector, N decaying
    inside, events passing. Options as :func:`far_reach`."""
    exp = _far_experiment(experiment)
    if lumi is not None:
        exp = exp.with_luminosity(luminosity_pb(lumi))
    chosen, chans, couplings, options = _far_run(
        preset, form_factor, nature, spectra, boson_polarisation, wz_tables, wz_every_mass,
        sources=sources, channels=channels, flavour=flavour, scenario=scenario, a=a,
        sin2w=sin2w, signal=signal,
    )  # fmt: skip
    from nudipole.reach.far_events import far_events

    return far_events(
        exp,
        number(mass, "mass", "GeV"),
        number(d, "d", "GeV^-1"),
        chosen,
        channels=chans,
        flavour=FlavourMode(flavour),
        options=options,
        couplings=couplings,
    )
