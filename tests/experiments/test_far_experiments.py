"""Far-detector experiment files: built-ins, validation, user copies."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from nudipole.detectors import BeamAxisAnnulus, BeamAxisCylinder, Box
from nudipole.experiments import (
    ExperimentError,
    FarDetectorExperiment,
    builtin_text,
    load_definition,
    load_experiment,
    load_far_experiment,
)
from nudipole.experiments.registry import builtin_names
from nudipole.production.boson_spectra import WZ_HEMISPHERES, boson_spectrum
from nudipole.production.spectra.builtin import builtin_catalogue


def test_builtin_far_detectors_match_the_talks_table() -> None:
    faser2 = load_far_experiment("faser2")
    assert faser2.shape == BeamAxisCylinder(1.0, 475.0, 480.0)
    assert faser2.luminosity_pb == pytest.approx(3.0e6)
    mapp2 = load_far_experiment("mapp2")
    assert mapp2.shape == Box(3.0, 6.0, -2.0, 1.0, 48.0, 61.0)
    assert mapp2.luminosity_pb == pytest.approx(3.0e5)
    facet = load_far_experiment("facet")
    assert facet.shape == BeamAxisAnnulus(0.18, 0.5, 101.0, 119.0)
    assert facet.luminosity_pb == pytest.approx(3.0e6)
    for exp in (faser2, mapp2, facet):
        assert exp.sqrt_s == 14000.0
        assert exp.selection.estimated  # no published photon selection: said so
        assert exp.selection.source
        assert exp.detector_source
        assert exp.charged_mesons.source


def test_kinds_are_kept_apart() -> None:
    assert isinstance(load_definition("faser2"), FarDetectorExperiment)
    with pytest.raises(ExperimentError, match="far-detector experiment"):
        load_experiment("faser2")
    with pytest.raises(ExperimentError, match="not a far detector"):
        load_far_experiment("belle2")


def test_user_copy_with_moved_detector(tmp_path: Path) -> None:
    text = builtin_text("faser2").replace("z_min_m = 475.0", "z_min_m = 620.0")
    text = text.replace("z_max_m = 480.0", "z_max_m = 630.0")
    path = tmp_path / "fpf.toml"
    path.write_text(text)
    exp = load_far_experiment(path)
    assert exp.shape == BeamAxisCylinder(1.0, 620.0, 630.0)


def test_luminosity_override_scales_background() -> None:
    exp = load_far_experiment("faser2")
    text_exp = exp.with_luminosity(1.5e6)
    assert text_exp.luminosity_pb == 1.5e6
    assert text_exp.selection.background == pytest.approx(exp.selection.background * 0.5)


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ("radius_m = 1.0", "radius_m = -1.0", "radius"),
        ("radius_m = 1.0", "radius_m = nan", "finite"),
        ("radius_m = 1.0", "radius_m = 1e-300", "give 0 or at least 1e-06 m"),
        ("z_max_m = 480.0", "z_max_m = inf", "finite"),
        ("z_max_m = 480.0", "z_max_m = 470.0", "z_max"),
        ('shape = "beam-axis-cylinder"', 'shape = "sphere"', "unknown shape"),
        ('luminosity = "3/ab"', 'luminosity = "3 apples"', "luminosity"),
        ("photon_energy_min = 10.0", "photon_energy_min = -1.0", "photon_energy_min"),
        ("efficiency = 1.0", "efficiency = 1.5", "efficiency"),
        ("background = 0.0", "background = 1e300", "background"),
        ("absorber_distance_m = 20.0", "absorber_distance_m = 0.0", "absorber_distance_m"),
        ('kind = "far-detector"', 'kind = "telescope"', "kind"),
        ("radius_m = 1.0", "radius_m = 1.0\ncolour = 3", "unknown field"),
        ("n_phi = 1", "n_phi = 0", "n_phi"),
        ("n_phi = 1", "n_phi = 2.5", "whole number"),
        ("n_phi = 1", "n_phi = 1e9", "n_phi"),
        ("n_phi = 1", "n_phi = nan", "finite"),
        ("n_phi = 1", 'n_phi = "three"', "number"),
        ("n_phi = 1", "n_phi = 1\nn_theta = 4", "unknown field"),
        ("n_phi = 1", "n_phi = 1\nn_table_cells = 0", "n_table_cells"),
        ("n_phi = 1", "n_phi = 1\nn_azimuth = 1.5", "whole number"),
        ('minor_channels = ["D", "Ds", "B"]', 'minor_channels = ["W"]', "minor_channels"),
        ('minor_channels = ["D", "Ds", "B"]', 'minor_channels = ["b"]', "meson channels"),
        ('minor_channels = ["D", "Ds", "B"]', 'minor_channels = "B"', "must be a list"),
        ('minor_channels = ["D", "Ds", "B"]', "minor_channels = [1]", "minor_channels"),
        # the sources are the 14 TeV tables as they are: another energy would be a label only
        ("sqrt_s = 14000.0", "sqrt_s = 13000.0", r"sqrt_s = 13000 GeV: .* set sqrt_s = 14000.0"),
        ("sqrt_s = 14000.0", "sqrt_s = 0.0", "sqrt_s must be positive"),
    ],
)
def test_bad_fields_name_the_field(tmp_path: Path, old: str, new: str, match: str) -> None:
    text = builtin_text("faser2")
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ExperimentError, match=match) as err:
        load_definition(path)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("name", "old", "new", "match"),
    [
        ("mapp2", "x_max_m = 6.0", "x_max_m = 2.0", "x_min_m = 3.0 must be smaller than x_max_m"),
        ("facet", "r_min_m = 0.18", "r_min_m = 0.8", "r_min_m = 0.8 must be smaller than r_max_m"),
        ("anubis", "y_max_m = 80.0", "y_max_m = 20.0", "y_min_m = 24.0 must be smaller"),
        ("anubis", "radius_m = 9.0", "radius_m = 0.0", "radius_m = 0.0 must be positive"),
        ("faser2", "z_max_m = 480.0", "z_max_m = 470.0", "z_min_m = 475.0 must be smaller"),
    ],
)
def test_geometry_errors_name_the_keys_of_the_file(
    tmp_path: Path, name: str, old: str, new: str, match: str
) -> None:
    # the shape classes say x_min; the file says x_min_m: the message names what was typed
    text = builtin_text(name)
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ExperimentError, match=match) as err:
        load_definition(path)
    assert "Box." not in str(err.value)
    assert "\n" not in str(err.value)


def test_every_far_detector_is_at_the_energy_of_every_shipped_table() -> None:
    # the check on collider.sqrt_s compares with the meson catalogue; the W/Z tables (their own
    # catalogue) must be at the same energy for it to cover them too
    energies = {e.sqrt_s_gev for e in builtin_catalogue()}
    energies |= {boson_spectrum(p, h).sqrt_s_gev for p in (24, -24, 23) for h in WZ_HEMISPHERES}
    assert energies == {14000.0}
    far = [n for n in builtin_names() if 'kind = "far-detector"' in builtin_text(n)]
    assert len(far) == 7
    for name in far:
        assert load_far_experiment(name).sqrt_s == 14000.0


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    with pytest.raises(ExperimentError, match="empty"):
        load_definition(empty)
    with pytest.raises(ExperimentError, match="does not exist"):
        load_definition(tmp_path / "nope.toml")
    with pytest.raises(ExperimentError, match="folder"):
        load_definition(_dir_toml(tmp_path))


def _dir_toml(tmp_path: Path) -> Path:
    d = tmp_path / "dir.toml"
    d.mkdir()
    return d


def test_charged_meson_rule_follows_foresee() -> None:
    rule = load_far_experiment("faser2").charged_mesons

    # A 1 TeV pi+ inside 2.5 mrad must decay within 20 m: P = 1 - exp(-20 m m_pi/(p c tau)).
    m_pi, ctau = 0.13957, 7.8045
    p = np.array([1000.0])
    got = rule.decay_probability(np.array([1e-3]), p, m_pi, ctau)
    assert got[0] == pytest.approx(-math.expm1(-20.0 * m_pi / (1000.0 * math.cos(1e-3) * ctau)))
    # Outside the aperture: 5 cm of transverse flight.
    theta = np.array([0.1])
    got = rule.decay_probability(theta, p, m_pi, ctau)
    assert got[0] == pytest.approx(-math.expm1(-0.05 * m_pi / (1000.0 * math.sin(0.1) * ctau)))


def test_detector_from_the_interaction_point_on() -> None:
    """FASER-2 moved to begin at the interaction point (z_min = 0): every N heading into it
    starts inside, N grows without end with d, and the band's lower edge is found without a
    warning (an overflow once, in the single-precision scan) while its upper edge runs off
    the scanned range (NaN)."""
    import tomllib

    from nudipole.api import far_reach
    from nudipole.experiments.far_schema import far_experiment_from_dict

    data = tomllib.loads(builtin_text("faser2"))
    data["detector"]["z_min_m"] = 0.0
    exp = far_experiment_from_dict(data, "faser2-from-ip.toml")
    r = far_reach(exp, [0.01, 0.3], preset="paper", error_estimate=False, locate_ends=False)
    assert np.all(np.isfinite(r.d95))
    assert np.all(r.d95 > 0)
    assert np.all(np.isnan(r.upper))
