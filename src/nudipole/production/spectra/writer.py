"""Writing FORESEE tables: :func:`format_foresee` and :func:`write_foresee` (read back exactly by
:func:`~nudipole.production.spectra.reader.load_foresee`)."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from pathlib import Path

from nudipole.io.results import write_atomic
from nudipole.production.spectra.model import Spectrum, SpectrumError


def format_foresee(spectrum: Spectrum, header_lines: Sequence[str] = ()) -> str:
    """The spectrum as FORESEE-format text: a ``#`` header, then one row per non-zero bin.

    The header names the particle (``# pid:`` line, read back by :func:`load_foresee`), the
    generator, sqrt(s), units, bin width, the normalisation (sum of the third column, pb), the
    source, the generator settings and then ``header_lines`` (one ``#`` line each). Numbers
    are written with ``repr`` so that reading the text back gives the same floats.
    """
    head = [
        f"Forward production spectrum of {spectrum.particle} (PDG id {spectrum.pdgid}), "
        f"pp at sqrt(s) = {spectrum.sqrt_s_gev:g} GeV",
        f"pid: {spectrum.pdgid}",
        f"generator: {spectrum.generator}",
        f"sqrt(s): {spectrum.sqrt_s_gev:g} GeV",
        "hemisphere: forward only (pz > 0)",
        "columns: log10(theta/rad) log10(p/GeV) sigma[pb per bin]; theta and p are bin centres",
        f"bin width log10: {spectrum.bin_width_log10!r}",
        f"normalisation: {spectrum.total_pb!r} pb (sum of the third column)",
    ]
    if spectrum.source:
        head.append(f"source: {spectrum.source}")
    head += [f"setting: {s}" for s in spectrum.settings]
    for line in header_lines:
        if "\n" in line or "\r" in line:
            raise SpectrumError(f"header line {line!r} must not contain a line break")
        head.append(line.lstrip("#").strip())
    rows = zip(
        spectrum.log10_theta.tolist(),
        spectrum.log10_p.tolist(),
        spectrum.sigma_pb.tolist(),
        strict=True,
    )
    body = [f"{t!r} {p!r} {s!r}" for t, p, s in rows]
    return "".join(f"# {h}\n" for h in head) + "\n".join(body) + "\n"


def write_foresee(spectrum: Spectrum, path: str | Path, header_lines: Sequence[str] = ()) -> None:
    """Write :func:`format_foresee` to ``path`` atomically (gzip if the name ends in .gz)."""
    data = format_foresee(spectrum, header_lines).encode("utf-8")
    if str(path).lower().endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    write_atomic(path, data)
