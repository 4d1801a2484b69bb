"""Registry of built-in experiments and loading of user files by path."""

from __future__ import annotations

import copy
import functools
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from nudipole.experiments.errors import ExperimentError
from nudipole.experiments.far_schema import FarDetectorExperiment, far_experiment_from_dict
from nudipole.experiments.schema import Experiment, experiment_from_dict

#: Kinds of experiment a TOML file can define (``[experiment] kind``; collider by default).
KINDS = ("collider", "far-detector")

#: Built-in experiments: name -> file in ``nudipole/experiments/data``.
BUILTIN: dict[str, str] = {
    "besiii": "besiii.toml",
    "belle2": "belle2.toml",
    "stcf": "stcf.toml",
    "lep": "lep.toml",
    "cepc-z": "cepc-z.toml",
    "cepc-ww": "cepc-ww.toml",
    "cepc-h": "cepc-h.toml",
    "cepc-tt": "cepc-tt.toml",
    "faser2": "faser2.toml",
    "mapp2": "mapp2.toml",
    "facet": "facet.toml",
    "mathusla": "mathusla.toml",
    "anubis": "anubis.toml",
    "codexb": "codexb.toml",
    "al3x": "al3x.toml",
}

#: Upper bound on an experiment file's size: definitions are a few kB; this stops a user from
#: feeding a huge file (or a device) to the TOML parser.
MAX_FILE_BYTES = 2_000_000


def builtin_names() -> list[str]:
    return sorted(BUILTIN)


def builtin_text(name: str) -> str:
    """The TOML text of a built-in experiment (for copying and editing)."""
    if name not in BUILTIN:
        raise ExperimentError(_unknown(name))
    data = resources.files("nudipole.experiments.data").joinpath(BUILTIN[name])
    return data.read_text("utf-8")


def _unknown(name: str) -> str:
    return (
        f"unknown experiment {name!r}: use one of {', '.join(builtin_names())} "
        "or the path to a TOML file"
    )


def _kind(data: dict[str, Any], origin: str) -> str:
    meta = data.get("experiment")
    kind = meta.get("kind", "collider") if isinstance(meta, dict) else "collider"
    if kind not in KINDS:
        raise ExperimentError(
            f"{origin}: experiment.kind must be one of {', '.join(KINDS)}, got {kind!r}"
        )
    return str(kind)


def _toml(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ExperimentError(f"{origin} is not valid TOML: {err}") from None


def _definition(data: dict[str, Any], origin: str) -> Experiment | FarDetectorExperiment:
    if _kind(data, origin) == "far-detector":
        return far_experiment_from_dict(data, origin)
    return experiment_from_dict(data, origin)


@functools.lru_cache(maxsize=len(BUILTIN))
def _builtin_data(name: str) -> dict[str, Any]:
    """The parsed TOML of built-in experiment ``name``, parsed once per process: a headline
    loads the e+e- experiments some forty times, and parsing BESIII's 71 energy points
    takes 2.6 ms. The package's files do not change while it runs; every caller gets a deep
    copy (0.16 ms for BESIII), so that no definition shares its tables with another."""
    return _toml(builtin_text(name), f"{name} (built-in)")


def load_definition(name_or_path: str | Path) -> Experiment | FarDetectorExperiment:
    """Load a built-in experiment by name or a user's TOML file by path, of either kind.

    Raises
    ------
    ExperimentError
        Unknown name, unreadable file, invalid TOML or invalid content.
    """
    key = str(name_or_path)
    if key in BUILTIN:
        return _definition(copy.deepcopy(_builtin_data(key)), f"{key} (built-in)")
    path = Path(key)
    if path.suffix.lower() == ".toml" or path.exists():
        if path.is_dir():
            raise ExperimentError(f"experiment file {key!r} is a folder, not a TOML file")
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ExperimentError(
                    f"experiment file {key!r} has {size} bytes; definitions are limited to "
                    f"{MAX_FILE_BYTES} bytes"
                )
            text = path.read_text("utf-8")
        except FileNotFoundError:
            raise ExperimentError(f"experiment file {key!r} does not exist") from None
        except (OSError, UnicodeDecodeError) as err:
            raise ExperimentError(f"cannot read experiment file {key!r}: {err}") from None
        if not text.strip():
            raise ExperimentError(f"experiment file {key!r} is empty")
        return _definition(_toml(text, path.name), path.name)
    raise ExperimentError(_unknown(key))


def load_experiment(name_or_path: str | Path) -> Experiment:
    """Load a collider (e+e-) experiment by name or path (see :func:`load_definition`).

    Raises
    ------
    ExperimentError
        As :func:`load_definition`, and for a far-detector experiment.
    """
    exp = load_definition(name_or_path)
    if not isinstance(exp, Experiment):
        raise ExperimentError(
            f"{name_or_path!s} is a far-detector experiment; this operation needs an e+e- "
            "collider experiment (besiii, belle2, stcf, lep, cepc-*)"
        )
    return exp


def load_far_experiment(name_or_path: str | Path) -> FarDetectorExperiment:
    """Load a far-detector experiment by name or path (see :func:`load_definition`)."""
    exp = load_definition(name_or_path)
    if not isinstance(exp, FarDetectorExperiment):
        raise ExperimentError(
            f"{name_or_path!s} is an e+e- collider experiment, not a far detector "
            "(faser2, mapp2, facet or a TOML file with kind = 'far-detector')"
        )
    return exp
