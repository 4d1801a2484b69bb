"""CLI actions for the electroweak dipoles: ``couplings`` and ``widths``."""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import replace
from typing import Any

import numpy as np
from rich.table import Table

from nudipole.cli._commands import COMMANDS
from nudipole.constants import HBARC_GEV_M, SIN2_THETA_W
from nudipole.io.results import json_safe
from nudipole.model import Flavour, Nature
from nudipole.physics import decay_ew
from nudipole.physics.couplings import (
    CouplingRatios,
    Scenario,
    ratios_from_a,
    scenario_a,
    scenario_ratios,
)
from nudipole.physics.sm import SM


def add_coupling_options(
    p: argparse.ArgumentParser, default_sin2w: float | None = SIN2_THETA_W, sin2w_note: str = ""
) -> None:
    """--scenario / --a and --sin2w, shared by the electroweak commands (``sin2w_note``: added
    to the help of --sin2w)."""
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
        help=f"sin^2(theta_w) (default {SIN2_THETA_W}; the talk's C, D numbers use 0.2293)"
        + sin2w_note,
    )


#: Masses (GeV) and d_gamma (GeV^-1) that ``widths`` computes: beyond them the widths
#: underflow or overflow (and d_gamma > 1e3 GeV^-1 is no longer an effective coupling).
WIDTH_MASSES = (1.0e-6, 1.0e4)
WIDTH_D_GAMMA = (1.0e-20, 1.0e3)


def chosen_ratios(args: argparse.Namespace) -> tuple[CouplingRatios, dict[str, Any]]:
    """Ratios from --scenario or --a (scenario I if neither), with what was chosen:
    ``a`` (None for d_B = 0, i.e. scenario II or --a inf), ``scenario`` and
    ``scenario_source`` ("given" or "default")."""
    if args.a is not None:
        ratios = ratios_from_a(args.a, args.sin2w)
        if math.isinf(args.a):  # d_B = 0: scenario II (JSON has no infinity)
            return ratios, {"a": None, "scenario": "II", "scenario_source": "--a inf"}
        return ratios, {"a": args.a, "scenario": None, "scenario_source": "given"}
    scenario = Scenario(args.scenario or "I")
    return scenario_ratios(scenario, args.sin2w), {
        "a": scenario_a(scenario, args.sin2w),
        "scenario": scenario.value,
        "scenario_source": "given" if args.scenario else "default",
    }


def chosen_name(chosen: dict[str, Any]) -> str:
    """How the table titles name the choice of :func:`chosen_ratios`."""
    if chosen["scenario_source"] == "--a inf":
        return "a = inf (d_B = 0: scenario II)"
    if chosen["scenario"] is None:
        return f"a = {chosen['a']:g}"
    if chosen["scenario_source"] == "default":
        return f"scenario {chosen['scenario']} (the default; choose with --scenario or --a)"
    return f"scenario {chosen['scenario']}"


def add_couplings(sub: Any) -> None:
    p = sub.add_parser(
        "couplings",
        help=COMMANDS["couplings"].help,
        description="Electroweak dipole couplings after symmetry breaking (talk; "
        "Zhang & Liu, PRD 107 (2023) 095031).",
    )
    add_coupling_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_couplings)


def run_couplings(args: argparse.Namespace) -> int:
    from nudipole.cli._common import console

    ratios, chosen = chosen_ratios(args)
    out = {
        "dZ_over_dgamma": ratios.dz_over_dgamma,
        "dW_over_dgamma": ratios.dw_over_dgamma,
        "sin2w": args.sin2w,
        **chosen,
    }
    if args.json:
        sys.stdout.write(json.dumps(json_safe(out), indent=1, allow_nan=False) + "\n")
        return 0
    table = Table(
        title=f"{chosen_name(chosen)}, sin^2(theta_w) = {args.sin2w:g}", header_style="bold"
    )
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


def add_widths(sub: Any) -> None:
    p = sub.add_parser(
        "widths",
        help=COMMANDS["widths"].help,
        description="Decay widths of N for a parameter point {m_N, d_gamma, scenario or a}: "
        "N -> nu gamma, nu Z(*) (incl. three-body nu f fbar) and l W(*) (incl. l f fbar').",
    )
    p.add_argument("--masses", type=float, nargs="+", required=True, metavar="M", help="GeV")
    p.add_argument("--d-gamma", type=float, default=1e-6, help="d_gamma in GeV^-1 (default 1e-6)")
    p.add_argument("--flavour", choices=[f.value for f in Flavour], default="e")
    p.add_argument("--nature", choices=[n.value for n in Nature], default="dirac")
    add_coupling_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_widths)


def run_widths(args: argparse.Namespace) -> int:
    from nudipole.cli._common import console

    masses = np.asarray(args.masses, dtype=float)
    lo, hi = WIDTH_MASSES
    for m in masses:
        if not lo <= m <= hi:  # also NaN
            raise ValueError(
                f"--masses {m:g}: masses must be positive numbers in GeV, from {lo:g} to {hi:g}"
            )
    lo, hi = WIDTH_D_GAMMA
    if not lo <= args.d_gamma <= hi:
        raise ValueError(
            f"--d-gamma {args.d_gamma:g}: d_gamma must be positive, from {lo:g} to {hi:g} GeV^-1"
        )
    ratios, chosen = chosen_ratios(args)
    couplings = {Flavour(args.flavour): ratios.couplings(args.d_gamma)}
    nature = Nature(args.nature)
    sm = replace(SM, sin2w=args.sin2w)
    widths = decay_ew.partial_widths(masses, couplings, nature, sm=sm)
    total = np.asarray(sum(widths.values()), dtype=float)
    ok = total > 0.0
    br = {k: np.where(ok, v / np.where(ok, total, 1.0), np.nan) for k, v in widths.items()}
    ctau_m = np.where(ok, HBARC_GEV_M / np.where(ok, total, 1.0), np.inf)
    if args.json:
        out = {
            "mass": masses.tolist(),
            "units": {"mass": "GeV", "widths": "GeV", "ctau": "m"},
            "d_gamma": args.d_gamma,
            "dZ_over_dgamma": ratios.dz_over_dgamma,
            "dW_over_dgamma": ratios.dw_over_dgamma,
            "flavour": args.flavour,
            "nature": args.nature,
            "sin2w": args.sin2w,
            **chosen,
            "widths": {k: v.tolist() for k, v in widths.items()},
            "total_width": total.tolist(),
            "branching_ratios": {k: [None if np.isnan(x) else float(x) for x in v]
                                 for k, v in br.items()},
            "ctau": [None if np.isinf(x) else float(x) for x in ctau_m],
        }  # fmt: skip
        sys.stdout.write(json.dumps(json_safe(out), indent=1, allow_nan=False) + "\n")
        return 0
    table = Table(
        title=f"N decays: d_gamma = {args.d_gamma:g} GeV^-1, {chosen_name(chosen)}, "
        f"flavour {args.flavour}, "
        f"{args.nature}",
        header_style="bold",
    )
    for col in ("m_N [GeV]", *(f"Gamma({k}) [GeV]" for k in widths), "total [GeV]",
                "Br(nu gamma)", "c tau [m]"):  # fmt: skip
        table.add_column(col, justify="right")
    for i, m in enumerate(masses):
        table.add_row(
            f"{m:g}",
            *(f"{widths[k][i]:.4g}" for k in widths),
            f"{total[i]:.4g}",
            f"{br['nu gamma'][i]:.6g}",
            f"{ctau_m[i]:.4g}",
        )
    console().print(table)
    return 0
