"""The three ways of building templates from the cut-adapted rule give the same templates:
the node-by-node path (``_node_templates``, any production), the exact azimuth and photon
angle with the fixed-length decay model (``_fixed_length_templates``) and the compiled binning
with the lab-volume model (``_lab_volume_templates``), and the fast paths hand over to the node
path where the density is not polynomial in the N direction (the W's t-channel)."""

from typing import Any

import numpy as np
import pytest

from nudipole.api import resolve_experiment
from nudipole.model import Flavour
from nudipole.reach import rule_templates, signal
from nudipole.reach.model import PHOTON_ONLY, CouplingModel, CouplingRatios
from nudipole.reach.presets import DEFAULT, PAPER, Preset
from nudipole.reach.scan import compute_reach
from nudipole.reach.scan_setup import IntegrationOptions, prepare_scan, selection_points
from nudipole.stats.limits import signal_counts

D2 = np.array([1e-8, 1e-6, 1e-4, 1e-2])  # d^2 in GeV^-2: prompt to long-lived


def _templates(
    name: str, selection: str | None, preset: Preset, masses: np.ndarray,
    model: CouplingModel = PHOTON_ONLY, node_path: bool = False, monkeypatch: Any = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    exp = resolve_experiment(name)
    sel = exp.selection(selection)
    exp, points = selection_points(exp, sel)
    setup = prepare_scan(exp, sel, points, preset, IntegrationOptions(), model)
    if node_path:
        monkeypatch.setattr(rule_templates, "_fixed_length_templates", lambda *a: None)
        monkeypatch.setattr(rule_templates, "_lab_volume_templates", lambda *a: None)
    return rule_templates.build_rule_templates_many(
        exp,
        sel,
        preset,
        setup.sqrt_s,
        setup.luminosity,
        masses,
        setup.nodes,
        model,  # type: ignore[arg-type]
    )


def _signals(rate: np.ndarray, weight: np.ndarray, kappa: np.ndarray, rule: int) -> np.ndarray:
    """S(d) at each d^2 of :data:`D2` per mass and point, (len(D2), M, P)."""
    return np.stack([
        signal_counts(np.full(rate.shape[0], d2), rate, weight[:, :, rule], kappa[:, :, rule])
        for d2 in D2
    ])  # fmt: skip


CASES = [
    ("besiii", None, PAPER),  # 71 points, fixed length: exact azimuth and angle
    ("belle2", "low-mass", PAPER),  # boosted, energy-dependent window
    ("besiii", None, DEFAULT),  # lab volume: compiled binning
    ("belle2", "bbg", DEFAULT),
    ("stcf", None, DEFAULT),
]


@pytest.mark.parametrize(("name", "selection", "preset"), CASES)
def test_fast_paths_match_the_node_path(
    name: str, selection: str | None, preset: Preset, monkeypatch: pytest.MonkeyPatch
) -> None:
    exp = resolve_experiment(name)
    masses = np.geomspace(0.02, 0.97 * exp.max_sqrt_s, 5)
    fast = _templates(name, selection, preset, masses)
    nodes = _templates(name, selection, preset, masses, node_path=True, monkeypatch=monkeypatch)
    assert np.array_equal(fast[0], nodes[0])
    # the result and its embedded rule (the error estimate); with the fixed length the
    # embedded rule is the Gauss rule in c* alone (the photon angle is exact), so it differs
    # from the node path's, whose Gauss rule in the photon angle adds up to 0.3 % (BESIII)
    fixed = preset.decay_model is PAPER.decay_model
    for rule in (0,) if fixed else (0, 1):
        acc_fast = fast[1][:, :, rule].sum(axis=-1)
        acc_nodes = nodes[1][:, :, rule].sum(axis=-1)
        assert np.count_nonzero(acc_fast) > acc_fast.size // 2
        # fixed length: the photon angle exactly instead of Gauss-Kronrod (rel. ~1e-9 here)
        assert np.allclose(acc_fast, acc_nodes, rtol=1e-7, atol=0.0)
        s_fast, s_nodes = _signals(*fast, rule), _signals(*nodes, rule)
        assert np.allclose(s_fast, s_nodes, rtol=1e-7, atol=0.0)
    if not fixed:  # the same nodes in the same bins
        assert np.allclose(fast[1], nodes[1], rtol=1e-9, atol=1e-300)
        assert np.allclose(fast[2], nodes[2], rtol=1e-12, atol=0.0)


def test_fixed_length_puts_one_kappa_per_point_in_one_bin() -> None:
    _, weight, kappa = _templates("besiii", None, PAPER, np.array([0.5, 2.0]))
    assert np.all(weight[..., 1:] == 0.0)
    assert np.all(kappa[..., 1:] == 1.0)
    open_points = weight[..., 0, 0] > 0.0
    assert open_points.sum() > 0.5 * open_points.size


def _spy_on_lab_volume(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What each call of ``_lab_volume_templates`` returned (None: it handed over)."""
    calls: list[object] = []
    original = rule_templates._lab_volume_templates

    def spy(*args: Any) -> Any:
        out = original(*args)
        calls.append(out)
        return out

    monkeypatch.setattr(rule_templates, "_lab_volume_templates", spy)
    return calls


@pytest.mark.parametrize("flavour", [Flavour.MU, Flavour.E])
def test_electroweak_production_takes_the_compiled_path(
    flavour: Flavour, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LEP L3 with d_Z, d_W: the muon flavour (s-channel only, polynomial in z) and the
    electron flavour (t-channel W: Chebyshev series in z) both go through the compiled binning
    and match the node path, which evaluates the density at every node."""
    model = CouplingModel(flavour, CouplingRatios(0.8, 1.2))
    masses = np.array([5.0, 60.0, 150.0])
    calls = _spy_on_lab_volume(monkeypatch)
    got = _templates("lep", "l3", DEFAULT, masses, model)
    assert calls[0] is not None
    monkeypatch.undo()
    ref = _templates("lep", "l3", DEFAULT, masses, model, node_path=True, monkeypatch=monkeypatch)
    assert np.allclose(got[1], ref[1], rtol=1e-8, atol=1e-300)
    assert np.allclose(got[2], ref[2], rtol=1e-10)


def test_without_a_series_the_electron_flavour_keeps_the_node_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nudipole.production import ee_polynomial

    monkeypatch.setattr(ee_polynomial, "CHEBYSHEV_DEGREES", (3,))  # far too few for the W
    model = CouplingModel(Flavour.E, CouplingRatios(0.8, 1.2))
    calls = _spy_on_lab_volume(monkeypatch)
    _, weight, _ = _templates("lep", "l3", DEFAULT, np.array([5.0, 60.0]), model)
    assert calls[0] is None
    assert np.all(weight[..., 0, :].sum(axis=-1) > 0.0)


@pytest.mark.parametrize("node_groups", [1, 71, 150])
def test_node_path_in_chunks_of_masses_gives_the_same_templates(
    node_groups: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The node path holds the nodes of at most NODE_GROUPS (mass, point) pairs (or one mass)
    at a time: BESIII's 65 energies in chunks of one, one and two masses give the templates
    of all masses at once."""
    masses = np.array([0.05, 0.7, 2.2, 4.0, 4.9])
    monkeypatch.setattr(rule_templates, "NODE_GROUPS", 10_000)
    whole = _templates("besiii", None, DEFAULT, masses, node_path=True, monkeypatch=monkeypatch)
    monkeypatch.setattr(rule_templates, "NODE_GROUPS", node_groups)
    chunks = _templates("besiii", None, DEFAULT, masses, node_path=True, monkeypatch=monkeypatch)
    for a, b in zip(whole, chunks, strict=True):
        np.testing.assert_array_equal(a, b)


def test_paper_preset_error_bounds_the_difference_to_a_finer_rule() -> None:
    """The fixed-length path's stated error (embedded Gauss rule in c*) against a rule with
    three times the c* panels and 15-point panels, on BESIII's 71 points."""
    exp = resolve_experiment("besiii")
    m = np.geomspace(0.01, 0.98 * exp.max_sqrt_s, 7)
    default = compute_reach(exp, m, PAPER)
    finer = IntegrationOptions(rule_orders=(6, 1, 2), rule_points=15)
    fine = compute_reach(exp, m, PAPER, None, finer)
    ok = np.isfinite(default.d95)
    assert ok.sum() >= 6
    diff = np.abs(default.d95[ok] - fine.d95[ok])
    assert np.all(diff <= default.d95_error[ok] + 1e-9 * default.d95[ok])
    assert np.all(default.d95_error[ok] < 0.003 * default.d95[ok])


@pytest.mark.parametrize(
    ("name", "selection"), [("besiii", None), ("belle2", "bbg"), ("stcf", None)]
)
def test_kappa_range_covers_every_node_and_little_more(name: str, selection: str | None) -> None:
    """The compiled range of kappa over the accepted pieces' N directions (ends of the z
    range, z = 0, the rims) contains the kappa of every node of the rule, with 15-point
    panels and 16 azimuth intervals too, and exceeds the nodes' own range by little."""
    from nudipole.production import ee_rules

    exp = resolve_experiment(name)
    sel = exp.selection(selection)
    exp, points = selection_points(exp, sel)
    masses = np.geomspace(0.02, 0.97 * exp.max_sqrt_s, 4)
    for options in (
        IntegrationOptions(),
        IntegrationOptions(rule_orders=(4, 2, 16), rule_points=15),
    ):
        setup = prepare_scan(exp, sel, points, DEFAULT, options)
        rule = setup.nodes
        assert isinstance(rule, ee_rules.CutRule)
        _, first, _ = np.unique(setup.sqrt_s, return_index=True, return_inverse=True)
        g_mass, g_dist = np.nonzero(masses[:, None] < setup.sqrt_s[first][None, :])
        widths = signal.PHOTON_ONLY.widths_unit(masses, DEFAULT.nature)
        groups = rule_templates._Groups(
            masses, setup.sqrt_s[first], g_mass, g_dist, first[g_dist], widths
        )
        pieces = ee_rules.rule_pieces(rule, masses[g_mass], groups.point)
        lo, hi = rule_templates._kappa_range(exp, DEFAULT, pieces, groups)
        nodes = ee_rules.nodes_from_pieces(rule, pieces)
        s_g = groups.sqrt_s[g_dist] ** 2
        m_g = masses[g_mass]
        cos_lab, p_lab = rule_templates._n_in_lab(
            nodes.cos_n, rule_templates.n_momentum_cm(s_g, m_g)[nodes.point],
            rule_templates.n_energy_cm(s_g, m_g)[nodes.point], exp.beta,
        )  # fmt: skip
        node_mass = g_mass[nodes.point]
        k = signal.kappa_of_n(cos_lab, p_lab, exp, DEFAULT, s_g[nodes.point], m_g[nodes.point],
                              widths[node_mass])  # fmt: skip
        for i in range(masses.size):
            ki = k[node_mass == i]
            assert lo[i] <= ki.min() * (1 + 1e-12)
            assert hi[i] >= ki.max() * (1 - 1e-12)
            assert np.log(hi[i] / lo[i]) <= 1.05 * np.log(ki.max() / ki.min()) + 1e-9


@pytest.mark.parametrize(
    ("name", "selection", "preset", "model", "expected"),
    [
        ("besiii", None, DEFAULT, PHOTON_ONLY, True),  # beta = 0, |z| <= 1.2 m
        ("stcf", None, DEFAULT, PHOTON_ONLY, True),
        ("besiii", None, PAPER, PHOTON_ONLY, False),  # fixed length: the angle exactly
        ("belle2", "low-mass", DEFAULT, PHOTON_ONLY, False),  # boosted
        ("lep", "l3", DEFAULT, CouplingModel(Flavour.MU, CouplingRatios(0.8, 1.2)), False),
    ],
)
def test_the_rule_folds_only_what_is_symmetric(
    name: str, selection: str | None, preset: Preset, model: CouplingModel, expected: bool
) -> None:
    """The photon angle is folded onto cos theta_g >= 0 only for the photon-only density
    with the lab-volume model at beta = 0 in a fiducial cylinder symmetric about the
    interaction point (RulePanels.fold); the Z's couplings add a term odd in z_N."""
    exp = resolve_experiment(name)
    sel = exp.selection(selection)
    exp, points = selection_points(exp, sel)
    setup = prepare_scan(exp, sel, points, preset, IntegrationOptions(), model)
    assert setup.nodes.panels.fold is expected  # type: ignore[union-attr]


def test_the_photon_only_density_is_even_in_the_n_direction() -> None:
    """What the fold rests on: the photon-only density has no term odd under (cos theta_g,
    z_N) -> (-cos theta_g, -z_N), for every photon angular model."""
    from nudipole.physics.angular import PhotonAngular
    from nudipole.production.ee_polynomial import photon_only_density

    c = np.linspace(-1.0, 1.0, 9)
    for angular in PhotonAngular:
        dens = photon_only_density(np.full(9, 16.0), np.full(9, 1.3), angular, c)
        assert not np.any(dens.a1)
        assert not np.any(dens.b0)


@pytest.mark.parametrize(("name", "selection"), [("besiii", None), ("stcf", None)])
def test_folded_templates_agree_within_the_stated_error(
    name: str, selection: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folded rule (cos theta_g >= 0, weights doubled) and the full rule integrate the
    same templates: S(d) from prompt to long-lived agrees within the full rule's own
    embedded estimate, and the limits within their stated errors."""
    from nudipole.reach import scan_setup

    masses = np.array([0.02, 0.3, 1.5, 3.0])
    folded = _templates(name, selection, DEFAULT, masses)
    monkeypatch.setattr(scan_setup, "_foldable", lambda *a: False)
    full = _templates(name, selection, DEFAULT, masses)
    s_fold = _signals(folded[0], folded[1], folded[2], 0).sum(axis=-1)
    s_full = _signals(full[0], full[1], full[2], 0).sum(axis=-1)
    s_emb = _signals(full[0], full[1], full[2], 1).sum(axis=-1)
    assert np.all(np.abs(s_fold - s_full) <= np.abs(s_full - s_emb) + 1e-12 * s_full)
    exp = resolve_experiment(name)
    m = np.geomspace(0.01, 0.99 * exp.max_sqrt_s, 12)
    monkeypatch.undo()
    r_fold = compute_reach(exp, m, DEFAULT, options=IntegrationOptions())
    monkeypatch.setattr(scan_setup, "_foldable", lambda *a: False)
    r_full = compute_reach(exp, m, DEFAULT, options=IntegrationOptions())
    ok = np.isfinite(r_full.d95)
    diff = np.abs(r_fold.d95 - r_full.d95)[ok]
    assert np.all(diff <= (r_fold.d95_error + r_full.d95_error)[ok])
