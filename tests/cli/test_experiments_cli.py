"""``nudipole experiments``: the list of built-ins and the TOML of one."""

from __future__ import annotations

import re
import tomllib

import pytest
from cli_helpers import run

from nudipole.experiments import builtin_text

BELLE2_1GEV = ["reach", "belle2", "--masses", "1", "--preset", "paper"]


# --------------------------------------------------------------------------- experiments
def test_experiments_lists_builtins(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["experiments"], capsys)
    assert code == 0
    assert err == ""
    for name, title in (("besiii", "BESIII"), ("belle2", "Belle II"), ("stcf", "STCF")):
        assert re.search(rf"\b{name}\b.*\b{title}\b", out), name
    assert "low-mass" in out  # Belle II default selection listed first
    assert "50/ab" in out


def test_experiments_name_prints_parseable_toml(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["experiments", "belle2"], capsys)
    assert code == 0
    assert err == ""
    assert out == builtin_text("belle2")
    data = tomllib.loads(out)
    assert data["experiment"]["name"] == "belle2"
    assert data["experiment"]["default_selection"] in data["selections"]
