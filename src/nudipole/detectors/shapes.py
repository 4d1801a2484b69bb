"""Far-detector volumes: the exact segment of a straight ray from the interaction point inside them.

A heavy neutral lepton N produced at the interaction point (the origin; z along the beam) flies
along the unit vector u(theta, phi) = (sin theta cos phi, sin theta sin phi, cos theta). It decays
inside a detector volume with probability exp(-L_in / lambda) - exp(-L_out / lambda), where
[L_in, L_out] is the part of the ray {t u : t >= 0} inside the volume (all volumes here are
convex, or, for the annulus, met by a ray from the origin in one piece, so the part is a single
segment). Each shape computes that segment exactly, vectorised over rays (``segment``), and
the closure of the polar angles that hit it (``polar_window``):

* :mod:`nudipole.detectors.cylinders`: :class:`BeamAxisCylinder` (FASER-2),
  :class:`BeamAxisAnnulus` (FACET), :class:`CentralCylinder` (around an e+e- interaction point);
* :mod:`nudipole.detectors.box`: :class:`Box` (MAPP-2, MATHUSLA, CODEX-b);
* :mod:`nudipole.detectors.vertical_cylinder`: :class:`VerticalCylinder` (the ANUBIS shaft).

:data:`Shape` is any of them. Conventions (metres, open volumes, a miss is l_in = l_out = 0) and
the slab method: :mod:`nudipole.detectors.base`. The azimuthal quadrature that averages any
smooth function of (L_in, L_out) over phi at fixed theta is in :mod:`nudipole.detectors.azimuthal`,
the solid angle in :mod:`nudipole.detectors.solid_angle`.
"""

from __future__ import annotations

from typing import TypeAlias

from nudipole.detectors.box import Box
from nudipole.detectors.cylinders import BeamAxisAnnulus, BeamAxisCylinder, CentralCylinder
from nudipole.detectors.vertical_cylinder import VerticalCylinder

__all__ = [
    "BeamAxisAnnulus",
    "BeamAxisCylinder",
    "Box",
    "CentralCylinder",
    "Shape",
    "VerticalCylinder",
]

Shape: TypeAlias = BeamAxisCylinder | BeamAxisAnnulus | Box | CentralCylinder | VerticalCylinder
