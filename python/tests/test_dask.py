"""The study in parts and on Dask: a sweep on a LocalCluster of two worker
processes equals the serial Study.run exactly; parts, studies and grids
pickle; a merge refuses incomplete or foreign parts; the example script
runs."""

import doctest
import pickle
import subprocess
import sys

import pandas as pd
import pytest

import landlinked
from conftest import ROOT

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed")
import landlinked.dask  # noqa: E402

GRID = ROOT / "grids" / "central_asia" / "central_asia.toml"
TABLES = ("corridor_months", "balance_months", "percentiles", "congestion")


def assert_same_tables(got, want):
    for name in TABLES:
        a, b = getattr(got, name), getattr(want, name)
        assert len(a) > 0, name
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=name)


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


def test_a_sweep_on_two_worker_processes_equals_the_serial_run(client):
    scenarios = [
        landlinked.Scenario("2022 dry", "2022", hydrology="dry"),
        {"name": "casa +2y", "stage": "casa", "demand_growth_years": 2},
    ]
    serial = landlinked.Study(GRID, scenarios, years=4, seed=3).run()
    # 5 years per scenario in chunks of 2, 2 and 1: 6 tasks
    with distributed.get_task_stream(client) as stream:
        r = landlinked.dask.sweep(client, GRID, scenarios, years=4, chunk=2, seed=3)
    assert_same_tables(r, serial)
    assert set(r.balance_months["year"]) == {"dry", "normal", "1", "2", "3", "4"}
    assert r.dc_seconds > 0
    # six tasks, run by both worker processes
    tasks = [t for t in stream.data if t["key"].startswith("landlinked-years-")]
    assert len(tasks) == 6
    assert len({t["worker"] for t in tasks}) == 2
    # another seed gives other years: the equality above is not vacuous
    other = landlinked.dask.sweep(client, GRID, scenarios[:1], years=4, chunk=5, seed=4)
    assert not other.balance_months.equals(serial.balance_months[serial.balance_months["scenario"] == "2022 dry"])


def test_a_sweep_of_an_edited_grid_sends_the_edits(client):
    g = landlinked.RegionalGrid.read(GRID, stage="casa")
    name = g.corridors()["name"][0]
    g.set_corridor_capacity(name, 50.0)
    s = [landlinked.Scenario("casa", "casa", hydrology="wet")]
    serial = landlinked.Study(g, s, years=2, seed=8).run()
    r = landlinked.dask.sweep(client, g, s, years=2, chunk=1, seed=8)
    assert_same_tables(r, serial)
    cm = r.corridor_months
    assert cm[cm["corridor"] == name]["capacity_mw"].max() == 50.0


def test_a_sweep_checks_before_it_starts_tasks(client):
    with pytest.raises(ValueError, match="unknown stage `2051`"):
        landlinked.dask.sweep(client, GRID, [landlinked.Scenario("s", "2051")], years=1)
    with pytest.raises(ValueError, match="defined twice"):
        landlinked.dask.sweep(client, GRID, [landlinked.Scenario("s", "2022")] * 2, years=1)
    with pytest.raises(ValueError, match=r"chunk must be a whole number of years, at least 1 \(got 0\)"):
        landlinked.dask.sweep(client, GRID, [landlinked.Scenario("s", "2022")], years=1, chunk=0)
    with pytest.raises(FileNotFoundError):
        landlinked.dask.sweep(client, "no/such/grid.toml", [], years=1)


def test_chunks_cover_every_year_of_every_scenario_once():
    study = landlinked.Study(GRID, [landlinked.Scenario("a", "2022"), landlinked.Scenario("b", "casa")], years=6)
    tasks = landlinked.dask.chunks(study, 3)
    assert tasks == [("a", 0, 3), ("a", 3, 6), ("a", 6, 7), ("b", 0, 3), ("b", 3, 6), ("b", 6, 7)]
    assert landlinked.dask.chunks(study, 100) == [("a", 0, 7), ("b", 0, 7)]


def test_parts_studies_and_grids_pickle_and_merge_refuses_bad_parts():
    s = [landlinked.Scenario("a", "2022", hydrology="dry")]
    study = landlinked.Study(GRID, s, years=2, seed=5)
    back = pickle.loads(pickle.dumps(study))
    assert (back.years, back.seed, back.exporter, [x.name for x in back.scenarios]) == (2, 5, None, ["a"])
    assert pickle.loads(pickle.dumps(landlinked.Study(GRID, s, exporter="TJ"))).exporter == "TJ"
    early = pickle.loads(pickle.dumps(back.run_years("a", 0, 1, threads=1)))
    late = pickle.loads(pickle.dumps(back.run_years("a", 1, 3)))
    assert (late.scenario, late.first, late.end, late.total_years) == ("a", 1, 3, 3)
    assert_same_tables(study.merge([late, early]), study.run())
    with pytest.raises(landlinked.Error, match=r"scenario `a`: no part holds years 1\.\.3 \(of 0\.\.3\)"):
        study.merge([early])
    with pytest.raises(landlinked.Error, match=r"scenario `a`: years 1\.\.3 are in two parts"):
        study.merge([early, late, late])
    foreign = landlinked.Study(GRID, s, years=2, seed=6).run_years("a", 0, 1)
    with pytest.raises(landlinked.Error, match="was run with other settings, another scenario or another grid"):
        study.merge([foreign, late])
    with pytest.raises(ValueError, match=r"`end` = 4 is invalid: at most 3"):
        study.run_years("a", 2, 4)
    with pytest.raises(ValueError, match=r"unknown scenario `b` \(known: a\)"):
        study.run_years("b", 0, 1)
    with pytest.raises(ValueError, match="threads must be at least 1"):
        study.run_years("a", 0, 1, threads=0)
    with pytest.raises(ValueError, match="not a pickled StudyPart"):
        landlinked.StudyPart._from_state(b"\x00garbage")
    g = landlinked.RegionalGrid.read(GRID, stage="casa")
    g.set_plant_capacity("Rogun", 3000.0)
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(g)).plants(), g.plants(), check_exact=True)


@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")
def test_docstring_examples_run():
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    globs = {"landlinked": landlinked}
    tests = finder.find(landlinked.dask, "landlinked.dask", globs=dict(globs))
    tests += finder.find(landlinked.StudyPart, "StudyPart", globs=dict(globs))
    # properties of compiled classes (getset descriptors) are not found by the finder
    for cls in (landlinked.StudyPart, landlinked.Study):
        for name, attr in vars(cls).items():
            if type(attr).__name__ == "getset_descriptor" and attr.__doc__:
                tests += finder.find(attr.__doc__, f"{cls.__name__}.{name}", globs=dict(globs))
    names = {t.name for t in tests if t.examples}
    assert {"landlinked.dask", "landlinked.dask.sweep", "landlinked.dask.chunks",
            "StudyPart.first", "Study.seed"} <= names, names
    for t in tests:
        runner.run(t)
    assert runner.summarize(verbose=False).failed == 0


def test_the_example_script_runs_on_a_local_cluster():
    script = ROOT / "examples" / "python" / "dask_sweep.py"
    out = subprocess.run([sys.executable, str(script), "--years", "2", "--chunk", "2", "--workers", "2"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "3 scenarios x 3 years in 6 tasks of up to 2 years" in out.stdout
    assert "the Dask sweep's tables equal the serial run's" in out.stdout
