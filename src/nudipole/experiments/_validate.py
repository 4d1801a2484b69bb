"""Tiny strict readers for TOML tables (every field typed, unknown fields rejected), and the
``[experiment]`` fields that every experiment file shares."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypedDict

from nudipole.experiments.errors import ExperimentError
from nudipole.units import LuminosityError, parse_luminosity


class Table:
    """Wraps a TOML table; records which keys were read so the rest can be rejected."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise ExperimentError(f"{where} must be a table, got {type(data).__name__}")
        self._data: Mapping[str, Any] = data
        self._used: set[str] = set()
        self.where = where

    def has(self, key: str) -> bool:
        return key in self._data

    def _get(self, key: str, required: bool) -> Any:
        self._used.add(key)
        if key not in self._data:
            if required:
                raise ExperimentError(f"{self.where}: missing required field '{key}'")
            return None
        return self._data[key]

    def number(
        self,
        key: str,
        *,
        default: float | None = None,
        required: bool = True,
        positive: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float:
        raw = self._get(key, required and default is None)
        if raw is None:
            assert default is not None
            return default
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ExperimentError(f"{self.where}.{key} must be a number, got {raw!r}")
        value = float(raw)
        if not math.isfinite(value):
            raise ExperimentError(f"{self.where}.{key} must be a finite number, got {raw!r}")
        if positive and not value > 0.0:
            raise ExperimentError(f"{self.where}.{key} must be positive, got {value}")
        if minimum is not None and value < minimum:
            raise ExperimentError(f"{self.where}.{key} must be >= {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise ExperimentError(f"{self.where}.{key} must be <= {maximum}, got {value}")
        return value

    def string(self, key: str, *, default: str | None = None) -> str:
        raw = self._get(key, default is None)
        if raw is None:
            assert default is not None
            return default
        if not isinstance(raw, str):
            raise ExperimentError(f"{self.where}.{key} must be a string, got {raw!r}")
        return raw

    def boolean(self, key: str, *, default: bool) -> bool:
        raw = self._get(key, False)
        if raw is None:
            return default
        if not isinstance(raw, bool):
            raise ExperimentError(f"{self.where}.{key} must be true or false, got {raw!r}")
        return raw

    def numbers(self, key: str, length: int | None = None) -> tuple[float, ...]:
        raw = self._get(key, True)
        if not isinstance(raw, list) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in raw
        ):
            raise ExperimentError(f"{self.where}.{key} must be a list of numbers, got {raw!r}")
        if length is not None and len(raw) != length:
            raise ExperimentError(f"{self.where}.{key} must have {length} numbers, got {len(raw)}")
        for i, v in enumerate(raw):
            if not math.isfinite(v):
                raise ExperimentError(f"{self.where}.{key}[{i}] must be a finite number, got {v!r}")
        return tuple(float(v) for v in raw)

    def pairs(self, key: str) -> tuple[tuple[float, float], ...]:
        raw = self._get(key, True)
        out: list[tuple[float, float]] = []
        if not isinstance(raw, list):
            raise ExperimentError(f"{self.where}.{key} must be a list of [low, high] pairs")
        for item in raw:
            if (
                not isinstance(item, list)
                or len(item) != 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in item)
            ):
                raise ExperimentError(f"{self.where}.{key} must be a list of [low, high] pairs")
            lo, hi = float(item[0]), float(item[1])
            if not (math.isfinite(lo) and math.isfinite(hi)):
                raise ExperimentError(
                    f"{self.where}.{key}: pair {item} must hold two finite numbers"
                )
            if not lo < hi:
                raise ExperimentError(f"{self.where}.{key}: pair {item} must have low < high")
            out.append((lo, hi))
        return tuple(out)

    def luminosity(self, key: str) -> float:
        """An integrated luminosity written as text (e.g. ``"30/ab"``), in pb^-1."""
        text = self.string(key)
        try:
            return parse_luminosity(text)
        except LuminosityError as err:
            raise ExperimentError(f"{self.where}.{key}: {err}") from None

    def subtable(self, key: str) -> Table:
        """The required sub-table ``key`` (missing: one-line ExperimentError)."""
        sub = self.table(key)
        assert sub is not None
        return sub

    def subtables(self, *keys: str) -> tuple[Table, ...]:
        """The required sub-tables ``keys``, in that order (see :meth:`subtable`)."""
        return tuple(self.subtable(key) for key in keys)

    def table(self, key: str, *, required: bool = True) -> Table | None:
        raw = self._get(key, required)
        if raw is None:
            return None
        return Table(raw, f"{self.where}.{key}")

    def tables(self, key: str, *, required: bool = True) -> list[Table]:
        raw = self._get(key, required)
        if raw is None:
            return []
        if not isinstance(raw, list) or not raw:
            raise ExperimentError(f"{self.where}.{key} must be a non-empty array of tables")
        return [Table(item, f"{self.where}.{key}[{i}]") for i, item in enumerate(raw)]

    def raw(self, key: str, *, required: bool = True) -> Any:
        return self._get(key, required)

    def keys(self) -> list[str]:
        return list(self._data.keys())

    def finish(self) -> None:
        """Reject fields that were never read."""
        unknown = sorted(set(self._data) - self._used)
        if unknown:
            allowed = ", ".join(sorted(self._used))
            raise ExperimentError(
                f"{self.where}: unknown field(s) {', '.join(unknown)}; allowed: {allowed}"
            )


class Description(TypedDict):
    """The fields of every experiment definition that describe it: ``[experiment]`` name,
    title (default: the name), description and reference, the file it was read from and the
    parsed document."""

    name: str
    title: str
    description: str
    reference: str
    origin: str
    raw: dict[str, Any]


def describe(meta: Table, origin: str, data: dict[str, Any]) -> Description:
    """Read the :class:`Description` fields from the ``[experiment]`` table ``meta``."""
    name = meta.string("name")
    return Description(
        name=name,
        title=meta.string("title", default=name),
        description=meta.string("description", default=""),
        reference=meta.string("reference"),
        origin=origin,
        raw=data,
    )
