"""Pythia 8 forward spectra: a small real run, settings and input checks."""

from __future__ import annotations

import importlib
import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

from nudipole.production import pythia_spectra
from nudipole.production.pythia_spectra import (
    LOG10_P_RANGE,
    LOG10_THETA_RANGE,
    PROCESSES,
    anti_pdgid,
    default_process,
    generate_spectra,
    generate_spectrum,
    pythia_settings,
)
from nudipole.production.spectra import (
    Spectrum,
    SpectrumError,
    builtin_spectrum,
    load_foresee,
    write_foresee,
)

needs_pythia = pytest.mark.skipif(
    importlib.util.find_spec("pythia8mc") is None,
    reason="pythia8mc is not installed (pip install pythia8mc)",
)

N_EVENTS = 200
SEED = 4242


def _on_grid(values: np.ndarray, lower_edge: float) -> bool:
    """Bin centres lower_edge + (i + 1/2) 0.05 (to float precision)."""
    index = (values - lower_edge) / 0.05 - 0.5
    return bool(np.all(np.abs(index - np.rint(index)) < 1e-6))


PionRun = tuple[dict[int, Spectrum], list[int]]


@pytest.fixture(scope="module")
def pion_run() -> PionRun:
    """200 non-diffractive pp events at 14 TeV counting pi0, pi+, pi- (about 2 s), and the
    progress callback's arguments."""
    if importlib.util.find_spec("pythia8mc") is None:
        pytest.skip("pythia8mc is not installed (pip install pythia8mc)")
    calls: list[int] = []
    tables = generate_spectra(
        [111, 211, -211], N_EVENTS, 14000.0, SEED, process="nondiffractive", progress=calls.append
    )
    return tables, calls


@needs_pythia
def test_pythia_table_loads_back(pion_run: PionRun, tmp_path: Path) -> None:
    pi0 = pion_run[0][111]
    assert pi0.total_pb > 0.0
    assert pi0.bin_width_log10 == 0.05
    assert pi0.generator.startswith("Pythia 8.")
    assert _on_grid(pi0.log10_theta, LOG10_THETA_RANGE[0])
    assert _on_grid(pi0.log10_p, LOG10_P_RANGE[0])
    assert np.all(pi0.log10_theta < math.log10(math.pi / 2))  # forward hemisphere
    assert "Random:seed = 4242" in pi0.settings
    assert "SoftQCD:nonDiffractive = on" in pi0.settings
    write_foresee(pi0, tmp_path / "pi0_111.txt", header_lines=["command: test"])
    text = (tmp_path / "pi0_111.txt").read_text("utf-8")
    assert "# setting: Random:seed = 4242\n" in text
    assert "# command: test\n" in text
    again = load_foresee(tmp_path / "pi0_111.txt")
    assert again.pdgid == 111
    assert again.bin_width_log10 == 0.05
    np.testing.assert_array_equal(again.log10_theta, pi0.log10_theta)
    np.testing.assert_array_equal(again.log10_p, pi0.log10_p)
    np.testing.assert_array_equal(again.sigma_pb, pi0.sigma_pb)


@needs_pythia
def test_pythia_normalisation(pion_run: PionRun) -> None:
    """Unit-weight events: every bin is an integer multiple of sigmaGen / N, and sigmaGen is
    Pythia 8's non-diffractive cross section at 14 TeV (about 57 mb with the default SaS
    model); the forward pi0 multiplicity times it lies near EPOS-LHC's table."""
    pi0 = pion_run[0][111]
    quantum = float(pi0.sigma_pb.min())  # one particle in one bin
    multiples = pi0.sigma_pb / quantum
    np.testing.assert_allclose(multiples, np.rint(multiples), rtol=0, atol=1e-9)
    sigma_gen_mb = quantum * N_EVENTS * 1e-9
    assert 50.0 < sigma_gen_mb < 65.0
    assert f"sigmaGen = {quantum * N_EVENTS:.6g} pb" in pi0.source
    ratio = pi0.total_pb / builtin_spectrum(111).total_pb
    assert 0.7 < ratio < 1.5  # different generators, 200 events: agreement at tens of percent


@needs_pythia
def test_pythia_conjugates_and_progress(pion_run: PionRun) -> None:
    plus, minus = pion_run[0][211], pion_run[0][-211]
    assert (plus.pdgid, minus.pdgid) == (211, -211)
    assert not np.array_equal(plus.sigma_pb, minus.sigma_pb)  # separate tables
    assert 0.8 < plus.total_pb / minus.total_pb < 1.25  # pp: a small pi+ excess at most
    assert sum(pion_run[1]) == N_EVENTS


@needs_pythia
def test_pythia_same_seed_same_table(capfd: pytest.CaptureFixture[str]) -> None:
    a = generate_spectrum(-211, 30, 14000.0, 77, process="nondiffractive")
    b = generate_spectrum(-211, 30, 14000.0, 77, process="nondiffractive")
    np.testing.assert_array_equal(a.sigma_pb, b.sigma_pb)
    np.testing.assert_array_equal(a.log10_theta, b.log10_theta)
    assert capfd.readouterr() == ("", "")  # Print:quiet: Pythia itself wrote nothing


@needs_pythia
def test_pythia_rejects_unknown_setting() -> None:
    with pytest.raises(SpectrumError, match="does not accept the setting 'Foo:bar = 1'"):
        generate_spectrum(111, 5, 14000.0, 1, settings=["Foo:bar = 1"])


def test_missing_pythia_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def fake(name: str, package: str | None = None) -> object:
        if name == "pythia8mc":
            raise ModuleNotFoundError("No module named 'pythia8mc'")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(SpectrumError, match="pip install pythia8mc"):
        generate_spectrum(111, 10, 14000.0, 1)


@pytest.mark.parametrize(
    ("pdgid", "process"),
    [
        (111, "inelastic"),
        (-321, "inelastic"),
        (333, "inelastic"),
        (411, "hardccbar"),
        (-431, "hardccbar"),
        (4122, "hardccbar"),
        (521, "hardbbbar"),
        (443, "charmonium"),
        (100443, "charmonium"),
        (553, "bottomonium"),
        (24, "w"),
        (-24, "w"),
        (23, "z"),
    ],
)
def test_default_process(pdgid: int, process: str) -> None:
    assert default_process(pdgid) == process
    assert process in PROCESSES


def test_anti_pdgid() -> None:
    assert [anti_pdgid(p) for p in (111, 211, -411, 443, 24)] == [111, -211, 411, 443, -24]


def test_pythia_settings_content_and_checks() -> None:
    lines = pythia_settings(14000.0, 9, "z", tune=14, settings=["PhaseSpace:pTHatMin = 1"])
    assert lines[:6] == (
        "Print:quiet = on",
        "Beams:idA = 2212",
        "Beams:idB = 2212",
        "Beams:eCM = 14000.0",
        "Random:setSeed = on",
        "Random:seed = 9",
    )
    assert lines[6:] == (
        "WeakSingleBoson:ffbar2gmZ = on",
        "WeakZ0:gmZmode = 2",
        "Tune:pp = 14",
        "PhaseSpace:pTHatMin = 1",
    )
    bad: list[tuple[dict[str, object], str]] = [
        ({"sqrt_s_gev": math.nan}, "sqrt(s) = nan"),
        ({"sqrt_s_gev": 5.0}, "at least 10 GeV"),
        ({"seed": 0}, "seed 0"),
        ({"seed": 900_000_001}, "seed 900000001"),
        ({"seed": 1.5}, "seed must be an integer"),
        ({"process": "dis"}, "unknown process 'dis'"),
        ({"tune": 0}, "tune must be"),
        ({"settings": ["Beams:eCM = 13000"]}, "set by nudipole"),
        ({"settings": ["nonsense"]}, "must read"),
    ]
    base: dict[str, object] = {"sqrt_s_gev": 14000.0, "seed": 1, "process": "inelastic"}
    for change, fragment in bad:
        with pytest.raises(SpectrumError) as err:
            pythia_settings(**{**base, **change})  # type: ignore[arg-type]
        assert fragment in str(err.value)
        assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"pdgids": [111], "n_events": 0}, "outside 1..1e+08"),
        ({"pdgids": [111], "n_events": 10**9}, "events 1000000000 is outside 1..1e+08"),
        # a huge count in short (float() of it would overflow)
        ({"pdgids": [111], "n_events": 10**400}, "events 1.00e+400 is outside"),
        ({"pdgids": [111], "n_events": -(10**30)}, "events -1.00e+30 is outside"),
        ({"pdgids": [111], "n_events": 10.0}, "must be an integer"),
        ({"pdgids": [9999999], "n_events": 10}, "unknown PDG id 9999999"),
        ({"pdgids": [111, 111], "n_events": 10}, "distinct PDG ids"),
        ({"pdgids": [], "n_events": 10}, "distinct PDG ids"),
        ({"pdgids": [111, 411], "n_events": 10}, "different default processes"),
    ],
)
def test_generate_rejects_bad_requests_before_running(
    kwargs: dict[str, object], fragment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pythia() -> object:
        raise AssertionError("Pythia must not be started for a bad request")

    monkeypatch.setattr(pythia_spectra, "_import_pythia", no_pythia)
    with pytest.raises(SpectrumError) as err:
        generate_spectra(sqrt_s_gev=14000.0, seed=1, **kwargs)  # type: ignore[arg-type]
    assert fragment in str(err.value)
