"""Reading FORESEE tables: :func:`load_foresee`, with the checks of every line and of the grid.

A FORESEE table (F. Kling, S. Trojanowski, PRD 104 (2021) 035012, arXiv:2105.07077) has one
row per bin, ``log10(theta/rad)  log10(p/GeV)  sigma[pb per bin]`` on a regular grid of bin
centres (0.05 wide in both logarithms); files may start with ``#`` header lines (``# pid: N``,
``# bin width log10: W`` are read) or have none, and may be gzip-compressed. A malformed file
raises :class:`~nudipole.production.spectra.model.SpectrumError` with one line naming the file,
the line and the fix.
"""

from __future__ import annotations

import gzip
import math
import re
import zlib
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final, Protocol

import numpy as np

from nudipole.physics._types import FloatArray
from nudipole.production.spectra.model import Spectrum, SpectrumError, particle_name

#: A file with more data rows than this is refused (a full 0.05 x 0.05 table has ~21000).
MAX_ROWS: Final[int] = 2_000_000
#: Longest accepted line, in characters.
MAX_LINE_CHARS: Final[int] = 1000

_LOG10_PI: Final[float] = math.log10(math.pi)
#: |log10(theta/rad)| or |log10(p/GeV)| above this is not a logarithm (a linear column?).
_LOG10_BOUND: Final[float] = 30.0
#: Grid values closer than this (in log10) are the same bin centre written twice.
_SAME_VALUE: Final[float] = 1.0e-6
#: A bin centre may be off the regular grid by this fraction of the bin width (the values of
#: some tables are printed with six significant digits).
_GRID_TOLERANCE: Final[float] = 0.02
_PID_LINE: Final = re.compile(r"^#\s*pid\s*:\s*([+-]?\d+)\s*$", re.IGNORECASE)
_WIDTH_LINE: Final = re.compile(r"^#\s*bin width log10\s*:\s*(\S+)", re.IGNORECASE)
_PID_NAME: Final = re.compile(r"_([+-]?\d+)\.(?:txt|dat|csv)(?:\.gz)?$", re.IGNORECASE)


@dataclass
class _Parsed:
    """What one pass over a FORESEE file found (all rows, zero ones included)."""

    theta: array[float]
    mom: array[float]
    sigma: array[float]
    line: array[int]
    header_pid: int | None = None
    header_width: float | None = None
    negative_dropped: int = 0


def _lines(handle: _LineSource, origin: str) -> Iterator[tuple[int, str]]:
    """Numbered lines of ``handle``, refusing over-long lines and undecodable bytes."""
    number = 0
    while True:
        number += 1
        try:
            data = handle.readline(MAX_LINE_CHARS + 1)
        except (OSError, EOFError, zlib.error) as err:
            raise SpectrumError(f"{origin}: damaged gzip data near line {number} ({err})") from None
        if not data:
            return
        if len(data) > MAX_LINE_CHARS and not data.endswith(b"\n"):
            raise SpectrumError(
                f"{origin}: line {number} is longer than {MAX_LINE_CHARS} characters "
                "(a FORESEE row is three numbers)"
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise SpectrumError(
                f"{origin}: line {number}: not UTF-8 text (is this a FORESEE table?)"
            ) from None
        yield number, text


def _number(token: str, origin: str, number: int, what: str) -> float:
    try:
        value = float(token)
    except ValueError:
        raise SpectrumError(f"{origin}: line {number}: {what} {token!r} is not a number") from None
    if not math.isfinite(value):
        raise SpectrumError(f"{origin}: line {number}: {what} is {token!r}, not a finite number")
    return value


def _header_line(text: str, out: _Parsed, origin: str, number: int) -> None:
    """Read a ``#`` line: ``# pid: N`` and ``# bin width log10: W`` go to ``out``."""
    pid = _PID_LINE.match(text)
    if pid:
        out.header_pid = int(pid.group(1))
    width = _WIDTH_LINE.match(text)
    if width:
        out.header_width = _number(width.group(1), origin, number, "bin width")


#: Files up to this size (after decompression) are first parsed whole, in one vectorised
#: pass (:func:`_parse_whole`); a full FORESEE table is about 0.7 MB. The bound keeps that
#: pass's memory (the text, and one Python string per number: some 40 MB at the bound)
#: small; larger files are read line by line into compact arrays.
WHOLE_MAX_BYTES: Final[int] = 8 * 1024 * 1024


def _parse(handle: _LineSource, origin: str, drop_negative: bool) -> _Parsed:
    """Parse a FORESEE table: in one pass over the whole file where it is well formed and at
    most :data:`WHOLE_MAX_BYTES` long (:func:`_parse_whole`, ~10x faster), else line by line
    (:func:`_parse_lines`), which names the first line that is wrong and what is wrong with
    it. Both give the same result on every file the first accepts (tested)."""
    try:
        data = handle.read(WHOLE_MAX_BYTES + 1)
    except (OSError, EOFError, zlib.error):
        data = b""  # damaged data: the line-by-line pass names where
    else:
        if len(data) <= WHOLE_MAX_BYTES:
            parsed = _parse_whole(data, origin, drop_negative)
            if parsed is not None:
                return parsed
    handle.seek(0)
    return _parse_lines(handle, origin, drop_negative)


def _parse_whole(data: bytes, origin: str, drop_negative: bool) -> _Parsed | None:
    """The rows of a whole file in one pass, the numbers converted as :func:`_parse_lines`
    converts them (``float``) and checked as arrays; None wherever that pass would find
    something to refuse or some line it would read otherwise (not UTF-8, an over-long line,
    a row without three numbers, a comment after a row, a value out of range, a negative
    cross section that is not to be dropped, too many rows, a malformed header), so that
    it gives the error."""
    if max(map(len, data.split(b"\n"))) > MAX_LINE_CHARS:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    out = _Parsed(array("d"), array("d"), array("d"), array("q"))
    tokens: list[str] = []
    numbers = array("q")
    for number, line in enumerate(text.split("\n"), 1):
        row = line.strip()
        if not row:
            continue
        if row.startswith("#"):
            try:
                _header_line(row, out, origin, number)
            except SpectrumError:
                return None
            continue
        parts = row.split()
        if len(parts) != 3 or "#" in row:
            return None
        tokens += parts
        numbers.append(number)
    if len(numbers) > MAX_ROWS:
        return None
    try:
        values = np.array(list(map(float, tokens)), dtype=np.float64).reshape(-1, 3)
    except ValueError:
        return None
    log_t, log_p, sigma = values.T
    if not np.isfinite(values).all():
        return None
    if np.any(np.abs(values[:, :2]) > _LOG10_BOUND) or np.any(log_t > _LOG10_PI):
        return None
    negative = sigma < 0.0
    if np.any(negative):
        if not drop_negative:
            return None
        out.negative_dropped = int(np.count_nonzero(negative))
        sigma = np.where(negative, 0.0, sigma)
    out.theta.frombytes(np.ascontiguousarray(log_t).tobytes())
    out.mom.frombytes(np.ascontiguousarray(log_p).tobytes())
    out.sigma.frombytes(np.ascontiguousarray(sigma).tobytes())
    out.line = numbers
    return out


def _parse_lines(handle: _LineSource, origin: str, drop_negative: bool) -> _Parsed:
    """Parse line by line, refusing the first line that is wrong with one message naming it."""
    out = _Parsed(array("d"), array("d"), array("d"), array("q"))
    for number, raw in _lines(handle, origin):
        text = raw.strip()
        if not text:
            continue
        if text.startswith("#"):
            _header_line(text, out, origin, number)
            continue
        parts = text.split("#", 1)[0].split()
        if len(parts) != 3:
            raise SpectrumError(
                f"{origin}: line {number}: expected 3 columns "
                f"(log10(theta/rad) log10(p/GeV) sigma[pb]), found {len(parts)}"
            )
        log_t = _number(parts[0], origin, number, "log10(theta)")
        log_p = _number(parts[1], origin, number, "log10(p)")
        sigma = _number(parts[2], origin, number, "sigma")
        for what, value in (("log10(theta)", log_t), ("log10(p)", log_p)):
            if abs(value) > _LOG10_BOUND:
                raise SpectrumError(
                    f"{origin}: line {number}: {what} = {value:g} is absurd (beyond +-"
                    f"{_LOG10_BOUND:g}): the first two columns must be log10(theta/rad) and "
                    "log10(p/GeV)"
                )
        if log_t > _LOG10_PI:
            raise SpectrumError(
                f"{origin}: line {number}: theta = 10^{parts[0]} rad is above pi "
                "(the first column must be log10 of the polar angle in rad)"
            )
        if sigma < 0.0:
            if not drop_negative:
                raise SpectrumError(
                    f"{origin}: line {number}: negative cross section {parts[2]} pb "
                    "(negative-weight NLO bins: drop them with drop_negative=True, "
                    "CLI --drop-negative)"
                )
            out.negative_dropped += 1
            sigma = 0.0
        if len(out.sigma) >= MAX_ROWS:
            raise SpectrumError(
                f"{origin}: more than {MAX_ROWS} data rows (limit MAX_ROWS; a full FORESEE "
                "table has about 21000): rebin it or split it"
            )
        out.theta.append(log_t)
        out.mom.append(log_p)
        out.sigma.append(sigma)
        out.line.append(number)
    return out


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


def _grid_width(parsed: _Parsed, origin: str) -> float:
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


def _check_duplicates(parsed: _Parsed, width: float, origin: str) -> None:
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


class _LineSource(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...


@contextmanager
def _data(raw: IO[bytes]) -> Iterator[_LineSource]:
    """The data of a binary stream, decompressing gzip (recognised by its magic bytes)."""
    head = raw.read(2)
    raw.seek(0)
    if head == b"\x1f\x8b":
        with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
            yield unzipped
    else:
        yield raw


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
    parsed: _Parsed,
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
        theta above pi, p above the beam energy, more than :data:`MAX_ROWS` rows.
    """
    origin = str(path)
    sqrt_s = float(sqrt_s_gev)
    if not (math.isfinite(sqrt_s) and sqrt_s > 0.0):
        raise SpectrumError(f"sqrt_s_gev must be a positive energy in GeV, got {sqrt_s_gev}")
    try:
        with Path(path).open("rb") as raw, _data(raw) as handle:
            parsed = _parse(handle, origin, drop_negative)
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
