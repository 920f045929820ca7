//! Seeded synthetic grids of any size, for benchmarks and scaling tests.
//!
//! Buses sit on a jittered square lattice (planar-ish, like a real
//! transmission map). A random spanning tree over lattice neighbours makes
//! the grid connected; extra neighbour links bring it to about
//! [`SyntheticParams::branches_per_bus`] branches per bus, and a few long
//! lines join distant regions. Reactance grows with length; some branches
//! are transformers with off-nominal taps, a few are phase shifters, a few
//! are series-compensated. About 60 % of buses carry load and 10 % carry
//! generators whose output balances the load; bus 1 is the reference.
//! The same seed always gives the same grid.
//!
//! ```
//! use landlinked::synthetic::{synthetic_grid, SyntheticParams};
//! let net = synthetic_grid(&SyntheticParams { buses: 500, ..Default::default() });
//! assert_eq!(net.buses.len(), 500);
//! let ratio = net.branches.len() as f64 / 500.0;
//! assert!(ratio > 1.2 && ratio < 1.5);
//! let sol = landlinked::dc::DcPowerFlow::new(&net).unwrap().solve().unwrap();
//! assert!(sol.pf_mw.iter().all(|f| f.is_finite()));
//! ```

use crate::network::{Branch, Bus, BusType, Generator, Network};

/// Knobs of the generator.
///
/// ```
/// let p = landlinked::synthetic::SyntheticParams::default();
/// assert_eq!(p.seed, 1);
/// ```
#[derive(Copy, Clone, Debug)]
pub struct SyntheticParams {
    /// Number of buses.
    pub buses: usize,
    /// Target branches per bus (1.2 to 1.5 is realistic).
    pub branches_per_bus: f64,
    /// Long lines per 1,000 buses.
    pub long_lines_per_1000: f64,
    /// Mean load at a loaded bus, MW.
    pub mean_load_mw: f64,
    /// Random seed.
    pub seed: u64,
}

impl Default for SyntheticParams {
    fn default() -> Self {
        SyntheticParams {
            buses: 1000,
            branches_per_bus: 1.35,
            long_lines_per_1000: 3.0,
            mean_load_mw: 40.0,
            seed: 1,
        }
    }
}

/// SplitMix64: a tiny, well-known deterministic generator.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Builds a synthetic grid (bus numbers 1..=n, base 100 MVA).
///
/// ```
/// use landlinked::synthetic::{synthetic_grid, SyntheticParams};
/// let a = synthetic_grid(&SyntheticParams { buses: 200, seed: 7, ..Default::default() });
/// let b = synthetic_grid(&SyntheticParams { buses: 200, seed: 7, ..Default::default() });
/// assert_eq!(a, b);
/// ```
pub fn synthetic_grid(p: &SyntheticParams) -> Network {
    let n = p.buses.max(2);
    let mut rng = Rng(p.seed);
    let side = (n as f64).sqrt().ceil() as usize;
    let pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let (r, c) = (i / side, i % side);
            (
                c as f64 + 0.3 * rng.uniform(),
                r as f64 + 0.3 * rng.uniform(),
            )
        })
        .collect();
    let mut net = Network::new(&format!("synthetic{n}"), 100.0);
    net.buses = (0..n)
        .map(|i| Bus::new(i as u64 + 1, BusType::Pq))
        .collect();
    net.buses[0].kind = BusType::Ref;
    let edges = lattice_edges(n, side, p, &mut rng);
    net.branches = edges
        .into_iter()
        .map(|(a, b)| make_branch(a, b, &pos, &mut rng))
        .collect();
    place_load_and_generation(&mut net, p, &mut rng);
    net
}

/// Spanning tree over lattice neighbours (randomised Kruskal), extra
/// neighbour links up to the target ratio, then long lines.
fn lattice_edges(n: usize, side: usize, p: &SyntheticParams, rng: &mut Rng) -> Vec<(usize, usize)> {
    let mut cand: Vec<(usize, usize)> = Vec::with_capacity(2 * n);
    for i in 0..n {
        if (i % side) + 1 < side && i + 1 < n {
            cand.push((i, i + 1));
        }
        if i + side < n {
            cand.push((i, i + side));
        }
    }
    for k in (1..cand.len()).rev() {
        cand.swap(k, rng.below(k + 1));
    }
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let target = (p.branches_per_bus * n as f64) as usize;
    let long = (p.long_lines_per_1000 * n as f64 / 1000.0).round() as usize;
    let mut tree = Vec::with_capacity(target);
    let mut rest = Vec::new();
    for (a, b) in cand {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra] = rb;
            tree.push((a, b));
        } else {
            rest.push((a, b));
        }
    }
    let extra = target.saturating_sub(tree.len() + long).min(rest.len());
    tree.extend_from_slice(&rest[..extra]);
    for _ in 0..long {
        let (a, b) = (rng.below(n), rng.below(n));
        if a != b {
            tree.push((a, b));
        }
    }
    tree
}

fn make_branch(a: usize, b: usize, pos: &[(f64, f64)], rng: &mut Rng) -> Branch {
    let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
    let length = (dx * dx + dy * dy).sqrt().max(0.2);
    let mut br = Branch::line(
        a as u64 + 1,
        b as u64 + 1,
        0.01 * length * (0.5 + rng.uniform()),
    );
    br.r_pu = br.x_pu * 0.1;
    br.rate_a_mva = 400.0 + 400.0 * rng.uniform().round();
    let kind = rng.uniform();
    if kind < 0.08 {
        br.tap = 0.95 + 0.1 * rng.uniform();
    } else if kind < 0.09 {
        br.tap = 1.0;
        br.shift_deg = -5.0 + 10.0 * rng.uniform();
    } else if kind < 0.095 {
        // series-compensated line: capacitors cancel 60 % of its reactance
        br.x_pu *= 0.4;
    }
    br
}

fn place_load_and_generation(net: &mut Network, p: &SyntheticParams, rng: &mut Rng) {
    let n = net.buses.len();
    let mut total = 0.0;
    for bus in net.buses.iter_mut() {
        if rng.uniform() < 0.6 {
            bus.pd_mw = (p.mean_load_mw * 2.0 * rng.uniform() * 100.0).round() / 100.0;
            total += bus.pd_mw;
        }
    }
    let mut gen_buses: Vec<usize> = (1..n).filter(|_| rng.uniform() < 0.1).collect();
    gen_buses.insert(0, 0);
    let share = total / gen_buses.len() as f64;
    for &g in &gen_buses {
        if net.buses[g].kind == BusType::Pq {
            net.buses[g].kind = BusType::Pv;
        }
        let mut generator = Generator::new(g as u64 + 1, (share * 100.0).round() / 100.0);
        generator.pmax_mw = 2.0 * share;
        net.generators.push(generator);
    }
}
