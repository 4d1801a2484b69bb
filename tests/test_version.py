"""What a result says made it (nudipole._version): the package, library versions and the
digest of nudipole's own physics data."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from nudipole import _version
from nudipole.api import far_reach, reach


def test_data_digest_names_the_shipped_data() -> None:
    digest = _version.data_digest()
    assert re.fullmatch(r"[0-9a-f]{16}", digest)
    assert _version.data_digest() == digest  # once per process
    info = _version.provenance()
    assert info["data_digest"] == digest
    assert info["version"] == _version.__version__


def _toy_package(root: Path, text: str) -> None:
    pkg = root / "toydata"
    (pkg / "sub").mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text("", "utf-8")
    (pkg / "a.toml").write_text(text, "utf-8")
    (pkg / "sub" / "b.dat").write_bytes(b"1 2\n")


def test_data_digest_changes_with_any_data_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the function itself (not its per-process cache) on a toy data package
    _toy_package(tmp_path, "x = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(_version, "DATA_PACKAGES", ("toydata",))
    first = _version.data_digest.__wrapped__()
    assert _version.data_digest.__wrapped__() == first
    (tmp_path / "toydata" / "a.toml").write_text("x = 2\n", "utf-8")
    assert _version.data_digest.__wrapped__() != first
    (tmp_path / "toydata" / "a.toml").write_text("x = 1\n", "utf-8")
    assert _version.data_digest.__wrapped__() == first
    # a file moved to another name is other data; Python files and caches are not data
    (tmp_path / "toydata" / "sub" / "b.dat").rename(tmp_path / "toydata" / "sub" / "c.dat")
    moved = _version.data_digest.__wrapped__()
    assert moved != first
    (tmp_path / "toydata" / "helper.py").write_text("y = 3\n", "utf-8")
    (tmp_path / "toydata" / "__pycache__").mkdir()
    assert _version.data_digest.__wrapped__() == moved
    sys.modules.pop("toydata", None)


def test_results_carry_the_data_digest() -> None:
    digest = _version.data_digest()
    assert reach("belle2", [1.0]).inputs["data_digest"] == digest
    band = far_reach("faser2", [0.05], error_estimate=False, locate_ends=False)
    assert band.inputs["data_digest"] == digest
