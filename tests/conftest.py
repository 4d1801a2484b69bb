"""Test inputs shared by several test modules, and the property tests' settings.

``cut_of_each_type``: one cut of every type a selection can use (a user's TOML may combine
any of them); ``two_cut_types``: every pair of them. Tests that name either argument are
parametrized with them (the rule's pieces and the background grid's cells are both checked
against the cuts' masks with the same cuts).

Property tests (hypothesis) draw their examples from a seed fixed per test (``derandomize``)
and keep no database of past failures, so that every run, CI's on a fresh machine included,
tests the same examples (profile ``repeatable``, the default). ``HYPOTHESIS_PROFILE=explore``
draws new examples on every run and keeps what fails in ``.hypothesis/``: for looking for
counterexamples, not for CI.
"""

import itertools
import os

import pytest
from hypothesis import settings

from nudipole.experiments.selections import (
    BeamBackgroundCut,
    BoundaryEnergyCut,
    Cut,
    EnergyDependentPolarWindow,
    EnergyThresholdByRegion,
    LabPolarRange,
    LabPolarVeto,
)

settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

CUT_OF_EACH_TYPE: tuple[Cut, ...] = (
    LabPolarRange(17.0, 150.0),
    LabPolarVeto(((30.0, 33.0), (120.0, 131.0))),
    EnergyThresholdByRegion(((0.0, 0.7, 0.5), (0.8, 0.95, 1.5))),
    BoundaryEnergyCut(0.9),
    BeamBackgroundCut(17.0, 150.0),
    EnergyDependentPolarWindow((5.399, -58.82, 195.71), (-7.982, 87.77, -120.6)),
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "cut_of_each_type" in metafunc.fixturenames:
        ids = [type(c).__name__ for c in CUT_OF_EACH_TYPE]
        metafunc.parametrize("cut_of_each_type", CUT_OF_EACH_TYPE, ids=ids)
    if "two_cut_types" in metafunc.fixturenames:
        pairs = list(itertools.combinations(CUT_OF_EACH_TYPE, 2))
        ids = [f"{type(a).__name__}+{type(b).__name__}" for a, b in pairs]
        metafunc.parametrize("two_cut_types", pairs, ids=ids)
