//! The export study on the Central Asia grid: per scenario, water year and
//! hour, Tajikistan's surplus, the export dispatched on each corridor
//! within its capacity, the importer's appetite and the network's N-1
//! transfer capability of that hour, and what limits it.
//!
//! ```text
//! cargo run --release --example seasonal_exports [-- --grid FILE.toml --out out/seasonal
//!     --years 30 --seed 2022 --hourly "casa normal/normal" --monthly]
//! ```
//! Runs `2022 normal`, `2022 dry`, `2022 wet`, `casa normal` and
//! `full_build normal`, each in its named water year and `--years`
//! stochastic years (hourly study), prints one table per scenario (P50
//! surplus and exports by month, the P10–P90 of the exports, unserved
//! energy, the most frequent limit), and writes `corridor_months.csv`,
//! `balance_months.csv`, `percentiles.csv`, `congestion.csv`,
//! `summary.json`, `exports_fan.svg`, `duration_curves.svg` and
//! `congestion.svg` (and `hourly.csv` for the `--hourly` scenario/year).
//! `--monthly` runs the fast monthly-mean study instead and writes
//! `monthly_balance.csv`, `corridor_exports.csv`, `summary.json`,
//! `surplus.svg` and `exports.svg`.

mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use landlinked::calendar::Month;
use landlinked::hourly::{HourlyResults, HourlySettings, HourlyStudy};
use landlinked::report::{self, charts};
use landlinked::seasonal::{Limit, SeasonalStudy, StudyResults, default_scenarios};
use serde::Serialize;

const USAGE: &str = "usage: seasonal_exports [--grid FILE.toml] [--out DIR] [--years N] [--seed N] \
[--hourly SCENARIO/YEAR] [--monthly]";

fn main() -> ExitCode {
    common::finish(run())
}

fn run() -> Result<(), String> {
    let mut grid = PathBuf::from("grids/central_asia/central_asia.toml");
    let mut out = PathBuf::from("out/seasonal");
    let mut monthly = false;
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
        print_hourly(&results, &s.name);
    }
    report::hourly::write_all(&results, &out).map_err(|e| e.to_string())?;
    println!("wrote {}", out.display());
    Ok(())
}

/// One table: month, P50 surplus and exports per corridor (mean MW), the
/// P10–P90 of all exports and the P50 unserved energy (GWh), the limit
/// that holds most hours.
fn print_hourly(r: &HourlyResults, scenario: &str) {
    let pct = |month: &str, q: &str| {
        r.percentiles
            .iter()
            .find(|p| p.scenario == scenario && p.month == month && p.quantity == q)
    };
    let mut names: Vec<&str> = Vec::new();
    for c in r.corridors.iter().filter(|c| c.scenario == scenario) {
        if !names.contains(&c.corridor.as_str()) {
            names.push(&c.corridor);
        }
    }
    let year = pct("year", "exports_gwh");
    println!(
        "\n== {scenario}: exports P10/P50/P90 {:.0}/{:.0}/{:.0} GWh/yr, unserved P50 {:.0} GWh/yr ==",
        year.map_or(0.0, |p| p.p10),
        year.map_or(0.0, |p| p.p50),
        year.map_or(0.0, |p| p.p90),
        pct("year", "unserved_gwh").map_or(0.0, |p| p.p50),
    );
    print!("{:<4} {:>8}", "mon", "surpl MW");
    for n in &names {
        print!(" {:>12}", short(n, 12));
    }
    println!(
        " {:>15} {:>9}  most frequent limit",
        "exp GWh P10-P90", "unsrv GWh"
    );
    for m in Month::ALL {
        let label = format!("{m:?}");
        let mw = |gwh: f64| gwh * 1000.0 / m.hours();
        print!(
            "{label:<4} {:>8.0}",
            pct(&label, "surplus_gwh").map_or(0.0, |p| mw(p.p50))
        );
        for n in &names {
            let q = format!("export_gwh:{n}");
            print!(" {:>12.0}", pct(&label, &q).map_or(0.0, |p| mw(p.p50)));
        }
        let e = pct(&label, "exports_gwh");
        print!(
            " {:>7.0}-{:<7.0} {:>9.1}",
            e.map_or(0.0, |p| p.p10),
            e.map_or(0.0, |p| p.p90),
            pct(&label, "unserved_gwh").map_or(0.0, |p| p.p50)
        );
        println!("  {}", top_limit(r, scenario, m));
    }
}

/// The corridor and limit that hold the most hours of `month` over the years.
fn top_limit(r: &HourlyResults, scenario: &str, month: Month) -> String {
    let mut totals: Vec<(String, u32)> = Vec::new();
    for c in r
        .corridors
        .iter()
        .filter(|c| c.scenario == scenario && c.month == month)
    {
        for (hours, what) in [
            (c.hours_at_network_limit, "network"),
            (c.hours_at_capacity, "capacity"),
            (c.hours_at_appetite, "appetite"),
            (c.hours_no_surplus, "no surplus"),
        ] {
            let key = format!("{}: {what}", short(&c.corridor, 16));
            match totals.iter_mut().find(|(k, _)| *k == key) {
                Some(t) => t.1 += hours,
                None => totals.push((key, hours)),
            }
        }
    }
    let top = totals.into_iter().filter(|t| t.1 > 0).max_by_key(|t| t.1);
    top.map(|t| t.0).unwrap_or_default()
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
        print_scenario(&results, &s.name);
    }
    write_outputs(&results, out).map_err(|e| e.to_string())?;
    println!("wrote {}", out.display());
    Ok(())
}

/// One table: month, surplus, export per corridor, limits of the open ones.
fn print_scenario(r: &StudyResults, scenario: &str) {
    let mut names: Vec<&str> = Vec::new();
    for c in r.corridors.iter().filter(|c| c.scenario == scenario) {
        if !names.contains(&c.corridor.as_str()) {
            names.push(&c.corridor);
        }
    }
    println!(
        "\n== {scenario}: exports {:.0} GWh/yr ==",
        r.annual_exports_gwh(scenario)
    );
    print!("{:<4} {:>8}", "mon", "surpl MW");
    for n in &names {
        print!(" {:>16}", short(n, 16));
    }
    println!("  limits (open corridors)");
    for m in r.months.iter().filter(|m| m.scenario == scenario) {
        print!("{:<4} {:>8.0}", format!("{:?}", m.month), m.surplus_mw);
        let rows: Vec<_> = r.corridors_in(scenario, m.month).collect();
        for c in &rows {
            print!(" {:>16.0}", c.export_mw);
        }
        let limits: Vec<String> = rows
            .iter()
            .filter(|c| c.limit != Limit::Season)
            .map(|c| format!("{}: {}", short(&c.corridor, 16), c.limit))
            .collect();
        println!("  {}", limits.join("; "));
    }
}

fn short(name: &str, width: usize) -> String {
    name.chars().take(width).collect()
}

#[derive(Serialize)]
struct Summary<'a> {
    scenario: &'a str,
    surplus_gwh: f64,
    deficit_gwh: f64,
    exports_gwh: f64,
    unused_gwh: f64,
    peak_surplus_mw: f64,
    corridors: Vec<CorridorSummary>,
}

#[derive(Serialize)]
struct CorridorSummary {
    corridor: String,
    exports_gwh: f64,
    peak_export_mw: f64,
    limits: Vec<String>,
}

fn write_outputs(r: &StudyResults, out: &std::path::Path) -> landlinked::Result<()> {
    report::write_seasonal_csv(r, out)?;
    let summary: Vec<Summary> = r.scenarios.iter().map(|s| summarise(r, &s.name)).collect();
    report::write_json(&out.join("summary.json"), &summary)?;
    charts::surplus_chart(r, &out.join("surplus.svg"))?;
    charts::exports_chart(r, &out.join("exports.svg"))
}

fn summarise<'a>(r: &'a StudyResults, scenario: &'a str) -> Summary<'a> {
    let months: Vec<_> = r.months.iter().filter(|m| m.scenario == scenario).collect();
    let mut corridors: Vec<CorridorSummary> = Vec::new();
    for c in r.corridors.iter().filter(|c| c.scenario == scenario) {
        let pos = corridors.iter().position(|s| s.corridor == c.corridor);
        let i = pos.unwrap_or_else(|| {
            corridors.push(CorridorSummary {
                corridor: c.corridor.clone(),
                exports_gwh: 0.0,
                peak_export_mw: 0.0,
                limits: Vec::new(),
            });
            corridors.len() - 1
        });
        let s = &mut corridors[i];
        s.exports_gwh += c.export_gwh;
        s.peak_export_mw = s.peak_export_mw.max(c.export_mw);
        let limit = c.limit.to_string();
        if c.limit != Limit::Season && !s.limits.contains(&limit) {
            s.limits.push(limit);
        }
    }
    Summary {
        scenario,
        surplus_gwh: months.iter().map(|m| m.surplus_gwh.max(0.0)).sum(),
        deficit_gwh: months.iter().map(|m| m.deficit_gwh).sum(),
        exports_gwh: months.iter().map(|m| m.exports_gwh).sum(),
        unused_gwh: months.iter().map(|m| m.unused_gwh).sum(),
        peak_surplus_mw: months.iter().map(|m| m.surplus_mw).fold(0.0, f64::max),
        corridors,
    }
}
