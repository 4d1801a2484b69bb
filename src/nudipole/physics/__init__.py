"""Pure physics functions: widths, cross sections, angular distributions.

Every function takes all its inputs as arguments (GeV units, d in GeV^-1), keeps no state and
broadcasts over numpy arrays. Each docstring cites the equation it implements.
"""
