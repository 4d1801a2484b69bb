"""Branching ratio per d^2 and parent-frame energy distribution of N for each meson channel.

Per channel of :mod:`nudipole.production.meson_table`: the branching ratio per d^2 (GeV^2) of
the listed parent into a final state with one Nbar, and the energy distribution of N in the
parent rest frame as weighted nodes (all a lab simulation needs: unpolarised parents emit N
isotropically there). Formulas in :mod:`nudipole.physics.mesons` (talk slide "Production at the
LHC by Meson Decay"; Barducci, Liu, Titov, Wang, Zhang, PRD 108 (2023) 115009,
arXiv:2308.16608; PHYSICS.md §10); alpha(0) and G_F from :mod:`nudipole.constants`.

Vector mesons use the measured Br(V -> e+ e-): Br(V -> nu Nbar) = Br(V -> ee) x
d^2 m_V^2 (1-x)^2 (1+2x) / (4 pi alpha), alpha = alpha(0) (PHYSICS.md §10; the f_V form agrees,
see tests/production/test_meson_rates.py). Charged pseudoscalars: Gamma / Gamma_total with the
``particle`` total width. The flavour only matters for P- (the charged lepton is l_flavour).
``form_factor`` only affects P0 channels.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from nudipole.constants import ALPHA_EM, G_FERMI
from nudipole.physics._types import FloatArray
from nudipole.physics.mesons import (
    DEFAULT_ANGULAR_ORDER,
    DEFAULT_Q2_ORDER,
    DoubleDifferential,
    charged_pseudoscalar_d2width,
    charged_pseudoscalar_width,
    neutral_pseudoscalar_br,
    neutral_pseudoscalar_d2br,
    parent_frame_energy_nodes,
    parent_frame_energy_nodes_many,
    parent_frame_rate_error,
    vector_br_over_br_ee,
    vector_energy,
    vmd_form_factor_sq,
)
from nudipole.production.meson_table import (
    MesonChannel,
    _check_channel,
    _check_flavour,
    _check_form_factor,
    _check_mass,
    _recoil_mass,
    allowed,
    lepton_mass,
)


def _form_factor(info: MesonChannel, form_factor: str) -> partial[FloatArray] | None:
    if form_factor == "point":
        return None
    assert info.vmd_pole_mass is not None
    assert info.vmd_pole_width is not None
    return partial(vmd_form_factor_sq, pole_mass=info.vmd_pole_mass, pole_width=info.vmd_pole_width)


def _peak(info: MesonChannel, form_factor: str) -> tuple[float, float] | None:
    """Lorentzian hint (Lambda^2, Lambda gamma) for the q^2 quadrature of a VMD form factor with
    a width (eta'), else None."""
    if form_factor != "vmd" or info.kind != "neutral-pseudoscalar" or not info.vmd_pole_width:
        return None
    assert info.vmd_pole_mass is not None
    return info.vmd_pole_mass**2, info.vmd_pole_mass * info.vmd_pole_width


def _d2_rate(
    info: MesonChannel, m_n: float | FloatArray, flavour: str, form_factor: str
) -> DoubleDifferential:
    """d(Br/d^2)/dq^2 dcos(theta) of a three-body channel (dimensionless: GeV^2 per GeV^2);
    ``m_n`` may be an array that broadcasts against q^2 (several masses at once)."""
    if info.kind == "neutral-pseudoscalar":
        ff = _form_factor(info, form_factor)
        assert info.br_gg is not None
        br_gg = info.br_gg

        def neutral(q2: FloatArray, c: FloatArray) -> FloatArray:
            f2 = 1.0 if ff is None else ff(q2)
            return neutral_pseudoscalar_d2br(info.mass, br_gg, m_n, 1.0, q2, c, f2)

        return neutral
    m_l = lepton_mass(flavour)
    scale = 1.0 / info.width
    assert info.decay_constant is not None
    assert info.ckm is not None
    f_p, v_ckm = info.decay_constant, info.ckm

    def charged(q2: FloatArray, c: FloatArray) -> FloatArray:
        return scale * charged_pseudoscalar_d2width(
            info.mass, f_p, v_ckm, m_l, m_n, 1.0, q2, c, G_FERMI
        )

    return charged


def _checked(name: str, m_n: float, flavour: str, form_factor: str) -> tuple[MesonChannel, float]:
    """The channel and m_N (GeV) of a call, after checking the channel name, the flavour, the
    form factor and the mass (in that order)."""
    info = _check_channel(name)
    _check_flavour(flavour)
    _check_form_factor(form_factor)
    return info, _check_mass(m_n)


def _three_body(
    info: MesonChannel, m_n: float, flavour: str, form_factor: str
) -> tuple[float, float, float, DoubleDifferential]:
    """(m_parent, m_recoil, m_N, d2_rate): the leading arguments of
    :func:`~nudipole.physics.mesons.parent_frame_energy_nodes` and
    :func:`~nudipole.physics.mesons.parent_frame_rate_error` for a three-body channel."""
    return info.mass, _recoil_mass(info, flavour), m_n, _d2_rate(info, m_n, flavour, form_factor)


def br_per_d2(
    name: str,
    m_n: float,
    flavour: str,
    form_factor: str = "point",
    order: int = DEFAULT_Q2_ORDER,
) -> float:
    """Branching ratio per d^2 (GeV^2) of the listed parent into Nbar + X; 0 where closed.

    One charge state (the N from the CP-conjugate decay comes on top, at the same rate).
    ``order``: Gauss-Legendre nodes in q^2 for three-body channels; the result equals the sum
    of the weights of :func:`energy_nodes` at the same order.
    """
    info, mass = _checked(name, m_n, flavour, form_factor)
    if not allowed(name, mass, flavour):
        return 0.0
    if info.kind == "vector":
        assert info.br_ee is not None
        return float(info.br_ee * vector_br_over_br_ee(info.mass, mass, 1.0, ALPHA_EM))
    if info.kind == "neutral-pseudoscalar":
        assert info.br_gg is not None
        ff = _form_factor(info, form_factor)
        peak = _peak(info, form_factor)
        return float(neutral_pseudoscalar_br(info.mass, info.br_gg, mass, 1.0, ff, order, peak))
    assert info.decay_constant is not None
    assert info.ckm is not None
    width = charged_pseudoscalar_width(
        info.mass, info.decay_constant, info.ckm, lepton_mass(flavour), mass, 1.0, G_FERMI, order
    )
    return float(width) / info.width


def energy_nodes(
    name: str,
    m_n: float,
    flavour: str,
    form_factor: str = "point",
    order: int = DEFAULT_Q2_ORDER,
    angular_order: int = DEFAULT_ANGULAR_ORDER,
) -> tuple[FloatArray, FloatArray]:
    """Energy of N in the parent rest frame (GeV) as nodes with weights (GeV^2, per d^2).

    Two-body V decays: one node at (m_V^2 + m_N^2)/(2 m_V). Three-body decays: Gauss-Legendre
    nodes in (q^2, cos theta), up to 2 ``order`` in q^2 (3 ``order`` with the VMD peak of a
    form factor with a width) times ``angular_order``
    (:func:`nudipole.physics.mesons.parent_frame_energy_nodes`). The weights sum to
    :func:`br_per_d2` (same ``order``); every node lies in [m_N, E_max]. Closed channel:
    empty arrays.
    """
    info, mass = _checked(name, m_n, flavour, form_factor)
    if not allowed(name, mass, flavour):
        return np.zeros(0), np.zeros(0)
    if info.kind == "vector":
        energy = np.atleast_1d(vector_energy(info.mass, mass)).astype(float)
        weight = np.array([br_per_d2(name, mass, flavour)])
        return energy, weight
    return parent_frame_energy_nodes(
        *_three_body(info, mass, flavour, form_factor),
        order,
        angular_order,
        _peak(info, form_factor),
    )


def energy_nodes_many(
    name: str,
    masses: FloatArray,
    flavour: str,
    form_factor: str = "point",
    order: int = DEFAULT_Q2_ORDER,
    angular_order: int = DEFAULT_ANGULAR_ORDER,
) -> list[tuple[FloatArray, FloatArray]]:
    """:func:`energy_nodes` at every mass of ``masses`` (GeV, 1-d): the same nodes and
    weights, computed for all masses in one array pass
    (:func:`nudipole.physics.mesons.parent_frame_energy_nodes_many`) instead of one NumPy
    pass per mass. Masses where the channel is closed give empty arrays."""
    ms = np.atleast_1d(np.asarray(masses, dtype=float))
    info = _check_channel(name)
    if info.kind == "vector":
        return [energy_nodes(name, float(m), flavour, form_factor, order) for m in ms]
    checked = [_checked(name, float(m), flavour, form_factor)[1] for m in ms]
    ok = np.array([allowed(name, m, flavour) for m in checked], dtype=bool)
    out: list[tuple[FloatArray, FloatArray]] = [(np.zeros(0), np.zeros(0))] * ms.size
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return out
    m_open = ms[idx]
    rate = _d2_rate(info, m_open[:, None, None], flavour, form_factor)
    many = parent_frame_energy_nodes_many(
        info.mass,
        _recoil_mass(info, flavour),
        m_open,
        rate,
        order,
        angular_order,
        _peak(info, form_factor),
    )
    for i, nodes in zip(idx, many, strict=True):
        out[int(i)] = nodes
    return out


def br_error_estimate(
    name: str,
    m_n: float,
    flavour: str,
    form_factor: str = "point",
    order: int = DEFAULT_Q2_ORDER,
) -> float:
    """Quadrature error estimate of :func:`br_per_d2` at ``order`` (GeV^2): the difference to
    the rule with order + order // 2 nodes (0 for two-body and closed channels)."""
    info, mass = _checked(name, m_n, flavour, form_factor)
    if info.kind == "vector" or not allowed(name, mass, flavour):
        return 0.0
    return parent_frame_rate_error(
        *_three_body(info, mass, flavour, form_factor), order, _peak(info, form_factor)
    )


def energy_bins(
    name: str,
    m_n: float,
    flavour: str,
    form_factor: str = "point",
    n_bins: int = 8,
    order: int = DEFAULT_Q2_ORDER,
    angular_order: int = DEFAULT_ANGULAR_ORDER,
) -> tuple[FloatArray, FloatArray]:
    """The parent-frame energy distribution of N compressed to at most ``n_bins`` nodes.

    The accurate rule of :func:`energy_nodes` (``order`` x ``angular_order`` nodes, weights
    summing to :func:`br_per_d2` to about 1e-6) is sorted in E_N and cut into ``n_bins``
    groups of equal weight; each group becomes one node at its weighted mean energy with its
    summed weight. The total (the branching ratio) and the mean energy are exact for the
    accurate rule; only the spread inside a group is dropped, which the lab-frame integration
    (which needs E_N only through the N momentum and direction) does not resolve anyway.
    Two-body decays: the single exact node.
    """
    energy, weight = energy_nodes(name, m_n, flavour, form_factor, order, angular_order)
    if energy.size <= n_bins:
        return energy, weight
    if n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")
    order_e = np.argsort(energy)
    e, w = energy[order_e], weight[order_e]
    cum = np.cumsum(w)
    group = np.minimum((cum - 0.5 * w) / cum[-1] * n_bins, n_bins - 1).astype(np.int64)
    total = np.asarray(np.bincount(group, weights=w, minlength=n_bins), dtype=float)
    ok = total > 0.0
    mean_e = np.asarray(np.bincount(group, weights=w * e, minlength=n_bins), dtype=float)
    return mean_e[ok] / total[ok], total[ok]
