"""The W/Z rays of reference masses, kept by a far-detector scan (:func:`nudipole.reach.
far_rays.merged_rays` takes them): the N kinematics of W -> l N and Z -> nu N depend on m_N
only through m_N^2 / M^2, so up to ``SourceOptions.light_boson_mass`` the rays of one
reference mass stand for every mass (:class:`LightRays`), and above it, without a photon
selection, the count is interpolated between reference masses (:func:`reference_weights`,
:func:`scaled_cells`). A scan computes its references first, side by side on its threads
(:func:`prefetch_light_rays`), each once (:data:`LightCache`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nudipole._parallel import OnceCache, run_threads
from nudipole.experiments.far_schema import FarDetectorExperiment
from nudipole.physics._types import FloatArray
from nudipole.production.angular_rules import azimuth_rules
from nudipole.production.boson_channels import BOSON_CHANNELS
from nudipole.production.channels import part_is_boson
from nudipole.production.detector_grid import detector_grid_size
from nudipole.production.meson_source import SourceOptions, channel_sources, part_phi_order
from nudipole.production.source_options import LIGHT_BOSON_REFERENCE
from nudipole.reach.band import MERGE_LOG_STEP, ZERO_ROW, Cells
from nudipole.reach.far_couplings import FarCouplings
from nudipole.reach.far_kernel_calls import (
    compiled_node_combos,
    dense_cells,
    empty_cells,
    flux_kernel,
    replay_kernel,
)
from nudipole.reach.far_table import KernelRows, kernel_rows


@dataclass(frozen=True)
class LightRays:
    """The rays of one W/Z part at the reference mass :data:`LIGHT_BOSON_REFERENCE`, kept
    for the masses up to ``SourceOptions.light_boson_mass``
    (:func:`nudipole.reach.far_rays.merged_rays`): per ray the detector row, the weight
    (production x phi* and theta* rules, pb GeV^2 per d^2) and the node combination; per
    combination the N momentum (GeV); the production rate of the part at the reference mass
    (the sum of its parent-frame weights); and the rays' cells with prefactor 1 and decay
    scale 1/p (``unit_cells``, m Gamma = 1 GeV^2) with their N heading into the detector:
    without a photon selection every prefactor of a mass is one number and every decay
    scale m Gamma(m)/p, so that mass's cells are these scaled (:func:`scaled_cells`)."""

    row: npt.NDArray[np.int64]
    weight: FloatArray
    combo: npt.NDArray[np.int64]
    momentum: FloatArray
    production: float
    unit_cells: tuple[Cells, ...] = ()
    heading: float = 0.0


#: Rays of the W/Z parts at the reference masses, per (channel, part, flavour, options,
#: reference mass), kept by one reach scan (the caller owns it; each computed once however
#: many of the scan's threads need it, :class:`nudipole._parallel.OnceCache`).
LightCache = OnceCache[tuple[str, str, str, SourceOptions, float], "LightRays | None"]

#: Heaviest N (GeV) whose W/Z count is interpolated between reference masses
#: (:func:`reference_weights`); heavier masses are computed afresh.
BOSON_INTERPOLATION_MAX = 10.0


def reference_weights(
    mass: float, options: SourceOptions, interpolate: bool = True
) -> list[tuple[float, float]] | None:
    """The reference masses (GeV) whose W/Z rays stand for ``mass`` and their weights: up to
    ``options.light_boson_mass`` the one reference :data:`LIGHT_BOSON_REFERENCE`; above it,
    up to :data:`BOSON_INTERPOLATION_MAX` and if ``interpolate``, the two neighbouring masses
    of the grid light_boson_mass x boson_reference_step^i, weighted linearly in m_N^2 (the
    kinematics depend on m_N through m_N^2/M^2); None: compute this mass afresh."""
    light = options.light_boson_mass
    if mass <= light:
        return [(LIGHT_BOSON_REFERENCE, 1.0)] if light > 0.0 else None
    step = options.boson_reference_step
    if not interpolate or step <= 1.0 or light <= 0.0 or mass > BOSON_INTERPOLATION_MAX:
        return None
    i = math.floor(math.log(mass / light) / math.log(step))
    lo = light * step**i
    hi = light * step ** (i + 1)
    if lo > mass:  # rounding at a grid mass
        lo, hi = light * step ** (i - 1), lo
    elif hi <= mass:
        lo, hi = hi, light * step ** (i + 2)
    if hi > BOSON_INTERPOLATION_MAX * step:
        return None
    t = (mass * mass - lo * lo) / (hi * hi - lo * lo)
    return [(m, w) for m, w in ((lo, 1.0 - t), (hi, t)) if w > 0.0]


def light_rays(
    cache: LightCache,
    channel: str,
    part: str,
    experiment: FarDetectorExperiment,
    flavour: str,
    options: SourceOptions,
    couplings: FarCouplings,
    rows: KernelRows,
    m_ref: float,
) -> LightRays | None:
    """The :class:`LightRays` of ``part`` of ``channel`` at the reference mass ``m_ref``
    (GeV; from ``cache`` or computed and kept there); None where the part sends no N into the
    window at that mass (or is closed there)."""
    key = (channel, part, flavour, options, m_ref)
    return cache.get(
        key,
        lambda: light_rays_at(channel, part, experiment, flavour, options, couplings, rows, m_ref),
    )


def prefetch_light_rays(
    cache: LightCache,
    experiment: FarDetectorExperiment,
    masses: Sequence[float] | FloatArray,
    channels: Sequence[str],
    flavour: str,
    options: SourceOptions,
    couplings: FarCouplings,
    interpolate: bool,
    workers: int | None = None,
) -> None:
    """Compute into ``cache``, side by side on ``workers`` threads, the W/Z rays of every
    reference mass that :func:`nudipole.reach.far_rays.merged_rays` will take for ``masses``
    (:func:`reference_weights` with ``interpolate``): a scan's threads then replay them
    instead of waiting, one reference after another, for the thread that computes each."""
    bosons = [name for name in channels if name in BOSON_CHANNELS]
    refs = sorted(
        {
            m_ref
            for mass in masses
            for m_ref, _ in reference_weights(float(mass), options, interpolate) or ()
        }
    )
    if not bosons or not refs:
        return
    window = experiment.shape.polar_window()
    rows = kernel_rows(
        experiment.shape, window, detector_grid_size(options.table_cells()), options.n_azimuth
    )
    calls = [
        functools.partial(
            light_rays, cache, name, src.part, experiment, flavour, options, couplings, rows, m
        )
        for name in bosons
        for m in refs
        for src in channel_sources(
            name, m, flavour, experiment.charged_mesons, window, options, couplings.ratios
        )
        if part_is_boson(src.part)
    ]
    run_threads(calls, workers)


def light_rays_at(
    channel: str,
    part: str,
    experiment: FarDetectorExperiment,
    flavour: str,
    options: SourceOptions,
    couplings: FarCouplings,
    rows: KernelRows,
    m_ref: float,
) -> LightRays | None:
    """The :class:`LightRays` of :func:`light_rays`, computed."""
    window = experiment.shape.polar_window()
    s_lo = math.sin(0.5 * window[0]) ** 2
    s_hi = math.sin(0.5 * window[1]) ** 2
    found = [
        src
        for src in channel_sources(
            channel, m_ref, flavour, experiment.charged_mesons, window, options, couplings.ratios
        )
        if src.part == part
    ]
    rules = options.for_channel(channel)
    combos = compiled_node_combos(found[0], m_ref, window, rules) if found else None
    if combos is None:
        return None
    src = found[0]
    coef, frac_p, w_p = azimuth_rules(s_hi, part_phi_order(part, rules))
    # (a numba module: imported here, as far_kernel_calls imports them, not with the package)
    from nudipole.reach._regions_kernel import rays_per_node_bound

    per_node = rays_per_node_bound(rows.region_run_next, frac_p.size)
    size = int(combos.count.sum()) * per_node + combos.first.size + 2
    rec_g = np.empty(size, dtype=np.int64)
    rec_w = np.empty(size)
    rec_k = np.empty(size, dtype=np.int64)
    rec_n = np.zeros(1, dtype=np.int64)
    n_c = combos.momentum.size
    # prefactors 0: the kernel only generates (and records) the rays, it adds no hits
    flux_kernel(
        combos, src, np.zeros(n_c), np.ones(n_c), np.zeros(n_c), rows, (s_lo, s_hi),
        (coef, frac_p, w_p), (0, 0, 1, 0, np.zeros(3), np.zeros(2)), (rec_g, rec_w, rec_k, rec_n),
    )  # fmt: skip
    n = int(rec_n[0])
    row, weight, combo = rec_g[:n].copy(), rec_w[:n].copy(), rec_k[:n].copy()
    # the cells with prefactor 1 and decay scale 1/p
    scale = 1.0 / combos.momentum
    key_c = np.log(scale) / MERGE_LOG_STEP
    cells = empty_cells(rows, key_c)
    heading = replay_kernel((row, weight, combo), np.ones(n_c), scale, key_c, rows, cells)
    return LightRays(
        row=row,
        weight=weight,
        combo=combo,
        momentum=combos.momentum,
        production=float(np.sum(src.e_weight)),
        unit_cells=dense_cells(cells),
        heading=heading,
    )


def scaled_cells(cells: Cells, coeff: float, scale: float) -> Cells:
    """``cells`` with every prefactor times ``coeff`` and every decay scale times ``scale``
    (sums c -> coeff c, c a -> coeff scale c a, c b likewise), their keys shifted by the
    whole number of cells nearest to ln(scale)/step (ZERO_ROW stays): the same groups of
    rays, each still within one cell width, and cells of different parts scaled alike stay
    apart or together as they were."""
    shift = round(math.log(scale) / MERGE_LOG_STEP)
    zero = cells.key_a == ZERO_ROW
    return Cells(
        key_a=np.where(zero, ZERO_ROW, cells.key_a + shift).astype(np.int64),
        key_b=(cells.key_b + shift).astype(np.int64),
        coeff=cells.coeff * coeff,
        coeff_a=cells.coeff_a * (coeff * scale),
        coeff_b=cells.coeff_b * (coeff * scale),
    )
