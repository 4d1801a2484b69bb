"""``--bkg-uncertainty`` (issue 12 §3): accepted values reach the result, hostile ones are one
line on stderr with exit status 2, and options that would be ignored are refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import PNG_MAGIC, assert_one_line_error

CliRunner = Callable[[list[str]], tuple[int, str, str]]
HOSTILE = ["-1", "nan", "inf", "1e300", "abc", "1.01", ""]


def assert_refused(cli: CliRunner, argv: list[str], needle: str) -> None:
    code, out, err = cli(argv)
    assert code == 2, (argv, err)
    assert out == ""
    assert_one_line_error(err)
    assert needle in err, err


@pytest.mark.parametrize("bad", HOSTILE)
def test_reach_refuses_hostile_values(cli: CliRunner, bad: str) -> None:
    assert_refused(
        cli,
        ["reach", "belle2", "--masses", "1", f"--bkg-uncertainty={bad}"],
        f"--bkg-uncertainty: {bad!r}",
    )


@pytest.mark.parametrize("bad", ["-1", "nan", "abc"])
@pytest.mark.parametrize(
    "argv",
    [
        ["events", "belle2", "--mass", "1", "--d", "1e-5"],
        ["figure", "belle2", "--points", "2"],
        ["reach", "faser2", "--masses", "0.1"],
    ],
)
def test_other_commands_refuse_hostile_values(cli: CliRunner, argv: list[str], bad: str) -> None:
    assert_refused(cli, [*argv, f"--bkg-uncertainty={bad}"], "--bkg-uncertainty")


def test_reach_records_the_uncertainty(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    argv = ["reach", "belle2", "--selection", "bbg", "--masses", "1"]
    code, out, err = cli([*argv, "--bkg-uncertainty", "0.05", "--json", "-o", str(path)])
    assert code == 0, err
    with_unc = json.loads(out)
    assert with_unc["inputs"]["conventions"]["background_uncertainty"] == 0.05
    assert json.loads(path.read_text("utf-8")) == with_unc
    code, out, err = cli([*argv, "--json"])
    assert code == 0, err
    without = json.loads(out)
    assert without["inputs"]["conventions"]["background_uncertainty"] == 0.0
    assert with_unc["d95"][0] > without["d95"][0]
    code, out, err = cli([*argv, "--bkg-uncertainty", "0.05"])
    assert code == 0, err
    assert "relative uncertainty 5 %" in out


def test_poisson_statistic_in_the_table(cli: CliRunner) -> None:
    code, out, err = cli(["reach", "besiii", "--masses", "1", "--statistic", "poisson-cls"])
    assert code == 0, err
    assert "statistic: poisson-cls (S95 = " in out


def test_ignored_uses_are_refused(cli: CliRunner) -> None:
    assert_refused(
        cli,
        ["events", "faser2", "--mass", "0.1", "--d", "1e-5", "--bkg-uncertainty", "0.1"],
        "do not depend on --bkg-uncertainty",
    )
    assert_refused(
        cli,
        ["figure", "landscape", "--points", "2", "--bkg-uncertainty", "0.1"],
        "does not use --bkg-uncertainty",
    )


def test_figure_with_band(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "b.png"
    argv = ["figure", "belle2", "--points", "2", "--preset", "paper", "--bkg-uncertainty", "0.05"]
    code, _, err = cli([*argv, "-o", str(out)])
    assert code == 0, err
    assert out.read_bytes().startswith(PNG_MAGIC)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["reach", "faser2", "--masses", "0.1"], "FASER-2 expects no background events"),
        (["newground", "mapp2", "--flavour", "e"], "MAPP-2 expects no background events"),
        (
            ["reach", "faser2", "--masses", "0.1", "--preset", "paper"],
            "the paper preset counts no background",
        ),
    ],
)
def test_far_detectors_refuse_an_uncertainty_on_no_background(
    cli: CliRunner, argv: list[str], needle: str
) -> None:
    """Every built-in far detector expects no background, and the paper preset counts none:
    an uncertainty on it would change nothing (0 changes nothing either way, and is taken)."""
    assert_refused(cli, [*argv, "--bkg-uncertainty", "0.2"], needle)
    if argv[0] == "reach":
        code, _out, err = cli([*argv, "--no-error", "--bkg-uncertainty", "0"])
        assert code == 0, err


def test_far_detector_with_a_background_takes_the_uncertainty(
    cli: CliRunner, tmp_path: Path
) -> None:
    """A detector file that expects background events: the uncertainty widens the CLs limit
    of the default preset (a larger signal needed, a narrower band)."""
    from importlib import resources

    text = resources.files("nudipole.experiments.data").joinpath("faser2.toml").read_text("utf-8")
    assert "\nbackground = 0.0" in text
    path = tmp_path / "faser2-bkg.toml"
    path.write_text(text.replace("\nbackground = 0.0", "\nbackground = 5.0"), "utf-8")
    argv = ["reach", str(path), "--masses", "0.1", "--no-error", "--json"]
    code, out, err = cli(argv)
    assert code == 0, err
    plain = json.loads(out)
    code, out, err = cli([*argv, "--bkg-uncertainty", "0.5"])
    assert code == 0, err
    wider = json.loads(out)
    assert wider["d95"][0] > plain["d95"][0]
    assert wider["d95_upper"][0] < plain["d95_upper"][0]
    assert wider["inputs"]["photon_selection"]["background_uncertainty"] == 0.5
