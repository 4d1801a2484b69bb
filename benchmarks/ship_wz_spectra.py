"""Generate (optionally) and package the full-angle W+, W-, Z tables of ``data/spectra/wz``.

Run:  python benchmarks/ship_wz_spectra.py --generate [--events 1500000]   (about 25 minutes on
      2 cores: the W and the Z run side by side)
or:   python benchmarks/ship_wz_spectra.py --source DIR   (tables already made by the commands
      below, a few seconds)

The tables come from two runs of ``nudipole spectra generate`` (Pythia 8 through pythia8mc):

    nudipole spectra generate --pdgid 24 --conjugate --hemisphere both --process w \\
        --events N --seed 2424 --setting 'PartonLevel:MPI = off' \\
        --setting 'HadronLevel:all = off' --setting 'ProcessLevel:resonanceDecays = off' \\
        -o Pythia8317_14TeV_24.txt.gz
    nudipole spectra generate --pdgid 23 --hemisphere both --process z --events N --seed 2323 \\
        (same settings) -o Pythia8317_14TeV_23.txt.gz

Each writes a forward table (pz > 0) and a backward one (``_backward``, pz < 0, theta from the
-z axis) per boson, with the command, Pythia version, seed and settings in the header. This
script copies the six files unchanged into ``src/nudipole/data/spectra/wz/``, compares each
forward table with FORESEE's leading-order one (``Pythia8_14TeV_{24,-24,23}``: sums, mean pT,
angular fractions, bin-by-bin shape ratios and chi^2) and each backward table with its forward
partner, and writes ``catalogue.toml`` there with the numbers (definitions in its header).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import numpy as np

from nudipole.production import boson_spectra
from nudipole.production.boson_spectra import compare_shapes, spectrum_summary
from nudipole.production.pythia_spectra import BOSON_KINEMATICS_SETTINGS
from nudipole.production.spectra import Spectrum, builtin_spectrum, load_foresee, particle_name

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / "src" / "nudipole" / "data" / "spectra" / "wz"
PREFIX = "Pythia8317_14TeV"
RUNS = {  # first PDG id -> (process, seed, conjugate)
    24: ("w", 2424, True),
    23: ("z", 2323, False),
}
_SOURCE = re.compile(
    r"^# source: .*?: (\d+) events \((\d+) failed\), seed (\d+), sigmaGen = (\S+) pb"
)


def command(pdgid: int, events: int) -> list[str]:
    process, seed, conjugate = RUNS[pdgid]
    cmd = ["nudipole", "spectra", "generate", "--pdgid", str(pdgid)]
    if conjugate:
        cmd.append("--conjugate")
    cmd += ["--hemisphere", "both", "--process", process, "--events", str(events)]
    cmd += ["--seed", str(seed)]
    for setting in BOSON_KINEMATICS_SETTINGS:
        cmd += ["--setting", setting]
    return [*cmd, "-o", f"{PREFIX}_{pdgid}.txt.gz", "--json"]


def generate(folder: Path, events: int) -> dict[str, float]:
    """Both runs side by side in ``folder``; returns wall and CPU seconds."""
    start = time.perf_counter()
    procs = [
        subprocess.Popen(command(pid, events), cwd=folder, stdout=subprocess.DEVNULL)
        for pid in RUNS
    ]
    for proc in procs:
        if proc.wait() != 0:
            raise SystemExit(f"ship_wz_spectra: {' '.join(proc.args)} failed")  # type: ignore[arg-type]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall_s": time.perf_counter() - start, "cpu_s": usage.ru_utime + usage.ru_stime}


def header(path: Path) -> dict[str, str]:
    """The ``# key: value`` header lines of a shipped table (the first of each key)."""
    out: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            key, _, value = line[2:].rstrip("\n").partition(": ")
            out.setdefault(key, value)
            if key == "source":
                out["source_line"] = line.rstrip("\n")
    return out


def toml_value(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, float):
        return repr(value)
    return str(value)


def rounded(value: float) -> float:
    return float(f"{value:.6g}")


def files_of(pid: int) -> tuple[str, str]:
    return f"{PREFIX}_{pid}.txt.gz", f"{PREFIX}_{pid}_backward.txt.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--generate", action="store_true", help="run the two generations first")
    group.add_argument("--source", type=Path, help="folder with the six generated tables")
    parser.add_argument("--events", type=int, default=1_500_000, help="events per run")
    parser.add_argument("--dest", type=Path, default=DEST)
    args = parser.parse_args()
    timing: dict[str, float] = {}
    if args.generate:
        source = Path(tempfile.mkdtemp(prefix="nudipole-wz-"))
        timing = generate(source, args.events)
        print(f"generated in {source}: {timing['wall_s']:.0f} s wall, {timing['cpu_s']:.0f} s CPU")
    else:
        source = args.source
    dest: Path = args.dest
    pids = (24, -24, 23)
    for pid in pids:
        for name in files_of(pid):
            shutil.copyfile(source / name, dest / name)
    lines = [
        "# Full-angle W+, W-, Z production tables, pp at sqrt(s) = 14 TeV, made by nudipole with",
        "# Pythia 8 (benchmarks/ship_wz_spectra.py; do not edit by hand). One [[table]] per file:",
        "# forward (pz > 0, theta from +z) and backward (pz < 0, theta from -z) per boson, FORESEE",
        "# format, sigma per bin in pb at Pythia's leading-order normalisation (sigmaGen); the",
        "# W/Z source rescales them to wz/normalisation.toml (nudipole.production.boson_spectra).",
        "#",
        "# Fields: file, pdgid, particle, hemisphere, generator, events, seed, command (the",
        "# generation command, also in the file's header), sum_pb (sum of the rows, pb), rows,",
        "# sigma_gen_pb (Pythia's cross section of the run, all bosons of the process, pb, 6",
        "# digits as in the header), event_pb (one event in a bin, pb: sigmaGen / events exactly;",
        "# every bin holds a whole number of these).",
        "# [table.comparison] of a forward table, against FORESEE's Pythia8_14TeV_<pdgid> (LO,",
        "# forward hemisphere, about 1e7 events), both from bin centres:",
        "#   sum_ratio: this sum / FORESEE's sum (both leading order);",
        "#   mean_pt_gev, mean_p_gev, f_theta_lt_0p01, f_theta_lt_2mrad (theta < 10^-2.7 rad),",
        "#   f_theta_gt_0p316 (theta > 10^-0.5 rad): this table; the same with foresee_ in front:",
        "#   FORESEE's;",
        "#   ratio_median, ratio_p16, ratio_p84: percentiles (weighted by FORESEE) of the",
        "#   bin-by-bin ratio of the shapes (each table divided by its sum) over the common bins;",
        "#   frac_within_20pct: FORESEE's fraction in bins where that ratio is within 20% of 1;",
        "#   common_fraction: FORESEE's fraction in bins both fill; chi2_ndf, chi2_bins: shape",
        "#   chi^2 per degree of freedom over bins with >= 25 events in both (Poisson errors;",
        "#   FORESEE's event weight taken as its smallest bin).",
        "# [table.comparison] of a backward table, against the forward table of the same run:",
        "#   backward_over_forward (ratio of sums), its statistical error stat_error, and the",
        "#   same ratio_*/frac_*/chi2_* numbers (this backward table as test, the forward as",
        "#   reference).",
    ]
    report: list[str] = []
    for pid in pids:
        fwd_name, bwd_name = files_of(pid)
        head = header(dest / fwd_name)
        match = _SOURCE.match(head["source_line"])
        if match is None:
            raise SystemExit(f"ship_wz_spectra: {fwd_name}: no events/seed/sigmaGen in the header")
        events, failed, seed = int(match.group(1)), int(match.group(2)), int(match.group(3))
        sigma_gen = float(match.group(4))  # rounded to 6 digits in the header
        forward = load_foresee(dest / fwd_name)
        backward = load_foresee(dest / bwd_name)
        # unit-weight events: every bin is a whole number of events, the smallest one event
        quantum = float(min(forward.sigma_pb.min(), backward.sigma_pb.min()))
        for spec in (forward, backward):
            counts = spec.sigma_pb / quantum
            if not np.allclose(counts, np.rint(counts), rtol=0.0, atol=1e-6):
                raise SystemExit(f"ship_wz_spectra: PDG {pid}: bins are not whole events")
        if abs(quantum * (events - failed) / sigma_gen - 1.0) > 1e-5:
            raise SystemExit(f"ship_wz_spectra: PDG {pid}: one event is not sigmaGen / events")
        foresee = builtin_spectrum(pid, "bosons")
        q_foresee = float(foresee.sigma_pb.min())
        mine, theirs = spectrum_summary(forward), spectrum_summary(foresee)
        comparison: dict[str, float] = {"sum_ratio": rounded(mine["sum_pb"] / theirs["sum_pb"])}
        for key in ("mean_pt_gev", "mean_p_gev", "f_theta_lt_0p01", "f_theta_lt_2mrad",
                    "f_theta_gt_0p316"):  # fmt: skip
            comparison[key] = rounded(mine[key])
            comparison[f"foresee_{key}"] = rounded(theirs[key])
        shapes = compare_shapes(forward, foresee, quantum, q_foresee)
        comparison.update({k: rounded(v) for k, v in shapes.items()})
        back = compare_shapes(backward, forward, quantum, quantum)
        n_f, n_b = forward.total_pb / quantum, backward.total_pb / quantum
        back_cmp = {
            "backward_over_forward": rounded(backward.total_pb / forward.total_pb),
            "stat_error": rounded(
                (backward.total_pb / forward.total_pb) * (1 / n_f + 1 / n_b) ** 0.5
            ),
            **{k: rounded(v) for k, v in back.items()},
        }
        for name, spec, side, cmp in (
            (fwd_name, forward, "forward", comparison),
            (bwd_name, backward, "backward", back_cmp),
        ):
            entry: dict[str, object] = {
                "file": name,
                "pdgid": pid,
                "particle": particle_name(pid),
                "hemisphere": side,
                "generator": head["generator"],
                "events": events - failed,
                "seed": seed,
                "command": header(dest / name)["command"],
                "sum_pb": spec.total_pb,
                "rows": spec.rows,
                "sigma_gen_pb": sigma_gen,
                "event_pb": quantum,
            }
            lines += ["", "[[table]]", *(f"{k} = {toml_value(v)}" for k, v in entry.items())]
            lines += ["", "[table.comparison]", *(f"{k} = {toml_value(v)}" for k, v in cmp.items())]
        report.append(summary_line(pid, forward, backward, foresee, comparison, back_cmp))
    (dest / "catalogue.toml").write_text("\n".join(lines) + "\n", "utf-8")
    check(dest)
    print("\n".join(report))
    if timing:
        print(json.dumps(timing))


def summary_line(
    pid: int,
    forward: Spectrum,
    backward: Spectrum,
    foresee: Spectrum,
    cmp: dict[str, float],
    back: dict[str, float],
) -> str:
    return (
        f"{particle_name(pid):3s} forward {forward.total_pb:10.1f} pb ({forward.rows} bins), "
        f"backward {backward.total_pb:10.1f} pb (B/F = {back['backward_over_forward']:.4f} +- "
        f"{back['stat_error']:.4f}, chi2/ndf {back['chi2_ndf']:.3f} over {back['chi2_bins']:.0f}), "
        f"FORESEE {foresee.total_pb:10.1f} pb; sum ratio {cmp['sum_ratio']:.4f}; mean pT "
        f"{cmp['mean_pt_gev']:.2f} vs {cmp['foresee_mean_pt_gev']:.2f} GeV; f(theta<0.01) "
        f"{cmp['f_theta_lt_0p01']:.4f} vs {cmp['foresee_f_theta_lt_0p01']:.4f}; f(<2 mrad) "
        f"{cmp['f_theta_lt_2mrad']:.5f} vs {cmp['foresee_f_theta_lt_2mrad']:.5f}; f(>0.316) "
        f"{cmp['f_theta_gt_0p316']:.4f} vs {cmp['foresee_f_theta_gt_0p316']:.4f}; shape ratio "
        f"median {cmp['ratio_median']:.3f} [{cmp['ratio_p16']:.3f}, {cmp['ratio_p84']:.3f}], "
        f"within 20%: {cmp['frac_within_20pct']:.3f}, common {cmp['common_fraction']:.4f}, "
        f"chi2/ndf {cmp['chi2_ndf']:.3f} over {cmp['chi2_bins']:.0f} bins"
    )


def check(dest: Path) -> None:
    """Load every table back through nudipole and compare with the catalogue."""
    for fn in (boson_spectra._catalogue, boson_spectra._load, boson_spectra._cross_sections):
        fn.cache_clear()
    tables = tomllib.loads((dest / "catalogue.toml").read_text("utf-8"))["table"]
    for t in tables:
        fwd, bwd = boson_spectra.boson_tables(t["pdgid"])
        spec = fwd if t["hemisphere"] == "forward" else bwd
        assert spec.total_pb == t["sum_pb"], t["file"]
        assert spec.rows == t["rows"], t["file"]
        size = (dest / t["file"]).stat().st_size
        print(f"{t['file']:40s} {t['particle']:3s} {t['hemisphere']:8s} {t['sum_pb']:11.1f} pb "
              f"{t['rows']:5d} rows {size / 1024:6.1f} kB", file=sys.stderr)  # fmt: skip


if __name__ == "__main__":
    main()
