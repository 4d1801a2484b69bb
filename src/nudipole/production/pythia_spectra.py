"""Forward production spectra generated with Pythia 8, in the FORESEE table format.

Pythia 8 (C. Bierlich et al., SciPost Phys. Codebases 8 (2022), arXiv:2203.11601) is used through
its PyPI build ``pythia8mc`` (GPL-2.0-or-later), an optional dependency imported only inside
:func:`generate_spectra`; the rest of nudipole works without it.

Each pp event at ``sqrt_s_gev`` is scanned for the requested PDG ids; every particle of such an
id with pz > 0 (forward hemisphere) is counted once (its last copy in the event record, so a
W or Z recoiling against initial-state radiation counts once, with its final momentum) in the
bin of (log10(theta/rad), log10(p/GeV)) of the FORESEE grid: 0.05 wide, log10(theta) in
[-7.3, 0.2], log10(p) in [-2, 5] (extended upwards if sqrt(s)/2 > 10^5 GeV). The table is
normalised with Pythia's generated cross section: sigma_bin = sigmaGen x (sum of event weights
in the bin) / (sum of event weights). Particles outside the grid are reported in ``source``.

Full angle (:func:`generate_full_angle`, CLI ``--hemisphere both``): the same run also fills a
second table with the particles of pz < 0, the *backward* hemisphere, binned in the angle to
the -z beam axis, theta_b = pi - theta. Both tables are ordinary FORESEE tables (theta from 0
to pi/2 on the same logarithmic grid, so the small angles around either beam keep their
resolution; a single table with theta up to pi would crowd the whole backward beam region into
its last bin). Forward + backward is the full solid angle; in pp collisions the two are equal
up to statistical fluctuations, so a backward table is also a second, independent sample of
the forward one (:func:`nudipole.production.boson_spectra.folded`).

Processes (``process``; default by particle, :func:`default_process`):

* ``inelastic``: SoftQCD:inelastic (non-diffractive + diffractive), light hadrons;
* ``nondiffractive``: SoftQCD:nonDiffractive only (faster initialisation);
* ``hardccbar`` / ``hardbbbar``: HardQCD:hardccbar / hardbbbar (LO heavy-quark pairs),
  open charm / beauty;
* ``charmonium`` / ``bottomonium``: Charmonium:all / Bottomonium:all (NRQCD), J/psi, Upsilon;
* ``w`` / ``z``: WeakSingleBoson:ffbar2W / ffbar2gmZ with the Z part only (WeakZ0:gmZmode = 2).
"""

from __future__ import annotations

import gzip
import importlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import hepunits
import numpy as np
from particle import InvalidParticle, ParticleNotFound
from particle.pdgid import has_bottom, has_charm

from nudipole.constants import PDG_LOCK, pdg_particle
from nudipole.io.results import write_atomic
from nudipole.physics._types import FloatArray
from nudipole.production.spectra import (
    FORESEE_BIN_WIDTH,
    Spectrum,
    SpectrumError,
    format_foresee,
    write_foresee,
)

#: Pythia settings of each named process.
PROCESSES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "inelastic": ("SoftQCD:inelastic = on",),
        "nondiffractive": ("SoftQCD:nonDiffractive = on",),
        "hardccbar": ("HardQCD:hardccbar = on",),
        "hardbbbar": ("HardQCD:hardbbbar = on",),
        "charmonium": ("Charmonium:all = on",),
        "bottomonium": ("Bottomonium:all = on",),
        "w": ("WeakSingleBoson:ffbar2W = on",),
        "z": ("WeakSingleBoson:ffbar2gmZ = on", "WeakZ0:gmZmode = 2"),
    }
)
#: The hemispheres a table describes: pz > 0 (theta from +z) and pz < 0 (theta from -z).
HEMISPHERES: Final[tuple[str, ...]] = ("forward", "backward")
#: What W and Z kinematics do not need: multiparton interactions, hadronisation and the decay
#: of the boson (a W's or Z's momentum comes from the hard process and initial-state radiation,
#: which stay on; Pythia then runs about 25 times faster). Used for the shipped W/Z tables.
BOSON_KINEMATICS_SETTINGS: Final[tuple[str, ...]] = (
    "PartonLevel:MPI = off",
    "HadronLevel:all = off",
    "ProcessLevel:resonanceDecays = off",
)
#: Header line of each hemisphere's table.
HEMISPHERE_LINES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "forward": "hemisphere: forward (pz > 0); theta is the polar angle to the +z beam axis",
        "backward": "hemisphere: backward (pz < 0); theta is the angle to the -z beam axis "
        "(pi minus the polar angle)",
    }
)
#: Most events one call may generate.
MAX_EVENTS: Final[int] = 10**8
#: Pythia's seeds run from 1 to 900 000 000 (0 would mean "from the clock").
MAX_SEED: Final[int] = 900_000_000
#: Lowest sqrt(s) accepted, GeV (Pythia's pp models start at about 10 GeV).
MIN_SQRT_S_GEV: Final[float] = 10.0
#: The FORESEE grid: lower and upper bin edges in log10(theta/rad) and log10(p/GeV).
LOG10_THETA_RANGE: Final[tuple[float, float]] = (-7.3, 0.2)
LOG10_P_RANGE: Final[tuple[float, float]] = (-2.0, 5.0)
#: Pythia's sigmaGen is in mb.
_MB_TO_PB: Final[float] = hepunits.millibarn / hepunits.picobarn
#: Settings a caller may not override through ``settings`` (they have their own arguments).
_RESERVED: Final[tuple[str, ...]] = ("random:seed", "random:setseed", "beams:ecm", "print:quiet")
_FLUSH: Final[int] = 100_000
#: Processes whose counted particles all come from the hard process (see _run).
_HARD_PROCESS_ONLY: Final[frozenset[str]] = frozenset({"w", "z"})
#: Abort when more than this fraction of events fail (Pythia's next() returns False).
_MAX_FAIL_FRACTION: Final[float] = 0.1

ProgressCallback = Callable[[int], None]


def _check_pdgid(pdgid: Any) -> int:
    if isinstance(pdgid, bool) or not isinstance(pdgid, int | np.integer):
        raise SpectrumError(f"pdgid must be an integer PDG id (e.g. 111), got {pdgid!r}")
    try:
        pdg_particle(int(pdgid))
    except (ParticleNotFound, InvalidParticle):
        raise SpectrumError(
            f"unknown PDG id {pdgid}: not in the PDG tables of the 'particle' package"
        ) from None
    return int(pdgid)


def default_process(pdgid: int) -> str:
    """Default process for a particle: quarkonia -> onia, open heavy flavour -> heavy-quark
    pairs, W/Z -> single boson, anything else -> soft-QCD inelastic."""
    pid = _check_pdgid(pdgid)
    if abs(pid) == 24:
        return "w"
    if pid == 23:
        return "z"
    q2, q3 = (abs(pid) // 100) % 10, (abs(pid) // 10) % 10
    if abs(pid) < 1_000_000 and (abs(pid) // 1000) % 10 == 0 and q2 == q3 and q2 in (4, 5):
        return "charmonium" if q2 == 4 else "bottomonium"
    if has_bottom(pid):
        return "hardbbbar"
    if has_charm(pid):
        return "hardccbar"
    return "inelastic"


def anti_pdgid(pdgid: int) -> int:
    """PDG id of the charge conjugate (the id itself for a self-conjugate particle)."""
    pid = _check_pdgid(pdgid)
    with PDG_LOCK:
        return int(pdg_particle(pid).invert().pdgid)


def pythia_settings(
    sqrt_s_gev: float,
    seed: int,
    process: str,
    tune: int | None = None,
    settings: Sequence[str] = (),
) -> tuple[str, ...]:
    """The Pythia setting strings of a run (recorded in the table's header).

    Raises
    ------
    SpectrumError
        sqrt(s) not finite or below :data:`MIN_SQRT_S_GEV`, a seed outside
        1..:data:`MAX_SEED`, an unknown process, a tune that is not a positive integer, or an
        extra setting without ``=`` or one that overrides the seed, beam energy or quiet mode.
    """
    energy = float(sqrt_s_gev)
    if not (math.isfinite(energy) and energy >= MIN_SQRT_S_GEV):
        raise SpectrumError(
            f"sqrt(s) = {sqrt_s_gev} GeV: give a finite energy of at least {MIN_SQRT_S_GEV:g} GeV"
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise SpectrumError(f"seed must be an integer, got {seed!r}")
    if not 1 <= int(seed) <= MAX_SEED:
        raise SpectrumError(f"seed {seed} is outside Pythia's range 1..{MAX_SEED}")
    if process not in PROCESSES:
        raise SpectrumError(f"unknown process {process!r}: use one of {', '.join(PROCESSES)}")
    out = [
        "Print:quiet = on",
        "Beams:idA = 2212",
        "Beams:idB = 2212",
        f"Beams:eCM = {energy!r}",
        "Random:setSeed = on",
        f"Random:seed = {int(seed)}",
        *PROCESSES[process],
    ]
    if tune is not None:
        if isinstance(tune, bool) or not isinstance(tune, int | np.integer) or tune < 1:
            raise SpectrumError(f"tune must be a positive Pythia Tune:pp number, got {tune!r}")
        out.append(f"Tune:pp = {int(tune)}")
    for line in settings:
        key = line.split("=", 1)[0].strip().lower()
        if "=" not in line or "\n" in line or not key:
            raise SpectrumError(f"Pythia setting {line!r} must read 'Name:key = value'")
        if key in _RESERVED:
            raise SpectrumError(
                f"Pythia setting {line!r} is set by nudipole: use the seed / sqrt(s) arguments"
            )
        out.append(line.strip())
    return tuple(out)


def _check_events(n_events: Any) -> int:
    if isinstance(n_events, bool) or not isinstance(n_events, int | np.integer):
        raise SpectrumError(f"number of events must be an integer, got {n_events!r}")
    if not 1 <= int(n_events) <= MAX_EVENTS:
        # a huge count as 1.00e+300, not its 300 digits (nor float(), which overflows)
        digits = str(abs(int(n_events)))
        sign = "-" if int(n_events) < 0 else ""
        shown = (
            sign + digits
            if len(digits) <= 12
            else f"{sign}{digits[0]}.{digits[1:3]}e+{len(digits) - 1}"
        )
        raise SpectrumError(
            f"number of events {shown} is outside 1..{MAX_EVENTS:.0e} "
            "(split larger productions into several seeds)"
        )
    return int(n_events)


def _import_pythia() -> Any:
    try:
        return importlib.import_module("pythia8mc")
    except ImportError:
        raise SpectrumError(
            "generating spectra needs Pythia 8's Python module: pip install pythia8mc"
        ) from None


class _Histogram:
    """Weights binned on the FORESEE grid, filled in chunks."""

    def __init__(self, p_upper: float) -> None:
        self.theta_lo = LOG10_THETA_RANGE[0]
        self.p_lo = LOG10_P_RANGE[0]
        w = FORESEE_BIN_WIDTH
        self.n_theta = round((LOG10_THETA_RANGE[1] - self.theta_lo) / w)
        self.n_p = round((p_upper - self.p_lo) / w)
        self.counts = np.zeros((self.n_theta, self.n_p))
        self.outside = 0.0
        self.buffer: list[tuple[float, float, float, float]] = []

    def add(self, pt: float, pz: float, p: float, weight: float) -> None:
        self.buffer.append((pt, pz, p, weight))
        if len(self.buffer) >= _FLUSH:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        pt, pz, p, weight = (np.asarray(c, dtype=float) for c in zip(*self.buffer, strict=True))
        self.buffer.clear()
        with np.errstate(divide="ignore"):  # pT = 0 (theta = 0) or p = 0 fall outside the grid
            log_t = np.log10(np.arctan2(pt, pz))
            log_p = np.log10(p)
        i_t = np.floor((log_t - self.theta_lo) / FORESEE_BIN_WIDTH)
        i_p = np.floor((log_p - self.p_lo) / FORESEE_BIN_WIDTH)
        inside = (i_t >= 0) & (i_t < self.n_theta) & (i_p >= 0) & (i_p < self.n_p)
        np.add.at(self.counts, (i_t[inside].astype(int), i_p[inside].astype(int)), weight[inside])
        self.outside += float(weight[~inside].sum())

    def centres(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Bin centres (rounded to 1e-9 to drop float noise) and contents of non-zero bins."""
        i_t, i_p = np.nonzero(self.counts)
        w = FORESEE_BIN_WIDTH
        log_t = np.round(self.theta_lo + (i_t + 0.5) * w, 9)
        log_p = np.round(self.p_lo + (i_p + 0.5) * w, 9)
        return log_t, log_p, np.asarray(self.counts[i_t, i_p])


@dataclass(frozen=True)
class FullAngleSpectra:
    """The two hemisphere tables of one particle from one run (:func:`generate_full_angle`).

    Attributes
    ----------
    forward, backward
        Tables of the particles with pz > 0 (theta from the +z axis) and pz < 0 (theta from
        the -z axis), both normalised with the run's sigmaGen, pb per bin.
    sigma_gen_pb
        Pythia's generated cross section of the run, pb.
    events, failed
        Events generated and events Pythia failed to generate (left out).
    outside_pb
        Cross section of the particles that fell outside the grid (both hemispheres), pb.
    """

    forward: Spectrum
    backward: Spectrum
    sigma_gen_pb: float
    events: int
    failed: int
    outside_pb: float

    @property
    def total_pb(self) -> float:
        """Both hemispheres together, pb (the particle's multiplicity times sigmaGen)."""
        return self.forward.total_pb + self.backward.total_pb


@dataclass
class _Run:
    """What one Pythia run produced: histograms per (PDG id, hemisphere) and the totals."""

    hist: dict[tuple[int, str], _Histogram]
    lines: tuple[str, ...]
    process: str
    n: int
    failed: int
    weight_sum: float
    sigma_gen_pb: float
    version: str
    package: str


def _run(
    pdgids: Sequence[int],
    n_events: int,
    sqrt_s_gev: float,
    seed: int,
    hemispheres: tuple[str, ...],
    process: str | None,
    tune: int | None,
    settings: Sequence[str],
    progress: ProgressCallback | None,
) -> _Run:
    """One Pythia run filling a histogram per requested (PDG id, hemisphere)."""
    wanted = [_check_pdgid(p) for p in pdgids]
    if not wanted or len(set(wanted)) != len(wanted):
        raise SpectrumError(f"give distinct PDG ids to count, got {list(pdgids)}")
    n = _check_events(n_events)
    if process is None:
        defaults = {default_process(p) for p in wanted}
        if len(defaults) > 1:
            raise SpectrumError(
                f"PDG ids {wanted} have different default processes {sorted(defaults)}: "
                "choose one with process=..."
            )
        process = defaults.pop()
    lines = pythia_settings(sqrt_s_gev, seed, process, tune, settings)
    energy = float(sqrt_s_gev)
    pythia8mc = _import_pythia()
    pythia = pythia8mc.Pythia("", False)
    for line in lines:
        if not pythia.readString(line, False):
            raise SpectrumError(f"Pythia does not accept the setting {line!r}")
    if tune is not None and pythia.mode("Tune:pp") != int(tune):
        raise SpectrumError(f"Pythia has no Tune:pp = {tune}")
    if not pythia.init():
        raise SpectrumError(f"Pythia failed to initialise with: {'; '.join(lines)}")
    p_upper = max(
        LOG10_P_RANGE[1],
        FORESEE_BIN_WIDTH * math.ceil(math.log10(0.5 * energy) / FORESEE_BIN_WIDTH + 1.0),
    )
    hist = {(pid, side): _Histogram(p_upper) for pid in wanted for side in hemispheres}
    forward = {pid: hist[(pid, "forward")] for pid in wanted}
    backward = {pid: hist[(pid, "backward")] for pid in wanted} if "backward" in hemispheres else {}
    # W and Z of the single-boson processes all come from the hard process (no MPI or shower
    # source unless weak showers are switched on): look them up in the short process record
    # and follow each to its last copy in the event record, about 30% faster than a full scan
    hard_only = process in _HARD_PROCESS_ONLY and not any(
        "weakshower" in line.replace(" ", "").lower() for line in lines
    )
    weight_sum = 0.0
    failed = 0
    step = max(1, n // 200)
    done = 0
    for i in range(n):
        if not pythia.next():
            failed += 1
            if failed > max(10, _MAX_FAIL_FRACTION * n):
                raise SpectrumError(
                    f"Pythia failed to generate {failed} of {i + 1} events with: {'; '.join(lines)}"
                )
        else:
            weight = float(pythia.infoPython().weight())
            weight_sum += weight
            event = pythia.event
            found: Sequence[int]
            if hard_only:
                record = pythia.process
                found = [
                    event[j].iBotCopyId()
                    for j in range(record.size())
                    if record[j].id() in forward and event[j].id() == record[j].id()
                ]
            else:
                found = range(event.size())
            for j in found:
                part = event[j]
                pid = part.id()
                if pid not in forward or part.iBotCopyId() != j:
                    continue
                pz = part.pz()
                if pz > 0.0:
                    forward[pid].add(part.pT(), pz, part.pAbs(), weight)
                elif pz < 0.0 and backward:
                    # the angle to the -z axis: mirror the particle through the z = 0 plane
                    backward[pid].add(part.pT(), -pz, part.pAbs(), weight)
        if progress is not None and (i + 1 - done >= step or i + 1 == n):
            progress(i + 1 - done)
            done = i + 1
    # infoPython() is a snapshot: ask again after the run
    sigma_gen_pb = float(pythia.infoPython().sigmaGen()) * _MB_TO_PB
    if weight_sum <= 0.0 or not sigma_gen_pb > 0.0:
        raise SpectrumError(f"Pythia generated no events with: {'; '.join(lines)}")
    for h in hist.values():
        h.flush()
    return _Run(
        hist=hist,
        lines=lines,
        process=process,
        n=n,
        failed=failed,
        weight_sum=weight_sum,
        sigma_gen_pb=sigma_gen_pb,
        version=f"{float(pythia.parm('Pythia:versionNumber')):.3f}",
        package=metadata.version("pythia8mc"),
    )


def _table(run: _Run, pid: int, side: str, seed: int, sqrt_s_gev: float) -> Spectrum:
    """The (PDG id, hemisphere) histogram of a run as a normalised :class:`Spectrum`."""
    h = run.hist[(pid, side)]
    log_t, log_p, weights = h.centres()
    if weights.size == 0:
        sign = "pz > 0" if side == "forward" else "pz < 0"
        raise SpectrumError(
            f"no PDG {pid} with {sign} in {run.n} events of process {run.process!r}: "
            "generate more events or choose another process"
        )
    scale = run.sigma_gen_pb / run.weight_sum
    where = "" if side == "forward" else "; backward hemisphere (pz < 0), theta from the -z axis"
    return Spectrum(
        pdgid=pid,
        particle=str(pdg_particle(pid).name),
        generator=f"Pythia {run.version}",
        spectra_set="user",
        sqrt_s_gev=float(sqrt_s_gev),
        log10_theta=log_t,
        log10_p=log_p,
        sigma_pb=weights * scale,
        bin_width_log10=FORESEE_BIN_WIDTH,
        source=(
            f"Pythia {run.version} (pythia8mc {run.package}), process {run.process}: "
            f"{run.n - run.failed} events ({run.failed} failed), seed {int(seed)}, "
            f"sigmaGen = {run.sigma_gen_pb:.6g} pb; outside the grid: "
            f"{h.outside * scale:.3g} pb{where}"
        ),
        origin="pythia8mc",
        settings=run.lines,
    )


def generate_spectra(
    pdgids: Sequence[int],
    n_events: int,
    sqrt_s_gev: float,
    seed: int,
    *,
    process: str | None = None,
    tune: int | None = None,
    settings: Sequence[str] = (),
    progress: ProgressCallback | None = None,
) -> dict[int, Spectrum]:
    """Forward spectra of several particles from one Pythia 8 run (one table per PDG id).

    Parameters
    ----------
    pdgids
        PDG ids to count (a particle and its conjugate give two separate tables).
    n_events
        Number of pp events, 1..:data:`MAX_EVENTS`.
    sqrt_s_gev
        pp centre-of-mass energy, GeV.
    seed
        Pythia random seed, 1..:data:`MAX_SEED` (Random:setSeed = on; no global RNG).
    process
        Name in :data:`PROCESSES`; default :func:`default_process` of the ids (which must then
        agree).
    tune
        Pythia ``Tune:pp`` number (default: Pythia's own, Monash 2013).
    settings
        Further Pythia setting strings, applied last.
    progress
        Called with the number of events done since the previous call.

    Returns
    -------
    dict
        PDG id -> :class:`Spectrum` (``spectra_set = "user"``, ``settings`` = the Pythia
        settings), normalised with Pythia's sigmaGen in pb.

    Raises
    ------
    SpectrumError
        Bad input (see :func:`pythia_settings`), pythia8mc not installed, a setting Pythia
        does not accept, a failed initialisation, too many failed events, or no particle of
        a requested id in the forward hemisphere.
    """
    run = _run(pdgids, n_events, sqrt_s_gev, seed, ("forward",), process, tune, settings, progress)
    return {pid: _table(run, pid, "forward", seed, sqrt_s_gev) for pid, _ in run.hist}


def generate_full_angle(
    pdgids: Sequence[int],
    n_events: int,
    sqrt_s_gev: float,
    seed: int,
    *,
    process: str | None = None,
    tune: int | None = None,
    settings: Sequence[str] = (),
    progress: ProgressCallback | None = None,
) -> dict[int, FullAngleSpectra]:
    """Forward and backward spectra of several particles from one Pythia 8 run.

    The forward table is exactly what :func:`generate_spectra` makes with the same arguments
    (same seed, same events); the backward table holds the particles with pz < 0, binned in
    their angle to the -z axis (pi - theta) on the same FORESEE grid. Together they cover the
    full solid angle. Arguments as for :func:`generate_spectra`.

    Returns
    -------
    dict
        PDG id -> :class:`FullAngleSpectra` (both tables normalised with Pythia's sigmaGen, pb
        per bin; ``source`` of the backward table says it is the backward hemisphere).

    Raises
    ------
    SpectrumError
        As :func:`generate_spectra`, or a requested particle missing from either hemisphere.
    """
    run = _run(pdgids, n_events, sqrt_s_gev, seed, HEMISPHERES, process, tune, settings, progress)
    scale = run.sigma_gen_pb / run.weight_sum
    out: dict[int, FullAngleSpectra] = {}
    for pid in dict.fromkeys(p for p, _ in run.hist):
        outside = sum(run.hist[(pid, side)].outside for side in HEMISPHERES) * scale
        out[pid] = FullAngleSpectra(
            forward=_table(run, pid, "forward", seed, sqrt_s_gev),
            backward=_table(run, pid, "backward", seed, sqrt_s_gev),
            sigma_gen_pb=run.sigma_gen_pb,
            events=run.n - run.failed,
            failed=run.failed,
            outside_pb=outside,
        )
    return out


def format_hemisphere(spectrum: Spectrum, hemisphere: str, header_lines: Sequence[str] = ()) -> str:
    """:func:`format_foresee` text of one hemisphere's table, its ``# hemisphere:`` line saying
    which (see :data:`HEMISPHERE_LINES`); read back with ``load_foresee`` like any table."""
    if hemisphere not in HEMISPHERE_LINES:
        raise SpectrumError(
            f"unknown hemisphere {hemisphere!r}: use one of {', '.join(HEMISPHERE_LINES)}"
        )
    wanted = f"# {HEMISPHERE_LINES[hemisphere]}"
    lines = format_foresee(spectrum, header_lines).split("\n")
    title = f"# {hemisphere.capitalize()}-hemisphere production spectrum"
    lines[0] = lines[0].replace("# Forward production spectrum", title, 1)
    found = [i for i, line in enumerate(lines) if line.startswith("# hemisphere:")]
    if found:
        for i in found:
            lines[i] = wanted
    else:  # the writer gave no hemisphere line: put one after the title
        lines.insert(1, wanted)
    return "\n".join(lines)


def write_hemisphere(
    spectrum: Spectrum, path: str | Path, hemisphere: str, header_lines: Sequence[str] = ()
) -> None:
    """Write :func:`format_hemisphere` to ``path`` atomically (gzip, no time stamp, if the name
    ends in .gz)."""
    data = format_hemisphere(spectrum, hemisphere, header_lines).encode("utf-8")
    if str(path).lower().endswith(".gz"):
        data = gzip.compress(data, compresslevel=9, mtime=0)
    write_atomic(path, data)


def generate_spectrum(
    pdgid: int,
    n_events: int,
    sqrt_s_gev: float,
    seed: int,
    *,
    process: str | None = None,
    tune: int | None = None,
    settings: Sequence[str] = (),
    progress: ProgressCallback | None = None,
) -> Spectrum:
    """Forward spectrum of one particle from a Pythia 8 run (see :func:`generate_spectra`)."""
    pid = _check_pdgid(pdgid)
    return generate_spectra(
        [pid],
        n_events,
        sqrt_s_gev,
        seed,
        process=process,
        tune=tune,
        settings=settings,
        progress=progress,
    )[pid]


__all__ = [
    "BOSON_KINEMATICS_SETTINGS",
    "HEMISPHERES",
    "HEMISPHERE_LINES",
    "MAX_EVENTS",
    "MAX_SEED",
    "PROCESSES",
    "FullAngleSpectra",
    "anti_pdgid",
    "default_process",
    "format_foresee",
    "format_hemisphere",
    "generate_full_angle",
    "generate_spectra",
    "generate_spectrum",
    "pythia_settings",
    "write_foresee",
    "write_hemisphere",
]
