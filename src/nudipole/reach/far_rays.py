"""The merged rays of a far detector at one mass, by the compiled kernel.

Same physics and nodes as the NumPy path of :mod:`nudipole.reach.far_scan` (which goes
through the (theta, ln p) cells of :func:`nudipole.production.meson_source.ray_blocks`):
for each channel the node combinations of
:func:`nudipole.production.node_combos.node_combos` are expanded, node by node, into rays
through the tabulated detector (:func:`nudipole.production.detector_grid.detector_grid`) and
added to the cells of :func:`nudipole.reach.band.merge_rays` by
:func:`nudipole.reach._far_kernel.flux_rays_kernel`. Per ray: prefactor
c = L eps(E) w (eps = photon selection efficiency x the fraction of photons above threshold,
1 without selection), exponents a = l_in m g / p and b = l_out m g / p per unit d^2
(g = Gamma(N -> nu gamma)/d^2, seed Eq. 4). With the electroweak couplings of a scenario
(:mod:`nudipole.reach.far_couplings`) g is the total width of N per d_gamma^2 and
eps -> eps Br(N -> nu gamma) (+ the other visible decays with the ``visible`` signal).

A channel may have several parts (W: W+ and W-, each with its own table and N angular
density, :func:`nudipole.production.meson_source.channel_sources`); their rays go to the
channel's cells one after the other.

The calls of the compiled kernels for one part are in :mod:`nudipole.reach.far_kernel_calls`;
the W/Z rays of the reference masses that stand for the light masses, in
:mod:`nudipole.reach.far_light`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from nudipole.experiments.far_schema import FarDetectorExperiment
from nudipole.physics._types import FloatArray
from nudipole.physics.decay import photon_energy_fraction
from nudipole.production.angular_rules import azimuth_rules
from nudipole.production.channels import part_is_boson
from nudipole.production.detector_grid import detector_grid_size
from nudipole.production.meson_source import (
    PartSource,
    SourceOptions,
    channel_sources,
    part_phi_order,
)
from nudipole.production.node_combos import NodeCombos
from nudipole.reach.band import MERGE_LOG_STEP, RayMerger
from nudipole.reach.far_couplings import PHOTON_SIGNAL, FarCouplings
from nudipole.reach.far_kernel_calls import (
    DenseRangeError,
    cell_ranges,
    compiled_node_combos,
    dense_cells,
    empty_cells,
    flux_kernel,
    replay_kernel,
)
from nudipole.reach.far_light import (
    LightCache,
    LightRays,
    light_rays,
    reference_weights,
    scaled_cells,
)
from nudipole.reach.far_presets import FarPreset
from nudipole.reach.far_table import KernelRows, kernel_rows

__all__ = ["DenseRangeError", "compiled_node_combos", "merged_rays", "ray_bounds"]


def merged_rays(
    experiment: FarDetectorExperiment,
    mass: float,
    channels: Sequence[str],
    flavour: str,
    options: SourceOptions,
    preset: FarPreset,
    couplings: FarCouplings = PHOTON_SIGNAL,
    light: LightCache | None = None,
) -> tuple[RayMerger, FloatArray]:
    """Merged rays per channel and the N heading into the detector per channel (pb GeV^2 per
    d^2), as :func:`nudipole.reach.far_scan.merged_rays_numpy` returns them.

    ``light`` (a dict the caller keeps for a scan; None: every mass afresh): at masses up to
    ``options.light_boson_mass`` the W/Z parts take their rays from :class:`LightRays` (N of
    :data:`LIGHT_BOSON_REFERENCE` GeV: directions, momenta, rule weights; the N kinematics of
    W -> l N and Z -> nu N change with m_N only through m_N^2 / M_W^2, 1.4e-5 at 0.3 GeV)
    and this mass's own prefactors (photon selection at each N energy and this mass,
    branching fractions), decay scales m Gamma / p and production rate (the rays' weights
    scaled by the part's rate at this mass over that at the reference). Above it, without
    a photon selection, the W/Z count is interpolated linearly in m_N^2 between two reference
    masses (:func:`reference_weights`; each reference's cells scaled, :func:`_scaled_cells`).
    The NumPy path and the meson channels always compute every mass.

    Raises :class:`DenseRangeError` when the cells of a channel span more than
    :data:`nudipole.reach.band.DENSE_CELLS` (a detector of extreme depth).
    """
    window, s_lo, s_hi, rows = _detector(experiment, options)
    g = couplings.width_unit(mass, preset.nature)
    br_photon, br_other = couplings.signal_fractions(mass, preset.nature)
    lumi = experiment.luminosity_pb
    merger = RayMerger(len(channels))
    heading = np.zeros(len(channels))
    sources = _sources(experiment, mass, channels, flavour, options, couplings, window)
    for k, name, src in sources:
        rules = options.for_channel(name)  # a minor channel's halved rules
        coef, frac_p, w_p = azimuth_rules(s_hi, part_phi_order(src.part, rules))
        combos: NodeCombos | None = None
        # the W/Z rays of reference masses that stand for this one (weight each), or None
        uses: list[tuple[LightRays | None, float]] = []
        # above the light masses only without a photon selection, where a reference's cells
        # are scaled at no cost (with one, adding two references' rays again costs about
        # what this mass's own rays do)
        interpolate = not preset.photon_selection
        refs = reference_weights(mass, options, interpolate) if light is not None else None
        if light is not None and refs is not None and part_is_boson(src.part):
            for m_ref, w_ref in refs:
                kept = light_rays(
                    light, name, src.part, experiment, flavour, options, couplings, rows, m_ref
                )
                if kept is None:  # closed or blind at a reference: this mass afresh
                    uses = []
                    break
                uses.append((kept, w_ref))
        if not uses:
            combos = compiled_node_combos(src, mass, window, rules)
            if combos is None:
                continue
            uses = [(None, 1.0)]
        for reuse, w_ref in uses:
            _add_part(
                merger, heading, k, src, reuse, w_ref, combos, mass, g, br_photon, br_other,
                lumi, experiment, preset, couplings, rows, s_lo, s_hi, coef, frac_p, w_p,
            )  # fmt: skip
    return merger, heading


def _add_part(
    merger: RayMerger,
    heading: FloatArray,
    k: int,
    src: PartSource,
    reuse: LightRays | None,
    w_ref: float,
    combos: NodeCombos | None,
    mass: float,
    g: float,
    br_photon: float,
    br_other: float,
    lumi: float,
    experiment: FarDetectorExperiment,
    preset: FarPreset,
    couplings: FarCouplings,
    rows: KernelRows,
    s_lo: float,
    s_hi: float,
    coef: FloatArray,
    frac_p: FloatArray,
    w_p: FloatArray,
) -> None:
    """Add one part's rays at ``mass`` to channel ``k``'s cells and N heading: those of
    ``combos`` (this mass's own nodes), or those kept at a reference mass (``reuse``) with
    this mass's prefactors, decay scales and production rate, times ``w_ref``."""
    if reuse is not None:
        p = reuse.momentum
        rate = w_ref * float(np.sum(src.e_weight)) / reuse.production
    else:
        assert combos is not None
        p = combos.momentum
        rate = 1.0
    if reuse is not None and not preset.photon_selection:
        # one prefactor for every combo, one decay scale m Gamma/p: the unit cells scaled
        c0 = lumi * rate * (1.0 if couplings.photon_only else br_photon + br_other)
        for unit in reuse.unit_cells:
            merger.add_cells(k, scaled_cells(unit, c0, mass * g))
        heading[k] += rate * reuse.heading
        return
    coeff, scale, key_c = _prefactors(
        p, rate, mass, g, (br_photon, br_other), lumi, experiment, preset, couplings
    )
    cells = empty_cells(rows, key_c)
    if reuse is not None:
        rays = (reuse.row, reuse.weight, reuse.combo)
        heading[k] += rate * replay_kernel(rays, coeff, scale, key_c, rows, cells)
    else:
        assert combos is not None
        heading[k] += flux_kernel(
            combos, src, coeff, scale, key_c, rows, (s_lo, s_hi), (coef, frac_p, w_p), cells
        )
    for part_cells in dense_cells(cells):
        merger.add_cells(k, part_cells)


def ray_bounds(
    experiment: FarDetectorExperiment,
    mass: float,
    channels: Sequence[str],
    flavour: str,
    options: SourceOptions,
    preset: FarPreset,
    couplings: FarCouplings = PHOTON_SIGNAL,
) -> tuple[FloatArray, FloatArray]:
    """Per channel, an upper bound of the largest count over d of the rays that
    :func:`merged_rays` would merge at ``mass`` (events; inf where a hit starts at the
    collision point, :mod:`nudipole.reach.band_bound`), and the N heading into the detector
    per channel, the same numbers as :func:`merged_rays` gives: the kernel's bound mode,
    which makes and looks up the rays but adds none of their hits to cells. Meson
    channels only (the W/Z parts of a light mass take their rays from a reference mass:
    ``ValueError``). Raises :class:`DenseRangeError` where :func:`merged_rays` does."""
    if any(part_is_boson(name) for name in channels):
        raise ValueError("ray_bounds takes meson channels only (the W/Z parts have their own)")
    window, s_lo, s_hi, rows = _detector(experiment, options)
    g = couplings.width_unit(mass, preset.nature)
    fractions = couplings.signal_fractions(mass, preset.nature)
    lumi = experiment.luminosity_pb
    bounds = np.zeros(len(channels))
    heading = np.zeros(len(channels))
    no_cells = (0, 0, 1, 0, np.empty(0), np.empty(0))
    for k, name, src in _sources(experiment, mass, channels, flavour, options, couplings, window):
        rules = options.for_channel(name)  # a minor channel's halved rules
        combos = compiled_node_combos(src, mass, window, rules)
        if combos is None:
            continue
        coef, frac_p, w_p = azimuth_rules(s_hi, part_phi_order(src.part, rules))
        coeff, scale, key_c = _prefactors(
            combos.momentum, 1.0, mass, g, fractions, lumi, experiment, preset, couplings
        )
        cell_ranges(rows, key_c)  # DenseRangeError where merged_rays would raise it
        bound = np.zeros(1)
        heading[k] += flux_kernel(
            combos, src, coeff, scale, key_c, rows, (s_lo, s_hi), (coef, frac_p, w_p),
            no_cells, bound=bound,
        )  # fmt: skip
        bounds[k] += bound[0]
    return bounds, heading


def _detector(
    experiment: FarDetectorExperiment, options: SourceOptions
) -> tuple[tuple[float, float], float, float, KernelRows]:
    """The detector's polar window, sin^2 of its half ends and its kernel table."""
    shape = experiment.shape
    window = shape.polar_window()
    s_lo = math.sin(0.5 * window[0]) ** 2
    s_hi = math.sin(0.5 * window[1]) ** 2
    rows = kernel_rows(shape, window, detector_grid_size(options.table_cells()), options.n_azimuth)
    return window, s_lo, s_hi, rows


def _sources(
    experiment: FarDetectorExperiment,
    mass: float,
    channels: Sequence[str],
    flavour: str,
    options: SourceOptions,
    couplings: FarCouplings,
    window: tuple[float, float],
) -> list[tuple[int, str, PartSource]]:
    """(channel index, channel, part) of every part of ``channels`` open at ``mass``."""
    return [
        (k, name, src)
        for k, name in enumerate(channels)
        for src in channel_sources(
            name, mass, flavour, experiment.charged_mesons, window, options, couplings.ratios
        )
    ]


def _prefactors(
    p: FloatArray,
    rate: float,
    mass: float,
    g: float,
    fractions: tuple[float, float],
    lumi: float,
    experiment: FarDetectorExperiment,
    preset: FarPreset,
    couplings: FarCouplings,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per combo of N momentum ``p``: the prefactor c (L x ``rate`` x the photon selection's
    efficiency at that energy, module docstring; with the electroweak couplings times
    Br(N -> nu gamma) plus the other visible decays, ``fractions``), the decay scale
    m g / p and its cell key ln(scale) / step."""
    br_photon, br_other = fractions
    coeff = np.full(p.size, lumi * rate)
    if preset.photon_selection:
        sel = experiment.selection
        energy = np.sqrt(p * p + mass * mass)
        coeff *= sel.efficiency * photon_energy_fraction(energy, mass, sel.photon_energy_min)
    if not couplings.photon_only:
        coeff = coeff * br_photon + lumi * rate * br_other
    scale = mass * g / p
    return coeff, scale, np.log(scale) / MERGE_LOG_STEP
