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
use landlinked::network::Network;
use landlinked::sensitivity::{TransferLimit, TransferSettings, Zone, transfer_capability};

const USAGE: &str = "usage: transfer_capability CASE.m FROM TO [--top N] [--base-only] [--min-factor F]\n  FROM/TO: an area number, or bus:ID,ID,...";

fn main() -> ExitCode {
    common::finish(run())
}

fn zone(net: &Network, spec: &str, source: bool) -> Result<Zone, String> {
    if let Some(list) = spec.strip_prefix("bus:") {
        let ids: Result<Vec<u64>, _> = list.split(',').map(|s| s.trim().parse::<u64>()).collect();
        let ids = ids.map_err(|_| format!("bad bus list `{list}`"))?;
        return Zone::equal(&ids).map_err(|e| e.to_string());
    }
    let area: u32 = spec
        .parse()
        .map_err(|_| format!("`{spec}` is neither an area number nor bus:LIST"))?;
    let z = if source {
        Zone::area_generators(net, area)
    } else {
        Zone::area_loads(net, area)
    };
    z.map_err(|e| e.to_string())
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
    let (source, sink) = (zone(&net, from, true)?, zone(&net, to, false)?);
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
            describe(&net, b)
        ),
        None => println!("capability unlimited: no rated branch responds to this transfer"),
    }
    print_limits(&net, "base case", &tc.base_case);
    if settings.n_minus_1 {
        print_limits(&net, "after one outage (N-1)", &tc.n_minus_1);
        println!(
            "{} outages split an island and were not screened",
            tc.islanding.len()
        );
    }
    Ok(())
}

fn describe(net: &Network, l: &TransferLimit) -> String {
    let br = &net.branches[l.branch];
    let mut s = format!(
        "branch {} ({}-{}) at {:.1} MVA",
        l.branch + 1,
        br.from,
        br.to,
        l.rate_mva
    );
    if let Some(k) = l.outage {
        let o = &net.branches[k];
        s += &format!(" after outage of branch {} ({}-{})", k + 1, o.from, o.to);
    }
    s
}

fn print_limits(net: &Network, title: &str, limits: &[TransferLimit]) {
    println!("binding constraints, {title}:");
    println!(
        "  {:>12} {:>10} {:>10} {:>9}  constraint",
        "transfer MW", "flow MW", "MW/MW", "rate MVA"
    );
    for l in limits {
        println!(
            "  {:>12.3} {:>10.3} {:>10.5} {:>9.1}  {}",
            l.transfer_mw,
            l.flow_mw,
            l.factor,
            l.rate_mva,
            describe(net, l)
        );
    }
}
