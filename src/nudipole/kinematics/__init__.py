"""Kinematics: Lorentz boosts, the collider frames and vectorised event generation.

All functions are vectorised over numpy arrays; energies and momenta in GeV, lengths in GeV^-1.
"""
