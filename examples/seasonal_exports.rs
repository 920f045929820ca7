//! The seasonal export study on the Central Asia grid: per scenario and
//! month, Tajikistan's surplus, the export dispatched on each corridor
//! within its capacity and the network's N-1 transfer capability, and what
//! limits it.
//!
//! ```text
//! cargo run --release --example seasonal_exports [-- --grid grids/central_asia/central_asia.toml --out out/seasonal]
//! ```
//! Runs `2022 normal`, `2022 dry`, `2022 wet`, `casa normal` and
//! `full_build normal`, prints one table per scenario, and writes
//! `monthly_balance.csv`, `corridor_exports.csv`, `summary.json`,
//! `surplus.svg` and `exports.svg` into the output folder.

mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use landlinked::report::{self, charts};
use landlinked::seasonal::{Hydrology, Limit, Scenario, SeasonalStudy, StudyResults};
use serde::Serialize;

const USAGE: &str = "usage: seasonal_exports [--grid FILE.toml] [--out DIR]";

fn main() -> ExitCode {
    common::finish(run())
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario::new("2022 normal", "2022", Hydrology::Normal),
        Scenario::new("2022 dry", "2022", Hydrology::Dry),
        Scenario::new("2022 wet", "2022", Hydrology::Wet),
        Scenario::new("casa normal", "casa", Hydrology::Normal),
        Scenario::new("full_build normal", "full_build", Hydrology::Normal),
    ]
}

fn run() -> Result<(), String> {
    let mut grid = PathBuf::from("grids/central_asia/central_asia.toml");
    let mut out = PathBuf::from("out/seasonal");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--grid" => grid = args.next().ok_or(USAGE)?.into(),
            "--out" => out = args.next().ok_or(USAGE)?.into(),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ => return Err(format!("unknown argument `{a}`\n{USAGE}")),
        }
    }
    let scenarios = scenarios();
    let bar = ProgressBar::new((scenarios.len() * 12) as u64);
    let style =
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}").map_err(|e| e.to_string())?;
    bar.set_style(style);
    let results = SeasonalStudy::default()
        .run_with(grid.as_path(), &scenarios, |p| {
            bar.set_message(format!("{} {:?}", p.scenario, p.month));
            bar.set_position(p.done as u64);
        })
        .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    for s in &scenarios {
        print_scenario(&results, &s.name);
    }
    write_outputs(&results, &out).map_err(|e| e.to_string())?;
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
        print!(" {:>16}", short(n));
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
            .map(|c| format!("{}: {}", short(&c.corridor), c.limit))
            .collect();
        println!("  {}", limits.join("; "));
    }
}

fn short(name: &str) -> String {
    name.chars().take(16).collect()
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
