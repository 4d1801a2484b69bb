"""Reach of a far detector: the excluded band [d95, d95_upper] versus m_N (event counts at one
point: :mod:`nudipole.reach.far_events`; where a band ends: :mod:`nudipole.reach.band_ends`).

Pipeline (source x detector -> band): the meson source gives, for each mass, deterministic
rays of N that cross the detector (:mod:`nudipole.production.meson_source`), each with its
entry and exit distance from the exact ray-volume intersection
(:mod:`nudipole.detectors.shapes`); the decay probability in the volume is
exp(-l_in/l_dec) - exp(-l_out/l_dec) with l_dec = p/(m Gamma); the photon selection of the
``default`` preset multiplies each ray by its efficiency; :mod:`nudipole.reach.band` solves
both edges. Mass-independent work (spectra, sub-bin nodes, charged-parent decay weights) is
done once per channel and cached. A mass whose count cannot reach the threshold at any d is
found without adding its rays' hits (:mod:`nudipole.reach.far_bounds`, meson channels) or
without its own rays (W/Z channels with a photon selection, from the reference masses).

Flavour-universal dipole (``flavour="universal"``, d_e = d_mu = d_tau = d): the rays of the
three flavours, each made with its own production (W -> l_k N with m_{l_k}, Z -> nu_k N, the
meson channels of flavour k) and all decaying with the universal width of ``couplings``
(:mod:`nudipole.reach.far_couplings`), are merged into one band (:func:`_merged_rays`): the
flavours give distinct final states, so their rates add at the same d.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from nudipole._parallel import run_threads
from nudipole.experiments.far_schema import FarDetectorExperiment
from nudipole.model import Flavour, FlavourMode
from nudipole.physics._types import FloatArray
from nudipole.physics.decay import (
    photon_energy_fraction,
)
from nudipole.production.boson_channels import BOSON_CHANNELS
from nudipole.production.meson_source import (
    Kernel,
    NFlux,
    SourceOptions,
    channel_totals,
    prefetch_cos_rules,
    prefetch_energy_rules,
    ray_blocks,
)
from nudipole.production.meson_table import CHANNELS
from nudipole.reach import far_bounds, far_light, far_rays
from nudipole.reach.band import (
    MERGE_LOG_STEP,
    BandRays,
    RayMerger,
    merge_rays,
    solve_band,
)
from nudipole.reach.band_bound import NO_BAND_MARGIN, count_bound
from nudipole.reach.band_ends import BAND_END_RTOL, SCAN_BLOCK, ScannedRays, band_ends
from nudipole.reach.far_couplings import PHOTON_SIGNAL, FarCouplings
from nudipole.reach.far_presets import ErrorRule, FarPreset
from nudipole.reach.far_setup import (
    check_couplings,
    detector_options,
    far_inputs,
    minor_rules_for,
    parse_channels,
    signal_threshold,
    validate_far_masses,
)
from nudipole.reach.far_shared import SharedRays, blind_and_own, flavour_blind
from nudipole.reach.result import BandEnd, ReachResult


def selection_efficiency(
    flux: NFlux,
    experiment: FarDetectorExperiment,
    preset: FarPreset,
    couplings: FarCouplings = PHOTON_SIGNAL,
) -> FloatArray:
    """Per ray: the fraction of N decays inside that count as signal events (photon
    selection x Br(N -> nu gamma), plus the other visible decays with ``--signal visible``;
    :mod:`nudipole.reach.far_couplings`)."""
    if not preset.photon_selection:
        eff = np.ones_like(flux.weight)
    else:
        sel = experiment.selection
        eff = sel.efficiency * photon_energy_fraction(flux.energy, flux.mass, sel.photon_energy_min)
    if couplings.photon_only:
        return eff
    br_photon, br_other = couplings.signal_fractions(flux.mass, preset.nature)
    return np.asarray(eff * br_photon + br_other)


def band_rays(
    flux: NFlux,
    experiment: FarDetectorExperiment,
    preset: FarPreset,
    couplings: FarCouplings = PHOTON_SIGNAL,
) -> BandRays:
    """The rays of ``flux`` in the form the band solver needs (see :mod:`band`); the width
    and signal fraction from ``couplings`` (:mod:`nudipole.reach.far_couplings`)."""
    lumi = experiment.luminosity_pb
    g = couplings.width_unit(flux.mass, preset.nature)
    scale = flux.mass * g / flux.momentum
    return merge_rays(
        lumi * flux.weight * selection_efficiency(flux, experiment, preset, couplings),
        flux.l_in * scale,
        flux.l_out * scale,
    )


def _shared_merged_rays(
    experiment: FarDetectorExperiment,
    mass: float,
    channels: Sequence[str],
    flavour: str,
    options: SourceOptions,
    preset: FarPreset,
    couplings: FarCouplings,
    light: far_light.LightCache | None,
    shared: SharedRays,
) -> tuple[RayMerger, FloatArray]:
    """:func:`_merged_rays` with the flavour-blind channels' rays taken from ``shared`` (made
    there on first use) and the others made for ``flavour``; the same cells per channel."""
    blind = [k for k, c in enumerate(channels) if flavour_blind(c, couplings)]

    def rays_of(indices: Sequence[int]) -> tuple[RayMerger, FloatArray]:
        names = [channels[k] for k in indices]
        return _merged_rays(experiment, mass, names, flavour, options, preset, couplings, light)

    parts = blind_and_own(len(channels), blind, (float(mass), options), shared.rays, rays_of)
    merger = RayMerger(len(channels))
    heading = np.zeros(len(channels))
    for indices, part, head in parts:
        for j, k in enumerate(indices):
            merger.add_cells(k, part.cells(j))
            heading[k] = head[j]
    return merger, heading


#: What a scan keeps of one mass: (d95, d95_upper, their errors, acceptance, events at d95
#: per channel, the merged rays for :func:`band_ends` or None).
AtMass = tuple[float, float, float, float, float, list[float | None], BandRays | None]


def compute_far_reach(
    experiment: FarDetectorExperiment,
    masses: Sequence[float] | FloatArray,
    preset: FarPreset,
    channels: Sequence[str] = CHANNELS,
    flavour: Flavour | FlavourMode = Flavour.E,
    options: SourceOptions | None = None,
    progress: Callable[[int], None] | None = None,
    error_estimate: bool = True,
    locate_ends: bool = True,
    couplings: FarCouplings = PHOTON_SIGNAL,
    shared: SharedRays | None = None,
    workers: int | None = None,
    error_rule: ErrorRule = ErrorRule.HALVED,
    defer_ends: list[Callable[[], tuple[BandEnd, ...]]] | None = None,
) -> ReachResult:
    """Excluded band [d95, d95_upper] (GeV^-1) of a far detector for each mass.

    With ``locate_ends`` the ends of every island between two scanned masses are solved to
    10^-4 in mass (:func:`band_ends`, :data:`BAND_END_RTOL`; in ``band_ends`` of the result).

    ``couplings`` (:mod:`nudipole.reach.far_couplings`): the coupling model (d_Z/d_gamma,
    d_W/d_gamma of a scenario; the W/Z channels need it) and the signal; the band is then on
    d_gamma, with the total width of N. The default is the photon-only model (meson numbers
    as always). ``flavour="universal"`` (:class:`~nudipole.model.FlavourMode`; d_e = d_mu =
    d_tau, with couplings of ``make_far_couplings("universal", ...)``): the band on the common
    d (d_gamma) from the production of the three flavours with the universal width (module
    docstring).

    ``shared``: the flavour-blind channels' rays of another flavour's scan at this detector
    (:class:`SharedRays`; the same band, computed once for several flavours).

    ``workers``: threads over which the masses are spread (:func:`nudipole._parallel.
    run_threads`; None: the cores the process may use, at most 4; 1: this thread only); the
    bands are the same, bit for bit, whatever it is. The ends of the islands are then solved
    in this thread.

    ``d95_error`` (``d95_upper_error``) is the change of the lower (upper) edge under a second
    rule, ``error_rule`` (:class:`~nudipole.reach.far_presets.ErrorRule`): every integration
    rule halved (:meth:`SourceOptions.coarsened`, the default), a conservative estimate of the
    integration error of the default rule, or every rule doubled
    (:meth:`SourceOptions.refined`), an estimate of that error itself; NaN when
    ``error_estimate`` is False (and for the upper edge where either rule finds none).
    ``acceptance`` is the fraction of the N produced (all channels) whose direction crosses
    the detector.

    ``defer_ends`` (a list): with ``locate_ends``, the ends are not solved here; the call
    that solves them is appended to the list instead, and the result comes without them (its
    caller sets them, ``dataclasses.replace(result, band_ends=call())``: the same ends).
    :func:`nudipole.api.far_reach_detectors` solves its bands' ends side by side so.
    """
    opts = detector_options(
        experiment, options or SourceOptions(form_factor=str(preset.form_factor))
    )
    rule = ErrorRule(error_rule)
    chans = parse_channels(channels)
    opts = minor_rules_for(opts, chans)
    second = opts.refined() if rule is ErrorRule.DOUBLED else opts.coarsened()
    check_couplings(chans, flavour, couplings)
    m = validate_far_masses(masses, chans)
    threshold = signal_threshold(experiment, preset)
    flav = str(FlavourMode(flavour))
    window = experiment.shape.polar_window()
    lows: list[float] = []
    highs: list[float] = []
    errs: list[float] = []
    errs_hi: list[float] = []
    accs: list[float] = []
    per_channel: dict[str, list[float | None]] = {c: [] for c in chans}
    cpl = couplings
    # the parent-frame energy rules and the W/Z theta* rules of all masses in one array pass
    # per channel
    for f in FlavourMode(flav).flavours:
        prefetch_energy_rules(chans, m, str(f), opts)
        prefetch_cos_rules(chans, m, str(f), opts, window)
        if error_estimate:
            prefetch_energy_rules(chans, m, str(f), second)
            prefetch_cos_rules(chans, m, str(f), second, window)
    # the W/Z rays of the reference mass, kept for the light masses of this scan
    # (SourceOptions.light_boson_mass, far_rays.merged_rays)
    light = far_light.LightCache()
    sharing = (
        shared is not None
        and flav != FlavourMode.UNIVERSAL
        and any(flavour_blind(c, cpl) for c in chans)
    )
    if sharing:
        assert shared is not None
        # the couplings but for the flavour (the blind channels' rays do not depend on it)
        flavourless = replace(cpl, model=replace(cpl.model, flavour=Flavour.E))
        shared.check((experiment, preset, tuple(chans), flavourless))

    def merged_at(
        mass: float, options: SourceOptions, chosen: FarPreset
    ) -> tuple[RayMerger, FloatArray]:
        if sharing and chosen is preset:
            assert shared is not None
            return _shared_merged_rays(
                experiment, mass, chans, flav, options, preset, cpl, light, shared
            )
        return _merged_rays(experiment, mass, chans, flav, options, chosen, cpl, light)

    # With a photon selection and only W/Z channels, a mass whose count cannot reach the
    # threshold even with every photon accepted (the count without the selection, from the
    # reference masses' cells at no cost, bounds the selected count from above: efficiency
    # and photon fraction are at most 1) has no band: its own rays are not made.
    bound_preset = replace(preset, photon_selection=False)
    use_bound = (
        preset.photon_selection
        and opts.kernel is Kernel.COMPILED
        and all(c in BOSON_CHANNELS for c in chans)
    )
    # the W/Z rays of the reference masses first, side by side on threads (the masses then
    # replay them; computed on demand, one thread computed each while the others waited).
    # Not those of the error's rule: it runs only at the masses with a band, and takes its
    # references as they come (each still computed once, far_light.LightCache).
    if opts.kernel is Kernel.COMPILED:
        for f in FlavourMode(flav).flavours:
            far_light.prefetch_light_rays(
                light, experiment, m, chans, str(f), opts, cpl,
                not preset.photon_selection or use_bound, workers,
            )  # fmt: skip

    # Meson channels: a mass beyond the lightest scanned ones without a band may have none
    # either; its bound is tried first (reach.far_bounds), skipping its hits where it is
    # below the threshold. ``known``: index -> has a band, as the masses finish.
    meson_bound = opts.kernel is Kernel.COMPILED and not any(c in BOSON_CHANNELS for c in chans)
    blind = [k for k, c in enumerate(chans) if flavour_blind(c, cpl)] if sharing else []
    known: dict[int, bool] = {}

    def no_band(mass: float, heading: FloatArray) -> AtMass:
        """What :func:`at_mass` returns at a mass skipped without a band."""
        acc = _acceptance(mass, heading, chans, flav, window, experiment, opts, cpl)
        if progress is not None:
            progress(1)
        return math.nan, math.nan, math.nan, math.nan, acc, [None] * len(chans), None

    def at_mass(index: int, mass: float) -> AtMass:
        """(d95, d95_upper, their errors, acceptance, events at d95 per channel, the merged
        rays if ``locate_ends``, else None) at mass ``index`` of the scan."""
        heavy = mass > opts.light_boson_mass  # light masses are cheap anyway
        if use_bound and heavy and far_light.reference_weights(mass, opts) is not None:
            bound, heading = merged_at(mass, opts, bound_preset)
            if count_bound(bound.rays()) < NO_BAND_MARGIN * threshold:
                return no_band(mass, heading)
        if meson_bound and far_bounds.bound_first(index, known):
            cache = shared.bounds if shared is not None and blind else None
            got = far_bounds.mass_bound(
                experiment, mass, chans, flav, opts, preset, cpl, blind, cache
            )
            if got is not None and got[0] < NO_BAND_MARGIN * threshold:
                known[index] = False
                return no_band(mass, got[1])
        # The rays are merged block by block as they come (reach.band.RayMerger): the same
        # band as band_rays(meson_flux(...)) without holding every ray in memory.
        merged, heading = merged_at(mass, opts, preset)
        rays = merged.rays()
        lo, hi = solve_band(rays, threshold)
        err = err_hi = math.nan
        if error_estimate and math.isfinite(lo):
            other, _ = merged_at(mass, second, preset)
            lo_c, hi_c = solve_band(other.rays(), threshold)
            err = abs(lo_c - lo) if math.isfinite(lo_c) else math.nan
            if math.isfinite(hi) and math.isfinite(hi_c):
                err_hi = abs(hi_c - hi)
        acc = _acceptance(mass, heading, chans, flav, window, experiment, opts, cpl)
        # events passing the selection at d95 (ChannelCounts.passing), from the channel's
        # merged rays
        events = [
            merged.rays(k).events(lo * lo) if math.isfinite(lo) else None for k in range(len(chans))
        ]
        known[index] = math.isfinite(lo)
        if progress is not None:
            progress(1)
        return lo, hi, err, err_hi, acc, events, rays if locate_ends else None

    # the masses side by side on threads (the ray kernels release the GIL), each as alone;
    # SCAN_BLOCK at a time, keeping the rays of those beside an island's end for band_ends
    scanned = ScannedRays()
    for start in range(0, m.size, SCAN_BLOCK):
        block = m[start : start + SCAN_BLOCK]
        per_mass = run_threads(
            [functools.partial(at_mass, start + i, float(mass)) for i, mass in enumerate(block)],
            workers,
        )
        for lo, hi, err, err_hi, acc, events, rays in per_mass:
            scanned.add(len(lows), rays)
            lows.append(lo)
            highs.append(hi)
            errs.append(err)
            errs_hi.append(err_hi)
            accs.append(acc)
            for c, n_events in zip(chans, events, strict=True):
                per_channel[c].append(n_events)
        scanned.keep_beside_ends(np.isfinite(lows), complete=len(lows) == m.size)
    inputs = far_inputs(experiment, preset, chans, FlavourMode(flav), opts, threshold, cpl)
    inputs["events_at_d95_per_channel"] = per_channel
    inputs["error_rule"] = str(rule) if error_estimate else None
    ends: tuple[BandEnd, ...] = ()
    if locate_ends:

        def band_at(mass: float) -> BandRays:
            return merged_at(mass, opts, preset)[0].rays()

        solve = functools.partial(
            band_ends, m, np.asarray(lows), band_at, threshold, scanned=scanned.rays
        )
        if defer_ends is None:
            ends = solve()
        else:
            defer_ends.append(solve)
    inputs["band_end_tolerance"] = BAND_END_RTOL if locate_ends else None
    return ReachResult(
        mass=m,
        d95=np.asarray(lows),
        d95_error=np.asarray(errs),
        acceptance=np.asarray(accs),
        inputs=inputs,
        d95_upper=np.asarray(highs),
        band_ends=ends,
        d95_upper_error=np.asarray(errs_hi),
    )


def _acceptance(
    mass: float,
    heading: FloatArray,
    chans: Sequence[str],
    flav: str,
    window: tuple[float, float],
    experiment: FarDetectorExperiment,
    opts: SourceOptions,
    cpl: FarCouplings,
) -> float:
    """Fraction of the N produced (all channels and flavours) heading into the detector."""
    total = math.fsum(
        float(
            channel_totals(
                mass, chans, str(f), window, experiment.charged_mesons, opts, cpl.ratios
            ).produced.sum()
        )
        for f in FlavourMode(flav).flavours
    )
    return float(heading.sum()) / total if total > 0 else 0.0


def _merged_rays(
    experiment: FarDetectorExperiment,
    mass: float,
    channels: Sequence[str],
    flavour: str,
    options: SourceOptions,
    preset: FarPreset,
    couplings: FarCouplings = PHOTON_SIGNAL,
    light: far_light.LightCache | None = None,
) -> tuple[RayMerger, FloatArray]:
    """Merged rays per channel and N heading into the detector per channel: by the compiled
    kernel (:mod:`nudipole.reach.far_rays`) or, with ``options.kernel = numpy`` or where the
    cells do not fit its dense accumulator, by :func:`merged_rays_numpy`. ``flavour``
    "universal": the merged rays of the three flavours (each with ``couplings``' universal
    width) added per channel, and their N heading summed. ``light``: the W/Z rays of the
    reference mass kept by a scan (:func:`nudipole.reach.far_rays.merged_rays`)."""
    if flavour == FlavourMode.UNIVERSAL:
        merger = RayMerger(len(channels))
        heading = np.zeros(len(channels))
        for f in Flavour:
            one, head = _merged_rays(
                experiment, mass, channels, str(f), options, preset, couplings, light
            )
            heading += head
            for k in range(len(channels)):
                rays = one.rays(k)
                merger.add(k, rays.coeff, rays.a, rays.b)
        return merger, heading
    if options.kernel is Kernel.COMPILED:
        try:
            return far_rays.merged_rays(
                experiment, mass, channels, flavour, options, preset, couplings, light
            )
        except far_rays.DenseRangeError:
            pass
    return merged_rays_numpy(experiment, mass, channels, flavour, options, preset, couplings)


def merged_rays_numpy(
    experiment: FarDetectorExperiment,
    mass: float,
    channels: Sequence[str],
    flavour: str,
    options: SourceOptions,
    preset: FarPreset,
    couplings: FarCouplings = PHOTON_SIGNAL,
) -> tuple[RayMerger, FloatArray]:
    """The rays of :func:`band_rays` (of ``_flux``) merged per channel as they come, and the
    N heading into the detector per channel (NFlux.heading).

    Per ray i (cell c, detector hit j): prefactor c_i = L w_c eps_c x w_j, exponents
    a_i = l_in,j s_c, b_i = l_out,j s_c with s_c = m g / p_c (as in :func:`band_rays`); the
    merge cells follow from ln a_i = ln l_in,j + ln s_c. With electroweak couplings g is the
    total width per d_gamma^2 and eps_c carries the signal fraction (:func:`selection_efficiency`).
    """
    shape = experiment.shape
    lumi = experiment.luminosity_pb
    g = couplings.width_unit(mass, preset.nature)
    log_mg = math.log(mass * g)
    sel = experiment.selection
    br_photon, br_other = couplings.signal_fractions(mass, preset.nature)
    merger = RayMerger(len(channels))
    heading = np.zeros(len(channels))
    blocks = ray_blocks(
        mass,
        channels,
        flavour,
        shape,
        shape.polar_window(),
        experiment.charged_mesons,
        options,
        couplings.ratios,
    )
    for blk in blocks:
        heading[blk.channel] += float(np.dot(blk.weight, blk.fraction))
        # per cell: prefactor L w eps, scale s = m g / p and ln s / step
        coeff = lumi * blk.weight
        if preset.photon_selection:
            energy = np.sqrt(blk.momentum**2 + mass**2)
            coeff = coeff * (
                sel.efficiency * photon_energy_fraction(energy, mass, sel.photon_energy_min)
            )
        if not couplings.photon_only:
            coeff = coeff * br_photon + lumi * blk.weight * br_other
        cell, node, grid = blk.cell, blk.node, blk.grid
        if not np.all(coeff > 0.0):
            keep = np.flatnonzero(coeff[cell] > 0.0)
            cell, node = cell[keep], node[keep]
        coeff_s = coeff * (mass * g / blk.momentum)
        log_s = (log_mg - np.log(blk.momentum)) / MERGE_LOG_STEP
        ls_ray = log_s[cell]
        cs_ray = coeff_s[cell]
        with np.errstate(invalid="ignore"):  # ln l_in = -inf where l_in = 0 (zero_a)
            key_a = np.floor(grid.log_l_in[node] / MERGE_LOG_STEP + ls_ray).astype(np.int64)
        merger.add_keyed(
            blk.channel,
            key_a,
            np.floor(grid.log_l_out[node] / MERGE_LOG_STEP + ls_ray).astype(np.int64),
            coeff[cell] * grid.w_azimuth[node],
            cs_ray * grid.w_l_in[node],
            cs_ray * grid.w_l_out[node],
            zero_a=(grid.l_in[node] <= 0.0) if grid.origin_inside else None,
        )
    return merger, heading
