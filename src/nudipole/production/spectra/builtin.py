"""The forward spectra shipped in ``nudipole/data/spectra``: catalogue and cached loading.

The tables are FORESEE's files/hadrons/14TeV (MIT licence beside them), listed with their sums
in ``catalogue.toml``; the sets (``"default"``, ``"nlo"``, ``"bosons"``) are described in
:mod:`nudipole.production.spectra`. They are packaged by ``benchmarks/ship_spectra.py``.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Final

import numpy as np

from nudipole._parallel import once_per_key
from nudipole.production.spectra.model import Spectrum, SpectrumError, particle_name
from nudipole.production.spectra.reader import _build
from nudipole.production.spectra.rows import open_data, parse_rows

#: Names of the built-in spectra sets.
SPECTRA_SETS: Final[tuple[str, ...]] = ("default", "nlo", "bosons")

_PACKAGE: Final = "nudipole.data.spectra"


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


def has_own_table(pdgid: int, spectra_set: str) -> bool:
    """Whether ``spectra_set`` has a table of its own for ``pdgid`` (the ``nlo`` set takes
    the parents it has none for from ``default``, :func:`builtin_spectrum`)."""
    return _find(_as_pdgid(pdgid), spectra_set) is not None


@once_per_key
@functools.cache
def _load_builtin(file: str) -> Spectrum:
    entry = next(e for e in _catalogue() if e.file == file)
    resource: Traversable = resources.files(_PACKAGE).joinpath(file)
    with resource.open("rb") as raw, open_data(raw) as handle:
        parsed = parse_rows(handle, file, drop_negative=False)
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
