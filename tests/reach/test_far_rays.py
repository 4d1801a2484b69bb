"""The compiled far-detector count (nudipole.reach.far_rays) against the NumPy reference."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudipole.experiments.registry import load_far_experiment
from nudipole.production.meson_source import Kernel, SourceOptions, channel_sources
from nudipole.production.node_combos import node_combos
from nudipole.reach import far_kernel_calls, far_light, far_rays, far_table
from nudipole.reach.band import solve_band
from nudipole.reach.far_presets import get_far_preset
from nudipole.reach.far_scan import compute_far_reach, merged_rays_numpy

CHANNELS = ("pi0", "eta", "rho", "pi", "K", "D", "B")


@pytest.mark.parametrize("name", ["faser2", "facet", "mapp2"])
@pytest.mark.parametrize("preset", ["paper", "default"])
@pytest.mark.parametrize("mass", [0.003, 0.05])
def test_compiled_rays_match_numpy_path(name: str, preset: str, mass: float) -> None:
    # Same (parent, E*, cos theta*) nodes. In phi* the compiled count is exact over the part
    # of a node's accepted interval that lies in one region of the detector and uses n_phi
    # Gauss nodes beyond it, the NumPy path n_phi nodes over the whole interval; with 16
    # nodes both rules have converged. The NumPy path also merges the N into (theta, ln p)
    # cells first (64 polar cells, 1 % in p), the compiled one keeps each N's own angle and
    # momentum: the N heading into the detector agree to rounding where the azimuthal
    # fraction that hits is constant across a polar cell (FASER-2, FACET), to the cells'
    # discretisation where it varies (MAPP-2's box: measured 1e-3); per channel at one
    # coupling the NumPy path's rim cell (FASER-2, where rays start to leave through the
    # side, one mean angle) shows most: measured <= 1.7e-3; the band edges <= 4e-4.
    exp = load_far_experiment(name)
    opts = replace(SourceOptions(), n_phi=16)
    chosen = get_far_preset(preset)
    fast, head_fast = far_rays.merged_rays(exp, mass, CHANNELS, "e", opts, chosen)
    ref, head_ref = merged_rays_numpy(exp, mass, CHANNELS, "e", opts, chosen)
    np.testing.assert_allclose(head_fast, head_ref, rtol=2e-3 if name == "mapp2" else 1e-6)
    for group in range(len(CHANNELS)):
        n_fast = fast.rays(group).events(1e-12)
        n_ref = ref.rays(group).events(1e-12)
        assert n_fast == pytest.approx(n_ref, rel=3e-3, abs=1e-30)
    lo_f, hi_f = solve_band(fast.rays(), 3.0)
    lo_r, hi_r = solve_band(ref.rays(), 3.0)
    np.testing.assert_allclose([lo_f, hi_f], [lo_r, hi_r], rtol=1e-3)  # NaN = no band: both


@pytest.mark.parametrize("mass", [0.003, 0.05])
def test_compiled_count_is_exact_in_phi_inside_a_region(mass: float) -> None:
    # FASER-2 is one region up to its rim: the phi* integral is exact there, and the Gauss
    # nodes only cover the rim (1 % of the polar window), so the number of phi* nodes hardly
    # matters (measured: 1 and 16 nodes agree to 2e-5 per channel)
    exp = load_far_experiment("faser2")
    chosen = get_far_preset("paper")
    one, _ = far_rays.merged_rays(
        exp, mass, CHANNELS, "e", replace(SourceOptions(), n_phi=1), chosen
    )
    many, _ = far_rays.merged_rays(
        exp, mass, CHANNELS, "e", replace(SourceOptions(), n_phi=16), chosen
    )
    for group in range(len(CHANNELS)):
        assert one.rays(group).events(1e-12) == pytest.approx(
            many.rays(group).events(1e-12), rel=2e-4
        )


@pytest.mark.parametrize(("name", "mass"), [("faser2", 0.003), ("mapp2", 0.4), ("facet", 0.5)])
def test_compiled_node_combos_equal_numpy_combos(name: str, mass: float) -> None:
    # the same combos in the same order, to rounding: the compiled one is a loop over the
    # NumPy one's array expressions
    exp = load_far_experiment(name)
    opts = SourceOptions()
    window = exp.shape.polar_window()
    checked = 0
    for channel in ("pi0", "eta", "rho", "jpsi", "K", "D", "B"):
        for src in channel_sources(channel, mass, "e", exp.charged_mesons, window, opts, None):
            ref = node_combos(
                src.table,
                src.e_star,
                src.e_weight,
                mass,
                window,
                opts.n_cos,
                opts.log_p_step,
                src.cos_rule,
            )
            fast = far_rays.compiled_node_combos(src, mass, window, opts)
            if ref is None:
                assert fast is None
                continue
            assert fast is not None
            checked += 1
            for field in ("first", "count"):
                np.testing.assert_array_equal(getattr(fast, field), getattr(ref, field))
            for field in ("cos_half", "sin_half", "sin_alpha", "weight", "momentum"):
                np.testing.assert_allclose(getattr(fast, field), getattr(ref, field), rtol=1e-13)
    assert checked >= 3


def test_reach_same_with_either_kernel() -> None:
    # 16 phi* nodes: the rules of both kernels have converged in phi* (see above)
    exp = load_far_experiment("faser2")
    masses = [0.002, 0.02, 0.2]
    out = {
        k: compute_far_reach(
            exp,
            masses,
            get_far_preset("paper"),
            options=SourceOptions(kernel=k, n_phi=16, detector_rules=False),
            error_estimate=False,
            locate_ends=False,
        )
        for k in Kernel
    }
    a, b = out[Kernel.COMPILED], out[Kernel.NUMPY]
    np.testing.assert_allclose(a.d95, b.d95, rtol=1e-3)
    np.testing.assert_allclose(a.upper, b.upper, rtol=1e-3)
    np.testing.assert_allclose(a.acceptance, b.acceptance, rtol=1e-9)


def test_dense_range_error_falls_back_to_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    # A detector whose merge cells do not fit the dense accumulator is counted by the NumPy
    # path, with the same result.
    exp = load_far_experiment("faser2")
    opts = SourceOptions()
    chosen = get_far_preset("paper")
    monkeypatch.setattr(far_kernel_calls, "DENSE_CELLS", 1)
    with pytest.raises(far_rays.DenseRangeError):
        far_rays.merged_rays(exp, 0.05, ("pi0",), "e", opts, chosen)
    res = compute_far_reach(
        exp, [0.05], chosen, channels=("pi0",), options=opts, error_estimate=False
    )
    ref = compute_far_reach(
        exp,
        [0.05],
        chosen,
        channels=("pi0",),
        options=replace(opts, kernel=Kernel.NUMPY),
        error_estimate=False,
    )
    assert res.d95[0] == pytest.approx(ref.d95[0], rel=1e-12)


def _rows(name: str) -> tuple[np.ndarray, np.ndarray]:
    from nudipole.production.detector_grid import detector_grid, detector_grid_size
    from nudipole.reach.band import MERGE_LOG_STEP

    exp = load_far_experiment(name)
    opts = SourceOptions()
    shape = exp.shape
    grid = detector_grid(
        shape, shape.polar_window(), detector_grid_size(opts.table_cells()), opts.n_azimuth
    )
    with np.errstate(divide="ignore"):
        key_in = grid.log_l_in / MERGE_LOG_STEP
    rows = np.stack([grid.start, grid.count, grid.fraction], axis=1).astype(float)
    hits = np.stack(
        [grid.w_azimuth, key_in, grid.log_l_out / MERGE_LOG_STEP, grid.l_in, grid.l_out], axis=1
    )
    return rows, hits


def test_grid_regions_group_rows_where_the_detector_looks_the_same() -> None:
    from nudipole.reach._regions_kernel import REGION_KEY_TOL, grid_regions

    rows, hits = _rows("faser2")
    region = grid_regions(rows, hits, REGION_KEY_TOL)
    assert np.all(np.diff(region) >= 0)
    assert region[0] == 0
    # FASER-2: l_in = 475 m / cos(theta) and l_out = 480 m / cos(theta) change by < 3e-6 up
    # to theta = R / 480 m, where rays start to leave through the side: one region below it
    theta = (np.arange(rows.shape[0]) + 0.5) / rows.shape[0] * math.atan(1.0 / 475.0)
    assert np.all(region[theta < 0.999 * 1.0 / 480.0] == 0)
    for r in np.unique(region):
        sel = np.flatnonzero(region == r)
        first = hits[rows[sel, 0].astype(int)]
        for col in (1, 2):
            assert np.ptp(first[:, col]) <= REGION_KEY_TOL
    # MAPP-2 (a box): the azimuthal weights change with theta, every row its own region
    rows_b, hits_b = _rows("mapp2")
    region_b = grid_regions(rows_b, hits_b, REGION_KEY_TOL)
    assert region_b[-1] + 1 > 0.9 * rows_b.shape[0]


@pytest.mark.parametrize(("name", "at_most"), [("mathusla", 0.6), ("anubis", 0.6), ("mapp2", 1.0)])
def test_coincident_hits_merged_keep_every_segment_and_weight(name: str, at_most: float) -> None:
    from nudipole.production.detector_grid import detector_grid

    shape = load_far_experiment(name).shape
    grid = detector_grid(shape, shape.polar_window(), 256, SourceOptions().n_azimuth)
    start, count, w_az, l_in, l_out = far_table.coincident_hits_merged(grid)
    # a detector symmetric under x -> -x sees each segment twice (MATHUSLA |x| < 50 m,
    # ANUBIS's shaft on x = 0); a box seen through its front and back faces only (part of
    # MAPP-2's window) has one segment, z_min / cos(theta) to z_max / cos(theta), for all
    # the azimuths of a polar angle
    assert count.sum() < at_most * grid.count.sum()
    for g in range(0, grid.count.size, 17):
        old = slice(grid.start[g], grid.start[g] + grid.count[g])
        new = slice(start[g], start[g] + count[g])
        assert w_az[new].sum() == pytest.approx(grid.fraction[g], rel=1e-12)
        # every original hit is one merged hit with its segment, the weights add up
        for h_in, h_out, w in zip(l_in[new], l_out[new], w_az[new], strict=True):
            same = (np.abs(grid.l_in[old] - h_in) <= 1e-12 * grid.l_out[old].max()) & (
                np.abs(grid.l_out[old] - h_out) <= 1e-12 * grid.l_out[old].max()
            )
            assert same.any()
            assert w == pytest.approx(grid.w_azimuth[old][same].sum(), rel=1e-12)
        assert np.unique(np.stack([l_in[new], l_out[new]]), axis=1).shape[1] == count[g]


def _hit_rows_of(rows: list[list[tuple[float, float, float]]]) -> tuple[np.ndarray, ...]:
    """(start, count, w_az, l_in, l_out) of polar rows given as lists of (w, l_in, l_out)."""
    count = np.array([len(r) for r in rows], dtype=np.int64)
    start = (np.cumsum(count) - count).astype(np.int64)
    flat = [h for r in rows for h in r] or [(0.0, 0.0, 0.0)]
    w, l_in, l_out = (np.array(c, dtype=float)[: int(count.sum())] for c in zip(*flat, strict=True))
    return start, count, w, l_in, l_out


hit = st.tuples(
    st.floats(0.01, 1.0),
    st.one_of(st.just(0.0), st.floats(40.0, 41.0)),
    st.floats(41.5, 42.5),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(hit, min_size=0, max_size=8), min_size=1, max_size=6))
def test_near_hits_merged_keep_the_sums_and_the_cells(
    rows: list[list[tuple[float, float, float]]],
) -> None:
    from nudipole.reach.band import MERGE_LOG_STEP

    start, count, w, l_in, l_out = _hit_rows_of(rows)
    cells = far_table.NEAR_HIT_CELLS
    n_start, n_count, n_w, n_in, n_out = far_table.near_hits_merged(
        start, count, w, l_in, l_out, cells
    )
    assert n_count.sum() <= count.sum()
    tol = cells * MERGE_LOG_STEP
    for g in range(count.size):
        old = slice(start[g], start[g] + count[g])
        new = slice(n_start[g], n_start[g] + n_count[g])
        # a ray's sums c w (1, l_in, l_out) x scale over the hits of its row are unchanged
        for a, b in ((w[old], n_w[new]), (w[old] * l_in[old], n_w[new] * n_in[new])):
            assert b.sum() == pytest.approx(a.sum(), rel=1e-12, abs=1e-12)
        assert (n_w[new] * n_out[new]).sum() == pytest.approx(
            (w[old] * l_out[old]).sum(), rel=1e-12
        )
        # each merged hit lies within the tolerance of some original hit of its row, in both
        # ln l_in and ln l_out, and l_in = 0 stays apart from l_in > 0
        for m_in, m_out in zip(n_in[new], n_out[new], strict=True):
            near = np.abs(np.log(l_out[old]) - math.log(m_out)) <= tol + 1e-12
            if m_in == 0.0:
                near &= l_in[old] == 0.0
            else:
                near &= (l_in[old] > 0.0) & (
                    np.abs(np.log(np.where(l_in[old] > 0.0, l_in[old], 1.0)) - math.log(m_in))
                    <= tol + 1e-12
                )
            assert near.any()
    # no merging asked: the hits as they are
    same = far_table.near_hits_merged(start, count, w, l_in, l_out, 0.0)
    for kept, before in zip(same, (start, count, w, l_in, l_out), strict=True):
        assert np.array_equal(kept, before)


def test_near_hits_merged_moves_a_hit_only_to_a_neighbouring_cell() -> None:
    from nudipole.reach.band import MERGE_LOG_STEP

    # two hits 0.3 % apart in l_out: one merged hit at their weighted mean, whose cell at any
    # decay scale is the cell of one of them
    start, count, w, l_in, l_out = _hit_rows_of([[(0.25, 40.0, 42.0), (0.75, 40.0, 42.126)]])
    _, n_count, n_w, n_in, n_out = far_table.near_hits_merged(start, count, w, l_in, l_out, 0.1)
    assert n_count.tolist() == [1]
    assert n_w[0] == 1.0
    assert n_in[0] == 40.0
    assert n_out[0] == pytest.approx(0.25 * 42.0 + 0.75 * 42.126, rel=1e-15)
    for shift in np.linspace(0.0, 1.0, 101):
        key = math.floor(math.log(n_out[0]) / MERGE_LOG_STEP + shift)
        own = {math.floor(math.log(x) / MERGE_LOG_STEP + shift) for x in l_out}
        assert key in own
    # 0.5 % apart: two hits
    *_, n_out2 = far_table.near_hits_merged(
        *_hit_rows_of([[(0.5, 40.0, 42.0), (0.5, 40.0, 42.21)]]), 0.1
    )
    assert n_out2.size == 2


def test_near_hits_merged_move_the_mapp2_band_by_rounding_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nudipole.production.detector_grid import detector_grid_size
    from nudipole.reach.far_setup import detector_options

    # MAPP-2 (a box, 8 hits per polar row): 27 % fewer hits; band edges as with every hit
    # kept to 5e-5 (measured 2e-6 over 24 masses and three flavours with 8 theta* nodes;
    # 1.6e-5 on the upper edge at 2 MeV with MAPP-2's 7: a merged hit moves by up to 0.1 of
    # a cell, 4e-4 in l_in and l_out)
    exp = load_far_experiment("mapp2")
    masses = (0.002, 0.02, 0.08)

    def bands() -> tuple[np.ndarray, np.ndarray, int]:
        far_table.kernel_rows.cache_clear()
        r = compute_far_reach(
            exp, masses, get_far_preset("paper"), error_estimate=False, locate_ends=False
        )
        opts = detector_options(exp, SourceOptions())
        rows = far_table.kernel_rows(
            exp.shape,
            exp.shape.polar_window(),
            detector_grid_size(opts.table_cells()),
            opts.n_azimuth,
        )
        return r.d95, r.d95_upper, rows.hit_rows.shape[0]

    lo, hi, n_hits = bands()
    monkeypatch.setattr(far_table, "NEAR_HIT_CELLS", 0.0)
    lo0, hi0, n_hits0 = bands()
    far_table.kernel_rows.cache_clear()
    assert n_hits < 0.8 * n_hits0
    assert np.all(np.isfinite(lo))
    np.testing.assert_allclose(lo, lo0, rtol=5e-5)
    np.testing.assert_allclose(hi, hi0, rtol=5e-5)


def test_sin_of_the_phi_nodes_matches_the_library_sin() -> None:
    from nudipole.reach._far_kernel import _sin_quarter

    # Taylor series to y^15 on [0, pi/2]: remainder below (pi/2)^17 / 17! = 6e-12
    bound = (0.5 * math.pi) ** 17 / math.factorial(17)
    for y in np.linspace(0.0, 0.5 * math.pi, 1001):
        assert abs(_sin_quarter(float(y)) - math.sin(y)) <= bound


WZ = ("W", "Z")


def test_rays_of_the_reference_mass_replayed_equal_the_kernel() -> None:
    # At the reference mass itself the kept rays are the kernel's own (same rows, weights and
    # combos; rate 1): the replayed cells equal the fused kernel's to rounding.
    from nudipole.production.source_options import LIGHT_BOSON_REFERENCE
    from nudipole.reach.far_couplings import make_far_couplings

    exp = load_far_experiment("mathusla")
    cpl = make_far_couplings("tau", "C")
    preset = get_far_preset("default")
    opts = SourceOptions(n_table_cells=4, n_azimuth=3, n_phi_boson=4)
    m = LIGHT_BOSON_REFERENCE
    cache = far_light.LightCache()
    kept, head_kept = far_rays.merged_rays(exp, m, WZ, "tau", opts, preset, cpl, cache)
    fresh, head_fresh = far_rays.merged_rays(exp, m, WZ, "tau", opts, preset, cpl)
    assert len(cache) == 3  # W+, W-, Z
    np.testing.assert_allclose(head_kept, head_fresh, rtol=1e-12)
    for u in (1e-4, 1.0, 1e4):
        for group in range(len(WZ)):
            assert kept.rays(group).events(u) == pytest.approx(
                fresh.rays(group).events(u), rel=1e-12, abs=1e-300
            )


@pytest.mark.parametrize("name", ["mathusla", "faser2"])
@pytest.mark.parametrize("preset_name", ["paper", "default"])
@pytest.mark.parametrize(("flavour", "scenario"), [("tau", "C"), ("e", "D"), ("tau", "A")])
def test_w_z_counts_from_reference_masses(
    name: str, preset_name: str, flavour: str, scenario: str
) -> None:
    # The N kinematics of W -> l N and Z -> nu N depend on m_N through m_N^2/M_W^2 only
    # (1.4e-5 at 0.3 GeV, more where a parent moves almost as fast as the N in its frame and
    # a small window sees the turn of the aberration). Up to light_boson_mass the rays of
    # 1 MeV stand for every mass; above it, without a photon selection (paper), the count is
    # interpolated linearly in m_N^2 between reference masses 1.5 apart. Against the count
    # made afresh at every mass (measured on 100 masses 1 MeV-9.4 GeV, both presets, d_tau C,
    # d_e D, d_tau A, at MATHUSLA, ANUBIS, FASER-2 and FACET): band edges <= 1.7e-4,
    # acceptance <= 3.7e-4. Beyond 10 GeV every mass is computed afresh.
    from nudipole.reach.far_couplings import make_far_couplings
    from nudipole.reach.far_setup import detector_options

    exp = load_far_experiment(name)
    preset = get_far_preset(preset_name)
    base = detector_options(exp, SourceOptions())
    masses = (0.003, 0.03, 0.1, 0.3, 0.5, 1.0, 3.0, 12.0)
    run = {
        kept: compute_far_reach(
            exp,
            masses,
            preset,
            channels=WZ,
            flavour=flavour,
            options=base if kept else replace(base, light_boson_mass=0.0),
            couplings=make_far_couplings(flavour, scenario),
            error_estimate=False,
            locate_ends=False,
        )
        for kept in (True, False)
    }
    kept, fresh = run[True], run[False]
    assert np.isfinite(fresh.d95[0])
    np.testing.assert_allclose(kept.d95, fresh.d95, rtol=3e-4)
    np.testing.assert_allclose(kept.d95_upper, fresh.d95_upper, rtol=3e-4)
    np.testing.assert_allclose(kept.acceptance, fresh.acceptance, rtol=5e-4)
    assert kept.acceptance[-1] == fresh.acceptance[-1]  # beyond 10 GeV: the same count
    assert kept.inputs["integration"]["light_boson_mass"] == 0.3


def test_reference_masses_bracket_the_mass() -> None:
    opts = SourceOptions()
    assert far_light.reference_weights(0.2, opts) == [(1e-3, 1.0)]
    for m in (0.31, 0.45, 0.675, 1.0, 2.3, 9.9):
        refs = far_light.reference_weights(m, opts)
        assert refs is not None
        lo, hi = refs[0][0], refs[-1][0]
        assert lo <= m <= hi
        assert sum(w for _, w in refs) == pytest.approx(1.0)
        # linear in m^2
        assert sum(w * r * r for r, w in refs) == pytest.approx(m * m)
    assert far_light.reference_weights(12.0, opts) is None
    assert far_light.reference_weights(1.0, opts, interpolate=False) is None
    assert far_light.reference_weights(0.1, replace(opts, light_boson_mass=0.0)) is None


@pytest.mark.parametrize("value", [-1.0, math.nan, 5.0, math.inf])
def test_light_boson_mass_outside_its_range_is_refused(value: float) -> None:
    with pytest.raises(ValueError, match="light_boson_mass"):
        SourceOptions(light_boson_mass=value)


@pytest.mark.parametrize("value", [-1.0, math.nan, 1.0, 11.0, math.inf])
def test_boson_reference_step_outside_its_range_is_refused(value: float) -> None:
    with pytest.raises(ValueError, match="boson_reference_step"):
        SourceOptions(boson_reference_step=value)


@pytest.mark.parametrize("preset_name", ["paper", "default"])
def test_scan_computes_each_reference_mass_once_on_threads(
    monkeypatch: pytest.MonkeyPatch, preset_name: str
) -> None:
    # The W/Z rays of the reference masses are computed first, side by side
    # (far_light.prefetch_light_rays), each once: two threads that needed the same reference
    # used to compute it both (FACET's W/Z band took 1.7 s of CPU on two threads, 0.9 s on
    # one). The band is the same, bit for bit, with one thread or two.
    from nudipole.reach.far_couplings import make_far_couplings

    exp = load_far_experiment("mathusla")
    cpl = make_far_couplings("tau", "C")
    preset = get_far_preset(preset_name)
    masses = np.geomspace(0.01, 5.0, 12)
    made: list[tuple[str, str, float]] = []
    original = far_light.light_rays_at

    def counted(channel, part, experiment, flavour, options, couplings, rows, m_ref):  # type: ignore[no-untyped-def]
        made.append((channel, part, m_ref, options))
        return original(channel, part, experiment, flavour, options, couplings, rows, m_ref)

    monkeypatch.setattr(far_light, "light_rays_at", counted)
    run = {}
    made_by = {}
    for w in (1, 2):
        made.clear()
        run[w] = compute_far_reach(
            exp, masses, preset, channels=WZ, flavour="tau", couplings=cpl, workers=w
        )
        made_by[w] = list(made)
    assert made_by[1]
    for w in (1, 2):
        assert len(set(made_by[w])) == len(made_by[w])  # none twice within a scan
    assert set(made_by[1]) == set(made_by[2])
    # references of both rules (the error pass's too) and of the heavy masses
    assert len({m for _, _, m, _ in made_by[1]}) > 2
    for field in ("d95", "d95_upper", "d95_error", "acceptance"):
        np.testing.assert_array_equal(getattr(run[1], field), getattr(run[2], field))
