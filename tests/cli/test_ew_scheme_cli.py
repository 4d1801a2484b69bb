"""``--ew-scheme``: the electroweak input scheme of an e+e- run, from the command line."""

from __future__ import annotations

import json

import pytest

from conftest import CliRunner
from nudipole.physics.sm import SM, EWScheme


def d95(cli: CliRunner, *extra: str) -> tuple[float, str]:
    code, out, err = cli(
        ["reach", "belle2", "--masses", "1", "--preset", "paper", "--json", *extra]
    )
    assert code == 0, err
    data = json.loads(out)
    return float(data["d95"][0]), str(data["inputs"]["couplings"]["ew_scheme"])


def test_scheme_option_overrides_the_preset_and_is_recorded(cli: CliRunner) -> None:
    paper, scheme = d95(cli)
    assert scheme == EWScheme.GMU_ALPHA0  # the paper preset's own (the seed's alpha(0))
    gmu, scheme = d95(cli, "--ew-scheme", "gmu")
    assert scheme == EWScheme.GMU
    # Belle II's signal is photon exchange at 10.58 GeV (photon-only model): d95 scales as
    # alpha^(-1/2) between alpha(0) and alpha(s) (same nodes, same seed, same background)
    assert gmu < paper
    running = float(SM.alpha_photon(10.58**2)) / SM.alpha0
    assert gmu == pytest.approx(paper * running**-0.5, rel=2e-3)


def test_scheme_option_reaches_events(cli: CliRunner) -> None:
    code, out, err = cli(
        ["events", "belle2", "--mass", "1", "--d", "1e-5", "--json", "--ew-scheme", "alpha0"]
    )
    assert code == 0, err
    assert json.loads(out)["couplings"]["ew_scheme"] == EWScheme.ALPHA0
    # without the option the header states the preset's scheme, the one the counts use
    code, out, err = cli(
        ["events", "belle2", "--mass", "1", "--d", "1e-5", "--json", "--preset", "paper"]
    )
    assert code == 0, err
    assert json.loads(out)["couplings"]["ew_scheme"] == EWScheme.GMU_ALPHA0


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["reach", "belle2", "--masses", "1", "--ew-scheme", "bogus"], "--ew-scheme"),
        (["reach", "faser2", "--masses", "0.05", "--ew-scheme", "gmu"], "--ew-scheme"),
    ],
)
def test_bad_scheme_use_is_refused(cli: CliRunner, argv: list[str], needle: str) -> None:
    code, out, err = cli(argv)
    assert code == 2
    assert out == ""
    assert needle in err
    assert len(err.strip().splitlines()) == 1
