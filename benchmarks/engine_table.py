"""The table of issue 11 (not a unit test): time and numerical error of the reach engine's
standard work, with the deterministic cut-adapted rule (``rules``, the default) and the Monte
Carlo sampler on the same work in the same run.

Run:  python benchmarks/engine_table.py [--repeat 2] [--headline]

CPU time of this process (``time.process_time``) for the in-process work, best of the repeats,
on one thread (``workers=1``: the work on one core, as the issue measures it), and the wall
time of the same curve on the default threads (:func:`nudipole.api.reach`'s ``workers``);
wall time of a fresh interpreter for the start-up rows and the end-to-end rows (best of
repeats after an untimed warm-up, with bytecode written and read as an installed package has
it, even where ``PYTHONDONTWRITEBYTECODE`` is set). ``error`` is
the largest reported relative error of d95 over the curve (``d95_error / d95``: the change
under the embedded lower rule for ``rules``, the batch error for ``mc``; ``quadrature``, with
``--samplers``, reports none). ``--headline`` adds
``nudipole headline`` (a warm-up and a timed run: some 15 s on two cores).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
from speed_probe import describe  # this folder's machine-speed probe (run as a script)
from startup import bytecode_env  # this folder's start-up benchmark (run as a script)

import nudipole
from nudipole._parallel import check_workers
from nudipole.api import reach, resolve_experiment

N_MASSES = 200
SAMPLERS = ("rules", "mc")

#: (label, experiment, keywords of reach, presets)
CURVES = [
    ("Belle II low-mass", "belle2", {"selection": "low-mass"}, ("paper", "default")),
    ("STCF 4 GeV 30/ab", "stcf", {"sqrt_s": 4.0, "lumi": "30/ab"}, ("paper", "default")),
    ("BESIII 2012-20 (71 points)", "besiii", {}, ("paper", "default")),
    (
        "LEP L3, scenario II, mu",
        "lep",
        {"selection": "l3", "scenario": "II", "flavour": "mu"},
        ("default",),
    ),
    ("CEPC Z, scenario II, mu", "cepc-z", {"scenario": "II", "flavour": "mu"}, ("default",)),
    # the electron flavour's t-channel W: the density as Chebyshev series (not in the issue)
    (
        "LEP L3, scenario II, e",
        "lep",
        {"selection": "l3", "scenario": "II", "flavour": "e"},
        ("default",),
    ),
]

#: The 8 curves of seed Figs. 1-3 with both presets (16 reach calls), as keywords.
_FIGURE_CURVES = """
import numpy as np, nudipole
from nudipole.api import reach_many, resolve_experiment
from nudipole.reach.recipes import FIGURES
seen, curves = set(), []
for fig in FIGURES.values():
    for c in fig:
        key = (c.experiment, c.selection, c.sqrt_s, c.lumi)
        if key in seen:
            continue
        seen.add(key)
        exp = resolve_experiment(c.experiment, sqrt_s=c.sqrt_s, lumi=c.lumi)
        m = np.geomspace(0.01, 0.995 * exp.max_sqrt_s, 200)
        for preset in ("paper", "default"):
            curves.append(dict(experiment=exp, masses=m, selection=c.selection, preset=preset))
"""

#: Those curves end to end in one fresh process, one after the other.
FIGURES_SCRIPT = (
    _FIGURE_CURVES
    + """
for c in curves:
    nudipole.reach(**c{extra})
print(len(seen))
"""
)

#: The same 16 curves computed side by side on threads (:func:`nudipole.api.reach_many`, as
#: ``nudipole figure`` and ``headline`` compute theirs), the longest first.
THREADED_SCRIPT = (
    _FIGURE_CURVES
    + """
curves.sort(key=lambda c: (c["experiment"].name != "besiii", c["preset"] != "default"))
print(len(reach_many(curves)))
"""
)


def curve_time(
    name: str,
    kw: dict[str, object],
    preset: str,
    sampler: str,
    repeat: int,
    workers: int | None = 1,
    clock: str = "cpu",
) -> tuple[float, float]:
    """Best time of ``repeat`` runs of one curve and its largest stated relative error:
    CPU time of this process (``clock="cpu"``; one thread by default, the work on one core
    as issue 11 measures it) or wall time (``"wall"``)."""
    extra = {k: v for k, v in kw.items() if k not in ("sqrt_s", "lumi")}
    exp = resolve_experiment(name, sqrt_s=kw.get("sqrt_s"), lumi=kw.get("lumi"))  # type: ignore[arg-type]
    selection = exp.selection(str(kw["selection"]) if "selection" in kw else None)
    top = selection.sqrt_s or exp.max_sqrt_s  # a selection at its own energy (LEP's L3)
    masses = np.geomspace(0.01, 0.995 * top, N_MASSES)
    if sampler == "rules":
        extra["workers"] = workers
    tick = time.process_time if clock == "cpu" else time.perf_counter
    best = np.inf
    result = None
    for _ in range(repeat):
        t0 = tick()
        result = reach(exp, masses, preset=preset, sampler=sampler, **extra)  # type: ignore[arg-type]
        best = min(best, tick() - t0)
    assert result is not None
    rel = result.d95_error / result.d95
    err = float(np.nanmax(rel)) if np.any(np.isfinite(rel)) else float("nan")
    return best, err


def percent(err: float) -> str:
    """A relative error as a percentage; "none reported" where the sampler gives none."""
    return "none reported" if np.isnan(err) else f"{100 * err:.2f} %"


def fresh(argv: list[str], repeat: int, env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) time of the fastest of ``repeat`` fresh runs of ``argv`` after one untimed
    warm-up (which writes the bytecode and fills the page cache); CPU: user + system of the
    child, all its threads."""
    subprocess.run(argv, check=True, capture_output=True, env=env)
    best = (np.inf, np.inf)
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env)
        elapsed = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        best = min(best, (elapsed, cpu))
    return float(best[0]), float(best[1])


def wall(argv: list[str], repeat: int, env: dict[str, str]) -> float:
    """Best wall time of ``repeat`` fresh runs of ``argv`` (:func:`fresh`)."""
    return fresh(argv, repeat, env)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--headline", action="store_true")
    parser.add_argument(
        "--only", default="", help="comma-separated labels' first words (e.g. LEP,CEPC)"
    )
    parser.add_argument(
        "--samplers",
        default=",".join(SAMPLERS),
        help="samplers of the curve rows, the first is the reference of the ratio column "
        "(quadrature takes ~7 min on BESIII)",
    )
    parser.add_argument(
        "--e2e-samplers",
        default=",".join(SAMPLERS),
        help="samplers of the end-to-end row",
    )
    parser.add_argument("--skip-curves", action="store_true", help="only the fresh-process rows")
    args = parser.parse_args()
    print(f"nudipole {nudipole.__version__}, {N_MASSES} masses per curve, best of {args.repeat}")
    print(describe())
    print()
    samplers = args.samplers.split(",")
    cols = ["work", "preset"]
    for s in samplers:
        cols += [f"{s} [ms]", f"{s} error"]
    cols += [f"{s} / {samplers[0]}" for s in samplers[1:]]
    threads = check_workers(None)
    cols.append(f"rules wall, {threads} threads [ms]")
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    only = [w for w in args.only.split(",") if w]
    for label, name, kw, presets in CURVES:
        if args.skip_curves or (only and label.split()[0] not in only):
            continue
        for preset in presets:
            rows = [curve_time(name, kw, preset, s, args.repeat) for s in samplers]
            cells = [label, preset]
            for t_s, e_s in rows:
                cells += [f"{1e3 * t_s:.0f}", percent(e_s)]
            cells += [f"{t_s / rows[0][0]:.1f}" for t_s, _ in rows[1:]]
            t_wall, _ = curve_time(name, kw, preset, "rules", args.repeat, None, "wall")
            cells.append(f"{1e3 * t_wall:.0f}")
            print("| " + " | ".join(cells) + " |")
    py = sys.executable
    if only:
        return
    print()
    print("| work (fresh process, wall time) | " + " | ".join(f"{s} [s]" for s in SAMPLERS) + " |")
    print("|---|" + "---|" * len(SAMPLERS))
    e2e = args.e2e_samplers.split(",")
    with tempfile.TemporaryDirectory() as cache:
        env = bytecode_env(cache)
        rows = {
            s: wall([py, "-c", FIGURES_SCRIPT.replace("{extra}", f", sampler={s!r}")], 2, env)
            for s in e2e
        }
        times = " | ".join(f"{rows[s]:.1f}" if s in rows else "not run" for s in SAMPLERS)
        print(f"| the 8 curves of seed Figs. 1-3, both presets | {times} |")
        workers = check_workers(None)
        one = FIGURES_SCRIPT.replace("{extra}", ", workers=1")
        variants = [
            (f"the same, each curve's masses on {workers} threads (the default): wall, CPU",
             FIGURES_SCRIPT.replace("{extra}", "")),
            ("the same on one thread (`workers=1`): wall, CPU", one),
            (f"the same, curves side by side on {workers} threads (`reach_many`): wall, CPU",
             THREADED_SCRIPT),
        ]  # fmt: skip
        for label, script in variants:
            t_wall, t_cpu = fresh([py, "-c", script], 2, env)
            print(f"| {label} | {t_wall:.2f}, {t_cpu:.2f} | |")
        t_imp = wall([py, "-c", "import nudipole"], 3, env)
        t_help = wall([py, "-m", "nudipole", "--help"], 3, env)
        t_reach_help = wall([py, "-m", "nudipole", "reach", "--help"], 3, env)
        print(f"| `import nudipole` | {t_imp:.2f} | |")
        print(f"| `nudipole --help` | {t_help:.2f} | |")
        print(f"| `nudipole reach --help` | {t_reach_help:.2f} | |")
        if args.headline:
            with tempfile.TemporaryDirectory() as out:
                t_head = wall([py, "-m", "nudipole", "headline", "--outdir", out], 1, env)
            print(f"| `nudipole headline` | {t_head:.1f} | |")
    print()
    print(describe() + " (at the end)")


if __name__ == "__main__":
    main()
