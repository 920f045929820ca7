//! Times the DC power flow: parse, build, factor, one solve, and a series of
//! hourly snapshots; prints one JSON line.
//!
//! ```text
//! cargo run --release --example bench_dcpf -- CASE.m --snapshots 8760 [--threads T] [--reps R] [--stream]
//! cargo run --release --example bench_dcpf -- --synthetic 200000 --snapshots 8760 --stream
//! ```
//! Hourly injections scale the case's own injections (generation less load)
//! by a deterministic daily and seasonal shape. Each time is the best of
//! `--reps` repetitions (default 5; 1 for the series when `--stream`).
//! `--stream` feeds injections block by block and keeps only the largest
//! |flow| per branch, so memory stays bounded whatever the series length.
//!
//! Fields: `build_ms` (matrices from the network), `factor_ms`
//! (`DcPowerFlow::from_model`, a clone of the model included), `solve_ms`
//! (one snapshot, injections to angles and flows), `dcpf_ms` (one whole
//! DC power flow as a user runs it: `DcPowerFlow::new(&net)` — validation,
//! build, factorisation — then `solve()`), `series_ms` and
//! `per_snapshot_us` (every snapshot, angles and flows).

mod common;

use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use landlinked::dc::{DcModel, DcPowerFlow};
use landlinked::io::matpower;
use landlinked::network::Network;
use landlinked::synthetic::{SyntheticParams, synthetic_grid};
use nalgebra::DMatrix;

const USAGE: &str = "usage: bench_dcpf (CASE.m | --synthetic BUSES) [--snapshots N] [--threads T] [--reps R] [--stream]";

struct Args {
    case: Option<String>,
    synthetic: Option<usize>,
    snapshots: usize,
    threads: Option<usize>,
    reps: usize,
    stream: bool,
}

fn main() -> ExitCode {
    common::finish(parse_args().and_then(run))
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        case: None,
        synthetic: None,
        snapshots: 8760,
        threads: None,
        reps: 5,
        stream: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut num = |name: &str| -> Result<usize, String> {
            it.next()
                .and_then(|v| v.parse().ok())
                .ok_or(format!("{name} needs a whole number\n{USAGE}"))
        };
        match arg.as_str() {
            "--synthetic" => a.synthetic = Some(num("--synthetic")?),
            "--snapshots" => a.snapshots = num("--snapshots")?,
            "--threads" => a.threads = Some(num("--threads")?),
            "--reps" => a.reps = num("--reps")?.max(1),
            "--stream" => a.stream = true,
            _ if a.case.is_none() && !arg.starts_with('-') => a.case = Some(arg),
            _ => return Err(format!("unexpected argument `{arg}`\n{USAGE}")),
        }
    }
    if a.case.is_none() == a.synthetic.is_none() {
        return Err(USAGE.into());
    }
    Ok(a)
}

/// Load factor of hour `t`: a daily shape times a seasonal one.
fn shape(t: usize) -> f64 {
    let h = (t % 24) as f64;
    let d = (t / 24) as f64;
    let daily = 0.85 + 0.15 * (std::f64::consts::TAU * (h - 7.0) / 24.0).sin();
    let seasonal = 1.0 + 0.1 * (std::f64::consts::TAU * d / 365.0).cos();
    daily * seasonal
}

fn run(a: Args) -> Result<(), String> {
    if let Some(t) = a.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build_global()
            .map_err(|e| e.to_string())?;
    }
    let (name, parse_ms, net): (String, f64, Network) = match (&a.case, a.synthetic) {
        (Some(case), _) => {
            let (ms, net) = common::best_ms(a.reps, || matpower::read(case));
            (case.clone(), ms, net.map_err(|e| e.to_string())?)
        }
        (None, Some(n)) => {
            let net = synthetic_grid(&SyntheticParams {
                buses: n,
                ..Default::default()
            });
            (format!("synthetic{n}"), 0.0, net)
        }
        _ => unreachable!("checked in parse_args"),
    };
    net.validate().map_err(|e| e.to_string())?;
    let (build_ms, model) = common::best_ms(a.reps, || DcModel::new(&net));
    let model = model.map_err(|e| e.to_string())?;
    let (factor_ms, pf) = common::best_ms(a.reps, || DcPowerFlow::from_model(model.clone()));
    let pf = pf.map_err(|e| e.to_string())?;
    let base = pf.model().bus_injections_mw().to_vec();
    let (solve_ms, one) = common::best_ms(a.reps.max(10), || pf.solve_injections(&base));
    one.map_err(|e| e.to_string())?;
    // One DC power flow as a user runs it: network → validated, built,
    // factorised power flow → solved (the reps above warmed everything).
    let (dcpf_ms, one) = common::best_ms(a.reps.max(10), || {
        DcPowerFlow::new(&net).and_then(|pf| pf.solve())
    });
    one.map_err(|e| e.to_string())?;
    let n = base.len();
    let series_ms = if a.stream {
        stream_series(&pf, &base, a.snapshots)?
    } else {
        let inj = DMatrix::from_fn(n, a.snapshots, |b, t| base[b] * shape(t));
        // Output allocated (and touched) once, as a seasonal study would.
        let mut out = pf.solve_many(&inj).map_err(|e| e.to_string())?;
        let (ms, r) = common::best_ms(a.reps, || pf.solve_many_into(&inj, &mut out));
        r.map_err(|e| e.to_string())?;
        ms
    };
    println!(
        "{{\"case\":{:?},\"buses\":{},\"branches\":{},\"snapshots\":{},\"threads\":{},\"stream\":{},\"parse_ms\":{:.3},\"build_ms\":{:.3},\"factor_ms\":{:.3},\"solve_ms\":{:.4},\"dcpf_ms\":{:.3},\"series_ms\":{:.2},\"per_snapshot_us\":{:.3},\"factor_nnz\":{},\"peak_rss_mb\":{:.1}}}",
        name,
        net.buses.len(),
        net.branches.len(),
        a.snapshots,
        rayon::current_num_threads(),
        a.stream,
        parse_ms,
        build_ms,
        factor_ms,
        solve_ms,
        dcpf_ms,
        series_ms,
        series_ms * 1e3 / a.snapshots.max(1) as f64,
        pf.factor_nnz(),
        common::peak_rss_mb()
    );
    Ok(())
}

/// Streams the series, keeping only the largest |flow| per branch.
fn stream_series(pf: &DcPowerFlow, base: &[f64], snapshots: usize) -> Result<f64, String> {
    let n = base.len();
    let worst = Mutex::new(vec![0.0f64; pf.model().branch_count()]);
    let t = Instant::now();
    pf.solve_stream(
        snapshots,
        |first, width, inj| {
            for c in 0..width {
                let s = shape(first + c);
                for (x, b) in inj[c * n..(c + 1) * n].iter_mut().zip(base) {
                    *x = b * s;
                }
            }
        },
        |block| {
            let m = worst.lock().map(|w| w.len()).unwrap_or(0);
            let mut local = vec![0.0f64; m];
            for c in 0..block.width {
                for (l, f) in local.iter_mut().zip(&block.pf_mw[c * m..(c + 1) * m]) {
                    *l = l.max(f.abs());
                }
            }
            if let Ok(mut w) = worst.lock() {
                for (w, l) in w.iter_mut().zip(&local) {
                    *w = w.max(*l);
                }
            }
        },
    )
    .map_err(|e| e.to_string())?;
    Ok(t.elapsed().as_secs_f64() * 1e3)
}
