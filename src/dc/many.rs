//! Many snapshots through one factorisation: the block kernel.
//!
//! **Layout.** Every period matrix is periods × elements (nalgebra,
//! column-major): one column per bus or branch, holding its time series
//! contiguously, as a pandas frame indexed by time. Periods are solved in
//! blocks of [`BLOCK`] right-hand sides; a block is a row-major
//! `n × BLOCK` array whose lanes are consecutive periods, so reading a
//! bus's injections, writing its angles and a branch's flows are all
//! contiguous copies of `BLOCK` values, and each walk over L updates a
//! whole row of lanes at once: a contiguous, vectorisable inner loop.
//! Angles and flows are written straight into the caller's output.
//!
//! Rayon runs blocks in parallel; every period goes through the same
//! arithmetic in the same order whatever block or thread it lands in, so
//! results are bit-identical for any thread count.

use nalgebra::DMatrix;
use rayon::prelude::*;

use super::DcPowerFlow;
use super::factor::LdlFactor;
use crate::error::{Error, Result};

/// Right-hand sides solved together (lanes of the block kernel).
pub const BLOCK: usize = 16;

/// Angles, flows and slack over many periods: one row per period, one
/// column per element.
///
/// ```
/// use nalgebra::DMatrix;
/// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
/// let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
/// // two periods (rows) × two buses (columns): 10 MW then 20 MW drawn at bus 2
/// let inj = DMatrix::from_row_slice(2, 2, &[0.0, -10.0, 0.0, -20.0]);
/// let series = pf.solve_many(&inj).unwrap();
/// assert!((series.pf_mw[(1, 0)] - 20.0).abs() < 1e-12); // period 2, branch 1
/// assert!((series.slack_mw[(0, 0)] - 10.0).abs() < 1e-12);
/// ```
#[derive(Clone, Debug)]
pub struct DcSeries {
    /// Bus angles, degrees: periods × buses.
    pub va_deg: DMatrix<f64>,
    /// Branch flows, MW: periods × branches.
    pub pf_mw: DMatrix<f64>,
    /// Slack injection at each reference bus, MW: periods × references.
    pub slack_mw: DMatrix<f64>,
}

/// One solved block of periods, handed to a streaming consumer. Slices are
/// element-major: the `width` periods of element `e` are
/// `[e * width .. (e + 1) * width]`, period `first_period + c` at `c`.
///
/// ```
/// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
/// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
/// use std::sync::atomic::{AtomicU64, Ordering};
/// let worst = AtomicU64::new(0);
/// pf.solve_stream(
///     100,
///     |first, width, inj| {
///         for c in 0..width {
///             inj[width + c] = -((first + c) as f64); // bus 2 draws t MW in period t
///         }
///     },
///     |block| {
///         let m = block.pf_mw.iter().fold(0.0f64, |a, f| a.max(f.abs()));
///         worst.fetch_max(m.to_bits(), Ordering::Relaxed);
///     },
/// )
/// .unwrap();
/// assert_eq!(f64::from_bits(worst.into_inner()), 99.0);
/// ```
#[derive(Debug)]
pub struct SolvedBlock<'a> {
    /// First period in the block.
    pub first_period: usize,
    /// Periods in the block (at most [`BLOCK`]).
    pub width: usize,
    /// Angles, degrees: buses × width, element-major.
    pub va_deg: &'a [f64],
    /// Flows, MW: branches × width, element-major.
    pub pf_mw: &'a [f64],
    /// Slack per reference, MW: references × width, element-major.
    pub slack_mw: &'a [f64],
}

/// Per-thread scratch, allocated once per rayon split, never per period.
struct Work {
    /// Reduced unknowns, permuted order, `n_red × BLOCK` row-major.
    y: Vec<f64>,
    /// All bus angles, `n_bus × BLOCK` row-major. Rows of references and
    /// isolated buses hold their file angles from the start and are never
    /// written again.
    theta: Vec<f64>,
}

/// Input lanes: element `e`'s periods of this block are
/// `data[e * stride + offset ..][..width]`.
#[derive(Clone, Copy)]
struct LanesIn<'a> {
    data: &'a [f64],
    stride: usize,
    offset: usize,
}

impl LanesIn<'_> {
    fn get(&self, e: usize, width: usize) -> &[f64] {
        let start = e * self.stride + self.offset;
        &self.data[start..start + width]
    }
}

/// Output lanes laid out like [`LanesIn`], written through a raw pointer so
/// that parallel blocks can fill disjoint rows (periods) of one
/// column-major matrix.
#[derive(Clone, Copy)]
struct LanesOut {
    ptr: *mut f64,
    len: usize,
    stride: usize,
    offset: usize,
}

// SAFETY: a `LanesOut` is shared between rayon tasks that each write only
// the periods `offset..offset + width` of their own block; blocks never
// overlap, and nothing reads the matrix until every task has finished.
unsafe impl Send for LanesOut {}
unsafe impl Sync for LanesOut {}

impl LanesOut {
    fn new(data: &mut [f64], stride: usize, offset: usize) -> LanesOut {
        LanesOut {
            ptr: data.as_mut_ptr(),
            len: data.len(),
            stride,
            offset,
        }
    }

    /// Same matrix, another block's periods.
    fn at(self, offset: usize) -> LanesOut {
        LanesOut { offset, ..self }
    }

    fn put(&self, e: usize, lanes: &[f64]) {
        let start = e * self.stride + self.offset;
        assert!(start + lanes.len() <= self.len, "lane write out of bounds");
        // SAFETY: in bounds (checked above); disjoint from every other
        // task's writes (see the `Send`/`Sync` note).
        unsafe { std::ptr::copy_nonoverlapping(lanes.as_ptr(), self.ptr.add(start), lanes.len()) }
    }
}

/// Where one block's results go.
struct BlockOut {
    va: LanesOut,
    pf: LanesOut,
    slack: LanesOut,
}

impl DcPowerFlow {
    fn new_work(&self) -> Work {
        let mut theta = vec![0.0; self.model.bus_count() * BLOCK];
        for (bus, &va) in self.model.file_angles_rad().iter().enumerate() {
            theta[bus * BLOCK..(bus + 1) * BLOCK].fill(va);
        }
        Work {
            y: vec![0.0; self.reduced.len() * BLOCK],
            theta,
        }
    }

    /// Solves every period of a periods × buses injection matrix (MW,
    /// positive into the bus) with the stored factorisation, in parallel
    /// over blocks of periods.
    ///
    /// ```
    /// # use nalgebra::DMatrix;
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// let inj = DMatrix::from_fn(24, 2, |t, bus| if bus == 1 { -(t as f64) } else { 0.0 });
    /// let s = pf.solve_many(&inj).unwrap();
    /// assert_eq!(s.pf_mw.nrows(), 24);
    /// assert!((s.pf_mw[(23, 0)] - 23.0).abs() < 1e-12);
    /// ```
    pub fn solve_many(&self, injections_mw: &DMatrix<f64>) -> Result<DcSeries> {
        let periods = injections_mw.nrows();
        let mut out = DcSeries {
            va_deg: DMatrix::zeros(periods, self.model.bus_count()),
            pf_mw: DMatrix::zeros(periods, self.model.branch_count()),
            slack_mw: DMatrix::zeros(periods, self.refs.len()),
        };
        self.solve_many_into(injections_mw, &mut out)?;
        Ok(out)
    }

    /// Like [`DcPowerFlow::solve_many`], into preallocated output (its
    /// matrices must already have the right shapes).
    ///
    /// ```
    /// # use nalgebra::DMatrix;
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// let inj = DMatrix::from_element(3, 2, -1.0);
    /// let mut out = pf.solve_many(&inj).unwrap();
    /// pf.solve_many_into(&(inj * 2.0), &mut out).unwrap();
    /// assert!((out.slack_mw[(2, 0)] - 4.0).abs() < 1e-12); // 2 MW drawn at each bus
    /// ```
    pub fn solve_many_into(&self, injections_mw: &DMatrix<f64>, out: &mut DcSeries) -> Result<()> {
        let (n, m, r) = (
            self.model.bus_count(),
            self.model.branch_count(),
            self.refs.len(),
        );
        let periods = injections_mw.nrows();
        check_shape("injection matrix columns (buses)", injections_mw.ncols(), n)?;
        for (what, matrix, cols) in [
            ("angle matrix", &out.va_deg, n),
            ("flow matrix", &out.pf_mw, m),
            ("slack matrix", &out.slack_mw, r),
        ] {
            check_shape(&format!("{what} rows (periods)"), matrix.nrows(), periods)?;
            check_shape(&format!("{what} columns"), matrix.ncols(), cols)?;
        }
        let input = LanesIn {
            data: injections_mw.as_slice(),
            stride: periods,
            offset: 0,
        };
        let va = LanesOut::new(out.va_deg.as_mut_slice(), periods, 0);
        let pf = LanesOut::new(out.pf_mw.as_mut_slice(), periods, 0);
        let slack = LanesOut::new(out.slack_mw.as_mut_slice(), periods, 0);
        (0..periods.div_ceil(BLOCK))
            .into_par_iter()
            .try_for_each_init(
                || self.new_work(),
                |work, b| {
                    let first = b * BLOCK;
                    let width = BLOCK.min(periods - first);
                    let out = BlockOut {
                        va: va.at(first),
                        pf: pf.at(first),
                        slack: slack.at(first),
                    };
                    let inj = LanesIn {
                        offset: first,
                        ..input
                    };
                    if self.solve_block(inj, width, &out, work) {
                        Ok(())
                    } else {
                        Err(self.non_finite_error(work))
                    }
                },
            )
    }

    /// Streams periods through the solver in both directions: `fill(first,
    /// width, inj)` writes the injections of periods `first..first + width`
    /// (MW, buses × width, element-major as in [`SolvedBlock`], zeroed
    /// beforehand) and `consume` receives each solved block. Memory stays
    /// at a few blocks per thread whatever the number of periods. Blocks
    /// arrive in no fixed order.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// let total = std::sync::Mutex::new(0.0);
    /// pf.solve_stream(8760, |_, w, inj| inj[w..2 * w].fill(-1.0), |b| {
    ///     *total.lock().unwrap() += b.pf_mw.iter().sum::<f64>();
    /// }).unwrap();
    /// assert!((total.into_inner().unwrap() - 8760.0).abs() < 1e-6); // MW·h over a year
    /// ```
    pub fn solve_stream<F, C>(&self, periods: usize, fill: F, consume: C) -> Result<()>
    where
        F: Fn(usize, usize, &mut [f64]) + Sync,
        C: Fn(&SolvedBlock) + Sync,
    {
        let (n, m, r) = (
            self.model.bus_count(),
            self.model.branch_count(),
            self.refs.len(),
        );
        (0..periods.div_ceil(BLOCK))
            .into_par_iter()
            .try_for_each_init(
                || {
                    let bufs = [n, n, m, r].map(|len| vec![0.0; len * BLOCK]);
                    (self.new_work(), bufs)
                },
                |(work, [inj, va, pf, slack]), b| {
                    let first = b * BLOCK;
                    let width = BLOCK.min(periods - first);
                    inj.fill(0.0);
                    fill(first, width, &mut inj[..n * width]);
                    let out = BlockOut {
                        va: LanesOut::new(va, width, 0),
                        pf: LanesOut::new(pf, width, 0),
                        slack: LanesOut::new(slack, width, 0),
                    };
                    let input = LanesIn {
                        data: inj,
                        stride: width,
                        offset: 0,
                    };
                    if !self.solve_block(input, width, &out, work) {
                        return Err(self.non_finite_error(work));
                    }
                    consume(&SolvedBlock {
                        first_period: first,
                        width,
                        va_deg: &va[..n * width],
                        pf_mw: &pf[..m * width],
                        slack_mw: &slack[..r * width],
                    });
                    Ok(())
                },
            )
    }

    /// Solves `width ≤ BLOCK` right-hand sides of the reduced system stored
    /// row-major (`reduced_len() × width`) in place: the kernel behind
    /// sensitivities computed in blocks.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// let mut rhs = vec![1.0, 4.0]; // one reduced unknown, two right-hand sides
    /// pf.solve_reduced_block(&mut rhs, 2);
    /// assert_eq!(rhs, vec![0.5, 2.0]);
    /// ```
    pub fn solve_reduced_block(&self, block: &mut [f64], width: usize) {
        let nr = self.reduced.len();
        assert!(width <= BLOCK, "width {width} exceeds BLOCK");
        assert_eq!(block.len(), nr * width, "block length");
        let (perm, ..) = self.factor.parts();
        // One scratch block per thread, reused across calls.
        thread_local! {
            static SCRATCH: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        SCRATCH.with(|cell| {
            let mut y = cell.borrow_mut();
            y.clear();
            y.resize(nr * BLOCK, 0.0);
            for (i, &p) in perm.iter().enumerate() {
                y[i * BLOCK..i * BLOCK + width].copy_from_slice(&block[p * width..(p + 1) * width]);
            }
            solve_block_permuted(&self.factor, &mut y);
            for (i, &p) in perm.iter().enumerate() {
                block[p * width..(p + 1) * width].copy_from_slice(&y[i * BLOCK..i * BLOCK + width]);
            }
        });
    }

    /// The whole pipeline for one block: injections → permuted p.u.
    /// right-hand sides → triangular solves → angles, flows, slack.
    /// Unused lanes (past `width`) are zero and their results dropped.
    /// Returns false if any angle or flow is not finite.
    fn solve_block(&self, inj: LanesIn, width: usize, out: &BlockOut, work: &mut Work) -> bool {
        let inv_base = self.model.inv_base();
        let Work { y, theta } = work;
        // Right-hand sides p·(1/base) − offset, one contiguous lane copy
        // per reduced bus, in the factor's order.
        for (ip, (&bus, &off)) in self.perm_bus.iter().zip(&self.perm_offset).enumerate() {
            let row = &mut y[ip * BLOCK..(ip + 1) * BLOCK];
            for (v, &p) in row.iter_mut().zip(inj.get(bus, width)) {
                *v = p * inv_base - off;
            }
            row[width..].fill(0.0);
        }
        solve_block_permuted(&self.factor, y);
        for (ip, &bus) in self.perm_bus.iter().enumerate() {
            theta[bus * BLOCK..(bus + 1) * BLOCK].copy_from_slice(&y[ip * BLOCK..(ip + 1) * BLOCK]);
        }
        let mut bad = [0.0f64; BLOCK];
        let mut lane = [0.0f64; BLOCK];
        for (bus, row) in theta.chunks_exact(BLOCK).enumerate() {
            for c in 0..BLOCK {
                bad[c] += not_finite_marker(row[c]);
                lane[c] = row[c].to_degrees();
            }
            out.va.put(bus, &lane[..width]);
        }
        let flows_finite = self.block_flows(theta, width, &out.pf);
        self.block_slack(theta, inj, width, &out.slack);
        bad.iter().all(|&x| x == 0.0) && flows_finite
    }

    /// `Pf = (b (θf − θt) + Pfinj) · baseMVA` lane by lane; false if any
    /// flow is not finite.
    fn block_flows(&self, theta: &[f64], width: usize, pf: &LanesOut) -> bool {
        let model = &self.model;
        let base = model.base_mva();
        let (b_br, shift) = (model.branch_susceptance_pu(), model.pf_shift());
        let mut lane = [0.0f64; BLOCK];
        let mut bad = [0.0f64; BLOCK];
        for (k, &(f, t)) in model.branch_ends().iter().enumerate() {
            let b = b_br[k];
            if b == 0.0 {
                lane = [0.0; BLOCK];
            } else {
                let tf: &[f64; BLOCK] = theta[f * BLOCK..(f + 1) * BLOCK].try_into().expect("row");
                let tt: &[f64; BLOCK] = theta[t * BLOCK..(t + 1) * BLOCK].try_into().expect("row");
                for c in 0..BLOCK {
                    lane[c] = (b * (tf[c] - tt[c]) + shift[k]) * base;
                    bad[c] += not_finite_marker(lane[c]);
                }
            }
            pf.put(k, &lane[..width]);
        }
        bad.iter().all(|&x| x == 0.0)
    }

    /// Slack at each reference: `(B θ)[ref] − P[ref]`, MW.
    fn block_slack(&self, theta: &[f64], inj: LanesIn, width: usize, slack: &LanesOut) {
        let base = self.model.base_mva();
        let mut lane = [0.0f64; BLOCK];
        for (k, &bus) in self.refs.iter().enumerate() {
            let mut acc = [0.0f64; BLOCK];
            if let Some(col) = self.model.bus_b().outer_view(bus) {
                for (i, &v) in col.iter() {
                    for c in 0..BLOCK {
                        acc[c] += v * theta[i * BLOCK + c];
                    }
                }
            }
            for (c, &p) in inj.get(bus, width).iter().enumerate() {
                lane[c] = (acc[c] - self.model.injection_pu(bus, p)) * base;
            }
            slack.put(k, &lane[..width]);
        }
    }

    /// The error for a block that produced a non-finite value: names the
    /// island of the first bus whose angle is not finite.
    fn non_finite_error(&self, work: &Work) -> Error {
        let bus = work
            .theta
            .chunks_exact(BLOCK)
            .position(|row| row.iter().any(|v| !v.is_finite()))
            .unwrap_or(0);
        super::singular_island(&self.model, bus)
    }
}

/// 0 for a finite value, NaN otherwise: summed lane by lane, it checks a
/// whole block for non-finite values without a branch in the loop.
#[inline(always)]
#[allow(clippy::eq_op)]
fn not_finite_marker(x: f64) -> f64 {
    x - x
}

fn check_shape(what: &str, found: usize, expected: usize) -> Result<()> {
    if found == expected {
        Ok(())
    } else {
        Err(Error::DimensionMismatch {
            what: what.to_string(),
            found,
            expected,
        })
    }
}

/// L y = b, y ← D⁻¹ y, Lᵀ x = y on a row-major `n × BLOCK` block in the
/// factor's permuted order. Same operations, in the same order, as the
/// single right-hand-side solve, lane by lane.
fn solve_block_permuted(factor: &LdlFactor, y: &mut [f64]) {
    let (_, cp, ri, v) = factor.parts();
    let n = factor.n();
    for j in 0..n {
        let (head, tail) = y.split_at_mut((j + 1) * BLOCK);
        let yj: &[f64; BLOCK] = head[j * BLOCK..].try_into().expect("block row");
        for p in cp[j] + 1..cp[j + 1] {
            let off = (ri[p] - j - 1) * BLOCK;
            let row: &mut [f64; BLOCK] =
                (&mut tail[off..off + BLOCK]).try_into().expect("block row");
            let l = v[p];
            for c in 0..BLOCK {
                row[c] -= l * yj[c];
            }
        }
    }
    for j in 0..n {
        let d = v[cp[j]];
        for x in &mut y[j * BLOCK..(j + 1) * BLOCK] {
            *x /= d;
        }
    }
    for j in (0..n).rev() {
        let (head, tail) = y.split_at_mut((j + 1) * BLOCK);
        let mut s: [f64; BLOCK] = head[j * BLOCK..].try_into().expect("block row");
        for p in cp[j] + 1..cp[j + 1] {
            let off = (ri[p] - j - 1) * BLOCK;
            let row: &[f64; BLOCK] = tail[off..off + BLOCK].try_into().expect("block row");
            let l = v[p];
            for c in 0..BLOCK {
                s[c] -= l * row[c];
            }
        }
        head[j * BLOCK..].copy_from_slice(&s);
    }
}
