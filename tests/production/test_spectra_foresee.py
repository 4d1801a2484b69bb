"""FORESEE tables read and written (nudipole.production.spectra.reader and .writer): headers,
gzip, inferred bin widths, malformed and hostile files, and the round trip."""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import numpy as np
import pytest

from nudipole.production.spectra import (
    SpectrumError,
    builtin_spectrum,
    format_foresee,
    load_foresee,
    write_foresee,
)
from nudipole.production.spectra import reader as spectra_reader


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
    monkeypatch.setattr(spectra_reader, "MAX_ROWS", 3)
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
