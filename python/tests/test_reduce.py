"""Fused reductions from Python: branch_stats against NumPy on solve_many,
ProfileInjections against the materialised array, the year-long N-1 against
brute force (each outage's branch switched off in the case file, the grid
refactorised, every period solved), screen_outages against PTDF/LODF, and
bad input."""

import re

import numpy as np
import pandas as pd
import pytest

import landlinked
from conftest import ROOT

CASE5 = ROOT / "grids" / "case5_tap_shift.m"
# Not a multiple of the 16-period block or the 64-period chunk: partial
# blocks and chunks, merged across threads.
PERIODS = 1001


@pytest.fixture
def pf():
    return landlinked.DcPowerFlow(landlinked.read_matpower(CASE5))


def year(pf, periods=PERIODS, seed=7):
    """The case's injections with a daily shape and noise per bus and
    period, so extremes fall in different periods."""
    rng = np.random.default_rng(seed)
    t = np.arange(periods)[:, None]
    shape = 0.8 + 0.2 * np.sin(2 * np.pi * t / 24)
    return pf.bus_injections_mw * shape + rng.normal(0.0, 15.0, (periods, pf.network.n_buses))


def ratings_for(flows):
    """60 % above each branch's mean |flow| (so some periods are above 80 %
    and 100 %), unlimited where the branch never carries anything."""
    r = 1.6 * np.abs(flows).mean(axis=0)
    return np.where(r > 0, r, np.inf)


def test_branch_stats_equal_numpy_on_solve_many(pf):
    inj = year(pf)
    flows = pf.solve_many(inj).pf_mw
    r = ratings_for(flows)
    bins, top = 20, 1.5
    st = pf.branch_stats(inj, ratings_mw=r, thresholds=[0.8, 1.0], histogram=(bins, top))
    assert isinstance(st, pd.DataFrame) and len(st) == flows.shape[1]
    assert st.attrs["periods"] == PERIODS
    net = pf.network.branches()
    np.testing.assert_array_equal(st["f_bus"], net["f_bus"])
    np.testing.assert_array_equal(st["t_bus"], net["t_bus"])
    # Extremes, their (first) periods and counts exactly.
    np.testing.assert_array_equal(st["max_mw"], flows.max(axis=0))
    np.testing.assert_array_equal(st["max_period"], flows.argmax(axis=0))
    np.testing.assert_array_equal(st["min_mw"], flows.min(axis=0))
    np.testing.assert_array_equal(st["min_period"], flows.argmin(axis=0))
    absf = np.abs(flows)
    np.testing.assert_array_equal(st["rating_mw"], r)
    np.testing.assert_array_equal(st["max_loading"], absf.max(axis=0) / r)
    np.testing.assert_array_equal(st["max_loading_period"], absf.argmax(axis=0))
    for t in (0.8, 1.0):
        np.testing.assert_array_equal(st[f"periods_above_{t}"], (absf > t * r).sum(axis=0))
    assert (st["periods_above_1.0"] > 0).any() and (st["periods_above_0.8"] < PERIODS).any()
    # Means: sums in another order, within 1e-12 of the largest |flow|.
    scale = np.maximum(absf.max(axis=0), 1.0)
    assert np.all(np.abs(st["mean_mw"] - flows.mean(axis=0)) <= 1e-12 * scale)
    # The histogram: bins of top / bins loading, then one at or above top.
    hist = st.filter(like="periods_loading_").to_numpy()
    assert hist.shape == (flows.shape[1], bins + 1)
    assert list(st.columns[-2:]) == ["periods_loading_1.425_1.5", "periods_loading_1.5_inf"]
    index = np.minimum(np.floor(absf * (bins / (top * r))), bins).astype(int)
    expected = np.stack([np.bincount(index[:, k], minlength=bins + 1) for k in range(flows.shape[1])])
    np.testing.assert_array_equal(hist, expected)
    assert np.all(hist.sum(axis=1) == PERIODS)
    # Periods are plain integers; frames of two runs concatenate.
    assert st["max_period"].dtype == np.int64
    assert len(pd.concat([st, st])) == 2 * len(st)


def test_branch_stats_without_ratings_and_with_angles(pf):
    inj = year(pf)
    s = pf.solve_many(inj)
    st = pf.branch_stats(inj)
    assert list(st.columns) == ["f_bus", "t_bus", "max_mw", "max_period", "min_mw", "min_period", "mean_mw"]
    branches, buses = pf.branch_stats(inj, angles=True)
    pd.testing.assert_frame_equal(branches, st, check_exact=True)
    np.testing.assert_array_equal(buses["bus"], [7, 3, 12, 25, 40])
    np.testing.assert_array_equal(buses["max_deg"], s.va_deg.max(axis=0))
    np.testing.assert_array_equal(buses["max_period"], s.va_deg.argmax(axis=0))
    np.testing.assert_array_equal(buses["min_deg"], s.va_deg.min(axis=0))
    np.testing.assert_array_equal(buses["min_period"], s.va_deg.argmin(axis=0))
    # A non-contiguous input is copied once and gives the same result.
    for x in (np.asfortranarray(inj), np.repeat(inj, 2, axis=0)[::2]):
        assert not x.flags.c_contiguous
        pd.testing.assert_frame_equal(pf.branch_stats(x), st, check_exact=True)


def profiles(pf, periods=PERIODS):
    """Three zone load shapes and a solar shape; some buses have two or
    three terms."""
    base = pf.bus_injections_mw
    inj = landlinked.ProfileInjections(base.size, periods)
    t = np.arange(periods)
    zones = [inj.add_profile(f"zone {z}", 0.7 + 0.3 * (((t + 5 * z) % 24) / 23.0)) for z in range(3)]
    solar = inj.add_profile("solar", np.maximum(np.sin((t % 24 - 6) / 12 * np.pi), 0.0))
    terms = []
    for b, p in enumerate(base):
        terms.append((b, p, zones[b % 3]))
        if b % 2 == 0:
            terms.append((b, 35.0, solar))
            terms.append((b, -12.5, zones[(b + 1) % 3]))
    for b, p, z in terms:
        inj.add_term(b, p, z)
    return inj, terms


def test_profiles_equal_the_materialised_array(pf):
    inj, terms = profiles(pf)
    assert (inj.buses, inj.periods, inj.terms) == (5, PERIODS, len(terms))
    assert inj.profile_names == ["zone 0", "zone 1", "zone 2", "solar"]
    assert re.match(r"ProfileInjections\(5 buses, 1001 periods, 4 profiles, \d+ terms\)", repr(inj))
    a = inj.to_numpy()
    assert a.shape == (PERIODS, 5) and a.flags.c_contiguous and a.dtype == np.float64
    # Σ base × profile per bus, terms in the order added, from 0.
    shapes = {}
    t = np.arange(PERIODS)
    for z in range(3):
        shapes[z] = 0.7 + 0.3 * (((t + 5 * z) % 24) / 23.0)
    shapes[3] = np.maximum(np.sin((t % 24 - 6) / 12 * np.pi), 0.0)
    expected = np.zeros((PERIODS, 5))
    for b, p, z in terms:
        expected[:, b] += p * shapes[z]
    np.testing.assert_array_equal(a, expected)
    # Same statistics, to the bit, from the profiles and from the array.
    r = ratings_for(pf.solve_many(a).pf_mw)
    kw = dict(ratings_mw=r, thresholds=[0.8, 1.0], histogram=(10, 1.2), angles=True)
    for got, want in zip(pf.branch_stats(inj, **kw), pf.branch_stats(a, **kw)):
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    n1p = pf.n_minus_1_year(inj, outages=[0, 2, 3], ratings_mw=r)
    n1a = pf.n_minus_1_year(a, outages=[0, 2, 3], ratings_mw=r)
    pd.testing.assert_frame_equal(n1p, n1a, check_exact=True)
    assert n1p.attrs == n1a.attrs
    # A profile by name, and the same term by number, add up alike.
    by_name = landlinked.ProfileInjections(5, 3)
    by_number = landlinked.ProfileInjections(5, 3)
    for x in (by_name, by_number):
        x.add_profile("p", np.array([1.0, 2.0, 3.0]))
    by_name.add_term(4, 10.0, "p")
    by_number.add_term(4, 10.0, 0)
    np.testing.assert_array_equal(by_name.to_numpy(), by_number.to_numpy())


def test_superposed_statistics_equal_the_solved_ones(pf):
    """superpose=True: the same frames to rounding; an array is refused."""
    inj, _ = profiles(pf)
    a = inj.to_numpy()
    r = ratings_for(pf.solve_many(a).pf_mw)
    kw = dict(ratings_mw=r, thresholds=[0.8, 1.0], angles=True)
    for got, want in zip(pf.branch_stats(inj, superpose=True, **kw), pf.branch_stats(a, **kw)):
        assert list(got.columns) == list(want.columns)
        for col in got.columns:
            if col.endswith("_mw") or col.endswith("_deg") or col == "max_loading":
                np.testing.assert_allclose(got[col], want[col], rtol=1e-12, atol=1e-9)
    n1s = pf.n_minus_1_year(inj, outages=[0, 2, 3], ratings_mw=r, superpose=True)
    n1a = pf.n_minus_1_year(a, outages=[0, 2, 3], ratings_mw=r)
    np.testing.assert_allclose(n1s["worst_mw"], n1a["worst_mw"], rtol=1e-12)
    assert n1s.attrs["insecure_periods"] == n1a.attrs["insecure_periods"]
    with pytest.raises(ValueError, match="superpose=True needs a ProfileInjections"):
        pf.branch_stats(a, superpose=True)


def switched_off(tmp_path, k):
    """The case with branch position `k` out of service (its status column
    set to 0 in the file), as a new Network."""
    text = CASE5.read_text().splitlines()
    start = next(i for i, line in enumerate(text) if line.startswith("mpc.branch"))
    rows = [i for i in range(start + 1, len(text)) if text[i].strip() and not text[i].lstrip().startswith("%")]
    row = rows[k]
    data, sep, comment = text[row].partition("%")
    tokens = data.replace(";", " ").split()
    tokens[10] = "0"
    text[row] = "\t" + "\t".join(tokens) + ";\t" + sep + comment
    path = tmp_path / f"out_{k}.m"
    path.write_text("\n".join(text) + "\n")
    return landlinked.read_matpower(path)


def test_year_long_n_minus_1_equals_brute_force(pf, tmp_path):
    inj = year(pf)
    outages = [0, 1, 2, 3, 4, 6, 7]  # every in-service branch: none islands here
    monitored = [1, 2, 3, 4, 6]
    # Brute force: (outages, periods, monitored) post-contingency |flows|.
    post = np.stack(
        [np.abs(landlinked.DcPowerFlow(switched_off(tmp_path, k)).solve_many(inj).pf_mw[:, monitored]) for k in outages]
    )
    # Ratings each monitored branch's worst exceeds in about a tenth of the
    # periods (off the quantile, which is one period's value).
    r = np.full(8, np.inf)
    r[monitored] = np.quantile(post.max(axis=0), 0.9, axis=0) * (1 + 1e-6)
    n1 = pf.n_minus_1_year(inj, outages=outages, monitored=monitored, ratings_mw=r)
    assert list(n1.columns) == [
        "branch", "f_bus", "t_bus", "rating_mw", "worst_mw", "worst_loading", "worst_outage", "worst_period",
    ]
    assert list(n1["branch"]) == monitored
    assert n1.attrs["outages"] == outages and n1.attrs["periods"] == PERIODS
    worst = post.max(axis=(0, 1))
    np.testing.assert_allclose(n1["worst_mw"], worst, rtol=1e-10, atol=1e-9)
    np.testing.assert_allclose(n1["worst_loading"], worst / r[monitored], rtol=1e-10)
    np.testing.assert_array_equal(n1["rating_mw"], r[monitored])
    for i in range(len(monitored)):
        o, t = np.unravel_index(post[:, :, i].argmax(), post.shape[:2])
        assert (n1["worst_outage"][i], n1["worst_period"][i]) == (outages[o], t), f"monitored {monitored[i]}"
    # Insecure periods: some monitored branch above its rating after some
    # outage (periods within 1e-7 MW of a rating could go either way).
    excess = (post - r[monitored]).max(axis=(0, 2))
    insecure = set(n1.attrs["insecure_periods"])
    assert n1.attrs["insecure_periods"] == sorted(insecure)
    assert PERIODS // 10 <= len(insecure) < PERIODS
    for t in set(np.flatnonzero(excess > 0)) ^ insecure:
        assert abs(excess[t]) < 1e-7, t
    # By default every in-service branch is monitored, against rate_a.
    default = pf.n_minus_1_year(inj, outages=outages)
    assert list(default["branch"]) == [0, 1, 2, 3, 4, 6, 7]
    assert set(default["rating_mw"]) == {250.0}


def test_screen_outages_ranks_by_the_loading_an_outage_can_add(pf):
    inj = year(pf)
    sample = inj[::10]
    r = ratings_for(pf.solve_many(inj).pf_mw)
    top = pf.screen_outages(sample, count=4, ratings_mw=r)
    assert list(top.columns) == ["branch", "f_bus", "t_bus", "score"] and len(top) == 4
    # max_t |F_k(t)| × max_{l ≠ k} |LODF[l, k]| / r_l over in-service l.
    flows = np.abs(pf.solve_many(sample).pf_mw).max(axis=0)
    lodf = pf.lodf()
    live = [0, 1, 2, 3, 4, 6, 7]
    score = {}
    for k in live:
        others = [l for l in live if l != k]
        score[k] = flows[k] * np.max(np.abs(lodf[others, k]) / r[others])
    ranked = sorted(live, key=lambda k: -score[k])[:4]
    assert list(top["branch"]) == ranked
    np.testing.assert_allclose(top["score"], [score[k] for k in ranked], rtol=1e-12)
    assert list(top["score"]) == sorted(top["score"], reverse=True)
    # The ranked list feeds the year-long N-1 as it is.
    n1 = pf.n_minus_1_year(inj, outages=top["branch"], ratings_mw=r)
    assert set(n1["worst_outage"]) <= set(ranked)


BRIDGE = """mpc.baseMVA = 100;
mpc.bus = [1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 50 0 0 0 1 1 0 1 1 1 1; 3 1 20 0 0 0 1 1 0 1 1 1 1];
mpc.gen = [1 0 0 0 0 1 100 1 100 0];
mpc.branch = [1 2 0 0.1 0 0 0 0 0 0 1 -360 360; 2 3 0 0.1 0 0 0 0 0 0 1 -360 360; 1 3 0 0.2 0 0 0 0 0 0 1 -360 360; 3 2 0 0.3 0 0 0 0 0 0 0 -360 360];
"""


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda pf, x: pf.branch_stats(x.astype(np.float32)), ValueError, "float64"),
        (lambda pf, x: pf.branch_stats(x[:, :4].copy()), ValueError, "(periods, 5)"),
        (lambda pf, x: pf.branch_stats(x[0].copy()), ValueError, "shape"),
        (lambda pf, x: pf.branch_stats(x.tolist()), ValueError, "ProfileInjections"),
        (lambda pf, x: pf.branch_stats(x[:0].copy()), ValueError, "no periods"),
        (lambda pf, x: pf.branch_stats(x, ratings_mw=np.r_[np.full(7, 100.0), 0.0]), ValueError, "branch 8"),
        (lambda pf, x: pf.branch_stats(x, ratings_mw=np.full(7, 100.0)), ValueError, "(8,)"),
        (lambda pf, x: pf.branch_stats(x, ratings_mw=[np.nan] * 8), ValueError, "rating"),
        (lambda pf, x: pf.branch_stats(x, thresholds=[0.8]), ValueError, "ratings_mw"),
        (lambda pf, x: pf.branch_stats(x, ratings_mw=np.ones(8), thresholds=[1.0, 1.0]), ValueError, "twice"),
        (lambda pf, x: pf.branch_stats(x, ratings_mw=np.ones(8), thresholds=[-1.0]), ValueError, "threshold"),
        (lambda pf, x: pf.branch_stats(x, ratings_mw=np.ones(8), histogram=(0, 1.0)), ValueError, "bins"),
        (lambda pf, x: pf.branch_stats(landlinked.ProfileInjections(4, 3)), ValueError, "4 buses"),
        (lambda pf, x: pf.n_minus_1_year(x, outages=[]), ValueError, "outages is empty"),
        (lambda pf, x: pf.n_minus_1_year(x, outages=[8]), ValueError, "below 8"),
        (lambda pf, x: pf.n_minus_1_year(x, outages=[0.5]), ValueError, "integers"),
        (lambda pf, x: pf.n_minus_1_year(x, outages=[0], monitored=[-1]), ValueError, "position -1"),
        (lambda pf, x: pf.n_minus_1_year(x, [0], ratings_mw=np.r_[0.0, np.ones(7)]), ValueError, "branch 1 (3-7)"),
        (lambda pf, x: pf.screen_outages(x, candidates=[9]), ValueError, "candidates"),
        (lambda pf, x: pf.screen_outages(x, ratings_mw=np.zeros(8)), ValueError, "rating"),
    ],
)
def test_bad_input_is_a_value_error(pf, call, error, words):
    with pytest.raises(error) as e:
        call(pf, year(pf, 40))
    assert words in str(e.value)


def test_nan_injection_names_bus_and_period(pf):
    inj = year(pf, 100)
    inj[77, 3] = np.nan
    for call in (pf.branch_stats, lambda x: pf.n_minus_1_year(x, outages=[0])):
        with pytest.raises(ValueError, match=r"bus 25, period 78.*finite"):
            call(inj)


def test_bad_profiles_are_value_errors():
    inj = landlinked.ProfileInjections(3, 4)
    with pytest.raises(ValueError, match=r"profile `wind`.*4"):
        inj.add_profile("wind", np.ones(3))
    with pytest.raises(ValueError, match=r"profile `wind`, period 2"):
        inj.add_profile("wind", np.array([0.3, np.nan, 0.1, 0.2]))
    with pytest.raises(ValueError, match="float64"):
        inj.add_profile("wind", np.ones(4, dtype=np.int64))
    p = inj.add_profile("load", np.ones(4))
    with pytest.raises(ValueError, match="bus position"):
        inj.add_term(3, 1.0, p)
    with pytest.raises(ValueError, match="0-based bus position"):
        inj.add_term(-1, 1.0, p)
    with pytest.raises(ValueError, match="base_mw"):
        inj.add_term(0, 5.0e9, p)  # watts given as MW
    with pytest.raises(ValueError, match=r"no profile named 'solar'.*\['load'\]"):
        inj.add_term(0, 1.0, "solar")
    with pytest.raises(ValueError, match="profile 1 is not one of the 1"):
        inj.add_term(0, 1.0, 1)
    assert inj.terms == 0


def test_an_islanding_outage_is_a_value_error(tmp_path):
    path = tmp_path / "bridge.m"
    path.write_text(BRIDGE)
    pf = landlinked.DcPowerFlow(landlinked.read_matpower(path))
    inj = np.tile(pf.bus_injections_mw, (5, 1))
    # 1-2, 2-3 and 1-3 form a ring: any one of them can go.
    assert len(pf.n_minus_1_year(inj, outages=[0, 1, 2])) == 3
    # The screen's candidates are the in-service branches (not 3-2).
    ranked = pf.screen_outages(inj, count=10)
    assert set(ranked["branch"]) <= {0, 1, 2}
    # Take the ring apart: with 1-3 out of service, 1-2 is a bridge, and
    # the screen skips every candidate (each one islands).
    net = switched_off_text(tmp_path, BRIDGE, 2)
    pf = landlinked.DcPowerFlow(net)
    with pytest.raises(ValueError, match=r"branch 1 \(1-2\).*islands"):
        pf.n_minus_1_year(inj, outages=[0])
    assert len(pf.screen_outages(inj, count=10)) == 0


def switched_off_text(tmp_path, text, k):
    head, rows = text.split("mpc.branch = [")
    rows, tail = rows.split("];")
    rows = [r.split() for r in rows.split(";")]
    rows[k][10] = "0"
    path = tmp_path / f"bridge_{k}.m"
    path.write_text(head + "mpc.branch = [" + "; ".join(" ".join(r) for r in rows) + "];" + tail)
    return landlinked.read_matpower(path)


def test_new_names_have_docstring_examples():
    names = [
        landlinked.ProfileInjections,
        landlinked.ProfileInjections.add_profile,
        landlinked.ProfileInjections.add_term,
        landlinked.ProfileInjections.to_numpy,
        landlinked.DcPowerFlow.branch_stats,
        landlinked.DcPowerFlow.n_minus_1_year,
        landlinked.DcPowerFlow.screen_outages,
    ]
    for obj in names:
        assert ">>>" in obj.__doc__, obj
