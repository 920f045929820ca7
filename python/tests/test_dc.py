"""The DC power flow from Python: results, solve_many, zero copy, errors."""

import doctest
import os
import pathlib

import numpy as np
import pandas as pd
import pytest

import landlinked
from conftest import ROOT, env_dir

CASE5 = ROOT / "grids" / "case5_tap_shift.m"


@pytest.fixture
def pf():
    return landlinked.DcPowerFlow(landlinked.read_matpower(CASE5))


def test_case5_matches_the_rust_solution(pf):
    # Values of `cargo run --example dcpf -- grids/case5_tap_shift.m`
    # (tests/conventions.rs checks them against an independent dense solve).
    sol = pf.solve()
    np.testing.assert_allclose(
        sol.pf_mw,
        [50.325164, 142.674836, 140.325164, -8.816066, 31.219458, 0.0, -38.780542, 5.289640],
        atol=1e-6,
    )
    np.testing.assert_allclose(
        sol.va_deg, [10.769948, 12.5, 6.123761, 6.729909, 2.790818], atol=1e-6
    )
    np.testing.assert_allclose(sol.pg_mw, [173.0, 120.0, 20.0, 0.0], atol=1e-9)
    assert sol.pf_mw[5] == 0.0  # out of service
    assert sol.va_deg[1] == 12.5  # the reference keeps its file angle
    tables = sol.to_pandas()
    assert list(tables["buses"]["bus"]) == [7, 3, 12, 25, 40]
    assert list(tables["branches"].columns) == ["f_bus", "t_bus", "pf_mw"]


def test_network_tables():
    net = landlinked.read_matpower(CASE5)
    assert (net.n_buses, net.n_branches, net.n_generators, net.base_mva) == (5, 8, 4, 100.0)
    assert isinstance(net.buses(), pd.DataFrame)
    assert net.buses()["pd_mw"].sum() == 305.0
    assert list(net.branches()["in_service"]) == [True] * 5 + [False] + [True] * 2
    assert list(net.generators()["bus"]) == [3, 7, 3, 40]


def test_write_and_read_back(tmp_path):
    net = landlinked.read_matpower(CASE5)
    landlinked.write_matpower(net, tmp_path / "c.m")
    back = landlinked.DcPowerFlow(landlinked.read_matpower(tmp_path / "c.m")).solve()
    np.testing.assert_array_equal(back.pf_mw, landlinked.DcPowerFlow(net).solve().pf_mw)


def perturbed(pf, periods, seed=1):
    rng = np.random.default_rng(seed)
    base = pf.bus_injections_mw
    return base + rng.normal(0.0, 20.0, size=(periods, base.size))


def test_skipped_tables_name_the_hvdc_lines(tmp_path):
    text = (ROOT / "grids" / "case5_tap_shift.m").read_text()
    case = tmp_path / "with_dcline.m"
    case.write_text(text + "\nmpc.dcline = [\n 3 7 1 10 10 0 0 1 1 0 100 -10 10 -10 10 0 0;\n];\nmpc.gencost = [];\n")
    tables = landlinked.read_matpower(case).skipped_tables
    line = len(text.splitlines()) + 2
    assert tables[-2:] == [("dcline", line, True), ("gencost", line + 3, False)]


def test_solve_many_equals_one_solve_per_period(pf):
    inj = perturbed(pf, 37)
    s = pf.solve_many(inj)
    assert s.va_deg.shape == (37, 5) and s.pf_mw.shape == (37, 8) and s.slack_mw.shape == (37, 1)
    for t in range(37):
        one = pf.solve_injections(inj[t].copy())
        np.testing.assert_allclose(s.va_deg[t], one.va_deg, rtol=0, atol=1e-12)
        np.testing.assert_allclose(s.pf_mw[t], one.pf_mw, rtol=0, atol=1e-12)
        np.testing.assert_allclose(s.slack_mw[t], one.slack_mw, rtol=0, atol=1e-12)


def test_solve_many_results_are_not_copied(pf):
    s = pf.solve_many(perturbed(pf, 40))
    for arr, address in zip((s.va_deg, s.pf_mw, s.slack_mw), s.buffer_addresses):
        assert arr.flags.c_contiguous
        assert arr.flags.owndata is False  # NumPy views a Rust-owned buffer
        assert arr.base is not None
        assert arr.__array_interface__["data"][0] == address
        assert arr.dtype == np.float64
    # the same arrays every time the attribute is read
    assert s.pf_mw is s.pf_mw


def test_solve_many_copies_a_non_contiguous_input(pf):
    inj = perturbed(pf, 20)
    fortran = np.asfortranarray(inj)
    strided = np.repeat(inj, 2, axis=0)[::2]
    for x in (fortran, strided):
        assert not x.flags.c_contiguous
        np.testing.assert_array_equal(pf.solve_many(x).pf_mw, pf.solve_many(inj).pf_mw)


@pytest.mark.parametrize(
    "bad, words",
    [
        (np.zeros((3, 5), dtype=np.float32), "float64"),
        (np.zeros((3, 5), dtype=np.int64), "float64"),
        (np.zeros((3, 4)), "(periods, 5)"),
        (np.zeros(5), "shape"),
        ([[0.0] * 5], "NumPy array"),
    ],
)
def test_solve_many_bad_input_is_a_value_error(pf, bad, words):
    with pytest.raises(ValueError, match=None) as e:
        pf.solve_many(bad)
    assert words in str(e.value)


def test_nan_injection_names_bus_and_period(pf):
    inj = perturbed(pf, 30)
    inj[17, 2] = np.nan
    with pytest.raises(ValueError, match=r"bus 12, period 18.*finite"):
        pf.solve_many(inj)
    with pytest.raises(ValueError, match="bus 12"):
        pf.solve_injections(inj[17].copy())
    with pytest.raises(ValueError, match="length 4, expected 5"):
        pf.solve_injections(np.zeros(4))


def test_errors_map_to_python_exceptions(tmp_path):
    with pytest.raises(FileNotFoundError, match="no_such_case.m"):
        landlinked.read_matpower("no_such_case.m")
    bad = tmp_path / "bad.m"
    bad.write_text("mpc.baseMVA = 100;\nmpc.bus = [1 3 0 x];\n")
    with pytest.raises(landlinked.Error, match=r"bad.m:2: `x` is not a number"):
        landlinked.read_matpower(bad)
    nogen = tmp_path / "nogen.m"
    nogen.write_text(
        "mpc.baseMVA=100;\nmpc.bus=[1 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[];\nmpc.branch=[];\n"
    )
    with pytest.raises(landlinked.Error, match="no in-service generator"):
        landlinked.DcPowerFlow(landlinked.read_matpower(nogen))
    assert issubclass(landlinked.Error, Exception)


def test_sensitivities(pf):
    ptdf = pf.ptdf()
    assert ptdf.shape == (8, 5)
    assert np.all(ptdf[:, 1] == 0.0)  # the reference column
    np.testing.assert_allclose(pf.ptdf(monitored=[2, 0]), ptdf[[2, 0]], rtol=0, atol=1e-14)
    # a PTDF predicts the flow change of an injection shift
    p = pf.bus_injections_mw
    base = pf.solve_injections(p).pf_mw
    p[4] += 5.0
    np.testing.assert_allclose(pf.solve_injections(p).pf_mw - base, 5.0 * ptdf[:, 4], atol=1e-10)
    lodf = pf.lodf()
    assert lodf.shape == (8, 8)
    n1 = pf.n_minus_1()
    assert list(n1.columns) == ["branch", "f_bus", "t_bus", "base_mw", "worst_mw", "worst_outage"]
    assert list(n1["branch"]) == [1, 2, 3, 4, 5, 7, 8]
    # the worst flow on branch 2 (3-12): branch 3 (7-25) out, all of bus 3's output on it
    row = n1.set_index("branch").loc[2]
    assert row["worst_outage"] == 3 and abs(row["worst_mw"] - 283.0) < 1e-9
    # LODF agrees with the screen
    k, l = 2, 1
    assert abs(base[l] + lodf[l, k] * base[k] - 283.0) < 1e-9
    with pytest.raises(ValueError):
        pf.ptdf(monitored=[99])


def test_transfer_capability(pf):
    tc = pf.transfer_capability([7], {25: 1.0}, n_minus_1=False)
    limits = tc["limits"]
    assert set(limits["case"]) == {"base"}
    first = limits.iloc[0]
    assert abs(tc["capability_mw"] - first["transfer_mw"]) < 1e-12
    assert abs(first["flow_mw"] + first["factor"] * first["transfer_mw"] - first["rate_mva"]) < 1e-6
    with_n1 = pf.transfer_capability([7], [25])
    assert with_n1["capability_mw"] <= tc["capability_mw"]
    with pytest.raises(ValueError, match="unknown bus 999"):
        pf.transfer_capability([999], [25])


def test_every_matpower_case_matches_rundcpf():
    cases, reference = env_dir("LANDLINKED_CASES"), env_dir("LANDLINKED_REFERENCE")
    if cases is None or reference is None:
        pytest.skip("LANDLINKED_CASES / LANDLINKED_REFERENCE are not set to folders: no MATPOWER cases")
    files = sorted(cases.glob("*.m"), key=lambda p: p.stat().st_size)
    assert files
    for path in files:
        sol = landlinked.DcPowerFlow(landlinked.read_matpower(path)).solve()
        for csv, column, ours in [
            ("bus.csv", "va_deg", sol.va_deg),
            ("branch.csv", "pf_mw", sol.pf_mw),
            ("gen.csv", "pg_mw", sol.pg_mw),
        ]:
            theirs = pd.read_csv(reference / path.stem / csv)[column].to_numpy()
            assert theirs.shape == ours.shape, f"{path.stem} {csv}"
            # 10 significant digits were printed
            np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-6, err_msg=f"{path.stem} {csv}")


def test_docstring_examples_run():
    globs = {"landlinked": landlinked}
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    names = [n for n in landlinked.__all__ if n not in ("Study", "StudyResults")]
    tested = 0
    for test in finder.find(landlinked, "landlinked", globs=globs):
        runner.run(test)
    for name in names:
        for test in finder.find(getattr(landlinked, name), name, globs=dict(globs)):
            tested += len(test.examples)
            runner.run(test)
    failed, _ = runner.summarize(verbose=False)
    assert failed == 0
    assert tested > 40
