"""The stable order of the node combinations' keys (``_combos_kernel.stable_key_order``):
NumPy's stable argsort, by counting where the keys span a narrow range, by merging otherwise.
(The combos themselves are compared with the NumPy path in ``test_far_rays.py``.)"""

from __future__ import annotations

import importlib

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

combos_kernel = importlib.import_module("nudipole.reach._combos_kernel")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=-3, max_value=12), max_size=300),
    st.sampled_from([1, 97, 1_000_003]),
    st.integers(min_value=-(10**9), max_value=10**9),
)
def test_the_order_is_numpys_stable_argsort(small: list[int], scale: int, offset: int) -> None:
    """Ties keep their given order; a key range beyond the counting span (scale 10^6) takes
    the merge sort, with the same answer."""
    keys = np.asarray(small, dtype=np.int64) * scale + offset
    got = combos_kernel.stable_key_order(keys)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, np.argsort(keys, kind="stable"))


def test_both_paths_are_taken_and_agree() -> None:
    """A narrow range is counted, a wide one merged (the bound: four keys per combo plus
    COUNTING_SPAN); one long run of ties, as the combos of one momentum step give."""
    rng = np.random.default_rng(7)
    narrow = rng.integers(0, 50, size=5000)
    wide = rng.integers(0, 10**12, size=50)
    extreme = np.array([np.iinfo(np.int64).max, 0, np.iinfo(np.int64).min, 0], dtype=np.int64)
    cases = (narrow, wide, extreme, np.zeros(1000, dtype=np.int64), np.empty(0, dtype=np.int64))
    for keys in cases:
        keys = np.asarray(keys, dtype=np.int64)
        np.testing.assert_array_equal(
            combos_kernel.stable_key_order(keys), np.argsort(keys, kind="stable")
        )
    assert np.ptp(wide) + 1 > 4 * wide.size + combos_kernel.COUNTING_SPAN
    assert np.ptp(narrow) + 1 <= 4 * narrow.size + combos_kernel.COUNTING_SPAN
