"""``nudipole events`` for e+e- experiments: table, JSON, a hand count, the reach scan's d95,
and hostile input (far detectors: tests/cli/test_lhc_cli.py)."""

from __future__ import annotations

import json

import pytest

from nudipole.physics.production import sigma
from nudipole.physics.sm import SM


def _json(cli, argv: list[str]) -> dict:
    code, out, err = cli([*argv, "--json"])
    assert code == 0, err
    return json.loads(out)


def test_hand_count_of_n_produced(cli) -> None:
    """N produced = 2 x sigma(e+e- -> N nubar) x L at Belle II, m_N = 1 GeV, d = 1e-5 GeV^-1,
    with alpha(0) as the seed (``paper`` preset, scheme gmu-alpha0); the default preset
    (scheme gmu) has alpha(s) at the photon vertex instead."""
    m, d, rs = 1.0, 1.0e-5, 10.58
    s = rs**2
    alpha = 1.0 / 137.035999084  # CODATA 2018
    # seed Eq. 3 (physics/production.py `sigma`): alpha d^2 (s - m^2)^2 (s + 2 m^2) / (3 s^3)
    sigma_gev = alpha * d**2 * (s - m**2) ** 2 * (s + 2 * m**2) / (3 * s**3)
    assert sigma_gev == pytest.approx(float(sigma(s, m, d)), rel=1e-9)
    sigma_pb = sigma_gev * 0.3893793721e9  # (hbar c)^2 = 0.3893793721 mb GeV^2 (PDG)
    lumi_pb = 50e6  # 50 ab^-1 in pb^-1
    produced = 2 * sigma_pb * lumi_pb  # N nubar + Nbar nu
    assert produced == pytest.approx(9469, rel=1e-3)  # the number in the docs
    data = _json(cli, ["events", "belle2", "--mass", "1", "--d", "1e-5", "--preset", "paper"])
    default = _json(cli, ["events", "belle2", "--mass", "1", "--d", "1e-5"])
    running = float(SM.alpha_photon(s)) / SM.alpha0
    assert running == pytest.approx(137.036 / 132.07, abs=1e-3)  # 1/alpha(10.58 GeV) = 132.07
    for sel in default["selections"]:
        assert sel["produced"] == pytest.approx(running * produced, rel=1e-8)
    assert data["mass"] == 1.0
    assert data["d"] == 1e-5
    assert [s["selection"] for s in data["selections"]] == ["low-mass", "bbg", "high-mass"]
    for sel in data["selections"]:
        assert sel["produced"] == pytest.approx(produced, rel=1e-8)
        (point,) = sel["points"]
        assert point["sqrt_s"] == rs
        assert point["luminosity"] == "50/ab"
        assert sel["produced"] >= sel["in_acceptance"] >= sel["decaying"] >= sel["passing"]
        assert sel["passing"] == pytest.approx(0.95 * sel["decaying"], rel=1e-12)
        assert sel["background"] > 0
        assert sel["excluded"] == (sel["passing"] >= sel["signal_required"])
    assert set(data["definitions"]) >= {"acceptance", "passing", "background"}


def test_passing_at_the_reach_d95_is_the_required_signal(cli) -> None:
    reach = _json(cli, ["reach", "belle2", "--masses", "1", "--selection", "bbg"])
    d95 = reach["d95"][0]
    data = _json(cli, ["events", "belle2", "--mass", "1", "--d", repr(d95), "--selection", "bbg"])
    (sel,) = data["selections"]
    assert sel["passing"] == pytest.approx(sel["signal_required"], rel=1e-8)
    assert sel["acceptance"] == pytest.approx(reach["acceptance"][0], rel=1e-12)
    # the scan's background at its only point
    point = reach["inputs"]["points"][0]
    bkg = point["background_irreducible"] + point["background_reducible"]
    assert sel["background"] == pytest.approx(bkg, rel=1e-12)


def test_table_names_every_stage(cli) -> None:
    code, out, err = cli(["events", "belle2", "--mass", "0.5", "--d", "1e-5", "--preset", "paper"])
    assert code == 0, err
    for text in (
        "Belle II",
        "low-mass",
        "bbg",
        "high-mass",
        "N produced",
        "N in acceptance",
        "P(decay in)",
        "passing",
        "background",
        "S95 needed",
        "acceptance = fraction of the N produced",
        "preset=paper",
    ):
        assert text in out


def test_besiii_rows_per_point(cli) -> None:
    code, out, err = cli(["events", "besiii", "--mass", "1", "--d", "2e-5"])
    assert code == 0, err
    assert "71 points" in out
    data = _json(cli, ["events", "besiii", "--mass", "1", "--d", "2e-5"])
    (sel,) = data["selections"]
    assert len(sel["points"]) == 71
    assert sel["passing"] == pytest.approx(sum(p["passing"] for p in sel["points"]), rel=1e-12)
    code, out, err = cli(["events", "besiii", "--mass", "1", "--d", "2e-5", "--per-point"])
    assert code == 0, err
    assert "4.95" in out
    assert "all" in out


def test_lep_run_at_one_energy_keeps_its_selections(cli) -> None:
    data = _json(
        cli,
        ["events", "lep", "--mass", "10", "--d", "1e-4", "--scenario", "I", "--sqrt-s", "91.19"],
    )
    names = [s["selection"] for s in data["selections"]]
    assert "delphi" not in names
    assert {"opal", "l3", "z-width"} <= set(names)
    z = next(s for s in data["selections"] if s["selection"] == "z-width")
    assert z["passing"] is None
    assert z["produced"] > 0
    assert data["coupling"] == "d_gamma"


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["--mass", "0", "--d", "1e-5"], "--mass 0:"),
        (["--mass", "-1", "--d", "1e-5"], "--mass -1:"),
        (["--mass", "nan", "--d", "1e-5"], "--mass nan:"),
        (["--mass", "inf", "--d", "1e-5"], "--mass inf:"),
        (["--mass", "-inf", "--d", "1e-5"], "--mass -inf:"),
        (["--mass", "1e300", "--d", "1e-5"], "--mass 1e+300: m_N is at or above"),
        (["--mass", "10.58", "--d", "1e-5"], "sqrt(s) = 10.58 GeV"),
        (["--mass", "11", "--d", "1e-5"], "--mass 11: m_N is at or above"),
        (["--mass", "1", "--d", "0"], "--d 0:"),
        (["--mass", "1", "--d", "-1e-5"], "--d -1e-05:"),
        (["--mass", "1", "--d", "nan"], "--d nan:"),
        (["--mass", "1", "--d", "inf"], "--d inf:"),
        (["--mass", "1", "--d", "1e300"], "--d 1e+300:"),
        (["--mass", "1", "--d", "1e-5", "--selection", "nope"], "no selection 'nope'"),
        (["--mass", "1", "--d", "1e-5", "--lumi", "-3/ab"], "-3/ab"),
        (["--mass", "1", "--d", "1e-5", "--sqrt-s", "5"], "lists no luminosity"),
        (["--mass", "1", "--d", "1e-5", "--spectra", "nlo"], "far detectors"),
        (["--mass", "1", "--d", "1e-5", "--form-factor", "vmd"], "far detectors"),
    ],
)
def test_hostile_input_is_one_line(cli, argv: list[str], match: str) -> None:
    code, out, err = cli(["events", "belle2", *argv])
    assert code == 2
    assert match in err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert out == ""


def test_mass_is_checked_against_the_run(cli) -> None:
    """STCF at 2 GeV: 3 GeV is above threshold even though the 7 GeV run exists."""
    code, _out, err = cli(["events", "stcf", "--mass", "3", "--d", "1e-5", "--sqrt-s", "2"])
    assert code == 2
    assert "sqrt(s) = 2 GeV" in err
