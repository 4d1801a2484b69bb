"""Forward production spectra of mesons and bosons in the FORESEE table format.

A FORESEE table (F. Kling, S. Trojanowski, PRD 104 (2021) 035012, arXiv:2105.07077) has one
row per bin, ``log10(theta/rad)  log10(p/GeV)  sigma[pb per bin]``: theta is the polar angle to
the beam axis and p the momentum of the particle in the forward hemisphere, the two logarithms
are bin centres on a regular grid (0.05 wide in both), and the sum of the third column is the
forward cross section in pb. Files may start with ``#`` header lines or have none.

:func:`load_foresee` reads any such file (plain or gzip) and checks it line by line;
:func:`builtin_spectrum` gives the tables shipped in ``nudipole/data/spectra`` (FORESEE,
files/hadrons/14TeV, MIT licence beside them, listed with their sums in ``catalogue.toml``):

* set ``"default"``: EPOS-LHC for pi0 eta eta' rho omega phi pi+- K+-, plain Pythia 8 for
  J/psi, Upsilon(1S), D+-, D_s+-, B+- (their sums are the seed talk's Table I);
* set ``"nlo"``: NLO (POWHEG) + Pythia 8 for D+-, D_s+-, B+- (1.73, 1.75 and 1.26 times the
  Pythia 8 sums); other particles fall back to ``"default"``;
* set ``"bosons"``: leading-order Pythia 8 W+, W-, Z (forward hemisphere only; normalise to a
  measured or NNLO cross section before quoting absolute rates).

Only non-zero bins are kept (a :class:`Spectrum` holds 1-D arrays of them). The NLO tables
contain a few bins with sigma < 0 (negative-weight NLO events, about 1e-5 of the sum); those
are dropped when the tables are packaged (``benchmarks/ship_spectra.py``), and a user file with
such bins loads with ``drop_negative=True``.
"""

from __future__ import annotations

import functools
import gzip
import math
import re
import tomllib
import zlib
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import IO, Any, Final, Protocol

import numpy as np
from particle import InvalidParticle, Particle, ParticleNotFound

from nudipole.io.results import write_atomic
from nudipole.physics._types import FloatArray

#: Bin width of the FORESEE tables in log10(theta/rad) and log10(p/GeV).
FORESEE_BIN_WIDTH: Final[float] = 0.05
#: A file with more data rows than this is refused (a full 0.05 x 0.05 table has ~21000).
MAX_ROWS: Final[int] = 2_000_000
#: Longest accepted line, in characters.
MAX_LINE_CHARS: Final[int] = 1000
#: Names of the built-in spectra sets.
SPECTRA_SETS: Final[tuple[str, ...]] = ("default", "nlo", "bosons")

_PACKAGE: Final = "nudipole.data.spectra"
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


class SpectrumError(ValueError):
    """A production spectrum is missing or malformed (one line: what, where, how to fix)."""


def particle_name(pdgid: int) -> str:
    """PDG name of ``pdgid`` from the ``particle`` package, or ``"PDG <id>"`` if unknown."""
    try:
        return str(Particle.from_pdgid(pdgid).name)
    except (ParticleNotFound, InvalidParticle):
        return f"PDG {pdgid}"


def _readonly(values: Any, name: str) -> FloatArray:
    arr = np.array(values, dtype=np.float64)
    if arr.ndim != 1:
        raise SpectrumError(f"Spectrum.{name} must be a 1-D array, got shape {arr.shape}")
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Spectrum:
    """Forward production spectrum: the non-zero bins of a FORESEE table.

    Attributes
    ----------
    pdgid, particle
        PDG id and name of the produced particle.
    generator, spectra_set
        Event generator, and the built-in set the table belongs to ("user" for a user's file).
    sqrt_s_gev
        pp centre-of-mass energy, GeV.
    log10_theta, log10_p, sigma_pb
        Read-only 1-D arrays over the non-zero bins: bin centres in log10(theta/rad) and
        log10(p/GeV), and the cross section in each bin, pb (all > 0).
    bin_width_log10
        Bin width in both logarithms (0.05 for FORESEE tables).
    source, origin
        Provenance (generator run or publication) and the file the table was read from.
    settings
        Generator settings of a table made by nudipole (empty otherwise).
    """

    pdgid: int
    particle: str
    generator: str
    spectra_set: str
    sqrt_s_gev: float
    log10_theta: FloatArray = field(repr=False)
    log10_p: FloatArray = field(repr=False)
    sigma_pb: FloatArray = field(repr=False)
    bin_width_log10: float = FORESEE_BIN_WIDTH
    source: str = ""
    origin: str = ""
    settings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("log10_theta", "log10_p", "sigma_pb"):
            object.__setattr__(self, name, _readonly(getattr(self, name), name))
        n = self.sigma_pb.size
        if self.log10_theta.size != n or self.log10_p.size != n:
            raise SpectrumError(
                f"Spectrum arrays differ in length: log10_theta {self.log10_theta.size}, "
                f"log10_p {self.log10_p.size}, sigma_pb {n}"
            )
        if not (np.all(np.isfinite(self.sigma_pb)) and np.all(self.sigma_pb > 0.0)):
            raise SpectrumError("Spectrum.sigma_pb must hold finite positive values (pb)")
        if not (np.all(np.isfinite(self.log10_theta)) and np.all(np.isfinite(self.log10_p))):
            raise SpectrumError("Spectrum.log10_theta and log10_p must be finite")
        width = float(self.bin_width_log10)
        if not (math.isfinite(width) and width > 0.0):
            raise SpectrumError(f"Spectrum.bin_width_log10 must be positive, got {width}")
        sqrt_s = float(self.sqrt_s_gev)
        if not (math.isfinite(sqrt_s) and sqrt_s > 0.0):
            raise SpectrumError(f"Spectrum.sqrt_s_gev must be positive (GeV), got {sqrt_s}")
        object.__setattr__(self, "bin_width_log10", width)
        object.__setattr__(self, "sqrt_s_gev", sqrt_s)
        object.__setattr__(self, "pdgid", int(self.pdgid))
        object.__setattr__(self, "settings", tuple(str(s) for s in self.settings))

    @property
    def total_pb(self) -> float:
        """Forward cross section, pb: the sum over bins (exactly rounded, math.fsum)."""
        return math.fsum(self.sigma_pb.tolist())

    @property
    def rows(self) -> int:
        """Number of non-zero bins."""
        return int(self.sigma_pb.size)

    def theta(self) -> FloatArray:
        """Bin-centre polar angles, rad (10**log10_theta)."""
        return np.asarray(10.0**self.log10_theta)

    def momentum(self) -> FloatArray:
        """Bin-centre momenta, GeV (10**log10_p)."""
        return np.asarray(10.0**self.log10_p)

    def restrict(self, theta_max: float) -> Spectrum:
        """The bins whose lower theta edge lies below ``theta_max`` (rad), the others dropped.

        Used to prune a spectrum to the angles a detector can see: a bin that reaches below
        ``theta_max`` is kept whole.
        """
        limit = float(theta_max)
        if not (math.isfinite(limit) and limit > 0.0):
            raise SpectrumError(f"theta_max must be a positive angle in rad, got {theta_max}")
        keep = self.log10_theta - 0.5 * self.bin_width_log10 < math.log10(limit)
        return replace(
            self,
            log10_theta=self.log10_theta[keep],
            log10_p=self.log10_p[keep],
            sigma_pb=self.sigma_pb[keep],
        )


# --------------------------------------------------------------------------- reading
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


def _parse(handle: _LineSource, origin: str, drop_negative: bool) -> _Parsed:
    out = _Parsed(array("d"), array("d"), array("d"), array("q"))
    for number, raw in _lines(handle, origin):
        text = raw.strip()
        if not text:
            continue
        if text.startswith("#"):
            pid = _PID_LINE.match(text)
            if pid:
                out.header_pid = int(pid.group(1))
            width = _WIDTH_LINE.match(text)
            if width:
                out.header_width = _number(width.group(1), origin, number, "bin width")
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


# --------------------------------------------------------------------------- writing
def format_foresee(spectrum: Spectrum, header_lines: Sequence[str] = ()) -> str:
    """The spectrum as FORESEE-format text: a ``#`` header, then one row per non-zero bin.

    The header names the particle (``# pid:`` line, read back by :func:`load_foresee`), the
    generator, sqrt(s), units, bin width, the normalisation (sum of the third column, pb), the
    source, the generator settings and then ``header_lines`` (one ``#`` line each). Numbers
    are written with ``repr`` so that reading the text back gives the same floats.
    """
    head = [
        f"Forward production spectrum of {spectrum.particle} (PDG id {spectrum.pdgid}), "
        f"pp at sqrt(s) = {spectrum.sqrt_s_gev:g} GeV",
        f"pid: {spectrum.pdgid}",
        f"generator: {spectrum.generator}",
        f"sqrt(s): {spectrum.sqrt_s_gev:g} GeV",
        "hemisphere: forward only (pz > 0)",
        "columns: log10(theta/rad) log10(p/GeV) sigma[pb per bin]; theta and p are bin centres",
        f"bin width log10: {spectrum.bin_width_log10!r}",
        f"normalisation: {spectrum.total_pb!r} pb (sum of the third column)",
    ]
    if spectrum.source:
        head.append(f"source: {spectrum.source}")
    head += [f"setting: {s}" for s in spectrum.settings]
    for line in header_lines:
        if "\n" in line or "\r" in line:
            raise SpectrumError(f"header line {line!r} must not contain a line break")
        head.append(line.lstrip("#").strip())
    rows = zip(
        spectrum.log10_theta.tolist(),
        spectrum.log10_p.tolist(),
        spectrum.sigma_pb.tolist(),
        strict=True,
    )
    body = [f"{t!r} {p!r} {s!r}" for t, p, s in rows]
    return "".join(f"# {h}\n" for h in head) + "\n".join(body) + "\n"


def write_foresee(spectrum: Spectrum, path: str | Path, header_lines: Sequence[str] = ()) -> None:
    """Write :func:`format_foresee` to ``path`` atomically (gzip if the name ends in .gz)."""
    data = format_foresee(spectrum, header_lines).encode("utf-8")
    if str(path).lower().endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    write_atomic(path, data)


# --------------------------------------------------------------------------- built-in tables
@dataclass(frozen=True)
class CatalogueEntry:
    """One shipped table, as listed in ``nudipole/data/spectra/catalogue.toml``.

    ``sum_pb`` and ``rows`` describe the shipped (non-zero) rows; ``original_rows`` counts the
    rows of the FORESEE file, ``dropped_negative_rows``/``dropped_negative_pb`` the bins with
    sigma < 0 that were left out (NLO tables only).
    """

    file: str
    original_file: str
    pdgid: int
    particle: str
    generator: str
    spectra_set: str
    sqrt_s_gev: float
    sum_pb: float
    rows: int
    original_rows: int
    dropped_negative_rows: int
    dropped_negative_pb: float
    bin_width_log10: float
    grid: str
    reference: str
    source: str


_ENTRY_KEYS: Final = {
    "file", "original_file", "pdgid", "particle", "generator", "set", "sqrt_s_gev", "sum_pb",
    "rows", "original_rows", "dropped_negative_rows", "dropped_negative_pb",
    "bin_width_log10", "grid", "reference", "source",
}  # fmt: skip


def _entry(table: dict[str, Any]) -> CatalogueEntry:
    unknown, missing = set(table) - _ENTRY_KEYS, _ENTRY_KEYS - set(table)
    if unknown or missing:
        raise SpectrumError(
            f"spectra catalogue entry {table.get('file')!r}: unknown fields {sorted(unknown)}, "
            f"missing {sorted(missing)} (a packaging error: rerun benchmarks/ship_spectra.py)"
        )
    return CatalogueEntry(
        file=str(table["file"]),
        original_file=str(table["original_file"]),
        pdgid=int(table["pdgid"]),
        particle=str(table["particle"]),
        generator=str(table["generator"]),
        spectra_set=str(table["set"]),
        sqrt_s_gev=float(table["sqrt_s_gev"]),
        sum_pb=float(table["sum_pb"]),
        rows=int(table["rows"]),
        original_rows=int(table["original_rows"]),
        dropped_negative_rows=int(table["dropped_negative_rows"]),
        dropped_negative_pb=float(table["dropped_negative_pb"]),
        bin_width_log10=float(table["bin_width_log10"]),
        grid=str(table["grid"]),
        reference=str(table["reference"]),
        source=str(table["source"]),
    )


@functools.lru_cache(maxsize=1)
def _catalogue() -> tuple[CatalogueEntry, ...]:
    text = resources.files(_PACKAGE).joinpath("catalogue.toml").read_text("utf-8")
    return tuple(_entry(t) for t in tomllib.loads(text)["table"])


def builtin_catalogue() -> list[CatalogueEntry]:
    """The shipped tables (frozen entries), in catalogue order."""
    return list(_catalogue())


def _as_pdgid(pdgid: Any) -> int:
    if isinstance(pdgid, bool) or not isinstance(pdgid, int | np.integer):
        raise SpectrumError(f"pdgid must be an integer PDG id (e.g. 111), got {pdgid!r}")
    return int(pdgid)


def _find(pdgid: int, spectra_set: str) -> CatalogueEntry | None:
    for entry in _catalogue():
        if entry.pdgid == pdgid and entry.spectra_set == spectra_set:
            return entry
    return None


@functools.cache
def _load_builtin(file: str) -> Spectrum:
    entry = next(e for e in _catalogue() if e.file == file)
    resource: Traversable = resources.files(_PACKAGE).joinpath(file)
    with resource.open("rb") as raw, _data(raw) as handle:
        parsed = _parse(handle, file, drop_negative=False)
    spectrum = _build(
        parsed,
        file,
        path_name=file,
        pdgid=entry.pdgid,
        particle=entry.particle,
        generator=entry.generator,
        spectra_set=entry.spectra_set,
        sqrt_s_gev=entry.sqrt_s_gev,
        source=entry.source,
    )
    if spectrum.rows != entry.rows or spectrum.total_pb != entry.sum_pb:
        raise SpectrumError(
            f"{file}: {spectrum.rows} rows summing to {spectrum.total_pb!r} pb, but the "
            f"catalogue says {entry.rows} rows and {entry.sum_pb!r} pb (a packaging error)"
        )
    return spectrum


def builtin_spectrum(pdgid: int, spectra_set: str = "default") -> Spectrum:
    """A shipped 14 TeV forward spectrum (cached: the same immutable object on every call).

    Parameters
    ----------
    pdgid
        PDG id of the particle (charged mesons: each charge has its own table).
    spectra_set
        ``"default"`` (EPOS-LHC light mesons, Pythia 8 heavy ones: the talk's Table I),
        ``"nlo"`` (NLO + Pythia 8 for D+-, D_s+-, B+-, the rest as "default") or
        ``"bosons"`` (leading-order Pythia 8 W+-, Z).
    """
    pid = _as_pdgid(pdgid)
    if spectra_set not in SPECTRA_SETS:
        raise SpectrumError(
            f"unknown spectra set {spectra_set!r}: use one of {', '.join(SPECTRA_SETS)}"
        )
    entry = _find(pid, spectra_set)
    if entry is None and spectra_set == "nlo":
        entry = _find(pid, "default")
    if entry is None:
        offered = sorted({e.pdgid for e in _catalogue() if e.spectra_set == spectra_set})
        elsewhere = sorted({e.spectra_set for e in _catalogue() if e.pdgid == pid})
        hint = f"; PDG {pid} is in set {', '.join(elsewhere)}" if elsewhere else ""
        raise SpectrumError(
            f"no built-in {spectra_set!r} spectrum for PDG id {pid} ({particle_name(pid)}); "
            f"that set has {', '.join(map(str, offered))}{hint}"
        )
    return _load_builtin(entry.file)


__all__ = [
    "FORESEE_BIN_WIDTH",
    "MAX_ROWS",
    "SPECTRA_SETS",
    "CatalogueEntry",
    "Spectrum",
    "SpectrumError",
    "builtin_catalogue",
    "builtin_spectrum",
    "format_foresee",
    "load_foresee",
    "particle_name",
    "write_foresee",
]
