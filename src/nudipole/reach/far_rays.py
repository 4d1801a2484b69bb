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
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nudipole._parallel import OnceCache
from nudipole.experiments.far_schema import FarDetectorExperiment
from nudipole.physics._types import FloatArray
from nudipole.physics.decay import photon_energy_fraction
from nudipole.production.angular_rules import azimuth_rules
from nudipole.production.channels import part_is_boson
from nudipole.production.detector_grid import detector_grid_size
from nudipole.production.meson_parents import parent_key_layout
from nudipole.production.meson_source import (
    PartSource,
    SourceOptions,
    channel_sources,
    cos_theta_rule,
    part_phi_order,
)
from nudipole.production.node_combos import NodeCombos, window_combos
from nudipole.production.source_options import LIGHT_BOSON_REFERENCE
from nudipole.reach.band import DENSE_CELLS, MERGE_LOG_STEP, ZERO_ROW, Cells, RayMerger
from nudipole.reach.far_couplings import PHOTON_SIGNAL, FarCouplings
from nudipole.reach.far_presets import FarPreset
from nudipole.reach.far_table import KernelRows, kernel_rows


def compiled_node_combos(
    src: PartSource, mass: float, window: tuple[float, float], options: SourceOptions
) -> NodeCombos | None:
    """:func:`nudipole.production.node_combos.node_combos` of one channel part by the
    compiled :func:`nudipole.reach._combos_kernel.node_combos_kernel` (same combos, same
    order; compared in ``tests/reach/test_far_rays.py``)."""
    from nudipole.reach._combos_kernel import node_combos_kernel

    table = src.table
    if table.momentum.size == 0 or src.e_star.size == 0:
        return None
    if src.window_rule is not None:  # a W/Z part under a small window: per-parent theta*
        return window_combos(
            table, src.e_star, src.e_weight, mass, window, src.window_rule, options.log_p_step
        )
    cos_star, w_cos = cos_theta_rule(options.n_cos, src.cos_rule)
    stride, pad = parent_key_layout()
    first, count, cos_h, sin_h, sin_a, weight, mom = node_combos_kernel(
        table.key,
        table.beta,
        table.gamma,
        table.theta_min,
        table.theta_max,
        np.asarray(src.e_star, dtype=float),
        np.asarray(src.e_weight, dtype=float),
        cos_star,
        w_cos,
        float(mass),
        float(window[0]),
        float(window[1]),
        float(options.log_p_step),
        stride,
        pad,
    )
    if first.size == 0:
        return None
    return NodeCombos(
        first=first,
        count=count,
        cos_half=cos_h,
        sin_half=sin_h,
        sin_alpha=sin_a,
        weight=weight,
        momentum=mom,
    )


class DenseRangeError(Exception):
    """The merge cells of a mass do not fit the dense accumulator (use the NumPy path)."""


@dataclass(frozen=True)
class LightRays:
    """The rays of one W/Z part at the reference mass :data:`LIGHT_BOSON_REFERENCE`, kept
    for the masses up to ``SourceOptions.light_boson_mass`` (:func:`merged_rays`): per ray
    the detector row, the weight (production x phi* and theta* rules, pb GeV^2 per d^2) and
    the node combination; per combination the N momentum (GeV); the production rate of
    the part at the reference mass (the sum of its parent-frame weights); and the rays'
    cells with prefactor 1 and decay scale 1/p (``unit_cells``, m Gamma = 1 GeV^2) with
    their N heading into the detector: without a photon selection every prefactor of a
    mass is one number and every decay scale m Gamma(m)/p, so that mass's cells are these
    scaled (:func:`_scaled_cells`)."""

    row: npt.NDArray[np.int64]
    weight: FloatArray
    combo: npt.NDArray[np.int64]
    momentum: FloatArray
    production: float
    unit_cells: tuple[Cells, ...] = ()
    heading: float = 0.0


#: Empty record arrays: :func:`nudipole.reach._far_kernel.flux_rays_kernel` keeps no rays.
_NO_INT = np.empty(0, dtype=np.int64)
_NO_FLOAT = np.empty(0)

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


Ints = npt.NDArray[np.int64]


def _flux_kernel(
    combos: NodeCombos,
    src: PartSource,
    coeff: FloatArray,
    scale: FloatArray,
    key_c: FloatArray,
    rows: KernelRows,
    window_s: tuple[float, float],
    phi_rule: tuple[FloatArray, FloatArray, FloatArray],
    cells: tuple[int, int, int, int, FloatArray, FloatArray],
    record: tuple[Ints, FloatArray, Ints, Ints] | None = None,
) -> float:
    """:func:`nudipole.reach._far_kernel.flux_rays_kernel` of ``combos`` of one part ``src``
    (its parent table) with the per-combo prefactors, decay scales and cell keys, the
    detector ``rows``, ``window_s`` = (s_lo, s_hi), ``phi_rule`` = (coef, frac_p, w_p) of
    :func:`azimuth_rules`, ``cells`` = (a0, d0, n_d, b0, dense, zero) and, if given, the
    arrays that keep the rays (row, weight, combo, count); returns the N heading into the
    detector."""
    # numba is imported here, not with the package (it costs ~0.3 s of start-up)
    from nudipole.reach._far_kernel import flux_rays_kernel

    coef, frac_p, w_p = phi_rule
    a0, d0, n_d, b0, dense, zero = cells
    table = src.table
    rec_g, rec_w, rec_k, rec_n = record or (_NO_INT, _NO_FLOAT, _NO_INT, np.zeros(1, np.int64))
    return float(
        flux_rays_kernel(
            combos.first,
            combos.count,
            combos.cos_half,
            combos.sin_half,
            combos.sin_alpha,
            combos.weight,
            coeff,
            scale,
            key_c,
            table.sin_half,
            table.cos_half,
            table.sin_theta,
            table.sigma_pb,
            window_s[0],
            window_s[1],
            coef,
            frac_p,
            w_p,
            rows.grid.theta_lo,
            1.0 / rows.grid.step,
            rows.grid_rows,
            rows.hit_rows,
            rows.region,
            rows.region_s_lo,
            rows.region_s_hi,
            a0,
            d0,
            n_d,
            b0,
            dense,
            zero,
            rec_g,
            rec_w,
            rec_k,
            rec_n,
        )
    )


def _light_rays(
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
        lambda: _light_rays_at(channel, part, experiment, flavour, options, couplings, rows, m_ref),
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
    reference mass that :func:`merged_rays` will take for ``masses`` (:func:`reference_weights`
    with ``interpolate``): a scan's threads then replay them instead of waiting, one
    reference after another, for the thread that computes each."""
    from nudipole._parallel import run_threads
    from nudipole.production.boson_channels import BOSON_CHANNELS

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
            _light_rays, cache, name, src.part, experiment, flavour, options, couplings, rows, m
        )
        for name in bosons
        for m in refs
        for src in channel_sources(
            name, m, flavour, experiment.charged_mesons, window, options, couplings.ratios
        )
        if part_is_boson(src.part)
    ]
    run_threads(calls, workers)


def _light_rays_at(
    channel: str,
    part: str,
    experiment: FarDetectorExperiment,
    flavour: str,
    options: SourceOptions,
    couplings: FarCouplings,
    rows: KernelRows,
    m_ref: float,
) -> LightRays | None:
    """The :class:`LightRays` of :func:`_light_rays`, computed."""
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
    combos = compiled_node_combos(found[0], m_ref, window, options) if found else None
    if combos is None:
        return None
    src = found[0]
    coef, frac_p, w_p = azimuth_rules(s_hi, part_phi_order(part, options))
    size = int(combos.count.sum()) * (frac_p.size + 1) + combos.first.size + 2
    rec_g = np.empty(size, dtype=np.int64)
    rec_w = np.empty(size)
    rec_k = np.empty(size, dtype=np.int64)
    rec_n = np.zeros(1, dtype=np.int64)
    n_c = combos.momentum.size
    # prefactors 0: the kernel only generates (and records) the rays, it adds no hits
    _flux_kernel(
        combos, src, np.zeros(n_c), np.ones(n_c), np.zeros(n_c), rows, (s_lo, s_hi),
        (coef, frac_p, w_p), (0, 0, 1, 0, np.zeros(3), np.zeros(2)), (rec_g, rec_w, rec_k, rec_n),
    )  # fmt: skip
    n = int(rec_n[0])
    row, weight, combo = rec_g[:n].copy(), rec_w[:n].copy(), rec_k[:n].copy()
    # the cells with prefactor 1 and decay scale 1/p
    from nudipole.reach._far_kernel import replay_rays_kernel

    scale = 1.0 / combos.momentum
    key_c = np.log(scale) / MERGE_LOG_STEP
    a0, n_a, d0, n_d, b0, n_b = _cell_ranges(rows, key_c)
    dense = np.zeros(3 * n_a * n_d)
    zero = np.zeros(2 * n_b)
    heading = replay_rays_kernel(
        row, weight, combo, np.ones(n_c), scale, key_c, rows.grid_rows, rows.hit_rows,
        a0, d0, n_d, b0, dense, zero,
    )  # fmt: skip
    return LightRays(
        row=row,
        weight=weight,
        combo=combo,
        momentum=combos.momentum,
        production=float(np.sum(src.e_weight)),
        unit_cells=_dense_cells(dense, zero, a0, d0, n_d, b0),
        heading=float(heading),
    )


def _cell_ranges(rows: KernelRows, key_c: FloatArray) -> tuple[int, int, int, int, int, int]:
    """(a0, n_a, d0, n_d, b0, n_b): the index ranges of the cells of rays whose combos have
    the keys ``key_c`` = ln(scale)/step (one cell of margin against rounding)."""
    lo_c, hi_c = float(key_c.min()), float(key_c.max())
    a0 = b0 = d0 = 0
    n_a = n_d = n_b = 1
    in_lo, in_hi = rows.key_in_range
    if not math.isnan(in_lo):
        a0 = math.floor(in_lo + lo_c) - 1
        n_a = math.floor(in_hi + hi_c) + 2 - a0
        d0 = math.floor(rows.depth_range[0]) - 1
        n_d = math.floor(rows.depth_range[1]) + 3 - d0
    z_lo, z_hi = rows.key_zero_range
    if not math.isnan(z_lo):
        b0 = math.floor(z_lo + lo_c) - 1
        n_b = math.floor(z_hi + hi_c) + 2 - b0
    if n_a * n_d > DENSE_CELLS or n_b > DENSE_CELLS:
        raise DenseRangeError(f"{n_a} x {n_d} merge cells")
    return a0, n_a, d0, n_d, b0, n_b


def _dense_cells(
    dense: FloatArray, zero: FloatArray, a0: int, d0: int, n_d: int, b0: int
) -> tuple[Cells, ...]:
    """The used cells of the kernel's accumulators (rays with l_in > 0, then l_in = 0)."""
    cells = dense.reshape(-1, 3)
    used = np.flatnonzero(cells[:, 0])
    ka = a0 + used // n_d
    out = [
        Cells(
            key_a=ka.astype(np.int64),
            key_b=(ka + d0 + used % n_d).astype(np.int64),
            coeff=cells[used, 0],
            coeff_a=cells[used, 1],
            coeff_b=cells[used, 2],
        )
    ]
    zcells = zero.reshape(-1, 2)
    used_z = np.flatnonzero(zcells[:, 0])
    if used_z.size:
        out.append(
            Cells(
                key_a=np.full(used_z.size, ZERO_ROW, dtype=np.int64),
                key_b=(b0 + used_z).astype(np.int64),
                coeff=zcells[used_z, 0],
                coeff_a=np.zeros(used_z.size),
                coeff_b=zcells[used_z, 1],
            )
        )
    return tuple(out)


def _scaled_cells(cells: Cells, coeff: float, scale: float) -> Cells:
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
    shape = experiment.shape
    window = shape.polar_window()
    th_lo, th_hi = window
    s_lo = math.sin(0.5 * th_lo) ** 2
    s_hi = math.sin(0.5 * th_hi) ** 2
    rows = kernel_rows(shape, window, detector_grid_size(options.table_cells()), options.n_azimuth)
    g = couplings.width_unit(mass, preset.nature)
    br_photon, br_other = couplings.signal_fractions(mass, preset.nature)
    lumi = experiment.luminosity_pb
    merger = RayMerger(len(channels))
    heading = np.zeros(len(channels))
    sources = [
        (k, name, src)
        for k, name in enumerate(channels)
        for src in channel_sources(
            name, mass, flavour, experiment.charged_mesons, window, options, couplings.ratios
        )
    ]
    for k, name, src in sources:
        coef, frac_p, w_p = azimuth_rules(s_hi, part_phi_order(src.part, options))
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
                kept = _light_rays(
                    light, name, src.part, experiment, flavour, options, couplings, rows, m_ref
                )
                if kept is None:  # closed or blind at a reference: this mass afresh
                    uses = []
                    break
                uses.append((kept, w_ref))
        if not uses:
            combos = compiled_node_combos(src, mass, window, options)
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
    # numba is imported here, not with the package (it costs ~0.3 s of start-up)
    from nudipole.reach._far_kernel import replay_rays_kernel

    sel = experiment.selection
    grid_rows, hit_rows = rows.grid_rows, rows.hit_rows
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
            merger.add_cells(k, _scaled_cells(unit, c0, mass * g))
        heading[k] += rate * reuse.heading
        return
    coeff = np.full(p.size, lumi * rate)
    if preset.photon_selection:
        energy = np.sqrt(p * p + mass * mass)
        coeff *= sel.efficiency * photon_energy_fraction(energy, mass, sel.photon_energy_min)
    if not couplings.photon_only:
        coeff = coeff * br_photon + lumi * rate * br_other
    scale = mass * g / p
    key_c = np.log(scale) / MERGE_LOG_STEP
    a0, n_a, d0, n_d, b0, n_b = _cell_ranges(rows, key_c)
    dense = np.zeros(3 * n_a * n_d)
    zero = np.zeros(2 * n_b)
    if reuse is not None:
        heading[k] += rate * replay_rays_kernel(
            reuse.row,
            reuse.weight,
            reuse.combo,
            coeff,
            scale,
            key_c,
            grid_rows,
            hit_rows,
            a0,
            d0,
            n_d,
            b0,
            dense,
            zero,
        )
    else:
        assert combos is not None
        heading[k] += _flux_kernel(
            combos, src, coeff, scale, key_c, rows, (s_lo, s_hi), (coef, frac_p, w_p),
            (a0, d0, n_d, b0, dense, zero),
        )  # fmt: skip
    for cells in _dense_cells(dense, zero, a0, d0, n_d, b0):
        merger.add_cells(k, cells)
