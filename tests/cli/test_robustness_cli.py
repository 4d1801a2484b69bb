"""Issue 10 (robustness and usability): no traceback, no runaway, no silent nonsense, and
messages that name what the user typed. One regression test per item of the issue, then a
sweep of hostile values over the main options of every command.

Every refusal is one line on stderr that starts ``nudipole: error:``, exit status 2, nothing on
stdout and no file written; warnings are errors in the test suite (pyproject), so a leaked
RuntimeWarning fails the test that provokes it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cli_helpers import assert_one_line_error

from nudipole.experiments import builtin_text
from nudipole.io import results as results_io
from nudipole.limits.newground import _D_GRID_ABOVE
from nudipole.physics.couplings import scenario_ratios

CliRunner = Callable[[list[str]], tuple[int, str, str]]
#: A random sampler: the one kind that takes --events and --seed.
MC = ["--sampler", "mc"]


def assert_refused(cli: CliRunner, argv: list[str], *needles: str) -> str:
    """Run ``argv``, check the refusal contract and that the message holds every needle."""
    code, out, err = cli(argv)
    assert code == 2, (argv, err)
    assert out == "", argv
    assert_one_line_error(err)
    for needle in needles:
        assert needle in err, (needle, err)
    return err


def strict_json(text: str) -> Any:
    """json.loads that refuses NaN and Infinity (not JSON)."""

    def bad(name: str) -> None:
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=bad)


@pytest.fixture
def result_file(cli: CliRunner, tmp_path: Path) -> Path:
    """A small saved Belle II result (3 masses)."""
    path = tmp_path / "r.json"
    code, _, err = cli(["reach", "belle2", "--masses", "0.5", "1", "2", "-o", str(path)])
    assert code == 0, err
    return path


def edited(result: Path, tmp_path: Path, name: str, change: Callable[[Any], Any]) -> Path:
    data = json.loads(result.read_text("utf-8"))
    out = tmp_path / name
    out.write_text(json.dumps(change(data)), "utf-8")
    return out


def belle2_toml(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = builtin_text("belle2")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


# ------------------------------------------------------------------------------ tracebacks
def test_sqrt_s_that_overflows_is_refused(cli: CliRunner) -> None:
    assert_refused(
        cli,
        ["reach", "stcf", "--masses", "1", "--sqrt-s", "1e300", "--lumi", "10/ab"],
        "--sqrt-s 1e+300",
        "10000 GeV",
    )


def test_widths_d_gamma_that_overflows_is_refused(cli: CliRunner) -> None:
    assert_refused(cli, ["widths", "--masses", "1", "--d-gamma", "1e300"], "--d-gamma 1e+300")
    assert_refused(cli, ["widths", "--masses", "1e300"], "--masses 1e+300")


def test_newground_on_a_json_array_is_refused(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "array.json"
    path.write_text("[1, 2, 3]", "utf-8")
    assert_refused(cli, ["newground", str(path), "--flavour", "e"], "array.json", "JSON object")
    assert_refused(
        cli, ["figure", "landscape", "--curve", str(path), "-o", str(tmp_path / "f.png")]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["array.json"]


def test_events_beyond_the_memory_bound_are_refused(cli: CliRunner) -> None:
    for n in ("10000000000", "100000000"):
        assert_refused(
            cli,
            ["reach", "belle2", "--masses", "1", *MC, "--events", n],
            f"--events {n}",
            "1048576",
        )


def test_limits_huge_mass_range_is_refused(cli: CliRunner) -> None:
    argv = ["limits", "--mass-range", "1e-3", "10", "10000000"]
    assert_refused(cli, argv, "--mass-range", "--flavour", "--json")  # would be ignored: say so
    assert_refused(cli, [*argv, "--flavour", "e", "--json"], "N = 10000000", "at most 2000")
    assert_refused(
        cli, ["limits", "--flavour", "e", "--json", "--mass-range", "1e-3", "1", "inf"], "inf"
    )


# ------------------------------------------------------------------------------- runaways
def test_mass_count_is_bounded(cli: CliRunner) -> None:
    assert_refused(cli, ["reach", "belle2", "--mass-range", "0.01", "10", "10000000"], "at most")
    assert_refused(cli, ["reach", "belle2", "--mass-range", "0.01", "10", "6000"], "at most 5000")


def test_figure_points_are_bounded(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "f.png"
    assert_refused(
        cli, ["figure", "belle2", "--points", "100000", "-o", str(out)], "--points", "1000"
    )
    assert_refused(
        cli, ["headline", "--points", "100000", "--outdir", str(tmp_path / "h")], "--points"
    )
    assert_refused(cli, ["newground", "belle2", "--flavour", "e", "--points", "5000"], "--points")
    assert not out.exists()


def test_toml_with_too_many_energy_points_is_refused_quickly(
    cli: CliRunner, tmp_path: Path
) -> None:
    point = '[[points]]\nsqrt_s = 10.58\nluminosity = "1/fb"\nsource = "test"\n\n'
    text = builtin_text("belle2").replace("[[points]]", point * 20000 + "[[points]]", 1)
    path = tmp_path / "many.toml"
    path.write_text(text, "utf-8")
    assert_refused(
        cli, ["reach", str(path), "--masses", "1"], "many.toml", "20001 [[points]]", "500"
    )


def test_chunked_scan_matches_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large scans are solved in chunks of masses (bounded memory) with the same numbers."""
    import nudipole
    from nudipole.reach import scan

    masses = np.geomspace(0.01, 3.0, 7)
    whole = nudipole.reach("besiii", masses)
    monkeypatch.setattr(scan, "_MASS_CHUNK_BYTES", 1)  # one mass per chunk
    chunked = nudipole.reach("besiii", masses)
    np.testing.assert_allclose(chunked.d95, whole.d95, rtol=1e-9)
    np.testing.assert_allclose(chunked.d95_error, whole.d95_error, rtol=1e-6)
    np.testing.assert_allclose(chunked.acceptance, whole.acceptance, rtol=1e-12)


# ------------------------------------------------------------------------- silent nonsense
def test_couplings_a_inf_is_scenario_ii(cli: CliRunner) -> None:
    ii = scenario_ratios("II", 0.23153)
    for a in ("inf", "-inf", "1e400"):
        code, out, err = cli(["couplings", "--a", a, "--json"])
        assert code == 0, err
        data = strict_json(out)
        assert data["scenario"] == "II"
        assert data["a"] is None
        assert data["dZ_over_dgamma"] == pytest.approx(ii.dz_over_dgamma)
        assert data["dW_over_dgamma"] == pytest.approx(ii.dw_over_dgamma)
    code, out, _ = cli(["couplings", "--a", "inf"])
    assert code == 0
    assert "scenario II" in out
    assert "nan" not in out.lower()


def test_couplings_a_nan_is_an_error(cli: CliRunner) -> None:
    assert_refused(cli, ["couplings", "--a", "nan"], "--a nan")
    assert_refused(cli, ["couplings", "--a", "nan", "--json"], "--a nan")
    assert_refused(cli, ["widths", "--masses", "1", "--a", "nan"], "--a nan")
    assert_refused(cli, ["reach", "lep", "--masses", "1", "--a", "nan"], "--a nan")


def test_newground_refuses_descending_masses(
    cli: CliRunner, result_file: Path, tmp_path: Path
) -> None:
    def reverse(data: dict[str, Any]) -> dict[str, Any]:
        for key in ("mass", "d95", "d95_error", "acceptance", "d95_upper"):
            data[key] = data[key][::-1]
        return data

    path = edited(result_file, tmp_path, "desc.json", reverse)
    assert_refused(cli, ["newground", str(path), "--flavour", "e"], "desc.json", "increasing order")


def test_newground_refuses_negative_d95(cli: CliRunner, result_file: Path, tmp_path: Path) -> None:
    def negate(data: dict[str, Any]) -> dict[str, Any]:
        data["d95"] = [-v for v in data["d95"]]
        return data

    path = edited(result_file, tmp_path, "neg.json", negate)
    assert_refused(
        cli, ["newground", str(path), "--flavour", "e"], "neg.json", "d95[0]", "positive"
    )


def test_newground_all_null_d95_says_no_sensitivity(
    cli: CliRunner, result_file: Path, tmp_path: Path
) -> None:
    def nothing(data: dict[str, Any]) -> dict[str, Any]:
        data["d95"] = [None for _ in data["d95"]]
        return data

    path = edited(result_file, tmp_path, "null.json", nothing)
    code, out, _ = cli(["newground", str(path), "--flavour", "e"])
    assert code == 0
    assert "no sensitivity" in out
    assert "inside existing exclusions" not in out
    code, out, _ = cli(["newground", str(path), "--flavour", "e", "--json"])
    data = strict_json(out)
    assert data["intervals"] == []
    assert "no sensitivity" in data["note"]


def test_newground_saved_result_refuses_computing_options(
    cli: CliRunner, result_file: Path
) -> None:
    for extra in (["--lumi", "1/ab"], ["--preset", "paper"], ["--points", "30"]):
        assert_refused(cli, ["newground", str(result_file), "--flavour", "e", *extra], extra[0])


def test_figure_options_that_would_be_ignored_are_refused(
    cli: CliRunner, result_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "f.png"
    base = ["-o", str(out), "--points", "2"]
    assert_refused(
        cli, ["figure", "belle2", "--curve", str(result_file), *base], "--curve", "landscape"
    )
    assert_refused(cli, ["figure", "lep-cepc", "--preset", "both", *base], "--preset both")
    assert_refused(cli, ["figure", "besiii-stcf", "--scenario", "II", *base], "--scenario")
    assert_refused(cli, ["figure", "lhc-far", "--seed", "3", *base], "--seed")
    assert_refused(cli, ["figure", "lhc-channels", "--flavour", "all", *base], "--flavour all")
    # --limits all is the default of the figures with limits; given to one without, refused
    assert_refused(cli, ["figure", "belle2", "--limits", "all", *base], "--limits")
    assert_refused(cli, ["figure", "lhc-channels", "--limits", "paper", *base], "--limits")
    assert not out.exists()


def test_empty_output_name_is_refused(cli: CliRunner, tmp_path: Path) -> None:
    assert_refused(cli, ["reach", "belle2", "--masses", "1", "-o", ""], "-o/--output ''")
    assert_refused(cli, ["figure", "belle2", "--output=", "--points", "2"], "-o/--output")
    assert_refused(cli, ["headline", "--outdir", ""], "--outdir ''")


def test_infinite_or_huge_energies_and_luminosities_are_refused(
    cli: CliRunner, tmp_path: Path
) -> None:
    one = ["reach", "belle2", "--masses", "1"]
    assert_refused(cli, [*one, "--sqrt-s", "inf", "--lumi", "10/ab"], "--sqrt-s inf")
    assert_refused(cli, [*one, "--sqrt-s", "inf"], "--sqrt-s inf")
    assert_refused(cli, [*one, "--lumi", "1e400/ab"], "'1e400/ab'", "1e6/ab")
    assert_refused(cli, [*one, "--lumi", "1e-300/ab"], "'1e-300/ab'", "1/nb")
    path = belle2_toml(tmp_path, "sinf.toml", "sqrt_s = 10.58", "sqrt_s = inf")
    assert_refused(cli, ["reach", str(path), "--masses", "1"], "sinf.toml", "points[0].sqrt_s")


def test_nan_in_cut_coefficients_is_refused(cli: CliRunner, tmp_path: Path) -> None:
    path = belle2_toml(tmp_path, "cnan.toml", "195.71]", "nan]")
    assert_refused(
        cli, ["reach", str(path), "--masses", "1"], "cnan.toml", "theta_min_deg_coeffs[2]"
    )
    path = belle2_toml(tmp_path, "vinf.toml", "[31.4, 32.2]", "[31.4, inf]")
    assert_refused(cli, ["reach", str(path), "--masses", "1"], "vinf.toml", "ranges_deg")


def test_infinite_reducible_events_are_refused(cli: CliRunner, tmp_path: Path) -> None:
    path = belle2_toml(tmp_path, "evinf.toml", "events = 300\n", "events = inf\n")
    assert_refused(
        cli, ["reach", str(path), "--masses", "1"], "evinf.toml", "reducible_background.events"
    )


def test_tiny_masses_are_refused_without_a_warning(cli: CliRunner) -> None:
    assert_refused(cli, ["reach", "belle2", "--masses", "1e-30"], "m_N = 1e-30", "1e-05 GeV")
    assert_refused(cli, ["events", "belle2", "--mass", "1e-30", "--d", "1e-5"], "--mass 1e-30")
    code, out, err = cli(["reach", "belle2", "--masses", "1e-5", "--json"])
    assert code == 0, err
    assert err == ""
    assert strict_json(out)["d95"][0] > 0.0


def test_too_few_events_for_a_stated_precision_are_refused(cli: CliRunner) -> None:
    for n in ("8", "64", "1023"):
        assert_refused(
            cli, ["reach", "belle2", "--masses", "1", *MC, "--events", n], f"--events {n}", "1024"
        )
    code, out, err = cli(["reach", "belle2", "--masses", "1", *MC, "--events", "1024", "--json"])
    assert code == 0, err
    data = strict_json(out)
    assert data["d95_error"][0] > 0.0  # the error is reported


def test_newground_edge_is_solved_on_the_curve_not_the_grid(cli: CliRunner) -> None:
    """Belle II bBG, d_e (seed's limits): the upper edge is where the curve crosses LEP's
    bound, about 10.36 GeV, whatever the grid density; the grid is recorded."""
    argv = ["newground", "belle2", "--selection", "bbg", "--preset", "paper", "--flavour", "e"]
    argv += ["--limits", "paper", "--json"]
    edges = []
    for points in ("40", "160"):
        code, out, err = cli([*argv, "--points", points])
        assert code == 0, err
        data = strict_json(out)
        assert data["grid"]["masses"] == int(points)
        assert "solved on the curve" in data["grid"]["edges"]
        ((low, high),) = data["intervals"]
        edges.append((low, high))
    assert edges[0][1] == pytest.approx(edges[1][1], rel=1e-3)
    assert edges[0][0] == pytest.approx(edges[1][0], rel=1e-3)
    assert 10.2 < edges[1][1] < 10.5


def test_newground_from_a_file_records_its_grid(cli: CliRunner, result_file: Path) -> None:
    code, out, _ = cli(["newground", str(result_file), "--flavour", "e", "--json"])
    assert code == 0
    grid = strict_json(out)["grid"]
    assert grid["masses"] == 3
    assert grid["low"] == 0.5
    assert "interpolated" in grid["edges"]


def test_limits_json_never_reports_the_grid_floor(cli: CliRunner) -> None:
    for flavour in ("e", "mu", "tau"):
        code, out, _ = cli(["limits", "--flavour", flavour, "--json"])
        assert code == 0
        env = [v for v in strict_json(out)["envelope"] if v is not None]
        assert env
        assert min(env) > _D_GRID_ABOVE[0] / 1e6  # BBN's edge, 1.5e-16, not a grid floor
        assert not any(math.isclose(v, 1e-14, rel_tol=1e-6) for v in env)


def test_widths_says_which_scenario_it_uses(cli: CliRunner) -> None:
    code, out, _ = cli(["widths", "--masses", "1"])
    assert code == 0
    assert "scenario I (the default" in " ".join(out.split())
    data = strict_json(cli(["widths", "--masses", "1", "--json"])[1])
    assert (data["scenario"], data["scenario_source"]) == ("I", "default")
    data = strict_json(cli(["widths", "--masses", "1", "--scenario", "III", "--json"])[1])
    assert (data["scenario"], data["scenario_source"]) == ("III", "given")


# ------------------------------------------------------------------------------ messages
def test_messages_name_what_the_user_typed(cli: CliRunner, tmp_path: Path) -> None:
    one = ["reach", "belle2", "--masses", "1"]
    assert_refused(cli, [*one, *MC, "--seed", "-1"], "--seed -1")
    err = assert_refused(cli, [*one, *MC, "--events", "1"], "--events 1")
    assert "n_batch" not in err
    assert_refused(cli, ["couplings", "--a", "nan"], "--a nan")
    err = assert_refused(cli, ["figure", "belle2", "--points", "1"], "--points", "'1'")
    assert "mass range" not in err
    assert "mass-range" not in err
    err = assert_refused(
        cli, ["newground", "belle2", "--flavour", "e", "--points", "1"], "--points"
    )
    assert "mass-range" not in err
    assert_refused(cli, [*one, "--events", "abc"], "--events", "'abc'")
    assert_refused(cli, ["experiments", "my.toml"], "'my.toml'", "nudipole reach my.toml")
    assert_refused(cli, ["experiments", "fcc-ee"], "'fcc-ee'", "belle2")
    afile = tmp_path / "a-file"
    afile.write_text("x", "utf-8")
    assert_refused(cli, ["headline", "--outdir", str(afile)], "--outdir", "a-file")
    assert_refused(cli, ["reach", "belle2", "--mass-range", "0.1", "1", "nan"], "N = nan")


def test_toml_errors_name_the_file_and_the_field(cli: CliRunner, tmp_path: Path) -> None:
    path = belle2_toml(tmp_path, "eff.toml", "efficiency = 0.95", "efficiency = 'high'")
    assert_refused(cli, ["reach", str(path), "--masses", "1"], "eff.toml", "detector.efficiency")
    path = belle2_toml(tmp_path, "lum.toml", 'luminosity = "50/ab"', 'luminosity = "1e9/ab"')
    assert_refused(cli, ["reach", str(path), "--masses", "1"], "lum.toml", "points[0].luminosity")


def test_write_failure_names_the_file_not_a_temporary(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*_args: Any, **_kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(tmp_path / ".nudipole-x1y2z3"))

    monkeypatch.setattr(results_io.tempfile, "mkstemp", denied)
    target = tmp_path / "r.json"
    err = assert_refused(
        cli, ["reach", "belle2", "--masses", "1", "-o", str(target)], "r.json", "denied"
    )
    assert ".nudipole-" not in err
    assert "Errno" not in err
    assert not target.exists()


def test_write_failure_while_writing_removes_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(28, "No space left on device", "x")

    monkeypatch.setattr(results_io.os, "replace", full)
    with pytest.raises(OSError, match=r"cannot write .*out\.json.*No space left") as info:
        results_io.write_atomic(tmp_path / "out.json", b"{}")
    assert ".nudipole-" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_negative_numbers_after_options_parse(cli: CliRunner) -> None:
    assert_refused(cli, ["widths", "--masses", "1", "--d-gamma", "-1e-6"], "--d-gamma -1e-06")
    assert_refused(cli, ["reach", "belle2", "--mass-range", "-1", "1", "3"], "--mass-range -1 1 3")
    assert_refused(cli, ["reach", "belle2", "--masses", "-1e-3", "1"], "m_N = -0.001")
    assert_refused(cli, ["reach", "belle2", "--masses", "1", "--lumi", "-3/ab"], "'-3/ab'")


# ------------------------------------------------------------------------ hostile sweep
HOSTILE = ["0", "-1", "nan", "inf", "-inf", "1e300", "1e-300", "abc", ""]
HUGE_COUNTS = ["10000000000", "1e12", "99999999999999999999"]
ONE = ["--masses", "1"]
#: (command prefix, option, suffix): the option receives each hostile value.
SWEEP: list[tuple[list[str], str, list[str]]] = [
    (["reach", "belle2"], "--masses", []),
    (["reach", "belle2", *ONE], "--sqrt-s", ["--lumi", "1/ab"]),
    (["reach", "belle2", *ONE], "--lumi", []),
    (["reach", "belle2", "--masses", "1", *MC], "--events", []),
    (["reach", "belle2", *ONE, *MC], "--seed", []),
    (["reach", "lep", *ONE], "--a", []),
    (["reach", "lep", *ONE, "--scenario", "II"], "--sin2w", []),
    (["reach", "belle2", "--mass-range", "0.1", "1"], "", []),  # N of --mass-range
    (["reach", "faser2", "--no-error"], "--masses", []),
    (["limits", "--flavour", "e", "--json", "--mass-range", "1e-3", "1"], "", []),
    (["widths"], "--masses", []),
    (["widths", "--masses", "1"], "--d-gamma", []),
    (["widths", "--masses", "1"], "--a", []),
    (["widths", "--masses", "1"], "--sin2w", []),
    (["couplings", "--json"], "--a", []),
    (["couplings"], "--sin2w", []),
    (["events", "belle2", "--d", "1e-5"], "--mass", []),
    (["events", "belle2", "--mass", "1"], "--d", []),
    (["events", "faser2", "--d", "1e-5"], "--mass", []),
    (["events", "faser2", "--mass", "0.1"], "--d", []),
    (["newground", "belle2", "--flavour", "e"], "--points", []),
    (["figure", "belle2"], "--points", []),
    (["figure", "belle2", "--points", "2"], "--seed", []),
    (["spectra", "generate", "--pdgid", "111"], "--events", []),
]
SWEEP_CASES = [
    pytest.param(prefix, option, value, suffix, id=f"{' '.join(prefix[:2])} {option} {value!r}")
    for prefix, option, suffix in SWEEP
    for value in [*HOSTILE, *(HUGE_COUNTS if option in ("--events", "--points", "") else [])]
]


def check_contract(code: int, out: str, err: str, as_json: bool) -> None:
    """Exit 0 with clean output and nothing on stderr, or exit 2 with one line."""
    assert "Traceback" not in err
    if code == 0:
        assert err == ""
        if as_json:
            strict_json(out)
        assert not re.search(r"\bnan\b", out.lower()), out
    else:
        assert code == 2, err
        assert out == ""
        assert_one_line_error(err)


@pytest.mark.parametrize(("prefix", "option", "value", "suffix"), SWEEP_CASES)
def test_hostile_values_exit_0_or_2_cleanly(
    cli: CliRunner,
    tmp_path: Path,
    prefix: list[str],
    option: str,
    value: str,
    suffix: list[str],
) -> None:
    # Accepted values must run quickly: large counts are refused, the rest compute one mass
    # with FAST integration (or a 2-mass figure).
    if option == "--lumi" and value not in ("", "abc"):
        value = f"{value}/ab"
    argv = [*prefix, *([option] if option else []), value, *suffix]
    if prefix[0] in ("figure", "spectra"):
        argv += ["-o", str(tmp_path / ("f.png" if prefix[0] == "figure" else "s.txt"))]
    code, out, err = cli(argv)
    if prefix[0] == "spectra" or (prefix[0] == "figure" and option == "--points"):
        assert code == 2, err  # nothing legitimate among these values (no Pythia run)
    check_contract(code, out, err, "--json" in argv)


EMPTY_FILE_CASES = [
    (["reach", "{f}.toml", "--masses", "1"], "is empty"),
    (["events", "{f}.toml", "--mass", "1", "--d", "1e-5"], "is empty"),
    (["newground", "{f}.json", "--flavour", "e"], "not a nudipole reach result"),
    (["newground", "{f}.csv", "--flavour", "e"], "no data rows"),
    (["figure", "landscape", "--curve", "{f}.json"], "not a nudipole reach result"),
    (["spectra", "show", "{f}.txt"], "{f}.txt"),
]


@pytest.mark.parametrize(("argv", "needle"), EMPTY_FILE_CASES)
def test_empty_files_are_refused(
    cli: CliRunner, tmp_path: Path, argv: list[str], needle: str
) -> None:
    stem = str(tmp_path / "empty")
    for suffix in (".toml", ".json", ".csv", ".txt"):
        Path(stem + suffix).write_text("", "utf-8")
    full = [a.replace("{f}", stem) for a in argv]
    if full[0] == "figure":
        full += ["-o", str(tmp_path / "f.png")]
    assert_refused(cli, full, needle.replace("{f}", "empty"))
    assert not (tmp_path / "f.png").exists()


WRONG_TYPES = [
    (['efficiency = "0.95"'], "detector.efficiency"),
    (["decay_length_m = [3.0]"], "detector.decay_length_m"),
    (["energy_ratio = true"], "beams.energy_ratio"),
    (["luminosity = 50"], "points[0].luminosity"),
    (["theta_min_deg_coeffs = [5.399, -58.82]"], "theta_min_deg_coeffs"),
]


@pytest.mark.parametrize(("lines", "field"), WRONG_TYPES)
def test_wrong_types_in_toml_name_file_and_field(
    cli: CliRunner, tmp_path: Path, lines: list[str], field: str
) -> None:
    text = builtin_text("belle2")
    (line,) = lines
    key = line.split(" = ")[0]
    original = next(raw for raw in text.splitlines() if raw.strip().startswith(f"{key} = "))
    path = tmp_path / "typed.toml"
    path.write_text(text.replace(original, line, 1), "utf-8")
    assert_refused(cli, ["reach", str(path), "--masses", "1"], "typed.toml", field)


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["reach", "belle2", "--masses", "1", "--bogus", "3"], "reach"),
        (["events", "faser2", "--mass", "0.05", "--d", "1e-5", "--no-error"], "events"),
        (["newground", "faser2", "--flavour", "e", "--no-error"], "newground"),
        (["limits", "--bogus"], "limits"),
    ],
)
def test_an_unknown_option_names_the_command_whose_help_lists_the_right_ones(
    cli: Any, argv: list[str], command: str
) -> None:
    code, out, err = cli(argv)
    assert code == 2
    assert "unrecognized arguments: " in err
    assert f"(see 'nudipole {command} --help')" in err
    assert_one_line_error(err)
    assert out == ""
