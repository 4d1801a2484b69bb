"""Errors raised while loading or using experiment definitions."""


class ExperimentError(ValueError):
    """An experiment definition is missing, malformed or inconsistent.

    The message is one line saying what is wrong and how to fix it.
    """
