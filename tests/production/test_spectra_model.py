"""The Spectrum dataclass (nudipole.production.spectra.model): read-only arrays, restriction to
small angles, and rejected inconsistent input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nudipole.production.spectra import Spectrum, SpectrumError, builtin_spectrum


# --------------------------------------------------------------------------- Spectrum
def test_spectrum_arrays_are_read_only_and_cached() -> None:
    spec = builtin_spectrum(111)
    assert spec is builtin_spectrum(111)
    for arr in (spec.log10_theta, spec.log10_p, spec.sigma_pb):
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 1.0
    assert spec.bin_width_log10 == 0.05
    assert spec.sqrt_s_gev == 14000.0
    assert spec.origin == "EPOSLHC_14TeV_111.txt.gz"
    np.testing.assert_allclose(spec.theta(), 10.0**spec.log10_theta, rtol=1e-15)
    np.testing.assert_allclose(spec.momentum(), 10.0**spec.log10_p, rtol=1e-15)


def test_restrict_keeps_bins_reaching_below_theta_max() -> None:
    spec = builtin_spectrum(221)
    theta_max = 0.01
    cut = spec.restrict(theta_max)
    lower_edge = 10.0 ** (spec.log10_theta - 0.025)
    assert cut.rows == int(np.sum(lower_edge < theta_max))
    assert np.all(10.0 ** (cut.log10_theta - 0.025) < theta_max)
    assert 0.0 < cut.total_pb < spec.total_pb
    assert spec.restrict(10.0).total_pb == spec.total_pb  # above every bin: nothing dropped
    assert (cut.pdgid, cut.generator) == (spec.pdgid, spec.generator)
    for bad in (0.0, -1.0, math.nan, math.inf):
        with pytest.raises(SpectrumError, match="theta_max"):
            spec.restrict(bad)


def _spectrum(theta: list[float], mom: list[float], sigma: list[float]) -> Spectrum:
    return Spectrum(
        pdgid=111,
        particle="pi0",
        generator="g",
        spectra_set="user",
        sqrt_s_gev=14000.0,
        log10_theta=np.asarray(theta, dtype=float),
        log10_p=np.asarray(mom, dtype=float),
        sigma_pb=np.asarray(sigma, dtype=float),
    )


def test_spectrum_rejects_inconsistent_arrays() -> None:
    assert _spectrum([-3.0], [1.0], [2.0]).total_pb == 2.0
    with pytest.raises(SpectrumError, match="differ in length"):
        _spectrum([-3.0], [1.0, 1.05], [1.0])
    with pytest.raises(SpectrumError, match="positive"):
        _spectrum([-3.0], [1.0], [-1.0])
    with pytest.raises(SpectrumError, match="positive"):
        _spectrum([-3.0], [1.0], [0.0])
    with pytest.raises(SpectrumError, match="finite"):
        _spectrum([math.nan], [1.0], [1.0])
    with pytest.raises(SpectrumError, match="1-D"):
        Spectrum(111, "pi0", "g", "user", 14000.0, np.zeros((1, 1)), np.ones(1), np.ones(1))
