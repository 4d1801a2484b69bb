"""Start-up imports only what it needs (issue 11): no scipy.stats, matplotlib or numba on
``import nudipole`` or ``nudipole --help``; they are imported by the functions that use them."""

import subprocess
import sys

import pytest

_HEAVY = ("scipy.stats", "scipy.optimize", "scipy.integrate", "matplotlib", "numba")

_PROBE = """
import sys
{statement}
heavy = {heavy!r}
print(sorted(m for m in sys.modules if m in heavy or m.startswith(tuple(h + "." for h in heavy))))
"""


def _heavy_modules_after(statement: str) -> str:
    code = _PROBE.format(statement=statement, heavy=_HEAVY)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return out.stdout.strip().splitlines()[-1]


def test_import_nudipole_imports_no_heavy_module() -> None:
    assert _heavy_modules_after("import nudipole") == "[]"


@pytest.mark.parametrize("argv", [["--help"], ["reach", "--help"]])
def test_cli_help_imports_no_heavy_module(argv: list[str]) -> None:
    statement = (
        "from nudipole.cli.main import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    assert _heavy_modules_after(statement) == "[]"


def test_lazy_reach_is_the_function_after_the_subpackage_is_imported() -> None:
    code = (
        "import nudipole, sys\n"
        "assert 'nudipole.api' not in sys.modules\n"
        "import nudipole.reach.scan\n"
        "from nudipole.api import reach\n"
        "from nudipole.reach.result import ReachResult\n"
        "assert nudipole.reach is reach and nudipole.ReachResult is ReachResult\n"
        "from nudipole import reach as r\n"
        "assert r is reach\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "ok"


def test_far_band_with_ends_imports_no_scipy_optimize() -> None:
    # the band solve and its ends use nudipole.numerics (Brent), not scipy.optimize, whose
    # import (0.2-0.3 s, scipy.linalg with it) would stand at the start of every far scan
    statement = (
        "from nudipole.api import far_reach\n"
        "r = far_reach('faser2', [0.1, 0.2], error_estimate=False)\n"
        "assert r.band_ends and r.band_ends[0].side == 'upper'\n"
    )
    assert "'scipy.optimize" not in _heavy_modules_after(statement)
