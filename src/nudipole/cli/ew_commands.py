"""CLI actions for the electroweak dipoles: ``couplings`` (and, later, ``widths``)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rich.table import Table

from nudipole.constants import SIN2_THETA_W
from nudipole.physics.couplings import (
    CouplingRatios,
    Scenario,
    ratios_from_a,
    scenario_a,
    scenario_ratios,
)


def add_coupling_options(
    p: argparse.ArgumentParser, default_sin2w: float | None = SIN2_THETA_W
) -> None:
    """--scenario / --a and --sin2w, shared by the electroweak commands."""
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--scenario",
        choices=[s.value for s in Scenario],
        help="named relation: I-IV (arXiv:2301.06050), A-D (arXiv:2302.02081)",
    )
    group.add_argument("--a", type=float, metavar="A", help="a = d_W/d_B of the gauge operators")
    p.add_argument(
        "--sin2w",
        type=float,
        default=default_sin2w,
        help=f"sin^2(theta_w) (default {SIN2_THETA_W}; the talk's C, D numbers use 0.2293)",
    )


def chosen_ratios(args: argparse.Namespace) -> tuple[CouplingRatios, dict[str, Any]]:
    """Ratios from --scenario or --a (scenario I if neither), with what was chosen."""
    if args.a is not None:
        return ratios_from_a(args.a, args.sin2w), {"a": args.a, "scenario": None}
    scenario = Scenario(args.scenario or "I")
    return scenario_ratios(scenario, args.sin2w), {
        "a": scenario_a(scenario, args.sin2w),
        "scenario": scenario.value,
    }


def add_couplings(sub: Any) -> None:
    p = sub.add_parser(
        "couplings",
        help="d_Z/d_gamma and d_W/d_gamma of a scenario or of a = d_W/d_B",
        description="Electroweak dipole couplings after symmetry breaking (talk; "
        "Zhang & Liu, PRD 107 (2023) 095031).",
    )
    add_coupling_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_couplings)


def run_couplings(args: argparse.Namespace) -> int:
    from nudipole.cli.commands import console

    ratios, chosen = chosen_ratios(args)
    out = {
        "dZ_over_dgamma": ratios.dz_over_dgamma,
        "dW_over_dgamma": ratios.dw_over_dgamma,
        "sin2w": args.sin2w,
        **chosen,
    }
    if args.json:
        sys.stdout.write(json.dumps(out, indent=1) + "\n")
        return 0
    name = f"scenario {chosen['scenario']}" if chosen["scenario"] else f"a = {chosen['a']:g}"
    table = Table(title=f"{name}, sin^2(theta_w) = {args.sin2w:g}", header_style="bold")
    table.add_column("a = d_W/d_B", justify="right")
    table.add_column("d_Z / d_gamma", justify="right")
    table.add_column("d_W / d_gamma", justify="right")
    a = chosen["a"]
    table.add_row(
        "inf (d_B = 0)" if a is None else f"{a:.6g}",
        f"{ratios.dz_over_dgamma:.6g}",
        f"{ratios.dw_over_dgamma:.6g}",
    )
    console().print(table)
    return 0
