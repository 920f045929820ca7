//! The monthly-mean study's outputs as a whole: its tables
//! ([`write_seasonal_csv`](super::write_seasonal_csv)), `summary.json`
//! and its two charts, and a text table per scenario. The command line
//! (`landlinked study --monthly`) and the `seasonal_exports` example
//! (`--monthly`) both write and print through these.
//!
//! ```
//! use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy};
//! let r = SeasonalStudy::run("grids/central_asia/central_asia.toml",
//!     &[Scenario::new("s", "2022", Hydrology::Normal)])?;
//! let dir = std::env::temp_dir().join("landlinked-seasonal-all-doc");
//! landlinked::report::seasonal::write_all(&r, &dir)?;
//! assert!(dir.join("summary.json").exists() && dir.join("exports.svg").exists());
//! assert!(landlinked::report::seasonal::scenario_table(&r, "s").contains("== s: exports"));
//! # Ok::<(), landlinked::Error>(())
//! ```

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::charts;
use crate::error::Result;
use crate::seasonal::{Limit, StudyResults};

/// Writes `monthly_balance.csv`, `corridor_exports.csv`, `summary.json`
/// (per scenario: surplus, deficit, exports and unused energy in GWh, the
/// peak surplus, and per corridor its exports, peak and the limits met),
/// `surplus.svg` and `exports.svg` into `dir` (created if missing).
///
/// ```no_run
/// # let r = landlinked::seasonal::StudyResults { scenarios: vec![], months: vec![], corridors: vec![] };
/// landlinked::report::seasonal::write_all(&r, std::path::Path::new("out"))?;
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn write_all(r: &StudyResults, out: &Path) -> Result<()> {
    super::write_seasonal_csv(r, out)?;
    let summary: Vec<Summary> = r.scenarios.iter().map(|s| summarise(r, &s.name)).collect();
    super::write_json(&out.join("summary.json"), &summary)?;
    charts::surplus_chart(r, &out.join("surplus.svg"))?;
    charts::exports_chart(r, &out.join("exports.svg"))
}

/// One scenario as a text table: a title with its annual exports, then
/// per month the surplus (MW), the export on each corridor (MW) and the
/// limits of the open corridors.
///
/// ```no_run
/// # let r: landlinked::seasonal::StudyResults = todo!();
/// print!("{}", landlinked::report::seasonal::scenario_table(&r, "2022 normal"));
/// ```
pub fn scenario_table(r: &StudyResults, scenario: &str) -> String {
    let mut s = String::new();
    let mut names: Vec<&str> = Vec::new();
    for c in r.corridors.iter().filter(|c| c.scenario == scenario) {
        if !names.contains(&c.corridor.as_str()) {
            names.push(&c.corridor);
        }
    }
    let _ = writeln!(
        s,
        "\n== {scenario}: exports {:.0} GWh/yr ==",
        r.annual_exports_gwh(scenario)
    );
    let _ = write!(s, "{:<4} {:>8}", "mon", "surpl MW");
    for n in &names {
        let _ = write!(s, " {:>16}", short(n, 16));
    }
    let _ = writeln!(s, "  limits (open corridors)");
    for m in r.months.iter().filter(|m| m.scenario == scenario) {
        let _ = write!(s, "{:<4} {:>8.0}", format!("{:?}", m.month), m.surplus_mw);
        let rows: Vec<_> = r.corridors_in(scenario, m.month).collect();
        for c in &rows {
            let _ = write!(s, " {:>16.0}", c.export_mw);
        }
        let limits: Vec<String> = rows
            .iter()
            .filter(|c| c.limit != Limit::Season)
            .map(|c| format!("{}: {}", short(&c.corridor, 16), c.limit))
            .collect();
        let _ = writeln!(s, "  {}", limits.join("; "));
    }
    s
}

/// The first `width` characters of a name.
pub(crate) fn short(name: &str, width: usize) -> String {
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
