//! Year-long N-1 on a contingency list: [`ContingencyYear`] and
//! [`screen_outages`].
//!
//! ```
//! use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::ContingencyYear};
//! use nalgebra::DMatrix;
//! // A triangle, 1-2, 2-3, 1-3; bus 3 draws 60, 70, 85, 90 MW in four periods.
//! let net = matpower::parse_str("mpc.baseMVA=100;
//! mpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1; 3 1 0 0 0 0 1 1 0 1 1 1 1];
//! mpc.gen=[1 0 0 0 0 1 100 1 1 0];
//! mpc.branch=[1 2 0 0.1 0 0 0 0 0 0 1 -360 360; 2 3 0 0.1 0 0 0 0 0 0 1 -360 360; 1 3 0 0.1 0 0 0 0 0 0 1 -360 360];", "tri.m")?;
//! let pf = DcPowerFlow::new(&net)?;
//! let inj = DMatrix::from_fn(3, 4, |bus, t| if bus == 2 { -[60.0, 70.0, 85.0, 90.0][t] } else { 0.0 });
//! // all three branches rated 80 MW; outages of 1-3 and 2-3
//! let n1 = ContingencyYear::new(&pf, &[0, 1, 2], &[2, 1], &[80.0; 3])?;
//! let year = pf.reduce_many(&inj, n1)?;
//! // with 1-3 out, all 90 MW of period 4 go over 1-2 and 2-3
//! assert!((year.worst_loading()[0] - 90.0 / 80.0).abs() < 1e-12);
//! assert_eq!((year.worst_outage()[0], year.worst_period()[0]), (2, 3));
//! assert_eq!(year.insecure_periods(), &[2, 3]); // above the 80 MW rating
//! # Ok::<(), landlinked::Error>(())
//! ```

use std::sync::Arc;

use nalgebra::DMatrix;

use super::{Lodf, OutageKind, check_branches};
use crate::dc::{BLOCK, BlockView, DcPowerFlow, Reducer, check_ratings};
use crate::error::{Error, Result};

/// Branch position `k` as a person reads it: `branch 12 (4-7)`.
fn branch_name(pf: &DcPowerFlow, k: usize) -> String {
    let (f, t) = pf.model().branch_ends()[k];
    let ids = pf.model().topology().bus_index();
    format!("branch {} ({}-{})", k + 1, ids.id(f), ids.id(t))
}

/// What every chunk of a [`ContingencyYear`] shares.
#[derive(Debug)]
struct Prepared {
    monitored: Vec<usize>,
    outages: Vec<usize>,
    ratings_mw: Vec<f64>,
    /// LODF, monitored × outages, row-major: a monitored branch's factors
    /// are contiguous.
    lodf: Vec<f64>,
}

/// The year-long N-1 reducer on a contingency list: for every period, the
/// post-contingency flow of each monitored branch under each listed
/// outage, `F_l + LODF[l, k]·F_k` (the LODF restricted to monitored ×
/// contingencies, prepared once), reduced on the fly by
/// [`DcPowerFlow::reduce_many`] to each monitored branch's worst
/// post-contingency loading, the outage and the period that cause it, and
/// the periods in which some branch is overloaded after some outage
/// (insecure periods). [`screen_outages`] picks the list: candidates
/// ranked by the largest LODF × flow they can add to a monitored branch.
///
/// ```
/// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::ContingencyYear};
/// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
/// let pf = DcPowerFlow::new(&net)?;
/// // branch 1 is the only path: its outage islands bus 2
/// let err = ContingencyYear::new(&pf, &[0], &[0], &[100.0]).unwrap_err();
/// assert!(err.to_string().contains("branch 1 (1-2)"));
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ContingencyYear {
    prepared: Arc<Prepared>,
    /// Worst post-contingency |flow| of each monitored branch, MW.
    worst_mw: Vec<f64>,
    /// Position in the outage list of the worst outage.
    worst_outage: Vec<usize>,
    worst_period: Vec<usize>,
    insecure: Vec<usize>,
    periods: usize,
}

impl ContingencyYear {
    /// Prepares the LODF of `monitored` × `outages` (branch positions) and
    /// checks the list: an outage that islands the grid, a rating that is
    /// zero, negative or NaN (`f64::INFINITY`: never overloaded), or
    /// ratings of the wrong length are errors naming the branch; so is an
    /// empty contingency list.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::ContingencyYear};
    /// # let net = matpower::read("grids/case5_tap_shift.m")?;
    /// let pf = DcPowerFlow::new(&net)?;
    /// let n1 = ContingencyYear::new(&pf, &[0, 1], &[2, 3], &[100.0, 100.0])?;
    /// assert_eq!(n1.outages(), &[2, 3]);
    /// assert!(ContingencyYear::new(&pf, &[0, 1], &[2], &[100.0, f64::NAN]).is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn new(
        pf: &DcPowerFlow,
        monitored: &[usize],
        outages: &[usize],
        ratings_mw: &[f64],
    ) -> Result<ContingencyYear> {
        let m = pf.model().branch_count();
        check_branches(monitored, m, "monitored branches")?;
        check_branches(outages, m, "contingencies")?;
        check_ratings(ratings_mw, monitored.len(), |i| {
            branch_name(pf, monitored[i])
        })?;
        if outages.is_empty() {
            return Err(Error::Invalid {
                message: "a year-long N-1 needs at least one contingency in its list".into(),
            });
        }
        let lodf = Lodf::new(pf, monitored, outages)?;
        if let Some(i) = lodf
            .kinds()
            .iter()
            .position(|&k| k == OutageKind::Islanding)
        {
            return Err(Error::Invalid {
                message: format!(
                    "contingency {} islands the grid: its outage splits an island, so \
                     no post-contingency flow exists without redispatch; leave it out \
                     of the list (screen_outages skips such branches)",
                    branch_name(pf, outages[i])
                ),
            });
        }
        let mat = lodf.matrix();
        let (rows, cols) = mat.shape();
        let mut row_major = vec![0.0; rows * cols];
        for l in 0..rows {
            for k in 0..cols {
                row_major[l * cols + k] = mat[(l, k)];
            }
        }
        let len = monitored.len();
        Ok(ContingencyYear {
            prepared: Arc::new(Prepared {
                monitored: monitored.to_vec(),
                outages: outages.to_vec(),
                ratings_mw: ratings_mw.to_vec(),
                lodf: row_major,
            }),
            worst_mw: vec![0.0; len],
            worst_outage: vec![0; len],
            worst_period: vec![0; len],
            insecure: Vec::new(),
            periods: 0,
        })
    }

    /// Monitored branch positions, in the order of the results.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::ContingencyYear};
    /// # let pf = DcPowerFlow::new(&matpower::read("grids/case5_tap_shift.m")?)?;
    /// assert_eq!(ContingencyYear::new(&pf, &[4], &[2], &[1.0])?.monitored(), &[4]);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn monitored(&self) -> &[usize] {
        &self.prepared.monitored
    }

    /// Outaged branch positions (the contingency list).
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::ContingencyYear};
    /// # let pf = DcPowerFlow::new(&matpower::read("grids/case5_tap_shift.m")?)?;
    /// assert_eq!(ContingencyYear::new(&pf, &[4], &[2], &[1.0])?.outages(), &[2]);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn outages(&self) -> &[usize] {
        &self.prepared.outages
    }

    /// Periods reduced.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::ContingencyYear};
    /// # let pf = DcPowerFlow::new(&matpower::read("grids/case5_tap_shift.m")?)?;
    /// assert_eq!(ContingencyYear::new(&pf, &[4], &[2], &[1.0])?.periods(), 0);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn periods(&self) -> usize {
        self.periods
    }

    /// Worst post-contingency loading of each monitored branch (|flow| /
    /// rating) over every period and listed outage.
    ///
    /// ```
    /// assert!(true); // see the module example
    /// ```
    pub fn worst_loading(&self) -> Vec<f64> {
        let r = &self.prepared.ratings_mw;
        self.worst_mw.iter().zip(r).map(|(w, r)| w / r).collect()
    }

    /// Worst post-contingency |flow| of each monitored branch, MW.
    ///
    /// ```
    /// assert!(true); // see the module example
    /// ```
    pub fn worst_mw(&self) -> &[f64] {
        &self.worst_mw
    }

    /// The outage (a branch position, from the list) behind each
    /// monitored branch's worst loading (the first in list order on a tie).
    ///
    /// ```
    /// assert!(true); // see the module example
    /// ```
    pub fn worst_outage(&self) -> Vec<usize> {
        let o = &self.prepared.outages;
        self.worst_outage.iter().map(|&i| o[i]).collect()
    }

    /// The first period of each monitored branch's worst loading.
    ///
    /// ```
    /// assert!(true); // see the module example
    /// ```
    pub fn worst_period(&self) -> &[usize] {
        &self.worst_period
    }

    /// Periods, in order, in which some monitored branch is loaded above
    /// its rating after some listed outage.
    ///
    /// ```
    /// assert!(true); // see the module example
    /// ```
    pub fn insecure_periods(&self) -> &[usize] {
        &self.insecure
    }
}

impl Reducer for ContingencyYear {
    fn fresh(&self) -> Self {
        let len = self.worst_mw.len();
        ContingencyYear {
            prepared: Arc::clone(&self.prepared),
            worst_mw: vec![0.0; len],
            worst_outage: vec![0; len],
            worst_period: vec![0; len],
            insecure: Vec::new(),
            periods: 0,
        }
    }

    fn block(&mut self, b: &BlockView<'_>) {
        let p = &*self.prepared;
        let (width, first) = (b.width(), b.first_period());
        let k_len = p.outages.len();
        let fk: Vec<[f64; BLOCK]> = p.outages.iter().map(|&k| b.flow_mw(k)).collect();
        let mut insecure = [false; BLOCK];
        for (i, &l) in p.monitored.iter().enumerate() {
            let fl = &b.flow_mw(l);
            let row = &p.lodf[i * k_len..(i + 1) * k_len];
            // Worst |post-contingency flow| per lane over the outages.
            let mut best = [0.0f64; BLOCK];
            for (a, fk) in row.iter().zip(&fk) {
                for c in 0..BLOCK {
                    let post = (fl[c] + a * fk[c]).abs();
                    best[c] = if post > best[c] { post } else { best[c] };
                }
            }
            let rating = p.ratings_mw[i];
            for c in 0..width {
                insecure[c] |= best[c] > rating;
            }
            let Some((c, &v)) = best[..width].iter().enumerate().fold(
                None,
                |acc: Option<(usize, &f64)>, (c, v)| match acc {
                    Some((_, w)) if *v <= *w => acc,
                    _ => Some((c, v)),
                },
            ) else {
                continue;
            };
            if v > self.worst_mw[i] {
                // Rare after the first periods: find the outage again.
                let k = row
                    .iter()
                    .zip(&fk)
                    .position(|(a, fk)| (fl[c] + a * fk[c]).abs() == v)
                    .unwrap_or(0);
                self.worst_mw[i] = v;
                self.worst_outage[i] = k;
                self.worst_period[i] = first + c;
            }
        }
        self.insecure
            .extend((0..width).filter(|&c| insecure[c]).map(|c| first + c));
        self.periods += width;
    }

    fn merge(&mut self, later: Self) {
        for i in 0..self.worst_mw.len() {
            if later.worst_mw[i] > self.worst_mw[i] {
                self.worst_mw[i] = later.worst_mw[i];
                self.worst_outage[i] = later.worst_outage[i];
                self.worst_period[i] = later.worst_period[i];
            }
        }
        self.insecure.extend(later.insecure);
        self.periods += later.periods;
    }
}

/// One candidate outage of [`screen_outages`].
///
/// ```
/// use landlinked::sensitivity::ScreenedOutage;
/// let s = ScreenedOutage { branch: 3, score: 0.4 };
/// assert_eq!(s.branch, 3);
/// ```
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ScreenedOutage {
    /// Branch position.
    pub branch: usize,
    /// The largest loading its outage adds to a monitored branch over the
    /// sample: `max_t |F_k(t)| × max_{l ≠ k} |LODF[l, k]| / rating_l`
    /// (a fraction of the rating).
    pub score: f64,
}

/// Ranks candidate outages by the largest loading their outage can add to
/// a monitored branch over a sample of periods (`sample`: buses ×
/// periods injections, MW), highest first, and keeps the first `count`.
/// Outages that island the grid are skipped (they have no LODF). The LODF
/// is computed 256 candidates at a time, so memory stays at
/// monitored × 256 factors.
///
/// ```
/// use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::screen_outages};
/// let net = matpower::read("grids/case5_tap_shift.m")?;
/// let pf = DcPowerFlow::new(&net)?;
/// let sample = nalgebra::DMatrix::from_column_slice(5, 1, &pf.model().bus_injections_mw());
/// let all: Vec<usize> = (0..net.branches.len()).collect();
/// let ranked = screen_outages(&pf, &all, &all, &[400.0; 8], &sample, 3)?;
/// assert_eq!(ranked.len(), 3);
/// assert!(ranked[0].score >= ranked[1].score && ranked[1].score >= ranked[2].score);
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn screen_outages(
    pf: &DcPowerFlow,
    candidates: &[usize],
    monitored: &[usize],
    ratings_mw: &[f64],
    sample: &DMatrix<f64>,
    count: usize,
) -> Result<Vec<ScreenedOutage>> {
    let m = pf.model().branch_count();
    check_branches(candidates, m, "candidate outages")?;
    check_branches(monitored, m, "monitored branches")?;
    check_ratings(ratings_mw, monitored.len(), |i| {
        branch_name(pf, monitored[i])
    })?;
    let flows = pf.solve_many(sample)?.pf_mw;
    let mut ranked = Vec::new();
    for chunk in candidates.chunks(256) {
        let lodf = Lodf::new(pf, monitored, chunk)?;
        for (j, &k) in chunk.iter().enumerate() {
            if lodf.kinds()[j] == OutageKind::Islanding {
                continue;
            }
            let col = lodf.matrix().column(j);
            let worst_factor = monitored
                .iter()
                .zip(col.iter())
                .zip(ratings_mw)
                .filter(|((l, _), _)| **l != k)
                .map(|((_, a), r)| a.abs() / r)
                .fold(0.0, f64::max);
            let worst_flow = flows.row(k).iter().fold(0.0f64, |a, f| a.max(f.abs()));
            ranked.push(ScreenedOutage {
                branch: k,
                score: worst_factor * worst_flow,
            });
        }
    }
    // Highest first; ties in candidate order (a stable sort).
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
    ranked.truncate(count);
    Ok(ranked)
}
