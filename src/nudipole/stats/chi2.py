"""The seed's chi^2 of one energy point, with an optional background variance.

The seed (Zhang, Song, Ding, Chen, PLB 829 (2022) 137116, arXiv:2204.07802, Sec. II.1-II.2)
uses chi^2 = S^2 / (S + B): the squared signal over the Poisson variance of the count. A
background known only to a variance Delta_B^2 = (r B)^2 (relative uncertainty r) adds that
variance:

    chi^2(S; B, v) = S^2 / (S + B + v),   v = Delta_B^2.

For S << B it is the leading term of the profiled Asimov statistic q = S^2 / (B + v)
(:mod:`nudipole.stats.asimov`: Z^KM_excl of Kumar & Martin, PRD 92 (2015) 115018,
arXiv:1510.03456, as quoted by Bhattiprolu, Martin, Wells, EPJC 81 (2021) 123,
arXiv:2009.07249), the usual Gaussian significance Z = S / sqrt(B + Delta_B^2) with the
signal's own fluctuation kept as in the seed. v = 0 gives the seed's form exactly.

Slope: d chi^2/dS = S (S + 2 (B + v)) / (S + B + v)^2.
"""

from __future__ import annotations

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray


def chi2_q(signal: ArrayLike, background: ArrayLike, variance: ArrayLike = 0.0) -> FloatArray:
    """chi^2 = S^2 / (S + B + v) (dimensionless; S, B in events, v in events^2); 0 where the
    denominator vanishes."""
    s = np.asarray(signal, dtype=float)
    total = s + np.asarray(background, dtype=float) + np.asarray(variance, dtype=float)
    return np.asarray(np.divide(s**2, total, out=np.zeros(np.shape(total)), where=total > 0))


def chi2_slope(signal: ArrayLike, background: ArrayLike, variance: ArrayLike = 0.0) -> FloatArray:
    """d chi^2 / dS = S (S + 2 (B + v)) / (S + B + v)^2 (1/events)."""
    s = np.asarray(signal, dtype=float)
    rest = np.asarray(background, dtype=float) + np.asarray(variance, dtype=float)
    total = s + rest
    safe = np.where(total > 0, total, 1.0)
    # as two ratios (each at most 2): no overflow for a huge background, no underflow of
    # total^2 for a tiny one
    return np.asarray(np.where(total > 0, (s / safe) * ((s + 2.0 * rest) / safe), 0.0))
