"""nudipole: collider reach on the neutrino dipole portal.

The main entry point is :func:`nudipole.reach`; the layers are ``physics`` (pure formulas),
``kinematics``, ``production`` (sources of N: e+ e- and mesons), ``detectors`` (ray-volume
segments), ``experiments`` (TOML definitions), ``stats``, ``reach`` (scans), ``io``,
``plotting`` and ``cli``.

``import nudipole`` loads only the version: :func:`reach` and :class:`ReachResult` (and numpy
and the scan machinery with them) are imported on first use.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from nudipole._version import __version__

if TYPE_CHECKING:
    from nudipole.api import reach
    from nudipole.reach.result import ReachResult

__all__ = ["ReachResult", "__version__", "reach"]


class _Package(types.ModuleType):
    """The ``nudipole`` module: ``nudipole.reach`` is the function :func:`nudipole.api.reach`,
    imported on first use.

    A property, because the import system binds every subpackage as an attribute of its
    package when it is first imported, and the subpackage ``nudipole.reach`` would otherwise
    take the name from the function (``import nudipole.reach.scan`` and ``from nudipole.reach
    import ...`` find it in ``sys.modules``, as before, when the function was bound eagerly).
    """

    @property
    def reach(self) -> Any:
        from nudipole.api import reach

        return reach

    @reach.setter
    def reach(self, value: Any) -> None:
        """The import system binding the subpackage: the name stays the function's."""


def __getattr__(name: str) -> Any:
    if name == "ReachResult":
        from nudipole.reach.result import ReachResult

        return ReachResult
    raise AttributeError(f"module 'nudipole' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


sys.modules[__name__].__class__ = _Package
