"""Reach results as JSON: arrays with ``null`` where there is no sensitivity, plus inputs."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from nudipole.reach.result import ReachResult


def _clean(value: Any) -> Any:
    """Make numpy scalars/arrays and non-finite floats JSON-safe (NaN -> null)."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_clean(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return _clean(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def result_to_dict(result: ReachResult) -> dict[str, Any]:
    """The JSON contract: ``mass`` (GeV), ``d95`` (GeV^-1, null = no sensitivity),
    ``d95_error``, ``acceptance``, ``units`` and ``inputs``."""
    return {
        "mass": _clean(result.mass),
        "d95": _clean(result.d95),
        "d95_error": _clean(result.d95_error),
        "acceptance": _clean(result.acceptance),
        "units": {"mass": "GeV", "d95": "GeV^-1", "d95_error": "GeV^-1"},
        "confidence_level": 0.95,
        "inputs": _clean(result.inputs),
    }


def result_from_dict(data: dict[str, Any]) -> ReachResult:
    """Inverse of :func:`result_to_dict`."""

    def arr(key: str) -> np.ndarray:
        return np.array([np.nan if v is None else v for v in data[key]], dtype=float)

    return ReachResult(
        mass=arr("mass"),
        d95=arr("d95"),
        d95_error=arr("d95_error"),
        acceptance=arr("acceptance"),
        inputs=dict(data.get("inputs", {})),
    )


def _new_file_mode() -> int:
    """Permissions of a newly created file under the current umask (0o666 & ~umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder: all or nothing."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(
        dir=target.parent if str(target.parent) else ".", prefix=".nudipole-"
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, _new_file_mode())  # mkstemp creates 0o600; give the usual permissions
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dumps(result: ReachResult) -> str:
    return json.dumps(result_to_dict(result), indent=1)


def save_json(result: ReachResult, path: str | Path) -> None:
    write_atomic(path, (dumps(result) + "\n").encode("utf-8"))


def load_json(path: str | Path) -> ReachResult:
    return result_from_dict(json.loads(Path(path).read_text("utf-8")))
