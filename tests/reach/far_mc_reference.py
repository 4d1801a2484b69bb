"""An independent Monte Carlo of the far-detector count, for the check of the deterministic
bands (``test_far_monte_carlo.py``) and its table (``python tests/reach/far_mc_reference.py``).

Test infrastructure only: it shares none of the bands' integration (no node rule in theta*,
phi* or E*, no tabulated detector, no merged rays, no band solver). Parents are drawn from the
built-in FORESEE tables with probability proportional to their cross section and spread
evenly in log theta and log p over their bins (the histogram read as a density: the limit of
the deterministic source's sub-bin rules ``SourceOptions.n_sub`` and ``n_sub_fast``); each
decays isotropically in its rest frame (spin 0, or an unpolarised vector), the N energy drawn
from the matrix element (two-body: fixed; P0 -> gamma nu Nbar: q^2 and the gamma* frame angle
from :func:`~nudipole.physics.mesons.neutral.neutral_pseudoscalar_d2br`, weighted), the N
boosted to the lab exactly; the N's azimuth about the beam is integrated by 8 stratified turns
of each event (one for a volume symmetric about the beam), its segment in the detector taken
from the exact ray-volume intersection of :mod:`nudipole.detectors` (tested against
brute-force ray marching), and it decays inside with probability e^(-l_in/lambda) -
e^(-l_out/lambda). With the ``default`` preset the photon is emitted isotropically in the N
frame (the model of the deterministic selection) and must carry the detector's threshold
energy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nudipole.api import far_reach
from nudipole.constants import G_FERMI, HBARC_GEV_M
from nudipole.detectors import BeamAxisAnnulus, BeamAxisCylinder
from nudipole.experiments.far_schema import FarDetectorExperiment
from nudipole.experiments.registry import load_far_experiment
from nudipole.model import Nature
from nudipole.physics.mesons.charged import charged_pseudoscalar_d2width
from nudipole.physics.mesons.neutral import neutral_pseudoscalar_d2br
from nudipole.production.boson_channels import (
    boson_part,
    cos_density,
    n_energy,
    part_tables,
    weight_per_dgamma2,
)
from nudipole.production.meson_rates import br_per_d2
from nudipole.production.meson_table import channel_info, lepton_mass
from nudipole.production.spectra import builtin_spectrum
from nudipole.reach.far_couplings import FarCouplings, make_far_couplings
from nudipole.stats.poisson import expected_signal_limit

CHANNELS: tuple[str, ...] = ("pi0", "eta", "rho", "omega")
#: Events per channel, and azimuthal turns per event (one for a volume symmetric about the
#: beam).
EVENTS = 100_000
TURNS = 8


def _energy_in_parent_frame(
    rng: np.random.Generator, name: str, m_n: float, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """(E* of N in GeV, weight = Br per d^2 of the sample) for ``n`` decays of ``name``
    (flavour e)."""
    info = channel_info(name)
    if info.kind == "vector":  # V -> nu Nbar: two-body
        energy = np.full(n, (info.mass**2 + m_n**2) / (2.0 * info.mass))
        return energy, np.full(n, br_per_d2(name, m_n, "e"))
    m_p = info.mass
    # three-body: q^2 = m^2 of the system (X Nbar) that recoils against the third body (a
    # photon, or the charged lepton), c = the angle of Nbar in that system's frame to its
    # flight direction; proposal uniform in ln q^2 and in c
    m_3 = lepton_mass("e") if info.kind == "charged-pseudoscalar" else 0.0
    lo, hi = math.log(m_n**2), math.log((m_p - m_3) ** 2)
    q2 = np.exp(rng.uniform(lo, hi, n))
    c = rng.uniform(-1.0, 1.0, n)
    density = 1.0 / (q2 * (hi - lo)) * 0.5
    if info.kind == "neutral-pseudoscalar":  # P0 -> gamma (nu Nbar)
        assert info.br_gg is not None
        weight = neutral_pseudoscalar_d2br(m_p, info.br_gg, m_n, 1.0, q2, c) / density
    else:  # P- -> l- (gamma Nbar), its rate over the parent's width
        assert info.decay_constant is not None
        assert info.ckm is not None
        rate = charged_pseudoscalar_d2width(
            m_p, info.decay_constant, info.ckm, m_3, m_n, 1.0, q2, c, G_FERMI
        )
        weight = rate / info.width / density
    q = np.sqrt(q2)
    e_sys = (m_p**2 + q2 - m_3**2) / (2.0 * m_p)
    p_sys = np.sqrt(np.maximum(e_sys**2 - q2, 0.0))
    e_1 = (q2 + m_n**2) / (2.0 * q)  # the other body in the system is massless
    p_1 = (q2 - m_n**2) / (2.0 * q)
    return (e_sys * e_1 + p_sys * p_1 * c) / q, weight


def _parents(
    exp: FarDetectorExperiment, name: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(theta, p, sigma in pb) of the parents of ``name`` at their bins' centres, and the
    half width of the bins in log10: both charges of a charged meson from their own tables;
    a self-conjugate one counted twice (nu Nbar and nubar N); a long-lived one (c tau > 1 m:
    pi, K) weighted by its probability to decay before the absorber at the centre (the
    detector's model; N then start at the collision point, as in the deterministic source;
    :func:`_mc_count` corrects it to the parent drawn inside the bin)."""
    info = channel_info(name)
    pdgids = (info.pdgid, -info.pdgid) if info.kind == "charged-pseudoscalar" else (info.pdgid,)
    specs = [builtin_spectrum(pid) for pid in pdgids]
    theta = 10.0 ** np.concatenate([s.log10_theta for s in specs])
    mom = 10.0 ** np.concatenate([s.log10_p for s in specs])
    sigma = np.concatenate([s.sigma_pb for s in specs]) * (3.0 - len(specs))
    if info.ctau_m > 1.0:
        sigma = sigma * exp.charged_mesons.decay_probability(theta, mom, info.mass, info.ctau_m)
    (half,) = {0.5 * s.bin_width_log10 for s in specs}
    return theta, mom, sigma, half


def _in_bins(
    rng: np.random.Generator, theta: np.ndarray, mom: np.ndarray, half: float
) -> tuple[np.ndarray, np.ndarray]:
    """Parents spread evenly in log10 theta and log10 p over bins of half width ``half``
    around the centres (theta, mom)."""
    n = theta.size
    return theta * 10.0 ** rng.uniform(-half, half, n), mom * 10.0 ** rng.uniform(-half, half, n)


def _flown(
    rng: np.random.Generator,
    exp: FarDetectorExperiment,
    parent: tuple[np.ndarray, np.ndarray, float],
    decay: tuple[float | np.ndarray, np.ndarray],
    m_n: float,
    width: float,
    photon_min: float | None,
) -> np.ndarray:
    """Per event: the probability that its N decays inside ``exp`` (times the photon
    selection with ``photon_min``, GeV). ``parent`` = (theta, momentum in GeV, mass in GeV),
    ``decay`` = (E* of N in the parent frame, cos theta* of N about the parent's flight);
    ``width``: the total width of N in GeV."""
    theta_p, p_p, mass = parent
    e_star, cos_t = decay
    n = cos_t.size
    p_star = np.sqrt(np.maximum(np.asarray(e_star) ** 2 - m_n**2, 0.0))
    phi = rng.uniform(0.0, 2.0 * math.pi, n)
    sin_t = np.sqrt(1.0 - cos_t**2)
    e_p = np.sqrt(p_p**2 + mass**2)
    boost, beta = e_p / mass, p_p / e_p
    # along the parent (z'), then turned by theta_P about y
    pz = boost * (p_star * cos_t + beta * e_star)
    px, py = p_star * sin_t * np.cos(phi), p_star * sin_t * np.sin(phi)
    z = pz * np.cos(theta_p) - px * np.sin(theta_p)
    x = pz * np.sin(theta_p) + px * np.cos(theta_p)
    p_n = np.sqrt(x**2 + py**2 + z**2)
    theta_n = np.arccos(np.clip(z / p_n, -1.0, 1.0))
    phi_n = np.arctan2(py, x)
    decay_length = p_n / (m_n * width) * HBARC_GEV_M  # metres
    offset = rng.uniform(0.0, 1.0, n)
    inside = np.zeros(n)
    # a volume symmetric about the beam looks the same at every azimuth: one turn
    turns = 1 if isinstance(exp.shape, BeamAxisCylinder | BeamAxisAnnulus) else TURNS
    for turn in range(turns):
        az = np.mod(phi_n + 2.0 * math.pi * (turn + offset) / turns, 2.0 * math.pi)
        l_in, l_out = exp.shape.segment(theta_n, az)
        hit = np.isfinite(l_in) & np.isfinite(l_out) & (l_out > l_in)
        l_in = np.where(hit, l_in, 0.0)
        l_out = np.where(hit, l_out, 0.0)
        inside += np.exp(-l_in / decay_length) - np.exp(-l_out / decay_length)
    inside /= turns
    if photon_min is not None:  # the photon, isotropic in the N frame, above threshold
        e_n = np.sqrt(p_n**2 + m_n**2)
        e_gamma = 0.5 * (e_n + p_n * rng.uniform(-1.0, 1.0, n))
        inside *= exp.selection.efficiency * (e_gamma >= photon_min)
    return inside


def nearest_distance(exp: FarDetectorExperiment) -> float:
    """The shortest distance (m) from the collision point to the detector, on a grid of
    400 x 400 directions over its polar window (an upper bound, close to the true one)."""
    lo, hi = exp.shape.polar_window()
    theta, phi = np.meshgrid(
        np.linspace(lo, hi, 400), np.linspace(0.0, 2.0 * math.pi, 400, endpoint=False)
    )
    l_in, l_out = exp.shape.segment(theta.ravel(), phi.ravel())
    hit = np.isfinite(l_in) & np.isfinite(l_out) & (l_out > l_in)
    return float(np.min(l_in[hit]))


def _reach_window(
    exp: FarDetectorExperiment,
    theta: np.ndarray,
    mom: np.ndarray,
    mass: float,
    e_max: float,
    m_n: float,
) -> np.ndarray:
    """1 where an N of at most the energy ``e_max`` in the parent frame can fly into the
    detector's polar window from a parent (theta, momentum) of ``mass``, else 0: N's polar
    angle lies within the largest opening angle alpha of the parent's, tan alpha =
    beta* / (gamma_P sqrt(beta_P^2 - beta*^2)) where beta* < beta_P, and anything otherwise
    (a bound: the fastest N in the parent frame opens the widest cone)."""
    lo, hi = exp.shape.polar_window()
    beta_star = math.sqrt(max(e_max**2 - m_n**2, 0.0)) / e_max
    e_p = np.sqrt(mom**2 + mass**2)
    beta_p, gamma_p = mom / e_p, e_p / mass
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = np.where(
            beta_star < beta_p,
            np.arctan(beta_star / (gamma_p * np.sqrt(np.maximum(beta_p**2 - beta_star**2, 0.0)))),
            math.pi,
        )
    gap = np.maximum(lo - theta, 0.0) + np.maximum(theta - hi, 0.0)
    return np.asarray(gap <= alpha, dtype=float)


def _mc_count(
    rng: np.random.Generator,
    exp: FarDetectorExperiment,
    m_n: float,
    d: float,
    photon_min: float | None,
    events: int = EVENTS,
    channels: tuple[str, ...] = CHANNELS,
    importance: float | None = None,
) -> tuple[float, float]:
    """Expected events (and the Monte Carlo's standard error) of the meson ``channels`` at
    (m_N, d) in ``exp`` from ``events`` decays per channel (photon-only dipole of flavour e);
    ``photon_min``: the photon energy threshold (GeV), None for none.

    ``importance`` (a coupling d_i, GeV^-1): parents drawn in proportion to sigma x h
    instead of sigma (and weighted by 1/h), h = exp(-x) where an N of the parent can reach
    the polar window (:func:`_reach_window`), else 0, x = the decay exponent at coupling d_i
    of the fastest N the parent can make at the detector's nearest point: the count at the
    upper edge of a band, where few N survive to the detector, comes from the parents with h
    near 1; h of a bin is that of its most favourable corner (the smallest momentum for the
    widest cone, the angle nearest the window, the largest momentum for x), so that it
    vanishes only where no parent of the bin reaches the window. Unbiased for any such h;
    the same d_i for two couplings gives the same events."""
    width = d**2 * m_n**3 / (4.0 * math.pi)  # Dirac N, seed Eq. 4
    # the decay exponent per unit path and momentum at the importance coupling (GeV^-1 / m)
    tilt = 0.0
    if importance is not None:
        tilt = nearest_distance(exp) / HBARC_GEV_M * m_n * importance**2 * m_n**3 / (4 * math.pi)
    total = variance = 0.0
    for name in channels:
        info = channel_info(name)
        theta_all, mom_all, sigma, half = _parents(exp, name)
        h = np.ones(sigma.size)
        if importance is not None:
            e_max = (info.mass**2 + m_n**2) / (2.0 * info.mass)  # the largest E* of N
            p_hi = mom_all * 10.0**half
            e_p = np.sqrt(p_hi**2 + info.mass**2)
            p_star = math.sqrt(max(e_max**2 - m_n**2, 0.0))
            p_fastest = (e_p * p_star + p_hi * e_max) / info.mass
            # none where no N of any parent of the bin reaches the window
            nearest = np.clip(
                exp.shape.polar_window()[0], theta_all / 10.0**half, theta_all * 10.0**half
            )
            h = np.exp(-tilt / p_fastest) * _reach_window(
                exp, nearest, mom_all / 10.0**half, info.mass, e_max, m_n
            )
        share = sigma * h
        k = rng.choice(sigma.size, size=events, p=share / share.sum())
        theta, mom = _in_bins(rng, theta_all[k], mom_all[k], half)
        weight_bin = np.ones(events)
        if info.ctau_m > 1.0:  # the decay before the absorber of the parent drawn, not the centre's
            decays = exp.charged_mesons.decay_probability
            weight_bin = decays(theta, mom, info.mass, info.ctau_m) / decays(
                theta_all[k], mom_all[k], info.mass, info.ctau_m
            )
        e_star, weight = _energy_in_parent_frame(rng, name, m_n, events)
        cos_t = rng.uniform(-1.0, 1.0, events)  # isotropic: spin 0 or unpolarised
        parent = (theta, mom, info.mass)
        inside = _flown(rng, exp, parent, (e_star, cos_t), m_n, width, photon_min)
        counts = exp.luminosity_pb * share.sum() / h[k] * d**2 * weight * weight_bin * inside
        total += float(counts.mean())
        variance += float(counts.var()) / events
    return total, math.sqrt(variance)


def _mc_count_wz(
    rng: np.random.Generator,
    exp: FarDetectorExperiment,
    m_n: float,
    d_gamma: float,
    photon_min: float | None,
    couplings: FarCouplings,
    events: int,
) -> tuple[float, float]:
    """Expected N -> nu gamma events (and the standard error) of N from W+, W- and Z at
    (m_N, d_gamma) in ``exp`` with the electroweak ``couplings`` (a scenario): parents from
    the Pythia tables (forward, and backward at pi - theta) spread evenly over their bins, the
    two-body decay with the leading-order density of cos theta* about the boson's flight
    (weighted), the total width of N and Br(N -> nu gamma) of the scenario."""
    flavour = couplings.model.flavour.value
    width = couplings.width_unit(m_n, Nature.DIRAC) * d_gamma**2
    br_photon, _ = couplings.signal_fractions(m_n, Nature.DIRAC)
    total = variance = 0.0
    for part in ("W+", "W-", "Z"):
        per_parent = weight_per_dgamma2(part, m_n, flavour, couplings.model.ratios)
        if not per_parent > 0.0:
            continue
        tables = part_tables(part, "pythia")
        theta_all = np.concatenate([10.0**s.log10_theta for s, _ in tables])
        backward = np.concatenate([np.full(s.log10_theta.size, back) for s, back in tables])
        mom_all = np.concatenate([10.0**s.log10_p for s, _ in tables])
        sigma = np.concatenate([s.sigma_pb for s, _ in tables])
        (half,) = {0.5 * s.bin_width_log10 for s, _ in tables}
        k = rng.choice(sigma.size, size=events, p=sigma / sigma.sum())
        theta, mom = _in_bins(rng, theta_all[k], mom_all[k], half)
        theta = np.where(backward[k], math.pi - theta, theta)  # the backward table's at pi - theta
        cos_t = rng.uniform(-1.0, 1.0, events)
        weight = cos_density(part, cos_t, m_n, flavour) / 0.5
        parent = (theta, mom, boson_part(part).mass)
        decay = (n_energy(part, m_n, flavour), cos_t)
        inside = _flown(rng, exp, parent, decay, m_n, width, photon_min)
        counts = exp.luminosity_pb * sigma.sum() * d_gamma**2 * per_parent * weight
        counts = counts * inside * br_photon
        total += float(counts.mean())
        variance += float(counts.var()) / events
    return total, math.sqrt(variance)


#: Every built-in far detector with both presets: the talk's three at two masses, the
#: long-lived-particle detectors at one (CODEX-b's default preset has no band with these
#: channels).
CASES = [
    *((name, preset, mass) for name in ("faser2", "facet", "mapp2")
      for preset in ("paper", "default") for mass in (0.02, 0.05)),
    *((name, preset, 0.02) for name in ("mathusla", "anubis", "codexb", "al3x")
      for preset in ("paper", "default") if (name, preset) != ("codexb", "default")),
]  # fmt: skip
#: The charged pseudoscalars (flavour e: P -> gamma e Nbar), at 0.02 GeV in the talk's three
#: detectors, with more events on the beam axis (their weights spread more).
CHARGED: tuple[str, ...] = ("pi", "K", "D", "Ds", "B")
CHARGED_CASES = [
    (name, preset, 0.02) for name in ("faser2", "facet", "mapp2") for preset in ("paper", "default")
]
CHARGED_MORE = {"faser2": 4, "facet": 4, "mapp2": 2}
#: Cases whose count comes from rare events (ANUBIS's shaft with a photon above 1 GeV: 6 %
#: Monte Carlo error with 10^5 events) get more.
MORE_EVENTS = {("anubis", "default"): 4}


@dataclass(frozen=True)
class LowerEdge:
    """The deterministic lower edge of a band and the Monte Carlo count there."""

    d95: float  #: GeV^-1
    stated: float  #: the band's stated error of d95, GeV^-1
    threshold: float  #: S95, events
    count: float  #: Monte Carlo events at d95
    error: float  #: its standard error

    @property
    def shift(self) -> float:
        """The relative change of d95 the Monte Carlo count implies (N ~ d^4 there)."""
        return math.log(self.count / self.threshold) / 4.0

    @property
    def sigma(self) -> float:
        """The combined relative standard error of d95: stated and Monte Carlo."""
        return math.hypot(self.stated / self.d95, self.error / self.count / 4.0)


def _threshold(exp: FarDetectorExperiment, preset: str) -> float:
    """S95 of ``preset``: 3 events (``paper``), the median expected CLs limit for the
    detector's background (``default``)."""
    sel = exp.selection
    if preset != "default":
        return 3.0
    return expected_signal_limit(sel.background, uncertainty=sel.background_uncertainty)


def lower_edge(
    name: str, preset: str, mass: float, channels: tuple[str, ...] = CHANNELS, more: int = 1
) -> LowerEdge:
    """The band of the meson ``channels`` at ``mass`` (GeV) in the built-in far detector
    ``name`` with ``preset``, and the Monte Carlo count at its lower edge (seeded by the case)
    from ``more`` times :data:`EVENTS` (times :data:`MORE_EVENTS` of the case) per channel."""
    exp = load_far_experiment(name)
    result = far_reach(exp, [mass], preset=preset, channels=list(channels), locate_ends=False)
    d95, stated = float(result.d95[0]), float(result.d95_error[0])
    seed = [ord(c) for c in f"{name}{preset}{mass}{''.join(channels)}"]
    photon_min = exp.selection.photon_energy_min if preset == "default" else None
    events = EVENTS * more * MORE_EVENTS.get((name, preset), 1)
    rng = np.random.default_rng(seed)
    count, error = _mc_count(rng, exp, mass, d95, photon_min, events, channels)
    return LowerEdge(d95, stated, _threshold(exp, preset), count, error)


#: How far the upper edge of a meson band moves when every integration rule is doubled
#: (benchmarks/far_convergence.py, tests/reach/test_far_convergence.py; at most 0.21 %, MAPP-2):
#: its accuracy, which the band does not state per mass.
UPPER_EDGE_ACCURACY = 0.0021


@dataclass(frozen=True)
class UpperEdge:
    """The deterministic upper edge of a band and the Monte Carlo count there."""

    d95_upper: float  #: GeV^-1
    threshold: float  #: S95, events
    count: float  #: Monte Carlo events at d95_upper
    error: float  #: its standard error
    slope: float  #: d ln N / d ln d there (from the same events at d (1 + 1e-3))

    @property
    def shift(self) -> float:
        """The relative change of the upper edge the Monte Carlo count implies."""
        return math.log(self.count / self.threshold) / abs(self.slope)

    @property
    def sigma(self) -> float:
        """Combined relative standard error: the edge's accuracy and the Monte Carlo's."""
        return math.hypot(UPPER_EDGE_ACCURACY, self.error / self.count / abs(self.slope))


def upper_edge(name: str, preset: str, mass: float) -> UpperEdge:
    """The band of :data:`CHANNELS` at ``mass`` (GeV) in ``name`` with ``preset``, and the
    Monte Carlo count at its upper edge, parents drawn towards the fastest N
    (``importance``)."""
    exp = load_far_experiment(name)
    result = far_reach(exp, [mass], preset=preset, channels=list(CHANNELS), locate_ends=False)
    upper = float(result.upper[0])
    photon_min = exp.selection.photon_energy_min if preset == "default" else None
    seed = [ord(c) for c in f"upper{name}{preset}{mass}"]
    counts = [
        _mc_count(np.random.default_rng(seed), exp, mass, d, photon_min, EVENTS, CHANNELS, upper)
        for d in (upper, upper * (1.0 + 1.0e-3))
    ]
    slope = math.log(counts[1][0] / counts[0][0]) / math.log1p(1.0e-3)
    return UpperEdge(upper, _threshold(exp, preset), counts[0][0], counts[0][1], slope)


#: Upper edges: on the beam axis (FASER-2) parents drawn towards the fastest N bring the
#: Monte Carlo error to 0.3-0.4 % of the count, off the axis at 0.05 GeV to 1.2-2.1 %
#: (MAPP-2, MATHUSLA, ANUBIS; paper preset, where the edge is not near the band's tip: the
#: count falls at least as d^-2 there). Elsewhere 10^5 events leave 4-40 % (not checked).
UPPER_CASES = [
    *(("faser2", preset, mass) for preset in ("paper", "default") for mass in (0.02, 0.05)),
    *((name, "paper", 0.05) for name in ("mapp2", "mathusla", "anubis")),
]


#: The W/Z source at the long-lived-particle detectors: scenario D (d_W/d_B = -3.73, where
#: the W and Z dominate), muon flavour, 1 GeV (MATHUSLA 0.5 GeV: no band at 1 GeV), twice
#: :data:`EVENTS` per part.
WZ_CASES = [
    (name, preset, 0.5 if name == "mathusla" else 1.0)
    for name in ("mathusla", "anubis", "codexb", "al3x")
    for preset in ("paper", "default")
]
WZ_SCENARIO = ("D", "mu")
WZ_EVENTS = 2 * EVENTS


def wz_lower_edge(name: str, preset: str, mass: float) -> LowerEdge:
    """The W/Z band (:data:`WZ_SCENARIO`) at ``mass`` (GeV) in the built-in far detector
    ``name`` with ``preset``, and the Monte Carlo count at its lower edge."""
    scenario, flavour = WZ_SCENARIO
    exp = load_far_experiment(name)
    result = far_reach(
        exp, [mass], preset=preset, sources="wz", scenario=scenario, flavour=flavour,
        locate_ends=False,
    )  # fmt: skip
    d95, stated = float(result.d95[0]), float(result.d95_error[0])
    couplings = make_far_couplings(flavour, scenario)
    photon_min = exp.selection.photon_energy_min if preset == "default" else None
    rng = np.random.default_rng([ord(c) for c in f"wz{name}{preset}{mass}"])
    count, error = _mc_count_wz(rng, exp, mass, d95, photon_min, couplings, WZ_EVENTS)
    return LowerEdge(d95, stated, _threshold(exp, preset), count, error)


def _row(name: str, preset: str, source: str, mass: float, events: int, r: LowerEdge) -> str:
    return (
        f"| {name} | {preset} | {source} | {mass:g} | {events:.0e} | "
        f"{100 * r.stated / r.d95:.2f} % | {100 * r.error / r.count / 4:.2f} % | "
        f"{100 * r.shift:+.2f} % | {r.shift / r.sigma:+.2f} |"
    )


if __name__ == "__main__":
    print(
        f"neutral mesons: {', '.join(CHANNELS)}; charged: {', '.join(CHARGED)}; W/Z: scenario "
        f"{WZ_SCENARIO[0]}, flavour {WZ_SCENARIO[1]}\n"
    )
    print(
        "| detector | preset | source | m_N [GeV] | events per channel | stated error of d95 | "
        "Monte Carlo error (in d) | shift of d95 | pull |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    cases = [(case, CHANNELS, 1) for case in CASES]
    cases += [(case, CHARGED, CHARGED_MORE[case[0]]) for case in CHARGED_CASES]
    for (name, preset, mass), channels, more in cases:
        kind = "neutral mesons" if channels == CHANNELS else "charged mesons"
        events = EVENTS * more * MORE_EVENTS.get((name, preset), 1)
        print(
            _row(name, preset, kind, mass, events, lower_edge(name, preset, mass, channels, more))
        )
    for name, preset, mass in WZ_CASES:
        print(_row(name, preset, "W, Z", mass, WZ_EVENTS, wz_lower_edge(name, preset, mass)))
    print(
        "\nUpper edges (neutral mesons; the edge's accuracy "
        f"{100 * UPPER_EDGE_ACCURACY:.2f} %, parents drawn towards the fastest N)\n"
    )
    print(
        "| detector | preset | m_N [GeV] | d95_upper [GeV^-1] | slope d ln N / d ln d | "
        "Monte Carlo error (in d) | shift of the edge | pull |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, preset, mass in UPPER_CASES:
        u = upper_edge(name, preset, mass)
        print(
            f"| {name} | {preset} | {mass:g} | {u.d95_upper:.4e} | {u.slope:.1f} | "
            f"{100 * u.error / u.count / abs(u.slope):.3f} % | {100 * u.shift:+.3f} % | "
            f"{u.shift / u.sigma:+.2f} |"
        )
