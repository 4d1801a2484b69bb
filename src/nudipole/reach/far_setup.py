"""What a far-detector scan checks and records around its computation: the channels chosen
(meson channels and W, Z) and whether the couplings allow them, the masses, the signal
threshold of a preset, the detector's own quadrature orders, and the inputs that go into a
result's metadata. The scan itself: :mod:`nudipole.reach.far_scan`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from typing import Any

import numpy as np

from nudipole import _version
from nudipole.experiments.errors import ExperimentError
from nudipole.experiments.far_schema import INTEGRATION_ORDERS, FarDetectorExperiment
from nudipole.model import Flavour, FlavourMode
from nudipole.physics._types import FloatArray
from nudipole.production.boson_channels import BOSON_CHANNELS
from nudipole.production.channels import (
    ALL_CHANNELS,
    SOURCE_CHANNELS,
    parent_mass,
    parse_sources,
)
from nudipole.production.meson_source import SourceOptions
from nudipole.production.meson_table import CHANNELS, channel_info
from nudipole.production.spectra.builtin import has_own_table
from nudipole.reach.far_couplings import PHOTON_SIGNAL, FarCouplings
from nudipole.reach.far_presets import FarPreset, FarStatistic
from nudipole.stats.poisson import expected_signal_limit

#: Events that define the paper preset's 95 % CL region (background-free convention).
THREE_EVENTS = 3.0
#: Smallest m_N accepted (GeV): the lower band edge grows as 1/m_N (N too long-lived) and
#: reaches d ~ 1e-3 GeV^-1 at 0.1 MeV for FASER-2, far inside the existing limits.
MIN_FAR_MASS = 1.0e-4
#: Most masses in one far-detector scan (time and memory bound).
MAX_FAR_MASSES = 5000


def parse_channels(channels: str | Sequence[str] | None) -> tuple[str, ...]:
    """Channel names from "pi0,eta,..." or a sequence (meson channels and W, Z); all meson
    channels when None."""
    if channels is None:
        return CHANNELS
    names = (
        [c.strip() for c in channels.split(",")] if isinstance(channels, str) else list(channels)
    )
    names = [c for c in names if c]
    if not names:
        raise ExperimentError(f"no channel given; choose from {', '.join(ALL_CHANNELS)}")
    unknown = [c for c in names if c not in ALL_CHANNELS]
    if unknown:
        raise ExperimentError(
            f"unknown channel(s) {', '.join(map(repr, unknown))}; choose from "
            f"{', '.join(ALL_CHANNELS)}"
        )
    return tuple(dict.fromkeys(names))


def resolve_channels(
    sources: str | Sequence[str] | None, channels: str | Sequence[str] | None
) -> tuple[str, ...]:
    """The channels of a far-detector run from ``--sources`` (mesons, wz; default mesons)
    and ``--channels``: every channel of the sources when ``channels`` is None; otherwise
    the channels given, which must belong to the sources when those are given too."""
    try:
        srcs = parse_sources(sources)
    except ValueError as err:
        raise ExperimentError(str(err)) from None
    offered = tuple(c for s in srcs for c in SOURCE_CHANNELS[s])
    if channels is None:
        return offered
    chans = parse_channels(channels)
    if sources is None:
        return chans
    outside = [c for c in chans if c not in offered]
    if outside:
        raise ExperimentError(
            f"channel(s) {', '.join(outside)} are not in the source(s) {','.join(srcs)} "
            f"(W, Z belong to wz, the mesons to mesons): add the source or drop the channel"
        )
    return chans


def has_bosons(channels: Sequence[str]) -> bool:
    """Whether ``channels`` contain a W/Z channel."""
    return any(c in BOSON_CHANNELS for c in channels)


def form_factor_channels(channels: Sequence[str]) -> tuple[str, ...]:
    """The channels of ``channels`` whose rate the P -> gamma gamma* form factor changes: the
    neutral pseudoscalars (pi0, eta, eta'; :mod:`nudipole.production.meson_rates`)."""
    return tuple(
        c
        for c in channels
        if c not in BOSON_CHANNELS and channel_info(c).kind == "neutral-pseudoscalar"
    )


def spectra_set_channels(channels: Sequence[str], spectra_set: str) -> tuple[str, ...]:
    """The channels of ``channels`` whose parents ``spectra_set`` has tables of its own for
    (``nlo``: D, Ds, B; its other parents are the ``default`` set's)."""
    return tuple(
        c
        for c in channels
        if c not in BOSON_CHANNELS and has_own_table(channel_info(c).pdgid, spectra_set)
    )


def check_couplings(
    channels: Sequence[str], flavour: Flavour | FlavourMode | str, couplings: FarCouplings
) -> None:
    """The W/Z channels need d_Z, d_W relative to d_gamma (a scenario or a), and the coupling
    model's flavour must be the scan's (a universal scan needs universal couplings, whose
    width has all three flavours); ExperimentError otherwise."""
    if has_bosons(channels) and couplings.photon_only:
        raise ExperimentError(
            "N from W/Z decays (channels W, Z; --sources wz) needs d_Z and d_W relative to "
            "d_gamma: give --scenario A|B|C|D|I|II|III|IV or --a"
        )
    mode = FlavourMode(flavour)
    if (mode is FlavourMode.UNIVERSAL) != couplings.universal:
        raise ExperimentError(
            f"the couplings are for flavour {couplings.mode}, the scan for {mode}: a "
            "flavour-universal scan needs make_far_couplings('universal', ...) and vice versa"
        )
    if (
        not couplings.photon_only
        and not couplings.universal
        and Flavour(mode.value) is not couplings.model.flavour
    ):
        raise ExperimentError(
            f"the coupling model is for flavour {couplings.model.flavour}, the scan for "
            f"{Flavour(flavour)}: use one flavour"
        )


def signal_threshold(experiment: FarDetectorExperiment, preset: FarPreset) -> float:
    """Signal events that the 95 % CL region requires (see :mod:`far_presets`)."""
    if preset.statistic is FarStatistic.THREE_EVENTS:
        return THREE_EVENTS
    if not preset.photon_selection:
        return expected_signal_limit(0.0)
    sel = experiment.selection
    return expected_signal_limit(sel.background, uncertainty=sel.background_uncertainty)


def validate_far_masses(
    masses: Sequence[float] | FloatArray, channels: Sequence[str]
) -> FloatArray:
    m = np.asarray(masses, dtype=float).ravel()
    if m.size == 0:
        raise ExperimentError("no masses given")
    if m.size > MAX_FAR_MASSES:
        raise ExperimentError(
            f"{m.size} masses requested; a far-detector scan takes at most {MAX_FAR_MASSES} "
            "(each costs about 0.1 s): use fewer"
        )
    if not np.all(np.isfinite(m)) or np.any(m <= 0.0):
        raise ExperimentError("masses must be positive, finite numbers in GeV")
    if np.any(m < MIN_FAR_MASS):
        raise ExperimentError(
            f"m_N = {m.min():g} GeV is below {MIN_FAR_MASS:g} GeV, where the far-detector bands "
            "start above d ~ 1e-3 GeV^-1 (rising as 1/m_N), deep inside existing limits; "
            "choose masses of at least 1e-4 GeV"
        )
    top = max(parent_mass(c) for c in channels)
    if np.any(m >= top):
        raise ExperimentError(
            f"m_N = {m[m >= top].max():g} GeV is at or above the heaviest parent of the chosen "
            f"channels ({top:g} GeV); choose masses below it"
        )
    return np.sort(m)


def far_inputs(
    experiment: FarDetectorExperiment,
    preset: FarPreset,
    channels: Sequence[str],
    flavour: Flavour | FlavourMode,
    options: SourceOptions,
    threshold: float,
    couplings: FarCouplings = PHOTON_SIGNAL,
) -> dict[str, Any]:
    """Everything that made a far-detector result (for its metadata). The W/Z entries
    (``wz_source``, the signal and the couplings of a scenario) appear when they apply."""
    sel = experiment.selection
    integration = asdict(options)
    wz_opts = {k: integration.pop(k) for k in ("wz_tables", "boson_polarisation")}
    integration.pop("detector_rules")
    if experiment.integration.source:
        integration["detector_rules_source"] = experiment.integration.source
    conventions: dict[str, Any] = {
        "statistic": str(preset.statistic),
        "signal_events_required": threshold,
        "photon_selection": preset.photon_selection,
        "nature": str(preset.nature),
        "form_factor": str(preset.form_factor),
        "charge_states": "both (N and Nbar)",
        "photon_angular": "isotropic in the N rest frame (energy fraction)",
    }
    citations = [
        "D. Barducci, W. Liu, A. Titov, Z. S. Wang, Y. Zhang, PRD 108 (2023) 115009, "
        "arXiv:2308.16608",
        "F. Kling, S. Trojanowski, PRD 104 (2021) 035012, arXiv:2105.07077 (spectra)",
        experiment.reference,
    ]
    out: dict[str, Any] = {
        **_version.provenance(),
        "experiment": experiment.name,
        "experiment_kind": experiment.kind,
        "experiment_title": experiment.title,
        "experiment_origin": experiment.origin,
        "selection": "photon" if preset.photon_selection else "all decays in volume",
        "preset": preset.name,
        "conventions": conventions,
        "couplings": {"couplings": "photon only", "flavour": str(flavour)},
        "channels": list(channels),
        "sqrt_s": experiment.sqrt_s,
        "total_luminosity": experiment.luminosity,
        "luminosity_pb": experiment.luminosity_pb,
        "detector": {"shape": type(experiment.shape).__name__, **asdict(experiment.shape)},
        "photon_selection": asdict(sel),
        "charged_mesons": asdict(experiment.charged_mesons),
        "integration": integration,
        "citations": citations,
        "experiment_definition": experiment.raw,
    }
    if not couplings.photon_only:
        out["couplings"] = couplings.describe()
        conventions["signal"] = (
            "N -> nu gamma (x Br)"
            if str(couplings.signal) == "photon"
            else "every visible decay (nu gamma, l f f', nu f f; not nu nu nu)"
        )
        conventions["width"] = "total width of N with d_gamma, d_Z, d_W (decay_ew)"
    if has_bosons(channels):
        out["wz_source"] = {
            "tables": wz_opts["wz_tables"],
            "boson_polarisation": wz_opts["boson_polarisation"],
            "spin_axis": "direction of flight of the boson (LO transverse polarisation, "
            "valence quark along the flight; nudipole.production.boson_channels)"
            if wz_opts["boson_polarisation"] == "lo"
            else "none (isotropic N in the boson frame)",
            "cross_sections": "ATLAS 13 TeV (arXiv:1603.09222) x LO transfer to 14 TeV / "
            "PDG B (nudipole.production.boson_spectra)",
        }
        citations.append(
            "W. Liu, Y. Zhang, EPJC 83 (2023) 568, arXiv:2302.02081 (N from W and Z decays)"
        )
    return out


def minor_rules_for(options: SourceOptions, channels: Sequence[str]) -> SourceOptions:
    """``options`` with its ``minor_channels`` where ``channels`` holds every meson channel
    (the count they are a small part of, which is what makes them minor); for any other
    channel set (a channel alone, as ``figure lhc-channels`` draws them, or a few) every
    channel keeps its full rules."""
    if options.minor_channels and not set(CHANNELS) <= set(channels):
        return replace(options, minor_channels=())
    return options


def detector_options(experiment: FarDetectorExperiment, options: SourceOptions) -> SourceOptions:
    """``options`` with the detector's own quadrature orders (its ``[integration]`` table,
    :class:`nudipole.experiments.far_schema.IntegrationRules`) where it states them and
    ``options.detector_rules`` is True; the result has ``detector_rules`` False (resolved)."""
    if not options.detector_rules:
        return options
    rules = experiment.integration
    changes: dict[str, Any] = {
        name: value for name in INTEGRATION_ORDERS if (value := getattr(rules, name)) is not None
    }
    if rules.minor_channels is not None:
        changes["minor_channels"] = rules.minor_channels
    return replace(options, detector_rules=False, **changes)
