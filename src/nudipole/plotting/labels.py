"""Words on the figures: curve labels that state sqrt(s) and the luminosity, and the notes
that explain the abbreviations a reader meets in a legend or a title."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from nudipole.reach.result import ReachResult

_LUMI_UNITS = {"pb": "pb", "fb": "fb", "ab": "ab"}
#: A luminosity written in a label: "30/ab", "10 ab$^{-1}$", "27 fb⁻¹".
_HAS_LUMI = re.compile(r"\d\s*(/\s*(ab|fb|pb)\b|(ab|fb|pb)\s*(\$\^\{-1\}\$|⁻¹|\^-1))")
#: An energy written in a label: "4 GeV", "14 TeV", "sqrt(s)".
_HAS_ENERGY = re.compile(r"(\d\s*(GeV|TeV)\b|sqrt)")
#: A trailing "[preset]" of a label.
_PRESET = re.compile(r"\s*\[[^\]]*\]\s*$")

#: Abbreviations of the recipes' labels and titles, and what they mean (seed = Zhang, Song,
#: Ding, Chen, PLB 829 (2022) 137116, arXiv:2204.07802).
GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "gBG",
        "gBG: the Belle II gap background (photons of SM events lost in the ECL gaps), "
        "300 (low-mass) or 25000 (high-mass) events per 20 fb$^{-1}$",
    ),
    (
        "bBG",
        "bBG cut: $E_\\gamma$ above the largest energy an SM photon can have when everything "
        "else escapes along the beams, outside the ECL (seed Eqs. 8-9)",
    ),
    (
        "advanced cuts",
        "advanced cuts: BESIII basic photon cuts plus the boundary cut of seed Eq. 14",
    ),
    ("seed", "seed: Zhang, Song, Ding, Chen, PLB 829 (2022) 137116, arXiv:2204.07802"),
)


def format_luminosity(text: str) -> str:
    """``"50/ab"`` -> ``"50 ab$^{-1}$"`` (mathtext); other text is returned unchanged.

    Parameters
    ----------
    text
        A luminosity as the results store it (number/unit).

    Returns
    -------
    str
        The luminosity as a figure writes it.
    """
    number, _, unit = text.partition("/")
    if unit in _LUMI_UNITS and number:
        return f"{number} {_LUMI_UNITS[unit]}$^{{-1}}$"
    return text


def _format_energy(values: list[float]) -> str:
    lo, hi = min(values), max(values)
    if hi >= 1000.0:
        return f"$\\sqrt{{s}}$ = {lo / 1000.0:g} TeV"
    if hi - lo <= 1e-9 * hi:
        return f"$\\sqrt{{s}}$ = {lo:g} GeV"
    return f"$\\sqrt{{s}}$ = {lo:.4g}–{hi:.4g} GeV"


def beam_and_luminosity(result: ReachResult) -> tuple[str, str]:
    """The centre-of-mass energy and the luminosity of ``result``, as figure text.

    Parameters
    ----------
    result
        A reach result (e+e- or far detector).

    Returns
    -------
    tuple of str
        ``(energy, luminosity)``; the luminosity is empty for a published analysis, where none
        enters (LEP cross-section and width limits); either is empty if the inputs lack it.
    """
    return inputs_beam_and_luminosity(result.inputs)


def inputs_beam_and_luminosity(inp: Mapping[str, Any]) -> tuple[str, str]:
    """:func:`beam_and_luminosity` of a result's ``inputs`` (before the result exists: the
    legend of a figure laid out while its curves are computed)."""
    energies: list[float] = []
    points = inp.get("points")
    if isinstance(points, list):
        energies = [float(p["sqrt_s"]) for p in points if isinstance(p, dict) and "sqrt_s" in p]
    elif isinstance(inp.get("sqrt_s"), int | float):
        energies = [float(inp["sqrt_s"])]
    energy = _format_energy(energies) if energies else ""
    limit = inp.get("limit")
    published = isinstance(limit, dict) and limit.get("type", "counting") != "counting"
    lumi = inp.get("total_luminosity")
    luminosity = "" if published or not isinstance(lumi, str) else format_luminosity(lumi)
    return energy, luminosity


def curve_label(label: str, result: ReachResult) -> str:
    """``label`` with the centre-of-mass energy and the luminosity of ``result`` added where
    the label does not state them (before a trailing ``[preset]``).

    Parameters
    ----------
    label
        The curve's name, e.g. ``"Belle II 50/ab low-mass (gBG incl.) [paper]"``.
    result
        The result the curve draws.

    Returns
    -------
    str
        E.g. ``"Belle II 50/ab low-mass (gBG incl.), $\\sqrt{s}$ = 10.58 GeV [paper]"``; a
        published analysis says so instead of a luminosity.
    """
    return inputs_curve_label(label, result.inputs)


def inputs_curve_label(label: str, inp: Mapping[str, Any]) -> str:
    """:func:`curve_label` of a result's ``inputs``."""
    match = _PRESET.search(label)
    head, tail = (label[: match.start()], label[match.start() :]) if match else (label, "")
    energy, luminosity = inputs_beam_and_luminosity(inp)
    extra = []
    if energy and not _HAS_ENERGY.search(head):
        extra.append(energy)
    limit = inp.get("limit")
    if isinstance(limit, dict) and limit.get("type", "counting") != "counting":
        extra.append("published limit")
    elif luminosity and not _HAS_LUMI.search(head):
        extra.append(luminosity)
    return ", ".join([head, *extra]) + tail


def glossary_notes(texts: Iterable[str]) -> list[str]:
    """The :data:`GLOSSARY` entries whose abbreviation occurs in any of ``texts``.

    Parameters
    ----------
    texts
        Legend labels and titles of a figure.

    Returns
    -------
    list of str
        One explanation per abbreviation used, in :data:`GLOSSARY` order.
    """
    joined = "\n".join(texts)
    return [note for word, note in GLOSSARY if re.search(rf"\b{re.escape(word)}\b", joined)]
