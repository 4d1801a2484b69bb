"""The background grid's accepted cells, filled row by row from the accepted intervals of the
photon CM cosine, equal the cuts' masks evaluated at every cell."""

import numpy as np
import pytest

from nudipole.experiments import Experiment, builtin_names, load_definition
from nudipole.experiments.selections import (
    EnergyThresholdByRegion,
    Frame,
    LabPolarRange,
    Photons,
    combined_mask,
)
from nudipole.reach import background


def _every_cell(cuts: tuple, grid: background._Grid, frame: Frame) -> np.ndarray:
    e_cm = 0.5 * float(frame.sqrt_s) * grid.x * np.ones_like(grid.z)
    photons = Photons(e_cm, grid.cos_cm, grid.gamma * e_cm * grid.doppler, grid.cos_lab)
    return np.asarray(combined_mask(cuts, photons, frame), dtype=bool)


def _contact_selections() -> list[tuple[str, str]]:
    out = []
    for name in builtin_names():
        exp = load_definition(name)
        if isinstance(exp, Experiment) and exp.sm_background != "electroweak":
            out += [(name, s) for s in sorted(exp.selections)]
    return out


@pytest.mark.parametrize(("name", "selection"), _contact_selections())
def test_row_fill_equals_every_cell_for_the_built_in_selections(name: str, selection: str) -> None:
    exp = load_definition(name)
    assert isinstance(exp, Experiment)
    sel = exp.selection(selection)
    grid = background._contact_grid(300, 600, exp.beta)
    for point in exp.points:
        frame = Frame(sel.sqrt_s or point.sqrt_s, exp.beta)
        want = _every_cell(sel.cuts, grid, frame)
        assert want.any()
        np.testing.assert_array_equal(background._passed(name, sel.cuts, grid, frame), want)


@pytest.mark.parametrize("beta", [0.0, 3 / 11, -0.4])
def test_row_fill_equals_every_cell_for_any_two_cut_types(
    two_cut_types: tuple, beta: float
) -> None:
    """Any two cut types (with edges that cross inside an energy segment, and cuts that a
    selection would not use alone), also in boosted frames; the grid's edge rows and columns
    included (the cuts here need not keep away from them)."""
    cuts = two_cut_types
    grid = background._make_grid(np.linspace(np.log(1e-4), 0.0, 121), 240, beta)
    frame = Frame(10.58, beta)
    want = _every_cell(cuts, grid, frame)
    try:
        got = background._passed("pair", cuts, grid, frame)
    except background.ExperimentError:
        assert want[0, :].any() or want[:, 0].any() or want[:, -1].any()
        return
    np.testing.assert_array_equal(got, want)


def test_a_midpoint_on_an_edge_gets_the_cuts_verdict() -> None:
    """A cut whose edge falls exactly on a cell's midpoint: the lab-angle range keeps that
    midpoint out (theta_min < theta strictly), as the cut's mask does."""
    grid = background._contact_grid(300, 600, 0.0)
    cos_mid = float(grid.cos_cm[0, 350])
    theta = float(np.degrees(np.arccos(cos_mid)))
    cuts = (LabPolarRange(theta, 170.0), EnergyThresholdByRegion(((0.0, 1.0, 0.1),)))
    frame = Frame(3.0, 0.0)
    want = _every_cell(cuts, grid, frame)
    np.testing.assert_array_equal(background._passed("edge", cuts, grid, frame), want)
