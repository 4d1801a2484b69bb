"""Start-up time (not a unit test): ``import nudipole``, ``nudipole --help`` and
``nudipole reach --help``, each in a fresh interpreter, best of repeats.

Run:  python benchmarks/startup.py [--repeat 5]
Reports wall and CPU time (the child's user + system time, what `time` reports) per command;
``python -X importtime -c "import nudipole"`` breaks the import down by module. The children
may write bytecode (to a temporary ``PYTHONPYCACHEPREFIX``, after one warm-up run), as an
installed package has it, even where ``PYTHONDONTWRITEBYTECODE`` is set: compiling nudipole's
sources anew costs about 0.15 s per start.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

COMMANDS = {
    "python -c pass (interpreter alone)": "pass",
    "import nudipole": "import nudipole",
    "nudipole --help": "import sys; from nudipole.cli.main import main; sys.exit(main(['--help']))",
    "nudipole reach --help": (
        "import sys; from nudipole.cli.main import main; sys.exit(main(['reach', '--help']))"
    ),
}


def run(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh interpreter running ``code``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def bytecode_env(cache: str) -> dict[str, str]:
    """The environment of the fresh interpreters: bytecode written (to ``cache``) and read, as
    an installed package has it (pip compiles it), even where ``PYTHONDONTWRITEBYTECODE`` is
    set; compiling nudipole's sources at every start would add 0.15-0.8 s to each."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = cache
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--no-bytecode", action="store_true", help="compile the sources at every start"
    )
    args = parser.parse_args()
    print(f"best of {args.repeat}, cpus available: {os.cpu_count()}")
    print(f"{'command':38s} {'wall [s]':>9s} {'cpu [s]':>8s}")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ) if args.no_bytecode else bytecode_env(cache)
        for label, code in COMMANDS.items():
            run(code, env)  # warm-up: bytecode written, files in the page cache
            runs = [run(code, env) for _ in range(args.repeat)]
            wall = min(r[0] for r in runs)
            cpu = min(r[1] for r in runs)
            print(f"{label:38s} {wall:9.3f} {cpu:8.3f}")


if __name__ == "__main__":
    main()
