"""Asimov exclusion statistic of one counting bin, with a relative background uncertainty.

Likelihood of the on/off counting experiment (Cowan, Cranmer, Gross, Vitells, EPJC 71 (2011)
1554, arXiv:1007.1727, Sec. 5, the counting example with an auxiliary measurement):

    L(s', b') = Pois(n | s' + b') Pois(m | tau b'),

the auxiliary count m constraining the background with variance Delta_B^2 = b / tau. For the
expected (median) exclusion of a signal s the data are the background-only Asimov set n = b,
m = tau b, where the unconditional fit gives s' = 0, b' = b; the conditional fit with s' = s
maximises L over b' at the root of (1 + tau) b'^2 + ((1 + tau) s - (1 + tau) b) b' - tau b s
= 0, i.e. (with v = Delta_B^2)

    b'' = b + delta,   delta = -2 s b v / [(b + v)(x + b + s)],
    x = sqrt[(b + s)^2 - 4 s b v / (b + v)],

and q = -2 ln[L(s, b'') / L(0, b)] is

    q(s; b, v) = 2 b h((s + delta)/b) + 2 (b^2 / v) h(delta/b),   h(y) = y - ln(1 + y).

This is the Asimov exclusion significance with an uncertain background, Z_excl^2 = q, of
Kumar & Martin, PRD 92 (2015) 115018, arXiv:1510.03456, in the form

    Z_excl^2 = 2 {s - b ln[(b + s + x)/(2b)] - (b^2/v) ln[(b - s + x)/(2b)]}
               - (b + s - x)(1 + b/v),

which Bhattiprolu, Martin, Wells, EPJC 81 (2021) 123, arXiv:2009.07249, quote as
"Z^KM_excl" (the likelihood-ratio Asimov approximation for exclusion, known and uncertain
background) and compare with their exact Asimov significance. Neither paper's equation
number could be read (no full text of either was reachable; the search is listed in
docs/conventions.md); the identity of this closed form with Z^KM_excl as BMW's own package
evaluates it (Zstats, function ZexclAsimovKM) is checked to 1e-9 in
tests/stats/test_systematics.py. Here it is written with h so that it stays accurate for
small s/b and small v (the form above loses all digits there). Limits (tested in
tests/stats/test_systematics.py):

* v -> 0: q = 2 [s - b ln(1 + s/b)], the known-background Asimov statistic of
  :mod:`nudipole.stats.limits` (Cowan et al., Eq. 97 with the roles of the hypotheses
  exchanged);
* b -> 0: q = 2 s;
* s << b: q = s^2 / (b + v), the Gaussian form behind :mod:`nudipole.stats.chi2`.

The slope follows from the envelope theorem (b'' maximises L at fixed s):
dq/ds = 2 (s + delta) / (s + b + delta), 2 s/(s + b) for v = 0.
"""

from __future__ import annotations

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray

#: Relative variances v/b^2 below this count as zero: the profile then changes q by a relative
#: amount of order v/b^2 (and b^2/v would overflow).
_NEGLIGIBLE_VARIANCE = 1.0e-24
#: Below this |y| the function h(y) = y - ln(1 + y) is summed as a series (the difference
#: would lose all digits); the series' first omitted term is below 1e-17 relative there.
_SERIES_BELOW = 1.0e-3


def h(y: ArrayLike) -> FloatArray:
    """h(y) = y - ln(1 + y) >= 0 for y > -1, accurate also for |y| << 1 (dimensionless)."""
    y_ = np.asarray(y, dtype=float)
    small = np.abs(y_) < _SERIES_BELOW
    ys = np.where(small, y_, 0.0)
    series = ys**2 * (1 / 2 - ys * (1 / 3 - ys * (1 / 4 - ys * (1 / 5 - ys / 6))))
    yb = np.where(small, 1.0, y_)
    direct = yb - np.log1p(yb)
    return np.asarray(np.where(small, series, direct))


def profiled_shift(signal: ArrayLike, background: ArrayLike, variance: ArrayLike) -> FloatArray:
    """delta = b'' - b (events, <= 0): the conditional background fit under signal s on the
    background-only Asimov data (module docstring). Zero where v = 0 or b = 0."""
    s = np.asarray(signal, dtype=float)
    b = np.asarray(background, dtype=float)
    v = np.asarray(variance, dtype=float)
    live = (v > _NEGLIGIBLE_VARIANCE * b * b) & (b > 1e-12 * s) & (s > 0.0)
    s_ = np.where(live, s, 1.0)
    b_ = np.where(live, b, 1.0)
    v_ = np.where(live, v, 1.0)
    total = b_ + s_
    # 4 s b v / ((b + v)(b + s)^2) in [0, 1), as a product of fractions (no overflow)
    ratio = 4.0 * (s_ / total) * (b_ / total) * (v_ / (b_ + v_))
    x = total * np.sqrt(1.0 - ratio)
    delta = -2.0 * s_ * b_ * (v_ / (b_ + v_)) / (x + total)
    return np.asarray(np.where(live, delta, 0.0))


def exclusion_q(signal: ArrayLike, background: ArrayLike, variance: ArrayLike = 0.0) -> FloatArray:
    """Asimov exclusion statistic q(s; b, v) >= 0 (module docstring).

    Parameters
    ----------
    signal
        Expected signal s >= 0 (events).
    background
        Expected background b >= 0 (events).
    variance
        Variance of the background estimate, Delta_B^2 = (r b)^2 for a relative uncertainty r
        (events^2); 0 for a known background.
    """
    s = np.asarray(signal, dtype=float)
    b = np.asarray(background, dtype=float)
    v = np.broadcast_to(np.asarray(variance, dtype=float), np.broadcast(s, b).shape)
    v = np.where(v > _NEGLIGIBLE_VARIANCE * b * b, v, 0.0)
    delta = profiled_shift(s, b, v)
    # b << s: q = 2 s up to terms of relative size (b/s) ln(s/b) (and s/b would overflow)
    has_b = b > 1e-12 * s
    b_ = np.where(has_b, b, 1.0)
    stat = 2.0 * b_ * h((s + delta) / b_)
    v_ = np.where(v > 0.0, v, 1.0)
    syst = np.where(v > 0.0, 2.0 * (b_ * b_ / v_) * h(delta / b_), 0.0)
    q = np.where(has_b, stat + syst, 2.0 * s)
    return np.asarray(np.maximum(q, 0.0))


def exclusion_slope(
    signal: ArrayLike, background: ArrayLike, variance: ArrayLike = 0.0
) -> FloatArray:
    """dq/ds = 2 (s + delta)/(s + b + delta) (1/events; envelope theorem, module docstring)."""
    s = np.asarray(signal, dtype=float)
    b = np.asarray(background, dtype=float)
    delta = profiled_shift(s, b, variance)
    total = s + b + delta
    return np.asarray(
        np.divide(2.0 * (s + delta), total, out=np.zeros(np.shape(total)), where=total > 0.0)
    )
