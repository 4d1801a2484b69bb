"""``nudipole couplings`` (electroweak dipoles)."""

from __future__ import annotations

import json

import pytest

from nudipole.cli.main import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("scenario", "dz"), [("C", 11.250), ("D", 139.55)])
def test_couplings_json_contract(
    scenario: str, dz: float, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        ["couplings", "--scenario", scenario, "--sin2w", "0.2293", "--json"], capsys
    )
    assert code == 0, err
    data = json.loads(out)
    assert abs(data["dZ_over_dgamma"]) == pytest.approx(dz, rel=5e-3)
    assert set(data) >= {"dZ_over_dgamma", "dW_over_dgamma", "sin2w", "scenario", "a"}


def test_couplings_from_a_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["couplings", "--a", "0"], capsys)
    assert code == 0
    assert "d_Z / d_gamma" in out
    _, js, _ = run(["couplings", "--a", "0", "--sin2w", "0.25", "--json"], capsys)
    assert json.loads(js)["dZ_over_dgamma"] == pytest.approx(-((0.25 / 0.75) ** 0.5))


@pytest.mark.parametrize(
    "argv",
    [
        ["couplings", "--sin2w", "1.2"],
        ["couplings", "--scenario", "E"],
        ["couplings", "--scenario", "C", "--a", "1"],
        ["couplings", "--a=-3.4641016151377544", "--sin2w", "0.25"],  # a = -2 cot θ_w
    ],
)
def test_couplings_bad_input(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    assert err.startswith("nudipole: error:")
    assert err.count("\n") == 1
    assert out == ""
