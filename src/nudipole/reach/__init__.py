"""Reach scans: the expected 95 % CL limit on d versus m_N, from a source, a detector and a
statistic. The entry point is :func:`nudipole.reach` (:func:`nudipole.api.reach`); this
package holds the scans it runs and what they return.

e+ e- colliders (BESIII, Belle II, STCF, LEP, CEPC)
    ``scan`` (the limit per mass), ``scan_setup`` (integration options, energy points, nodes
    or the cut-adapted rule, backgrounds), ``signal`` (templates in kappa), ``rule_templates``
    (the templates from the cut-adapted rule), ``prompt`` (masses whose N decay promptly),
    ``background``, ``collider_events`` (counts at one point), ``presets`` and ``model``
    (conventions and the coupling model), ``recipes`` (the seed's figures).
LHC far detectors (FASER-2, FACET, MAPP-2, the LLP detectors)
    ``far_scan`` (the band per mass), ``band`` (the band in d at one mass), ``band_ends``
    and ``band_bound`` / ``far_bounds`` (where bands end, which masses cannot have one),
    ``far_rays`` / ``far_kernel_calls`` / ``far_table`` / ``far_light`` / ``far_shared`` (the
    merged rays of a mass), ``far_couplings``, ``far_presets``, ``far_setup``, ``far_events``
    (counts at one point); the compiled kernels are the modules starting with ``_``.
Both
    ``result`` (:class:`~nudipole.reach.result.ReachResult`, with everything that made it).

Nothing is imported with the package: ``import nudipole.reach.scan`` loads that module and
what it needs, and the attribute ``nudipole.reach`` stays the function. So import the modules
by ``from nudipole.reach import scan`` or ``from nudipole.reach.scan import ...``: the form
``import nudipole.reach.scan as scan`` looks ``scan`` up on the function and fails.
"""
