"""Far-detector experiments: a production environment (pp collisions at an LHC interaction
point), a detector volume far from it, and a photon selection; TOML validated on load.

A far-detector file has ``[experiment]`` with ``kind = "far-detector"``, ``[collider]``
(sqrt(s), integrated luminosity of the interaction point the detector looks at),
``[detector]`` (a ``shape`` and its dimensions in metres, relative to the interaction point,
z along the beam), ``[selection]`` (photon energy threshold, efficiency, expected background)
and ``[charged_mesons]`` (where long-lived charged parents can decay before they are
absorbed). Every number carries a ``source``; numbers that no source fixes say
``estimated = true``. See ``docs/lhc.md`` and the built-in files faser2.toml, mapp2.toml,
facet.toml.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from nudipole.detectors import BeamAxisAnnulus, BeamAxisCylinder, Box, Shape
from nudipole.detectors.vertical_cylinder import VerticalCylinder
from nudipole.experiments._validate import Table, describe
from nudipole.experiments.errors import ExperimentError
from nudipole.experiments.schema import MAX_BACKGROUND_UNCERTAINTY, check_background_uncertainty
from nudipole.production.absorber import ChargedMesonDecays
from nudipole.production.meson_table import CHANNELS
from nudipole.production.spectra.builtin import builtin_catalogue
from nudipole.units import format_luminosity

#: Detector shapes a far-detector file may use, with their fields (metres).
SHAPES: dict[str, tuple[str, ...]] = {
    "beam-axis-cylinder": ("radius_m", "z_min_m", "z_max_m"),
    "beam-axis-annulus": ("r_min_m", "r_max_m", "z_min_m", "z_max_m"),
    "box": ("x_min_m", "x_max_m", "y_min_m", "y_max_m", "z_min_m", "z_max_m"),
    "vertical-cylinder": ("radius_m", "x_center_m", "z_center_m", "y_min_m", "y_max_m"),
}

#: Lengths above this (metres) are refused: no LHC detector is further than a few km away,
#: and absurd values would only produce underflowing decay probabilities.
MAX_LENGTH_M = 1.0e5


@dataclass(frozen=True)
class PhotonSelection:
    """What makes an N -> nu gamma decay inside the volume count as a signal event.

    ``photon_energy_min``: lab-frame photon energy threshold (GeV). ``efficiency``: photon
    reconstruction efficiency. ``background``: expected background events for the whole
    luminosity after the selection; ``background_uncertainty``: its relative uncertainty
    (0.01 = 1 %, default 0), averaged over in the CLs limit
    (:func:`nudipole.stats.poisson.expected_signal_limit`). Used by the ``default`` preset; the
    ``paper`` preset counts every decay inside the volume with no background, as the LHC papers
    do.
    """

    photon_energy_min: float
    efficiency: float
    background: float
    source: str = ""
    estimated: bool = False
    background_uncertainty: float = 0.0


#: The quadrature orders a far-detector file may set in ``[integration]`` (see
#: :class:`IntegrationRules`), with their allowed range.
INTEGRATION_ORDERS = (
    "n_phi",
    "n_cos",
    "n_phi_boson",
    "n_cos_boson",
    "n_table_cells",
    "n_azimuth",
)
MAX_ORDER = 64


@dataclass(frozen=True)
class IntegrationRules:
    """Quadrature orders with which this detector's count is converged, replacing the
    defaults of :class:`nudipole.production.meson_source.SourceOptions` (None: keep the
    default). ``source`` states the convergence check that justifies them (each built-in
    choice is tested against every rule doubled in ``tests/reach/test_far_convergence.py``).
    ``n_phi``: nodes of the phi* rule beyond the first region of the detector that a node's
    accepted interval meets (the part inside that region is integrated exactly,
    :func:`nudipole.reach._far_kernel.flux_rays_kernel`); ``n_cos``: theta* nodes of the
    meson parts; ``n_phi_boson``, ``n_cos_boson``: the phi* and theta* rules of the W/Z parts
    (``n_phi_boson`` unset: the W/Z parts take ``n_phi``;
    :func:`nudipole.production.meson_source.part_phi_order`,
    :func:`nudipole.production.meson_source.part_cos_rule`). A detector seen over its whole
    azimuth (a cylinder on the beam axis) needs fewer phi* nodes than a box off the axis,
    whose azimuthal window changes with the polar angle. ``n_table_cells``: the polar cells
    of the detector table (64 rows each, :func:`nudipole.production.detector_grid.
    detector_grid_size`, of the compiled path only: the NumPy path behind ``nudipole
    events`` keeps its N cells, ``n_theta_cells``);
    ``n_azimuth``: the azimuthal nodes per smooth piece of the detector's azimuthal window at
    each row. A large box far off the axis changes slowly with
    the polar angle and needs fewer of both than a small detector on the axis.
    ``minor_channels``: meson channels whose N are so small a part of this detector's counts
    that their halved rules leave its bands as they are
    (:meth:`nudipole.production.source_options.SourceOptions.for_channel`).
    """

    n_phi: int | None = None
    n_cos: int | None = None
    n_phi_boson: int | None = None
    n_cos_boson: int | None = None
    n_table_cells: int | None = None
    n_azimuth: int | None = None
    minor_channels: tuple[str, ...] | None = None
    source: str = ""


@dataclass(frozen=True)
class FarDetectorExperiment:
    """A far detector at a hadron collider (see module docstring for the file layout)."""

    name: str
    title: str
    sqrt_s: float
    luminosity_pb: float
    shape: Shape
    selection: PhotonSelection
    charged_mesons: ChargedMesonDecays
    interaction_point: str = ""
    detector_version: str = ""
    description: str = ""
    reference: str = ""
    origin: str = ""
    collider_source: str = ""
    detector_source: str = ""
    integration: IntegrationRules = field(default_factory=IntegrationRules)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    kind = "far-detector"

    @property
    def luminosity(self) -> str:
        return format_luminosity(self.luminosity_pb)

    def with_luminosity(self, luminosity_pb: float) -> FarDetectorExperiment:
        """The same detector with another integrated luminosity (pb^-1); the background
        scales with it."""
        if not luminosity_pb > 0.0 or luminosity_pb == float("inf"):
            raise ExperimentError(f"luminosity must be positive and finite, got {luminosity_pb}")
        factor = luminosity_pb / self.luminosity_pb
        sel = replace(self.selection, background=self.selection.background * factor)
        return replace(self, luminosity_pb=luminosity_pb, selection=sel)

    def with_background_uncertainty(self, uncertainty: float) -> FarDetectorExperiment:
        """The same detector with another relative background uncertainty (0 to 1)."""
        check_background_uncertainty(uncertainty)
        sel = replace(self.selection, background_uncertainty=uncertainty)
        return replace(self, selection=sel)


#: Smallest non-zero length (m) of a far detector's geometry: below it the squares of the
#: lengths underflow in the ray-volume algebra (a coordinate of 1e-300 m once divided by 0).
MIN_LENGTH_M = 1.0e-6


def _length(
    table: Table, key: str, *, minimum: float | None = None, positive: bool = False
) -> float:
    value = table.number(key, maximum=MAX_LENGTH_M, minimum=minimum, positive=positive)
    if 0.0 < abs(value) < MIN_LENGTH_M:
        raise ExperimentError(
            f"{table.where}.{key} = {value:g} m: give 0 or at least {MIN_LENGTH_M:g} m (a micron)"
        )
    return value


def _collider_energy(col: Table) -> float:
    """``collider.sqrt_s`` (GeV), which must be the pp energy of the shipped spectra: the
    meson and W/Z sources are those tables as they are (no rescaling to another energy), so
    any other value would only be a label on numbers computed at the tables' energy."""
    sqrt_s = col.number("sqrt_s", positive=True, maximum=1.0e6)
    energies = sorted({entry.sqrt_s_gev for entry in builtin_catalogue()})
    if not any(math.isclose(sqrt_s, e, rel_tol=1e-9) for e in energies):
        have = " or ".join(f"{e:g}" for e in energies)
        raise ExperimentError(
            f"{col.where}.sqrt_s = {sqrt_s:g} GeV: nudipole's LHC spectra are for pp at {have} "
            f"GeV and are not rescaled to other energies; set sqrt_s = {energies[-1]:.1f}"
        )
    return sqrt_s


def _shape(det: Table) -> Shape:
    kind = det.string("shape")
    if kind not in SHAPES:
        raise ExperimentError(
            f"{det.where}.shape: unknown shape {kind!r}; choose one of {', '.join(SHAPES)}"
        )
    v = {key: _length(det, key, minimum=-MAX_LENGTH_M) for key in SHAPES[kind]}
    try:
        if kind == "beam-axis-cylinder":
            return BeamAxisCylinder(v["radius_m"], v["z_min_m"], v["z_max_m"])
        if kind == "beam-axis-annulus":
            return BeamAxisAnnulus(v["r_min_m"], v["r_max_m"], v["z_min_m"], v["z_max_m"])
        if kind == "vertical-cylinder":
            return VerticalCylinder(
                v["radius_m"], v["x_center_m"], v["z_center_m"], v["y_min_m"], v["y_max_m"]
            )
        return Box(
            v["x_min_m"], v["x_max_m"], v["y_min_m"], v["y_max_m"], v["z_min_m"], v["z_max_m"]
        )
    except ValueError as err:
        raise ExperimentError(f"{det.where}: {_toml_names(str(err), SHAPES[kind])}") from None


def _toml_names(message: str, keys: tuple[str, ...]) -> str:
    """A shape's error message with its field names (``Box.x_min``, ``x_max``) replaced by
    the file's keys (``x_min_m``, ``x_max_m``), so that it names what the user wrote."""
    for key in keys:
        field_name = key.removesuffix("_m")
        message = re.sub(rf"(?<![\w.])(?:[A-Z]\w*\.)?{field_name}\b(?!_m)", key, message)
    return message


def _integration(table: Table | None) -> IntegrationRules:
    """The optional ``[integration]`` table: integer orders in [1, 64] and a ``source``."""
    if table is None:
        return IntegrationRules()
    orders: dict[str, int | None] = {}
    for key in INTEGRATION_ORDERS:
        if not table.has(key):
            orders[key] = None
            continue
        value = table.number(key, minimum=1.0, maximum=float(MAX_ORDER))
        if value != int(value):
            raise ExperimentError(
                f"{table.where}.{key} = {value:g}: must be a whole number of quadrature nodes "
                f"(1 to {MAX_ORDER})"
            )
        orders[key] = int(value)
    minor = None
    if table.has("minor_channels"):
        raw = table.raw("minor_channels")
        if not isinstance(raw, list) or any(name not in CHANNELS for name in raw):
            raise ExperimentError(
                f"{table.where}.minor_channels = {raw!r}: must be a list of meson channels "
                f"({', '.join(CHANNELS)})"
            )
        minor = tuple(raw)
    rules = IntegrationRules(**orders, minor_channels=minor, source=table.string("source"))
    table.finish()
    return rules


def far_experiment_from_dict(data: dict[str, Any], origin: str) -> FarDetectorExperiment:
    """Validate a parsed far-detector TOML document.

    Raises
    ------
    ExperimentError
        On a missing, mistyped, out-of-range or unknown field, with a one-line message.
    """
    top = Table(data, origin)
    meta, col, det, sel, chg = top.subtables(
        "experiment", "collider", "detector", "selection", "charged_mesons"
    )
    kind = meta.string("kind")
    if kind != "far-detector":
        raise ExperimentError(f"{origin}: experiment.kind must be 'far-detector', got {kind!r}")

    sqrt_s = _collider_energy(col)
    lumi = col.luminosity("luminosity")
    interaction_point = col.string("interaction_point", default="")
    collider_source = col.string("source")
    col.finish()

    shape = _shape(det)
    detector_version = det.string("version", default="")
    detector_source = det.string("source")
    det.finish()

    selection = PhotonSelection(
        photon_energy_min=sel.number("photon_energy_min", minimum=0.0, maximum=sqrt_s),
        efficiency=sel.number("efficiency", positive=True, maximum=1.0),
        background=sel.number("background", minimum=0.0, maximum=1.0e7),
        source=sel.string("source"),
        estimated=sel.boolean("estimated", default=False),
        background_uncertainty=sel.number(
            "background_uncertainty", default=0.0, minimum=0.0, maximum=MAX_BACKGROUND_UNCERTAINTY
        ),
    )
    sel.finish()
    charged = ChargedMesonDecays(
        absorber_distance_m=_length(chg, "absorber_distance_m", positive=True),
        beam_pipe_radius_m=_length(chg, "beam_pipe_radius_m", positive=True),
        source=chg.string("source"),
        estimated=chg.boolean("estimated", default=False),
    )
    chg.finish()
    integration = _integration(top.table("integration", required=False))

    experiment = FarDetectorExperiment(
        **describe(meta, origin, data),
        sqrt_s=sqrt_s,
        luminosity_pb=lumi,
        shape=shape,
        selection=selection,
        charged_mesons=charged,
        interaction_point=interaction_point,
        detector_version=detector_version,
        collider_source=collider_source,
        detector_source=detector_source,
        integration=integration,
    )
    meta.finish()
    top.finish()
    return experiment
