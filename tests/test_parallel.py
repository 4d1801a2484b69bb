"""Curves side by side on threads (nudipole._parallel, nudipole.api.reach_many): the same
results, bit for bit, as one after the other, in the order given."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from nudipole._parallel import (
    MAX_WORKERS,
    OnceCache,
    available_cpus,
    check_workers,
    once_per_key,
    run_threads,
)
from nudipole.api import reach, reach_many
from nudipole.experiments import ExperimentError


def test_workers_default_and_bad_values() -> None:
    assert check_workers(None) == max(1, min(MAX_WORKERS, available_cpus()))
    assert check_workers(3) == 3
    for bad in (0, -1, 1.5, True, "2", float("nan"), 1e300):
        with pytest.raises(ValueError, match=r"workers=.*whole number of threads"):
            check_workers(bad)
    assert check_workers(64) == 64
    with pytest.raises(ValueError, match=r"workers=1000000: at most 64 threads"):
        check_workers(10**6)


def test_results_in_the_order_given_and_the_first_error_raised() -> None:
    seen: list[str] = []
    gate = threading.Barrier(2, timeout=10)

    def job(i: int) -> int:
        if i < 2:
            gate.wait()  # the first two run at the same time: on two threads
        seen.append(threading.current_thread().name)
        return i * i

    assert run_threads([lambda i=i: job(i) for i in range(6)], workers=2) == [
        0, 1, 4, 9, 16, 25
    ]  # fmt: skip
    assert all(name.startswith("nudipole") for name in seen)
    assert run_threads([], workers=2) == []
    # one worker: in this thread
    assert run_threads([threading.current_thread], workers=1) == [threading.current_thread()]

    def fails(i: int) -> int:
        if i in (1, 3):
            raise KeyError(i)
        return i

    with pytest.raises(KeyError, match="1"):
        run_threads([lambda i=i: fails(i) for i in range(5)], workers=2)


def test_reach_many_is_reach_curve_by_curve() -> None:
    curves = [
        {"experiment": "besiii", "masses": np.geomspace(0.05, 3.0, 12), "preset": "paper"},
        {"experiment": "belle2", "masses": [0.1, 1.0, 5.0], "selection": "low-mass"},
        {"experiment": "stcf", "mass_range": (0.1, 3.5, 9), "sqrt_s": 4.0, "lumi": "30/ab"},
        {"experiment": "besiii", "masses": np.geomspace(0.05, 3.0, 12), "preset": "default"},
    ]
    together = reach_many(curves, workers=2)
    for curve, got in zip(curves, together, strict=True):
        kw = dict(curve)
        want = reach(kw.pop("experiment"), **kw)
        for name in ("mass", "d95", "d95_error", "acceptance"):
            np.testing.assert_array_equal(getattr(got, name), getattr(want, name))


def test_reach_many_refuses_what_is_not_a_curve() -> None:
    with pytest.raises(ValueError, match=r"curves\[1\] = 'belle2'"):
        reach_many([{"experiment": "besiii"}, "belle2"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"curves\[0\].*'experiment'"):
        reach_many([{"preset": "paper"}])
    with pytest.raises(ValueError, match="workers=0"):
        reach_many([{"experiment": "besiii"}], workers=0)
    # one curve, not in a list: said so, not taken letter by letter or key by key
    for one in ("belle2", {"experiment": "belle2"}):
        with pytest.raises(ValueError, match="give a list of dicts"):
            reach_many(one)  # type: ignore[arg-type]


def test_far_bands_on_threads_are_the_bands_one_after_the_other() -> None:
    from nudipole.cli.lhc_figures import far_results
    from nudipole.model import Flavour

    flavours = [Flavour.E, Flavour.TAU]
    alone = far_results(flavours, "paper", 4, None, workers=1)
    threaded = far_results(flavours, "paper", 4, None, workers=3)
    for flavour in flavours:
        for (a, colour_a), (b, colour_b) in zip(alone[flavour], threaded[flavour], strict=True):
            assert colour_a == colour_b
            assert a.inputs["experiment"] == b.inputs["experiment"]
            np.testing.assert_array_equal(a.d95, b.d95)
            np.testing.assert_array_equal(a.upper, b.upper)
            assert a.band_ends == b.band_ends


def test_pdg_table_read_by_two_threads_at_once() -> None:
    # particle reads its PDG table on first use; two threads asking at once (two detectors'
    # scans starting together) must both find it whole: in a fresh interpreter
    code = (
        "import threading\n"
        "from nudipole.production.meson_table import channel_info\n"
        "from nudipole.production.spectra.model import particle_name\n"
        "out = []\n"
        "gate = threading.Barrier(4)\n"
        "def job(f):\n"
        "    gate.wait()\n"
        "    out.append(f())\n"
        "jobs = [lambda: channel_info('pi0').mass, lambda: channel_info('eta').mass,\n"
        "        lambda: particle_name(443), lambda: particle_name(111)]\n"
        "ts = [threading.Thread(target=job, args=(f,)) for f in jobs]\n"
        "[t.start() for t in ts]\n"
        "[t.join() for t in ts]\n"
        "assert len(out) == 4, out\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr


def test_calls_not_started_are_dropped_after_an_error() -> None:
    started: list[int] = []

    def job(i: int) -> int:
        started.append(i)
        if i == 0:
            raise RuntimeError("first")
        threading.Event().wait(0.05)
        return i

    with pytest.raises(RuntimeError, match="first"):
        run_threads([lambda i=i: job(i) for i in range(40)], workers=2)
    # the second thread may have run a few meanwhile, not all 40
    assert len(started) < 40


def test_one_curve_on_threads_is_the_curve_in_one_thread() -> None:
    # BESIII: 71 points, 9 masses per batch; 30 masses are 4 batches
    masses = np.geomspace(0.05, 4.5, 30)
    for preset in ("default", "paper"):
        one = reach("besiii", masses, preset=preset, workers=1)
        two = reach("besiii", masses, preset=preset, workers=2)
        for name in ("d95", "d95_error", "acceptance"):
            np.testing.assert_array_equal(getattr(one, name), getattr(two, name))
    with pytest.raises(ExperimentError, match="workers=0"):
        reach("besiii", masses, workers=0)
    with pytest.raises(ExperimentError, match="workers=-1"):
        reach("faser2", [0.1], workers=-1)


def test_far_masses_on_threads_are_the_masses_one_after_the_other() -> None:
    from nudipole.api import far_reach_flavours

    masses = np.geomspace(0.01, 0.5, 7)
    for detector in ("faser2", "mapp2"):
        one = far_reach_flavours(detector, masses, preset="paper", workers=1)
        two = far_reach_flavours(detector, masses, preset="paper", workers=2)
        for flavour, a in one.items():
            b = two[flavour]
            for name in ("d95", "upper", "d95_error", "acceptance"):
                np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
            assert a.band_ends == b.band_ends
            assert a.inputs["events_at_d95_per_channel"] == b.inputs["events_at_d95_per_channel"]


def test_no_pool_inside_a_pool() -> None:
    names: list[str] = []

    def inner() -> str:
        return threading.current_thread().name

    def outer() -> list[str]:
        got = run_threads([inner, inner, inner], workers=2)
        names.extend(got)
        return got

    run_threads([outer, outer], workers=2)
    # the inner calls ran on the outer call's own thread
    assert len(names) == 6
    assert all(name.startswith("nudipole") for name in names)
    assert len(set(names)) <= 2


def test_once_cache_computes_each_key_once_across_threads() -> None:
    cache: OnceCache[str, int] = OnceCache()
    calls: list[str] = []
    lock = threading.Lock()

    def compute(key: str) -> int:
        with lock:
            calls.append(key)
        time.sleep(0.02)  # long enough for the other threads to ask meanwhile
        return len(key)

    keys = ["a", "bb", "a", "ccc", "bb", "a", "a", "ccc"]
    got = run_threads([lambda k=k: cache.get(k, lambda: compute(k)) for k in keys], workers=4)
    assert got == [len(k) for k in keys]
    assert sorted(calls) == ["a", "bb", "ccc"]
    assert len(cache) == 3
    assert "bb" in cache
    assert "d" not in cache


def test_once_cache_lets_another_thread_compute_after_a_failure() -> None:
    cache: OnceCache[str, int] = OnceCache()
    attempts: list[int] = []
    lock = threading.Lock()

    def compute() -> int:
        with lock:
            attempts.append(1)
            first = len(attempts) == 1
        time.sleep(0.02)
        if first:
            raise RuntimeError("the first attempt fails")
        return 7

    def ask() -> int | str:
        try:
            return cache.get("k", compute)
        except RuntimeError:
            return "failed"

    got = run_threads([ask] * 3, workers=3)
    assert got.count("failed") == 1
    assert got.count(7) == 2
    assert len(attempts) == 2  # the failure, then one thread that computed it again
    assert cache.get("k", lambda: 0) == 7


def test_once_per_key_runs_a_cached_function_once_per_argument_across_threads() -> None:
    import functools

    calls: list[tuple[int, str]] = []
    lock = threading.Lock()

    @once_per_key
    @functools.lru_cache(maxsize=8)
    def table(n: int, name: str = "x") -> tuple[int, str]:
        with lock:
            calls.append((n, name))
        time.sleep(0.02)  # the other threads ask meanwhile
        if n < 0:
            raise ValueError("negative")
        if n > 100:
            return table(n - 100, name)  # the same thread may ask again inside
        return (n, name)

    args = [(1, "x"), (2, "x"), (1, "x"), (1, "y"), (2, "x"), (1, "x")]
    got = run_threads([lambda a=a: table(*a) for a in args], workers=4)
    assert got == args
    assert sorted(calls) == [(1, "x"), (1, "y"), (2, "x")]
    assert table(101) == (1, "x")
    assert table(n=3, name="z") == (3, "z")
    with pytest.raises(ValueError, match="negative"):
        table(-1)
    # the cache's own controls are the wrapper's
    assert table.cache_info().currsize == 5  # type: ignore[attr-defined]
    table.cache_clear()  # type: ignore[attr-defined]
    assert table.cache_info().currsize == 0  # type: ignore[attr-defined]
    assert table.__name__ == "table"
