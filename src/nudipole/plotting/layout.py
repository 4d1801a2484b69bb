"""Where legends and notes go: under the axes or the figure, never on the curves."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib as mpl
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure, SubFigure
from matplotlib.font_manager import FontProperties
from matplotlib.mathtext import MathTextParser
from matplotlib.text import Text
from matplotlib.textpath import text_to_path
from matplotlib.transforms import ScaledTranslation

#: Length of a legend swatch (font sizes): long enough to show a dash-dot pattern.
HANDLE_LENGTH = 4.0
#: Space between the bottom of an axes and its legend (points): clears ticks and x label.
LEGEND_DROP_PT = 34.0
#: Space between legend columns (font sizes).
COLUMN_SPACING = 1.5
#: Mean width of a character of the notes (DejaVu Sans), in units of the font size.
AVERAGE_CHAR_EM = 0.58
_NBSP = "\x00"
#: Resolution of the saved raster figures (dots per inch); :func:`bare_figure` lays them out
#: at it too.
SAVE_DPI = 150


#: The mathtext parser of every renderer of :class:`_AggCanvas` (matplotlib keeps the parses
#: of each parser, its last 50, and gives each renderer a parser of its own).
_MATHTEXT = MathTextParser("path")


class _AggCanvas(FigureCanvasAgg):
    """matplotlib's Agg canvas whose renderers share one mathtext parser (:data:`_MATHTEXT`):
    each figure no longer parses its tick labels and mathtext labels again (a parse is
    5-15 ms), 0.3 s of CPU less for the four figures of ``nudipole headline``, measured,
    the same images to the byte."""

    def get_renderer(self) -> RendererAgg:
        renderer: RendererAgg = super().get_renderer()  # type: ignore[no-untyped-call]
        renderer.mathtext_parser = _MATHTEXT
        return renderer


def bare_figure(figsize: tuple[float, float]) -> Figure:
    """A figure with a constrained layout, made without pyplot (the library never touches the
    user's backend or any global state), at :data:`SAVE_DPI` and on an Agg canvas of its own.

    matplotlib keeps the sizes of texts per renderer, and a figure on the default canvas gets
    a new renderer for each layout pass (:func:`settle_layout`) and another for saving: every
    text, mathtext parsed again, was measured two or three times. On its own Agg canvas at
    the resolution it is saved at, the layout, the drawing and the PNG share one renderer:
    the LHC far figure's drawing and PNG 0.80 -> 0.51 s (measured). Its renderers share one
    mathtext parser with those of the other bare figures (:class:`_AggCanvas`). PDF and SVG
    are written as before (``savefig`` lends the figure their canvas)."""
    fig = Figure(figsize=figsize, dpi=SAVE_DPI, layout="constrained")
    _AggCanvas(fig)
    return fig


def freeze_layout(fig: Figure) -> None:
    """Keep every axes of ``fig`` where its last layout put it (names placed inside regions
    need those positions): no layout engine from now on, so that saving draws the figure
    once. matplotlib's ``"none"`` placeholder would keep them too, but ``savefig`` still
    draws a figure with any engine twice (0.1-0.15 s more for the LHC far figure, the same
    image); it is used where the user's rcParams (``figure.autolayout``,
    ``figure.constrained_layout.use``) would turn no engine back into one."""
    if mpl.rcParams["figure.autolayout"] or mpl.rcParams["figure.constrained_layout.use"]:
        fig.set_layout_engine("none")
    else:
        fig.set_layout_engine(None)


def settle_layout(fig: Figure) -> None:
    """Give every axes of ``fig`` its final position by running the figure's layout engine
    once, without drawing (a figure without one keeps its positions): what names placed
    inside regions or at the tips of curves need before the figure is saved.

    ``Figure.draw_without_rendering`` does the same and then walks every artist as a draw
    would (0.15 s more for the LHC far figure, whose artists are hundreds of region
    polygons); the figures are the same to the pixel (compared for the landscape and the LHC
    far figure)."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)


def legend_below(
    ax: Axes,
    handles: Sequence[Artist] | None = None,
    labels: Sequence[str] | None = None,
    fontsize: float = 6.0,
    ncol: int = 2,
) -> None:
    """The axes' legend under its x label, centred, off every curve and region.

    Parameters
    ----------
    ax
        The axes (in a figure with a constrained layout, which makes room for the legend).
    handles, labels
        The entries; the axes' own if not given.
    fontsize
        Font size (points).
    ncol
        Most columns: fewer if the columns would not fit in the figure's width.
    """
    fig = ax.figure
    assert fig is not None
    if handles is None or labels is None:
        handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    width_pt = fig.bbox.width / fig.dpi * 72.0
    ncol = columns_that_fit(labels, fontsize, width_pt, ncol, fig)
    drop = ScaledTranslation(0.0, -LEGEND_DROP_PT / 72.0, fig.dpi_scale_trans)
    ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        bbox_transform=ax.transAxes + drop,
        ncol=ncol,
        fontsize=fontsize,
        handlelength=HANDLE_LENGTH,
        frameon=False,
        borderaxespad=0.0,
        columnspacing=COLUMN_SPACING,
    )


def columns_that_fit(
    labels: Sequence[str],
    fontsize: float,
    width_pt: float,
    most: int,
    fig: Figure | SubFigure | None = None,
) -> int:
    """How many legend columns of these labels fit in ``width_pt`` points (at least one).

    Parameters
    ----------
    labels
        Legend texts (mathtext allowed).
    fontsize
        Their font size (points).
    width_pt
        Width available (points).
    most
        Upper bound on the number of columns.
    fig
        The figure the legend goes in: on an Agg canvas (:func:`bare_figure`) the labels
        are measured by its renderer, which keeps their sizes for the legend's own layout
        (otherwise, and for other figures, by matplotlib's text-to-path at 72 dpi, whose
        parses of mathtext no renderer shares).

    Returns
    -------
    int
        The number of columns.
    """
    prop = FontProperties(size=fontsize)
    if fig is not None and isinstance(fig.canvas, FigureCanvasAgg):
        renderer = fig.canvas.get_renderer()  # type: ignore[no-untyped-call]
        widest = max(
            Text(text=lab, fontproperties=prop, figure=fig).get_window_extent(renderer).width
            for lab in labels
        ) * (72.0 / fig.dpi)
    else:
        widest = max(
            text_to_path.get_text_width_height_descent(lab, prop, ismath="$" in lab)[0]
            for lab in labels
        )
    # Swatch, pad between swatch and text, space between columns (legend defaults, in em).
    column = widest + (HANDLE_LENGTH + 0.8 + COLUMN_SPACING) * fontsize
    return max(1, min(most, int((0.98 * width_pt) // column)))


def _wrap(text: str, width: int) -> str:
    """``textwrap.fill`` that never breaks inside mathtext ($...$)."""
    parts = text.split("$")
    # Odd parts are inside $...$: protect their spaces.
    joined = "$".join(p.replace(" ", _NBSP) if i % 2 else p for i, p in enumerate(parts))
    return textwrap.fill(
        joined, width=width, subsequent_indent="  ", break_long_words=False
    ).replace(_NBSP, " ")


def add_notes(fig: Figure, notes: Sequence[str], fontsize: float = 7.0) -> None:
    """Notes under the whole figure (inside its layout), each wrapped to the figure's width.

    Parameters
    ----------
    fig
        The figure (with a constrained layout, which makes room for the notes).
    notes
        One paragraph per note.
    fontsize
        Font size in points.
    """
    if not notes:
        return
    width = max(40, int(fig.get_figwidth() * 72.0 / (AVERAGE_CHAR_EM * fontsize)))
    lines = [_wrap(note, width) for note in notes]
    fig.supxlabel("\n".join(lines), fontsize=fontsize, color="0.25", x=0.01, ha="left")
