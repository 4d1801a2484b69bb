"""Numerical methods the physics and the scans share (no physics here)."""

from nudipole.numerics.brent import (
    NoConvergenceError,
    NotBracketedError,
    minimize_bounded,
    root_bracketed,
)

__all__ = ["NoConvergenceError", "NotBracketedError", "minimize_bounded", "root_bracketed"]
