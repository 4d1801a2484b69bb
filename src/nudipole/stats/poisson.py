"""Poisson counting limits for experiments with few expected events (far detectors).

The expected 95 % CL limit on a signal S over a known background B is the CLs upper limit
(A. L. Read, J. Phys. G 28 (2002) 2693; PDG review "Statistics", Eq. 40.74 with the
modified frequentist CLs) evaluated for the median background-only outcome n = med(B):

    CLs(S) = P(n' <= n | S + B) / P(n' <= n | B) = 1 - CL.

For B = 0 the median outcome is n = 0 and CLs(S) = exp(-S), so S95 = -ln(0.05) = 2.9957:
the familiar "three events" of background-free searches. The `paper` preset of the LHC
studies uses exactly 3 events (talk; Barducci et al., arXiv:2308.16608).

A background known to a relative uncertainty r is averaged over (the hybrid Bayesian-frequentist
treatment of R. D. Cousins and V. L. Highland, NIM A 320 (1992) 331) with a gamma
density of mean B and standard deviation r B (shape 1/r^2, which keeps the mean background
positive). The background count is then negative binomial with mean B and variance
B + (r B)^2 (the Poisson-gamma mixture: M. Greenwood, G. U. Yule, J. R. Stat. Soc. 83
(1920) 255), and the count n = n_S + n_B has the cumulative distribution

    F(n | S, B, r) = sum_{j <= n} NB(j; 1/r^2, 1/(1 + r^2 B)) P(n - j | S),

with P the Poisson cumulative distribution. The median background-only outcome and both CLs
probabilities are taken from F; r = 0 gives the Poisson case above, and B = 0 gives
exp(-S) whatever r, hence S95 = 2.996 still. Being a median of a discrete count, the limit
is not monotonic in r: a large r can move the median count down and so strengthen the expected
limit (B = 0.9: median 0 and S95 = 2.996 for r = 1, against median 1 and S95 = 4.155 for r = 0).
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np

from nudipole.numerics import root_bracketed

# scipy.special and scipy.stats are imported where they are used, so that
# importing nudipole (and `nudipole --help`) does not load them.

#: Largest background (events) accepted: beyond it a Gaussian treatment is appropriate and the
#: Poisson sums here would be needlessly slow.
MAX_BACKGROUND: Final[float] = 1.0e7


#: Largest relative background uncertainty accepted (100 %: the background is then known
#: only to its order of magnitude).
MAX_UNCERTAINTY: Final[float] = 1.0
#: Standard deviations of the background count below its mean from which the convolution
#: of :func:`marginal_cdf` starts (the negative-binomial tail below is under 1e-100).
_TAIL_SIGMAS: Final[float] = 25.0


def _check_background(background: float) -> None:
    if not (math.isfinite(background) and 0.0 <= background <= MAX_BACKGROUND):
        raise ValueError(
            f"background must be a finite number of events in [0, {MAX_BACKGROUND:g}], "
            f"got {background!r}"
        )


def _check_uncertainty(uncertainty: float) -> None:
    if not (math.isfinite(uncertainty) and 0.0 <= uncertainty <= MAX_UNCERTAINTY):
        raise ValueError(
            f"relative background uncertainty must be a finite number in "
            f"[0, {MAX_UNCERTAINTY:g}], got {uncertainty!r}"
        )


def _smeared(background: float, uncertainty: float) -> bool:
    """Whether the gamma averaging changes anything: below r^2 B = 1e-200 the negative
    binomial is the Poisson distribution to that relative precision."""
    return background > 0.0 and uncertainty**2 * background > 1e-200


def _negative_binomial(background: float, uncertainty: float) -> tuple[float, float]:
    """(shape k, probability p) of the Poisson-gamma mixture with mean B, variance
    B + (r B)^2 (scipy's nbinom convention: mean k (1 - p)/p)."""
    k = 1.0 / uncertainty**2
    return k, 1.0 / (1.0 + background * uncertainty**2)


def _negative_binomial_pmf(j: np.ndarray, background: float, uncertainty: float) -> np.ndarray:
    """NB(j; k = 1/r^2, p = 1/(1 + r^2 B)) for integers j >= 0.

    ln NB = ln Gamma(k + j) - ln Gamma(k) - ln j! + k ln p + j ln(1 - p), with
    ln Gamma(k + j) - ln Gamma(k) - ln j! = -ln j - ln B(k, j) for j >= 1 (B the beta function):
    accurate also for the huge k of a small r, where the difference of ln Gamma loses digits.
    """
    from scipy.special import betaln

    y = uncertainty**2 * background
    k = 1.0 / uncertainty**2
    jj = np.maximum(j, 1).astype(float)
    log_pmf = np.where(
        j > 0,
        -np.log(jj) - betaln(k, jj) + jj * (math.log(y) - math.log1p(y)),
        0.0,
    ) - k * math.log1p(y)
    return np.asarray(np.exp(log_pmf))


def marginal_cdf(n: int, signal: float, background: float, uncertainty: float = 0.0) -> float:
    """P(n' <= n) for a Poisson signal of mean S plus a background of mean B known to a
    relative uncertainty r (gamma-averaged, module docstring). Counts in events."""
    from scipy.special import pdtr

    if n < 0:
        return 0.0
    if not _smeared(background, uncertainty):
        return float(pdtr(n, signal + background))
    sd = math.sqrt(background + (uncertainty * background) ** 2)
    j = np.arange(max(0, math.floor(background - _TAIL_SIGMAS * sd)), n + 1)
    return float(np.sum(_negative_binomial_pmf(j, background, uncertainty) * pdtr(n - j, signal)))


def background_median(background: float, uncertainty: float = 0.0) -> int:
    """Median background-only count (smallest n with F(n | 0, B, r) >= 1/2)."""
    _check_background(background)
    _check_uncertainty(uncertainty)
    if not _smeared(background, uncertainty):
        return poisson_median(background)
    from scipy.stats import nbinom

    # scipy's quantile as the first guess, corrected with the accurate distribution
    n = max(0, int(nbinom.ppf(0.5, *_negative_binomial(background, uncertainty))))
    while n > 0 and marginal_cdf(n - 1, 0.0, background, uncertainty) >= 0.5:
        n -= 1
    while marginal_cdf(n, 0.0, background, uncertainty) < 0.5:
        n += 1
    return n


def poisson_median(mean: float) -> int:
    """Median of a Poisson distribution with the given mean (smallest n with P(<= n) >= 1/2)."""
    if not (math.isfinite(mean) and mean >= 0.0):
        raise ValueError(f"Poisson mean must be a finite number >= 0, got {mean!r}")
    if mean == 0.0:
        return 0
    from scipy.special import pdtr

    # The median lies in [mean - ln 2, mean + 1/3] (Choi, Proc. AMS 121 (1994) 245).
    n = max(0, math.floor(mean - math.log(2.0)))
    while pdtr(n, mean) < 0.5:
        n += 1
    return n


def cls_signal_limit(
    background: float, n_observed: int, cl: float = 0.95, uncertainty: float = 0.0
) -> float:
    """CLs upper limit on the signal mean S for ``n_observed`` events over ``background``.

    Solves F(n | S, B, r) / F(n | 0, B, r) = 1 - cl for S (events), with F of
    :func:`marginal_cdf` (the Poisson CDF for a relative background uncertainty r = 0).
    """
    if not 0.0 < cl < 1.0:
        raise ValueError(f"confidence level must lie in (0, 1), got {cl!r}")
    _check_background(background)
    _check_uncertainty(uncertainty)
    if n_observed < 0:
        raise ValueError(f"observed count must be >= 0, got {n_observed}")
    alpha = 1.0 - cl
    p_b = marginal_cdf(n_observed, 0.0, background, uncertainty)

    def excess(s: float) -> float:
        return marginal_cdf(n_observed, s, background, uncertainty) / p_b - alpha

    hi = 3.0 + n_observed + 10.0 * math.sqrt(n_observed + background + 1.0)
    while excess(hi) > 0.0:
        hi *= 2.0
    return root_bracketed(excess, 0.0, hi, xtol=1e-12, rtol=1e-12)


def expected_signal_limit(background: float, cl: float = 0.95, uncertainty: float = 0.0) -> float:
    """Median expected CLs limit on the signal (events): :func:`cls_signal_limit` at the
    median background-only count (:func:`background_median`), for a background of
    ``background`` events known to a relative ``uncertainty``. Equals -ln(1 - cl) = 2.9957 at
    B = 0 whatever the uncertainty."""
    return cls_signal_limit(background, background_median(background, uncertainty), cl, uncertainty)
