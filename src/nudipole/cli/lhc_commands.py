"""CLI for the far detectors (LHC): their options, reach bands and ``events`` (the figures:
:mod:`nudipole.cli.lhc_figures`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from rich.table import Table

from nudipole._version import provenance
from nudipole.api import (
    far_detector_events,
    far_reach,
    mass_grid,
)
from nudipole.cli._common import console, progress_bar
from nudipole.experiments import ExperimentError, FarDetectorExperiment
from nudipole.io.results import dumps, to_csv, write_atomic
from nudipole.model import FlavourMode
from nudipole.production.boson_channels import BOSON_TABLE_SETS, BosonPolarisation
from nudipole.production.channels import ALL_CHANNELS, SOURCES
from nudipole.production.meson_source import SPECTRA_SETS
from nudipole.reach.far_couplings import FarSignal
from nudipole.reach.far_presets import ErrorRule, FormFactor
from nudipole.reach.result import ReachResult

#: Masses of the lhc-far figures and of a far scan without masses (GeV): from 1 MeV to just
#: below the Upsilon(1S).
FIGURE_MASSES = (1.0e-3, 9.4)


def add_far_options(p: argparse.ArgumentParser) -> None:
    """Options that only far detectors take."""
    g = p.add_argument_group("far detectors (faser2, facet, mapp2, mathusla, anubis, ...)")
    g.add_argument(
        "--sources",
        metavar="LIST",
        help=f"sources of N, comma-separated: {', '.join(SOURCES)} (default mesons); wz "
        "(N from W and Z decays) needs --scenario or --a",
    )
    g.add_argument(
        "--channels",
        metavar="LIST",
        help=f"comma-separated channels of the sources (default all of them: "
        f"{','.join(ALL_CHANNELS)})",
    )
    g.add_argument(
        "--spectra",
        choices=SPECTRA_SETS,
        default="default",
        help="meson spectra: default (EPOS-LHC + Pythia 8, the talk's Table I) or nlo "
        "(NLO+Pythia 8 for D, Ds, B)",
    )
    g.add_argument(
        "--form-factor",
        choices=[f.value for f in FormFactor],
        help="P -> gamma gamma* form factor of pi0, eta, eta' (default point)",
    )
    g.add_argument(
        "--signal",
        choices=[s.value for s in FarSignal],
        help="signal: photon (N -> nu gamma in the volume, default) or visible (every visible "
        "decay of N: nu gamma, l f f', nu f f; with --scenario or --a)",
    )
    g.add_argument(
        "--boson-polarisation",
        choices=[b.value for b in BosonPolarisation],
        help="N angular distribution in the W/Z frame: lo (leading-order transverse "
        "polarisation about the boson direction, default) or unpolarised (isotropic)",
    )
    g.add_argument(
        "--wz-every-mass",
        action="store_true",
        default=None,
        help="compute N from W/Z afresh at every mass (slower) instead of from the rays of "
        "reference masses (band edges within 2e-4 of it)",
    )
    g.add_argument(
        "--wz-tables",
        choices=BOSON_TABLE_SETS,
        help="W/Z spectra: pythia (nudipole's full-angle Pythia 8 tables, default) or foresee "
        "(FORESEE's forward tables, mirrored)",
    )


def add_far_error_rule(p: argparse.ArgumentParser) -> None:
    """``--no-error`` and ``--error-rule`` of ``nudipole reach`` (far detectors only; ``events``
    and ``newground`` compute no integration error, so they do not take these)."""
    p.add_argument(
        "--no-error",
        dest="error_estimate",
        action="store_false",
        help="far detectors: skip the integration-error estimate (a second pass with other rules)",
    )
    p.add_argument(
        "--error-rule",
        choices=[r.value for r in ErrorRule],
        help="far detectors: the second rule of the error, every integration rule halved "
        "(default: a conservative estimate, +20-45 %% time) or doubled (an estimate of the error "
        "itself; the run takes 14-34 times as long)",
    )


#: Options of ``reach`` that only e+e- experiments take (name in args, flag); --scenario,
#: --a and --sin2w apply to both (far detectors: W/Z production and the N width).
COLLIDER_ONLY = (
    ("selection", "--selection"),
    ("sqrt_s", "--sqrt-s"),
    ("statistic", "--statistic"),
    ("photon_angular", "--photon-angular"),
    ("charge_states", "--charge-states"),
    ("decay_model", "--decay-model"),
    ("sampler", "--sampler"),
    ("events", "--events"),
    ("seed", "--seed"),
    ("ew_scheme", "--ew-scheme"),
)
#: Options that only far detectors take (name in args, flag), beyond --spectra etc.
FAR_ONLY = (
    ("channels", "--channels"),
    ("sources", "--sources"),
    ("form_factor", "--form-factor"),
    ("signal", "--signal"),
    ("boson_polarisation", "--boson-polarisation"),
    ("wz_tables", "--wz-tables"),
    ("wz_every_mass", "--wz-every-mass"),
    ("error_rule", "--error-rule"),
)


def reject_far_options(args: argparse.Namespace) -> None:
    """ExperimentError if an e+ e- run was given options that only far detectors take."""
    given = [flag for name, flag in FAR_ONLY if getattr(args, name, None) is not None]
    if getattr(args, "spectra", "default") != "default":
        given.append("--spectra")
    if getattr(args, "error_estimate", True) is False:
        # the e+e- curves' error comes with their rule at no extra pass: nothing to skip
        given.append("--no-error")
    if given:
        verb = "applies" if len(given) == 1 else "apply"
        raise ExperimentError(
            f"{', '.join(given)} {verb} only to far detectors (faser2, facet, mapp2, mathusla, "
            "anubis, codexb, al3x)"
        )


def with_run_options(exp: FarDetectorExperiment, args: argparse.Namespace) -> FarDetectorExperiment:
    """The detector with the luminosity of ``--lumi`` and the background uncertainty of
    ``--bkg-uncertainty``, where given (the latter refused where there is no background for
    it to widen: :func:`nudipole.far_api.far_with_background_uncertainty`)."""
    from nudipole.api import luminosity_pb
    from nudipole.far_api import far_with_background_uncertainty

    if getattr(args, "lumi", None) is not None:
        exp = exp.with_luminosity(luminosity_pb(args.lumi))
    value = getattr(args, "bkg_uncertainty", None)
    if value is None:
        return exp
    return far_with_background_uncertainty(exp, value, getattr(args, "preset", None) or "default")


def reject_collider_options(args: argparse.Namespace, title: str) -> None:
    given = [flag for name, flag in COLLIDER_ONLY if getattr(args, name, None) is not None]
    if getattr(args, "w_interference", True) is False:
        given.append("--no-w-interference")
    if given:
        verb, them = ("applies", "it") if len(given) == 1 else ("apply", "them")
        raise ExperimentError(
            f"{title} is a far detector: {', '.join(given)} {verb} only to e+e- experiments; "
            f"drop {them}"
        )


def print_far_table(result: ReachResult) -> None:
    inp = result.inputs
    conv = inp["conventions"]
    c = console()
    c.print(
        f"[bold]{inp['experiment_title']}[/bold]  {inp['total_luminosity']} at "
        f"sqrt(s) = {inp['sqrt_s'] / 1e3:g} TeV  preset={inp['preset']}  "
        f"flavour={inp['couplings']['flavour']}"
    )
    mesons = [ch for ch in inp["channels"] if ch not in ("W", "Z")]
    spectra = f"spectra {inp['integration']['spectra_set']}; " if mesons else ""
    c.print(
        f"channels: {','.join(inp['channels'])}; {spectra}"
        f"form factor {conv['form_factor']}; {conv['nature']} N, both charge states"
    )
    cpl = inp["couplings"]
    if cpl["couplings"] != "photon only":
        c.print(
            f"couplings: {cpl['couplings']}: d_Z/d_gamma = {cpl['dZ_over_dgamma']:.4g}, "
            f"d_W/d_gamma = {cpl['dW_over_dgamma']:.4g} (sin^2 theta_w = {cpl['sin2w']:g}); "
            "the band is on d_gamma; N decay length from its total width"
        )
    if "wz_source" in inp:
        wz = inp["wz_source"]
        c.print(f"W/Z source: tables {wz['tables']}, boson polarisation {wz['boson_polarisation']}")
    signal = conv.get("signal", "N -> nu gamma")
    sel = inp["photon_selection"]
    if conv["photon_selection"]:
        c.print(
            f"signal: {signal} in the volume, E_gamma > {sel['photon_energy_min']:g} GeV"
            f"{' (nu gamma)' if 'signal' in conv else ''}, efficiency {sel['efficiency']:g}, "
            f"background {sel['background']:g}; "
            f"95% CL: S >= {conv['signal_events_required']:.4g} events ({conv['statistic']})"
        )
    else:
        every = "every N -> nu gamma decay" if "signal" not in conv else signal
        c.print(
            f"signal: {every} in the volume, no background; 95% CL: "
            f"S >= {conv['signal_events_required']:g} events"
        )
    table = Table(show_edge=False, header_style="bold")
    columns = ("m_N [GeV]", "d95 low [GeV^-1]", "d95 high [GeV^-1]", "error low / high")
    for col in (*columns, "acceptance"):
        table.add_column(col, justify="right")
    for m, lo, hi, e, e_hi, a in zip(
        result.mass,
        result.d95,
        result.upper,
        result.d95_error,
        result.upper_error,
        result.acceptance,
        strict=True,
    ):
        error = "" if np.isnan(e) or np.isnan(lo) else f"{100 * e / lo:.2f}"
        if error and not np.isnan(e_hi):
            error += f" / {100 * e_hi / hi:.2f}"
        table.add_row(
            f"{m:.4g}",
            "no sensitivity" if np.isnan(lo) else f"{lo:.3e}",
            # (a band with no upper edge in the scanned range: a detector from the interaction
            # point on, where N decaying early still decay inside)
            "" if np.isnan(lo) else "none found" if np.isnan(hi) else f"{hi:.3e}",
            f"{error} %" if error else "",
            f"{a:.3g}",
        )
    c.print(table)
    for end in result.band_ends:
        where = "closes above" if end.side == "upper" else "opens below"
        c.print(
            f"band {where} m_N = {end.mass:.4g} GeV (to {100 * end.tolerance:.2g} %), "
            f"where d = {end.d95:.3e}-{end.d95_upper:.3e} GeV^-1"
        )
    rule = result.inputs.get("error_rule")
    what = (
        "doubled (an estimate of the error)"
        if rule == ErrorRule.DOUBLED
        else "halved (a conservative estimate of the error)"
    )
    error = f"; error = change of each edge when every integration rule is {what}"
    c.print(
        "acceptance = fraction of the N produced whose direction crosses the detector"
        + (error if rule else "")
    )


def _far_masses(args: argparse.Namespace) -> np.ndarray:
    if args.masses is not None:
        return np.asarray(args.masses, dtype=float)
    if args.mass_range is not None:
        lo, hi, n = args.mass_range
        if n != int(n):
            raise ExperimentError("--mass-range N must be a whole number")
        return mass_grid(lo, hi, int(n))
    return mass_grid(*FIGURE_MASSES, 60)


def far_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Keywords of :func:`nudipole.api.far_reach` from the parsed options."""
    return {
        "preset": args.preset,
        "channels": args.channels,
        "flavour": args.flavour,
        "spectra": args.spectra,
        "form_factor": args.form_factor,
        "nature": args.nature,
        "sources": getattr(args, "sources", None),
        "scenario": getattr(args, "scenario", None),
        "a": getattr(args, "a", None),
        "sin2w": getattr(args, "sin2w", None),
        "signal": getattr(args, "signal", None) or FarSignal.PHOTON.value,
        "boson_polarisation": getattr(args, "boson_polarisation", None)
        or BosonPolarisation.LO.value,
        "wz_tables": getattr(args, "wz_tables", None) or "pythia",
        "wz_every_mass": bool(getattr(args, "wz_every_mass", None)),
    }


def run_far_reach(args: argparse.Namespace, exp: FarDetectorExperiment, out: Path | None) -> int:
    reject_collider_options(args, exp.title)
    exp = with_run_options(exp, args)
    rule = getattr(args, "error_rule", None)
    if rule is not None and not args.error_estimate:
        raise ExperimentError(
            f"--error-rule {rule} chooses the rule of the error estimate that --no-error "
            "skips; drop one of them"
        )
    masses = _far_masses(args)
    with progress_bar(len(masses), f"{exp.title} band", not args.json) as progress:
        result = far_reach(
            exp,
            masses,
            progress=progress,
            error_estimate=args.error_estimate,
            error_rule=rule or ErrorRule.HALVED,
            **far_kwargs(args),
        )
    if out is not None:
        text = to_csv(result) if out.suffix.lower() == ".csv" else dumps(result) + "\n"
        write_atomic(out, text.encode("utf-8"))
    if args.json:
        sys.stdout.write(dumps(result) + "\n")
    else:
        print_far_table(result)
    return 0


# ------------------------------------------------------------------------------- events
def run_far_events(args: argparse.Namespace, exp: FarDetectorExperiment) -> int:
    """``nudipole events`` for a far detector: counts per meson channel (the parser is in
    :mod:`nudipole.cli.events_commands`)."""
    reject_collider_options(args, exp.title)
    if getattr(args, "bkg_uncertainty", None) is not None:
        raise ExperimentError(
            f"{exp.title} is a far detector: its event counts do not depend on "
            "--bkg-uncertainty (it enters the CLs limit of nudipole reach); drop it"
        )
    kwargs = far_kwargs(args)
    rows = far_detector_events(exp, args.mass, args.d, lumi=args.lumi, **kwargs)
    electroweak = kwargs["scenario"] is not None or kwargs["a"] is not None
    coupling = "d_gamma" if electroweak else "d"
    if args.json:
        out = {
            "experiment": exp.name,
            "mass": args.mass,
            "d": args.d,
            "preset": args.preset,
            "flavour": args.flavour,
            "luminosity": exp.luminosity if args.lumi is None else args.lumi,
            "units": {"mass": "GeV", "d": "GeV^-1", "counts": "expected events"},
            "channels": [{k: v for k, v in vars(r).items() if k != "by_part" or v} for r in rows],
            "total_passing": sum(r.passing for r in rows),
            **provenance(),
        }
        if electroweak:
            out["coupling"] = coupling
            out["scenario"] = kwargs["scenario"]
            out["a"] = kwargs["a"]
            out["sin2w"] = kwargs["sin2w"]
            out["signal"] = kwargs["signal"]
        if any(r.channel in ("W", "Z") for r in rows):
            out["boson_polarisation"] = kwargs["boson_polarisation"]
            out["wz_tables"] = kwargs["wz_tables"]
        sys.stdout.write(json.dumps(out, indent=1) + "\n")
        return 0
    c = console()
    which = "d_e = d_mu = d_tau" if args.flavour == FlavourMode.UNIVERSAL else args.flavour
    label = f"d_{args.flavour}" if not electroweak else f"d_gamma ({which})"
    if not electroweak and args.flavour == FlavourMode.UNIVERSAL:
        label = "d (d_e = d_mu = d_tau)"
    c.print(
        f"[bold]{exp.title}[/bold]  m_N = {args.mass:g} GeV, {label} = {args.d:g} GeV^-1, "
        f"preset={args.preset}"
    )
    if electroweak:
        chosen = f"scenario {kwargs['scenario']}" if kwargs["scenario"] else f"a = {kwargs['a']:g}"
        c.print(f"couplings: {chosen}; signal: {kwargs['signal']}; N width: all decays")
    table = Table(show_edge=False, header_style="bold")
    for col in ("channel", "parents", "N produced", "N heading", "N decaying in", "passing"):
        table.add_column(col, justify="right")
    for r in rows:
        table.add_row(
            r.channel,
            f"{r.parents:.3e}",
            f"{r.produced:.3e}",
            f"{r.heading:.3e}",
            f"{r.decaying:.3e}",
            f"{r.passing:.3e}",
        )
        for part, counts in r.by_part.items():
            table.add_row(
                f"  ({part})", f"{counts['parents']:.3e}", f"{counts['produced']:.3e}", "", "", ""
            )
    total = sum(r.passing for r in rows)
    table.add_row("total", "", "", "", f"{sum(r.decaying for r in rows):.3e}", f"{total:.3e}")
    c.print(table)
    return 0
