"""The cell masks behind the names placed inside regions (nudipole.plotting.region_labels):
the regions' inside-tests (nudipole.numerics.polygon) and the polylines marked on the cells
(nudipole.plotting.label_cells) are those of the direct computations, cell for cell."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.path import Path as MplPath

from nudipole.plotting.label_cells import mark_points, mark_polyline
from nudipole.plotting.region_labels import polygon_contains, union_contains


def test_polygon_contains_grid_and_scattered_points() -> None:
    # a (mass, d) region as the limits draw it; the placement grid is log-spaced both ways
    polygon = np.array([[1e-3, 1e-6], [1.0, 1e-8], [5.0, 1e-3], [2e-2, 1e-2], [1e-3, 1e-6]])
    contains = polygon_contains(polygon)
    path = MplPath(np.log10(polygon), closed=True)
    mass, d = np.meshgrid(np.geomspace(5e-4, 10.0, 60), np.geomspace(1e-9, 0.1, 40))
    expected = path.contains_points(
        np.column_stack([np.log10(mass).ravel(), np.log10(d).ravel()])
    ).reshape(mass.shape)
    got = contains(mass, d)
    assert got.any()
    assert not got.all()
    np.testing.assert_array_equal(got, expected)
    # points that are not a grid (and a 1-d array) take matplotlib's own test
    rng = np.random.default_rng(7)
    m = 10.0 ** rng.uniform(-3.5, 1.0, 500)
    dd = 10.0 ** rng.uniform(-9.0, -1.0, 500)
    np.testing.assert_array_equal(
        contains(m, dd), path.contains_points(np.column_stack([np.log10(m), np.log10(dd)]))
    )
    # a union is the or of its parts
    other = polygon * np.array([2.0, 0.01])
    union = union_contains([polygon, other])
    np.testing.assert_array_equal(
        union(mass, d), contains(mass, d) | polygon_contains(other)(mass, d)
    )


def _mark_polyline_reference(mask: np.ndarray, xy: np.ndarray) -> None:
    """Each segment densified on its own (np.linspace), as the marks were first made."""
    ny, nx = mask.shape
    ok = np.all(np.isfinite(xy), axis=1)
    for start, end in itertools.pairwise(xy):
        if not (np.all(np.isfinite(start)) and np.all(np.isfinite(end))):
            continue
        steps = math.ceil(2.0 * max(abs(end[0] - start[0]) * nx, abs(end[1] - start[1]) * ny))
        t = np.linspace(0.0, 1.0, max(steps, 1) + 1)
        mark_points(mask, start + (end - start) * t[:, None])
    if ok.sum() == 1:
        mark_points(mask, xy[ok])


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 60), st.integers(0, 2**32 - 1), st.floats(0.0, 0.5))
def test_mark_polyline_matches_segment_by_segment(n: int, seed: int, gaps: float) -> None:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(-0.3, 1.3, size=(n, 2))
    xy[rng.random(n) < gaps] = np.nan  # breaks in the line
    if n > 2 and seed % 5 == 0:
        xy[1] = xy[0]  # a segment of zero length
    got = np.zeros((37, 53), dtype=bool)
    expected = np.zeros_like(got)
    mark_polyline(got, xy)
    _mark_polyline_reference(expected, xy)
    np.testing.assert_array_equal(got, expected)
