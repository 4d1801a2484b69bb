"""Kinematics: Lorentz boosts, integration nodes and the decay-vertex geometry.

The e+ e- event generator is a source of N: :mod:`nudipole.production.ee_source`.

All functions are vectorised over numpy arrays; energies and momenta in GeV, lengths in GeV^-1.
"""
