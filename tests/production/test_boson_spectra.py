"""W/Z spectra: the shipped full-angle tables, their normalisation and the FORESEE comparison."""

from __future__ import annotations

import gzip
import math
import re
import tomllib
from importlib import resources

import numpy as np
import pytest

from nudipole.constants import G_FERMI, GAMMA_W, GAMMA_Z, M_W
from nudipole.physics.z_pole import width_z_to_electrons
from nudipole.production.boson_spectra import (
    WZ_PDGIDS,
    WZTable,
    boson_cross_section,
    boson_normalisation,
    boson_spectrum,
    boson_tables,
    compare_shapes,
    folded,
    spectrum_summary,
    wz_catalogue,
)
from nudipole.production.spectra import Spectrum, SpectrumError, builtin_spectrum

WZ = resources.files("nudipole.data.spectra.wz")
#: The cited numbers (ATLAS, PLB 759 (2016) 601, arXiv:1603.09222), nb, for the test to read
#: back from the source text of normalisation.toml.
CITED_NB = {24: "11.83", -24: "8.79", 23: "1.981"}


def _quantum(pdgid: int) -> float:
    """sigmaGen / events of the run that made the boson's tables: one event in a bin, pb."""
    entry = next(e for e in wz_catalogue() if e.pdgid == pdgid)
    assert entry.event_pb * entry.events == pytest.approx(entry.sigma_gen_pb, rel=1e-5)
    return entry.event_pb


def _relative_stat_error(pdgid: int, pb: float) -> float:
    return 1.0 / math.sqrt(pb / _quantum(pdgid))


# --------------------------------------------------------------------------- shipped tables
def test_catalogue_lists_six_tables_with_their_run() -> None:
    entries = wz_catalogue()
    assert {(e.pdgid, e.hemisphere) for e in entries} == {
        (p, h) for p in WZ_PDGIDS for h in ("forward", "backward")
    }
    shipped = {p.name for p in WZ.iterdir() if p.name.endswith(".txt.gz")}
    assert shipped == {e.file for e in entries}
    for e in entries:
        assert e.generator == "Pythia 8.317"
        assert e.events >= 1_000_000
        assert f"--seed {e.seed}" in e.command
        assert "--hemisphere both" in e.command
        for setting in ("PartonLevel:MPI = off", "HadronLevel:all = off"):
            assert f"--setting '{setting}'" in e.command


@pytest.mark.parametrize("entry", wz_catalogue(), ids=lambda e: e.file)
def test_loader_reads_each_table(entry: WZTable) -> None:
    forward, backward = boson_tables(entry.pdgid)
    spec = forward if entry.hemisphere == "forward" else backward
    assert spec.pdgid == entry.pdgid
    assert spec.rows == entry.rows
    assert spec.total_pb == entry.sum_pb
    assert spec.bin_width_log10 == 0.05
    assert spec.spectra_set == "wz-pythia"
    assert boson_tables(entry.pdgid)[0] is forward  # cached
    text = gzip.decompress(WZ.joinpath(entry.file).read_bytes()).decode("utf-8")
    head = [line for line in text.splitlines() if line.startswith("#")]
    assert f"# command: {entry.command}" in head
    assert "# generator: Pythia 8.317" in head
    assert f"# setting: Random:seed = {entry.seed}" in head
    assert "# setting: ProcessLevel:resonanceDecays = off" in head
    side = "pz > 0" if entry.hemisphere == "forward" else "pz < 0"
    assert sum(line.startswith(f"# hemisphere: {entry.hemisphere} ({side})") for line in head) == 1
    # unit-weight events: every bin is a whole number of events
    k = spec.sigma_pb / _quantum(entry.pdgid)
    np.testing.assert_allclose(k, np.rint(k), rtol=0, atol=1e-6)
    # theta from the hemisphere's own beam axis, at most pi/2 (the top bin straddles it)
    assert np.all(spec.log10_theta - 0.025 < math.log10(math.pi / 2))


def test_both_hemispheres_hold_the_whole_run() -> None:
    """W+ + W- (either hemisphere) = sigmaGen of the W run; Z = sigmaGen of the Z run: every
    event has one boson and none fell outside the grid."""
    entries = wz_catalogue()
    w_total = sum(e.sum_pb for e in entries if abs(e.pdgid) == 24)
    z_total = sum(e.sum_pb for e in entries if e.pdgid == 23)
    w_gen = {e.sigma_gen_pb for e in entries if abs(e.pdgid) == 24}
    z_gen = {e.sigma_gen_pb for e in entries if e.pdgid == 23}
    assert len(w_gen) == len(z_gen) == 1
    # the catalogue's sigmaGen is the header's, rounded to 6 digits
    assert w_total == pytest.approx(w_gen.pop(), rel=1e-5)
    assert z_total == pytest.approx(z_gen.pop(), rel=1e-5)


# --------------------------------------------------------------------------- normalisation
@pytest.mark.parametrize("pdgid", WZ_PDGIDS)
def test_normalisation_is_the_cited_measurement(pdgid: int) -> None:
    xs = boson_cross_section(pdgid)
    assert xs.arxiv == "1603.09222"
    assert "arXiv:1603.09222" in xs.source
    cited = re.search(r"= (\d+\.\d+) \+- ", xs.source)
    assert cited is not None
    assert cited.group(1) == CITED_NB[pdgid]
    assert xs.measured_pb == pytest.approx(float(cited.group(1)) * 1000.0, rel=1e-12)
    assert xs.measured_sqrt_s_gev == 13000.0
    # sigma = measured x transfer / B, exactly as the data file says
    assert xs.sigma_pb * xs.branching_ratio / xs.transfer_factor == pytest.approx(
        xs.measured_pb, rel=1e-12
    )
    assert xs.sigma_times_br_pb == pytest.approx(xs.sigma_pb * xs.branching_ratio, rel=1e-12)
    data = tomllib.loads(WZ.joinpath("normalisation.toml").read_text("utf-8"))
    row = next(b for b in data["boson"] if b["pdgid"] == pdgid)
    assert xs.sigma_pb == pytest.approx(row["sigma_14tev_pb"], rel=5e-4)  # 4 digits
    # the 13 -> 14 TeV factor of a Drell-Yan process: a few per cent up
    assert 1.05 < xs.transfer_factor < 1.12
    assert xs.transfer_uncertainty < 0.01
    assert 0.02 < xs.relative_uncertainty < 0.05  # dominated by the measurement (~3%)
    assert "Particle Data Group" in xs.branching_ratio_source


def test_branching_ratios_agree_with_the_tree_level_widths() -> None:
    """The PDG leptonic branching ratios against Gamma(V -> l l') / Gamma_V from nudipole's
    constants at tree level (G_F, PDG masses and widths of the ``particle`` package): the Z
    within 1.5% (radiative corrections; Gamma_Z is known to 0.1%), the W within 3% (the
    measured Gamma_W alone is uncertain by 2%)."""
    w_tree = G_FERMI * M_W**3 / (6.0 * math.sqrt(2.0) * math.pi) / GAMMA_W
    z_tree = width_z_to_electrons() / GAMMA_Z
    assert boson_cross_section(24).branching_ratio == pytest.approx(w_tree, rel=0.03)
    assert boson_cross_section(-24).branching_ratio == boson_cross_section(24).branching_ratio
    assert boson_cross_section(23).branching_ratio == pytest.approx(z_tree, rel=0.015)


@pytest.mark.parametrize("tables", ["pythia", "foresee"])
@pytest.mark.parametrize("pdgid", WZ_PDGIDS)
def test_normalised_hemispheres_add_up_to_the_total(pdgid: int, tables: str) -> None:
    sigma = boson_cross_section(pdgid).sigma_pb
    forward = boson_spectrum(pdgid, "forward", tables=tables)
    backward = boson_spectrum(pdgid, "backward", tables=tables)
    assert forward.total_pb + backward.total_pb == pytest.approx(sigma, rel=1e-12)
    assert boson_spectrum(pdgid, "folded", tables=tables).total_pb == pytest.approx(
        0.5 * sigma, rel=1e-12
    )
    assert forward.spectra_set == f"wz-{tables}"
    assert "arXiv:1603.09222" in forward.source
    lo = boson_spectrum(pdgid, "forward", tables=tables, normalised=False)
    scale = boson_normalisation(pdgid, tables)
    np.testing.assert_allclose(forward.sigma_pb, lo.sigma_pb * scale, rtol=1e-14)
    assert 1.2 < scale < 1.5  # measured / leading order: the usual Drell-Yan K-factor


# --------------------------------------------------------------------------- FORESEE comparison
#: Leading-order forward sums, this run over FORESEE's: same generator family and default PDF
#: (NNPDF2.3 QCD+QED LO), a different Pythia version and no MPI here; found within 2%.
LO_SUM_TOLERANCE = 0.02


@pytest.mark.parametrize("pdgid", WZ_PDGIDS)
def test_forward_sum_matches_foresee(pdgid: int) -> None:
    """Leading order: the forward sums agree within LO_SUM_TOLERANCE. Normalised to the same
    measured cross section: FORESEE's forward half is sigma/2 by construction (mirrored), this
    run's differs from it only by its forward-backward fluctuation (within 4 sigma)."""
    ours = boson_tables(pdgid)[0].total_pb
    theirs = builtin_spectrum(pdgid, "bosons").total_pb
    assert abs(ours / theirs - 1.0) < LO_SUM_TOLERANCE
    a = boson_spectrum(pdgid, "forward").total_pb
    b = boson_spectrum(pdgid, "forward", tables="foresee").total_pb
    assert abs(a / b - 1.0) < 4.0 * _relative_stat_error(pdgid, 2.0 * ours)


@pytest.mark.parametrize("pdgid", WZ_PDGIDS)
def test_large_angle_and_forward_fractions_match_foresee(pdgid: int) -> None:
    """The angular fractions a far detector cares about agree with FORESEE's: theta > 0.316
    rad (MATHUSLA/ANUBIS-like) within 5% and theta < 0.01 rad within 3% (relative); the mean
    pT within 3%."""
    ours = spectrum_summary(boson_spectrum(pdgid, "folded"))
    theirs = spectrum_summary(builtin_spectrum(pdgid, "bosons"))
    assert ours["f_theta_gt_0p316"] == pytest.approx(theirs["f_theta_gt_0p316"], rel=0.05)
    assert ours["f_theta_lt_0p01"] == pytest.approx(theirs["f_theta_lt_0p01"], rel=0.03)
    assert ours["mean_pt_gev"] == pytest.approx(theirs["mean_pt_gev"], rel=0.03)


@pytest.mark.parametrize("entry", wz_catalogue(), ids=lambda e: e.file)
def test_catalogue_comparison_numbers_are_reproducible(entry: WZTable) -> None:
    forward, backward = boson_tables(entry.pdgid)
    q = _quantum(entry.pdgid)
    if entry.hemisphere == "forward":
        foresee = builtin_spectrum(entry.pdgid, "bosons")
        mine, theirs = spectrum_summary(forward), spectrum_summary(foresee)
        expected = {"sum_ratio": mine["sum_pb"] / theirs["sum_pb"]}
        for key in ("mean_pt_gev", "f_theta_lt_0p01", "f_theta_gt_0p316"):
            expected[key] = mine[key]
            expected[f"foresee_{key}"] = theirs[key]
        expected.update(compare_shapes(forward, foresee, q, float(foresee.sigma_pb.min())))
    else:
        expected = {
            "backward_over_forward": backward.total_pb / forward.total_pb,
            **compare_shapes(backward, forward, q, q),
        }
    for key, value in expected.items():
        assert entry.comparison[key] == pytest.approx(value, rel=1e-5), key


# --------------------------------------------------------------------------- symmetry
@pytest.mark.parametrize("pdgid", WZ_PDGIDS)
def test_hemispheres_are_symmetric(pdgid: int) -> None:
    """pp is symmetric under z -> -z: the backward table (theta from -z) is a second sample of
    the forward one. Sums within 4 statistical sigma, shapes with chi^2/ndf below 1.3 (bins with
    at least 25 events), the same mean pT within 1%."""
    forward, backward = boson_tables(pdgid)
    q = _quantum(pdgid)
    n_f, n_b = forward.total_pb / q, backward.total_pb / q
    assert abs(n_b - n_f) < 4.0 * math.sqrt(n_f + n_b)
    shapes = compare_shapes(backward, forward, q, q)
    assert shapes["chi2_bins"] > 300
    assert shapes["chi2_ndf"] < 1.3
    assert spectrum_summary(backward)["mean_pt_gev"] == pytest.approx(
        spectrum_summary(forward)["mean_pt_gev"], rel=0.01
    )


def test_folded_is_the_mean_on_the_union_of_bins() -> None:
    forward, backward = boson_tables(23)
    mean = folded(forward, backward)
    assert mean.total_pb == pytest.approx(0.5 * (forward.total_pb + backward.total_pb), rel=1e-12)
    assert mean.rows >= max(forward.rows, backward.rows)
    assert mean.rows <= forward.rows + backward.rows

    # a bin only one hemisphere fills keeps half its content
    def keys(spec: Spectrum) -> list[tuple[float, float]]:
        t = np.round(spec.log10_theta, 6).tolist()
        p = np.round(spec.log10_p, 6).tolist()
        return list(zip(t, p, strict=True))

    in_backward = set(keys(backward))
    i = next(i for i, key in enumerate(keys(forward)) if key not in in_backward)
    j = keys(mean).index(keys(forward)[i])
    assert mean.sigma_pb[j] == 0.5 * forward.sigma_pb[i]
    with pytest.raises(SpectrumError, match="cannot fold PDG 23"):
        folded(forward, boson_tables(24)[1])


def test_foresee_backward_is_the_mirror() -> None:
    forward, backward = boson_tables(-24, "foresee")
    assert forward is builtin_spectrum(-24, "bosons")
    np.testing.assert_array_equal(forward.sigma_pb, backward.sigma_pb)
    assert "backward hemisphere = forward (pp symmetry)" in backward.source


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: boson_cross_section(211), "no W/Z normalisation for PDG id 211 (pi+)"),
        (lambda: boson_cross_section(True), "must be an integer PDG id"),
        (lambda: boson_spectrum(24, "up"), "unknown hemisphere 'up'"),
        (lambda: boson_spectrum(24, tables="nlo"), "unknown W/Z table set 'nlo'"),
        (lambda: boson_tables(22), "no W/Z normalisation for PDG id 22"),
    ],
)
def test_bad_requests_are_one_clear_error(call: object, fragment: str) -> None:
    with pytest.raises(SpectrumError) as err:
        call()  # type: ignore[operator]
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)
