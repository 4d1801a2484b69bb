"""Numbers and tables as README.md and docs/ write them (nudipole.io.markdown)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nudipole.io.markdown import markdown_table, sci


def test_sci_has_a_bare_exponent() -> None:
    assert sci(1.2e-5) == "1.20e-5"
    assert sci(3.21e-4, 2) == "3.2e-4"
    assert sci(12500.0) == "1.25e4"
    assert sci(0.5) == "5.00e-1"
    assert sci(-4.8e-4) == "-4.80e-4"
    assert sci(2.0, 1) == "2e0"
    with pytest.raises(ValueError, match="digits"):
        sci(1.0, 0)


def test_sci_writes_a_missing_value_as_it_is() -> None:
    assert [sci(v) for v in (float("nan"), float("inf"), -float("inf"))] == ["nan", "inf", "-inf"]


@given(st.floats(min_value=1e-300, max_value=1e300), st.integers(1, 6))
def test_sci_reads_back_as_the_rounded_value(value: float, digits: int) -> None:
    text = sci(value, digits)
    mantissa, exponent = text.split("e")
    assert exponent == str(int(exponent))  # no sign padding, no leading zero
    assert len(mantissa.replace(".", "")) == digits
    assert float(text) == float(f"{value:.{digits - 1}e}")


def test_markdown_table() -> None:
    lines = markdown_table(["curve", "d95"], [["BESIII", "1.20e-5"], ["STCF", "1.39e-6"]])
    assert lines == [
        "| curve | d95 |",
        "|---|---|",
        "| BESIII | 1.20e-5 |",
        "| STCF | 1.39e-6 |",
    ]
    with pytest.raises(ValueError, match="a row has 1 cells, the header 2"):
        markdown_table(["a", "b"], [["x"]])
