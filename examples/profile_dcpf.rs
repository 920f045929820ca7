//! Runs one DC power flow (`DcPowerFlow::new` then `solve`, as a user runs
//! it) over and over, for a profiler: `perf record` on this program sees
//! nothing but the build, the factorisation and the solve.
//!
//! ```text
//! cargo run --release --example profile_dcpf -- CASE.m [REPEATS] [THREADS]
//! ```

mod common;

use std::process::ExitCode;
use std::time::Instant;

use landlinked::dc::DcPowerFlow;
use landlinked::io::matpower;

const USAGE: &str = "usage: profile_dcpf CASE.m [REPEATS] [THREADS]";

fn main() -> ExitCode {
    common::finish(run())
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let case = args.first().ok_or(USAGE)?;
    let repeats: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(200);
    if let Some(t) = args.get(2).and_then(|t| t.parse().ok()) {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build_global()
            .map_err(|e| e.to_string())?;
    }
    let net = matpower::read(case).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut best = f64::INFINITY;
    for _ in 0..repeats {
        let t = Instant::now();
        let sol = DcPowerFlow::new(&net)
            .and_then(|pf| pf.solve())
            .map_err(|e| e.to_string())?;
        std::hint::black_box(sol);
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "{case}: {repeats} DC power flows in {:.1} ms, best {best:.3} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}
