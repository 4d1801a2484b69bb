"""Experiments as declarative data: TOML files validated on load, and a registry."""

from nudipole.experiments.errors import ExperimentError
from nudipole.experiments.far_schema import FarDetectorExperiment
from nudipole.experiments.registry import (
    builtin_names,
    builtin_text,
    load_definition,
    load_experiment,
    load_far_experiment,
)
from nudipole.experiments.schema import Experiment, Selection

__all__ = [
    "Experiment",
    "ExperimentError",
    "FarDetectorExperiment",
    "Selection",
    "builtin_names",
    "builtin_text",
    "load_definition",
    "load_experiment",
    "load_far_experiment",
]
