//! One DC power flow on a MATPOWER case, MATPOWER's `rundcpf`.
//!
//! ```text
//! cargo run --release --example dcpf -- CASE.m [--out DIR]
//! ```
//! Prints a summary; with `--out`, writes `DIR/bus.csv`, `DIR/branch.csv`
//! and `DIR/gen.csv`. Exits non-zero with the library's message on bad
//! input.

mod common;

use std::process::ExitCode;
use std::time::Instant;

use landlinked::dc::DcPowerFlow;
use landlinked::io::matpower;
use landlinked::report;

const USAGE: &str = "usage: dcpf CASE.m [--out DIR]";

fn main() -> ExitCode {
    common::finish(run())
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut case = None;
    let mut out = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = Some(args.next().ok_or(USAGE)?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ if case.is_none() => case = Some(a),
            _ => return Err(format!("unexpected argument `{a}`\n{USAGE}")),
        }
    }
    let case = case.ok_or(USAGE)?;
    let t0 = Instant::now();
    let net = matpower::read(&case).map_err(|e| e.to_string())?;
    let t1 = Instant::now();
    let pf = DcPowerFlow::new(&net).map_err(|e| e.to_string())?;
    let sol = pf.solve().map_err(|e| e.to_string())?;
    let t2 = Instant::now();

    print!("{}", report::dc_summary(&net, &pf, &sol, &case));
    println!(
        "time        parse {:.2} ms, build+factor+solve {:.2} ms",
        (t1 - t0).as_secs_f64() * 1e3,
        (t2 - t1).as_secs_f64() * 1e3
    );
    if let Some(dir) = out {
        report::write_dc_csv(&net, &sol, &dir).map_err(|e| e.to_string())?;
        println!("wrote       {dir}/bus.csv, branch.csv, gen.csv");
    }
    Ok(())
}
