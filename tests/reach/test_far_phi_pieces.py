"""The phi* integral of the compiled far-detector count piece by piece along the regions of the
detector table (nudipole.reach._far_kernel.flux_rays_kernel): exact in a region, Gauss nodes
across a run of narrow ones."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from nudipole.experiments.registry import load_far_experiment
from nudipole.production.detector_grid import detector_grid_size
from nudipole.production.meson_source import SourceOptions
from nudipole.reach import far_light, far_rays
from nudipole.reach._regions_kernel import SPLIT_MIN_ROWS, rays_per_node_bound
from nudipole.reach.far_couplings import make_far_couplings
from nudipole.reach.far_presets import get_far_preset
from nudipole.reach.far_scan import compute_far_reach
from nudipole.reach.far_setup import detector_options
from nudipole.reach.far_table import kernel_rows


def _rows(name: str):  # type: ignore[no-untyped-def]
    exp = load_far_experiment(name)
    opts = detector_options(exp, SourceOptions())
    return kernel_rows(
        exp.shape, exp.shape.polar_window(), detector_grid_size(opts.table_cells()), opts.n_azimuth
    )


def test_facet_table_is_a_wide_region_between_two_narrow_runs() -> None:
    """FACET's annulus as the pieces see it: the inner rim (rays entering through the beam
    pipe's wall), one wide region, the outer rim (rays leaving through the side)."""
    rows = _rows("facet")
    sizes = np.bincount(rows.region)
    wide = sizes >= SPLIT_MIN_ROWS
    assert wide.sum() == 1
    k = int(np.flatnonzero(wide)[0])
    assert 0 < k < sizes.size - 1  # narrow regions on either side
    assert rays_per_node_bound(rows.region_run_next, 3) == 2 * 3 + 1 + 1
    # a box off the axis: every row is a region, one narrow run
    assert rays_per_node_bound(_rows("mapp2").region_run_next, 6) == 6 + 0 + 1
    # FASER-2: its wide first region, then its rim
    assert rays_per_node_bound(_rows("faser2").region_run_next, 1) == 1 + 1 + 1


@pytest.mark.parametrize("preset", ["paper", "default"])
def test_facet_meson_bands_converge_in_phi_with_three_nodes(preset: str) -> None:
    """With the kinks at the rims at the ends of the pieces, FACET's meson band edges with its
    3 phi* nodes agree with 32 nodes to 0.02 % (measured 0.001 % / 0.004 % over 14 masses;
    the Gauss nodes over a node's whole interval needed 8 for 0.036 %)."""
    exp = load_far_experiment("facet")
    chosen = get_far_preset(preset)
    opts = detector_options(exp, SourceOptions(form_factor=str(chosen.form_factor)))
    assert opts.n_phi == 3
    masses = np.array([0.003, 0.03, 0.2, 0.4])

    def band(o: SourceOptions) -> tuple[np.ndarray, np.ndarray]:
        r = compute_far_reach(
            exp, masses, chosen, options=o, error_estimate=False, locate_ends=False, workers=1
        )
        assert r.d95_upper is not None
        return r.d95, r.d95_upper

    rule, fine = band(opts), band(replace(opts, n_phi=32))
    assert np.all(np.isfinite(rule[0]))
    np.testing.assert_allclose(rule[0], fine[0], rtol=2e-4)
    np.testing.assert_allclose(rule[1], fine[1], rtol=2e-4)


def test_facet_w_z_rays_kept_fit_their_record_and_replay_the_kernel() -> None:
    """The W/Z rays kept at a reference mass (far_light) on FACET, where a node's interval
    can cross both rims (up to 2 n_phi + 2 rays a node): the record has room for them, and
    replayed they give the kernel's own cells."""
    from nudipole.production.source_options import LIGHT_BOSON_REFERENCE

    exp = load_far_experiment("facet")
    cpl = make_far_couplings("tau", "C")
    # (the default preset's photon selection: the kept rays are replayed with this mass's
    # prefactors, as the kernel adds them; the paper preset shifts kept unit cells instead)
    preset = get_far_preset("default")
    opts = detector_options(exp, SourceOptions())
    m = LIGHT_BOSON_REFERENCE
    cache = far_light.LightCache()
    kept, head_kept = far_rays.merged_rays(exp, m, ("W", "Z"), "tau", opts, preset, cpl, cache)
    fresh, head_fresh = far_rays.merged_rays(exp, m, ("W", "Z"), "tau", opts, preset, cpl)
    assert len(cache) == 3
    np.testing.assert_allclose(head_kept, head_fresh, rtol=1e-12)
    for u in (1e-4, 1.0, 1e4):
        for group in range(2):
            assert kept.rays(group).events(u) == pytest.approx(
                fresh.rays(group).events(u), rel=1e-12, abs=1e-300
            )


def test_a_record_without_room_is_refused() -> None:
    """A record of the rays smaller than the rays made raises instead of writing past it."""
    from nudipole.reach._far_kernel import _emit

    n = 4
    rays = (np.zeros(n), np.ones(n), np.zeros(n, np.int64), np.zeros(n, np.int64))
    empty = np.empty(0)
    grid_rows = np.zeros((1, 4))
    geo = (empty, 0.0, 1.0, grid_rows, np.zeros((0, 5)), np.zeros(1), np.ones(1), np.zeros(1))
    cells = (0, 0, 1, 0, np.zeros(3), np.zeros(2), np.array([-1.0, 0.0, 0.0, 0.0]))
    small = (np.zeros(3, np.int64), np.zeros(3), np.zeros(3, np.int64), np.zeros(1, np.int64))
    with pytest.raises(IndexError, match="room"):
        _emit(n, *rays, (*geo, *cells), True, small, empty)
