"""The result of a reach scan, with everything that produced it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nudipole.physics._types import FloatArray


@dataclass(frozen=True)
class BandEnd:
    """Where a closed band (an island in the (m_N, d) plane) ends in mass, between two
    scanned masses: the band at the mass ``mass`` (GeV), within ``tolerance`` (relative) of
    the mass at which the band vanishes, with its edges ``d95`` and ``d95_upper`` (GeV^-1;
    they meet where the island closes smoothly, and differ where a channel closes
    kinematically). ``side`` is "upper" if the band exists below ``mass`` and vanishes just
    above it, "lower" if it vanishes just below."""

    mass: float
    d95: float
    d95_upper: float
    side: str
    tolerance: float

    def __post_init__(self) -> None:
        if self.side not in ("upper", "lower"):
            raise ValueError(f"BandEnd side must be 'upper' or 'lower', got {self.side!r}")


@dataclass(frozen=True)
class ReachResult:
    """Expected 95 % CL upper limits on d versus m_N.

    Attributes
    ----------
    mass
        m_N in GeV.
    d95
        Expected 95 % CL limit on d in GeV^-1: the lower edge of the excluded region (for a
        collider experiment the upper limit); NaN where the experiment has no sensitivity.
    d95_error
        Integration (Monte Carlo) uncertainty on d95, GeV^-1 (NaN where not estimated).
    acceptance
        Luminosity-weighted cut acceptance (prompt decays) per mass, for inspection.
    inputs
        Every input: experiment (with its full definition and energy points), selection,
        preset conventions, statistic, sampler, seed, package version.
    d95_upper
        Upper edge of the excluded band, GeV^-1 (far detectors: above it N decays before it
        reaches the detector); NaN where there is none, which is the case for every collider
        experiment (their excluded region is d > d95). ``None`` on input means all NaN.
    band_ends
        Where each island of a banded result ends between two scanned masses
        (:class:`BandEnd`), so that its outline closes at the right mass rather than at the
        last scanned one; empty for one-sided limits.
    d95_upper_error
        Integration uncertainty on d95_upper, GeV^-1, by the same second rule as
        ``d95_error`` (far detectors); NaN where not estimated or there is no upper edge.
        ``None`` on input means all NaN.
    """

    mass: FloatArray
    d95: FloatArray
    d95_error: FloatArray
    acceptance: FloatArray
    inputs: dict[str, Any] = field(default_factory=dict)
    d95_upper: FloatArray | None = None
    band_ends: tuple[BandEnd, ...] = ()
    d95_upper_error: FloatArray | None = None

    def __post_init__(self) -> None:
        n = np.shape(self.mass)
        for name in ("d95_upper", "d95_upper_error"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.full(n, np.nan))
        for name in ("d95", "d95_error", "acceptance", "d95_upper", "d95_upper_error"):
            if np.shape(getattr(self, name)) != n:
                raise ValueError(f"{name} must have the shape of mass {n}")

    @property
    def upper(self) -> FloatArray:
        """Upper edge of the excluded band (all NaN for a one-sided limit)."""
        assert self.d95_upper is not None  # set in __post_init__
        return self.d95_upper

    @property
    def upper_error(self) -> FloatArray:
        """Integration uncertainty on the upper edge (all NaN where not estimated)."""
        assert self.d95_upper_error is not None  # set in __post_init__
        return self.d95_upper_error

    @property
    def is_band(self) -> bool:
        """True if the excluded region is a closed band [d95, d95_upper] at some mass."""
        return bool(np.any(np.isfinite(self.upper)))

    @property
    def label(self) -> str:
        inp = self.inputs
        return f"{inp.get('experiment', '?')} {inp.get('selection', '')} ({inp.get('preset', '')})"

    def best(self) -> tuple[float, float]:
        """(mass, d95) of the strongest limit; NaN if there is no sensitivity at all."""
        if np.all(np.isnan(self.d95)):
            return float("nan"), float("nan")
        i = int(np.nanargmin(self.d95))
        return float(self.mass[i]), float(self.d95[i])

    def band_samples(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(mass, d95, d95_upper) at every mass where the band is known, ascending: the
        scanned masses, and for each of :attr:`band_ends` its mass with its band and the mass
        ``tolerance`` beyond it, where the band had vanished (NaN). An edge of new ground at
        the end of a band is then bracketed to the end's tolerance, not to the grid."""
        points = {
            float(m): (float(lo), float(hi))
            for m, lo, hi in zip(self.mass, self.d95, self.upper, strict=True)
        }
        for end in self.band_ends:
            if not (math.isfinite(end.mass) and end.mass > 0.0):
                continue  # an end read from a damaged file: not a sample
            if 0.0 < end.tolerance < 1.0:
                step = end.tolerance if end.side == "upper" else -end.tolerance
                points.setdefault(end.mass * (1.0 + step), (math.nan, math.nan))
            points.setdefault(end.mass, (end.d95, end.d95_upper))
        masses = sorted(points)
        values = np.array([points[m] for m in masses], dtype=float).reshape(-1, 2)
        return np.array(masses, dtype=float), values[:, 0], values[:, 1]

    def at(self, mass: float) -> float:
        """d95 interpolated in log-log at ``mass`` (GeV); NaN outside the scanned range."""
        ok = ~np.isnan(self.d95)
        if ok.sum() < 2 or not self.mass[ok][0] <= mass <= self.mass[ok][-1]:
            exact = np.isclose(self.mass, mass, rtol=1e-12)
            return float(self.d95[exact][0]) if exact.any() else float("nan")
        return float(np.exp(np.interp(np.log(mass), np.log(self.mass[ok]), np.log(self.d95[ok]))))
