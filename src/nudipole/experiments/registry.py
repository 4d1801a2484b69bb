"""Registry of built-in experiments and loading of user files by path."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from nudipole.experiments.errors import ExperimentError
from nudipole.experiments.schema import Experiment, experiment_from_dict

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
}


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


def _parse(text: str, origin: str) -> Experiment:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ExperimentError(f"{origin} is not valid TOML: {err}") from None
    return experiment_from_dict(data, origin)


def load_experiment(name_or_path: str | Path) -> Experiment:
    """Load a built-in experiment by name or a user's TOML file by path.

    Raises
    ------
    ExperimentError
        Unknown name, unreadable file, invalid TOML or invalid content.
    """
    key = str(name_or_path)
    if key in BUILTIN:
        return _parse(builtin_text(key), f"{key} (built-in)")
    path = Path(key)
    if path.suffix.lower() == ".toml" or path.exists():
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            raise ExperimentError(f"experiment file {key!r} does not exist") from None
        except (OSError, UnicodeDecodeError) as err:
            raise ExperimentError(f"cannot read experiment file {key!r}: {err}") from None
        return _parse(text, path.name)
    raise ExperimentError(_unknown(key))
