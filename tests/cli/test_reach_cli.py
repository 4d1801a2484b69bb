"""``nudipole reach`` for the e+ e- experiments: JSON, table and file output, options, errors."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import assert_one_line_error, run, run_json

import nudipole
from nudipole.experiments import load_experiment
from nudipole.io.results import load_json

BELLE2_1GEV = ["reach", "belle2", "--masses", "1", "--preset", "paper"]


# --------------------------------------------------------------------------- reach: output
def test_reach_json_is_one_object_with_limit_and_inputs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = run_json(BELLE2_1GEV, capsys)
    assert data["mass"] == [1.0]
    assert isinstance(data["d95"], list)
    assert len(data["d95"]) == 1
    assert isinstance(data["d95"][0], float)
    # Seed abstract: d ~ 8e-6 GeV^-1 at 1 GeV for Belle II 50/ab, low-mass cut.
    assert data["d95"][0] == pytest.approx(8e-6, rel=0.25)
    assert data["units"]["d95"] == "GeV^-1"

    inputs = data["inputs"]
    assert inputs["experiment"] == "belle2"
    assert inputs["selection"] == "low-mass"
    assert inputs["preset"] == "paper"
    assert inputs["version"] == nudipole.__version__
    assert inputs["total_luminosity"] == "50/ab"
    [point] = inputs["points"]
    assert point["sqrt_s"] == pytest.approx(10.58)
    assert point["luminosity"] == "50/ab"
    assert point["luminosity_pb"] == pytest.approx(5e7)
    conv = inputs["conventions"]
    assert conv["photon_angular"] == "isotropic"
    assert conv["decay_model"] == "fixed-length"
    assert conv["statistic"] == "chi2"
    assert conv["delta_chi2"] == pytest.approx(2.7055, abs=1e-4)


def test_reach_table_has_title_headers_and_one_row_per_mass(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["reach", "belle2", "--masses", "0.5", "1", "--preset", "paper"]
    data = run_json(argv, capsys)
    code, out, err = run(argv, capsys)
    assert code == 0
    assert err == ""
    assert "Belle II" in out
    assert "selection=low-mass" in out
    assert "luminosity=50/ab" in out
    for header in ("m_N [GeV]", "d95 [GeV^-1]", "int. error", "acceptance"):
        assert header in out
    rows = [line for line in out.splitlines() if re.match(r"^\s*(0\.5|1)\s", line)]
    assert len(rows) == 2
    # The table shows the same numbers as the JSON output (same seed).
    for row, d95 in zip(rows, data["d95"], strict=True):
        assert f"{d95:.3e}" in row


def test_output_json_file_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    argv = ["reach", "stcf", "--masses", "0.5", "1", "2", "-o", str(target)]
    printed = run_json(argv, capsys)
    loaded = load_json(target)
    np.testing.assert_array_equal(loaded.mass, printed["mass"])
    np.testing.assert_array_equal(loaded.d95, printed["d95"])
    np.testing.assert_array_equal(loaded.d95_error, printed["d95_error"])
    np.testing.assert_array_equal(loaded.acceptance, printed["acceptance"])
    assert loaded.inputs["experiment"] == "stcf"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary files left


def test_output_csv_file_has_header_and_one_row_per_mass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.csv"
    argv = ["reach", "belle2", "--masses", "0.1", "1", "3", "-o", str(target)]
    printed = run_json(argv, capsys)
    lines = target.read_text("utf-8").splitlines()
    assert lines[0].startswith("# nudipole")
    assert "experiment=belle2" in lines[1]
    assert "selection=low-mass" in lines[1]
    assert "luminosity=50/ab" in lines[1]
    assert lines[2].startswith("# metadata: {")
    assert lines[3] == (
        "mass_GeV,d95_GeV-1,d95_error_GeV-1,acceptance,d95_upper_GeV-1,d95_upper_error_GeV-1"
    )
    rows = lines[4:]
    assert len(rows) == 3
    table = np.array([[float(v) if v else np.nan for v in row.split(",")] for row in rows])
    assert np.all(np.isnan(table[:, 4:]))  # a collider limit has no upper edge (nor its error)
    np.testing.assert_allclose(table[:, 0], printed["mass"], rtol=1e-5)
    np.testing.assert_allclose(table[:, 1], printed["d95"], rtol=1e-5)
    np.testing.assert_allclose(table[:, 3], printed["acceptance"], rtol=1e-5, atol=1e-6)
    # The CSV keeps the full metadata: loading it restores inputs and arrays.
    from nudipole.io.results import load_csv

    loaded = load_csv(target)
    assert loaded.inputs == printed["inputs"]
    np.testing.assert_allclose(loaded.d95, printed["d95"], rtol=1e-9)


def test_mass_range_gives_log_spaced_masses(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(["reach", "stcf", "--mass-range", "0.1", "1", "3"], capsys)
    np.testing.assert_allclose(data["mass"], [0.1, np.sqrt(0.1), 1.0], rtol=1e-12)
    assert len(data["d95"]) == 3


def test_sqrt_s_uses_listed_luminosity_and_lumi_overrides(
    capsys: pytest.CaptureFixture[str],
) -> None:
    listed = run_json(["reach", "stcf", "--masses", "1", "--sqrt-s", "2"], capsys)
    [point] = listed["inputs"]["points"]
    assert point["sqrt_s"] == 2.0
    assert point["luminosity"] == "10/ab"
    assert point["luminosity_pb"] == pytest.approx(1e7)

    more = run_json(["reach", "stcf", "--masses", "1", "--sqrt-s", "2", "--lumi", "40/ab"], capsys)
    [point] = more["inputs"]["points"]
    assert point["sqrt_s"] == 2.0
    assert point["luminosity_pb"] == pytest.approx(4e7)
    assert more["d95"][0] < listed["d95"][0]  # more data, stronger limit

    # Without --sqrt-s, --lumi rescales the default 4 GeV / 30 ab^-1 point.
    default = run_json(["reach", "stcf", "--masses", "1"], capsys)
    less = run_json(["reach", "stcf", "--masses", "1", "--lumi", "10/ab"], capsys)
    assert default["inputs"]["total_luminosity"] == "30/ab"
    assert less["inputs"]["total_luminosity"] == "10/ab"
    assert less["inputs"]["points"][0]["sqrt_s"] == 4.0
    assert less["d95"][0] > default["d95"][0]


def test_sqrt_s_without_listed_luminosity_works_with_lumi(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["reach", "belle2", "--masses", "1", "--sqrt-s", "5", "--lumi", "1/ab"]
    data = run_json([*argv, "--selection", "bbg"], capsys)
    [point] = data["inputs"]["points"]
    assert point["sqrt_s"] == 5.0
    assert point["luminosity_pb"] == pytest.approx(1e6)
    assert isinstance(data["d95"][0], float)
    assert data["d95"][0] > 0.0
    # The low-mass window (seed Eqs. 10-11) is empty for E_gamma <= 2.5 GeV: no sensitivity,
    # which is null in JSON and spelled out in the table.
    none = run_json(argv, capsys)
    assert none["d95"] == [None]
    assert none["acceptance"] == [0.0]
    code, out, _ = run(argv, capsys)
    assert code == 0
    assert "no sensitivity" in out


def test_besiii_lumi_rescales_every_point(capsys: pytest.CaptureFixture[str]) -> None:
    builtin = load_experiment("besiii")
    data = run_json(["reach", "besiii", "--masses", "1", "--lumi", "56/fb"], capsys)
    points = data["inputs"]["points"]
    assert data["inputs"]["total_luminosity"] == "56/fb"
    assert len(points) == len(builtin.points)
    assert sum(p["luminosity_pb"] for p in points) == pytest.approx(56e3)
    factor = 56e3 / builtin.total_luminosity_pb
    assert factor == pytest.approx(2.0, rel=0.05)  # about double the ~27-28 fb^-1
    for new, old in zip(points, builtin.points, strict=True):
        assert new["sqrt_s"] == old.sqrt_s
        assert new["luminosity_pb"] == pytest.approx(old.luminosity_pb * factor)


# --------------------------------------------------------------------------- reach: errors


BAD_REACH = [
    pytest.param(["belle2", "--masses", "0"], "masses must be positive", id="mass-zero"),
    pytest.param(["belle2", "--masses", "11"], "threshold sqrt(s) = 10.58", id="above-threshold"),
    pytest.param(
        ["fcc-ee", "--masses", "1"], "unknown experiment 'fcc-ee'", id="unknown-experiment"
    ),
    pytest.param(
        ["belle2", "--masses", "1", "--selection", "nope"],
        "no selection 'nope'",
        id="unknown-selection",
    ),
    pytest.param(
        ["belle2", "--masses", "1", "--lumi", "30/xb"],
        "cannot read luminosity '30/xb'",
        id="lumi-unit",
    ),
    pytest.param(
        ["belle2", "--masses", "1", "--lumi=abc"], "cannot read luminosity 'abc'", id="lumi-abc"
    ),
    pytest.param(
        ["belle2", "--masses", "1", "--lumi=-3/ab"], "must be positive", id="lumi-negative"
    ),
    pytest.param(["{in}/broken.toml", "--masses", "1"], "is not valid TOML", id="broken-toml"),
    pytest.param(
        ["{in}/unknown.toml", "--masses", "1"], "unknown field(s) colour", id="unknown-field"
    ),
    pytest.param(["{in}/missing.toml", "--masses", "1"], "does not exist", id="no-such-file"),
    pytest.param(
        ["belle2", "--masses", "1", "--sqrt-s", "5"],
        "lists no luminosity at sqrt(s) = 5.0 GeV; pass one with --lumi",
        id="sqrt-s-unlisted",
    ),
    pytest.param(["belle2", "--masses", "abc"], "invalid float value: 'abc'", id="argparse"),
    pytest.param(
        ["belle2", "--mass-range", "0.1", "1", "2.5"], "must be a whole number", id="range-n"
    ),
]


@pytest.mark.parametrize(("args", "message"), BAD_REACH)
def test_bad_reach_input_exits_2_with_one_line_and_no_file(
    args: list[str],
    message: str,
    bad_files: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    outdir = tmp_path / "out"
    outdir.mkdir()
    argv = ["reach", *(a.replace("{in}", str(bad_files)) for a in args)]
    code, out, err = run([*argv, "-o", str(outdir / "result.json")], capsys)
    assert code == 2
    assert out == ""
    assert_one_line_error(err)
    assert message in err
    assert list(outdir.iterdir()) == []  # neither the result nor a temporary file


def test_reach_bad_output_rejected_before_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["reach", "stcf", "--masses", "1", "-o", str(tmp_path / "r.txt")], capsys)
    assert code == 2
    assert out == ""
    assert "ending in .json or .csv" in err
    code, _, err = run(
        ["reach", "stcf", "--masses", "1", "-o", str(tmp_path / "missing" / "r.json")], capsys
    )
    assert code == 2
    assert "does not exist" in err
    assert list(tmp_path.iterdir()) == []


def test_default_sampler_is_the_deterministic_rule(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(["reach", "belle2", "--masses", "1", "3"], capsys)
    assert data["inputs"]["integration"]["sampler"] == "rules"
    assert all(0.0 < e < 0.003 * d for d, e in zip(data["d95"], data["d95_error"], strict=True))
    mc = run_json(
        ["reach", "belle2", "--masses", "1", "3", "--sampler", "mc", "--events", "2048"], capsys
    )
    assert mc["inputs"]["integration"]["sampler"] == "mc"
    # the rule against 2048 Monte Carlo events, within 4 combined errors
    for d, e, d_mc, e_mc in zip(
        data["d95"], data["d95_error"], mc["d95"], mc["d95_error"], strict=True
    ):
        assert abs(d - d_mc) <= 4 * np.hypot(e, e_mc)


def test_unknown_sampler_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["reach", "belle2", "--masses", "1", "--sampler", "exact"], capsys)
    assert code == 2
    assert out == ""
    assert_one_line_error(err)
    assert "rules" in err


B2_ONE = ["reach", "belle2", "--masses", "1"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            [*B2_ONE, "--seed", "3"],
            "--seed 3: applies only to the random samplers (--sampler mc or sobol); --sampler "
            "rules is deterministic: drop it",
        ),
        (
            [*B2_ONE, "--sampler", "quadrature", "--events", "4096", "--seed", "3"],
            "--events 4096, --seed 3: apply only to the random samplers",
        ),
        (["events", "belle2", "--mass", "1", "--d", "1e-5", "--events", "4096"], "--events 4096"),
        (["newground", "belle2", "--flavour", "e", "--seed", "1"], "--seed 1: applies only"),
        ([*B2_ONE, "--no-w-interference"], "flavour e, photon only"),
        (
            [
                "reach",
                "lep",
                "--masses",
                "1",
                "--scenario",
                "II",
                "--flavour",
                "mu",
                "--no-w-interference",
            ],
            "flavour mu, scenario II",
        ),
        (["figure", "belle2", "--seed", "3"], "--seed"),
    ],
)
def test_options_the_run_would_ignore_are_refused(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    assert message in err
    assert_one_line_error(err)
    assert out == ""


def test_seed_and_events_with_a_random_sampler(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["reach", "belle2", "--masses", "1", "--sampler", "sobol", "--events", "4096"]
    data = run_json([*argv, "--seed", "7"], capsys)
    assert data["inputs"]["integration"]["seed"] == 7
    assert data["inputs"]["integration"]["n_events"] == 4096
    # the W interference of the electron flavour with a scenario is there to drop
    lep = ["reach", "lep", "--masses", "10", "--scenario", "III", "--selection", "delphi"]
    talk = run_json([*lep, "--no-w-interference"], capsys)
    full = run_json(lep, capsys)
    assert talk["d95"][0] != full["d95"][0]


@pytest.mark.parametrize(
    "argv",
    [
        ["reach", "belle2", "--masses", "1"],
        ["events", "belle2", "--mass", "1", "--d", "1e-5"],
        ["events", "faser2", "--mass", "0.05", "--d", "1e-5"],
        ["limits", "--flavour", "e"],
    ],
)
def test_json_outputs_say_what_made_them(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from nudipole._version import data_digest

    data = run_json(argv, capsys)
    info = data.get("inputs", data)
    assert info["version"] == nudipole.__version__
    assert info["data_digest"] == data_digest()
    assert set(info["versions"]) == {"particle", "numpy", "scipy", "hepunits"}
