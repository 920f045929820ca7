//! Properties of the DC power flow on random grids (proptest).
//!
//! Each grid has one or two islands, each a random spanning tree plus extra
//! (possibly parallel) branches, with random positive reactances, random
//! taps and phase shifts, loads, shunts and one to three generators; the
//! bus of the first generator is the island's REF bus, with a random file
//! angle. Bus numbers are non-sequential. Checked:
//! (a) after the slack, injections sum to zero per island, and each bus's
//!     injection is the sum of the flows leaving it;
//! (b) every flow obeys `Pf = baseMVA · b · (θf − θt − shift)`,
//!     `b = 1/(x·tap)`;
//! (c) the solution is affine in the injections: differences from the
//!     solution for zero injections are linear;
//! (d) the staged build of `DcPowerFlow::new` and the one-pass
//!     `from_model` agree to the bit.

use landlinked::dc::{DcPowerFlow, DcState};
use landlinked::network::{Branch, Bus, BusType, Generator, Network};
use proptest::collection::vec;
use proptest::prelude::*;

/// Largest buses per island; two islands at most.
const MAX_BUSES: usize = 10;
const BASE_MVA: f64 = 100.0;

#[derive(Clone, Debug)]
struct BranchSpec {
    x_pu: f64,
    tap: f64,
    shift_deg: f64,
}

#[derive(Clone, Debug)]
struct IslandSpec {
    n: usize,
    /// Parent of bus i + 1 in the spanning tree (< i + 1).
    parents: Vec<usize>,
    /// Extra branches (self-loops are skipped).
    extra: Vec<(usize, usize)>,
    /// Parameters for the tree branches, then the extra ones.
    branches: Vec<BranchSpec>,
    pd_mw: Vec<f64>,
    gs_mw: Vec<f64>,
    /// (bus, Pg): the first one's bus is the REF bus.
    gens: Vec<(usize, f64)>,
    ref_va_deg: f64,
}

fn branch_spec() -> impl Strategy<Value = BranchSpec> {
    (
        0.02f64..0.5,
        prop_oneof![Just(0.0), 0.85f64..1.15],
        prop_oneof![2 => Just(0.0), 1 => -10.0f64..10.0],
    )
        .prop_map(|(x_pu, tap, shift_deg)| BranchSpec {
            x_pu,
            tap,
            shift_deg,
        })
}

fn island_spec() -> impl Strategy<Value = IslandSpec> {
    (2..=MAX_BUSES).prop_flat_map(|n| {
        let parents: Vec<std::ops::Range<usize>> = (1..n).map(|i| 0..i).collect();
        (
            parents,
            vec((0..n, 0..n), 0..n),
            vec(branch_spec(), 2 * n),
            vec(0.0f64..100.0, n),
            vec(prop_oneof![3 => Just(0.0), 1 => 0.0f64..20.0], n),
            vec((0..n, 0.0f64..150.0), 1..4),
            -30.0f64..30.0,
        )
            .prop_map(
                move |(parents, extra, branches, pd_mw, gs_mw, gens, ref_va_deg)| IslandSpec {
                    n,
                    parents,
                    extra,
                    branches,
                    pd_mw,
                    gs_mw,
                    gens,
                    ref_va_deg,
                },
            )
    })
}

/// A grid and, for each bus, its island.
#[derive(Clone, Debug)]
struct Grid {
    net: Network,
    island: Vec<usize>,
}

fn build(islands: &[IslandSpec]) -> Grid {
    let mut net = Network::new("random", BASE_MVA);
    let mut island = Vec::new();
    for (k, spec) in islands.iter().enumerate() {
        // Non-sequential, descending bus numbers, distinct across islands.
        let id = |i: usize| (1000 * (k + 1) - 7 * i) as u64;
        let ref_bus = spec.gens[0].0;
        for i in 0..spec.n {
            let kind = if i == ref_bus {
                BusType::Ref
            } else if spec.gens.iter().any(|g| g.0 == i) {
                BusType::Pv
            } else {
                BusType::Pq
            };
            net.buses.push(Bus {
                pd_mw: spec.pd_mw[i],
                gs_mw: spec.gs_mw[i],
                va_deg: if i == ref_bus { spec.ref_va_deg } else { -3.0 },
                ..Bus::new(id(i), kind)
            });
            island.push(k);
        }
        let tree = spec.parents.iter().enumerate().map(|(i, &p)| (p, i + 1));
        let extra = spec.extra.iter().copied().filter(|(f, t)| f != t);
        for ((f, t), b) in tree.chain(extra).zip(&spec.branches) {
            net.branches.push(Branch {
                tap: b.tap,
                shift_deg: b.shift_deg,
                ..Branch::line(id(f), id(t), b.x_pu)
            });
        }
        for &(bus, pg) in &spec.gens {
            net.generators.push(Generator::new(id(bus), pg));
        }
    }
    Grid { net, island }
}

fn grid() -> impl Strategy<Value = Grid> {
    vec(island_spec(), 1..=2).prop_map(|islands| build(&islands))
}

fn pos(net: &Network, id: u64) -> usize {
    net.buses.iter().position(|b| b.id == id).unwrap()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// |a − b| within 1e-9 relative to `scale` (and an absolute 1e-9).
fn near(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + scale.abs())
}

proptest! {
    #![proptest_config(config())]

    /// (a) Σ injections = 0 per island after the slack, Σ Pg = Σ (Pd + Gs),
    /// and each bus injection equals the flows leaving it.
    #[test]
    fn injections_balance_per_island(g in grid()) {
        let net = &g.net;
        let sol = DcPowerFlow::new(net).and_then(|pf| pf.solve()).unwrap();
        let islands = g.island.iter().max().unwrap() + 1;
        prop_assert_eq!(sol.islands, islands);
        prop_assert!(sol.warnings.is_empty());
        for k in 0..islands {
            let members = (0..net.buses.len()).filter(|&b| g.island[b] == k);
            let inj: f64 = members.clone().map(|b| sol.p_inj_mw[b]).sum();
            let scale: f64 = members.clone().map(|b| sol.p_inj_mw[b].abs()).sum();
            prop_assert!(near(inj, 0.0, scale), "island {}: Σ p_inj = {}", k, inj);
            let load: f64 = members.map(|b| net.buses[b].pd_mw + net.buses[b].gs_mw).sum();
            let generator: f64 = net
                .generators
                .iter()
                .zip(&sol.pg_mw)
                .filter(|(generator, _)| g.island[pos(net, generator.bus)] == k)
                .map(|(_, pg)| pg)
                .sum();
            prop_assert!(near(generator, load, load), "island {}: Σ Pg = {}, Σ load = {}", k, generator, load);
        }
        // Only the first generator of each island (the slack) moved.
        let mut first = vec![true; islands];
        for (generator, pg) in net.generators.iter().zip(&sol.pg_mw) {
            let k = g.island[pos(net, generator.bus)];
            if !std::mem::replace(&mut first[k], false) {
                prop_assert_eq!(*pg, generator.pg_mw);
            }
        }
        let mut out = vec![0.0; net.buses.len()];
        for (br, pf) in net.branches.iter().zip(&sol.pf_mw) {
            out[pos(net, br.from)] += pf;
            out[pos(net, br.to)] -= pf;
        }
        for (b, (o, p)) in out.iter().zip(&sol.p_inj_mw).enumerate() {
            prop_assert!(near(*o, *p, p.abs() + 100.0), "bus {}: flows out {} vs injection {}", b, o, p);
        }
    }

    /// (d) `DcPowerFlow::new` (ordering from the branch list, factor staged
    /// around AMD) and `from_model` (ordering from the matrix, one pass)
    /// give the same bits, whether the ordering eliminates every bus
    /// explicitly (trees) or leaves a core to AMD (extra branches).
    #[test]
    fn staged_build_equals_the_one_pass_build(g in grid()) {
        let net = &g.net;
        let staged = DcPowerFlow::new(net).and_then(|pf| pf.solve()).unwrap();
        let model = landlinked::dc::DcModel::new(net).unwrap();
        let one_pass = DcPowerFlow::from_model(model).and_then(|pf| pf.solve()).unwrap();
        for (a, b) in staged.va_deg.iter().zip(&one_pass.va_deg) {
            prop_assert_eq!(a.to_bits(), b.to_bits());
        }
        for (a, b) in staged.pf_mw.iter().zip(&one_pass.pf_mw) {
            prop_assert_eq!(a.to_bits(), b.to_bits());
        }
    }

    /// (b) Pf = baseMVA · (θf − θt − shift) / (x · tap), reference angles kept.
    #[test]
    fn flows_obey_the_branch_equation(g in grid()) {
        let net = &g.net;
        let sol = DcPowerFlow::new(net).and_then(|pf| pf.solve()).unwrap();
        for (k, br) in net.branches.iter().enumerate() {
            let tap = if br.tap == 0.0 { 1.0 } else { br.tap };
            let (f, t) = (pos(net, br.from), pos(net, br.to));
            let dtheta = (sol.va_deg[f] - sol.va_deg[t] - br.shift_deg).to_radians();
            let expected = BASE_MVA * dtheta / (br.x_pu * tap);
            prop_assert!(
                near(sol.pf_mw[k], expected, expected.abs() + 100.0),
                "branch {}: {} vs {}", k, sol.pf_mw[k], expected
            );
        }
        for (b, bus) in net.buses.iter().enumerate() {
            if bus.kind == BusType::Ref {
                prop_assert!(near(sol.va_deg[b], bus.va_deg, bus.va_deg));
            }
        }
    }

    /// (c) S(a·p1 + q·p2) − S(0) = a·(S(p1) − S(0)) + q·(S(p2) − S(0)) for
    /// angles, flows and slack injections: the constant terms (reference
    /// angles, phase shifts) cancel in the differences.
    #[test]
    fn solution_is_linear_in_the_injections(
        g in grid(),
        p1 in vec(-100.0f64..100.0, 2 * MAX_BUSES),
        p2 in vec(-100.0f64..100.0, 2 * MAX_BUSES),
        a in -2.0f64..2.0,
        q in -2.0f64..2.0,
    ) {
        let n = g.net.buses.len();
        let pf = DcPowerFlow::new(&g.net).unwrap();
        let (p1, p2) = (&p1[..n], &p2[..n]);
        let mix: Vec<f64> = p1.iter().zip(p2).map(|(x, y)| a * x + q * y).collect();
        let s0 = pf.solve_injections(&vec![0.0; n]).unwrap();
        let s1 = pf.solve_injections(p1).unwrap();
        let s2 = pf.solve_injections(p2).unwrap();
        let sm = pf.solve_injections(&mix).unwrap();
        type Field = fn(&DcState) -> &Vec<f64>;
        let fields: [(&str, Field); 3] = [
            ("va_deg", |s| &s.va_deg),
            ("pf_mw", |s| &s.pf_mw),
            ("slack_mw", |s| &s.slack_mw),
        ];
        for (name, field) in fields {
            let (v0, v1, v2, vm) = (field(&s0), field(&s1), field(&s2), field(&sm));
            for i in 0..v0.len() {
                let lhs = vm[i] - v0[i];
                let rhs = a * (v1[i] - v0[i]) + q * (v2[i] - v0[i]);
                let scale = v0[i].abs() + v1[i].abs() + v2[i].abs() + vm[i].abs();
                prop_assert!(near(lhs, rhs, scale), "{}[{}]: {} vs {}", name, i, lhs, rhs);
            }
        }
        // The network's own injections reproduce solve().
        let own = pf.model().bus_injections_mw().to_vec();
        let st = pf.solve_injections(&own).unwrap();
        let sol = pf.solve().unwrap();
        prop_assert_eq!(st.va_deg, sol.va_deg);
        prop_assert_eq!(st.pf_mw, sol.pf_mw);
    }

    /// Injecting at a reference bus moves nothing but its slack (which
    /// takes it back): angles and flows are the same.
    #[test]
    fn injection_at_a_reference_is_absorbed(g in grid(), p in -100.0f64..100.0) {
        let n = g.net.buses.len();
        let pf = DcPowerFlow::new(&g.net).unwrap();
        let r = pf.reference_buses()[0];
        let s0 = pf.solve_injections(&vec![0.0; n]).unwrap();
        let mut inj = vec![0.0; n];
        inj[r] = p;
        let s1 = pf.solve_injections(&inj).unwrap();
        for (x, y) in s1.va_deg.iter().zip(&s0.va_deg) {
            prop_assert!(near(*x, *y, y.abs()));
        }
        for (x, y) in s1.pf_mw.iter().zip(&s0.pf_mw) {
            prop_assert!(near(*x, *y, y.abs() + 100.0));
        }
        prop_assert!(near(s1.slack_mw[0], s0.slack_mw[0] - p, p.abs() + 100.0));
    }
}
