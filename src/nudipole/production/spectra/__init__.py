"""Forward production spectra of mesons and bosons in the FORESEE table format.

A FORESEE table (F. Kling, S. Trojanowski, PRD 104 (2021) 035012, arXiv:2105.07077) has one
row per bin, ``log10(theta/rad)  log10(p/GeV)  sigma[pb per bin]``: theta is the polar angle to
the beam axis and p the momentum of the particle in the forward hemisphere, the two logarithms
are bin centres on a regular grid (0.05 wide in both), and the sum of the third column is the
forward cross section in pb. Files may start with ``#`` header lines or have none.

:func:`load_foresee` reads any such file (plain or gzip) and checks it line by line;
:func:`builtin_spectrum` gives the tables shipped in ``nudipole/data/spectra`` (FORESEE,
files/hadrons/14TeV, MIT licence beside them, listed with their sums in ``catalogue.toml``):

* set ``"default"``: EPOS-LHC for pi0 eta eta' rho omega phi pi+- K+-, plain Pythia 8 for
  J/psi, Upsilon(1S), D+-, D_s+-, B+- (their sums are the seed talk's Table I);
* set ``"nlo"``: NLO (POWHEG) + Pythia 8 for D+-, D_s+-, B+- (1.73, 1.75 and 1.26 times the
  Pythia 8 sums); other particles fall back to ``"default"``;
* set ``"bosons"``: leading-order Pythia 8 W+, W-, Z (forward hemisphere only; normalise to a
  measured or NNLO cross section before quoting absolute rates).

Only non-zero bins are kept (a :class:`Spectrum` holds 1-D arrays of them). The NLO tables
contain a few bins with sigma < 0 (negative-weight NLO events, about 1e-5 of the sum); those
are dropped when the tables are packaged (``benchmarks/ship_spectra.py``), and a user file with
such bins loads with ``drop_negative=True``.

Modules: :mod:`~nudipole.production.spectra.model` (:class:`Spectrum`, :class:`SpectrumError`),
:mod:`~nudipole.production.spectra.reader` (:func:`load_foresee` and its checks),
:mod:`~nudipole.production.spectra.writer` (:func:`format_foresee`, :func:`write_foresee`) and
:mod:`~nudipole.production.spectra.builtin` (the shipped tables and their catalogue). Every
public name is importable from this package.
"""

from nudipole.production.spectra.builtin import (
    SPECTRA_SETS,
    CatalogueEntry,
    builtin_catalogue,
    builtin_spectrum,
)
from nudipole.production.spectra.model import (
    FORESEE_BIN_WIDTH,
    Spectrum,
    SpectrumError,
    particle_name,
)
from nudipole.production.spectra.reader import load_foresee
from nudipole.production.spectra.rows import MAX_ROWS
from nudipole.production.spectra.writer import format_foresee, write_foresee

__all__ = [
    "FORESEE_BIN_WIDTH",
    "MAX_ROWS",
    "SPECTRA_SETS",
    "CatalogueEntry",
    "Spectrum",
    "SpectrumError",
    "builtin_catalogue",
    "builtin_spectrum",
    "format_foresee",
    "load_foresee",
    "particle_name",
    "write_foresee",
]
