"""Checks shared by the two halves of the Python API (:mod:`nudipole.api`,
:mod:`nudipole.far_api`): each turns a bad value into one :class:`ExperimentError` line."""

from __future__ import annotations

import numpy as np

from nudipole.experiments import ExperimentError
from nudipole.units import parse_luminosity


def luminosity_pb(lumi: str | float) -> float:
    """A luminosity ("30/ab" or a number in pb^-1) in pb^-1, validated."""
    if isinstance(lumi, str):
        return parse_luminosity(lumi)
    value = float(lumi)
    if not (value > 0.0 and np.isfinite(value)):
        raise ExperimentError(f"luminosity must be a positive, finite number, got {value} pb^-1")
    return value


def checked_workers(workers: int | None) -> int | None:
    """``workers`` checked (:func:`nudipole._parallel.check_workers`); ExperimentError if
    it is not a whole number of threads."""
    from nudipole._parallel import check_workers

    try:
        check_workers(workers)
    except ValueError as err:
        raise ExperimentError(str(err)) from None
    return workers
