"""The landscape plot: every limit and every curve is on the axes, and saved results plot
identically to the computed ones."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from nudipole.api import reach
from nudipole.io.results import load_result, save_csv, save_json
from nudipole.limits import load_catalogue
from nudipole.model import Flavour
from nudipole.plotting.landscape import (
    D_RANGE,
    MASS_RANGE,
    CurveStyle,
    limit_label,
    plot_landscape,
)
from nudipole.plotting.styles import FACE_ALPHA, LIMIT_STYLES, limit_style
from nudipole.reach.result import ReachResult

CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def belle2() -> ReachResult:
    return reach("belle2", mass_range=(1e-3, 10.0, 25), preset="paper")


@pytest.fixture(scope="module")
def stcf() -> ReachResult:
    return reach("stcf", mass_range=(1e-3, 3.9, 25), preset="paper")


def gids(ax: Axes, prefix: str) -> list[str]:
    found = [a.get_gid() for a in [*ax.patches, *ax.lines]]
    return sorted(g for g in found if isinstance(g, str) and g.startswith(prefix))


def pixels(fig: Figure) -> np.ndarray:
    # The library returns bare Figures (it never picks a backend): render with Agg here.
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("which", ["paper", "all"])
def test_every_limit_and_curve_is_on_each_panel(
    which: str, belle2: ReachResult, stcf: ReachResult
) -> None:
    limits = CATALOGUE.select(which)
    styles = [CurveStyle("Belle II", "red", "-"), CurveStyle("STCF", "blue", ":")]
    fig = plot_landscape(list(Flavour), limits, list(zip([belle2, stcf], styles, strict=True)))
    try:
        axes = fig.axes
        assert len(axes) == 3
        for ax, flavour in zip(axes, Flavour, strict=True):
            expected = sorted(f"limit:{lim.id}" for lim in limits.for_flavour(flavour))
            assert gids(ax, "limit:") == expected
            assert gids(ax, "reach:") == ["reach:Belle II", "reach:STCF"]
            assert ax.get_xscale() == "log"
            assert ax.get_yscale() == "log"
            assert ax.get_xlim() == pytest.approx(MASS_RANGE)
            assert ax.get_ylim() == pytest.approx(D_RANGE)
            legend = ax.get_legend()
            assert legend is not None
            texts = [t.get_text() for t in legend.get_texts()]
            for lim in limits.for_flavour(flavour):
                assert limit_label(lim) in texts
                assert f"arXiv:{lim.arxiv}" in limit_label(lim)
                assert f"{round(100 * lim.cl)}% CL" in limit_label(lim)
    finally:
        plt.close(fig)


def test_limit_patches_are_the_catalogue_polygons_in_their_own_styles() -> None:
    fig = plot_landscape([Flavour.MU], CATALOGUE.paper_set(), [])
    try:
        ax = fig.axes[0]
        by_gid = {p.get_gid(): p for p in ax.patches}
        nomad = CATALOGUE.get("nomad")
        patch = by_gid["limit:nomad"]
        verts = patch.get_path().vertices
        np.testing.assert_allclose(verts[: len(nomad.polygon)], nomad.polygon)
        for lim in CATALOGUE.paper_set().for_flavour(Flavour.MU):
            style = LIMIT_STYLES[lim.id]
            drawn = by_gid[f"limit:{lim.id}"]
            assert drawn.get_facecolor() == pytest.approx(to_rgba(style.face, FACE_ALPHA))
            assert drawn.get_hatch() == style.hatch
    finally:
        plt.close(fig)


@pytest.mark.parametrize("flavour", list(Flavour))
def test_no_two_regions_of_a_panel_look_alike(flavour: Flavour) -> None:
    """Regions are told apart without the legend: own face, edge or hatch, and own name."""
    limits = CATALOGUE.for_flavour(flavour)
    looks = [(s.face, s.edge, s.hatch) for s in (limit_style(lim) for lim in limits)]
    assert len(set(looks)) == len(looks)
    assert len({(s.face, s.hatch) for s in map(limit_style, limits)}) == len(looks)
    assert all(lim.id in LIMIT_STYLES for lim in CATALOGUE)
    # The seed's colour families: all-flavour limits grey, per-flavour ones in their hue.
    family = {Flavour.E: "orange", Flavour.MU: "skyblue", Flavour.TAU: "pink"}[flavour]
    for lim in limits:
        face = np.array(to_rgba(limit_style(lim).face)[:3])
        if len(lim.flavours) == 3:
            assert np.ptp(face) < 0.2, lim.id  # near grey
        else:
            ref = np.array(to_rgba(family)[:3])
            assert np.argmax(face) == np.argmax(ref), lim.id


def test_rescaled_limits_are_labelled_as_such() -> None:
    donut = CATALOGUE.get("donut")
    assert "90% CL" in limit_label(donut)
    assert "95% CL, rescaled" in limit_label(donut.at_95())
    assert limit_label(CATALOGUE.get("lep").at_95()) == limit_label(CATALOGUE.get("lep"))


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_a_loaded_result_plots_identically(
    suffix: str, belle2: ReachResult, tmp_path: Path
) -> None:
    path = tmp_path / f"belle2{suffix}"
    (save_json if suffix == ".json" else save_csv)(belle2, path)
    loaded = load_result(path)
    np.testing.assert_array_equal(loaded.mass, belle2.mass)
    np.testing.assert_array_equal(loaded.d95, belle2.d95)
    assert loaded.inputs["preset"] == belle2.inputs["preset"]
    assert loaded.inputs["version"] == belle2.inputs["version"]
    assert loaded.inputs["citations"] == belle2.inputs["citations"]
    style = CurveStyle("Belle II", "red", "-")
    limits = CATALOGUE.paper_set()
    figs = [plot_landscape([Flavour.TAU], limits, [(r, style)]) for r in (belle2, loaded)]
    try:
        np.testing.assert_array_equal(pixels(figs[0]), pixels(figs[1]))
    finally:
        for fig in figs:
            plt.close(fig)
