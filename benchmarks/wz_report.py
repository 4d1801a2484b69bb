"""Numbers of docs/lhc-wz.md: the W/Z source at the LHC far detectors (issue 9).

Run:  python benchmarks/wz_report.py [--section all|bands|polarisation|tilt|scenarios|
                                      limits|mesons|visible|tables|sin2w|universal]

Every number in docs/lhc-wz.md comes from one of these sections (paper preset unless said,
d_tau, 3 ab^-1 / 300 fb^-1 / 250 fb^-1 as in the detector files). ``--section docs`` prints
the seven tables that ``docs/make_figures.py --only numbers`` writes there between their
markers (:data:`DOC_TABLES`).
"""

from __future__ import annotations

import argparse
import math

import numpy as np

from nudipole.api import far_detector_events, far_reach
from nudipole.constants import SIN2_THETA_W
from nudipole.io.markdown import markdown_table, sci
from nudipole.limits import load_catalogue
from nudipole.limits.newground import Interval, envelope, new_ground_band_intervals
from nudipole.model import DipoleCouplings, Flavour, Nature
from nudipole.physics import decay_ew
from nudipole.physics.couplings import ratios_from_a, scenario_a, scenario_ratios
from nudipole.production.boson_spectra import boson_spectrum
from nudipole.reach.far_couplings import make_far_couplings

LLP = ("faser2", "facet", "mapp2", "mathusla", "anubis", "codexb", "al3x")
BAND_MASSES = (0.01, 0.1, 0.3, 1.0, 2.0)


def _band(lo: float, hi: float) -> str:
    return "none" if math.isnan(lo) else f"{lo:.2e} - {hi:.2e}"


def bands() -> None:
    print("## bands d_gamma [GeV^-1], d_tau, sources=wz, paper preset")
    print("\n".join(wz_band_lines()))
    print("## other detectors, scenario C/D, m_N = 0.1 and 1 GeV")
    for det in ("facet", "mapp2", "codexb", "al3x"):
        for sc in ("C", "D"):
            r = far_reach(
                det,
                [0.1, 1.0],
                preset="paper",
                sources="wz",
                scenario=sc,
                flavour="tau",
                error_estimate=False,
            )
            cells = " | ".join(_band(lo, hi) for lo, hi in zip(r.d95, r.upper, strict=True))
            print(f"| {det} | {sc} | {cells} |")
    print("## default preset (photon selection), scenario D, m_N = 0.1, 1 GeV")
    for det in ("faser2", "mathusla", "anubis"):
        r = far_reach(
            det, [0.1, 1.0], sources="wz", scenario="D", flavour="tau", error_estimate=False
        )
        print(det, [_band(lo, hi) for lo, hi in zip(r.d95, r.upper, strict=True)])


def polarisation_lines() -> list[str]:
    """N heading into each detector per N produced (m_N = 1 GeV, scenario D, d_tau) with
    unpolarised and leading-order polarised bosons, their ratio for the W and the Z, and the
    ratio lo / unpolarised of the band edges at 0.1 GeV."""
    rows = []
    for det in LLP:
        acc = {}
        for pol in ("lo", "unpolarised"):
            events = far_detector_events(
                det,
                1.0,
                1e-8,
                preset="paper",
                sources="wz",
                scenario="D",
                flavour="tau",
                boson_polarisation=pol,
            )
            acc[pol] = {r.channel: r.heading / r.produced for r in events}
        w = acc["lo"]["W"] / acc["unpolarised"]["W"]
        z = acc["lo"]["Z"] / acc["unpolarised"]["Z"]
        edges = []
        for pol in ("lo", "unpolarised"):
            r = far_reach(
                det,
                [0.1],
                preset="paper",
                sources="wz",
                scenario="D",
                flavour="tau",
                boson_polarisation=pol,
                error_estimate=False,
            )
            edges.append((r.d95[0], r.upper[0]))
        lo_ratio = edges[0][0] / edges[1][0]
        hi_ratio = edges[0][1] / edges[1][1]
        rows.append(
            [
                TITLES[det],
                _sci(acc["unpolarised"]["W"], 3, always=acc["unpolarised"]["W"] < 0.1),
                _sci(acc["lo"]["W"], 3, always=acc["lo"]["W"] < 0.1),
                f"{w:.3f}",
                f"{z:.3f}",
                f"{lo_ratio:.2f} / {hi_ratio:.2f}",
            ]
        )
    header = ["detector", "acceptance, unpolarised", "acceptance, lo", "lo/unpol. (W)"]
    return markdown_table([*header, "lo/unpol. (Z)", "lower / upper edge at 0.1 GeV"], rows)


def polarisation() -> None:
    print("## heading / produced: lo vs unpolarised (m_N = 1 GeV, scenario D, d_tau)")
    print("\n".join(polarisation_lines()))


def _tilt(pt: np.ndarray, pz: np.ndarray, mass: float) -> np.ndarray:
    """Angle (rad) between the boson's flight direction and the Collins-Soper axis (the
    bisector of the two beams) in the boson rest frame, the smaller of the angles to +-axis."""
    e = np.sqrt(mass**2 + pt**2 + pz**2)
    p = np.stack([pt, np.zeros_like(pt), pz], axis=1)
    b = p / e[:, None]
    g = e / mass
    bb = np.sum(b * b, axis=1)

    def boost(e0: float, v: np.ndarray) -> np.ndarray:
        vb = v @ b.T
        gp = (g - 1.0) * vb / bb
        return v[None, :] + gp[:, None] * b - (g * e0)[:, None] * b

    d1 = boost(1.0, np.array([0.0, 0.0, 1.0]))
    d2 = boost(1.0, np.array([0.0, 0.0, -1.0]))
    d1 /= np.linalg.norm(d1, axis=1)[:, None]
    d2 /= np.linalg.norm(d2, axis=1)[:, None]
    cs = d1 - d2
    cs /= np.linalg.norm(cs, axis=1)[:, None]
    h = p / np.linalg.norm(p, axis=1)[:, None]
    return np.arccos(np.clip(np.abs(np.sum(cs * h, axis=1)), 0.0, 1.0))


def tilt() -> None:
    print("## spin axis (Collins-Soper) vs flight direction: <P2(cos delta)> over the tables")
    from nudipole.constants import M_W, M_Z

    for pid, mass in ((24, M_W), (-24, M_W), (23, M_Z)):
        s = boson_spectrum(pid, "forward")
        th, p, sig = 10.0**s.log10_theta, 10.0**s.log10_p, s.sigma_pb
        delta = _tilt(p * np.sin(th), p * np.cos(th), mass)
        p2 = 1.0 - 1.5 * np.sin(delta) ** 2
        for name, sel in (
            ("all", th > 0),
            ("theta < 0.01", th < 0.01),
            ("0.01 < theta < 0.1", (th > 0.01) & (th < 0.1)),
            ("0.3 < theta < 1.3", (th > 0.3) & (th < 1.3)),
        ):
            w = sig[sel]
            mean_p2 = np.dot(w, p2[sel]) / w.sum()
            median = np.degrees(np.median(delta[sel]))
            print(
                f"pdg {pid} {name}: <P2> = {mean_p2:.3f}, median delta = {median:.1f} deg, "
                f"sigma fraction {w.sum() / sig.sum():.3f}"
            )


def scenarios() -> None:
    print("## couplings and the W/Z rate at fixed d_gamma (relative to scenario C)")
    r_c = scenario_ratios("C", SIN2_THETA_W)
    for sc in ("A", "B", "C", "D", "I", "II", "III", "IV"):
        r = scenario_ratios(sc, SIN2_THETA_W)
        a = scenario_a(sc, SIN2_THETA_W)
        print(
            f"| {sc} | {'inf' if a is None else f'{a:.4g}'} | {r.dz_over_dgamma:.4g} | "
            f"{r.dw_over_dgamma:.4g} | {(r.dw_over_dgamma / r_c.dw_over_dgamma) ** 2:.3g} | "
            f"{(r.dz_over_dgamma / r_c.dz_over_dgamma) ** 2:.3g} |"
        )
    pole = -2.0 * math.sqrt((1.0 - SIN2_THETA_W) / SIN2_THETA_W)
    print(f"pole a = {pole:.5f}")
    for a in (-1.0, -2.0, -3.0, -3.3, -3.5, -3.6, -3.73, -4.0, -5.0, -10.0):
        r = ratios_from_a(a, SIN2_THETA_W)
        rate = (r.dw_over_dgamma / r_c.dw_over_dgamma) ** 2
        print(
            f"a = {a:g}: d_W/d_gamma = {r.dw_over_dgamma:.4g}, d_Z/d_gamma = "
            f"{r.dz_over_dgamma:.4g}, W rate / C = {rate:.3g}"
        )
    print("## MATHUSLA, d_tau, m_N = 0.3 GeV: lower band edge vs a (sources wz)")
    for a in (-2.0, -3.0, -3.3, -3.5, -3.6, -3.73, -4.0):
        r = far_reach(
            "mathusla",
            [0.3],
            preset="paper",
            sources="wz",
            a=a,
            flavour="tau",
            error_estimate=False,
        )
        print(f"a = {a:g}: {_band(r.d95[0], r.upper[0])}")


def limits() -> None:
    print("## new ground for d_tau (paper preset, seed's Fig. 3 limits), sources=wz")
    lim = load_catalogue().paper_set().for_flavour(Flavour.TAU)
    print("existing (top) envelope at 0.01, 0.1, 1 GeV:", envelope(lim, np.array([0.01, 0.1, 1.0])))
    for sc in ("C", "D"):
        for det in LLP:
            ivs, best = _wz_ground(det, sc)
            free = ", ".join(f"{iv.low:.3g}-{iv.high:.3g}" for iv in ivs) or "none"
            print(f"| {sc} | {det} | {free} | {best:.2e} |")


def _wz_ground(det: str, scenario: str) -> tuple[list[Interval], float]:
    """New ground of ``det``'s W/Z band for d_tau against the seed's Fig. 3 limits
    (paper preset, :data:`WZ_SCAN`), and the lowest d_gamma of the band."""
    lim = load_catalogue().paper_set().for_flavour(Flavour.TAU)
    r = far_reach(
        det,
        WZ_SCAN,
        preset="paper",
        sources="wz",
        scenario=scenario,
        flavour="tau",
        error_estimate=False,
    )
    return new_ground_band_intervals(lim, r.mass, r.d95, r.upper), float(np.nanmin(r.d95))


def mesons() -> None:
    print("## mesons vs W/Z in A, B, C, D: lower edge (d_tau, paper) at 0.05 and 0.3 GeV")
    for det in ("faser2", "mathusla", "anubis"):
        for sc in ("A", "B", "C", "D"):
            row = []
            for src in ("mesons", "wz", "mesons,wz"):
                r = far_reach(
                    det,
                    [0.05, 0.3],
                    preset="paper",
                    sources=src,
                    scenario=sc,
                    flavour="tau",
                    error_estimate=False,
                )
                row.append(" / ".join("none" if math.isnan(v) else f"{v:.2e}" for v in r.d95))
            print(f"| {det} | {sc} | " + " | ".join(row) + " |")


def visible() -> None:
    print("## Br(N -> nu gamma) and the other visible decays (d_tau)")
    for sc in ("C", "D"):
        r = scenario_ratios(sc, SIN2_THETA_W)
        for m in (1.0, 3.0, 5.0, 10.0, 20.0, 30.0, 50.0):
            cpl = make_far_couplings("tau", sc, signal="visible")
            _, br_v = cpl.signal_fractions(m, Nature.DIRAC)
            c = {Flavour.TAU: DipoleCouplings(1.0, r.dz_over_dgamma, r.dw_over_dgamma)}
            total = float(decay_ew.branching_ratio_nu_gamma(m, c))
            print(f"{sc} m = {m:g}: Br(nu gamma) = {total:.6g}, other visible = {br_v:.3g}")
    for det in ("mathusla", "anubis"):
        for sc in ("C", "D"):
            out = []
            for signal in ("photon", "visible"):
                res = far_reach(
                    det,
                    [1.0, 2.0],
                    preset="paper",
                    sources="wz",
                    scenario=sc,
                    flavour="tau",
                    signal=signal,
                    error_estimate=False,
                )
                out.append((res.d95, res.upper))
            ratio_lo = out[1][0] / out[0][0]
            ratio_hi = out[1][1] / out[0][1]
            print(f"{det} {sc}: visible/photon lower {ratio_lo}, upper {ratio_hi}")


def tables() -> None:
    print("## foresee (mirrored forward LO) vs pythia tables, scenario D, d_tau, 0.1 and 1 GeV")
    for det in ("faser2", "mathusla", "anubis"):
        out = []
        for t in ("pythia", "foresee"):
            r = far_reach(
                det,
                [0.1, 1.0],
                preset="paper",
                sources="wz",
                scenario="D",
                flavour="tau",
                wz_tables=t,
                error_estimate=False,
            )
            out.append((r.d95, r.upper))
        print(f"{det}: lower foresee/pythia {out[1][0] / out[0][0]}, upper {out[1][1] / out[0][1]}")


def sin2w() -> None:
    print("## scenario D at the talk's sin^2 theta_w = 0.2293 vs the package default")
    for s2 in (SIN2_THETA_W, 0.2293):
        r = scenario_ratios("D", s2)
        res = far_reach(
            "mathusla",
            [0.3, 1.0],
            preset="paper",
            sources="wz",
            scenario="D",
            sin2w=s2,
            flavour="tau",
            error_estimate=False,
        )
        print(
            f"sin2w {s2}: d_Z/d_gamma {r.dz_over_dgamma:.4g}, d_W/d_gamma {r.dw_over_dgamma:.4g}, "
            f"bands {[_band(lo, hi) for lo, hi in zip(res.d95, res.upper, strict=True)]}"
        )


#: (scenario, detector, masses) of the flavour-universal table (docs/lhc-wz.md, The sqrt(3)
#: relation).
UNIVERSAL_CASES = (
    ("C", "mathusla", (0.01, 0.2, 1.0)),
    ("C", "faser2", (0.01, 0.05)),
    ("D", "mathusla", (0.01, 0.5, 3.0)),
    ("D", "faser2", (0.05, 0.5)),
)


def universal_lines() -> list[str]:
    """The flavour-universal W/Z band against the d_tau band / sqrt(3) (default preset) at
    the masses of :data:`UNIVERSAL_CASES`."""
    rows = []
    for scenario, name, masses in UNIVERSAL_CASES:
        runs = {
            flavour: far_reach(
                name,
                list(masses),
                preset="default",
                sources="wz",
                scenario=scenario,
                flavour=flavour,
                locate_ends=False,
                error_estimate=False,
            )
            for flavour in ("universal", "tau")
        }
        uni, tau = runs["universal"], runs["tau"]
        for i, m in enumerate(masses):
            ratio_lo = tau.d95[i] / (math.sqrt(3.0) * uni.d95[i])
            ratio_hi = tau.upper[i] / (math.sqrt(3.0) * uni.upper[i])
            rows.append(
                [
                    scenario,
                    TITLES[name],
                    f"{m:g}",
                    f"{_sci(uni.d95[i], 4, True)} – {_sci(uni.upper[i], 4, True)}",
                    f"{_sci(tau.d95[i], 4, True)} – {_sci(tau.upper[i], 4, True)}",
                    f"{ratio_lo:.4f} / {ratio_hi:.4f}",
                ]
            )
    header = ["scenario", "detector", "m_N [GeV]", "universal band [GeV⁻¹]", "d_τ band [GeV⁻¹]"]
    return markdown_table([*header, "d_τ / (√3 × universal), low / high edge"], rows)


def universal() -> None:
    print("## flavour-universal band vs d_tau / sqrt(3) (default preset, sources=wz)")
    print("\n".join(universal_lines()))


TITLES = {
    "faser2": "FASER-2",
    "facet": "FACET",
    "mapp2": "MAPP-2",
    "mathusla": "MATHUSLA",
    "anubis": "ANUBIS",
    "codexb": "CODEX-b",
    "al3x": "AL3X",
}


def _sci(value: float, digits: int = 2, always: bool = False) -> str:
    """``value`` with ``digits`` significant digits as docs/lhc-wz.md writes it: 4.1e-5 in
    scientific notation below 0.01 (or ``always``), else 0.042, 0.020, 11.60, 86; "none"
    for NaN, "0" for zero."""
    if math.isnan(value):
        return "none"
    if value == 0.0:
        return "0"
    if not always and 0.01 <= abs(value) < 1e4:
        # trailing zeros kept below 100 (0.020, 11.60), none after a whole number (86, 127)
        whole = abs(value) >= 10 ** (digits - 1) or value == round(value)
        text = f"{value:.0f}" if whole else f"{value:#.{digits}g}"
        return text.rstrip(".").replace("-", "−")
    text = sci(value, digits)
    return "−" + text[1:] if text.startswith("-") else text


#: The scenarios of the coupling table, with their names there.
RATE_SCENARIOS = (
    ("A", "A (I)"),
    ("B", "B (III)"),
    ("II", "II"),
    ("IV", "IV"),
    ("C", "C"),
    ("D", "D"),
)


def rate_lines() -> list[str]:
    """a, d_Z/d_gamma, d_W/d_gamma of each scenario at the package's sin^2 theta_w, and the W
    and Z rates at fixed d_gamma relative to scenario C ((d_W/d_gamma)^2, (d_Z/d_gamma)^2)."""
    r_c = scenario_ratios("C", SIN2_THETA_W)
    rows: list[list[str]] = [
        ["a = d_W/d_B"],
        ["d_Z/d_γ"],
        ["d_W/d_γ"],
        ["W rate / C"],
        ["Z rate / C"],
    ]
    for sc, _ in RATE_SCENARIOS:
        r = scenario_ratios(sc, SIN2_THETA_W)
        a = scenario_a(sc, SIN2_THETA_W)
        rows[0].append("∞" if a is None else f"{a:.4g}".replace("-", "−"))
        rows[1].append(_sci(r.dz_over_dgamma, 4))
        rows[2].append(_sci(r.dw_over_dgamma, 4))
        rows[3].append(_sci((r.dw_over_dgamma / r_c.dw_over_dgamma) ** 2))
        rows[4].append(_sci((r.dz_over_dgamma / r_c.dz_over_dgamma) ** 2))
    return markdown_table(["", *(name for _, name in RATE_SCENARIOS)], rows)


#: Masses (GeV) of the visible-decay table.
VISIBLE_MASSES = (1.0, 3.0, 5.0, 10.0, 20.0, 30.0, 50.0)


def visible_lines() -> list[str]:
    """The other visible decays of N (d_tau) as a fraction of all its decays, scenarios C and
    D, at :data:`VISIBLE_MASSES` (what ``--signal visible`` adds to N -> nu gamma)."""
    rows = []
    for sc in ("C", "D"):
        cpl = make_far_couplings("tau", sc, signal="visible")
        rows.append([sc, *(_sci(cpl.signal_fractions(m, Nature.DIRAC)[1]) for m in VISIBLE_MASSES)])
    return markdown_table(["m_N [GeV]", *(f"{m:g}" for m in VISIBLE_MASSES)], rows)


#: The W/Z bands' scan: masses (GeV) on which the lowest d_gamma and the band's end are found.
WZ_SCAN = np.geomspace(1e-3, 9.4, 60)


def wz_band_lines() -> list[str]:
    """The W/Z bands of d_gamma (d_tau, paper preset) of FASER-2, MATHUSLA and ANUBIS in
    scenarios C and D at :data:`BAND_MASSES`, their stated error (largest d95_error / d95),
    the lowest d_gamma on :data:`WZ_SCAN` and the mass at which the band closes."""
    rows = []
    for det in ("faser2", "mathusla", "anubis"):
        for sc in ("C", "D"):
            kw: dict[str, str] = dict(preset="paper", sources="wz", scenario=sc, flavour="tau")
            r = far_reach(det, list(BAND_MASSES), error_estimate=True, **kw)  # type: ignore[arg-type]
            cells = [
                "none" if math.isnan(lo) else f"{_sci(lo, always=True)} – {_sci(hi, always=True)}"
                for lo, hi in zip(r.d95, r.upper, strict=True)
            ]
            err = float(np.nanmax(r.d95_error / r.d95))
            full = far_reach(det, WZ_SCAN, error_estimate=False, **kw)  # type: ignore[arg-type]
            i = int(np.nanargmin(full.d95))
            ends = [e.mass for e in full.band_ends if e.side == "upper"]
            close = f"{max(ends):.3g} GeV" if ends else "–"
            rows.append(
                [
                    TITLES[det],
                    sc,
                    *cells,
                    f"{100 * err:.1f} %",
                    f"{_sci(full.d95[i], always=True)} ({full.mass[i]:.2g} GeV)",
                    close,
                ]
            )
    header = ["detector", "scenario", *(f"{m:g} GeV" for m in BAND_MASSES)]
    return markdown_table([*header, "stated error", "lowest d_γ", "closes at"], rows)


def wz_ground_lines() -> list[str]:
    """New ground (GeV) of each detector's W/Z band for d_tau against the seed's Fig. 3
    limits, scenarios C and D (paper preset, :data:`WZ_SCAN`)."""
    rows = []
    for sc in ("C", "D"):
        row = [sc]
        for det in LLP:
            ivs, _ = _wz_ground(det, sc)
            row.append(", ".join(f"{iv.low:#.2g}–{iv.high:#.3g}" for iv in ivs) or "none")
        rows.append(row)
    return markdown_table(["scenario", *(TITLES[d] for d in LLP)], rows)


def meson_wz_lines() -> list[str]:
    """Lower band edge (GeV^-1; d_tau, paper) at 0.05 GeV from the mesons / the W/Z source /
    both, of FASER-2, MATHUSLA and ANUBIS in scenarios A-D."""
    rows = []
    for det in ("faser2", "mathusla", "anubis"):
        row = [TITLES[det]]
        for sc in ("A", "B", "C", "D"):
            edges = [
                far_reach(
                    det,
                    [0.05],
                    preset="paper",
                    sources=src,
                    scenario=sc,
                    flavour="tau",
                    error_estimate=False,
                ).d95[0]
                for src in ("mesons", "wz", "mesons,wz")
            ]
            row.append(" / ".join(_sci(v, 3, always=True) for v in edges))
        rows.append(row)
    return markdown_table(["detector", "A", "B", "C", "D"], rows)


#: The tables of docs/lhc-wz.md (marker tag: function).
DOC_TABLES = {
    "polarisation-table": polarisation_lines,
    "visible-table": visible_lines,
    "rate-table": rate_lines,
    "wz-band-table": wz_band_lines,
    "wz-ground-table": wz_ground_lines,
    "meson-wz-table": meson_wz_lines,
    "universal-table": universal_lines,
}


def docs() -> None:
    for tag, func in DOC_TABLES.items():
        print(f"\n## {tag}\n")
        print("\n".join(func()))


SECTIONS = {
    "bands": bands,
    "polarisation": polarisation,
    "tilt": tilt,
    "scenarios": scenarios,
    "limits": limits,
    "mesons": mesons,
    "visible": visible,
    "tables": tables,
    "sin2w": sin2w,
    "universal": universal,
    "docs": docs,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--section", default="all", choices=["all", *SECTIONS])
    args = parser.parse_args()
    for name, func in SECTIONS.items():
        if args.section in ("all", name):
            func()


if __name__ == "__main__":
    main()
