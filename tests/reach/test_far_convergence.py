"""Convergence of the far-detector bands in their integration rules: the built-in detectors'
rules (``SourceOptions`` defaults and each file's ``[integration]`` orders) against every rule
doubled, the parents' sub-bin rule included (every spectrum bin spread over 2 x 2 nodes in
log theta and log p, the fastest over 4 x 4). Issue 11 asks for 0.3 % in d: measured with
benchmarks/far_convergence.py (14 masses from 1.5 MeV to 0.98 of the closing mass; lower /
upper edge, paper preset) FASER-2 0.17 / 0.05 %, FACET 0.15 / 0.18 %, MAPP-2 0.12 / 0.21 %;
the masses below include those next to the closing masses, where the edges move fastest, and
MAPP-2's upper edge at 3 MeV, which with the parents at their bins' centres was 0.34 % from
the doubled rule (0.58 % once the doubled rule spread the bins in log p too). The W/Z parts'
phi* orders (``n_phi_boson``) of MATHUSLA, ANUBIS, CODEX-b, AL3X and MAPP-2 are checked the
same way on their W/Z bands (the scan behind them: benchmarks/wz_convergence.py); CODEX-b's
upper edge at 3 MeV, 0.62 % off with every W/Z bin at its centre, is now within the 0.3 %."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nudipole.experiments.far_schema import FarDetectorExperiment
from nudipole.experiments.registry import builtin_text, load_definition, load_far_experiment
from nudipole.production.meson_source import SourceOptions
from nudipole.reach.far_couplings import make_far_couplings
from nudipole.reach.far_presets import get_far_preset
from nudipole.reach.far_scan import compute_far_reach
from nudipole.reach.far_setup import detector_options

#: Masses (GeV) from the widest band to near each detector's closing mass.
MASSES = {
    "faser2": (0.005, 0.05, 0.169),
    "facet": (0.005, 0.1, 0.41),
    "mapp2": (0.003, 0.05),
    # next to the end of its band, where 6 phi* nodes left 0.36 % (its file sets 10)
    "codexb": (0.0419,),
}


@pytest.mark.parametrize("name", sorted(MASSES))
def test_band_edges_converged_in_the_integration_rules(name: str) -> None:
    exp = load_far_experiment(name)
    preset = get_far_preset("paper")
    opts = detector_options(exp, SourceOptions(form_factor=str(preset.form_factor)))
    masses = MASSES[name]
    run = {
        label: compute_far_reach(
            exp, masses, preset, options=o, error_estimate=False, locate_ends=False
        )
        for label, o in (("rule", opts), ("doubled", opts.refined()))
    }
    assert np.all(np.isfinite(run["rule"].d95))
    np.testing.assert_allclose(run["rule"].d95, run["doubled"].d95, rtol=3e-3)
    np.testing.assert_allclose(run["rule"].d95_upper, run["doubled"].d95_upper, rtol=3e-3)


#: Masses (GeV) inside each built-in detector's meson band for the minor-channel check.
MINOR_MASSES = {
    **{name: MASSES[name] for name in ("faser2", "facet", "mapp2")},
    "mathusla": (0.01, 0.1),
    "anubis": (0.01, 0.1),
    "codexb": (0.01, 0.0419),
    "al3x": (0.01, 0.3),
}


@pytest.mark.parametrize("name", sorted(MINOR_MASSES))
def test_minor_channels_are_a_small_part_of_the_count(name: str) -> None:
    # The premise of a file's minor_channels (D, D_s, B: halved rules, SourceOptions.
    # for_channel): without them at all the bands move by less than 1 % (measured at most
    # 0.36 % FASER-2, 0.56 % FACET, 0.57 % MAPP-2, 0.47 % MATHUSLA, 0.45 % ANUBIS, 0.53 %
    # CODEX-b, 0.42 % AL3X: the lower edge, d_e, 24 masses), so the halved rules' own error
    # enters at under 1 % of its size; with them the edges are within 0.02 % of every
    # channel's full rules (docs/lhc.md) and the check above against every rule doubled
    # (every channel's) holds.
    from nudipole.production.meson_table import CHANNELS

    exp = load_far_experiment(name)
    minor = exp.integration.minor_channels
    assert minor == ("D", "Ds", "B")
    preset = get_far_preset("paper")
    opts = detector_options(exp, SourceOptions(form_factor=str(preset.form_factor)))
    rest = [c for c in CHANNELS if c not in minor]
    masses = MINOR_MASSES[name]
    run = {
        label: compute_far_reach(
            exp, masses, preset, chans, options=opts, error_estimate=False, locate_ends=False
        )
        for label, chans in (("all", CHANNELS), ("without", rest))
    }
    np.testing.assert_allclose(run["without"].d95, run["all"].d95, rtol=1e-2)
    np.testing.assert_allclose(run["without"].d95_upper, run["all"].d95_upper, rtol=1e-2)
    # and they are not nothing: the count does change without them
    assert not np.array_equal(run["without"].d95, run["all"].d95)


def test_minor_channels_only_inside_the_whole_meson_count() -> None:
    from dataclasses import replace

    from nudipole.production.meson_table import CHANNELS
    from nudipole.reach.far_events import far_events
    from nudipole.reach.far_setup import minor_rules_for

    opts = SourceOptions(minor_channels=("B",))
    assert minor_rules_for(opts, CHANNELS) is opts
    assert minor_rules_for(opts, [*CHANNELS, "W", "Z"]) is opts
    # a channel alone, or a set without one of the mesons: every channel's full rules
    assert minor_rules_for(opts, ["B"]).minor_channels == ()
    assert minor_rules_for(opts, [c for c in CHANNELS if c != "pi0"]).minor_channels == ()
    exp = load_far_experiment("faser2")
    preset = get_far_preset("paper")
    own = detector_options(exp, SourceOptions(form_factor=str(preset.form_factor)))
    full = replace(own, minor_channels=())
    assert own.minor_channels
    assert full != own
    # FASER-2's D_s band alone (as figure lhc-channels draws it): the full rules' band
    alone = {
        label: compute_far_reach(
            exp, [0.003, 0.01], preset, ["Ds"], options=o, error_estimate=False, locate_ends=False
        )
        for label, o in (("file", own), ("full", full))
    }
    assert np.all(np.isfinite(alone["file"].d95))
    np.testing.assert_array_equal(alone["file"].d95, alone["full"].d95)
    # nudipole events shows each channel's count: with its full rules
    counts = {
        label: far_events(exp, 0.05, 1e-5, preset, ["B", "pi0"], options=o)
        for label, o in (("file", own), ("full", full))
    }
    assert [c.passing for c in counts["file"]] == [c.passing for c in counts["full"]]


#: Detectors whose files set the W/Z phi* rule (``n_phi_boson``), the order they set, and the
#: masses (GeV) of their W/Z check: inside every band of d_tau scenario C (measured: within
#: 0.25 % of every rule doubled, 3 MeV-0.3 GeV), and CODEX-b next to the end of its band,
#: where its upper edge was 0.34 % off with 3 phi* nodes (0.10 % with its 7, docs/lhc-wz.md).
WZ_RULES = {"mathusla": 4, "anubis": 4, "codexb": 7, "al3x": 3, "mapp2": 4, "facet": 4}
WZ_MASSES = (0.003, 0.01, 0.05, 0.3)
WZ_EXTRA_MASSES = {"codexb": (0.415,)}


@pytest.mark.parametrize("name", sorted(WZ_RULES))
def test_wz_band_edges_converged_in_the_detector_rules(name: str) -> None:
    exp = load_far_experiment(name)
    preset = get_far_preset("paper")
    opts = detector_options(exp, SourceOptions(form_factor=str(preset.form_factor)))
    assert opts.n_phi_boson == WZ_RULES[name]
    # the mesons keep their own rule (FACET's file sets 3 phi* nodes for them, CODEX-b's 10)
    assert opts.n_phi == {"facet": 3, "codexb": 10}.get(name, SourceOptions().n_phi)
    cpl = make_far_couplings("tau", "C")
    run = {
        label: compute_far_reach(
            exp,
            WZ_MASSES + WZ_EXTRA_MASSES.get(name, ()),
            preset,
            channels=("W", "Z"),
            flavour="tau",
            options=o,
            couplings=cpl,
            error_estimate=False,
            locate_ends=False,
        )
        for label, o in (("rule", opts), ("doubled", opts.refined()))
    }
    assert np.all(np.isfinite(run["rule"].d95))
    np.testing.assert_allclose(run["rule"].d95, run["doubled"].d95, rtol=3e-3)
    np.testing.assert_allclose(run["rule"].d95_upper, run["doubled"].d95_upper, rtol=3e-3)


def test_detector_rules_replace_the_defaults_only_where_stated(tmp_path: Path) -> None:
    faser2 = load_far_experiment("faser2")
    facet = load_far_experiment("facet")
    mapp2 = load_far_experiment("mapp2")
    assert (faser2.integration.n_phi, faser2.integration.n_cos) == (1, 8)
    assert "convergence" in faser2.integration.source
    # FACET sets the mesons' phi* and theta* rules and the W/Z parts' phi* rule
    assert (facet.integration.n_phi, facet.integration.n_cos) == (3, 7)
    assert facet.integration.n_phi_boson == 4
    # MAPP-2 sets the mesons' theta* rule and the W/Z phi* rule, not the mesons' phi* rule
    assert (mapp2.integration.n_phi, mapp2.integration.n_phi_boson) == (None, 4)
    assert mapp2.integration.n_cos == 7
    assert "convergence" in mapp2.integration.source
    resolved = detector_options(faser2, SourceOptions())
    assert (resolved.n_phi, resolved.n_cos, resolved.detector_rules) == (1, 8, False)
    # the W/Z parts keep their own theta* rule
    assert resolved.n_cos_boson == SourceOptions().n_cos_boson
    # resolved options and explicit opt-outs are left alone
    assert detector_options(faser2, resolved) is resolved
    own = SourceOptions(n_phi=12, detector_rules=False)
    assert detector_options(faser2, own) is own
    assert detector_options(mapp2, SourceOptions()).n_phi == SourceOptions().n_phi
    assert detector_options(facet, SourceOptions()) == SourceOptions(
        detector_rules=False, n_phi=3, n_cos=7, n_phi_boson=4, minor_channels=("D", "Ds", "B")
    )
    # a file without minor channels keeps every channel's full rules
    text = builtin_text("mathusla").replace('minor_channels = ["D", "Ds", "B"]\n', "")
    path = tmp_path / "no_minor.toml"
    path.write_text(text)
    plain = load_definition(path)
    assert isinstance(plain, FarDetectorExperiment)
    assert plain.integration.minor_channels is None
    assert detector_options(plain, SourceOptions()).minor_channels == ()
    # FASER-2's W/Z parts follow its n_phi (no n_phi_boson there)
    assert resolved.n_phi_boson is None
    # the doubled and halved rules never take the detector's orders back
    assert not SourceOptions().refined().detector_rules
    assert not SourceOptions().coarsened().detector_rules
    result = compute_far_reach(
        faser2, [0.05], get_far_preset("paper"), error_estimate=False, locate_ends=False
    )
    assert result.inputs["integration"]["n_phi"] == 1
    assert "convergence" in result.inputs["integration"]["detector_rules_source"]


#: Detectors whose files set the detector table's rules (polar cells, azimuthal nodes).
TABLE_RULES = {
    "mathusla": (4, 3),
    "anubis": (4, 3),
    "codexb": (4, 3),
    "al3x": (4, SourceOptions().n_azimuth),
    "mapp2": (8, 2),
}


@pytest.mark.parametrize("name", sorted(TABLE_RULES))
def test_large_detectors_set_a_coarser_geometry_table(name: str) -> None:
    # A large volume far from the axis changes slowly with the polar angle: 256 rows instead
    # of 4096 (and 3 azimuthal nodes per piece for the boxes and the shaft, 2 for MAPP-2's
    # box) keep the W/Z and meson band edges within 0.4 % of every rule doubled (the W/Z
    # check above; the scan of the files' [integration] source), and the W/Z bands take
    # 20-30 % less time.
    opts = detector_options(load_far_experiment(name), SourceOptions())
    assert (opts.n_table_cells, opts.n_azimuth) == TABLE_RULES[name]
    assert opts.refined().n_table_cells == 2 * TABLE_RULES[name][0]
    # the NumPy path (nudipole events) keeps its N cells
    assert opts.n_theta_cells == SourceOptions().n_theta_cells


@pytest.mark.parametrize("name", ["mathusla", "anubis"])
def test_meson_band_edges_converged_with_the_coarser_table(name: str) -> None:
    exp = load_far_experiment(name)
    preset = get_far_preset("paper")
    opts = detector_options(exp, SourceOptions(form_factor=str(preset.form_factor)))
    masses = (0.01, 0.1)
    run = {
        label: compute_far_reach(
            exp, masses, preset, options=o, error_estimate=False, locate_ends=False
        )
        for label, o in (("rule", opts), ("doubled", opts.refined()))
    }
    assert np.all(np.isfinite(run["rule"].d95))
    np.testing.assert_allclose(run["rule"].d95, run["doubled"].d95, rtol=5e-3)
    np.testing.assert_allclose(run["rule"].d95_upper, run["doubled"].d95_upper, rtol=5e-3)


#: Detectors under a small polar window, whose W/Z parts take the per-parent theta* rule
#: (nudipole.production.window_theta), and masses inside their W/Z bands (d_tau, C) up to
#: where FASER-2's lower edge used to jump with the fixed theta* rule (by up to 3 %).
SMALL_WINDOW_MASSES = {"faser2": (0.01, 0.03, 0.07, 0.1), "facet": (0.01, 0.05, 0.3)}


@pytest.mark.parametrize("name", sorted(SMALL_WINDOW_MASSES))
def test_wz_band_edges_converged_under_a_small_window(name: str) -> None:
    exp = load_far_experiment(name)
    preset = get_far_preset("paper")
    opts = detector_options(exp, SourceOptions(form_factor=str(preset.form_factor)))
    cpl = make_far_couplings("tau", "C")
    masses = SMALL_WINDOW_MASSES[name]
    run = {
        label: compute_far_reach(
            exp,
            masses,
            preset,
            channels=("W", "Z"),
            flavour="tau",
            options=o,
            couplings=cpl,
            error_estimate=False,
            locate_ends=False,
        )
        for label, o in (("rule", opts), ("doubled", opts.refined()))
    }
    assert np.all(np.isfinite(run["rule"].d95))
    # measured: FASER-2 <= 4e-4, FACET <= 1e-3 (lower), <= 1e-4 (upper)
    np.testing.assert_allclose(run["rule"].d95, run["doubled"].d95, rtol=3e-3)
    np.testing.assert_allclose(run["rule"].d95_upper, run["doubled"].d95_upper, rtol=3e-3)
