"""The `landlinked` command's Parquet tables, read by pandas (and polars,
where installed) as they are: the same columns, types and values as the
CSV that the same run writes with `--format csv`.

Takes the command from LANDLINKED_BIN (.ci/run gives the one `cargo test`
built), or builds it with cargo; skips where neither is there.
"""

import json
import os
import pathlib
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT

PARQUET = ("hourly", "corridor_months", "balance_months")
CSV = ("percentiles", "congestion")
TEXT = {"scenario", "year", "month", "corridor", "importer", "binding"}


def landlinked_command():
    exe = os.environ.get("LANDLINKED_BIN")
    if exe:
        return exe
    cargo = shutil.which("cargo")
    if cargo is None:
        pytest.skip("no cargo to build the landlinked command (or set LANDLINKED_BIN)")
    subprocess.run([cargo, "build", "--quiet", "--bin", "landlinked"], cwd=ROOT, check=True)
    meta = subprocess.run(
        [cargo, "metadata", "--format-version", "1", "--no-deps"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return str(pathlib.Path(json.loads(meta.stdout)["target_directory"]) / "debug" / "landlinked")


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """One small study written twice: --format auto and --format csv."""
    exe = landlinked_command()
    out = {}
    for fmt in ("auto", "csv"):
        folder = tmp_path_factory.mktemp(fmt)
        subprocess.run(
            [exe, "--quiet", "study", "--years", "1", "--scenario", "s:2022",
             "--hourly", "s/normal", "--out", str(folder), "--format", fmt],
            cwd=ROOT,
            check=True,
        )
        out[fmt] = folder
    return out


def test_auto_writes_the_large_tables_as_parquet(study):
    names = sorted(p.name for p in study["auto"].iterdir() if p.suffix in (".csv", ".parquet"))
    assert names == sorted([f"{t}.parquet" for t in PARQUET] + [f"{t}.csv" for t in CSV])


@pytest.mark.parametrize("table", PARQUET)
def test_pandas_reads_parquet_as_the_csv(study, table):
    pq = pd.read_parquet(study["auto"] / f"{table}.parquet")
    # The CSV as text, each value parsed by Python (floats correctly rounded).
    text = pd.read_csv(study["csv"] / f"{table}.csv", dtype=str, keep_default_na=False)
    assert list(pq.columns) == list(text.columns)
    assert len(pq) == len(text) > 0
    for col in pq.columns:
        if col in TEXT:
            assert pd.api.types.is_string_dtype(pq[col]), col
            assert pq[col].tolist() == text[col].tolist(), col
        elif col == "hour" or col.startswith("hours_"):
            assert pq[col].dtype == np.int64, col
            assert pq[col].tolist() == [int(v) for v in text[col]], col
        else:
            assert pq[col].dtype == np.float64, col
            want = np.array([float(v) for v in text[col]])
            np.testing.assert_array_equal(pq[col].to_numpy(), want, err_msg=col)


def test_hours_of_the_year(study):
    hours = pd.read_parquet(study["auto"] / "hourly.parquet")
    assert hours["hour"].tolist() == list(range(8760))
    assert set(hours["scenario"]) == {"s"} and set(hours["year"]) == {"normal"}
    assert hours["month"].iloc[0] == "Jan" and hours["month"].iloc[-1] == "Dec"
    balance = pd.read_parquet(study["auto"] / "balance_months.parquet")
    assert len(balance) == 2 * 12  # the named year and one stochastic year, 12 months
    assert set(balance["year"]) == {"normal", "1"}


def test_polars_reads_parquet(study):
    pl = pytest.importorskip("polars")
    df = pl.read_parquet(study["auto"] / "hourly.parquet")
    assert df.schema["hour"] == pl.Int64 and df.schema["load_mw"] == pl.Float64
    assert df.schema["scenario"] == pl.String and df.height == 8760
