"""CLI ``spectra``: list the shipped forward LHC spectra, check a user's table, generate one.

* ``nudipole spectra [--json]``: the built-in tables (PDG id, particle, generator, set, sigma);
* ``nudipole spectra show FILE [--pdgid N] [--sqrt-s GEV] [--drop-negative] [--json]``: load and
  validate a FORESEE-format file, print its summary;
* ``nudipole spectra generate --pdgid N --events N [--sqrt-s GEV] [--seed S] -o OUT.txt
  [--process P] [--tune N] [--setting 'Key = value' ...] [--conjugate]
  [--hemisphere forward|both] [--json]``: run Pythia 8 (``pip install pythia8mc``) and write the
  table; ``--hemisphere both`` also writes the backward hemisphere (pz < 0, theta from the -z
  axis) beside it, ``OUT`` with ``_backward`` before the suffix (:func:`backward_path`).

Bad input raises ValueError (:class:`~nudipole.production.spectra.SpectrumError` or
:class:`~nudipole.experiments.ExperimentError`), which ``nudipole``'s main turns into one line
on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import re
import shlex
import sys
from pathlib import Path
from typing import Any, Final

import hepunits
from rich.table import Table

from nudipole.cli._commands import COMMANDS
from nudipole.cli._common import check_output, console, progress_bar
from nudipole.production.pythia_spectra import (
    MAX_EVENTS,
    PROCESSES,
    anti_pdgid,
    generate_full_angle,
    generate_spectra,
    write_hemisphere,
)
from nudipole.production.spectra import (
    Spectrum,
    SpectrumError,
    builtin_catalogue,
    load_foresee,
    write_foresee,
)

#: Output file endings accepted by ``spectra generate``.
OUTPUT_SUFFIXES: Final[tuple[str, ...]] = (".txt", ".dat", ".gz")
_PB_TO_FB: Final[float] = hepunits.picobarn / hepunits.femtobarn
_DEFAULT_SEED: Final[int] = 20220415


def _event_count(text: str) -> int:
    """argparse type: a whole number of events, also written as 1e5 (range checked later)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of events") from None
    if not math.isfinite(value) or value != math.floor(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of events")
    return int(value)


def add_spectra(sub: Any) -> None:
    """Register ``spectra`` (and its ``show`` / ``generate`` actions) on the sub-parsers."""
    p = sub.add_parser(
        "spectra",
        help=COMMANDS["spectra"].help,
        description="Forward production spectra in the FORESEE format (Kling & Trojanowski, "
        "arXiv:2105.07077): without an action, list the tables shipped with nudipole.",
    )
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=run_list)
    actions = p.add_subparsers(dest="action", parser_class=type(p), metavar="{show,generate}")

    show = actions.add_parser(
        "show",
        help="load and validate a FORESEE-format table, print its summary",
        description="Read a FORESEE-format file (plain or .gz; rows log10(theta/rad) "
        "log10(p/GeV) sigma[pb/bin]), check it and summarise it.",
    )
    show.add_argument("file", help="the table")
    show.add_argument("--pdgid", type=int, help="PDG id (default: '# pid:' line or file name)")
    show.add_argument(
        "--sqrt-s", type=float, default=14000.0, metavar="GEV", help="pp energy (default 14000)"
    )
    show.add_argument(
        "--drop-negative", action="store_true", help="drop bins with sigma < 0 (NLO tables)"
    )
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(func=run_show)

    gen = actions.add_parser(
        "generate",
        help="generate a table with Pythia 8 (needs: pip install pythia8mc)",
        description="Count the particles of one PDG id in the forward hemisphere of Pythia 8 "
        "pp events on the FORESEE grid (0.05 x 0.05 in log10 theta, log10 p), normalised with "
        "Pythia's sigmaGen, and write the table with the settings in its header.",
    )
    gen.add_argument("--pdgid", type=int, required=True, help="PDG id to count, e.g. 111")
    gen.add_argument(
        "--events", type=_event_count, required=True, help=f"pp events, 1..{MAX_EVENTS:.0e}"
    )
    gen.add_argument(
        "--sqrt-s", type=float, default=14000.0, metavar="GEV", help="pp energy (default 14000)"
    )
    gen.add_argument(
        "--seed", type=int, default=_DEFAULT_SEED, help=f"Pythia seed (default {_DEFAULT_SEED})"
    )
    gen.add_argument(
        "--process",
        choices=list(PROCESSES),
        help="Pythia process (default by particle: inelastic, hardccbar, hardbbbar, "
        "charmonium, bottomonium, w, z)",
    )
    gen.add_argument("--tune", type=int, help="Pythia Tune:pp number (default Monash)")
    gen.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="'KEY = VALUE'",
        help="extra Pythia setting (repeatable)",
    )
    gen.add_argument(
        "--conjugate",
        action="store_true",
        help="also count the charge conjugate, written beside OUT as a second table",
    )
    gen.add_argument(
        "--hemisphere",
        choices=["forward", "both"],
        default="forward",
        help="forward: pz > 0 only (FORESEE's convention, default); both: also the backward "
        "hemisphere (pz < 0, theta from the -z axis) in OUT_backward",
    )
    gen.add_argument("-o", "--output", required=True, metavar="OUT.txt", help=".txt/.dat/.gz")
    gen.add_argument("--json", action="store_true", help="print a JSON summary")
    gen.set_defaults(func=run_generate)


# --------------------------------------------------------------------------- list
def run_list(args: argparse.Namespace) -> int:
    entries = builtin_catalogue()
    if args.json:
        out = [{**dataclasses.asdict(e), "sum_fb": e.sum_pb * _PB_TO_FB} for e in entries]
        sys.stdout.write(json.dumps(out, indent=1) + "\n")
        return 0
    table = Table(
        title="Built-in forward spectra, pp at 14 TeV (forward hemisphere)",
        caption="FORESEE tables (F. Kling & S. Trojanowski, arXiv:2105.07077), MIT licence. "
        "Set 'default' = the talk's Table I; 'nlo' falls back to 'default' for other "
        "particles; 'bosons' is leading order.",
        header_style="bold",
    )
    for col in ("PDG id", "particle", "generator", "set", "sigma (pb)", "sigma (fb)", "rows"):
        table.add_column(col, justify="right" if col.startswith(("sigma", "rows")) else "left")
    table.add_column("source")
    for e in entries:
        table.add_row(
            str(e.pdgid),
            e.particle,
            e.generator,
            e.spectra_set,
            f"{e.sum_pb:.3e}",
            f"{e.sum_pb * _PB_TO_FB:.2e}",
            str(e.rows),
            f"{e.reference}: {e.original_file}",
        )
    console().print(table)
    return 0


# --------------------------------------------------------------------------- show
def summary(spectrum: Spectrum) -> dict[str, Any]:
    """Plain-data summary of a spectrum (what ``show`` and ``generate`` print)."""
    half = 0.5 * spectrum.bin_width_log10
    lt, lp = spectrum.log10_theta, spectrum.log10_p
    return {
        "origin": spectrum.origin,
        "pdgid": spectrum.pdgid,
        "particle": spectrum.particle,
        "generator": spectrum.generator,
        "sqrt_s_gev": spectrum.sqrt_s_gev,
        "rows": spectrum.rows,
        "bin_width_log10": spectrum.bin_width_log10,
        "sigma_pb": spectrum.total_pb,
        "sigma_fb": spectrum.total_pb * _PB_TO_FB,
        "theta_range_rad": [10.0 ** float(lt.min() - half), 10.0 ** float(lt.max() + half)],
        "p_range_gev": [10.0 ** float(lp.min() - half), 10.0 ** float(lp.max() + half)],
        "source": spectrum.source,
    }


def _print_summary(info: dict[str, Any], title: str) -> None:
    table = Table(title=title, header_style="bold", show_header=False)
    table.add_column("quantity")
    table.add_column("value")
    t_lo, t_hi = info["theta_range_rad"]
    p_lo, p_hi = info["p_range_gev"]
    rows = [
        ("file", str(info.get("file", info["origin"]))),
        ("PDG id", f"{info['pdgid']} ({info['particle']})"),
        ("generator", str(info["generator"])),
        ("sqrt(s)", f"{info['sqrt_s_gev']:g} GeV"),
        ("non-zero bins", str(info["rows"])),
        ("bin width", f"{info['bin_width_log10']:g} in log10(theta), log10(p)"),
        ("sigma (forward)", f"{info['sigma_pb']:.4g} pb = {info['sigma_fb']:.4g} fb"),
        ("theta range", f"{t_lo:.3g} .. {t_hi:.3g} rad (bin edges)"),
        ("p range", f"{p_lo:.3g} .. {p_hi:.3g} GeV (bin edges)"),
        ("source", str(info["source"])),
    ]
    for key, value in rows:
        table.add_row(key, value)
    console().print(table)


def run_show(args: argparse.Namespace) -> int:
    spectrum = load_foresee(
        args.file, pdgid=args.pdgid, sqrt_s_gev=args.sqrt_s, drop_negative=args.drop_negative
    )
    info = summary(spectrum)
    if args.json:
        sys.stdout.write(json.dumps(info, indent=1) + "\n")
    else:
        _print_summary(info, f"FORESEE table {args.file}")
    return 0


# --------------------------------------------------------------------------- generate
def conjugate_path(out: Path, pdgid: int, anti: int) -> Path:
    """Where the conjugate's table goes: ``..._<pdgid>.txt`` -> ``..._<anti>.txt``, else
    ``<stem>_<anti><suffixes>``."""
    name = out.name
    pattern = re.compile(rf"_{re.escape(str(pdgid))}(\.[A-Za-z]+(?:\.gz)?)$")
    if pattern.search(name):
        return out.with_name(pattern.sub(rf"_{anti}\1", name))
    stem, dot, rest = name.partition(".")
    return out.with_name(f"{stem}_{anti}{dot}{rest}")


def backward_path(out: Path) -> Path:
    """Where the backward hemisphere's table goes: ``_backward`` before the file ending
    (``W_24.txt.gz`` -> ``W_24_backward.txt.gz``, ``a.b.dat`` -> ``a.b_backward.dat``)."""
    name = out.name
    ending = ""
    for suffix in (".gz", ".txt", ".dat"):
        if name[: len(name) - len(ending)].lower().endswith(suffix):
            ending = name[len(name) - len(ending) - len(suffix) :]
    return out.with_name(f"{name[: len(name) - len(ending)]}_backward{ending}")


def _command(args: argparse.Namespace) -> str:
    parts = [
        "nudipole spectra generate",
        f"--pdgid {args.pdgid}",
        f"--events {args.events}",
        f"--sqrt-s {args.sqrt_s!r}",
        f"--seed {args.seed}",
    ]
    if args.process:
        parts.append(f"--process {args.process}")
    if args.tune is not None:
        parts.append(f"--tune {args.tune}")
    parts += [f"--setting {shlex.quote(s)}" for s in args.setting]
    if args.conjugate:
        parts.append("--conjugate")
    if args.hemisphere != "forward":
        parts.append(f"--hemisphere {args.hemisphere}")
    parts.append(f"-o {shlex.quote(args.output)}")
    return " ".join(parts)


def run_generate(args: argparse.Namespace) -> int:
    out = check_output(args.output, OUTPUT_SUFFIXES)
    pdgids = [args.pdgid]
    outputs = {args.pdgid: out}
    if args.conjugate:
        anti = anti_pdgid(args.pdgid)
        if anti == args.pdgid:
            raise SpectrumError(
                f"--conjugate: PDG {args.pdgid} is its own antiparticle; drop --conjugate"
            )
        pdgids.append(anti)
        outputs[anti] = conjugate_path(out, args.pdgid, anti)
    if args.hemisphere == "both":
        return _generate_both(args, pdgids, outputs)
    with progress_bar(args.events, f"Pythia 8, PDG {args.pdgid}", not args.json) as progress:
        spectra = generate_spectra(
            pdgids,
            args.events,
            args.sqrt_s,
            args.seed,
            process=args.process,
            tune=args.tune,
            settings=args.setting,
            progress=progress,
        )
    command = _command(args)
    for pid, spectrum in spectra.items():
        write_foresee(spectrum, outputs[pid], header_lines=[f"command: {command}"])
    infos = [{**summary(s), "file": str(outputs[pid])} for pid, s in spectra.items()]
    if args.json:
        sys.stdout.write(json.dumps(infos if args.conjugate else infos[0], indent=1) + "\n")
        return 0
    for info in infos:
        _print_summary(info, f"wrote {info['file']}")
    return 0


def _generate_both(args: argparse.Namespace, pdgids: list[int], outputs: dict[int, Path]) -> int:
    """``--hemisphere both``: forward table in OUT, backward one in :func:`backward_path`."""
    for out in outputs.values():
        check_output(str(backward_path(out)), OUTPUT_SUFFIXES)
    with progress_bar(args.events, f"Pythia 8, PDG {args.pdgid}", not args.json) as progress:
        runs = generate_full_angle(
            pdgids,
            args.events,
            args.sqrt_s,
            args.seed,
            process=args.process,
            tune=args.tune,
            settings=args.setting,
            progress=progress,
        )
    command = _command(args)
    infos: list[dict[str, Any]] = []
    for pid, run in runs.items():
        for side, spectrum, path in (
            ("forward", run.forward, outputs[pid]),
            ("backward", run.backward, backward_path(outputs[pid])),
        ):
            write_hemisphere(spectrum, path, side, header_lines=[f"command: {command}"])
            infos.append({**summary(spectrum), "file": str(path), "hemisphere": side})
    if args.json:
        sys.stdout.write(json.dumps(infos, indent=1) + "\n")
        return 0
    for info in infos:
        _print_summary(info, f"wrote {info['file']} ({info['hemisphere']} hemisphere)")
    return 0


__all__ = [
    "add_spectra",
    "backward_path",
    "conjugate_path",
    "run_generate",
    "run_list",
    "run_show",
    "summary",
]
