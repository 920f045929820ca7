//! Benchmark of the hourly export study: the default scenarios of
//! `seasonal_exports` (5 scenarios, their named year and `--years`
//! stochastic years, 8,760 hours each, N-1-secured exports every hour),
//! printed as one JSON line.
//!
//! ```text
//! cargo run --release --example bench_study [-- --years 30 --threads 2 --grid FILE.toml --write-case FILE.m]
//! ```
//! Keys: `scenarios`, `years` (per scenario, the named one included),
//! `hours` (scenario-hours in all), `seconds` (wall), `us_per_scenario_hour`,
//! `dc_seconds` (time in the DC core and the sensitivities, summed over
//! threads), `threads`, `peak_rss_mb`. `--write-case FILE.m` also writes the
//! `casa` stage's network as a MATPOWER case (loads at their annual mean),
//! for the peers' benchmark of a plain year of flows on a grid of the same
//! size (`benches/peers/peers.py`).

mod common;

use std::process::ExitCode;
use std::time::Instant;

use landlinked::hourly::{HourlySettings, HourlyStudy};
use landlinked::seasonal::default_scenarios;

const USAGE: &str =
    "usage: bench_study [--years N] [--threads N] [--grid FILE.toml] [--write-case FILE.m]";

fn main() -> ExitCode {
    common::finish(run())
}

fn run() -> Result<(), String> {
    let mut grid = "grids/central_asia/central_asia.toml".to_string();
    let mut years = 30usize;
    let mut threads = 0usize;
    let mut case: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| USAGE.to_string());
        match a.as_str() {
            "--years" => years = value()?.parse().map_err(|_| USAGE.to_string())?,
            "--threads" => threads = value()?.parse().map_err(|_| USAGE.to_string())?,
            "--grid" => grid = value()?,
            "--write-case" => case = Some(value()?),
            _ => return Err(format!("unknown argument `{a}`\n{USAGE}")),
        }
    }
    if let Some(path) = &case {
        let g = landlinked::io::grid::read_stage(&grid, "casa", &[]).map_err(|e| e.to_string())?;
        landlinked::io::matpower::write(g.network(), path).map_err(|e| e.to_string())?;
        eprintln!("wrote {path}");
    }
    if threads > 0 {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .map_err(|e| e.to_string())?;
    }
    let scenarios = default_scenarios();
    let study = HourlyStudy {
        settings: HourlySettings {
            years,
            ..HourlySettings::default()
        },
    };
    let t = Instant::now();
    let r = study
        .run(grid.as_str(), &scenarios, |_| {})
        .map_err(|e| e.to_string())?;
    let seconds = t.elapsed().as_secs_f64();
    let per_scenario = years + 1;
    let hours = scenarios.len() * per_scenario * 8760;
    assert_eq!(r.balance.len(), scenarios.len() * per_scenario * 12);
    println!(
        "{{\"scenarios\":{},\"years\":{},\"hours\":{},\"seconds\":{:.3},\"us_per_scenario_hour\":{:.3},\"dc_seconds\":{:.3},\"threads\":{},\"peak_rss_mb\":{:.1}}}",
        scenarios.len(),
        per_scenario,
        hours,
        seconds,
        seconds * 1e6 / hours as f64,
        r.dc_seconds,
        rayon::current_num_threads(),
        common::peak_rss_mb()
    );
    Ok(())
}
