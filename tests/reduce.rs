//! Fused reductions (`reduce_many`), generated injections and the
//! year-long N-1: each equals the statistic computed from the materialised
//! year (`solve_many`) or from brute force (remove the branch, refactor,
//! solve), and does not depend on the number of threads.

use landlinked::dc::{
    AngleExtremes, BranchStats, DcPowerFlow, Injections, ProfileInjections, Reducer,
};
use landlinked::network::Network;
use landlinked::sensitivity::{ContingencyYear, islanding_branches, screen_outages};
use nalgebra::DMatrix;

mod common;
use common::reduce::{bits, check_branch_stats, injections, net, profiles, ratings, stats};

#[test]
fn fused_statistics_equal_the_materialised_year() {
    let pf = DcPowerFlow::new(&net(300)).unwrap();
    // 1,000 periods: 15 full chunks, a partial chunk and a partial block.
    let inj = injections(&pf, 1000);
    let year = pf.solve_many(&inj).unwrap();
    let r = ratings(&year.pf_mw);
    let m = pf.model().branch_count();
    let n = pf.model().bus_count();
    let (s, a) = pf
        .reduce_many(&inj, (stats(m, &r), AngleExtremes::new(n)))
        .unwrap();
    check_branch_stats(&s, &year.pf_mw, &r);
    // Thresholds were set so that the counts mean something.
    assert!(s.periods_above(1).iter().any(|&c| c > 0));
    assert!(s.periods_above(0).iter().any(|&c| c < 1000));
    for (i, row) in year.va_deg.row_iter().enumerate() {
        let (mut max, mut max_t, mut min, mut min_t) = (f64::NEG_INFINITY, 0, f64::INFINITY, 0);
        for (t, &v) in row.iter().enumerate() {
            if v > max {
                (max, max_t) = (v, t);
            }
            if v < min {
                (min, min_t) = (v, t);
            }
        }
        assert_eq!(
            (a.max_deg()[i].to_bits(), a.max_period()[i]),
            (max.to_bits(), max_t)
        );
        assert_eq!(
            (a.min_deg()[i].to_bits(), a.min_period()[i]),
            (min.to_bits(), min_t)
        );
    }
}

#[test]
fn fused_statistics_do_not_depend_on_the_thread_count() {
    let pf = DcPowerFlow::new(&net(250)).unwrap();
    let inj = injections(&pf, 777);
    let r = ratings(&pf.solve_many(&inj).unwrap().pf_mw);
    let m = pf.model().branch_count();
    common::reduce::assert_same_bits_on_any_thread_count(|| {
        pf.reduce_many(&inj, stats(m, &r)).unwrap()
    });
}

#[test]
fn generated_injections_equal_the_materialised_product() {
    let pf = DcPowerFlow::new(&net(300)).unwrap();
    let inj = profiles(&pf, 500);
    let mat = inj.to_matrix();
    for (b, t) in [(0, 0), (1, 13), (5, 499), (299, 250)] {
        assert_eq!(mat[(b, t)].to_bits(), inj.value_mw(b, t).to_bits());
    }
    let year = pf.solve_many(&mat).unwrap();
    let r = ratings(&year.pf_mw);
    let m = pf.model().branch_count();
    let generated = pf.reduce_many(&inj, stats(m, &r)).unwrap();
    let materialised = pf.reduce_many(&mat, stats(m, &r)).unwrap();
    assert_eq!(bits(&generated), bits(&materialised));
    check_branch_stats(&generated, &year.pf_mw, &r);
}

#[test]
fn a_borrowed_slice_reduces_like_the_matrix() {
    let pf = DcPowerFlow::new(&net(200)).unwrap();
    let inj = injections(&pf, 300);
    let r = ratings(&pf.solve_many(&inj).unwrap().pf_mw);
    let (m, n) = (pf.model().branch_count(), pf.model().bus_count());
    // A column-major buses × periods slice: a C-contiguous periods × buses
    // NumPy array's memory.
    let slice = Injections::Slice {
        values_mw: inj.as_slice(),
        buses: n,
    };
    assert_eq!((slice.buses(), slice.periods()), (n, 300));
    let from_slice = pf.reduce_many(slice, stats(m, &r)).unwrap();
    let from_matrix = pf.reduce_many(&inj, stats(m, &r)).unwrap();
    assert_eq!(bits(&from_slice), bits(&from_matrix));
    // Not a whole number of periods, or another bus count.
    let partial = Injections::Slice {
        values_mw: &inj.as_slice()[..n * 10 + 3],
        buses: n,
    };
    let err = pf
        .reduce_many(partial, BranchStats::new(m))
        .unwrap_err()
        .to_string();
    assert!(err.contains("whole number of periods"), "{err}");
    let other = Injections::Slice {
        values_mw: &inj.as_slice()[..(n - 1) * 10],
        buses: n - 1,
    };
    assert!(pf.reduce_many(other, BranchStats::new(m)).is_err());
    // A NaN is named by bus and period, as in the matrix.
    let mut bad = inj.clone();
    bad[(3, 123)] = f64::NAN;
    let nan = Injections::Slice {
        values_mw: bad.as_slice(),
        buses: n,
    };
    let err = pf
        .reduce_many(nan, BranchStats::new(m))
        .unwrap_err()
        .to_string();
    assert!(err.contains("bus ") && err.contains("period 124"), "{err}");
}

/// Worst post-contingency |flow| per monitored branch by brute force:
/// each outage's branch removed, the grid refactored and every period
/// solved.
fn brute_force(net: &Network, inj: &DMatrix<f64>, outages: &[usize]) -> Vec<DMatrix<f64>> {
    outages
        .iter()
        .map(|&k| {
            let mut cut = net.clone();
            cut.branches[k].in_service = false;
            DcPowerFlow::new(&cut)
                .unwrap()
                .solve_many(inj)
                .unwrap()
                .pf_mw
        })
        .collect()
}

#[test]
fn year_long_n_minus_1_equals_brute_force() {
    let net = net(60);
    let pf = DcPowerFlow::new(&net).unwrap();
    let inj = injections(&pf, 70);
    let base = pf.solve_many(&inj).unwrap().pf_mw;
    let bridges = islanding_branches(pf.model());
    let outages: Vec<usize> = (0..net.branches.len())
        .filter(|&k| !bridges[k])
        .step_by(3)
        .collect();
    let monitored: Vec<usize> = (0..net.branches.len()).collect();
    let after = brute_force(&net, &inj, &outages);
    // Every fifth branch rated just below its worst post-contingency flow
    // (overloaded in a few periods), the others well above it.
    let r: Vec<f64> = base
        .row_iter()
        .enumerate()
        .map(|(l, row)| {
            let worst = after
                .iter()
                .flat_map(|f| f.row(l).iter().map(|v| v.abs()).collect::<Vec<_>>());
            let worst = worst.fold(row.iter().fold(1.0f64, |a, v| a.max(v.abs())), f64::max);
            if l % 5 == 0 {
                0.97 * worst
            } else {
                1.3 * worst
            }
        })
        .collect();
    let n1 = ContingencyYear::new(&pf, &monitored, &outages, &r).unwrap();
    let year = pf.reduce_many(&inj, n1).unwrap();
    assert_eq!(year.periods(), 70);
    let mut insecure = [false; 70];
    for (l, &rating) in r.iter().enumerate() {
        let worst = after
            .iter()
            .flat_map(|f| f.row(l).iter().map(|v| v.abs()).collect::<Vec<_>>())
            .fold(0.0, f64::max);
        let got = year.worst_mw()[l];
        assert!(
            (got - worst).abs() <= 1e-9 * worst.max(1.0),
            "branch {l}: {got} vs {worst}"
        );
        assert_eq!(year.worst_loading()[l], got / rating);
        // The outage and period reported reach that worst flow.
        let k = outages
            .iter()
            .position(|&o| o == year.worst_outage()[l])
            .unwrap();
        let t = year.worst_period()[l];
        assert!((after[k][(l, t)].abs() - worst).abs() <= 1e-9 * worst.max(1.0));
        for (t, flag) in insecure.iter_mut().enumerate() {
            // Margins away from the rating keep rounding out of the test.
            let post = after.iter().map(|f| f[(l, t)].abs()).fold(0.0, f64::max);
            assert!((post - rating).abs() > 1e-6, "a flow on the rating");
            *flag |= post > rating;
        }
    }
    let expected: Vec<usize> = (0..70).filter(|&t| insecure[t]).collect();
    assert!(!expected.is_empty() && expected.len() < 70);
    assert_eq!(year.insecure_periods(), &expected[..]);
    // The same bits on one thread as on two.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| {
            let n1 = ContingencyYear::new(&pf, &monitored, &outages, &r).unwrap();
            pf.reduce_many(&inj, n1).unwrap()
        });
    assert_eq!(one.worst_mw(), year.worst_mw());
    assert_eq!(one.worst_period(), year.worst_period());
    assert_eq!(one.insecure_periods(), year.insecure_periods());
}

#[test]
fn screening_ranks_outages_by_the_loading_they_add() {
    let net = net(60);
    let pf = DcPowerFlow::new(&net).unwrap();
    let inj = injections(&pf, 24);
    let base = pf.solve_many(&inj).unwrap().pf_mw;
    let r = ratings(&base);
    let all: Vec<usize> = (0..net.branches.len()).collect();
    let ranked = screen_outages(&pf, &all, &all, &r, &inj, 5).unwrap();
    assert_eq!(ranked.len(), 5);
    let bridges = islanding_branches(pf.model());
    // Each score is the largest |post − pre| / rating by brute force.
    let candidates: Vec<usize> = all.iter().copied().filter(|&k| !bridges[k]).collect();
    let after = brute_force(&net, &inj, &candidates);
    let score = |i: usize| {
        let k = candidates[i];
        let mut s: f64 = 0.0;
        for l in all.iter().filter(|&&l| l != k) {
            for t in 0..24 {
                s = s.max((after[i][(*l, t)] - base[(*l, t)]).abs() / r[*l]);
            }
        }
        s
    };
    let mut expected: Vec<(usize, f64)> = (0..candidates.len())
        .map(|i| (candidates[i], score(i)))
        .collect();
    expected.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (got, want) in ranked.iter().zip(&expected) {
        assert!((got.score - want.1).abs() <= 1e-9 * want.1.max(1.0));
    }
    assert!(ranked.iter().all(|s| !bridges[s.branch]));
}

#[test]
fn bad_input_gets_a_clear_error() {
    let net = net(60);
    let pf = DcPowerFlow::new(&net).unwrap();
    let m = pf.model().branch_count();
    // A profile of the wrong length.
    let mut inj = ProfileInjections::new(60, 48);
    let err = inj
        .add_profile("north", &[1.0; 24])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("profile `north`") && err.contains("24"),
        "{err}"
    );
    // Profiles for another grid.
    let other = ProfileInjections::new(59, 48);
    let err = pf
        .reduce_many(&other, BranchStats::new(m))
        .unwrap_err()
        .to_string();
    assert!(err.contains("buses") && err.contains("59"), "{err}");
    // A reducer for another grid.
    let zeros = DMatrix::zeros(60, 48);
    let err = pf
        .reduce_many(&zeros, BranchStats::new(m + 1))
        .unwrap_err()
        .to_string();
    assert!(err.contains("another grid"), "{err}");
    // Ratings of zero or NaN.
    let mut r = vec![100.0; m];
    r[4] = 0.0;
    let err = BranchStats::new(m)
        .with_ratings(&r)
        .unwrap_err()
        .to_string();
    assert!(err.contains("branch 5") && err.contains("rating"), "{err}");
    r[4] = f64::NAN;
    let err = ContingencyYear::new(&pf, &(0..m).collect::<Vec<_>>(), &[], &r)
        .unwrap_err()
        .to_string();
    assert!(err.contains("branch 5 (") && err.contains("NaN"), "{err}");
    // A contingency that islands the grid.
    let bridge = islanding_branches(pf.model())
        .iter()
        .position(|&b| b)
        .unwrap();
    let err = ContingencyYear::new(&pf, &[0], &[bridge], &[100.0])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("branch {} (", bridge + 1)) && err.contains("islands"),
        "{err}"
    );
    // A NaN injection, named by bus and period.
    let mut bad = DMatrix::zeros(60, 40);
    bad[(7, 33)] = f64::NAN;
    let err = pf
        .reduce_many(&bad, BranchStats::new(m))
        .unwrap_err()
        .to_string();
    assert!(err.contains("bus 8") && err.contains("period 34"), "{err}");
    // Nothing to reduce: an empty year is an empty result, not NaN.
    let none = pf
        .reduce_many(&DMatrix::zeros(60, 0), BranchStats::new(m))
        .unwrap();
    assert_eq!((none.periods(), none.mean_mw()[0]), (0, 0.0));
    assert!(none.fresh().max_loading().is_none());
}

#[test]
fn an_empty_contingency_list_is_refused() {
    let pf = DcPowerFlow::new(&net(60)).unwrap();
    let m = pf.model().branch_count();
    let all: Vec<usize> = (0..m).collect();
    let err = ContingencyYear::new(&pf, &all, &[], &vec![100.0; m])
        .unwrap_err()
        .to_string();
    assert!(err.contains("at least one contingency"), "{err}");
}
