"""Existing limits on the dipole couplings d_e, d_mu, d_tau and where projections add to them."""

from nudipole.limits.catalogue import ExistingLimit, LimitSet, load_catalogue
from nudipole.limits.newground import envelope, new_ground_intervals

__all__ = ["ExistingLimit", "LimitSet", "envelope", "load_catalogue", "new_ground_intervals"]
