"""How busy the machine's cores are while ``nudipole headline`` runs (not a unit test).

Run:  python benchmarks/headline_cores.py [--repeat 3] [--interval 0.1] [-- headline options]

Starts ``nudipole headline`` (in a fresh interpreter, its figures in a temporary folder) and
samples the machine's busy time from ``/proc/stat`` (Linux only) every ``--interval``
seconds: it prints, per run, the wall time, the CPU time of the command and its processes
(user + system, from the operating system's accounting of the finished child), and the busy
cores in each sample. The headline keeps two processes busy (the e+e- figures here, the
far-detector bands on two threads in its second process, ``nudipole.cli.headline_lhc``):
where the cores are busy throughout, its wall time is its CPU time over the cores, and only
less CPU, not another order of the work, makes it shorter (the eleventh session's note in
``docs/benchmarks.md``). Other programs on the machine count as busy too: run it on an
otherwise idle machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

from speed_probe import describe  # this folder's machine-speed probe (run as a script)


def busy_and_total() -> tuple[int, int]:
    """Busy and total jiffies of all cores so far (``/proc/stat``'s first line)."""
    with open("/proc/stat", encoding="ascii") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    total = sum(fields)
    return total - idle, total


def one_run(extra: list[str], interval: float) -> tuple[float, float, list[float]]:
    """(wall s, CPU s of the command, busy cores per sample) of one headline."""
    cores = os.cpu_count() or 1
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as out:
        argv = [sys.executable, "-m", "nudipole", "headline", "--outdir", out, *extra]
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        busy0, total0 = busy_and_total()
        samples = []
        while proc.poll() is None:
            time.sleep(interval)
            busy, total = busy_and_total()
            samples.append(cores * (busy - busy0) / max(total - total0, 1))
            busy0, total0 = busy, total
        wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"nudipole headline failed (exit {proc.returncode})")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between samples")
    parser.add_argument("extra", nargs="*", help="options of nudipole headline (after --)")
    args = parser.parse_args()
    if not os.path.exists("/proc/stat"):
        parser.error("needs Linux's /proc/stat (not found here)")
    if not 1 <= args.repeat <= 100:
        parser.error(f"--repeat {args.repeat}: give 1 to 100 runs (each some 5 s)")
    if not 0.01 <= args.interval <= 10.0:
        parser.error(f"--interval {args.interval:g}: give 0.01 to 10 seconds")
    print(f"{os.cpu_count()} cores; busy cores every {args.interval:g} s")
    print(describe())
    for _ in range(args.repeat):
        wall, cpu, samples = one_run(args.extra, args.interval)
        mean = sum(samples) / len(samples) if samples else float("nan")
        print(
            f"wall {wall:.2f} s, CPU {cpu:.2f} s (CPU / wall {cpu / wall:.2f}), "
            f"busy cores: mean {mean:.2f}"
        )
        print("  " + " ".join(f"{s:.1f}" for s in samples))
    print(describe() + " (at the end)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
