"""Forward LHC production spectra (FORESEE tables), read with importlib.resources."""
