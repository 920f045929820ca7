//! Writes a seeded synthetic grid as a MATPOWER case file, for trying the
//! reader and solver at any size.
//!
//! ```text
//! cargo run --release --example synthetic_case -- BUSES OUT.m [SEED]
//! ```

mod common;

use std::process::ExitCode;

use landlinked::io::matpower;
use landlinked::synthetic::{SyntheticParams, synthetic_grid};

const USAGE: &str = "usage: synthetic_case BUSES OUT.m [SEED]";

fn main() -> ExitCode {
    common::finish(run())
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(buses), Some(out)) = (args.first().and_then(|b| b.parse().ok()), args.get(1)) else {
        return Err(USAGE.into());
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let net = synthetic_grid(&SyntheticParams {
        buses,
        seed,
        ..Default::default()
    });
    matpower::write(&net, out).map_err(|e| e.to_string())?;
    println!(
        "wrote {out}: {} buses, {} branches",
        net.buses.len(),
        net.branches.len()
    );
    Ok(())
}
