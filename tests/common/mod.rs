//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod demand;
pub mod hourly;
pub mod hydro;
pub mod reduce;
pub mod triangle;

use std::path::PathBuf;

/// The folder named by an environment variable, or `None` with a printed
/// note (a user's clone has no `../shared`).
pub fn env_dir(var: &str) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(v) if PathBuf::from(&v).is_dir() => Some(PathBuf::from(v)),
        _ => {
            // Written to stderr directly, past the test harness's capture,
            // so the skip shows in `cargo test` output.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "note: {var} is not set to a folder; skipping the tests that need MATPOWER's cases"
            );
            None
        }
    }
}

/// MATPOWER case files (`*.m`) in `dir`, sorted, smallest first.
pub fn case_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "m"))
        .collect();
    v.sort_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0));
    v
}

/// Reads a CSV with a header into (header, rows of strings).
pub fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Column `name` of a CSV as numbers.
pub fn csv_column(path: &std::path::Path, name: &str) -> Vec<f64> {
    let (header, rows) = read_csv(path);
    let k = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    rows.iter()
        .map(|r| r[k].parse::<f64>().unwrap_or(f64::NAN))
        .collect()
}

/// Largest |a - b| and where.
pub fn max_abs_diff(a: &[f64], b: &[f64]) -> (f64, usize) {
    assert_eq!(a.len(), b.len(), "lengths differ");
    a.iter()
        .zip(b)
        .enumerate()
        .map(|(i, (x, y))| ((x - y).abs(), i))
        .fold((0.0, 0), |m, d| if d.0 > m.0 { d } else { m })
}
