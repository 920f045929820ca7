//! Result tables: CSV files that pandas reads as they are, Parquet for the
//! large tables of the hourly study ([`table`]), JSON, and SVG charts
//! ([`charts`]).
//!
//! Numbers are written with Rust's shortest round-trip formatting, so a
//! value read back is the value computed, to the last bit.
//!
//! ```
//! use landlinked::{dc::DcPowerFlow, io::matpower, report};
//! let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 5 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.125 0 0 0 0 0 0 1 -360 360];", "x.m")?;
//! let sol = DcPowerFlow::new(&net)?.solve()?;
//! let dir = std::env::temp_dir().join("landlinked-report-doc");
//! report::write_dc_csv(&net, &sol, &dir)?;
//! let branch = std::fs::read_to_string(dir.join("branch.csv")).unwrap();
//! assert_eq!(branch, "f_bus,t_bus,pf_mw\n1,2,5.0\n");
//! # Ok::<(), landlinked::Error>(())
//! ```

pub mod charts;
pub mod hourly;
pub mod seasonal;
pub mod sensitivity;
pub mod table;

use std::path::Path;

use serde::Serialize;

use crate::dc::{DcPowerFlow, DcSolution};
use crate::error::{Error, Result};
use crate::network::Network;
use crate::seasonal::StudyResults;

/// Writes `bus.csv` (`bus_i,va_deg`), `branch.csv` (`f_bus,t_bus,pf_mw`)
/// and `gen.csv` (`bus,pg_mw`) into `dir` (created if missing), one row per
/// element in input order.
///
/// ```no_run
/// # use landlinked::{dc::DcPowerFlow, io::matpower, report};
/// # let net = matpower::read("case.m").unwrap();
/// # let sol = DcPowerFlow::new(&net).unwrap().solve().unwrap();
/// report::write_dc_csv(&net, &sol, "out").unwrap();
/// ```
pub fn write_dc_csv(net: &Network, sol: &DcSolution, dir: impl AsRef<Path>) -> Result<()> {
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let bus_rows = net
        .buses
        .iter()
        .zip(&sol.va_deg)
        .map(|(b, va)| vec![b.id.to_string(), fmt(*va)]);
    write_table(&dir.join("bus.csv"), &["bus_i", "va_deg"], bus_rows)?;
    let branch_rows = net
        .branches
        .iter()
        .zip(&sol.pf_mw)
        .map(|(br, pf)| vec![br.from.to_string(), br.to.to_string(), fmt(*pf)]);
    write_table(
        &dir.join("branch.csv"),
        &["f_bus", "t_bus", "pf_mw"],
        branch_rows,
    )?;
    let gen_rows = net
        .generators
        .iter()
        .zip(&sol.pg_mw)
        .map(|(g, pg)| vec![g.bus.to_string(), fmt(*pg)]);
    write_table(&dir.join("gen.csv"), &["bus", "pg_mw"], gen_rows)
}

/// The summary of one DC power flow as text, one `name  value` line each:
/// case (with `source`, the file it came from), buses (isolated), branches
/// (in service), generators, islands, total load, each island's slack
/// output, the largest flow, and the solver's warnings.
///
/// ```
/// use landlinked::{dc::DcPowerFlow, io::matpower, report};
/// let net = matpower::read("grids/case5_tap_shift.m")?;
/// let pf = DcPowerFlow::new(&net)?;
/// let sol = pf.solve()?;
/// let text = report::dc_summary(&net, &pf, &sol, "case5_tap_shift.m");
/// assert!(text.starts_with("case        "));
/// assert!(text.contains("\nislands     1\n"));
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn dc_summary(net: &Network, pf: &DcPowerFlow, sol: &DcSolution, source: &str) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let in_service = net.branches.iter().filter(|b| b.in_service).count();
    let (k_max, f_max) = sol.pf_mw.iter().enumerate().fold((0, 0.0f64), |m, (k, f)| {
        if f.abs() > m.1.abs() { (k, *f) } else { m }
    });
    let topo = pf.model().topology();
    let _ = writeln!(s, "case        {} ({})", net.name, source);
    let _ = writeln!(
        s,
        "buses       {} ({} isolated)",
        net.buses.len(),
        topo.isolated_count()
    );
    let _ = writeln!(
        s,
        "branches    {} ({} in service)",
        net.branches.len(),
        in_service
    );
    let _ = writeln!(s, "generators  {}", net.generators.len());
    let _ = writeln!(s, "islands     {}", sol.islands);
    let _ = writeln!(s, "total load  {:.3} MW", net.total_load_mw());
    for &r in pf.reference_buses() {
        let g = topo.slack_generator(r);
        let pg = g.map(|g| sol.pg_mw[g]).unwrap_or(0.0);
        let _ = writeln!(s, "slack       bus {}: {:.3} MW", net.buses[r].id, pg);
    }
    if let Some(br) = net.branches.get(k_max) {
        let _ = writeln!(
            s,
            "max flow    {:.3} MW on branch {} ({}-{})",
            f_max,
            k_max + 1,
            br.from,
            br.to
        );
    }
    for w in &sol.warnings {
        let _ = writeln!(s, "warning     {w}");
    }
    s
}

/// Writes one CSV table with a header row.
///
/// ```
/// let path = std::env::temp_dir().join("landlinked-table-doc.csv");
/// landlinked::report::write_table(&path, &["a", "b"], vec![vec!["1".to_string(), "2".to_string()]]).unwrap();
/// assert_eq!(std::fs::read_to_string(&path).unwrap(), "a,b\n1,2\n");
/// ```
pub fn write_table(
    path: &Path,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<()> {
    let mut w = csv::Writer::from_path(path).map_err(|e| write_error(path, e))?;
    w.write_record(header).map_err(|e| write_error(path, e))?;
    for row in rows {
        w.write_record(&row).map_err(|e| write_error(path, e))?;
    }
    w.flush().map_err(|e| write_error(path, e))
}

/// Shortest round-trip decimal form of a value.
fn fmt(v: f64) -> String {
    format!("{v:?}")
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Writes the seasonal study's tables into `dir` (created if missing):
/// `monthly_balance.csv` (one row per scenario and month) and
/// `corridor_exports.csv` (`scenario,month,corridor,export_mw,export_gwh,
/// capacity_mw,transfer_limit_mw,limit`, then `importer,merit,dc_flow_mw`;
/// an empty `transfer_limit_mw` means not computed or unlimited).
///
/// ```
/// use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy};
/// let r = SeasonalStudy::run("grids/central_asia/central_asia.toml",
///     &[Scenario::new("s", "2022", Hydrology::Normal)])?;
/// let dir = std::env::temp_dir().join("landlinked-seasonal-doc");
/// landlinked::report::write_seasonal_csv(&r, &dir)?;
/// let text = std::fs::read_to_string(dir.join("corridor_exports.csv")).unwrap();
/// assert!(text.starts_with("scenario,month,corridor,export_mw,export_gwh,capacity_mw,transfer_limit_mw,limit"));
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn write_seasonal_csv(results: &StudyResults, dir: impl AsRef<Path>) -> Result<()> {
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let header = [
        "scenario",
        "month",
        "hours",
        "hydro_gwh",
        "other_gwh",
        "generation_gwh",
        "load_gwh",
        "surplus_gwh",
        "surplus_mw",
        "exports_mw",
        "exports_gwh",
        "unused_gwh",
        "deficit_gwh",
        "border_flow_mw",
        "max_loading_pct",
        "most_loaded_branch",
        "overloaded_branches",
    ];
    let rows = results.months.iter().map(|m| {
        let mut row = vec![m.scenario.clone(), format!("{:?}", m.month)];
        row.extend(
            [
                m.hours,
                m.hydro_gwh,
                m.other_gwh,
                m.generation_gwh,
                m.load_gwh,
                m.surplus_gwh,
                m.surplus_mw,
                m.exports_mw,
                m.exports_gwh,
                m.unused_gwh,
                m.deficit_gwh,
                m.border_flow_mw,
                m.max_loading_pct,
            ]
            .map(fmt),
        );
        row.push(m.most_loaded_branch.clone());
        row.push(m.overloaded_branches.to_string());
        row
    });
    write_table(&dir.join("monthly_balance.csv"), &header, rows)?;
    let header = [
        "scenario",
        "month",
        "corridor",
        "export_mw",
        "export_gwh",
        "capacity_mw",
        "transfer_limit_mw",
        "limit",
        "importer",
        "merit",
        "dc_flow_mw",
    ];
    let rows = results.corridors.iter().map(|c| {
        vec![
            c.scenario.clone(),
            format!("{:?}", c.month),
            c.corridor.clone(),
            fmt(c.export_mw),
            fmt(c.export_gwh),
            fmt(c.capacity_mw),
            c.transfer_limit_mw.map(fmt).unwrap_or_default(),
            c.limit.to_string(),
            c.importer.clone(),
            c.merit.to_string(),
            fmt(c.dc_flow_mw),
        ]
    });
    write_table(&dir.join("corridor_exports.csv"), &header, rows)
}

/// Writes any serialisable value as pretty-printed JSON.
///
/// ```
/// let path = std::env::temp_dir().join("landlinked-json-doc.json");
/// landlinked::report::write_json(&path, &vec![1.5, 2.0])?;
/// assert_eq!(std::fs::read_to_string(&path).unwrap(), "[\n  1.5,\n  2.0\n]");
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn write_json(path: &Path, value: &impl Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| write_error(path, e))?;
    std::fs::write(path, text).map_err(|e| write_error(path, e))
}
