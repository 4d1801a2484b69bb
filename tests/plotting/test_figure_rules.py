"""What a referee checks on every figure: legends and names off the curves, each region told
apart and named, axes that cover the physics, labels that say sqrt(s) and luminosity, notes
only where they apply, and the figures in README/docs all made by one script."""

from __future__ import annotations

import importlib.util
import itertools
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from figure_builders import (
    belle2_figure,
    landscape_figure,
    lep_cepc_iii_figure,
    lhc_channels_figure,
    lhc_far_figure,
    lhc_llp_figure,
)
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from nudipole.limits import load_catalogue
from nudipole.model import Flavour, FlavourMode
from nudipole.plotting.labels import curve_label, format_luminosity
from nudipole.plotting.landscape import MASS_RANGE, CurveStyle, plot_landscape
from nudipole.plotting.reach_plots import plot_curves
from nudipole.reach.result import ReachResult

ROOT = Path(__file__).resolve().parents[2]


def rendered(fig: Figure) -> Figure:
    FigureCanvasAgg(fig).draw()
    return fig


def names(ax: Axes) -> list[Text]:
    return [t for t in ax.texts if str(t.get_gid() or "").startswith("label:")]


def notes(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in fig.texts)


def legend_texts(fig: Figure) -> list[str]:
    legends = [ax.get_legend() for ax in fig.axes] + list(fig.legends)
    return [t.get_text() for leg in legends if leg is not None for t in leg.get_texts()]


def line_points(ax: Axes) -> np.ndarray:
    """Every drawn line of the axes, sampled at least once per pixel (display coordinates)."""
    out = []
    for line in ax.get_lines():
        xy = np.asarray(line.get_xydata(), dtype=float)
        xy = xy[np.all(np.isfinite(xy), axis=1)]
        if len(xy) < 2:
            continue
        disp = line.get_transform().transform(xy)
        for a, b in itertools.pairwise(disp):
            n = int(np.ceil(np.hypot(*(b - a)))) + 2
            out.append(a + (b - a) * np.linspace(0.0, 1.0, n)[:, None])
    return np.vstack(out) if out else np.zeros((0, 2))


def inside(box: Bbox, pts: np.ndarray, shrink: float = 1.0) -> int:
    x, y = pts[:, 0], pts[:, 1]
    hit = (x > box.x0 + shrink) & (x < box.x1 - shrink) & (y > box.y0 + shrink)
    return int(np.count_nonzero(hit & (y < box.y1 - shrink)))


@pytest.fixture(scope="module")
def figures(
    belle2_curves: list[tuple[ReachResult, str, str]],
    landscape_curves: list[tuple[ReachResult, CurveStyle]],
    lep_cepc_curves: list[tuple[ReachResult, CurveStyle]],
    faser2_band: ReachResult,
    faser2_channels: list[ReachResult],
    mathusla_llp_bands: dict[FlavourMode, ReachResult],
) -> dict[str, Figure]:
    return {
        name: rendered(fig)
        for name, fig in {
            "belle2": belle2_figure(belle2_curves),
            "landscape": landscape_figure(landscape_curves),
            "lep-cepc": lep_cepc_iii_figure(lep_cepc_curves),
            "lhc-far": lhc_far_figure(faser2_band),
            "lhc-channels": lhc_channels_figure(faser2_band, faser2_channels),
            "lhc-llp": lhc_llp_figure(mathusla_llp_bands),
        }.items()
    }


FIGURE_NAMES = ["belle2", "landscape", "lep-cepc", "lhc-far", "lhc-channels", "lhc-llp"]


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_legends_are_outside_every_axes(name: str, figures: dict[str, Figure]) -> None:
    fig = figures[name]
    legends = [ax.get_legend() for ax in fig.axes] + list(fig.legends)
    assert any(leg is not None for leg in legends)
    for leg in legends:
        if leg is None:
            continue
        box = leg.get_window_extent()
        for ax in fig.axes:
            assert not box.overlaps(ax.bbox), f"{name}: legend on the axes"


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_names_on_the_plot_touch_no_line_and_no_other_name(
    name: str, figures: dict[str, Figure]
) -> None:
    for ax in figures[name].axes:
        pts = line_points(ax)
        boxes = [t.get_window_extent() for t in names(ax)]
        for text, box in zip(names(ax), boxes, strict=True):
            assert ax.bbox.contains(*box.p0), text.get_text()
            assert ax.bbox.contains(*box.p1), text.get_text()
            assert inside(box, pts) == 0, f"{name}: {text.get_text()!r} is on a line"
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not a.overlaps(b), f"{name}: names overlap"


@pytest.mark.parametrize("name", ["landscape", "lep-cepc", "lhc-far", "lhc-llp"])
def test_every_region_in_view_is_named(name: str, figures: dict[str, Figure]) -> None:
    for ax in figures[name].axes:
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        m, d = np.meshgrid(np.geomspace(x0, x1, 120), np.geomspace(y0, y1, 120))
        named = {t.get_gid() for t in names(ax)}
        regions = [p.get_gid() for p in ax.patches if str(p.get_gid()).startswith("limit:")]
        assert regions
        for gid in regions:
            limit = load_catalogue().get(gid.removeprefix("limit:"))
            if limit.contains(m, d).any():
                assert f"label:{limit.id}" in named, f"{name}: {limit.id} has no name"


def test_a_band_is_named_and_closes_where_it_ends(
    figures: dict[str, Figure], faser2_band: ReachResult
) -> None:
    band = faser2_band
    ax = figures["lhc-far"].axes[0]
    assert "label:band:FASER-2, 3/ab [paper]" in {t.get_gid() for t in names(ax)}
    (line,) = [ln for ln in ax.get_lines() if str(ln.get_gid()).startswith("reach:FASER-2")]
    (end,) = [e for e in band.band_ends if e.side == "upper"]
    assert float(np.max(line.get_xdata())) == pytest.approx(end.mass)
    assert end.mass < band.mass[-1]


def test_the_landscape_mass_axis_covers_the_belle2_threshold(
    figures: dict[str, Figure], landscape_curves: list[tuple[ReachResult, CurveStyle]]
) -> None:
    assert MASS_RANGE[1] > 10.58
    ax = figures["landscape"].axes[0]
    assert ax.get_xlim()[1] > 10.58
    belle2 = [ln for ln in ax.get_lines() if "Belle II" in str(ln.get_gid())]
    assert belle2
    assert max(float(np.max(ln.get_xdata())) for ln in belle2) < ax.get_xlim()[1]


def test_the_line_style_note_is_there_only_when_both_presets_are(
    belle2_curves: list[tuple[ReachResult, str, str]],
) -> None:
    both = plot_curves(belle2_curves)
    assert "dashed: default preset" in notes(both)
    paper = [c for c in belle2_curves if c[0].inputs["preset"] == "paper"]
    assert "dashed" not in notes(plot_curves(paper))


def test_abbreviations_are_explained_on_the_figure(figures: dict[str, Figure]) -> None:
    text = notes(figures["belle2"])
    for word in ("gBG:", "bBG cut:", "seed:"):
        assert word in text


@pytest.mark.parametrize("name", ["belle2", "landscape", "lep-cepc", "lhc-far"])
def test_every_curve_label_keeps_sqrt_s_and_luminosity(
    name: str, figures: dict[str, Figure]
) -> None:
    curves = [t for t in legend_texts(figures[name]) if "arXiv" not in t]
    assert curves
    for text in curves:
        assert re.search(r"\d (GeV|TeV)", text), text
        # A projection states its luminosity; a published LEP limit says that it is one.
        assert re.search(r"\d ?/?(ab|fb|pb)", text) or "published limit" in text, text


def test_curve_label_adds_only_what_is_missing(
    landscape_curves: list[tuple[ReachResult, CurveStyle]],
) -> None:
    stcf = next(r for r, s in landscape_curves if s.label.startswith("STCF"))
    assert curve_label("STCF 4 GeV 30/ab [paper]", stcf) == "STCF 4 GeV 30/ab [paper]"
    assert curve_label("STCF [paper]", stcf) == ("STCF, $\\sqrt{s}$ = 4 GeV, 30 ab$^{-1}$ [paper]")
    assert format_luminosity("27/fb") == "27 fb$^{-1}$"


def test_lep_cepc_draws_no_empty_curve_and_says_which_lep_is_which(
    figures: dict[str, Figure],
) -> None:
    fig = figures["lep-cepc"]
    ax = fig.axes[0]
    assert not any("Z invisible width" in t for t in legend_texts(fig))
    assert not any("Z invisible width" in str(ln.get_gid()) for ln in ax.get_lines())
    assert "Z invisible width: no bound, since $d_Z$ = 0" in notes(fig)
    # The catalogue's photon-only LEP region is not drawn beside the scenario's LEP curves,
    # and the note says why.
    assert "limit:lep" not in {p.get_gid() for p in ax.patches}
    assert "photon dipole alone" in notes(fig)
    assert any("OPAL" in str(ln.get_gid()) for ln in ax.get_lines())


def test_a_curve_without_sensitivity_gets_a_note_not_a_legend_entry(
    lep_cepc_curves: list[tuple[ReachResult, CurveStyle]],
) -> None:
    fig = plot_landscape([Flavour.MU], load_catalogue().paper_set(), lep_cepc_curves)
    assert "No sensitivity on the mass axis (not drawn): Z invisible width" in notes(fig)
    assert not any("Z invisible width" in t for t in legend_texts(fig))


def test_the_library_never_selects_a_backend() -> None:
    code = (
        "import matplotlib\n"
        "matplotlib.use('svg')\n"
        "import nudipole.cli.main, nudipole.plotting.far_plots, nudipole.plotting.reach_plots\n"
        "from nudipole.limits import load_catalogue\n"
        "from nudipole.model import Flavour\n"
        "from nudipole.plotting.landscape import plot_landscape\n"
        "plot_landscape([Flavour.E], load_catalogue().paper_set(), [])\n"
        "assert matplotlib.get_backend() == 'svg', matplotlib.get_backend()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _make_figures() -> Any:
    """docs/make_figures.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("make_figures", ROOT / "docs/make_figures.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_figure_in_readme_and_docs_is_made_by_make_figures() -> None:
    module = _make_figures()
    made = {name for _, name, _ in module.FIGURES}
    shown = set()
    for md in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        shown |= set(re.findall(r"img/([\w.-]+\.png)", md.read_text("utf-8")))
    assert shown
    assert shown <= made, f"not made by docs/make_figures.py: {sorted(shown - made)}"
    stored = {p.name for p in (ROOT / "docs/img").glob("*.png")}
    assert stored <= made, f"stale images nobody remakes: {sorted(stored - made)}"


def test_the_universal_panel_draws_every_limit_and_the_tau_panel_its_own(
    figures: dict[str, Figure],
) -> None:
    """d_e = d_mu = d_tau = d: a limit on any single d_k bounds d, so the universal panel
    shows every limit of the set (flavour-specific ones named with their flavour)."""
    universal, tau = figures["lhc-llp"].axes[:2]
    paper = load_catalogue().paper_set()

    def shown(ax: Axes) -> set[str]:
        return {str(p.get_gid()) for p in ax.patches if str(p.get_gid()).startswith("limit:")}

    assert shown(universal) == {f"limit:{i}" for i in paper.ids()}
    assert shown(tau) == {f"limit:{i}" for i in paper.for_flavour(Flavour.TAU).ids()}
    assert "=" in universal.get_ylabel()
    assert "universal" in universal.get_title()
    texts = {t.get_text() for t in names(universal)}
    assert any("LSND" in t and "d_{e}" in t for t in texts)
    assert r"\tau" in tau.get_ylabel()


def test_every_table_between_markers_is_written_by_make_figures() -> None:
    module = _make_figures()
    found = {}
    for md in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = md.read_text("utf-8")
        opened = re.findall(r"<!-- ([\w-]+) -->", text)
        closed = re.findall(r"<!-- /([\w-]+) -->", text)
        assert opened == closed, f"{md.name}: unmatched table markers"
        if opened:
            found[md.resolve()] = tuple(opened)
    written = {path.resolve(): tags for path, tags in module.TABLES.items()}
    assert found == written
