"""``nudipole figure`` for the seed's figures: files written, formats, bad suffixes."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import PNG_MAGIC, assert_one_line_error, run

BELLE2_1GEV = ["reach", "belle2", "--masses", "1", "--preset", "paper"]


# --------------------------------------------------------------------------- figure
def test_figure_belle2_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "f.png"
    code, out, err = run(["figure", "belle2", "-o", str(target), "--points", "8"], capsys)
    assert code == 0, err
    assert out.strip() == f"wrote {target}"
    assert target.read_bytes()[:8] == PNG_MAGIC
    assert [p.name for p in tmp_path.iterdir()] == ["f.png"]


def test_figure_besiii_stcf_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "f.svg"
    argv = ["figure", "besiii-stcf", "-o", str(target), "--points", "6", "--preset", "paper"]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    text = target.read_text("utf-8")
    assert text.lstrip().startswith("<?xml")
    assert "<svg" in text
    assert "</svg>" in text


def test_figure_bad_suffix_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        ["figure", "belle2", "-o", str(tmp_path / "f.txt"), "--points", "2"], capsys
    )
    assert code == 2
    assert out == ""
    assert_one_line_error(err)
    assert ".pdf, .png or .svg" in err
    assert list(tmp_path.iterdir()) == []
