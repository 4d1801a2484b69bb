"""Forward production spectra: the shipped FORESEE tables, the loader and the ``spectra`` CLI."""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from nudipole.cli import main as cli_main
from nudipole.cli.spectra_commands import add_spectra, conjugate_path
from nudipole.production import spectra
from nudipole.production.spectra import (
    Spectrum,
    SpectrumError,
    builtin_catalogue,
    builtin_spectrum,
    format_foresee,
    load_foresee,
    write_foresee,
)

#: The source tables (present in the development tree only; the package never reads them).
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "lhc-spectra-14TeV"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"source tables {SHARED} not present (packaged data only)"
)

#: shared/data/lhc-spectra-14TeV/README.md: sums in pb, 4 significant digits, by (set, pdgid).
README_SUMS = {
    ("default", 111): 1.540e12,
    ("default", 221): 1.686e11,
    ("default", 331): 1.814e10,
    ("default", 113): 1.860e11,
    ("default", 223): 1.744e11,
    ("default", 333): 2.090e10,
    ("default", -211): 1.354e12,
    ("default", 211): 1.381e12,
    ("default", -321): 1.574e11,
    ("default", 321): 1.636e11,
    ("default", 443): 3.932e7,
    ("default", 553): 5.303e5,
    ("default", 411): 8.484e8,
    ("default", -411): 8.703e8,
    ("default", 431): 2.702e8,
    ("default", -431): 2.708e8,
    ("default", 521): 8.226e7,
    ("default", -521): 8.212e7,
    ("nlo", 411): 1.466e9,
    ("nlo", 431): 4.741e8,
    ("nlo", 521): 1.040e8,
    ("bosons", 24): 4.431e4,
    ("bosons", -24): 3.212e4,
    ("bosons", 23): 2.337e4,
}

#: The seed talk's Table I, fb, 3 significant digits (one charge state: the README says which
#: file each charged entry is: pi-, K-, D+, D_s+, B+).
TABLE_I_FB = {
    113: "1.86e+14",
    223: "1.74e+14",
    333: "2.09e+13",
    443: "3.93e+10",
    553: "5.30e+08",
    111: "1.54e+15",
    221: "1.69e+14",
    331: "1.81e+13",
    -211: "1.35e+15",
    -321: "1.57e+14",
    411: "8.48e+11",
    431: "2.70e+11",
    521: "8.23e+10",
}

PB_TO_FB = 1.0e3


# --------------------------------------------------------------------------- shipped numbers
@pytest.mark.parametrize(("key", "readme"), README_SUMS.items(), ids=str)
def test_shipped_sums_match_readme(key: tuple[str, int], readme: float) -> None:
    total = builtin_spectrum(key[1], key[0]).total_pb
    exponent = math.floor(math.log10(readme))
    # within one unit of the README's 4th digit: the README prints D- as 8.703e8 while its file
    # sums to 8.7025e8 (header: 8.702460685040026e8); all others agree to half a unit
    assert abs(total - readme) <= 1.0e-3 * 10.0**exponent * (1.0 if key[1] == -411 else 0.5)


@pytest.mark.parametrize(("pdgid", "table_i"), TABLE_I_FB.items())
def test_default_set_reproduces_table_i(pdgid: int, table_i: str) -> None:
    assert f"{builtin_spectrum(pdgid).total_pb * PB_TO_FB:.2e}" == table_i


@pytest.mark.parametrize(("pdgid", "ratio"), [(411, "1.73"), (431, "1.75"), (521, "1.26")])
def test_nlo_over_pythia_ratio(pdgid: int, ratio: str) -> None:
    """README: the NLO-P8 D+, D_s+, B+ sums are 1.73, 1.75, 1.26 times the Pythia 8 ones."""
    nlo = builtin_spectrum(pdgid, "nlo")
    assert nlo.generator.startswith("NLO")
    assert f"{nlo.total_pb / builtin_spectrum(pdgid).total_pb:.2f}" == ratio


def test_sets_hold_the_agreed_generators() -> None:
    light = {111, 221, 331, 113, 223, 333, 211, -211, 321, -321}
    heavy = {443, 553, 411, -411, 431, -431, 521, -521}
    by_set: dict[str, dict[int, str]] = {}
    for e in builtin_catalogue():
        assert e.pdgid not in by_set.setdefault(e.spectra_set, {}), "one table per id and set"
        by_set[e.spectra_set][e.pdgid] = e.generator
    assert by_set["default"] == {
        **dict.fromkeys(light, "EPOS-LHC"),
        **dict.fromkeys(heavy, "Pythia 8"),
    }
    assert set(by_set["nlo"]) == {411, -411, 431, -431, 521, -521}
    assert set(by_set["bosons"]) == {24, -24, 23}
    assert builtin_spectrum(111, "nlo") is builtin_spectrum(111)  # nlo falls back to default
    assert builtin_spectrum(-411, "nlo") is not builtin_spectrum(-411)


def _read_shipped(name: str) -> tuple[list[str], list[str]]:
    raw = resources.files("nudipole.data.spectra").joinpath(name).read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    return [x for x in lines if x.startswith("#")], [x for x in lines if not x.startswith("#")]


@pytest.mark.parametrize("entry", builtin_catalogue(), ids=lambda e: e.file)
def test_catalogue_rows_and_sum_match_the_shipped_file(entry: spectra.CatalogueEntry) -> None:
    """Independent of the loader: parse the gzip text by hand."""
    header, rows = _read_shipped(entry.file)
    sigma = [float(r.split()[2]) for r in rows]
    assert len(rows) == entry.rows
    assert math.fsum(sigma) == entry.sum_pb
    assert min(sigma) > 0.0
    text = "\n".join(header)
    for needed in (
        f"# pid: {entry.pdgid}",
        f"PDG id {entry.pdgid}",
        f"generator: {entry.generator}",
        "sqrt(s): 14 TeV",
        "forward only",
        "sigma[pb per bin]",
        f"normalisation: {entry.sum_pb!r} pb",
        "rows with sigma = 0 were dropped",
        "arXiv:2105.07077",
        "files/hadrons/14TeV",
        "2d6431f6f6e92287c1fe1b3003aea39234b29a4b",
        "LICENSE-FORESEE.md",
    ):
        assert needed in text, needed
    assert ("sigma < 0" in text) == (entry.dropped_negative_rows > 0)
    spec = builtin_spectrum(entry.pdgid, entry.spectra_set)
    assert spec.rows == entry.rows
    assert spec.total_pb == entry.sum_pb


def test_licence_and_package_marker_are_shipped() -> None:
    folder = resources.files("nudipole.data.spectra")
    assert "MIT License" in folder.joinpath("LICENSE-FORESEE.md").read_text("utf-8")
    assert folder.joinpath("__init__.py").is_file()
    names = {e.file for e in builtin_catalogue()}
    shipped = {p.name for p in folder.iterdir() if p.name.endswith(".txt.gz")}
    assert names == shipped


@needs_shared
def test_compact_files_reproduce_the_originals_exactly() -> None:
    catalogue = {e.original_file: e for e in builtin_catalogue()}
    assert set(catalogue) == {p.name for p in SHARED.glob("*.txt")}
    for name, entry in catalogue.items():
        kept, zero, negative = [], 0, 0
        for line in (SHARED / name).read_text("utf-8").splitlines():
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            value = float(parts[2])
            if value > 0.0:
                kept.append(" ".join(parts))
            elif value == 0.0:
                zero += 1
            else:
                negative += 1
        _, rows = _read_shipped(entry.file)
        assert rows == kept, name  # same rows, same order, same number strings
        assert zero + negative + len(kept) == entry.original_rows, name
        assert negative == entry.dropped_negative_rows, name
        assert (SHARED / "LICENSE-FORESEE.md").read_bytes() == resources.files(
            "nudipole.data.spectra"
        ).joinpath("LICENSE-FORESEE.md").read_bytes()


@needs_shared
@pytest.mark.parametrize(
    "name", ["EPOSLHC_14TeV_111.txt", "Pythia8_14TeV_443.txt", "Pythia8_14TeV_24.txt"]
)
def test_loader_reads_the_original_files(name: str) -> None:
    """With a header (EPOS-LHC, Pythia 8 W with tabs and 'PID:') and without one (J/psi,
    six-digit bin centres off the usual grid by 7e-4)."""
    original = load_foresee(SHARED / name)
    shipped = next(e for e in builtin_catalogue() if e.original_file == name)
    assert original.pdgid == shipped.pdgid
    assert original.bin_width_log10 == 0.05
    assert original.total_pb == shipped.sum_pb


# --------------------------------------------------------------------------- Spectrum
def test_spectrum_arrays_are_read_only_and_cached() -> None:
    spec = builtin_spectrum(111)
    assert spec is builtin_spectrum(111)
    for arr in (spec.log10_theta, spec.log10_p, spec.sigma_pb):
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 1.0
    assert spec.bin_width_log10 == 0.05
    assert spec.sqrt_s_gev == 14000.0
    assert spec.origin == "EPOSLHC_14TeV_111.txt.gz"
    np.testing.assert_allclose(spec.theta(), 10.0**spec.log10_theta, rtol=1e-15)
    np.testing.assert_allclose(spec.momentum(), 10.0**spec.log10_p, rtol=1e-15)


def test_restrict_keeps_bins_reaching_below_theta_max() -> None:
    spec = builtin_spectrum(221)
    theta_max = 0.01
    cut = spec.restrict(theta_max)
    lower_edge = 10.0 ** (spec.log10_theta - 0.025)
    assert cut.rows == int(np.sum(lower_edge < theta_max))
    assert np.all(10.0 ** (cut.log10_theta - 0.025) < theta_max)
    assert 0.0 < cut.total_pb < spec.total_pb
    assert spec.restrict(10.0).total_pb == spec.total_pb  # above every bin: nothing dropped
    assert (cut.pdgid, cut.generator) == (spec.pdgid, spec.generator)
    for bad in (0.0, -1.0, math.nan, math.inf):
        with pytest.raises(SpectrumError, match="theta_max"):
            spec.restrict(bad)


def _spectrum(theta: list[float], mom: list[float], sigma: list[float]) -> Spectrum:
    return Spectrum(
        pdgid=111,
        particle="pi0",
        generator="g",
        spectra_set="user",
        sqrt_s_gev=14000.0,
        log10_theta=np.asarray(theta, dtype=float),
        log10_p=np.asarray(mom, dtype=float),
        sigma_pb=np.asarray(sigma, dtype=float),
    )


def test_spectrum_rejects_inconsistent_arrays() -> None:
    assert _spectrum([-3.0], [1.0], [2.0]).total_pb == 2.0
    with pytest.raises(SpectrumError, match="differ in length"):
        _spectrum([-3.0], [1.0, 1.05], [1.0])
    with pytest.raises(SpectrumError, match="positive"):
        _spectrum([-3.0], [1.0], [-1.0])
    with pytest.raises(SpectrumError, match="positive"):
        _spectrum([-3.0], [1.0], [0.0])
    with pytest.raises(SpectrumError, match="finite"):
        _spectrum([math.nan], [1.0], [1.0])
    with pytest.raises(SpectrumError, match="1-D"):
        Spectrum(111, "pi0", "g", "user", 14000.0, np.zeros((1, 1)), np.ones(1), np.ones(1))


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((24,), "is in set bosons"),
        ((111, "epos"), "unknown spectra set"),
        ((999,), "no built-in 'default' spectrum for PDG id 999"),
        ((True,), "integer PDG id"),
        (("111",), "integer PDG id"),
    ],
)
def test_builtin_spectrum_bad_requests(args: tuple[object, ...], fragment: str) -> None:
    with pytest.raises(SpectrumError, match=r"^[^\n]*$") as err:
        builtin_spectrum(*args)  # type: ignore[arg-type]
    assert fragment in str(err.value)


# --------------------------------------------------------------------------- loader
def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def test_loader_accepts_header_and_headerless_and_gzip(tmp_path: Path) -> None:
    rows = "-3.025 1.025 2.5\n-3.025 1.075 0\n\n-2.975 1.025 1.5\n"
    plain = load_foresee(_write(tmp_path / "mine_321.txt", rows))
    headed = load_foresee(
        _write(tmp_path / "table.txt", "# Normalization: 4 pb\n# pid: -321\n" + rows)
    )
    (tmp_path / "zipped.txt.gz").write_bytes(gzip.compress(("# PID: 221\r\n" + rows).encode()))
    zipped = load_foresee(tmp_path / "zipped.txt.gz")
    assert (plain.pdgid, headed.pdgid, zipped.pdgid) == (321, -321, 221)
    assert (plain.particle, zipped.particle) == ("K+", "eta")
    for spec in (plain, headed, zipped):
        assert spec.rows == 2  # the zero row is dropped
        assert spec.total_pb == 4.0
        assert spec.bin_width_log10 == 0.05
        assert spec.spectra_set == "user"
    assert load_foresee(tmp_path / "mine_321.txt", pdgid=411, particle="x").particle == "x"


def test_loader_infers_width_from_six_digit_centres(tmp_path: Path) -> None:
    """A header-less table printed with six significant digits (like the J/psi file)."""
    spec = builtin_spectrum(443)
    text = "".join(
        f"{t:.5e} {p:.5e} {s:.5e}\n"
        for t, p, s in zip(spec.log10_theta, spec.log10_p, spec.sigma_pb, strict=True)
    )
    again = load_foresee(_write(tmp_path / "jpsi_443.txt", text))
    assert again.bin_width_log10 == 0.05
    assert again.rows == spec.rows
    assert again.total_pb == pytest.approx(spec.total_pb, rel=1e-5)


MALFORMED = [
    ("1 2\n", "line 1: expected 3 columns"),
    ("-3 1 1\n-3 1.05 abc\n", "line 2: sigma 'abc' is not a number"),
    ("-3 1 nan\n", "line 1: sigma is 'nan', not a finite number"),
    ("-3 inf 1\n", "line 1: log10(p) is 'inf'"),
    ("# pid: 111\n-3 1 1\n-3 1.05 -2\n", "line 3: negative cross section -2 pb"),
    ("", "no data rows"),
    ("# just a header\n\n", "no data rows"),
    ("-3 1 0\n-3 1.05 0\n", "all 2 rows have sigma = 0"),
    ("-3 1 1\n-3 1.05 1\n-3 1.13 1\n", "line 3: log10(p) = 1.13 is off the regular grid"),
    ("-3 1 1\n-2.95 1 1\n-2.9 1 1\n-2.87 1 1\n", "line 4: log10(theta) = -2.87 is off the"),
    ("-3.02 1 1\n-2.95 1 1\n-2.9 1 1\n-2.85 1 1\n", "line 1: log10(theta) = -3.02 is off the"),
    ("-3 1 1\n-2.9 1.05 1\n", "bins are 0.1 wide in log10(theta) but 0.05 in log10(p)"),
    ("-3 1 1\n-3 1.05 1\n-3 1 2\n", "line 3 repeats the bin of line 1"),
    ("-3 1 1\n0.6 1.05 1\n", "line 2: theta = 10^0.6 rad is above pi"),
    ("-3 3.8 1\n-3 3.95 1\n", "line 2: p = 10^3.95 GeV is above the beam energy"),
    ("-3 1 1\n", "cannot infer the bin width"),
    ("-3 1 1\n-3 5000 1\n", "line 2: log10(p) = 5000 is absurd"),
    ("-1e300 1 1\n", "line 1: log10(theta) = -1e+300 is absurd"),
    ("-3 1 1 " + "0" * 2000 + "\n", "line 1 is longer than 1000 characters"),
]


@pytest.mark.parametrize(("text", "fragment"), MALFORMED)
def test_loader_rejects_malformed_file(tmp_path: Path, text: str, fragment: str) -> None:
    path = _write(tmp_path / "bad_111.txt", text)
    with pytest.raises(SpectrumError) as err:
        load_foresee(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert fragment in message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"-3 1 1\n-3 1.05 \xff\xfe\n", "line 2: not UTF-8 text"),
        (b"\x1f\x8b\x08\x00garbage-not-deflate", "damaged gzip data"),
        (gzip.compress(b"-3 1 1\n-3 1.05 1\n" * 50)[:-30], "damaged gzip data"),
    ],
)
def test_loader_rejects_binary_garbage(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = tmp_path / "bad_111.txt.gz"
    path.write_bytes(data)
    with pytest.raises(SpectrumError, match=r"^[^\n]*$") as err:
        load_foresee(path)
    assert str(err.value).startswith(str(path))
    assert fragment in str(err.value)


def test_loader_pdgid_sources_and_conflicts(tmp_path: Path) -> None:
    rows = "-3 1 1\n-3 1.05 1\n"
    nameless = _write(tmp_path / "table.txt", rows)
    with pytest.raises(SpectrumError, match="cannot tell the PDG id"):
        load_foresee(nameless)
    assert load_foresee(nameless, pdgid=223).particle == "omega(782)"
    headed = _write(tmp_path / "t_111.txt", "# pid: 221\n" + rows)
    assert load_foresee(headed).pdgid == 221  # the header wins over the name
    with pytest.raises(SpectrumError, match="header says pid 221"):
        load_foresee(headed, pdgid=111)
    assert load_foresee(nameless, pdgid=9_900_012).particle == "PDG 9900012"


def test_loader_missing_file_and_bad_energy(tmp_path: Path) -> None:
    with pytest.raises(SpectrumError, match=r"cannot read .*nothere_111\.txt"):
        load_foresee(tmp_path / "nothere_111.txt")
    path = _write(tmp_path / "ok_111.txt", "-3 1 1\n-3 1.05 1\n")
    for bad in (math.nan, -1.0, math.inf):
        with pytest.raises(SpectrumError, match="sqrt_s_gev"):
            load_foresee(path, sqrt_s_gev=bad)


def test_loader_row_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spectra, "MAX_ROWS", 3)
    path = _write(tmp_path / "big_111.txt", "".join(f"-3 {1 + 0.05 * i:.2f} 1\n" for i in range(4)))
    with pytest.raises(SpectrumError, match="more than 3 data rows"):
        load_foresee(path)


def test_drop_negative(tmp_path: Path) -> None:
    path = _write(tmp_path / "nlo_411.txt", "-3 1 5\n-3 1.05 -1\n-3 1.1 2\n")
    spec = load_foresee(path, drop_negative=True)
    assert spec.rows == 2
    assert spec.total_pb == 7.0


@pytest.mark.parametrize("name", ["out.txt", "out.txt.gz"])
def test_write_foresee_round_trip(tmp_path: Path, name: str) -> None:
    spec = builtin_spectrum(553)
    write_foresee(spec, tmp_path / name, header_lines=["command: test run", "# already marked"])
    again = load_foresee(tmp_path / name)
    assert again.pdgid == 553
    for a, b in ((again.log10_theta, spec.log10_theta), (again.log10_p, spec.log10_p),
                 (again.sigma_pb, spec.sigma_pb)):  # fmt: skip
        np.testing.assert_array_equal(a, b)
    assert again.total_pb == spec.total_pb
    text = format_foresee(spec, ["command: test run"])
    assert "# command: test run\n" in text
    assert f"# normalisation: {spec.total_pb!r} pb" in text
    with pytest.raises(SpectrumError, match="line break"):
        format_foresee(spec, ["two\nlines"])


# --------------------------------------------------------------------------- CLI
def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``nudipole`` with only the spectra command, handling errors as cli.main.main does."""
    parser = cli_main._Parser(prog="nudipole")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=cli_main._Parser)
    add_spectra(sub)
    try:
        args = parser.parse_args(argv)
        code = int(args.func(args))
    except ValueError as err:
        sys.stderr.write(f"nudipole: error: {err}\n")
        code = cli_main.EXIT_USAGE
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err_text = capsys.readouterr()
    return code, out, err_text


def test_cli_lists_the_shipped_tables(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["spectra"], capsys)
    assert code == 0
    for text in ("pi0", "J/psi(1S)", "Upsilon(1S)", "EPOS-LHC", "NLO (POWHEG) + Pythia 8",
                 "bosons", "1.54e+15", "8.23e+10", "8366"):  # fmt: skip
        assert text in out, text
    code, out, _ = run(["spectra", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert len(data) == len(builtin_catalogue()) == 27
    pi0 = next(d for d in data if d["pdgid"] == 111)
    assert pi0["sum_fb"] == pytest.approx(1.540016521e15)
    assert (pi0["spectra_set"], pi0["file"]) == ("default", "EPOSLHC_14TeV_111.txt.gz")


def test_cli_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "mine_221.txt", "-3.025 1.025 2.5\n-2.975 1.025 1.5\n")
    code, out, _ = run(["spectra", "show", str(path)], capsys)
    assert code == 0
    assert "eta" in out
    assert "4 pb" in out
    code, out, _ = run(["spectra", "show", str(path), "--json"], capsys)
    info = json.loads(out)
    assert (info["sigma_pb"], info["pdgid"], info["rows"]) == (4.0, 221, 2)
    assert info["theta_range_rad"] == pytest.approx([10**-3.05, 10**-2.95])
    bad = _write(tmp_path / "bad_221.txt", "-3 1 1\n-3 1.05 -1\n")
    code, out, err = run(["spectra", "show", str(bad)], capsys)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert f"{bad}: line 2: negative" in err
    code, _, _ = run(["spectra", "show", str(bad), "--drop-negative"], capsys)
    assert code == 0


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--events", "0"], "outside 1..1e+08"),
        (["--events", "-1"], "outside 1..1e+08"),
        (["--events", "1e12"], "outside 1..1e+08"),
        (["--events", "2.5"], "not a whole number"),
        (["--events", "10", "--sqrt-s", "nan"], "sqrt(s) = nan"),
        (["--events", "10", "--sqrt-s", "inf"], "sqrt(s) = inf"),
        (["--events", "10", "--sqrt-s", "-14000"], "sqrt(s) = -14000"),
        (["--events", "10", "--pdgid", "9999999"], "unknown PDG id 9999999"),
        (["--events", "10", "-o", "{tmp}/missing/x.txt"], "does not exist"),
        (["--events", "10", "-o", "{tmp}/x.json"], "ending in .txt, .dat or .gz"),
        (["--events", "10", "--seed", "0"], "seed 0"),
        (["--events", "10", "--conjugate"], "its own antiparticle"),
        (["--events", "10", "--process", "dis"], "invalid choice"),
        (["--events", "10", "--setting", "Random:seed = 3"], "set by nudipole"),
        (["--events", "10", "--setting", "no equals sign"], "must read"),
    ],
)
def test_cli_generate_rejects_hostile_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], fragment: str
) -> None:
    argv = ["spectra", "generate", "--pdgid", "111", "-o", f"{tmp_path}/out.txt"]
    argv += [a.replace("{tmp}", str(tmp_path)) for a in extra]
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("nudipole: error:")
    assert err.count("\n") == 1
    assert fragment in err
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_conjugate_path() -> None:
    assert conjugate_path(Path("d/Pythia8_14TeV_411.txt"), 411, -411) == Path(
        "d/Pythia8_14TeV_-411.txt"
    )
    assert conjugate_path(Path("d/D_411.txt.gz"), 411, -411) == Path("d/D_-411.txt.gz")
    assert conjugate_path(Path("charm.txt"), 411, -411) == Path("charm_-411.txt")
    assert conjugate_path(Path("x_24.dat"), -24, 24) == Path("x_24_24.dat")


def test_add_spectra_registers_a_sub_command() -> None:
    parser = argparse.ArgumentParser()
    add_spectra(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["spectra", "generate", "--pdgid", "-411", "--events", "1e3",
                              "-o", "x.txt"])  # fmt: skip
    assert (args.pdgid, args.events, args.sqrt_s, args.process) == (-411, 1000, 14000.0, None)
    assert args.func.__name__ == "run_generate"
    assert parser.parse_args(["spectra"]).func.__name__ == "run_list"


def test_catalogue_toml_is_self_describing() -> None:
    text = resources.files("nudipole.data.spectra").joinpath("catalogue.toml").read_text("utf-8")
    tables = tomllib.loads(text)["table"]
    assert {t["set"] for t in tables} == {"default", "nlo", "bosons"}
    for t in tables:
        assert t["source"].endswith("commit 2d6431f6f6e92287c1fe1b3003aea39234b29a4b")
        assert (t["sqrt_s_gev"], t["bin_width_log10"]) == (14000.0, 0.05)
        assert t["rows"] + t["dropped_negative_rows"] <= t["original_rows"]
