"""Input checks and array coercion shared by the meson-decay modules (GeV units)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from nudipole.physics._types import ArrayLike, FloatArray


def _as_float(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=float)


def _first_bad(arr: FloatArray, bad: npt.NDArray[np.bool_]) -> float:
    """The first offending element, for one-line error messages."""
    return float(arr.ravel()[int(np.argmax(bad.ravel()))])


def _check_nonnegative(name: str, x: ArrayLike) -> FloatArray:
    if isinstance(x, float) and math.isfinite(x) and x >= 0.0:
        return np.asarray(x)
    arr = _as_float(x)
    bad = ~np.isfinite(arr) | (arr < 0.0)
    if np.any(bad):
        value = _first_bad(arr, bad)
        raise ValueError(f"{name}={value!r} must be finite and >= 0 (GeV units)")
    return arr


def _check_positive(name: str, x: ArrayLike) -> FloatArray:
    if isinstance(x, float) and math.isfinite(x) and x > 0.0:
        return np.asarray(x)
    arr = _as_float(x)
    bad = ~np.isfinite(arr) | (arr <= 0.0)
    if np.any(bad):
        value = _first_bad(arr, bad)
        raise ValueError(f"{name}={value!r} must be finite and > 0 (GeV units)")
    return arr


def _check_order(name: str, order: int) -> int:
    if int(order) != order or order < 2:
        raise ValueError(f"{name}={order!r} must be an integer >= 2 (number of quadrature nodes)")
    return int(order)
