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

Processes (``process``; default by particle, :func:`default_process`):

* ``inelastic``: SoftQCD:inelastic (non-diffractive + diffractive), light hadrons;
* ``nondiffractive``: SoftQCD:nonDiffractive only (faster initialisation);
* ``hardccbar`` / ``hardbbbar``: HardQCD:hardccbar / hardbbbar (LO heavy-quark pairs),
  open charm / beauty;
* ``charmonium`` / ``bottomonium``: Charmonium:all / Bottomonium:all (NRQCD), J/psi, Upsilon;
* ``w`` / ``z``: WeakSingleBoson:ffbar2W / ffbar2gmZ with the Z part only (WeakZ0:gmZmode = 2).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from types import MappingProxyType
from typing import Any, Final

import hepunits
import numpy as np
from particle import InvalidParticle, Particle, ParticleNotFound
from particle.pdgid import has_bottom, has_charm

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
#: Abort when more than this fraction of events fail (Pythia's next() returns False).
_MAX_FAIL_FRACTION: Final[float] = 0.1

ProgressCallback = Callable[[int], None]


def _check_pdgid(pdgid: Any) -> int:
    if isinstance(pdgid, bool) or not isinstance(pdgid, int | np.integer):
        raise SpectrumError(f"pdgid must be an integer PDG id (e.g. 111), got {pdgid!r}")
    try:
        Particle.from_pdgid(int(pdgid))
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
    return int(Particle.from_pdgid(_check_pdgid(pdgid)).invert().pdgid)


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
        raise SpectrumError(
            f"number of events {n_events} is outside 1..{MAX_EVENTS:.0e} "
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
    hist = {pid: _Histogram(p_upper) for pid in wanted}
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
            for j in range(event.size()):
                part = event[j]
                target = hist.get(part.id())
                if target is not None and part.pz() > 0.0 and part.iBotCopyId() == j:
                    target.add(part.pT(), part.pz(), part.pAbs(), weight)
        if progress is not None and (i + 1 - done >= step or i + 1 == n):
            progress(i + 1 - done)
            done = i + 1
    # infoPython() is a snapshot: ask again after the run
    sigma_gen_pb = float(pythia.infoPython().sigmaGen()) * _MB_TO_PB
    if weight_sum <= 0.0 or not sigma_gen_pb > 0.0:
        raise SpectrumError(f"Pythia generated no events with: {'; '.join(lines)}")
    version = f"{float(pythia.parm('Pythia:versionNumber')):.3f}"
    package = metadata.version("pythia8mc")
    out: dict[int, Spectrum] = {}
    for pid, h in hist.items():
        h.flush()
        log_t, log_p, weights = h.centres()
        if weights.size == 0:
            raise SpectrumError(
                f"no PDG {pid} with pz > 0 in {n} events of process {process!r}: generate "
                "more events or choose another process"
            )
        scale = sigma_gen_pb / weight_sum
        out[pid] = Spectrum(
            pdgid=pid,
            particle=str(Particle.from_pdgid(pid).name),
            generator=f"Pythia {version}",
            spectra_set="user",
            sqrt_s_gev=energy,
            log10_theta=log_t,
            log10_p=log_p,
            sigma_pb=weights * scale,
            bin_width_log10=FORESEE_BIN_WIDTH,
            source=(
                f"Pythia {version} (pythia8mc {package}), process {process}: {n - failed} "
                f"events ({failed} failed), seed {int(seed)}, sigmaGen = {sigma_gen_pb:.6g} pb; "
                f"outside the grid: {h.outside * scale:.3g} pb"
            ),
            origin="pythia8mc",
            settings=lines,
        )
    return out


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
    "MAX_EVENTS",
    "MAX_SEED",
    "PROCESSES",
    "anti_pdgid",
    "default_process",
    "format_foresee",
    "generate_spectra",
    "generate_spectrum",
    "pythia_settings",
    "write_foresee",
]
