"""The ``nudipole`` command line as a real process (``python -m nudipole.cli.main`` and the
console script): exit codes, one-line errors, no traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error

import nudipole

BELLE2_1GEV = ["reach", "belle2", "--masses", "1", "--preset", "paper"]


# --------------------------------------------------------------------------- subprocess
def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nudipole.cli.main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_subprocess_success_prints_json_and_exits_0(tmp_path: Path) -> None:
    proc = _cli(*BELLE2_1GEV, "--json", "-o", "r.csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert data["d95"][0] == pytest.approx(8e-6, rel=0.25)
    assert (tmp_path / "r.csv").read_text("utf-8").startswith("# nudipole")


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["reach", "belle2", "--masses", "0"], id="mass-zero"),
        pytest.param(["reach", "belle2", "--masses", "1", "--lumi=abc"], id="lumi"),
        pytest.param(["reach", "{in}/unknown.toml", "--masses", "1"], id="unknown-field"),
        pytest.param(["reach", "belle2", "--masses", "abc"], id="argparse"),
        pytest.param(["reach", "belle2", "--masses", "1", "-o", "no/such/dir/r.json"], id="dir"),
        pytest.param(["experiments", "fcc-ee"], id="experiments"),
    ],
)
def test_subprocess_errors_exit_2_without_traceback(
    args: list[str], bad_files: Path, tmp_path: Path
) -> None:
    argv = [a.replace("{in}", str(bad_files)) for a in args]
    proc = _cli(*argv, cwd=bad_files)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert_one_line_error(proc.stderr)
    assert sorted(p.name for p in bad_files.iterdir()) == ["broken.toml", "unknown.toml"]


def test_console_script_reports_version(tmp_path: Path) -> None:
    exe = shutil.which("nudipole")
    if exe is None:
        pytest.skip("the nudipole console script is not on PATH")
    proc = subprocess.run(
        [exe, "--version"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"nudipole {nudipole.__version__}"


def test_script_entry_is_main_then_frozen_objects(tmp_path: Path) -> None:
    """The console script and ``python -m nudipole`` run :func:`script`: main's exit status,
    the collector set for one command, the objects left frozen (no last garbage collection
    over them), errors as from main."""
    import tomllib

    pyproject = Path(nudipole.__file__).parents[2] / "pyproject.toml"
    if pyproject.exists():  # a source checkout
        scripts = tomllib.loads(pyproject.read_text("utf-8"))["project"]["scripts"]
        assert scripts == {"nudipole": "nudipole.cli.main:script"}
    probe = (
        "import gc, sys; from nudipole.cli.main import script; "
        "rc = script(sys.argv[1:]); print(gc.get_threshold()[0], rc, gc.get_freeze_count() > 0)"
    )
    from nudipole.cli.main import YOUNG_COLLECTION_THRESHOLD

    for args, status in ((["experiments"], 0), (["experiments", "fcc-ee"], 2)):
        proc = subprocess.run(
            [sys.executable, "-c", probe, *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.stdout.split()[-3:] == [str(YOUNG_COLLECTION_THRESHOLD), str(status), "True"]
    module = subprocess.run(
        [sys.executable, "-m", "nudipole", "experiments", "fcc-ee"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert module.returncode == 2
    assert_one_line_error(module.stderr)
