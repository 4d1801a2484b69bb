"""Reach results as JSON: arrays with ``null`` where there is no sensitivity, plus inputs."""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from nudipole.reach.result import BandEnd, ReachResult


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


def json_safe(value: Any) -> Any:
    """``value`` with numpy types made plain and non-finite floats made null (valid JSON)."""
    return _clean(value)


def result_to_dict(result: ReachResult) -> dict[str, Any]:
    """The JSON contract: ``mass`` (GeV), ``d95`` (GeV^-1, lower edge of the excluded region,
    null = no sensitivity), ``d95_upper`` (upper edge of a closed band, null where there is
    none: always for collider experiments), ``d95_error``, ``d95_upper_error`` (the upper
    edge's, far detectors), ``acceptance``, ``units`` and ``inputs``."""
    return {
        "mass": _clean(result.mass),
        "d95": _clean(result.d95),
        "d95_upper": _clean(result.upper),
        "d95_error": _clean(result.d95_error),
        "d95_upper_error": _clean(result.upper_error),
        "acceptance": _clean(result.acceptance),
        "units": {
            "mass": "GeV",
            "d95": "GeV^-1",
            "d95_upper": "GeV^-1",
            "d95_error": "GeV^-1",
            "d95_upper_error": "GeV^-1",
        },
        "confidence_level": 0.95,
        "inputs": _clean(result.inputs),
        "band_ends": [_clean(asdict(end)) for end in result.band_ends],
    }


def result_from_dict(data: Any) -> ReachResult:
    """Inverse of :func:`result_to_dict`, validated: ValueError naming the field that is
    missing or wrong (a top level that is not an object; masses that are not positive,
    finite and in increasing order; a negative or infinite d95)."""
    if not isinstance(data, dict):
        raise ValueError(f"the top level must be a JSON object, not a {_json_type(data)}")
    for key in ("mass", "d95", "d95_error", "acceptance"):
        if key not in data:
            raise ValueError(f"missing field {key!r}")

    def arr(key: str) -> np.ndarray:
        values = data[key]
        if not isinstance(values, list):
            raise ValueError(f"field {key!r} must be a list of numbers, not a {_json_type(values)}")
        out = []
        for i, v in enumerate(values):
            if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)):
                raise ValueError(f"{key}[{i}] must be a number or null, got {v!r}")
            out.append(np.nan if v is None else v)
        return np.array(out, dtype=float)

    upper = arr("d95_upper") if "d95_upper" in data else None
    upper_error = arr("d95_upper_error") if "d95_upper_error" in data else None
    result = ReachResult(
        mass=arr("mass"),
        d95=arr("d95"),
        d95_error=arr("d95_error"),
        acceptance=arr("acceptance"),
        inputs=_inputs(data.get("inputs", {})),
        d95_upper=upper,
        band_ends=_band_ends(data.get("band_ends", [])),
        d95_upper_error=upper_error,
    )
    check_result(result)
    return result


def _json_type(value: Any) -> str:
    names = {list: "list", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _inputs(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"field 'inputs' must be an object, not a {_json_type(value)}")
    return dict(value)


def check_result(result: ReachResult) -> None:
    """ValueError unless the masses are positive, finite and in increasing order and every
    d95 (and d95_upper) is positive and finite or missing (null: no sensitivity)."""
    m = result.mass
    if m.size == 0:
        raise ValueError("no masses (field 'mass' is empty)")
    bad = np.flatnonzero(~(np.isfinite(m) & (m > 0.0)))
    if bad.size:
        raise ValueError(f"mass[{bad[0]}] = {m[bad[0]]:g}: masses must be positive numbers in GeV")
    steps = np.flatnonzero(np.diff(m) < 0.0)
    if steps.size:
        i = int(steps[0])
        raise ValueError(
            f"masses must be in increasing order: mass[{i}] = {m[i]:g} is followed by "
            f"mass[{i + 1}] = {m[i + 1]:g} GeV (sort the rows by mass)"
        )
    for name, values in (("d95", result.d95), ("d95_upper", result.upper)):
        wrong = np.flatnonzero(~np.isnan(values) & ~(np.isfinite(values) & (values > 0.0)))
        if wrong.size:
            j = int(wrong[0])
            raise ValueError(
                f"{name}[{j}] = {values[j]:g}: a limit on d must be a positive number in "
                "GeV^-1, or null where there is no sensitivity"
            )


def _band_ends(items: Any) -> tuple[BandEnd, ...]:
    """:class:`BandEnd` entries of a result file (null edges read as NaN)."""
    if not isinstance(items, list):
        raise ValueError("band_ends must be a list")
    ends = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("each band_ends entry must be an object")
        if "mass" not in item or "side" not in item:
            raise ValueError("each band_ends entry needs a 'mass' and a 'side'")
        ends.append(
            BandEnd(
                mass=float(item["mass"]),
                d95=math.nan if item.get("d95") is None else float(item["d95"]),
                d95_upper=math.nan if item.get("d95_upper") is None else float(item["d95_upper"]),
                side=str(item["side"]),
                tolerance=float(item.get("tolerance", math.nan)),
            )
        )
    return tuple(ends)


def _new_file_mode() -> int:
    """Permissions of a newly created file under the current umask (0o666 & ~umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class WriteError(OSError):
    """An output file could not be written; the message names the file and the reason."""


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder: all or nothing.

    Raises :class:`WriteError` (an OSError) naming ``path`` and the reason (not the temporary
    file, which is removed).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".nudipole-")
    except OSError as err:
        raise WriteError(f"cannot write {str(path)!r}: {_reason(err)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, _new_file_mode())  # mkstemp creates 0o600; give the usual permissions
        os.replace(tmp, target)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise WriteError(f"cannot write {str(path)!r}: {_reason(err)}") from None
        raise


def _reason(err: OSError) -> str:
    """The reason of an OSError without the file names it carries (e.g. a temporary file)."""
    return err.strerror or type(err).__name__


def dumps(result: ReachResult) -> str:
    return json.dumps(result_to_dict(result), indent=1)


def save_json(result: ReachResult, path: str | Path) -> None:
    write_atomic(path, (dumps(result) + "\n").encode("utf-8"))


def load_json(path: str | Path) -> ReachResult:
    return result_from_dict(json.loads(Path(path).read_text("utf-8")))


_CSV_META = "# metadata: "
_CSV_COLUMNS = "mass_GeV,d95_GeV-1,d95_error_GeV-1,acceptance,d95_upper_GeV-1,d95_upper_error_GeV-1"


def to_csv(result: ReachResult) -> str:
    """CSV: a commented summary, the full metadata (units, inputs, version, citations) as one
    JSON comment line, a header row and one row per mass (empty cell = no sensitivity)."""
    inp = result.inputs
    meta = {
        k: v
        for k, v in result_to_dict(result).items()
        if k not in ("mass", "d95", "d95_error", "acceptance", "d95_upper", "d95_upper_error")
    }
    lines = [
        f"# nudipole {inp.get('version')} expected 95% CL upper limit on d [GeV^-1]",
        f"# experiment={inp.get('experiment')} selection={inp.get('selection')} "
        f"preset={inp.get('preset')} luminosity={inp.get('total_luminosity')}",
        _CSV_META + json.dumps(meta, separators=(",", ":")),
        _CSV_COLUMNS,
    ]

    def cell(x: float, fmt: str) -> str:
        return "" if not math.isfinite(x) else format(x, fmt)

    for m, d, e, a, u, ue in zip(
        result.mass,
        result.d95,
        result.d95_error,
        result.acceptance,
        result.upper,
        result.upper_error,
        strict=True,
    ):
        # 17 significant digits: a loaded result is bit-identical (and plots identically).
        lines.append(
            f"{m:.17g},{cell(d, '.17g')},{cell(e, '.4g')},{cell(a, '.6g')},{cell(u, '.17g')},"
            f"{cell(ue, '.4g')}"
        )
    return "\n".join(lines) + "\n"


def save_csv(result: ReachResult, path: str | Path) -> None:
    write_atomic(path, to_csv(result).encode("utf-8"))


def load_csv(path: str | Path) -> ReachResult:
    """Read a CSV written by :func:`to_csv` (metadata restored from its JSON comment line)."""
    meta: dict[str, Any] = {}
    rows: list[list[float]] = []
    for line in Path(path).read_text("utf-8").splitlines():
        if line.startswith(_CSV_META):
            meta = json.loads(line[len(_CSV_META) :])
            if not isinstance(meta, dict):
                raise ValueError(f"{path}: the metadata line must hold a JSON object")
        elif line.startswith("#") or not line.strip() or line.startswith("mass_GeV"):
            continue
        else:
            rows.append([float(c) if c else math.nan for c in line.split(",")])
    if not rows:
        raise ValueError(f"{path}: no data rows")
    if len({len(r) for r in rows}) != 1 or not 4 <= len(rows[0]) <= 6:
        raise ValueError(f"{path}: every data row needs the same 4 to 6 columns ({_CSV_COLUMNS})")
    arr = np.asarray(rows, dtype=float)
    result = ReachResult(
        mass=arr[:, 0],
        d95=arr[:, 1],
        d95_error=arr[:, 2],
        acceptance=arr[:, 3],
        inputs=_inputs(meta.get("inputs", {})),
        d95_upper=arr[:, 4] if arr.shape[1] > 4 else None,
        band_ends=_band_ends(meta.get("band_ends", [])),
        d95_upper_error=arr[:, 5] if arr.shape[1] > 5 else None,
    )
    check_result(result)
    return result


def load_result(path: str | Path) -> ReachResult:
    """Load a saved reach result, JSON or CSV by suffix; a clear error otherwise."""
    p = Path(path)
    if not p.is_file():
        what = (
            "does not exist"
            if not p.exists()
            else "is a folder"
            if p.is_dir()
            else "is not a regular file"
        )
        raise ValueError(f"result file {str(path)!r} {what}; give a saved .json or .csv result")
    try:
        if p.suffix.lower() == ".csv":
            return load_csv(p)
        if p.suffix.lower() == ".json":
            return load_json(p)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValueError(f"{str(path)!r} is not a nudipole reach result: {err}") from None
    except (KeyError, TypeError, ValueError) as err:
        what = f"missing field {err}" if isinstance(err, KeyError) else str(err)
        raise ValueError(f"{str(path)!r} is not a valid nudipole reach result: {what}") from None
    except OSError as err:
        raise ValueError(f"cannot read {str(path)!r}: {_reason(err)}") from None
    raise ValueError(f"cannot read {str(path)!r}: a reach result is a .json or .csv file")
