//! Many snapshots through one factorisation: `solve_many`, `solve_stream`
//! and `solve_reduced_block` agree with one-at-a-time solves, to the bit,
//! and do not depend on the number of threads.

mod common;

use landlinked::dc::{BLOCK, DcPowerFlow};
use landlinked::io::matpower;
use landlinked::synthetic::{SyntheticParams, synthetic_grid};
use nalgebra::DMatrix;
use std::sync::Mutex;

/// Injections of period `t`: the network's own, scaled by a daily shape,
/// with a period-dependent swing at one bus so columns all differ.
fn injections(pf: &DcPowerFlow, periods: usize) -> DMatrix<f64> {
    let base = pf.model().bus_injections_mw();
    DMatrix::from_fn(base.len(), periods, |b, t| {
        let shape = 0.8 + 0.2 * ((t % 24) as f64 / 24.0 * std::f64::consts::TAU).sin();
        base[b] * shape
            + if b == base.len() / 2 {
                t as f64 * 0.1
            } else {
                0.0
            }
    })
}

fn grid(buses: usize) -> DcPowerFlow {
    let net = synthetic_grid(&SyntheticParams {
        buses,
        seed: 3,
        ..Default::default()
    });
    DcPowerFlow::new(&net).unwrap()
}

#[test]
fn solve_many_equals_single_solves_bit_for_bit() {
    let pf = grid(400);
    // 37 periods: two full blocks and a partial one.
    let inj = injections(&pf, 2 * BLOCK + 5);
    let series = pf.solve_many(&inj).unwrap();
    for t in [0, 1, BLOCK - 1, BLOCK, 2 * BLOCK + 4] {
        let col: Vec<f64> = inj.column(t).iter().copied().collect();
        let one = pf.solve_injections(&col).unwrap();
        for (a, b) in series.va_deg.column(t).iter().zip(&one.va_deg) {
            assert_eq!(a, b, "angle, period {t}");
        }
        for (a, b) in series.pf_mw.column(t).iter().zip(&one.pf_mw) {
            assert_eq!(a, b, "flow, period {t}");
        }
        for (a, b) in series.slack_mw.column(t).iter().zip(&one.slack_mw) {
            assert!(
                (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                "slack, period {t}: {a} vs {b}"
            );
        }
    }
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let pf = grid(900);
    let inj = injections(&pf, 10 * BLOCK + 3);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| pf.solve_many(&inj).unwrap())
    };
    let (one, two) = (run(1), run(2));
    let bits = |m: &DMatrix<f64>| m.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
    assert_eq!(bits(&one.va_deg), bits(&two.va_deg));
    assert_eq!(bits(&one.pf_mw), bits(&two.pf_mw));
    assert_eq!(bits(&one.slack_mw), bits(&two.slack_mw));
}

#[test]
fn streaming_matches_the_stored_series() {
    let pf = grid(300);
    let periods = 3 * BLOCK + 7;
    let inj = injections(&pf, periods);
    let full = pf.solve_many(&inj).unwrap();
    let n = pf.model().bus_count();
    let m = pf.model().branch_count();
    let seen = Mutex::new(vec![false; periods]);
    pf.solve_stream(
        periods,
        |first, width, buf| {
            for c in 0..width {
                buf[c * n..(c + 1) * n].copy_from_slice(inj.column(first + c).as_slice());
            }
        },
        |block| {
            for c in 0..block.width {
                let t = block.first_period + c;
                assert_eq!(
                    &block.pf_mw[c * m..(c + 1) * m],
                    full.pf_mw.column(t).as_slice()
                );
                assert_eq!(
                    &block.va_deg[c * n..(c + 1) * n],
                    full.va_deg.column(t).as_slice()
                );
                seen.lock().unwrap()[t] = true;
            }
        },
    )
    .unwrap();
    assert!(
        seen.into_inner().unwrap().iter().all(|&s| s),
        "every period streamed once"
    );
}

#[test]
fn block_solve_of_the_reduced_system_matches_the_single_solve() {
    let pf = grid(250);
    let nr = pf.reduced_len();
    let width = 5;
    let mut block: Vec<f64> = (0..nr * width)
        .map(|i| ((i * 7919) % 101) as f64 - 50.0)
        .collect();
    let columns: Vec<Vec<f64>> = (0..width)
        .map(|c| (0..nr).map(|i| block[i * width + c]).collect())
        .collect();
    pf.solve_reduced_block(&mut block, width);
    for (c, col) in columns.into_iter().enumerate() {
        let mut x = col;
        pf.solve_reduced_in_place(&mut x);
        for i in 0..nr {
            assert!((block[i * width + c] - x[i]).abs() <= 1e-12 * x[i].abs().max(1.0));
        }
    }
}

#[test]
fn solve_many_rejects_a_wrong_shape() {
    let pf = grid(50);
    let inj = DMatrix::zeros(49, 3);
    let err = pf.solve_many(&inj).unwrap_err();
    assert!(err.to_string().contains("expected 50"), "{err}");
}

#[test]
fn series_on_a_matpower_case_matches_its_single_solve() {
    let Some(cases) = common::env_dir("LANDLINKED_CASES") else {
        return;
    };
    let net = matpower::read(cases.join("case2383wp.m")).unwrap();
    let pf = DcPowerFlow::new(&net).unwrap();
    let inj = injections(&pf, BLOCK + 1);
    let series = pf.solve_many(&inj).unwrap();
    // A case with phase shifters, parallel branches and 2,383 buses: the
    // block kernel and the single solve agree to the bit on every column.
    for t in [0, BLOCK] {
        let col: Vec<f64> = inj.column(t).iter().copied().collect();
        let direct = pf.solve_injections(&col).unwrap();
        assert_eq!(series.pf_mw.column(t).as_slice(), &direct.pf_mw[..]);
        assert_eq!(series.va_deg.column(t).as_slice(), &direct.va_deg[..]);
    }
}

#[test]
fn non_finite_injections_are_named_not_blamed_on_the_network() {
    let pf = grid(60);
    let n = pf.model().bus_count();
    let mut one = pf.model().bus_injections_mw().to_vec();
    one[7] = f64::NAN;
    let err = pf.solve_injections(&one).unwrap_err().to_string();
    assert!(
        err.contains("bus 8") && err.contains("injection_mw"),
        "{err}"
    );

    let mut inj = injections(&pf, 40);
    inj[(3, 35)] = f64::INFINITY;
    let err = pf.solve_many(&inj).unwrap_err().to_string();
    assert!(err.contains("bus 4, period 36"), "{err}");

    let err = pf
        .solve_stream(
            40,
            |first, width, buf| {
                for c in 0..width {
                    buf[c * n + 5] = if first + c == 21 { f64::NAN } else { -1.0 };
                }
            },
            |_| {},
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("bus 6, period 22"), "{err}");
}
