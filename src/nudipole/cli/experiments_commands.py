"""``nudipole experiments``: list the built-in experiments, or print one's TOML to copy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.table import Table

from nudipole.cli._commands import COMMANDS
from nudipole.cli._common import console
from nudipole.experiments import (
    ExperimentError,
    FarDetectorExperiment,
    builtin_names,
    builtin_text,
    load_definition,
)
from nudipole.units import format_luminosity


def add_experiments(sub: Any) -> None:
    p = sub.add_parser("experiments", help=COMMANDS["experiments"].help)
    p.add_argument("name", nargs="?", help="print this experiment's TOML definition")
    p.set_defaults(func=run_experiments)


def run_experiments(args: argparse.Namespace) -> int:
    if args.name:
        if args.name not in builtin_names():
            names = ", ".join(builtin_names())
            if args.name.lower().endswith(".toml") or Path(args.name).exists():
                raise ExperimentError(
                    f"experiments {args.name!r}: this command prints a built-in definition "
                    f"({names}); a TOML file of yours is used directly, e.g. "
                    f"'nudipole reach {args.name}'"
                )
            raise ExperimentError(
                f"experiments {args.name!r}: no built-in experiment of that name; choose one "
                f"of {names}"
            )
        sys.stdout.write(builtin_text(args.name))
        return 0
    table = Table(header_style="bold", show_edge=False)
    for col in ("name", "kind", "title", "points", "luminosity", "selections (default first)"):
        table.add_column(col)
    for name in builtin_names():
        exp = load_definition(name)
        if isinstance(exp, FarDetectorExperiment):
            table.add_row(
                name,
                "far detector",
                exp.title,
                f"{exp.sqrt_s / 1e3:g} TeV pp",
                exp.luminosity,
                f"photon, E > {exp.selection.photon_energy_min:g} GeV",
            )
            continue
        sels = [
            exp.default_selection,
            *sorted(s for s in exp.selections if s != exp.default_selection),
        ]
        table.add_row(
            name,
            "e+e- collider",
            exp.title,
            str(len(exp.points)),
            format_luminosity(exp.total_luminosity_pb),
            ", ".join(sels),
        )
    console().print(table)
    return 0
