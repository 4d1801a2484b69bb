"""Package the forward LHC production spectra shipped in ``src/nudipole/data/spectra``.

Run:  python benchmarks/ship_spectra.py [--source DIR] [--dest DIR]   (a few seconds)

Reads every FORESEE table of ``../shared/data/lhc-spectra-14TeV`` (FORESEE, F. Kling &
S. Trojanowski, arXiv:2105.07077, files/hadrons/14TeV at commit COMMIT below; MIT licence) and
writes, for each, ``<name>.txt.gz``: a ``#`` header with the particle, generator, sqrt(s),
hemisphere, units, normalisation, provenance and licence, then the rows with sigma > 0 exactly
as written in the original (same number strings, columns joined by one space). Rows with
sigma = 0 are dropped; so are the few negative-weight bins (sigma < 0) of the NLO tables, whose
count and sum go into the header and the catalogue. Also writes ``catalogue.toml`` (one entry
per table), copies ``LICENSE-FORESEE.md`` and creates ``__init__.py`` if missing. The gzip
streams carry no time stamp, so rerunning gives identical bytes. The package never reads the
source folder at run time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from nudipole.production.spectra import load_foresee, particle_name

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "lhc-spectra-14TeV"
DEST = ROOT / "src" / "nudipole" / "data" / "spectra"
LICENCE = "LICENSE-FORESEE.md"
COMMIT = "2d6431f6f6e92287c1fe1b3003aea39234b29a4b"
CITATION = "FORESEE, F. Kling & S. Trojanowski, PRD 104 (2021) 035012, arXiv:2105.07077"
REFERENCE = "FORESEE, arXiv:2105.07077"
SQRT_S_GEV = 14000.0
BIN_WIDTH = 0.05

#: file-name prefix -> (generator as recorded, FORESEE sub-folder)
GENERATORS = {
    "EPOSLHC": "EPOS-LHC",
    "Pythia8": "Pythia 8",
    "NLO-P8": "NLO (POWHEG) + Pythia 8",
}
LIGHT = {111, 221, 331, 113, 223, 333, 211, -211, 321, -321}
HEAVY = {443, 553, 411, -411, 431, -431, 521, -521}
NLO = {411, -411, 431, -431, 521, -521}
BOSONS = {24, -24, 23}
NAME = re.compile(r"^(EPOSLHC|Pythia8|NLO-P8)_14TeV_(-?\d+)\.txt$")


def spectra_set(prefix: str, pdgid: int) -> str:
    """The built-in set a source table belongs to (see nudipole.production.spectra)."""
    if prefix == "EPOSLHC" and pdgid in LIGHT:
        return "default"
    if prefix == "Pythia8" and pdgid in HEAVY:
        return "default"
    if prefix == "NLO-P8" and pdgid in NLO:
        return "nlo"
    if prefix == "Pythia8" and pdgid in BOSONS:
        return "bosons"
    raise SystemExit(f"ship_spectra: no set for {prefix} PDG {pdgid}: extend the lists above")


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[str, str, str]]
    kept: list[str]
    n_rows: int
    n_zero: int
    n_negative: int
    negative_pb: float
    sum_pb: float
    grid: str


def read_table(path: Path) -> Table:
    """Rows as strings; the kept ones (sigma > 0) joined by one space."""
    header: list[str] = []
    rows: list[tuple[str, str, str]] = []
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), 1):
        text = raw.strip()
        if not text:
            continue
        if text.startswith("#"):
            header.append(" ".join(text.lstrip("#").split()))
            continue
        parts = text.split()
        if len(parts) != 3:
            raise SystemExit(f"ship_spectra: {path.name}: line {number}: not three columns")
        rows.append((parts[0], parts[1], parts[2]))
    sigma = [float(r[2]) for r in rows]
    kept = [" ".join(r) for r, s in zip(rows, sigma, strict=True) if s > 0.0]
    theta = sorted({round(float(r[0]), 6) for r in rows})
    mom = sorted({round(float(r[1]), 6) for r in rows})
    grid = (
        f"{len(theta)} log10(theta/rad) x {len(mom)} log10(p/GeV) bins of width {BIN_WIDTH} "
        f"(original table); centres log10(theta) {theta[0]:g} .. {theta[-1]:g}, "
        f"log10(p) {mom[0]:g} .. {mom[-1]:g}"
    )
    return Table(
        header=header,
        rows=rows,
        kept=kept,
        n_rows=len(rows),
        n_zero=sum(s == 0.0 for s in sigma),
        n_negative=sum(s < 0.0 for s in sigma),
        negative_pb=math.fsum(s for s in sigma if s < 0.0),
        sum_pb=math.fsum(s for s in sigma if s > 0.0),
        grid=grid,
    )


def header_lines(table: Table, pdgid: int, particle: str, generator: str, source: str) -> list[str]:
    dropped = f"the {table.n_zero} rows with sigma = 0 were dropped"
    if table.n_negative:
        dropped += (
            f" and so were {table.n_negative} rows with sigma < 0 (negative-weight NLO bins, "
            f"sum {table.negative_pb:.4g} pb = {table.negative_pb / table.sum_pb:.2g} "
            "of the total)"
        )
    lines = [
        f"Forward production spectrum of {particle} (PDG id {pdgid}) in pp collisions",
        f"pid: {pdgid}",
        f"particle: {particle}",
        f"generator: {generator}",
        "sqrt(s): 14 TeV (14000 GeV)",
        "hemisphere: forward only (polar angle theta < pi/2 to the beam axis)",
        "columns: log10(theta/rad) log10(p/GeV) sigma[pb per bin]; theta and p are bin centres",
        f"bin width log10: {BIN_WIDTH}",
        f"normalisation: {table.sum_pb!r} pb (sum of the third column)",
        f"rows: {len(table.kept)} of the {table.n_rows} rows of the original table; {dropped};"
        " the kept rows are unchanged (same number strings)",
        f"source: {source}",
        f"licence: MIT, see {LICENCE} beside this file",
    ]
    return lines + [f"original header: {h}" for h in table.header]


def toml_value(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, float):
        return repr(value)
    return str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--dest", type=Path, default=DEST)
    args = parser.parse_args()
    source: Path = args.source
    dest: Path = args.dest
    if not source.is_dir():
        raise SystemExit(f"ship_spectra: source folder {source} not found")
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / LICENCE, dest / LICENCE)
    init = dest / "__init__.py"
    if not init.exists():
        init.write_text(
            '"""Forward LHC production spectra (FORESEE tables), read with importlib.resources."""'
            "\n",
            "utf-8",
        )
    names = sorted(p.name for p in source.glob("*.txt"))
    order = {"default": 0, "nlo": 1, "bosons": 2}
    entries: list[tuple[int, str, dict[str, object]]] = []
    for name in names:
        match = NAME.match(name)
        if match is None:
            raise SystemExit(f"ship_spectra: unexpected file {name}")
        prefix, pdgid = match.group(1), int(match.group(2))
        table = read_table(source / name)
        particle = particle_name(pdgid)
        generator = GENERATORS[prefix]
        source_text = (
            f"{CITATION}; FORESEE repository file files/hadrons/14TeV/{prefix}/{name} at "
            f"commit {COMMIT}"
        )
        text = "".join(
            f"# {h}\n" for h in header_lines(table, pdgid, particle, generator, source_text)
        ) + "".join(f"{row}\n" for row in table.kept)
        out = dest / f"{name}.gz"
        out.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
        kind = spectra_set(prefix, pdgid)
        entries.append(
            (
                order[kind],
                name,
                {
                    "file": out.name,
                    "original_file": name,
                    "pdgid": pdgid,
                    "particle": particle,
                    "generator": generator,
                    "set": kind,
                    "sqrt_s_gev": SQRT_S_GEV,
                    "sum_pb": table.sum_pb,
                    "rows": len(table.kept),
                    "original_rows": table.n_rows,
                    "dropped_negative_rows": table.n_negative,
                    "dropped_negative_pb": table.negative_pb,
                    "bin_width_log10": BIN_WIDTH,
                    "grid": table.grid,
                    "reference": REFERENCE,
                    "source": source_text,
                },
            )
        )
    lines = [
        "# Built-in forward production spectra, pp at sqrt(s) = 14 TeV: one [[table]] per file.",
        "# Written by benchmarks/ship_spectra.py from the FORESEE tables (F. Kling &",
        f"# S. Trojanowski, arXiv:2105.07077; files/hadrons/14TeV at commit {COMMIT};",
        f"# MIT licence, see {LICENCE}). Do not edit by hand: rerun the script.",
        "#",
        "# Fields: file (gzip table beside this file), original_file (FORESEE name), pdgid,",
        "# particle (PDG name, `particle` package), generator, set (default: EPOS-LHC light",
        "# mesons + Pythia 8 heavy ones = the talk's Table I; nlo: NLO+Pythia 8 D, D_s, B;",
        "# bosons: LO Pythia 8 W, Z), sqrt_s_gev, sum_pb (sum of the shipped rows, pb), rows",
        "# (shipped rows, sigma > 0), original_rows, dropped_negative_rows and",
        "# dropped_negative_pb (negative-weight NLO bins left out), bin_width_log10, grid",
        "# (the original table's grid), reference (short), source (full provenance).",
        "#",
        "# The 'bosons' set is leading order and forward only. Full-angle W+, W-, Z tables made",
        "# with Pythia 8 by nudipole, their comparison with these, and the measured W/Z cross",
        "# sections they are normalised to are in wz/ (catalogue.toml, normalisation.toml there;",
        "# benchmarks/ship_wz_spectra.py, nudipole.production.boson_spectra).",
    ]
    for _, _, entry in sorted(entries, key=lambda e: (e[0], e[1])):
        lines.append("")
        lines.append("[[table]]")
        lines += [f"{key} = {toml_value(value)}" for key, value in entry.items()]
    (dest / "catalogue.toml").write_text("\n".join(lines) + "\n", "utf-8")
    check(source, dest)


def check(source: Path, dest: Path) -> None:
    """Load every written table back with nudipole and compare with the source."""
    total = 0
    tables = tomllib.loads((dest / "catalogue.toml").read_text("utf-8"))["table"]
    for entry in tables:
        shipped = load_foresee(dest / entry["file"], sqrt_s_gev=entry["sqrt_s_gev"])
        original = load_foresee(
            source / entry["original_file"],
            pdgid=entry["pdgid"],
            sqrt_s_gev=entry["sqrt_s_gev"],
            drop_negative=entry["dropped_negative_rows"] > 0,
        )
        assert shipped.pdgid == entry["pdgid"], entry["file"]
        assert shipped.rows == original.rows == entry["rows"], entry["file"]
        assert shipped.total_pb == original.total_pb == entry["sum_pb"], entry["file"]
        size = (dest / entry["file"]).stat().st_size
        total += size
        print(
            f"{entry['file']:30s} {entry['set']:7s} {entry['particle']:12s} "
            f"{entry['sum_pb']:11.4e} pb  {entry['rows']:5d} rows  {size / 1024:6.1f} kB"
        )
    print(f"total {total / 1024:.0f} kB in {len(tables)} tables")


if __name__ == "__main__":
    main()
