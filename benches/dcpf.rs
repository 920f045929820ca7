//! Criterion benches of the DC power flow core.
//!
//! * `build_factor_solve/N`: matrices from the network, AMD + LDLᵀ, one
//!   solve, on seeded synthetic grids of 1,000 to 100,000 buses (10,000 is
//!   the baseline later work is measured against).
//! * `solve/N`: one snapshot (injections → angles and flows) on a factor.
//! * `solve_many_8760/N`: a year of hourly snapshots, angles and flows,
//!   into preallocated output, on 2,383 and 10,000 buses.
//! * `case/…`: the same on MATPOWER cases named by `LANDLINKED_CASES`
//!   (skipped when unset).
//!
//! Run: `cargo bench --bench dcpf` (add `-- solve_many` to filter).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use landlinked::dc::{DcModel, DcPowerFlow};
use landlinked::io::matpower;
use landlinked::network::Network;
use landlinked::synthetic::{SyntheticParams, synthetic_grid};
use nalgebra::DMatrix;

fn synthetic(buses: usize) -> Network {
    synthetic_grid(&SyntheticParams {
        buses,
        ..Default::default()
    })
}

/// Hourly injections: the network's own, scaled by a daily shape.
fn year(pf: &DcPowerFlow, hours: usize) -> DMatrix<f64> {
    let base = pf.model().bus_injections_mw();
    DMatrix::from_fn(base.len(), hours, |b, t| {
        base[b] * (0.85 + 0.15 * ((t % 24) as f64 / 24.0 * std::f64::consts::TAU).sin())
    })
}

fn build_factor_solve(c: &mut Criterion) {
    let mut g = c.benchmark_group("build_factor_solve");
    g.sample_size(20);
    for buses in [1_000, 10_000, 100_000] {
        let net = synthetic(buses);
        g.bench_with_input(BenchmarkId::from_parameter(buses), &net, |b, net| {
            b.iter(|| DcPowerFlow::new(black_box(net)).unwrap().solve().unwrap())
        });
    }
    g.finish();
}

fn factor_only(c: &mut Criterion) {
    let mut g = c.benchmark_group("factor");
    g.sample_size(20);
    for buses in [1_000, 10_000, 100_000] {
        let model = DcModel::new(&synthetic(buses)).unwrap();
        g.bench_with_input(BenchmarkId::from_parameter(buses), &model, |b, m| {
            b.iter(|| DcPowerFlow::from_model(black_box(m.clone())).unwrap())
        });
    }
    g.finish();
}

fn one_solve(c: &mut Criterion) {
    let mut g = c.benchmark_group("solve");
    for buses in [1_000, 10_000, 100_000] {
        let pf = DcPowerFlow::new(&synthetic(buses)).unwrap();
        let p = pf.model().bus_injections_mw().to_vec();
        g.bench_with_input(BenchmarkId::from_parameter(buses), &p, |b, p| {
            b.iter(|| pf.solve_injections(black_box(p)).unwrap())
        });
    }
    g.finish();
}

fn many(c: &mut Criterion) {
    let mut g = c.benchmark_group("solve_many_8760");
    g.sample_size(10);
    for buses in [2_383, 10_000] {
        let pf = DcPowerFlow::new(&synthetic(buses)).unwrap();
        let inj = year(&pf, 8760);
        let mut out = pf.solve_many(&inj).unwrap();
        g.bench_function(BenchmarkId::from_parameter(buses), |b| {
            b.iter(|| pf.solve_many_into(black_box(&inj), &mut out).unwrap())
        });
    }
    g.finish();
}

fn cases(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("LANDLINKED_CASES") else {
        eprintln!("note: LANDLINKED_CASES unset; skipping the MATPOWER case benches");
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let mut g = c.benchmark_group("case");
    g.sample_size(20);
    for name in ["case2383wp", "case9241pegase", "case_ACTIVSg10k"] {
        let path = dir.join(format!("{name}.m"));
        let Ok(net) = matpower::read(&path) else {
            continue;
        };
        g.bench_function(BenchmarkId::new("parse", name), |b| {
            b.iter(|| matpower::read(black_box(&path)).unwrap())
        });
        g.bench_function(BenchmarkId::new("build_factor_solve", name), |b| {
            b.iter(|| DcPowerFlow::new(black_box(&net)).unwrap().solve().unwrap())
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    build_factor_solve,
    factor_only,
    one_solve,
    many,
    cases
);
criterion_main!(benches);
