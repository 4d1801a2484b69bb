"""Shared helpers for the CLI tests: run ``nudipole`` in-process and capture its output."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from nudipole.cli.main import main

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

CliRunner = Callable[[list[str]], tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """``cli(argv) -> (exit code, stdout without colour codes, stderr)``."""

    def run(argv: list[str]) -> tuple[int, str, str]:
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, _ANSI.sub("", out), err

    return run
