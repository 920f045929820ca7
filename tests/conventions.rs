//! MATPOWER's DC power flow conventions, proven on the project's own grids
//! (`grids/*.m`, no `../shared` needed).
//!
//! Each grid is solved with [`DcPowerFlow`] and compared with an independent
//! route written here: the full bus susceptance matrix built by hand as a
//! dense nalgebra matrix (`b = 1/(x·tap)`, phase shifts as injections, Gs as
//! load), islands found by a breadth-first search, references fixed at their
//! file angle, the reduced system solved by nalgebra's dense LU, and the
//! slack given to the first in-service generator at each reference bus.
//! `grids/case3_tap.m` also carries numbers computed by hand (see its header).

use std::collections::VecDeque;

use landlinked::Error;
use landlinked::dc::{DcPowerFlow, DcSolution};
use landlinked::io::matpower;
use landlinked::network::{BusType, Network};
use landlinked::topology::TopologyWarning;
use nalgebra::{DMatrix, DVector};

const TOL: f64 = 1e-9;

fn grid(name: &str) -> Network {
    let path = format!("{}/grids/{name}", env!("CARGO_MANIFEST_DIR"));
    matpower::read(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn solve(net: &Network) -> DcSolution {
    DcPowerFlow::new(net)
        .and_then(|pf| pf.solve())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= TOL * (1.0 + b.abs()),
        "{what}: got {a}, expected {b} (|Δ| = {:.3e})",
        (a - b).abs()
    );
}

fn all_close(a: &[f64], b: &[f64], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths differ");
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        close(*x, *y, &format!("{what}[{i}]"));
    }
}

/// The independent solution: angles (deg), flows (MW), outputs (MW), and
/// the island (None for isolated buses) and reference of every bus.
struct Reference {
    va_deg: Vec<f64>,
    pf_mw: Vec<f64>,
    pg_mw: Vec<f64>,
    island: Vec<Option<usize>>,
    refs: Vec<usize>,
}

/// Dense, textbook DC power flow: nothing shared with the crate's solver.
fn reference_solution(net: &Network) -> Reference {
    let n = net.buses.len();
    let base = net.base_mva;
    let pos = |id: u64| net.buses.iter().position(|b| b.id == id).unwrap();
    let alive: Vec<bool> = net
        .buses
        .iter()
        .map(|b| b.kind != BusType::Isolated)
        .collect();
    let active: Vec<bool> = net
        .branches
        .iter()
        .map(|br| br.in_service && alive[pos(br.from)] && alive[pos(br.to)])
        .collect();

    // Full B and the shift injections, p.u.
    let mut bmat = DMatrix::<f64>::zeros(n, n);
    let mut pbusinj = vec![0.0; n];
    for (k, br) in net.branches.iter().enumerate() {
        if !active[k] {
            continue;
        }
        let tap = if br.tap == 0.0 { 1.0 } else { br.tap };
        let b = 1.0 / (br.x_pu * tap);
        let (f, t) = (pos(br.from), pos(br.to));
        bmat[(f, f)] += b;
        bmat[(t, t)] += b;
        bmat[(f, t)] -= b;
        bmat[(t, f)] -= b;
        let pfinj = -b * br.shift_deg.to_radians();
        pbusinj[f] += pfinj;
        pbusinj[t] -= pfinj;
    }

    // Bus injections: Pg - Pd - Gs of live elements, minus Pbusinj.
    let gen_on: Vec<bool> = net
        .generators
        .iter()
        .map(|g| g.in_service && alive[pos(g.bus)])
        .collect();
    let mut p = vec![0.0; n];
    for (i, bus) in net.buses.iter().enumerate() {
        if alive[i] {
            p[i] = (-bus.pd_mw - bus.gs_mw) / base - pbusinj[i];
        }
    }
    for (g, generator) in net.generators.iter().enumerate() {
        if gen_on[g] {
            p[pos(generator.bus)] += generator.pg_mw / base;
        }
    }

    // Islands by breadth-first search over active branches.
    let mut island = vec![None; n];
    let mut count = 0;
    for start in 0..n {
        if !alive[start] || island[start].is_some() {
            continue;
        }
        island[start] = Some(count);
        let mut queue = VecDeque::from([start]);
        while let Some(u) = queue.pop_front() {
            for (k, br) in net.branches.iter().enumerate() {
                let (f, t) = (pos(br.from), pos(br.to));
                let v = if f == u {
                    t
                } else if t == u {
                    f
                } else {
                    continue;
                };
                if active[k] && island[v].is_none() {
                    island[v] = Some(count);
                    queue.push_back(v);
                }
            }
        }
        count += 1;
    }

    // Reference per island: a REF bus with an in-service generator, else
    // the first PV bus (file order) with one.
    let has_gen = |b: usize| {
        net.generators
            .iter()
            .zip(&gen_on)
            .any(|(g, &on)| on && pos(g.bus) == b)
    };
    let refs: Vec<usize> = (0..count)
        .map(|k| {
            let members = (0..n).filter(|&b| island[b] == Some(k));
            let of_kind = |kind| {
                members
                    .clone()
                    .find(|&b| net.buses[b].kind == kind && has_gen(b))
            };
            of_kind(BusType::Ref)
                .or_else(|| of_kind(BusType::Pv))
                .expect("every island of the test grids has a generator")
        })
        .collect();

    // θ: file Va at references (and isolated buses); the rest solved by LU.
    let mut theta: Vec<f64> = net.buses.iter().map(|b| b.va_deg.to_radians()).collect();
    let unknown: Vec<usize> = (0..n).filter(|&b| alive[b] && !refs.contains(&b)).collect();
    let m = unknown.len();
    let mut a = DMatrix::<f64>::zeros(m, m);
    let mut rhs = DVector::<f64>::zeros(m);
    for (i, &bi) in unknown.iter().enumerate() {
        for (j, &bj) in unknown.iter().enumerate() {
            a[(i, j)] = bmat[(bi, bj)];
        }
        rhs[i] = p[bi] - refs.iter().map(|&r| bmat[(bi, r)] * theta[r]).sum::<f64>();
    }
    let x = a.lu().solve(&rhs).expect("reduced B is nonsingular");
    for (i, &b) in unknown.iter().enumerate() {
        theta[b] = x[i];
    }

    let pf_mw = net
        .branches
        .iter()
        .enumerate()
        .map(|(k, br)| {
            if !active[k] {
                return 0.0;
            }
            let tap = if br.tap == 0.0 { 1.0 } else { br.tap };
            let b = 1.0 / (br.x_pu * tap);
            b * (theta[pos(br.from)] - theta[pos(br.to)] - br.shift_deg.to_radians()) * base
        })
        .collect();

    // Outputs: file Pg if on; the first in-service generator at each
    // reference takes (Bθ)[ref] − P[ref].
    let mut pg_mw: Vec<f64> = net
        .generators
        .iter()
        .zip(&gen_on)
        .map(|(g, &on)| if on { g.pg_mw } else { 0.0 })
        .collect();
    let th = DVector::from_vec(theta.clone());
    let btheta = &bmat * &th;
    for &r in &refs {
        let g = (0..net.generators.len())
            .find(|&g| gen_on[g] && pos(net.generators[g].bus) == r)
            .unwrap();
        pg_mw[g] += (btheta[r] - p[r]) * base;
    }
    Reference {
        va_deg: theta.iter().map(|t| t.to_degrees()).collect(),
        pf_mw,
        pg_mw,
        island,
        refs,
    }
}

/// Compares the crate with the independent route on a grid.
fn check_against_reference(net: &Network) -> (DcSolution, Reference) {
    let sol = solve(net);
    let r = reference_solution(net);
    all_close(&sol.va_deg, &r.va_deg, "va_deg");
    all_close(&sol.pf_mw, &r.pf_mw, "pf_mw");
    all_close(&sol.pg_mw, &r.pg_mw, "pg_mw");
    assert_eq!(sol.islands, r.refs.len(), "island count");
    (sol, r)
}

/// Σ over each island of Pg − Pd − Gs must be 0 after the slack.
fn assert_islands_balance(net: &Network, sol: &DcSolution, r: &Reference) {
    let pos = |id: u64| net.buses.iter().position(|b| b.id == id).unwrap();
    for k in 0..r.refs.len() {
        let mut sum = 0.0;
        let mut scale = 0.0f64;
        for (i, bus) in net.buses.iter().enumerate() {
            if r.island[i] == Some(k) {
                sum -= bus.pd_mw + bus.gs_mw;
                scale = scale.max(bus.pd_mw.abs());
            }
        }
        for (g, generator) in net.generators.iter().enumerate() {
            if r.island[pos(generator.bus)] == Some(k) {
                sum += sol.pg_mw[g];
            }
        }
        assert!(
            sum.abs() <= 1e-9 * (1.0 + scale),
            "island {k} out of balance by {sum} MW"
        );
    }
}

#[test]
fn case3_tap_matches_hand_computation() {
    let net = grid("case3_tap.m");
    let sol = solve(&net);
    // See the header of grids/case3_tap.m for the derivation.
    let to_deg = 180.0 / std::f64::consts::PI;
    all_close(
        &sol.va_deg,
        &[5.0, 5.0 - 8.0 / 75.0 * to_deg, 5.0 - 2.0 / 15.0 * to_deg],
        "va_deg",
    );
    all_close(&sol.pf_mw, &[320.0 / 3.0, 50.0 / 3.0, 160.0 / 3.0], "pf_mw");
    all_close(&sol.pg_mw, &[160.0], "pg_mw");
    // The same numbers, written out.
    close(sol.va_deg[1], -1.111_549_814_728_78, "Va2");
    close(sol.va_deg[2], -2.639_437_268_410_98, "Va3");
    close(sol.pf_mw[0], 106.666_666_666_666_67, "Pf 1-2");
    assert!(sol.warnings.is_empty());
    check_against_reference(&net);
}

#[test]
fn case3_tap_ignores_resistance_charging_and_q() {
    // Changing r, line charging, Qd and Bs must not move a single number.
    let mut net = grid("case3_tap.m");
    let before = solve(&net);
    for br in &mut net.branches {
        br.r_pu = 0.3;
        br.b_pu = 1.7;
    }
    for bus in &mut net.buses {
        bus.qd_mvar = 99.0;
        bus.bs_mvar = -40.0;
        bus.vm_pu = 1.05;
    }
    let after = solve(&net);
    assert_eq!(before.va_deg, after.va_deg);
    assert_eq!(before.pf_mw, after.pf_mw);
    assert_eq!(before.pg_mw, after.pg_mw);
}

#[test]
fn tap_side_does_not_matter_and_tap_divides_susceptance() {
    // Reversing the transformer 2-3 into 3-2 flips its flow's sign only.
    let mut net = grid("case3_tap.m");
    let sol = solve(&net);
    let br = &mut net.branches[1];
    std::mem::swap(&mut br.from, &mut br.to);
    let flipped = solve(&net);
    all_close(&flipped.va_deg, &sol.va_deg, "va_deg");
    close(flipped.pf_mw[1], -sol.pf_mw[1], "reversed 2-3");
    // A tap t on x is the same as a line of reactance x·t.
    let mut net = grid("case3_tap.m");
    net.branches[1].tap = 0.0;
    net.branches[1].x_pu = 0.2 * 0.8;
    let same = solve(&net);
    all_close(&same.va_deg, &sol.va_deg, "va_deg");
    all_close(&same.pf_mw, &sol.pf_mw, "pf_mw");
}

#[test]
fn case5_tap_shift_matches_independent_solve() {
    let net = grid("case5_tap_shift.m");
    let (sol, r) = check_against_reference(&net);
    assert!(sol.warnings.is_empty(), "{:?}", sol.warnings);
    assert_eq!(r.refs, vec![1], "bus 3 (second row) is the reference");
    assert_islands_balance(&net, &sol, &r);

    // Reference angle kept: bus 3 is row 2, Va 12.5 deg.
    close(sol.va_deg[1], 12.5, "reference angle");
    // Out-of-service branch 6 (12-40): exactly 0.
    assert_eq!(sol.pf_mw[5], 0.0);
    // Out-of-service generator 4 (file Pg 50): exactly 0.
    assert_eq!(sol.pg_mw[3], 0.0);
    // The second generator at the REF bus and the PV generator keep Pg.
    assert_eq!(sol.pg_mw[2], 20.0);
    assert_eq!(sol.pg_mw[1], 120.0);
    // Slack: load 305 + Gs 8 − 120 − 20 = 173 MW.
    close(sol.pg_mw[0], 173.0, "slack");
    // Net injection at each bus is the flow out of it (Kirchhoff).
    let pos = |id: u64| net.buses.iter().position(|b| b.id == id).unwrap();
    let mut out = vec![0.0; net.buses.len()];
    for (k, br) in net.branches.iter().enumerate() {
        out[pos(br.from)] += sol.pf_mw[k];
        out[pos(br.to)] -= sol.pf_mw[k];
    }
    all_close(&sol.p_inj_mw, &out, "p_inj_mw vs flows out");
}

#[test]
fn case5_phase_shift_flow_formula() {
    // Pf = baseMVA · b · (θf − θt − shift), b = 1/(x·tap), per branch.
    let net = grid("case5_tap_shift.m");
    let sol = solve(&net);
    let pos = |id: u64| net.buses.iter().position(|b| b.id == id).unwrap();
    for (k, br) in net
        .branches
        .iter()
        .enumerate()
        .filter(|(_, b)| b.in_service)
    {
        let tap = if br.tap == 0.0 { 1.0 } else { br.tap };
        let dtheta =
            (sol.va_deg[pos(br.from)] - sol.va_deg[pos(br.to)] - br.shift_deg).to_radians();
        close(
            sol.pf_mw[k],
            100.0 * dtheta / (br.x_pu * tap),
            &format!("branch {}", k + 1),
        );
    }
    // Removing the shifts changes the flows: they are not ignored.
    let mut flat = net.clone();
    for br in &mut flat.branches {
        br.shift_deg = 0.0;
    }
    let no_shift = solve(&flat);
    assert!(
        (no_shift.pf_mw[2] - sol.pf_mw[2]).abs() > 1.0,
        "the -4 deg shifter must move flow"
    );
}

#[test]
fn case5_shifted_reference_angle_shifts_all_angles() {
    // Moving the reference's file Va by +d moves every angle by +d and
    // leaves flows and outputs unchanged.
    let net = grid("case5_tap_shift.m");
    let sol = solve(&net);
    let mut moved = net.clone();
    moved.buses[1].va_deg -= 40.0;
    let sol2 = solve(&moved);
    for (a, b) in sol2.va_deg.iter().zip(&sol.va_deg) {
        close(*a, b - 40.0, "moved angle");
    }
    all_close(&sol2.pf_mw, &sol.pf_mw, "pf_mw");
    all_close(&sol2.pg_mw, &sol.pg_mw, "pg_mw");
}

#[test]
fn case5_gs_is_a_constant_load() {
    // 8 MW of Gs at bus 12 is the same as 8 MW more Pd there.
    let net = grid("case5_tap_shift.m");
    let sol = solve(&net);
    let mut as_load = net.clone();
    as_load.buses[2].gs_mw = 0.0;
    as_load.buses[2].pd_mw += 8.0;
    let sol2 = solve(&as_load);
    all_close(&sol2.va_deg, &sol.va_deg, "va_deg");
    all_close(&sol2.pf_mw, &sol.pf_mw, "pf_mw");
    all_close(&sol2.pg_mw, &sol.pg_mw, "pg_mw");
}

#[test]
fn case6_two_islands_match_independent_solve() {
    let net = grid("case6_two_islands.m");
    let (sol, r) = check_against_reference(&net);
    assert_eq!(sol.islands, 2);
    // References: bus 101 (row 0) and bus 202 (row 4), not 201 (gen off).
    assert_eq!(r.refs, vec![0, 4]);
    assert_islands_balance(&net, &sol, &r);

    // Island A: slack = 20 + 60 + 4 = 84 MW; island B: 25 + 15 + 40 + 2 − 35 = 47.
    close(sol.pg_mw[1], 84.0, "island A slack");
    close(sol.pg_mw[4], 47.0, "island B slack");
    assert_eq!(sol.pg_mw[3], 35.0, "PV generator at 203 keeps Pg");
    assert_eq!(sol.pg_mw[0], 0.0, "out-of-service generator");
    // Reference angles kept, each island its own.
    // (Exact up to the degree → radian → degree round trip.)
    close(sol.va_deg[0], -7.5, "island A reference angle");
    close(sol.va_deg[4], 4.0, "island B reference angle");
    // Isolated bus 9: file Va, its generator 0, its branch 0.
    close(sol.va_deg[3], 1.25, "isolated bus angle");
    assert_eq!(sol.pg_mw[2], 0.0);
    assert_eq!(sol.pf_mw[2], 0.0);
    assert_eq!(sol.p_inj_mw[3], 0.0, "isolated bus has no injection");
    // Island A's flows carry its 64 MW at bus 102: two parallel branches.
    close(sol.pf_mw[0] - sol.pf_mw[1], 64.0, "into bus 102");
}

#[test]
fn case6_island_without_ref_warns() {
    let sol = solve(&grid("case6_two_islands.m"));
    assert_eq!(
        sol.warnings,
        vec![TopologyWarning::ReferenceChosen {
            island: 1,
            bus: 202
        }]
    );
    let text = sol.warnings[0].to_string();
    assert!(
        text.contains("island 1") && text.contains("bus 202"),
        "{text}"
    );
}

#[test]
fn case6_isolated_bus_changes_nothing_when_removed() {
    // Dropping bus 9 with its generator and branch gives the same numbers.
    let net = grid("case6_two_islands.m");
    let sol = solve(&net);
    let mut cut = net.clone();
    cut.buses.remove(3);
    cut.generators.remove(2);
    cut.branches.remove(2);
    let sol2 = solve(&cut);
    let keep_bus = [0, 1, 2, 4, 5];
    let keep_gen = [0, 1, 3, 4];
    let keep_br = [0, 1, 3, 4, 5];
    for (j, &i) in keep_bus.iter().enumerate() {
        close(sol2.va_deg[j], sol.va_deg[i], "va_deg");
    }
    for (j, &i) in keep_gen.iter().enumerate() {
        close(sol2.pg_mw[j], sol.pg_mw[i], "pg_mw");
    }
    for (j, &i) in keep_br.iter().enumerate() {
        close(sol2.pf_mw[j], sol.pf_mw[i], "pf_mw");
    }
}

#[test]
fn island_with_ref_bus_but_no_in_service_generator_falls_back_to_pv() {
    // Make bus 201 REF while its only generator stays out of service: MATPOWER
    // still takes the first PV bus with an in-service generator (202).
    let mut net = grid("case6_two_islands.m");
    net.buses[2].kind = BusType::Ref;
    let (sol, r) = check_against_reference(&net);
    assert_eq!(r.refs, vec![0, 4]);
    assert_eq!(
        sol.warnings,
        vec![TopologyWarning::ReferenceChosen {
            island: 1,
            bus: 202
        }]
    );
}

#[test]
fn island_without_generator_is_an_error_naming_its_buses() {
    let mut net = grid("case6_two_islands.m");
    // Take island B's two in-service generators out of service.
    net.generators[3].in_service = false;
    net.generators[4].in_service = false;
    let err = DcPowerFlow::new(&net).unwrap_err();
    match err.root() {
        Error::NoGenerator { island, buses } => {
            assert_eq!(*island, 1);
            assert_eq!(buses, &vec![201, 202, 203]);
        }
        other => panic!("expected NoGenerator, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains("201, 202, 203"), "{msg}");
}

#[test]
fn solution_round_trips_through_the_writer() {
    // The writer's text gives back the same numbers to the last bit.
    for name in ["case3_tap.m", "case5_tap_shift.m", "case6_two_islands.m"] {
        let mut net = grid(name);
        let again = matpower::parse_str(&matpower::to_string(&net), name).unwrap();
        // The writer writes the network, not the tables the reader skipped
        // (`gencost` here): they are not part of it.
        assert!(again.skipped_tables.is_empty(), "{name}");
        net.skipped_tables.clear();
        assert_eq!(net, again, "{name}");
        let (a, b) = (solve(&net), solve(&again));
        assert_eq!(a.va_deg, b.va_deg, "{name}");
        assert_eq!(a.pf_mw, b.pf_mw, "{name}");
    }
}
