//! Transfer capability between two zones, base case and N-1 secured.
//!
//! A transfer of `T` MW from the source zone to the sink zone moves branch
//! `l` to `F_l + T·t_l`, `t` the transfer's PTDF. Its rating `R_l = rate_a`
//! applies to `|flow|`, so the branch limits the transfer at
//! `T_l = (sign(t_l)·R_l − F_l) / t_l`; a branch already beyond its rating
//! that the transfer loads further binds at `T_l = 0` (no additional
//! transfer without worsening an overload). After
//! the outage of `k`, `F` and `t` become `F_l + LODF[l,k] F_k` and
//! `t_l + LODF[l,k] t_k`. The capability is the smallest limit; branches
//! with `rate_a = 0` are unlimited.
//!
//! ```
//! use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::*};
//! let net = matpower::read("grids/case5_tap_shift.m")?;
//! let pf = DcPowerFlow::new(&net)?;
//! let base = pf.solve()?.pf_mw;
//! let tc = transfer_capability(&net, &pf, &base, &Zone::bus(7), &Zone::bus(40), TransferSettings::default())?;
//! // The tightest base-case branch reaches its rating exactly at its limit.
//! let b = &tc.base_case[0];
//! assert!(((b.flow_mw + b.transfer_mw * b.factor).abs() - b.rate_mva).abs() < 1e-6);
//! let n1 = tc.binding().unwrap(); // N-1: a branch already beyond its rating, nothing is secure
//! assert!(n1.transfer_mw == 0.0 && n1.flow_mw.abs() > n1.rate_mva && n1.outage.is_some());
//! # Ok::<(), landlinked::Error>(())
//! ```

use rayon::prelude::*;

use super::lodf::{islanding_branches, solve_outages};
use super::ptdf::transfer_positions;
use super::{Kernel, Ptdf, Zone, active_branches};
use crate::dc::{BLOCK, DcPowerFlow};
use crate::error::{Error, Result};
use crate::network::Network;

/// Tuning of [`transfer_capability`].
///
/// ```
/// use landlinked::sensitivity::TransferSettings;
/// let s = TransferSettings { n_minus_1: false, ..Default::default() };
/// assert_eq!(s.keep, 10);
/// ```
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct TransferSettings {
    /// Also secure the transfer against every single non-islanding outage
    /// of an active branch.
    pub n_minus_1: bool,
    /// Factors (MW per MW) below this magnitude do not limit the transfer.
    pub min_factor: f64,
    /// How many of the tightest constraints to report (distinct branches).
    pub keep: usize,
}

impl Default for TransferSettings {
    fn default() -> TransferSettings {
        TransferSettings {
            n_minus_1: true,
            min_factor: 1e-5,
            keep: 10,
        }
    }
}

/// One constraint on a transfer: the branch that reaches its rating, and
/// under which outage.
///
/// ```
/// # use landlinked::sensitivity::TransferLimit;
/// let l = TransferLimit { transfer_mw: 40.0, branch: 0, outage: None, flow_mw: 60.0, factor: 0.5, rate_mva: 80.0 };
/// assert_eq!(l.flow_mw + l.transfer_mw * l.factor, l.rate_mva);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TransferLimit {
    /// Additional transfer at which the branch reaches its rating, MW.
    pub transfer_mw: f64,
    /// The limiting branch (0-based position).
    pub branch: usize,
    /// The outage (branch position) under which it limits; `None` for the
    /// base case.
    pub outage: Option<usize>,
    /// Its flow before the additional transfer (post-contingency if
    /// `outage` is set), MW.
    pub flow_mw: f64,
    /// Its flow change per MW of transfer (post-contingency if `outage`).
    pub factor: f64,
    /// Its `rate_a`, MVA.
    pub rate_mva: f64,
}

/// Transfer capability: the tightest constraints, base case and N-1.
///
/// ```
/// use landlinked::{dc::DcPowerFlow, io::matpower};
/// use landlinked::sensitivity::{transfer_capability, TransferSettings, Zone};
/// // Two parallel 100 MVA lines from bus 1 to bus 2, 50 MW flowing.
/// let net = matpower::parse_str("mpc.baseMVA=100;
/// mpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 50 0 0 0 1 1 0 1 1 1 1];
/// mpc.gen=[1 50 0 0 0 1 100 1 300 0];
/// mpc.branch=[1 2 0 0.1 0 100 0 0 0 0 1 -360 360; 1 2 0 0.1 0 100 0 0 0 0 1 -360 360];", "x.m")?;
/// let pf = DcPowerFlow::new(&net)?;
/// let base = pf.solve()?.pf_mw;
/// let tc = transfer_capability(&net, &pf, &base, &Zone::bus(1), &Zone::bus(2), TransferSettings::default())?;
/// assert!((tc.base_case[0].transfer_mw - 150.0).abs() < 1e-9); // 2 × 100 − 50
/// let n1 = tc.binding().unwrap();
/// assert!((n1.transfer_mw - 50.0).abs() < 1e-9); // one line alone carries 100
/// assert!(n1.outage.is_some());
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TransferCapability {
    /// Base-case constraints, tightest first (one per branch, at most
    /// `keep`).
    pub base_case: Vec<TransferLimit>,
    /// Post-contingency constraints, tightest first (each branch under its
    /// worst outage, at most `keep`); empty without N-1.
    pub n_minus_1: Vec<TransferLimit>,
    /// Outages (branch positions) not screened because they split an island.
    pub islanding: Vec<usize>,
}

impl TransferCapability {
    /// The binding constraint: the tightest of base case and N-1; `None`
    /// if no rated branch limits the transfer.
    ///
    /// ```
    /// # use landlinked::sensitivity::TransferCapability;
    /// let tc = TransferCapability { base_case: vec![], n_minus_1: vec![], islanding: vec![] };
    /// assert!(tc.binding().is_none());
    /// ```
    pub fn binding(&self) -> Option<&TransferLimit> {
        self.base_case
            .first()
            .into_iter()
            .chain(self.n_minus_1.first())
            .min_by(|a, b| a.transfer_mw.total_cmp(&b.transfer_mw))
    }
}

/// The largest additional transfer from `source` to `sink` before a rated
/// branch (`rate_a > 0`) reaches its rating, with the binding branches.
///
/// `net` must be the network `pf` was built from (its ratings are read);
/// `base_mw` are the base-case flows of every branch, MW.
///
/// ```
/// # use landlinked::{dc::DcPowerFlow, io::matpower};
/// # use landlinked::sensitivity::{transfer_capability, TransferSettings, Zone};
/// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 30 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 40 0 0 0 0 1 -360 360];", "x.m")?;
/// let pf = DcPowerFlow::new(&net)?;
/// let base = pf.solve()?.pf_mw;
/// let s = TransferSettings::default();
/// // Reverse direction: the 30 MW flowing 1 → 2 first drops to −40.
/// let tc = transfer_capability(&net, &pf, &base, &Zone::bus(2), &Zone::bus(1), s)?;
/// assert!((tc.binding().unwrap().transfer_mw - 70.0).abs() < 1e-9);
/// assert_eq!(tc.islanding, vec![0]);
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn transfer_capability(
    net: &Network,
    pf: &DcPowerFlow,
    base_mw: &[f64],
    source: &Zone,
    sink: &Zone,
    settings: TransferSettings,
) -> Result<TransferCapability> {
    check_dimensions(net, pf, base_mw)?;
    transfer_positions(pf, source, sink)?;
    let t = Ptdf::transfer_column(pf, source, sink)?;
    let active = active_branches(pf);
    let (rated, rate) = rated_branches(net, &active);
    let ctx = Ctx {
        rated: &rated,
        rate: &rate,
        t: t.as_slice(),
        base: base_mw,
        min_factor: settings.min_factor,
    };
    let base_case = ctx.base_limits(settings.keep);
    let (n_minus_1, islanding) = if settings.n_minus_1 {
        ctx.n1_limits(&Kernel::new(pf), &active, settings.keep)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(TransferCapability {
        base_case,
        n_minus_1,
        islanding,
    })
}

/// The rated active branches (`rate_a > 0`) and their ratings.
pub(super) fn rated_branches(net: &Network, active: &[usize]) -> (Vec<usize>, Vec<f64>) {
    let rated: Vec<usize> = active
        .iter()
        .copied()
        .filter(|&l| net.branches[l].rate_a_mva > 0.0)
        .collect();
    let rate = rated.iter().map(|&l| net.branches[l].rate_a_mva).collect();
    (rated, rate)
}

/// Checks the network and base flows against the power flow's branches.
pub(super) fn check_dimensions(net: &Network, pf: &DcPowerFlow, base_mw: &[f64]) -> Result<()> {
    let m = pf.model().branch_count();
    if net.branches.len() != m || base_mw.len() != m {
        return Err(Error::DimensionMismatch {
            what: "network branches and base flows".into(),
            found: net.branches.len().min(base_mw.len()),
            expected: m,
        });
    }
    Ok(())
}

pub(super) struct Ctx<'a> {
    pub(super) rated: &'a [usize],
    pub(super) rate: &'a [f64],
    pub(super) t: &'a [f64],
    pub(super) base: &'a [f64],
    pub(super) min_factor: f64,
}

/// Transfer at which `|flow + T·factor|` reaches `rate`, if it ever does;
/// 0 if the flow is already beyond it in the direction the factor pushes.
pub(super) fn limit(flow: f64, factor: f64, rate: f64, min_factor: f64) -> Option<f64> {
    (factor.abs() >= min_factor).then(|| ((rate.copysign(factor) - flow) / factor).max(0.0))
}

/// Per rated branch: the tightest (limit, outage list index).
pub(super) struct Tightest {
    limit: Vec<f64>,
    outage: Vec<usize>,
    pub(super) islanding: Vec<usize>,
}

impl Tightest {
    pub(super) fn new(len: usize) -> Tightest {
        Tightest {
            limit: vec![f64::INFINITY; len],
            outage: vec![usize::MAX; len],
            islanding: Vec::new(),
        }
    }

    fn offer(&mut self, i: usize, value: f64, outage: usize) {
        if value < self.limit[i] || (value == self.limit[i] && outage < self.outage[i]) {
            self.limit[i] = value;
            self.outage[i] = outage;
        }
    }

    fn merge(mut self, other: Tightest) -> Tightest {
        for i in 0..self.limit.len() {
            self.offer(i, other.limit[i], other.outage[i]);
        }
        self.islanding.extend(other.islanding);
        self
    }
}

impl Ctx<'_> {
    pub(super) fn base_limits(&self, keep: usize) -> Vec<TransferLimit> {
        let mut out: Vec<TransferLimit> = self
            .rated
            .iter()
            .zip(self.rate)
            .filter_map(|(&l, &r)| {
                let (f, t) = (self.base[l], self.t[l]);
                limit(f, t, r, self.min_factor).map(|x| TransferLimit {
                    transfer_mw: x,
                    branch: l,
                    outage: None,
                    flow_mw: f,
                    factor: t,
                    rate_mva: r,
                })
            })
            .collect();
        sort_keep(&mut out, keep);
        out
    }

    fn n1_limits(
        &self,
        k: &Kernel,
        outages: &[usize],
        keep: usize,
    ) -> (Vec<TransferLimit>, Vec<usize>) {
        let bridges = islanding_branches(k.pf.model());
        let len = self.rated.len();
        let best = outages
            .par_chunks(BLOCK)
            .enumerate()
            .fold(
                || (Tightest::new(len), k.new_block()),
                |(mut best, mut block), (bi, chunk)| {
                    let scale = solve_outages(k, &bridges, &mut block, chunk);
                    self.fold_block(k, &mut best, &block, bi * BLOCK, chunk, &scale);
                    (best, block)
                },
            )
            .map(|(b, _)| b)
            .reduce(|| Tightest::new(len), Tightest::merge);
        self.collect(best, outages, keep, |i, c| {
            let mut block = k.new_block();
            let bridges = vec![false; k.pf.model().branch_count()];
            let s = solve_outages(k, &bridges, &mut block, &[outages[c]])[0].unwrap_or(0.0);
            k.delta(&block, BLOCK, 0, self.rated[i]) * s
        })
    }

    fn fold_block(
        &self,
        k: &Kernel,
        best: &mut Tightest,
        block: &[f64],
        first: usize,
        chunk: &[usize],
        scale: &[Option<f64>],
    ) {
        for (c, (&ko, s)) in chunk.iter().zip(scale).enumerate() {
            match *s {
                Some(s) => self.offer_outage(best, first + c, ko, |i| {
                    k.delta(block, BLOCK, c, self.rated[i]) * s
                }),
                None => best.islanding.push(first + c),
            }
        }
    }

    /// Offers the limits of every rated branch after outage `ko` (number
    /// `c` in the outage list), its LODF on rated branch `i` given by `lodf(i)`.
    pub(super) fn offer_outage(
        &self,
        best: &mut Tightest,
        c: usize,
        ko: usize,
        lodf: impl Fn(usize) -> f64,
    ) {
        let (fk, tk) = (self.base[ko], self.t[ko]);
        for (i, (&l, &r)) in self.rated.iter().zip(self.rate).enumerate() {
            if l == ko {
                continue;
            }
            let lodf = lodf(i);
            let (f, t) = (self.base[l] + lodf * fk, self.t[l] + lodf * tk);
            if let Some(x) = limit(f, t, r, self.min_factor) {
                best.offer(i, x, c);
            }
        }
    }

    /// The tightest N-1 limits, kept and sorted, and the islanding outages;
    /// `lodf(i, c)` is the factor of rated branch `i` for outage number `c`.
    pub(super) fn collect(
        &self,
        best: Tightest,
        outages: &[usize],
        keep: usize,
        lodf: impl Fn(usize, usize) -> f64,
    ) -> (Vec<TransferLimit>, Vec<usize>) {
        let mut out: Vec<TransferLimit> = (0..self.rated.len())
            .filter(|&i| best.outage[i] != usize::MAX)
            .map(|i| {
                let c = best.outage[i];
                let (l, ko) = (self.rated[i], outages[c]);
                let lodf = lodf(i, c);
                TransferLimit {
                    transfer_mw: best.limit[i],
                    branch: l,
                    outage: Some(ko),
                    flow_mw: self.base[l] + lodf * self.base[ko],
                    factor: self.t[l] + lodf * self.t[ko],
                    rate_mva: self.rate[i],
                }
            })
            .collect();
        sort_keep(&mut out, keep);
        let mut isl = best.islanding;
        isl.sort_unstable();
        (out, isl.into_iter().map(|i| outages[i]).collect())
    }
}

/// The limit of one branch: where flow `f` plus the transfer times factor
/// `t` reaches the rating `r` (0 if already beyond it), infinite when the
/// branch hardly responds (`|t| < minf`).
#[inline(always)]
pub(super) fn branch_limit(f: f64, t: f64, r: f64, minf: f64) -> f64 {
    let x = (r.copysign(t) - f) / t;
    let x = if x > 0.0 { x } else { 0.0 };
    if t.abs() >= minf { x } else { f64::INFINITY }
}

/// The smallest limit over rated branches `i` of flows `f + lodf·fk` and
/// factors `t + lodf·tk` (the base case without `outage`), and where, if
/// it is below `bound`. The first pass keeps the minimum in eight
/// independent lanes over exact chunks (a loop the compiler vectorises:
/// the hot loop of an hourly study); the second finds the position only
/// for a row that improves on `bound`, recomputing the same values.
pub(super) fn row_min(
    f: &[f64],
    t: &[f64],
    rate: &[f64],
    outage: Option<(&[f64], f64, f64)>,
    minf: f64,
    bound: f64,
) -> Option<(f64, usize)> {
    const LANES: usize = 8;
    let n = f.len();
    let (t, rate) = (&t[..n], &rate[..n]);
    let mut lanes = [f64::INFINITY; LANES];
    let body = n - n % LANES;
    let mut min = f64::INFINITY;
    match outage {
        Some((row, fk, tk)) => {
            let row = &row[..n];
            let chunks = f[..body]
                .chunks_exact(LANES)
                .zip(t[..body].chunks_exact(LANES))
                .zip(rate[..body].chunks_exact(LANES))
                .zip(row[..body].chunks_exact(LANES));
            for (((fc, tc), rc), lc) in chunks {
                for k in 0..LANES {
                    let x = branch_limit(fc[k] + lc[k] * fk, tc[k] + lc[k] * tk, rc[k], minf);
                    lanes[k] = if x < lanes[k] { x } else { lanes[k] };
                }
            }
            for i in body..n {
                min = min.min(branch_limit(
                    f[i] + row[i] * fk,
                    t[i] + row[i] * tk,
                    rate[i],
                    minf,
                ));
            }
        }
        None => {
            let chunks = f[..body]
                .chunks_exact(LANES)
                .zip(t[..body].chunks_exact(LANES))
                .zip(rate[..body].chunks_exact(LANES));
            for ((fc, tc), rc) in chunks {
                for k in 0..LANES {
                    let x = branch_limit(fc[k], tc[k], rc[k], minf);
                    lanes[k] = if x < lanes[k] { x } else { lanes[k] };
                }
            }
            for i in body..n {
                min = min.min(branch_limit(f[i], t[i], rate[i], minf));
            }
        }
    }
    let min = lanes.iter().fold(min, |a, &b| a.min(b));
    if min == f64::INFINITY || min >= bound {
        return None;
    }
    let value = |i: usize| match outage {
        Some((row, fk, tk)) => branch_limit(f[i] + row[i] * fk, t[i] + row[i] * tk, rate[i], minf),
        None => branch_limit(f[i], t[i], rate[i], minf),
    };
    (0..n).find(|&i| value(i) == min).map(|i| (min, i))
}

fn sort_keep(v: &mut Vec<TransferLimit>, keep: usize) {
    v.sort_by(|a, b| {
        a.transfer_mw
            .total_cmp(&b.transfer_mw)
            .then(a.branch.cmp(&b.branch))
            .then(a.outage.cmp(&b.outage))
    });
    v.truncate(keep);
}
