//! The hourly study's outputs: tidy tables (one row per key, units in the
//! column names) as CSV or Parquet ([`table`]),
//! `summary.json`, and three SVG charts: a fan chart of monthly exports per
//! corridor over the water years (P10–P90 band, median line), the duration
//! curves of each corridor's hourly export, and the branches that bind
//! exports most often.
//!
//! Every file is written to a temporary name and renamed when complete, so
//! a failed run never leaves a table that looks whole.
//!
//! ```
//! use landlinked::hourly::{HourlySettings, HourlyStudy};
//! use landlinked::seasonal::{Hydrology, Scenario};
//! let study = HourlyStudy { settings: HourlySettings { years: 2, ..Default::default() } };
//! let r = study.run("grids/central_asia/central_asia.toml",
//!     &[Scenario::new("s", "2022", Hydrology::Normal)], |_| {})?;
//! let dir = std::env::temp_dir().join("landlinked-hourly-doc");
//! landlinked::report::hourly::write_all(&r, &dir)?;
//! let text = std::fs::read_to_string(dir.join("corridor_months.csv")).unwrap();
//! assert!(text.starts_with("scenario,year,month,corridor,importer,capacity_mw,export_gwh,partner_gwh,peak_mw,revenue_musd"));
//! # Ok::<(), landlinked::Error>(())
//! ```

use std::path::{Path, PathBuf};

use plotters::prelude::*;
use serde::Serialize;

use super::charts::{Area, DrawResult, PALETTE, chart_error, legend, mesh, padded_range};
use super::seasonal::short;
use super::table::{self, Column, FileFormat, Format, Frame, Row, Values};
use crate::calendar::Month;
use crate::error::{Error, Result};
use crate::hourly::{Congestion, HourlyResults, Percentile};

/// Writes every table, `summary.json` and the charts into `dir` (created
/// if missing), every table as CSV: `corridor_months.csv`,
/// `balance_months.csv`, `percentiles.csv`, `congestion.csv`, `hourly.csv`
/// (when hours were kept), `exports_fan.svg`, `duration_curves.svg`,
/// `congestion.svg`. [`write_all_as`] chooses another format.
///
/// ```
/// # use landlinked::hourly::HourlyResults;
/// let dir = std::env::temp_dir().join("landlinked-hourly-empty");
/// landlinked::report::hourly::write_all(&HourlyResults::default(), &dir)?;
/// assert!(dir.join("balance_months.csv").exists());
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn write_all(r: &HourlyResults, dir: &Path) -> Result<()> {
    write_all_as(r, dir, Format::Csv)
}

/// [`write_all`] with each table in the format that `format` chooses for
/// it ([`table`]): with [`Format::Auto`], `hourly`,
/// `corridor_months` and `balance_months` as Parquet, `percentiles` and
/// `congestion` as CSV. Each table is written whole or not at all, and
/// replaces the same table in the other format.
///
/// ```
/// # use landlinked::hourly::HourlyResults;
/// use landlinked::report::table::Format;
/// let dir = std::env::temp_dir().join(format!("landlinked-hourly-auto-{}", std::process::id()));
/// landlinked::report::hourly::write_all_as(&HourlyResults::default(), &dir, Format::Auto)?;
/// # #[cfg(feature = "parquet")]
/// assert!(dir.join("balance_months.parquet").exists());
/// assert!(dir.join("percentiles.csv").exists());
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn write_all_as(r: &HourlyResults, dir: &Path, format: Format) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    table::write(dir, "corridor_months", &r.corridors, format)?;
    table::write(dir, "balance_months", &r.balance, format)?;
    table::write(dir, "percentiles", &r.percentiles, format)?;
    table::write(dir, "congestion", &r.congestion, format)?;
    if !r.hours.is_empty() {
        table::write(dir, "hourly", &r.hours, format)?;
    }
    atomically(&dir.join("summary.json"), |p| {
        super::write_json(p, &summary(r))
    })?;
    atomically(&dir.join("exports_fan.svg"), |p| {
        draw(p, panels_size(r), |a| fan(r, a))
    })?;
    atomically(&dir.join("duration_curves.svg"), |p| {
        draw(p, panels_size(r), |a| duration(r, a))
    })?;
    atomically(&dir.join("congestion.svg"), |p| {
        draw(p, (1000, 500), |a| congestion(r, a))
    })
}

/// Draws the charts that a folder of result tables holds, the same
/// charts as [`write_all`] draws from the study's results: from the
/// `percentiles` table `exports_fan.svg`, from `congestion`
/// `congestion.svg`, into `out` (created if missing). Each table is
/// `NAME.csv` or `NAME.parquet` in `dir` (a study's `--out` or a merged
/// sweep); the scenarios are in the order of their first rows. The
/// duration curves need the hours, which no table keeps, so
/// `duration_curves.svg` is not drawn. A missing table, a table in both
/// formats and a table whose columns differ are errors naming it. Returns
/// the charts written.
///
/// ```
/// use landlinked::hourly::{HourlySettings, HourlyStudy};
/// use landlinked::seasonal::{Hydrology, Scenario};
/// let study = HourlyStudy { settings: HourlySettings { years: 0, ..Default::default() } };
/// let r = study.run("grids/central_asia/central_asia.toml",
///     &[Scenario::new("s", "2022", Hydrology::Dry)], |_| {})?;
/// let dir = std::env::temp_dir().join(format!("landlinked-charts-doc-{}", std::process::id()));
/// landlinked::report::hourly::write_all(&r, &dir.join("study"))?;
/// let charts = landlinked::report::hourly::charts_from_tables(&dir.join("study"), &dir.join("charts"))?;
/// assert_eq!(charts.len(), 2);
/// let read = |d: &str| std::fs::read(dir.join(d).join("exports_fan.svg")).unwrap();
/// assert!(read("study") == read("charts"));
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn charts_from_tables(dir: &Path, out: &Path) -> Result<Vec<PathBuf>> {
    let percentiles = read_table(dir, "percentiles", Percentile::SCHEMA)?;
    let congestion = read_table(dir, "congestion", Congestion::SCHEMA)?;
    let r = HourlyResults {
        percentiles: (0..percentiles.len())
            .map(|i| Percentile {
                scenario: text(&percentiles, "scenario", i),
                month: text(&percentiles, "month", i),
                quantity: text(&percentiles, "quantity", i),
                p10: float(&percentiles, "p10", i),
                p50: float(&percentiles, "p50", i),
                p90: float(&percentiles, "p90", i),
            })
            .collect(),
        congestion: (0..congestion.len())
            .map(|i| Congestion {
                scenario: text(&congestion, "scenario", i),
                branch: text(&congestion, "branch", i),
                from_bus: text(&congestion, "from_bus", i),
                to_bus: text(&congestion, "to_bus", i),
                rating_mw: float(&congestion, "rating_mw", i),
                max_loading_pct: float(&congestion, "max_loading_pct", i),
                hours_over_80pct: count(&congestion, "hours_over_80pct", i),
                hours_over_100pct: count(&congestion, "hours_over_100pct", i),
                hours_binding: count(&congestion, "hours_binding", i),
                most_frequent_outage: text(&congestion, "most_frequent_outage", i),
            })
            .collect(),
        ..Default::default()
    };
    std::fs::create_dir_all(out).map_err(|e| write_error(out, e))?;
    let fan_path = out.join("exports_fan.svg");
    atomically(&fan_path, |p| draw(p, panels_size(&r), |a| fan(&r, a)))?;
    let congestion_path = out.join("congestion.svg");
    atomically(&congestion_path, |p| {
        draw(p, (1000, 500), |a| self::congestion(&r, a))
    })?;
    Ok(vec![fan_path, congestion_path])
}

/// The table `stem` of `dir`, `.csv` or `.parquet`: exactly one of them.
fn read_table(dir: &Path, stem: &str, schema: &[Column]) -> Result<Frame> {
    let csv = dir.join(FileFormat::Csv.file_name(stem));
    let parquet = dir.join(FileFormat::Parquet.file_name(stem));
    let path = match (csv.exists(), parquet.exists()) {
        (true, false) => csv,
        (false, true) => parquet,
        (true, true) => {
            return Err(Error::Invalid {
                message: format!(
                    "both {} and {}: which is the table `{stem}`?",
                    csv.display(),
                    parquet.display()
                ),
            });
        }
        (false, false) => {
            return Err(Error::Invalid {
                message: format!(
                    "{}: no table `{stem}` ({stem}.csv or {stem}.parquet)",
                    dir.display()
                ),
            });
        }
    };
    Frame::read(&path, schema)
}

// Frame::read checked the columns' names and kinds against the schema.
fn text(f: &Frame, name: &str, i: usize) -> String {
    match f.column(name) {
        Some(Values::Utf8(v)) => v[i].clone(),
        _ => unreachable!("a Utf8 column `{name}` by the schema"),
    }
}

fn float(f: &Frame, name: &str, i: usize) -> f64 {
    match f.column(name) {
        Some(Values::Float64(v)) => v[i],
        _ => unreachable!("a Float64 column `{name}` by the schema"),
    }
}

fn count(f: &Frame, name: &str, i: usize) -> u32 {
    match f.column(name) {
        Some(Values::Int64(v)) => u32::try_from(v[i]).unwrap_or(u32::MAX),
        _ => unreachable!("an Int64 column `{name}` by the schema"),
    }
}

/// One scenario as a text table: a title with the P10/P50/P90 of its
/// annual exports and its P50 unserved energy, then per month the P50
/// surplus and P50 exports per corridor (mean MW), the P10–P90 of all
/// exports and the P50 unserved energy (GWh), and the corridor limit that
/// holds most hours.
///
/// ```
/// # use landlinked::hourly::{HourlySettings, HourlyStudy};
/// # use landlinked::seasonal::{Hydrology, Scenario};
/// let study = HourlyStudy { settings: HourlySettings { years: 0, ..Default::default() } };
/// let r = study.run("grids/central_asia/central_asia.toml",
///     &[Scenario::new("s", "2022", Hydrology::Normal)], |_| {})?;
/// let table = landlinked::report::hourly::scenario_table(&r, "s");
/// assert!(table.contains("== s: exports P10/P50/P90"));
/// assert_eq!(table.lines().filter(|l| l.starts_with("Jul ")).count(), 1);
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn scenario_table(r: &HourlyResults, scenario: &str) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
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
    let _ = writeln!(
        s,
        "\n== {scenario}: exports P10/P50/P90 {:.0}/{:.0}/{:.0} GWh/yr, unserved P50 {:.0} GWh/yr ==",
        year.map_or(0.0, |p| p.p10),
        year.map_or(0.0, |p| p.p50),
        year.map_or(0.0, |p| p.p90),
        pct("year", "unserved_gwh").map_or(0.0, |p| p.p50),
    );
    let _ = write!(s, "{:<4} {:>8}", "mon", "surpl MW");
    for n in &names {
        let _ = write!(s, " {:>12}", short(n, 12));
    }
    let _ = writeln!(
        s,
        " {:>15} {:>9}  most frequent limit",
        "exp GWh P10-P90", "unsrv GWh"
    );
    for m in Month::ALL {
        let label = format!("{m:?}");
        let mw = |gwh: f64| gwh * 1000.0 / m.hours();
        let _ = write!(
            s,
            "{label:<4} {:>8.0}",
            pct(&label, "surplus_gwh").map_or(0.0, |p| mw(p.p50))
        );
        for n in &names {
            let q = format!("export_gwh:{n}");
            let _ = write!(s, " {:>12.0}", pct(&label, &q).map_or(0.0, |p| mw(p.p50)));
        }
        let e = pct(&label, "exports_gwh");
        let _ = write!(
            s,
            " {:>7.0}-{:<7.0} {:>9.1}",
            e.map_or(0.0, |p| p.p10),
            e.map_or(0.0, |p| p.p90),
            pct(&label, "unserved_gwh").map_or(0.0, |p| p.p50)
        );
        let _ = writeln!(s, "  {}", top_limit(r, scenario, m));
    }
    s
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

/// Writes `rows` as CSV with a header from the field names (a row type
/// of plain fields), whole or not at all.
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Row { bus: u64, load_mw: f64 }
/// let path = std::env::temp_dir().join("landlinked-rows-doc.csv");
/// landlinked::report::hourly::write_rows(&path, &[Row { bus: 1, load_mw: 2.5 }])?;
/// assert_eq!(std::fs::read_to_string(&path).unwrap(), "bus,load_mw\n1,2.5\n");
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn write_rows<T: Serialize>(path: &Path, rows: &[T]) -> Result<()> {
    atomically(path, |tmp| {
        let mut w = csv::Writer::from_path(tmp).map_err(|e| write_error(path, e))?;
        for row in rows {
            w.serialize(row).map_err(|e| write_error(path, e))?;
        }
        w.flush().map_err(|e| write_error(path, e))
    })
}

/// Runs `write` on a temporary file beside `path`, then renames it.
pub(crate) fn atomically(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".partial");
    let tmp = std::path::PathBuf::from(tmp);
    let result = write(&tmp);
    if result.is_err() {
        std::fs::remove_file(&tmp).ok();
        return result;
    }
    std::fs::rename(&tmp, path).map_err(|e| write_error(path, e))
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Per scenario: annual P10/P50/P90 of the quantities, and per corridor
/// its median energy and the branches binding it most.
#[derive(Serialize)]
struct Summary<'a> {
    scenario: &'a str,
    annual: Vec<Quantiles<'a>>,
    most_binding_branches: Vec<(&'a str, u32, &'a str)>,
}

#[derive(Serialize)]
struct Quantiles<'a> {
    quantity: &'a str,
    p10: f64,
    p50: f64,
    p90: f64,
}

/// The scenarios in the order of their first rows: the balance rows (every
/// scenario of a study has them), then the percentiles and the congestion
/// rows (for results read from those tables alone).
fn scenarios(r: &HourlyResults) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let names = r
        .balance
        .iter()
        .map(|b| b.scenario.as_str())
        .chain(r.percentiles.iter().map(|p| p.scenario.as_str()))
        .chain(r.congestion.iter().map(|c| c.scenario.as_str()));
    for s in names {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

fn summary(r: &HourlyResults) -> Vec<Summary<'_>> {
    scenarios(r)
        .into_iter()
        .map(|s| {
            let annual = r
                .percentiles
                .iter()
                .filter(|p| p.scenario == s && p.month == "year")
                .map(|p| Quantiles {
                    quantity: &p.quantity,
                    p10: p.p10,
                    p50: p.p50,
                    p90: p.p90,
                })
                .collect();
            let mut binding: Vec<_> = r
                .congestion
                .iter()
                .filter(|c| c.scenario == s && c.hours_binding > 0)
                .map(|c| {
                    (
                        c.branch.as_str(),
                        c.hours_binding,
                        c.most_frequent_outage.as_str(),
                    )
                })
                .collect();
            binding.sort_by_key(|b| std::cmp::Reverse(b.1));
            binding.truncate(5);
            Summary {
                scenario: s,
                annual,
                most_binding_branches: binding,
            }
        })
        .collect()
}

/// The size of a chart with a panel per scenario, two abreast: 1000 × 700
/// px up to three rows (six scenarios), then 700/3 px more per row, so
/// that a sweep's many cases keep readable panels.
fn panels_size(r: &HourlyResults) -> (u32, u32) {
    let rows = scenarios(r).len().div_ceil(2) as u32;
    (1000, (rows * 700).div_ceil(3).max(700))
}

fn draw(path: &Path, size: (u32, u32), f: impl FnOnce(&Area) -> DrawResult) -> Result<()> {
    let root = SVGBackend::new(path, size).into_drawing_area();
    f(&root).map_err(|e| chart_error(path, e))?;
    root.present().map_err(|e| chart_error(path, e))
}

/// Fan chart: per scenario a panel, per corridor its monthly exports over
/// the years, P10–P90 band and median line, mean MW.
fn fan(r: &HourlyResults, root: &Area) -> DrawResult {
    root.fill(&WHITE)?;
    let names = scenarios(r);
    let rows = names.len().div_ceil(2).max(1);
    let panels = root.split_evenly((rows, 2));
    for (s, panel) in names.iter().zip(&panels) {
        let rows = r
            .percentiles
            .iter()
            .filter(|p| p.scenario == *s && p.quantity.starts_with("export_gwh:"));
        let mw = |gwh: f64, m: Month| gwh * 1000.0 / m.hours();
        let month_of = |label: &str| {
            Month::ALL
                .iter()
                .copied()
                .find(|m| format!("{m:?}") == label)
        };
        let points: Vec<(String, Month, f64, f64, f64)> = rows
            .filter_map(|p| {
                let m = month_of(&p.month)?;
                let name = p.quantity.trim_start_matches("export_gwh:").to_string();
                Some((name, m, mw(p.p10, m), mw(p.p50, m), mw(p.p90, m)))
            })
            .collect();
        let hi = padded_range(points.iter().map(|p| p.4)).1;
        let mut chart = ChartBuilder::on(panel)
            .caption(
                format!("{s}: monthly exports, P10–P90 and median, MW"),
                ("sans-serif", 15),
            )
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(50)
            .build_cartesian_2d(-0.5f64..11.5f64, 0.0..hi)?;
        mesh(&mut chart, "MW")?;
        let mut corridors: Vec<&str> = Vec::new();
        for p in &points {
            if !corridors.contains(&p.0.as_str()) {
                corridors.push(&p.0);
            }
        }
        for (k, c) in corridors.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let mine: Vec<_> = points.iter().filter(|p| p.0 == *c).collect();
            let mut band: Vec<(f64, f64)> =
                mine.iter().map(|p| (p.1.index() as f64, p.4)).collect();
            band.extend(mine.iter().rev().map(|p| (p.1.index() as f64, p.2)));
            chart.draw_series(std::iter::once(Polygon::new(
                band,
                colour.mix(0.25).filled(),
            )))?;
            let median: Vec<(f64, f64)> = mine.iter().map(|p| (p.1.index() as f64, p.3)).collect();
            chart
                .draw_series(LineSeries::new(median, colour.stroke_width(2)))?
                .label(*c)
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2))
                });
        }
        legend(&mut chart)?;
    }
    Ok(())
}

/// Duration curves: per scenario a panel, each corridor's hourly exports
/// over all stochastic years sorted from the highest, against the share
/// of hours.
fn duration(r: &HourlyResults, root: &Area) -> DrawResult {
    root.fill(&WHITE)?;
    let names = scenarios(r);
    let rows = names.len().div_ceil(2).max(1);
    let panels = root.split_evenly((rows, 2));
    for (s, panel) in names.iter().zip(&panels) {
        let curves: Vec<_> = r.duration_curves.iter().filter(|c| c.0 == *s).collect();
        let hi = padded_range(
            curves
                .iter()
                .flat_map(|c| c.2.first().map(|&v| f64::from(v))),
        )
        .1;
        let mut chart = ChartBuilder::on(panel)
            .caption(
                format!("{s}: hourly exports, duration curves"),
                ("sans-serif", 15),
            )
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0f64..100.0f64, 0.0..hi)?;
        chart
            .configure_mesh()
            .x_desc("% of hours")
            .y_desc("MW")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .light_line_style(WHITE)
            .draw()?;
        for (k, c) in curves.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let n = c.2.len().max(1);
            // At most 500 points per curve.
            let step = n.div_ceil(500).max(1);
            let line: Vec<(f64, f64)> = (0..n)
                .step_by(step)
                .filter_map(|i| {
                    c.2.get(i)
                        .map(|&v| (100.0 * i as f64 / n as f64, f64::from(v)))
                })
                .collect();
            chart
                .draw_series(LineSeries::new(line, colour.stroke_width(2)))?
                .label(c.1.as_str())
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2))
                });
        }
        legend(&mut chart)?;
    }
    Ok(())
}

/// The ten branches that bind exports most often (hours, all scenarios),
/// as horizontal bars, one colour per scenario.
fn congestion(r: &HourlyResults, root: &Area) -> DrawResult {
    root.fill(&WHITE)?;
    let mut rows: Vec<_> = r
        .congestion
        .iter()
        .filter(|c| c.hours_binding > 0)
        .collect();
    rows.sort_by_key(|c| std::cmp::Reverse(c.hours_binding));
    rows.truncate(10);
    let hi = padded_range(rows.iter().map(|c| f64::from(c.hours_binding))).1;
    let n = rows.len().max(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .caption(
            "Branches binding exports most often (hours, N-1)",
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(470)
        .build_cartesian_2d(0.0..hi, -0.5f64..(n - 0.5))?;
    let labels: Vec<String> = rows
        .iter()
        .map(|c| {
            let outage = match c.most_frequent_outage.as_str() {
                "base case" => "base case".to_string(),
                o => format!("N-1 of {o}"),
            };
            format!("{} [{}; {outage}]", c.branch, c.scenario)
        })
        .collect();
    chart
        .configure_mesh()
        .y_labels(rows.len().max(1))
        .y_label_formatter(&|y| {
            let i = y.round();
            if (y - i).abs() > 1e-6 || i < 0.0 {
                return String::new();
            }
            labels.get(i as usize).cloned().unwrap_or_default()
        })
        .x_desc("hours binding, all water years")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_style(("sans-serif", 11))
        .light_line_style(WHITE)
        .draw()?;
    let names = scenarios(r);
    chart.draw_series(rows.iter().enumerate().map(|(i, c)| {
        let k = names.iter().position(|s| *s == c.scenario).unwrap_or(0);
        let y = i as f64;
        Rectangle::new(
            [(0.0, y - 0.35), (f64::from(c.hours_binding), y + 0.35)],
            PALETTE[k % PALETTE.len()].filled(),
        )
    }))?;
    Ok(())
}
