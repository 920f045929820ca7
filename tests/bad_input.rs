//! Bad input gives an `Err` naming the line or element, never a panic.
//!
//! Each test breaks one thing in a small valid case and checks the error's
//! variant (through [`Error::root`]) and that its message points at the
//! right line of the file or the right element.

use landlinked::Error;
use landlinked::dc::DcPowerFlow;
use landlinked::error::FactorFailure;
use landlinked::io::matpower;

/// A valid three-bus case; line numbers matter to the tests below:
/// bus rows are lines 5 to 7, the gen row is line 10, branch rows 13 to 14,
/// and the text has 15 lines.
const VALID: &str = "function mpc = bad
mpc.version = '2';
mpc.baseMVA = 100;
mpc.bus = [
  1 3 0 0 0 0 1 1 0 230 1 1.1 0.9;
  2 1 50 0 0 0 1 1 0 230 1 1.1 0.9;
  3 1 30 0 0 0 1 1 0 230 1 1.1 0.9;
];
mpc.gen = [
  1 0 0 0 0 1 100 1 200 0;
];
mpc.branch = [
  1 2 0 0.1 0 0 0 0 0 0 1 -360 360;
  2 3 0 0.2 0 0 0 0 0 0 1 -360 360;
];
";

/// Replaces `old` (which must occur exactly once) by `new` in [`VALID`].
fn edit(old: &str, new: &str) -> String {
    assert_eq!(VALID.matches(old).count(), 1, "`{old}` must occur once");
    VALID.replace(old, new)
}

/// Parses and, if that works, builds and solves: the whole user path.
fn run(text: &str) -> landlinked::Result<landlinked::dc::DcSolution> {
    let net = matpower::parse_str(text, "bad.m")?;
    DcPowerFlow::new(&net).and_then(|pf| pf.solve())
}

/// The error of `text`, which must fail (a panic fails the test too).
fn error_of(text: &str) -> Error {
    match run(text) {
        Ok(sol) => panic!("expected an error, got a solution: {:?}", sol.va_deg),
        Err(e) => e,
    }
}

fn assert_mentions(err: &Error, parts: &[&str]) {
    let msg = err.to_string();
    for p in parts {
        assert!(msg.contains(p), "message `{msg}` should mention `{p}`");
    }
}

#[test]
fn the_valid_case_solves() {
    // The baseline the other tests break: 80 MW of load, radial.
    let sol = run(VALID).unwrap();
    assert!((sol.pg_mw[0] - 80.0).abs() < 1e-9);
    assert!((sol.pf_mw[0] - 80.0).abs() < 1e-9);
    assert!((sol.pf_mw[1] - 30.0).abs() < 1e-9);
}

#[test]
fn missing_base_mva() {
    let err = error_of(&edit("mpc.baseMVA = 100;\n", ""));
    assert!(matches!(err.root(), Error::MissingField { field } if field == "baseMVA"));
    assert_mentions(&err, &["bad.m", "baseMVA"]);
}

#[test]
fn missing_bus_table() {
    // Renamed to a field the reader skips: `mpc.bus` is then missing.
    let err = error_of(&edit("mpc.bus = [", "mpc.bus_data = ["));
    assert!(matches!(err.root(), Error::MissingField { field } if field == "bus"));
}

#[test]
fn zero_or_negative_base_mva() {
    let err = error_of(&edit("mpc.baseMVA = 100;", "mpc.baseMVA = 0;"));
    assert!(matches!(err.root(), Error::InvalidValue { field, .. } if field == "baseMVA"));
    assert_mentions(&err, &["bad.m:3:", "baseMVA"]);
}

#[test]
fn branch_on_unknown_bus() {
    let err = error_of(&edit("  2 3 0 0.2", "  2 9 0 0.2"));
    assert!(matches!(err.root(), Error::UnknownBus { bus: 9, .. }));
    assert_mentions(&err, &["bad.m:14:", "branch 2 (2-9)", "unknown bus 9"]);
}

#[test]
fn generator_on_unknown_bus() {
    let err = error_of(&edit("  1 0 0 0 0 1 100", "  5 0 0 0 0 1 100"));
    assert!(matches!(err.root(), Error::UnknownBus { bus: 5, .. }));
    assert_mentions(&err, &["bad.m:10:", "generator 1", "unknown bus 5"]);
}

#[test]
fn duplicate_bus_number() {
    let err = error_of(&edit("  3 1 30", "  2 1 30"));
    assert!(matches!(
        err.root(),
        Error::DuplicateBus {
            bus: 2,
            first: 2,
            second: 3
        }
    ));
    assert_mentions(&err, &["bad.m:7:", "bus 2", "twice"]);
}

#[test]
fn every_row_with_too_few_columns() {
    // All bus rows 10 columns wide: fewer than MATPOWER's 13.
    let err = error_of(&VALID.replace(" 1 1.1 0.9;", ";"));
    assert!(matches!(
        err.root(),
        Error::TooFewColumns {
            found: 10,
            expected: 13,
            ..
        }
    ));
    assert_mentions(&err, &["bad.m:5:", "`bus`", "10 columns"]);
}

#[test]
fn one_row_with_too_few_columns() {
    // One branch row shorter than the one before it.
    let err = error_of(&edit(
        "  2 3 0 0.2 0 0 0 0 0 0 1 -360 360;",
        "  2 3 0 0.2 0 0;",
    ));
    assert!(matches!(
        err.root(),
        Error::RaggedRow {
            found: 6,
            expected: 13,
            ..
        }
    ));
    assert_mentions(&err, &["bad.m:14:", "`branch`"]);
}

#[test]
fn gen_table_too_narrow() {
    let err = error_of(&edit("  1 0 0 0 0 1 100 1 200 0;", "  1 0 0 0 0 1 100 1;"));
    assert!(matches!(
        err.root(),
        Error::TooFewColumns {
            found: 8,
            expected: 10,
            ..
        }
    ));
    assert_mentions(&err, &["bad.m:10:", "`gen`"]);
}

#[test]
fn non_numeric_token() {
    let err = error_of(&edit("  2 1 50", "  2 1 5O"));
    assert!(matches!(err.root(), Error::BadNumber { token } if token == "5O"));
    assert_mentions(&err, &["bad.m:6:", "`5O` is not a number"]);
}

#[test]
fn rust_only_number_spellings_are_rejected() {
    // Rust's parser takes "infinity" and "nan"; MATLAB does not.
    for token in ["infinity", "NAN", "0x10", "1_0"] {
        let err = error_of(&edit("  3 1 30", &format!("  3 1 {token}")));
        assert!(
            matches!(err.root(), Error::BadNumber { .. }),
            "{token}: {err}"
        );
        assert_mentions(&err, &["bad.m:7:", token]);
    }
}

#[test]
fn unterminated_table() {
    let err = error_of(&edit("0 1 -360 360;\n];\n", "0 1 -360 360;\n"));
    assert!(matches!(err.root(), Error::Unterminated { field, close: ']' } if field == "branch"));
    // The message points at the line where the block opens.
    assert_mentions(&err, &["bad.m:12:", "`branch`", "never closed"]);
}

#[test]
fn unterminated_skipped_block() {
    let text = VALID.to_string() + "mpc.gencost = [\n  2 0 0 3 0.01 20 0;\n";
    let err = error_of(&text);
    assert!(matches!(err.root(), Error::Unterminated { field, .. } if field == "gencost"));
    assert_mentions(&err, &["bad.m:16:", "`gencost`"]);
}

#[test]
fn nan_load() {
    let err = error_of(&edit("  2 1 50", "  2 1 NaN"));
    assert!(
        matches!(err.root(), Error::NonFinite { field, value, .. } if field == "Pd" && value.is_nan())
    );
    assert_mentions(&err, &["bad.m:6:", "bus 2", "`Pd` is NaN"]);
}

#[test]
fn infinite_reactance() {
    let err = error_of(&edit("  2 3 0 0.2", "  2 3 0 Inf"));
    assert!(
        matches!(err.root(), Error::NonFinite { field, value, .. } if field == "x" && *value == f64::INFINITY)
    );
    assert_mentions(&err, &["bad.m:14:", "branch 2 (2-3)", "`x` is inf"]);
}

#[test]
fn infinite_generator_output() {
    let err = error_of(&edit("  1 0 0 0 0 1 100", "  1 -Inf 0 0 0 1 100"));
    assert!(matches!(err.root(), Error::NonFinite { field, .. } if field == "Pg"));
    assert_mentions(&err, &["bad.m:10:", "generator 1", "`Pg` is -inf"]);
}

#[test]
fn nan_angle_and_shift() {
    let err = error_of(&edit(
        "  1 3 0 0 0 0 1 1 0 230",
        "  1 3 0 0 0 0 1 1 NaN 230",
    ));
    assert!(matches!(err.root(), Error::NonFinite { field, .. } if field == "Va"));
    assert_mentions(&err, &["bad.m:5:", "bus 1"]);
    let err = error_of(&edit(
        "  1 2 0 0.1 0 0 0 0 0 0 1",
        "  1 2 0 0.1 0 0 0 0 0 nan 1",
    ));
    assert!(matches!(err.root(), Error::NonFinite { field, .. } if field == "angle"));
    assert_mentions(&err, &["bad.m:13:", "branch 1 (1-2)"]);
}

#[test]
fn nan_status_and_bus_number() {
    let err = error_of(&edit(
        "  1 2 0 0.1 0 0 0 0 0 0 1",
        "  1 2 0 0.1 0 0 0 0 0 0 NaN",
    ));
    assert!(matches!(err.root(), Error::NonFinite { field, .. } if field == "status"));
    assert_mentions(&err, &["bad.m:13:", "branch 1"]);
    let err = error_of(&edit("  3 1 30", "  Inf 1 30"));
    assert!(matches!(err.root(), Error::InvalidValue { field, .. } if field == "bus_i"));
    assert_mentions(&err, &["bad.m:7:", "bus row 3"]);
}

#[test]
fn inf_in_unused_limits_is_fine() {
    // MATPOWER files often say Pmax = Inf: not used by the DC power flow.
    let sol = run(&edit(
        "  1 0 0 0 0 1 100 1 200 0;",
        "  1 0 0 Inf -Inf 1 100 1 Inf -Inf;",
    ))
    .unwrap();
    assert!((sol.pg_mw[0] - 80.0).abs() < 1e-9);
}

#[test]
fn in_service_branch_with_zero_reactance() {
    let err = error_of(&edit("  2 3 0 0.2", "  2 3 0 0"));
    assert!(matches!(
        err.root(),
        Error::ZeroReactance {
            branch: 2,
            from: 2,
            to: 3
        }
    ));
    assert_mentions(&err, &["bad.m:14:", "branch 2 (2-3)", "zero reactance"]);
}

#[test]
fn out_of_service_branch_with_zero_reactance_is_fine() {
    // A zero-reactance branch that is out of service is simply left out.
    let text = edit(
        "  2 3 0 0.2 0 0 0 0 0 0 1 -360 360;\n",
        "  2 3 0 0.2 0 0 0 0 0 0 1 -360 360;\n  1 3 0 0 0 0 0 0 0 0 0 -360 360;\n",
    );
    let sol = run(&text).unwrap();
    assert_eq!(sol.pf_mw[2], 0.0);
    assert!((sol.pf_mw[1] - 30.0).abs() < 1e-9);
}

#[test]
fn island_with_singular_reduced_b() {
    // Two parallel branches with x = 0.1 and x = -0.1: b = 10 - 10 = 0, so
    // bus 3 hangs on a zero susceptance and its angle is undetermined.
    let text = edit(
        "  2 3 0 0.2 0 0 0 0 0 0 1 -360 360;\n",
        "  2 3 0 0.1 0 0 0 0 0 0 1 -360 360;\n  2 3 0 -0.1 0 0 0 0 0 0 1 -360 360;\n",
    );
    let err = error_of(&text);
    match err.root() {
        Error::SingularIsland { island, buses } => {
            assert_eq!(*island, 0);
            assert_eq!(buses, &vec![1, 2, 3]);
        }
        other => panic!("expected SingularIsland, got {other:?}"),
    }
    assert_mentions(&err, &["island 0", "singular", "1, 2, 3"]);
}

#[test]
fn singular_two_bus_island() {
    // The smallest case: a REF bus and a load bus joined by +x and −x.
    let text = "mpc.baseMVA = 100;
mpc.bus = [1 3 0 0 0 0 1 1 0 230 1 1.1 0.9; 2 1 50 0 0 0 1 1 0 230 1 1.1 0.9];
mpc.gen = [1 0 0 0 0 1 100 1 200 0];
mpc.branch = [1 2 0 0.1 0 0 0 0 0 0 1 -360 360; 1 2 0 -0.1 0 0 0 0 0 0 1 -360 360];
";
    let err = error_of(text);
    assert!(
        matches!(err.root(), Error::SingularIsland { island: 0, buses } if buses == &vec![1, 2])
    );
}

#[test]
fn missing_file() {
    let err = matpower::read("grids/this_case_does_not_exist.m").unwrap_err();
    assert!(matches!(err.root(), Error::Io { .. }));
    assert_mentions(&err, &["this_case_does_not_exist.m"]);
}

#[test]
fn empty_text() {
    let err = error_of("");
    assert!(matches!(err.root(), Error::MissingField { .. }));
}

#[test]
fn bracket_inside_a_table() {
    let err = error_of(&edit("  2 1 50", "  2 1 [50"));
    assert!(matches!(err.root(), Error::Syntax { .. }), "{err}");
    assert_mentions(&err, &["bad.m:6:", "`bus`"]);
}

#[test]
fn bad_bus_type() {
    let err = error_of(&edit("  3 1 30", "  3 7 30"));
    assert!(
        matches!(err.root(), Error::InvalidValue { field, value, .. } if field == "type" && *value == 7.0)
    );
    assert_mentions(&err, &["bad.m:7:", "bus 3"]);
}

#[test]
fn subnormal_reactance_has_infinite_susceptance() {
    // x = 1e-320 is not 0, but 1/x overflows to infinity.
    let err = error_of(&edit("  2 3 0 0.2", "  2 3 0 1e-320"));
    assert!(
        matches!(err.root(), Error::InvalidValue { field, .. } if field == "x"),
        "{err}"
    );
    assert_mentions(&err, &["bad.m:14:", "branch 2 (2-3)", "inf"]);
}

#[test]
fn reactance_times_tap_overflowing() {
    // x · tap = 1e200 · 1e200 overflows: the susceptance would be 0.
    let err = error_of(&edit(
        "  2 3 0 0.2 0 0 0 0 0 0",
        "  2 3 0 1e200 0 0 0 0 1e200 0",
    ));
    assert!(
        matches!(err.root(), Error::InvalidValue { field, .. } if field == "x"),
        "{err}"
    );
    assert_mentions(&err, &["bad.m:14:", "branch 2 (2-3)"]);
}

#[test]
fn a_reactance_so_small_its_susceptance_overflows_is_named() {
    // 1e-310 is a valid (subnormal) number, but 1/x overflows to infinity.
    let err = error_of(&edit("1 2 0 0.1 0", "1 2 0 1e-310 0"));
    assert_mentions(&err, &["bad.m:13", "branch 1", "1e-310", "finite, nonzero"]);
}

#[test]
fn parallel_branches_whose_susceptances_sum_past_f64_are_an_error_not_a_nan() {
    // Each 1e308 is finite; three in parallel make B's diagonal infinite.
    let line = "  1 2 0 1e-308 0 0 0 0 0 0 1 -360 360;\n";
    let text = edit(
        "mpc.branch = [\n",
        &format!("mpc.branch = [\n{line}{line}{line}"),
    );
    let err = error_of(&text);
    assert!(
        matches!(
            err.root(),
            Error::Factorisation {
                kind: FactorFailure::NonFiniteDiagonal { bus: 2, value }
            } if value.is_infinite()
        ),
        "{err:?}"
    );
    assert_mentions(&err, &["bus 2", "not finite", "parallel branches"]);
}
