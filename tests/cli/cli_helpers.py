"""Helpers shared by the CLI tests: run ``nudipole`` in-process and check its output."""

from __future__ import annotations

import json
import re

import pytest

from nudipole.cli.main import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout without colour codes, stderr)."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, _ANSI.sub("", out), err


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    code, out, err = run([*argv, "--json"], capsys)
    assert code == 0, err
    assert err == ""
    return json.loads(out)  # fails on anything but exactly one JSON document


def assert_one_line_error(err: str) -> None:
    assert err.startswith("nudipole: error:"), err
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
