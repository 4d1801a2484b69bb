"""Production channels of the far-detector source: a channel is a meson or a boson.

One dispatch for the source machinery (:mod:`nudipole.production.meson_source`), so that a
channel of either kind goes through the same nodes, tables and kernels:

* meson channels: :mod:`nudipole.production.meson_table` (catalogue, :func:`allowed`) and
  :mod:`nudipole.production.meson_rates` (Br/d^2 and the parent-frame energy rule);
* W/Z channels: :mod:`nudipole.production.boson_channels`.

A *channel* is what the user names (``--channels``, per-channel outputs). A *part* is one
parent species with its own spectrum table, energy rule and N angular density: every meson
channel is a single part of the same name (a charged meson's two charge states share one
table, their N being emitted isotropically), "W" has the parts "W+" and "W-" (their N
angular distributions differ in sign of the forward-backward term) and "Z" the part "Z".

Sources (``--sources``): ``mesons`` (the 13 meson channels) and ``wz`` (W and Z).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Protocol

from nudipole.production.boson_channels import (
    BOSON_CHANNELS,
    boson_allowed,
    boson_part,
    boson_parts,
    is_boson,
)
from nudipole.production.meson_table import CHANNELS, allowed, channel_info

#: Sources of N at the LHC and their channels, in this order everywhere.
SOURCES: Final[tuple[str, ...]] = ("mesons", "wz")
SOURCE_CHANNELS: Final[dict[str, tuple[str, ...]]] = {"mesons": CHANNELS, "wz": BOSON_CHANNELS}
#: Every channel: the meson channels, then W and Z.
ALL_CHANNELS: Final[tuple[str, ...]] = CHANNELS + BOSON_CHANNELS


class ParentSpecies(Protocol):
    """What the source needs to know of a parent (a :class:`~nudipole.production.meson_table.
    MesonChannel` or a :class:`~nudipole.production.boson_channels.BosonPart`)."""

    @property
    def name(self) -> str: ...

    @property
    def pdgid(self) -> int: ...

    @property
    def mass(self) -> float: ...

    @property
    def ctau_m(self) -> float: ...


def check_channel(name: str) -> str:
    """``name`` if it is a channel of :data:`ALL_CHANNELS`, else ValueError."""
    if name not in ALL_CHANNELS:
        raise ValueError(f"unknown channel {name!r}; choose from {', '.join(ALL_CHANNELS)}")
    return name


def channel_parts(channel: str) -> tuple[str, ...]:
    """The parts of a channel (module docstring): (channel,) for a meson."""
    check_channel(channel)
    return boson_parts(channel) if channel in BOSON_CHANNELS else (channel,)


def part_info(part: str) -> ParentSpecies:
    """The parent of a part: its :class:`MesonChannel` or :class:`BosonPart`."""
    return boson_part(part) if is_boson(part) else channel_info(part)


def part_is_boson(part: str) -> bool:
    """Whether a part (or channel) belongs to the W/Z source."""
    return is_boson(part)


def parent_mass(channel: str) -> float:
    """The heaviest parent mass (GeV) of a channel."""
    return max(part_info(p).mass for p in channel_parts(channel))


def part_allowed(part: str, m_n: float, flavour: str) -> bool:
    """Whether a part (or channel) is kinematically open at m_N (GeV) for ``flavour``."""
    return boson_allowed(part, m_n, flavour) if is_boson(part) else allowed(part, m_n, flavour)


def channel_source(channel: str) -> str:
    """The source ("mesons" or "wz") of a channel."""
    return "wz" if check_channel(channel) in BOSON_CHANNELS else "mesons"


def parse_sources(sources: str | Sequence[str] | None) -> tuple[str, ...]:
    """Source names from "mesons,wz" or a sequence (in :data:`SOURCES` order, no
    duplicates); ("mesons",) when None. ValueError for an empty or unknown name."""
    if sources is None:
        return ("mesons",)
    names = [s.strip() for s in sources.split(",")] if isinstance(sources, str) else list(sources)
    names = [s for s in names if s]
    if not names:
        raise ValueError(f"no source given; choose from {', '.join(SOURCES)}")
    unknown = [s for s in names if s not in SOURCES]
    if unknown:
        raise ValueError(
            f"unknown source(s) {', '.join(map(repr, unknown))}; choose from "
            f"{', '.join(SOURCES)} (comma-separated, e.g. mesons,wz)"
        )
    return tuple(s for s in SOURCES if s in names)


__all__ = [
    "ALL_CHANNELS",
    "SOURCES",
    "SOURCE_CHANNELS",
    "ParentSpecies",
    "channel_parts",
    "channel_source",
    "check_channel",
    "parent_mass",
    "parse_sources",
    "part_allowed",
    "part_info",
    "part_is_boson",
]
