"""Experiment definitions: the built-in files, user copies and strict validation."""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import nudipole
from nudipole.experiments import (
    ExperimentError,
    builtin_names,
    builtin_text,
    load_experiment,
)
from nudipole.experiments.schema import experiment_from_dict
from nudipole.reach.result import ReachResult
from nudipole.stats import DELTA_CHI2_95

KW: dict[str, Any] = {"preset": "paper"}


# --------------------------------------------------------------------------- built-ins
def test_builtin_names() -> None:
    assert builtin_names() == [
        "al3x", "anubis", "belle2", "besiii", "cepc-h", "cepc-tt", "cepc-ww", "cepc-z",
        "codexb", "facet", "faser2", "lep", "mapp2", "mathusla", "stcf",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "name", ["belle2", "besiii", "stcf", "lep", "cepc-z", "cepc-ww", "cepc-h", "cepc-tt"]
)
def test_builtins_load_and_cite_every_point(name: str) -> None:
    exp = load_experiment(name)
    assert exp.name == name
    assert exp.origin == f"{name} (built-in)"
    assert exp.default_selection in exp.selections
    assert exp.selection().name == exp.default_selection
    assert 0.0 < exp.detector.efficiency <= 1.0
    for point in (*exp.points, *exp.runs):
        assert point.sqrt_s > 0.0
        assert point.luminosity_pb > 0.0
        assert point.source.strip(), point
    for sel in exp.selections.values():
        assert sel.cuts or sel.limit.type == "z-invisible-width"  # a width needs no photon
        assert sel.source.strip()
        if sel.limit.type != "counting":  # a published result: cited
            assert sel.limit.source.strip()


def test_besiii_energy_points() -> None:
    exp = load_experiment("besiii")
    assert len(exp.points) == 71
    assert 25e3 < exp.total_luminosity_pb < 29e3  # ~27 fb^-1 (seed: about 28 fb^-1)
    energies = np.array([p.sqrt_s for p in exp.points])
    assert energies.min() == pytest.approx(2.125)
    assert energies.max() == pytest.approx(4.95, abs=0.01)
    assert np.all((energies >= 2.125) & (energies <= 4.96))
    assert exp.beta == 0.0
    assert exp.max_sqrt_s == energies.max()


def test_belle2_boost_and_luminosity() -> None:
    exp = load_experiment("belle2")
    assert exp.beta == pytest.approx(3.0 / 11.0, rel=1e-12)  # 7 GeV e- on 4 GeV e+
    assert exp.max_sqrt_s == pytest.approx(10.58)
    assert exp.total_luminosity_pb == pytest.approx(50e6)
    assert set(exp.selections) == {"low-mass", "high-mass", "bbg"}


def test_stcf_runs() -> None:
    exp = load_experiment("stcf")
    assert [r.sqrt_s for r in exp.runs] == [2.0, 4.0, 7.0]
    assert [r.luminosity_pb for r in exp.runs] == pytest.approx([10e6, 30e6, 10e6])
    [point] = exp.points
    assert (point.sqrt_s, point.luminosity_pb) == (4.0, pytest.approx(30e6))
    assert exp.with_sqrt_s(7.0).points[0].luminosity_pb == pytest.approx(10e6)


# --------------------------------------------------------------------------- user copies
def _write_copy(tmp_path: Path, old: str = "", new: str = "") -> Path:
    text = builtin_text("belle2")
    if old:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "my_belle2.toml"
    path.write_text(text, "utf-8")
    return path


def _background(result: ReachResult) -> float:
    return sum(
        p["background_irreducible"] + p["background_reducible"] for p in result.inputs["points"]
    )


def _signal_at_limit(background: float) -> float:
    """S solving S^2/(S + B) = Delta (the seed's chi^2 at the limit)."""
    delta = DELTA_CHI2_95
    return 0.5 * (delta + np.sqrt(delta**2 + 4.0 * delta * background))


@pytest.fixture(scope="module")
def belle2_1gev() -> ReachResult:
    return nudipole.reach("belle2", [1.0], **KW)


def test_unmodified_copy_gives_the_builtin_result(tmp_path: Path, belle2_1gev: ReachResult) -> None:
    path = _write_copy(tmp_path)
    result = nudipole.reach(path, [1.0], **KW)
    assert result.d95[0] == belle2_1gev.d95[0]
    assert result.inputs["experiment_origin"] == "my_belle2.toml"


@pytest.mark.parametrize(
    ("old", "new", "eps_factor", "lumi_factor"),
    [
        pytest.param("efficiency = 0.95", "efficiency = 0.5", 0.5 / 0.95, 1.0, id="efficiency"),
        pytest.param("events = 300\n", "events = 3000\n", 1.0, 1.0, id="gap-background"),
        pytest.param('luminosity = "50/ab"', 'luminosity = "5/ab"', 1.0, 0.1, id="luminosity"),
    ],
)
def test_edited_copy_weakens_the_limit_as_expected(
    tmp_path: Path,
    belle2_1gev: ReachResult,
    old: str,
    new: str,
    eps_factor: float,
    lumi_factor: float,
) -> None:
    path = _write_copy(tmp_path, old, new)
    edited = nudipole.reach(path, [1.0], **KW)
    ratio = edited.d95[0] / belle2_1gev.d95[0]
    assert ratio > 1.2  # less efficiency, more background or less data: weaker limit

    b0, b1 = _background(belle2_1gev), _background(edited)
    # The reducible (gap) background dominates at 1 GeV: chi^2 ~ S^2/B with S ~ eps L d^2, so
    # d95 ~ (B / eps^2 / L^2)^(1/4), i.e. (b / eps^2 / L)^(1/4) with b the background per L.
    rough = (b1 / b0 / eps_factor**2 / lumi_factor**2) ** 0.25
    assert ratio == pytest.approx(rough, rel=0.10)
    # Exactly (same random numbers, prompt decays at 1 GeV): S(d95) = Delta-solution, S ~ eps L d^2.
    exact = np.sqrt(_signal_at_limit(b1) / _signal_at_limit(b0) / (eps_factor * lumi_factor))
    assert ratio == pytest.approx(exact, rel=1e-4)


# --------------------------------------------------------------------------- validation
def _belle2() -> dict[str, Any]:
    return tomllib.loads(builtin_text("belle2"))


def _stcf() -> dict[str, Any]:
    return tomllib.loads(builtin_text("stcf"))


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


def _delete(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return edit


LOW = ("selections", "low-mass")
INVALID: list[Any] = [
    # unknown fields, everywhere
    pytest.param(_belle2, _set(("colour",), "red"), "unknown field(s) colour", id="unknown-top"),
    pytest.param(
        _belle2, _set(("experiment", "author"), "me"), "unknown field(s) author", id="unknown-meta"
    ),
    pytest.param(
        _belle2,
        _set(("detector", "eficiency"), 0.9),
        "edited.toml.detector: unknown field(s) eficiency",
        id="unknown-detector",
    ),
    pytest.param(
        _belle2,
        _set(("detector", "fiducial", "length_m"), 2.0),
        "detector.fiducial: unknown field(s) length_m",
        id="unknown-fiducial",
    ),
    pytest.param(
        _belle2, _set(("beams", "crossing"), 0.0), "unknown field(s) crossing", id="unknown-beams"
    ),
    pytest.param(
        _belle2,
        _set(("points", 0, "lumi"), "1/ab"),
        "points[0]: unknown field(s) lumi",
        id="unknown-point",
    ),
    pytest.param(
        _belle2,
        _set((*LOW, "cuts", 0, "theta_mid_deg"), 50.0),
        "selections.low-mass.cuts[0]: unknown field(s) theta_mid_deg",
        id="unknown-cut-field",
    ),
    pytest.param(
        _belle2,
        _set((*LOW, "weight"), 2.0),
        "selections.low-mass: unknown field(s) weight",
        id="unknown-selection-field",
    ),
    pytest.param(
        _belle2,
        _set((*LOW, "reducible_background", "scale"), 2.0),
        "reducible_background: unknown field(s) scale",
        id="unknown-reducible-field",
    ),
    pytest.param(
        _stcf,
        _set(("selections", "advanced", "cuts", 0, "regions", 1, "energy_max_gev"), 1.0),
        "regions[1]: unknown field(s) energy_max_gev",
        id="unknown-region-field",
    ),
    # missing required fields
    pytest.param(
        _belle2,
        _delete(("detector", "efficiency")),
        "detector: missing required field 'efficiency'",
        id="missing-efficiency",
    ),
    pytest.param(_belle2, _delete(("points",)), "missing required field 'points'", id="no-points"),
    pytest.param(
        _belle2,
        _delete(("points", 0, "source")),
        "points[0]: missing required field 'source'",
        id="missing-source",
    ),
    pytest.param(
        _belle2,
        _delete((*LOW, "cuts", 2, "theta_max_deg_coeffs")),
        "missing required field 'theta_max_deg_coeffs'",
        id="missing-cut-number",
    ),
    # wrong types
    pytest.param(
        _belle2,
        _set(("detector", "efficiency"), "high"),
        "detector.efficiency must be a number, got 'high'",
        id="efficiency-string",
    ),
    pytest.param(
        _belle2,
        _set(("points", 0, "sqrt_s"), True),
        "sqrt_s must be a number, got True",
        id="bool-number",
    ),
    pytest.param(
        _belle2,
        _set(("experiment", "name"), 3),
        "experiment.name must be a string, got 3",
        id="name-int",
    ),
    pytest.param(
        _belle2,
        _set(("points", 0, "luminosity"), 50),
        "luminosity must be a string, got 50",
        id="luminosity-number",
    ),
    pytest.param(
        _belle2,
        _set((*LOW, "cuts", 1, "ranges_deg"), "31-32"),
        "ranges_deg must be a list of [low, high] pairs",
        id="pairs-string",
    ),
    pytest.param(
        _belle2,
        _set((*LOW, "cuts", 2, "theta_min_deg_coeffs"), [1.0, 2.0]),
        "theta_min_deg_coeffs must have 3 numbers, got 2",
        id="coeffs-length",
    ),
    pytest.param(
        _belle2,
        _set(("points",), {"sqrt_s": 10.58}),
        "points must be a non-empty array of tables",
        id="points-table",
    ),
    pytest.param(
        _belle2, _set(("detector",), 0.95), "detector must be a table, got float", id="not-table"
    ),
    # out of range / inconsistent
    pytest.param(
        _belle2,
        _set(("detector", "efficiency"), 1.5),
        "detector.efficiency must be <= 1.0, got 1.5",
        id="efficiency-above-one",
    ),
    pytest.param(
        _belle2,
        _set(("detector", "efficiency"), -0.1),
        "detector.efficiency must be >= 0.0",
        id="efficiency-negative",
    ),
    pytest.param(
        _belle2,
        _set(("detector", "fiducial", "radius_m"), 1e300),
        "detector.fiducial.radius_m must be <= 10000.0, got 1e+300",
        id="fiducial-radius-huge",
    ),
    pytest.param(
        _belle2,
        _set(("detector", "fiducial", "z_max_m"), 1e-300),
        "detector.fiducial.z_max_m must be >= 1e-06, got 1e-300",
        id="fiducial-length-tiny",
    ),
    pytest.param(
        _belle2,
        _set(("detector", "fiducial", "z_min_m"), -2e4),
        "detector.fiducial.z_min_m must be >= -10000.0, got -20000.0",
        id="fiducial-backward-huge",
    ),
    pytest.param(
        _belle2,
        _set((*LOW, "reducible_background", "events"), 1e300),
        "reducible_background.events must be <= 1000000000000.0, got 1e+300",
        id="reducible-events-huge",
    ),
    pytest.param(
        _belle2,
        _set(("beams", "energy_ratio"), 1e300),
        "beams.energy_ratio must be <= 1000.0, got 1e+300",
        id="energy-ratio-huge",
    ),
    pytest.param(
        _belle2,
        _set(("beams", "energy_ratio"), 1e-300),
        "beams.energy_ratio must be >= 0.001, got 1e-300",
        id="energy-ratio-tiny",
    ),
    pytest.param(
        _belle2,
        _set(("detector", "decay_length_m"), 1e300),
        "detector.decay_length_m must be <= 10000.0, got 1e+300",
        id="decay-length-huge",
    ),
    pytest.param(
        _belle2,
        _set(("points", 0, "luminosity"), "50/xb"),
        "points[0].luminosity: cannot read luminosity '50/xb'",
        id="luminosity-unit",
    ),
    pytest.param(
        _belle2,
        _set((*LOW, "cuts", 0, "type"), "magic"),
        "unknown cut type 'magic'; known types: lab-polar-range",
        id="unknown-cut-type",
    ),
    pytest.param(
        _belle2,
        _set(("experiment", "default_selection"), "mid-mass"),
        "default_selection 'mid-mass' is not among the selections (bbg, high-mass, low-mass)",
        id="default-selection",
    ),
    pytest.param(
        _belle2,
        _set((*LOW, "cuts", 0, "theta_min_deg"), 170.0),
        "theta_min_deg must be below theta_max_deg",
        id="polar-range-order",
    ),
]


@pytest.mark.parametrize(("base", "edit", "message"), INVALID)
def test_invalid_definition_raises_one_line_error(
    base: Callable[[], dict[str, Any]],
    edit: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    data = copy.deepcopy(base())
    edit(data)
    with pytest.raises(ExperimentError, match=re.escape(message)) as info:
        experiment_from_dict(data, "edited.toml")
    assert "\n" not in str(info.value)


def test_invalid_file_by_path_names_the_field(tmp_path: Path) -> None:
    path = _write_copy(tmp_path, "efficiency = 0.95", "efficiency = 0.95\ncolour = 'red'")
    with pytest.raises(
        ExperimentError, match=r"my_belle2\.toml\.detector: unknown field\(s\) colour"
    ):
        load_experiment(path)
    with pytest.raises(ExperimentError, match="colour"):
        nudipole.reach(path, [1.0], **KW)


def test_invalid_toml_syntax(tmp_path: Path) -> None:
    path = _write_copy(tmp_path, "efficiency = 0.95", "efficiency = = 0.95")
    with pytest.raises(ExperimentError, match=r"my_belle2\.toml is not valid TOML") as info:
        load_experiment(path)
    message = str(info.value)
    assert "\n" not in message
    assert "line" in message  # tomllib says where


def test_missing_file_and_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(ExperimentError, match="does not exist"):
        load_experiment(tmp_path / "nope.toml")
    with pytest.raises(ExperimentError, match="unknown experiment 'fcc-ee'"):
        load_experiment("fcc-ee")
    with pytest.raises(ExperimentError, match="unknown experiment 'fcc-ee'"):
        builtin_text("fcc-ee")


@pytest.mark.parametrize("size", [1e-6, 1e4])
def test_decay_volume_at_the_accepted_extremes(tmp_path: Path, size: float) -> None:
    """A fiducial cylinder and decay length of a micron or ten kilometres: a limit for both
    decay models without a warning (1e300 m once ended in a ZeroDivisionError)."""
    text = builtin_text("belle2")
    for key in ("radius_m = 1.25", "z_max_m = 1.96", "decay_length_m = 3.0"):
        text = text.replace(key, f"{key.split(' = ')[0]} = {size}")
    text = text.replace("z_min_m = -1.02", f"z_min_m = {-size}")
    path = tmp_path / "edge.toml"
    path.write_text(text, "utf-8")
    for preset in ("default", "paper"):
        r = nudipole.reach(path, [0.01, 1.0], preset=preset, selection="bbg")
        assert np.all(np.isfinite(r.d95))
        assert np.all(r.d95 > 0)


def test_estimated_flag_must_be_boolean(tmp_path) -> None:
    from nudipole.experiments import ExperimentError, builtin_text, load_experiment

    text = builtin_text("stcf").replace(
        'source = "seed Sec. III and Fig. 3"',
        'source = "seed Sec. III and Fig. 3"\nestimated = "no"',
        1,
    )
    path = tmp_path / "x.toml"
    path.write_text(text)
    import pytest

    with pytest.raises(ExperimentError, match="true or false"):
        load_experiment(path)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("measured_pb", 1e300, "limit.measured_pb must be <= 1000000000.0, got 1e+300"),
        ("error_pb", 1e-300, "limit.error_pb must be >= 1e-09, got 1e-300"),
        ("sm_pb", 1e300, "limit.sm_pb must be <= 1000000000.0, got 1e+300"),
    ],
)
def test_published_limit_numbers_in_range(field: str, value: float, message: str) -> None:
    """DELPHI's measured cross section: a zeptobarn to a millibarn (1e300 pb once ended in an
    OverflowError traceback)."""
    raw = copy.deepcopy(load_experiment("lep").raw)
    raw["selections"]["delphi"]["limit"][field] = value
    with pytest.raises(ExperimentError, match=re.escape(message)):
        experiment_from_dict(raw, "lep.toml")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reducible_background", {"events": 100, "luminosity": "1/fb", "source": "test"}),
        ("background_uncertainty", 0.2),
    ],
)
def test_published_limit_takes_no_background_of_ours(field: str, value: object) -> None:
    """A published limit's background is inside the published number: a reducible background
    or a background uncertainty on it would be ignored, so it is refused."""
    raw = copy.deepcopy(load_experiment("lep").raw)
    raw["selections"]["opal"][field] = value
    with pytest.raises(ExperimentError) as err:
        experiment_from_dict(raw, "lep.toml")
    assert str(err.value) == (
        f"lep.toml.selections.opal: a published limit (cross-section) uses no {field} (its "
        "background is inside the published number); drop it, or make the limit a counted one "
        "(limit.type = 'counting')"
    )
    raw["selections"]["opal"]["background_uncertainty"] = 0.0  # 0: nothing to ignore
    raw["selections"]["opal"].pop("reducible_background", None)
    experiment_from_dict(raw, "lep.toml")


def test_builtin_parsed_once_and_every_definition_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A built-in experiment's TOML is parsed once per process; each load still gives a
    definition of its own (equal, sharing no table), so that changing one changes no other."""
    import tomllib

    from nudipole.experiments import registry

    registry._builtin_data.cache_clear()
    parses: list[int] = []
    real = tomllib.loads

    def counted(text: str) -> dict[str, object]:
        parses.append(1)
        return real(text)

    monkeypatch.setattr(tomllib, "loads", counted)
    first = load_experiment("besiii")
    second = load_experiment("besiii")
    assert parses == [1]
    assert first == second
    assert first.raw == second.raw
    assert first.raw is not second.raw
    first.raw["experiment"]["title"] = "changed"
    first.selections.clear()
    third = load_experiment("besiii")
    assert third.raw["experiment"]["title"] == second.raw["experiment"]["title"] != "changed"
    assert third.selections == second.selections
    assert third.selections
    registry._builtin_data.cache_clear()
