"""Expected counts of a far detector at one point (m_N, d), channel by channel: parents, N
produced, N heading into the detector, N decaying inside, events passing the selection
(``nudipole events``). The same source, detector and selection as the band of
:mod:`nudipole.reach.far_scan`, with every ray kept (no merge)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from nudipole.experiments.errors import ExperimentError
from nudipole.experiments.far_schema import FarDetectorExperiment
from nudipole.model import Flavour, FlavourMode
from nudipole.physics.decay import decay_probability_in_segment, width_nu_gamma
from nudipole.production.meson_source import NFlux, SourceOptions, meson_flux
from nudipole.production.meson_table import CHANNELS
from nudipole.reach.far_couplings import PHOTON_SIGNAL, FarCouplings
from nudipole.reach.far_presets import FarPreset
from nudipole.reach.far_scan import selection_efficiency
from nudipole.reach.far_setup import (
    check_couplings,
    detector_options,
    parse_channels,
    validate_far_masses,
)


@dataclass(frozen=True)
class ChannelCounts:
    """Expected counts for one channel at one (m_N, d): parents (both charge states, those
    that can decay before absorption), N produced, N heading into the detector, N decaying
    inside it (any decay), and events passing the selection (the signal: N -> nu gamma, or
    every visible decay, :mod:`nudipole.reach.far_couplings`). ``by_part``: for a channel of
    several parent species (W: W+ and W-), their parents and N produced."""

    channel: str
    parents: float
    produced: float
    heading: float
    decaying: float
    passing: float
    by_part: dict[str, dict[str, float]] = field(default_factory=dict)


def channel_counts(
    flux: NFlux,
    experiment: FarDetectorExperiment,
    preset: FarPreset,
    d: float,
    couplings: FarCouplings = PHOTON_SIGNAL,
) -> list[ChannelCounts]:
    """Per-channel counts at coupling ``d`` (GeV^-1; d_gamma with electroweak couplings) for
    the luminosity of ``experiment``."""
    lumi = experiment.luminosity_pb
    if couplings.photon_only and not couplings.universal:
        # Gamma(N -> nu gamma) = d^2 m^3 / (4 pi) (seed Eq. 4), as before the W/Z source
        gamma = float(width_nu_gamma(flux.mass, d, preset.nature))
    else:
        gamma = couplings.width_unit(flux.mass, preset.nature) * d**2
    l_dec = flux.momentum / (flux.mass * gamma)
    p_dec = decay_probability_in_segment(flux.l_in, flux.l_out, l_dec)
    eff = selection_efficiency(flux, experiment, preset, couplings)
    out = []
    for k, name in enumerate(flux.channels):
        sel = flux.channel == k
        w = flux.weight[sel]
        parts = {
            part: {"parents": lumi * pb, "produced": lumi * d**2 * made}
            for part, (pb, made) in flux.by_part.get(name, {}).items()
        }
        out.append(
            ChannelCounts(
                channel=name,
                parents=lumi * float(flux.parents_pb[k]),
                produced=lumi * d**2 * float(flux.produced[k]),
                heading=lumi * d**2 * float(flux.heading[k]),
                decaying=lumi * d**2 * float(np.dot(w, p_dec[sel])),
                passing=lumi * d**2 * float(np.dot(w, (eff * p_dec)[sel])),
                by_part=parts,
            )
        )
    return out


def _flux(
    experiment: FarDetectorExperiment,
    mass: float,
    channels: Sequence[str],
    flavour: str,
    options: SourceOptions,
    couplings: FarCouplings = PHOTON_SIGNAL,
) -> NFlux:
    shape = experiment.shape
    return meson_flux(
        mass,
        channels,
        flavour,
        shape,
        shape.polar_window(),
        experiment.charged_mesons,
        options,
        couplings.ratios,
    )


def far_events(
    experiment: FarDetectorExperiment,
    mass: float,
    d: float,
    preset: FarPreset,
    channels: Sequence[str] = CHANNELS,
    flavour: Flavour | FlavourMode = Flavour.E,
    options: SourceOptions | None = None,
    couplings: FarCouplings = PHOTON_SIGNAL,
) -> list[ChannelCounts]:
    """Per-channel expected counts at one point (m_N GeV, d GeV^-1; d_gamma with the
    electroweak ``couplings`` of a scenario, as in :func:`compute_far_reach`; summed over the
    three flavours for ``flavour="universal"``, :func:`sum_flavours`)."""
    if not 1.0e-20 <= d <= 1.0e3:  # also NaN; below 1e-20 the decay lengths overflow
        raise ExperimentError(f"d must be a positive number in GeV^-1 (1e-20 to 1e3), got {d!r}")
    # each channel's count is shown: every channel with its full rules (no minor channels)
    opts = replace(
        detector_options(experiment, options or SourceOptions(form_factor=str(preset.form_factor))),
        minor_channels=(),
    )
    chans = parse_channels(channels)
    check_couplings(chans, flavour, couplings)
    (m,) = validate_far_masses([mass], chans)
    per_flavour = [
        channel_counts(
            _flux(experiment, float(m), chans, str(f), opts, couplings),
            experiment,
            preset,
            d,
            couplings,
        )
        for f in FlavourMode(flavour).flavours
    ]
    return [sum_flavours(rows) for rows in zip(*per_flavour, strict=True)]


def sum_flavours(rows: Sequence[ChannelCounts]) -> ChannelCounts:
    """One channel's counts summed over flavours (flavour-universal dipole): the N produced,
    heading, decaying and passing add (distinct final states); the parents are the same
    hadrons or bosons for every flavour (counted once)."""
    first = rows[0]
    if len(rows) == 1:
        return first
    parts = {
        part: {
            "parents": counts["parents"],
            "produced": math.fsum(r.by_part[part]["produced"] for r in rows),
        }
        for part, counts in first.by_part.items()
    }
    return ChannelCounts(
        channel=first.channel,
        parents=first.parents,
        produced=math.fsum(r.produced for r in rows),
        heading=math.fsum(r.heading for r in rows),
        decaying=math.fsum(r.decaying for r in rows),
        passing=math.fsum(r.passing for r in rows),
        by_part=parts,
    )
