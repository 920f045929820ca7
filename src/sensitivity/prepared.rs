//! Transfer capabilities prepared once per topology and evaluated for
//! many states ([`PreparedTransfer`]): the hot path of the hourly study.
//! The outages are every active branch, or a contingency list
//! ([`PreparedTransfer::with_outages`]) that keeps a 10,000-bus grid
//! tractable.
//!
//! ```
//! use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::*};
//! let net = matpower::read("grids/case5_tap_shift.m")?;
//! let pf = DcPowerFlow::new(&net)?;
//! let prep = PreparedTransfer::with_outages(&net, &pf, TransferSettings::default(), &[0, 2])?;
//! assert_eq!(prep.outages(), &[0, 2]);
//! # Ok::<(), landlinked::Error>(())
//! ```

use rayon::prelude::*;

use super::lodf::{islanding_branches, solve_outages};
use super::ptdf::transfer_positions;
use super::transfer::{Ctx, Tightest, check_dimensions, rated_branches, row_min};
use super::{
    Kernel, Ptdf, TransferCapability, TransferLimit, TransferSettings, Zone, active_branches,
};
use crate::dc::{BLOCK, DcPowerFlow};
use crate::error::{Error, Result};
use crate::network::Network;

/// The part of a transfer capability that depends on the topology only,
/// prepared once and evaluated for many states (the periods of a study):
/// the rated branches, the bridges (outages that island), and the LODF of
/// every rated branch for every non-islanding outage.
///
/// [`capability`](Self::capability) gives exactly what
/// [`transfer_capability`](super::transfer_capability) gives for the same power flow, ratings, base
/// flows and zones (the same factors, the same arithmetic), without
/// solving the outages again. It stores `outages × rated branches`
/// factors: right for regional grids and for a short contingency list,
/// too much for a 10,000-bus grid with every branch as an outage (use
/// [`transfer_capability`](super::transfer_capability), which streams them).
///
/// ```
/// use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::*};
/// let net = matpower::read("grids/case5_tap_shift.m")?;
/// let pf = DcPowerFlow::new(&net)?;
/// let base = pf.solve()?.pf_mw;
/// let prep = PreparedTransfer::new(&net, &pf, TransferSettings::default())?;
/// let (source, sink) = (Zone::bus(7), Zone::bus(40));
/// let once = transfer_capability(&net, &pf, &base, &source, &sink, TransferSettings::default())?;
/// assert_eq!(prep.capability(&base, &source, &sink)?, once);
/// # Ok::<(), landlinked::Error>(())
/// ```
pub struct PreparedTransfer<'a> {
    net: &'a Network,
    pf: &'a DcPowerFlow,
    pub(super) settings: TransferSettings,
    pub(super) rated: Vec<usize>,
    pub(super) rate: Vec<f64>,
    /// Active branches: the outages screened.
    outages: Vec<usize>,
    /// Per outage: its LODF on every rated branch (`None`: it islands).
    lodf: Vec<Option<Vec<f64>>>,
    /// The non-islanding outages, and their LODF rows over the rated
    /// branches one after the other (an outage's own entry is −1, so its
    /// own limit drops out), for [`tightest`](Self::tightest).
    pub(super) dense_outages: Vec<usize>,
    pub(super) dense: Vec<f64>,
}

impl<'a> PreparedTransfer<'a> {
    /// Prepares the transfer capabilities of `net` solved by `pf` (the
    /// outages only when `settings.n_minus_1`).
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::*};
    /// let net = matpower::read("grids/case5_tap_shift.m")?;
    /// let pf = DcPowerFlow::new(&net)?;
    /// assert!(PreparedTransfer::new(&net, &pf, TransferSettings::default()).is_ok());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn new(
        net: &'a Network,
        pf: &'a DcPowerFlow,
        settings: TransferSettings,
    ) -> Result<PreparedTransfer<'a>> {
        check_dimensions(net, pf, &vec![0.0; net.branches.len()])?;
        PreparedTransfer::prepare(net, pf, settings, active_branches(pf))
    }

    /// As [`new`](Self::new), with the outages of a contingency list only
    /// (branch positions): `outages × rated branches` factors and as many
    /// outages per [`tightest`](Self::tightest), so that a 10,000-bus grid
    /// with 200 contingencies stays small and fast. A position past the
    /// last branch, a branch out of service, one listed twice or one whose
    /// outage splits an island (no post-contingency flow exists without
    /// redispatch) is an error naming it.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::*};
    /// let net = matpower::read("grids/case5_tap_shift.m")?;
    /// let pf = DcPowerFlow::new(&net)?;
    /// let all = PreparedTransfer::new(&net, &pf, TransferSettings::default())?;
    /// let some = PreparedTransfer::with_outages(&net, &pf, TransferSettings::default(), &[1, 3])?;
    /// assert!(some.outages().len() < all.outages().len());
    /// assert!(PreparedTransfer::with_outages(&net, &pf, TransferSettings::default(), &[99]).is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn with_outages(
        net: &'a Network,
        pf: &'a DcPowerFlow,
        settings: TransferSettings,
        outages: &[usize],
    ) -> Result<PreparedTransfer<'a>> {
        check_dimensions(net, pf, &vec![0.0; net.branches.len()])?;
        let topo = pf.model().topology();
        let bridges = islanding_branches(pf.model());
        let name = |k: usize| {
            let b = &net.branches[k];
            format!("branch {} ({}-{})", k + 1, b.from, b.to)
        };
        for (i, &k) in outages.iter().enumerate() {
            let problem = if k >= net.branches.len() {
                format!(
                    "branch position {k} is past the last branch ({})",
                    net.branches.len()
                )
            } else if !topo.branch_active(k) {
                format!("{} is out of service", name(k))
            } else if outages[..i].contains(&k) {
                format!("{} is listed twice", name(k))
            } else if bridges[k] {
                format!(
                    "{}: its outage splits an island, so no post-contingency flow exists \
                     without redispatch; leave it out of the list",
                    name(k)
                )
            } else {
                continue;
            };
            return Err(Error::Invalid {
                message: format!("contingency list: {problem}"),
            });
        }
        PreparedTransfer::prepare(net, pf, settings, outages.to_vec())
    }

    /// The outages checked (branch positions), every active branch or the
    /// list given.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::*};
    /// # let net = matpower::read("grids/case5_tap_shift.m")?;
    /// # let pf = DcPowerFlow::new(&net)?;
    /// let prep = PreparedTransfer::new(&net, &pf, TransferSettings::default())?;
    /// let in_service = net.branches.iter().filter(|b| b.in_service).count();
    /// assert_eq!(prep.outages().len(), in_service);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn outages(&self) -> &[usize] {
        &self.outages
    }

    /// The smallest distribution factor (MW per MW) that limits a
    /// transfer, from the settings.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::*};
    /// # let net = matpower::read("grids/case5_tap_shift.m")?;
    /// # let pf = DcPowerFlow::new(&net)?;
    /// let s = TransferSettings { min_factor: 0.05, ..Default::default() };
    /// assert_eq!(PreparedTransfer::new(&net, &pf, s)?.min_factor(), 0.05);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn min_factor(&self) -> f64 {
        self.settings.min_factor
    }

    /// The factors of `outages` (checked by the caller).
    fn prepare(
        net: &'a Network,
        pf: &'a DcPowerFlow,
        settings: TransferSettings,
        outages: Vec<usize>,
    ) -> Result<PreparedTransfer<'a>> {
        let active = outages;
        let (rated, rate) = rated_branches(net, &active_branches(pf));
        let mut lodf = Vec::new();
        if settings.n_minus_1 {
            let k = Kernel::new(pf);
            let bridges = islanding_branches(pf.model());
            lodf = active
                .par_chunks(BLOCK)
                .map(|chunk| {
                    let mut block = k.new_block();
                    let scale = solve_outages(&k, &bridges, &mut block, chunk);
                    let per = scale.iter().enumerate().map(|(c, s)| {
                        s.map(|s| {
                            rated
                                .iter()
                                .map(|&l| k.delta(&block, BLOCK, c, l) * s)
                                .collect()
                        })
                    });
                    per.collect::<Vec<_>>()
                })
                .flatten()
                .collect();
        }
        let mut dense_outages = Vec::new();
        let mut dense = Vec::new();
        for (&ko, row) in active.iter().zip(&lodf) {
            if let Some(row) = row {
                dense_outages.push(ko);
                dense.extend(
                    rated
                        .iter()
                        .zip(row)
                        .map(|(&l, &v)| if l == ko { -1.0 } else { v }),
                );
            }
        }
        Ok(PreparedTransfer {
            net,
            pf,
            settings,
            rated,
            rate,
            outages: active,
            lodf,
            dense_outages,
            dense,
        })
    }

    /// Whether a transfer from `source` to `sink` can flow at all: every
    /// bus of both zones known, not isolated, and in one island.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::*};
    /// let net = matpower::read("grids/case6_two_islands.m")?;
    /// let pf = DcPowerFlow::new(&net)?;
    /// let prep = PreparedTransfer::new(&net, &pf, TransferSettings::default())?;
    /// let ids: Vec<u64> = net.buses.iter().map(|b| b.id).collect();
    /// let split = ids.iter().any(|&a| ids.iter().any(|&b| !prep.connects(&Zone::bus(a), &Zone::bus(b))));
    /// assert!(split); // two islands: some pair of buses cannot trade
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn connects(&self, source: &Zone, sink: &Zone) -> bool {
        transfer_positions(self.pf, source, sink).is_ok()
    }

    /// The transfer's PTDF column from `source` to `sink` (MW per MW of
    /// transfer, one per branch), to give [`tightest`](Self::tightest)
    /// many times.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::*};
    /// # let net = matpower::read("grids/case5_tap_shift.m")?;
    /// # let pf = DcPowerFlow::new(&net)?;
    /// let prep = PreparedTransfer::new(&net, &pf, TransferSettings::default())?;
    /// assert_eq!(prep.transfer_column(&Zone::bus(25), &Zone::bus(12))?.len(), net.branches.len());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn transfer_column(&self, source: &Zone, sink: &Zone) -> Result<Vec<f64>> {
        transfer_positions(self.pf, source, sink)?;
        Ok(Ptdf::transfer_column(self.pf, source, sink)?
            .as_slice()
            .to_vec())
    }

    /// The binding limit only, for base flows `base_mw` and a transfer
    /// column `t` (from [`transfer_column`](Self::transfer_column)): the
    /// same smallest limit as [`capability`](Self::capability)'s
    /// [`binding`](TransferCapability::binding), computed without sorting
    /// or keeping the others (the hot loop of an hourly study). `None`
    /// when no rated branch responds to the transfer. Ties between outages
    /// may name a different one of equal limit.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::*};
    /// # let net = matpower::read("grids/case5_tap_shift.m")?;
    /// # let pf = DcPowerFlow::new(&net)?;
    /// let prep = PreparedTransfer::new(&net, &pf, TransferSettings::default())?;
    /// let base = pf.solve()?.pf_mw;
    /// let (source, sink) = (Zone::bus(25), Zone::bus(12));
    /// let t = prep.transfer_column(&source, &sink)?;
    /// let full = prep.capability(&base, &source, &sink)?;
    /// let fast = prep.tightest(&base, &t);
    /// assert_eq!(fast.map(|b| b.transfer_mw), full.binding().map(|b| b.transfer_mw));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn tightest(&self, base_mw: &[f64], t: &[f64]) -> Option<TransferLimit> {
        // The rated branches' flows and factors, on the stack for a
        // regional grid (no allocation in the hourly study's hot loop).
        const STACK: usize = 256;
        let n = self.rated.len();
        let (mut f_stack, mut t_stack) = ([0.0; STACK], [0.0; STACK]);
        let (mut f_heap, mut t_heap) = (Vec::new(), Vec::new());
        let (f, tr): (&mut [f64], &mut [f64]) = if n <= STACK {
            (&mut f_stack[..n], &mut t_stack[..n])
        } else {
            f_heap.resize(n, 0.0);
            t_heap.resize(n, 0.0);
            (&mut f_heap, &mut t_heap)
        };
        for ((fi, ti), &l) in f.iter_mut().zip(tr.iter_mut()).zip(&self.rated) {
            *fi = base_mw[l];
            *ti = t[l];
        }
        let (f, tr) = (&*f, &*tr);
        let minf = self.settings.min_factor;
        let mut best = (f64::INFINITY, usize::MAX, None);
        if let Some((x, i)) = row_min(f, tr, &self.rate, None, minf, f64::INFINITY) {
            best = (x, i, None);
        }
        if self.settings.n_minus_1 {
            let n = self.rated.len();
            for (c, &ko) in self.dense_outages.iter().enumerate() {
                let row = &self.dense[c * n..(c + 1) * n];
                let outage = Some((row, base_mw[ko], t[ko]));
                if let Some((x, i)) = row_min(f, tr, &self.rate, outage, minf, best.0) {
                    best = (x, i, Some(c));
                }
            }
        }
        self.limit_at(base_mw, t, best)
    }

    /// The [`TransferLimit`] of the smallest limit `x` found at rated
    /// branch `i` with dense outage `c` (`None`: the base case), or `None`
    /// if none was found (`i == usize::MAX`).
    pub(super) fn limit_at(
        &self,
        base_mw: &[f64],
        t: &[f64],
        (x, i, c): (f64, usize, Option<usize>),
    ) -> Option<TransferLimit> {
        if i == usize::MAX {
            return None;
        }
        let l = self.rated[i];
        let (f, tr) = (base_mw[l], t[l]);
        let (flow_mw, factor, outage) = match c {
            None => (f, tr, None),
            Some(c) => {
                let ko = self.dense_outages[c];
                let v = self.dense[c * self.rated.len() + i];
                (f + v * base_mw[ko], tr + v * t[ko], Some(ko))
            }
        };
        Some(TransferLimit {
            transfer_mw: x,
            branch: l,
            outage,
            flow_mw,
            factor,
            rate_mva: self.rate[i],
        })
    }

    /// The transfer capability from `source` to `sink` on base flows
    /// `base_mw` (one per branch, MW): as [`transfer_capability`](super::transfer_capability).
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::*};
    /// # let net = matpower::read("grids/case5_tap_shift.m")?;
    /// # let pf = DcPowerFlow::new(&net)?;
    /// let prep = PreparedTransfer::new(&net, &pf, TransferSettings::default())?;
    /// let tc = prep.capability(&pf.solve()?.pf_mw, &Zone::bus(25), &Zone::bus(12))?;
    /// assert!(tc.binding().is_none_or(|b| b.transfer_mw >= 0.0));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn capability(
        &self,
        base_mw: &[f64],
        source: &Zone,
        sink: &Zone,
    ) -> Result<TransferCapability> {
        check_dimensions(self.net, self.pf, base_mw)?;
        transfer_positions(self.pf, source, sink)?;
        let t = Ptdf::transfer_column(self.pf, source, sink)?;
        let ctx = Ctx {
            rated: &self.rated,
            rate: &self.rate,
            t: t.as_slice(),
            base: base_mw,
            min_factor: self.settings.min_factor,
        };
        let keep = self.settings.keep;
        let base_case = ctx.base_limits(keep);
        if !self.settings.n_minus_1 {
            return Ok(TransferCapability {
                base_case,
                n_minus_1: Vec::new(),
                islanding: Vec::new(),
            });
        }
        let mut best = Tightest::new(self.rated.len());
        for (c, (&ko, lodf)) in self.outages.iter().zip(&self.lodf).enumerate() {
            match lodf {
                Some(lodf) => ctx.offer_outage(&mut best, c, ko, |i| lodf[i]),
                None => best.islanding.push(c),
            }
        }
        let (n_minus_1, islanding) = ctx.collect(best, &self.outages, keep, |i, c| {
            self.lodf[c].as_ref().map_or(0.0, |v| v[i])
        });
        Ok(TransferCapability {
            base_case,
            n_minus_1,
            islanding,
        })
    }
}
