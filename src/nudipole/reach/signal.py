"""Signal templates: what the limit solver needs from the kinematics, once per mass.

For each (mass, energy point) the accepted events are reduced to K bins in
kappa = L m Gamma / (p d^2) (so that L / l_dec = kappa d^2), each with its summed acceptance
weight. The expected signal is then (seed Eq. 7, generalised to an event-by-event decay path)

    S(d) = R d^2 sum_k w_k [1 - exp(-kappa_k d^2)],
    R = L_int eps_det n_charge sigma(e+e- -> N nubar) / d^2 x Br(N -> nu gamma),

where Br(N -> nu gamma) = 1 for the photon-only dipole (seed Sec. II); with Z and W couplings
(:class:`~nudipole.reach.model.CouplingModel`) sigma, Br and the total width in kappa come from
the electroweak physics modules, at fixed d_Z/d_gamma and d_W/d_gamma. The binning in
ln kappa over the range of the accepted events (bin value: weight-averaged kappa) changes S
by < 0.1 %: kappa spans a factor < 100 (the path and momentum vary little), so a bin is
< 0.3 e-folds wide, and 1 - exp(-x) is smooth (tests/reach/test_signal_templates.py).

All energy points of an experiment are processed in one vectorised pass per mass: the nodes of
every point are concatenated, each carrying its own sqrt(s).

The templates of the cut-adapted rule (the default sampler) are built for all masses of a
batch at once in :mod:`nudipole.reach.rule_templates`; here are the Monte Carlo, Sobol and
quadrature nodes' templates and what both share.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nudipole.constants import metres_to_natural
from nudipole.experiments.schema import Experiment, Selection
from nudipole.experiments.selections import Frame, Photons, combined_mask
from nudipole.kinematics.geometry import path_length_in_cylinder
from nudipole.kinematics.sampling import Nodes
from nudipole.model import Nature
from nudipole.physics._types import FloatArray
from nudipole.physics.decay import width_nu_gamma
from nudipole.physics.production import n_momentum_cm
from nudipole.production import ee_source
from nudipole.reach.model import PHOTON_ONLY, CouplingModel
from nudipole.reach.presets import ChargeStates, DecayModel, Preset

N_KAPPA_BINS = 16


@dataclass(frozen=True)
class PointNodes:
    """Integration nodes of all energy points, concatenated.

    ``point`` is the energy-point index of each node and ``batch`` its batch (for the error).
    """

    nodes: Nodes
    point: np.ndarray
    batch: np.ndarray
    n_points: int
    n_batch: int


@dataclass(frozen=True)
class Templates:
    """Binned signal templates of all energy points at one mass.

    ``rate`` (P,) is R in GeV^2 (zero above threshold); ``weight`` and ``kappa`` have shape
    (P, n_batch, K); every batch alone estimates the full weight sum.
    """

    rate: FloatArray
    weight: FloatArray
    kappa: FloatArray

    @property
    def acceptance(self) -> FloatArray:
        """Cut acceptance per point and batch (prompt decays)."""
        return np.asarray(self.weight.sum(axis=-1))


def concatenate_nodes(per_point: list[Nodes], n_batch: int) -> PointNodes:
    """Join the nodes of each energy point; batch = index within the point modulo n_batch."""
    point = np.concatenate([np.full(len(n), j) for j, n in enumerate(per_point)])
    batch = np.concatenate([np.arange(len(n)) % n_batch for n in per_point])
    joined = Nodes(
        cos_n=np.concatenate([n.cos_n for n in per_point]),
        cos_star=np.concatenate([n.cos_star for n in per_point]),
        phi_star=np.concatenate([n.phi_star for n in per_point]),
        weight=np.concatenate([n.weight for n in per_point]),
        rule=per_point[0].rule,
    )
    return PointNodes(joined, point, batch, len(per_point), n_batch)


def charge_multiplicity(preset: Preset) -> float:
    """Number of production channels counted: 2 for N nubar + Nbar nu (or a Majorana N), else 1."""
    if preset.nature is Nature.MAJORANA:
        return 2.0
    return 2.0 if preset.charge_states is ChargeStates.BOTH else 1.0


def conjugate_fraction(preset: Preset) -> float:
    """Share of the Nbar nu channel among the counted events (0.5 with both, else 0)."""
    return 0.5 if charge_multiplicity(preset) == 2.0 else 0.0


def _kappa(
    events: ee_source.SignalEvents,
    experiment: Experiment,
    preset: Preset,
    s: FloatArray,
    m: float,
    width_unit: float | None = None,
) -> FloatArray:
    """kappa = L m Gamma(d = 1) / p per event, GeV^2 (so that L / l_dec = kappa d^2).

    ``width_unit``: total width at d = 1 (GeV); the photon-only width if None.
    """
    return kappa_of_n(events.n_cos_lab, events.n_momentum_lab, experiment, preset, s, m, width_unit)


def kappa_of_n(
    n_cos_lab: FloatArray,
    n_momentum_lab: FloatArray,
    experiment: Experiment,
    preset: Preset,
    s: FloatArray,
    m: float | FloatArray,
    width_unit: float | FloatArray | None = None,
) -> FloatArray:
    """kappa = L m Gamma(d = 1) / p of an N with lab polar cosine ``n_cos_lab`` and momentum
    ``n_momentum_lab`` (GeV), GeV^2: L its path to the fiducial cylinder's surface
    (``lab-volume``) or the seed's l_D with the CM momentum (``fixed-length``, seed Eqs. 5-7);
    m Gamma / p = 1 / (beta gamma c tau) per unit length. ``width_unit`` as in :func:`_kappa`.
    """
    if width_unit is None:
        width_unit = np.asarray(width_nu_gamma(m, 1.0, preset.nature))
    det = experiment.detector
    if preset.decay_model is DecayModel.FIXED_LENGTH:
        length = metres_to_natural(det.decay_length_m)
        return np.asarray(length * m * width_unit / n_momentum_cm(s, m))
    fid = det.fiducial
    path = path_length_in_cylinder(
        n_cos_lab,
        metres_to_natural(fid.radius_m),
        metres_to_natural(fid.z_min_m),
        metres_to_natural(fid.z_max_m),
    )
    return np.asarray(path * m * width_unit / n_momentum_lab)


def _bin(
    weight: FloatArray, kappa: FloatArray, group: np.ndarray, n_groups: int, n_batch: int
) -> tuple[FloatArray, FloatArray]:
    """Sum weights in ln-kappa bins per group (= point * n_batch + batch).

    Returns arrays (n_groups, K): summed weights (times n_batch, so each batch estimates the
    full sum) and weight-averaged kappa.
    """
    size = n_groups * N_KAPPA_BINS
    positive = weight > 0
    if not positive.any():
        return np.zeros((n_groups, N_KAPPA_BINS)), np.ones((n_groups, N_KAPPA_BINS))
    lk = np.log(kappa[positive])
    # Bins span the kappa range of the accepted events at this mass.
    edges = np.linspace(lk.min(), lk.max() + 1e-12, N_KAPPA_BINS + 1)
    idx = np.clip(np.searchsorted(edges, lk, side="right") - 1, 0, N_KAPPA_BINS - 1)
    flat = group[positive] * N_KAPPA_BINS + idx
    w = weight[positive]
    sum_w = np.bincount(flat, weights=w, minlength=size)
    sum_wk = np.bincount(flat, weights=w * kappa[positive], minlength=size)
    mean_k = np.divide(sum_wk, sum_w, out=np.ones(size), where=sum_w > 0)
    summed = np.asarray(sum_w * n_batch, dtype=float).reshape(n_groups, N_KAPPA_BINS)
    return summed, np.asarray(mean_k, dtype=float).reshape(n_groups, N_KAPPA_BINS)


def build_templates(
    experiment: Experiment,
    selection: Selection,
    preset: Preset,
    sqrt_s: FloatArray,
    luminosity_natural: FloatArray,
    m_n: float,
    nodes: PointNodes,
    model: CouplingModel = PHOTON_ONLY,
) -> Templates:
    """Templates of all energy points (``sqrt_s``, ``luminosity_natural`` per point) at one mass.

    ``luminosity_natural`` = 1 gives the rate as a cross section (GeV^-2) for limits that are
    quoted as cross sections.
    """
    n_p, n_b = nodes.n_points, nodes.n_batch
    rate = np.zeros(n_p)
    weight = np.zeros((n_p, n_b, N_KAPPA_BINS))
    kappa = np.ones((n_p, n_b, N_KAPPA_BINS))
    open_points = np.flatnonzero(m_n < sqrt_s)
    if open_points.size == 0:
        return Templates(rate, weight, kappa)
    use = np.isin(nodes.point, open_points)
    sub = Nodes(
        cos_n=nodes.nodes.cos_n[use],
        cos_star=nodes.nodes.cos_star[use],
        phi_star=nodes.nodes.phi_star[use],
        weight=nodes.nodes.weight[use],
        rule=nodes.nodes.rule,
    )
    point = nodes.point[use]
    rs = sqrt_s[point]
    s = rs**2
    events = ee_source.generate(
        s,
        m_n,
        experiment.beta,
        preset.effective_photon_angular,
        sub,
        production=model,
        conjugate_fraction=conjugate_fraction(preset),
    )
    photons = Photons(events.e_cm, events.cos_cm, events.e_lab, events.cos_lab)
    passed = combined_mask(selection.cuts, photons, Frame(rs, experiment.beta))
    w = np.where(passed, events.weight, 0.0)
    k = _kappa(events, experiment, preset, s, m_n, model.width_unit(m_n, preset.nature))
    w_b, k_b = _bin(w, k, point * n_b + nodes.batch[use], n_p * n_b, n_b)
    weight = w_b.reshape(n_p, n_b, N_KAPPA_BINS)
    kappa = k_b.reshape(n_p, n_b, N_KAPPA_BINS)
    rate = _rate(experiment, preset, sqrt_s, luminosity_natural, m_n, model)
    return Templates(rate, weight, kappa)


def _rate(
    experiment: Experiment,
    preset: Preset,
    sqrt_s: FloatArray,
    luminosity_natural: FloatArray,
    m_n: float,
    model: CouplingModel,
) -> FloatArray:
    """R per point (GeV^2, or GeV^-2 with unit luminosity), zero above threshold."""
    s_all = sqrt_s**2
    return np.asarray(
        np.where(
            m_n < sqrt_s,
            luminosity_natural
            * experiment.detector.efficiency
            * charge_multiplicity(preset)
            * model.br_nu_gamma(m_n, preset.nature)
            * model.sigma_unit(np.maximum(s_all, m_n**2), m_n),
            0.0,
        )
    )
