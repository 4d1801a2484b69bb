"""The far-detector commands: reach (bands), events, experiments, figures, newground."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import assert_one_line_error

from nudipole.io.results import load_result

FAST = ["--no-error"]


def test_reach_faser2_json_contract(cli, tmp_path: Path) -> None:
    out_file = tmp_path / "faser2.json"
    code, out, err = cli(
        ["reach", "faser2", "--masses", "0.05", "0.1", "--json", "-o", str(out_file), *FAST]
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["units"]["d95_upper"] == "GeV^-1"
    lo, hi = np.array(data["d95"], float), np.array(data["d95_upper"], float)
    assert np.all(lo < hi)
    inp = data["inputs"]
    assert inp["experiment_kind"] == "far-detector"
    assert inp["channels"][0] == "pi0"
    assert len(inp["channels"]) == 13
    assert set(inp["events_at_d95_per_channel"]) == set(inp["channels"])
    assert "particle" in inp["versions"]
    saved = load_result(out_file)
    np.testing.assert_array_equal(saved.upper, hi)


def test_reach_faser2_table_and_channels(cli) -> None:
    code, out, err = cli(
        ["reach", "faser2", "--masses", "0.1", "--channels", "eta,rho", "--preset", "paper", *FAST]
    )
    assert code == 0, err
    assert "FASER-2" in out
    assert "d95 high" in out
    assert "eta,rho" in out


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (
            ["reach", "faser2", "--masses", "0.1", "--sqrt-s", "10"],
            "--sqrt-s applies only to e+e- experiments; drop it",
        ),
        (
            ["reach", "faser2", "--masses", "0.1", "--sqrt-s", "10", "--no-w-interference"],
            "--sqrt-s, --no-w-interference apply only to e+e- experiments; drop them",
        ),
        (["reach", "faser2", "--masses", "0.1", "--events", "100"], "--events"),
        (["reach", "faser2", "--masses", "0.1", "--channels", "kaon"], "unknown channel"),
        (["reach", "faser2", "--masses", "0.1", "--channels", ","], "no channel"),
        (["reach", "faser2", "--masses", "20"], "heaviest parent"),
        (["reach", "faser2", "--masses", "-1"], "positive"),
        (["reach", "faser2", "--masses", "nan"], "positive"),
        (["reach", "faser2", "--masses", "0.1", "--lumi", "-3/ab"], "positive"),
        (["reach", "belle2", "--masses", "1", "--channels", "pi0"], "far detectors"),
        (
            ["events", "belle2", "--mass", "0.1", "--d", "1e-5", "--channels", "pi0"],
            "far detectors",
        ),
        (["events", "faser2", "--mass", "0.1", "--d", "1e-5", "--selection", "x"], "--selection"),
        (["events", "faser2", "--mass", "0.1", "--d", "1e-5", "--per-point"], "--per-point"),
        (["events", "faser2", "--mass", "0.1", "--d", "0"], "d must be"),
        (["events", "faser2", "--mass", "0.1", "--d", "inf"], "d must be"),
        (["events", "faser2", "--mass", "0", "--d", "1e-5"], "positive"),
        # settings that the run's channels or couplings would ignore
        (
            ["reach", "faser2", "--masses", "0.1", "--spectra", "nlo", "--channels", "rho"],
            "--spectra) changes channels D, Ds, B only",
        ),
        (
            ["reach", "faser2", "--masses", "0.1", "--form-factor", "vmd", "--channels", "K"],
            "--form-factor) changes channels pi0, eta, etap only",
        ),
        (["reach", "faser2", "--masses", "0.1", "--signal", "visible"], "--signal visible"),
        (["reach", "faser2", "--masses", "0.1", "--sin2w", "0.2"], "--sin2w 0.2 sets d_Z"),
        (
            ["events", "faser2", "--mass", "0.1", "--d", "1e-5", "--signal", "visible"],
            "photon-only couplings have none",
        ),
        (
            ["newground", "faser2", "--flavour", "e", "--form-factor", "vmd", "--channels", "B"],
            "--form-factor",
        ),
    ],
)
def test_bad_far_input_is_one_line(cli, argv: list[str], match: str) -> None:
    code, _out, err = cli(argv)
    assert code == 2
    assert match in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_events_table_and_json(cli) -> None:
    code, out, err = cli(["events", "faser2", "--mass", "0.05", "--d", "1e-5", "--json"])
    assert code == 0, err
    data = json.loads(out)
    rows = {r["channel"]: r for r in data["channels"]}
    for r in rows.values():
        assert r["parents"] >= 0
        assert r["produced"] >= r["heading"] >= r["decaying"] >= r["passing"] >= 0
    assert rows["jpsi"]["produced"] > 0
    code, out, err = cli(["events", "faser2", "--mass", "0.05", "--d", "1e-5"])
    assert code == 0, err
    assert "N heading" in out
    assert "total" in out


def test_experiments_lists_far_detectors(cli) -> None:
    code, out, err = cli(["experiments"])
    assert code == 0, err
    for name in ("faser2", "mapp2", "facet"):
        assert name in out
    assert "far detector" in out


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["reach", "faser2", "--masses", "1e-30"], "1e-4 GeV"),
        (["reach", "faser2", "--mass-range", "1e-3", "1", "100000000"], "at most 100000"),
        (["reach", "faser2", "--mass-range", "1e-3", "1", "10000"], "at most 5000"),
        (["reach", "faser2", "--masses", "0.1", "--lumi", "1e400/ab"], "finite"),
        (["events", "faser2", "--mass", "0.1", "--d", "-1e-6"], "d must be"),
    ],
)
def test_hostile_values_are_refused_quickly(cli, argv: list[str], match: str) -> None:
    code, _out, err = cli(argv)
    assert code == 2
    assert match in err


def test_reach_error_rule_doubled_is_recorded_and_small(cli) -> None:
    # every rule doubled as the second rule: an estimate of the default rule's error itself,
    # below 0.3 % here (the halved rule, a conservative estimate, states about 1 %)
    code, out, err = cli(
        ["reach", "faser2", "--masses", "0.05", "--error-rule", "doubled", "--json"]
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["inputs"]["error_rule"] == "doubled"
    rel = float(data["d95_error"][0]) / float(data["d95"][0])
    assert 0.0 <= rel < 3e-3
    code, out, err = cli(["reach", "faser2", "--masses", "0.05", "--preset", "paper"])
    assert code == 0, err
    words = " ".join(out.split())  # the console wraps the line
    assert "every integration rule is halved (a conservative estimate of the error)" in words


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["faser2", "--masses", "0.05", "--error-rule", "doubled", "--no-error"], "drop one"),
        (["faser2", "--masses", "0.05", "--error-rule", "bogus"], "invalid choice: 'bogus'"),
        (["belle2", "--masses", "1", "--error-rule", "doubled"], "applies only to far"),
        # the e+e- error needs no second pass, and events and newground compute none: there
        # --no-error would be ignored, so it is refused
        (["belle2", "--masses", "1", "--no-error"], "--no-error applies only to far"),
        (["events", "faser2", "--mass", "0.05", "--d", "1e-5", "--no-error"], "--no-error"),
        (["newground", "faser2", "--flavour", "e", "--no-error"], "--no-error"),
    ],
)
def test_reach_error_rule_bad_input_is_one_line(cli, args: list[str], match: str) -> None:
    code, out, err = cli(args if args[0] in ("events", "newground") else ["reach", *args])
    assert code == 2
    assert match in err
    assert_one_line_error(err)
    assert out == ""
