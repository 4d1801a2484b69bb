"""A forward production spectrum: the non-zero bins of a FORESEE table (:class:`Spectrum`).

Format of the tables and where they come from: :mod:`nudipole.production.spectra`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Final

import numpy as np

from nudipole.constants import pdg_particle
from nudipole.physics._types import FloatArray

#: Bin width of the FORESEE tables in log10(theta/rad) and log10(p/GeV).
FORESEE_BIN_WIDTH: Final[float] = 0.05


class SpectrumError(ValueError):
    """A production spectrum is missing or malformed (one line: what, where, how to fix)."""


def particle_name(pdgid: int) -> str:
    """PDG name of ``pdgid`` from the ``particle`` package, or ``"PDG <id>"`` if unknown."""
    # imported here: particle (0.06 s, and its table 0.2 s) is not needed to start up
    from particle import InvalidParticle, ParticleNotFound

    try:
        return str(pdg_particle(pdgid).name)
    except (ParticleNotFound, InvalidParticle):
        return f"PDG {pdgid}"


def _readonly(values: Any, name: str) -> FloatArray:
    arr = np.array(values, dtype=np.float64)
    if arr.ndim != 1:
        raise SpectrumError(f"Spectrum.{name} must be a 1-D array, got shape {arr.shape}")
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Spectrum:
    """Forward production spectrum: the non-zero bins of a FORESEE table.

    Attributes
    ----------
    pdgid, particle
        PDG id and name of the produced particle.
    generator, spectra_set
        Event generator, and the built-in set the table belongs to ("user" for a user's file).
    sqrt_s_gev
        pp centre-of-mass energy, GeV.
    log10_theta, log10_p, sigma_pb
        Read-only 1-D arrays over the non-zero bins: bin centres in log10(theta/rad) and
        log10(p/GeV), and the cross section in each bin, pb (all > 0).
    bin_width_log10
        Bin width in both logarithms (0.05 for FORESEE tables).
    source, origin
        Provenance (generator run or publication) and the file the table was read from.
    settings
        Generator settings of a table made by nudipole (empty otherwise).
    """

    pdgid: int
    particle: str
    generator: str
    spectra_set: str
    sqrt_s_gev: float
    log10_theta: FloatArray = field(repr=False)
    log10_p: FloatArray = field(repr=False)
    sigma_pb: FloatArray = field(repr=False)
    bin_width_log10: float = FORESEE_BIN_WIDTH
    source: str = ""
    origin: str = ""
    settings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("log10_theta", "log10_p", "sigma_pb"):
            object.__setattr__(self, name, _readonly(getattr(self, name), name))
        n = self.sigma_pb.size
        if self.log10_theta.size != n or self.log10_p.size != n:
            raise SpectrumError(
                f"Spectrum arrays differ in length: log10_theta {self.log10_theta.size}, "
                f"log10_p {self.log10_p.size}, sigma_pb {n}"
            )
        if not (np.all(np.isfinite(self.sigma_pb)) and np.all(self.sigma_pb > 0.0)):
            raise SpectrumError("Spectrum.sigma_pb must hold finite positive values (pb)")
        if not (np.all(np.isfinite(self.log10_theta)) and np.all(np.isfinite(self.log10_p))):
            raise SpectrumError("Spectrum.log10_theta and log10_p must be finite")
        width = float(self.bin_width_log10)
        if not (math.isfinite(width) and width > 0.0):
            raise SpectrumError(f"Spectrum.bin_width_log10 must be positive, got {width}")
        sqrt_s = float(self.sqrt_s_gev)
        if not (math.isfinite(sqrt_s) and sqrt_s > 0.0):
            raise SpectrumError(f"Spectrum.sqrt_s_gev must be positive (GeV), got {sqrt_s}")
        object.__setattr__(self, "bin_width_log10", width)
        object.__setattr__(self, "sqrt_s_gev", sqrt_s)
        object.__setattr__(self, "pdgid", int(self.pdgid))
        object.__setattr__(self, "settings", tuple(str(s) for s in self.settings))

    @property
    def total_pb(self) -> float:
        """Forward cross section, pb: the sum over bins (exactly rounded, math.fsum)."""
        return math.fsum(self.sigma_pb.tolist())

    @property
    def rows(self) -> int:
        """Number of non-zero bins."""
        return int(self.sigma_pb.size)

    def theta(self) -> FloatArray:
        """Bin-centre polar angles, rad (10**log10_theta)."""
        return np.asarray(10.0**self.log10_theta)

    def momentum(self) -> FloatArray:
        """Bin-centre momenta, GeV (10**log10_p)."""
        return np.asarray(10.0**self.log10_p)

    def restrict(self, theta_max: float) -> Spectrum:
        """The bins whose lower theta edge lies below ``theta_max`` (rad), the others dropped.

        Used to prune a spectrum to the angles a detector can see: a bin that reaches below
        ``theta_max`` is kept whole.
        """
        limit = float(theta_max)
        if not (math.isfinite(limit) and limit > 0.0):
            raise SpectrumError(f"theta_max must be a positive angle in rad, got {theta_max}")
        keep = self.log10_theta - 0.5 * self.bin_width_log10 < math.log10(limit)
        return replace(
            self,
            log10_theta=self.log10_theta[keep],
            log10_p=self.log10_p[keep],
            sigma_pb=self.sigma_pb[keep],
        )
