"""Masses of a far-detector scan that cannot have a band, found without adding their rays'
hits to the cells (:mod:`nudipole.reach.band_bound`): the upper bound of the largest count
over d from the kernel's bound mode (:func:`nudipole.reach.far_rays.ray_bounds`), for the
meson channels.

The bound pass makes the rays and looks them up in the detector table, which is what the
count's N heading into the detector (the acceptance) needs anyway, and skips adding their
hits: 35-40 % of the full pass on MAPP-2 (several hits per ray), 55-65 % on FACET, 70-90 %
on FASER-2 (one hit per ray; measured per mass at 0.02-9 GeV). A scan tries it first only
at a mass whose nearest lighter mass already scanned has no band (:func:`bound_first`),
which beyond the mass where a band closes is every mass but the first: the bound exceeds
the largest count by a factor 1.2-1.6 on the built-in detectors, so a mass whose count
falls short of the threshold by more than that is skipped, and the rest cost one bound
pass more. Which masses try it depends on the order in which threads finish; the band does
not (a skipped mass has no band, its acceptance is the same number, and
:func:`nudipole.reach.band_ends.band_ends` solves a mass it needs but the scan skipped
afresh, at the scanned mass itself).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from nudipole.experiments.far_schema import FarDetectorExperiment
from nudipole.model import Flavour, FlavourMode
from nudipole.physics._types import FloatArray
from nudipole.production.meson_source import SourceOptions
from nudipole.reach import far_rays
from nudipole.reach.far_couplings import FarCouplings
from nudipole.reach.far_presets import FarPreset
from nudipole.reach.far_shared import PartCache, blind_and_own


def bound_first(index: int, known: Mapping[int, bool]) -> bool:
    """Whether the scan tries the bound at mass ``index`` first: the nearest lighter mass
    already scanned (``known``: index -> has a band) has none."""
    for j in range(index - 1, -1, -1):
        if j in known:
            return not known[j]
    return False


def mass_bound(
    experiment: FarDetectorExperiment,
    mass: float,
    channels: Sequence[str],
    flavour: str,
    options: SourceOptions,
    preset: FarPreset,
    couplings: FarCouplings,
    blind: Sequence[int] = (),
    cache: PartCache | None = None,
) -> tuple[float, FloatArray] | None:
    """(upper bound of the largest count over d, N heading into the detector per channel) of
    meson ``channels`` at ``mass``, the heading the same numbers as the scan's merged rays
    give (``flavour`` "universal": the three flavours' summed as there); None where those
    rays would not come from the compiled kernel (cells beyond its dense accumulator).
    ``blind``: the channels whose rays do not depend on the flavour, their bounds kept in
    ``cache`` for the other flavours' scans (as :class:`nudipole.reach.far_shared.SharedRays`
    keeps their rays)."""
    if flavour == FlavourMode.UNIVERSAL:
        total = 0.0
        heading = np.zeros(len(channels))
        for f in Flavour:
            one = mass_bound(experiment, mass, channels, str(f), options, preset, couplings)
            if one is None:
                return None
            total += one[0]
            heading += one[1]
        return total, heading

    def bounds_of(indices: Sequence[int]) -> tuple[FloatArray, FloatArray]:
        names = [channels[k] for k in indices]
        return far_rays.ray_bounds(experiment, mass, names, flavour, options, preset, couplings)

    try:
        if blind and cache is not None:
            key = (float(mass), options)
            parts = blind_and_own(len(channels), blind, key, cache, bounds_of)
            bounds = np.zeros(len(channels))
            heading = np.zeros(len(channels))
            for indices, part_bounds, part_heading in parts:
                for j, k in enumerate(indices):
                    bounds[k] = part_bounds[j]
                    heading[k] = part_heading[j]
        else:
            bounds, heading = bounds_of(range(len(channels)))
    except far_rays.DenseRangeError:
        return None
    return float(np.sum(bounds)), heading
