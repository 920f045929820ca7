//! Transfer capability between two zones of a MATPOWER case, base case and
//! N-1 secured.
//!
//! ```text
//! cargo run --release --example transfer_capability -- CASE.m FROM TO [--top N] [--base-only] [--min-factor F]
//! ```
//! `FROM` and `TO` are area numbers (`3`: the source is the area's
//! in-service generators by their output, the sink the area's loads by
//! their demand) or comma-separated bus lists (`bus:4,7,9`, equal shares).
//! Prints the capability and the binding constraints, branch ratings from
//! `rate_a` (0 = unlimited); branches whose distribution factor is below
//! `--min-factor` (MW per MW, default 1e-5) do not limit the transfer.

mod common;

use std::process::ExitCode;
use std::time::Instant;

use landlinked::dc::DcPowerFlow;
use landlinked::io::matpower;
use landlinked::report::sensitivity::{describe_limit, transfer_table};
use landlinked::sensitivity::{TransferSettings, Zone, transfer_capability};

const USAGE: &str = "usage: transfer_capability CASE.m FROM TO [--top N] [--base-only] [--min-factor F]\n  FROM/TO: an area number, or bus:ID,ID,...";

fn main() -> ExitCode {
    common::finish(run())
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return Ok(());
    }
    let mut settings = TransferSettings::default();
    let mut pos = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--top" => {
                let v = it.next().ok_or(USAGE)?;
                settings.keep = v
                    .parse()
                    .map_err(|_| format!("--top needs a number, got `{v}`"))?;
            }
            "--base-only" => settings.n_minus_1 = false,
            "--min-factor" => {
                let v = it.next().ok_or(USAGE)?;
                settings.min_factor = v
                    .parse()
                    .map_err(|_| format!("--min-factor needs a number, got `{v}`"))?;
            }
            _ => pos.push(a.clone()),
        }
    }
    let [case, from, to] = pos.as_slice() else {
        return Err(USAGE.into());
    };
    let net = matpower::read(case).map_err(|e| e.to_string())?;
    let zone =
        |spec: &str, source: bool| Zone::parse(&net, spec, source).map_err(|e| e.to_string());
    let (source, sink) = (zone(from, true)?, zone(to, false)?);
    let t0 = Instant::now();
    let pf = DcPowerFlow::new(&net).map_err(|e| e.to_string())?;
    let base = pf.solve().map_err(|e| e.to_string())?.pf_mw;
    let tc = transfer_capability(&net, &pf, &base, &source, &sink, settings)
        .map_err(|e| e.to_string())?;
    let elapsed = t0.elapsed().as_secs_f64();
    println!("case      {} ({case})", net.name);
    println!(
        "source    {from}: {} buses; sink {to}: {} buses",
        source.shares().len(),
        sink.shares().len()
    );
    println!(
        "time      {:.1} ms (power flow, factors{})",
        elapsed * 1e3,
        if settings.n_minus_1 {
            ", every outage"
        } else {
            ""
        }
    );
    match tc.binding() {
        Some(b) => println!(
            "capability {:.3} MW more ({})",
            b.transfer_mw,
            describe_limit(&net, b)
        ),
        None => println!("capability unlimited: no rated branch responds to this transfer"),
    }
    print!("{}", transfer_table(&net, "base case", &tc.base_case));
    if settings.n_minus_1 {
        print!(
            "{}",
            transfer_table(&net, "after one outage (N-1)", &tc.n_minus_1)
        );
        println!(
            "{} outages split an island and were not screened",
            tc.islanding.len()
        );
    }
    Ok(())
}
