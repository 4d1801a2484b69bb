"""Far-detector geometry: exact ray segments inside detector volumes and azimuthal quadrature.

Lengths in metres (as in the experiment TOML files); convert to GeV^-1 with
:data:`nudipole.constants.HBARC_GEV_M` at the boundary.
"""

from nudipole.detectors.shapes import (
    AzimuthalNodes,
    BeamAxisAnnulus,
    BeamAxisCylinder,
    Box,
    CentralCylinder,
    Shape,
    azimuthal_nodes,
    solid_angle_fraction,
)

__all__ = [
    "AzimuthalNodes",
    "BeamAxisAnnulus",
    "BeamAxisCylinder",
    "Box",
    "CentralCylinder",
    "Shape",
    "azimuthal_nodes",
    "solid_angle_fraction",
]
