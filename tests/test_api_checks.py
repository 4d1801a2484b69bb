"""The Python API's checks of its arguments (nudipole._api_checks): a convention given by a
wrong name or type is one ExperimentError line naming the argument, the value and the choices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from nudipole._api_checks import choice, masses_array, number
from nudipole.api import collider_events, far_detector_events, far_reach, reach
from nudipole.experiments import ExperimentError
from nudipole.model import Nature
from nudipole.stats import USER_STATISTICS, Statistic


def test_choice_takes_names_and_members() -> None:
    assert choice(Nature, "majorana", "nature") is Nature.MAJORANA
    assert choice(Nature, Nature.DIRAC, "nature") is Nature.DIRAC
    assert choice(Statistic, "poisson-cls", "statistic", USER_STATISTICS) is Statistic.POISSON


@pytest.mark.parametrize("value", ["Majorana ", "", 3, None, [1], 1.5])
def test_choice_names_the_argument_and_the_choices(value: object) -> None:
    with pytest.raises(ExperimentError) as err:
        choice(Nature, value, "nature")  # type: ignore[arg-type]
    assert str(err.value) == f"nature {value!r}: choose one of dirac, majorana"


def test_choice_keeps_to_the_allowed_members() -> None:
    # "signal" is a Statistic (limits published as a cross section), not a user's choice
    with pytest.raises(ExperimentError, match="statistic 'signal': choose one of chi2, asimov"):
        choice(Statistic, "signal", "statistic", USER_STATISTICS)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"statistic": "cls"}, "statistic 'cls': choose one of chi2, asimov, poisson-cls"),
        ({"statistic": "signal"}, "statistic 'signal': choose one of chi2, asimov, poisson-cls"),
        ({"nature": 3}, "nature 3: choose one of dirac, majorana"),
        ({"decay_model": "prompt"}, "decay_model 'prompt': choose one of fixed-length, lab-volume"),
        ({"photon_angular": "flat"}, "photon_angular 'flat': choose one of spin-correlated"),
        ({"charge_states": "n"}, "charge_states 'n': choose one of both, n-only"),
        ({"ew_scheme": "mz"}, "ew_scheme 'mz': choose one of gmu, gmu-alpha0, alpha0"),
    ],
)
def test_reach_conventions_by_a_wrong_name(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ExperimentError) as err:
        reach("belle2", [1.0], **kwargs)  # type: ignore[arg-type]
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"nature": "dirak"}, "nature 'dirak': choose one of dirac, majorana"),
        ({"form_factor": "dipole"}, "form_factor 'dipole': choose one of point, vmd"),
    ],
)
def test_far_reach_conventions_by_a_wrong_name(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ExperimentError) as err:
        far_reach("faser2", [0.05], **kwargs)  # type: ignore[arg-type]
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sampler": "mc"}, "sampler applies only to e+e- experiments; drop it"),
        ({"n_events": 1000}, "n_events applies only"),
        ({"seed": 7}, "seed applies only"),
        ({"w_interference": False}, "w_interference applies only"),
        (
            {"sqrt_s": 14000.0, "statistic": "chi2"},
            "sqrt_s, statistic apply only to e+e- experiments; drop them",
        ),
    ],
)
def test_reach_of_a_far_detector_refuses_e_e_options(
    kwargs: dict[str, object], message: str
) -> None:
    # the e+ e- integration's settings were ignored in silence before
    with pytest.raises(ExperimentError) as err:
        reach("faser2", [0.05], **kwargs)  # type: ignore[arg-type]
    assert str(err.value).startswith("FASER-2 is a far detector: ")
    assert message in str(err.value)


def test_reach_of_a_far_detector_takes_the_e_e_defaults_as_not_given() -> None:
    r = reach(
        "faser2", [0.05], sampler="rules", n_events=16384, seed=20220415, error_estimate=False
    )
    assert r.inputs["experiment"] == "faser2"


# the wrong types below are the point: called through Any
any_reach: Any = reach
any_far_reach: Any = far_reach
any_collider_events: Any = collider_events
any_far_detector_events: Any = far_detector_events


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: any_reach("belle2", "1.0"), "masses '1.0': give a list of numbers in GeV"),
        (lambda: any_reach("belle2", {"a": 1}), "masses {'a': 1}: give a list of numbers in GeV"),
        (lambda: any_reach("belle2", [1.0, "x"]), "masses [1.0, 'x']: give a list of numbers"),
        (lambda: any_far_reach("faser2", ["x"]), "masses ['x']: give a list of numbers in GeV"),
        (lambda: any_reach("belle2", mass_range=(0.1, 1)), "mass_range (0.1, 1): give (lo, hi, n)"),
        (lambda: any_reach("belle2", mass_range=(0.1, 1, 2.5)), "n = 2.5 is not a whole number"),
        (lambda: any_reach("belle2", mass_range=(0.1, "x", 3)), "mass_range 'x': give a number"),
        (lambda: any_reach("belle2", [1.0], sqrt_s="x"), "sqrt_s 'x': give a number in GeV"),
        (lambda: any_reach("belle2", [1.0], lumi=[1]), "luminosity [1]: give a number in pb^-1"),
        (lambda: any_collider_events("belle2", "x", 1e-5), "mass 'x': give a number in GeV"),
        (lambda: any_collider_events("belle2", 1.0, None), "d None: give a number in GeV^-1"),
        (lambda: any_far_detector_events("faser2", 0.05, "x"), "d 'x': give a number in GeV^-1"),
        (lambda: any_reach("belle2", [[1.0, 2.0]]), "masses of shape (1, 2): give a flat list"),
        (lambda: any_far_reach("faser2", np.ones((2, 2))), "masses of shape (2, 2)"),
        (lambda: any_reach("belle2", [1.0], a="x"), "a 'x': give a number (a = d_W/d_B;"),
        (lambda: any_reach("belle2", [1.0], a=1, sin2w="q"), "sin2w 'q': give a number"),
        (lambda: any_far_reach("faser2", [0.1], a=1, sin2w=[1]), "sin2w [1]: give a number"),
        (
            lambda: any_collider_events("belle2", 1.0, 1e-5, background_uncertainty="x"),
            "background_uncertainty 'x': give a number (relative: 0.01 = 1 %)",
        ),
        (
            lambda: any_reach("faser2", [0.1], background_uncertainty="x"),
            "background_uncertainty 'x': give a number",
        ),
        (lambda: any_reach("belle2", [1.0], progress="x"), "progress 'x': give a function"),
        (lambda: any_far_reach("faser2", [0.1], progress=3), "progress 3: give a function"),
        (lambda: any_far_reach("faser2", [0.1], channels=5), "channels 5: give names"),
        (lambda: any_far_reach("faser2", [0.1], sources=[1]), "sources [1]: give names"),
    ],
)
def test_numbers_of_the_wrong_type(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ExperimentError) as err:
        call()
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_numbers_and_masses_as_before() -> None:
    assert number("10.58", "sqrt_s", "GeV") == 10.58
    assert number(np.float32(2.0), "sqrt_s", "GeV") == 2.0
    with pytest.raises(ExperimentError, match="sqrt_s True: give a number in GeV"):
        number(True, "sqrt_s", "GeV")
    np.testing.assert_array_equal(masses_array(1.0), np.array(1.0))
    np.testing.assert_array_equal(masses_array((0.1, np.float64(1))), [0.1, 1.0])
    grid = any_reach("belle2", mass_range=(0.5, 1.0, 3.0), error_estimate=False)
    np.testing.assert_allclose(grid.mass, np.geomspace(0.5, 1.0, 3))


def test_far_band_function_checks_its_keywords_at_once() -> None:
    from nudipole.api import far_band_function

    with pytest.raises(ExperimentError, match="unknown flavour 'x'"):
        far_band_function("faser2", flavour="x")
    with pytest.raises(ValueError, match="unknown preset 'q'"):
        far_band_function("faser2", preset="q")
    with pytest.raises(TypeError, match="colour"):
        far_band_function("faser2", colour=3)
    with pytest.raises(TypeError, match="sets error_estimate itself"):
        far_band_function("faser2", error_estimate=True)
    band_at = far_band_function("faser2", preset="paper", flavour="tau")
    lo, hi = band_at(0.05)
    assert 0.0 < lo < hi


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"wz_tables": "foresee"}, "wz_tables='foresee' (--wz-tables) sets the W/Z source"),
        ({"boson_polarisation": "unpolarised"}, "boson_polarisation='unpolarised'"),
        (
            {"wz_every_mass": True, "channels": "pi0,eta"},
            "wz_every_mass=True (--wz-every-mass) sets the W/Z source, but the run has no W or "
            "Z channel (2 meson channel(s)): add the source (--sources mesons,wz) or drop it",
        ),
    ],
)
def test_w_z_settings_without_the_w_z_source_are_refused(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ExperimentError) as err:
        any_far_reach("faser2", [0.05], **kwargs)
    assert message in str(err.value)


def test_w_z_settings_with_the_w_z_source_are_taken() -> None:
    r = far_reach(
        "faser2", [0.05], sources="mesons,wz", scenario="C", wz_every_mass=True,
        boson_polarisation="unpolarised", error_estimate=False,
    )  # fmt: skip
    assert r.inputs["channels"][-2:] == ["W", "Z"]
    assert r.inputs["wz_source"]["boson_polarisation"] == "unpolarised"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"spectra": "nlo", "channels": "rho,pi0"},
            "spectra='nlo' (--spectra) changes channels D, Ds, B only, and the run has none of "
            "them (rho, pi0): add one (--channels) or drop it",
        ),
        (
            {"form_factor": "vmd", "channels": "B"},
            "form_factor='vmd' (--form-factor) changes channels pi0, eta, etap only",
        ),
        ({"spectra": "nlo", "sources": "wz", "scenario": "C"}, "none of them (W, Z)"),
        ({"spectra": "nlo", "form_factor": "vmd", "channels": "phi"}, "or drop them"),
        (
            {"signal": "visible"},
            "--signal visible (signal='visible') adds N's decays through the Z and W",
        ),
    ],
)
def test_meson_settings_without_the_channels_they_change_are_refused(
    kwargs: dict[str, object], message: str
) -> None:
    """A spectra set, form factor or signal that would change nothing in the run (none of
    its channels, or no Z and W decays of N) is refused rather than ignored."""
    with pytest.raises(ExperimentError) as err:
        any_far_reach("faser2", [0.05], **kwargs)
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"photon_angular": "isotropic"}, "photon_angular (--photon-angular) applies only"),
        ({"nature": "majorana"}, "nature (--nature) applies only to N's decays"),
        (
            {"decay_model": "lab-volume", "sampler": "mc"},
            "decay_model (--decay-model), sampler (--sampler) apply only to N's decays and "
            "photons; drop them",
        ),
    ],
)
def test_the_z_width_refuses_what_only_a_photon_uses(
    kwargs: dict[str, object], message: str
) -> None:
    """The Z invisible width counts every Z -> nu N, whatever becomes of N: the photon's
    distribution, the decay model, a Majorana N's decays and the acceptance sampler change
    nothing there."""
    point = {"scenario": "II", "flavour": "mu"}
    with pytest.raises(ExperimentError) as err:
        any_reach("lep", [20.0], selection="z-width", **point, **kwargs)
    assert message in str(err.value)
    assert "LEP selection z-width is the Z invisible width" in str(err.value)
    with pytest.raises(ExperimentError, match="whatever N does next"):
        any_collider_events("lep", 20.0, 1e-4, selection="z-width", **point, **kwargs)
    # with the photon selections beside it (every selection) the settings are taken
    rows = any_collider_events("lep", 20.0, 1e-4, **point, **kwargs)
    assert {r.selection for r in rows} >= {"z-width", "opal"}
    # where they would change something (a photon selection), they do
    opal = reach("lep", [20.0], selection="opal", **point)
    assert any_reach("lep", [20.0], selection="opal", **point, **kwargs).d95[0] != opal.d95[0]


def test_far_background_uncertainty_needs_a_background() -> None:
    """As on the command line: an uncertainty on no background (every built-in far detector,
    or the paper preset) is refused; 0 is taken."""
    with pytest.raises(ExperimentError, match="FASER-2 expects no background events"):
        reach("faser2", [0.1], background_uncertainty=0.2, error_estimate=False)
    with pytest.raises(ExperimentError, match="the paper preset counts no background"):
        reach("faser2", [0.1], preset="paper", background_uncertainty=0.2)
    zero = reach("faser2", [0.1], background_uncertainty=0.0, error_estimate=False)
    assert zero.d95[0] == far_reach("faser2", [0.1], error_estimate=False).d95[0]


def test_meson_settings_with_their_channels_are_taken() -> None:
    """The same settings with a channel they change run, and change its numbers."""
    kw: dict[str, Any] = {"preset": "paper"}
    (base,) = far_detector_events("faser2", 0.05, 1e-5, channels="D", **kw)
    (nlo,) = far_detector_events("faser2", 0.05, 1e-5, channels="D", spectra="nlo", **kw)
    from nudipole.production.spectra import builtin_spectrum

    def d_pm(spectra: str) -> float:
        return sum(builtin_spectrum(p, spectra).total_pb for p in (411, -411))

    assert nlo.parents / base.parents == pytest.approx(d_pm("nlo") / d_pm("default"), rel=1e-12)
    (point,) = far_detector_events("faser2", 0.05, 1e-5, channels="eta", **kw)
    (vmd,) = far_detector_events("faser2", 0.05, 1e-5, channels="eta", form_factor="vmd", **kw)
    assert vmd.produced != point.produced
    # the preset's own form factor given again changes nothing, and is taken
    (same,) = far_detector_events("faser2", 0.05, 1e-5, channels="rho", form_factor="point", **kw)
    assert same.produced > 0.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"selection": "opal", "lumi": "1/fb"},
            "LEP selection opal (cross-section) is a published limit: lumi (--lumi) applies only "
            "to counted limits (signal and background events); drop it",
        ),
        ({"selection": "z-width", "statistic": "asimov"}, "statistic (--statistic) applies"),
        ({"background_uncertainty": 0.1}, "delphi (measured-cross-section)"),  # the default
    ],
)
def test_published_limits_refuse_what_only_a_count_uses(
    kwargs: dict[str, object], message: str
) -> None:
    # LEP's limits are published results: the luminosity, the statistic and the background
    # uncertainty were ignored in silence before
    with pytest.raises(ExperimentError) as err:
        any_reach("lep", [10.0], scenario="I", flavour="mu", **kwargs)
    assert message in str(err.value)
    # events: the chosen selection, or all of them (LEP: all published); the luminosity
    # there scales the counts shown (and S95 = excluded cross section x L), so it is taken
    if "lumi" in kwargs:
        rows = any_collider_events("lep", 10.0, 1e-4, scenario="I", flavour="mu", **kwargs)
        assert rows[0].produced > 0.0
        return
    with pytest.raises(ExperimentError) as err:
        any_collider_events("lep", 10.0, 1e-4, scenario="I", flavour="mu", **kwargs)
    assert message in str(err.value) or "selections delphi" in str(err.value)


def test_counted_limits_take_them() -> None:
    base = reach("cepc-z", [10.0], scenario="I", flavour="mu").d95[0]
    less = reach("cepc-z", [10.0], scenario="I", flavour="mu", lumi="1/ab").d95[0]
    assert less > base
    rows = collider_events("lep", 10.0, 1e-4, scenario="I", flavour="mu", selection="opal")
    assert rows[0].passing > 0.0
