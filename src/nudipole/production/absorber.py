"""Long-lived charged parents (pi+-, K+-) at a hadron collider: where they can decay before
they are absorbed or hit the beam pipe (the region that feeds a far detector)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nudipole.physics._types import FloatArray


@dataclass(frozen=True)
class ChargedMesonDecays:
    """Where long-lived charged parents (pi+-, K+-) can decay before they are absorbed.

    The rule of FORESEE (Kling & Trojanowski, arXiv:2105.07077; code ``src/foresee.py``,
    ``Foresee.get_decay_prob``): a parent flying within the beam pipe's aperture as seen from
    the absorber (theta < r_pipe / L_abs) must decay before the absorber at ``L_abs``; any
    other parent must decay before it reaches the beam-pipe wall at transverse distance
    ``r_pipe``. Mesons that do not decay in time are absorbed and make no N.
    """

    absorber_distance_m: float
    beam_pipe_radius_m: float
    source: str = ""
    estimated: bool = False

    def decay_probability(
        self, theta: FloatArray, momentum: FloatArray, mass: float, ctau_m: float
    ) -> FloatArray:
        """Probability that a parent (polar angle rad, momentum GeV, mass GeV, c tau m)
        decays before it is absorbed (see class docstring)."""
        p_z = momentum * np.cos(theta)
        p_t = momentum * np.sin(theta)
        along = self.absorber_distance_m / (ctau_m * p_z / mass)
        with np.errstate(divide="ignore"):
            across = self.beam_pipe_radius_m / (ctau_m * p_t / mass)
        inside = theta < self.beam_pipe_radius_m / self.absorber_distance_m
        return np.asarray(-np.expm1(-np.where(inside, along, across)))
