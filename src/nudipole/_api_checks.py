"""Checks shared by the two halves of the Python API (:mod:`nudipole.api`,
:mod:`nudipole.far_api`): each turns a bad value into one :class:`ExperimentError` line."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

import numpy as np

from nudipole.experiments import ExperimentError
from nudipole.physics._types import FloatArray
from nudipole.units import parse_luminosity

E = TypeVar("E", bound=StrEnum)


def choice(kind: type[E], value: str | E, what: str, allowed: Iterable[E] | None = None) -> E:
    """``value`` as a member of the enum ``kind`` (a convention such as the statistic); an
    ExperimentError naming ``what``, the value and the choices (``allowed``, by default every
    member) if it is none of them."""
    options = list(kind) if allowed is None else list(allowed)
    try:
        member = kind(value)
    except (ValueError, TypeError):
        member = None
    if member is None or member not in options:
        raise ExperimentError(
            f"{what} {value!r}: choose one of {', '.join(o.value for o in options)}"
        )
    return member


def number(value: object, what: str, unit: str) -> float:
    """``value`` as a float (a number, or a string of one); ExperimentError naming ``what``
    and the ``unit`` expected if it is neither (its range is checked where it is used)."""
    if not isinstance(value, bool):
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            pass
    raise ExperimentError(f"{what} {value!r}: give a number in {unit}")


def masses_array(masses: object) -> FloatArray:
    """Masses (a number or a sequence of numbers, GeV) as a float array; ExperimentError if
    they are not numbers (their range is checked by the scans)."""
    if isinstance(masses, str | bytes | dict | set | bool):
        raise ExperimentError(f"masses {masses!r}: give a list of numbers in GeV")
    try:
        return np.asarray(masses, dtype=float)
    except (TypeError, ValueError):
        raise ExperimentError(f"masses {masses!r}: give a list of numbers in GeV") from None


def luminosity_pb(lumi: str | float) -> float:
    """A luminosity ("30/ab" or a number in pb^-1) in pb^-1, validated."""
    if isinstance(lumi, str):
        return parse_luminosity(lumi)
    value = number(lumi, "luminosity", "pb^-1 (or a string such as '30/ab')")
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
