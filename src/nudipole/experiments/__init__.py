"""Experiments as declarative data: TOML files validated on load, and a registry."""

from nudipole.experiments.errors import ExperimentError
from nudipole.experiments.registry import builtin_names, builtin_text, load_experiment
from nudipole.experiments.schema import Experiment, Selection

__all__ = [
    "Experiment",
    "ExperimentError",
    "Selection",
    "builtin_names",
    "builtin_text",
    "load_experiment",
]
