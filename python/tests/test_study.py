"""Regional grids and the hourly export study from Python."""

import numpy as np
import pandas as pd
import pytest

import landlinked
from conftest import ROOT

GRID = ROOT / "grids" / "central_asia" / "central_asia.toml"

COLUMNS = {
    "corridor_months": "scenario,year,month,corridor,importer,capacity_mw,export_gwh,partner_gwh,peak_mw,revenue_musd,hours_exporting,hours_at_capacity,hours_at_network_limit,hours_at_appetite,hours_no_surplus",
    "balance_months": "scenario,year,month,load_gwh,hydro_gwh,other_gwh,imports_gwh,exports_gwh,spill_gwh,unserved_gwh,reserve_mw_min,storage_end_hm3",
    "percentiles": "scenario,month,quantity,p10,p50,p90",
    "congestion": "scenario,branch,from_bus,to_bus,rating_mw,max_loading_pct,hours_over_80pct,hours_over_100pct,hours_binding,most_frequent_outage",
}


def test_regional_grid_edits_and_tables(tmp_path):
    g = landlinked.RegionalGrid.read(GRID)
    plants = g.plants()
    assert {"name", "type", "bus", "installed_mw", "available_mw"} <= set(plants.columns)
    g.set_plant_capacity("Rogun", 3600.0)
    assert g.plants().set_index("name").loc["Rogun", "available_mw"] == 3600.0
    corridors = g.corridors()
    assert len(corridors) > 0 and (corridors["capacity_mw"] > 0).all()
    name = corridors["name"][0]
    g.set_corridor_capacity(name, 123.0)
    assert g.corridors().set_index("name").loc[name, "capacity_mw"] == 123.0
    assert g.set_branch_in_service("TJ_NUREK_500", "TJ_REGAR_500", False) >= 1
    load = g.loads()["name"][0]
    before = g.network.buses()["pd_mw"].sum()
    g.set_load_energy(load, 876.0 + 0.0)  # 100 MW mean
    assert g.network.buses()["pd_mw"].sum() != before
    with pytest.raises(ValueError, match=r"unknown plant `Rogum` \(known: "):
        g.set_plant_capacity("Rogum", 1.0)
    g.write(tmp_path / "g.toml")
    back = landlinked.RegionalGrid.read(tmp_path / "g.toml")
    assert back.plants().set_index("name").loc["Rogun", "available_mw"] == 3600.0
    casa = landlinked.RegionalGrid.read(GRID, stage="casa")
    assert casa.stage == "casa"
    with pytest.raises(FileNotFoundError):
        landlinked.RegionalGrid.read("no/such/grid.toml")
    sol = landlinked.DcPowerFlow(casa.network).solve()
    assert np.isfinite(sol.pf_mw).all()


def test_small_study_returns_the_csv_tables():
    study = landlinked.Study(
        GRID,
        [landlinked.Scenario("2022", "2022"), {"name": "dry", "stage": "2022", "hydrology": "dry"}],
        years=2,
    )
    r = study.run()
    for attr, cols in COLUMNS.items():
        df = getattr(r, attr)
        assert isinstance(df, pd.DataFrame)
        assert list(df.columns) == cols.split(","), attr
        assert len(df) > 0, attr
    bal = r.balance_months
    assert set(bal["scenario"]) == {"2022", "dry"}
    assert len(bal) == 2 * 3 * 12  # named year and two stochastic ones
    # The named normal year exports all summer; every year, however dry,
    # exports at the flood peak (July, August). In the driest stochastic
    # years May can be short of exports: Nurek still fills, if less (its
    # own load served first: see the hedging test below).
    normal = bal[(bal["year"] == "normal") & bal["month"].isin(["Jun", "Jul", "Aug"])]
    assert len(normal) == 3 and (normal["exports_gwh"] > 0).all()
    peak = bal[bal["month"].isin(["Jul", "Aug"])]
    assert len(peak) == 2 * 3 * 2 and (peak["exports_gwh"] > 0).all()
    exports = r.corridor_months.groupby("month")["export_gwh"].sum()
    assert exports["Jul"] > 0
    assert r.dc_seconds > 0
    # the same seed gives the same years
    again = study.run()
    pd.testing.assert_frame_equal(again.balance_months, bal)


def test_study_on_an_edited_grid_and_bad_scenarios():
    g = landlinked.RegionalGrid.read(GRID, stage="2022")
    r = landlinked.Study(g, [landlinked.Scenario("s", "2022", hydrology="wet")], years=1).run()
    assert len(r.balance_months) == 24
    with pytest.raises(ValueError, match="hydrology"):
        landlinked.Scenario("s", "2022", hydrology="damp")
    with pytest.raises(ValueError, match="defined twice"):
        landlinked.Study(GRID, [landlinked.Scenario("s", "2022")] * 2, years=1).run()
    with pytest.raises(ValueError):
        landlinked.Study(GRID, [landlinked.Scenario("s", "no_such_stage")], years=1).run()


def test_study_docstrings_run():
    import doctest

    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for name in ("Study", "StudyResults", "Scenario", "RegionalGrid"):
        for t in doctest.DocTestFinder().find(getattr(landlinked, name), name, globs={"landlinked": landlinked}):
            runner.run(t)
    assert runner.summarize(verbose=False).failed == 0


def test_ctrl_c_stops_a_long_study_between_years():
    """A KeyboardInterrupt (Ctrl-C) reaches Python while the study runs with
    the GIL released, and the study stops before its next scenario-year."""
    import _thread
    import signal
    import threading
    import time

    study = landlinked.Study(GRID, [landlinked.Scenario("long", "2022")], years=2000)
    # Python's own Ctrl-C handler, whatever an earlier test's library (a
    # Dask cluster, say) installed: the test is about that handler reaching
    # a study that runs with the GIL released.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(1.0, _thread.interrupt_main)
    start = time.monotonic()
    try:
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            study.run()
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    # 2,000 water years take minutes; the stop comes within a few years.
    assert time.monotonic() - start < 30


def test_a_progress_callable_sees_every_scenario_year_and_can_stop_the_run():
    seen = []
    study = landlinked.Study(GRID, [landlinked.Scenario("p", "2022")], years=3)
    r = study.run(progress=lambda scenario, year, done, total: seen.append((scenario, done, total)))
    assert sorted(d for _, d, _ in seen) == [1, 2, 3, 4]
    assert all(s == "p" and t == 4 for s, _, t in seen)
    assert len(r.corridor_months) > 0

    class Enough(Exception):
        pass

    def stop(*_):
        raise Enough()

    with pytest.raises(Enough):
        landlinked.Study(GRID, [landlinked.Scenario("q", "2022")], years=2000).run(progress=stop)


def test_tables_come_as_arrow_record_batches_that_pyarrow_and_polars_read():
    import pyarrow as pa
    import polars as pl

    r = landlinked.Study(GRID, [landlinked.Scenario("s", "2022")], years=1).run()
    for name in ["corridor_months", "balance_months", "percentiles", "congestion"]:
        b = pa.record_batch(r.to_arrow(name))
        df = getattr(r, name)
        assert b.schema.names == list(df.columns), name
        # The DataFrame is the batch's: same values, same types.
        pd.testing.assert_frame_equal(b.to_pandas(), df)
        assert pl.DataFrame(r.to_arrow(name)).shape == df.shape
    bal = pa.record_batch(r.to_arrow("balance_months"))
    assert bal.schema.field("exports_gwh").type == pa.float64()
    assert bal.schema.field("month").type == pa.string()
    assert pd.api.types.is_float_dtype(r.balance_months["exports_gwh"])
    # The batch exports the Rust buffers: reading it twice gives the same
    # memory, not a copy.
    a1 = pa.record_batch(r.to_arrow("balance_months")).column("exports_gwh").buffers()[1].address
    a2 = pa.record_batch(r.to_arrow("balance_months")).column("exports_gwh").buffers()[1].address
    assert a1 == a2
    with pytest.raises(ValueError, match="balance_months"):
        r.to_arrow("balance")


def test_hedging_serves_the_summer_load_that_strict_rule_curves_ration():
    """Dry 2022, two stochastic years: on strict rule curves the first
    stochastic year rations load in the filling season while Nurek fills;
    with hedging (the default) the reservoirs fill less and no load goes
    unserved from May to September, and the year's hydro energy is higher
    in the month that was short."""
    scenarios = [landlinked.Scenario("dry", "2022", hydrology="dry")]
    runs = {
        hedging: landlinked.Study(GRID, scenarios, years=2, hedging=hedging).run().balance_months
        for hedging in (False, True)
    }
    summer = ["May", "Jun", "Jul", "Aug", "Sep"]
    short = {
        h: b[b["month"].isin(summer)].groupby("year")["unserved_gwh"].sum() for h, b in runs.items()
    }
    assert short[False].max() > 1.0, "nothing to hedge: the test needs a short summer"
    assert short[True].max() < 0.01
    strict, hedged = runs[False], runs[True]
    year = short[False].idxmax()
    first = strict[(strict["year"] == year) & strict["month"].isin(summer) & (strict["unserved_gwh"] > 0)].index[0]
    assert hedged.loc[first, "hydro_gwh"] > strict.loc[first, "hydro_gwh"]
    assert hedged.loc[first, "storage_end_hm3"] < strict.loc[first, "storage_end_hm3"]
