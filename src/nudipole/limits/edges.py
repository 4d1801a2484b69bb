"""Where a projection's new ground begins or ends between two masses: the edge solved on the
projection itself (:func:`solve_edge`), for :mod:`nudipole.limits.newground`.

The projection (a curve d95, or a far detector's band [d95, d95_upper]) is costly to evaluate
and smooth; the existing limits are cheap and may have kinks. Each step therefore predicts the
edge from the interpolation in log-log of the bracket's ends (with the nearest sample beside
them: a quadratic), checked against the limits exactly, and evaluates the projection on
either side of the prediction.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from nudipole.physics._types import ArrayLike

#: Whether the projection's band [low, high] at each mass reaches beyond every existing
#: limit (arrays of masses, lows and highs in GeV and GeV^-1).
FreeOf = Callable[[ArrayLike, ArrayLike, ArrayLike], np.ndarray]

#: Relative precision in m_N to which an edge of new ground is solved on the projection
#: (:func:`nudipole.limits.newground.new_ground_intervals`).
CURVE_EDGE_RTOL = 1.0e-4

#: Most evaluations of the projection per edge (:func:`solve_edge`; a guard: bisection
#: needs 14 for a bracket of a factor 4 in mass).
_EDGE_MAX_EVALUATIONS = 60

#: Predictions that may miss (narrow the bracket less than bisection) before
#: :func:`solve_edge` only bisects.
_EDGE_MAX_MISSES = 3


@dataclass(frozen=True)
class Sample:
    """The projection at t = ln m: its band [low, high] in GeV^-1 (low = high on a curve;
    NaN where it has no sensitivity) and whether it reaches beyond every existing limit."""

    t: float
    low: float
    high: float
    free: bool

    @property
    def finite(self) -> bool:
        return math.isfinite(self.low) and math.isfinite(self.high)


#: Masses per pass of :func:`_predicted_edge`: each pass narrows the bracket 32-fold.
_PREDICT_POINTS = 31


def _log_band(
    a: Sample, b: Sample, c: Sample | None
) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """ln low and ln high of the band at t as interpolated between ``a`` and ``b``: linear in
    ln m, or, with a third finite sample ``c`` (outside the bracket), the quadratic through
    the three (Lagrange form)."""
    samples = (a, b) if c is None else (a, b, c)
    ts = [s.t for s in samples]
    lows = [math.log(s.low) for s in samples]
    highs = [math.log(s.high) for s in samples]

    def at(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        basis = [
            math.prod((t - tj) / (ti - tj) for j, tj in enumerate(ts) if j != i)
            for i, ti in enumerate(ts)
        ]
        low = sum(w * v for w, v in zip(basis, lows, strict=True))
        high = sum(w * v for w, v in zip(basis, highs, strict=True))
        return np.asarray(low, dtype=float), np.asarray(high, dtype=float)

    return at


def _predicted_edge(
    a: Sample, b: Sample, free_of: FreeOf, tol: float, c: Sample | None = None
) -> float:
    """Where the band interpolated between ``a`` and ``b`` (ln low and ln high linear in
    ln m, or quadratic through a third finite sample ``c``: :func:`_log_band`) changes from
    ``a.free`` to ``b.free``, to ``tol`` in ln m: the first change on
    :data:`_PREDICT_POINTS` masses across the bracket, then on as many across the step that
    holds it, and so on. It costs only the checks against the existing limits."""
    band = _log_band(a, b, c)
    x, y = a.t, b.t
    while y - x > tol:
        t = np.linspace(x, y, _PREDICT_POINTS + 2)[1:-1]
        ln_low, ln_high = band(t)
        free = free_of(np.exp(t), np.exp(ln_low), np.exp(ln_high))
        change = np.flatnonzero(free != a.free)
        if change.size == 0:
            x = float(t[-1])
        else:
            k = int(change[0])
            y = float(t[k])
            if k > 0:
                x = float(t[k - 1])
    return 0.5 * (x + y)


def _nearest_outside(a: Sample, b: Sample, samples: list[Sample]) -> Sample | None:
    """The finite sample of ``samples`` (a band above zero) outside the bracket [a.t, b.t]
    nearest to it."""
    best: Sample | None = None
    gap = math.inf
    for s in samples:
        d = a.t - s.t if s.t < a.t else s.t - b.t
        if s.finite and s.low > 0.0 and s.high > 0.0 and 0.0 < d < gap:
            best, gap = s, d
    return best


def solve_edge(
    a: Sample,
    b: Sample,
    sample: Callable[[float], Sample],
    free_of: FreeOf,
    rtol: float,
    near: Sequence[Sample] = (),
) -> float:
    """Mass (GeV) between ``a`` and ``b`` (a.free != b.free, a.t < b.t) at which the
    projection's new ground begins or ends, to ``rtol`` in ln m (the middle of the last
    bracket, as bisection gives it).

    Each step evaluates the projection (``sample``, the costly call) where its interpolation
    between the bracket's two ends predicts the edge (:func:`_predicted_edge`), at 0.45 rtol
    on either side of it: when the prediction holds, the bracket is then below ``rtol``. The
    interpolation is the quadratic in ln m through the two ends and the nearest finite
    sample outside the bracket (an end it had before, or one of ``near``: the samples of the
    grid beside it), else linear in ln m; its error falls with the cube (the square) of the
    bracket, so a smooth projection needs a few evaluations where bisection needs about 14.
    The existing limits enter exactly (only the projection is interpolated), kinks included.
    A prediction that narrows the bracket less than bisection would with as many evaluations
    (a half per evaluation) is a miss, followed by one bisection step; after
    :data:`_EDGE_MAX_MISSES` misses, and wherever an end has no band (a band that closes
    between them, which cannot be interpolated), the edge is bisected. An edge thus costs at
    most 2 x 3 evaluations more than bisection, and is solved to the same ``rtol``.
    """
    misses = 0
    bisect_next = False
    previous = math.nan  # the last prediction
    evaluations = 0
    outside = list(near)  # samples outside the bracket, for the quadratic
    while b.t - a.t > rtol and evaluations < _EDGE_MAX_EVALUATIONS:
        width = b.t - a.t
        predict = a.finite and b.finite and not bisect_next and misses < _EDGE_MAX_MISSES
        if predict:
            t = _predicted_edge(a, b, free_of, 0.1 * rtol, _nearest_outside(a, b, outside))
            # the change since the last prediction bounds this one's error (it converges
            # faster than linearly): straddle the edge by a quarter of it
            h = (
                max(0.45 * rtol, 0.25 * abs(t - previous))
                if math.isfinite(previous)
                else 0.45 * rtol
            )
            previous = t
            points = [p for p in (t - h, t + h) if a.t < p < b.t]
        else:
            points = [0.5 * (a.t + b.t)]
        used = 0
        for p in points:
            s = sample(p)
            used += 1
            if s.free == a.free:
                outside.append(a)
                a = s
            else:
                outside.append(b)
                b = s
                break
        evaluations += used
        # a prediction that narrowed the bracket less than bisection would have with as many
        # evaluations: one bisection step brings the far end closer (the interpolation's
        # error falls with the bracket) before the next
        bisect_next = predict and b.t - a.t > width / 2**used
        misses += bisect_next
    return math.exp(0.5 * (a.t + b.t))
