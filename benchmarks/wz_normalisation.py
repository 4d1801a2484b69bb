"""Leading-order transfer factors that carry the measured 13 TeV W and Z cross sections to 14 TeV.

Run:  python benchmarks/wz_normalisation.py [--events N] [--variations N]   (about 3 minutes)

The W/Z -> N source is normalised to the ATLAS 13 TeV total cross sections (PLB 759 (2016) 601,
arXiv:1603.09222; numbers in ``src/nudipole/data/spectra/wz/normalisation.toml``). This script
computes, with Pythia 8 at the matrix-element level (PartonLevel:all = off: showers change the
shape of an event, not the inclusive cross section), the factors that turn them into total
14 TeV cross sections:

* W+ and W-: T = sigma(pp -> W+-, 14 TeV) / sigma(pp -> W+-, 13 TeV), process
  WeakSingleBoson:ffbar2W, charges counted in the process record;
* Z: T = f_window x R, with f_window = sigma(Z only -> e+e-, full Breit-Wigner) /
  sigma(gamma*/Z -> e+e-, 66 < m_ee < 116 GeV) at 13 TeV (the measured quantity is Z/gamma* in
  the window) and R = sigma(Z only, 14 TeV) / sigma(Z only, 13 TeV), process
  WeakSingleBoson:ffbar2gmZ with WeakZ0:gmZmode = 2 (Z only) or 0 (full gamma*/Z).

The central value uses Pythia's default PDF (PDF:pSet = 13, NNPDF2.3 QCD+QED LO, the one of the
shipped tables); the same factors with the NNLO sets pSet = 16 (NNPDF2.3 QCD+QED NNLO) and 20
(NNPDF3.1 QCD+LUXQED NNLO) give the spread quoted as the factor's PDF uncertainty. Paste the
printed factors into the ``transfer_factor``, ``transfer_stat`` and ``transfer_pdf`` fields of
``normalisation.toml``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import math
import time
from dataclasses import dataclass

import pythia8mc

SEED = 20250914
SQRT_S_MEASURED = 13000.0
SQRT_S_TARGET = 14000.0
DEFAULT_PSET = 13
VARIATION_PSETS = (16, 20)
_MB_TO_PB = 1.0e9
COMMON = (
    "Print:quiet = on",
    "Beams:idA = 2212",
    "Beams:idB = 2212",
    "PartonLevel:all = off",
    "HadronLevel:all = off",
    "ProcessLevel:resonanceDecays = off",
    "Random:setSeed = on",
)
W_PROCESS = ("WeakSingleBoson:ffbar2W = on",)
Z_ONLY_EE = (
    "WeakSingleBoson:ffbar2gmZ = on",
    "WeakZ0:gmZmode = 2",
    "23:onMode = off",
    "23:onIfAny = 11",
)
GAMMA_Z_WINDOW_EE = (
    "WeakSingleBoson:ffbar2gmZ = on",
    "WeakZ0:gmZmode = 0",
    "23:onMode = off",
    "23:onIfAny = 11",
    "PhaseSpace:mHatMin = 66.",
    "PhaseSpace:mHatMax = 116.",
)


@dataclass
class Run:
    """sigma (pb) and its statistical error, and the fraction of events with a W+."""

    sigma_pb: float
    error_pb: float
    plus_fraction: float
    events: int


def run(settings: tuple[str, ...], energy: float, pset: int, seed: int, events: int) -> Run:
    pythia = pythia8mc.Pythia("", False)
    for line in (*COMMON, *settings, f"Beams:eCM = {energy!r}", f"Random:seed = {seed}",
                 f"PDF:pSet = {pset}"):  # fmt: skip
        if not pythia.readString(line):
            raise SystemExit(f"Pythia refused {line!r}")
    if not pythia.init():
        raise SystemExit(f"Pythia failed to initialise: {settings}")
    plus = 0
    for _ in range(events):
        if not pythia.next():
            raise SystemExit("Pythia failed an event")
        process = pythia.process
        for i in range(process.size()):
            if process[i].id() == 24:
                plus += 1
                break
    info = pythia.infoPython()
    return Run(info.sigmaGen() * _MB_TO_PB, info.sigmaErr() * _MB_TO_PB, plus / events, events)


def ratio(num: float, num_err: float, den: float, den_err: float) -> tuple[float, float]:
    value = num / den
    return value, value * math.hypot(num_err / num, den_err / den)


def charge(r: Run, sign: int) -> tuple[float, float]:
    """sigma(W+) or sigma(W-) in pb with its error (sigmaGen and binomial errors)."""
    frac = r.plus_fraction if sign > 0 else 1.0 - r.plus_fraction
    frac_err = math.sqrt(r.plus_fraction * (1.0 - r.plus_fraction) / r.events)
    value = r.sigma_pb * frac
    return value, value * math.hypot(r.error_pb / r.sigma_pb, frac_err / frac)


def factors(pset: int, events: int, seed: int) -> dict[str, tuple[float, float]]:
    w13 = run(W_PROCESS, SQRT_S_MEASURED, pset, seed, events)
    w14 = run(W_PROCESS, SQRT_S_TARGET, pset, seed + 1, events)
    z13_window = run(GAMMA_Z_WINDOW_EE, SQRT_S_MEASURED, pset, seed + 2, events)
    z13 = run(Z_ONLY_EE, SQRT_S_MEASURED, pset, seed + 3, events)
    z14 = run(Z_ONLY_EE, SQRT_S_TARGET, pset, seed + 4, events)
    out = {
        "W+": ratio(*charge(w14, +1), *charge(w13, +1)),
        "W-": ratio(*charge(w14, -1), *charge(w13, -1)),
        "Z window": ratio(z13.sigma_pb, z13.error_pb, z13_window.sigma_pb, z13_window.error_pb),
        "Z energy": ratio(z14.sigma_pb, z14.error_pb, z13.sigma_pb, z13.error_pb),
    }
    window, energy = out["Z window"], out["Z energy"]
    value = window[0] * energy[0]
    out["Z"] = (value, value * math.hypot(window[1] / window[0], energy[1] / energy[0]))
    out["sigma W+ 14 TeV LO pb"] = charge(w14, +1)
    out["sigma W- 14 TeV LO pb"] = charge(w14, -1)
    out["sigma Z 14 TeV LO pb (x B(Z->ee) of Pythia)"] = (z14.sigma_pb, z14.error_pb)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="per run, default PDF")
    parser.add_argument("--variations", type=int, default=300_000, help="per run, other PDFs")
    args = parser.parse_args()
    start = time.perf_counter()
    version = importlib.metadata.version("pythia8mc")
    central = factors(DEFAULT_PSET, args.events, SEED)
    others = {p: factors(p, args.variations, SEED + 10 * p) for p in VARIATION_PSETS}
    print(f"pythia8mc {version}, seed {SEED}, {args.events} events per run (pSet "
          f"{DEFAULT_PSET}), {args.variations} per run for pSet {VARIATION_PSETS}; "
          f"{time.perf_counter() - start:.0f} s")  # fmt: skip
    for key, (value, err) in central.items():
        spread = [others[p][key][0] / value - 1.0 for p in VARIATION_PSETS]
        text = ", ".join(
            f"pSet {p}: {s:+.4f}" for p, s in zip(VARIATION_PSETS, spread, strict=True)
        )
        print(f"{key:45s} {value:.6g} +- {err:.2g} (stat)   relative to pSet 13: {text}")
    for key, name in (("W+", "w_plus"), ("W-", "w_minus"), ("Z", "z")):
        value, err = central[key]
        pdf = max(abs(others[p][key][0] / value - 1.0) for p in VARIATION_PSETS) * value
        print(f"[{name}] transfer_factor = {value:.5f}  # stat {err:.5f}, PDF spread {pdf:.5f}")


if __name__ == "__main__":
    main()
