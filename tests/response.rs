//! A year by superposition (`DcPowerFlow::profile_response`, then
//! `ProfileResponse::reduce`): its flows and angles equal the solved year
//! to rounding on synthetic grids and on MATPOWER's cases (phase
//! shifters, shunts, reference angles); its statistics equal those of its
//! own materialised year bit for bit, for any thread count; the year-long
//! N-1 over it equals the one over the block kernel.

use landlinked::dc::{AngleExtremes, BranchStats, DcPowerFlow, ProfileInjections};
use landlinked::io::matpower;
use landlinked::sensitivity::{ContingencyYear, islanding_branches};
use nalgebra::DMatrix;

mod common;
use common::reduce::{check_branch_stats, net, profiles, ratings, stats};

/// Largest |superposed − solved| over every branch and period, against
/// the largest |flow|; the same for angles (degrees).
fn worst_errors(pf: &DcPowerFlow, inj: &ProfileInjections) -> (f64, f64) {
    let r = pf.profile_response(inj).unwrap();
    let solved = pf.solve_many(&inj.to_matrix()).unwrap();
    let rel = |m: &DMatrix<f64>, f: &dyn Fn(usize, usize) -> f64| {
        let scale = m.iter().fold(1.0f64, |a, v| a.max(v.abs()));
        let mut worst = 0.0f64;
        for t in 0..m.ncols() {
            for i in 0..m.nrows() {
                let got = f(i, t);
                assert!(got.is_finite());
                worst = worst.max((got - m[(i, t)]).abs() / scale);
            }
        }
        worst
    };
    (
        rel(&solved.pf_mw, &|k, t| r.flow_mw(k, t)),
        rel(&solved.va_deg, &|b, t| r.angle_deg(b, t)),
    )
}

#[test]
fn superposed_flows_equal_the_solved_year() {
    let pf = DcPowerFlow::new(&net(300)).unwrap();
    let inj = profiles(&pf, 300);
    let (flows, angles) = worst_errors(&pf, &inj);
    assert!(flows < 1e-12 && angles < 1e-12, "{flows:e} {angles:e}");
}

/// Two zones by bus parity over each case's own injections, plus a third
/// profile on every fifth bus: offsets (shifters, `Pbusinj`, shunts,
/// the reference angle) must stay in the constant column.
fn case_profiles(pf: &DcPowerFlow, periods: usize) -> ProfileInjections {
    let base = pf.model().bus_injections_mw();
    let mut inj = ProfileInjections::new(base.len(), periods);
    let shape = |phase: usize| -> Vec<f64> {
        (0..periods)
            .map(|t| 0.6 + 0.4 * (((t + phase) % 24) as f64 / 23.0))
            .collect()
    };
    let zones = [
        inj.add_profile("even", &shape(0)).unwrap(),
        inj.add_profile("odd", &shape(7)).unwrap(),
    ];
    let wind = inj.add_profile("wind", &shape(13)).unwrap();
    for (b, &p) in base.iter().enumerate() {
        inj.add_term(b, p, zones[b % 2]).unwrap();
        if b % 5 == 0 {
            inj.add_term(b, 25.0, wind).unwrap();
        }
    }
    inj
}

#[test]
fn superposition_keeps_the_offsets_of_matpower_cases() {
    let bundled = matpower::read("grids/case5_tap_shift.m").unwrap();
    let pf = DcPowerFlow::new(&bundled).unwrap();
    // The case has a phase shifter and a reference angle: the constant
    // column carries them.
    let (f, a) = worst_errors(&pf, &case_profiles(&pf, 48));
    assert!(f < 1e-12 && a < 1e-12, "case5_tap_shift: {f:e} {a:e}");
    let Some(dir) = common::env_dir("LANDLINKED_CASES") else {
        return;
    };
    let mut checked = 0;
    for case in common::case_files(&dir) {
        let net = matpower::read(&case).unwrap();
        if net.buses.len() > 3000 {
            continue;
        }
        let pf = DcPowerFlow::new(&net).unwrap();
        let (f, a) = worst_errors(&pf, &case_profiles(&pf, 30));
        assert!(f < 1e-11 && a < 1e-11, "{}: {f:e} {a:e}", case.display());
        checked += 1;
    }
    assert!(checked > 3, "only {checked} cases checked");
}

#[test]
fn superposed_statistics_equal_their_materialised_year() {
    let pf = DcPowerFlow::new(&net(300)).unwrap();
    // 1,000 periods: full chunks, a partial chunk and a partial block.
    let inj = profiles(&pf, 1000);
    let r = pf.profile_response(&inj).unwrap();
    let (m, n) = (pf.model().branch_count(), pf.model().bus_count());
    let flows = DMatrix::from_fn(m, 1000, |k, t| r.flow_mw(k, t));
    let rate = ratings(&flows);
    let (s, a) = r.reduce((stats(m, &rate), AngleExtremes::new(n))).unwrap();
    check_branch_stats(&s, &flows, &rate);
    assert!(s.periods_above(1).iter().any(|&c| c > 0));
    for b in 0..n {
        let angles: Vec<f64> = (0..1000).map(|t| r.angle_deg(b, t)).collect();
        let max_t = (0..1000).fold(0, |m, t| if angles[t] > angles[m] { t } else { m });
        let min_t = (0..1000).fold(0, |m, t| if angles[t] < angles[m] { t } else { m });
        assert_eq!(
            (a.max_deg()[b].to_bits(), a.max_period()[b]),
            (angles[max_t].to_bits(), max_t)
        );
        assert_eq!(
            (a.min_deg()[b].to_bits(), a.min_period()[b]),
            (angles[min_t].to_bits(), min_t)
        );
    }
    // Against the block kernel's statistics: the same periods and counts
    // wherever rounding cannot decide them, extremes to rounding.
    let solved = pf.reduce_many(&inj, stats(m, &rate)).unwrap();
    for k in 0..m {
        let scale = s.max_mw()[k].abs().max(s.min_mw()[k].abs()).max(1.0);
        assert!((s.max_mw()[k] - solved.max_mw()[k]).abs() <= 1e-12 * scale);
        assert!((s.min_mw()[k] - solved.min_mw()[k]).abs() <= 1e-12 * scale);
    }
    let same = (0..m)
        .filter(|&k| s.max_period()[k] == solved.max_period()[k])
        .count();
    assert!(
        same * 10 >= m * 9,
        "{same} of {m} maxima in the same period"
    );
}

#[test]
fn superposed_statistics_do_not_depend_on_the_thread_count() {
    let pf = DcPowerFlow::new(&net(250)).unwrap();
    let inj = profiles(&pf, 777);
    let r = pf.profile_response(&inj).unwrap();
    let m = pf.model().branch_count();
    let rate = ratings(&DMatrix::from_fn(m, 777, |k, t| r.flow_mw(k, t)));
    common::reduce::assert_same_bits_on_any_thread_count(|| r.reduce(stats(m, &rate)).unwrap());
}

#[test]
fn year_long_n_minus_1_over_the_superposition_equals_the_solved_one() {
    let net = net(80);
    let pf = DcPowerFlow::new(&net).unwrap();
    let inj = profiles(&pf, 200);
    let m = pf.model().branch_count();
    let bridges = islanding_branches(pf.model());
    let outages: Vec<usize> = (0..m).filter(|&k| !bridges[k]).step_by(3).collect();
    let monitored: Vec<usize> = (0..m).collect();
    let rate = ratings(&pf.solve_many(&inj.to_matrix()).unwrap().pf_mw);
    let n1 = ContingencyYear::new(&pf, &monitored, &outages, &rate).unwrap();
    let solved = pf.reduce_many(&inj, n1.clone()).unwrap();
    let superposed = pf.profile_response(&inj).unwrap().reduce(n1).unwrap();
    for l in 0..m {
        let (a, b) = (superposed.worst_mw()[l], solved.worst_mw()[l]);
        assert!(
            (a - b).abs() <= 1e-12 * b.max(1.0),
            "branch {l}: {a} vs {b}"
        );
    }
    assert!(!solved.insecure_periods().is_empty());
    assert_eq!(superposed.insecure_periods(), solved.insecure_periods());
}

#[test]
fn bad_input_gets_a_clear_error() {
    let pf = DcPowerFlow::new(&net(60)).unwrap();
    let m = pf.model().branch_count();
    // Profiles for another grid.
    let err = pf
        .profile_response(&ProfileInjections::new(59, 24))
        .unwrap_err()
        .to_string();
    assert!(err.contains("buses") && err.contains("59"), "{err}");
    // A reducer for another grid.
    let r = pf.profile_response(&profiles(&pf, 24)).unwrap();
    let err = r.reduce(BranchStats::new(m + 1)).unwrap_err().to_string();
    assert!(err.contains("another grid"), "{err}");
    // No profiles at all: every period is the zero-injection flow.
    let none = pf.profile_response(&ProfileInjections::new(60, 5)).unwrap();
    let s = none.reduce(BranchStats::new(m)).unwrap();
    assert_eq!(s.periods(), 5);
    assert_eq!(s.max_mw(), s.min_mw());
}
