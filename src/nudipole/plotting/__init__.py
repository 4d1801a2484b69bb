"""Plotting (matplotlib, non-interactive): thin layer over reach results."""

from nudipole.plotting.reach_plots import plot_curves

__all__ = ["plot_curves"]
