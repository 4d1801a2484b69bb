"""The shipped catalogue of existing limits: provenance, units, geometry and file quirks."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import numpy as np
import pytest

from nudipole.constants import ALPHA_EM, M_ELECTRON
from nudipole.limits import load_catalogue
from nudipole.limits.catalogue import Z_90, Z_95, convert_units, read_two_columns
from nudipole.limits.newground import coverage_start, envelope
from nudipole.model import Flavour

DATA = resources.files("nudipole.data.existing_limits")
CATALOGUE = load_catalogue()
RAW = tomllib.loads(DATA.joinpath("catalogue.toml").read_text("utf-8"))["limit"]

#: The families the issue names, per flavour (ids in catalogue.toml).
EXPECTED = {
    Flavour.E: {"borexino", "xenon1t", "lep", "sn1987a", "bbn", "lsnd", "sk-atm-e"},
    Flavour.MU: {"borexino", "xenon1t", "lep", "sn1987a", "bbn", "charm2", "miniboone", "nomad",
                 "sk-atm-mu"},
    Flavour.TAU: {"borexino", "xenon1t", "lep", "sn1987a", "bbn", "donut", "sk-atm-tau"},
}  # fmt: skip
#: The limits the seed drew in its Fig. 3 (Sec. III and caption).
SEED_FIG3 = {"borexino", "xenon1t", "lep", "sn1987a", "lsnd", "charm2", "miniboone", "nomad",
             "donut"}  # fmt: skip


def header(name: str) -> str:
    return "\n".join(
        line for line in DATA.joinpath(name).read_text("utf-8").splitlines()[:2]
        if line.startswith("#")
    )  # fmt: skip


def loglog_interp(curve: np.ndarray, m: float) -> float:
    order = np.argsort(curve[:, 0])
    x, y = np.log(curve[order, 0]), np.log(curve[order, 1])
    return float(np.exp(np.interp(np.log(m), x, y)))


# ----------------------------------------------------------------------------- provenance
def test_every_family_of_the_issue_is_there() -> None:
    for flavour, ids in EXPECTED.items():
        assert ids <= set(CATALOGUE.for_flavour(flavour).ids()), flavour


def test_paper_set_is_exactly_the_seed_fig3_set() -> None:
    assert set(CATALOGUE.paper_set().ids()) == SEED_FIG3


def test_every_entry_is_cited_and_its_files_and_licence_are_shipped() -> None:
    assert "MIT" in DATA.joinpath("LICENSE-HNLimits").read_text("utf-8")
    for lim in CATALOGUE:
        assert re.fullmatch(r"\d{4}\.\d{4,5}|hep-ex/\d{7}", lim.arxiv), lim.id
        assert re.search(r"\(\d{4}\) \d+", lim.reference), lim.id  # journal (year) page
        assert lim.cl in (0.90, 0.95)
        assert lim.category in ("terrestrial", "astrophysical", "cosmological")
        assert lim.notes
        for name in lim.files:
            assert DATA.joinpath(name).is_file()


@pytest.mark.parametrize("entry", RAW, ids=[e["id"] for e in RAW])
def test_catalogue_fields_agree_with_each_file_header(entry: dict) -> None:
    """Units, CL and arXiv number in catalogue.toml are those the file headers state."""
    for name in entry["files"]:
        text = header(name)
        cl = re.search(r"(\d\d)% ?CL", text)
        assert cl is not None, name
        assert int(cl.group(1)) == round(100 * entry["cl"]), name
        assert f"arXiv: {entry['arxiv']}" in text, name
        mass_unit = re.search(r"\[(MeV|GeV)\]", text)
        assert mass_unit is not None, name
        assert mass_unit.group(1) == entry["mass_unit"], name
        stated_mu_b = r"[\mu_B]" in text
        assert stated_mu_b == (entry["coupling_unit"] == "mu_B"), name


def test_bbn_header_is_mislabelled_and_the_catalogue_says_so() -> None:
    """The BBN file's header was copied from the Borexino file; it is the BBN curve of the same
    paper. The entry is labelled BBN and its note records the quirk."""
    assert "from Borexino data" in header("BBN_muB.dat")
    bbn = CATALOGUE.get("bbn")
    assert bbn.label.startswith("BBN")
    assert "Borexino" in bbn.notes
    assert "header" in bbn.notes


# ----------------------------------------------------------------------------- units
def test_bohr_magneton_conversion_reproduces_donut_stated_limit() -> None:
    """DONUT (Schwienhorst et al., PLB 513 (2001) 23, abstract): mu(nu_tau) < 3.9e-7 mu_B at
    90 % CL. With mu_B = e/(2 m_e) and HNLimits' mu_tr = 2 d this is d < 5.8e-5 GeV^-1, the
    value the seed quotes and the flat part of the DONUT file (given in GeV^-1)."""
    mu_b_gev = np.sqrt(4.0 * np.pi * ALPHA_EM) / (2.0 * M_ELECTRON)
    d_from_source = convert_units(np.array([[0.1, 3.9e-7], [0.2, 3.9e-7]]), "GeV", "mu_B")[0, 1]
    assert d_from_source == pytest.approx(3.9e-7 * mu_b_gev / 2.0, rel=1e-12)
    assert d_from_source == pytest.approx(5.8e-5, rel=0.01)
    donut = CATALOGUE.get("donut").curves[0]
    flat = donut[donut[:, 0] < 0.2, 1]
    assert np.all(np.abs(flat / d_from_source - 1.0) < 0.015)


def test_mev_and_bohr_magneton_files_are_converted_once() -> None:
    raw = read_two_columns(DATA.joinpath("SN1987A_muB_bottom.dat").read_text("utf-8"))
    sn = CATALOGUE.get("sn1987a")
    bottom = sn.curves[0]
    np.testing.assert_allclose(bottom[:, 0], raw[:, 0] * 1e-3, rtol=1e-14)
    np.testing.assert_allclose(bottom[:, 1], raw[:, 1] * 296.3 / 2.0, rtol=1e-3)
    # the SN1987A region ends at 310 MeV (Magill et al. Fig. 4), i.e. 0.31 GeV
    assert sn.mass_range[1] == pytest.approx(0.310, rel=1e-3)
    lep = CATALOGUE.get("lep")
    assert lep.mass_range[0] == pytest.approx(1.002e-3, rel=1e-3)  # first row: 1.002 MeV


# ----------------------------------------------------------------------------- quirks
def test_stray_annotations_are_stripped_and_their_points_kept() -> None:
    assert "0.09841\t0.1 #JOSU" in DATA.joinpath("e/LSND_de.dat").read_text("utf-8")
    lsnd = CATALOGUE.get("lsnd").curves[0]
    assert tuple(lsnd[-1]) == (0.09841, 0.1)
    charm = CATALOGUE.get("charm2").curves[0]
    assert tuple(charm[-1]) == (0.140252, 1.0)


def test_commented_rows_are_skipped() -> None:
    text = DATA.joinpath("e/LSND_de.dat").read_text("utf-8")
    data_rows = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(CATALOGUE.get("lsnd").curves[0]) == len(data_rows)
    tau = CATALOGUE.get("sk-atm-tau")
    # the upper-edge rows commented out of the lower-edge file live in the _top file
    assert len(tau.curves) == 2
    assert tau.curves[1][:, 1].max() == pytest.approx(9.93e-6, rel=1e-3)


# ----------------------------------------------------------------------------- regions
@pytest.mark.parametrize(
    ("limit_id", "inside", "outside"),
    [
        # closed regions have two edges: inside between them, outside above and below
        ("sn1987a", [(0.1, 1e-9)], [(0.1, 1e-6), (0.1, 1e-12), (0.5, 1e-9)]),
        ("nomad", [(1.0, 1e-5)], [(1.0, 1e-7), (1.0, 1e-4), (7.0, 1e-5)]),
        ("sk-atm-tau", [(0.02, 2e-6)], [(0.02, 1e-7), (0.02, 2e-5), (0.1, 2e-6)]),
        ("sk-atm-e", [(0.03, 2e-6)], [(0.03, 1e-7), (0.03, 2e-5), (0.1, 2e-6)]),
        # upper curves exclude everything above, up to their last mass
        ("lep", [(1.0, 3e-5), (1.0, 1.0)], [(1.0, 1e-5)]),
        ("donut", [(0.1, 1e-4)], [(0.1, 5e-5), (0.5, 1e-4)]),
    ],
)
def test_excluded_regions(limit_id: str, inside: list, outside: list) -> None:
    lim = CATALOGUE.get(limit_id)
    for m, d in inside:
        assert lim.contains(m, d), (limit_id, m, d)
    for m, d in outside:
        assert not lim.contains(m, d), (limit_id, m, d)


def lower_edge(limit_id: str) -> np.ndarray:
    """Rows of a contour up to its largest mass (the lower edge for the shipped files)."""
    curve = CATALOGUE.get(limit_id).curves[0]
    return curve[: int(np.argmax(curve[:, 0])) + 1]


def test_envelope_matches_the_curves_that_set_it() -> None:
    mu = CATALOGUE.paper_set().for_flavour("mu")
    m = np.array([2e-3, 2.0, 8.0])
    env = envelope(mu, m)
    # 2 MeV: Borexino; 2 GeV: NOMAD's lower edge (connected to the top through LEP);
    # 8 GeV: LEP alone. The envelope's d grid has 1 % steps.
    borexino = lower_edge("borexino")
    expected = [
        loglog_interp(borexino[borexino[:, 0] < 3e-3], 2e-3),
        loglog_interp(lower_edge("nomad"), 2.0),
        loglog_interp(CATALOGUE.get("lep").curves[0], 8.0),
    ]
    np.testing.assert_allclose(env, expected, rtol=0.015)


@pytest.mark.parametrize("which", ["paper", "all"])
@pytest.mark.parametrize("flavour", list(Flavour))
def test_envelope_is_the_edge_of_a_region_reaching_the_top(flavour: Flavour, which: str) -> None:
    limits = CATALOGUE.select(which).for_flavour(flavour)
    m = np.geomspace(1.1e-3, 9.0, 23)
    env = envelope(limits, m)
    assert np.all(np.isfinite(env))
    for mm, e in zip(m, env, strict=True):
        above = np.geomspace(1.02 * e, 1.0, 300)  # another grid than the envelope's
        assert limits.excluded(np.full_like(above, mm), above).all(), (flavour, mm)
        if e > 1.01e-14:  # else excluded down to the bottom of the grid (BBN + SN1987A)
            assert not limits.excluded(mm, e / 1.02), (flavour, mm)
    if which == "paper":
        # the isolated SN1987A band below does not lower the envelope
        assert env.min() > CATALOGUE.get("sn1987a").polygon[:, 1].max()


def test_bbn_and_sn1987a_close_the_column_below_2_mev() -> None:
    """With the full catalogue, BBN (above ~1e-8 and below ~2e-10 GeV^-1) and the SN1987A band
    between them exclude every coupling at m_N = 1.1 MeV (Brdar et al. Fig.; Magill et al.)."""
    env = envelope(CATALOGUE.for_flavour("e"), np.array([1.1e-3]))
    assert env[0] == pytest.approx(1e-14)


def test_coverage_starts_at_the_first_upper_curve() -> None:
    assert coverage_start(CATALOGUE) == pytest.approx(1.0e-3, rel=0.01)


# ----------------------------------------------------------------------------- CL
def test_cl95_rescaling_of_the_catalogue() -> None:
    at95 = CATALOGUE.at_95()
    mg, dg = np.meshgrid(np.geomspace(1e-3, 10.0, 60), np.geomspace(1e-11, 1e-2, 60))
    for before, after in zip(CATALOGUE, at95, strict=True):
        if before.cl >= 0.95 or before.rate_power == 0:
            assert after is before  # 95 % already, or astrophysical/cosmological
            continue
        assert after.cl == pytest.approx(0.95)
        assert after.rescaled
        factor = (Z_95 / Z_90) ** (1.0 / before.rate_power)
        ratio = after.polygon[:, 1] / before.polygon[:, 1]
        # every vertex either moves up by the one factor (lower boundary) or stays (upper)
        assert np.all(np.isclose(ratio, factor) | np.isclose(ratio, 1.0)), before.id
        assert np.isclose(ratio, factor).sum() >= len(before.curves[0]) // 2, before.id
        np.testing.assert_array_equal(after.polygon[:, 0], before.polygon[:, 0])
        # the region only shrinks
        assert not np.any(after.contains(mg, dg) & ~before.contains(mg, dg)), before.id
    # n = 2 (recoil rates ∝ d^2): 1.133; n = 4 (production and decay): 1.064
    assert at95.get("donut").curves[0][0, 1] / CATALOGUE.get("donut").curves[0][0, 1] == (
        pytest.approx(1.1329, rel=1e-4)
    )
    assert CATALOGUE.get("donut").contains(0.1, 6.0e-5)
    assert not at95.get("donut").contains(0.1, 6.0e-5)
    assert at95.get("nomad").cl_factor() == 1.0  # already rescaled: not twice
    assert at95.get("nomad").at_95() is at95.get("nomad")


def test_cl95_moves_lower_edges_up_and_leaves_upper_edges() -> None:
    """Super-K tau: the lower edge (long-lived N, rate ∝ d^4) moves up by 1.064; the upper edge
    (N decays before reaching the detector) stays. NOMAD: its lower boundary moves up."""
    sk, sk95 = CATALOGUE.get("sk-atm-tau"), CATALOGUE.get("sk-atm-tau").at_95()
    bottom, bottom95 = sk.curves[0][:-1], sk95.curves[0][:-1]  # last point: the joint
    np.testing.assert_allclose(bottom95[:, 1] / bottom[:, 1], (Z_95 / Z_90) ** 0.25)
    np.testing.assert_array_equal(sk95.curves[1][1:-1], sk.curves[1][1:-1])
    nomad95 = CATALOGUE.get("nomad").at_95()
    edge = lower_edge("nomad")
    assert nomad95.contains(1.0, 1.07 * loglog_interp(edge, 1.0))
    assert not nomad95.contains(1.0, 1.05 * loglog_interp(edge, 1.0))
    assert nomad95.contains(1.0, 5.5e-5)  # just under the upper edge (5.56e-5): unchanged


def test_contains_is_the_polygon_test_of_every_limit() -> None:
    # the bounding-box shortcut and the path built once per limit give the plain polygon
    # test of the log-log region, points outside the box included
    from matplotlib.path import Path as MplPath

    rng = np.random.default_rng(7)
    m = 10.0 ** rng.uniform(-6.0, 3.0, 4000)
    d = 10.0 ** rng.uniform(-26.0, 1.0, 4000)
    for lim in load_catalogue():
        plain = MplPath(np.log10(lim.polygon), closed=True).contains_points(
            np.column_stack([np.log10(m), np.log10(d)])
        )
        assert np.array_equal(lim.contains(m, d), plain), lim.id
        assert lim.contains(m[:7, None], d[None, :5]).shape == (7, 5)


def test_excluded_one_point_at_a_time_is_any_limits_polygon_test() -> None:
    # LimitSet.excluded takes the logarithms once for all its limits, and tests a single
    # point's bounding box in floats: the same answers as each limit's own test, point by
    # point and for arrays, NaN and points on no limit's box included
    rng = np.random.default_rng(11)
    m = 10.0 ** rng.uniform(-6.0, 3.0, 300)
    d = 10.0 ** rng.uniform(-26.0, 1.0, 300)
    m[:3] = [np.nan, 1.0, 1e-4]
    d[:3] = [1e-6, np.nan, 1e-30]
    catalogue = load_catalogue()
    for flavour in Flavour:
        limits = catalogue.for_flavour(flavour)
        each = np.zeros(m.size, dtype=bool)
        for lim in limits:
            each |= lim.contains(m, d)
        assert np.array_equal(limits.excluded(m, d), each), flavour
        one = [bool(limits.excluded(mi, di)) for mi, di in zip(m, d, strict=True)]
        assert one == each.tolist(), flavour
        assert limits.excluded(m[0], d[0]).shape == ()
    assert each[3:].any()
    assert not each[3:].all()


def test_excluded_on_a_grid_is_the_polygon_test_of_every_point() -> None:
    """LimitSet.excluded of masses down and couplings across (the envelope's grid) tests each
    coupling's row once (numerics.polygon.grid_inside): matplotlib's answer at every point."""
    from matplotlib.path import Path as MplPath

    masses = np.geomspace(1e-4, 20.0, 53)
    couplings = np.geomspace(1e-22, 1.0, 211)
    catalogue = load_catalogue()
    for flavour in Flavour:
        limits = catalogue.for_flavour(flavour)
        grid = limits.excluded(masses[:, None], couplings[None, :])
        assert grid.shape == (masses.size, couplings.size)
        lm, ld = np.meshgrid(np.log10(masses), np.log10(couplings), indexing="ij")
        pts = np.column_stack([lm.ravel(), ld.ravel()])
        plain = np.zeros(pts.shape[0], dtype=bool)
        for lim in limits:
            plain |= MplPath(np.log10(lim.polygon), closed=True).contains_points(pts)
        assert np.array_equal(grid, plain.reshape(grid.shape)), flavour
        assert grid.any()


def test_an_unknown_flavour_lists_the_flavours() -> None:
    with pytest.raises(ValueError, match=r"^unknown flavour 'nu'; choose one of e, mu, tau$"):
        load_catalogue().for_flavour("nu")
