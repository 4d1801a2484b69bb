"""Reach curves d95(m_N) on log axes, ready for a paper."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from nudipole.io.results import write_atomic
from nudipole.reach.result import ReachResult

LINESTYLES = {"paper": "-", "default": "--"}


def plot_curves(
    curves: Sequence[tuple[ReachResult, str, str]],
    title: str = "",
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
) -> Figure:
    """Draw (result, label, colour) triples; the preset sets the line style
    (paper: solid, default: dashed). Returns the figure."""
    fig = Figure(figsize=(6.4, 4.8), layout="constrained")  # no pyplot: no global state
    ax = fig.subplots()
    for result, label, color in curves:
        preset = str(result.inputs.get("preset", "default")).split("[")[0]
        ok = ~np.isnan(result.d95)
        ax.plot(
            result.mass[ok],
            result.d95[ok],
            color=color,
            linestyle=LINESTYLES.get(preset, ":"),
            label=f"{label} [{preset}]",
            gid=f"{result.inputs.get('experiment')}:{result.inputs.get('selection')}:{preset}",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$m_N$ [GeV]")
    ax.set_ylabel(r"$d$ [GeV$^{-1}$] (95% CL expected)")
    if xlim:
        ax.set_xlim(*xlim)
    if ylim:
        ax.set_ylim(*ylim)
    ax.grid(True, which="major", alpha=0.3)
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper right")
    ax.text(
        0.01,
        0.01,
        "solid: paper preset, dashed: default (spin-correlated, lab-frame decay)",
        transform=ax.transAxes,
        fontsize=6,
        color="0.4",
    )
    return fig


FORMATS = ("pdf", "png", "svg")


def save_figure(fig: Figure, path: str | Path) -> None:
    """Save a figure (format from the suffix: pdf, png, svg) atomically."""
    fmt = Path(path).suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValueError(f"cannot write {str(path)!r}: use a .pdf, .png or .svg file name")
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=150)
    write_atomic(path, buffer.getvalue())
