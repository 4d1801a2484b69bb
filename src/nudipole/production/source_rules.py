"""The node rules of the far-detector sources at one mass: the parent-frame N energy rule of
each channel part (:func:`energy_rule`: the compressed Gauss rule of a meson's decay
distribution, kept in a bounded memo that a scan fills for all its masses at once, or a W/Z
part's single node), and the rules in theta* (:func:`cos_theta_rule`: isotropic for the
mesons, the boson's N angular density for the W/Z parts, :func:`part_cos_rule`) and phi*
(:func:`part_phi_order`).

Moved out of :mod:`nudipole.production.meson_source`, which uses them (module docstring
there for the integration as a whole).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from nudipole.physics._types import FloatArray
from nudipole.physics.couplings import CouplingRatios
from nudipole.production import boson_channels
from nudipole.production.angular_rules import gauss_legendre
from nudipole.production.channels import ALL_CHANNELS, channel_parts, part_allowed, part_is_boson
from nudipole.production.energy_rule import gauss_rule
from nudipole.production.meson_rates import energy_nodes, energy_nodes_many
from nudipole.production.source_options import SourceOptions


def cos_theta_rule(
    n_cos: int, cos_rule: tuple[FloatArray, FloatArray] | None
) -> tuple[FloatArray, FloatArray]:
    """Nodes in cos theta* and their weights including the density of cos theta* (summing
    to 1): ``cos_rule`` when given, else the isotropic rule of an unpolarised parent
    (:func:`isotropic_theta_rule`)."""
    if cos_rule is not None:
        return np.asarray(cos_rule[0], dtype=float), np.asarray(cos_rule[1], dtype=float)
    return isotropic_theta_rule(n_cos)


@lru_cache(maxsize=16)
def isotropic_theta_rule(n: int) -> tuple[FloatArray, FloatArray]:
    """``n`` Gauss-Legendre nodes in theta* on [0, pi], as (c = cos theta*, weight): weight
    w_GL (pi/2) sin theta* / 2 (the isotropic density 1/2 in c times dc/dtheta*), rescaled
    to sum to 1 so that the total rate stays exact (the sum differs from 1 by 8e-6 at 4
    nodes, 3e-10 at 6).

    Why theta* and not c (the argument of :func:`part_cos_rule`): the lab angle between N and
    its parent grows like sqrt(1 - c) near c = +-1, and a small detector on the beam axis
    sees the near-collinear N, so in c the integrand has square-root ends that
    Gauss-Legendre resolves slowly. FASER-2's meson bands, 3 MeV to 1 GeV, against 48 nodes
    with every other rule doubled: 8 nodes in c 0.38 %, 6 in c 0.58 %; 8 in theta* 0.09 %,
    6 in theta* 0.13 % (lower edge; upper edge 0.01 % and 0.13 %)."""
    x, w = gauss_legendre(n)
    theta = 0.5 * math.pi * (x + 1.0)
    c = np.cos(theta)
    weight = 0.25 * math.pi * w * np.sin(theta)
    weight /= weight.sum()
    for arr in (c, weight):
        arr.setflags(write=False)
    return c, weight


def energy_rule(
    channel: str,
    m_n: float,
    flavour: str,
    options: SourceOptions,
    ratios: CouplingRatios | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Parent-frame N energies (GeV) and weights (GeV^2) of ``channel`` (a meson channel:
    Br per d^2; or a W/Z part: Br/d_V^2 x (d_V/d_gamma)^2 per d_gamma^2 with the coupling
    ``ratios``, :func:`nudipole.production.boson_channels.energy_rule`)."""
    if part_is_boson(channel):
        return boson_channels.energy_rule(channel, m_n, flavour, _need_ratios(channel, ratios))
    return _energy_nodes(channel, m_n, flavour, options)


def _need_ratios(channel: str, ratios: CouplingRatios | None) -> CouplingRatios:
    if ratios is None:
        raise ValueError(
            f"channel {channel!r} (N from W/Z decays) needs d_Z/d_gamma and d_W/d_gamma: give "
            "a scenario or a = d_W/d_B"
        )
    return ratios


#: Nodes of the theta* rule of the W/Z parts (:func:`part_cos_rule`) per node of ``n_cos_boson``
#: for a detector whose polar window ends below :data:`BOSON_SMALL_WINDOW` rad (FASER-2,
#: FACET); wider windows take ``n_cos_boson`` nodes (their band edges move by < 1e-4 between 8 and
#: 32 nodes: MATHUSLA, ANUBIS, CODEX-b, MAPP-2).
BOSON_COS_FACTOR = 4
BOSON_SMALL_WINDOW = 0.05


def part_cos_rule(
    part: str,
    m_n: float,
    flavour: str,
    options: SourceOptions,
    window: tuple[float, float] = (0.0, 0.0),
) -> tuple[FloatArray, FloatArray] | None:
    """The rule in cos theta* of ``part``: None for mesons (``n_cos`` Gauss-Legendre nodes in
    theta*, isotropic: :func:`isotropic_theta_rule`). For the W/Z parts, n Gauss-Legendre
    nodes in theta* on [0, pi] (n = :data:`BOSON_COS_FACTOR` x ``n_cos_boson`` for a polar
    ``window`` ending below :data:`BOSON_SMALL_WINDOW`, else ``n_cos_boson``), c = cos theta*,
    weight
    w_GL (pi/2) sin theta* f(c), f the density of
    :func:`nudipole.production.boson_channels.cos_density` (1/2 when unpolarised); the
    weights sum to 1 (exactly for the polynomial densities of Eq. 4 of boson_decays_to_n, up
    to the rule's error).

    Why theta*: the lab angle between N and a boosted parent grows like sqrt(1 - c) near
    c = 1 (and likewise near c = -1), so near-axis parents that send N straight into a small
    on-axis detector (FASER-2) make the integrand behave like sqrt(1 - c) at the ends, where
    Gauss-Legendre in c converges slowly (FASER-2's W acceptance with isotropic N: 22 % low
    with 8 nodes in c; with 32 in theta* within 0.3 % of an independent integration in the
    lab angle, tests/production/test_boson_source.py); in theta* the integrand is smooth. The
    W/Z source is two channels, so the finer rule costs little (the mesons keep theirs).
    """
    if not part_is_boson(part):
        return None
    n = _boson_cos_nodes(options, window)
    key = (part, float(m_n), flavour, options.boson_polarisation, n)
    rule = _COS_RULES.get(key)
    if rule is not None:
        return rule
    c, base = _boson_theta_rule(n)
    dens = boson_channels.cos_density(part, c, m_n, flavour, options.boson_polarisation)
    weight = base * dens
    weight.setflags(write=False)
    _COS_RULES.put(key, (c, weight))
    return c, weight


def _boson_cos_nodes(options: SourceOptions, window: tuple[float, float]) -> int:
    """Nodes of the W/Z theta* rule for a polar ``window`` (:func:`part_cos_rule`)."""
    small = window[1] < BOSON_SMALL_WINDOW
    return BOSON_COS_FACTOR * options.n_cos_boson if small else options.n_cos_boson


@lru_cache(maxsize=16)
def _boson_theta_rule(n: int) -> tuple[FloatArray, FloatArray]:
    """(c, w_GL (pi/2) sin theta*) of ``n`` Gauss-Legendre nodes in theta* on [0, pi]: the
    W/Z rule of :func:`part_cos_rule` before the density (read-only, cached)."""
    x, w = gauss_legendre(n)
    theta = 0.5 * math.pi * (x + 1.0)
    c = np.cos(theta)
    base = 0.5 * math.pi * w * np.sin(theta)
    for arr in (c, base):
        arr.setflags(write=False)
    return c, base


def prefetch_cos_rules(
    channels: Sequence[str],
    masses: Sequence[float] | FloatArray,
    flavour: str,
    options: SourceOptions,
    window: tuple[float, float],
) -> None:
    """Compute the theta* rules of the W/Z parts of ``channels`` at all ``masses`` (GeV) in
    one array pass per part (:func:`nudipole.production.boson_channels.cos_density_many`)
    and keep them for :func:`part_cos_rule`: the same rules, element by element, as one mass
    at a time, without a NumPy pass per mass. Meson channels and closed parts are skipped."""
    n = _boson_cos_nodes(options, window)
    pol = options.boson_polarisation
    c, base = _boson_theta_rule(n)
    for name in channels:
        if name not in ALL_CHANNELS:
            continue
        for part in channel_parts(name):
            if not part_is_boson(part):
                continue
            missing = [
                float(m)
                for m in masses
                if part_allowed(part, float(m), flavour)
                and _COS_RULES.get((part, float(m), flavour, pol, n)) is None
            ]
            if not missing:
                continue
            dens = boson_channels.cos_density_many(part, c, missing, flavour, pol)
            for m, row in zip(missing, dens, strict=True):
                weight = base * row
                weight.setflags(write=False)
                _COS_RULES.put((part, m, flavour, pol, n), (c, weight))


def part_phi_order(part: str, options: SourceOptions) -> int:
    """The phi* nodes of ``part``: ``options.n_phi_boson`` for the W/Z parts when set, else
    ``options.n_phi``. The N of a W/Z decay are spread over a wide cone about a slow parent
    (their directions vary smoothly across the parent table), so a far detector's W/Z count
    may converge with fewer phi* nodes than its meson count (each detector's ``[integration]``
    states its orders with the convergence check, ``tests/reach/test_far_convergence.py``)."""
    if part_is_boson(part) and options.n_phi_boson is not None:
        return options.n_phi_boson
    return options.n_phi


#: Energy rules kept (channel, mass, flavour, form factor, nodes): about 200 kB at the bound
#: (a 100-mass scan of 13 channels needs ~1000, and its error pass asks for them again).
_ENERGY_MEMO_SIZE = 4096


_RuleKey = tuple[str, float, str, str, int]
_Rule = tuple[FloatArray, FloatArray]


class _EnergyRuleMemo:
    """Bounded memo of the compressed energy rules (a pure function of the key), filled one
    rule at a time or for many masses at once (:func:`prefetch_energy_rules`); the oldest
    entries go first. Values are read-only arrays."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[_RuleKey, _Rule] = OrderedDict()
        # scans of several detectors may run on threads (nudipole._parallel)
        self._lock = threading.Lock()

    def get(self, key: _RuleKey) -> _Rule | None:
        with self._lock:
            return self._data.get(key)

    def put(self, key: _RuleKey, value: _Rule) -> None:
        with self._lock:
            self._data[key] = value
            while len(self._data) > self._size:
                self._data.popitem(last=False)


_ENERGY_RULES = _EnergyRuleMemo(_ENERGY_MEMO_SIZE)
#: The W/Z theta* rules (part, mass, flavour, polarisation, nodes) of :func:`part_cos_rule`,
#: filled one at a time or for many masses by :func:`prefetch_cos_rules`.
_COS_RULES = _EnergyRuleMemo(_ENERGY_MEMO_SIZE)


def _compress(energy: FloatArray, weight: FloatArray, n_energy: int) -> _Rule:
    """The ``n_energy``-point Gauss rule of the accurate rule (:func:`~nudipole.production.
    meson_rates.energy_nodes`: the branching ratio to about 1e-6;
    :func:`~nudipole.production.energy_rule.gauss_rule` keeps it and every moment up to
    E*^(2 n - 1)), as read-only arrays. Two-body decays: the single exact node; closed
    channels: empty."""
    if energy.size == 0:
        e_star, e_w = np.zeros(0), np.zeros(0)
    else:
        e_star, e_w = gauss_rule(energy, weight, n_energy)
    out = np.array(e_star, dtype=float), np.array(e_w, dtype=float)
    for arr in out:
        arr.setflags(write=False)
    return out


def prefetch_energy_rules(
    channels: Sequence[str],
    masses: Sequence[float] | FloatArray,
    flavour: str,
    options: SourceOptions,
) -> None:
    """Compute the energy rules of the meson ``channels`` at all ``masses`` (GeV) in one array
    pass per channel (:func:`~nudipole.production.meson_rates.energy_nodes_many`) and keep
    them for :func:`energy_rule`: the same rules as one mass at a time, without a NumPy pass
    per mass (a 100-mass scan: 0.17 s -> 0.04 s). W/Z parts and unknown names are skipped
    (their rules are closed forms, or the scan reports the name). Each channel's at its own
    order (:meth:`SourceOptions.for_channel`: a minor channel's is halved)."""
    ff = options.form_factor
    for name in channels:
        if name not in ALL_CHANNELS or part_is_boson(name):
            continue
        n_e = options.for_channel(name).n_energy
        missing = [
            float(m)
            for m in masses
            if _ENERGY_RULES.get((name, float(m), flavour, ff, n_e)) is None
        ]
        if not missing:
            continue
        many = energy_nodes_many(name, np.asarray(missing), flavour, ff)
        for m, (energy, weight) in zip(missing, many, strict=True):
            _ENERGY_RULES.put((name, m, flavour, ff, n_e), _compress(energy, weight, n_e))


def _energy_nodes(
    name: str, m_n: float, flavour: str, options: SourceOptions
) -> tuple[FloatArray, FloatArray]:
    """The parent-frame energy rule of a meson channel at one mass (:func:`_compress`),
    from the memo when a scan prefetched it."""
    key = (name, float(m_n), flavour, options.form_factor, options.n_energy)
    hit = _ENERGY_RULES.get(key)
    if hit is None:
        energy, weight = energy_nodes(name, m_n, flavour, options.form_factor)
        hit = _compress(energy, weight, options.n_energy)
        _ENERGY_RULES.put(key, hit)
    return hit
