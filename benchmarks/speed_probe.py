"""How fast this machine is right now (not a unit test): two fixed pieces of work whose time
moves with the machine's state alone, printed beside the benchmarks' numbers.

Run:  python benchmarks/speed_probe.py

On this project's virtual machines the same code takes up to twice as long from one hour to
the next (the headline 3.8-4.1 s and 5.1-7.1 s on the same commit, 2026-12-02), and the two
kinds of work do not slow down together. ``engine_table.py`` and ``headline_cores.py`` print
this probe at their start and end: numbers measured in different spells are comparable only
beside it.

* ``python``: a loop of 10^7 integer additions in a function (the interpreter alone);
* ``memory``: 20 passes of ``np.exp`` over 4 M doubles written into a fresh 32 MB array each
  time (memory traffic and page faults, as the engines' temporaries have them).
"""

from __future__ import annotations

import time

import numpy as np


def _python_loop(n: int) -> int:
    s = 0
    for i in range(n):
        s += i
    return s


def probe() -> tuple[float, float]:
    """(python, memory) seconds: the best of three of each piece of work."""
    best_py = best_mem = float("inf")
    x = np.linspace(0.0, 1.0, 4_000_000)
    for _ in range(3):
        t = time.perf_counter()
        _python_loop(10_000_000)
        best_py = min(best_py, time.perf_counter() - t)
        t = time.perf_counter()
        for _ in range(20):
            np.exp(x)
        best_mem = min(best_mem, time.perf_counter() - t)
    return best_py, best_mem


def describe() -> str:
    """One line for a benchmark's output."""
    py, mem = probe()
    return (
        f"machine speed probe (benchmarks/speed_probe.py): python loop {py:.3f} s, "
        f"memory {mem:.3f} s"
    )


if __name__ == "__main__":
    print(describe())
