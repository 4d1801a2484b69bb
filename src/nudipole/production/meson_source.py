"""N from forward meson decays at a hadron collider: the lab-frame flux of N that reaches a
far detector, as deterministic weighted rays.

For a parent meson of momentum p_P at polar angle theta_P (a bin of a FORESEE-format
spectrum, Kling & Trojanowski, arXiv:2105.07077) the N energy distribution in the parent rest
frame comes from :mod:`nudipole.production.meson_table` (talk; arXiv:2308.16608). Unpolarised
parents emit N isotropically there, so the lab flux is a three-fold integral per parent bin,
done with fixed nodes (no Monte Carlo noise):

* the N rest-frame energy E* (nodes and weights of the decay distribution);
* cos theta* of N relative to the parent direction (Gauss-Legendre on [-1, 1]);
* the azimuth phi* of N about the parent direction, restricted analytically to the interval in
  which the N polar angle falls inside the detector's polar window, with Gauss-Legendre
  nodes inside it. On the sphere (derived, spherical law of cosines in half-angle form)

      sin^2(theta_N/2) = sin^2((theta_P - alpha)/2) + sin(theta_P) sin(alpha) sin^2(phi*/2),

  alpha being the lab angle between N and its parent, so theta_N grows monotonically with
  phi* in [0, pi] and the window maps to one phi* interval.

The parent azimuth is uniform (the spectra are azimuthally symmetric), so only theta_N and
p_N matter; a detector that is not symmetric about the beam supplies its azimuthal average
(:func:`nudipole.detectors.shapes.azimuthal_nodes`). Parent bins are integrated with
Gauss-Legendre nodes in log theta_P inside each bin (the spectrum is a histogram in log
theta); kinematically unreachable (bin, E*) pairs are pruned with the exact maximal opening
angle tan(alpha_max) = beta* / (gamma_P sqrt(beta_P^2 - beta*^2)) (beta_P > beta*).

Everything is per unit d^2: a ray's weight is sigma_bin x dBr/d^2 (pb GeV^2).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from nudipole.constants import HBARC_GEV_M
from nudipole.detectors.shapes import Shape, azimuthal_nodes
from nudipole.physics._types import FloatArray
from nudipole.production.absorber import ChargedMesonDecays
from nudipole.production.meson_table import (
    CHANNELS,
    allowed,
    channel_info,
    energy_nodes,
)
from nudipole.production.spectra import Spectrum, builtin_spectrum

#: Spectra sets: "default" = EPOS-LHC light mesons + Pythia 8 heavy ones (the talk's Table I);
#: "nlo" = NLO+Pythia 8 for D, D_s and B (the default for the rest).
SPECTRA_SETS = ("default", "nlo")

#: Channels whose parent and its charge conjugate are distinct particles with their own
#: spectra (the others are self-conjugate: both N nubar and Nbar nu come from one spectrum).
CHARGED_KINDS = ("charged-pseudoscalar",)


@dataclass(frozen=True)
class SourceOptions:
    """How the meson source is integrated (all deterministic).

    ``n_cos``: Gauss-Legendre nodes in cos theta* per E* node; ``n_phi``: nodes in the
    accepted phi* interval; ``n_sub``: nodes in log theta_P inside each spectrum bin;
    ``n_azimuth``: nodes per smooth piece of a non-axisymmetric detector's azimuthal window;
    ``energy_order``, ``angular_order``: Gauss-Legendre orders in q^2 (per panel) and in the
    decay angle of the parent-frame energy rule of three-body decays
    (:func:`nudipole.production.meson_table.energy_nodes`). ``n_theta_cells``,
    ``log_p_step``: cells in which the N are merged before the detector geometry and the
    band solve (equal polar-angle bins across the detector's window; steps in ln p).
    """

    spectra_set: str = "default"
    form_factor: str = "point"
    n_cos: int = 8
    n_phi: int = 3
    n_sub: int = 1
    n_azimuth: int = 4
    energy_order: int = 4
    angular_order: int = 2
    n_theta_cells: int = 64
    log_p_step: float = 1.0e-2

    def __post_init__(self) -> None:
        if not 1 <= self.n_theta_cells <= 4096:
            raise ValueError(f"n_theta_cells must be in 1..4096, got {self.n_theta_cells!r}")
        if not 1e-5 <= self.log_p_step <= 0.1:
            raise ValueError(f"log_p_step must be in [1e-5, 0.1], got {self.log_p_step!r}")
        for name in ("n_cos", "n_phi", "n_sub", "n_azimuth", "energy_order", "angular_order"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 1 <= value <= 64:
                raise ValueError(f"source option {name} must be an integer in 1..64, got {value!r}")

    def refined(self) -> SourceOptions:
        """Every rule doubled (for convergence tests)."""
        return replace(
            self,
            n_cos=2 * self.n_cos,
            n_phi=2 * self.n_phi,
            n_sub=2 * self.n_sub,
            n_azimuth=2 * self.n_azimuth,
            energy_order=2 * self.energy_order,
            angular_order=2 * self.angular_order,
            n_theta_cells=2 * self.n_theta_cells,
            log_p_step=0.5 * self.log_p_step,
        )

    def coarsened(self) -> SourceOptions:
        """Every rule halved (at least 2 nodes): the change of a result under this rule
        bounds the integration error of the default rule from above (the error estimate)."""
        return replace(
            self,
            n_cos=max(2, self.n_cos // 2),
            n_phi=max(2, self.n_phi // 2),
            n_azimuth=max(2, self.n_azimuth // 2),
            energy_order=max(2, self.energy_order // 2),
            angular_order=max(2, self.angular_order // 2),
            n_theta_cells=max(1, self.n_theta_cells // 2),
            log_p_step=min(0.1, 2.0 * self.log_p_step),
        )


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


@dataclass(frozen=True)
class NFlux:
    """Rays of N that hit the detector for one mass, all channels (per unit d^2).

    ``momentum`` (GeV), ``l_in``/``l_out`` (GeV^-1, along the ray from the interaction point),
    ``weight`` (pb GeV^2), ``channel`` (index into ``channels``). Per channel:
    ``parents_pb`` (parents that can decay, both charge states), ``produced`` (N per d^2,
    pb GeV^2) and ``heading`` (N whose direction crosses the detector, per d^2).
    """

    mass: float
    channels: tuple[str, ...]
    momentum: FloatArray
    l_in: FloatArray
    l_out: FloatArray
    weight: FloatArray
    channel: np.ndarray
    parents_pb: FloatArray
    produced: FloatArray
    heading: FloatArray
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def energy(self) -> FloatArray:
        return np.asarray(np.sqrt(self.momentum**2 + self.mass**2))


def _gauss(n: int) -> tuple[FloatArray, FloatArray]:
    x, w = np.polynomial.legendre.leggauss(n)
    return np.asarray(x, dtype=float), np.asarray(w, dtype=float)


def _expand_bins(spec: Spectrum, n_sub: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Bin centres -> Gauss-Legendre nodes in log10 theta inside each bin (p at its centre)."""
    x, w = _gauss(n_sub)
    half = 0.5 * spec.bin_width_log10
    log_t = (spec.log10_theta[:, None] + half * x[None, :]).ravel()
    sig = (spec.sigma_pb[:, None] * 0.5 * w[None, :]).ravel()
    log_p = np.repeat(spec.log10_p, n_sub)
    return np.asarray(10.0**log_t), np.asarray(10.0**log_p), np.asarray(sig)


@lru_cache(maxsize=64)
def _channel_spectra(
    channel: str, spectra_set: str, n_sub: int
) -> tuple[FloatArray, FloatArray, FloatArray, tuple[str, ...]]:
    """Mass-independent parent nodes of ``channel``, both charge states (cached).

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
    thetas, moms, sigs = zip(*(_expand_bins(s, n_sub) for s in specs), strict=True)
    factor = 1.0 if info.kind in CHARGED_KINDS else 2.0  # self-conjugate: nu Nbar + nubar N
    out = (np.concatenate(thetas), np.concatenate(moms), factor * np.concatenate(sigs))
    for arr in out:
        arr.setflags(write=False)
    return out[0], out[1], out[2], names


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
    keys = np.stack([p_key, group], axis=1)
    _, cell = np.unique(keys, axis=0, return_inverse=True)
    cell = cell.ravel()
    total = np.asarray(np.bincount(cell, weights=sig), dtype=float)
    ok = total > 0.0
    mean_t = np.bincount(cell, weights=sig * theta)[ok] / total[ok]
    mean_p = np.bincount(cell, weights=sig * mom)[ok] / total[ok]
    return mean_t, mean_p, total[ok]


@lru_cache(maxsize=256)
def channel_parents(
    channel: str,
    spectra_set: str,
    n_sub: int,
    charged: ChargedMesonDecays,
    window: tuple[float, float] = (0.0, math.pi),
) -> Parents:
    """Parents of ``channel`` that can make an N: both charge states, long-lived ones (c tau
    above 1 m: pi+-, K+-) weighted by their probability to decay before absorption
    (:class:`~nudipole.production.absorber.ChargedMesonDecays`), merged in theta where the
    exact angle cannot matter for a detector with polar ``window`` (:func:`_merge_theta`).
    Mass independent: cached per channel, spectra set, rule, absorber and window."""
    info = channel_info(channel)
    theta, mom, sig, names = _channel_spectra(channel, spectra_set, n_sub)
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


def _segment(
    shape: Shape, theta: FloatArray, n_azimuth: int
) -> tuple[np.ndarray, FloatArray, FloatArray, FloatArray]:
    """(ray index, l_in [m], l_out [m], azimuthal weight) of the detector along polar angles."""
    phi_nodes = azimuthal_nodes(shape, theta, n_azimuth)
    _, w, l_in, l_out = phi_nodes
    idx = np.broadcast_to(np.arange(theta.size)[:, None], w.shape)
    hit = (w > 0.0) & (l_out > l_in)
    return idx[hit], l_in[hit], l_out[hit], w[hit]


def channel_rays(
    parents: Parents,
    parent_mass: float,
    e_star: FloatArray,
    e_weight: FloatArray,
    m_n: float,
    window: tuple[float, float],
    options: SourceOptions,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """N from one channel whose polar angle falls in the detector's polar ``window``, merged
    into cells: polar angle (rad), momentum (GeV), weight (pb GeV^2 per d^2)."""
    th_lo, th_hi = window
    p_p = parents.momentum[:, None]
    e_p = np.sqrt(p_p**2 + parent_mass**2)
    gam = e_p / parent_mass
    bet = p_p / e_p
    p_star = np.sqrt(np.maximum(e_star**2 - m_n**2, 0.0))[None, :]
    b_star = p_star / e_star[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        tan_max = np.where(bet > b_star, b_star / (gam * np.sqrt(bet**2 - b_star**2)), np.inf)
    a_max = np.where(np.isfinite(tan_max), np.arctan(tan_max), np.pi)
    th_p = parents.theta[:, None]
    keep = (th_p - a_max <= th_hi) & (th_p + a_max >= th_lo)
    ib, ie = np.nonzero(keep)
    if ib.size == 0:
        return np.empty(0), np.empty(0), np.empty(0)
    c, wc = _gauss(options.n_cos)
    # (pairs, n_cos)
    g = gam[ib, 0][:, None]
    b = bet[ib, 0][:, None]
    ps = p_star[0, ie][:, None]
    es = e_star[ie][:, None]
    s = np.sqrt(1.0 - c**2)[None, :]
    p_par = g * (ps * c[None, :] + b * es)
    p_perp = ps * s
    p_n = np.hypot(p_par, p_perp)
    alpha = np.arctan2(p_perp, p_par)
    tp = parents.theta[ib][:, None]
    base = np.sin(0.5 * (tp - alpha)) ** 2
    span = np.sin(tp) * np.sin(alpha)
    with np.errstate(divide="ignore", invalid="ignore"):

        def phi_of(theta_edge: float) -> FloatArray:
            u = (np.sin(0.5 * theta_edge) ** 2 - base) / span
            return np.asarray(2.0 * np.arcsin(np.sqrt(np.clip(u, 0.0, 1.0))))

        phi_a = np.where(span > 0.0, phi_of(th_lo), 0.0)
        phi_b = np.where(span > 0.0, phi_of(th_hi), 0.0)
    # Degenerate rays (parent on the axis or N along the parent): all or nothing.
    straight = np.abs(tp - alpha)
    inside = (straight >= th_lo) & (straight <= th_hi)
    phi_b = np.where(span > 0.0, phi_b, np.where(inside, np.pi, 0.0))
    width = phi_b - phi_a
    w_pair = (parents.sigma_pb[ib] * e_weight[ie])[:, None] * (0.5 * wc)[None, :]
    ok = width > 0.0
    if not np.any(ok):
        return np.empty(0), np.empty(0), np.empty(0)
    # Pairs whose whole azimuth lands in the polar window only need theta_N for the geometry,
    # which varies little over phi*: 2 nodes; pairs cut by a window edge get n_phi nodes.
    full = ok & (phi_a <= 0.0) & (phi_b >= np.pi)
    part = ok & ~full
    moms, thetas, weights = [], [], []
    for sel, n_nodes in ((full, min(2, options.n_phi)), (part, options.n_phi)):
        if not np.any(sel):
            continue
        x, wx = _gauss(n_nodes)
        pa, wd = phi_a[sel][:, None], width[sel][:, None]
        phi = pa + 0.5 * wd * (x[None, :] + 1.0)
        weights.append((w_pair[sel][:, None] * 0.5 * wd * wx[None, :] / np.pi).ravel())
        sin2 = base[sel][:, None] + span[sel][:, None] * np.sin(0.5 * phi) ** 2
        thetas.append((2.0 * np.arcsin(np.sqrt(np.clip(sin2, 0.0, 1.0)))).ravel())
        moms.append(np.repeat(p_n[sel], n_nodes))
    return _cells(
        np.concatenate(thetas), np.concatenate(moms), np.concatenate(weights), window, options
    )


def _cells(
    theta: FloatArray,
    momentum: FloatArray,
    weight: FloatArray,
    window: tuple[float, float],
    options: SourceOptions,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Merge rays into cells of (theta_N, ln p_N): ``n_theta_cells`` equal bins across the
    polar window and steps of ``log_p_step`` in ln p. A cell keeps the summed weight, the
    weighted mean theta and the weighted mean 1/p (decay exponents are linear in 1/p). The
    detector's path lengths vary smoothly with theta inside the window, so the geometry is
    then evaluated once per cell instead of once per ray."""
    th_lo, th_hi = window
    n_t = options.n_theta_cells
    it = np.clip(((theta - th_lo) / (th_hi - th_lo) * n_t).astype(np.int64), 0, n_t - 1)
    ip = np.floor(np.log(momentum) / options.log_p_step).astype(np.int64)
    ip -= ip.min()
    flat = ip * n_t + it
    size = int(flat.max()) + 1
    # Dense accumulation (no sort); the index range is at most n_t x (ln p range / step).
    total = np.asarray(np.bincount(flat, weights=weight, minlength=size), dtype=float)
    used = np.flatnonzero(total)
    total_u = total[used]
    mean_theta = np.bincount(flat, weights=weight * theta, minlength=size)[used] / total_u
    mean_inv_p = np.bincount(flat, weights=weight / momentum, minlength=size)[used] / total_u
    return mean_theta, 1.0 / mean_inv_p, total_u


def meson_flux(
    m_n: float,
    channels: Sequence[str],
    flavour: str,
    shape: Shape,
    window: tuple[float, float],
    charged: ChargedMesonDecays,
    options: SourceOptions,
) -> NFlux:
    """All rays of N with mass ``m_n`` (GeV) from ``channels`` that cross the detector."""
    moms, lins, louts, ws, chans = [], [], [], [], []
    parents_pb, produced, heading = [], [], []
    sources: dict[str, tuple[str, ...]] = {}
    for k, name in enumerate(channels):
        if name not in CHANNELS:
            raise ValueError(f"unknown meson channel {name!r}; choose from {', '.join(CHANNELS)}")
        info = channel_info(name)
        parents = channel_parents(name, options.spectra_set, options.n_sub, charged, window)
        sources[name] = parents.spectra
        parents_pb.append(parents.decaying_pb)
        if not allowed(name, m_n, flavour):
            produced.append(0.0)
            heading.append(0.0)
            continue
        e_star, e_w = energy_nodes(
            name,
            m_n,
            flavour,
            form_factor=options.form_factor,
            order=options.energy_order,
            angular_order=options.angular_order,
        )
        # The node weights sum to Br/d^2 of the same rule (meson_table.energy_nodes).
        produced.append(parents.decaying_pb * float(np.sum(e_w)))
        theta_n, mom, w_cell = channel_rays(
            parents, info.mass, np.asarray(e_star), np.asarray(e_w), m_n, window, options
        )
        idx, l_in, l_out, w_az = _segment(shape, theta_n, options.n_azimuth)
        w = w_cell[idx] * w_az
        mom = mom[idx]
        heading.append(float(w.sum()))
        moms.append(mom)
        lins.append(l_in)
        louts.append(l_out)
        ws.append(w)
        chans.append(np.full(mom.size, k))

    def cat(parts: list[FloatArray]) -> FloatArray:
        return np.concatenate(parts) if parts else np.empty(0)

    return NFlux(
        mass=m_n,
        channels=tuple(channels),
        momentum=cat(moms),
        l_in=cat(lins) / HBARC_GEV_M,
        l_out=cat(louts) / HBARC_GEV_M,
        weight=cat(ws),
        channel=np.concatenate(chans).astype(int) if chans else np.empty(0, dtype=int),
        parents_pb=np.asarray(parents_pb),
        produced=np.asarray(produced),
        heading=np.asarray(heading),
        sources=sources,
    )
