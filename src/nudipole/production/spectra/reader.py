"""Reading FORESEE tables: :func:`load_foresee`, with the checks of every line (the rows,
:mod:`nudipole.production.spectra.rows`) and of the grid they form.

A FORESEE table (F. Kling, S. Trojanowski, PRD 104 (2021) 035012, arXiv:2105.07077) has one
row per bin, ``log10(theta/rad)  log10(p/GeV)  sigma[pb per bin]`` on a regular grid of bin
centres (0.05 wide in both logarithms); files may start with ``#`` header lines (``# pid: N``,
``# bin width log10: W`` are read) or have none, and may be gzip-compressed. A malformed file
raises :class:`~nudipole.production.spectra.model.SpectrumError` with one line naming the file,
the line and the fix.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Final

import numpy as np

from nudipole.physics._types import FloatArray
from nudipole.production.spectra.model import Spectrum, SpectrumError, particle_name
from nudipole.production.spectra.rows import ParsedRows, open_data, parse_rows

#: Grid values closer than this (in log10) are the same bin centre written twice.
_SAME_VALUE: Final[float] = 1.0e-6
#: A bin centre may be off the regular grid by this fraction of the bin width (the values of
#: some tables are printed with six significant digits).
_GRID_TOLERANCE: Final[float] = 0.02
_PID_NAME: Final = re.compile(r"_([+-]?\d+)\.(?:txt|dat|csv)(?:\.gz)?$", re.IGNORECASE)


def _axis_width(
    values: FloatArray, lines: np.ndarray, what: str, origin: str, hint: float | None
) -> float | None:
    """Check that ``values`` sit on a regular grid; return its step (None: one value only)."""
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    distinct = np.concatenate(([True], np.diff(sorted_values) > _SAME_VALUE))
    grid = sorted_values[distinct]
    grid_lines = lines[order][distinct]
    if grid.size < 2:
        return hint
    # the step is the most common spacing of neighbouring values (the smallest on a tie), and
    # the grid is anchored where that spacing first occurs, so a stray value is the one named
    gaps = np.round(np.diff(grid), 6)
    steps, counts = np.unique(gaps, return_counts=True)
    step = float(steps[np.argmax(counts)]) if hint is None else hint
    anchor = float(grid[int(np.argmax(gaps == step))] if hint is None else grid[0])
    k = np.rint((grid - anchor) / step)
    off = np.abs(grid - anchor - k * step)
    bad = int(np.argmax(off))
    if off[bad] > _GRID_TOLERANCE * step:
        raise SpectrumError(
            f"{origin}: line {int(grid_lines[bad])}: {what} = {float(grid[bad])!r} is off the "
            f"regular grid of step {step:.6g} through {anchor!r} (FORESEE tables have equal bins "
            "in log10(theta) and log10(p))"
        )
    if hint is None and k[-1] > k[0]:
        step = float((grid[-1] - grid[0]) / (k[-1] - k[0]))  # averages the rounding of values
    return step


def _grid_width(parsed: ParsedRows, origin: str) -> float:
    """Bin width of a parsed table: the header's, else inferred; both axes must agree."""
    lines = np.frombuffer(parsed.line, dtype=np.int64)
    hint = parsed.header_width
    if hint is not None and not hint > 0.0:
        raise SpectrumError(f"{origin}: the header's bin width {hint} is not positive")
    theta = np.frombuffer(parsed.theta, dtype=np.float64)
    mom = np.frombuffer(parsed.mom, dtype=np.float64)
    w_theta = _axis_width(theta, lines, "log10(theta)", origin, hint)
    w_p = _axis_width(mom, lines, "log10(p)", origin, hint)
    if w_theta is None and w_p is None:
        raise SpectrumError(
            f"{origin}: cannot infer the bin width from a single grid point: add a header "
            "line '# bin width log10: 0.05'"
        )
    if (
        w_theta is not None
        and w_p is not None
        and (abs(w_theta - w_p) > _GRID_TOLERANCE * min(w_theta, w_p))
    ):
        raise SpectrumError(
            f"{origin}: bins are {w_theta:.6g} wide in log10(theta) but {w_p:.6g} in log10(p); "
            "nudipole needs one width for both (FORESEE uses 0.05)"
        )
    width = w_theta if w_theta is not None else w_p
    assert width is not None
    # rounding to 1e-6 removes the noise of six-digit bin centres (an inferred 0.0500001 is 0.05)
    return hint if hint is not None else round(width, 6)


def _check_duplicates(parsed: ParsedRows, width: float, origin: str) -> None:
    theta = np.frombuffer(parsed.theta, dtype=np.float64)
    mom = np.frombuffer(parsed.mom, dtype=np.float64)
    i_t = np.rint((theta - theta.min()) / width).astype(np.int64)
    i_p = np.rint((mom - mom.min()) / width).astype(np.int64)
    key = i_t * (int(i_p.max()) + 1) + i_p
    order = np.argsort(key, kind="stable")
    same = np.flatnonzero(np.diff(key[order]) == 0)
    if same.size:
        lines = np.frombuffer(parsed.line, dtype=np.int64)[order]
        raise SpectrumError(
            f"{origin}: line {int(lines[same[0] + 1])} repeats the bin of line "
            f"{int(lines[same[0]])} (each (theta, p) bin must appear once)"
        )


def _pdgid_from(path_name: str, header_pid: int | None, given: int | None, origin: str) -> int:
    if given is not None:
        if isinstance(given, bool) or int(given) != given:
            raise SpectrumError(f"pdgid must be an integer PDG id, got {given!r}")
        if header_pid is not None and header_pid != int(given):
            raise SpectrumError(
                f"{origin}: pdgid={given} but the file's header says pid {header_pid}"
            )
        return int(given)
    if header_pid is not None:
        return header_pid
    match = _PID_NAME.search(path_name)
    if match:
        return int(match.group(1))
    raise SpectrumError(
        f"{origin}: cannot tell the PDG id: pass pdgid=..., add a header line '# pid: 111' "
        "or name the file like 'EPOSLHC_14TeV_111.txt'"
    )


def _build(
    parsed: ParsedRows,
    origin: str,
    *,
    path_name: str,
    pdgid: int | None,
    particle: str | None,
    generator: str,
    spectra_set: str,
    sqrt_s_gev: float,
    source: str,
) -> Spectrum:
    if not (math.isfinite(sqrt_s_gev) and sqrt_s_gev > 0.0):
        raise SpectrumError(f"sqrt_s_gev must be a positive energy in GeV, got {sqrt_s_gev}")
    if not parsed.sigma:
        raise SpectrumError(f"{origin}: no data rows (empty file?)")
    pid = _pdgid_from(path_name, parsed.header_pid, pdgid, origin)
    width = _grid_width(parsed, origin)
    _check_duplicates(parsed, width, origin)
    sigma = np.frombuffer(parsed.sigma, dtype=np.float64)
    keep = sigma > 0.0
    if not np.any(keep):
        raise SpectrumError(f"{origin}: all {sigma.size} rows have sigma = 0; nothing to load")
    log_t = np.frombuffer(parsed.theta, dtype=np.float64)[keep]
    log_p = np.frombuffer(parsed.mom, dtype=np.float64)[keep]
    # a bin whose lower momentum edge is above the beam energy cannot be filled
    above = log_p - 0.5 * width > math.log10(0.5 * sqrt_s_gev) + _GRID_TOLERANCE * width
    if np.any(above):
        first = int(np.argmax(above))
        line = int(np.frombuffer(parsed.line, dtype=np.int64)[keep][first])
        raise SpectrumError(
            f"{origin}: line {line}: p = 10^{log_p[first]:g} GeV is above the beam energy "
            f"{0.5 * sqrt_s_gev:g} GeV (wrong sqrt_s_gev, or the second column is not "
            "log10(p/GeV)?)"
        )
    return Spectrum(
        pdgid=pid,
        particle=particle if particle is not None else particle_name(pid),
        generator=generator,
        spectra_set=spectra_set,
        sqrt_s_gev=sqrt_s_gev,
        log10_theta=log_t,
        log10_p=log_p,
        sigma_pb=sigma[keep],
        bin_width_log10=width,
        source=source,
        origin=origin,
    )


def load_foresee(
    path: str | Path,
    *,
    pdgid: int | None = None,
    particle: str | None = None,
    generator: str = "user",
    sqrt_s_gev: float = 14000.0,
    drop_negative: bool = False,
) -> Spectrum:
    """Read a FORESEE-format spectrum (plain text or gzip, with or without ``#`` lines).

    Parameters
    ----------
    path
        The file. Rows ``log10(theta/rad) log10(p/GeV) sigma[pb per bin]`` on a regular grid
        (equal bin width in both logarithms); blank lines and ``#`` lines are skipped.
    pdgid
        PDG id; by default from a ``# pid: N`` header line or a file name ending ``_N.txt``.
    particle
        Name to record (default: the PDG name of ``pdgid``).
    generator
        Generator name to record.
    sqrt_s_gev
        pp centre-of-mass energy, GeV (bins above the beam energy are rejected).
    drop_negative
        Drop bins with sigma < 0 (negative-weight NLO bins) instead of refusing the file.

    Returns
    -------
    Spectrum
        The non-zero bins, ``spectra_set = "user"``.

    Raises
    ------
    SpectrumError
        One line naming the file (and the line) and what is wrong: not three columns, not a
        number, nan/inf, negative sigma, no non-zero rows, an irregular grid, a repeated bin,
        theta above pi, p above the beam energy, more rows than
        :data:`~nudipole.production.spectra.rows.MAX_ROWS`.
    """
    origin = str(path)
    sqrt_s = float(sqrt_s_gev)
    if not (math.isfinite(sqrt_s) and sqrt_s > 0.0):
        raise SpectrumError(f"sqrt_s_gev must be a positive energy in GeV, got {sqrt_s_gev}")
    try:
        with Path(path).open("rb") as raw, open_data(raw) as handle:
            parsed = parse_rows(handle, origin, drop_negative)
    except OSError as err:
        raise SpectrumError(f"cannot read {origin}: {err.strerror or err}") from None
    return _build(
        parsed,
        origin,
        path_name=Path(path).name,
        pdgid=pdgid,
        particle=particle,
        generator=generator,
        spectra_set="user",
        sqrt_s_gev=sqrt_s,
        source=f"user file {origin}",
    )
