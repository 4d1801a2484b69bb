"""The Python API's checks of its arguments (nudipole._api_checks): a convention given by a
wrong name or type is one ExperimentError line naming the argument, the value and the choices."""

from __future__ import annotations

import pytest

from nudipole._api_checks import choice
from nudipole.api import far_reach, reach
from nudipole.experiments import ExperimentError
from nudipole.model import Nature
from nudipole.stats import USER_STATISTICS, Statistic


def test_choice_takes_names_and_members() -> None:
    assert choice(Nature, "majorana", "nature") is Nature.MAJORANA
    assert choice(Nature, Nature.DIRAC, "nature") is Nature.DIRAC
    assert choice(Statistic, "poisson-cls", "statistic", USER_STATISTICS) is Statistic.POISSON


@pytest.mark.parametrize("value", ["Majorana ", "", 3, None, [1], 1.5])
def test_choice_names_the_argument_and_the_choices(value: object) -> None:
    with pytest.raises(ExperimentError) as err:
        choice(Nature, value, "nature")  # type: ignore[arg-type]
    assert str(err.value) == f"nature {value!r}: choose one of dirac, majorana"


def test_choice_keeps_to_the_allowed_members() -> None:
    # "signal" is a Statistic (limits published as a cross section), not a user's choice
    with pytest.raises(ExperimentError, match="statistic 'signal': choose one of chi2, asimov"):
        choice(Statistic, "signal", "statistic", USER_STATISTICS)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"statistic": "cls"}, "statistic 'cls': choose one of chi2, asimov, poisson-cls"),
        ({"statistic": "signal"}, "statistic 'signal': choose one of chi2, asimov, poisson-cls"),
        ({"nature": 3}, "nature 3: choose one of dirac, majorana"),
        ({"decay_model": "prompt"}, "decay_model 'prompt': choose one of fixed-length, lab-volume"),
        ({"photon_angular": "flat"}, "photon_angular 'flat': choose one of spin-correlated"),
        ({"charge_states": "n"}, "charge_states 'n': choose one of both, n-only"),
        ({"ew_scheme": "mz"}, "ew_scheme 'mz': choose one of gmu, gmu-alpha0, alpha0"),
    ],
)
def test_reach_conventions_by_a_wrong_name(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ExperimentError) as err:
        reach("belle2", [1.0], **kwargs)  # type: ignore[arg-type]
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"nature": "dirak"}, "nature 'dirak': choose one of dirac, majorana"),
        ({"form_factor": "dipole"}, "form_factor 'dipole': choose one of point, vmd"),
    ],
)
def test_far_reach_conventions_by_a_wrong_name(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ExperimentError) as err:
        far_reach("faser2", [0.05], **kwargs)  # type: ignore[arg-type]
    assert str(err.value) == message
