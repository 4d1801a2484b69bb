"""Standard-Model inputs of the electroweak calculations, as one frozen parameter set.

Electroweak input scheme (:class:`EWScheme`, docs/electroweak.md "Input scheme")
---------------------------------------------------------------------------------
The tree-level amplitudes need three couplings: the photon's e (alpha = e^2 / 4 pi), the Z's
g_Z = g / c_w and the W's g. They are fixed by one of the schemes

``gmu`` (default)
    Weak couplings from G_F and the boson masses, g_Z^2 = 4 sqrt2 G_F M_Z^2 and
    g^2 = 4 sqrt2 G_F M_W^2 (so the four-fermion constants of Z and W exchange are both G_F,
    and Gamma(Z -> e+ e-) = G_F M_Z^3 (g_V^2 + g_A^2) / (6 sqrt2 pi) = 83.4 MeV against the
    measured 83.91 +- 0.12 MeV), with sin^2 theta_eff in the vector couplings: the improved
    Born approximation of the LEP Z-pole analyses (ALEPH, DELPHI, L3, OPAL, SLD, Phys. Rept. 427
    (2006) 257, arXiv:hep-ex/0509008, Sec. 1.4 / Eq. 1.37). A photon of virtuality s couples
    with the running alpha(s) = alpha(0) / (1 - Delta alpha(s)) (:meth:`SMParameters.alpha_photon`;
    alpha(M_Z^2) = 1/128.94).
``gmu-alpha0``
    The weak couplings of ``gmu`` with alpha(0) at the photon vertex: the inputs of the seed
    (Zhang, Song, Ding, Chen, PLB 829 (2022) 137116, arXiv:2204.07802: seed Eq. 3 with alpha(0),
    the SM background with G_F, PHYSICS.md §5), used by the ``paper`` preset.
``alpha0``
    Everything from alpha(0) and sin^2 theta_w: e^2 = 4 pi alpha(0), g = e / s_w,
    g_Z = e / (s_w c_w) (the couplings of the talk's cross-section slide, Zhang & Liu, PRD 107
    (2023) 095031, arXiv:2301.06050), and the four-fermion constants of the SM background and of
    Gamma(Z -> e+ e-) derived from the same couplings (Gamma_ee = 78.3 MeV).

Signal, SM background, N widths and the conversion of published Z branching-ratio limits all
take their couplings from :attr:`SMParameters.g_z_squared` / :attr:`SMParameters.fermi_neutral`
and :attr:`SMParameters.g_squared` / :attr:`SMParameters.fermi_charged`, so one scheme holds
for all of them. The photon that the SM background radiates is real and couples with alpha(0)
in every scheme.

Every function of :mod:`nudipole.physics` that needs Standard-Model numbers (couplings, boson
masses and widths, the weak mixing angle, alpha_s) takes one :class:`SMParameters` argument
``sm`` instead of a row of keyword arguments, as flavio passes one parameter set (D. M. Straub,
arXiv:1810.08132). :meth:`SMParameters.default` builds it from :mod:`nudipole.constants`
(CODATA via ``scipy.constants``, PDG via ``particle`` and the cited ``data/constants.toml``);
a user option such as ``--sin2w`` becomes ``dataclasses.replace(sm, sin2w=...)``, which
validates the new value like the constructor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from enum import StrEnum
from functools import lru_cache

import numpy as np

from nudipole.constants import (
    ALPHA_EM,
    ALPHA_S_MZ,
    DELTA_ALPHA_HAD5_MZ,
    DELTA_ALPHA_LEP_MZ,
    G_FERMI,
    GAMMA_W,
    GAMMA_Z,
    M_ELECTRON,
    M_W,
    M_Z,
    SIN2_THETA_W,
    pdg_mass_gev,
)
from nudipole.physics._types import ArrayLike, FloatArray


class EWScheme(StrEnum):
    """Electroweak input scheme (module docstring)."""

    GMU = "gmu"
    GMU_ALPHA0 = "gmu-alpha0"
    ALPHA0 = "alpha0"


#: Charged-lepton masses in GeV (e: CODATA; mu, tau: PDG via ``particle``) of the one-loop
#: leptonic running of alpha(s).
_LEPTON_MASSES: tuple[float, float, float] = (M_ELECTRON, pdg_mass_gev(13), pdg_mass_gev(15))


def leptonic_vacuum_polarization(s: ArrayLike, m_lepton: float, alpha: float) -> FloatArray:
    """One-loop Delta alpha(s) of a lepton of mass m at timelike s > 0 (real part), dimensionless.

    Re Pi(s) = (2 alpha / pi) Int_0^1 x (1 - x) ln|1 - x (1 - x) s / m^2| dx (Peskin & Schroeder,
    "An Introduction to QFT", Eq. 7.91, continued to s > 0), in closed form with
    beta^2 = 1 - 4 m^2 / s:

    * s > 4 m^2: (alpha / 3 pi) [-8/3 + beta^2 + beta (3 - beta^2)/2 ln((1 + beta)/(1 - beta))];
    * s < 4 m^2, b^2 = 4 m^2 / s - 1: (alpha / 3 pi) [-8/3 - b^2 + b (3 + b^2) arctan(1/b)],

    -> (alpha / 3 pi) [ln(s / m^2) - 5/3] for s >> m^2 (tested against the integral).
    """
    s_ = np.asarray(s, dtype=float)
    r = 4.0 * m_lepton**2 / s_
    above = r < 1.0
    beta = np.sqrt(np.where(above, 1.0 - r, 0.5))
    b = np.sqrt(np.where(above, 1.0, r - 1.0))
    # ln((1 + beta)/(1 - beta)) = 2 ln(1 + beta) - ln(r), as (1 - beta)(1 + beta) = r
    log = 2.0 * np.log1p(beta) - np.log(np.where(above, r, 1.0))
    high = -8.0 / 3.0 + beta**2 + 0.5 * beta * (3.0 - beta**2) * log
    low = -8.0 / 3.0 - b**2 + b * (3.0 + b**2) * np.arctan(1.0 / b)
    return np.asarray(alpha / (3.0 * np.pi) * np.where(above, high, low), dtype=float)


#: Range of sin^2 theta_w accepted (measured: about 0.23): at the ends of (0, 1) the coupling
#: ratios to d_gamma grow as 1/sin theta_w or 1/cos theta_w without bound and the cross sections
#: overflow.
SIN2W_RANGE: tuple[float, float] = (0.01, 0.99)


def check_sin2w(sin2w: float) -> float:
    """``sin2w`` if it lies in :data:`SIN2W_RANGE`, else ValueError naming ``--sin2w``."""
    lo, hi = SIN2W_RANGE
    if not lo <= sin2w <= hi:  # also NaN
        raise ValueError(
            f"--sin2w {sin2w:g}: sin^2(theta_w) must lie in [{lo:g}, {hi:g}] (measured: about 0.23)"
        )
    return sin2w


@dataclass(frozen=True, slots=True)
class SMParameters:
    """Standard-Model inputs (natural units, GeV).

    Attributes
    ----------
    alpha0
        Fine-structure constant alpha(0) (Thomson limit), dimensionless.
    g_fermi
        Fermi constant G_F in GeV^-2.
    m_z, gamma_z
        Z mass and total width in GeV.
    m_w, gamma_w
        W mass and total width in GeV.
    sin2w
        sin^2 theta_w of the fermion Z couplings g_V = T_3 - 2 Q sin^2 theta_w and of the
        dipole mixing d_gamma, d_Z (default: the effective leptonic angle, 0.23153).
    alpha_s
        alpha_s(M_Z) of the (1 + alpha_s/pi) factor of quark widths (>= 0; 0 switches it off).
    delta_alpha_lep_mz, delta_alpha_had5_mz
        Leptonic and five-flavour hadronic shifts of the on-shell QED coupling at M_Z^2
        (cited in ``data/constants.toml``), used by :meth:`alpha_photon` in scheme ``gmu``.
    scheme
        :class:`EWScheme` (a string is converted; module docstring).

    Raises
    ------
    ValueError
        On construction (and on :func:`dataclasses.replace`) for a non-finite or non-positive
        coupling, mass or width, a negative alpha_s, or sin^2 theta_w outside
        :data:`SIN2W_RANGE`; the message names the field.
    """

    alpha0: float
    g_fermi: float
    m_z: float
    gamma_z: float
    m_w: float
    gamma_w: float
    sin2w: float
    alpha_s: float
    delta_alpha_lep_mz: float = DELTA_ALPHA_LEP_MZ
    delta_alpha_had5_mz: float = DELTA_ALPHA_HAD5_MZ
    scheme: EWScheme = EWScheme.GMU

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "scheme", EWScheme(self.scheme))
        except ValueError:
            raise ValueError(
                f"--ew-scheme {self.scheme}: unknown electroweak scheme, choose one of "
                f"{', '.join(s.value for s in EWScheme)}"
            ) from None
        for f in fields(self):
            if f.name == "scheme":
                continue
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"SM parameter {f.name} must be a number, got {value!r}")
            if f.name != "sin2w" and not math.isfinite(value):  # sin2w: check_sin2w below
                raise ValueError(f"SM parameter {f.name} = {value!r} must be finite")
        for name in ("alpha0", "g_fermi", "m_z", "gamma_z", "m_w", "gamma_w"):
            if not getattr(self, name) > 0.0:
                raise ValueError(f"SM parameter {name} = {getattr(self, name)!r} must be > 0")
        if not self.alpha0 < 1.0:
            raise ValueError(f"SM parameter alpha0 = {self.alpha0!r} must be < 1")
        for name in ("alpha_s", "delta_alpha_lep_mz", "delta_alpha_had5_mz"):
            if getattr(self, name) < 0.0:
                raise ValueError(f"SM parameter {name} = {getattr(self, name)!r} must be >= 0")
        if not self.delta_alpha_lep_mz + self.delta_alpha_had5_mz < 0.5:
            raise ValueError("SM parameters: Delta alpha(M_Z^2) must be < 0.5 (measured: 0.059)")
        check_sin2w(self.sin2w)

    @classmethod
    def default(cls, scheme: EWScheme | str = EWScheme.GMU) -> SMParameters:
        """The inputs of :mod:`nudipole.constants`: alpha(0) and G_F (CODATA), M_Z, Gamma_Z,
        M_W, Gamma_W (PDG), sin^2 theta_eff (LEP/SLD), alpha_s(M_Z) (PDG) and the cited
        Delta alpha(M_Z^2), in the given scheme (default ``gmu``)."""
        return cls(
            alpha0=ALPHA_EM,
            g_fermi=G_FERMI,
            m_z=M_Z,
            gamma_z=GAMMA_Z,
            m_w=M_W,
            gamma_w=GAMMA_W,
            sin2w=SIN2_THETA_W,
            alpha_s=ALPHA_S_MZ,
            scheme=EWScheme(scheme),
        )

    @property
    def sin_w(self) -> float:
        """sin theta_w."""
        return math.sqrt(self.sin2w)

    @property
    def cos_w(self) -> float:
        """cos theta_w."""
        return math.sqrt(1.0 - self.sin2w)

    @property
    def weak_from_fermi(self) -> bool:
        """True when the Z and W couplings come from G_F (schemes ``gmu``, ``gmu-alpha0``)."""
        return self.scheme is not EWScheme.ALPHA0

    @property
    def g_z_squared(self) -> float:
        """g_Z^2 = g^2 / c_w^2 of the Z-fermion vertex g_Z (g_V - g_A gamma5) / 2, dimensionless.

        4 sqrt2 G_F M_Z^2 (G_F schemes; PDG review "Electroweak model", G_F / sqrt2 =
        g^2 / (8 M_W^2) with rho = 1 for the neutral current) or 4 pi alpha(0) / (s_w^2 c_w^2)
        (``alpha0``).
        """
        if self.weak_from_fermi:
            return 4.0 * math.sqrt(2.0) * self.g_fermi * self.m_z**2
        return 4.0 * math.pi * self.alpha0 / (self.sin2w * (1.0 - self.sin2w))

    @property
    def g_squared(self) -> float:
        """SU(2) coupling g^2 of the W vertex (g / sqrt2) gamma^mu P_L, dimensionless.

        4 sqrt2 G_F M_W^2 (G_F schemes; G_F / sqrt2 = g^2 / (8 M_W^2), PDG review "Electroweak
        model") or 4 pi alpha(0) / s_w^2 (``alpha0``).
        """
        if self.weak_from_fermi:
            return 4.0 * math.sqrt(2.0) * self.g_fermi * self.m_w**2
        return 4.0 * math.pi * self.alpha0 / self.sin2w

    @property
    def fermi_neutral(self) -> float:
        """Four-fermion constant of Z exchange, sqrt2 g_Z^2 / (8 M_Z^2), GeV^-2 (G_F in the G_F
        schemes)."""
        if self.weak_from_fermi:
            return self.g_fermi
        return math.sqrt(2.0) * self.g_z_squared / (8.0 * self.m_z**2)

    @property
    def fermi_charged(self) -> float:
        """Four-fermion constant of W exchange, sqrt2 g^2 / (8 M_W^2), GeV^-2 (G_F in the G_F
        schemes)."""
        if self.weak_from_fermi:
            return self.g_fermi
        return math.sqrt(2.0) * self.g_squared / (8.0 * self.m_w**2)

    @property
    def alpha_mz(self) -> float:
        """On-shell alpha(M_Z^2) = alpha(0) / (1 - Delta alpha_lep - Delta alpha_had^(5))."""
        return self.alpha0 / (1.0 - self.delta_alpha_lep_mz - self.delta_alpha_had5_mz)

    def delta_alpha(self, s: ArrayLike) -> FloatArray:
        """Delta alpha(s) of the on-shell QED coupling at timelike s > 0 (GeV^2), dimensionless.

        Delta alpha(M_Z^2) = Delta alpha_lep + Delta alpha_had^(5) (cited values), carried to s
        with the one-loop leptonic term (:func:`leptonic_vacuum_polarization`, exact masses)
        and five-flavour perturbative quarks, (alpha / 3 pi) N_c sum_q Q_q^2 (1 + alpha_s/pi)
        ln(s / M_Z^2) = (alpha / 3 pi) (11/3)(1 + alpha_s/pi) ln(s / M_Z^2) (one-loop QED beta
        function with the O(alpha_s) R ratio of the PDG review "Quantum Chromodynamics").
        Estimated accuracy below 10 GeV, where the quark resonances and thresholds are not
        resolved: ~2e-3 in Delta alpha (0.2 % in alpha).
        """
        s_ = np.asarray(s, dtype=float)
        mz2 = self.m_z**2
        lep = sum(
            leptonic_vacuum_polarization(s_, m, self.alpha0)
            - leptonic_vacuum_polarization(mz2, m, self.alpha0)
            for m in _LEPTON_MASSES
        )
        r_had = 11.0 / 3.0 * (1.0 + self.alpha_s / math.pi)
        had = self.alpha0 / (3.0 * math.pi) * r_had * np.log(s_ / mz2)
        total = self.delta_alpha_lep_mz + self.delta_alpha_had5_mz + lep + had
        return np.asarray(total, dtype=float)

    def alpha_photon(self, s: ArrayLike) -> FloatArray:
        """QED coupling of a photon exchanged at timelike s (GeV^2), dimensionless.

        ``gmu``: alpha(s) = alpha(0) / (1 - :meth:`delta_alpha`) (the Dyson-resummed vacuum
        polarisation; 1/128.94 at M_Z^2, 1/132.1 at 10.58 GeV, 1/133.6 at 4 GeV); other
        schemes: alpha(0).
        """
        s_ = np.asarray(s, dtype=float)
        if self.scheme is not EWScheme.GMU:
            return np.full_like(s_, self.alpha0)
        # The callers pass s per node, with few distinct values (one per energy point): the
        # vacuum polarisation is evaluated once per distinct s (same numbers).
        flat = s_.ravel()
        if flat.size > 1:
            if bool(np.all(flat == flat[0])):
                distinct, back = flat[:1], np.zeros(flat.size, dtype=np.intp)
            else:
                distinct, back = np.unique(flat, return_inverse=True)
            if distinct.size <= _FEW_ENERGIES:  # kept per (parameters, s), as below
                values = np.array([_alpha_gmu(self, float(x)) for x in distinct])
            else:
                values = self.alpha0 / (1.0 - self.delta_alpha(distinct))
            return np.asarray(values[back].reshape(s_.shape), dtype=float)
        # one s (the callers ask again per mass at the same energy point): kept per
        # (parameters, s), a pure function of both
        return np.asarray(_alpha_gmu(self, float(flat[0])), dtype=float).reshape(s_.shape)


#: Most distinct energies for which alpha(s) is looked up in the cache of :func:`_alpha_gmu`
#: one by one rather than computed as an array.
_FEW_ENERGIES = 128


@lru_cache(maxsize=1024)
def _alpha_gmu(params: SMParameters, s: float) -> float:
    """alpha(s) of :meth:`SMParameters.alpha_photon` in the ``gmu`` scheme at one s (GeV^2)."""
    return float(params.alpha0 / (1.0 - params.delta_alpha(np.array([s]))[0]))


#: The default parameter set (immutable; build variants with ``dataclasses.replace``).
SM: SMParameters = SMParameters.default()
