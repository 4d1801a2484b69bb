"""Signal templates from the cut-adapted rule (:mod:`nudipole.production.ee_rules`): the
templates of :mod:`nudipole.reach.signal` for all masses of a batch in one pass.

There are three ways to the same templates: with the fixed-length decay model kappa is one
number per (mass, point) and only the acceptance is integrated, the azimuth and the photon
angle exactly (:mod:`nudipole.production.ee_polynomial`); with the lab-volume model the rule's
nodes are binned in one compiled pass (``_ee_lab_volume_kernel.lab_volume_bins``), the density
polynomial in the N direction or, where it is not (the electron flavour's t-channel W), as
Chebyshev series in it. The nodes are made and binned in NumPy (:func:`_node_templates`) only
where neither form reproduces the density, or with the fixed-length model and a
non-polynomial density.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nudipole.constants import metres_to_natural
from nudipole.experiments.schema import Experiment, Selection
from nudipole.physics._types import FloatArray
from nudipole.physics.angular import PhotonAngular
from nudipole.physics.decay import width_nu_gamma
from nudipole.physics.production import n_energy_cm, n_momentum_cm
from nudipole.physics.production import sigma as sigma_photon
from nudipole.production import ee_rules, ee_source
from nudipole.production.ee_polynomial import (
    QuadraticDensity,
    chebyshev_density,
    moment_integral,
    photon_only_density,
    psi_average,
    quadratic_density,
)
from nudipole.production.ee_rules import CutRule
from nudipole.reach.model import PHOTON_ONLY, CouplingModel
from nudipole.reach.presets import DecayModel, Preset
from nudipole.reach.signal import (
    N_KAPPA_BINS,
    Templates,
    charge_multiplicity,
    conjugate_fraction,
    kappa_of_n,
)


def build_rule_templates(
    experiment: Experiment,
    selection: Selection,
    preset: Preset,
    sqrt_s: FloatArray,
    luminosity_natural: FloatArray,
    m_n: float,
    rule: CutRule,
    model: CouplingModel = PHOTON_ONLY,
) -> Templates:
    """Templates from the cut-adapted rule (:mod:`nudipole.production.ee_rules`) at one mass
    (:func:`build_rule_templates_many` with one mass)."""
    rate, weight, kappa = build_rule_templates_many(
        experiment, selection, preset, sqrt_s, luminosity_natural, np.array([m_n]), rule, model
    )
    return Templates(rate[0], weight[0], kappa[0])


def build_rule_templates_many(
    experiment: Experiment,
    selection: Selection,
    preset: Preset,
    sqrt_s: FloatArray,
    luminosity_natural: FloatArray,
    masses: FloatArray,
    rule: CutRule,
    model: CouplingModel = PHOTON_ONLY,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Templates of all ``masses`` (M,) and points from the cut-adapted rule, in one pass.

    Returns ``rate`` (M, P) and ``weight``, ``kappa`` (M, P, 2, K): the batch axis holds the two
    embedded rules, index 0 the Gauss-Kronrod rule (the result), index 1 its Gauss rule on the
    same nodes (for the error estimate). kappa follows from each node's z_N as in
    :func:`build_templates`, and the ln-kappa bins of each mass span the kappa of every N
    direction of its accepted pieces (:func:`_kappa_range`; the Monte Carlo's :func:`_bin`
    spans its accepted events). Points at the same sqrt(s) share their template.
    """
    rate, widths = rates_and_widths(experiment, preset, sqrt_s, luminosity_natural, masses, model)
    weight = np.zeros((masses.size, sqrt_s.size, 2, N_KAPPA_BINS))
    kappa = np.ones((masses.size, sqrt_s.size, 2, N_KAPPA_BINS))
    groups, inverse = open_groups(masses, sqrt_s, widths)
    if groups is None:
        return rate, weight, kappa
    binned = (
        _fixed_length_templates(experiment, preset, rule, groups, model)
        if preset.decay_model is DecayModel.FIXED_LENGTH
        else _lab_volume_templates(experiment, preset, rule, groups, model)
    )
    if binned is None:
        binned = _node_templates_in_chunks(experiment, preset, rule, groups, model)
    w_out, k_out = binned
    return rate, w_out[:, inverse], k_out[:, inverse]


def rates_and_widths(
    experiment: Experiment,
    preset: Preset,
    sqrt_s: FloatArray,
    luminosity_natural: FloatArray,
    masses: FloatArray,
    model: CouplingModel,
) -> tuple[FloatArray, FloatArray]:
    """R (M, P) of :func:`build_rule_templates_many` (GeV^2; zero at and above threshold) and
    the total width of N at d = 1 (M,) (GeV)."""
    n_m, n_p = masses.size, sqrt_s.size
    if model.photon_only:  # seed Eq. 3 with alpha(s) and Gamma of seed Eq. 4, all masses at once
        mc = masses[:, None]
        s_all = sqrt_s**2
        sigma = sigma_photon(s_all, mc, 1.0, alpha=model.sm.alpha_photon(s_all))
        scale = experiment.detector.efficiency * charge_multiplicity(preset)
        rate = np.asarray(np.where(mc < sqrt_s, luminosity_natural * scale * sigma, 0.0))
        widths = np.asarray(width_nu_gamma(masses, 1.0, preset.nature), dtype=float)
        return rate, widths
    # the electroweak cross section, width and Br, all masses in one call each
    mc = np.broadcast_to(masses[:, None], (n_m, n_p))
    s_all = np.broadcast_to(sqrt_s**2, (n_m, n_p))
    sigma = model.sigma_unit(np.maximum(s_all, mc**2), mc)
    widths, br = model.widths_and_br(masses, preset.nature)
    scale = experiment.detector.efficiency * charge_multiplicity(preset)
    rate = np.where(mc < sqrt_s, luminosity_natural * scale * br[:, None] * sigma, 0.0)
    return np.asarray(rate), np.asarray(widths, dtype=float)


def open_groups(
    masses: FloatArray, sqrt_s: FloatArray, widths: FloatArray
) -> tuple[_Groups | None, np.ndarray]:
    """The (mass, distinct energy) pairs above threshold (None if there is none) and the
    index of each point's distinct energy: points at the same sqrt(s) share their template."""
    _, first, inverse = np.unique(sqrt_s, return_index=True, return_inverse=True)
    g_mass, g_dist = np.nonzero(masses[:, None] < sqrt_s[first][None, :])
    if g_mass.size == 0:
        return None, inverse
    return _Groups(masses, sqrt_s[first], g_mass, g_dist, first[g_dist], widths), inverse


@dataclass(frozen=True)
class _Groups:
    """The (mass, distinct energy point) groups of :func:`build_rule_templates_many`:
    ``masses`` (M,), ``sqrt_s`` (D,) the distinct energies, ``mass``/``dist`` (G,) each
    group's indices, ``point`` (G,) the index of its energy in the rule, ``widths`` (M,) the
    total width at d = 1 (GeV)."""

    masses: FloatArray
    sqrt_s: FloatArray
    mass: np.ndarray
    dist: np.ndarray
    point: np.ndarray
    widths: FloatArray

    @property
    def shape(self) -> tuple[int, int, int, int]:
        return (self.masses.size, self.sqrt_s.size, 2, N_KAPPA_BINS)


#: :class:`PhotonAngular` as the compiled photon-only sums take it
#: (:mod:`nudipole.production._ee_polynomial_kernel`).
_ANGULAR_CODE = {
    PhotonAngular.SPIN_CORRELATED: 0,
    PhotonAngular.ISOTROPIC: 1,
    PhotonAngular.ONE_MINUS_COS: 2,
}


def _quadratic_density(
    preset: Preset, model: CouplingModel, s: FloatArray, m: FloatArray, c: FloatArray
) -> QuadraticDensity | None:
    """The density at the c* nodes (``s``, ``m`` and c* per node) in the polynomial form of
    :mod:`nudipole.production.ee_polynomial`, or None where the production does not have it."""
    angular = preset.effective_photon_angular
    if model.photon_only:
        return photon_only_density(s, m, angular, c)
    return quadratic_density(
        s, m, angular, c, production=model, conjugate_fraction=conjugate_fraction(preset)
    )


def _fixed_length_templates(
    experiment: Experiment,
    preset: Preset,
    rule: CutRule,
    groups: _Groups,
    model: CouplingModel,
) -> tuple[FloatArray, FloatArray] | None:
    """Templates with the fixed-length decay model: kappa is one number per group (seed
    Eq. 7, the CM momentum), so only the acceptance is integrated (:func:`accepted_sums`).
    None if the density is not polynomial in the N direction (then the node rule is used)."""
    sums = accepted_sums(preset, rule, groups, model)
    if sums is None:
        return None
    acc_k, acc_g = sums
    s_g = groups.sqrt_s[groups.dist] ** 2
    m_g = groups.masses[groups.mass]
    k = kappa_of_n(
        np.zeros(m_g.size), np.ones(m_g.size), experiment, preset, s_g, m_g,
        groups.widths[groups.mass],
    )  # fmt: skip
    weight = np.zeros(groups.shape)
    kappa = np.ones(groups.shape)
    weight[groups.mass, groups.dist, 0, 0] = acc_k
    weight[groups.mass, groups.dist, 1, 0] = acc_g
    kappa[groups.mass, groups.dist, :, 0] = k[:, None]
    return weight, kappa


def polynomial_density_likely(
    preset: Preset, model: CouplingModel, sqrt_s: FloatArray, masses: FloatArray
) -> bool:
    """Whether the density is polynomial in the N direction
    (:func:`~nudipole.production.ee_polynomial.quadratic_density`) at the first and the last
    mass below threshold of each distinct point (the lightest and the heaviest: the scan's
    masses are sorted): a quick test before the work of
    :func:`accepted_sums` (which checks every pair). Always with the photon only; not with
    the electron flavour's t-channel W."""
    if model.photon_only:
        return True
    energies = np.unique(sqrt_s)
    below = masses[:, None] < energies[None, :]
    if not below.any():
        return True
    first = np.argmax(below, axis=0)  # the masses are sorted
    last = masses.size - 1 - np.argmax(below[::-1], axis=0)
    has = below.any(axis=0)
    m = masses[np.concatenate([first[has], last[has]])]
    s = np.tile(energies[has] ** 2, 2)
    c = np.zeros(m.size)  # the form does not depend on c* (affine, checked at three values)
    return _quadratic_density(preset, model, s, m, c) is not None


def accepted_sums(
    preset: Preset, rule: CutRule, groups: _Groups, model: CouplingModel
) -> tuple[FloatArray, FloatArray] | None:
    """The accepted weight of each group (G,) whatever the decay (the prompt-decay
    acceptance) by the Gauss-Kronrod rule and by its embedded Gauss rule: the azimuth psi and
    the photon polar angle done exactly (:mod:`nudipole.production.ee_polynomial`), c* by
    the composite rule. None if the density is not polynomial in the N direction."""
    nodes = ee_rules.c_star_nodes(rule, groups.masses[groups.mass], groups.point)
    s_g = groups.sqrt_s[groups.dist] ** 2
    m_g = groups.masses[groups.mass]
    g = nodes.group
    n_g = groups.mass.size
    if model.photon_only:
        # density, psi average and moment integral summed per group in one compiled pass
        from nudipole.production._ee_polynomial_kernel import photon_only_sums  # numba

        acc_k, acc_g = photon_only_sums(
            _ANGULAR_CODE[preset.effective_photon_angular], s_g, m_g, g.astype(np.int64),
            nodes.c, nodes.cos_alpha, nodes.sin_alpha, ee_rules.piece_moments(rule, nodes),
            nodes.weight_kronrod, nodes.weight_gauss,
        )  # fmt: skip
    else:
        density = _quadratic_density(preset, model, s_g[g], m_g[g], nodes.c)
        if density is None:
            return None
        d0, d1, d2 = psi_average(density, nodes.cos_alpha, nodes.sin_alpha)
        part = moment_integral(d0, d1, d2, ee_rules.piece_moments(rule, nodes))
        acc_k = np.asarray(0.5 * np.bincount(g, weights=part * nodes.weight_kronrod, minlength=n_g))
        acc_g = np.asarray(0.5 * np.bincount(g, weights=part * nodes.weight_gauss, minlength=n_g))
    return np.asarray(acc_k, dtype=float), np.asarray(acc_g, dtype=float)


def _n_in_lab(
    z: FloatArray, p_n: FloatArray, e_n: FloatArray, beta: float
) -> tuple[FloatArray, FloatArray]:
    """(polar cosine, momentum) in the lab of an N at CM polar cosine ``z`` with CM momentum
    ``p_n`` and energy ``e_n`` (GeV), the CM moving with ``beta`` along the beam (as in
    :func:`nudipole.production.ee_source.generate`)."""
    if beta == 0.0:
        return z, np.broadcast_to(p_n, np.shape(z))
    gamma_b = 1.0 / np.sqrt(1.0 - beta**2)
    pz_lab = gamma_b * (p_n * z + beta * e_n)
    pt = p_n * np.sqrt(np.clip(1.0 - z**2, 0.0, None))
    p_lab = np.sqrt(pz_lab**2 + pt**2)
    return np.divide(pz_lab, p_lab, out=np.ones_like(p_lab), where=p_lab > 0), p_lab


def _inverse_geometry(experiment: Experiment) -> FloatArray:
    """(1/R, 1/z_min, 1/z_max) of the fiducial cylinder in GeV (the compiled kappa)."""
    fid = experiment.detector.fiducial
    return np.array([1.0 / metres_to_natural(x) for x in (fid.radius_m, fid.z_min_m, fid.z_max_m)])


def _corner_cosines_cm(
    p_n: FloatArray, e_n: FloatArray, beta: float, experiment: Experiment
) -> FloatArray:
    """(G, 4) CM polar cosines of N (NaN: none) at which its lab direction meets a rim of the
    fiducial cylinder, p_T / R = |p_z| / |z_end|: the roots of
    (p^2/R^2)(1 - z^2) = gamma^2 (p z + beta E)^2 / z_end^2 for both ends (a root on the
    wrong side is harmless: it is only a point at which kappa is evaluated)."""
    fid = experiment.detector.fiducial
    radius = metres_to_natural(fid.radius_m)
    gamma2 = 1.0 / (1.0 - beta**2)
    out = []
    for end in (fid.z_min_m, fid.z_max_m):
        inv_z2 = gamma2 / metres_to_natural(end) ** 2
        qa = -(p_n**2) / radius**2 - inv_z2 * p_n**2
        qb = -2.0 * inv_z2 * p_n * beta * e_n
        qc = p_n**2 / radius**2 - inv_z2 * (beta * e_n) ** 2
        disc = qb * qb - 4.0 * qa * qc
        root = np.sqrt(np.where(disc >= 0.0, disc, np.nan))
        out += [(-qb + root) / (2.0 * qa), (-qb - root) / (2.0 * qa)]
    return np.stack(out, axis=1)


def _kappa_range(
    experiment: Experiment,
    preset: Preset,
    pieces: ee_rules.RulePieces,
    groups: _Groups,
) -> tuple[FloatArray, FloatArray]:
    """(lo, hi) of kappa (GeV^2) per mass over the N directions of the accepted pieces: the
    range the ln-kappa bins span. Fixed length: one kappa per (mass, point). Lab volume: at
    the c* node the N lies at the angle alpha to the photon, so over a piece [theta_a,
    theta_b] of the photon angle its polar angle runs from the smallest |theta - alpha| to
    the largest min(theta + alpha, 2 pi - theta - alpha); kappa = L m Gamma / p has its
    extremes over that range of z at its ends, at z = 0 (largest p_T) or where N meets a rim
    of the cylinder (:func:`_corner_cosines_cm`), the only places where L / p turns
    (compiled: ``_ee_lab_volume_kernel.lab_volume_kappa_range``)."""
    n_m = groups.masses.size
    s_g = groups.sqrt_s[groups.dist] ** 2
    m_g = groups.masses[groups.mass]
    width_g = groups.widths[groups.mass]
    p_g, e_g = n_momentum_cm(s_g, m_g), n_energy_cm(s_g, m_g)
    lo = np.full(n_m, np.inf)
    hi = np.full(n_m, -np.inf)
    if pieces.node.size == 0:
        return lo, hi
    group = pieces.group[pieces.node]
    if preset.decay_model is DecayModel.FIXED_LENGTH:
        k_g = kappa_of_n(np.zeros(m_g.size), p_g, experiment, preset, s_g, m_g, width_g)
        g = np.unique(group)
        np.minimum.at(lo, groups.mass[g], k_g[g])
        np.maximum.at(hi, groups.mass[g], k_g[g])
        return lo, hi
    from nudipole.production._ee_lab_volume_kernel import lab_volume_kappa_range  # numba

    kinematics = np.stack([p_g, e_g, m_g * width_g], axis=1)
    return lab_volume_kappa_range(
        pieces.node.astype(np.int64), pieces.cos_lo, pieces.cos_hi,
        pieces.cos_alpha, pieces.sin_alpha, pieces.group.astype(np.int64),
        groups.mass.astype(np.int64), kinematics,
        np.ascontiguousarray(_corner_cosines_cm(p_g, e_g, experiment.beta, experiment)),
        float(experiment.beta), _inverse_geometry(experiment), n_m,
    )  # fmt: skip


def _lab_volume_templates(
    experiment: Experiment,
    preset: Preset,
    rule: CutRule,
    groups: _Groups,
    model: CouplingModel,
) -> tuple[FloatArray, FloatArray] | None:
    """Templates with the lab-volume decay model from the cut-adapted rule, binned in
    ln kappa in one compiled pass over the nodes (``_ee_lab_volume_kernel.lab_volume_bins``) with
    the density in the polynomial form of :mod:`nudipole.production.ee_polynomial`: the same
    nodes, weights and bins as :func:`_node_templates`, without storing the nodes. None if the
    density is not polynomial in the N direction (then :func:`_node_templates` is used)."""
    pieces = ee_rules.rule_pieces(rule, groups.masses[groups.mass], groups.point)
    s_g = groups.sqrt_s[groups.dist] ** 2
    m_g = groups.masses[groups.mass]
    g = pieces.group
    density = _quadratic_density(preset, model, s_g[g], m_g[g], pieces.c)
    series = np.zeros((0, 2, 1))
    if density is None:  # not polynomial in z: the three functions of z as Chebyshev series
        cheb = chebyshev_density(
            s_g[g], m_g[g], preset.effective_photon_angular, pieces.c, production=model,
            conjugate_fraction=conjugate_fraction(preset),
        )  # fmt: skip
        if cheb is None:
            return None
        series = cheb.per_node(pieces.c)
        coeffs = np.zeros((pieces.c.size, 5))
    else:
        names = ("a0", "a1", "a2", "b0", "b1")
        coeffs = np.stack(
            [np.broadcast_to(getattr(density, n), pieces.c.shape) for n in names], axis=1
        )
    (x_theta, w_theta_k, w_theta_g), narrow_rule = ee_rules.theta_rules(rule.panels)
    psi, wpk, wpg = ee_rules.psi_rule(rule.panels.n_psi, rule.panels.psi_exact)
    kinematics = np.stack(
        [n_momentum_cm(s_g, m_g), n_energy_cm(s_g, m_g), m_g * groups.widths[groups.mass]], axis=1
    )
    inverse_geometry = _inverse_geometry(experiment)
    from nudipole.production._ee_lab_volume_kernel import lab_volume_bins  # numba: not at start-up

    sum_w, sum_wk = lab_volume_bins(
        pieces.node.astype(np.int64), pieces.cos_lo, pieces.cos_hi,
        x_theta, w_theta_k, w_theta_g, rule.panels.narrow_width, *narrow_rule,
        pieces.cos_alpha, pieces.sin_alpha, pieces.weight_kronrod, pieces.weight_gauss,
        pieces.group.astype(np.int64), np.ascontiguousarray(coeffs),
        np.cos(psi), wpk, wpg,
        groups.mass.astype(np.int64), np.ascontiguousarray(kinematics),
        float(experiment.beta), inverse_geometry, *_kappa_range(experiment, preset, pieces, groups),
        N_KAPPA_BINS, series,
    )  # fmt: skip
    mean_k = np.divide(sum_wk, sum_w, out=np.ones_like(sum_w), where=sum_w > 0)
    weight = np.zeros(groups.shape)
    kappa = np.ones(groups.shape)
    weight[groups.mass, groups.dist] = sum_w
    kappa[groups.mass, groups.dist] = mean_k
    return weight, kappa


#: (mass, energy point) pairs whose nodes :func:`_node_templates` holds at once (up to about
#: 2 x 10^4 nodes per pair, some 20 arrays of them).
NODE_GROUPS = 64


def _node_templates_in_chunks(
    experiment: Experiment,
    preset: Preset,
    rule: CutRule,
    groups: _Groups,
    model: CouplingModel,
) -> tuple[FloatArray, FloatArray]:
    """:func:`_node_templates` for whole masses at a time, at most :data:`NODE_GROUPS` pairs
    (or one mass) each: the same templates (each mass is binned over its own kappa range)
    with bounded memory."""
    weight = np.zeros(groups.shape)
    kappa = np.ones(groups.shape)
    per_mass = np.bincount(groups.mass, minlength=groups.masses.size)
    step = max(1, NODE_GROUPS // max(1, int(per_mass.max())))
    for lo in range(0, groups.masses.size, step):
        take = (groups.mass >= lo) & (groups.mass < lo + step)
        if not take.any():
            continue
        part = _Groups(
            groups.masses[lo : lo + step],
            groups.sqrt_s,
            groups.mass[take] - lo,
            groups.dist[take],
            groups.point[take],
            groups.widths[lo : lo + step],
        )
        w, k = _node_templates(experiment, preset, rule, part, model)
        weight[lo : lo + step], kappa[lo : lo + step] = w, k
    return weight, kappa


def _node_templates(
    experiment: Experiment,
    preset: Preset,
    rule: CutRule,
    groups: _Groups,
    model: CouplingModel,
) -> tuple[FloatArray, FloatArray]:
    """Templates from the nodes of the cut-adapted rule (:func:`ee_rules.rule_nodes`), binned
    in ln kappa per mass over the range of :func:`_kappa_range`."""
    masses, widths, g_mass, g_dist = groups.masses, groups.widths, groups.mass, groups.dist
    n_m, n_d = masses.size, groups.sqrt_s.size
    pieces = ee_rules.rule_pieces(rule, masses[g_mass], groups.point)
    nodes = ee_rules.nodes_from_pieces(rule, pieces)
    group = nodes.point
    node_mass = g_mass[group]
    s_g = groups.sqrt_s[g_dist] ** 2
    m = masses[node_mass]
    s = s_g[group]
    angular, conj = preset.effective_photon_angular, conjugate_fraction(preset)
    if model.photon_only:
        a, b = ee_source.density_coefficients(s, m, angular, nodes.cos_n, nodes.cos_star)
    else:  # one mass at a time: the cross section per (s, m) pair is then one small unique
        a, b = np.empty_like(m), np.empty_like(m)
        order = np.argsort(node_mass, kind="stable")
        bounds = np.searchsorted(node_mass[order], np.arange(n_m + 1))
        for i in range(n_m):
            sel = order[bounds[i] : bounds[i + 1]]
            if sel.size:
                a[sel], b[sel] = ee_source.density_coefficients(
                    s[sel], float(masses[i]), angular, nodes.cos_n[sel], nodes.cos_star[sel],
                    production=model, conjugate_fraction=conj,
                )  # fmt: skip
    density = a + b * nodes.cos_phi
    m_g = masses[g_mass]
    cos_lab, p_lab = _n_in_lab(
        nodes.cos_n, n_momentum_cm(s_g, m_g)[group], n_energy_cm(s_g, m_g)[group], experiment.beta
    )
    k = kappa_of_n(cos_lab, p_lab, experiment, preset, s, m, widths[node_mass])
    # bins: (mass, distinct point, rule) in ln kappa over the range of the accepted pieces
    w_k = nodes.weight_kronrod * density
    w_g = nodes.weight_gauss * density
    pos = w_k > 0
    cell = group
    if not pos.all():  # (usually all are: copying five node arrays costs ~8 % of the curve)
        w_k, w_g, k, node_mass, cell = w_k[pos], w_g[pos], k[pos], node_mass[pos], group[pos]
    lk = np.log(k)
    k_lo, k_hi = _kappa_range(experiment, preset, pieces, groups)
    # a mass without pieces has no nodes: its (inf, -inf) range is never used
    with np.errstate(divide="ignore", invalid="ignore"):
        lo, hi = np.log(k_lo), np.log(k_hi)
    width = (hi + 1e-12 - lo) / N_KAPPA_BINS
    idx = np.clip(((lk - lo[node_mass]) / width[node_mass]).astype(int), 0, N_KAPPA_BINS - 1)
    flat = ((node_mass * n_d + g_dist[cell]) * 2) * N_KAPPA_BINS + idx
    size = n_m * n_d * 2 * N_KAPPA_BINS
    sum_w = np.zeros(size)
    sum_wk = np.zeros(size)
    for r, w in enumerate((w_k, w_g)):
        sum_w += np.bincount(flat + r * N_KAPPA_BINS, weights=w, minlength=size)
        sum_wk += np.bincount(flat + r * N_KAPPA_BINS, weights=w * k, minlength=size)
    mean_k = np.divide(sum_wk, sum_w, out=np.ones(size), where=sum_w > 0)
    shape = (n_m, n_d, 2, N_KAPPA_BINS)
    return (
        np.asarray(sum_w, dtype=float).reshape(shape),
        np.asarray(mean_k, dtype=float).reshape(shape),
    )
