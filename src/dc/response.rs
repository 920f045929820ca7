//! A year of flows by superposition: [`DcPowerFlow::profile_response`]
//! and [`ProfileResponse`] (see the [`dc`](super) module's *Many periods*).
//!
//! ```
//! use landlinked::dc::{BranchStats, DcPowerFlow, ProfileInjections};
//! # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
//! let pf = DcPowerFlow::new(&net)?;
//! // bus 2 draws 100 MW times a daily shape, all year
//! let shape: Vec<f64> = (0..8760).map(|h| 0.7 + 0.3 * ((h % 24) as f64 / 23.0)).collect();
//! let mut inj = ProfileInjections::new(2, 8760);
//! let load = inj.add_profile("load", &shape)?;
//! inj.add_term(1, -100.0, load)?;
//! let response = pf.profile_response(&inj)?;
//! assert!((response.flow_coefficients_mw(0)[1] - 100.0).abs() < 1e-12); // MW per unit of `load`
//! let stats = response.reduce(BranchStats::new(1))?;
//! assert!((stats.max_mw()[0] - 100.0).abs() < 1e-9);
//! assert_eq!(stats.max_period()[0], 23); // the first evening peak
//! # Ok::<(), landlinked::Error>(())
//! ```
//!
//! [`Reducer`]: super::Reducer

use super::DcPowerFlow;
use super::lanes::{lanes, lanes_mut};
use super::many::BLOCK;
use super::profiles::ProfileInjections;
use super::reduce::{BlockView, Reducer, reduce_chunks};
use crate::error::{Error, Result};

/// Flows and angles of a grid as an affine function of a few profiles:
/// built by [`DcPowerFlow::profile_response`], reduced over the periods
/// by [`ProfileResponse::reduce`]. See the [`dc`](super) module's *Many
/// periods*.
///
/// ```
/// use landlinked::dc::{DcPowerFlow, ProfileInjections};
/// let net = landlinked::io::matpower::read("grids/case5_tap_shift.m")?;
/// let pf = DcPowerFlow::new(&net)?;
/// let mut inj = ProfileInjections::new(5, 3);
/// let p = inj.add_profile("load", &[0.5, 1.0, 1.5])?;
/// inj.add_term(2, -100.0, p)?;
/// let r = pf.profile_response(&inj)?;
/// assert_eq!((r.profiles(), r.periods(), r.branches(), r.buses()), (1, 3, 8, 5));
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ProfileResponse {
    buses: usize,
    branches: usize,
    periods: usize,
    names: Vec<String>,
    /// Profile `z`'s values at `z * periods ..`.
    values: Vec<f64>,
    /// Branch `k`'s coefficients at `k * (profiles + 1) ..`: the flow of
    /// zero injections, then MW per unit of each profile.
    flow_mw: Vec<f64>,
    /// Bus `b`'s coefficients at `b * (profiles + 1) ..`, radians.
    angle_rad: Vec<f64>,
    /// Branch positions in file order (the order that reads the
    /// coefficients front to back).
    order: Vec<u32>,
}

impl DcPowerFlow {
    /// Solves the grid's response to each profile of `injections` (and to
    /// zero injections) once, for [`ProfileResponse::reduce`]: see the
    /// [`dc`](super) module's *Many periods*. Costs one block solve per 16
    /// profiles.
    ///
    /// Errors: injections for another bus count, a response that is not
    /// finite or could overflow (named by profile and branch).
    ///
    /// ```
    /// use landlinked::dc::{DcPowerFlow, ProfileInjections};
    /// let net = landlinked::io::matpower::read("grids/case5_tap_shift.m")?;
    /// let pf = DcPowerFlow::new(&net)?;
    /// let mut inj = ProfileInjections::new(5, 2);
    /// let p = inj.add_profile("load", &[1.0, 2.0])?;
    /// inj.add_term(3, -40.0, p)?;
    /// let r = pf.profile_response(&inj)?;
    /// // the same flows as solving each period
    /// let solved = pf.solve_many(&inj.to_matrix())?;
    /// for k in 0..8 {
    ///     assert!((r.flow_mw(k, 1) - solved.pf_mw[(k, 1)]).abs() < 1e-9);
    /// }
    /// assert!(pf.profile_response(&ProfileInjections::new(4, 2)).is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn profile_response(&self, injections: &ProfileInjections) -> Result<ProfileResponse> {
        let model = &self.model;
        let (n, m) = (model.bus_count(), model.branch_count());
        if injections.buses() != n {
            return Err(Error::DimensionMismatch {
                what: "profile injections' buses".into(),
                found: injections.buses(),
                expected: n,
            });
        }
        let names = injections.profile_names().to_vec();
        let cols = names.len() + 1;
        let layout = self.layout();
        let (inv_base, base) = (model.inv_base(), model.base_mva());
        let (b_pu, shift_pu) = (model.branch_susceptance_pu(), model.pf_shift());
        let runs = injections.runs();
        let mut flow_mw = vec![0.0; m * cols];
        let mut angle_rad = vec![0.0; n * cols];
        // Column 0 is the power flow of zero injections (load offsets, the
        // reference buses at their file angles); column z + 1 the linear
        // response to profile z's bases (no offsets, fixed buses at 0).
        let mut theta = vec![0.0; (n + 1) * BLOCK];
        for c0 in (0..cols).step_by(BLOCK) {
            let width = BLOCK.min(cols - c0);
            theta.fill(0.0);
            if c0 == 0 {
                for (bus, &va) in model.file_angles_rad().iter().enumerate() {
                    if layout.load_row[bus] == n {
                        lanes_mut(&mut theta, layout.row_of_bus[bus])[0] = va;
                    } else {
                        lanes_mut(&mut theta, layout.load_row[bus])[0] = -layout.load_offset[bus];
                    }
                }
            }
            for (r, &bus) in runs.bus.iter().enumerate() {
                let row = layout.load_row[bus];
                for i in runs.start[r]..runs.start[r + 1] {
                    let col = runs.profile[i] + 1;
                    if row != n && (c0..c0 + width).contains(&col) {
                        lanes_mut(&mut theta, row)[col - c0] += runs.base_mw[i] * inv_base;
                    }
                }
            }
            self.factor
                .solve_block_permuted(&mut theta[..self.reduced.len() * BLOCK]);
            for bus in 0..n {
                let l = lanes(&theta, layout.row_of_bus[bus]);
                angle_rad[bus * cols + c0..bus * cols + c0 + width].copy_from_slice(&l[..width]);
            }
            for k in 0..m {
                let b = b_pu[k];
                if b == 0.0 {
                    continue;
                }
                let (f, t) = layout.branch_rows[k];
                let (tf, tt) = (lanes(&theta, f as usize), lanes(&theta, t as usize));
                for j in 0..width {
                    let shift = if c0 + j == 0 { shift_pu[k] } else { 0.0 };
                    flow_mw[k * cols + c0 + j] = (b * (tf[j] - tt[j]) + shift) * base;
                }
            }
        }
        let values: Vec<f64> = (0..names.len())
            .flat_map(|z| injections.profile(z).iter().copied())
            .collect();
        let response = ProfileResponse {
            buses: n,
            branches: m,
            periods: injections.periods(),
            names,
            values,
            flow_mw,
            angle_rad,
            order: (0..m as u32).collect(),
        };
        response.check_bounded(model)?;
        Ok(response)
    }
    /// [`DcPowerFlow::profile_response`] then [`ProfileResponse::reduce`]:
    /// the year of `injections` folded into `reducer` by superposition,
    /// in one call (the response is dropped after).
    ///
    /// ```
    /// use landlinked::dc::{BranchStats, DcPowerFlow, ProfileInjections};
    /// let pf = DcPowerFlow::new(&landlinked::io::matpower::read("grids/case5_tap_shift.m")?)?;
    /// let mut inj = ProfileInjections::new(5, 8760);
    /// let shape: Vec<f64> = (0..8760).map(|h| 0.6 + 0.4 * ((h % 24) as f64 / 23.0)).collect();
    /// let p = inj.add_profile("load", &shape)?;
    /// inj.add_term(3, -40.0, p)?;
    /// let fast = pf.reduce_superposed(&inj, BranchStats::new(8))?;
    /// let solved = pf.reduce_many(&inj, BranchStats::new(8))?;
    /// assert!((fast.max_mw()[2] - solved.max_mw()[2]).abs() < 1e-9);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn reduce_superposed<R: Reducer>(
        &self,
        injections: &ProfileInjections,
        reducer: R,
    ) -> Result<R> {
        self.profile_response(injections)?.reduce(reducer)
    }
}

impl ProfileResponse {
    /// Refuses coefficients that are not finite, or whose largest possible
    /// flow or angle over the profiles' values is not: then no period's
    /// value can be (the reduction checks nothing per period).
    fn check_bounded(&self, model: &super::DcModel) -> Result<()> {
        let peak: Vec<f64> = (0..self.profiles())
            .map(|z| self.profile(z).iter().fold(0.0f64, |a, v| a.max(v.abs())))
            .collect();
        let bound = |c: &[f64]| {
            c[1..]
                .iter()
                .zip(&peak)
                .fold(c[0].abs(), |a, (x, p)| a + x.abs() * p)
        };
        let name = |c: &[f64]| {
            let z = c.iter().position(|x| !x.is_finite()).unwrap_or(0);
            match z {
                0 => "zero injections".to_string(),
                z => format!("profile `{}`", self.names[z - 1]),
            }
        };
        for k in 0..self.branches {
            let c = self.flow_coefficients_mw(k);
            if !(2.0 * bound(c)).is_finite() {
                return Err(Error::NonFinite {
                    element: format!("branch position {k}, response to {}", name(c)),
                    field: "flow_mw".into(),
                    value: c
                        .iter()
                        .copied()
                        .find(|x| !x.is_finite())
                        .unwrap_or(f64::INFINITY),
                });
            }
        }
        for b in 0..self.buses {
            let c = self.angle_coefficients_rad(b);
            if !(2.0 * bound(c) * 180.0 / std::f64::consts::PI).is_finite() {
                // An angle that is not finite is an island the factor
                // could not solve: name it as the single solve does.
                return Err(super::singular_island(model, b));
            }
        }
        Ok(())
    }

    /// Profiles (right-hand sides past the constant one).
    ///
    /// ```
    /// assert!(true); // see ProfileResponse
    /// ```
    pub fn profiles(&self) -> usize {
        self.names.len()
    }

    /// Names of the profiles, in the order added to the injections.
    ///
    /// ```
    /// use landlinked::dc::{DcPowerFlow, ProfileInjections};
    /// let pf = DcPowerFlow::new(&landlinked::io::matpower::read("grids/case5_tap_shift.m")?)?;
    /// let mut inj = ProfileInjections::new(5, 1);
    /// inj.add_profile("north", &[1.0])?;
    /// assert_eq!(pf.profile_response(&inj)?.profile_names(), ["north"]);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn profile_names(&self) -> &[String] {
        &self.names
    }

    /// Periods of the profiles.
    ///
    /// ```
    /// assert!(true); // see ProfileResponse
    /// ```
    pub fn periods(&self) -> usize {
        self.periods
    }

    /// Buses of the grid.
    ///
    /// ```
    /// assert!(true); // see ProfileResponse
    /// ```
    pub fn buses(&self) -> usize {
        self.buses
    }

    /// Branches of the grid.
    ///
    /// ```
    /// assert!(true); // see ProfileResponse
    /// ```
    pub fn branches(&self) -> usize {
        self.branches
    }

    /// Branch position `k`'s flow coefficients, MW: the flow with zero
    /// injections, then the flow per unit of each profile (from-end).
    ///
    /// # Panics
    /// If `k >= branches()`.
    ///
    /// ```
    /// assert!(true); // see the module docs
    /// ```
    pub fn flow_coefficients_mw(&self, k: usize) -> &[f64] {
        let cols = self.names.len() + 1;
        &self.flow_mw[k * cols..(k + 1) * cols]
    }

    /// Bus position `b`'s angle coefficients, radians: the angle with zero
    /// injections, then per unit of each profile.
    ///
    /// # Panics
    /// If `b >= buses()`.
    ///
    /// ```
    /// use landlinked::dc::{DcPowerFlow, ProfileInjections};
    /// let pf = DcPowerFlow::new(&landlinked::io::matpower::read("grids/case5_tap_shift.m")?)?;
    /// let mut inj = ProfileInjections::new(5, 1);
    /// inj.add_profile("north", &[1.0])?;
    /// let r = pf.profile_response(&inj)?;
    /// assert_eq!(r.angle_coefficients_rad(0).len(), 2);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn angle_coefficients_rad(&self, b: usize) -> &[f64] {
        let cols = self.names.len() + 1;
        &self.angle_rad[b * cols..(b + 1) * cols]
    }

    /// Branch position `k`'s flow in period `t`, MW, with exactly the
    /// arithmetic of [`ProfileResponse::reduce`] (the same bits).
    ///
    /// # Panics
    /// If `k >= branches()` or `t >= periods()`.
    ///
    /// ```
    /// assert!(true); // see DcPowerFlow::profile_response
    /// ```
    pub fn flow_mw(&self, k: usize, t: usize) -> f64 {
        self.at(self.flow_coefficients_mw(k), t)
    }

    /// Bus position `b`'s angle in period `t`, degrees, with exactly the
    /// arithmetic of [`ProfileResponse::reduce`].
    ///
    /// # Panics
    /// If `b >= buses()` or `t >= periods()`.
    ///
    /// ```
    /// use landlinked::dc::{DcPowerFlow, ProfileInjections};
    /// let pf = DcPowerFlow::new(&landlinked::io::matpower::read("grids/case5_tap_shift.m")?)?;
    /// let mut inj = ProfileInjections::new(5, 2);
    /// let p = inj.add_profile("load", &[1.0, 2.0])?;
    /// inj.add_term(3, -40.0, p)?;
    /// let solved = pf.solve_many(&inj.to_matrix())?;
    /// let r = pf.profile_response(&inj)?;
    /// assert!((r.angle_deg(3, 1) - solved.va_deg[(3, 1)]).abs() < 1e-9);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn angle_deg(&self, b: usize, t: usize) -> f64 {
        self.at(self.angle_coefficients_rad(b), t) * (180.0 / std::f64::consts::PI)
    }

    /// `c[0] + Σ c[z + 1] · profile_z[t]`, terms in order.
    fn at(&self, c: &[f64], t: usize) -> f64 {
        assert!(t < self.periods, "period {t} of {}", self.periods);
        c[1..].iter().enumerate().fold(c[0], |acc, (z, &cz)| {
            acc - (-cz) * self.values[z * self.periods + t]
        })
    }

    /// Folds every period's flows and angles into `reducer`, block by
    /// block, as [`DcPowerFlow::reduce_many`] does (same chunks, same
    /// determinism across thread counts), with each value a superposition
    /// of the coefficients instead of a solve.
    ///
    /// Errors: a reducer set up for another grid ([`Reducer::check`]).
    ///
    /// ```
    /// use landlinked::dc::{AngleExtremes, BranchStats, DcPowerFlow, ProfileInjections};
    /// let pf = DcPowerFlow::new(&landlinked::io::matpower::read("grids/case5_tap_shift.m")?)?;
    /// let mut inj = ProfileInjections::new(5, 48);
    /// let shape: Vec<f64> = (0..48).map(|h| 1.0 + 0.2 * ((h % 24) as f64 / 24.0)).collect();
    /// let p = inj.add_profile("load", &shape)?;
    /// inj.add_term(3, -40.0, p)?;
    /// let r = pf.profile_response(&inj)?;
    /// let (flows, angles) = r.reduce((BranchStats::new(8), AngleExtremes::new(5)))?;
    /// assert_eq!(flows.periods(), 48);
    /// assert_eq!(flows.max_mw()[2], (0..48).map(|t| r.flow_mw(2, t)).fold(f64::MIN, f64::max));
    /// assert_eq!(angles.min_period()[3], 23);
    /// assert!(r.reduce(BranchStats::new(7)).is_err()); // set up for 7 branches, not 8
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    ///
    /// [`DcPowerFlow::reduce_many`]: super::DcPowerFlow::reduce_many
    pub fn reduce<R: Reducer>(&self, reducer: R) -> Result<R> {
        reducer.check(self.branches, self.buses)?;
        let z = self.profiles();
        reduce_chunks(
            self.periods,
            reducer,
            || vec![[0.0; BLOCK]; z],
            |lanes, (first, width), r| {
                for (zi, l) in lanes.iter_mut().enumerate() {
                    let values = &self.profile(zi)[first..first + width];
                    l[..width].copy_from_slice(values);
                    l[width..].fill(0.0);
                }
                r.block(&BlockView::superposed((first, width), self, lanes));
                Ok(())
            },
        )
    }

    /// Branch positions in file order (the view's `branch_order`).
    pub(super) fn branch_order(&self) -> &[u32] {
        &self.order
    }

    /// Profile `z`'s values.
    fn profile(&self, z: usize) -> &[f64] {
        &self.values[z * self.periods..(z + 1) * self.periods]
    }
}
