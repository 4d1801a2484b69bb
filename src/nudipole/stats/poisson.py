"""Poisson counting limits for experiments with few expected events (far detectors).

The expected 95 % CL limit on a signal S over a known background B is the CLs upper limit
(A. L. Read, J. Phys. G 28 (2002) 2693; PDG review "Statistics", Eq. 40.74 with the
modified frequentist CLs) evaluated for the median background-only outcome n = med(B):

    CLs(S) = P(n' <= n | S + B) / P(n' <= n | B) = 1 - CL.

For B = 0 the median outcome is n = 0 and CLs(S) = exp(-S), so S95 = -ln(0.05) = 2.9957:
the familiar "three events" of background-free searches. The `paper` preset of the LHC
studies uses exactly 3 events (talk; Barducci et al., arXiv:2308.16608).
"""

from __future__ import annotations

import math
from typing import Final

from scipy.optimize import brentq
from scipy.special import pdtr

#: Largest background (events) accepted: beyond it a Gaussian treatment is appropriate and the
#: Poisson sums here would be needlessly slow.
MAX_BACKGROUND: Final[float] = 1.0e7


def _check_background(background: float) -> None:
    if not (math.isfinite(background) and 0.0 <= background <= MAX_BACKGROUND):
        raise ValueError(
            f"background must be a finite number of events in [0, {MAX_BACKGROUND:g}], "
            f"got {background!r}"
        )


def poisson_median(mean: float) -> int:
    """Median of a Poisson distribution with the given mean (smallest n with P(<= n) >= 1/2)."""
    if not (math.isfinite(mean) and mean >= 0.0):
        raise ValueError(f"Poisson mean must be a finite number >= 0, got {mean!r}")
    if mean == 0.0:
        return 0
    # The median lies in [mean - ln 2, mean + 1/3] (Choi, Proc. AMS 121 (1994) 245).
    n = max(0, math.floor(mean - math.log(2.0)))
    while pdtr(n, mean) < 0.5:
        n += 1
    return n


def cls_signal_limit(background: float, n_observed: int, cl: float = 0.95) -> float:
    """CLs upper limit on the signal mean S for ``n_observed`` events over ``background``.

    Solves P(n' <= n | S + B) / P(n' <= n | B) = 1 - cl for S (events).
    """
    if not 0.0 < cl < 1.0:
        raise ValueError(f"confidence level must lie in (0, 1), got {cl!r}")
    _check_background(background)
    if n_observed < 0:
        raise ValueError(f"observed count must be >= 0, got {n_observed}")
    alpha = 1.0 - cl
    p_b = pdtr(n_observed, background)

    def excess(s: float) -> float:
        return float(pdtr(n_observed, s + background) / p_b - alpha)

    hi = 3.0 + n_observed + 10.0 * math.sqrt(n_observed + background + 1.0)
    while excess(hi) > 0.0:
        hi *= 2.0
    return float(brentq(excess, 0.0, hi, xtol=1e-12, rtol=1e-12))


def expected_signal_limit(background: float, cl: float = 0.95) -> float:
    """Median expected CLs limit on the signal (events): :func:`cls_signal_limit` at
    n = median of Poisson(B). Equals -ln(1 - cl) = 2.9957 at B = 0."""
    _check_background(background)
    return cls_signal_limit(background, poisson_median(background), cl)
