"""An independent Monte Carlo of the far-detector count, for the check of the deterministic
bands (``test_far_monte_carlo.py``) and its table (``python tests/reach/far_mc_reference.py``).

Test infrastructure only: it shares none of the bands' integration (no node rule in theta*,
phi* or E*, no tabulated detector, no merged rays, no band solver). Parents are drawn from the
built-in FORESEE tables with probability proportional to their cross section and placed at the
centres of their bins (the convention the deterministic source follows,
``SourceOptions.n_sub = 1``); each decays isotropically in its rest frame (spin 0, or an
unpolarised vector), the N energy drawn from the matrix element (two-body: fixed;
P0 -> gamma nu Nbar: q^2 and the gamma* frame angle from
:func:`~nudipole.physics.mesons.neutral.neutral_pseudoscalar_d2br`, weighted), the N boosted to
the lab exactly; the N's azimuth about the beam is integrated by 8 stratified turns of each
event (one for a volume symmetric about the beam), its segment in the detector taken from the
exact ray-volume intersection of :mod:`nudipole.detectors` (tested against brute-force ray
marching), and it decays inside with probability e^(-l_in/lambda) - e^(-l_out/lambda). With the
``default`` preset the photon is emitted isotropically in the N frame (the model of the
deterministic selection) and must carry the detector's threshold energy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nudipole.api import far_reach
from nudipole.constants import HBARC_GEV_M
from nudipole.detectors import BeamAxisAnnulus, BeamAxisCylinder
from nudipole.experiments.far_schema import FarDetectorExperiment
from nudipole.experiments.registry import load_far_experiment
from nudipole.physics.mesons.neutral import neutral_pseudoscalar_d2br
from nudipole.production.meson_rates import br_per_d2
from nudipole.production.meson_table import channel_info
from nudipole.production.spectra import builtin_spectrum
from nudipole.stats.poisson import expected_signal_limit

CHANNELS = ("pi0", "eta", "rho", "omega")
#: Events per channel, and azimuthal turns per event (one for a volume symmetric about the
#: beam).
EVENTS = 100_000
TURNS = 8


def _energy_in_parent_frame(
    rng: np.random.Generator, name: str, m_n: float, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """(E* of N in GeV, weight = Br per d^2 of the sample) for ``n`` decays of ``name``."""
    info = channel_info(name)
    if info.kind == "vector":  # V -> nu Nbar: two-body
        energy = np.full(n, (info.mass**2 + m_n**2) / (2.0 * info.mass))
        return energy, np.full(n, br_per_d2(name, m_n, "e"))
    assert info.kind == "neutral-pseudoscalar"
    assert info.br_gg is not None
    m_p = info.mass
    lo, hi = math.log(m_n**2), math.log(m_p**2)
    q2 = np.exp(rng.uniform(lo, hi, n))  # proposal: uniform in ln q^2 and in c
    c = rng.uniform(-1.0, 1.0, n)
    density = 1.0 / (q2 * (hi - lo)) * 0.5
    weight = neutral_pseudoscalar_d2br(m_p, info.br_gg, m_n, 1.0, q2, c) / density
    # N (c: its angle in the gamma* frame to the gamma* flight) boosted with the gamma*
    q = np.sqrt(q2)
    e_gs = (m_p**2 + q2) / (2.0 * m_p)
    p_gs = (m_p**2 - q2) / (2.0 * m_p)
    e_1 = (q2 + m_n**2) / (2.0 * q)
    p_1 = (q2 - m_n**2) / (2.0 * q)
    return (e_gs * e_1 + p_gs * p_1 * c) / q, weight


def _mc_count(
    rng: np.random.Generator,
    exp: FarDetectorExperiment,
    m_n: float,
    d: float,
    photon_min: float | None,
    events: int = EVENTS,
) -> tuple[float, float]:
    """Expected events (and the Monte Carlo's standard error) of :data:`CHANNELS` at
    (m_N, d) in ``exp`` from ``events`` decays per channel; ``photon_min``: the photon
    energy threshold (GeV), None for none."""
    gamma = d**2 * m_n**3 / (4.0 * math.pi)  # Dirac N, seed Eq. 4
    total = variance = 0.0
    for name in CHANNELS:
        info = channel_info(name)
        spec = builtin_spectrum(info.pdgid)
        sigma = 2.0 * spec.sigma_pb  # self-conjugate parent: nu Nbar and nubar N
        k = rng.choice(sigma.size, size=events, p=sigma / sigma.sum())
        theta_p = 10.0 ** spec.log10_theta[k]
        p_p = 10.0 ** spec.log10_p[k]
        e_star, weight = _energy_in_parent_frame(rng, name, m_n, events)
        p_star = np.sqrt(np.maximum(e_star**2 - m_n**2, 0.0))
        cos_t = rng.uniform(-1.0, 1.0, events)
        phi = rng.uniform(0.0, 2.0 * math.pi, events)
        sin_t = np.sqrt(1.0 - cos_t**2)
        e_p = np.sqrt(p_p**2 + info.mass**2)
        boost, beta = e_p / info.mass, p_p / e_p
        # along the parent (z'), then turned by theta_P about y
        pz = boost * (p_star * cos_t + beta * e_star)
        px, py = p_star * sin_t * np.cos(phi), p_star * sin_t * np.sin(phi)
        z = pz * np.cos(theta_p) - px * np.sin(theta_p)
        x = pz * np.sin(theta_p) + px * np.cos(theta_p)
        p_n = np.sqrt(x**2 + py**2 + z**2)
        theta_n = np.arccos(np.clip(z / p_n, -1.0, 1.0))
        phi_n = np.arctan2(py, x)
        decay_length = p_n / (m_n * gamma) * HBARC_GEV_M  # metres
        offset = rng.uniform(0.0, 1.0, events)
        inside = np.zeros(events)
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
            cos_g = rng.uniform(-1.0, 1.0, events)
            e_gamma = 0.5 * (e_n + p_n * cos_g)
            inside *= exp.selection.efficiency * (e_gamma >= photon_min)
        counts = exp.luminosity_pb * sigma.sum() * d**2 * weight * inside
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
#: Cases whose count comes from rare events (ANUBIS's shaft with a photon above 1 GeV: 6 %
#: Monte Carlo error with 10^5 events) get more.
MORE_EVENTS = {("anubis", "default"): 8}


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


def lower_edge(name: str, preset: str, mass: float) -> LowerEdge:
    """The band of :data:`CHANNELS` at ``mass`` (GeV) in the built-in far detector ``name``
    with ``preset``, and the Monte Carlo count at its lower edge (seeded by the case)."""
    exp = load_far_experiment(name)
    result = far_reach(exp, [mass], preset=preset, channels=list(CHANNELS), locate_ends=False)
    d95, stated = float(result.d95[0]), float(result.d95_error[0])
    sel = exp.selection
    selected = preset == "default"
    threshold = (
        expected_signal_limit(sel.background, uncertainty=sel.background_uncertainty)
        if selected
        else 3.0
    )
    seed = [ord(c) for c in f"{name}{preset}{mass}"]
    photon_min = sel.photon_energy_min if selected else None
    events = EVENTS * MORE_EVENTS.get((name, preset), 1)
    count, error = _mc_count(np.random.default_rng(seed), exp, mass, d95, photon_min, events)
    return LowerEdge(d95, stated, threshold, count, error)


if __name__ == "__main__":
    print(f"{len(CHANNELS)} channels ({', '.join(CHANNELS)}), {EVENTS} events per channel\n")
    print(
        "| detector | preset | m_N [GeV] | d95 [GeV^-1] | stated error | Monte Carlo error "
        "(in d) | d95 implied by the Monte Carlo | pull |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, preset, mass in CASES:
        r = lower_edge(name, preset, mass)
        print(
            f"| {name} | {preset} | {mass:g} | {r.d95:.4e} | {r.stated / r.d95:.2%} | "
            f"{r.error / r.count / 4:.2%} | {r.shift:+.2%} | {r.shift / r.sigma:+.2f} |"
        )
