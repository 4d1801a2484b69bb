"""The cached SM background equals a fresh integration, and BESIII's is integrated once."""

from dataclasses import replace

import pytest

from nudipole.experiments import Experiment, ExperimentError, builtin_names, load_definition
from nudipole.experiments.schema import Selection
from nudipole.experiments.selections import Frame, LabPolarRange
from nudipole.physics.sm import SM, EWScheme
from nudipole.reach import background
from nudipole.reach.background import (
    accepted_sm_cross_section,
    direct_accepted_sm_cross_section,
)


def _collider_experiments() -> list[Experiment]:
    defs = [load_definition(name) for name in builtin_names()]
    return [d for d in defs if isinstance(d, Experiment)]


@pytest.mark.parametrize("exp", _collider_experiments(), ids=lambda e: e.name)
def test_cached_background_equals_direct_integration(exp: Experiment) -> None:
    for sel in exp.selections.values():
        for point in exp.points:
            frame = Frame(point.sqrt_s, exp.beta)
            try:
                direct = direct_accepted_sm_cross_section(
                    sel.name, sel.cuts, frame, spectrum=exp.sm_background
                )
            except ExperimentError:  # a selection for a published limit only (LEP z-width)
                with pytest.raises(ExperimentError):
                    accepted_sm_cross_section(sel, frame, spectrum=exp.sm_background)
                continue
            cached = accepted_sm_cross_section(sel, frame, spectrum=exp.sm_background)
            again = accepted_sm_cross_section(sel, frame, spectrum=exp.sm_background)
            assert cached == pytest.approx(direct, rel=1e-12, abs=0.0)
            assert again == cached


def test_besiii_background_is_one_integral_over_its_energy_points() -> None:
    """The boundary cut scales with sqrt(s) and dominates the 25 MeV threshold on the grid, so
    sigma_acc / s is one integral shared by the 71 points (per set of SM inputs)."""
    exp = load_definition("besiii")
    assert isinstance(exp, Experiment)
    sel = exp.selection("advanced")
    background._accepted_cached.cache_clear()
    background._contact_integral.cache_clear()
    values = [
        accepted_sm_cross_section(sel, Frame(p.sqrt_s, exp.beta), sm=SM) / p.sqrt_s**2
        for p in exp.points
    ]
    assert len(exp.points) == 71
    assert background._contact_integral.cache_info().currsize == 1
    assert max(values) == pytest.approx(min(values), rel=1e-14)


def test_cache_keeps_the_error_of_each_selection() -> None:
    """Errors are not cached: every call raises with its own selection's name."""
    cuts = (LabPolarRange(10.0, 170.0),)
    for name in ("first", "second"):
        with pytest.raises(ExperimentError, match=name):
            accepted_sm_cross_section(Selection(name, cuts), Frame(4.0, 0.0))


def test_unhashable_cut_is_integrated_without_the_cache() -> None:
    """A cut made in Python that is not frozen (no hash) still works, uncached."""
    from dataclasses import dataclass
    from typing import ClassVar

    import numpy as np

    from nudipole.experiments.selections import Photons

    @dataclass
    class MutableRange:
        kind: ClassVar[str] = "mutable-range"
        theta_min_deg: float
        theta_max_deg: float

        def mask(self, photons: Photons, frame: Frame) -> np.ndarray:
            return LabPolarRange(self.theta_min_deg, self.theta_max_deg).mask(photons, frame)

        def describe(self) -> str:
            return "mutable"

    exp = load_definition("belle2")
    assert isinstance(exp, Experiment)
    frozen = exp.selection("low-mass")
    cuts = tuple(
        MutableRange(c.theta_min_deg, c.theta_max_deg) if isinstance(c, LabPolarRange) else c
        for c in frozen.cuts
    )
    assert any(isinstance(c, MutableRange) for c in cuts)
    frame = Frame(exp.points[0].sqrt_s, exp.beta)
    mutable = accepted_sm_cross_section(Selection("mutable", cuts), frame)
    assert mutable == pytest.approx(accepted_sm_cross_section(frozen, frame), rel=1e-12)


def test_other_sm_inputs_reuse_the_accepted_cells() -> None:
    """The accepted cells do not depend on the SM inputs: a second set (another preset's
    scheme) computes no mask again, only its one integral."""
    exp = load_definition("besiii")
    assert isinstance(exp, Experiment)
    sel = exp.selection("advanced")
    other = replace(SM, scheme=EWScheme.ALPHA0)
    background._accepted_cached.cache_clear()
    background._contact_mask.cache_clear()
    for sm in (SM, other):
        for p in exp.points:
            accepted_sm_cross_section(sel, Frame(p.sqrt_s, exp.beta), sm=sm)
    info = background._contact_mask.cache_info()
    assert info.misses == len({p.sqrt_s for p in exp.points})
    assert info.hits == info.misses  # each mask computed once, reused by the other inputs
