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


#: The packages whose files are nudipole's physics data: constants, meson parameters,
#: existing limits, spectra, and the built-in experiment definitions.
DATA_PACKAGES = ("nudipole.data", "nudipole.experiments.data")


@cache  # the installed data files do not change while the process runs
def data_digest() -> str:
    """SHA-256 (first 16 hex digits) of every shipped physics data file (:data:`DATA_PACKAGES`,
    Python files and caches left out), each file's path and digest in path order: it names
    the physics data of a result exactly, also between two releases of the same version
    (about 2 ms, once per process)."""
    import hashlib
    from importlib import resources
    from importlib.resources.abc import Traversable

    total = hashlib.sha256()

    def add(folder: Traversable, prefix: str) -> None:
        for item in sorted(folder.iterdir(), key=lambda t: t.name):
            if item.name == "__pycache__" or item.name.endswith((".py", ".pyc")):
                continue
            if item.is_dir():
                add(item, f"{prefix}{item.name}/")
            else:
                total.update(f"{prefix}{item.name}".encode() + b"\0")
                total.update(hashlib.sha256(item.read_bytes()).digest())

    for package in DATA_PACKAGES:
        add(resources.files(package), f"{package}/")
    return total.hexdigest()[:16]


def provenance() -> dict[str, object]:
    """Versions of nudipole and of the libraries whose data or numerics enter a result
    (``particle`` carries the PDG table), and the digest of nudipole's own physics data
    (:func:`data_digest`)."""
    return {
        "package": "nudipole",
        "version": __version__,
        "data_digest": data_digest(),
        "versions": {name: _get(name) for name in ("particle", "numpy", "scipy", "hepunits")},
    }
