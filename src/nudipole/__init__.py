"""nudipole: collider reach on the neutrino dipole portal.

The main entry point is :func:`nudipole.reach`; the layers are ``physics`` (pure formulas),
``kinematics``, ``production`` (sources of N: e+ e- and mesons), ``detectors`` (ray-volume
segments), ``experiments`` (TOML definitions), ``stats``, ``reach`` (scans), ``io``,
``plotting`` and ``cli``.
"""

from __future__ import annotations

from nudipole._version import __version__
from nudipole.api import reach
from nudipole.reach.result import ReachResult

__all__ = ["ReachResult", "__version__", "reach"]
