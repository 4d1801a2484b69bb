"""Standard-Model inputs of the electroweak calculations, as one frozen parameter set.

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

from nudipole.constants import (
    ALPHA_EM,
    ALPHA_S_MZ,
    G_FERMI,
    GAMMA_W,
    GAMMA_Z,
    M_W,
    M_Z,
    SIN2_THETA_W,
)

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

    def __post_init__(self) -> None:
        for f in fields(self):
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
        if self.alpha_s < 0.0:
            raise ValueError(f"SM parameter alpha_s = {self.alpha_s!r} must be >= 0")
        check_sin2w(self.sin2w)

    @classmethod
    def default(cls) -> SMParameters:
        """The inputs of :mod:`nudipole.constants`: alpha(0) and G_F (CODATA), M_Z, Gamma_Z,
        M_W, Gamma_W (PDG), sin^2 theta_eff (LEP/SLD) and alpha_s(M_Z) (PDG)."""
        return cls(
            alpha0=ALPHA_EM,
            g_fermi=G_FERMI,
            m_z=M_Z,
            gamma_z=GAMMA_Z,
            m_w=M_W,
            gamma_w=GAMMA_W,
            sin2w=SIN2_THETA_W,
            alpha_s=ALPHA_S_MZ,
        )

    @property
    def sin_w(self) -> float:
        """sin theta_w."""
        return math.sqrt(self.sin2w)

    @property
    def cos_w(self) -> float:
        """cos theta_w."""
        return math.sqrt(1.0 - self.sin2w)


#: The default parameter set (immutable; build variants with ``dataclasses.replace``).
SM: SMParameters = SMParameters.default()
