//! Shared by the fused-reduction tests (`tests/reduce.rs`,
//! `tests/response.rs`): a seeded synthetic grid, injections and profiles
//! whose extremes fall in different periods, ratings that make the
//! threshold counts mean something, and every `BranchStats` statistic
//! checked against a materialised year.

use landlinked::dc::{BranchStats, DcPowerFlow, ProfileInjections};
use landlinked::network::Network;
use landlinked::synthetic::{SyntheticParams, synthetic_grid};
use nalgebra::DMatrix;

pub fn net(buses: usize) -> Network {
    synthetic_grid(&SyntheticParams {
        buses,
        seed: 11,
        ..Default::default()
    })
}

/// The grid's own injections with a daily shape and a swing that differs
/// by bus and period, so extremes fall in different periods.
pub fn injections(pf: &DcPowerFlow, periods: usize) -> DMatrix<f64> {
    let base = pf.model().bus_injections_mw();
    DMatrix::from_fn(base.len(), periods, |b, t| {
        let day = ((t % 24) as f64 / 24.0 * std::f64::consts::TAU).sin();
        base[b] * (0.8 + 0.2 * day) + ((b * 7 + t * 13) % 17) as f64 * 0.25
    })
}

/// Ratings that put some branches above 80 % and 100 % in some periods:
/// 60 % above each branch's mean |flow|, at least 1 MW.
pub fn ratings(flows: &DMatrix<f64>) -> Vec<f64> {
    flows
        .row_iter()
        .map(|r| (1.6 * r.iter().map(|f| f.abs()).sum::<f64>() / r.len() as f64).max(1.0))
        .collect()
}

pub fn stats(m: usize, ratings: &[f64]) -> BranchStats {
    BranchStats::new(m)
        .with_ratings(ratings)
        .unwrap()
        .with_thresholds(&[0.8, 1.0])
        .unwrap()
        .with_histogram(20, 1.5)
        .unwrap()
}

/// Every statistic of `s` against the materialised flows.
pub fn check_branch_stats(s: &BranchStats, flows: &DMatrix<f64>, ratings: &[f64]) {
    let periods = flows.ncols();
    assert_eq!(s.periods(), periods);
    let mean = s.mean_mw();
    let loading = s.max_loading().unwrap();
    for (k, row) in flows.row_iter().enumerate() {
        let (mut max, mut max_t, mut min, mut min_t) = (f64::NEG_INFINITY, 0, f64::INFINITY, 0);
        let (mut sum, mut above, mut hist) = (0.0, [0u32; 2], vec![0u32; 21]);
        for (t, &f) in row.iter().enumerate() {
            if f > max {
                (max, max_t) = (f, t);
            }
            if f < min {
                (min, min_t) = (f, t);
            }
            sum += f;
            for (j, thr) in [0.8, 1.0].iter().enumerate() {
                above[j] += (f.abs() > thr * ratings[k]) as u32;
            }
            hist[((f.abs() * (20.0 / (1.5 * ratings[k]))) as usize).min(20)] += 1;
        }
        assert_eq!(s.max_mw()[k].to_bits(), max.to_bits(), "branch {k} max");
        assert_eq!(s.max_period()[k], max_t, "branch {k} max period");
        assert_eq!(s.min_mw()[k].to_bits(), min.to_bits(), "branch {k} min");
        assert_eq!(s.min_period()[k], min_t, "branch {k} min period");
        let scale = row.iter().fold(1.0f64, |a, f| a.max(f.abs()));
        assert!(
            (mean[k] - sum / periods as f64).abs() <= 1e-12 * scale,
            "branch {k} mean {} vs {}",
            mean[k],
            sum / periods as f64
        );
        assert_eq!(s.periods_above(0)[k], above[0], "branch {k} above 80 %");
        assert_eq!(s.periods_above(1)[k], above[1], "branch {k} above 100 %");
        assert_eq!(s.histogram(k), &hist[..], "branch {k} histogram");
        assert_eq!(loading[k], max.max(-min) / ratings[k]);
    }
}

pub fn bits(s: &BranchStats) -> Vec<u64> {
    let mut out: Vec<u64> = s.max_mw().iter().map(|v| v.to_bits()).collect();
    out.extend(s.min_mw().iter().map(|v| v.to_bits()));
    out.extend(s.mean_mw().iter().map(|v| v.to_bits()));
    out.extend(s.max_period().iter().map(|&p| p as u64));
    out.extend(s.min_period().iter().map(|&p| p as u64));
    out.extend(s.periods_above(0).iter().map(|&c| c as u64));
    for k in 0..s.max_mw().len() {
        out.extend(s.histogram(k).iter().map(|&c| c as u64));
    }
    out
}

/// Zones of a synthetic grid: a load shape per zone, a solar shape for
/// every fourth bus.
pub fn profiles(pf: &DcPowerFlow, periods: usize) -> ProfileInjections {
    let base = pf.model().bus_injections_mw();
    let mut inj = ProfileInjections::new(base.len(), periods);
    let zones: Vec<_> = (0..3)
        .map(|z| {
            let shape: Vec<f64> = (0..periods)
                .map(|t| 0.7 + 0.3 * (((t + 5 * z) % 24) as f64 / 23.0))
                .collect();
            inj.add_profile(&format!("zone {z}"), &shape).unwrap()
        })
        .collect();
    let solar_shape: Vec<f64> = (0..periods)
        .map(|t| {
            (((t % 24) as f64 - 6.0) / 12.0 * std::f64::consts::PI)
                .sin()
                .max(0.0)
        })
        .collect();
    let solar = inj.add_profile("solar", &solar_shape).unwrap();
    for (b, &p) in base.iter().enumerate() {
        inj.add_term(b, p, zones[b % 3]).unwrap();
        if b % 4 == 1 {
            inj.add_term(b, 3.5, solar).unwrap();
            inj.add_term(b, -1.25, zones[(b + 1) % 3]).unwrap();
        }
    }
    inj
}

/// Runs `year` on pools of 1, 2 and 3 threads and asserts the statistics
/// are the same bits.
pub fn assert_same_bits_on_any_thread_count(year: impl Fn() -> BranchStats + Sync) {
    let runs: Vec<Vec<u64>> = [1, 2, 3]
        .iter()
        .map(|&threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            bits(&pool.install(&year))
        })
        .collect();
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0], runs[2]);
}
