"""Conversions at the package boundary: luminosities and cross sections to natural units.

Inside nudipole cross sections are in GeV^-2 and integrated luminosities in GeV^2, so that
N = sigma L is a pure number. 1 GeV^-2 = (hbar c)^2, with hbar c from scipy.constants and the
barn from hepunits.
"""

from __future__ import annotations

import re
from typing import Final

import hepunits

from nudipole.constants import HBARC_GEV_M

_M2_PER_MM2: Final[float] = 1.0e-6
#: 1 pb in GeV^-2.
PICOBARN_IN_GEV_M2: Final[float] = hepunits.picobarn * _M2_PER_MM2 / HBARC_GEV_M**2
#: 1 pb^-1 in GeV^2.
INVERSE_PICOBARN_IN_GEV2: Final[float] = 1.0 / PICOBARN_IN_GEV_M2

_PREFIX_TO_PB: Final[dict[str, float]] = {
    "pb": 1.0,
    "fb": 1.0e3,
    "ab": 1.0e6,
    "nb": 1.0e-3,
}

_LUMI_RE: Final = re.compile(
    r"^\s*(?P<num>[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)\s*"
    r"(/\s*(?P<u1>[pfan]b)|(?P<u2>[pfan]b)\s*\^?\s*-1|(?P<u3>[pfan]b)-1)\s*$"
)


#: Range of integrated luminosities nudipole computes with, pb^-1: 1/nb to 1e6/ab. Outside it
#: no experiment exists and counts underflow or overflow.
MIN_LUMINOSITY_PB: Final[float] = 1.0e-3
MAX_LUMINOSITY_PB: Final[float] = 1.0e12


class LuminosityError(ValueError):
    """A luminosity string that cannot be understood."""


def check_luminosity_pb(value: float, given: str | None = None) -> float:
    """``value`` (pb^-1) if it lies in [:data:`MIN_LUMINOSITY_PB`, :data:`MAX_LUMINOSITY_PB`];
    LuminosityError naming ``given`` (what the user wrote; default the number) otherwise."""
    shown = repr(given) if given is not None else f"{value:g} pb^-1"
    if not value > 0.0:
        raise LuminosityError(f"luminosity must be positive, got {shown}")
    if not MIN_LUMINOSITY_PB <= value <= MAX_LUMINOSITY_PB:
        raise LuminosityError(
            f"luminosity {shown} must be a finite number from 1/nb to 1e6/ab "
            f"({MIN_LUMINOSITY_PB:g} to {MAX_LUMINOSITY_PB:g} pb^-1), the range nudipole "
            "computes with"
        )
    return value


def parse_luminosity(text: str) -> float:
    """Parse an integrated luminosity such as ``"30/ab"``, ``"20 fb^-1"`` or ``"1e3/pb"``.

    Returns
    -------
    float
        Luminosity in pb^-1 (use :func:`inverse_pb_to_natural` for GeV^2).

    Raises
    ------
    LuminosityError
        If the text is malformed, has an unknown unit, is not positive or lies outside
        1/nb to 1e6/ab (:func:`check_luminosity_pb`).
    """
    match = _LUMI_RE.match(text)
    if match is None:
        raise LuminosityError(
            f"cannot read luminosity {text!r}: write a number and a unit, e.g. 30/ab, 20/fb, 500/pb"
        )
    unit = match.group("u1") or match.group("u2") or match.group("u3")
    value = float(match.group("num"))
    if not value > 0.0:
        raise LuminosityError(f"luminosity must be positive, got {text!r}")
    # "30/ab" means 30 ab^-1 = 30e6 pb^-1: an inverse attobarn is a million inverse picobarns.
    return check_luminosity_pb(value * _PREFIX_TO_PB[unit], text)


def inverse_pb_to_natural(lumi_inverse_pb: float) -> float:
    """Integrated luminosity in pb^-1 -> GeV^2."""
    return lumi_inverse_pb * INVERSE_PICOBARN_IN_GEV2


def gev_m2_to_pb(cross_section: float) -> float:
    """Cross section in GeV^-2 -> pb."""
    return cross_section / PICOBARN_IN_GEV_M2


def format_luminosity(lumi_inverse_pb: float) -> str:
    """Human-readable luminosity: the largest unit in which the number is >= 1."""
    for unit, factor in (("ab", 1.0e6), ("fb", 1.0e3), ("pb", 1.0)):
        if lumi_inverse_pb >= factor:
            return f"{lumi_inverse_pb / factor:.4g}/{unit}"
    return f"{lumi_inverse_pb:.4g}/pb"
