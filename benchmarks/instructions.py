"""Instructions executed by the reach engine's standard work (not a unit test): a measure
that, unlike time, does not move with the machine.

Run:  python benchmarks/instructions.py [--work bands,curves,figures] [--src OTHER/src]

On this project's virtual machines the same code takes 30-50 % more or less time from one
minute to the next (eleventh and twelfth sessions, docs/benchmarks.md), so a change of a few
per cent cannot be timed. valgrind's callgrind counts the instructions a process executes
instead: the same count for the same code and inputs, whatever else the machine does. Each
work runs in a fresh interpreter under ``valgrind --tool=callgrind`` (some 50 times slower
than natively: the bands take about 4 min), on one thread, with numba compiling for a
generic x86-64 CPU (``NUMBA_CPU_NAME=generic``: valgrind's CPU has fewer features than the
machine's, so kernels compiled for the machine would be compiled again inside valgrind;
a native run first fills numba's cache for the generic CPU). The generic kernels call
``floor`` as a function, so kernels count more instructions than they execute natively; the
comparison of two versions of the code is what this measures. Printed per work: the
instructions of the whole process, those of its start-up alone (imports and numba's start,
the ``start`` work) and their difference, the work's own.

Works: ``bands``, the nine far-detector bands of ``fig_lhc_far`` (FASER-2, FACET, MAPP-2 x
three flavours, 24 masses, paper preset, the headline's bands); ``curves``, the eight curves
of seed Figs. 1-3 with both presets, 200 masses each (the end-to-end row of
``engine_table.py``); ``figures``, the headline's four figures drawn (matplotlib imported,
laid out, rendered, written as PNG) from its results (computed by the native run and kept in
the temporary cache folder: the counted run only draws). ``--src`` counts the same works
with another checkout's package (its ``src`` folder, e.g. of ``git worktree add /tmp/old
<commit>``) and prints the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WORKS = ("bands", "curves", "figures")

#: Where the native run of ``figures`` keeps the results that the counted run draws.
INPUTS_ENV = "NUDIPOLE_INSTRUCTIONS_FIGURE_INPUTS"


def run_work(name: str) -> None:
    """The work ``name`` itself (in the process that valgrind watches): numba started as the
    headline starts it, then the work."""
    from nudipole.cli.headline_lhc import start_numba

    start_numba()
    if name == "bands":
        from nudipole.cli.lhc_figures import far_results
        from nudipole.model import Flavour

        far_results(list(Flavour), "paper", 24, None, workers=1)
    elif name == "figures":
        draw_figures(Path(os.environ[INPUTS_ENV]))


def draw_figures(inputs: Path) -> None:
    """The four figures of ``nudipole headline``, as it draws them, from its results: those
    kept in ``inputs`` (pickled), where there are none yet computed and kept there first."""
    import inspect
    import pickle

    from nudipole.cli.headline_lhc import headline_bands
    from nudipole.cli.landscape_commands import landscape_curves
    from nudipole.cli.lhc_figures import draw_lhc_far, lhc_far_frame
    from nudipole.cli.reach_commands import curve_result
    from nudipole.limits import load_catalogue
    from nudipole.model import Flavour
    from nudipole.reach.recipes import FIGURES

    # checkouts before 2026-12-02's seventeenth session pass the (unused) seed of the
    # figures' curves as an argument: given where the signature still has it
    seeded = "seed" in inspect.signature(curve_result).parameters
    seed: tuple[int, ...] = (20220415,) if seeded else ()
    if not inputs.exists():
        curves = {
            name: [
                (curve_result(c, p, None, 120, *seed, None, 0.01, None), c.label, c.color)
                for p in ("paper", "default")
                for c in FIGURES[name]
            ]
            for name in sorted(FIGURES)
        }
        landscape = landscape_curves(["paper", "default"], 120, *seed, None)
        results = (curves, landscape, headline_bands(24))
        inputs.write_bytes(pickle.dumps(results))
    # (the native run draws too: every module it imports is then compiled for the counted one)
    curves, landscape, bands = pickle.loads(inputs.read_bytes())
    from nudipole.cli.figure_commands import draw_figure
    from nudipole.plotting.landscape import plot_landscape
    from nudipole.plotting.reach_plots import save_figure

    limits = load_catalogue().paper_set()
    with tempfile.TemporaryDirectory() as out:
        for name, drawn in curves.items():
            draw_figure(name, drawn, [None] * len(drawn), Path(out) / f"fig_{name}.png")
        save_figure(plot_landscape(list(Flavour), limits, landscape), Path(out) / "landscape.png")
        frame = lhc_far_frame(list(Flavour), limits, "paper")
        draw_lhc_far(Path(out) / "lhc_far.png", list(Flavour), limits, "paper", bands, frame)


def child(work: str) -> list[str]:
    """The command of a fresh interpreter that runs ``work``: :func:`run_work`, or for
    ``curves`` engine_table.py's end-to-end script on one thread (``python -c``, as
    engine_table runs it), after numba's start as in :func:`run_work`."""
    if work == "curves":
        from engine_table import FIGURES_SCRIPT  # this folder's table (run as a script)

        start = "from nudipole.cli.headline_lhc import start_numba\nstart_numba()\n"
        return [sys.executable, "-c", start + FIGURES_SCRIPT.replace("{extra}", ", workers=1")]
    return [sys.executable, __file__, "--run", work]


def count(work: str, src: Path | None, valgrind: str, pycache: Path) -> int:
    """Instructions of a fresh interpreter running ``work`` (with the package of ``src``
    where given), after a native run that fills numba's cache for the generic CPU and
    Python's bytecode cache (in ``pycache``: the counted run compiles no module, whatever
    ``PYTHONDONTWRITEBYTECODE`` says and whatever the checkout holds)."""
    env = dict(os.environ, NUMBA_CPU_NAME="generic", PYTHONHASHSEED="0")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    env[INPUTS_ENV] = str(pycache / "figure-inputs.pkl")
    command = child(work)
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        subprocess.run(
            [valgrind, "--tool=callgrind", f"--callgrind-out-file={out}", *command],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("totals:"):
                return int(line.split()[1])
    raise RuntimeError(f"no totals in callgrind's output of {work!r}")


def work_list(text: str) -> list[str]:
    """``--work``: comma-separated names of :data:`WORKS`."""
    names = [w.strip() for w in text.split(",") if w.strip()]
    bad = [w for w in names if w not in WORKS]
    if bad or not names:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give one or more of {', '.join(WORKS)}, separated by commas"
        )
    return names


def src_folder(text: str) -> Path:
    """``--src``: a folder holding the package ``nudipole``."""
    path = Path(text)
    if not (path / "nudipole" / "__init__.py").is_file():
        raise argparse.ArgumentTypeError(
            f"{text!r} holds no package nudipole: give a checkout's src folder"
        )
    return path.resolve()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=work_list, default=list(WORKS), help=",".join(WORKS))
    parser.add_argument("--src", type=src_folder, help="another checkout's src folder")
    parser.add_argument("--run", choices=("bands", "figures", "start"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_work(args.run)
        return
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        parser.error("valgrind is not installed: install it (Debian: apt install valgrind)")
    sources: list[tuple[str, Path | None]] = [("this checkout", None)]
    if args.src is not None:
        sources.append((str(args.src), args.src))
    print("| work | package | instructions [1e9] | start-up [1e9] | work alone [1e9] |")
    print("|---|---|---|---|---|")
    alone: dict[tuple[str, str], float] = {}
    for label, src in sources:
        with tempfile.TemporaryDirectory() as pycache:
            start = count("start", src, valgrind, Path(pycache))
            totals = {work: count(work, src, valgrind, Path(pycache)) for work in args.work}
        for work, total in totals.items():
            alone[work, label] = (total - start) / 1e9
            print(
                f"| {work} | {label} | {total / 1e9:.2f} | {start / 1e9:.2f} | "
                f"{alone[work, label]:.2f} |",
                flush=True,
            )
    if args.src is not None:
        for work in args.work:
            ratio = alone[work, "this checkout"] / alone[work, str(args.src)]
            print(f"{work}: this checkout / {args.src} = {ratio:.3f}")


if __name__ == "__main__":
    main()
