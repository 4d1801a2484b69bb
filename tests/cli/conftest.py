"""Shared fixtures of the CLI tests: run ``nudipole`` in-process, and bad input files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import run

from nudipole.experiments import builtin_text

CliRunner = Callable[[list[str]], tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """``cli(argv) -> (exit code, stdout without colour codes, stderr)``."""

    def run_cli(argv: list[str]) -> tuple[int, str, str]:
        return run(argv, capsys)

    return run_cli


@pytest.fixture
def bad_files(tmp_path: Path) -> Path:
    """A folder with a broken TOML file and one with an unknown field."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "broken.toml").write_text("[experiment\nname = \n", "utf-8")
    text = builtin_text("belle2")
    assert text.count("efficiency = 0.95") == 1
    (folder / "unknown.toml").write_text(
        text.replace("efficiency = 0.95", "efficiency = 0.95\ncolour = 'red'"), "utf-8"
    )
    return folder
