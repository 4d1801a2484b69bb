"""How each existing limit is drawn: its own tint, edge, hatch and the short name written
inside its region.

The hues follow the seed's Fig. 3 (Zhang et al., PLB 829 (2022) 137116): grey family for limits
on all flavours, orange for d_e, blue for d_mu, pink for d_tau. Within a family every limit has
its own tint and edge colour, and the regions that lie inside others (closed regions, bands,
atmospheric contours) carry a hatch, so that no two regions of a panel look the same even
without the legend.
"""

from __future__ import annotations

from dataclasses import dataclass

from nudipole.limits.catalogue import ExistingLimit
from nudipole.model import Flavour

#: Family colours (face, edge) by flavour, for limits without an entry in :data:`LIMIT_STYLES`.
FLAVOUR_COLOURS: dict[Flavour | str, tuple[str, str]] = {
    "all": ("0.55", "0.35"),
    Flavour.E: ("orange", "darkorange"),
    Flavour.MU: ("skyblue", "steelblue"),
    Flavour.TAU: ("pink", "palevioletred"),
}
#: Opacity of a region's face (its edge and hatch are opaque).
FACE_ALPHA = 0.42


@dataclass(frozen=True)
class RegionStyle:
    """How to draw one excluded region.

    Attributes
    ----------
    face
        Fill colour (drawn with :data:`FACE_ALPHA`).
    edge
        Colour of the outline, of the hatch and of the name written inside the region.
    hatch
        Matplotlib hatch pattern, or ``None`` for a plain fill.
    short
        Name written inside the region on the plot (the legend keeps the full label).
    """

    face: str
    edge: str
    hatch: str | None
    short: str


#: One style per catalogue entry (``nudipole limits`` lists the ids).
LIMIT_STYLES: dict[str, RegionStyle] = {
    # all flavours: grey family, told apart by tint and edge
    "borexino": RegionStyle("#9c9c9c", "#303030", None, "Borexino"),
    "xenon1t": RegionStyle("#cbbf9f", "#6e5d3a", None, "XENON1T"),
    "lep": RegionStyle("#c8c8c8", "#4a4a4a", None, "LEP (γ only)"),
    "sn1987a": RegionStyle("#9a9a9a", "#2b2b2b", "....", "SN1987A"),
    "bbn": RegionStyle("#d4d4d4", "#6a6a6a", "xxx", "BBN"),
    "borexino-sk-solar": RegionStyle("#bfb4d1", "#54476e", None, "Borexino+SK"),
    # d_e: orange family
    "lsnd": RegionStyle("#fdb863", "#c15a00", None, "LSND"),
    "sk-atm-e": RegionStyle("#ffe0a3", "#8c3f00", "////", "SK atm."),
    # d_mu: blue family
    "charm2": RegionStyle("#9dd3ee", "#2a7ab0", None, "CHARM-II"),
    "miniboone": RegionStyle("#c6e2f5", "#0b4f8a", None, "MiniBooNE"),
    "nomad": RegionStyle("#6fa8dc", "#08306b", "....", "NOMAD"),
    "sk-atm-mu": RegionStyle("#dbe9f6", "#1b5e7a", "////", "SK atm."),
    # d_tau: pink family
    "donut": RegionStyle("#f4b6c8", "#b03a6a", None, "DONUT"),
    "sk-atm-tau": RegionStyle("#f9d5e3", "#7a1f48", "////", "SK atm."),
}


def limit_style(limit: ExistingLimit) -> RegionStyle:
    """The :class:`RegionStyle` of ``limit``: its own entry, else its family's colours.

    Parameters
    ----------
    limit
        A catalogue entry.

    Returns
    -------
    RegionStyle
        Face, edge, hatch and the short name written inside the region.
    """
    if limit.id in LIMIT_STYLES:
        return LIMIT_STYLES[limit.id]
    family: Flavour | str = "all" if len(limit.flavours) == len(Flavour) else limit.flavours[0]
    face, edge = FLAVOUR_COLOURS[family]
    return RegionStyle(face, edge, None, limit.label)
