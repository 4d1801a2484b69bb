"""Points inside a polygon (nudipole.numerics.polygon): matplotlib's answer
(``Path.contains_points``), point for point, on grids and scattered points, with points on
edges and vertices (the ties of the crossings test) and points that are not finite."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.path import Path as MplPath

from nudipole.numerics import polygon
from nudipole.numerics.polygon import Polygon, closed_ring, grid_inside, inside


def _matplotlib(ring: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """matplotlib's answer for the closed path of ``ring`` at the points (x, y)."""
    path = MplPath(np.vstack([ring, ring[:1]]), closed=True)
    found = path.contains_points(np.column_stack([np.ravel(x), np.ravel(y)]))
    return np.asarray(found, dtype=bool).reshape(np.shape(x))


_VERTEX = st.tuples(st.integers(-4, 12), st.integers(-4, 12))


@settings(max_examples=300, deadline=None)
@given(st.lists(_VERTEX, min_size=3, max_size=40), st.integers(0, 3))
def test_grid_matches_matplotlib_with_ties(vertices: list[tuple[int, int]], shift: int) -> None:
    # vertices on grid values: rays through vertices and along horizontal edges, points on
    # edges, the ties of the crossing test, must go the same way
    ring = np.array(vertices, dtype=float)
    tx = np.arange(-5.0, 13.0, 0.5) + 0.25 * (shift & 1)
    ty = np.arange(-5.0, 13.0, 0.5) + 0.25 * (shift >> 1)
    gx, gy = np.meshgrid(tx, ty)
    expected = _matplotlib(ring, gx, gy)
    np.testing.assert_array_equal(grid_inside(ring, tx, ty), expected)
    np.testing.assert_array_equal(inside(ring, gx, gy), expected)  # found to be a grid
    np.testing.assert_array_equal(inside(ring, gx.ravel(), gy.ravel()), expected.ravel())


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_VERTEX, min_size=3, max_size=40),
    st.lists(st.tuples(st.integers(-10, 26), st.integers(-10, 26)), min_size=1, max_size=400),
)
def test_points_match_matplotlib_with_ties(
    vertices: list[tuple[int, int]], points: list[tuple[int, int]]
) -> None:
    """Points on vertices, edges and between them: matplotlib's answer, in array passes (more
    than 12 points) and one by one in Python floats (the first four)."""
    ring = np.array(vertices, dtype=float)
    pts = 0.5 * np.array(points, dtype=float)
    x, y = pts[:, 0], pts[:, 1]
    np.testing.assert_array_equal(inside(ring, x, y), _matplotlib(ring, x, y))
    np.testing.assert_array_equal(
        Polygon(ring).contains(x[:4], y[:4]), _matplotlib(ring, x[:4], y[:4])
    )


@pytest.mark.parametrize("n_points", [1, 7, 64, 2000, 30000])
def test_points_match_matplotlib_random(n_points: int) -> None:
    """One point (in Python floats), a few and many (array passes), on outlines of 3 to 136
    edges."""
    rng = np.random.default_rng(n_points)
    for n in (3, 17, 136):
        ring = rng.normal(size=(n, 2))
        pts = 1.3 * rng.normal(size=(n_points, 2))
        pts[::13, 0] = np.nan
        pts[5::17, 1] = np.inf
        pts[7::19, 0] = -np.inf
        x, y = pts[:, 0], pts[:, 1]
        np.testing.assert_array_equal(inside(ring, x, y), _matplotlib(ring, x, y))


def test_many_pairs_in_several_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(polygon, "_POINTS_PER_PASS", 50)
    rng = np.random.default_rng(1)
    ring = rng.normal(size=(40, 2))
    pts = rng.normal(size=(3000, 2))
    np.testing.assert_array_equal(
        inside(ring, pts[:, 0], pts[:, 1]), _matplotlib(ring, pts[:, 0], pts[:, 1])
    )


def test_known_square_and_degenerate_rings() -> None:
    square = np.array([[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]])
    got = inside(square, np.array([1.0, 3.0, np.nan]), np.array([1.0, 1.0, 1.0]))
    np.testing.assert_array_equal(got, [True, False, False])
    np.testing.assert_array_equal(
        grid_inside(square, np.array([1.0]), np.array([1.0, 5.0])), [[True], [False]]
    )
    for ring in (square[:1], square[:0]):  # fewer than two vertices: nothing is inside
        assert not inside(ring, np.array([1.0]), np.array([1.0])).any()
        assert not grid_inside(ring, np.array([1.0]), np.array([1.0])).any()
    assert inside(square, np.array([]), np.array([])).size == 0


def test_closed_ring_drops_the_closing_vertex_and_checks() -> None:
    outline = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    np.testing.assert_array_equal(closed_ring(outline), outline[:-1])
    with pytest.raises(ValueError, match="shape"):
        closed_ring(np.zeros(4))
    with pytest.raises(ValueError, match="finite"):
        closed_ring(np.array([[0.0, 0.0], [np.nan, 1.0], [1.0, 1.0]]))
    with pytest.raises(ValueError, match="shapes"):
        inside(outline, np.zeros(3), np.zeros(4))


def test_polygon_contains_any_shape_and_points_not_finite() -> None:
    rng = np.random.default_rng(3)
    ring = rng.normal(size=(30, 2))
    region = Polygon(ring)
    for shape in [(1,), (3,), (2, 2), (7,), (40, 30)]:
        x = rng.normal(size=shape)
        y = rng.normal(size=shape)
        np.testing.assert_array_equal(region.contains(x, y), _matplotlib(ring, x, y))
    odd = np.array([np.nan, np.inf, -np.inf, 0.1])
    np.testing.assert_array_equal(
        region.contains(odd, np.zeros(4)), _matplotlib(ring, odd, np.zeros(4))
    )
    np.testing.assert_array_equal(
        region.contains(np.zeros(4), odd), _matplotlib(ring, np.zeros(4), odd)
    )
    assert not Polygon(ring[:1]).contains(np.zeros(2), np.zeros(2)).any()
    with pytest.raises(ValueError, match="shapes"):
        region.contains(np.zeros(2), np.zeros(3))


def test_a_crowded_outline_keeps_its_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """An outline whose slab list would be too long (here: a low bound) has one slab of every
    edge, each pair tested in full: the same answers, one by one and in arrays."""
    monkeypatch.setattr(polygon, "_MOST_SLAB_EDGES", 10)
    rng = np.random.default_rng(4)
    for ring in (rng.normal(size=(25, 2)), rng.integers(0, 6, size=(30, 2)).astype(float)):
        region = Polygon(ring)
        assert region.slabs[3]  # the crowded layout
        pts = np.round(2.0 * rng.normal(size=(400, 2)), 1)
        for x, y in ((pts[:, 0], pts[:, 1]), (pts[:5, 0], pts[:5, 1])):
            np.testing.assert_array_equal(region.contains(x, y), _matplotlib(ring, x, y))
