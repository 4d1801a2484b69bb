"""The W/Z source on the command line: ``reach`` and ``events`` with --sources wz,
--scenario/--a, --signal, --boson-polarisation, and hostile input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from cli_helpers import assert_one_line_error

FAST = ["--no-error", "--preset", "paper"]


def test_reach_wz_json_contract(cli) -> None:
    code, out, err = cli(
        [
            "reach",
            "faser2",
            "--sources",
            "wz",
            "--scenario",
            "D",
            "--flavour",
            "tau",
            "--masses",
            "0.05",
            "0.2",
            "--json",
            *FAST,
        ]
    )
    assert code == 0, err
    data = json.loads(out)
    lo, hi = np.array(data["d95"], float), np.array(data["d95_upper"], float)
    assert np.all(lo < hi)
    assert data["mass"] == [0.05, 0.2]
    assert "band_ends" in data
    inp = data["inputs"]
    assert inp["channels"] == ["W", "Z"]
    assert set(inp["events_at_d95_per_channel"]) == {"W", "Z"}
    assert inp["couplings"]["couplings"] == "scenario D"
    assert inp["wz_source"]["boson_polarisation"] == "lo"
    assert inp["conventions"]["signal"].startswith("N -> nu gamma")


@pytest.mark.parametrize("a", ["inf", "-inf"])
def test_wz_a_inf_is_scenario_ii(cli, a: str) -> None:
    # a = d_W/d_B = +-inf is d_B = 0 (physics.couplings.ratios_from_a), as for e+ e-
    argv = ["reach", "faser2", "--sources", "wz", "--flavour", "tau", "--masses", "0.05", "0.2"]
    results = {}
    for extra in (["--a", a], ["--scenario", "II"]):
        code, out, err = cli([*argv, *extra, "--json", *FAST])
        assert code == 0, err
        results[extra[0]] = json.loads(out)
    by_a, named = results["--a"], results["--scenario"]
    assert by_a["d95"] == named["d95"]
    assert by_a["d95_upper"] == named["d95_upper"]
    assert by_a["d95"][0] is not None  # a band at 0.05 GeV
    assert by_a["inputs"]["couplings"]["couplings"] == f"a = {a}"


def test_wz_every_mass_turns_the_reference_rays_off(cli) -> None:
    argv = ["reach", "faser2", "--sources", "wz", "--scenario", "C", "--flavour", "tau"]
    argv += ["--masses", "0.01", "0.05", "0.1", "--json", *FAST]
    results = {}
    for extra in ([], ["--wz-every-mass"]):
        code, out, err = cli([*argv, *extra])
        assert code == 0, err
        results[bool(extra)] = json.loads(out)
    kept, fresh = results[False], results[True]
    assert kept["inputs"]["integration"]["light_boson_mass"] == 0.3
    assert fresh["inputs"]["integration"]["light_boson_mass"] == 0.0
    assert fresh["inputs"]["integration"]["boson_reference_step"] == 0.0
    np.testing.assert_allclose(kept["d95"], fresh["d95"], rtol=3e-4)
    np.testing.assert_allclose(kept["d95_upper"], fresh["d95_upper"], rtol=3e-4)


def test_reach_mesons_and_wz_table(cli) -> None:
    code, out, err = cli(
        [
            "reach",
            "mathusla",
            "--sources",
            "mesons,wz",
            "--a",
            "-3.3",
            "--flavour",
            "tau",
            "--masses",
            "0.1",
            "--signal",
            "visible",
            "--boson-polarisation",
            "unpolarised",
            *FAST,
        ]
    )
    assert code == 0, err
    assert "a = -3.3" in out
    assert "W/Z source" in out
    assert "unpolarised" in out
    assert "every visible decay" in out


def test_events_prints_w_and_z_rows(cli) -> None:
    argv = ["events", "mathusla", "--mass", "1", "--d", "1e-8", "--sources", "wz"]
    code, out, err = cli([*argv, "--scenario", "D", "--preset", "paper"])
    assert code == 0, err
    rows = {line.split()[0] for line in out.splitlines() if line.strip()}
    assert {"W", "Z", "(W+)", "(W-)", "total"} <= rows
    assert "d_gamma" in out
    code, out, err = cli([*argv, "--scenario", "D", "--preset", "paper", "--json"])
    assert code == 0, err
    data = json.loads(out)
    by = {r["channel"]: r for r in data["channels"]}
    assert set(by) == {"W", "Z"}
    w = by["W"]
    assert w["produced"] == pytest.approx(sum(p["produced"] for p in w["by_part"].values()))
    assert w["produced"] >= w["heading"] >= w["decaying"] >= w["passing"] > 0.0
    assert "by_part" not in by["Z"]
    assert data["scenario"] == "D"
    assert data["coupling"] == "d_gamma"


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        (["--sources", "wz", "--a", "nan"], "--a nan"),
        (["--sources", "foo", "--scenario", "C"], "unknown source"),
        (["--sources", ",", "--scenario", "C"], "no source"),
        (["--sources", "wz", "--scenario", "Z"], "invalid choice"),
        (["--sources", "wz"], "--scenario"),
        (["--sources", "mesons", "--channels", "W", "--scenario", "C"], "not in the source"),
        (["--sources", "wz", "--scenario", "C", "--a", "-3"], "not allowed"),
        (["--sources", "wz", "--scenario", "C", "--sin2w", "nan"], "sin2w"),
        (["--sources", "wz", "--scenario", "C", "--boson-polarisation", "x"], "invalid choice"),
        (["--sources", "wz", "--scenario", "C", "--signal", "charged"], "invalid choice"),
        (["--sources", "wz", "--a", "-4", "--sin2w", "0.2"], "d_gamma vanishes"),
    ],
)
@pytest.mark.parametrize("command", ["reach", "events"])
def test_hostile_wz_input_is_one_line(cli, command: str, extra: list[str], match: str) -> None:
    # (events computes no integration error: --no-error is reach's alone)
    point = (
        ["--masses", "0.1", "--no-error"]
        if command == "reach"
        else ["--mass", "0.1", "--d", "1e-6"]
    )
    code, out, err = cli([command, "faser2", *point, *extra])
    assert code == 2
    assert match in err
    assert_one_line_error(err)
    assert out == ""


@pytest.mark.parametrize(
    "extra",
    [
        ["--sources", "wz"],
        ["--signal", "visible"],
        ["--boson-polarisation", "lo"],
        ["--wz-every-mass"],
    ],
)
def test_far_only_options_refused_for_colliders(cli, extra: list[str]) -> None:
    code, _out, err = cli(["reach", "belle2", "--masses", "1", *extra])
    assert code == 2
    assert "far detectors" in err
    assert_one_line_error(err)


def test_figure_lhc_llp(cli, tmp_path) -> None:
    out = tmp_path / "llp.png"
    argv = ["figure", "lhc-llp", "--flavour", "universal", "--points", "3", "--preset", "paper"]
    code, stdout, err = cli([*argv, "--scenario", "C", "-o", str(out)])
    assert code == 0, err
    assert out.read_bytes().startswith(b"\x89PNG")
    assert "wrote" in stdout
    code, _out, err = cli([*argv, "-o", str(tmp_path / "x.png")])
    assert code == 2
    assert "--scenario" in err
    assert_one_line_error(err)
    assert not (tmp_path / "x.png").exists()


def test_llp_panels_default_to_the_talks_pair() -> None:
    from nudipole.cli.figure_commands import llp_panels
    from nudipole.model import FlavourMode

    assert llp_panels(None) == [FlavourMode.UNIVERSAL, FlavourMode.TAU]
    assert llp_panels("all") == [FlavourMode.E, FlavourMode.MU, FlavourMode.TAU]
    assert llp_panels("mu") == [FlavourMode.MU]


def test_reach_universal_json_records_the_flavour(cli) -> None:
    argv = ["reach", "faser2", "--sources", "wz", "--scenario", "C", "--masses", "0.05"]
    code, out, err = cli([*argv, "--flavour", "universal", "--json", *FAST])
    assert code == 0, err
    universal = json.loads(out)
    assert universal["inputs"]["couplings"]["flavour"] == "universal"
    code, out, err = cli([*argv, "--flavour", "e", "--json", *FAST])
    assert code == 0, err
    single = json.loads(out)
    # W/Z only at 50 MeV: the flavours are alike, the universal band is the e band / sqrt(3)
    ratio = single["d95"][0] / universal["d95"][0]
    assert ratio == pytest.approx(3.0**0.5, rel=2e-3)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["reach", "belle2", "--masses", "1", "--flavour", "universal"], "far detectors"),
        (["events", "belle2", "--mass", "1", "--d", "1e-4", "--flavour", "universal"], "e+e-"),
        (["figure", "lhc-far", "--flavour", "universal"], "lhc-llp"),
        (["figure", "landscape", "--flavour", "universal"], "lhc-llp"),
    ],
)
def test_universal_refused_where_it_does_not_apply(cli, argv: list[str], needle: str) -> None:
    code, _out, err = cli(argv)
    assert code == 2
    assert "universal" in err
    assert needle in err
    assert_one_line_error(err)
