"""Reading the rows of a FORESEE table: from the bytes of a file (plain or gzip) to its
numbered rows ``log10(theta/rad) log10(p/GeV) sigma[pb]`` and the ``#`` header lines it
reads (``# pid: N``, ``# bin width log10: W``), every line checked: a malformed one raises
:class:`~nudipole.production.spectra.model.SpectrumError` naming the file, the line and the
fix. The grid the rows form is checked by :mod:`nudipole.production.spectra.reader`.
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
from typing import IO, Final, Protocol

import numpy as np

from nudipole.production.spectra.model import SpectrumError

#: A file with more data rows than this is refused (a full 0.05 x 0.05 table has ~21000).
MAX_ROWS: Final[int] = 2_000_000
#: Longest accepted line, in characters.
MAX_LINE_CHARS: Final[int] = 1000

_LOG10_PI: Final[float] = math.log10(math.pi)
#: |log10(theta/rad)| or |log10(p/GeV)| above this is not a logarithm (a linear column?).
_LOG10_BOUND: Final[float] = 30.0
_PID_LINE: Final = re.compile(r"^#\s*pid\s*:\s*([+-]?\d+)\s*$", re.IGNORECASE)
_WIDTH_LINE: Final = re.compile(r"^#\s*bin width log10\s*:\s*(\S+)", re.IGNORECASE)


@dataclass
class ParsedRows:
    """What one pass over a FORESEE file found (all rows, zero ones included)."""

    theta: array[float]
    mom: array[float]
    sigma: array[float]
    line: array[int]
    header_pid: int | None = None
    header_width: float | None = None
    negative_dropped: int = 0


def _lines(handle: LineSource, origin: str) -> Iterator[tuple[int, str]]:
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


def _header_line(text: str, out: ParsedRows, origin: str, number: int) -> None:
    """Read a ``#`` line: ``# pid: N`` and ``# bin width log10: W`` go to ``out``."""
    pid = _PID_LINE.match(text)
    if pid:
        out.header_pid = int(pid.group(1))
    width = _WIDTH_LINE.match(text)
    if width:
        out.header_width = _number(width.group(1), origin, number, "bin width")


#: Files up to this size (after decompression) are first parsed whole, in one vectorised
#: pass (:func:`parse_whole`); a full FORESEE table is about 0.7 MB. The bound keeps that
#: pass's memory (the text, and one Python string per number: some 40 MB at the bound)
#: small; larger files are read line by line into compact arrays.
WHOLE_MAX_BYTES: Final[int] = 8 * 1024 * 1024


def parse_rows(handle: LineSource, origin: str, drop_negative: bool) -> ParsedRows:
    """Parse a FORESEE table: in one pass over the whole file where it is well formed and at
    most :data:`WHOLE_MAX_BYTES` long (:func:`parse_whole`, about twice as fast: the 27
    built-in tables in 0.10 s instead of 0.21 s), else line by line (:func:`parse_lines`),
    which names the first line that is wrong and what is wrong with it. Both give the same
    result on every file the first accepts (tested)."""
    try:
        data: bytes | None = handle.read(WHOLE_MAX_BYTES + 1)
    except (OSError, EOFError, zlib.error):
        data = None  # damaged data: the line-by-line pass names where
    if data is not None and len(data) <= WHOLE_MAX_BYTES:
        parsed = parse_whole(data, origin, drop_negative)
        if parsed is not None:
            return parsed
    handle.seek(0)
    return parse_lines(handle, origin, drop_negative)


def parse_whole(data: bytes, origin: str, drop_negative: bool) -> ParsedRows | None:
    """The rows of a whole file in one pass, the numbers converted as :func:`parse_lines`
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
    out = ParsedRows(array("d"), array("d"), array("d"), array("q"))
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


def parse_lines(handle: LineSource, origin: str, drop_negative: bool) -> ParsedRows:
    """Parse line by line, refusing the first line that is wrong with one message naming it."""
    out = ParsedRows(array("d"), array("d"), array("d"), array("q"))
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


class LineSource(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...


@contextmanager
def open_data(raw: IO[bytes]) -> Iterator[LineSource]:
    """The data of a binary stream, decompressing gzip (recognised by its magic bytes)."""
    head = raw.read(2)
    raw.seek(0)
    if head == b"\x1f\x8b":
        with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
            yield unzipped
    else:
        yield raw
