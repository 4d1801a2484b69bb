"""FORESEE tables read and written (nudipole.production.spectra.reader and .writer): headers,
gzip, inferred bin widths, malformed and hostile files, and the round trip."""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudipole.production.spectra import (
    SpectrumError,
    builtin_spectrum,
    format_foresee,
    load_foresee,
    write_foresee,
)
from nudipole.production.spectra import rows as spectra_rows


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
    monkeypatch.setattr(spectra_rows, "MAX_ROWS", 3)
    path = _write(tmp_path / "big_111.txt", "".join(f"-3 {1 + 0.05 * i:.2f} 1\n" for i in range(4)))
    with pytest.raises(SpectrumError, match="more than 3 data rows"):
        load_foresee(path)


def test_drop_negative(tmp_path: Path) -> None:
    path = _write(tmp_path / "nlo_411.txt", "-3 1 5\n-3 1.05 -1\n-3 1.1 2\n")
    spec = load_foresee(path, drop_negative=True)
    assert spec.rows == 2
    assert spec.total_pb == 7.0


# ------------------------------------------------------- whole-file and line-by-line passes
def _both_passes(
    data: bytes, drop_negative: bool = False
) -> tuple[spectra_rows.ParsedRows | None, spectra_rows.ParsedRows | SpectrumError]:
    """(the whole-file pass, or None where it declines; the line-by-line pass, or its error)."""
    import io

    whole = spectra_rows.parse_whole(data, "t", drop_negative)
    try:
        lines: spectra_rows.ParsedRows | SpectrumError = spectra_rows.parse_lines(
            io.BytesIO(data), "t", drop_negative
        )
    except SpectrumError as err:
        lines = err
    return whole, lines


def _same(a: spectra_rows.ParsedRows, b: spectra_rows.ParsedRows) -> None:
    assert a.theta.tobytes() == b.theta.tobytes()
    assert a.mom.tobytes() == b.mom.tobytes()
    assert a.sigma.tobytes() == b.sigma.tobytes()
    assert list(a.line) == list(b.line)
    assert (a.header_pid, a.header_width, a.negative_dropped) == (
        b.header_pid,
        b.header_width,
        b.negative_dropped,
    )


def test_whole_file_pass_equals_line_by_line_on_every_builtin_table() -> None:
    """The shipped tables are all read by the whole-file pass, to the bit as line by line."""
    from importlib import resources

    from nudipole.production.spectra import builtin

    for entry in builtin._catalogue():
        resource = resources.files(builtin._PACKAGE).joinpath(entry.file)
        with resource.open("rb") as raw, spectra_rows.open_data(raw) as handle:
            data = handle.read()
        whole, lines = _both_passes(data)
        assert whole is not None, entry.file
        assert isinstance(lines, spectra_rows.ParsedRows)
        _same(whole, lines)


WELL_FORMED = [
    "-3 1 1\n-3 1.05 2\n",
    "# pid: 111\r\n# bin width log10: 0.05\r\n-3 1 1\r\n\r\n-3 1.05 2\r\n",
    "  \t-3\t1   1e0  \n# a note between rows\n-3 1.05 2.5E-3",  # no final newline
    "-3 1 5\n-3 1.05 -1\n-3 1.1 2\n",  # read with drop_negative=True below
    "-3 1 1_000\n-3 1.05 +2.\n",  # what float() accepts
]


@pytest.mark.parametrize("text", WELL_FORMED)
def test_whole_file_pass_equals_line_by_line(text: str) -> None:
    whole, lines = _both_passes(text.encode(), drop_negative=True)
    assert whole is not None
    assert isinstance(lines, spectra_rows.ParsedRows)
    _same(whole, lines)


@pytest.mark.parametrize(
    "data",
    [
        *(text.encode() for text, fragment in MALFORMED if "line" in fragment),
        b"-3 1 1 # a comment after a row\n",
        b"-3 1 1\n-3 1.05 \xff\n",
        b"# bin width log10: nan\n-3 1 1\n",
        b"-3 1 1\n-3 1.05 -1\n",  # negative, not to be dropped
    ],
)
def test_whole_file_pass_leaves_what_it_would_refuse_to_the_line_pass(data: bytes) -> None:
    """Where the whole-file pass declines, the line-by-line pass reads the file (and names the
    first bad line); it never accepts what the line pass refuses."""
    whole, lines = _both_passes(data)
    if whole is None:
        return
    assert isinstance(lines, spectra_rows.ParsedRows)  # accepted by both: then the same
    _same(whole, lines)


def test_whole_file_pass_declines_comments_after_rows_and_big_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert spectra_rows.parse_whole(b"-3 1 1 # note\n-3 1.05 1\n", "t", False) is None
    path = _write(tmp_path / "c_111.txt", "-3 1 1 # note\n-3 1.05 1\n")
    assert load_foresee(path).rows == 2  # the line pass reads it
    monkeypatch.setattr(spectra_rows, "WHOLE_MAX_BYTES", 10)
    big = _write(tmp_path / "big_111.txt", "-3 1 1\n-3 1.05 1\n-3 1.1 1\n")
    calls: list[int] = []
    real = spectra_rows.parse_lines

    def counted(*args: object) -> spectra_rows.ParsedRows:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(spectra_rows, "parse_lines", counted)
    assert load_foresee(big).rows == 3
    assert calls == [1]


_SPACE = st.sampled_from([" ", "  ", "\t", " \t "])
_NUMBER = st.floats(-2.9, 2.9, allow_nan=False).map(lambda x: f"{x:.6g}")
_SIGMA = st.floats(-1.0, 1e6, allow_nan=False).map(lambda x: f"{x:.9e}")


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(_NUMBER, _NUMBER, _SIGMA, _SPACE, _SPACE, st.sampled_from(["", " ", "\r"])),
        min_size=1,
        max_size=30,
    ),
    extra=st.lists(st.sampled_from(["", "   ", "# pid: 211", "# note", "#bin width log10: 0.05"])),
    drop=st.booleans(),
)
def test_whole_file_pass_equals_line_by_line_on_random_layouts(
    rows: list[tuple[str, str, str, str, str, str]], extra: list[str], drop: bool
) -> None:
    lines = [f"{t}{a}{p}{b}{s}{end}" for t, p, s, a, b, end in rows]
    for i, line in enumerate(extra):  # blank and comment lines anywhere
        lines.insert((7 * i) % (len(lines) + 1), line)
    whole, parsed = _both_passes("\n".join(lines).encode(), drop_negative=drop)
    if isinstance(parsed, SpectrumError):
        assert whole is None
        return
    assert whole is not None
    _same(whole, parsed)


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
