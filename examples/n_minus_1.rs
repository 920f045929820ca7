//! N-1 contingency screening of a MATPOWER case: every in-service branch
//! out in turn, every in-service branch monitored.
//!
//! ```text
//! cargo run --release --example n_minus_1 -- CASE.m [--out DIR] [--top N] [--verify]
//! ```
//! Prints the worst contingencies; with `--out`, writes
//! `DIR/n_minus_1.csv` (`branch,f_bus,t_bus,base_mw,worst_mw,worst_outage`,
//! one row per in-service branch, 1-based branch positions, empty
//! `worst_outage` if every outage islands) and `DIR/islanding.csv`
//! (`outage`: the outages that split an island). `--verify` re-solves every
//! outaged network from scratch and reports the largest difference.

mod common;

use std::process::ExitCode;
use std::time::Instant;

use landlinked::dc::DcPowerFlow;
use landlinked::io::matpower;
use landlinked::network::Network;
use landlinked::report;
use landlinked::sensitivity::{N1Report, outage_flows, screen_n1};

const USAGE: &str = "usage: n_minus_1 CASE.m [--out DIR] [--top N] [--verify]";

fn main() -> ExitCode {
    common::finish(run())
}

struct Args {
    case: String,
    out: Option<String>,
    top: usize,
    verify: bool,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = std::env::args().skip(1);
    let (mut case, mut out, mut top, mut verify) = (None, None, 10, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = Some(args.next().ok_or(USAGE)?),
            "--top" => {
                let v = args.next().ok_or(USAGE)?;
                top = v
                    .parse()
                    .map_err(|_| format!("--top needs a number, got `{v}`"))?;
            }
            "--verify" => verify = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            _ if case.is_none() => case = Some(a),
            _ => return Err(format!("unexpected argument `{a}`\n{USAGE}")),
        }
    }
    let case = case.ok_or(USAGE)?;
    Ok(Some(Args {
        case,
        out,
        top,
        verify,
    }))
}

fn run() -> Result<(), String> {
    let Some(args) = parse_args()? else {
        return Ok(());
    };
    let net = matpower::read(&args.case).map_err(|e| e.to_string())?;
    let t0 = Instant::now();
    let pf = DcPowerFlow::new(&net).map_err(|e| e.to_string())?;
    let base = pf.solve().map_err(|e| e.to_string())?.pf_mw;
    let t_dc = t0.elapsed().as_secs_f64();
    let in_service: Vec<usize> = (0..net.branches.len())
        .filter(|&k| net.branches[k].in_service)
        .collect();
    let t1 = Instant::now();
    let n1 =
        screen_n1(&pf, &base, Some(&in_service), Some(&in_service)).map_err(|e| e.to_string())?;
    let t_n1 = t1.elapsed().as_secs_f64();

    println!("case          {} ({})", net.name, args.case);
    println!("buses         {}", net.buses.len());
    println!(
        "branches      {} in service, all out in turn, all monitored",
        in_service.len()
    );
    println!(
        "islanding     {} outages split an island (not screened)",
        n1.islanding.len()
    );
    println!("threads       {}", rayon::current_num_threads());
    println!(
        "time          DC power flow (build+factor+solve) {:.2} ms; N-1 {:.1} ms = {:.0} × the DC power flow",
        t_dc * 1e3,
        t_n1 * 1e3,
        t_n1 / t_dc
    );
    print!(
        "{}",
        report::sensitivity::n1_worst_table(&net, &n1, args.top)
    );
    if args.verify {
        verify(&net, &pf, &base, &in_service, &n1)?;
    }
    if let Some(dir) = args.out {
        report::sensitivity::write_n1_csv(&net, &n1, &dir).map_err(|e| e.to_string())?;
        println!("wrote         {dir}/n_minus_1.csv, {dir}/islanding.csv");
    }
    Ok(())
}

/// Re-solves every non-islanding outaged network from scratch.
fn verify(
    net: &Network,
    pf: &DcPowerFlow,
    base: &[f64],
    outages: &[usize],
    n1: &N1Report,
) -> Result<(), String> {
    let t0 = Instant::now();
    let (mut worst, mut at) = (0.0f64, None);
    let mut checked = 0;
    let mut resolved_worst = vec![0.0f64; n1.monitored.len()];
    for &k in outages {
        let Some(ours) = outage_flows(pf, base, k).map_err(|e| e.to_string())? else {
            continue;
        };
        let mut cut = net.clone();
        cut.branches[k].in_service = false;
        let sol = DcPowerFlow::new(&cut)
            .and_then(|p| p.solve())
            .map_err(|e| e.to_string())?;
        for (l, (a, b)) in ours.iter().zip(&sol.pf_mw).enumerate() {
            if (a - b).abs() > worst {
                worst = (a - b).abs();
                at = Some((k, l));
            }
        }
        for (i, &l) in n1.monitored.iter().enumerate() {
            resolved_worst[i] = resolved_worst[i].max(sol.pf_mw[l].abs());
        }
        checked += 1;
    }
    // The running worst must equal the largest re-solved flow too.
    let worst_gap = n1
        .worst_mw
        .iter()
        .zip(&resolved_worst)
        .enumerate()
        .filter(|(i, _)| n1.worst_outage[*i].is_some())
        .map(|(_, (a, b))| (a.abs() - b).abs())
        .fold(0.0f64, f64::max);
    println!("verify        running worst per branch vs re-solved: max |Δ| = {worst_gap:.3e} MW");
    worst = worst.max(worst_gap);
    println!(
        "verify        {checked} outaged networks re-solved in {:.1} s: max |Δ flow| = {worst:.3e} MW{}",
        t0.elapsed().as_secs_f64(),
        at.map_or(String::new(), |(k, l)| format!(
            " (outage {}, branch {})",
            k + 1,
            l + 1
        ))
    );
    if worst > 1e-6 {
        return Err(format!("N-1 disagrees with re-solving by {worst:e} MW"));
    }
    Ok(())
}
