//! N-1 contingency screening with line outage distribution factors.
//!
//! After the outage of branch `k`, branch `l` carries
//! `F_l + LODF[l, k] · F_k` (exactly what re-solving the outaged network
//! gives, phase shifters included). Outage columns are solved in blocks of
//! [`BLOCK`](crate::dc::BLOCK) through the shared factorisation, blocks in
//! parallel; each worker keeps only the running worst flow per monitored
//! branch, so memory stays `O(buses + branches)` per thread, never
//! branches × branches.
//!
//! ```
//! use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::{outage_flows, screen_n1}};
//! let net = matpower::read("grids/case5_tap_shift.m")?;
//! let pf = DcPowerFlow::new(&net)?;
//! let base = pf.solve()?.pf_mw;
//! let n1 = screen_n1(&pf, &base, None, None)?;
//! // Each monitored branch's worst flow is its flow after the outage named.
//! for (i, &l) in n1.monitored.iter().enumerate() {
//!     let k = n1.worst_outage[i].unwrap();
//!     assert!((outage_flows(&pf, &base, k)?.unwrap()[l] - n1.worst_mw[i]).abs() < 1e-9);
//! }
//! # Ok::<(), landlinked::Error>(())
//! ```

use rayon::prelude::*;

use super::lodf::{islanding_branches, solve_outages};
use super::{Kernel, active_branches, check_branches};
use crate::dc::{BLOCK, DcPowerFlow};
use crate::error::{Error, Result};
use crate::network::Network;

/// Result of an N-1 screening: per monitored branch, its base flow and the
/// post-contingency flow of largest magnitude, with the outage causing it.
///
/// ```
/// use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::screen_n1};
/// // A triangle with 90 MW drawn at bus 3.
/// let net = matpower::parse_str("mpc.baseMVA=100;
/// mpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1; 3 1 90 0 0 0 1 1 0 1 1 1 1];
/// mpc.gen=[1 90 0 0 0 1 100 1 200 0];
/// mpc.branch=[1 2 0 0.1 0 0 0 0 0 0 1 -360 360; 2 3 0 0.1 0 0 0 0 0 0 1 -360 360; 1 3 0 0.1 0 0 0 0 0 0 1 -360 360];", "tri.m")?;
/// let pf = DcPowerFlow::new(&net)?;
/// let base = pf.solve()?.pf_mw;
/// let n1 = screen_n1(&pf, &base, None, None)?;
/// assert!((n1.base_mw[2] - 60.0).abs() < 1e-9);
/// assert!((n1.worst_mw[2] - 90.0).abs() < 1e-9); // 1-3 carries all when 1-2 or 2-3 trips
/// assert!(matches!(n1.worst_outage[2], Some(0) | Some(1)));
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct N1Report {
    /// Monitored branch positions (0-based, in the order screened).
    pub monitored: Vec<usize>,
    /// Base-case flow of each monitored branch, MW.
    pub base_mw: Vec<f64>,
    /// Post-contingency flow of largest magnitude over the non-islanding
    /// outages, MW (the base flow if every outage islands).
    pub worst_mw: Vec<f64>,
    /// The outage (branch position) giving `worst_mw`; the first in the
    /// outage list on ties, `None` if every outage islands.
    pub worst_outage: Vec<Option<usize>>,
    /// Outages (branch positions, in list order) that split an island and
    /// were therefore not screened.
    pub islanding: Vec<usize>,
    /// Outages screened (islanding ones included).
    pub outage_count: usize,
}

impl N1Report {
    /// Worst post-contingency loading of each monitored branch, as a
    /// fraction of its `rate_a` (`None` where `rate_a` is 0: unlimited).
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::screen_n1};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 30 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 60 0 0 0 0 1 -360 360; 1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// let pf = DcPowerFlow::new(&net)?;
    /// let n1 = screen_n1(&pf, &pf.solve()?.pf_mw, None, None)?;
    /// let loading = n1.worst_loading(&net);
    /// assert!((loading[0].unwrap() - 0.5).abs() < 1e-9); // 30 MW of 60 after the twin trips
    /// assert_eq!(loading[1], None);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn worst_loading(&self, net: &Network) -> Vec<Option<f64>> {
        self.monitored
            .iter()
            .zip(&self.worst_mw)
            .map(|(&l, w)| {
                let rate = net.branches.get(l).map_or(0.0, |b| b.rate_a_mva);
                (rate > 0.0).then(|| w.abs() / rate)
            })
            .collect()
    }
}

/// Screens single-branch outages: for each monitored branch, the
/// post-contingency flow of largest magnitude and its outage.
///
/// `base_mw` holds every branch's base-case flow (MW, as in
/// [`DcSolution::pf_mw`](crate::dc::DcSolution)); `outages` and `monitored`
/// are 0-based branch positions, `None` meaning every active (in-service)
/// branch. Results do not depend on the number of threads.
///
/// ```
/// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::screen_n1};
/// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 30 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
/// let pf = DcPowerFlow::new(&net)?;
/// let n1 = screen_n1(&pf, &pf.solve()?.pf_mw, None, None)?;
/// assert_eq!(n1.islanding, vec![0]); // the only line is a bridge
/// assert_eq!(n1.worst_outage, vec![None]);
/// assert!(screen_n1(&pf, &[1.0, 2.0], None, None).is_err()); // wrong length
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn screen_n1(
    pf: &DcPowerFlow,
    base_mw: &[f64],
    outages: Option<&[usize]>,
    monitored: Option<&[usize]>,
) -> Result<N1Report> {
    let m = pf.model().branch_count();
    check_base(base_mw, m)?;
    let all = active_branches(pf);
    let outages = outages.unwrap_or(&all);
    let monitored = monitored.unwrap_or(&all);
    check_branches(outages, m, "outages")?;
    check_branches(monitored, m, "monitored branches")?;
    let screen = Screen::new(pf, base_mw, monitored);
    let worst = screen.run(outages);
    Ok(screen.report(worst, outages))
}

/// Every branch's flow after the outage of branch `outage` (0-based), MW,
/// from the base-case flows `base_mw`; `None` if the outage splits an
/// island. The outaged branch reports 0.
///
/// ```
/// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::outage_flows};
/// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 30 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360; 1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
/// let pf = DcPowerFlow::new(&net)?;
/// let after = outage_flows(&pf, &pf.solve()?.pf_mw, 1)?.unwrap();
/// assert!((after[0] - 30.0).abs() < 1e-9 && after[1] == 0.0);
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn outage_flows(pf: &DcPowerFlow, base_mw: &[f64], outage: usize) -> Result<Option<Vec<f64>>> {
    let m = pf.model().branch_count();
    check_base(base_mw, m)?;
    check_branches(&[outage], m, "outage")?;
    let k = Kernel::new(pf);
    let bridges = islanding_branches(pf.model());
    let mut block = k.new_block();
    let Some(s) = solve_outages(&k, &bridges, &mut block, &[outage])[0] else {
        return Ok(None);
    };
    let shift = base_mw[outage] * s;
    let flows = (0..m)
        .map(|l| {
            if l == outage {
                0.0
            } else {
                base_mw[l] + k.delta(&block, BLOCK, 0, l) * shift
            }
        })
        .collect();
    Ok(Some(flows))
}

fn check_base(base_mw: &[f64], m: usize) -> Result<()> {
    if base_mw.len() != m {
        return Err(Error::DimensionMismatch {
            what: "base-case branch flows".into(),
            found: base_mw.len(),
            expected: m,
        });
    }
    if let Some(k) = base_mw.iter().position(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            element: format!("branch {}", k + 1),
            field: "base flow".into(),
            value: base_mw[k],
        });
    }
    Ok(())
}

/// Running worst per monitored branch (indices into the outage list).
struct Worst {
    abs: Vec<f64>,
    value: Vec<f64>,
    outage: Vec<usize>,
    islanding: Vec<usize>,
}

impl Worst {
    fn new(len: usize) -> Worst {
        Worst {
            abs: vec![-1.0; len],
            value: vec![0.0; len],
            outage: vec![usize::MAX; len],
            islanding: Vec::new(),
        }
    }

    /// Keeps the larger magnitude; on a tie the earlier outage.
    fn merge(mut self, other: Worst) -> Worst {
        for i in 0..self.abs.len() {
            let (a, b) = (self.abs[i], other.abs[i]);
            if b > a || (b == a && other.outage[i] < self.outage[i]) {
                self.abs[i] = b;
                self.value[i] = other.value[i];
                self.outage[i] = other.outage[i];
            }
        }
        self.islanding.extend(other.islanding);
        self
    }
}

/// Precomputed per monitored branch, in a cache-friendly order (sorted by
/// the rows of its ends): rows, susceptance, base flow.
struct Screen<'a> {
    k: Kernel<'a>,
    /// Base flow of every branch, MW.
    base_all: &'a [f64],
    bridges: Vec<bool>,
    monitored: Vec<usize>,
    /// Internal position → index in `monitored`.
    order: Vec<usize>,
    rows: Vec<(usize, usize)>,
    b: Vec<f64>,
    base: Vec<f64>,
    /// (branch, internal position), sorted: finds a lane's own branch.
    by_branch: Vec<(usize, usize)>,
}

impl<'a> Screen<'a> {
    fn new(pf: &'a DcPowerFlow, base_mw: &'a [f64], monitored: &[usize]) -> Screen<'a> {
        let k = Kernel::new(pf);
        let b_all = pf.model().branch_susceptance_pu();
        let mut order: Vec<usize> = (0..monitored.len()).collect();
        order.sort_by_key(|&i| {
            let (f, t) = k.branch_rows(monitored[i]);
            (f.min(t), f.max(t), i)
        });
        let mut by_branch: Vec<(usize, usize)> = order
            .iter()
            .enumerate()
            .map(|(j, &i)| (monitored[i], j))
            .collect();
        by_branch.sort_unstable();
        Screen {
            rows: order.iter().map(|&i| k.branch_rows(monitored[i])).collect(),
            b: order.iter().map(|&i| b_all[monitored[i]]).collect(),
            base: order.iter().map(|&i| base_mw[monitored[i]]).collect(),
            bridges: islanding_branches(pf.model()),
            monitored: monitored.to_vec(),
            base_all: base_mw,
            order,
            by_branch,
            k,
        }
    }

    fn run(&self, outages: &[usize]) -> Worst {
        let len = self.monitored.len();
        outages
            .par_chunks(BLOCK)
            .enumerate()
            .fold(
                || (Worst::new(len), self.k.new_block()),
                |(mut worst, mut block), (bi, chunk)| {
                    self.block(&mut worst, &mut block, bi * BLOCK, chunk);
                    (worst, block)
                },
            )
            .map(|(w, _)| w)
            .reduce(|| Worst::new(len), Worst::merge)
    }

    /// Solves one block of outages and folds its post-contingency flows
    /// into the running worst (internal order). `first` is the block's
    /// index in the outage list.
    fn block(&self, worst: &mut Worst, block: &mut [f64], first: usize, chunk: &[usize]) {
        let width = chunk.len();
        let scale = solve_outages(&self.k, &self.bridges, block, chunk);
        // MW moved per unit of flow change, per lane (0 for islanding).
        let mut coef = [0.0f64; BLOCK];
        let mut dead = [0.0f64; BLOCK];
        for c in 0..BLOCK {
            match scale.get(c) {
                Some(Some(s)) => coef[c] = self.base_all[chunk[c]] * s,
                Some(None) => {
                    worst.islanding.push(first + c);
                    dead[c] = f64::NEG_INFINITY;
                }
                None => dead[c] = f64::NEG_INFINITY,
            }
        }
        // Lanes whose own outaged branch is monitored: its flow is 0 there.
        let mut own: Vec<(usize, usize)> = Vec::new();
        for (c, &ko) in chunk.iter().enumerate() {
            let from = self.by_branch.partition_point(|&(b, _)| b < ko);
            for &(_, j) in self.by_branch[from..].iter().take_while(|&&(b, _)| b == ko) {
                own.push((j, c));
            }
        }
        own.sort_unstable();
        let mut next_own = 0;
        let mut mag = [0.0f64; BLOCK];
        let mut post = [0.0f64; BLOCK];
        let mut lane = [0.0f64; BLOCK];
        for j in 0..self.rows.len() {
            let (rf, rt) = self.rows[j];
            let xf: &[f64; BLOCK] = block[rf * BLOCK..][..BLOCK].try_into().expect("block row");
            let xt: &[f64; BLOCK] = block[rt * BLOCK..][..BLOCK].try_into().expect("block row");
            for c in 0..BLOCK {
                lane[c] = xf[c] - xt[c];
            }
            let (b, base) = (self.b[j], self.base[j]);
            for c in 0..BLOCK {
                post[c] = base + b * lane[c] * coef[c];
                mag[c] = post[c].abs() + dead[c];
            }
            while next_own < own.len() && own[next_own].0 == j {
                let c = own[next_own].1;
                post[c] = 0.0;
                mag[c] = dead[c];
                next_own += 1;
            }
            let top = lane_max(&mag);
            if top > worst.abs[j] {
                // First lane reaching the top: the earliest outage on ties.
                let c = (0..width).find(|&c| mag[c] == top).unwrap_or(0);
                worst.abs[j] = top;
                worst.value[j] = post[c];
                worst.outage[j] = first + c;
            }
        }
    }

    fn report(&self, worst: Worst, outages: &[usize]) -> N1Report {
        let mut isl = worst.islanding;
        isl.sort_unstable();
        let len = self.monitored.len();
        let mut worst_mw = vec![0.0; len];
        let mut worst_outage = vec![None; len];
        let mut base_mw = vec![0.0; len];
        for (j, &i) in self.order.iter().enumerate() {
            let o = worst.outage[j];
            worst_outage[i] = (o != usize::MAX).then(|| outages[o]);
            worst_mw[i] = if o != usize::MAX {
                worst.value[j]
            } else {
                self.base[j]
            };
            base_mw[i] = self.base[j];
        }
        N1Report {
            monitored: self.monitored.clone(),
            base_mw,
            worst_mw,
            worst_outage,
            islanding: isl.into_iter().map(|i| outages[i]).collect(),
            outage_count: outages.len(),
        }
    }
}

/// Largest of the lanes, as a tree of pairwise maxima (vectorises; no NaN
/// can occur here).
#[inline]
fn lane_max(v: &[f64; BLOCK]) -> f64 {
    let mut half = *v;
    let mut len = BLOCK;
    while len > 1 {
        len /= 2;
        for c in 0..len {
            let (a, b) = (half[c], half[c + len]);
            half[c] = if a > b { a } else { b };
        }
    }
    half[0]
}
