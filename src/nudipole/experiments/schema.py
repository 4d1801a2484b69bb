"""Experiment definitions: frozen dataclasses built from validated TOML tables.

An experiment file has the tables ``[experiment]``, ``[beams]``, ``[detector]`` (with
``[detector.fiducial]``), one or more ``[[points]]`` (energy points summed in the chi^2),
optional ``[[runs]]`` (alternative single-energy runs selectable with ``--sqrt-s``) and
``[selections.NAME]`` each with a list of ``cuts``, an optional ``reducible_background`` and
an optional relative ``background_uncertainty`` (default 0). Every number carries a ``source``
string. See ``docs/experiments.md`` and the built-in files in ``nudipole/experiments/data``.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field, replace
from typing import Any

from nudipole.experiments._validate import Table, describe
from nudipole.experiments.errors import ExperimentError
from nudipole.experiments.selections import (
    BoundaryEnergyCut,
    Cut,
    cut_from_table,
    with_cos_theta_b,
)
from nudipole.kinematics.lorentz import beams_boost
from nudipole.units import LuminosityError, check_luminosity_pb

#: Range of e+ e- c.m. energies (GeV): from the pair threshold 2 m_e to 10 TeV (the highest
#: lepton-collider energies proposed); outside it the cross sections are meaningless or overflow.
MIN_SQRT_S = 1.022e-3
MAX_SQRT_S = 1.0e4
#: Largest relative background uncertainty accepted (100 %: a background known only to its
#: order of magnitude; the statistics of :mod:`nudipole.stats` are defined for any r >= 0).
MAX_BACKGROUND_UNCERTAINTY = 1.0
#: Most energy points (or runs) in one experiment file: each is integrated separately, with at
#: least 512 integration events, for every mass (BESIII, the largest built-in, has 71).
MAX_POINTS = 500


def check_sqrt_s(sqrt_s: float) -> float:
    """``sqrt_s`` (GeV) if it lies in [:data:`MIN_SQRT_S`, :data:`MAX_SQRT_S`], else a one-line
    ExperimentError naming it as given with ``--sqrt-s``."""
    if not MIN_SQRT_S <= sqrt_s <= MAX_SQRT_S:  # also NaN
        raise ExperimentError(
            f"--sqrt-s {sqrt_s:g}: sqrt(s) must be a c.m. energy from {MIN_SQRT_S:g} GeV "
            f"(2 m_e) to {MAX_SQRT_S:g} GeV"
        )
    return sqrt_s


def check_background_uncertainty(value: float, flag: str = "--bkg-uncertainty") -> float:
    """``value`` if it is a relative background uncertainty in [0, 1] (0.01 = 1 %), else a
    one-line ExperimentError naming it as given with ``flag``."""
    if not 0.0 <= value <= MAX_BACKGROUND_UNCERTAINTY:  # also NaN
        raise ExperimentError(
            f"{flag} {value:g}: a relative background uncertainty must be a number from 0 to "
            f"{MAX_BACKGROUND_UNCERTAINTY:g} (0.01 = 1 %)"
        )
    return value


def _check_luminosity(luminosity_pb: float) -> float:
    try:
        return check_luminosity_pb(luminosity_pb)
    except LuminosityError as err:
        raise ExperimentError(str(err)) from None


@dataclass(frozen=True)
class EnergyPoint:
    """One data set: sqrt(s) in GeV and integrated luminosity in pb^-1."""

    sqrt_s: float
    luminosity_pb: float
    label: str = ""
    source: str = ""
    estimated: bool = False
    note: str = ""


@dataclass(frozen=True)
class ReducibleBackground:
    """Reducible background surviving a selection: ``events`` per ``per_luminosity_pb``,
    scaled linearly with luminosity (seed Sec. II.1 for the Belle II gap background)."""

    events: float
    per_luminosity_pb: float
    source: str = ""

    def expected(self, luminosity_pb: float) -> float:
        return self.events * luminosity_pb / self.per_luminosity_pb


LIMIT_TYPES = (
    "counting",
    "cross-section",
    "z-branching-ratio",
    "measured-cross-section",
    "z-invisible-width",
)
SM_BACKGROUNDS = ("contact", "electroweak")


@dataclass(frozen=True)
class LimitSpec:
    """How a selection turns into a limit on d.

    ``counting`` (default): expected limit from signal and background counts (chi^2 or Asimov).
    The others are published results used as constraints (LEP, :mod:`nudipole.reach.scan`):

    * ``cross-section``: the accepted signal cross section must stay below ``max_pb``;
    * ``z-branching-ratio``: Br(Z -> gamma + invisible) below ``value``, i.e. the accepted signal
      cross section at the Z pole below ``value`` x sigma(e+ e- -> Z) = 12 pi Gamma_ee /
      (M_Z^2 Gamma_Z);
    * ``measured-cross-section``: chi^2 = ((sigma_SM + S - sigma_meas)/error)^2 may rise by
      Delta = 2.7055 above its value without signal (``measured_pb``, ``error_pb``, ``sm_pb``);
    * ``z-invisible-width``: Gamma(Z -> nu Nbar) + Gamma(Z -> nubar N) below ``max_mev``.
    """

    type: str = "counting"
    max_pb: float = 0.0
    value: float = 0.0
    measured_pb: float = 0.0
    error_pb: float = 0.0
    sm_pb: float = 0.0
    max_mev: float = 0.0
    source: str = ""


@dataclass(frozen=True)
class Selection:
    """A named photon selection: AND of cuts, plus its reducible background if any.

    ``sqrt_s``: if set, the selection uses only the energy point at that sqrt(s) (an analysis of
    one data set, e.g. LEP1 or LEP2); ``limit``: how the limit is set (:class:`LimitSpec`);
    ``detector``: the detector of this analysis if it differs from the experiment's (LEP);
    ``background_uncertainty``: relative uncertainty r of the expected background of every
    energy point (0.01 = 1 %; 0, the seed's assumption, by default), profiled or averaged by
    the statistic (:mod:`nudipole.stats`).
    """

    name: str
    cuts: tuple[Cut, ...]
    reducible: ReducibleBackground | None = None
    description: str = ""
    source: str = ""
    sqrt_s: float | None = None
    limit: LimitSpec = LimitSpec()
    detector: Detector | None = None
    background_uncertainty: float = 0.0


@dataclass(frozen=True)
class FiducialVolume:
    """Cylinder (lab frame, metres) in which N must decay for its photon to be seen."""

    radius_m: float
    z_min_m: float
    z_max_m: float
    source: str = ""


@dataclass(frozen=True)
class Detector:
    """Photon efficiency, the seed's single detector length and the fiducial volume."""

    efficiency: float
    decay_length_m: float
    fiducial: FiducialVolume
    source: str = ""


@dataclass(frozen=True)
class Experiment:
    """A complete experiment definition (see module docstring for the file layout)."""

    name: str
    title: str
    beam_energy_ratio: float
    points: tuple[EnergyPoint, ...]
    detector: Detector
    selections: dict[str, Selection]
    default_selection: str
    runs: tuple[EnergyPoint, ...] = ()
    description: str = ""
    reference: str = ""
    origin: str = ""
    sm_background: str = "contact"
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def beta(self) -> float:
        """CM velocity in the lab from E(e-)/E(e+) = r: beta = (r - 1)/(r + 1)."""
        r = self.beam_energy_ratio
        return beams_boost(math.sqrt(r), 1.0 / math.sqrt(r))

    @property
    def max_sqrt_s(self) -> float:
        return max(p.sqrt_s for p in self.points)

    @property
    def total_luminosity_pb(self) -> float:
        return sum(p.luminosity_pb for p in self.points)

    def selection(self, name: str | None = None) -> Selection:
        key = self.default_selection if name is None else name
        if key not in self.selections:
            known = ", ".join(sorted(self.selections))
            raise ExperimentError(
                f"experiment {self.name!r} has no selection {key!r}; choose one of: {known}"
            )
        return self.selections[key]

    def with_cos_theta_b(self, selection: str | None, cos_theta_b: float) -> Experiment:
        """The experiment with the boundary-energy cuts of ``selection`` (seed Eq. 14) at
        ``cos_theta_b``; the recorded definition (``raw``) says so too.

        Used to draw a limit over a boundary that no source fixes
        (``cos_theta_b_range``, CEPC).
        """
        sel = self.selection(selection)
        cuts = with_cos_theta_b(sel.cuts, cos_theta_b)
        raw = copy.deepcopy(self.raw)
        for cut in raw.get("selections", {}).get(sel.name, {}).get("cuts", []):
            if isinstance(cut, dict) and cut.get("type") == BoundaryEnergyCut.kind:
                cut["cos_theta_b"] = cos_theta_b
        selections = {**self.selections, sel.name: replace(sel, cuts=cuts)}
        return replace(self, selections=selections, raw=raw)

    def with_luminosity(self, luminosity_pb: float) -> Experiment:
        """Scale every energy point so that the total is ``luminosity_pb`` (pb^-1)."""
        factor = _check_luminosity(luminosity_pb) / self.total_luminosity_pb
        pts = tuple(replace(p, luminosity_pb=p.luminosity_pb * factor) for p in self.points)
        return replace(self, points=pts)

    def with_sqrt_s(self, sqrt_s: float, luminosity_pb: float | None = None) -> Experiment:
        """Replace the energy points by one run at ``sqrt_s`` (GeV).

        The luminosity is ``luminosity_pb`` if given, otherwise the one listed for that energy in
        ``[[runs]]`` or ``[[points]]`` (matched within 1 MeV). Asymmetric beams keep their energy
        ratio.
        """
        check_sqrt_s(sqrt_s)
        listed = [p for p in (*self.runs, *self.points) if abs(p.sqrt_s - sqrt_s) < 1e-3]
        if luminosity_pb is None:
            if not listed:
                raise ExperimentError(
                    f"{self.title} lists no luminosity at sqrt(s) = {sqrt_s} GeV; pass one "
                    "with --lumi (e.g. --lumi 10/ab)"
                )
            point = listed[0]
        else:
            _check_luminosity(luminosity_pb)
            base = listed[0] if listed else EnergyPoint(sqrt_s, luminosity_pb, label="user")
            point = replace(base, sqrt_s=sqrt_s, luminosity_pb=luminosity_pb)
        return replace(self, points=(point,))


def _point(table: Table) -> EnergyPoint:
    point = EnergyPoint(
        sqrt_s=table.number("sqrt_s", minimum=MIN_SQRT_S, maximum=MAX_SQRT_S),
        luminosity_pb=table.luminosity("luminosity"),
        label=table.string("label", default=""),
        source=table.string("source"),
        estimated=table.boolean("estimated", default=False),
        note=table.string("note", default=""),
    )
    table.finish()
    return point


#: Smallest beam energy ratio E(e-)/E(e+) accepted on load (the largest is its inverse).
MIN_ENERGY_RATIO = 1.0e-3

#: Sizes of an e+e- detector's decay volume (metres) accepted on load: from a micron to ten
#: kilometres (beyond, the path lengths in GeV^-1 and their inverses overflow or underflow).
MIN_DETECTOR_M = 1.0e-6
MAX_DETECTOR_M = 1.0e4


def _detector(det: Table) -> Detector:
    fid_table = det.subtable("fiducial")
    fiducial = FiducialVolume(
        radius_m=fid_table.number("radius_m", minimum=MIN_DETECTOR_M, maximum=MAX_DETECTOR_M),
        z_min_m=fid_table.number("z_min_m", minimum=-MAX_DETECTOR_M, maximum=-MIN_DETECTOR_M),
        z_max_m=fid_table.number("z_max_m", minimum=MIN_DETECTOR_M, maximum=MAX_DETECTOR_M),
        source=fid_table.string("source"),
    )
    fid_table.finish()
    detector = Detector(
        efficiency=det.number("efficiency", minimum=0.0, maximum=1.0),
        decay_length_m=det.number("decay_length_m", minimum=MIN_DETECTOR_M, maximum=MAX_DETECTOR_M),
        fiducial=fiducial,
        source=det.string("source"),
    )
    det.finish()
    return detector


#: Cross sections (pb) a published limit may quote: from a zeptobarn to a millibarn.
MIN_LIMIT_PB = 1.0e-9
MAX_LIMIT_PB = 1.0e9
#: Most reducible-background events a selection may quote (per its luminosity).
MAX_REDUCIBLE_EVENTS = 1.0e12


def _limit(table: Table | None) -> LimitSpec:
    if table is None:
        return LimitSpec()
    kind = table.string("type")
    if kind not in LIMIT_TYPES:
        raise ExperimentError(
            f"{table.where}.type: unknown limit type {kind!r}; "
            f"choose one of {', '.join(LIMIT_TYPES)}"
        )
    spec = LimitSpec(type=kind)
    if kind == "cross-section":
        spec = LimitSpec(
            kind, max_pb=table.number("max_pb", minimum=MIN_LIMIT_PB, maximum=MAX_LIMIT_PB)
        )
    elif kind == "z-branching-ratio":
        spec = LimitSpec(kind, value=table.number("value", positive=True, maximum=1.0))
    elif kind == "measured-cross-section":
        spec = LimitSpec(
            kind,
            measured_pb=table.number("measured_pb", minimum=MIN_LIMIT_PB, maximum=MAX_LIMIT_PB),
            error_pb=table.number("error_pb", minimum=MIN_LIMIT_PB, maximum=MAX_LIMIT_PB),
            sm_pb=table.number("sm_pb", minimum=MIN_LIMIT_PB, maximum=MAX_LIMIT_PB),
        )
    elif kind == "z-invisible-width":
        spec = LimitSpec(kind, max_mev=table.number("max_mev", positive=True, maximum=1.0e4))
    spec = replace(spec, source=table.string("source"))
    table.finish()
    return spec


def _selection(name: str, table: Table) -> Selection:
    cuts = tuple(cut_from_table(t) for t in table.tables("cuts", required=False))
    reducible = None
    red = table.table("reducible_background", required=False)
    if red is not None:
        reducible = ReducibleBackground(
            events=red.number("events", minimum=0.0, maximum=MAX_REDUCIBLE_EVENTS),
            per_luminosity_pb=red.luminosity("luminosity"),
            source=red.string("source"),
        )
        red.finish()
    selection = Selection(
        name=name,
        cuts=cuts,
        reducible=reducible,
        description=table.string("description", default=""),
        source=table.string("source"),
        sqrt_s=table.number("sqrt_s", positive=True) if table.has("sqrt_s") else None,
        limit=_limit(table.table("limit", required=False)),
        detector=None if not table.has("detector") else _detector(table.subtable("detector")),
        background_uncertainty=table.number(
            "background_uncertainty", default=0.0, minimum=0.0, maximum=MAX_BACKGROUND_UNCERTAINTY
        ),
    )
    table.finish()
    if not cuts and selection.limit.type != "z-invisible-width":
        raise ExperimentError(f"{table.where}: needs at least one cut in its 'cuts' list")
    if selection.limit.type != "counting":
        # a published limit has its background inside the published number: these would be
        # ignored (only a counted limit uses them)
        given = [
            key
            for key, value in (
                ("reducible_background", selection.reducible),
                ("background_uncertainty", selection.background_uncertainty or None),
            )
            if value is not None
        ]
        if given:
            raise ExperimentError(
                f"{table.where}: a published limit ({selection.limit.type}) uses no "
                f"{' or '.join(given)} (its background is inside the published number); "
                "drop it, or make the limit a counted one (limit.type = 'counting')"
            )
    return selection


def experiment_from_dict(data: dict[str, Any], origin: str) -> Experiment:
    """Validate a parsed TOML document and build an :class:`Experiment`.

    Raises
    ------
    ExperimentError
        On a missing, mistyped, out-of-range or unknown field, with a one-line message.
    """
    top = Table(data, origin)
    meta, beams, det = top.subtables("experiment", "beams", "detector")

    # E(e-)/E(e+) within 1e-3 .. 1e3 (beta_CM up to 0.998; B factories have 1.75 to 2.9):
    # beyond, the boost takes every photon out of any detector and the scan says nothing
    ratio = beams.number("energy_ratio", minimum=MIN_ENERGY_RATIO, maximum=1.0 / MIN_ENERGY_RATIO)
    beams.string("source")
    beams.finish()

    detector = _detector(det)

    point_tables = top.tables("points")
    run_tables = top.tables("runs", required=False)
    for key, tables in (("points", point_tables), ("runs", run_tables)):
        if len(tables) > MAX_POINTS:
            raise ExperimentError(
                f"{origin}: {len(tables)} [[{key}]]; at most {MAX_POINTS} are allowed (each is "
                "integrated for every mass; BESIII, the largest built-in, has 71): merge "
                "nearby energies"
            )
    points = tuple(_point(t) for t in point_tables)
    runs = tuple(_point(t) for t in run_tables)

    sel_table = top.subtable("selections")
    selections: dict[str, Selection] = {}
    for name in sel_table.keys():  # noqa: SIM118 - Table is not a dict
        selections[name] = _selection(name, sel_table.subtable(name))
    sel_table.finish()
    if not selections:
        raise ExperimentError(f"{origin}: [selections] must define at least one selection")

    meta.string("name")  # a missing name is reported before the fields below
    kind = meta.string("kind", default="collider")
    if kind != "collider":
        raise ExperimentError(f"{origin}: experiment.kind must be 'collider', got {kind!r}")
    default_selection = meta.string("default_selection")
    if default_selection not in selections:
        raise ExperimentError(
            f"{origin}: default_selection {default_selection!r} is not among the selections "
            f"({', '.join(sorted(selections))})"
        )
    experiment = Experiment(
        **describe(meta, origin, data),
        beam_energy_ratio=ratio,
        points=points,
        detector=detector,
        selections=selections,
        default_selection=default_selection,
        runs=runs,
        sm_background=meta.string("sm_background", default="contact"),
    )
    if experiment.sm_background not in SM_BACKGROUNDS:
        raise ExperimentError(
            f"{origin}: experiment.sm_background must be one of {', '.join(SM_BACKGROUNDS)}, "
            f"got {experiment.sm_background!r}"
        )
    for sel in selections.values():
        if sel.sqrt_s is not None and not any(abs(p.sqrt_s - sel.sqrt_s) < 1e-3 for p in points):
            raise ExperimentError(
                f"{origin}: selection {sel.name!r} uses sqrt_s = {sel.sqrt_s} GeV, which is not "
                "among the [[points]]"
            )
    meta.finish()
    top.finish()
    return experiment
