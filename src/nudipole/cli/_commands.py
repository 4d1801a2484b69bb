"""The subcommands of ``nudipole``: name, the module and function that add its parser, and its
one-line help (shown by ``nudipole --help``), in the order of that help.

Kept free of imports so that ``nudipole --help`` lists the commands without importing any of
them; :func:`nudipole.cli.main.build_parser` builds the parser of the command being run only.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class Command(NamedTuple):
    module: str  # in nudipole.cli
    adder: str  # function(sub) adding the command's parser to the subparsers
    help: str


COMMANDS: Final[dict[str, Command]] = {
    "reach": Command(
        "reach_commands", "add_reach", "expected 95%% CL limit on d versus m_N for one experiment"
    ),
    "figure": Command("figure_commands", "add_figure", "reproduce a figure of the seed paper"),
    "headline": Command(
        "headline",
        "add_headline",
        "main job: seed Figs. 1-3, the LHC far-detector figure, and the headline tables",
    ),
    "experiments": Command(
        "experiments_commands",
        "add_experiments",
        "list built-in experiments or print one's TOML to copy",
    ),
    "limits": Command(
        "landscape_commands",
        "add_limits",
        "list existing limits, or their envelope for one flavour",
    ),
    "newground": Command(
        "newground_commands",
        "add_newground",
        "mass intervals where a projection beats every existing limit",
    ),
    "couplings": Command(
        "ew_commands",
        "add_couplings",
        "d_Z/d_gamma and d_W/d_gamma of a scenario or of a = d_W/d_B",
    ),
    "widths": Command(
        "ew_commands", "add_widths", "partial widths, total width and Br(N -> nu gamma) of N"
    ),
    "events": Command(
        "events_commands",
        "add_events",
        "expected events at one (m_N, d) point, stage by stage (any experiment)",
    ),
    "spectra": Command(
        "spectra_commands",
        "add_spectra",
        "forward LHC meson/boson spectra: list the built-in tables, check or generate one",
    ),
}
