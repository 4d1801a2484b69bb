"""Reach curves d95(m_N) on log axes, ready for a paper."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nudipole.io.results import write_atomic
from nudipole.plotting.labels import curve_label, glossary_notes
from nudipole.plotting.layout import (
    SAVE_DPI,
    add_notes,
    bare_figure,
    legend_below,
)
from nudipole.plotting.log_ticks import trim_log_ticks
from nudipole.reach.result import ReachResult

LINESTYLES = {"paper": "-", "default": "--"}
#: What each preset's line style stands for, in the figure's note.
PRESET_NOTES = {
    "paper": "paper preset (isotropic photon, fixed decay length, as the seed)",
    "default": "default preset (spin-correlated photon, decay vertex in the laboratory)",
}
_STYLE_NAMES = {"-": "solid", "--": "dashed", ":": "dotted"}


def plot_curves(
    curves: Sequence[tuple[ReachResult, str, str]],
    title: str = "",
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    systematics: Sequence[ReachResult | None] | None = None,
) -> Figure:
    """Reach curves d95(m_N) of one-sided (collider) results on log axes.

    Parameters
    ----------
    curves
        ``(result, label, colour)``; the preset sets the line style (paper: solid, default:
        dashed). The legend adds sqrt(s) and the luminosity where the label lacks them.
    title
        Axes title.
    xlim, ylim
        Axes ranges (GeV, GeV^-1); automatic if not given.
    systematics
        One entry per curve: the same curve with a relative background uncertainty (its
        ``inputs.conventions.background_uncertainty``), drawn as a band shaded in the curve's
        colour from the curve (statistics only) to it; None for no band.

    Returns
    -------
    Figure
        A bare figure (no pyplot, no backend chosen). The legend sits under the axes; a note
        says what the line styles mean when more than one preset is drawn, and explains the
        abbreviations of the labels.
    """
    fig = bare_figure((6.4, 6.2))
    ax = fig.subplots()
    presets: list[str] = []
    texts = [title]
    uncertainties: list[float] = []
    bands = list(systematics) if systematics is not None else [None] * len(curves)
    if len(bands) != len(curves):
        raise ValueError(f"{len(bands)} systematics results for {len(curves)} curves")
    for (result, label, color), band in zip(curves, bands, strict=True):
        preset = str(result.inputs.get("preset", "default")).split("[")[0]
        if preset not in presets:
            presets.append(preset)
        ok = ~np.isnan(result.d95)
        ax.plot(
            result.mass[ok],
            result.d95[ok],
            color=color,
            linestyle=LINESTYLES.get(preset, ":"),
            label=curve_label(f"{label} [{preset}]", result),
            gid=f"{result.inputs.get('experiment')}:{result.inputs.get('selection')}:{preset}",
        )
        if band is not None:
            _systematics_band(ax, result, band, color, preset)
            unc = band.inputs.get("conventions", {}).get("background_uncertainty")
            if unc is not None and unc not in uncertainties:
                uncertainties.append(float(unc))
        texts.append(label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$m_N$ [GeV]")
    ax.set_ylabel(r"$d$ [GeV$^{-1}$] (95% CL expected)")
    if xlim:
        ax.set_xlim(*xlim)
    if ylim:
        ax.set_ylim(*ylim)
    trim_log_ticks(ax)
    ax.grid(True, which="major", alpha=0.3)
    if title:
        ax.set_title(title, fontsize=10)
    legend_below(ax, fontsize=6.5, ncol=1 if len(curves) <= 4 else 2)
    notes = []
    if len(presets) > 1:
        notes.append(
            "; ".join(
                f"{_STYLE_NAMES.get(LINESTYLES.get(p, ':'), 'dotted')}: {PRESET_NOTES.get(p, p)}"
                for p in presets
            )
        )
    if uncertainties:
        shown = ", ".join(f"{100 * u:g} %" for u in uncertainties)
        notes.append(
            "shaded: from the statistics-only curve to the one with a relative background "
            f"uncertainty of {shown} (profiled, docs/conventions.md)"
        )
    add_notes(fig, [*notes, *glossary_notes(texts)], fontsize=6.5)
    return fig


def _systematics_band(
    ax: Axes, result: ReachResult, band: ReachResult, color: str, preset: str
) -> None:
    """Shade between d95 without (``result``) and with (``band``) a background uncertainty,
    at the masses where both have a limit; the two results must share their masses."""
    if band.mass.shape != result.mass.shape or not np.allclose(band.mass, result.mass):
        raise ValueError("a systematics band needs the masses of its statistics-only curve")
    ok = np.isfinite(result.d95) & np.isfinite(band.d95)
    ax.fill_between(
        result.mass[ok],
        result.d95[ok],
        band.d95[ok],
        color=color,
        alpha=0.18,
        linewidth=0.0,
        gid=f"band:{result.inputs.get('experiment')}:{result.inputs.get('selection')}:{preset}",
    )


FORMATS = ("pdf", "png", "svg")
#: zlib level of the PNG files :func:`save_figure` writes: 3 instead of Pillow's 6 writes
#: the headline's four figures in 0.07 s less (of about 0.25 s; best of five on this
#: project's machine: the three-panel LHC far figure 96 -> 69 ms), with files within 3 % of
#: the size (552 against 535 kB; 159 against 173 kB for Belle II) and the same pixels.
PNG_COMPRESS_LEVEL = 3


def save_figure(fig: Figure, path: str | Path) -> None:
    """Save a figure (format from the suffix: pdf, png, svg) atomically."""
    fmt = Path(path).suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValueError(f"cannot write {str(path)!r}: use a .pdf, .png or .svg file name")
    buffer = io.BytesIO()
    # Pillow's zlib level for PNG (PNG_COMPRESS_LEVEL); the other formats take no such option
    if fmt == "png":
        fig.savefig(
            buffer, format=fmt, dpi=SAVE_DPI, pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL}
        )
    else:
        fig.savefig(buffer, format=fmt, dpi=SAVE_DPI)
    write_atomic(path, buffer.getvalue())
