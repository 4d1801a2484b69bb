"""The catalogue of existing limits, shipped in ``nudipole/data/existing_limits``.

The curves are HNLimits' digitisations (M. Hostert, MIT licence, kept beside the files), as
summarised in Schwetz, Zhou, Zhu, JHEP 07 (2021) 200, arXiv:2105.09699. ``catalogue.toml`` gives,
for every entry, the files, their units, the confidence level, the geometry of the excluded
region and the citations. Units are converted once, on load:

* masses in MeV -> GeV;
* couplings given as a transition magnetic moment mu_tr in Bohr magnetons -> d in GeV^-1 with
  HNLimits' convention mu_tr = 2 d and mu_B = e / (2 m_e) (:data:`BOHR_MAGNETON_GEV`).

Every entry becomes a closed polygon in (m_N [GeV], d [GeV^-1]); the excluded region is its
inside, tested in log-log coordinates.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from importlib import resources
from typing import Any, Final

import numpy as np

from nudipole.constants import BOHR_MAGNETON_GEV
from nudipole.model import Flavour, d_from_mu_tr
from nudipole.numerics.polygon import Polygon, closed_ring, grid_inside
from nudipole.physics._types import ArrayLike, FloatArray

GEOMETRIES: Final = ("upper-curve", "closed-polygon", "band", "open-contour")
#: Top of the excluded region of an "upper-curve" limit, GeV^-1 (far above any plot).
D_TOP: Final[float] = 1.0e3
#: One-sided Gaussian quantiles used to rescale a 90 % CL limit to 95 % CL.
Z_90: Final[float] = 1.2815515655446004
Z_95: Final[float] = 1.6448536269514722

_PACKAGE: Final = "nudipole.data.existing_limits"
#: Step in log10(d) used to tell a lower-boundary point (excluded just above) from an upper one.
_PROBE_DEX: Final[float] = 1.0e-3


class CatalogueError(ValueError):
    """The limits catalogue is inconsistent (a packaging error, not user input)."""


def read_two_columns(text: str) -> FloatArray:
    """Parse a two-column data file: '#' starts a comment anywhere on a line (so commented-out
    rows and stray annotations such as ``0.1 #JOSU`` are handled); blank lines are skipped."""
    rows: list[tuple[float, float]] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 2:
            raise CatalogueError(f"cannot read data line {raw!r}")
        rows.append((float(parts[0]), float(parts[1])))
    if len(rows) < 2:
        raise CatalogueError("a limit file needs at least two points")
    return np.asarray(rows, dtype=float)


def convert_units(points: FloatArray, mass_unit: str, coupling_unit: str) -> FloatArray:
    """Convert (mass, coupling) columns to (GeV, d in GeV^-1)."""
    out = np.array(points, dtype=float)
    if mass_unit == "MeV":
        out[:, 0] *= 1.0e-3
    elif mass_unit != "GeV":
        raise CatalogueError(f"unknown mass unit {mass_unit!r}")
    if coupling_unit == "mu_B":
        out[:, 1] = d_from_mu_tr(1.0) * out[:, 1] * BOHR_MAGNETON_GEV
    elif coupling_unit != "d":
        raise CatalogueError(f"unknown coupling unit {coupling_unit!r}")
    return out


def close_polygon(geometry: str, parts: list[FloatArray]) -> FloatArray:
    """Closed polygon of the excluded region for each geometry (see catalogue.toml)."""
    if geometry == "upper-curve":
        (curve,) = parts
        top = np.array([[curve[-1, 0], D_TOP], [curve[0, 0], D_TOP]])
        return np.vstack([curve, top, curve[:1]])
    if geometry == "closed-polygon":
        (poly,) = parts
        return np.vstack([poly, poly[:1]])
    if geometry == "band":
        # Lower and upper edges, each oriented left to right here (files run either way).
        bottom, top = (p if p[0, 0] <= p[-1, 0] else p[::-1] for p in parts)
        return np.vstack([bottom, top[::-1], bottom[:1]])
    if geometry == "open-contour":
        (curve,) = parts
        m_min = curve[:, 0].min()
        edge = np.array([[m_min, curve[-1, 1]], [m_min, curve[0, 1]]])
        return np.vstack([curve, edge, curve[:1]])
    raise CatalogueError(f"unknown geometry {geometry!r}; expected one of {GEOMETRIES}")


@dataclass(frozen=True)
class ExistingLimit:
    """One published limit, converted to (m_N [GeV], d [GeV^-1]).

    ``polygon`` bounds the excluded region; ``curves`` are the converted source curves (for
    drawing edges). ``cl`` is as published; :meth:`at_95` rescales a 90 % CL limit.
    """

    id: str
    label: str
    flavours: tuple[Flavour, ...]
    geometry: str
    cl: float
    rate_power: int
    arxiv: str
    reference: str
    data_reference: str
    category: str
    in_paper: bool
    notes: str
    files: tuple[str, ...]
    mass_unit: str
    coupling_unit: str
    curves: tuple[FloatArray, ...] = field(repr=False)
    polygon: FloatArray = field(repr=False)
    rescaled: bool = False

    @property
    def citation(self) -> str:
        return f"{self.reference}, arXiv:{self.arxiv}"

    @property
    def mass_range(self) -> tuple[float, float]:
        return float(self.polygon[:, 0].min()), float(self.polygon[:, 0].max())

    def cl_factor(self) -> float:
        """Factor that turns this limit into a 95 % CL one.

        For a background-dominated counting limit the excluded signal scales with the one-sided
        Gaussian quantile z, so S_95/S_90 = z_95/z_90 = 1.2835; with a signal rate S ∝ d^n the
        coupling scales by (z_95/z_90)^(1/n). n (``rate_power``) is the single parameter;
        n = 0 marks astrophysical/cosmological bounds, which are left as published.
        """
        if self.cl >= 0.95 or self.rate_power <= 0 or self.rescaled:
            return 1.0
        return float((Z_95 / Z_90) ** (1.0 / self.rate_power))

    def at_95(self) -> ExistingLimit:
        """The same limit at 95 % CL: the region shrinks from below.

        Points on the lower boundary (where a slightly larger coupling is excluded) move up by
        :meth:`cl_factor`; upper boundaries of closed regions (N decaying before it reaches the
        detector, where the rate falls exponentially and the CL enters only logarithmically)
        and the closing top of upper curves stay where they are.
        """
        f = self.cl_factor()
        if f == 1.0:
            return self
        region = self._log_polygon

        def shrink(points: FloatArray) -> FloatArray:
            probe = np.log10(points) + np.array([0.0, _PROBE_DEX])
            lower = region.contains(probe[:, 0], probe[:, 1])
            return np.column_stack([points[:, 0], points[:, 1] * np.where(lower, f, 1.0)])

        return replace(
            self,
            polygon=shrink(self.polygon),
            curves=tuple(shrink(c) for c in self.curves),
            cl=0.95,
            rescaled=True,
        )

    def contains(self, mass: ArrayLike, d: ArrayLike) -> np.ndarray:
        """True where (m, d) lies inside the excluded region (log-log polygon test)."""
        shape, pts = _log_points(mass, d)
        return self.contains_log(pts).reshape(shape)

    def contains_log(self, pts: FloatArray) -> np.ndarray:
        """:meth:`contains` of points already given as (log10 m, log10 d) rows, (n, 2)
        (:meth:`LimitSet.excluded` takes the logarithms once for all its limits)."""
        inside = np.zeros(pts.shape[0], dtype=bool)
        lo, hi = self._log_box
        if pts.shape[0] == 1:  # one point (the new-ground edges' tests): its box test in floats
            x, y = float(pts[0, 0]), float(pts[0, 1])
            if not (lo[0] <= x <= hi[0] and lo[1] <= y <= hi[1]):  # (NaN: outside)
                return inside
        # only points inside the polygon's bounding box need the polygon test
        box = np.all((pts >= lo) & (pts <= hi), axis=1)
        if box.any():
            inside[box] = self._log_polygon.contains(pts[box, 0], pts[box, 1])
        return inside

    def contains_log_grid(self, log_m: FloatArray, log_d: FloatArray) -> np.ndarray:
        """:meth:`contains` on the grid of points (log10 m[i], log10 d[j]) (finite), shape
        (masses, couplings): each coupling's row crossed once (:func:`grid_inside`)."""
        return grid_inside(self._log_polygon.ring, log_m, log_d).T

    @cached_property
    def _log_box(self) -> tuple[FloatArray, FloatArray]:
        """Corners (log10 m, log10 d) of the polygon's bounding box."""
        poly = np.log10(self.polygon)
        return poly.min(axis=0), poly.max(axis=0)

    @cached_property
    def _log_polygon(self) -> Polygon:
        """The excluded region's outline in (log10 m, log10 d), as matplotlib's closed path of
        the polygon tests it (:func:`nudipole.numerics.polygon.closed_ring`), made once per
        limit (the limit is immutable)."""
        return Polygon(closed_ring(np.log10(self.polygon)))


@dataclass(frozen=True)
class LimitSet:
    """A selection of existing limits (iterable)."""

    limits: tuple[ExistingLimit, ...]

    def __iter__(self) -> Iterator[ExistingLimit]:
        return iter(self.limits)

    def __len__(self) -> int:
        return len(self.limits)

    def ids(self) -> list[str]:
        return [lim.id for lim in self.limits]

    def get(self, limit_id: str) -> ExistingLimit:
        for lim in self.limits:
            if lim.id == limit_id:
                return lim
        raise KeyError(f"no existing limit {limit_id!r}; known: {', '.join(self.ids())}")

    def for_flavour(self, flavour: Flavour | str) -> LimitSet:
        """The limits on d of ``flavour`` (e, mu or tau)."""
        try:
            f = Flavour(flavour)
        except ValueError:
            raise ValueError(
                f"unknown flavour {flavour!r}; choose one of {', '.join(x.value for x in Flavour)}"
            ) from None
        return LimitSet(tuple(lim for lim in self.limits if f in lim.flavours))

    def paper_set(self) -> LimitSet:
        """The limits the seed drew in its Fig. 3."""
        return LimitSet(tuple(lim for lim in self.limits if lim.in_paper))

    def select(self, which: str) -> LimitSet:
        """``"paper"`` (the seed's Fig. 3 set) or ``"all"`` (the full catalogue)."""
        if which == "paper":
            return self.paper_set()
        if which == "all":
            return self
        raise ValueError(f"unknown limit set {which!r}: choose paper or all")

    def at_95(self) -> LimitSet:
        return LimitSet(tuple(lim.at_95() for lim in self.limits))

    def excluded(self, mass: ArrayLike, d: ArrayLike) -> np.ndarray:
        """True where any limit excludes (m, d)."""
        m = np.asarray(mass, dtype=float)
        dd = np.asarray(d, dtype=float)
        if m.ndim == 2 and dd.ndim == 2 and m.shape[1] == 1 and dd.shape[0] == 1:
            # a grid, masses down, couplings across (the envelope's): by rows of couplings
            log_m, log_d = np.log10(m[:, 0]), np.log10(dd[0])
            if np.isfinite(log_m).all() and np.isfinite(log_d).all():
                out = np.zeros((log_m.size, log_d.size), dtype=bool)
                for lim in self.limits:
                    out |= lim.contains_log_grid(log_m, log_d)
                return out
        # the points' logarithms once for every limit (the new-ground edges test one point
        # at a time against each limit of a flavour: 0.26 -> 0.1 s of the headline)
        shape, pts = _log_points(m, dd)
        out = np.zeros(pts.shape[0], dtype=bool)
        for lim in self.limits:
            out |= lim.contains_log(pts)
        return out.reshape(shape)


def _log_points(mass: ArrayLike, d: ArrayLike) -> tuple[tuple[int, ...], FloatArray]:
    """The broadcast shape of ``mass`` and ``d`` and the points as (log10 m, log10 d) rows."""
    m = np.asarray(mass, dtype=float)
    dd = np.asarray(d, dtype=float)
    shape = np.broadcast_shapes(m.shape, dd.shape)
    pts = np.column_stack(
        [
            np.log10(np.broadcast_to(m, shape).ravel()),
            np.log10(np.broadcast_to(dd, shape).ravel()),
        ]
    )
    return shape, pts


def _entry(table: dict[str, Any]) -> ExistingLimit:
    known = {
        "id", "label", "flavours", "geometry", "files", "mass_unit", "coupling_unit", "cl",
        "rate_power", "arxiv", "reference", "data_reference", "category", "in_paper", "notes",
    }  # fmt: skip
    unknown = set(table) - known
    missing = known - set(table)
    if unknown or missing:
        raise CatalogueError(
            f"catalogue entry {table.get('id')!r}: "
            f"unknown {sorted(unknown)}, missing {sorted(missing)}"
        )
    root = resources.files(_PACKAGE)
    parts = [
        convert_units(
            read_two_columns(root.joinpath(name).read_text("utf-8")),
            table["mass_unit"],
            table["coupling_unit"],
        )
        for name in table["files"]
    ]
    return ExistingLimit(
        id=str(table["id"]),
        label=str(table["label"]),
        flavours=tuple(Flavour(f) for f in table["flavours"]),
        geometry=str(table["geometry"]),
        cl=float(table["cl"]),
        rate_power=int(table["rate_power"]),
        arxiv=str(table["arxiv"]),
        reference=str(table["reference"]),
        data_reference=str(table["data_reference"]),
        category=str(table["category"]),
        in_paper=bool(table["in_paper"]),
        notes=str(table["notes"]),
        files=tuple(str(f) for f in table["files"]),
        mass_unit=str(table["mass_unit"]),
        coupling_unit=str(table["coupling_unit"]),
        curves=tuple(parts),
        polygon=close_polygon(str(table["geometry"]), parts),
    )


def load_catalogue(ids: Iterable[str] | None = None) -> LimitSet:
    """Load the shipped catalogue (optionally only the given ids)."""
    text = resources.files(_PACKAGE).joinpath("catalogue.toml").read_text("utf-8")
    entries = [_entry(t) for t in tomllib.loads(text)["limit"]]
    if ids is not None:
        wanted = list(ids)
        by_id = {e.id: e for e in entries}
        missing = [i for i in wanted if i not in by_id]
        if missing:
            raise KeyError(f"no existing limit {missing}; known: {', '.join(by_id)}")
        entries = [by_id[i] for i in wanted]
    return LimitSet(tuple(entries))
