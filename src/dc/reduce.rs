//! Fused statistics of many periods: [`DcPowerFlow::reduce_many`], the
//! [`Reducer`] trait and the chunk driver (see the [`dc`](super) module's
//! *Many periods* for the contract and its determinism).
//!
//! ```
//! use landlinked::dc::{BranchStats, DcPowerFlow};
//! use nalgebra::DMatrix;
//! # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
//! let pf = DcPowerFlow::new(&net)?;
//! // a year of hours, bus 2 draws t mod 100 MW in hour t
//! let inj = DMatrix::from_fn(2, 8760, |bus, t| if bus == 1 { -((t % 100) as f64) } else { 0.0 });
//! let stats = pf.reduce_many(&inj, BranchStats::new(1).with_ratings(&[80.0])?)?;
//! assert_eq!((stats.max_mw()[0], stats.max_period()[0]), (99.0, 99));
//! assert_eq!(stats.max_loading().unwrap()[0], 99.0 / 80.0);
//! # Ok::<(), landlinked::Error>(())
//! ```

use std::sync::Mutex;

use nalgebra::DMatrix;
use rayon::prelude::*;

use super::DcPowerFlow;
use super::lanes::{flow_lanes, lanes, lanes_mut, scale_shift_lanes};
use super::many::{BLOCK, Work};
use super::profiles::ProfileInjections;
use super::response::ProfileResponse;
use super::tile::ColumnsIn;
use crate::error::{Error, Result};

/// Periods per chunk of a reduction: the unit of parallel work and of
/// merging (a multiple of [`BLOCK`]; fixed, so results do not depend on
/// the thread count).
pub const CHUNK_PERIODS: usize = 4 * BLOCK;

/// Bus injections over periods, as [`DcPowerFlow::reduce_many`] takes
/// them: a materialised buses × periods matrix (MW, positive into the
/// bus), the same values in a borrowed column-major slice, or generated
/// from [`ProfileInjections`].
///
/// ```
/// use landlinked::dc::{Injections, ProfileInjections};
/// let inj = ProfileInjections::new(3, 24);
/// let source: Injections = (&inj).into();
/// assert_eq!((source.buses(), source.periods()), (3, 24));
/// ```
#[derive(Copy, Clone, Debug)]
pub enum Injections<'a> {
    /// Buses × periods, MW, one column per period.
    Matrix(&'a DMatrix<f64>),
    /// Bases × profiles, expanded block by block inside the kernel.
    Profiles(&'a ProfileInjections),
    /// Buses × periods, MW, column-major in a borrowed slice: period `t`
    /// is `values_mw[t * buses..(t + 1) * buses]`. This is the memory of a
    /// C-contiguous periods × buses array (NumPy's default), read in place
    /// as [`DcPowerFlow::solve_many_slice`] reads it; the Python package
    /// hands its arrays over this way. The length must be a whole number
    /// of periods (`reduce_many` refuses it otherwise).
    ///
    /// ```
    /// use landlinked::dc::{BranchStats, DcPowerFlow, Injections};
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// let pf = DcPowerFlow::new(&net)?;
    /// // periods × buses, row by row: bus 2 draws 10, 30 and 20 MW
    /// let values = [0.0, -10.0, 0.0, -30.0, 0.0, -20.0];
    /// let inj = Injections::Slice { values_mw: &values, buses: 2 };
    /// assert_eq!(inj.periods(), 3);
    /// let s = pf.reduce_many(inj, BranchStats::new(1))?;
    /// assert_eq!((s.max_mw()[0], s.max_period()[0]), (30.0, 1));
    /// let odd = Injections::Slice { values_mw: &values[..5], buses: 2 };
    /// assert!(pf.reduce_many(odd, BranchStats::new(1)).is_err()); // 2.5 periods
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    Slice {
        /// The values, period after period, each period a bus after bus.
        values_mw: &'a [f64],
        /// Buses per period.
        buses: usize,
    },
}

impl Injections<'_> {
    /// Buses (rows).
    ///
    /// ```
    /// let m = nalgebra::DMatrix::<f64>::zeros(5, 2);
    /// assert_eq!(landlinked::dc::Injections::from(&m).buses(), 5);
    /// ```
    pub fn buses(&self) -> usize {
        match self {
            Injections::Matrix(m) => m.nrows(),
            Injections::Profiles(p) => p.buses(),
            Injections::Slice { buses, .. } => *buses,
        }
    }

    /// Periods (columns); for an [`Injections::Slice`], whole periods
    /// (none if it has no buses).
    ///
    /// ```
    /// let m = nalgebra::DMatrix::<f64>::zeros(5, 2);
    /// assert_eq!(landlinked::dc::Injections::from(&m).periods(), 2);
    /// ```
    pub fn periods(&self) -> usize {
        match self {
            Injections::Matrix(m) => m.ncols(),
            Injections::Profiles(p) => p.periods(),
            Injections::Slice { values_mw, buses } => {
                values_mw.len().checked_div(*buses).unwrap_or(0)
            }
        }
    }
}

impl<'a> From<&'a DMatrix<f64>> for Injections<'a> {
    fn from(m: &'a DMatrix<f64>) -> Injections<'a> {
        Injections::Matrix(m)
    }
}

impl<'a> From<&'a ProfileInjections> for Injections<'a> {
    fn from(p: &'a ProfileInjections) -> Injections<'a> {
        Injections::Profiles(p)
    }
}

/// One solved block of periods as a [`Reducer`] sees it: flows and angles
/// in lanes, one lane per period. Lanes `0..width()` are periods
/// `first_period()..first_period() + width()`; lanes past `width()` hold
/// values of no period and must be ignored.
///
/// ```
/// use landlinked::dc::{BlockView, DcPowerFlow, Reducer};
/// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
/// // A researcher's own reducer: energy over branch 1, MWh.
/// struct Energy(f64);
/// impl Reducer for Energy {
///     fn fresh(&self) -> Self { Energy(0.0) }
///     fn block(&mut self, b: &BlockView<'_>) {
///         self.0 += b.flow_mw(0)[..b.width()].iter().sum::<f64>();
///     }
///     fn merge(&mut self, later: Self) { self.0 += later.0 }
/// }
/// let pf = DcPowerFlow::new(&net)?;
/// let inj = nalgebra::DMatrix::from_fn(2, 100, |bus, _| if bus == 1 { -2.0 } else { 0.0 });
/// assert!((pf.reduce_many(&inj, Energy(0.0))?.0 - 200.0).abs() < 1e-9);
/// # Ok::<(), landlinked::Error>(())
/// ```
pub struct BlockView<'a> {
    first_period: usize,
    width: usize,
    branch_order: &'a [u32],
    source: Source<'a>,
}

/// Where a block's values come from.
#[derive(Copy, Clone)]
pub(super) enum Source<'a> {
    /// Angles solved by the block kernel; flows computed from them.
    Solved(Solved<'a>),
    /// Flows and angles as the superposition of per-profile responses:
    /// `profiles[z]` are profile `z`'s values over the block's lanes.
    Superposed {
        response: &'a ProfileResponse,
        profiles: &'a [[f64; BLOCK]],
    },
}

/// A block solved by the kernel: its angle rows and what turns them into
/// flows.
#[derive(Copy, Clone)]
pub(super) struct Solved<'a> {
    theta: &'a [f64],
    rows: &'a [usize],
    branch_rows: &'a [(u32, u32)],
    b_pu: &'a [f64],
    shift_pu: &'a [f64],
    base_mva: f64,
}

impl<'a> BlockView<'a> {
    /// A block of superposed responses (see [`ProfileResponse::reduce`]).
    pub(super) fn superposed(
        (first_period, width): (usize, usize),
        response: &'a ProfileResponse,
        profiles: &'a [[f64; BLOCK]],
    ) -> BlockView<'a> {
        BlockView {
            first_period,
            width,
            branch_order: response.branch_order(),
            source: Source::Superposed { response, profiles },
        }
    }
}

impl BlockView<'_> {
    /// The period of lane 0.
    ///
    /// ```
    /// # use landlinked::dc::{BlockView, Reducer};
    /// struct Last(usize);
    /// impl Reducer for Last {
    ///     fn fresh(&self) -> Self { Last(0) }
    ///     fn block(&mut self, b: &BlockView<'_>) { self.0 = b.first_period() + b.width() }
    ///     fn merge(&mut self, later: Self) { self.0 = self.0.max(later.0) }
    /// }
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
    /// let pf = landlinked::dc::DcPowerFlow::new(&net)?;
    /// assert_eq!(pf.reduce_many(&nalgebra::DMatrix::zeros(1, 37), Last(0))?.0, 37);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn first_period(&self) -> usize {
        self.first_period
    }

    /// Periods in this block (at most [`BLOCK`]); see
    /// [`BlockView::first_period`].
    ///
    /// ```
    /// assert_eq!(landlinked::dc::BLOCK, 16);
    /// ```
    pub fn width(&self) -> usize {
        self.width
    }

    /// Branches of the grid.
    ///
    /// ```
    /// # use landlinked::dc::{BlockView, Reducer};
    /// struct Count(usize);
    /// impl Reducer for Count {
    ///     fn fresh(&self) -> Self { Count(0) }
    ///     fn block(&mut self, b: &BlockView<'_>) { self.0 = b.branches() + b.buses() }
    ///     fn merge(&mut self, later: Self) { self.0 = later.0 }
    /// }
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m").unwrap();
    /// let pf = landlinked::dc::DcPowerFlow::new(&net)?;
    /// assert_eq!(pf.reduce_many(&nalgebra::DMatrix::zeros(1, 3), Count(0))?.0, 1);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn branches(&self) -> usize {
        match self.source {
            Source::Solved(s) => s.branch_rows.len(),
            Source::Superposed { response, .. } => response.branches(),
        }
    }

    /// Every branch position once, in the order that reads the block's
    /// angles nearly front to back: a reducer that treats branches one by
    /// one runs faster walking them in this order than in file order (the
    /// angle rows of a large grid do not fit in L2; in file order each
    /// branch's two rows are two cache misses).
    ///
    /// ```
    /// # use landlinked::dc::{BlockView, Reducer};
    /// struct Sorted(bool);
    /// impl Reducer for Sorted {
    ///     fn fresh(&self) -> Self { Sorted(true) }
    ///     fn block(&mut self, b: &BlockView<'_>) {
    ///         let mut seen: Vec<u32> = b.branch_order().to_vec();
    ///         seen.sort();
    ///         self.0 &= seen == (0..b.branches() as u32).collect::<Vec<_>>();
    ///     }
    ///     fn merge(&mut self, later: Self) { self.0 &= later.0 }
    /// }
    /// let net = landlinked::io::matpower::read("grids/case5_tap_shift.m")?;
    /// let pf = landlinked::dc::DcPowerFlow::new(&net)?;
    /// assert!(pf.reduce_many(&nalgebra::DMatrix::zeros(5, 20), Sorted(true))?.0);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn branch_order(&self) -> &[u32] {
        self.branch_order
    }

    /// Buses of the grid (see [`BlockView::branches`]).
    ///
    /// ```
    /// assert!(true); // see BlockView::branches
    /// ```
    pub fn buses(&self) -> usize {
        match self.source {
            Source::Solved(s) => s.rows.len(),
            Source::Superposed { response, .. } => response.buses(),
        }
    }

    /// Flows of branch position `branch` (file order), MW, from-end, one
    /// lane per period; equal bit for bit to `solve_many`'s `pf_mw`.
    /// Computed on each call from the block's angles (a few vector
    /// operations: cheaper than storing a block of flows, which would not
    /// stay in cache on a large grid).
    ///
    /// # Panics
    /// If `branch >= branches()`.
    ///
    /// ```
    /// assert!(true); // see BlockView
    /// ```
    #[inline(always)]
    pub fn flow_mw(&self, branch: usize) -> [f64; BLOCK] {
        match self.source {
            Source::Solved(s) => {
                let mut out = [0.0; BLOCK];
                let b = s.b_pu[branch];
                if b != 0.0 {
                    let (f, t) = s.branch_rows[branch];
                    let (tf, tt) = (lanes(s.theta, f as usize), lanes(s.theta, t as usize));
                    flow_lanes(&mut out, [b, s.shift_pu[branch], s.base_mva], tf, tt);
                }
                out
            }
            Source::Superposed { response, profiles } => {
                superpose(response.flow_coefficients_mw(branch), profiles)
            }
        }
    }

    /// Angles of bus position `bus`, degrees, one lane per period; equal
    /// bit for bit to `solve_many`'s `va_deg`.
    ///
    /// # Panics
    /// If `bus >= buses()`.
    ///
    /// ```
    /// assert!(true); // see AngleExtremes
    /// ```
    #[inline(always)]
    pub fn angle_deg(&self, bus: usize) -> [f64; BLOCK] {
        let mut out = [0.0; BLOCK];
        let rad = match self.source {
            Source::Solved(s) => *lanes(s.theta, s.rows[bus]),
            Source::Superposed { response, profiles } => {
                superpose(response.angle_coefficients_rad(bus), profiles)
            }
        };
        // The conversion of `solve_many`, bit for bit.
        scale_shift_lanes(&mut out, &rad, 180.0 / std::f64::consts::PI, 0.0);
        out
    }
}

/// Statistics accumulated over periods, block by block, without the
/// periods ever being stored: see the [`dc`](super) module's *Many
/// periods* for the contract. Implement it for your own statistic; the built-in ones are
/// [`BranchStats`](super::BranchStats),
/// [`AngleExtremes`](super::AngleExtremes) and
/// [`ContingencyYear`](crate::sensitivity::ContingencyYear); a pair
/// `(A, B)` of reducers is a reducer.
///
/// ```
/// use landlinked::dc::{AngleExtremes, BranchStats, DcPowerFlow};
/// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
/// let pf = DcPowerFlow::new(&net)?;
/// let inj = nalgebra::DMatrix::from_fn(2, 50, |bus, t| if bus == 1 { -(t as f64) } else { 0.0 });
/// let (flows, angles) = pf.reduce_many(&inj, (BranchStats::new(1), AngleExtremes::new(2)))?;
/// assert_eq!(flows.max_period()[0], 49);
/// assert_eq!(angles.min_period()[1], 49); // the farthest-pulled angle
/// # Ok::<(), landlinked::Error>(())
/// ```
pub trait Reducer: Send + Sync + Sized {
    /// An empty reducer of the same kind and settings, for another chunk
    /// of periods.
    fn fresh(&self) -> Self;

    /// Takes in one solved block (its lanes in period order).
    fn block(&mut self, block: &BlockView<'_>);

    /// Folds in the result of the periods that come right after this
    /// reducer's own (chunks are merged in period order).
    fn merge(&mut self, later: Self);

    /// Refuses a grid the reducer was not set up for (a branch count
    /// that differs from its ratings, say), before any solve. The default
    /// accepts every grid.
    ///
    /// ```
    /// use landlinked::dc::{BranchStats, Reducer};
    /// assert!(BranchStats::new(3).check(4, 2).is_err());
    /// ```
    fn check(&self, branches: usize, buses: usize) -> Result<()> {
        let _ = (branches, buses);
        Ok(())
    }
}

impl<A: Reducer, B: Reducer> Reducer for (A, B) {
    fn fresh(&self) -> Self {
        (self.0.fresh(), self.1.fresh())
    }

    fn block(&mut self, block: &BlockView<'_>) {
        self.0.block(block);
        self.1.block(block);
    }

    fn merge(&mut self, later: Self) {
        self.0.merge(later.0);
        self.1.merge(later.1);
    }

    fn check(&self, branches: usize, buses: usize) -> Result<()> {
        self.0.check(branches, buses)?;
        self.1.check(branches, buses)
    }
}

impl DcPowerFlow {
    /// Solves every period of `injections` and folds the angles and flows
    /// into `reducer`, block by block, without storing them: a year of a
    /// 10,000-bus grid in a few megabytes instead of two gigabytes. The
    /// reducer passed in is the starting state (usually empty); the result
    /// is the same bits for any thread count (see the [`dc`](super)
    /// module's *Many periods*). Slack injections are not reduced.
    ///
    /// Errors: injections whose bus count differs from the grid's, a
    /// reducer set up for another grid ([`Reducer::check`]), a non-finite
    /// injection (named by bus and period) or result.
    ///
    /// ```
    /// use landlinked::dc::{BranchStats, DcPowerFlow, ProfileInjections};
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// let pf = DcPowerFlow::new(&net)?;
    /// // bus 2 draws 100 MW times a daily shape, all year
    /// let shape: Vec<f64> = (0..8760).map(|h| 0.7 + 0.3 * ((h % 24) as f64 / 23.0)).collect();
    /// let mut inj = ProfileInjections::new(2, 8760);
    /// let p = inj.add_profile("load", &shape)?;
    /// inj.add_term(1, -100.0, p)?;
    /// let stats = pf.reduce_many(&inj, BranchStats::new(1))?;
    /// assert!((stats.max_mw()[0] - 100.0).abs() < 1e-9);
    /// assert_eq!(stats.max_period()[0], 23); // the first evening peak
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn reduce_many<'a, R: Reducer>(
        &self,
        injections: impl Into<Injections<'a>>,
        reducer: R,
    ) -> Result<R> {
        let injections = injections.into();
        let (n, m) = (self.model.bus_count(), self.model.branch_count());
        if injections.buses() != n {
            return Err(Error::DimensionMismatch {
                what: "injection rows (buses)".into(),
                found: injections.buses(),
                expected: n,
            });
        }
        if let Injections::Slice { values_mw, .. } = injections
            && !values_mw.len().is_multiple_of(n)
        {
            return Err(Error::DimensionMismatch {
                what: "injection values (a whole number of periods of every bus)".into(),
                found: values_mw.len(),
                expected: n * values_mw.len().div_ceil(n.max(1)),
            });
        }
        reducer.check(m, n)?;
        let flow_bound = self.flow_bound();
        reduce_chunks(
            injections.periods(),
            reducer,
            || self.new_work(),
            |work, block, r| self.fused_block(injections, block, flow_bound, work, r),
        )
    }

    /// `(2·max|b| , max|shift|)` over the branches: with every angle
    /// within `±a`, each flow is within `(2·max|b|·a + max|shift|)·base`.
    fn flow_bound(&self) -> (f64, f64) {
        let model = &self.model;
        let amax = |v: &[f64]| v.iter().fold(0.0f64, |a, x| a.max(x.abs()));
        (
            2.0 * amax(model.branch_susceptance_pu()),
            amax(model.pf_shift()),
        )
    }

    /// One block: load (from the matrix or the profiles), solve, check
    /// that every angle and flow is finite, then the reducer.
    fn fused_block<R: Reducer>(
        &self,
        injections: Injections,
        (first, width): (usize, usize),
        (b2, smax): (f64, f64),
        work: &mut Work,
        reducer: &mut R,
    ) -> Result<()> {
        let theta = &mut work.theta;
        match injections {
            Injections::Matrix(mat) => {
                self.load_columns(mat.as_slice(), mat.nrows(), (first, width), theta)?
            }
            Injections::Slice { values_mw, buses } => {
                self.load_columns(values_mw, buses, (first, width), theta)?
            }
            Injections::Profiles(p) => self.load_profiles(p, first, width, theta),
        }
        self.factor
            .solve_block_permuted(&mut theta[..self.reduced.len() * BLOCK]);
        let model = &self.model;
        let view = BlockView {
            first_period: first,
            width,
            branch_order: &self.layout().branch_order,
            source: Source::Solved(Solved {
                theta,
                rows: &self.layout().row_of_bus,
                branch_rows: &self.layout().branch_rows,
                b_pu: model.branch_susceptance_pu(),
                shift_pu: model.pf_shift(),
                base_mva: model.base_mva(),
            }),
        };
        // Finite angles bounded by `a` bound every flow; only if that bound
        // overflows are the flows computed here and checked one by one.
        // One pass over the angles: x − x is 0 for finite x, NaN otherwise;
        // and the largest |θ| per lane (lane-wise, so it vectorises).
        let (mut bad, mut amax) = ([0.0f64; BLOCK], [0.0f64; BLOCK]);
        for row in theta.as_chunks::<BLOCK>().0 {
            for c in 0..BLOCK {
                #[allow(clippy::eq_op)]
                let marker = row[c] - row[c];
                bad[c] += marker;
                let a = row[c].abs();
                amax[c] = if a > amax[c] { a } else { amax[c] };
            }
        }
        let mut ok = bad[..width].iter().all(|&x| x == 0.0);
        if ok {
            let a = amax.iter().fold(0.0f64, |m, &x| m.max(x));
            if !((b2 * a + smax) * model.base_mva()).is_finite() {
                ok = (0..view.branches())
                    .all(|k| view.flow_mw(k)[..width].iter().all(|f| f.is_finite()));
            }
        }
        if !ok {
            return Err(self.non_finite_error(work, width));
        }
        reducer.block(&view);
        Ok(())
    }

    /// Loads periods `first..first + width` of column-major injections
    /// (`n` buses a period) into the kernel's rows, naming a non-finite
    /// value by bus and period.
    fn load_columns(
        &self,
        data: &[f64],
        n: usize,
        (first, width): (usize, usize),
        theta: &mut [f64],
    ) -> Result<()> {
        let input = ColumnsIn {
            data,
            ld: n,
            offset: first,
        };
        if !self.load_block(input, width, theta) {
            self.check_injections(&data[first * n..(first + width) * n], Some(first))?;
        }
        Ok(())
    }

    /// Expands profile injections for periods `first..first + width` into
    /// the kernel's rows: `Σ base × profile[t]` per bus (from 0, terms in
    /// order, as [`ProfileInjections::to_matrix`] does), then
    /// `p · (1/base) − offset` like the matrix path. Lanes past `width`
    /// get zero injections.
    fn load_profiles(&self, p: &ProfileInjections, first: usize, width: usize, theta: &mut [f64]) {
        let inv_base = self.model.inv_base();
        let layout = self.layout();
        let zero = [0.0; BLOCK];
        for (row, &off) in layout.load_row.iter().zip(&layout.load_offset) {
            scale_shift_lanes(lanes_mut(theta, *row), &zero, inv_base, off);
        }
        let runs = p.runs();
        for (r, &bus) in runs.bus.iter().enumerate() {
            let mut acc = [0.0f64; BLOCK];
            for i in runs.start[r]..runs.start[r + 1] {
                let base = runs.base_mw[i];
                let values = &p.profile(runs.profile[i])[first..first + width];
                for (a, &v) in acc.iter_mut().zip(values) {
                    *a += base * v;
                }
            }
            let row = lanes_mut(theta, layout.load_row[bus]);
            scale_shift_lanes(row, &acc, inv_base, layout.load_offset[bus]);
        }
    }
}

/// `c[0] + Σ c[z] · profiles[z − 1]` lane by lane, terms in order (as
/// [`ProfileResponse::flow_mw`] does for one period, bit for bit).
#[inline(always)]
pub(super) fn superpose(c: &[f64], profiles: &[[f64; BLOCK]]) -> [f64; BLOCK] {
    super::lanes::superpose_lanes(c, profiles)
}

/// The chunk driver of every reduction: periods cut into chunks of
/// [`CHUNK_PERIODS`], each reduced by a fresh reducer through `block`
/// (one call per block of at most [`BLOCK`] periods, in period order),
/// chunks run in parallel in waves of two per thread and merged in chunk
/// order (see the `dc` module's *Many periods*). `scratch` makes one per thread,
/// reused for the whole run.
pub(super) fn reduce_chunks<R: Reducer, S: Send>(
    periods: usize,
    reducer: R,
    scratch: impl Fn() -> S + Sync,
    block: impl Fn(&mut S, (usize, usize), &mut R) -> Result<()> + Sync,
) -> Result<R> {
    let chunks = periods.div_ceil(CHUNK_PERIODS);
    let threads = rayon::current_num_threads().max(1);
    let wave = 2 * threads;
    // One scratch per worker thread for the whole run: a fresh one per
    // wave would be fresh pages (a megabyte per 10,000 buses) for the
    // kernel to fault in and clear.
    let works: Vec<Mutex<S>> = (0..threads).map(|_| Mutex::new(scratch())).collect();
    let mut acc = reducer;
    let proto = acc.fresh();
    for w0 in (0..chunks).step_by(wave) {
        let parts: Vec<R> = (w0..chunks.min(w0 + wave))
            .into_par_iter()
            .map(|c| {
                let slot = rayon::current_thread_index().unwrap_or(0) % threads;
                // Each thread takes its own slot, so it is free unless this
                // thread is already inside it (a reducer that runs rayon
                // work can make it pick up another chunk here): then a
                // fresh scratch, never a wait.
                let mut own;
                let mut fresh;
                let work: &mut S = match works[slot].try_lock() {
                    Ok(guard) => {
                        own = guard;
                        &mut own
                    }
                    Err(_) => {
                        fresh = scratch();
                        &mut fresh
                    }
                };
                let mut r = proto.fresh();
                let end = periods.min((c + 1) * CHUNK_PERIODS);
                for first in (c * CHUNK_PERIODS..end).step_by(BLOCK) {
                    block(work, (first, BLOCK.min(end - first)), &mut r)?;
                }
                Ok(r)
            })
            .collect::<Result<Vec<R>>>()?;
        for r in parts {
            acc.merge(r);
        }
    }
    Ok(acc)
}
