"""Statistics: test statistics per energy point and the upper-limit solver."""

from nudipole.stats.limits import (
    DELTA_CHI2_95,
    Statistic,
    limit_spread,
    solve_upper_limit,
    per_point_statistic,
)

__all__ = ["DELTA_CHI2_95", "Statistic", "limit_spread", "solve_upper_limit", "per_point_statistic"]
