"""The hourly export study as a Dask sweep, notebook style (each ``# %%``
is a cell in Jupyter, VS Code or Spyder; as a script it runs top to bottom).

Runs three scenarios of the bundled Central Asia grid (stage 2022 in a dry,
a normal and a wet year) on a local cluster of single-threaded worker
processes, in tasks of ``--chunk`` water years, then the same study
serially, and checks that the tables are equal. On a Slurm cluster, make
the client with dask-jobqueue instead (see ``help(landlinked.dask)``).

Run from the repository root, with ``landlinked`` and ``dask[distributed]``
installed::

    python examples/python/dask_sweep.py --years 8 --chunk 3 --workers 2
"""

# %% Setup
import argparse
import pathlib
import time

import pandas as pd
from dask.distributed import Client, LocalCluster

import landlinked
import landlinked.dask

ROOT = pathlib.Path(__file__).resolve().parents[2]
GRID = ROOT / "grids" / "central_asia" / "central_asia.toml"


def main(argv=None):
    ap = argparse.ArgumentParser(description="The export study on a local Dask cluster.")
    ap.add_argument("--years", type=int, default=8, help="stochastic water years per scenario")
    ap.add_argument("--chunk", type=int, default=3, help="water years per task")
    ap.add_argument("--workers", type=int, default=2, help="worker processes (one thread each)")
    ap.add_argument("--seed", type=int, default=2022)
    a = ap.parse_args(argv)

    # %% Scenarios: the 2022 grid in three kinds of water year
    scenarios = [landlinked.Scenario(f"2022 {h}", "2022", hydrology=h) for h in ("dry", "normal", "wet")]
    study = landlinked.Study(GRID, scenarios, years=a.years, seed=a.seed)
    tasks = landlinked.dask.chunks(study, a.chunk)
    print(f"{len(scenarios)} scenarios x {a.years + 1} years in {len(tasks)} tasks of up to {a.chunk} years")

    # %% The sweep on a local cluster of single-threaded worker processes
    with LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True) as cluster, \
            Client(cluster) as client:
        t = time.perf_counter()
        r = landlinked.dask.sweep(client, GRID, scenarios, years=a.years, chunk=a.chunk, seed=a.seed)
        dask_s = time.perf_counter() - t
    print(f"dask: {dask_s:.2f} s on {a.workers} workers")

    # %% Exports: P10/P50/P90 of the year's exports over the stochastic years
    p = r.percentiles
    exports = p[(p["month"] == "year") & (p["quantity"] == "exports_gwh")]
    print(exports[["scenario", "p10", "p50", "p90"]].to_string(index=False))

    # %% The branches that limit exports most often
    top = r.congestion.sort_values("hours_binding", ascending=False).head(5)
    print(top[["scenario", "branch", "hours_binding", "max_loading_pct"]].to_string(index=False))

    # %% The same study serially: equal tables
    t = time.perf_counter()
    serial = study.run()
    print(f"serial: {time.perf_counter() - t:.2f} s")
    for name in ("corridor_months", "balance_months", "percentiles", "congestion"):
        pd.testing.assert_frame_equal(getattr(r, name), getattr(serial, name), check_exact=True)
    print("the Dask sweep's tables equal the serial run's")
    return r


if __name__ == "__main__":
    main()
