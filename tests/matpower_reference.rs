//! Agreement with MATPOWER's own `rundcpf` results on every case in the
//! folder named by `LANDLINKED_CASES`, against `LANDLINKED_REFERENCE`.
//! Skipped (with a note) where those variables are unset.

mod common;

use landlinked::dc::DcPowerFlow;
use landlinked::io::matpower;

/// Angles: 1e-6 degrees; flows and outputs: 1e-6 MW, plus 1e-9 relative
/// for the 10 significant digits the reference files were printed with.
fn tolerance(reference: f64) -> f64 {
    1e-6 + 1e-9 * reference.abs()
}

#[test]
fn every_case_matches_matpower_rundcpf() {
    let (Some(cases), Some(reference)) = (
        common::env_dir("LANDLINKED_CASES"),
        common::env_dir("LANDLINKED_REFERENCE"),
    ) else {
        return;
    };
    let files = common::case_files(&cases);
    assert!(!files.is_empty(), "no cases in {}", cases.display());
    for file in files {
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        let net = matpower::read(&file).unwrap();
        let sol = DcPowerFlow::new(&net).unwrap().solve().unwrap();
        let dir = reference.join(&name);
        for (csv, column, ours) in [
            ("bus.csv", "va_deg", &sol.va_deg),
            ("branch.csv", "pf_mw", &sol.pf_mw),
            ("gen.csv", "pg_mw", &sol.pg_mw),
        ] {
            let theirs = common::csv_column(&dir.join(csv), column);
            assert_eq!(theirs.len(), ours.len(), "{name} {csv}: row count");
            for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
                assert!(
                    (a - b).abs() <= tolerance(*b),
                    "{name} {csv} row {}: {column} ours {a} MATPOWER {b}",
                    i + 1
                );
            }
            let (d, _) = common::max_abs_diff(ours, &theirs);
            println!("{name:>16} {csv:>10}: max |Δ {column}| = {d:.3e}");
        }
    }
}

/// `DcPowerFlow::new` orders the factorisation from the branch list while
/// the matrices are assembled; `from_model` orders it from the assembled
/// matrix. Both must give the same factor and the same bits, on every case
/// (parallel branches, out-of-service elements, several references).
#[test]
fn ordering_from_the_branches_equals_ordering_from_the_matrix() {
    let Some(cases) = common::env_dir("LANDLINKED_CASES") else {
        return;
    };
    for file in common::case_files(&cases) {
        let net = matpower::read(&file).unwrap();
        let direct = DcPowerFlow::new(&net).unwrap();
        let model = landlinked::dc::DcModel::new(&net).unwrap();
        let staged = DcPowerFlow::from_model(model).unwrap();
        assert_eq!(
            direct.factor_nnz(),
            staged.factor_nnz(),
            "{}",
            file.display()
        );
        let (a, b) = (direct.solve().unwrap(), staged.solve().unwrap());
        for (x, y) in a.va_deg.iter().zip(&b.va_deg) {
            assert_eq!(x.to_bits(), y.to_bits(), "{}", file.display());
        }
    }
}
