"""Meson channels that produce the heavy neutral lepton through the photon dipole: the catalogue.

Per channel: the parent meson and the inputs of its decay to Nbar (:class:`MesonChannel`), and
whether the channel is kinematically open (:func:`allowed`). The branching ratio per d^2 and
the energy distribution of N in the parent rest frame are in
:mod:`nudipole.production.meson_rates`; the formulas in :mod:`nudipole.physics.mesons` (talk
slide "Production at the LHC by Meson Decay"; Barducci, Liu, Titov, Wang, Zhang, PRD 108 (2023)
115009, arXiv:2308.16608; PHYSICS.md §10).

Channels (parent that gives Nbar)::

    pi0 eta etap            P0 -> gamma nu Nbar     (111, 221, 331)
    rho omega phi jpsi upsilon   V -> nu Nbar       (113, 223, 333, 443, 553)
    pi K D Ds B             P- -> gamma l- Nbar     (-211, -321, -411, -431, -521)

Inputs: ``data/mesons.toml`` (decay constants, Br(V -> e+e-), Br(P -> gamma gamma), effective
quark charges, CKM element names, VMD form-factor parameters, each with its source); masses,
total widths and c tau from the PDG tables of ``particle`` (as data/constants.toml [pdg] copies
them, :mod:`nudipole.constants`; tested against particle's table); CKM magnitudes from
:mod:`nudipole.constants`. The flavour only matters for P- (the charged lepton is l_flavour;
the channel is open when m_N + m_l < m_P, so tau opens for D_s and B, and for D below
m_N = m_D - m_tau = 0.093 GeV).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Final, Literal

from nudipole._parallel import once_per_key
from nudipole.constants import (
    CKM_MAGNITUDES,
    PDG_SOURCE,
    pdg_ctau_m,
    pdg_mass_gev,
    pdg_width_gev,
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
    # the copies of data/constants.toml [pdg] (particle's whole table costs 0.25 s)
    sources = [
        f"mass, width, ctau: PDG tables of the `particle` package (PDG id {pdgid}; "
        f"data/constants.toml [pdg] copies them: {PDG_SOURCE})"
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
        mass=pdg_mass_gev(pdgid),
        ctau_m=pdg_ctau_m(pdgid),
        width=pdg_width_gev(pdgid),
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


@once_per_key
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
