//! The export study on the Central Asia grid: per scenario, water year and
//! hour, Tajikistan's surplus, the export dispatched on each corridor
//! within its capacity, the importer's appetite and the network's N-1
//! transfer capability of that hour, and what limits it.
//!
//! ```text
//! cargo run --release --example seasonal_exports [-- --grid FILE.toml --out out/seasonal
//!     --years 30 --seed 2022 --hourly "casa normal/normal" --format auto --monthly]
//! ```
//! Runs `2022 normal`, `2022 dry`, `2022 wet`, `casa normal` and
//! `full_build normal`, each in its named water year and `--years`
//! stochastic years (hourly study), prints one table per scenario (P50
//! surplus and exports by month, the P10–P90 of the exports, unserved
//! energy, the most frequent limit), and writes `corridor_months`,
//! `balance_months`, `percentiles`, `congestion` (and `hourly` for the
//! `--hourly` scenario/year), `summary.json`, `exports_fan.svg`,
//! `duration_curves.svg` and `congestion.svg`. `--format auto` (the
//! default) writes the hourly and per-year tables as Parquet and the others
//! as CSV; `--format csv` or `--format parquet` writes every table so.
//! `--monthly` runs the fast monthly-mean study instead and writes
//! `monthly_balance.csv`, `corridor_exports.csv`, `summary.json`,
//! `surplus.svg` and `exports.svg`.

mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use landlinked::hourly::{HourlySettings, HourlyStudy};
use landlinked::report;
use landlinked::report::table::Format;
use landlinked::seasonal::{SeasonalStudy, default_scenarios};

const USAGE: &str = "usage: seasonal_exports [--grid FILE.toml] [--out DIR] [--years N] [--seed N] \
[--hourly SCENARIO/YEAR] [--format csv|parquet|auto] [--monthly]";

fn main() -> ExitCode {
    common::finish(run())
}

fn run() -> Result<(), String> {
    let mut grid = PathBuf::from("grids/central_asia/central_asia.toml");
    let mut out = PathBuf::from("out/seasonal");
    let mut monthly = false;
    let mut format = Format::Auto;
    let mut settings = HourlySettings::default();
    let mut args = std::env::args().skip(1);
    let number = |v: Option<String>| -> Result<u64, String> {
        let v = v.ok_or(USAGE)?;
        v.parse()
            .map_err(|_| format!("`{v}` is not a whole number\n{USAGE}"))
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            "--grid" => grid = args.next().ok_or(USAGE)?.into(),
            "--out" => out = args.next().ok_or(USAGE)?.into(),
            "--years" => settings.years = number(args.next())? as usize,
            "--seed" => settings.seed = number(args.next())?,
            "--hourly" => {
                let v = args.next().ok_or(USAGE)?;
                let (s, y) = v
                    .rsplit_once('/')
                    .ok_or(format!("--hourly takes SCENARIO/YEAR\n{USAGE}"))?;
                settings.hourly = Some((s.to_string(), y.to_string()));
            }
            "--format" => {
                let v = args.next().ok_or(USAGE)?;
                format = v.parse().map_err(|e| format!("{e}\n{USAGE}"))?;
            }
            "--monthly" => monthly = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ => return Err(format!("unknown argument `{a}`\n{USAGE}")),
        }
    }
    if monthly {
        return run_monthly(&grid, &out);
    }
    let scenarios = default_scenarios();
    let bar = ProgressBar::new((scenarios.len() * (settings.years + 1)) as u64);
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} scenario-years {msg}")
        .map_err(|e| e.to_string())?;
    bar.set_style(style);
    let study = HourlyStudy { settings };
    let results = study
        .run(grid.as_path(), &scenarios, |p| {
            bar.set_message(p.scenario);
            bar.inc(1);
        })
        .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    for s in &scenarios {
        print!("{}", report::hourly::scenario_table(&results, &s.name));
    }
    report::hourly::write_all_as(&results, &out, format).map_err(|e| e.to_string())?;
    println!("wrote {}", out.display());
    Ok(())
}

/// The monthly-mean study (`--monthly`).
fn run_monthly(grid: &std::path::Path, out: &std::path::Path) -> Result<(), String> {
    let scenarios = default_scenarios();
    let bar = ProgressBar::new((scenarios.len() * 12) as u64);
    let style =
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}").map_err(|e| e.to_string())?;
    bar.set_style(style);
    let results = SeasonalStudy::default()
        .run_with(grid, &scenarios, |p| {
            bar.set_message(format!("{} {:?}", p.scenario, p.month));
            bar.set_position(p.done as u64);
        })
        .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    for s in &scenarios {
        print!("{}", report::seasonal::scenario_table(&results, &s.name));
    }
    report::seasonal::write_all(&results, out).map_err(|e| e.to_string())?;
    println!("wrote {}", out.display());
    Ok(())
}
