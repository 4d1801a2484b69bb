"""What the bands of several flavours at one far detector share: the flavour-blind channels
(:func:`flavour_blind`), whose merged rays, or their bounds where a mass is skipped
(:mod:`nudipole.reach.far_bounds`), are made once per mass and kept in :class:`SharedRays`
for the other flavours' scans (:func:`nudipole.api.far_reach_flavours`)."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nudipole.physics._types import FloatArray
from nudipole.production.boson_channels import BOSON_CHANNELS
from nudipole.production.meson_source import SourceOptions
from nudipole.production.meson_table import channel_info
from nudipole.reach.band import RayMerger
from nudipole.reach.far_couplings import FarCouplings

#: Kept per (mass, options): a result per channel of the blind channels and their N heading.
PartCache = MutableMapping[tuple[float, SourceOptions], tuple[Any, FloatArray]]


def flavour_blind(channel: str, couplings: FarCouplings) -> bool:
    """Whether the rays of ``channel`` are the same for every flavour: a neutral meson (its
    decay to N nu-bar involves no charged lepton, :mod:`nudipole.production.meson_rates`)
    with the photon-only couplings (whose width of N does not depend on the flavour)."""
    if not couplings.photon_only or channel in BOSON_CHANNELS:
        return False
    return channel_info(channel).kind != "charged-pseudoscalar"


@dataclass
class SharedRays:
    """The merged rays of the flavour-blind channels (:func:`flavour_blind`) per mass and
    integration options, kept so that the bands of several flavours at one detector compute
    them once (:func:`nudipole.api.far_reach_flavours`). Passed explicitly by the caller; it
    refuses to serve another detector, preset or set of channels than the one it was filled for.
    """

    key: tuple[object, ...] | None = None
    rays: dict[tuple[float, SourceOptions], tuple[RayMerger, FloatArray]] = field(
        default_factory=dict
    )
    #: their bounds where a scan skipped a mass without a band (:mod:`far_bounds`)
    bounds: dict[tuple[float, SourceOptions], tuple[FloatArray, FloatArray]] = field(
        default_factory=dict
    )

    def check(self, key: tuple[object, ...]) -> None:
        if self.key is None:
            self.key = key
        elif self.key != key:
            raise ValueError(
                "SharedRays holds the rays of another detector, preset or channel set: use one "
                "per (detector, preset, channels, couplings)"
            )


def blind_and_own(
    n_channels: int,
    blind: Sequence[int],
    key: tuple[float, SourceOptions],
    cache: PartCache,
    compute: Callable[[Sequence[int]], tuple[Any, FloatArray]],
) -> list[tuple[Sequence[int], Any, FloatArray]]:
    """(channel indices, result, heading) of the ``blind`` channels, from ``cache`` at ``key``
    (computed there on first use), then of the others, computed now: ``compute(indices)``
    gives a result per channel of those indices (merged rays, bounds) and their heading."""
    if key not in cache:
        cache[key] = compute(blind)
    own = [k for k in range(n_channels) if k not in blind]
    parts: list[tuple[Sequence[int], Any, FloatArray]] = [(blind, *cache[key])]
    if own:
        parts.append((own, *compute(own)))
    return parts
