"""A relative background uncertainty per selection (issue 12 §3): read from the experiment
file, overridden by the caller, threaded through the scan, the events and the far-detector
CLs limit, and recorded in the result."""

from __future__ import annotations

import copy
import dataclasses
import math
import re
import tomllib
from typing import Any

import numpy as np
import pytest

import nudipole
from nudipole.api import collider_events
from nudipole.experiments import ExperimentError, builtin_text, load_experiment
from nudipole.experiments.registry import load_far_experiment
from nudipole.experiments.schema import experiment_from_dict
from nudipole.reach.far_presets import get_far_preset
from nudipole.reach.far_setup import signal_threshold
from nudipole.stats import DELTA_CHI2_95
from nudipole.stats.chi2 import chi2_q
from nudipole.stats.poisson import expected_signal_limit

KW: dict[str, Any] = {"preset": "paper", "selection": "bbg"}


def _belle2_with(value: Any) -> dict[str, Any]:
    data = copy.deepcopy(tomllib.loads(builtin_text("belle2")))
    data["selections"]["bbg"]["background_uncertainty"] = value
    return data


def test_builtin_selections_have_no_uncertainty() -> None:
    for name in ("belle2", "besiii", "stcf", "cepc-z"):
        exp = load_experiment(name)
        assert all(s.background_uncertainty == 0.0 for s in exp.selections.values())


def test_file_value_is_used_and_the_override_wins() -> None:
    exp = experiment_from_dict(_belle2_with(0.05), "edited.toml")
    assert exp.selection("bbg").background_uncertainty == 0.05
    from_file = nudipole.reach(exp, [1.0], **KW)
    given = nudipole.reach("belle2", [1.0], background_uncertainty=0.05, **KW)
    assert from_file.d95[0] == given.d95[0]
    assert from_file.inputs["conventions"]["background_uncertainty"] == 0.05
    stat_only = nudipole.reach(exp, [1.0], background_uncertainty=0.0, **KW)
    assert stat_only.d95[0] == nudipole.reach("belle2", [1.0], **KW).d95[0]
    assert stat_only.d95[0] < from_file.d95[0]


@pytest.mark.parametrize(
    ("value", "message"),
    [(-0.01, "must be >= 0.0"), (1.5, "must be <= 1.0"), ("5 %", "must be a number")],
)
def test_file_value_is_validated(value: Any, message: str) -> None:
    with pytest.raises(ExperimentError, match=re.escape(message)) as info:
        experiment_from_dict(_belle2_with(value), "edited.toml")
    assert "background_uncertainty" in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf, 1e300])
def test_api_refuses_bad_uncertainty(bad: float) -> None:
    with pytest.raises(ExperimentError, match="relative background uncertainty"):
        nudipole.reach("belle2", [1.0], background_uncertainty=bad, **KW)


def test_scan_solves_the_statistic_with_the_variance() -> None:
    """At d95 the events command (same integration) finds chi^2 = S^2/(S + B + (r B)^2) at
    the threshold, and the statistic-only limit moves as the closed form says."""
    r = 0.01
    res = nudipole.reach("belle2", [1.0], background_uncertainty=r, **KW)
    ev = collider_events(
        "belle2",
        1.0,
        float(res.d95[0]),
        preset="paper",
        selection="bbg",
        background_uncertainty=r,
    )[0]
    assert ev.statistic_value == pytest.approx(DELTA_CHI2_95, rel=1e-6)
    s, b = ev.passing, ev.background
    assert float(chi2_q(s, b, (r * b) ** 2)) == pytest.approx(DELTA_CHI2_95, rel=1e-6)
    # d95 is the root to the solver's tolerance (1e-10 in ln d^2), so exactly at d95 the
    # statistic may round to either side of the threshold; a step of 1e-8 decides
    for factor, excluded in ((1 + 1e-8, True), (1 - 1e-8, False)):
        near = collider_events(
            "belle2",
            1.0,
            float(res.d95[0]) * factor,
            preset="paper",
            selection="bbg",
            background_uncertainty=r,
        )[0]
        assert near.excluded is excluded


def test_poisson_statistic_needs_the_cls_signal() -> None:
    res = nudipole.reach("besiii", [1.0], statistic="poisson-cls", preset="paper")
    conv = res.inputs["conventions"]
    bkg = sum(p["background_irreducible"] + p["background_reducible"] for p in res.inputs["points"])
    assert conv["signal_events_required"] == pytest.approx(expected_signal_limit(bkg), rel=1e-12)
    ev = collider_events("besiii", 1.0, float(res.d95[0]), preset="paper", statistic="poisson-cls")[
        0
    ]
    assert ev.passing == pytest.approx(conv["signal_events_required"], rel=1e-6)
    # BESIII has about one background event: CLs needs more than the seed's chi^2 (2.7)
    assert 2.996 < conv["signal_events_required"] < 6.0


def test_uncertainty_weakens_every_statistic_monotonically() -> None:
    for stat in ("chi2", "asimov", "poisson-cls"):
        d = [
            nudipole.reach("belle2", [1.0], statistic=stat, background_uncertainty=r, **KW).d95[0]
            for r in (0.0, 0.01, 0.05)
        ]
        assert np.all(np.diff(d) > 0), (stat, d)


def test_poisson_statistic_refuses_huge_backgrounds() -> None:
    with pytest.raises(ExperimentError, match="poisson-cls is for few events") as info:
        nudipole.reach("belle2", [1.0], statistic="poisson-cls", selection="high-mass")
    assert "\n" not in str(info.value)


def test_published_limits_record_no_uncertainty() -> None:
    res = nudipole.reach("lep", [1.0], selection="opal", scenario="I")
    assert res.inputs["conventions"]["background_uncertainty"] is None


def test_far_detector_cls_threshold() -> None:
    """B = 0 (every built-in far detector): N >= 2.996 whatever the uncertainty; with a
    background the gamma-averaged CLs limit, and the paper preset stays at 3 events."""
    exp = load_far_experiment("faser2")
    default, paper = get_far_preset("default"), get_far_preset("paper")
    assert signal_threshold(exp.with_background_uncertainty(0.5), default) == pytest.approx(
        -math.log(0.05)
    )
    noisy = dataclasses.replace(exp, selection=dataclasses.replace(exp.selection, background=20.0))
    plain = signal_threshold(noisy, default)
    smeared = signal_threshold(noisy.with_background_uncertainty(0.3), default)
    assert smeared == pytest.approx(expected_signal_limit(20.0, uncertainty=0.3))
    assert smeared > plain
    assert signal_threshold(noisy.with_background_uncertainty(0.3), paper) == 3.0
    with pytest.raises(ExperimentError, match="--bkg-uncertainty"):
        exp.with_background_uncertainty(-1.0)
