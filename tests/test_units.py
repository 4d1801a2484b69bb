"""Luminosity strings and the barn <-> natural-unit conversion."""

from __future__ import annotations

import pytest

from nudipole.units import (
    INVERSE_PICOBARN_IN_GEV2,
    PICOBARN_IN_GEV_M2,
    LuminosityError,
    format_luminosity,
    gev_m2_to_pb,
    inverse_pb_to_natural,
    parse_luminosity,
)

#: (hbar c)^2 = 0.3893793721 GeV^2 mb (CODATA 2018, as quoted by the PDG).
HBARC2_GEV2_PB = 0.3893793721e9


@pytest.mark.parametrize(
    ("text", "inverse_pb"),
    [
        ("30/ab", 30e6),
        ("20 fb^-1", 20e3),
        ("20fb-1", 20e3),
        ("1e3/pb", 1e3),
        ("0.5/fb", 500.0),
        (" 2.5 / nb ", 2.5e-3),
    ],
)
def test_parse_luminosity_accepts(text: str, inverse_pb: float) -> None:
    assert parse_luminosity(text) == pytest.approx(inverse_pb, rel=1e-15)


@pytest.mark.parametrize("text", ["30", "30/xb", "-1/fb", "0/fb", "abc", "", "/ab", "30/ab/fb"])
def test_parse_luminosity_rejects(text: str) -> None:
    with pytest.raises(LuminosityError) as info:
        parse_luminosity(text)
    message = str(info.value)
    assert repr(text) in message  # names what it could not use
    assert "\n" not in message
    assert isinstance(info.value, ValueError)


def test_negative_and_zero_say_positive() -> None:
    for text in ("-1/fb", "0/fb"):
        with pytest.raises(LuminosityError, match="must be positive"):
            parse_luminosity(text)


def test_picobarn_in_natural_units() -> None:
    pb, inverse_pb = PICOBARN_IN_GEV_M2, INVERSE_PICOBARN_IN_GEV2
    assert pb == pytest.approx(1.0 / HBARC2_GEV2_PB, rel=1e-8)
    assert pb * inverse_pb == pytest.approx(1.0, rel=1e-15)
    assert gev_m2_to_pb(pb) == pytest.approx(1.0, rel=1e-15)
    # N = sigma L is dimensionless: 1 pb x 1 pb^-1 = 1 event.
    assert pb * inverse_pb_to_natural(1.0) == pytest.approx(1.0, rel=1e-15)
    # 1 ab^-1 = 1e6 pb^-1 in GeV^2.
    assert inverse_pb_to_natural(parse_luminosity("1/ab")) == pytest.approx(
        1e6 * HBARC2_GEV2_PB, rel=1e-8
    )


@pytest.mark.parametrize(
    ("inverse_pb", "text"),
    [(30e6, "30/ab"), (26949.573, "26.95/fb"), (1e3, "1/fb"), (500.0, "500/pb"), (0.5, "0.5/pb")],
)
def test_format_luminosity(inverse_pb: float, text: str) -> None:
    assert format_luminosity(inverse_pb) == text
    assert parse_luminosity(text) == pytest.approx(inverse_pb, rel=1e-3)
