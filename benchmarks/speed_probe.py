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

Each is run five times and printed as its median with its range: the machine's speed changes
within seconds, and a best of three caught fast moments of slow spells (2026-12-02: a loop
of 0.22 s at best, then a headline with 10-11 s of CPU instead of 7). Run side by side, the
loop moves with the compiled node passes (both need the core's throughput), while a
compiled dependency chain does not (docs/benchmarks.md, sixteenth session).
"""

from __future__ import annotations

import time

import numpy as np


def _python_loop(n: int) -> int:
    s = 0
    for i in range(n):
        s += i
    return s


#: Runs of each piece of work.
REPEATS = 5


def probe() -> tuple[list[float], list[float]]:
    """(python, memory): seconds of each of :data:`REPEATS` runs of each piece of work."""
    py: list[float] = []
    mem: list[float] = []
    x = np.linspace(0.0, 1.0, 4_000_000)
    for _ in range(REPEATS):
        t = time.perf_counter()
        _python_loop(10_000_000)
        py.append(time.perf_counter() - t)
        t = time.perf_counter()
        for _ in range(20):
            np.exp(x)
        mem.append(time.perf_counter() - t)
    return py, mem


def _spread(times: list[float]) -> str:
    return f"{float(np.median(times)):.3f} s ({min(times):.3f}-{max(times):.3f})"


def describe() -> str:
    """One line for a benchmark's output: each piece's median and range."""
    py, mem = probe()
    return (
        f"machine speed probe (benchmarks/speed_probe.py): python loop {_spread(py)}, "
        f"memory {_spread(mem)}"
    )


if __name__ == "__main__":
    print(describe())
