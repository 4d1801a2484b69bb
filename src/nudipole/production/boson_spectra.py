"""W+, W- and Z production spectra at the LHC (pp, 14 TeV), normalised to a measured cross section.

Two sets of tables (``tables``):

* ``"pythia"`` (default): full-angle Pythia 8.317 tables made by nudipole
  (``nudipole spectra generate --hemisphere both``; files, command, seed and settings in
  ``nudipole/data/spectra/wz/``, listed with their comparison to FORESEE in ``catalogue.toml``
  there): a forward table (pz > 0, theta from the +z axis) and a backward one (pz < 0, theta
  from the -z axis) per boson, from one run each for W+-/Z;
* ``"foresee"``: the leading-order Pythia 8 forward tables of FORESEE (set ``"bosons"`` of
  :func:`~nudipole.production.spectra.builtin_spectrum`); they have no backward hemisphere, so
  it is taken to be the mirror image of the forward one (pp is symmetric under z -> -z).

Both are leading order in their normalisation (Pythia's sigmaGen). :func:`boson_spectrum`
rescales a table so that forward + backward equals the total cross section of
:func:`boson_cross_section`: the ATLAS 13 TeV measurement of sigma x B (per lepton flavour)
carried to 14 TeV by a leading-order Pythia transfer factor and divided by the PDG leptonic
branching ratio, all numbers with their sources in ``nudipole/data/spectra/wz/normalisation.toml``
(``benchmarks/wz_normalisation.py`` computes the transfer factors). The shape (theta, p) is
Pythia's; only its overall size changes.
"""

from __future__ import annotations

import functools
import math
import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any, Final

import numpy as np

from nudipole._parallel import once_per_key
from nudipole.production.spectra import (
    Spectrum,
    SpectrumError,
    builtin_spectrum,
    load_foresee,
    particle_name,
)

#: PDG ids of the bosons with tables: W+, W-, Z.
WZ_PDGIDS: Final[tuple[int, ...]] = (24, -24, 23)
#: Table sets: nudipole's full-angle Pythia 8 tables, FORESEE's forward LO tables (mirrored).
WZ_TABLE_SETS: Final[tuple[str, ...]] = ("pythia", "foresee")
#: Hemispheres :func:`boson_spectrum` returns; "folded" is the mean of the two.
WZ_HEMISPHERES: Final[tuple[str, ...]] = ("forward", "backward", "folded")

_PACKAGE: Final = "nudipole.data.spectra.wz"


@dataclass(frozen=True)
class BosonCrossSection:
    """Total production cross section of a W+, W- or Z at 14 TeV and where it comes from.

    ``sigma_pb = measured_pb x transfer_factor / branching_ratio``.

    Attributes
    ----------
    pdgid, particle
        The boson.
    sigma_pb
        sigma(pp -> V + X) at sqrt(s) = 14 TeV, all decays, pb.
    sigma_times_br_pb
        The same times the leptonic branching ratio (one lepton flavour), pb.
    relative_uncertainty
        Measurement, transfer factor (statistics and PDF spread) and branching ratio in
        quadrature, dimensionless.
    measured_pb, measured_uncertainty_pb, measured_sqrt_s_gev, measured_quantity
        The measured sigma x B (pb), its total uncertainty (stat, syst, luminosity in
        quadrature, pb), its pp energy (GeV) and what exactly was measured.
    transfer_factor, transfer_uncertainty
        Leading-order factor from the measured quantity to sigma x B at 14 TeV, and its
        uncertainty (dimensionless).
    branching_ratio, branching_ratio_uncertainty
        PDG leptonic branching ratio (one flavour) and its uncertainty.
    reference, arxiv, source, transfer_source, branching_ratio_source
        Short citation, arXiv id and full provenance of each input.
    """

    pdgid: int
    particle: str
    sigma_pb: float
    sigma_times_br_pb: float
    relative_uncertainty: float
    measured_pb: float
    measured_uncertainty_pb: float
    measured_sqrt_s_gev: float
    measured_quantity: str
    transfer_factor: float
    transfer_uncertainty: float
    branching_ratio: float
    branching_ratio_uncertainty: float
    reference: str
    arxiv: str
    source: str
    transfer_source: str
    branching_ratio_source: str


@dataclass(frozen=True)
class WZTable:
    """One shipped full-angle table (an entry of ``wz/catalogue.toml``).

    Attributes
    ----------
    file, pdgid, particle, hemisphere
        The gzip table beside the catalogue, the boson and ``"forward"``/``"backward"``.
    generator, events, seed, command
        Pythia version, events and seed of the run, and the command that made the table.
    sum_pb, rows
        Sum of the shipped rows (leading order, Pythia's sigmaGen), pb, and their number.
    sigma_gen_pb
        Pythia's generated cross section of the run (all bosons of the process; 6 digits), pb.
    event_pb
        Cross section of one event in a bin (sigmaGen / events), pb: every bin holds a whole
        number of these, so a bin's Poisson error is sqrt(sigma x event_pb).
    comparison
        Numbers comparing the forward table with FORESEE's (empty for a backward table):
        see ``catalogue.toml`` for their definitions.
    """

    file: str
    pdgid: int
    particle: str
    hemisphere: str
    generator: str
    events: int
    seed: int
    command: str
    sum_pb: float
    rows: int
    sigma_gen_pb: float
    event_pb: float
    comparison: dict[str, float]


def _text(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(name).read_text("utf-8")


def _check_boson(pdgid: Any) -> int:
    if isinstance(pdgid, bool) or not isinstance(pdgid, int | np.integer):
        raise SpectrumError(f"pdgid must be an integer PDG id (24, -24 or 23), got {pdgid!r}")
    if int(pdgid) not in WZ_PDGIDS:
        raise SpectrumError(
            f"no W/Z normalisation for PDG id {pdgid} ({particle_name(int(pdgid))}): use 24 "
            "(W+), -24 (W-) or 23 (Z)"
        )
    return int(pdgid)


@once_per_key
@functools.cache
def _cross_sections() -> dict[int, BosonCrossSection]:
    data = tomllib.loads(_text("normalisation.toml"))
    ratios = data["branching_ratio"]
    out: dict[int, BosonCrossSection] = {}
    for b in data["boson"]:
        br = ratios[b["branching_ratio"]]
        measured = float(b["measured_pb"])
        meas_unc = math.hypot(
            float(b["measured_stat_pb"]), float(b["measured_syst_pb"]), float(b["measured_lumi_pb"])
        )
        factor = float(b["transfer_factor"])
        factor_unc = math.hypot(float(b["transfer_stat"]), float(b["transfer_pdf"]))
        value, value_unc = float(br["value"]), float(br["uncertainty"])
        pid = int(b["pdgid"])
        out[pid] = BosonCrossSection(
            pdgid=pid,
            particle=str(b["particle"]),
            sigma_pb=measured * factor / value,
            sigma_times_br_pb=measured * factor,
            relative_uncertainty=math.hypot(
                meas_unc / measured, factor_unc / factor, value_unc / value
            ),
            measured_pb=measured,
            measured_uncertainty_pb=meas_unc,
            measured_sqrt_s_gev=float(b["measured_sqrt_s_gev"]),
            measured_quantity=str(b["measured_quantity"]),
            transfer_factor=factor,
            transfer_uncertainty=factor_unc,
            branching_ratio=value,
            branching_ratio_uncertainty=value_unc,
            reference=str(b["reference"]),
            arxiv=str(b["arxiv"]),
            source=str(b["source"]),
            transfer_source=str(b["transfer_source"]),
            branching_ratio_source=str(br["source"]),
        )
    if set(out) != set(WZ_PDGIDS):
        raise SpectrumError(
            f"wz/normalisation.toml lists PDG ids {sorted(out)}, expected {list(WZ_PDGIDS)} "
            "(a packaging error)"
        )
    return out


def boson_cross_section(pdgid: int) -> BosonCrossSection:
    """Total sigma(pp -> W+/W-/Z + X) at 14 TeV (pb) with its inputs and their sources.

    Parameters
    ----------
    pdgid
        24 (W+), -24 (W-) or 23 (Z).
    """
    return _cross_sections()[_check_boson(pdgid)]


@functools.cache
def _catalogue() -> tuple[WZTable, ...]:
    data = tomllib.loads(_text("catalogue.toml"))
    return tuple(
        WZTable(
            file=str(t["file"]),
            pdgid=int(t["pdgid"]),
            particle=str(t["particle"]),
            hemisphere=str(t["hemisphere"]),
            generator=str(t["generator"]),
            events=int(t["events"]),
            seed=int(t["seed"]),
            command=str(t["command"]),
            sum_pb=float(t["sum_pb"]),
            rows=int(t["rows"]),
            sigma_gen_pb=float(t["sigma_gen_pb"]),
            event_pb=float(t["event_pb"]),
            comparison={k: float(v) for k, v in t.get("comparison", {}).items()},
        )
        for t in data["table"]
    )


def wz_catalogue() -> list[WZTable]:
    """The shipped full-angle W/Z tables, in catalogue order."""
    return list(_catalogue())


@once_per_key
@functools.cache
def _load(file: str) -> Spectrum:
    entry = next(e for e in _catalogue() if e.file == file)
    with resources.as_file(resources.files(_PACKAGE).joinpath(file)) as path:
        spectrum = load_foresee(path, pdgid=entry.pdgid, generator=entry.generator)
    if spectrum.rows != entry.rows or spectrum.total_pb != entry.sum_pb:
        raise SpectrumError(
            f"{file}: {spectrum.rows} rows summing to {spectrum.total_pb!r} pb, but the "
            f"catalogue says {entry.rows} rows and {entry.sum_pb!r} pb (a packaging error)"
        )
    where = "" if entry.hemisphere == "forward" else " (backward hemisphere: theta from -z)"
    return replace(
        spectrum,
        spectra_set="wz-pythia",
        origin=file,
        source=f"nudipole, {entry.generator}, {entry.events} events, seed {entry.seed}{where}; "
        f"command: {entry.command}",
    )


def _check_choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise SpectrumError(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")
    return value


def boson_tables(pdgid: int, tables: str = "pythia") -> tuple[Spectrum, Spectrum]:
    """The leading-order forward and backward tables of a W+, W- or Z (cached, immutable).

    Parameters
    ----------
    pdgid
        24 (W+), -24 (W-) or 23 (Z).
    tables
        ``"pythia"``: nudipole's full-angle Pythia 8.317 tables; ``"foresee"``: FORESEE's
        forward table, its mirror image standing in for the backward hemisphere.

    Returns
    -------
    tuple of Spectrum
        (forward, backward), sigma per bin in pb at Pythia's leading-order normalisation.
    """
    pid = _check_boson(pdgid)
    if _check_choice(tables, WZ_TABLE_SETS, "W/Z table set") == "foresee":
        forward = builtin_spectrum(pid, "bosons")
        mirrored = replace(
            forward, source=f"{forward.source}; backward hemisphere = forward (pp symmetry)"
        )
        return forward, mirrored
    found = {e.hemisphere: e.file for e in _catalogue() if e.pdgid == pid}
    return _load(found["forward"]), _load(found["backward"])


def folded(forward: Spectrum, backward: Spectrum) -> Spectrum:
    """The mean of two hemisphere tables on the union of their bins, pb per bin.

    In pp collisions the backward hemisphere, with theta measured from the -z axis, has the
    same distribution as the forward one, so the mean is the best estimate of either
    (statistical errors smaller by about sqrt(2)); its sum is half the full-angle sum.

    Raises
    ------
    SpectrumError
        Tables of different particles, energies or bin widths.
    """
    same = (forward.pdgid, forward.sqrt_s_gev, forward.bin_width_log10)
    if same != (backward.pdgid, backward.sqrt_s_gev, backward.bin_width_log10):
        raise SpectrumError(
            f"cannot fold PDG {forward.pdgid} at {forward.sqrt_s_gev:g} GeV (bins "
            f"{forward.bin_width_log10:g}) with PDG {backward.pdgid} at "
            f"{backward.sqrt_s_gev:g} GeV (bins {backward.bin_width_log10:g})"
        )
    both = np.concatenate
    log_t = both([forward.log10_theta, backward.log10_theta])
    log_p = both([forward.log10_p, backward.log10_p])
    sigma = both([forward.sigma_pb, backward.sigma_pb])
    # bins are identified by their integer grid index (centres agree to float precision)
    keys = both(_grid_keys((forward, backward)))
    unique, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    summed = np.zeros(unique.shape[0])
    np.add.at(summed, inverse.ravel(), sigma)
    return replace(
        forward,
        log10_theta=log_t[first],
        log10_p=log_p[first],
        sigma_pb=0.5 * summed,
        source=f"mean of forward and backward hemispheres; forward: {forward.source}",
    )


def boson_normalisation(pdgid: int, tables: str = "pythia") -> float:
    """Factor from a leading-order table to the normalised one (dimensionless): the total
    cross section of :func:`boson_cross_section` over the table's forward + backward sum."""
    forward, backward = boson_tables(pdgid, tables)
    return boson_cross_section(pdgid).sigma_pb / (forward.total_pb + backward.total_pb)


def boson_spectrum(
    pdgid: int, hemisphere: str = "forward", *, tables: str = "pythia", normalised: bool = True
) -> Spectrum:
    """A W+, W- or Z spectrum at 14 TeV, normalised to the measured total cross section.

    Parameters
    ----------
    pdgid
        24 (W+), -24 (W-) or 23 (Z).
    hemisphere
        ``"forward"`` (pz > 0, theta from +z), ``"backward"`` (pz < 0, theta from -z) or
        ``"folded"`` (their mean: the best estimate of either hemisphere).
    tables
        ``"pythia"`` (nudipole's full-angle tables, default) or ``"foresee"`` (FORESEE's
        forward LO table; backward = its mirror image).
    normalised
        Scale so that forward + backward = :func:`boson_cross_section` (default); False gives
        the leading-order table as shipped.

    Returns
    -------
    Spectrum
        sigma per (log10 theta, log10 p) bin in pb, theta measured from the hemisphere's own
        beam direction; ``spectra_set`` is ``"wz-<tables>"`` (``"-lo"`` appended when not
        normalised).
    """
    _check_choice(hemisphere, WZ_HEMISPHERES, "hemisphere")
    forward, backward = boson_tables(pdgid, tables)
    if hemisphere == "folded":
        chosen = folded(forward, backward)
    else:
        chosen = forward if hemisphere == "forward" else backward
    if not normalised:
        return replace(chosen, spectra_set=f"wz-{tables}-lo")
    xs = boson_cross_section(pdgid)
    scale = xs.sigma_pb / (forward.total_pb + backward.total_pb)
    return replace(
        chosen,
        sigma_pb=chosen.sigma_pb * scale,
        spectra_set=f"wz-{tables}",
        source=f"{chosen.source}; {hemisphere} hemisphere scaled by {scale:.6g} so that both "
        f"hemispheres sum to sigma(pp -> {xs.particle} X, 14 TeV) = {xs.sigma_pb:.6g} pb "
        f"({xs.reference}, arXiv:{xs.arxiv}, x transfer {xs.transfer_factor:.5g} / "
        f"B = {xs.branching_ratio:.6g})",
    )


# --------------------------------------------------------------------------- comparisons
#: Angles (rad) of the summary fractions; each is an edge of the FORESEE grid (10^-2,
#: 10^-2.7, 10^-0.5), so a fraction is exact for a binned table.
THETA_SMALL: Final[float] = 10.0**-2.0
THETA_FASER: Final[float] = 10.0**-2.7
THETA_LARGE: Final[float] = 10.0**-0.5


def spectrum_summary(spectrum: Spectrum) -> dict[str, float]:
    """Moments and angular fractions of a table, from its bin centres.

    Returns
    -------
    dict
        ``sum_pb`` (pb); ``mean_pt_gev`` and ``mean_p_gev`` (sigma-weighted means of
        p sin(theta) and p at the bin centres, GeV); ``f_theta_lt_0p01``, ``f_theta_lt_2mrad``
        and ``f_theta_gt_0p316``: the fractions of the sum at theta < 0.01 rad,
        theta < 10^-2.7 = 1.995 mrad and theta > 10^-0.5 = 0.316 rad.
    """
    sigma = spectrum.sigma_pb
    total = float(sigma.sum())
    theta, mom = spectrum.theta(), spectrum.momentum()
    log_t = spectrum.log10_theta

    def fraction(mask: np.ndarray) -> float:
        return float(sigma[mask].sum()) / total

    return {
        "sum_pb": spectrum.total_pb,
        "mean_pt_gev": float((sigma * mom * np.sin(theta)).sum()) / total,
        "mean_p_gev": float((sigma * mom).sum()) / total,
        "f_theta_lt_0p01": fraction(log_t < math.log10(THETA_SMALL)),
        "f_theta_lt_2mrad": fraction(log_t < math.log10(THETA_FASER)),
        "f_theta_gt_0p316": fraction(log_t > math.log10(THETA_LARGE)),
    }


def _grid_keys(spectra: tuple[Spectrum, ...]) -> list[np.ndarray]:
    """Integer (theta, p) bin indices of each table's rows on their common grid.

    Indices count bin widths from the first table's first bin centre, so centres a float
    rounding apart (or exactly half-way between integers in units of the width, as on the
    FORESEE grid) get the same index in every table.
    """
    width = spectra[0].bin_width_log10
    ref_t, ref_p = float(spectra[0].log10_theta[0]), float(spectra[0].log10_p[0])
    return [
        np.stack(
            [np.rint((s.log10_theta - ref_t) / width), np.rint((s.log10_p - ref_p) / width)],
            axis=1,
        ).astype(np.int64)
        for s in spectra
    ]


def compare_shapes(
    test: Spectrum,
    reference: Spectrum,
    quantum_test_pb: float,
    quantum_reference_pb: float,
    min_count: float = 25.0,
) -> dict[str, float]:
    """Bin-by-bin comparison of the shapes of two tables (each divided by its own sum).

    Parameters
    ----------
    test, reference
        Tables on the same grid.
    quantum_test_pb, quantum_reference_pb
        Cross section of one event in a bin of each table, pb (sigmaGen / events for a
        unit-weight run): a bin holding sigma has sigma / quantum events and a Poisson error.
    min_count
        Bins enter the chi^2 only with at least this many events in both tables.

    Returns
    -------
    dict
        Over the bins both tables fill, with r = test shape / reference shape per bin:
        ``ratio_median``, ``ratio_p16``, ``ratio_p84`` (percentiles of r weighted by the
        reference), ``frac_within_20pct`` (reference fraction in bins with |r - 1| < 0.2),
        ``common_fraction`` (reference fraction in the common bins); and ``chi2_ndf`` and
        ``chi2_bins`` (the shape chi^2 over the bins with ``min_count`` events, per degree of
        freedom = bins - 1).
    """
    if test.bin_width_log10 != reference.bin_width_log10:
        raise SpectrumError("compare_shapes: the tables have different bin widths")
    k_test, k_ref = _grid_keys((test, reference))
    _, i_test, i_ref = np.intersect1d(
        k_test[:, 0] * 1_000_003 + k_test[:, 1],
        k_ref[:, 0] * 1_000_003 + k_ref[:, 1],
        return_indices=True,
    )
    total_test, total_ref = float(test.sigma_pb.sum()), float(reference.sigma_pb.sum())
    a = test.sigma_pb[i_test] / total_test
    b = reference.sigma_pb[i_ref] / total_ref
    ratio = a / b
    order = np.argsort(ratio)
    cumulative = np.cumsum(b[order]) / b.sum()

    def percentile(q: float) -> float:
        return float(ratio[order][int(np.searchsorted(cumulative, q))])

    counts_test = test.sigma_pb[i_test] / quantum_test_pb
    counts_ref = reference.sigma_pb[i_ref] / quantum_reference_pb
    use = (counts_test >= min_count) & (counts_ref >= min_count)
    variance = a[use] * quantum_test_pb / total_test + b[use] * quantum_reference_pb / total_ref
    chi2 = float((((a[use] - b[use]) ** 2) / variance).sum())
    bins = int(use.sum())
    return {
        "ratio_median": percentile(0.5),
        "ratio_p16": percentile(0.16),
        "ratio_p84": percentile(0.84),
        "frac_within_20pct": float(b[np.abs(ratio - 1.0) < 0.2].sum()),
        "common_fraction": float(b.sum()),
        "chi2_ndf": chi2 / max(bins - 1, 1),
        "chi2_bins": float(bins),
    }


__all__ = [
    "THETA_FASER",
    "THETA_LARGE",
    "THETA_SMALL",
    "WZ_HEMISPHERES",
    "WZ_PDGIDS",
    "WZ_TABLE_SETS",
    "BosonCrossSection",
    "WZTable",
    "boson_cross_section",
    "boson_normalisation",
    "boson_spectrum",
    "boson_tables",
    "compare_shapes",
    "folded",
    "spectrum_summary",
    "wz_catalogue",
]
