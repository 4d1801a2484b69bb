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
