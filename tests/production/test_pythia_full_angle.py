"""Full-angle Pythia 8 tables: forward + backward hemispheres, their header, the CLI option."""

from __future__ import annotations

import gzip
import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pytest

from nudipole.cli.main import main as cli
from nudipole.cli.spectra_commands import backward_path
from nudipole.production import pythia_spectra
from nudipole.production.pythia_spectra import (
    BOSON_KINEMATICS_SETTINGS,
    HEMISPHERE_LINES,
    LOG10_THETA_RANGE,
    FullAngleSpectra,
    format_hemisphere,
    generate_full_angle,
    generate_spectra,
    write_hemisphere,
)
from nudipole.production.spectra import SpectrumError, load_foresee

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pythia8mc") is None,
    reason="pythia8mc is not installed (pip install pythia8mc)",
)

N_EVENTS = 400
SEED = 515


@pytest.fixture(scope="module")
def w_run() -> dict[int, FullAngleSpectra]:
    """400 W events (either charge), showers on, MPI/hadronisation/decays off (about 0.3 s)."""
    return generate_full_angle(
        [24, -24], N_EVENTS, 14000.0, SEED, process="w", settings=BOSON_KINEMATICS_SETTINGS
    )


def test_every_w_is_counted_once_in_one_hemisphere(w_run: dict[int, FullAngleSpectra]) -> None:
    """Each event of ffbar2W holds exactly one W: the four tables (two charges, two
    hemispheres) and the part outside the grid add up to sigmaGen."""
    plus, minus = w_run[24], w_run[-24]
    assert plus.sigma_gen_pb == minus.sigma_gen_pb > 0.0
    assert (plus.events, plus.failed) == (N_EVENTS, 0)
    counted = plus.total_pb + minus.total_pb + plus.outside_pb + minus.outside_pb
    assert counted == pytest.approx(plus.sigma_gen_pb, rel=1e-12)
    quantum = plus.sigma_gen_pb / N_EVENTS  # one W in one bin
    for run in (plus, minus):
        for table in (run.forward, run.backward):
            k = table.sigma_pb / quantum
            np.testing.assert_allclose(k, np.rint(k), rtol=0, atol=1e-9)
    # pp: about half of each charge in each hemisphere (400 events: within 5 sigma)
    for run in (plus, minus):
        n_f, n_b = run.forward.total_pb / quantum, run.backward.total_pb / quantum
        assert abs(n_f - n_b) < 5.0 * math.sqrt(n_f + n_b)


def test_forward_table_is_the_forward_only_run(w_run: dict[int, FullAngleSpectra]) -> None:
    """Same seed and settings: generate_spectra's table is the full-angle run's forward one."""
    forward_only = generate_spectra(
        [24, -24], N_EVENTS, 14000.0, SEED, process="w", settings=BOSON_KINEMATICS_SETTINGS
    )
    for pid in (24, -24):
        a, b = forward_only[pid], w_run[pid].forward
        np.testing.assert_array_equal(a.sigma_pb, b.sigma_pb)
        np.testing.assert_array_equal(a.log10_theta, b.log10_theta)
        np.testing.assert_array_equal(a.log10_p, b.log10_p)
        assert a.source == b.source


def test_backward_angles_are_measured_from_the_minus_z_axis(
    w_run: dict[int, FullAngleSpectra],
) -> None:
    """Both tables live on theta in (0, pi/2] (bin centres below the grid's top edge, the top
    bin straddling pi/2), and the backward table says which hemisphere it is."""
    for run in w_run.values():
        for table in (run.forward, run.backward):
            assert np.all(table.log10_theta - 0.025 < math.log10(math.pi / 2))
            assert np.all(table.log10_theta > LOG10_THETA_RANGE[0])
        assert "backward hemisphere (pz < 0), theta from the -z axis" in run.backward.source
        assert "backward" not in run.forward.source


def test_hard_process_lookup_matches_the_full_event_scan(
    monkeypatch: pytest.MonkeyPatch, w_run: dict[int, FullAngleSpectra]
) -> None:
    """The W/Z shortcut (bosons looked up in the process record) changes nothing."""
    monkeypatch.setattr(pythia_spectra, "_HARD_PROCESS_ONLY", frozenset())
    scanned = generate_full_angle(
        [24, -24], N_EVENTS, 14000.0, SEED, process="w", settings=BOSON_KINEMATICS_SETTINGS
    )
    for pid in (24, -24):
        for side in ("forward", "backward"):
            a, b = getattr(scanned[pid], side), getattr(w_run[pid], side)
            np.testing.assert_array_equal(a.sigma_pb, b.sigma_pb)
            np.testing.assert_array_equal(a.log10_theta, b.log10_theta)


def test_z_run_with_showers_and_hadrons_on() -> None:
    """Without the fast settings (MPI and hadronisation on) the Z is still found once per
    event, in one hemisphere or the other."""
    run = generate_full_angle([23], 30, 14000.0, 3, process="z")[23]
    assert run.total_pb + run.outside_pb == pytest.approx(run.sigma_gen_pb, rel=1e-12)


def test_hemisphere_file_round_trip(w_run: dict[int, FullAngleSpectra], tmp_path: Path) -> None:
    back = w_run[24].backward
    path = tmp_path / "w_24_backward.txt.gz"
    write_hemisphere(back, path, "backward", header_lines=["command: test"])
    raw = path.read_bytes()
    assert raw[4:8] == b"\x00\x00\x00\x00"  # gzip without a time stamp: reproducible bytes
    text = gzip.decompress(raw).decode("utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# Backward-hemisphere production spectrum of W+ (PDG id 24)")
    assert f"# {HEMISPHERE_LINES['backward']}" in lines
    assert sum(line.startswith("# hemisphere:") for line in lines) == 1
    assert "# setting: ProcessLevel:resonanceDecays = off" in lines
    assert "# command: test" in lines
    again = load_foresee(path)
    assert again.pdgid == 24
    np.testing.assert_array_equal(again.sigma_pb, back.sigma_pb)
    np.testing.assert_array_equal(again.log10_theta, back.log10_theta)
    np.testing.assert_array_equal(again.log10_p, back.log10_p)
    forward_text = format_hemisphere(w_run[24].forward, "forward")
    assert forward_text.startswith("# Forward-hemisphere production spectrum of W+")
    assert f"# {HEMISPHERE_LINES['forward']}\n" in forward_text
    with pytest.raises(SpectrumError, match="unknown hemisphere 'up'"):
        format_hemisphere(back, "up")


def test_missing_hemisphere_is_one_clear_error() -> None:
    """A particle the process never makes: no table in either hemisphere."""
    with pytest.raises(SpectrumError, match="no PDG 23 with pz > 0 in 5 events of process 'w'"):
        generate_full_angle([23], 5, 14000.0, 1, process="w")


def test_cli_generate_both_hemispheres(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "W_24.txt.gz"
    argv = ["spectra", "generate", "--pdgid", "24", "--conjugate", "--hemisphere", "both",
            "--events", "200", "--seed", "11", "--process", "w"]  # fmt: skip
    for setting in BOSON_KINEMATICS_SETTINGS:
        argv += ["--setting", setting]
    argv += ["-o", str(out), "--json"]
    assert cli(argv) == 0
    infos = json.loads(capsys.readouterr().out)
    files = {(i["pdgid"], i["hemisphere"]): Path(i["file"]).name for i in infos}
    assert files == {
        (24, "forward"): "W_24.txt.gz",
        (24, "backward"): "W_24_backward.txt.gz",
        (-24, "forward"): "W_-24.txt.gz",
        (-24, "backward"): "W_-24_backward.txt.gz",
    }
    text = gzip.decompress((tmp_path / "W_-24_backward.txt.gz").read_bytes()).decode("utf-8")
    command = next(line for line in text.splitlines() if line.startswith("# command: "))
    assert "--conjugate --hemisphere both" in command
    assert "--setting 'PartonLevel:MPI = off'" in command
    assert f"# {HEMISPHERE_LINES['backward']}" in text
    total = sum(i["sigma_pb"] for i in infos)
    sigma_gen = float(text.split("sigmaGen = ")[1].split(" pb")[0])
    assert total == pytest.approx(sigma_gen, rel=1e-5)  # header rounds sigmaGen to 6 digits


def test_cli_forward_default_writes_one_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "z.txt"
    assert cli(["spectra", "generate", "--pdgid", "23", "--events", "20", "-o", str(out),
                "--setting", "PartonLevel:MPI = off", "--json"]) == 0  # fmt: skip
    info = json.loads(capsys.readouterr().out)
    assert info["file"] == str(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["z.txt"]
    assert "# hemisphere: forward only (pz > 0)" in out.read_text("utf-8")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("W_24.txt.gz", "W_24_backward.txt.gz"),
        ("a.b.dat", "a.b_backward.dat"),
        ("y.dat.gz", "y_backward.dat.gz"),
        ("Z.TXT", "Z_backward.TXT"),
    ],
)
def test_backward_path(name: str, expected: str) -> None:
    assert backward_path(Path("/x") / name) == Path("/x") / expected
