"""Numbers and tables as the Markdown of README.md and docs/ writes them (the report scripts
of ``benchmarks/`` that ``docs/make_figures.py --only numbers`` runs)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def sci(value: float, digits: int = 3) -> str:
    """``value`` in scientific notation with ``digits`` significant digits and a bare exponent:
    1.20e-5, 3.2e-4, 1.25e4 (Python's own 1.20e-05, 1.25e+04 pad and sign it); nan, inf and
    -inf as they are."""
    if digits < 1:
        raise ValueError(f"digits must be at least 1, got {digits}")
    if not math.isfinite(value):  # no exponent to strip: nan, inf, -inf as Python writes them
        return str(float(value))
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """The lines of a Markdown table: ``header``, its rule, one line per row of cells."""
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"a row has {len(row)} cells, the header {len(header)}: {row!r}")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]
