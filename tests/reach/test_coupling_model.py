"""The coupling model's array methods equal its per-mass methods (the e+ e- templates take
every mass of a batch in one call)."""

import numpy as np
import pytest

from nudipole.model import Flavour, Nature
from nudipole.reach.model import PHOTON_ONLY, CouplingModel, CouplingRatios, make_model

MASSES = np.geomspace(0.01, 150.0, 23)


@pytest.mark.parametrize(
    "model",
    [
        PHOTON_ONLY,
        make_model("mu", scenario="II"),
        make_model("e", scenario="I"),
        CouplingModel(Flavour.TAU, CouplingRatios(0.8, 1.2)),
    ],
)
@pytest.mark.parametrize("nature", list(Nature))
def test_widths_and_br_of_all_masses_equal_the_per_mass_values(
    model: CouplingModel, nature: Nature
) -> None:
    width, br = model.widths_and_br(MASSES, nature)
    assert np.array_equal(model.widths_unit(MASSES, nature), width)
    for m, w, b in zip(MASSES, width, br, strict=True):
        assert w == pytest.approx(model.width_unit(float(m), nature), rel=1e-13)
        assert b == pytest.approx(model.br_nu_gamma(float(m), nature), rel=1e-13, nan_ok=True)


def test_cross_section_takes_an_array_of_masses() -> None:
    model = make_model("mu", scenario="II")
    s = np.full(MASSES.size, 200.0**2)
    sigma = model.sigma_unit(s, MASSES)
    for m, value in zip(MASSES, sigma, strict=True):
        assert value == pytest.approx(float(model.sigma_unit(s[:1], float(m))[0]), rel=1e-13)


@pytest.mark.parametrize(
    ("flavour", "scenario", "a", "label"),
    [
        ("e", None, None, "flavour e, photon only"),
        ("mu", "II", None, "flavour mu, scenario II"),
        ("tau", "III", None, "flavour tau, scenario III"),
        ("e", None, 0.0, "flavour e, a = 0"),  # d_W = 0
    ],
)
def test_dropping_a_w_interference_that_is_not_there_is_refused(
    flavour: str, scenario: str | None, a: float | None, label: str
) -> None:
    # only the electron flavour's t-channel W interferes; elsewhere the option would be ignored
    with pytest.raises(ValueError, match=rf"this model \({label}\) has none") as err:
        make_model(flavour, scenario, a, w_interference=False)
    assert "\n" not in str(err.value)


def test_dropping_the_w_interference_of_the_electron_flavour() -> None:
    talk = make_model("e", "III", w_interference=False)
    full = make_model("e", "III")
    s, m = np.array([189.0**2]), np.array([10.0])
    assert talk.sigma_unit(s, m)[0] != full.sigma_unit(s, m)[0]
