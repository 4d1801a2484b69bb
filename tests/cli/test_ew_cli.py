"""``nudipole couplings`` (electroweak dipoles)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run


@pytest.mark.parametrize(("scenario", "dz"), [("C", 11.250), ("D", 139.55)])
def test_couplings_json_contract(
    scenario: str, dz: float, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        ["couplings", "--scenario", scenario, "--sin2w", "0.2293", "--json"], capsys
    )
    assert code == 0, err
    data = json.loads(out)
    assert abs(data["dZ_over_dgamma"]) == pytest.approx(dz, rel=5e-3)
    assert set(data) >= {"dZ_over_dgamma", "dW_over_dgamma", "sin2w", "scenario", "a"}


def test_couplings_from_a_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["couplings", "--a", "0"], capsys)
    assert code == 0
    assert "d_Z / d_gamma" in out
    _, js, _ = run(["couplings", "--a", "0", "--sin2w", "0.25", "--json"], capsys)
    assert json.loads(js)["dZ_over_dgamma"] == pytest.approx(-((0.25 / 0.75) ** 0.5))


@pytest.mark.parametrize(
    "argv",
    [
        ["couplings", "--sin2w", "1.2"],
        ["couplings", "--scenario", "E"],
        ["couplings", "--scenario", "C", "--a", "1"],
        ["couplings", "--a=-3.4641016151377544", "--sin2w", "0.25"],  # a = -2 cot θ_w
    ],
)
def test_couplings_bad_input(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    assert err.startswith("nudipole: error:")
    assert err.count("\n") == 1
    assert out == ""


# ----------------------------------------------------------------------------- widths
def test_widths_json_branching_ratios_sum_to_one(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["widths", "--masses", "1", "50", "100", "200", "--scenario", "II", "--json"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    data = json.loads(out)
    assert set(data["widths"]) == {"nu gamma", "nu Z(*)", "l W(*)"}
    for i in range(4):
        total = sum(data["branching_ratios"][k][i] for k in data["branching_ratios"])
        assert total == pytest.approx(1.0, rel=1e-12)
    br = data["branching_ratios"]["nu gamma"]
    assert br[0] > 0.999999
    assert br[3] < 0.2
    assert data["ctau"][0] > data["ctau"][3] > 0.0


def test_widths_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["widths", "--masses", "5", "--a", "-3"], capsys)
    assert code == 0
    assert "Br(nu gamma)" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["widths", "--masses", "-1"],
        ["widths", "--masses", "1", "--d-gamma", "0"],
        ["widths"],
        ["widths", "--masses", "1", "--flavour", "x"],
    ],
)
def test_widths_bad_input(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    assert err.startswith("nudipole: error:")
    assert err.count("\n") == 1
    assert out == ""


# ----------------------------------------------------------------------------- reach, figure
@pytest.mark.parametrize("experiment", ["lep", "cepc-z", "cepc-ww", "cepc-h", "cepc-tt"])
def test_reach_electroweak_json_contract(
    experiment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["reach", experiment, "--scenario", "I", "--flavour", "mu", "--masses", "1", "10",
            "--json"]  # fmt: skip
    code, out, err = run(argv, capsys)
    assert code == 0, err
    data = json.loads(out)
    assert len(data["mass"]) == len(data["d95"]) == 2
    assert all(d is not None and d > 0 for d in data["d95"])
    inputs = data["inputs"]
    assert inputs["couplings"]["couplings"] == "scenario I"
    assert inputs["couplings"]["flavour"] == "mu"
    assert inputs["sm_background"] == "electroweak"
    assert any("2301.06050" in c for c in inputs["citations"])


def test_reach_lep_selections_and_bad_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["reach", "lep", "--selection", "z-width", "--scenario", "III", "--masses", "1", "--json"],
        capsys,
    )
    assert code == 0, err
    assert json.loads(out)["d95"] == [None]  # d_Z = 0: the width says nothing
    code, out, err = run(["reach", "lep", "--scenario", "V", "--masses", "1"], capsys)
    assert code == 2
    assert out == ""
    code, _, err = run(["reach", "lep", "--selection", "opal", "--masses", "95"], capsys)
    assert code == 2
    assert "threshold" in err  # OPAL is a Z-pole analysis: m_N < 91.19 GeV


def test_figure_lep_cepc(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "lepcepc.svg"
    argv = ["figure", "lep-cepc", "--scenario", "II", "--flavour", "e", "--points", "5",
            "--limits", "paper", "-o", str(out)]  # fmt: skip
    code, _, err = run(argv, capsys)
    assert code == 0, err
    text = out.read_text("utf-8")
    for label in ("LEP1 OPAL monophoton", "LEP1 L3 Z -&gt; gamma + inv.", "CEPC Z, 100/ab",
                  "CEPC ttbar, 1/ab", "LEP2 DELPHI monophoton"):  # fmt: skip
        assert f'id="reach:{label}"' in text, label
    assert 'id="limit:lsnd"' in text
    for label in ("CEPC Z, 100/ab", "CEPC WW, 6/ab", "CEPC H, 20/ab", "CEPC ttbar, 1/ab"):
        assert f'id="theta-b-band:{label}"' in text, label  # estimated cos(theta_b) range
    assert 'id="theta-b-band:LEP1 OPAL monophoton"' not in text


def test_reach_lep_analysis_at_another_energy_is_a_clear_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["reach", "lep", "--sqrt-s", "130", "--lumi", "1/fb", "--masses", "1"],
                         capsys)  # fmt: skip
    assert code == 2
    assert "analyses the data at sqrt(s) = 205.4 GeV" in err
    assert err.count("\n") == 1
    assert out == ""


def test_figure_lep_cepc_background_uncertainty_band(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--bkg-uncertainty hatches each CEPC curve up to its limit with that uncertainty (issue 12
    §3); the LEP curves, published results, get none; the note says the size."""
    out = tmp_path / "lepcepc.svg"
    argv = ["figure", "lep-cepc", "--scenario", "II", "--flavour", "mu", "--points", "4",
            "--limits", "paper", "--bkg-uncertainty", "0.05", "-o", str(out)]  # fmt: skip
    code, _, err = run(argv, capsys)
    assert code == 0, err
    text = out.read_text("utf-8")
    for label in ("CEPC Z, 100/ab", "CEPC WW, 6/ab", "CEPC H, 20/ab", "CEPC ttbar, 1/ab"):
        assert f'id="bkg-band:{label}"' in text, label
    for label in ("LEP1 OPAL monophoton", "LEP2 DELPHI monophoton"):
        assert f'id="bkg-band:{label}"' not in text, label
    assert "uncertainty of 5 %" in text


@pytest.mark.parametrize(
    "extra", [["--lumi", "1/fb"], ["--statistic", "asimov"], ["--bkg-uncertainty", "0.1"]]
)
def test_lep_published_limits_refuse_counting_options(
    extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["reach", "lep", "--scenario", "I", "--flavour", "mu", "--masses", "10", *extra]
    code, _out, err = run(argv, capsys)
    assert code == 2
    assert f"({extra[0]}) applies only to counted limits" in err
    assert "LEP selection delphi (measured-cross-section) is a published limit" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("command", ["reach", "events", "newground"])
@pytest.mark.parametrize(
    "extra",
    [
        ["--photon-angular", "isotropic"],
        ["--decay-model", "lab-volume"],
        ["--nature", "majorana"],
        ["--sampler", "sobol"],
    ],
)
def test_z_width_refuses_what_only_a_photon_uses(
    command: str, extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    point = {
        "reach": ["--masses", "10"],
        "events": ["--mass", "10", "--d", "1e-4"],
        "newground": ["--points", "3"],
    }[command]
    argv = [command, "lep", "--selection", "z-width", "--scenario", "I", "--flavour", "mu"]
    code, out, err = run([*argv, *point, *extra], capsys)
    assert code == 2
    assert f"({extra[0]}) applies only to N's decays and photons; drop it" in err
    assert err.count("\n") == 1
    assert out == ""
