//! Sensitivity benchmarks on the large shared cases: PTDF rows of the
//! monitored (rated) branches, and full N-1 screening (every in-service
//! branch out in turn, every branch monitored, running worst per branch).
//!
//! Reads `case2383wp.m` and `case9241pegase.m` from `LANDLINKED_CASES`;
//! skipped with a note where it is unset. Baseline: one DC power flow
//! (build + factorise + solve) on the same case.

use criterion::{Criterion, criterion_group, criterion_main};
use landlinked::dc::DcPowerFlow;
use landlinked::io::matpower;
use landlinked::sensitivity::{Ptdf, screen_n1};

fn sensitivity(c: &mut Criterion) {
    let Some(dir) = std::env::var_os("LANDLINKED_CASES").map(std::path::PathBuf::from) else {
        eprintln!("note: LANDLINKED_CASES is not set; skipping the sensitivity benchmarks");
        return;
    };
    for name in ["case2383wp", "case9241pegase"] {
        let path = dir.join(format!("{name}.m"));
        let Ok(net) = matpower::read(&path) else {
            eprintln!("note: cannot read {}; skipped", path.display());
            continue;
        };
        let pf = DcPowerFlow::new(&net).expect("DC power flow");
        let base = pf.solve().expect("solve").pf_mw;
        let rated: Vec<usize> = (0..net.branches.len())
            .filter(|&k| net.branches[k].in_service && net.branches[k].rate_a_mva > 0.0)
            .collect();
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        group.bench_function("dc power flow (baseline)", |b| {
            b.iter(|| {
                DcPowerFlow::new(&net)
                    .and_then(|p| p.solve())
                    .expect("solve")
            })
        });
        group.bench_function(format!("PTDF rows, {} rated branches", rated.len()), |b| {
            b.iter(|| Ptdf::monitored(&pf, &rated).expect("ptdf"))
        });
        group.bench_function("full N-1", |b| {
            b.iter(|| screen_n1(&pf, &base, None, None).expect("n-1"))
        });
        group.finish();
    }
}

criterion_group!(benches, sensitivity);
criterion_main!(benches);
