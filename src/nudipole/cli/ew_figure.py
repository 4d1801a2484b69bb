"""``nudipole figure lep-cepc``: LEP limits and CEPC reach per flavour, with existing limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nudipole.api import mass_grid, reach, resolve_experiment
from nudipole.limits import LimitSet
from nudipole.model import Flavour
from nudipole.reach.recipes import LEP_CEPC
from nudipole.reach.result import ReachResult

#: Axes of the LEP/CEPC figure: m_N in GeV and d_gamma in GeV^-1.
LEP_CEPC_MASS_RANGE = (1e-2, 400.0)
LEP_CEPC_D_RANGE = (1e-8, 1e-1)
M_MIN = 1e-2  # GeV


def lep_cepc_curves(
    flavour: Flavour,
    scenario: str | None,
    a: float | None,
    sin2w: float | None,
    preset: str,
    n: int,
    seed: int,
    progress: Any,
) -> list[tuple[ReachResult, Any]]:
    """The eight curves of :data:`LEP_CEPC` for one flavour."""
    from nudipole.plotting.landscape import CurveStyle

    out = []
    for curve, style in LEP_CEPC:
        exp = resolve_experiment(curve.experiment)
        sel = exp.selection(curve.selection)
        top = sel.sqrt_s if sel.sqrt_s is not None else exp.max_sqrt_s
        masses = mass_grid(M_MIN, 0.995 * top, n)
        result = reach(
            exp,
            masses,
            selection=curve.selection,
            preset=preset,
            seed=seed,
            progress=progress,
            flavour=flavour,
            scenario=scenario,
            a=a,
            sin2w=sin2w,
        )
        out.append((result, CurveStyle(curve.label, curve.color, style)))
    return out


def make_lep_cepc(
    output: Path,
    flavours: list[Flavour],
    limits: LimitSet,
    scenario: str | None,
    a: float | None,
    sin2w: float | None,
    preset: str,
    n: int,
    seed: int,
    show_progress: bool,
) -> None:
    from nudipole.cli._common import progress_bar
    from nudipole.plotting.landscape import plot_landscape
    from nudipole.plotting.reach_plots import save_figure

    by_flavour = {}
    with progress_bar(len(flavours) * len(LEP_CEPC) * n, "LEP/CEPC", show_progress) as progress:
        for flavour in flavours:
            by_flavour[flavour] = lep_cepc_curves(
                flavour, scenario, a, sin2w, preset, n, seed, progress
            )
    name = f"scenario {scenario}" if scenario else (f"a = {a:g}" if a is not None else "")
    fig = plot_landscape(
        flavours,
        limits,
        [],
        title=f"LEP and CEPC, {name} ({preset})",
        curves_by_flavour=by_flavour,
        mass_range=LEP_CEPC_MASS_RANGE,
        d_range=LEP_CEPC_D_RANGE,
    )
    for ax in fig.axes:
        ax.set_ylabel(ax.get_ylabel().replace("d_{", "d_{\\gamma,"))
    save_figure(fig, output)
