//! A transfer column screened once for many states
//! ([`PreparedTransfer::screen_column`]): a branch whose factor for the
//! transfer (after an outage: `t + LODF · t_k`) is below
//! [`TransferSettings::min_factor`](super::TransferSettings) never limits
//! the transfer, whatever the flows, so each outage keeps only the
//! branches that respond. The factors depend on the topology and the
//! transfer only; in an hourly study the flows change every hour, the
//! column once a month. [`PreparedTransfer::tightest_screened`] then
//! gives exactly [`PreparedTransfer::tightest`]'s answer (the same
//! arithmetic on the same values, the same branch and outage on ties)
//! scanning those branches only: on a 10,000-bus grid with 200
//! contingencies, a small fraction of `outages × rated branches`.

use super::TransferLimit;
use super::prepared::PreparedTransfer;
use super::transfer::branch_limit;

/// A transfer's PTDF column with, per case (the base case, then each
/// contingency of the [`PreparedTransfer`]), the rated branches whose
/// factor reaches `min_factor`. Made by
/// [`PreparedTransfer::screen_column`] for that preparation only.
///
/// ```
/// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::*};
/// # let net = matpower::read("grids/case5_tap_shift.m")?;
/// # let pf = DcPowerFlow::new(&net)?;
/// let prep = PreparedTransfer::new(&net, &pf, TransferSettings::default())?;
/// let t = prep.transfer_column(&Zone::bus(25), &Zone::bus(12))?;
/// let screened = prep.screen_column(t.clone());
/// assert_eq!(screened.column(), &t[..]);
/// assert!(screened.kept() <= (prep.outages().len() + 1) * net.branches.len());
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ScreenedColumn {
    t: Vec<f64>,
    /// Rated branches and contingencies of the preparation that made it.
    made_for: (usize, usize),
    /// Case `c`'s entries are `start[c]..start[c + 1]` (case 0: the base
    /// case; case `c + 1`: dense outage `c`), in increasing rated order.
    start: Vec<usize>,
    /// Rated position of each entry.
    rated: Vec<u32>,
    /// Branch position of each entry (to read the flows directly).
    branch: Vec<u32>,
    /// The outage's LODF on the entry's branch (0 in the base case).
    lodf: Vec<f64>,
    /// The entry's factor after the outage, `t + LODF · t_k`.
    factor: Vec<f64>,
    /// The entry's rating, MVA.
    rate: Vec<f64>,
}

impl ScreenedColumn {
    /// The transfer column (MW per MW of transfer, one per branch), as
    /// given to [`PreparedTransfer::screen_column`].
    ///
    /// ```
    /// assert!(true); // see ScreenedColumn
    /// ```
    pub fn column(&self) -> &[f64] {
        &self.t
    }

    /// Entries kept over all cases (branch × case pairs that respond).
    ///
    /// ```
    /// assert!(true); // see ScreenedColumn
    /// ```
    pub fn kept(&self) -> usize {
        self.rated.len()
    }

    /// The smallest limit over case `c`'s entries for flows `base_mw` and
    /// the outage's own flow `fk`, with its rated position, if below
    /// `bound`: `row_min`'s two passes over the kept entries only.
    fn case_min(
        &self,
        c: usize,
        base_mw: &[f64],
        fk: f64,
        minf: f64,
        bound: f64,
    ) -> Option<(f64, usize)> {
        let r = self.start[c]..self.start[c + 1];
        let (branch, lodf) = (&self.branch[r.clone()], &self.lodf[r.clone()]);
        let (factor, rate) = (&self.factor[r.clone()], &self.rate[r.clone()]);
        let base_case = c == 0;
        let value = |e: usize| {
            let f = base_mw[branch[e] as usize];
            let f = if base_case { f } else { f + lodf[e] * fk };
            branch_limit(f, factor[e], rate[e], minf)
        };
        let min = (0..branch.len()).fold(f64::INFINITY, |m, e| {
            let x = value(e);
            if x < m { x } else { m }
        });
        if min == f64::INFINITY || min >= bound {
            return None;
        }
        (0..branch.len())
            .find(|&e| value(e) == min)
            .map(|e| (min, self.rated[r.start + e] as usize))
    }
}

impl PreparedTransfer<'_> {
    /// Screens a transfer column `t` (from
    /// [`transfer_column`](Self::transfer_column)) once, for
    /// [`tightest_screened`](Self::tightest_screened) on many states: a
    /// branch whose factor for the transfer (after an outage:
    /// `t + LODF · t_k`) is below
    /// [`TransferSettings::min_factor`](super::TransferSettings) never
    /// limits the transfer, whatever the flows, so each outage keeps only
    /// the branches that respond; `tightest_screened` then gives exactly
    /// [`tightest`](Self::tightest)'s answer scanning those only. Costs one
    /// pass over `outages × rated branches`.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::*};
    /// # let net = matpower::read("grids/case5_tap_shift.m")?;
    /// # let pf = DcPowerFlow::new(&net)?;
    /// let prep = PreparedTransfer::new(&net, &pf, TransferSettings::default())?;
    /// let t = prep.transfer_column(&Zone::bus(7), &Zone::bus(40))?;
    /// assert!(prep.screen_column(t).kept() > 0);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn screen_column(&self, t: Vec<f64>) -> ScreenedColumn {
        let minf = self.settings.min_factor;
        let n = self.rated.len();
        let mut s = ScreenedColumn {
            t,
            made_for: (n, self.dense_outages.len()),
            start: vec![0],
            rated: Vec::new(),
            branch: Vec::new(),
            lodf: Vec::new(),
            factor: Vec::new(),
            rate: Vec::new(),
        };
        let keep = |s: &mut ScreenedColumn, i: usize, lodf: f64, factor: f64| {
            if factor.abs() >= minf {
                s.rated.push(i as u32);
                s.branch.push(self.rated[i] as u32);
                s.lodf.push(lodf);
                s.factor.push(factor);
                s.rate.push(self.rate[i]);
            }
        };
        for i in 0..n {
            let factor = s.t[self.rated[i]];
            keep(&mut s, i, 0.0, factor);
        }
        s.start.push(s.rated.len());
        if self.settings.n_minus_1 {
            for (c, &ko) in self.dense_outages.iter().enumerate() {
                let (row, tk) = (&self.dense[c * n..(c + 1) * n], s.t[ko]);
                for (i, &l) in row.iter().enumerate() {
                    // `row_min`'s post-outage factor, the same operations.
                    let factor = s.t[self.rated[i]] + l * tk;
                    keep(&mut s, i, l, factor);
                }
                s.start.push(s.rated.len());
            }
        }
        s
    }

    /// [`tightest`](Self::tightest) for a screened column: the same
    /// binding limit (value, branch, outage), scanning only the branches
    /// that respond in each case.
    ///
    /// # Panics
    /// If `col` was screened by a preparation with other rated branches or
    /// contingencies (a column belongs to the preparation that made it).
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::*};
    /// # let net = matpower::read("grids/case5_tap_shift.m")?;
    /// # let pf = DcPowerFlow::new(&net)?;
    /// let prep = PreparedTransfer::new(&net, &pf, TransferSettings::default())?;
    /// let base = pf.solve()?.pf_mw;
    /// let t = prep.transfer_column(&Zone::bus(25), &Zone::bus(12))?;
    /// let screened = prep.screen_column(t.clone());
    /// assert_eq!(prep.tightest_screened(&base, &screened), prep.tightest(&base, &t));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn tightest_screened(
        &self,
        base_mw: &[f64],
        col: &ScreenedColumn,
    ) -> Option<TransferLimit> {
        assert_eq!(
            col.made_for,
            (self.rated.len(), self.dense_outages.len()),
            "a column screened by another PreparedTransfer"
        );
        let minf = self.settings.min_factor;
        let mut best = (f64::INFINITY, usize::MAX, None);
        if let Some((x, i)) = col.case_min(0, base_mw, 0.0, minf, f64::INFINITY) {
            best = (x, i, None);
        }
        for c in 0..col.start.len() - 2 {
            let fk = base_mw[self.dense_outages[c]];
            if let Some((x, i)) = col.case_min(c + 1, base_mw, fk, minf, best.0) {
                best = (x, i, Some(c));
            }
        }
        self.limit_at(base_mw, &col.t, best)
    }
}
