"""Layout helpers of the figures (nudipole.plotting.layout)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np


def test_settled_layout_is_the_one_a_draw_gives() -> None:
    """settle_layout gives each axes the position a full draw without rendering gives it
    (the layout engine alone, without walking every artist); a figure without an engine
    keeps its positions."""
    from matplotlib.figure import Figure

    from nudipole.plotting.layout import settle_layout

    def figure(layout: Literal["constrained"] | None) -> Figure:
        fig = Figure(figsize=(8, 4), layout=layout)
        for ax in fig.subplots(1, 2):
            ax.set_xscale("log")
            ax.set_xlim(1e-3, 10)
            ax.set_ylabel(r"$d_{\tau}$ [GeV$^{-1}$]")
            ax.set_title("a panel title")
            ax.fill_between([1e-2, 1.0], [0.2, 0.4], [0.6, 0.9], label="a limit")
        fig.legend(loc="outside lower center")
        return fig

    settled, drawn = figure("constrained"), figure("constrained")
    before = [ax.get_position().bounds for ax in settled.axes]
    settle_layout(settled)
    drawn.draw_without_rendering()
    after = [ax.get_position().bounds for ax in settled.axes]
    assert after != before
    np.testing.assert_allclose(after, [ax.get_position().bounds for ax in drawn.axes], atol=1e-12)
    plain = figure(None)
    kept = [ax.get_position().bounds for ax in plain.axes]
    settle_layout(plain)
    assert [ax.get_position().bounds for ax in plain.axes] == kept


def test_bare_figure_measures_and_saves_with_one_renderer() -> None:
    """A bare figure is at the resolution it is saved at, on its own Agg canvas: its layout
    and its PNG use the same renderer (which keeps the sizes of its texts), and PDF or SVG
    output leaves that canvas in place."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from nudipole.plotting.layout import SAVE_DPI, bare_figure, settle_layout

    fig = bare_figure((4.0, 3.0))
    assert fig.dpi == SAVE_DPI
    assert isinstance(fig.canvas, FigureCanvasAgg)
    ax = fig.subplots()
    ax.set_ylabel(r"$d_{\mu}$ [GeV$^{-1}$]")
    settle_layout(fig)
    renderer = fig.canvas.get_renderer()  # type: ignore[no-untyped-call]
    for fmt in ("png", "pdf", "svg"):
        fig.savefig(io.BytesIO(), format=fmt, dpi=SAVE_DPI)
        assert isinstance(fig.canvas, FigureCanvasAgg)
    assert fig.canvas.get_renderer() is renderer  # type: ignore[no-untyped-call]


def test_frozen_layout_keeps_the_axes_and_draws_once() -> None:
    """freeze_layout leaves no layout engine (savefig then draws once) and the axes where the
    last layout put them, at any resolution; where the user's rcParams would turn no engine
    into one, matplotlib's placeholder keeps them instead."""
    import io

    import matplotlib as mpl
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    from nudipole.plotting.layout import bare_figure, freeze_layout, settle_layout

    def laid_out() -> tuple[object, list[tuple[float, ...]]]:
        fig = bare_figure((4.0, 3.0))
        ax = fig.subplots()
        ax.set_title("a title")
        ax.set_xlabel(r"$m_N$ [GeV]")
        settle_layout(fig)
        return fig, [tuple(a.get_position().bounds) for a in fig.axes]

    fig, where = laid_out()
    freeze_layout(fig)  # type: ignore[arg-type]
    assert fig.get_layout_engine() is None  # type: ignore[attr-defined]
    draws = []
    fig.figure.draw = lambda r, real=fig.draw: draws.append(r) or real(r)  # type: ignore[attr-defined]
    fig.savefig(io.BytesIO(), format="png", dpi=60)  # type: ignore[attr-defined]
    assert len(draws) == 1
    assert [tuple(a.get_position().bounds) for a in fig.axes] == where  # type: ignore[attr-defined]
    for rc in ({"figure.autolayout": True}, {"figure.constrained_layout.use": True}):
        with mpl.rc_context(rc):
            fig, where = laid_out()
            freeze_layout(fig)  # type: ignore[arg-type]
            assert isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine)  # type: ignore[attr-defined]
            fig.savefig(io.BytesIO(), format="png", dpi=60)  # type: ignore[attr-defined]
            assert [tuple(a.get_position().bounds) for a in fig.axes] == where  # type: ignore[attr-defined]


def test_legend_columns_measured_by_the_figure_agree_with_text_to_path() -> None:
    """columns_that_fit measures the labels with a bare figure's renderer (whose sizes the
    legend then reuses) or, without a figure, with text-to-path at 72 dpi: the widest label
    agrees to 1 %, and the column counts of the headline's legends are the same."""
    from nudipole.plotting.layout import bare_figure
    from nudipole.plotting.layout import columns_that_fit as fit

    labels = [
        "Borexino (90% CL) [arXiv:2007.15563]",
        r"Belle II 50/ab low-mass (gBG incl.), $\sqrt{s}$ = 10.58 GeV [paper]",
        r"STCF $\sqrt{s}$ = 4 GeV, 10 ab$^{-1}$ [default]",
    ]
    fig = bare_figure((19.8, 7.2))
    for fontsize in (6.0, 7.0):
        for width in (200.0, 450.0, 700.0, 1000.0, 1425.6):
            assert fit(labels, fontsize, width, 4, fig) == fit(labels, fontsize, width, 4)
        # the width from which two columns fit, 2 (widest label + swatch and spacing) / 0.98,
        # by either measure: within 1 %
        widths = np.linspace(50.0, 900.0, 3401)
        by_fig = next(w for w in widths if fit(labels, fontsize, w, 2, fig) > 1)
        by_path = next(w for w in widths if fit(labels, fontsize, w, 2) > 1)
        assert abs(by_fig - by_path) <= 0.01 * by_path


def test_bare_figures_share_one_mathtext_parser_and_draw_the_same_pixels() -> None:
    """The renderers of every bare figure parse mathtext with one parser (whose parses
    matplotlib keeps), and a figure drawn so is the same, to the byte, as on matplotlib's own
    Agg canvas."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from nudipole.plotting.layout import SAVE_DPI, bare_figure

    def drawn(own_canvas: bool) -> tuple[bytes, object]:
        fig = bare_figure((4.0, 3.0))
        if own_canvas:
            FigureCanvasAgg(fig)
        ax = fig.subplots()
        ax.set_xscale("log")
        ax.set_xlim(1e-3, 10.0)
        ax.set_xlabel(r"$m_N$ [GeV]")
        ax.set_ylabel(r"$d_{\tau}$ [GeV$^{-1}$]")
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=SAVE_DPI)
        return out.getvalue(), fig.canvas.get_renderer().mathtext_parser  # type: ignore[no-untyped-call]

    first, parser = drawn(False)
    second, again = drawn(False)
    plain, own = drawn(True)
    assert parser is again
    assert own is not parser
    assert first == second == plain


def _zlib_levels(png: bytes) -> list[int]:
    """FLEVEL (RFC 1950: 0 fastest, 1 fast, 2 default, 3 best) of the zlib stream of each
    PNG image-data chunk."""
    import struct

    levels, pos = [], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        if kind == b"IDAT" and not levels:  # the stream's header is in its first chunk
            levels.append(png[pos + 9] >> 6)
        pos += 12 + length
    return levels


def test_png_written_at_the_faster_zlib_level_with_the_same_pixels(tmp_path: Path) -> None:
    """save_figure writes PNG at PNG_COMPRESS_LEVEL (zlib's "fast" class, FLEVEL 1, where
    Pillow's default 6 is FLEVEL 2): the same pixels as matplotlib's own PNG of the figure."""
    import io

    from PIL import Image

    from nudipole.plotting.layout import SAVE_DPI, bare_figure
    from nudipole.plotting.reach_plots import PNG_COMPRESS_LEVEL, save_figure

    assert 2 <= PNG_COMPRESS_LEVEL <= 5  # zlib's "fast" class
    fig = bare_figure((4.0, 3.0))
    ax = fig.subplots()
    ax.loglog([1e-3, 10.0], [1e-6, 1e-2], label=r"$\sqrt{s}$ = 10.58 GeV")
    ax.legend()
    path = tmp_path / "f.png"
    save_figure(fig, path)
    ours = path.read_bytes()
    default = io.BytesIO()
    fig.savefig(default, format="png", dpi=SAVE_DPI)
    assert _zlib_levels(ours) == [1]
    assert _zlib_levels(default.getvalue()) == [2]
    a = np.asarray(Image.open(io.BytesIO(ours)))
    b = np.asarray(Image.open(io.BytesIO(default.getvalue())))
    assert a.shape == b.shape
    assert np.array_equal(a, b)
