"""The package version and the versions of what made a result (for result metadata)."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache  # an installed distribution's version does not change while the process runs
def _get(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0+unknown"


__version__ = _get("nudipole")


def provenance() -> dict[str, object]:
    """Versions of nudipole and of the libraries whose data or numerics enter a result
    (``particle`` carries the PDG table)."""
    return {
        "package": "nudipole",
        "version": __version__,
        "versions": {name: _get(name) for name in ("particle", "numpy", "scipy", "hepunits")},
    }
