"""W and Z spectra for the W/Z -> N source: full-angle Pythia 8 tables and the normalisation."""
