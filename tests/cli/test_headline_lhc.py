"""The LHC part of ``nudipole headline`` in its second process (:mod:`nudipole.cli.
headline_lhc`): the same tables and figure as in this process, and clear errors."""

from __future__ import annotations

import re
import sys
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from cli_helpers import run

from nudipole.cli import headline_lhc
from nudipole.experiments import ExperimentError

ARGV = ["headline", "--points", "8", "--lhc-points", "6"]


def _tables(out: str) -> str:
    """The printed tables without the lines naming the written files."""
    return "\n".join(line for line in out.splitlines() if not line.startswith("wrote "))


def test_second_process_gives_what_this_process_gives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The headline with its LHC part in a second process and, where none can be started
    (ProcessPoolExecutor refused), in this one: the same tables, to the last printed digit,
    and the same fig_lhc_far, byte for byte."""
    code, with_process, err = run([*ARGV, "--outdir", str(tmp_path / "a")], capsys)
    assert code == 0, err

    import concurrent.futures

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no semaphores here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    with headline_lhc.second_process() as pool:
        assert isinstance(pool, headline_lhc._Here)
    code, here, err = run([*ARGV, "--outdir", str(tmp_path / "b")], capsys)
    assert code == 0, err
    assert _tables(with_process) == _tables(here)
    assert "LHC far detectors, N from meson decays" in here
    a = (tmp_path / "a" / "fig_lhc_far.png").read_bytes()
    assert a == (tmp_path / "b" / "fig_lhc_far.png").read_bytes()


def test_a_dead_second_process_is_one_clear_error() -> None:
    future: Future[int] = Future()
    future.set_exception(BrokenProcessPool("killed"))
    with pytest.raises(ExperimentError, match=re.escape("ended unexpectedly")) as info:
        headline_lhc.result_of(future, "LHC far-detector bands")
    assert "\n" not in str(info.value)


def test_an_error_in_the_second_process_reaches_the_user_as_it_was() -> None:
    future: Future[int] = Future()
    future.set_exception(ExperimentError("a bad band"))
    with pytest.raises(ExperimentError, match="a bad band"):
        headline_lhc.result_of(future, "LHC far-detector bands")


def test_one_core_runs_the_lhc_part_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """With one core to run on (``taskset -c 0``) no second process is started: it would
    only add its start-up."""
    import nudipole._parallel

    monkeypatch.setattr(nudipole._parallel, "available_cpus", lambda: 1)
    with headline_lhc.second_process() as pool:
        assert isinstance(pool, headline_lhc._Here)
        assert pool.submit(sum, [1, 2]).result() == 3
    monkeypatch.setattr(nudipole._parallel, "available_cpus", lambda: 2)
    with headline_lhc.second_process() as pool:
        assert not isinstance(pool, headline_lhc._Here)


def test_the_second_process_collects_garbage_as_the_script(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker's collector is set as the ``nudipole`` script's (``batch_collector``);
    this process's is left as it was."""
    import gc

    import nudipole._parallel
    from nudipole.cli.main import YOUNG_COLLECTION_THRESHOLD

    before = gc.get_threshold()
    monkeypatch.setattr(nudipole._parallel, "available_cpus", lambda: 2)
    with headline_lhc.second_process() as pool:
        assert pool.submit(gc.get_threshold).result()[0] == YOUNG_COLLECTION_THRESHOLD
    assert gc.get_threshold() == before


def test_the_worker_is_forked_only_where_that_is_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork on Linux with one thread running; a fresh interpreter with any other thread
    (a fork could inherit a lock it holds) or on another system."""
    import threading

    if sys.platform.startswith("linux") and threading.active_count() == 1:
        alone = sys.version_info < (3, 12) or headline_lhc.os_threads() == 1
        assert headline_lhc.start_method() == ("fork" if alone else "spawn")
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert headline_lhc.start_method() == "spawn"
    finally:
        release.set()
        other.join()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert headline_lhc.start_method() == "spawn"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is chosen only on Linux")
@pytest.mark.parametrize(
    ("version", "threads", "method"),
    [((3, 11), 2, "fork"), ((3, 12), 2, "spawn"), ((3, 13), 1, "fork"), ((3, 14), 3, "spawn")],
)
def test_from_python_3_12_a_native_thread_means_spawn(
    monkeypatch: pytest.MonkeyPatch, version: tuple[int, int], threads: int, method: str
) -> None:
    """Python 3.12 and later warn of a fork beside any thread, native ones included (NumPy's
    OpenBLAS pool): fork there only with one thread in the process; 3.11 forks beside them."""
    import threading

    if threading.active_count() != 1:
        pytest.skip("another Python thread is running in this test process")
    monkeypatch.setattr(sys, "version_info", (*version, 0, "final", 0))
    monkeypatch.setattr(headline_lhc, "os_threads", lambda: threads)
    assert headline_lhc.start_method() == method


def test_the_operating_system_counts_this_thread() -> None:
    count = headline_lhc.os_threads()
    assert count >= 1 if sys.platform.startswith("linux") else count >= 0


def test_a_forked_worker_does_not_repeat_what_this_process_had_not_yet_written(
    tmp_path: Path,
) -> None:
    """Text buffered on stdout when the worker starts is written once, not again by the
    worker's copy of the buffer when it ends."""
    import subprocess

    script = tmp_path / "buffered.py"
    script.write_text(
        "import sys\n"
        "import nudipole._parallel\n"
        "from nudipole.cli import headline_lhc\n"
        "if __name__ == '__main__':\n"  # (a spawned worker imports this file again)
        "    nudipole._parallel.available_cpus = lambda: 2\n"
        "    sys.stdout.write('written once')\n"  # stdout is a pipe here: buffered
        "    with headline_lhc.second_process() as pool:\n"
        "        print('', headline_lhc.start_method(), pool.submit(sum, [1, 2]).result())\n"
    )
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.count("written once") == 1
    assert out.strip().endswith("3")


def test_fig_lhc_far_laid_out_before_its_bands_is_the_same_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The headline lays out fig_lhc_far (limits, axes, legends, notes) while its bands are
    computed (lhc_far_frame); drawn into that frame the figure is the one drawn afresh, byte
    for byte, and a frame laid out for other bands (other legend texts) is not used."""
    from nudipole.cli.lhc_figures import draw_lhc_far, lhc_far_frame
    from nudipole.limits import load_catalogue
    from nudipole.model import Flavour
    from nudipole.plotting import landscape

    finished: list[bool] = []
    real = landscape.finish_landscape

    def spy(frame: landscape.LandscapeFrame, panels: object) -> bool:
        finished.append(real(frame, panels))  # type: ignore[arg-type]
        return finished[-1]

    monkeypatch.setattr(landscape, "finish_landscape", spy)
    bands = headline_lhc.headline_bands(6)
    flavours = list(Flavour)
    limits = load_catalogue().paper_set()
    fresh = tmp_path / "fresh.png"
    draw_lhc_far(fresh, flavours, limits, "paper", bands)
    assert finished == [True]  # plot_landscape: a frame of its own, finished
    framed = tmp_path / "framed.png"
    draw_lhc_far(framed, flavours, limits, "paper", bands, lhc_far_frame(flavours, limits, "paper"))
    assert finished == [True, True]  # the frame given, finished; nothing drawn afresh
    assert framed.read_bytes() == fresh.read_bytes()
    frame = lhc_far_frame(flavours, limits, "paper")
    draw_lhc_far(tmp_path / "once.png", flavours, limits, "paper", bands, frame)
    with pytest.raises(ValueError, match="already"):
        draw_lhc_far(tmp_path / "twice.png", flavours, limits, "paper", bands, frame)
    finished[:] = [True, True]
    other = tmp_path / "other.png"
    draw_lhc_far(
        other, flavours, limits, "paper", bands, lhc_far_frame(flavours, limits, "default")
    )
    assert finished == [True, True, False, True]  # refused, then drawn afresh
    assert other.read_bytes() == fresh.read_bytes()


def test_the_tables_use_the_bands_the_second_process_just_computed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """headline_tables(n) runs in the second process right after headline_bands(n) (both are
    handed over at the start): it takes those bands, computing no band of the figure again,
    and its new ground is that of the same bands given afresh."""
    from nudipole.cli import lhc_figures

    calls: list[int] = []
    real = lhc_figures.far_results

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(headline_lhc, "far_results", counted)
    headline_lhc.headline_bands.cache_clear()
    bands = headline_lhc.headline_bands(5)
    table_bands, intervals = headline_lhc.headline_tables(5)
    assert calls == [1]
    assert headline_lhc.headline_bands(5) is bands
    headline_lhc.headline_bands.cache_clear()
    again = headline_lhc.headline_tables(5)
    assert calls == [1, 1]
    assert [[(i.low, i.high) for i in ivs] for ivs in again[1]] == [
        [(i.low, i.high) for i in ivs] for ivs in intervals
    ]
    assert len(table_bands) == 2 * len(lhc_figures.FAR_DETECTORS)
    headline_lhc.headline_bands.cache_clear()


def _energy_kernel_loaded() -> bool:
    from nudipole.production._gauss_kernel import gauss_rule_kernel

    return bool(gauss_rule_kernel.overloads)


def test_a_forked_worker_starts_with_numba_started_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """start_numba, called before second_process forks, leaves the worker numba and the
    energy rules' kernel loaded (it does not start them again)."""
    import nudipole._parallel

    monkeypatch.setattr(nudipole._parallel, "available_cpus", lambda: 2)
    headline_lhc.start_numba()
    assert _energy_kernel_loaded()
    if headline_lhc.start_method() != "fork":
        pytest.skip("the worker is spawned here: it starts numba itself")
    with headline_lhc.second_process() as pool:
        assert pool.submit(_energy_kernel_loaded).result()
