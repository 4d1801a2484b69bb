"""Checks shared by the two halves of the Python API (:mod:`nudipole.api`,
:mod:`nudipole.far_api`): each turns a bad value into one :class:`ExperimentError` line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TypeVar

import numpy as np

from nudipole.experiments import Experiment, ExperimentError
from nudipole.experiments.schema import Selection
from nudipole.physics._types import FloatArray
from nudipole.reach.collider_events import has_energy
from nudipole.reach.scan_setup import (
    RANDOM_SAMPLERS,
    SAMPLERS,
    IntegrationOptions,
    selection_points,
)
from nudipole.units import parse_luminosity

E = TypeVar("E", bound=StrEnum)


def choice(kind: type[E], value: str | E, what: str, allowed: Iterable[E] | None = None) -> E:
    """``value`` as a member of the enum ``kind`` (a convention such as the statistic); an
    ExperimentError naming ``what``, the value and the choices (``allowed``, by default every
    member) if it is none of them."""
    options = list(kind) if allowed is None else list(allowed)
    try:
        member = kind(value)
    except (ValueError, TypeError):
        member = None
    if member is None or member not in options:
        raise ExperimentError(
            f"{what} {value!r}: choose one of {', '.join(o.value for o in options)}"
        )
    return member


def number(value: object, what: str, unit: str) -> float:
    """``value`` as a float (a number, or a string of one); ExperimentError naming ``what``
    and the ``unit`` expected if it is neither (its range is checked where it is used). A
    ``unit`` in brackets is a note on a number that has none, e.g. "(a ratio)"."""
    if not isinstance(value, bool):
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            pass
    # a unit, or a note in brackets where the number has none
    raise ExperimentError(
        f"{what} {value!r}: give a number {unit if unit.startswith('(') else 'in ' + unit}"
    )


def optional_number(value: object, what: str, unit: str) -> float | None:
    """:func:`number`, with None (not given) passed through."""
    return None if value is None else number(value, what, unit)


def coupling_numbers(a: object, sin2w: object) -> tuple[float | None, float | None]:
    """``a`` = d_W/d_B and sin^2(theta_w) as numbers (None where not given): an
    ExperimentError naming the one that is not a number (their ranges are checked by the
    coupling models)."""
    return (
        optional_number(a, "a", "(a = d_W/d_B; inf for d_B = 0)"),
        optional_number(sin2w, "sin2w", "(sin^2(theta_w), about 0.23)"),
    )


def checked_progress(progress: object) -> None:
    """ExperimentError unless ``progress`` is None or callable (it is called with the number
    of masses done since its last call)."""
    if progress is not None and not callable(progress):
        raise ExperimentError(
            f"progress {progress!r}: give a function of one argument (the masses done since "
            "its last call), or None"
        )


def masses_array(masses: object) -> FloatArray:
    """Masses (a number or a flat sequence of numbers, GeV) as a float array; ExperimentError
    if they are not numbers or have more than one dimension (their range is checked by the
    scans)."""
    if isinstance(masses, str | bytes | dict | set | bool):
        raise ExperimentError(f"masses {masses!r}: give a list of numbers in GeV")
    try:
        out = np.asarray(masses, dtype=float)
    except (TypeError, ValueError):
        raise ExperimentError(f"masses {masses!r}: give a list of numbers in GeV") from None
    if out.ndim > 1:
        raise ExperimentError(
            f"masses of shape {out.shape}: give a flat list of numbers in GeV (one curve per "
            "call; reach_many for several)"
        )
    return out


def luminosity_pb(lumi: str | float) -> float:
    """A luminosity ("30/ab" or a number in pb^-1) in pb^-1, validated."""
    if isinstance(lumi, str):
        return parse_luminosity(lumi)
    value = number(lumi, "luminosity", "pb^-1 (or a string such as '30/ab')")
    if not (value > 0.0 and np.isfinite(value)):
        raise ExperimentError(f"luminosity must be a positive, finite number, got {value} pb^-1")
    return value


def checked_workers(workers: int | None) -> int | None:
    """``workers`` checked (:func:`nudipole._parallel.check_workers`); ExperimentError if
    it is not a whole number of threads."""
    from nudipole._parallel import check_workers

    try:
        check_workers(workers)
    except ValueError as err:
        raise ExperimentError(str(err)) from None
    return workers


def check_counted_options(
    exp: Experiment,
    selections: Sequence[str | None],
    lumi: object,
    statistic: object,
    background_uncertainty: float | None,
    photon: Mapping[str, object] | None = None,
) -> None:
    """Refuse the luminosity, the statistic and the background uncertainty for selections
    that are all published limits (LEP: a cross section, a branching ratio, a measured cross
    section or the Z width, :class:`~nudipole.experiments.schema.LimitSpec`), which use none
    of them: only a counted limit (signal and background events) does.

    ``photon``: the settings of N's decay and of the acceptance integration that were given
    (keyword: value; None or absent when not given: ``photon_angular``, ``decay_model``,
    ``nature``, ``sampler``), refused for selections that are all the Z invisible width,
    which counts every Z -> nu N whatever becomes of it (no photon, no acceptance; a Majorana
    N changes the decays, not the production)."""
    chosen = [exp.selection(name) for name in selections]
    if len(chosen) == 1:
        selection_points(exp, chosen[0])  # an analysis at another energy: that error first
    else:  # several (events): those that analyse an energy of the run, as the events do
        chosen = [sel for sel in chosen if has_energy(exp, sel)]
    if not chosen or any(sel.limit.type == "counting" for sel in chosen):
        return
    _check_width_options(exp, chosen, photon or {})
    given = [
        f"{name} (--{flag})"
        for name, flag, value in (
            ("lumi", "lumi", lumi),
            ("statistic", "statistic", statistic),
            # (0 is what a published limit has: nothing would be ignored)
            ("background_uncertainty", "bkg-uncertainty", background_uncertainty or None),
        )
        if value is not None
    ]
    if given:
        kinds = ", ".join(sorted({f"{sel.name} ({sel.limit.type})" for sel in chosen}))
        what = (
            f"selection {kinds} is a published limit"
            if len(chosen) == 1
            else f"selections {kinds} are published limits"
        )
        verb, them = ("applies", "it") if len(given) == 1 else ("apply", "them")
        raise ExperimentError(
            f"{exp.title} {what}: {', '.join(given)} {verb} only to counted limits (signal and "
            f"background events); drop {them}"
        )


def photon_settings(
    photon_angular: object, decay_model: object, nature: object, sampler: object
) -> dict[str, object]:
    """The settings of N's decay and of the acceptance integration by keyword (None where not
    given; the sampler ``rules`` is the default), for :func:`check_counted_options`."""
    return {
        "photon_angular": photon_angular,
        "decay_model": decay_model,
        "nature": nature,
        "sampler": sampler,
    }


def _check_width_options(
    exp: Experiment, chosen: Sequence[Selection], photon: Mapping[str, object]
) -> None:
    """The ``photon`` settings (:func:`check_counted_options`) refused where every selection
    of ``chosen`` is the Z invisible width."""
    if any(sel.limit.type != "z-invisible-width" for sel in chosen):
        return
    given = [
        f"{name} (--{name.replace('_', '-')})"
        for name, value in photon.items()
        if value is not None and not (name == "sampler" and value == "rules")
    ]
    if given:
        verb, them = ("applies", "it") if len(given) == 1 else ("apply", "them")
        raise ExperimentError(
            f"{exp.title} selection {chosen[0].name} is the Z invisible width, which counts "
            f"every Z -> nu N whatever N does next: {', '.join(given)} {verb} only to N's "
            f"decays and photons; drop {them}"
        )


def integration_given(sampler: str, n_events: int, seed: int) -> dict[str, object]:
    """The e+ e- integration settings that differ from :class:`IntegrationOptions`' defaults
    (the Python API's keywords have those defaults, so these were given)."""
    base = IntegrationOptions()
    values = {"sampler": sampler, "n_events": n_events, "seed": seed}
    return {name: value for name, value in values.items() if value != getattr(base, name)}


def integration_options(
    sampler: str, n_events: int, seed: int, workers: int | None
) -> IntegrationOptions:
    """The e+ e- integration options; ``n_events`` and ``seed`` other than their defaults
    are refused with a deterministic sampler (rules, quadrature), which would ignore them."""
    if sampler in SAMPLERS and sampler not in RANDOM_SAMPLERS:
        given = [
            f"{name}={value!r}"
            for name, value in integration_given(sampler, n_events, seed).items()
            if name != "sampler"
        ]
        if given:
            it = "it" if len(given) == 1 else "them"
            raise ExperimentError(
                f"{', '.join(given)}: only the random samplers (sampler 'mc' or 'sobol') use "
                f"{it}; sampler {sampler!r} is deterministic"
            )
    return IntegrationOptions(sampler=sampler, n_events=n_events, seed=seed, workers=workers)
