"""The settings of a ``nudipole`` process that runs one command and ends
(:func:`nudipole.cli.main.batch_process`): the garbage collector's and glibc's allocator's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from nudipole.cli import main as cli_main


def _glibc() -> bool:
    try:
        return bool(os.confstr("CS_GNU_LIBC_VERSION"))
    except (ValueError, OSError, AttributeError):
        return False


def test_the_allocator_keeps_the_top_pad_with_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    """mallopt(M_TOP_PAD = -2, TOP_PAD_BYTES) is asked for, once, and its answer returned."""
    calls: list[tuple[int, int]] = []

    def mallopt(param: int, value: int) -> int:
        calls.append((param, value))
        return 1

    monkeypatch.setattr(cli_main, "_glibc_mallopt", lambda: mallopt)
    assert cli_main.batch_allocator() is True
    assert calls == [(-2, cli_main.TOP_PAD_BYTES)]
    assert cli_main.TOP_PAD_BYTES == 64 * 1024 * 1024


def test_the_allocator_is_left_alone_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without glibc nothing is called; a refused mallopt (0) is reported as not set."""
    monkeypatch.setattr(cli_main, "_glibc_mallopt", lambda: None)
    assert cli_main.batch_allocator() is False
    monkeypatch.setattr(cli_main, "_glibc_mallopt", lambda: lambda param, value: 0)
    assert cli_main.batch_allocator() is False


def test_no_mallopt_without_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    """A C library that does not name itself glibc (confstr fails or is empty) gets none."""

    def refuse(name: str) -> str:
        raise ValueError(name)

    monkeypatch.setattr(os, "confstr", refuse)
    assert cli_main._glibc_mallopt() is None
    monkeypatch.setattr(os, "confstr", lambda name: None)
    assert cli_main._glibc_mallopt() is None


@pytest.mark.skipif(not _glibc(), reason="glibc only")
def test_the_allocator_is_set_in_a_fresh_glibc_process() -> None:
    """In a process of its own (not this one, whose allocator stays as it is): glibc's
    mallopt is found and accepts the setting."""
    code = "from nudipole.cli.main import batch_allocator; print(batch_allocator())"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "True"


def test_batch_process_sets_both(monkeypatch: pytest.MonkeyPatch) -> None:
    """The collector and the allocator, each once (the script and the headline's worker)."""
    done: list[str] = []
    monkeypatch.setattr(cli_main, "batch_collector", lambda: done.append("collector"))

    def allocator() -> bool:
        done.append("allocator")
        return True

    monkeypatch.setattr(cli_main, "batch_allocator", allocator)
    cli_main.batch_process()
    assert done == ["collector", "allocator"]


def test_the_script_sets_the_process_before_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """:func:`script` runs :func:`batch_process` before the command, then freezes what is
    alive (``gc.freeze`` stubbed: this test process keeps its collector)."""
    import gc

    done: list[str] = []
    monkeypatch.setattr(cli_main, "batch_process", lambda: done.append("process"))

    def command(argv: list[str]) -> int:
        done.append(f"main {argv}")
        return 0

    monkeypatch.setattr(cli_main, "main", command)
    monkeypatch.setattr(gc, "freeze", lambda: done.append("freeze"))
    assert cli_main.script(["experiments"]) == 0
    assert done == ["process", "main ['experiments']", "freeze"]
