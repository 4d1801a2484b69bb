"""How the far-detector count is integrated: :class:`SourceOptions` (every rule and order of
the meson and W/Z sources, all deterministic) and :class:`Kernel` (compiled or NumPy path).

Moved out of :mod:`nudipole.production.meson_source`, which re-exports both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from nudipole.production.boson_channels import BOSON_TABLE_SETS, BosonPolarisation
from nudipole.production.meson_table import CHANNELS as MESON_CHANNELS

#: Spectra sets: "default" = EPOS-LHC light mesons + Pythia 8 heavy ones (the talk's Table I);
#: "nlo" = NLO+Pythia 8 for D, D_s and B (the default for the rest).
SPECTRA_SETS = ("default", "nlo")


class Kernel(StrEnum):
    """How the far-detector count is computed: ``compiled`` (numba kernel,
    :mod:`nudipole.reach.far_rays`: every N node straight into the merged rays) or ``numpy``
    (the reference: N cells in (theta, ln p), then rays; :func:`ray_blocks`)."""

    COMPILED = "compiled"
    NUMPY = "numpy"


#: N mass (GeV) whose W/Z rays stand for every mass up to ``SourceOptions.light_boson_mass``.
LIGHT_BOSON_REFERENCE = 1.0e-3
#: Largest ``light_boson_mass`` accepted (GeV): (3 GeV / M_W)^2 = 1.4e-3.
LIGHT_BOSON_MAX = 3.0


def _whole(value: object) -> bool:
    """Whether ``value`` is a whole number (an int, not a bool: True is not a node count)."""
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class SourceOptions:
    """How the meson source is integrated (all deterministic).

    ``n_cos``: nodes in theta* per E* node of the meson parts (:func:`isotropic_theta_rule`);
    ``n_cos_boson``: the same for the W/Z parts (:func:`part_cos_rule`); ``n_phi``: nodes in the
    accepted phi* interval; ``n_phi_boson``: the same for the W/Z parts (None: ``n_phi``;
    :func:`part_phi_order`); ``n_sub``: Gauss-Legendre nodes per axis of a product rule in
    log theta_P and log p_P inside each spectrum bin (1: the bin centre); ``n_sub_fast``: the
    same (if larger) where the N that set a band's upper edge come from: a meson table's three
    fastest bins in each row near the detector's polar window, a W/Z table's every bin in log
    p and its rows near the window in log theta
    (:func:`nudipole.production.meson_parents._expand_bins`);
    ``n_azimuth``: nodes per smooth piece of a non-axisymmetric detector's azimuthal window;
    ``n_energy``: the nodes of the Gauss rule that represents a three-body decay's
    parent-frame N energy distribution (:func:`nudipole.production.energy_rule.gauss_rule`
    of the accurate rule of :func:`nudipole.production.meson_rates.energy_nodes`).
    ``n_theta_cells``, ``log_p_step``: cells in which the N are merged before the detector
    geometry and the band solve by the NumPy path (equal polar-angle bins across the
    detector's window; steps in ln p; the compiled path keeps every N's own angle and
    momentum and uses ``n_theta_cells`` only for the geometry table); the geometry is
    tabulated at 64 polar angles per cell
    (:func:`nudipole.production.detector_grid.detector_grid`). ``n_table_cells``: the cells
    of the compiled path's geometry table alone (None: ``n_theta_cells``; a large detector
    far off the axis needs fewer than the NumPy path's N cells, which set the accuracy of
    ``nudipole events``; :meth:`table_cells`).
    W/Z channels only (:mod:`nudipole.production.boson_channels`): ``wz_tables``, the W/Z
    spectra ("pythia": nudipole's full-angle Pythia 8 tables, "foresee": FORESEE's forward
    tables mirrored), and ``boson_polarisation``, the N angular distribution in the boson
    frame ("lo" or "unpolarised", :class:`~nudipole.production.boson_channels.
    BosonPolarisation`), and ``light_boson_mass`` (GeV): up to this N mass a reach scan by the
    compiled kernel takes the rays of the W/Z parts (directions, momenta and weights of the N
    heading into the detector) from N of :data:`LIGHT_BOSON_REFERENCE` GeV, with each mass's
    own prefactors, decay lengths and production rate
    (:func:`nudipole.reach.far_rays.merged_rays`): the kinematics of W/Z -> l N and Z -> nu N
    depend on m_N through m_N^2/M_W^2 (1.4e-5 at 0.3 GeV) only; 0 computes every mass
    afresh; ``boson_reference_step``: above ``light_boson_mass`` (up to 10 GeV) the W/Z count
    of a mass is interpolated linearly in m_N^2 between the rays of the two neighbouring
    masses of the grid light_boson_mass x step^i (0: every mass afresh).
    ``minor_channels``: meson channels whose N are a small part of every count, integrated
    with the halved theta*, E* and phi* rules and without subdividing their fastest bins
    (:meth:`for_channel`); a far-detector file names them where it has measured that this
    leaves its bands as they are (``[integration] minor_channels``).
    ``detector_rules``: a far-detector file may state the orders ``n_phi``/``n_cos``
    (mesons) and ``n_phi_boson``/``n_cos_boson`` (W/Z) its count is converged with
    (``[integration]``,
    :class:`nudipole.experiments.far_schema.IntegrationRules`); the reach and the counts
    (:func:`nudipole.reach.far_setup.detector_options`) then use them instead of these
    defaults, unless this is False.
    """

    spectra_set: str = "default"
    form_factor: str = "point"
    n_cos: int = 8
    n_cos_boson: int = 8
    n_phi: int = 6
    n_phi_boson: int | None = None
    n_sub: int = 1
    n_sub_fast: int = 2
    n_azimuth: int = 4
    n_energy: int = 4
    n_theta_cells: int = 64
    n_table_cells: int | None = None
    log_p_step: float = 1.0e-2
    kernel: Kernel = Kernel.COMPILED
    wz_tables: str = "pythia"
    boson_polarisation: str = "lo"
    light_boson_mass: float = 0.3
    boson_reference_step: float = 1.5
    minor_channels: tuple[str, ...] = ()
    detector_rules: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.minor_channels, tuple) or any(
            name not in MESON_CHANNELS for name in self.minor_channels
        ):
            raise ValueError(
                f"minor_channels must be a tuple of meson channels ({', '.join(MESON_CHANNELS)}), "
                f"got {self.minor_channels!r}"
            )
        if self.wz_tables not in BOSON_TABLE_SETS:
            raise ValueError(
                f"W/Z tables must be one of {', '.join(BOSON_TABLE_SETS)}, got {self.wz_tables!r}"
            )
        if self.boson_polarisation not in {str(p) for p in BosonPolarisation}:
            raise ValueError(
                "boson polarisation must be one of "
                f"{', '.join(str(p) for p in BosonPolarisation)}, got {self.boson_polarisation!r}"
            )
        if not 1 <= self.n_theta_cells <= 4096:
            raise ValueError(f"n_theta_cells must be in 1..4096, got {self.n_theta_cells!r}")
        if not 0.0 <= self.light_boson_mass <= LIGHT_BOSON_MAX:
            raise ValueError(
                f"light_boson_mass must be in [0, {LIGHT_BOSON_MAX:g}] GeV, got "
                f"{self.light_boson_mass!r}"
            )
        step = self.boson_reference_step
        if not (step == 0.0 or 1.05 <= step <= 10.0):
            raise ValueError(f"boson_reference_step must be 0 (off) or in [1.05, 10], got {step!r}")
        if not 1e-5 <= self.log_p_step <= 0.1:
            raise ValueError(f"log_p_step must be in [1e-5, 0.1], got {self.log_p_step!r}")
        for name in (
            "n_cos",
            "n_cos_boson",
            "n_phi",
            "n_sub",
            "n_sub_fast",
            "n_azimuth",
            "n_energy",
        ):
            value = getattr(self, name)
            if not _whole(value) or not 1 <= value <= 64:
                raise ValueError(f"source option {name} must be an integer in 1..64, got {value!r}")
        value = self.n_phi_boson
        if value is not None and (not _whole(value) or not 1 <= value <= 64):
            raise ValueError(
                f"source option n_phi_boson must be None or an integer in 1..64, got {value!r}"
            )
        value = self.n_table_cells
        if value is not None and (not _whole(value) or not 1 <= value <= 4096):
            raise ValueError(
                f"source option n_table_cells must be None or an integer in 1..4096, got {value!r}"
            )

    def table_cells(self) -> int:
        """Polar cells of the compiled path's geometry table (64 rows each)."""
        return self.n_theta_cells if self.n_table_cells is None else self.n_table_cells

    def for_channel(self, channel: str) -> SourceOptions:
        """The rules of ``channel``'s parts: these, or for one of :attr:`minor_channels` the
        theta*, E* and phi* rules halved as :meth:`coarsened` halves them and its fastest
        bins not subdivided (the detector's table, ``n_azimuth`` and the cells as they are:
        every channel shares them)."""
        if channel not in self.minor_channels:
            return self
        # as coarsened() halves them, but never more nodes than the channel's own rule
        return replace(
            self,
            minor_channels=(),
            n_cos=min(self.n_cos, max(2, (self.n_cos + 1) // 2)),
            n_phi=min(self.n_phi, max(2, self.n_phi // 2)),
            n_sub_fast=max(1, self.n_sub_fast // 2),
            n_energy=min(self.n_energy, max(2, self.n_energy // 2)),
        )

    def refined(self) -> SourceOptions:
        """Every rule doubled (for convergence tests), every channel's (no
        ``minor_channels``); a detector's own rules no longer replace them
        (``detector_rules`` False)."""
        return replace(
            self,
            detector_rules=False,
            minor_channels=(),
            n_cos=2 * self.n_cos,
            n_cos_boson=2 * self.n_cos_boson,
            n_phi=2 * self.n_phi,
            n_phi_boson=None if self.n_phi_boson is None else 2 * self.n_phi_boson,
            n_sub=2 * self.n_sub,
            n_sub_fast=2 * self.n_sub_fast,
            n_azimuth=2 * self.n_azimuth,
            n_energy=2 * self.n_energy,
            n_theta_cells=2 * self.n_theta_cells,
            n_table_cells=None if self.n_table_cells is None else 2 * self.n_table_cells,
            log_p_step=0.5 * self.log_p_step,
        )

    def coarsened(self) -> SourceOptions:
        """Every rule halved (at least 2 nodes; an odd number of theta* nodes rounds up, 7 to
        4, so that the rule keeps at least half of them): the change of a result under this
        rule is the conservative error estimate of the default rule (``d95_error``). A
        detector's own rules no longer replace them (``detector_rules`` False). A minor
        channel (:meth:`for_channel`) has its halved rules here too: its own rules, so it adds
        nothing to the estimate; its own error is measured (docs/lhc.md: its edges within
        0.01 % of the full rules at FASER-2, FACET and MAPP-2). Halving a minor channel's
        rules once more instead let the estimate fall just below the change under every rule
        doubled at 2 of FACET's 14 masses (paper preset: 0.028 < 0.029 %, 0.053 < 0.057 %).

        Rounding 7 theta* nodes down to 3 made the estimate fall below the change under every
        rule doubled at 8 of 14 masses at MAPP-2 (default preset; 0.00-0.02 % against
        0.07-0.08 %): the 3-node rule happens to agree with the 7-node one there."""
        return replace(
            self,
            detector_rules=False,
            minor_channels=(),
            n_cos=max(2, (self.n_cos + 1) // 2),
            n_cos_boson=max(2, self.n_cos_boson // 2),
            n_phi=max(2, self.n_phi // 2),
            n_phi_boson=None if self.n_phi_boson is None else max(2, self.n_phi_boson // 2),
            n_sub_fast=max(1, self.n_sub_fast // 2),
            n_azimuth=max(2, self.n_azimuth // 2),
            n_energy=max(2, self.n_energy // 2),
            n_theta_cells=max(1, self.n_theta_cells // 2),
            n_table_cells=None if self.n_table_cells is None else max(1, self.n_table_cells // 2),
            log_p_step=min(0.1, 2.0 * self.log_p_step),
        )
