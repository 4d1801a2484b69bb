"""Far-detector geometry: exact ray segments inside detector volumes and azimuthal quadrature.

Lengths in metres (as in the experiment TOML files); convert to GeV^-1 with
:data:`nudipole.constants.HBARC_GEV_M` at the boundary.

Modules: :mod:`~nudipole.detectors.shapes` (the :data:`Shape` union and an overview),
:mod:`~nudipole.detectors.base` (conventions, checks, slab method),
:mod:`~nudipole.detectors.cylinders` and :mod:`~nudipole.detectors.box` (the volumes),
:mod:`~nudipole.detectors.azimuthal` (quadrature in phi) and
:mod:`~nudipole.detectors.solid_angle`. Every public name is importable from this package.
"""

from nudipole.detectors.azimuthal import AzimuthalNodes, azimuthal_nodes
from nudipole.detectors.box import Box
from nudipole.detectors.cylinders import BeamAxisAnnulus, BeamAxisCylinder, CentralCylinder
from nudipole.detectors.shapes import Shape
from nudipole.detectors.solid_angle import solid_angle_fraction
from nudipole.detectors.vertical_cylinder import VerticalCylinder

__all__ = [
    "AzimuthalNodes",
    "BeamAxisAnnulus",
    "BeamAxisCylinder",
    "Box",
    "CentralCylinder",
    "Shape",
    "VerticalCylinder",
    "azimuthal_nodes",
    "solid_angle_fraction",
]
