"""Expected 95 % CL upper limits on d from signal and background counts.

Test statistics, summed over independent energy points i, each point's background B_i known
to a relative uncertainty r (``background_uncertainty``, default 0; variance v_i = (r B_i)^2,
independent between points):

``chi2`` (the seed's, Sec. II.1-II.2): chi^2_i(d) = S_i^2 / (S_i + B_i + v_i)
    (:mod:`nudipole.stats.chi2`); the limit solves chi^2_tot(d95) - chi^2_tot(0) = Delta,
    with chi^2_tot(0) = 0.
``asimov`` (labelled alternative): the Poisson likelihood ratio for background-only Asimov
    data, the background profiled (:mod:`nudipole.stats.asimov`); for r = 0
    q_i(d) = 2 [S_i - B_i ln(1 + S_i / B_i)] (Cowan, Cranmer, Gross, Vitells, EPJC 71 (2011)
    1554, arXiv:1007.1727, Eq. 97 with mu' = 0), same Delta.
``poisson-cls`` (few events): the points are one counting bin; the limit solves
    sum_i S_i(d95) = S95(sum_i B_i, r), the median expected CLs limit
    (:func:`nudipole.stats.poisson.expected_signal_limit`; 2.996 events at B = 0, the "three
    events" of background-free searches).

Delta = 2.7055, the 90 % quantile of chi^2 with one degree of freedom (one-sided 95 % CL;
the seed rounds it to 2.71).

The signal model handles the long-lived regime, where S(d) is not proportional to d^2:
    S_i(d) = R_i d^2 sum_k w_ik [1 - exp(-kappa_ik d^2)],
with R_i the prompt-decay yield per unit d^2, w_ik acceptance weights and kappa_ik d^2 = L/l_dec
the ratio of the available flight path to the mean decay length. S is monotonic in d, so
the limit is found by safeguarded Newton iterations in ln d^2, vectorised over masses.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np

from nudipole.physics._types import ArrayLike, FloatArray
from nudipole.stats.asimov import exclusion_q, exclusion_slope
from nudipole.stats.chi2 import chi2_q, chi2_slope

#: One-sided 95 % CL threshold on Delta chi^2 (one parameter): the chi^2_1 quantile at 0.90,
#: (Phi^-1(0.95))^2, as ``scipy.stats.chi2.ppf(0.90, df=1)`` returns it (written out so that
#: importing nudipole does not import scipy.stats; tests/stats compare it with scipy's, ==).
DELTA_CHI2_95: Final[float] = 2.705543454095404

_T_LOW: Final[float] = np.log(1e-40)  # bounds on ln d^2, d in GeV^-1
_T_HIGH: Final[float] = np.log(1e10)


class Statistic(StrEnum):
    """Test statistic for the expected limit."""

    CHI2 = "chi2"
    ASIMOV = "asimov"
    #: Median expected CLs Poisson limit on the summed signal (few events).
    POISSON = "poisson-cls"
    #: Q = S summed over points: solves S(d) = threshold, for limits published as a cross
    #: section or a branching ratio (the threshold is then the excluded signal).
    SIGNAL = "signal"


#: The statistics a user chooses between for expected limits.
USER_STATISTICS: Final = (Statistic.CHI2, Statistic.ASIMOV, Statistic.POISSON)
#: Statistics whose Q is the summed signal (the threshold is a number of events or a signal).
SIGNAL_COUNTING: Final = (Statistic.SIGNAL, Statistic.POISSON)


def background_variance(background: ArrayLike, uncertainty: float) -> FloatArray:
    """v = (r B)^2 (events^2): the variance of a background of B events known to a relative
    uncertainty r."""
    return np.asarray((uncertainty * np.asarray(background, dtype=float)) ** 2)


def per_point_statistic(
    signal: ArrayLike,
    background: ArrayLike,
    statistic: Statistic,
    uncertainty: float = 0.0,
) -> FloatArray:
    """Per-point statistic for signal S >= 0 and background B >= 0 (events) whose relative
    uncertainty is ``uncertainty`` (see module docstring)."""
    s = np.asarray(signal, dtype=float)
    b = np.asarray(background, dtype=float)
    if statistic in SIGNAL_COUNTING:
        return np.asarray(s + 0.0 * b)
    v = background_variance(b, uncertainty)
    if statistic is Statistic.CHI2:
        return chi2_q(s, b, v)
    return exclusion_q(s, b, v)


def signal_counts(
    d2: ArrayLike, rate: FloatArray, weight: FloatArray, kappa: FloatArray
) -> FloatArray:
    """S(d) = R d^2 sum_k w_k [1 - exp(-kappa_k d^2)].

    Shapes: ``d2`` (M,), ``rate`` (M, P), ``weight`` and ``kappa`` (M, P, K); returns (M, P).
    """
    d2_ = np.asarray(d2, dtype=float)
    frac = -np.expm1(-kappa * d2_[:, None, None])
    return np.asarray(rate * d2_[:, None] * np.sum(weight * frac, axis=-1))


@dataclass(frozen=True)
class _Bins:
    """The bins of (M, P, K) templates that have weight, flattened (E,): each bin's mass and
    point index, weight and kappa. Empty bins add nothing to S; most are (a mass's kappa
    range spans all its points, each point fills a few of the bins), and leaving them out
    spares the exponentials that made most of the solver's time."""

    mass: np.ndarray
    point: np.ndarray
    weight: FloatArray
    kappa: FloatArray
    cell: np.ndarray  # mass x points + point: the (mass, point) of each bin, flattened

    @classmethod
    def of(cls, weight: FloatArray, kappa: FloatArray) -> _Bins:
        filled = weight != 0.0
        used = filled.any(axis=(0, 1))
        if not used.all():  # bins empty at every mass first (fixed length: one of 16)
            weight, kappa, filled = weight[..., used], kappa[..., used], filled[..., used]
        # flat indices, then (mass, point): one pass instead of a 3-d nonzero's three arrays
        flat = np.flatnonzero(filled)
        cell = flat // weight.shape[2]
        mass, point = np.divmod(cell, weight.shape[1])
        return cls(mass, point, weight.reshape(-1)[flat], kappa.reshape(-1)[flat], cell)

    def of_masses(self, masses: np.ndarray, n_masses: int, n_points: int) -> _Bins:
        """The bins of ``masses`` (increasing indices of the M masses), renumbered 0, 1, ..."""
        if masses.size == n_masses:
            return self
        new = np.full(n_masses, -1)
        new[masses] = np.arange(masses.size)
        keep = new[self.mass] >= 0
        mass = new[self.mass[keep]]
        point = self.point[keep]
        return _Bins(mass, point, self.weight[keep], self.kappa[keep], mass * n_points + point)


def _statistic_and_slope(
    t: FloatArray,
    rate: FloatArray,
    bins: _Bins,
    background: FloatArray,
    statistic: Statistic,
    uncertainty: float = 0.0,
) -> tuple[FloatArray, FloatArray]:
    """Total statistic Q(t) and dQ/dt at t = ln d^2 (one value per mass); ``rate`` and
    ``background`` (M, P), ``bins`` of those M masses."""
    d2 = np.exp(t)
    kd = bins.kappa * d2[bins.mass]
    frac = -np.expm1(-kd)
    expo = 1.0 - frac  # exp(-kd) to 1e-16 absolute: enough for the slope, one exp fewer
    sums = [
        np.bincount(bins.cell, weights=bins.weight * f, minlength=rate.size).reshape(rate.shape)
        for f in (frac, kd * expo)
    ]
    s = rate * d2[:, None] * sums[0]
    ds_dt = s + rate * d2[:, None] * sums[1]
    q = per_point_statistic(s, background, statistic, uncertainty)
    v = background_variance(background, uncertainty)
    if statistic in SIGNAL_COUNTING:
        dq_ds = np.ones_like(s)
    elif statistic is Statistic.CHI2:
        dq_ds = chi2_slope(s, background, v)
    else:
        dq_ds = exclusion_slope(s, background, v)
    return np.asarray(q.sum(axis=-1)), np.asarray((dq_ds * ds_dt).sum(axis=-1))


def solve_upper_limit(
    rate: FloatArray,
    weight: FloatArray,
    kappa: FloatArray,
    background: FloatArray,
    statistic: Statistic = Statistic.CHI2,
    threshold: float = DELTA_CHI2_95,
    start: FloatArray | None = None,
    tolerance: float = 1e-10,
    max_iterations: int = 100,
    uncertainty: float = 0.0,
) -> FloatArray:
    """Solve sum_i q_i(S_i(d), B_i) = threshold for d (GeV^-1), one value per mass.

    Newton's method on ln Q versus t = ln d^2, which is monotonic with slope between 1 and 4
    (S grows as d^2 to d^4, Q as S to S^2), safeguarded by bisection inside a bracket that
    is kept for every mass. Converges in a handful of steps.

    Parameters
    ----------
    rate
        (M, P) prompt-decay signal yield per unit d^2 (GeV^2).
    weight, kappa
        (M, P, K) acceptance weights and kappa = L m Gamma/(p d^2) (GeV^2) per bin.
    background
        (P,) or (M, P) expected background counts.
    start
        Optional first guess for d (M,), e.g. a previous solution.
    uncertainty
        Relative uncertainty r of every point's background (dimensionless, >= 0).

    Returns
    -------
    numpy.ndarray
        d95 per mass; NaN where no finite d reaches the threshold (no sensitivity).
    """
    b = np.broadcast_to(np.asarray(background, dtype=float), rate.shape)
    n = rate.shape[0]
    bins = _Bins.of(weight, kappa)
    lo = np.full(n, _T_LOW)
    hi = np.full(n, _T_HIGH)
    q_hi, _ = _statistic_and_slope(hi, rate, bins, b, statistic, uncertainty)
    reachable = q_hi >= threshold
    t = np.full(n, np.log(1e-10)) if start is None else 2.0 * np.log(np.asarray(start, float))
    t = np.where(np.isfinite(t), t, np.log(1e-10))
    log_thr = np.log(threshold)
    # only the masses still iterating are evaluated (each mass's iteration is its own, so
    # the result is the same as iterating all of them until the last converges)
    act = np.flatnonzero(reachable)
    for _ in range(max_iterations):
        if act.size == 0:
            break
        t_a, lo_a, hi_a = t[act], lo[act], hi[act]
        q, dq = _statistic_and_slope(
            t_a, rate[act], bins.of_masses(act, n, rate.shape[1]), b[act], statistic, uncertainty
        )
        above = q >= threshold
        hi_a = np.where(above, np.minimum(hi_a, t_a), hi_a)
        lo_a = np.where(above, lo_a, np.maximum(lo_a, t_a))
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.log(np.maximum(q, 1e-300)) - log_thr
            slope = np.where(q > 0, dq / np.maximum(q, 1e-300), 0.0)
            step = np.where(slope > 0, -g / slope, np.nan)
        t_new = t_a + step
        # a Newton step below the tolerance is convergence, even where rounding put t_a on
        # the bracket's end (q a hair below the threshold: lo = t_a, and t_a + step == lo)
        converged = np.abs(step) < tolerance
        bad = ~converged & (~np.isfinite(t_new) | (t_new <= lo_a) | (t_new >= hi_a))
        t_new = np.where(bad, 0.5 * (lo_a + hi_a), t_new)
        done = converged | (np.abs(t_new - t_a) < tolerance)
        t[act], lo[act], hi[act] = t_new, lo_a, hi_a
        act = act[~done]
    d95 = np.exp(0.5 * t)
    return np.asarray(np.where(reachable, d95, np.nan))


def limit_spread(
    d95: FloatArray,
    rate: FloatArray,
    weight_batches: FloatArray,
    kappa_batches: FloatArray,
    background: FloatArray,
    statistic: Statistic = Statistic.CHI2,
    threshold: float = DELTA_CHI2_95,
    uncertainty: float = 0.0,
) -> FloatArray:
    """Integration error on d95 from independent batches of events, linearised.

    Each batch b gives its own estimate of the statistic at the solution, Q_b(d95); the shift
    of the root is delta ln d = -(Q_b - threshold) / (2 dQ_b/dt). The error is the standard
    deviation of those shifts over sqrt(n_batch), times d95.

    ``weight_batches``, ``kappa_batches``: shape (M, P, n_batch, K).
    """
    _, p, n_b, k = weight_batches.shape
    d95 = np.asarray(d95, dtype=float)
    out = np.full(d95.shape, np.nan)
    # Only where there is a limit: elsewhere (no sensitivity) the statistic at any stand-in d
    # can overflow, and the spread is not defined.
    ok = np.isfinite(d95)
    m = int(ok.sum())
    if m == 0:
        return out
    t = np.repeat(2.0 * np.log(d95[ok]), n_b)
    w = np.moveaxis(weight_batches[ok], 2, 1).reshape(m * n_b, p, k)
    kap = np.moveaxis(kappa_batches[ok], 2, 1).reshape(m * n_b, p, k)
    r = np.repeat(rate[ok], n_b, axis=0)
    b = np.broadcast_to(np.asarray(background, dtype=float), rate.shape)[ok]
    q, dq = _statistic_and_slope(
        t, r, _Bins.of(w, kap), np.repeat(b, n_b, axis=0), statistic, uncertainty
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.where(dq > 0, -(q - threshold) / (2.0 * dq), np.nan).reshape(m, n_b)
    spread = np.std(shift, axis=1, ddof=1) / np.sqrt(n_b)
    out[ok] = spread * d95[ok]
    return out
