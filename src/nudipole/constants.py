"""Physical constants used inside nudipole, in natural units (GeV, hbar = c = 1).

Every number comes from a library (``scipy.constants`` for CODATA values, ``particle`` for
PDG masses and widths) or from the cited data file ``nudipole/data/constants.toml``. The four
CODATA values are in the ``[codata]`` table of that file, as ``scipy.constants`` gives them
(CODATA 2022, scipy 1.17), so that importing nudipole does not import scipy (0.2-0.4 s); the
PDG masses and widths of mu, tau, Z and W are in its ``[pdg]`` table, as ``particle`` gives
them, so that the e+ e- path does not load particle's whole table (0.2 s);
tests/test_constants.py checks both against the libraries to the last bit.
Lengths enter and leave the package in metres and are converted with :data:`HBARC_GEV_M`.
"""

from __future__ import annotations

import math
import threading
import tomllib
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any, Final


def _load_table() -> dict[str, dict[str, object]]:
    text = resources.files("nudipole.data").joinpath("constants.toml").read_text("utf-8")
    return tomllib.loads(text)


_TABLE: Final = _load_table()

#: CODATA 2022 values as ``scipy.constants`` gives them (module docstring), read from the
#: ``[codata]`` table of data/constants.toml under scipy's names.
CODATA: Final[Mapping[str, float]] = MappingProxyType(
    {
        name: float(value)  # type: ignore[arg-type]
        for name, value in _TABLE["codata"].items()
        if name not in ("description", "source")
    }
)

#: Fine-structure constant alpha(0) (CODATA, via scipy.constants).
ALPHA_EM: Final[float] = CODATA["fine_structure"]

#: Fermi constant G_F in GeV^-2 (CODATA, via scipy.constants).
G_FERMI: Final[float] = CODATA["Fermi coupling constant"]

#: hbar*c in GeV*m (CODATA, via scipy.constants): 1 GeV^-1 = HBARC_GEV_M metres.
HBARC_GEV_M: Final[float] = (
    CODATA["reduced Planck constant times c in MeV fm"] * (1e6 / 1e9) * 1e-15
)

_MEV_TO_GEV: Final[float] = 1e6 / 1e9

#: Electron mass in GeV (CODATA, via scipy.constants).
M_ELECTRON: Final[float] = CODATA["electron mass energy equivalent in MeV"] * _MEV_TO_GEV

#: Bohr magneton mu_B = e / (2 m_e) in GeV^-1 (natural units, e = sqrt(4 pi alpha)).
BOHR_MAGNETON_GEV: Final[float] = math.sqrt(4.0 * math.pi * ALPHA_EM) / (2.0 * M_ELECTRON)


#: The ``[pdg]`` tables of data/constants.toml by ``particle``'s attribute name (their units).
_PDG_KEYS: Final[Mapping[str, str]] = MappingProxyType(
    {"mass": "mass_mev", "width": "width_mev", "ctau": "ctau_mm"}
)


#: PDG masses and widths in MeV and c tau in mm by PDG id, as ``particle`` gives them (the
#: ``[pdg]`` table of data/constants.toml; tests/test_constants.py compares them with
#: particle's table).
def _pdg_table(attribute: str) -> Mapping[int, float]:
    rows: dict[str, float] = _TABLE["pdg"][_PDG_KEYS[attribute]]  # type: ignore[assignment]
    return MappingProxyType({int(k): float(v) for k, v in rows.items()})


PDG_TABLE: Final[Mapping[str, Mapping[int, float]]] = MappingProxyType(
    {attribute: _pdg_table(attribute) for attribute in _PDG_KEYS}
)
#: Where the ``[pdg]`` copies come from (their edition and the particle version).
PDG_SOURCE: Final[str] = str(_TABLE["pdg"]["source"])


#: Held while the ``particle`` package is asked for a particle: it reads its PDG table on first
#: use, and another thread asking meanwhile would find it half read (reach curves may run on
#: threads, :mod:`nudipole._parallel`).
PDG_LOCK: Final = threading.RLock()


def pdg_particle(pdgid: int) -> Any:
    """``particle.Particle.from_pdgid(pdgid)`` under :data:`PDG_LOCK`."""
    from particle import Particle  # loads the whole PDG table (0.2 s): only when needed

    with PDG_LOCK:
        return Particle.from_pdgid(pdgid)


def _pdg_gev(pdgid: int, attribute: str) -> float:
    """Mass or width of a particle in GeV from the PDG tables shipped with ``particle`` (the
    copy in :data:`PDG_TABLE` where it has the particle)."""
    known = PDG_TABLE[attribute].get(pdgid)
    if known is not None:
        return known * _MEV_TO_GEV
    value = getattr(pdg_particle(pdgid), attribute)
    if value is None:  # pragma: no cover - the PDG table always has these
        raise RuntimeError(f"PDG {attribute} of {pdgid} is missing")
    return float(value) * _MEV_TO_GEV


#: Z boson mass and width in GeV (PDG, via the ``particle`` package).
M_Z: Final[float] = _pdg_gev(23, "mass")
GAMMA_Z: Final[float] = _pdg_gev(23, "width")
#: W boson mass and width in GeV (PDG, via the ``particle`` package).
M_W: Final[float] = _pdg_gev(24, "mass")
GAMMA_W: Final[float] = _pdg_gev(24, "width")


#: Effective leptonic weak mixing angle (cited in data/constants.toml).
SIN2_THETA_W: Final[float] = float(_TABLE["sin2_theta_eff"]["value"])  # type: ignore[arg-type]

#: Hadronic five-flavour shift Delta alpha_had^(5)(M_Z^2) of the on-shell QED coupling
#: (Keshavarzi, Nomura, Teubner 2018, cited in data/constants.toml).
DELTA_ALPHA_HAD5_MZ: Final[float] = float(_TABLE["delta_alpha_had5_mz"]["value"])  # type: ignore[arg-type]

#: Leptonic shift Delta alpha_lep(M_Z^2) of the on-shell QED coupling, three loops
#: (Steinhauser 1998, cited in data/constants.toml).
DELTA_ALPHA_LEP_MZ: Final[float] = float(_TABLE["delta_alpha_lep_mz"]["value"])  # type: ignore[arg-type]

#: On-shell QED coupling at the Z pole, alpha(M_Z^2) = alpha(0) / (1 - Delta alpha_lep -
#: Delta alpha_had^(5)) = 1/128.94 (the two cited shifts above; the top quark's is < 1e-4).
ALPHA_MZ: Final[float] = ALPHA_EM / (1.0 - DELTA_ALPHA_LEP_MZ - DELTA_ALPHA_HAD5_MZ)

#: Strong coupling alpha_s(M_Z), MS-bar (PDG world average, cited in data/constants.toml).
ALPHA_S_MZ: Final[float] = float(_TABLE["alpha_s_mz"]["value"])  # type: ignore[arg-type]

#: CKM magnitudes |V_ij|, keys "ud", "us", ..., "tb" (PDG global fit, data/constants.toml).
CKM_MAGNITUDES: Final[Mapping[str, float]] = MappingProxyType(
    {
        key: float(value)  # type: ignore[arg-type]
        for key, value in _TABLE["ckm_magnitudes"].items()
        if key not in ("description", "source")
    }
)


def pdg_mass_gev(pdgid: int) -> float:
    """Mass in GeV of the particle with PDG id ``pdgid`` (PDG tables via ``particle``).

    Quark ids 1-6 return the PDG quoted masses (MS-bar for u, d, s, c, b; the direct
    measurement for t).
    """
    return _pdg_gev(pdgid, "mass")


def pdg_width_gev(pdgid: int) -> float:
    """Total width in GeV of the particle with PDG id ``pdgid`` (PDG tables via ``particle``)."""
    return _pdg_gev(pdgid, "width")


def pdg_ctau_m(pdgid: int) -> float:
    """c tau in metres of the particle with PDG id ``pdgid`` (PDG tables via ``particle``,
    which derives it from the lifetime or the width); inf for a stable particle."""
    known = PDG_TABLE["ctau"].get(pdgid)
    value = known if known is not None else pdg_particle(pdgid).ctau
    if value is None or not math.isfinite(value):
        return math.inf
    return float(value) * 1e-3


def metres_to_natural(length_m: float) -> float:
    """Convert a length in metres to GeV^-1."""
    return length_m / HBARC_GEV_M


def natural_to_metres(length_gev: float) -> float:
    """Convert a length in GeV^-1 to metres."""
    return length_gev * HBARC_GEV_M
