"""``nudipole spectra``: list the shipped tables, show a file, and the checks of ``generate``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest

from nudipole.cli import main as cli_main
from nudipole.cli.spectra_commands import add_spectra, conjugate_path
from nudipole.production.spectra import builtin_catalogue


# --------------------------------------------------------------------------- CLI
def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


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
