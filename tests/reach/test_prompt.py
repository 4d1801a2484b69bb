"""The prompt-limit shortcut of the lab-volume model (:mod:`nudipole.reach.prompt`): its
kappa floor is below the kappa of every N, and the masses it decides have the limits of the
full lab-volume templates."""

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudipole.api import resolve_experiment
from nudipole.experiments.schema import Experiment
from nudipole.model import Flavour
from nudipole.physics.decay import width_nu_gamma
from nudipole.physics.production import n_energy_cm, n_momentum_cm
from nudipole.reach import prompt, rule_templates, scan
from nudipole.reach.model import PHOTON_ONLY, CouplingModel, CouplingRatios
from nudipole.reach.presets import DEFAULT, PAPER
from nudipole.reach.rule_templates import _n_in_lab
from nudipole.reach.scan import compute_reach
from nudipole.reach.scan_setup import IntegrationOptions, prepare_scan, selection_points
from nudipole.reach.signal import kappa_of_n
from nudipole.stats import solve_upper_limit
from nudipole.stats.limits import signal_counts


def _with_geometry(exp: Experiment, radius: float, z_min: float, z_max: float, beta: float) -> Any:
    fid = replace(exp.detector.fiducial, radius_m=radius, z_min_m=z_min, z_max_m=z_max)
    ratio = (1.0 + beta) / (1.0 - beta)  # E(e-)/E(e+) of the CM velocity beta
    return replace(exp, detector=replace(exp.detector, fiducial=fid), beam_energy_ratio=ratio)


@settings(max_examples=60, deadline=None)
@given(
    radius=st.floats(0.05, 5.0),
    z_min=st.floats(-5.0, -0.05),
    z_max=st.floats(0.05, 5.0),
    beta=st.floats(-0.6, 0.6),
    mass_fraction=st.floats(1e-3, 0.999),
    z_cm=st.floats(-1.0, 1.0),
)
def test_floor_is_below_the_kappa_of_every_direction(
    radius: float,
    z_min: float,
    z_max: float,
    beta: float,
    mass_fraction: float,
    z_cm: float,
) -> None:
    exp = _with_geometry(resolve_experiment("belle2"), radius, z_min, z_max, beta)
    sqrt_s = np.array([10.58])
    m = np.array([mass_fraction * 10.58])
    widths = np.asarray(width_nu_gamma(m, 1.0, DEFAULT.nature), dtype=float)
    floor = prompt.kappa_floor(exp, m, sqrt_s, widths)[0, 0]
    s = sqrt_s**2
    cos_lab, p_lab = _n_in_lab(np.array([z_cm]), n_momentum_cm(s, m), n_energy_cm(s, m), exp.beta)
    k = kappa_of_n(cos_lab, p_lab, exp, DEFAULT, s, m, widths)
    assert floor > 0
    assert floor <= k[0] * (1 + 1e-12)


def test_floor_is_infinite_above_threshold() -> None:
    exp = resolve_experiment("besiii")
    m = np.array([3.0])
    floor = prompt.kappa_floor(exp, m, np.array([2.5, 3.5]), np.array([1.0]))
    assert np.isinf(floor[0, 0])
    assert np.isfinite(floor[0, 1])


def _setup(name: str, selection: str | None, model: CouplingModel = PHOTON_ONLY) -> Any:
    exp = resolve_experiment(name)
    sel = exp.selection(selection)
    exp, points = selection_points(exp, sel)
    setup = prepare_scan(exp, sel, points, DEFAULT, IntegrationOptions(), model)
    background = np.array([b.total for b in setup.backgrounds])

    def solve(r: np.ndarray, w: np.ndarray, k: np.ndarray) -> np.ndarray:
        return solve_upper_limit(r, w, k, background, setup.statistic, setup.threshold)

    return exp, sel, setup, solve


CASES = [
    ("besiii", None, PHOTON_ONLY),  # 71 points, folded rule
    ("belle2", "bbg", PHOTON_ONLY),  # boosted CM
    ("stcf", None, PHOTON_ONLY),
    ("lep", "l3", CouplingModel(Flavour.MU, CouplingRatios(0.5, 0.5))),  # electroweak density
]


@pytest.mark.parametrize(("name", "selection", "model"), CASES)
def test_floor_is_below_the_kappa_range_of_the_accepted_pieces(
    name: str, selection: str | None, model: CouplingModel
) -> None:
    exp, _, setup, _ = _setup(name, selection, model)
    masses = np.geomspace(0.01, 0.97 * float(setup.sqrt_s.max()), 12)
    _, widths = rule_templates.rates_and_widths(
        exp, DEFAULT, setup.sqrt_s, setup.luminosity, masses, model
    )
    groups, _ = rule_templates.open_groups(masses, setup.sqrt_s, widths)
    assert groups is not None
    pieces = rule_templates.ee_rules.rule_pieces(setup.nodes, masses[groups.mass], groups.point)
    lo, _ = rule_templates._kappa_range(exp, DEFAULT, pieces, groups)
    floor = prompt.kappa_floor(exp, masses, setup.sqrt_s, widths).min(axis=1)
    has = np.isfinite(lo)
    assert has.sum() >= 10
    assert np.all(floor[has] <= lo[has] * (1 + 1e-12))


@pytest.mark.parametrize(("name", "selection", "model"), CASES)
def test_decided_masses_have_the_full_templates_limits(
    name: str, selection: str | None, model: CouplingModel
) -> None:
    exp, sel, setup, solve = _setup(name, selection, model)
    masses = np.geomspace(0.01, 0.97 * float(setup.sqrt_s.max()), 40)
    args = (exp, sel, DEFAULT, setup.sqrt_s, setup.luminosity, masses, setup.nodes, model)
    full = rule_templates.build_rule_templates_many(*args)
    short = prompt.lab_volume_templates(*args, solve)
    assert np.array_equal(full[0], short[0])
    one_bin = (short[1][..., 1:] == 0).all(axis=(1, 2, 3)) & (full[1][..., 1:] > 0).any(
        axis=(1, 2, 3)
    )
    # the shortcut is taken for the heavier masses (N prompt at the limit) and not the lightest
    assert one_bin.sum() >= 8
    assert not one_bin[0]
    for rule in (0, 1):  # the result and its embedded rule (the error estimate)
        d_full = solve(full[0], full[1][:, :, rule], full[2][:, :, rule])
        d_short = solve(short[0], short[1][:, :, rule], short[2][:, :, rule])
        assert np.array_equal(np.isnan(d_full), np.isnan(d_short))
        ok = np.isfinite(d_full)
        # the prompt acceptance has the photon angle exactly, the node sweep by its rule
        np.testing.assert_allclose(d_short[ok], d_full[ok], rtol=1e-7 if rule == 0 else 1e-3)
        same = ok & ~one_bin
        assert np.array_equal(d_short[same], d_full[same])


def test_decided_limit_is_bracketed_by_the_prompt_bounds() -> None:
    """d_c (1 - exp(-kappa_min d_c^2))^(1/2) <= d95 <= d_c with d_c from the one-bin
    template and d95 from the full templates, at masses long- and short-lived alike."""
    exp, sel, setup, solve = _setup("besiii", None)
    masses = np.geomspace(0.05, 4.0, 25)
    args = (exp, DEFAULT, setup.sqrt_s, setup.luminosity, masses, setup.nodes, PHOTON_ONLY)
    one = prompt.prompt_templates_many(*args)
    assert one is not None
    rate, weight, kappa = one
    d_c = solve(rate, weight[:, :, 0], kappa[:, :, 0])
    full = rule_templates.build_rule_templates_many(exp, sel, *args[1:])
    d95 = solve(full[0], full[1][:, :, 0], full[2][:, :, 0])
    floor = np.where(rate > 0, kappa[:, :, 0, 0], np.inf).min(axis=1)
    low = d_c * np.sqrt(-np.expm1(-floor * d_c**2))
    # (the full templates' photon-angle rule: 1e-7)
    assert np.all(d95 <= d_c * (1 + 1e-7))
    assert np.all(d95 >= low * (1 - 1e-7))
    assert (low < 0.9 * d_c).any()  # long-lived masses: a wide bracket, not decided


def test_without_an_exact_acceptance_the_full_templates_are_used() -> None:
    """The electron flavour's t-channel W: no polynomial density, no shortcut."""
    model = CouplingModel(Flavour.E, CouplingRatios(0.5, 0.5))
    exp, sel, setup, solve = _setup("lep", "l3", model)
    masses = np.geomspace(1.0, 150.0, 6)
    args = (exp, sel, DEFAULT, setup.sqrt_s, setup.luminosity, masses, setup.nodes, model)
    assert prompt.prompt_templates_many(*args[:1], *args[2:]) is None
    full = rule_templates.build_rule_templates_many(*args)
    short = prompt.lab_volume_templates(*args, solve)
    for a, b in zip(full, short, strict=True):
        assert np.array_equal(a, b)


def test_only_for_the_lab_volume_model() -> None:
    exp, sel, setup, solve = _setup("besiii", None)
    with pytest.raises(ValueError, match="lab-volume"):
        prompt.lab_volume_templates(
            exp, sel, PAPER, setup.sqrt_s, setup.luminosity, np.array([1.0]), setup.nodes,
            PHOTON_ONLY, solve,
        )  # fmt: skip


def test_scan_limits_unchanged_by_the_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole BESIII default curve with and without the shortcut (its solve told that no
    mass is prompt): the same limits to 1e-7 and the same error estimates to 1e-3 of d95."""
    exp = resolve_experiment("besiii")
    masses = np.geomspace(0.01, 4.9, 30)
    opts = IntegrationOptions(sampler="rules", workers=1)
    with_shortcut = compute_reach(exp, masses, DEFAULT, options=opts)
    monkeypatch.setattr(prompt, "PROMPT_EXPONENT", np.inf)
    without = compute_reach(exp, masses, DEFAULT, options=opts)
    np.testing.assert_allclose(with_shortcut.d95, without.d95, rtol=1e-7)
    np.testing.assert_allclose(with_shortcut.acceptance, without.acceptance, rtol=1e-7)
    diff = np.abs(with_shortcut.d95_error - without.d95_error) / without.d95
    assert np.nanmax(diff) < 1e-3


@pytest.mark.parametrize("mass", [0.05, 1.0])
def test_templates_at_a_coupling(mass: float) -> None:
    """``scan.templates(..., d)`` (the ``events`` command): the one-bin template only where the
    N of the mass all decay inside at that d, and then the same signal as the full templates."""
    exp, sel, setup, _ = _setup("besiii", None)
    full = scan.templates(exp, sel, DEFAULT, setup, mass, PHOTON_ONLY)
    for d in (1e-7, 1e-5, 1e-3):
        at_d = scan.templates(exp, sel, DEFAULT, setup, mass, PHOTON_ONLY, d)
        floor = prompt.kappa_floor(exp, np.array([mass]), setup.sqrt_s, np.asarray(
            width_nu_gamma(np.array([mass]), 1.0, DEFAULT.nature), dtype=float
        ))  # fmt: skip
        one_bin = bool(np.min(floor) * d * d >= prompt.PROMPT_EXPONENT)
        assert bool((at_d.weight[..., 1:] == 0).all()) == one_bin
        if not one_bin:
            assert np.array_equal(at_d.weight, full.weight)
        d2 = np.array([d * d])
        signals = [
            signal_counts(d2, t.rate[None], t.weight[None, :, 0], t.kappa[None, :, 0])[0]
            for t in (full, at_d)
        ]
        np.testing.assert_allclose(signals[1], signals[0], rtol=1e-7)


def test_skipped_masses_are_those_the_shortcut_would_not_decide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lightest BESIII masses (N long-lived at the limit) have no acceptance integrated
    (SKIP_ACCEPTANCE); trying them anyway decides none of them and changes no template."""
    exp, _, setup, solve = _setup("besiii", None)
    masses = np.geomspace(0.01, 4.9, 30)
    args = (exp, DEFAULT, setup.sqrt_s, setup.luminosity, masses, setup.nodes, PHOTON_ONLY)
    calls: list[int] = []
    weights = prompt._prompt_weights

    def counted(*a: Any) -> Any:
        calls.append(a[2].size)
        return weights(*a)

    monkeypatch.setattr(prompt, "_prompt_weights", counted)
    skipping = prompt.prompt_decisions(*args, solve, 64)
    tried = sum(calls)
    monkeypatch.setattr(prompt, "SKIP_ACCEPTANCE", 0.0)
    every = prompt.prompt_decisions(*args, solve, 7)
    assert skipping is not None
    assert every is not None
    assert 5 <= masses.size - tried < masses.size // 2
    assert np.array_equal(skipping.decided, every.decided)
    decided = skipping.decided
    assert 10 <= decided.sum() < masses.size
    for a, b in zip(skipping[:3], every[:3], strict=True):
        assert np.array_equal(a[decided], b[decided])


def test_quick_density_test() -> None:
    """``polynomial_density_likely``: True with the photon only and with d_Z, d_W and the
    muon flavour; False with the electron flavour's t-channel W (then no prompt work)."""
    sqrt_s = np.array([91.2, 91.2, 189.0])
    masses = np.geomspace(1.0, 150.0, 9)
    ratios = CouplingRatios(0.5, 0.5)
    likely = rule_templates.polynomial_density_likely
    assert likely(DEFAULT, PHOTON_ONLY, sqrt_s, masses)
    assert likely(DEFAULT, CouplingModel(Flavour.MU, ratios), sqrt_s, masses)
    assert not likely(DEFAULT, CouplingModel(Flavour.E, ratios), sqrt_s, masses)
    assert likely(DEFAULT, CouplingModel(Flavour.E, ratios), sqrt_s, np.array([500.0]))


@pytest.mark.parametrize(
    "options",
    [
        {"statistic": "asimov"},
        {"statistic": "chi2", "background_uncertainty": 0.05},
        {"statistic": "poisson-cls", "lumi": "0.01/fb"},
    ],
)
def test_every_statistic_decides_with_its_own_limit(
    options: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Belle II bBG with each statistic: the same limits with and without the shortcut."""
    import nudipole

    masses = np.geomspace(0.01, 10.0, 40)
    with_shortcut = nudipole.reach("belle2", masses, selection="bbg", **options)
    monkeypatch.setattr(prompt, "PROMPT_EXPONENT", np.inf)
    without = nudipole.reach("belle2", masses, selection="bbg", **options)
    assert np.array_equal(np.isnan(with_shortcut.d95), np.isnan(without.d95))
    assert np.isfinite(without.d95).sum() >= 30
    np.testing.assert_allclose(with_shortcut.d95, without.d95, rtol=1e-12)
