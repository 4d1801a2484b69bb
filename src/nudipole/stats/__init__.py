"""Statistics: test statistics per energy point and the upper-limit solver."""

from nudipole.stats.limits import (
    DELTA_CHI2_95,
    SIGNAL_COUNTING,
    USER_STATISTICS,
    Statistic,
    background_variance,
    limit_spread,
    per_point_statistic,
    solve_upper_limit,
)

__all__ = [
    "DELTA_CHI2_95",
    "SIGNAL_COUNTING",
    "USER_STATISTICS",
    "Statistic",
    "background_variance",
    "limit_spread",
    "per_point_statistic",
    "solve_upper_limit",
]
