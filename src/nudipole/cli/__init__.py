"""Command-line interface (``nudipole``).

:mod:`~nudipole.cli.main` builds the parser; one module per command family:
``reach_commands`` (``reach`` for e+ e- experiments and the modelling options it shares),
``figure_commands`` (``figure``), ``experiments_commands`` (``experiments``),
``landscape_commands`` (``limits``, ``figure landscape``), ``newground_commands``
(``newground``), ``ew_commands``
(``couplings``, ``widths``), ``lhc_commands`` (far detectors: bands, figures),
``events_commands`` (``events``), ``spectra_commands`` (``spectra``) and ``headline``;
``_common`` holds the console, progress bar and output helpers they share.
"""
