"""The parents of the meson and W/Z sources (mass independent, cached): the parent nodes of
a channel from its spectrum tables (FORESEE format, Kling & Trojanowski, arXiv:2105.07077; the
W/Z tables of :mod:`nudipole.production.boson_channels`), Gauss-Legendre nodes in log
theta_P and log p_P inside each spectrum bin (``n_sub``; ``n_sub_fast`` for the fastest
parents, :func:`_expand_bins`), long-lived charged parents weighted by their
decay probability before absorption, nodes merged in theta where the exact angle cannot
matter for the detector's window (:func:`channel_parents`), and the same parents grouped by
momentum and sorted by polar angle for the node combinations (:class:`ParentTable`,
:func:`channel_table`). Used by :mod:`nudipole.production.meson_source` (whose docstring has
the physics of the source) and :mod:`nudipole.production.node_combos`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from nudipole._parallel import once_per_key
from nudipole.physics._types import FloatArray
from nudipole.production import boson_channels
from nudipole.production.absorber import ChargedMesonDecays
from nudipole.production.angular_rules import (
    gauss_legendre,
)
from nudipole.production.channels import (
    part_info,
    part_is_boson,
)
from nudipole.production.meson_table import channel_info
from nudipole.production.source_options import SourceOptions
from nudipole.production.spectra import Spectrum, builtin_spectrum

#: Channels whose parent and its charge conjugate are distinct particles with their own
#: spectra (the others are self-conjugate: both N nubar and Nbar nu come from one spectrum).
CHARGED_KINDS = ("charged-pseudoscalar",)


@dataclass(frozen=True)
class Parents:
    """Parent mesons of one channel, both charge states, flattened over spectrum bins and
    the sub-bin nodes: polar angle (rad), momentum (GeV) and cross section (pb) that can make
    an N (charged long-lived parents weighted by their decay probability before absorption).
    """

    theta: FloatArray
    momentum: FloatArray
    sigma_pb: FloatArray
    produced_pb: float  # parents of both charge states before the decay-region weight
    decaying_pb: float  # after it (equal for prompt parents)
    spectra: tuple[str, ...] = ()


#: In each row of a spectrum (one polar-angle bin) that reaches the detector's polar window,
#: this many bins of the highest momenta (a factor 1.4 in p for 0.05-wide bins) get
#: ``n_sub_fast`` nodes per axis (:func:`_expand_bins`). At the upper edge of a band the
#: survivors of the fastest N, e^(-x) with x ~ 10-20, outnumber those of 1.4 times slower N
#: by e^4-e^8. Measured against every rule doubled (docs/benchmarks.md, eighth session; 14
#: masses from 1.5 MeV to each band's end, paper preset, d_e), the meson bands' upper edges
#: of the seven built-in far detectors: within 0.22 % with 3 bins (FASER-2, FACET and MAPP-2
#: 0.11, 0.18 and 0.15 %; 6-11 % more time for their 100-mass bands), within 0.23 % with 1,
#: no better with 6 (16-36 % more time), against 0.23-0.86 % with every bin at its centre.
FAST_BINS = 3


def _bin_nodes(
    spec: Spectrum, rows: npt.NDArray[np.bool_], n_theta: int, n_p: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The n_theta x n_p product Gauss-Legendre nodes in (log10 theta, log10 p) of the bins
    ``rows`` (a mask): each bin's cross section spread evenly in both logarithms over the bin
    (the histogram read as a density; FORESEE's sampler draws each parent uniformly in log10
    theta and log10 p across its bin, +-0.025: Kling & Trojanowski, arXiv:2105.07077, code
    ``src/foresee.py``, ``convert_list_to_momenta``), integrated by the product rule; one node
    on an axis is the bin's centre there."""
    x_t, w_t = gauss_legendre(n_theta)
    x_p, w_p = gauss_legendre(n_p)
    half = 0.5 * spec.bin_width_log10
    log_t = spec.log10_theta[rows][:, None, None] + half * x_t[None, :, None]
    log_p = spec.log10_p[rows][:, None, None] + half * x_p[None, None, :]
    sig = spec.sigma_pb[rows][:, None, None] * (0.25 * w_t[:, None] * w_p[None, :])[None]
    log_t, log_p, sig = np.broadcast_arrays(log_t, log_p, sig)
    return 10.0 ** log_t.ravel(), 10.0 ** log_p.ravel(), sig.ravel()


def _near_window(spec: Spectrum, window: tuple[float, float]) -> npt.NDArray[np.bool_]:
    """The bins of the rows (one log10 theta each) that overlap the polar ``window`` (rad)
    widened by one bin on either side."""
    width = spec.bin_width_log10
    lo, hi = window
    # the bin's own half width and one bin more
    near = spec.log10_theta - 1.5 * width <= math.log10(hi)
    if lo > 0.0:
        near &= spec.log10_theta + 1.5 * width >= math.log10(lo)
    return np.asarray(near)


def _fast_bins(spec: Spectrum, window: tuple[float, float]) -> npt.NDArray[np.bool_]:
    """The bins of the fastest parents that can reach the polar ``window`` (rad): in each row
    of the spectrum near the window (:func:`_near_window`), its :data:`FAST_BINS` bins of the
    highest momenta."""
    width = spec.bin_width_log10
    row = np.rint(spec.log10_theta / width).astype(np.int64)
    rows, index = np.unique(row, return_inverse=True)
    top = np.full(rows.size, -np.inf)
    np.maximum.at(top, index.ravel(), spec.log10_p)
    fastest = spec.log10_p >= top[index.ravel()] - (FAST_BINS - 0.5) * width
    return np.asarray(_near_window(spec, window) & fastest)


def _expand_bins(
    spec: Spectrum,
    n_sub: int,
    n_sub_fast: int,
    window: tuple[float, float],
    boson: bool = False,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Bins -> product Gauss-Legendre nodes in log10 theta and log10 p inside each bin,
    ``n_sub`` per axis (1: the bin centre) and n = ``max(n_sub, n_sub_fast)`` where it
    matters: for a meson table n x n in the bins of the fastest parents that can reach the
    detector's polar ``window`` (:func:`_fast_bins`); for a W/Z table (``boson``) n in log p
    in every bin, and in log theta too in the rows near the window (:func:`_near_window`).

    Why the fastest parents: the upper edge of a band is where N mostly decay before the
    detector, and the count there, sum w (e^(-l_in/lambda) - e^(-l_out/lambda)) with the decay
    length lambda proportional to p, comes from the N of the highest momenta that reach the
    detector; their parents send them along their own direction (within 1/gamma_P), so the
    count varies across such a bin as sharply as the detector's edges and the exponential in
    p. At the bin centres the upper edges were 0.23-0.86 % below those of the bins spread
    evenly (the seven built-in far detectors at 1.5-10 MeV); the lower edges (every N counts,
    lambda >> L) moved by <= 0.12 %. A W or Z gives its N p* = M/2 in its own frame, more
    than its own transverse momentum, so the fastest N come from bins across its whole table
    (with the momentum at the bins' centres FASER-2's W/Z edges were up to 0.72 % off, with
    only each row's fastest bins spread still 0.47 %); its angle matters near the window
    (CODEX-b: 0.49 % off with the momentum alone spread; with both, 0.34 % from its
    phi* rule, 0.15 % with the 7 phi* nodes its file states).
    """
    n_fast = max(n_sub, n_sub_fast)
    if n_fast == n_sub:
        return _bin_nodes(spec, np.ones(spec.log10_p.size, dtype=bool), n_sub, n_sub)
    if boson:
        near = _near_window(spec, window)
        parts = [_bin_nodes(spec, ~near, n_sub, n_fast), _bin_nodes(spec, near, n_fast, n_fast)]
    else:
        fast = _fast_bins(spec, window)
        parts = [_bin_nodes(spec, ~fast, n_sub, n_sub), _bin_nodes(spec, fast, n_fast, n_fast)]
    t, p, sg = (np.concatenate(arrays) for arrays in zip(*parts, strict=True))
    return t, p, sg


# 64 (channel, rule, window) entries of up to ~0.4 MB each; channel_parents keeps the merged
# parents of more
@once_per_key
@lru_cache(maxsize=64)
def _channel_spectra(
    channel: str, spectra_set: str, n_sub: int, n_sub_fast: int, window: tuple[float, float]
) -> tuple[FloatArray, FloatArray, FloatArray, tuple[str, ...]]:
    """Mass-independent parent nodes of ``channel``, both charge states, for a detector with
    polar ``window`` (which bins are the fastest parents', :func:`_expand_bins`; cached).

    A self-conjugate parent (pi0, eta, ..., Upsilon) decays to nu Nbar and to nubar N at the
    same rate, so its spectrum counts twice; a charged parent's conjugate has its own
    spectrum (pi+ -> gamma l+ N from the pi+ table).
    """
    info = channel_info(channel)
    if info.kind in CHARGED_KINDS:
        specs = [
            builtin_spectrum(info.pdgid, spectra_set),
            builtin_spectrum(-info.pdgid, spectra_set),
        ]
        names = tuple(s.origin for s in specs)
    else:
        one = builtin_spectrum(info.pdgid, spectra_set)
        specs = [one]
        names = (one.origin,)
    thetas, moms, sigs = zip(
        *(_expand_bins(s, n_sub, n_sub_fast, window) for s in specs), strict=True
    )
    factor = 1.0 if info.kind in CHARGED_KINDS else 2.0  # self-conjugate: nu Nbar + nubar N
    out = (np.concatenate(thetas), np.concatenate(moms), factor * np.concatenate(sigs))
    for arr in out:
        arr.setflags(write=False)
    return out[0], out[1], out[2], names


@once_per_key
@lru_cache(maxsize=32)
def _boson_spectra(
    part: str, tables: str, n_sub: int, n_sub_fast: int, window: tuple[float, float]
) -> tuple[FloatArray, FloatArray, FloatArray, tuple[str, ...]]:
    """Mass-independent parent nodes of a W/Z part for a detector with polar ``window``
    (cached): both hemispheres, theta_P in (0, pi). The backward table (theta from -z) is
    placed at pi - theta (and the window seen from -z). One table per W charge, one for the Z
    whose Br already sums Z -> nu Nbar + nubar N (no factor 2)."""
    thetas, moms, sigs, names = [], [], [], []
    lo, hi = window
    for spec, backward in boson_channels.part_tables(part, tables):
        seen = (math.pi - hi, math.pi - lo) if backward else window
        t, p, sg = _expand_bins(spec, n_sub, n_sub_fast, seen, boson=True)
        thetas.append(math.pi - t if backward else t)
        moms.append(p)
        sigs.append(sg)
        names.append(spec.origin + (" (backward)" if backward else ""))
    out = (np.concatenate(thetas), np.concatenate(moms), np.concatenate(sigs))
    for arr in out:
        arr.setflags(write=False)
    return out[0], out[1], out[2], tuple(names)


def _part_spectra(
    part: str, spectra_key: str, n_sub: int, n_sub_fast: int, window: tuple[float, float]
) -> tuple[FloatArray, FloatArray, FloatArray, tuple[str, ...]]:
    """Parent nodes of a part: :func:`_channel_spectra` (mesons, ``spectra_key`` the meson
    spectra set) or :func:`_boson_spectra` (W/Z, ``spectra_key`` the W/Z table set)."""
    if part_is_boson(part):
        return _boson_spectra(part, spectra_key, n_sub, n_sub_fast, window)
    return _channel_spectra(part, spectra_key, n_sub, n_sub_fast, window)


def spectra_key(part: str, options: SourceOptions) -> str:
    """The spectra set of a part under ``options``: ``wz_tables`` for W/Z parts,
    ``spectra_set`` for mesons."""
    return options.wz_tables if part_is_boson(part) else options.spectra_set


#: Parents far inside or far outside the detector's polar window are merged in theta (see
#: :func:`channel_parents`): below NEAR x the window's inner scale into one node per momentum
#: bin, above FAR x its outer edge into groups of FAR_GROUP_LOG10 in log10 theta.
NEAR = 0.1
FAR = 10.0
FAR_GROUP_LOG10 = 0.2


def _merge_theta(
    theta: FloatArray, mom: FloatArray, sig: FloatArray, window: tuple[float, float]
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Merge parent nodes whose exact polar angle does not matter for the window (derived).

    A parent at theta_P << the window's scale theta_w sends N to theta_N in
    [|alpha - theta_P|, alpha + theta_P], a spread of 2 theta_P around the opening angle
    alpha: merging all theta_P < NEAR theta_w at one momentum into their weighted mean moves
    each N by at most 2 NEAR theta_w inside or outside a band of that width at the window
    edges. Far outside (theta_P > FAR theta_hi) only parents with alpha ~ theta_P reach the
    window and their N are spread over the whole window; 0.2 in log10 theta is fine there.
    """
    th_lo, th_hi = window
    near = NEAR * (th_lo if th_lo > 0.0 else th_hi)
    far = FAR * th_hi
    log_t = np.log10(theta)
    group = np.where(
        theta < near,
        -(10**9),
        np.where(theta > far, np.floor(log_t / FAR_GROUP_LOG10) * 10**6, np.round(log_t * 1e6)),
    ).astype(np.int64)
    p_key = np.round(np.log10(mom) * 1e6).astype(np.int64)
    cell = _row_cells(p_key, group)
    total = np.asarray(np.bincount(cell, weights=sig), dtype=float)
    ok = total > 0.0
    mean_t = np.bincount(cell, weights=sig * theta)[ok] / total[ok]
    mean_p = np.bincount(cell, weights=sig * mom)[ok] / total[ok]
    return mean_t, mean_p, total[ok]


def _row_cells(major: npt.NDArray[np.int64], minor: npt.NDArray[np.int64]) -> npt.NDArray[np.intp]:
    """The index of each (major, minor) pair among the distinct pairs in lexicographic order,
    as ``np.unique(np.stack([major, minor], axis=1), axis=0, return_inverse=True)`` gives it:
    by one int64 key (major x span + minor - lowest minor) where the pairs' ranges allow it,
    which sorts numbers instead of rows (0.2 s less for the headline's 39 parent tables)."""
    if major.size == 0:
        return np.zeros(0, dtype=np.intp)
    lo, hi = int(minor.min()), int(minor.max())
    span = hi - lo + 1
    m_lo, m_hi = int(major.min()), int(major.max())
    if max(abs(m_lo), abs(m_hi)) + 1 < (2**62) // span:
        keys = major * span + (minor - lo)
        _, cell = np.unique(keys, return_inverse=True)
    else:
        _, cell = np.unique(np.stack([major, minor], axis=1), axis=0, return_inverse=True)
    return np.asarray(cell, dtype=np.intp).ravel()


@once_per_key
@lru_cache(maxsize=256)
def channel_parents(
    channel: str,
    spectra_set: str,
    n_sub: int,
    n_sub_fast: int,
    charged: ChargedMesonDecays,
    window: tuple[float, float] = (0.0, math.pi),
) -> Parents:
    """Parents of ``channel`` (a meson channel or a W/Z part, :mod:`.channels`) that can make
    an N: both charge states, long-lived ones (c tau above 1 m: pi+-, K+-) weighted by their
    probability to decay before absorption
    (:class:`~nudipole.production.absorber.ChargedMesonDecays`), merged in theta where the
    exact angle cannot matter for a detector with polar ``window`` (:func:`_merge_theta`).
    Mass independent: cached per channel, spectra set (for a W/Z part: its table set), rule,
    absorber and window."""
    info = part_info(channel)
    theta, mom, sig, names = _part_spectra(channel, spectra_set, n_sub, n_sub_fast, window)
    produced = float(sig.sum())
    if info.ctau_m > 1.0:
        sig = sig * charged.decay_probability(theta, mom, info.mass, info.ctau_m)
    keep = sig > 0.0
    t, pm, sg = _merge_theta(theta[keep], mom[keep], sig[keep], window)
    for arr in (t, pm, sg):
        arr.setflags(write=False)
    return Parents(
        theta=t,
        momentum=pm,
        sigma_pb=sg,
        produced_pb=produced,
        decaying_pb=float(sg.sum()),
        spectra=names,
    )


#: Parent momenta that agree to this relative precision form one momentum group (the merged
#: nodes of one spectrum bin differ only by rounding, see :func:`_merge_theta`); the N
#: kinematics of a group is computed once, at its smallest momentum.
SAME_MOMENTUM = 1.0e-9
#: Padding (rad) of the polar-angle ranges searched for parents that can send an N into the
#: window; every candidate is then tested exactly, so it only has to exceed rounding.
THETA_PAD = 1.0e-9
#: Parents are sorted by the key KEY_STRIDE x group + theta (theta <= pi < stride - 0.5).
KEY_STRIDE = 4.0


@dataclass(frozen=True)
class ParentTable:
    """Parents of one channel sorted by momentum group, then polar angle (mass independent).

    Per parent: ``key`` (4 x group + theta, ascending), ``sigma_pb``, sin(theta/2),
    cos(theta/2) and sin(theta). Per group: momentum (GeV), the parent's gamma and beta, the
    smallest and largest theta.
    """

    key: FloatArray
    sigma_pb: FloatArray
    sin_half: FloatArray
    cos_half: FloatArray
    sin_theta: FloatArray
    momentum: FloatArray
    gamma: FloatArray
    beta: FloatArray
    theta_min: FloatArray
    theta_max: FloatArray


@once_per_key
@lru_cache(maxsize=256)
def _channel_table(
    channel: str,
    spectra_set: str,
    n_sub: int,
    n_sub_fast: int,
    charged: ChargedMesonDecays,
    window: tuple[float, float],
) -> ParentTable:
    """:func:`parent_table` of :func:`channel_parents` (cached with the same key)."""
    parents = channel_parents(channel, spectra_set, n_sub, n_sub_fast, charged, window)
    return parent_table(parents, part_info(channel).mass)


def parent_table(parents: Parents, parent_mass: float) -> ParentTable:
    """Group the parents by momentum and sort them by (group, theta) for
    :func:`nudipole.production.node_combos.node_combos`."""
    theta = np.asarray(parents.theta, dtype=float)
    mom = np.asarray(parents.momentum, dtype=float)
    sig = np.asarray(parents.sigma_pb, dtype=float)
    by_p = np.argsort(mom, kind="stable")
    p_sorted = mom[by_p]
    new = np.ones(mom.size, dtype=bool)
    new[1:] = p_sorted[1:] > p_sorted[:-1] * (1.0 + SAME_MOMENTUM)
    group = np.empty(mom.size, dtype=np.int64)
    group[by_p] = np.cumsum(new) - 1
    p_group = p_sorted[new]
    order = np.lexsort((theta, group))
    g = group[order]
    t = theta[order]
    first = np.flatnonzero(np.diff(g, prepend=-1))
    last = np.append(first[1:], t.size) - 1
    e_p = np.sqrt(p_group**2 + parent_mass**2)
    return ParentTable(
        key=KEY_STRIDE * g + t,
        sigma_pb=sig[order],
        sin_half=np.sin(0.5 * t),
        cos_half=np.cos(0.5 * t),
        sin_theta=np.sin(t),
        momentum=p_group,
        gamma=e_p / parent_mass,
        beta=p_group / e_p,
        theta_min=t[first],
        theta_max=t[last],
    )


def parent_key_layout() -> tuple[float, float]:
    """(stride, pad) of the parent table's sort key (``key`` = stride x group + theta) and
    of the angular padding of the combo search, for compiled readers of the table."""
    return KEY_STRIDE, THETA_PAD


def channel_table(
    channel: str,
    options: SourceOptions,
    charged: ChargedMesonDecays,
    window: tuple[float, float],
) -> ParentTable:
    """The parents of ``channel`` (a meson channel or a W/Z part) that can make an N, sorted
    for :func:`nudipole.production.node_combos.node_combos` (mass independent, cached)."""
    return _channel_table(
        channel, spectra_key(channel, options), options.n_sub, options.n_sub_fast, charged, window
    )
