"""Figures against stored baselines: a change of the drawing code (or of what it draws) shows
up as an image difference.

The figures are small versions of those of ``docs/make_figures.py`` (a few masses, few
events), drawn with fixed fonts and resolution on the Agg backend. After an intended change,
look at the new images and store them as baselines::

    NUDIPOLE_UPDATE_BASELINES=1 python -m pytest tests/plotting/test_figure_baselines.py

On a failure the new image and the difference image are in the test's temporary folder (the
message names them). Rendering changes between matplotlib releases: the baselines record the
matplotlib version that made them (``baseline/matplotlib-version.txt``), and under another
major.minor version the comparison is skipped with a message to renew them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import matplotlib as mpl
import pytest
from figure_builders import (
    belle2_figure,
    landscape_figure,
    lep_cepc_iii_figure,
    lhc_channels_figure,
    lhc_far_figure,
    lhc_llp_figure,
)
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images

from nudipole.model import FlavourMode
from nudipole.plotting.landscape import CurveStyle
from nudipole.reach.result import ReachResult

BASELINE = Path(__file__).parent / "baseline"
#: Fixed fonts and resolution (DejaVu ships with matplotlib; no hinting: the same pixels on
#: every FreeType build matplotlib bundles).
RC = {
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    "text.hinting": "none",
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "path.simplify": True,
}
DPI = 60
#: Largest RMS difference allowed (0-255 scale): text moves or a curve changes shape fail.
TOL = 2.0


VERSION_FILE = BASELINE / "matplotlib-version.txt"


def _minor(version: str) -> tuple[str, ...]:
    return tuple(version.strip().split(".")[:2])


def baseline_difference(make: Callable[[], Figure], name: str, tmp_path: Path) -> str | None:
    """The figure of ``make`` drawn and compared with its stored baseline: None where they
    agree within :data:`TOL`, else matplotlib's description of the difference."""
    with mpl.rc_context(RC):
        fig = make()
        actual = tmp_path / f"{name}.png"
        fig.savefig(actual, dpi=DPI, metadata={"Software": None})
    expected = BASELINE / f"{name}.png"
    if os.environ.get("NUDIPOLE_UPDATE_BASELINES"):
        BASELINE.mkdir(exist_ok=True)
        shutil.copyfile(actual, expected)
        VERSION_FILE.write_text(mpl.__version__ + "\n", "utf-8")
        pytest.skip(f"baseline written: {expected}")
    assert expected.exists(), f"no baseline {expected}: see this module's docstring"
    made_with = VERSION_FILE.read_text("utf-8").strip()
    if _minor(made_with) != _minor(mpl.__version__):
        pytest.skip(
            f"baselines made with matplotlib {made_with}, running {mpl.__version__}: "
            "renew them (see tests/plotting/test_figure_baselines.py)"
        )
    diff = compare_images(str(expected), str(actual), tol=TOL)
    return None if diff is None else f"{name} differs from its baseline: {diff}"


def test_belle2(belle2_curves: list[tuple[ReachResult, str, str]], tmp_path: Path) -> None:
    diff = baseline_difference(lambda: belle2_figure(belle2_curves), "belle2", tmp_path)
    assert diff is None, diff


def test_landscape(landscape_curves: list[tuple[ReachResult, CurveStyle]], tmp_path: Path) -> None:
    diff = baseline_difference(lambda: landscape_figure(landscape_curves), "landscape_mu", tmp_path)
    assert diff is None, diff


def test_lep_cepc_scenario_iii(
    lep_cepc_curves: list[tuple[ReachResult, CurveStyle]], tmp_path: Path
) -> None:
    diff = baseline_difference(
        lambda: lep_cepc_iii_figure(lep_cepc_curves), "lep_cepc_III_mu", tmp_path
    )
    assert diff is None, diff


def test_lhc_far(faser2_band: ReachResult, tmp_path: Path) -> None:
    diff = baseline_difference(lambda: lhc_far_figure(faser2_band), "lhc_far_e", tmp_path)
    assert diff is None, diff


def test_lhc_channels(
    faser2_band: ReachResult, faser2_channels: list[ReachResult], tmp_path: Path
) -> None:
    diff = baseline_difference(
        lambda: lhc_channels_figure(faser2_band, faser2_channels), "lhc_channels", tmp_path
    )
    assert diff is None, diff


def test_lhc_llp(mathusla_llp_bands: dict[FlavourMode, ReachResult], tmp_path: Path) -> None:
    diff = baseline_difference(
        lambda: lhc_llp_figure(mathusla_llp_bands), "lhc_llp_universal_tau", tmp_path
    )
    assert diff is None, diff
