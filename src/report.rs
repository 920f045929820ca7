//! Result tables: CSV files that pandas reads as they are.
//!
//! Numbers are written with Rust's shortest round-trip formatting, so a
//! value read back is the value computed, to the last bit.
//!
//! ```
//! use landlinked::{dc::DcPowerFlow, io::matpower, report};
//! let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 5 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.1 0 0 0 0 0 0 1 -360 360];", "x.m")?;
//! let sol = DcPowerFlow::new(&net)?.solve()?;
//! let dir = std::env::temp_dir().join("landlinked-report-doc");
//! report::write_dc_csv(&net, &sol, &dir)?;
//! let branch = std::fs::read_to_string(dir.join("branch.csv")).unwrap();
//! assert_eq!(branch, "f_bus,t_bus,pf_mw\n1,2,5.0\n");
//! # Ok::<(), landlinked::Error>(())
//! ```

use std::path::Path;

use crate::dc::DcSolution;
use crate::error::{Error, Result};
use crate::network::Network;

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
