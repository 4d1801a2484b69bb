"""Masses without a band skipped by the bound of their count (nudipole.reach.far_bounds,
the bound mode of the compiled far-detector kernel)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from nudipole.experiments.far_schema import FarDetectorExperiment
from nudipole.experiments.registry import load_far_experiment
from nudipole.model import Flavour
from nudipole.production.angular_rules import azimuth_rules
from nudipole.production.meson_source import SourceOptions, channel_sources, part_phi_order
from nudipole.production.meson_table import CHANNELS
from nudipole.reach import far_bounds, far_rays, far_scan
from nudipole.reach.band import band_peak
from nudipole.reach.band_bound import NO_BAND_MARGIN
from nudipole.reach.far_couplings import PHOTON_SIGNAL
from nudipole.reach.far_kernel_calls import compiled_node_combos, flux_kernel
from nudipole.reach.far_presets import FarPreset, get_far_preset
from nudipole.reach.far_setup import detector_options, signal_threshold
from nudipole.reach.far_table import kernel_rows


def _setup(name: str, preset_name: str) -> tuple[FarDetectorExperiment, SourceOptions, FarPreset]:
    exp = load_far_experiment(name)
    preset = get_far_preset(preset_name)
    opts = detector_options(exp, SourceOptions(form_factor=str(preset.form_factor)))
    return exp, opts, preset


@pytest.mark.parametrize("name", ["faser2", "facet", "mapp2"])
@pytest.mark.parametrize("preset_name", ["paper", "default"])
@pytest.mark.parametrize("mass", [0.02, 0.3, 2.5])
def test_bound_is_above_the_peak_and_heading_the_same(
    name: str, preset_name: str, mass: float
) -> None:
    exp, opts, preset = _setup(name, preset_name)
    chans = list(CHANNELS)
    merged, heading = far_rays.merged_rays(exp, mass, chans, "mu", opts, preset)
    bounds, head_b = far_rays.ray_bounds(exp, mass, chans, "mu", opts, preset)
    # the same N heading into the detector to the last digit (the acceptance of a skipped mass)
    assert np.array_equal(heading, head_b)
    for k in range(len(chans)):
        _, peak = band_peak(merged.rays(k))
        # the cells' count may exceed the rays' own by the merging (below 1e-3)
        assert bounds[k] >= peak * (1.0 - 1e-3)
        # and the bound is not loose beyond what a skip needs (built-in detectors: 1.2-1.7)
        if peak > 0.0:
            assert bounds[k] <= 2.0 * peak


def test_kernel_bound_mode_sums_the_rays_rows() -> None:
    # An independent sum: the rays the kernel records (row, weight, combo) times the row's
    # bound and the combo's prefactor over its decay scale, in NumPy.
    exp, opts, _ = _setup("mapp2", "paper")
    mass = 0.2
    window = exp.shape.polar_window()
    s_lo, s_hi = (math.sin(0.5 * t) ** 2 for t in window)
    rows = kernel_rows(exp.shape, window, 512, opts.n_azimuth)
    (src,) = channel_sources(
        "eta", mass, "e", exp.charged_mesons, window, opts, PHOTON_SIGNAL.ratios
    )
    combos = compiled_node_combos(src, mass, window, opts)
    assert combos is not None
    coef, frac_p, w_p = azimuth_rules(s_hi, part_phi_order(src.part, opts))
    n_c = combos.momentum.size
    rng = np.random.default_rng(3)
    coeff = rng.uniform(0.5, 2.0, n_c)
    scale = mass / combos.momentum
    size = int(combos.count.sum()) * (frac_p.size + 1) + n_c + 2
    ints = np.empty(size, np.int64)
    rec = (ints, np.empty(size), np.empty(size, np.int64), np.zeros(1, np.int64))
    no_cells = (0, 0, 1, 0, np.empty(0), np.empty(0))
    bound = np.zeros(1)
    key_c = np.log(scale)
    flux_kernel(combos, src, coeff, scale, key_c, rows, (s_lo, s_hi), (coef, frac_p, w_p),
                no_cells, rec, bound=bound)  # fmt: skip
    n = int(rec[3][0])
    g, w, k = rec[0][:n], rec[1][:n], rec[2][:n]
    want = math.fsum(coeff[k] * w * rows.grid_rows[g, 3] / scale[k])
    assert n > 1000
    assert bound[0] == pytest.approx(want, rel=1e-12)


def test_bound_first_follows_the_nearest_lighter_mass_scanned() -> None:
    assert not far_bounds.bound_first(0, {})
    assert not far_bounds.bound_first(3, {})
    assert far_bounds.bound_first(3, {0: True, 1: False})
    assert not far_bounds.bound_first(3, {0: False, 2: True})
    assert far_bounds.bound_first(5, {2: False, 7: True})  # heavier masses do not count


def test_universal_bound_adds_the_three_flavours() -> None:
    exp, opts, preset = _setup("faser2", "paper")
    chans = ["pi0", "eta", "D", "Ds"]
    got = far_bounds.mass_bound(exp, 0.4, chans, "universal", opts, preset, PHOTON_SIGNAL)
    assert got is not None
    parts = [
        far_bounds.mass_bound(exp, 0.4, chans, str(f), opts, preset, PHOTON_SIGNAL) for f in Flavour
    ]
    assert all(p is not None for p in parts)
    assert got[0] == pytest.approx(sum(p[0] for p in parts if p is not None), rel=1e-14)
    _, heading = far_scan._merged_rays(exp, 0.4, chans, "universal", opts, preset)
    assert np.array_equal(got[1], heading)


def test_w_z_channels_have_no_ray_bound() -> None:
    exp, opts, preset = _setup("faser2", "paper")
    with pytest.raises(ValueError, match="meson channels only"):
        far_rays.ray_bounds(exp, 1.0, ["W"], "e", opts, preset)


@pytest.mark.parametrize("name", ["faser2", "mapp2"])
@pytest.mark.parametrize("workers", [1, 2])
def test_skipped_masses_leave_the_band_as_it_was(
    name: str, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same bands, errors, acceptances, events and band ends, to the last digit, with
    masses skipped by their bound and with every mass counted in full; and masses are
    skipped (past the band's end, every mass but the first)."""
    exp, _, preset = _setup(name, "paper")
    masses = np.geomspace(0.01, 5.0, 14)
    calls: list[float] = []  # the bounds found
    real = far_bounds.mass_bound

    def counted(*args: Any, **kwargs: Any) -> Any:
        got = real(*args, **kwargs)
        calls.append(math.nan if got is None else got[0])
        return got

    monkeypatch.setattr(far_bounds, "mass_bound", counted)
    skipped = far_scan.compute_far_reach(exp, masses, preset, workers=workers)
    threshold = signal_threshold(exp, preset)
    assert sum(b < NO_BAND_MARGIN * threshold for b in calls) >= 4
    monkeypatch.setattr(far_bounds, "bound_first", lambda index, known: False)
    calls.clear()
    full = far_scan.compute_far_reach(exp, masses, preset, workers=workers)
    assert calls == []
    for field in ("d95", "d95_upper", "d95_error", "d95_upper_error", "acceptance"):
        np.testing.assert_array_equal(getattr(skipped, field), getattr(full, field))
    assert skipped.band_ends == full.band_ends
    assert skipped.inputs == full.inputs
