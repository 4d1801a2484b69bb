"""Reach results as JSON, atomic writes and the shape contract of ReachResult."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import nudipole
from nudipole.io.results import (
    dumps,
    load_json,
    load_result,
    result_from_dict,
    result_to_dict,
    save_csv,
    save_json,
    write_atomic,
)
from nudipole.reach.result import ReachResult


def _reject_constant(name: str) -> None:
    raise AssertionError(f"non-standard JSON constant {name} in the output")


def _result() -> ReachResult:
    return ReachResult(
        mass=np.array([0.01, 0.5, 2.0]),
        d95=np.array([np.nan, 3.2e-6, 1.5e-6]),
        d95_error=np.array([np.nan, 4.0e-8, np.nan]),
        acceptance=np.array([0.0, 0.25, 0.4]),
        inputs={
            "experiment": "toy",
            "preset": "paper",
            "points": [{"sqrt_s": np.float64(4.0), "background": np.float64(np.inf)}],
            "grid": np.array([1.0, np.nan]),
            "pair": (1, 2),
        },
    )


def test_json_round_trip_turns_nan_into_null_and_back(tmp_path: Path) -> None:
    original = _result()
    path = tmp_path / "r.json"
    save_json(original, path)
    text = path.read_text("utf-8")
    raw = json.loads(text, parse_constant=_reject_constant)  # strict JSON: no NaN/Infinity
    assert raw["d95"] == [None, 3.2e-6, 1.5e-6]
    assert raw["d95_error"] == [None, 4.0e-8, None]
    assert raw["inputs"]["points"][0] == {"sqrt_s": 4.0, "background": None}
    assert raw["inputs"]["grid"] == [1.0, None]
    assert raw["inputs"]["pair"] == [1, 2]
    assert raw["units"] == {
        "mass": "GeV",
        "d95": "GeV^-1",
        "d95_upper": "GeV^-1",
        "d95_error": "GeV^-1",
        "d95_upper_error": "GeV^-1",
    }
    assert raw["d95_upper"] == [None, None, None]  # a one-sided (collider) limit
    assert raw["d95_upper_error"] == [None, None, None]
    assert raw["confidence_level"] == 0.95

    loaded = load_json(path)
    for name in ("mass", "d95", "d95_error", "acceptance"):
        got, want = getattr(loaded, name), getattr(original, name)
        assert got.dtype == np.float64
        np.testing.assert_array_equal(got, want)  # NaN positions must match too
    assert np.isnan(loaded.d95[0])
    assert loaded.inputs["experiment"] == "toy"
    # Serialising the loaded result gives the same document.
    assert result_to_dict(loaded) == raw


def test_dumps_is_valid_strict_json() -> None:
    data = result_to_dict(_result())
    assert json.dumps(data, allow_nan=False)  # raises if a NaN or inf survived
    assert json.loads(dumps(_result()), parse_constant=_reject_constant) == data


def test_real_reach_result_round_trips(tmp_path: Path) -> None:
    result = nudipole.reach("stcf", [0.5, 1.0], preset="paper")
    path = tmp_path / "stcf.json"
    save_json(result, path)
    loaded = load_json(path)
    np.testing.assert_array_equal(loaded.mass, result.mass)
    np.testing.assert_array_equal(loaded.d95, result.d95)
    assert loaded.best() == result.best()
    assert result_to_dict(loaded) == result_to_dict(result)
    assert result_from_dict(result_to_dict(result)).inputs["experiment"] == "stcf"


def test_write_atomic_leaves_only_the_target(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    write_atomic(target, b"first")
    write_atomic(target, b"second")  # replaces an existing file
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_write_atomic_relative_path_in_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_atomic("plain.txt", b"x")
    assert (tmp_path / "plain.txt").read_bytes() == b"x"
    assert [p.name for p in tmp_path.iterdir()] == ["plain.txt"]


def test_write_atomic_failure_keeps_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_write_atomic_gives_normal_permissions(tmp_path: Path) -> None:
    # mkstemp creates 0o600 files; results and figures must be readable like any other file.
    umask = os.umask(0o022)
    try:
        target = tmp_path / "shared.json"
        write_atomic(target, b"{}")
        assert target.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(umask)


@pytest.mark.parametrize("name", ["d95", "d95_error", "acceptance"])
def test_reach_result_rejects_mismatched_shapes(name: str) -> None:
    arrays: dict[str, Any] = {
        key: np.zeros(3) for key in ("mass", "d95", "d95_error", "acceptance")
    }
    arrays[name] = np.zeros(2)
    with pytest.raises(ValueError, match=f"{name} must have the shape of mass"):
        ReachResult(**arrays)


def test_reach_result_accepts_matching_shapes() -> None:
    r = ReachResult(
        mass=np.array([1.0, 2.0]),
        d95=np.array([2e-6, 1e-6]),
        d95_error=np.zeros(2),
        acceptance=np.ones(2),
    )
    assert r.best() == (2.0, 1e-6)
    assert r.inputs == {}


def _band() -> ReachResult:
    return ReachResult(
        mass=np.array([0.01, 0.1, 1.0]),
        d95=np.array([1e-6, 3e-7, np.nan]),
        d95_error=np.array([1e-9, 1e-9, np.nan]),
        acceptance=np.array([0.5, 0.4, 0.0]),
        inputs={"experiment": "far"},
        d95_upper=np.array([2e-3, 1e-4, np.nan]),
        d95_upper_error=np.array([3e-6, 2.5e-7, np.nan]),
    )


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_band_round_trip_keeps_upper_edge(tmp_path: Path, suffix: str) -> None:
    band = _band()
    path = tmp_path / f"band{suffix}"
    (save_json if suffix == ".json" else save_csv)(band, path)
    loaded = load_result(path)
    np.testing.assert_array_equal(loaded.upper, band.upper)
    np.testing.assert_array_equal(loaded.upper_error, band.upper_error)
    np.testing.assert_array_equal(loaded.d95, band.d95)
    assert loaded.is_band


def test_files_without_the_upper_edge_error_still_load(tmp_path: Path) -> None:
    """Results written before d95_upper_error existed (JSON without the key, CSV with five
    columns) load with it NaN."""
    band = _band()
    path = tmp_path / "old.json"
    save_json(band, path)
    data = json.loads(path.read_text("utf-8"))
    del data["d95_upper_error"]
    path.write_text(json.dumps(data), "utf-8")
    assert np.all(np.isnan(load_result(path).upper_error))
    csv = tmp_path / "old.csv"
    save_csv(band, csv)
    lines = csv.read_text("utf-8").splitlines()
    old = [line.rsplit(",", 1)[0] if not line.startswith("#") else line for line in lines]
    csv.write_text("\n".join(old) + "\n", "utf-8")
    loaded = load_result(csv)
    np.testing.assert_array_equal(loaded.upper, band.upper)
    assert np.all(np.isnan(loaded.upper_error))


def test_one_sided_result_has_no_upper_edge() -> None:
    result = _result()
    assert np.all(np.isnan(result.upper))
    assert not result.is_band
    for name in ("d95_upper", "d95_upper_error"):
        wrong: dict[str, Any] = {name: np.ones(3)}
        with pytest.raises(ValueError, match=f"{name} must have the shape"):
            ReachResult(
                mass=np.ones(2),
                d95=np.ones(2),
                d95_error=np.ones(2),
                acceptance=np.ones(2),
                **wrong,
            )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.json", "does not exist"),
        (lambda d: d, "is a folder"),
        (lambda d: Path(os.devnull), "is not a regular file"),
    ],
    ids=["missing", "folder", "device"],
)
def test_load_result_names_what_the_path_is(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    path = make(tmp_path)
    with pytest.raises(ValueError, match=message) as err:
        load_result(path)
    assert str(path) in str(err.value)
    assert "give a saved .json or .csv result" in str(err.value)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("r.json", "{not json", "is not a nudipole reach result"),
        ("r.json", '{"mass": [1.0]}', "is not a valid nudipole reach result"),
        ("r.txt", "mass,d95\n", "a reach result is a .json or .csv file"),
    ],
    ids=["bad-json", "missing-field", "suffix"],
)
def test_load_result_refuses_content_in_one_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as err:
        load_result(path)
    assert "\n" not in str(err.value)
