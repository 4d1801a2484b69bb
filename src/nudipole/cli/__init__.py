"""Command-line interface (``nudipole``)."""
