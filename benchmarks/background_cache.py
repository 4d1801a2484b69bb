"""Timing benchmark (not a unit test) of the SM background cache (issue 11): one 200-mass
BESIII curve (71 energy points) per preset, CPU time (``time.process_time``), best of repeats.

Run:  python benchmarks/background_cache.py [--repeat 3]
"cold" clears the background caches before each repeat (a fresh process), "warm" repeats the
curve with them filled (a second curve of the same selection in one process, as in
``nudipole headline`` and the figures); "background" is the CPU time spent in
:func:`nudipole.reach.background.expected_background` during the cold curve.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import nudipole
from nudipole.api import resolve_experiment
from nudipole.reach import background, scan

N_MASSES = 200


def _clear_caches() -> None:
    for name in ("_accepted_cached", "_contact_integral", "_contact_grid"):
        cache = getattr(background, name, None)
        if cache is not None:
            cache.cache_clear()


def _timed(fn: Callable[..., Any], spent: list[float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - t0

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    exp = resolve_experiment("besiii")
    masses = np.geomspace(0.01, 0.995 * exp.max_sqrt_s, N_MASSES)
    spent = [0.0]
    scan.expected_background = _timed(background.expected_background, spent)  # type: ignore[attr-defined]
    nudipole.reach(exp, masses[:2])  # imports, JIT and first-use costs out of the timings
    print(f"BESIII, {N_MASSES} masses, {len(exp.points)} energy points, best of {args.repeat}")
    print(f"{'preset':8s} {'cold [s]':>9s} {'background [s]':>15s} {'warm [s]':>9s}")
    for preset in ("paper", "default"):
        cold, warm, bkg = np.inf, np.inf, np.inf
        for _ in range(args.repeat):
            _clear_caches()
            spent[0] = 0.0
            t0 = time.process_time()
            nudipole.reach(exp, masses, preset=preset)
            cold = min(cold, time.process_time() - t0)
            bkg = min(bkg, spent[0])
            t0 = time.process_time()
            nudipole.reach(exp, masses, preset=preset)
            warm = min(warm, time.process_time() - t0)
        print(f"{preset:8s} {cold:9.3f} {bkg:15.3f} {warm:9.3f}")


if __name__ == "__main__":
    main()
