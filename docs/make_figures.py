"""Regenerate every figure shown in README.md and docs/, and README's headline tables (one
script, never by hand).

Run from the repository root:  python docs/make_figures.py [--only numbers|lhc|llp|...]

``--only numbers`` rewrites the two tables of README.md between the markers
``<!-- headline-table -->`` / ``<!-- /headline-table -->`` and ``<!-- newground-table -->`` /
``<!-- /newground-table -->`` from the same functions ``nudipole headline`` prints them with,
the new-ground table of docs/existing-limits.md between its ``<!-- newground-table -->``
markers (240 masses, both presets and both sets of limits), docs/electroweak.md's seven tables
between theirs (the functions of ``benchmarks/electroweak_report.py``), and docs/conventions.md's
five (those of ``benchmarks/conventions.py`` and ``benchmarks/systematics.py``) and
docs/lhc.md's three (``benchmarks/lhc_report.py``) and docs/lhc-wz.md's seven
(``benchmarks/wz_report.py``): every table listed in :data:`TABLES`.

Each figure is made by the same CLI command a user would run; the command is printed.
``tests/plotting/test_figure_rules.py`` checks that every image README.md and docs/*.md show
is made here; ``tests/plotting/test_figure_baselines.py`` compares small versions of the
figures with stored baselines, so that a change of the drawing code is seen.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from nudipole.cli.main import main as nudipole

IMG = Path(__file__).resolve().parent / "img"

#: (group, file name, CLI arguments). The headline figures use the headline's settings.
FIGURES: list[tuple[str, str, list[str]]] = [
    ("core", "fig_belle2.png", ["figure", "belle2"]),
    ("core", "fig_besiii-stcf.png", ["figure", "besiii-stcf"]),
    ("core", "fig_landscape.png", ["figure", "landscape", "--limits", "paper"]),
    ("core", "fig_landscape_all.png", ["figure", "landscape", "--limits", "all"]),
    ("ew", "fig_lep_cepc_I.png", ["figure", "lep-cepc", "--scenario", "I"]),
    ("ew", "fig_lep_cepc_II.png", ["figure", "lep-cepc", "--scenario", "II"]),
    # statistics-only curves with the band up to a 1 % background uncertainty (issue 12 §3)
    (
        "syst",
        "fig_belle2_bkg.png",
        ["figure", "belle2", "--preset", "paper", "--bkg-uncertainty", "0.01"],
    ),
    (
        "syst",
        "fig_lep_cepc_II_bkg.png",
        ["figure", "lep-cepc", "--scenario", "II", "--flavour", "mu", "--bkg-uncertainty", "0.01"],
    ),
    (
        "lhc",
        "fig_lhc_far.png",
        ["figure", "lhc-far", "--preset", "paper", "--limits", "paper", "--points", "40"],
    ),
    (
        "lhc",
        "fig_lhc_far_default.png",
        ["figure", "lhc-far", "--preset", "default", "--limits", "paper", "--points", "40"],
    ),
    (
        "lhc",
        "fig_lhc_channels.png",
        [
            "figure",
            "lhc-channels",
            "--experiment",
            "faser2",
            "--flavour",
            "e",
            "--preset",
            "paper",
            "--points",
            "40",
        ],
    ),
    # the talk's LLP figure for W/Z-produced N: flavour universal (left) and d_tau (right)
    (
        "llp",
        "fig_lhc_llp_C.png",
        ["figure", "lhc-llp", "--scenario", "C", "--preset", "default", "--points", "40"],
    ),
]


README = Path(__file__).resolve().parent.parent / "README.md"
EXISTING_LIMITS = Path(__file__).resolve().parent / "existing-limits.md"
ELECTROWEAK = Path(__file__).resolve().parent / "electroweak.md"
CONVENTIONS = Path(__file__).resolve().parent / "conventions.md"
LHC = Path(__file__).resolve().parent / "lhc.md"
LHC_WZ = Path(__file__).resolve().parent / "lhc-wz.md"
BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

#: Every table of README.md and docs/ that ``--only numbers`` writes: the file and the tags of
#: its ``<!-- tag -->`` / ``<!-- /tag -->`` markers (``tests/plotting/test_figure_rules.py``
#: checks that these are all the markers there are).
TABLES: dict[Path, tuple[str, ...]] = {
    README: ("headline-table", "newground-table"),
    EXISTING_LIMITS: ("newground-table",),
    ELECTROWEAK: (
        "couplings-table",
        "branching-table",
        "readings-table",
        "cepc-band-table",
        "lep-results-table",
        "cepc-results-table",
        "magill-table",
    ),
    CONVENTIONS: (
        "conventions-table",
        "preset-ratio-table",
        "decay-ratio-table",
        "signal-needed-table",
        "systematics-table",
    ),
    LHC: ("form-factor-table", "band-table", "option-table"),
    LHC_WZ: (
        "polarisation-table",
        "visible-table",
        "rate-table",
        "wz-band-table",
        "wz-ground-table",
        "meson-wz-table",
        "universal-table",
    ),
}


def _replace_between(text: str, tag: str, body: str) -> str:
    """``text`` with the lines between ``<!-- tag -->`` and ``<!-- /tag -->`` replaced."""
    start, end = f"<!-- {tag} -->", f"<!-- /{tag} -->"
    i, j = text.index(start) + len(start), text.index(end)
    return text[:i] + "\n" + body + text[j:]


def _write_tables(path: Path, tables: dict[str, list[str]]) -> None:
    """Write each table (tag: Markdown lines) of ``path`` between its markers, all of the
    file's tables (:data:`TABLES`) at once."""
    if set(tables) != set(TABLES[path]):
        raise SystemExit(f"{path.name}: tables {sorted(tables)}, expected {TABLES[path]}")
    text = path.read_text(encoding="utf-8")
    for tag, lines in tables.items():
        text = _replace_between(text, tag, "\n".join(lines) + "\n")
    path.write_text(text, encoding="utf-8")


def readme_numbers() -> None:
    """README's headline table (d95 at m_N = 1 GeV, both presets, against the seed) and its
    new-ground table (paper preset against the limits the seed drew, edges solved on each
    curve), as ``nudipole headline`` computes them."""
    from nudipole.cli.headline import ground_intervals, headline_cells, headline_rows
    from nudipole.cli.landscape_commands import curve_function, landscape_curves
    from nudipole.io.markdown import markdown_table
    from nudipole.limits import load_catalogue
    from nudipole.reach.recipes import LANDSCAPE

    headline = markdown_table(
        [
            "curve",
            "published (seed)",
            "`paper` preset",
            "ratio",
            "`default` preset",
            "default/paper",
        ],
        [headline_cells(row) for row in headline_rows()],
    )
    curves = landscape_curves(["paper"], 120, None)
    d95_at = {
        style.label: curve_function(curve, "paper")
        for (_, style), (curve, _) in zip(curves, LANDSCAPE, strict=True)
    }
    found = ground_intervals(
        [(style.label, r.mass, r.d95) for r, style in curves], load_catalogue().paper_set(), d95_at
    )
    rows = [
        [
            style.label.rsplit(" [", 1)[0],
            *(", ".join(f"{iv.low:.2g}–{iv.high:.3g}" for iv in ivs) or "none" for ivs in per),
        ]
        for (_, style), per in zip(curves, found, strict=True)
    ]
    ground = markdown_table(["curve", "d_e", "d_μ", "d_τ"], rows)
    _write_tables(README, {"headline-table": headline, "newground-table": ground})


def _report(name: str) -> Any:
    """The module of ``benchmarks/<name>.py`` (the script whose functions compute a docs
    table), loaded from its file."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def docs_numbers() -> None:
    """docs/existing-limits.md's new-ground table: each landscape curve on 240 masses from
    1 MeV, both presets, against the seed's set of limits, edges solved on each curve, then
    the rows that the full catalogue changes (``benchmarks/newground_report.py``'s
    functions)."""
    report = _report("newground_report")
    _write_tables(EXISTING_LIMITS, {"newground-table": report.table_lines(*report.scan(240))})


def electroweak_numbers() -> None:
    """docs/electroweak.md's tables (coupling ratios, Br(N -> nu gamma), the LEP readings, the
    CEPC boundary band, the LEP and CEPC results, Magill et al.'s curve), as
    ``benchmarks/electroweak_report.py`` prints them."""
    report = _report("electroweak_report")
    _write_tables(
        ELECTROWEAK,
        {
            "couplings-table": report.couplings_lines(),
            "branching-table": report.branching_lines(),
            "readings-table": report.readings_lines(),
            "cepc-band-table": report.cepc_band_lines(),
            "lep-results-table": report.results_lines(report.RUNS[:4]),
            "cepc-results-table": report.results_lines(report.RUNS[4:]),
            "magill-table": report.magill_lines(),
        },
    )


def conventions_numbers() -> None:
    """docs/conventions.md's tables: the conventions at 1 GeV, the default / paper and
    decay-model ratios and the signal needed per statistic (``benchmarks/conventions.py``),
    and how a background uncertainty moves the limits (``benchmarks/systematics.py``)."""
    conventions = _report("conventions")
    _write_tables(
        CONVENTIONS,
        {
            "conventions-table": conventions.convention_lines(),
            "preset-ratio-table": conventions.preset_ratio_lines(),
            "decay-ratio-table": conventions.decay_ratio_lines(),
            "signal-needed-table": conventions.signal_needed_lines(),
            "systematics-table": _report("systematics").summary_lines(),
        },
    )


def lhc_numbers() -> None:
    """docs/lhc.md's tables of the form factor's effect, of the far-detector bands and of the
    options' effect on FASER-2's band (``benchmarks/lhc_report.py``'s functions), and
    docs/lhc-wz.md's seven tables of the W/Z source (``benchmarks/wz_report.py``'s
    :data:`DOC_TABLES`)."""
    report = _report("lhc_report")
    _write_tables(
        LHC,
        {
            "form-factor-table": report.form_factor_lines(),
            "band-table": report.band_lines(),
            "option-table": report.option_lines(),
        },
    )
    wz = _report("wz_report")
    _write_tables(LHC_WZ, {tag: lines() for tag, lines in wz.DOC_TABLES.items()})


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted({g for g, _, _ in FIGURES} | {"numbers"}))
    args = parser.parse_args()
    IMG.mkdir(exist_ok=True)
    if args.only in (None, "numbers"):
        print("README tables (headline, new ground)", flush=True)
        readme_numbers()
        print("docs/existing-limits.md's new-ground table", flush=True)
        docs_numbers()
        print("docs/electroweak.md's tables of the LEP readings and Magill et al.", flush=True)
        electroweak_numbers()
        print("docs/conventions.md's tables", flush=True)
        conventions_numbers()
        print("docs/lhc.md's and docs/lhc-wz.md's tables", flush=True)
        lhc_numbers()
    for group, name, argv in FIGURES:
        if args.only and group != args.only:
            continue
        full = [*argv, "-o", str(IMG / name)]
        print("nudipole " + " ".join(full), flush=True)
        t0 = time.perf_counter()
        code = nudipole(full)
        if code != 0:
            return code
        print(f"  {time.perf_counter() - t0:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(run())
