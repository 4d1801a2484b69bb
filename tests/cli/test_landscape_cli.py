"""``nudipole limits``, ``nudipole newground`` and ``nudipole figure landscape``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import run

from nudipole.limits import envelope, load_catalogue

CATALOGUE = load_catalogue()


def one_line_error(err: str) -> bool:
    return err.startswith("nudipole: error:") and err.count("\n") == 1 and "Traceback" not in err


# ----------------------------------------------------------------------------- limits
def test_limits_lists_every_entry_with_its_citation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["limits"], capsys)
    assert code == 0
    assert err == ""
    for lim in CATALOGUE:
        assert re.search(rf"^\s*{re.escape(lim.id)}\s", out, re.MULTILINE), lim.id
        assert lim.arxiv in out
        assert f"{lim.id}: {lim.citation}" in out


def test_limits_flavour_json_gives_the_envelope(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["limits", "--flavour", "mu", "--json", "--mass-range", "0.001", "10", "40"], capsys
    )
    assert code == 0
    data = json.loads(out)
    assert data["flavour"] == "mu"
    assert data["units"]["mass"] == "GeV"
    m = np.array(data["mass"])
    np.testing.assert_allclose(m, np.geomspace(1e-3, 10.0, 40))
    expected = envelope(CATALOGUE.for_flavour("mu"), m)
    np.testing.assert_allclose(np.array(data["envelope"], dtype=float), expected)
    ids = {row["id"] for row in data["limits"]}
    assert {"charm2", "miniboone", "nomad", "lep"} <= ids
    assert "lsnd" not in ids
    assert all(row["arxiv"] and row["reference"] for row in data["limits"])


def test_limits_cl95_and_paper_set(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["limits", "--flavour", "tau", "--json", "--mass-range", "0.01", "0.2", "5"]
    _, out90, _ = run([*args, "--limits", "paper"], capsys)
    _, out95, _ = run([*args, "--limits", "paper", "--cl95"], capsys)
    d90, d95 = json.loads(out90), json.loads(out95)
    assert {r["id"] for r in d90["limits"]} == {
        lim.id for lim in CATALOGUE.paper_set().for_flavour("tau")
    }
    assert d95["cl95"]
    assert all(r["cl"] == 0.95 or r["id"] == "sn1987a" for r in d95["limits"])
    # 10 MeV: XENON1T (90 % CL, rate ∝ d^2) sets the envelope and moves by (z95/z90)^(1/2);
    # 20-200 MeV: LEP (95 % CL already) sets it and it does not move
    assert d95["envelope"][0] / d90["envelope"][0] == pytest.approx(1.1329, rel=0.01)
    np.testing.assert_allclose(d95["envelope"][1:], d90["envelope"][1:])


# ----------------------------------------------------------------------------- newground
def test_newground_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["newground", "stcf", "--flavour", "e", "--preset", "paper", "--limits", "paper",
         "--points", "80", "--json"],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    (interval,) = data["intervals"]
    assert 0.085 < interval[0] < 0.099
    assert 3.3 < interval[1] < 4.0
    assert data["flavour"] == "e"
    assert data["limit_set"] == "paper"
    assert data["inputs"]["preset"] == "paper"
    assert data["inputs"]["version"]
    assert "lsnd" in data["limits"]
    assert "sk-atm-e" not in data["limits"]
    assert "caution" not in data["grid"]  # steps of 12 %


def test_newground_cautions_on_a_coarse_grid(capsys: pytest.CaptureFixture[str]) -> None:
    # STCF, d_mu: new ground from 2.29 to 3.86 GeV lies between the 3 masses 0.001, 0.063, 3.98
    argv = ["newground", "stcf", "--flavour", "mu", "--preset", "paper", "--points", "3"]
    code, out, err = run([*argv, "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["intervals"] == []
    assert data["grid"]["largest_step_percent"] > 25.0
    assert "coarse grid" in data["grid"]["caution"]
    assert "about 88 masses give steps of 10 %" in data["grid"]["caution"]
    code, out, err = run(argv, capsys)
    assert "caution: a coarse grid" in out
    assert "at every one of its masses" in out


def test_newground_from_a_saved_result_matches_the_direct_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "belle2.csv"
    code, _, err = run(
        ["reach", "belle2", "--mass-range", "0.001", "10", "80", "--preset", "paper",
         "-o", str(saved)],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    _, from_file, _ = run(["newground", str(saved), "--flavour", "tau", "--json"], capsys)
    intervals = json.loads(from_file)["intervals"]
    assert len(intervals) >= 1
    assert intervals[-1][1] > 9.0
    code, table, _ = run(["newground", str(saved), "--flavour", "tau"], capsys)
    assert code == 0
    assert "GeV -" in table


@pytest.mark.parametrize(
    "argv",
    [
        ["newground", "belle2"],  # --flavour is required
        ["newground", "belle3", "--flavour", "e"],
        ["newground", "belle2", "--flavour", "nu"],
        ["newground", "missing.json", "--flavour", "e"],
        ["newground", "belle2", "--flavour", "e", "--limits", "some"],
        ["limits", "--flavour", "mu", "--json", "--mass-range", "1", "0.1", "10"],
    ],
)
def test_bad_input_exits_2_with_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    assert one_line_error(err), err
    assert out == ""


# ----------------------------------------------------------------------------- figure
@pytest.mark.parametrize("suffix", [".pdf", ".png", ".svg"])
def test_figure_landscape_formats(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"land{suffix}"
    code, stdout, err = run(
        ["figure", "landscape", "--flavour", "tau", "--preset", "paper", "--points", "6",
         "-o", str(out)],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    assert out.stat().st_size > 1000
    assert f"wrote {out}" in stdout
    if suffix == ".svg":
        text = out.read_text("utf-8")
        for lim in CATALOGUE.for_flavour("tau"):
            assert f'id="limit:{lim.id}"' in text
        assert text.count('id="reach:') == 4


def test_figure_landscape_overlays_a_saved_curve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "mine.json"
    run(["reach", "stcf", "--sqrt-s", "2", "--lumi", "10/ab", "--masses", "0.1", "1",
         "-o", str(saved)], capsys)  # fmt: skip
    out = tmp_path / "land.svg"
    code, _, err = run(
        ["figure", "landscape", "--flavour", "e", "--preset", "paper", "--points", "5",
         "--limits", "paper", "--curve", str(saved), "-o", str(out)],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    text = out.read_text("utf-8")
    assert 'id="reach:mine.json:' in text
    assert 'id="limit:lsnd"' in text
    assert 'id="limit:sk-atm-e"' not in text


def test_figure_landscape_bad_curve_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "land.png"
    code, _, err = run(
        ["figure", "landscape", "--curve", str(tmp_path / "nope.json"), "-o", str(out)], capsys
    )
    assert code == 2
    assert one_line_error(err)
    assert not out.exists()


# ----------------------------------------------------------------------------- headline
def test_headline_writes_three_figures_and_prints_the_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["headline", "--outdir", str(tmp_path), "--points", "8", "--lhc-points", "6"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    for name in ("fig_belle2.png", "fig_besiii-stcf.png", "fig_landscape.png", "fig_lhc_far.png"):
        assert (tmp_path / name).stat().st_size > 1000, name
    assert "LHC far detectors, N from meson decays" in out
    assert "New ground of the paper-preset bands" in out
    assert "Expected 95% CL limits on d" in out
    assert "New ground [GeV] against the seed's Fig. 3 limits" in out
    assert "New ground [GeV] against the full catalogue" in out
    assert "(seed: 0.07-10)" in out  # the seed's statement beside our interval


def test_coarse_caution_of_a_grid() -> None:
    from nudipole.cli.newground_commands import coarse_caution, largest_step_percent

    fine = np.geomspace(1e-3, 10.0, 120)  # steps of 8 %
    assert largest_step_percent(fine) == pytest.approx(100.0 * (1e4 ** (1 / 119) - 1.0))
    assert coarse_caution(fine) is None
    assert largest_step_percent(np.array([1.0])) is None
    coarse = np.geomspace(1e-3, 10.0, 3)  # steps of 9900 %
    text = coarse_caution(coarse)
    assert text is not None
    assert "steps up to 9.9e+03 %" in text
    assert "about 98 masses give steps of 10 %" in text  # ceil(ln 1e4 / ln 1.1) + 1


def test_headline_tables_caution_on_coarse_grids() -> None:
    from nudipole.cli.headline import newground_table
    from nudipole.cli.headline_lhc import _ground_table
    from nudipole.limits import load_catalogue
    from nudipole.reach.result import ReachResult

    coarse = np.geomspace(1e-3, 10.0, 3)
    nan = np.full(3, np.nan)
    curve = ReachResult(coarse, nan, nan, nan, inputs={"preset": "paper"})
    style = type("Style", (), {"label": "toy [paper]"})()
    table = newground_table([(curve, style)], load_catalogue(), "all")
    assert "caution: a coarse grid" in str(table.caption)
    # the LHC bands' table states its grid (the headline's 24 masses: steps of 49 %)
    caption = str(_ground_table([[] for _ in range(9)], np.geomspace(1e-3, 9.4, 24)).caption)
    assert caption.startswith("bands scanned on 24 log-spaced masses (steps up to 49 %)")
