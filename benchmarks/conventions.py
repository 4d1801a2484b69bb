"""How each modelling convention moves the limits: the numbers behind docs/conventions.md.

Run:  python benchmarks/conventions.py  (about a minute). Prints a Markdown table of d95 at
several masses for the seed's headline curves under each convention, starting from the
`paper` preset and switching one convention at a time, up to the `default` preset.
"""

from __future__ import annotations

import nudipole

CURVES = [
    ("BESIII 27 fb^-1", dict(experiment="besiii"), 1.3e-5),
    ("Belle II low-mass", dict(experiment="belle2", selection="low-mass"), 8e-6),
    ("Belle II bBG", dict(experiment="belle2", selection="bbg"), 2e-6),
    ("STCF 4 GeV 30/ab", dict(experiment="stcf", sqrt_s=4.0, lumi="30/ab"), 1.3e-6),
]

VARIANTS = [
    ("paper: isotropic, both, fixed l_D", dict(preset="paper")),
    ("paper + one-minus-cos (seed text)", dict(preset="paper", photon_angular="one-minus-cos")),
    ("paper + N nubar only", dict(preset="paper", charge_states="n-only")),
    ("paper + spin-correlated", dict(preset="paper", photon_angular="spin-correlated")),
    ("paper + lab-volume decay", dict(preset="paper", decay_model="lab-volume")),
    ("paper + gmu scheme (running alpha)", dict(preset="paper", ew_scheme="gmu")),
    ("default: spin-corr., both, lab-volume", dict(preset="default")),
    ("default + asimov statistic", dict(preset="default", statistic="asimov")),
]

MASSES = [0.05, 0.2, 1.0, 3.0]


def main() -> None:
    header = (
        "| convention | " + " | ".join(f"{c[0]} @ {m} GeV" for c in CURVES for m in (1.0,)) + " |"
    )
    print(header)
    print("|" + "---|" * (1 + len(CURVES)))
    for name, kw in VARIANTS:
        cells = []
        for _, ckw, published in CURVES:
            r = nudipole.reach(
                ckw["experiment"],
                [1.0],
                **{k: v for k, v in ckw.items() if k != "experiment"},
                **kw,
            )
            cells.append(f"{r.d95[0]:.3g} ({r.d95[0] / published:.2f})")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    print("Ratio default / paper versus mass:")
    print("| curve | " + " | ".join(f"{m} GeV" for m in MASSES) + " |")
    print("|" + "---|" * (1 + len(MASSES)))
    for label, ckw, _ in CURVES:
        extra = {k: v for k, v in ckw.items() if k != "experiment"}
        p = nudipole.reach(ckw["experiment"], MASSES, preset="paper", **extra).d95
        d = nudipole.reach(ckw["experiment"], MASSES, preset="default", **extra).d95
        print(f"| {label} | " + " | ".join(f"{x:.2f}" for x in d / p) + " |")


if __name__ == "__main__":
    main()
