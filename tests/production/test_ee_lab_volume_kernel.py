"""The lab-volume pass's binning (nudipole.production._ee_lab_volume_kernel._add_node): the
walk from the previous node's bin finds the bin a binary search finds, from any start."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from nudipole.production._ee_lab_volume_kernel import _add_node

N_EDGES = 15  # the interior edges of N_KAPPA_BINS = 16 bins


@given(
    lo=st.floats(-30.0, 30.0),
    width=st.floats(1e-6, 2.0),
    filled=st.booleans(),
    kappas=st.lists(
        st.one_of(st.floats(1e-20, 1e20), st.just(0.0), st.just(np.inf)), min_size=1, max_size=40
    ),
    start=st.integers(0, N_EDGES),
)
def test_walk_finds_the_binary_search_bin(
    lo: float, width: float, filled: bool, kappas: list[float], start: int
) -> None:
    # row 0: the kernel's geometric edges; row 1: an empty mass's, all inf
    edges = np.full((2, N_EDGES), np.inf)
    if filled:
        edges[0] = np.exp(lo + width * np.arange(1, N_EDGES + 1))
    sum_w = np.zeros((1, 2, N_EDGES + 1))
    sum_wk = np.zeros((1, 2, N_EDGES + 1))
    expected_w = np.zeros_like(sum_w)
    for kap in kappas:
        for mk in (0, 1):
            want = int(np.searchsorted(edges[mk], kap, side="right"))
            start = _add_node(kap, 1.0, 0.5, 0, mk, edges, sum_w, sum_wk, start)
            assert start == want
            expected_w[0, 0, want] += 1.0
            expected_w[0, 1, want] += 0.5
    np.testing.assert_array_equal(sum_w, expected_w)
