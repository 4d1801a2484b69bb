"""Bands of several flavours at once share the flavour-blind channels' rays
(:func:`nudipole.api.far_reach_flavours`) and equal the bands computed flavour by flavour."""

import numpy as np
import pytest

from nudipole.api import far_reach, far_reach_flavours
from nudipole.experiments.registry import load_definition
from nudipole.model import Flavour
from nudipole.production.meson_table import CHANNELS, channel_info
from nudipole.reach.far_couplings import PHOTON_SIGNAL
from nudipole.reach.far_presets import FAR_PRESETS
from nudipole.reach.far_scan import compute_far_reach
from nudipole.reach.far_shared import SharedRays, flavour_blind

MASSES = np.geomspace(0.002, 3.0, 7)


def test_neutral_mesons_are_flavour_blind_with_the_photon_coupling() -> None:
    blind = {c for c in CHANNELS if flavour_blind(c, PHOTON_SIGNAL)}
    assert blind == {c for c in CHANNELS if channel_info(c).kind != "charged-pseudoscalar"}
    assert {"pi0", "eta", "rho", "jpsi", "upsilon"} <= blind
    assert not {"pi", "K", "D", "Ds", "B"} & blind


@pytest.mark.parametrize("detector", ["faser2", "mapp2"])
def test_shared_bands_equal_the_bands_flavour_by_flavour(detector: str) -> None:
    shared = far_reach_flavours(detector, MASSES, preset="paper", error_estimate=True)
    assert list(shared) == list(Flavour)
    for flavour, got in shared.items():
        want = far_reach(detector, MASSES, preset="paper", flavour=flavour)
        for field in ("d95", "d95_upper", "d95_error", "acceptance"):
            np.testing.assert_allclose(
                getattr(got, field), getattr(want, field), rtol=1e-12, equal_nan=True
            )
        assert [e.side for e in got.band_ends] == [e.side for e in want.band_ends]
        assert [e.mass for e in got.band_ends] == pytest.approx(
            [e.mass for e in want.band_ends], rel=1e-12
        )
        got_events = got.inputs["events_at_d95_per_channel"]
        want_events = want.inputs["events_at_d95_per_channel"]
        assert got_events.keys() == want_events.keys()
        for channel, events in got_events.items():
            assert [e is None for e in events] == [e is None for e in want_events[channel]]
            assert [e for e in events if e is not None] == pytest.approx(
                [e for e in want_events[channel] if e is not None], rel=1e-12
            )


def test_the_blind_rays_are_computed_once_for_three_flavours() -> None:
    exp = load_definition("faser2")
    preset = FAR_PRESETS["paper"]
    store = SharedRays()
    for flavour in Flavour:
        compute_far_reach(
            exp, MASSES, preset, flavour=flavour, shared=store,  # type: ignore[arg-type]
            error_estimate=False, locate_ends=False,
        )  # fmt: skip
    # each mass's blind rays made once (or, at a mass skipped without a band, their bound)
    scanned = {mass for mass, _ in store.rays} | {mass for mass, _ in store.bounds}
    assert scanned == {float(m) for m in MASSES}


def test_shared_rays_refuse_another_detector() -> None:
    store = SharedRays()
    preset = FAR_PRESETS["paper"]
    compute_far_reach(load_definition("faser2"), MASSES[:2], preset, shared=store,  # type: ignore[arg-type]
                      error_estimate=False, locate_ends=False)  # fmt: skip
    with pytest.raises(ValueError, match="another detector"):
        compute_far_reach(load_definition("facet"), MASSES[:2], preset, shared=store,  # type: ignore[arg-type]
                          error_estimate=False, locate_ends=False)  # fmt: skip


def test_flavour_keyword_is_refused() -> None:
    with pytest.raises(TypeError, match="flavours"):
        far_reach_flavours("faser2", MASSES, flavour="e")


@pytest.mark.parametrize(("flavours", "message"), [(["x"], "flavour 'x'"), ([], "no flavour")])
def test_bad_flavours_are_named(flavours: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        far_reach_flavours("faser2", MASSES, flavours)


def test_deferred_ends_are_the_ends_solved_at_once() -> None:
    """compute_far_reach(defer_ends=[...]) leaves the ends to its caller (far_reach_flavours
    solves the flavours' side by side): the call it hands over gives the same ends, and the
    result is otherwise the same."""
    from collections.abc import Callable

    from nudipole.experiments.registry import load_far_experiment
    from nudipole.reach.result import BandEnd

    exp = load_far_experiment("mapp2")
    preset = FAR_PRESETS["paper"]
    masses = np.geomspace(0.01, 0.3, 6)
    direct = compute_far_reach(exp, masses, preset, flavour=Flavour.TAU, error_estimate=False)
    later: list[Callable[[], tuple[BandEnd, ...]]] = []
    deferred = compute_far_reach(
        exp, masses, preset, flavour=Flavour.TAU, error_estimate=False, defer_ends=later
    )
    assert direct.band_ends  # the band closes between two of the masses
    assert deferred.band_ends == ()
    assert len(later) == 1
    assert later[0]() == direct.band_ends
    np.testing.assert_array_equal(deferred.d95, direct.d95)
    np.testing.assert_array_equal(deferred.upper, direct.upper)
    # without ends to locate, nothing is handed over
    compute_far_reach(
        exp, masses, preset, flavour=Flavour.TAU, error_estimate=False, locate_ends=False,
        defer_ends=later,
    )  # fmt: skip
    assert len(later) == 1


def test_several_detectors_give_each_detectors_bands() -> None:
    """far_reach_detectors (the ends of every detector's bands solved together at the end) gives
    each detector's far_reach_flavours, to the bit."""
    from nudipole.api import far_reach_detectors

    masses = np.geomspace(0.01, 0.5, 6)
    together = far_reach_detectors(
        ["faser2", "mapp2"], masses, preset="paper", error_estimate=False
    )
    assert len(together) == 2
    for detector, got in zip(["faser2", "mapp2"], together, strict=True):
        alone = far_reach_flavours(detector, masses, preset="paper", error_estimate=False)
        assert list(got) == list(alone) == list(Flavour)
        for flavour, band in got.items():
            np.testing.assert_array_equal(band.d95, alone[flavour].d95)
            np.testing.assert_array_equal(band.upper, alone[flavour].upper)
            assert band.band_ends == alone[flavour].band_ends
    assert any(band.band_ends for per in together for band in per.values())


def test_a_bad_detector_is_refused_before_any_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    from nudipole import far_api
    from nudipole.api import far_reach_detectors
    from nudipole.experiments import ExperimentError

    scanned: list[object] = []
    monkeypatch.setattr(far_api, "far_reach", lambda *a, **k: scanned.append(a))
    with pytest.raises(ExperimentError, match="nope"):
        far_reach_detectors(["faser2", "nope"], MASSES)
    assert scanned == []
    assert far_reach_detectors([], MASSES) == []
    with pytest.raises(TypeError, match="list of detectors"):
        far_reach_detectors("faser2", MASSES)  # type: ignore[arg-type]
    assert scanned == []
