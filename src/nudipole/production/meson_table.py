"""Meson channels that produce the heavy neutral lepton through the photon dipole.

Per channel: the branching ratio per d^2 (GeV^2) of the listed parent into a final state with
one Nbar, and the energy distribution of N in the parent rest frame as weighted nodes (all a
lab simulation needs: unpolarised parents emit N isotropically there). Formulas in
:mod:`nudipole.physics.meson_decays` (talk slide "Production at the LHC by Meson Decay";
Barducci, Liu, Titov, Wang, Zhang, PRD 108 (2023) 115009, arXiv:2308.16608; PHYSICS.md §10).

Channels (parent that gives Nbar)::

    pi0 eta etap            P0 -> gamma nu Nbar     (111, 221, 331)
    rho omega phi jpsi upsilon   V -> nu Nbar       (113, 223, 333, 443, 553)
    pi K D Ds B             P- -> gamma l- Nbar     (-211, -321, -411, -431, -521)

Inputs: ``data/mesons.toml`` (decay constants, Br(V -> e+e-), Br(P -> gamma gamma), effective
quark charges, CKM element names, VMD form-factor parameters, each with its source); masses,
total widths and c tau from the PDG tables of ``particle``; CKM magnitudes, alpha(0) and G_F
from :mod:`nudipole.constants`.

Vector mesons use the measured Br(V -> e+ e-): Br(V -> nu Nbar) = Br(V -> ee) x
d^2 m_V^2 (1-x)^2 (1+2x) / (4 pi alpha), alpha = alpha(0) (PHYSICS.md §10; the f_V form agrees,
see tests/physics/test_meson_decays.py). Charged pseudoscalars: Gamma / Gamma_total with the
``particle`` total width. The flavour only matters for P- (the charged lepton is l_flavour; the
channel is open when m_N + m_l < m_P, so tau opens for D_s and B, and for D below
m_N = m_D - m_tau = 0.093 GeV). ``form_factor`` only affects P0 channels.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import resources
from types import MappingProxyType
from typing import Final, Literal

import numpy as np
import particle as _particle_pkg
from particle import Particle

from nudipole.constants import ALPHA_EM, CKM_MAGNITUDES, G_FERMI, pdg_mass_gev
from nudipole.physics._types import FloatArray
from nudipole.physics.meson_decays import (
    DEFAULT_ANGULAR_ORDER,
    DEFAULT_Q2_ORDER,
    DoubleDifferential,
    charged_pseudoscalar_d2width,
    charged_pseudoscalar_width,
    neutral_pseudoscalar_br,
    neutral_pseudoscalar_d2br,
    parent_frame_energy_nodes,
    parent_frame_rate_error,
    vector_br_over_br_ee,
    vector_energy,
    vmd_form_factor_sq,
)

#: Channel names, in this order everywhere.
CHANNELS: Final[tuple[str, ...]] = (
    "pi0",
    "eta",
    "etap",
    "rho",
    "omega",
    "phi",
    "jpsi",
    "upsilon",
    "pi",
    "K",
    "D",
    "Ds",
    "B",
)
#: Dipole flavours; for P- channels the charged lepton of that flavour.
FLAVOURS: Final[tuple[str, ...]] = ("e", "mu", "tau")
#: Transition form factor of P0 -> gamma gamma*: point-like or vector-meson dominance.
FORM_FACTORS: Final[tuple[str, ...]] = ("point", "vmd")
KINDS: Final[tuple[str, ...]] = ("vector", "neutral-pseudoscalar", "charged-pseudoscalar")

Kind = Literal["vector", "neutral-pseudoscalar", "charged-pseudoscalar"]

_LEPTON_PDGID: Final[Mapping[str, int]] = MappingProxyType({"e": 11, "mu": 13, "tau": 15})
_MEV: Final[float] = 1.0e-3  # GeV per MeV
_MM: Final[float] = 1.0e-3  # m per mm


@dataclass(frozen=True)
class MesonChannel:
    """One production channel: the parent meson and the inputs of its decay to Nbar.

    Units: mass, width, decay_constant, vmd_pole_mass, vmd_pole_width in GeV; ctau_m in metres
    (inf for a stable particle); branching fractions dimensionless. ``None`` where an input
    does not apply to the channel's kind. ``sources`` lists where every number comes from.
    """

    name: str
    pdgid: int
    kind: Kind
    mass: float
    ctau_m: float
    width: float
    label: str
    sources: tuple[str, ...]
    decay_constant: float | None = None
    br_ee: float | None = None
    width_ee: float | None = None
    br_gg: float | None = None
    charge_factor: float | None = None
    ckm_key: str | None = None
    ckm: float | None = None
    vmd_pole_mass: float | None = None
    vmd_pole_width: float | None = None

    @property
    def ctau(self) -> float:
        """c tau in metres (same as ``ctau_m``)."""
        return self.ctau_m


def _entry(table: Mapping[str, object], key: str, name: str) -> tuple[float, str]:
    sub = table.get(key)
    if not isinstance(sub, Mapping) or "value" not in sub or "source" not in sub:
        raise RuntimeError(f"data/mesons.toml: [{name}.{key}] needs 'value' and 'source'")
    return float(sub["value"]), f"{key}: {sub['source']}"


def _optional(table: Mapping[str, object], key: str, name: str) -> tuple[float | None, str]:
    if key not in table:
        return None, ""
    return _entry(table, key, name)


def _build(name: str, table: Mapping[str, object]) -> MesonChannel:
    pdgid = int(table["pdgid"])  # type: ignore[call-overload]
    kind = str(table["kind"])
    if kind not in KINDS:
        raise RuntimeError(f"data/mesons.toml: [{name}] has unknown kind {kind!r}")
    part = Particle.from_pdgid(pdgid)
    if part.mass is None or part.width is None:  # pragma: no cover - PDG has them
        raise RuntimeError(f"particle has no mass/width for PDG id {pdgid}")
    ctau_mm = part.ctau
    ctau_m = math.inf if ctau_mm is None or not math.isfinite(ctau_mm) else ctau_mm * _MM
    sources = [
        f"mass, width, ctau: PDG tables of the `particle` package {_particle_pkg.__version__} "
        f"({part.name}, PDG id {pdgid})"
    ]
    values: dict[str, float | None] = {}
    for key in (
        "decay_constant",
        "br_ee",
        "width_ee",
        "br_gg",
        "charge_factor",
        "vmd_pole_mass",
        "vmd_pole_width",
    ):
        value, src = _optional(table, key, name)
        values[key] = value
        if src:
            sources.append(src)
    ckm_key = table.get("ckm")
    ckm = None
    if ckm_key is not None:
        ckm = CKM_MAGNITUDES[str(ckm_key)]
        sources.append(
            f"|V_{ckm_key}| = {ckm}: data/constants.toml ckm_magnitudes (PDG 2022 global fit)"
        )
    required = {
        "vector": ("br_ee", "decay_constant", "charge_factor"),
        "neutral-pseudoscalar": ("br_gg", "vmd_pole_mass", "vmd_pole_width"),
        "charged-pseudoscalar": ("decay_constant",),
    }[kind]
    missing = [key for key in required if values[key] is None]
    if missing or (kind == "charged-pseudoscalar" and ckm is None):
        raise RuntimeError(f"data/mesons.toml: [{name}] lacks {missing or ['ckm']}")
    return MesonChannel(
        name=name,
        pdgid=pdgid,
        kind=kind,  # type: ignore[arg-type]
        mass=float(part.mass) * _MEV,
        ctau_m=float(ctau_m),
        width=float(part.width) * _MEV,
        label=str(table["label"]),
        sources=tuple(sources),
        decay_constant=values["decay_constant"],
        br_ee=values["br_ee"],
        width_ee=values["width_ee"],
        br_gg=values["br_gg"],
        charge_factor=values["charge_factor"],
        ckm_key=None if ckm_key is None else str(ckm_key),
        ckm=ckm,
        vmd_pole_mass=values["vmd_pole_mass"],
        vmd_pole_width=values["vmd_pole_width"],
    )


@lru_cache(maxsize=1)
def _table() -> Mapping[str, MesonChannel]:
    text = resources.files("nudipole.data").joinpath("mesons.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    if set(raw) != set(CHANNELS):
        raise RuntimeError(f"data/mesons.toml must define exactly the channels {CHANNELS}")
    return MappingProxyType({name: _build(name, raw[name]) for name in CHANNELS})


@lru_cache(maxsize=4)
def lepton_mass(flavour: str) -> float:
    """Charged-lepton mass in GeV for flavour "e", "mu" or "tau" (PDG via ``particle``)."""
    _check_flavour(flavour)
    return pdg_mass_gev(_LEPTON_PDGID[flavour])


def _check_channel(name: str) -> MesonChannel:
    table = _table()
    if name not in table:
        raise ValueError(f"unknown meson channel {name!r}; choose from {', '.join(CHANNELS)}")
    return table[name]


def _check_flavour(flavour: str) -> None:
    if flavour not in FLAVOURS:
        raise ValueError(f"flavour={flavour!r} is not one of {', '.join(FLAVOURS)}")


def _check_mass(m_n: float) -> float:
    value = float(m_n)
    if not math.isfinite(value) or value < 0.0:
        raise ValueError(f"m_n={m_n!r} must be a finite HNL mass >= 0 in GeV")
    return value


def _check_form_factor(form_factor: str) -> None:
    if form_factor not in FORM_FACTORS:
        raise ValueError(f"form_factor={form_factor!r} is not one of {', '.join(FORM_FACTORS)}")


def channel_info(name: str) -> MesonChannel:
    """The :class:`MesonChannel` of ``name`` (one of :data:`CHANNELS`)."""
    return _check_channel(name)


def _recoil_mass(info: MesonChannel, flavour: str) -> float:
    return lepton_mass(flavour) if info.kind == "charged-pseudoscalar" else 0.0


def allowed(name: str, m_n: float, flavour: str) -> bool:
    """Whether the channel is kinematically open: m_N < m_parent (V, P0) or
    m_N + m_l < m_P (P-, l of ``flavour``)."""
    info = _check_channel(name)
    _check_flavour(flavour)
    mass = _check_mass(m_n)
    return mass + _recoil_mass(info, flavour) < info.mass


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


def _d2_rate(info: MesonChannel, m_n: float, flavour: str, form_factor: str) -> DoubleDifferential:
    """d(Br/d^2)/dq^2 dcos(theta) of a three-body channel (dimensionless: GeV^2 per GeV^2)."""
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
    info = _check_channel(name)
    _check_flavour(flavour)
    _check_form_factor(form_factor)
    mass = _check_mass(m_n)
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

    Two-body V decays: one node at (m_V^2 + m_N^2)/(2 m_V). Three-body decays:
    ``order`` x ``angular_order`` Gauss-Legendre nodes in (q^2, cos theta)
    (:func:`nudipole.physics.meson_decays.parent_frame_energy_nodes`). The weights sum to
    :func:`br_per_d2` (same ``order``); every node lies in [m_N, E_max]. Closed channel:
    empty arrays.
    """
    info = _check_channel(name)
    _check_flavour(flavour)
    _check_form_factor(form_factor)
    mass = _check_mass(m_n)
    if not allowed(name, mass, flavour):
        return np.zeros(0), np.zeros(0)
    if info.kind == "vector":
        energy = np.atleast_1d(vector_energy(info.mass, mass)).astype(float)
        weight = np.array([br_per_d2(name, mass, flavour)])
        return energy, weight
    return parent_frame_energy_nodes(
        info.mass,
        _recoil_mass(info, flavour),
        mass,
        _d2_rate(info, mass, flavour, form_factor),
        order,
        angular_order,
        _peak(info, form_factor),
    )


def br_error_estimate(
    name: str,
    m_n: float,
    flavour: str,
    form_factor: str = "point",
    order: int = DEFAULT_Q2_ORDER,
) -> float:
    """Quadrature error estimate of :func:`br_per_d2` at ``order`` (GeV^2): the difference to
    the rule with order + order // 2 nodes (0 for two-body and closed channels)."""
    info = _check_channel(name)
    _check_flavour(flavour)
    _check_form_factor(form_factor)
    mass = _check_mass(m_n)
    if info.kind == "vector" or not allowed(name, mass, flavour):
        return 0.0
    return parent_frame_rate_error(
        info.mass,
        _recoil_mass(info, flavour),
        mass,
        _d2_rate(info, mass, flavour, form_factor),
        order,
        _peak(info, form_factor),
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
