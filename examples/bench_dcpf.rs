//! Times the DC power flow: parse, build, factor, one solve, and a series of
//! hourly snapshots; prints one JSON line.
//!
//! ```text
//! cargo run --release --example bench_dcpf -- CASE.m --snapshots 8760 [--threads T] [--reps R] [--stream]
//! cargo run --release --example bench_dcpf -- --synthetic 200000 --snapshots 8760 --stream
//! cargo run --release --example bench_dcpf -- CASE.m --reduce [--profiles]
//! cargo run --release --example bench_dcpf -- CASE.m --n1 200 [--profiles]
//! ```
//! Hourly injections scale the case's own injections (generation less load)
//! by a deterministic daily and seasonal shape. Each time is the best of
//! `--reps` repetitions (default 5; 1 for the series when `--stream`).
//! `--stream` feeds injections block by block and keeps only the largest
//! |flow| per branch, so memory stays bounded whatever the series length.
//! `--fresh` times `solve_many` allocating its output on every call (the
//! default reuses one output, `solve_many_into`).
//! `--reduce` runs the fused path instead (`reduce_many` with per-branch
//! statistics: extremes, mean, periods above 80 % and 100 % of `rate_a`):
//! the year is never stored. `--profiles` generates the injections inside
//! the kernel from four zone profiles (`ProfileInjections`) instead of
//! reading a buses × snapshots matrix; `--superpose` (with `--profiles`)
//! solves the grid's response to each profile once and superposes it
//! every period (`DcPowerFlow::profile_response`, then
//! `ProfileResponse::reduce`; the time includes the response). `--n1 K` screens every
//! non-islanding outage over 48 sample hours, keeps the K highest, and
//! runs the year-long N-1 (`ContingencyYear`, every branch with a rating
//! monitored); `n1_prepare_ms` is screening plus the LODF.
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

use landlinked::dc::{BranchStats, DcModel, DcPowerFlow, Injections, ProfileInjections, Reducer};
use landlinked::io::matpower;
use landlinked::network::Network;
use landlinked::sensitivity::{ContingencyYear, islanding_branches, screen_outages};
use landlinked::synthetic::{SyntheticParams, synthetic_grid};
use nalgebra::DMatrix;

const USAGE: &str = "usage: bench_dcpf (CASE.m | --synthetic BUSES) [--snapshots N] [--threads T] [--reps R] [--stream | --reduce | --n1 K | --fresh] [--profiles [--superpose]]";

struct Args {
    case: Option<String>,
    synthetic: Option<usize>,
    snapshots: usize,
    threads: Option<usize>,
    reps: usize,
    stream: bool,
    reduce: bool,
    profiles: bool,
    superpose: bool,
    n1: Option<usize>,
    fresh: bool,
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
        reduce: false,
        profiles: false,
        superpose: false,
        n1: None,
        fresh: false,
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
            "--reduce" => a.reduce = true,
            "--profiles" => a.profiles = true,
            "--superpose" => a.superpose = true,
            "--fresh" => a.fresh = true,
            "--n1" => a.n1 = Some(num("--n1")?),
            _ if a.case.is_none() && !arg.starts_with('-') => a.case = Some(arg),
            _ => return Err(format!("unexpected argument `{arg}`\n{USAGE}")),
        }
    }
    if a.case.is_none() == a.synthetic.is_none() {
        return Err(USAGE.into());
    }
    if [a.stream, a.reduce, a.n1.is_some()]
        .iter()
        .filter(|&&x| x)
        .count()
        > 1
    {
        return Err(format!(
            "--stream, --reduce and --n1 exclude each other\n{USAGE}"
        ));
    }
    if a.profiles && !(a.reduce || a.n1.is_some()) {
        return Err(format!("--profiles needs --reduce or --n1\n{USAGE}"));
    }
    if a.superpose && !a.profiles {
        return Err(format!("--superpose needs --profiles\n{USAGE}"));
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
    let mut n1_prepare_ms = 0.0;
    let mut insecure = 0;
    let series_ms = if a.stream {
        stream_series(&pf, &base, a.snapshots)?
    } else if a.reduce || a.n1.is_some() {
        let (profiles, matrix);
        let inj: Injections = if a.profiles {
            profiles = zone_profiles(&base, a.snapshots)?;
            (&profiles).into()
        } else {
            matrix = DMatrix::from_fn(n, a.snapshots, |b, t| base[b] * shape(t));
            (&matrix).into()
        };

        let ratings: Vec<f64> = net
            .branches
            .iter()
            .map(|b| {
                if b.rate_a_mva > 0.0 {
                    b.rate_a_mva
                } else {
                    f64::INFINITY
                }
            })
            .collect();
        match a.n1 {
            None => {
                let stats = BranchStats::new(net.branches.len())
                    .with_ratings(&ratings)
                    .and_then(|s| s.with_thresholds(&[0.8, 1.0]))
                    .map_err(|e| e.to_string())?;
                let (ms, r) =
                    common::best_ms(a.reps, || year(&pf, inj, a.superpose, stats.clone()));
                r.map_err(|e| e.to_string())?;
                ms
            }
            Some(k) => {
                let t = Instant::now();
                let n1 = prepare_n1(&pf, &base, &ratings, k)?;
                n1_prepare_ms = t.elapsed().as_secs_f64() * 1e3;
                let (ms, r) = common::best_ms(a.reps, || year(&pf, inj, a.superpose, n1.clone()));
                insecure = r.map_err(|e| e.to_string())?.insecure_periods().len();
                ms
            }
        }
    } else if a.fresh {
        // Output allocated afresh by every call, as `solve_many` (and the
        // Python package's `solve_many`) does.
        let inj = DMatrix::from_fn(n, a.snapshots, |b, t| base[b] * shape(t));
        let (ms, r) = common::best_ms(a.reps, || pf.solve_many(&inj));
        r.map_err(|e| e.to_string())?;
        ms
    } else {
        let inj = DMatrix::from_fn(n, a.snapshots, |b, t| base[b] * shape(t));
        // Output allocated (and touched) once, as a seasonal study would.
        let mut out = pf.solve_many(&inj).map_err(|e| e.to_string())?;
        let (ms, r) = common::best_ms(a.reps, || pf.solve_many_into(&inj, &mut out));
        r.map_err(|e| e.to_string())?;
        ms
    };
    println!(
        "{{\"case\":{:?},\"buses\":{},\"branches\":{},\"snapshots\":{},\"threads\":{},\"stream\":{},\"mode\":{:?},\"n1_outages\":{},\"n1_prepare_ms\":{:.1},\"insecure_periods\":{},\"parse_ms\":{:.3},\"build_ms\":{:.3},\"factor_ms\":{:.3},\"solve_ms\":{:.4},\"dcpf_ms\":{:.3},\"series_ms\":{:.2},\"per_snapshot_us\":{:.3},\"factor_nnz\":{},\"peak_rss_mb\":{:.1}}}",
        name,
        net.buses.len(),
        net.branches.len(),
        a.snapshots,
        rayon::current_num_threads(),
        a.stream,
        match (a.stream, a.reduce, a.n1.is_some(), a.profiles) {
            (true, ..) => "stream",
            (_, true, _, false) => "reduce",
            (_, true, _, true) if a.superpose => "reduce+profiles+superpose",
            (_, true, _, true) => "reduce+profiles",
            (_, _, true, true) if a.superpose => "n1+profiles+superpose",
            (_, _, true, false) => "n1",
            (_, _, true, true) => "n1+profiles",
            _ if a.fresh => "materialised, fresh output",
            _ => "materialised",
        },
        a.n1.unwrap_or(0),
        n1_prepare_ms,
        insecure,
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

/// The year through the block kernel, or by superposing the grid's
/// response to each profile (solved inside the timing).
fn year<R: Reducer>(
    pf: &DcPowerFlow,
    inj: Injections,
    superpose: bool,
    r: R,
) -> landlinked::Result<R> {
    match inj {
        Injections::Profiles(p) if superpose => pf.reduce_superposed(p, r),
        _ => pf.reduce_many(inj, r),
    }
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

/// The series as four zone profiles (the hourly shape, shifted by zone)
/// times each bus's own injection: generated inside the kernel.
fn zone_profiles(base: &[f64], snapshots: usize) -> Result<ProfileInjections, String> {
    let mut inj = ProfileInjections::new(base.len(), snapshots);
    let zones: Vec<_> = (0..4)
        .map(|z| {
            let values: Vec<f64> = (0..snapshots).map(|t| shape(t + z)).collect();
            inj.add_profile(&format!("zone {z}"), &values)
        })
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    for (b, &p) in base.iter().enumerate() {
        if p != 0.0 {
            inj.add_term(b, p, zones[b % 4])
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(inj)
}

/// Screens every non-islanding branch over 48 sample hours (two days,
/// one in winter, one in summer) and prepares the year-long N-1 of the
/// `k` highest, every rated branch monitored.
fn prepare_n1(
    pf: &DcPowerFlow,
    base: &[f64],
    ratings: &[f64],
    k: usize,
) -> Result<ContingencyYear, String> {
    let bridges = islanding_branches(pf.model());
    let candidates: Vec<usize> = (0..bridges.len()).filter(|&b| !bridges[b]).collect();
    let monitored: Vec<usize> = (0..ratings.len())
        .filter(|&l| ratings[l].is_finite())
        .collect();
    let r: Vec<f64> = monitored.iter().map(|&l| ratings[l]).collect();
    let hours: Vec<usize> = (0..24).chain(4380..4404).collect();
    let sample = DMatrix::from_fn(base.len(), hours.len(), |b, c| base[b] * shape(hours[c]));
    let ranked =
        screen_outages(pf, &candidates, &monitored, &r, &sample, k).map_err(|e| e.to_string())?;
    let outages: Vec<usize> = ranked.iter().map(|s| s.branch).collect();
    ContingencyYear::new(pf, &monitored, &outages, &r).map_err(|e| e.to_string())
}
