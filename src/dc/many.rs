//! Many snapshots through one factorisation: the block kernel.
//!
//! Periods are solved in blocks of [`BLOCK`] right-hand sides stored row by
//! row (`n × BLOCK`, the block's lanes contiguous), so each walk over L
//! updates a whole row of lanes at once: a contiguous, vectorisable inner
//! loop. Angles and flows are written straight into the caller's output.
//! Rayon runs blocks in parallel; every column goes through the same
//! arithmetic in the same order whatever block or thread it lands in, so
//! results are bit-identical for any thread count.

use nalgebra::DMatrix;
use rayon::prelude::*;

use super::factor::LdlFactor;
use super::DcPowerFlow;
use crate::error::{Error, Result};

/// Right-hand sides solved together (lanes of the block kernel).
pub const BLOCK: usize = 16;

/// Angles, flows and slack over many periods (one column per period).
///
/// ```
/// use nalgebra::DMatrix;
/// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
/// let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
/// // two periods: 10 MW then 20 MW drawn at bus 2
/// let inj = DMatrix::from_column_slice(2, 2, &[0.0, -10.0, 0.0, -20.0]);
/// let series = pf.solve_many(&inj).unwrap();
/// assert!((series.pf_mw[(0, 1)] - 20.0).abs() < 1e-12);
/// assert!((series.slack_mw[(0, 0)] - 10.0).abs() < 1e-12);
/// ```
#[derive(Clone, Debug)]
pub struct DcSeries {
    /// Bus angles, degrees: buses × periods.
    pub va_deg: DMatrix<f64>,
    /// Branch flows, MW: branches × periods.
    pub pf_mw: DMatrix<f64>,
    /// Slack injection at each reference bus, MW: references × periods.
    pub slack_mw: DMatrix<f64>,
}

/// One solved block of periods, handed to a streaming consumer. Slices are
/// column-major: column `c` is period `first_period + c`.
///
/// ```
/// # use nalgebra::DMatrix;
/// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
/// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
/// use std::sync::atomic::{AtomicU64, Ordering};
/// let worst = AtomicU64::new(0);
/// pf.solve_stream(
///     100,
///     |first, width, inj| {
///         for c in 0..width {
///             inj[c * 2 + 1] = -((first + c) as f64); // period t draws t MW
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
    /// Angles, degrees: buses × width, column-major.
    pub va_deg: &'a [f64],
    /// Flows, MW: branches × width, column-major.
    pub pf_mw: &'a [f64],
    /// Slack per reference, MW: references × width, column-major.
    pub slack_mw: &'a [f64],
}

/// Per-thread scratch, allocated once per rayon split, never per column.
struct Work {
    /// Reduced unknowns, permuted order, `n_red × BLOCK` row-major.
    y: Vec<f64>,
    /// All bus angles, `n_bus × BLOCK` row-major. Rows of references and
    /// isolated buses hold their file angles from the start and are never
    /// written again.
    theta: Vec<f64>,
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
}

/// Output slices of one block, column-major.
struct BlockOut<'a> {
    va: &'a mut [f64],
    pf: &'a mut [f64],
    slack: &'a mut [f64],
}

impl DcPowerFlow {
    /// Solves every period of a buses × periods injection matrix (MW,
    /// positive into the bus) with the stored factorisation, in parallel
    /// over blocks of periods.
    ///
    /// ```
    /// # use nalgebra::DMatrix;
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// let inj = DMatrix::from_fn(2, 24, |bus, t| if bus == 1 { -(t as f64) } else { 0.0 });
    /// let s = pf.solve_many(&inj).unwrap();
    /// assert_eq!(s.pf_mw.ncols(), 24);
    /// ```
    pub fn solve_many(&self, injections_mw: &DMatrix<f64>) -> Result<DcSeries> {
        let periods = injections_mw.ncols();
        let mut out = DcSeries {
            va_deg: DMatrix::zeros(self.model.bus_count(), periods),
            pf_mw: DMatrix::zeros(self.model.branch_count(), periods),
            slack_mw: DMatrix::zeros(self.refs.len(), periods),
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
    /// let inj = DMatrix::from_element(2, 3, -1.0);
    /// let mut out = pf.solve_many(&inj).unwrap();
    /// pf.solve_many_into(&(inj * 2.0), &mut out).unwrap();
    /// assert!((out.slack_mw[(0, 2)] - 4.0).abs() < 1e-12); // 2 MW drawn at each bus
    /// ```
    pub fn solve_many_into(&self, injections_mw: &DMatrix<f64>, out: &mut DcSeries) -> Result<()> {
        let (n, m, r) = (
            self.model.bus_count(),
            self.model.branch_count(),
            self.refs.len(),
        );
        let periods = injections_mw.ncols();
        check_shape("injection matrix rows", injections_mw.nrows(), n)?;
        check_shape("angle matrix", out.va_deg.len(), n * periods)?;
        check_shape("flow matrix", out.pf_mw.len(), m * periods)?;
        check_shape("slack matrix", out.slack_mw.len(), r * periods)?;
        let inj = injections_mw.as_slice();
        let blocks = periods.div_ceil(BLOCK);
        let va = chunks(out.va_deg.as_mut_slice(), n * BLOCK, blocks);
        let pf = chunks(out.pf_mw.as_mut_slice(), m * BLOCK, blocks);
        let slack = chunks(out.slack_mw.as_mut_slice(), r * BLOCK, blocks);
        let jobs: Vec<_> = va.into_iter().zip(pf).zip(slack).enumerate().collect();
        jobs.into_par_iter().try_for_each_init(
            || self.new_work(),
            |work, (b, ((va, pf), slack))| {
                let first = b * BLOCK;
                let width = BLOCK.min(periods - first);
                let inj_block = &inj[first * n..(first + width) * n];
                let out = BlockOut {
                    va: &mut *va,
                    pf: &mut *pf,
                    slack: &mut *slack,
                };
                if self.solve_block(inj_block, width, out, work) {
                    Ok(())
                } else {
                    self.check_block(va, pf)
                }
            },
        )
    }

    /// Streams periods through the solver in both directions: `fill(first,
    /// width, inj)` writes the injections of periods `first..first + width`
    /// (MW, buses × width, column-major, zeroed beforehand) and `consume`
    /// receives each solved block. Memory stays at a few blocks per thread
    /// whatever the number of periods. Blocks arrive in no fixed order.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// let total = std::sync::Mutex::new(0.0);
    /// pf.solve_stream(8760, |_, w, inj| for c in 0..w { inj[c * 2 + 1] = -1.0 }, |b| {
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
        let blocks = periods.div_ceil(BLOCK);
        (0..blocks).into_par_iter().try_for_each_init(
            || {
                let bufs = (
                    vec![0.0; n * BLOCK],
                    vec![0.0; n * BLOCK],
                    vec![0.0; m * BLOCK],
                    vec![0.0; r * BLOCK],
                );
                (self.new_work(), bufs)
            },
            |(work, (inj, va, pf, slack)), b| {
                let first = b * BLOCK;
                let width = BLOCK.min(periods - first);
                inj.fill(0.0);
                fill(first, width, &mut inj[..n * width]);
                let out = BlockOut {
                    va: &mut va[..n * width],
                    pf: &mut pf[..m * width],
                    slack: &mut slack[..r * width],
                };
                if !self.solve_block(&inj[..n * width], width, out, work) {
                    self.check_block(&va[..n * width], &pf[..m * width])?;
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
    fn solve_block(&self, inj: &[f64], width: usize, out: BlockOut, work: &mut Work) -> bool {
        let n = self.model.bus_count();
        let inv_base = self.model.inv_base();
        let Work { y, theta } = work;
        // Right-hand sides p·(1/base) − offset, gathered into the lanes in
        // the factor's order; unused lanes are zero.
        for (ip, (&bus, &off)) in self.perm_bus.iter().zip(&self.perm_offset).enumerate() {
            let row = &mut y[ip * BLOCK..(ip + 1) * BLOCK];
            for (c, v) in row.iter_mut().enumerate() {
                *v = if c < width {
                    inj[c * n + bus] * inv_base - off
                } else {
                    0.0
                };
            }
        }
        solve_block_permuted(&self.factor, y);
        for (ip, &bus) in self.perm_bus.iter().enumerate() {
            theta[bus * BLOCK..(bus + 1) * BLOCK].copy_from_slice(&y[ip * BLOCK..(ip + 1) * BLOCK]);
        }
        let mut bad = [0.0f64; BLOCK];
        for (bus, row) in theta.chunks_exact(BLOCK).enumerate() {
            for (acc, &x) in bad.iter_mut().zip(row) {
                *acc += not_finite_marker(x);
            }
            for (c, &x) in row[..width].iter().enumerate() {
                out.va[c * n + bus] = x.to_degrees();
            }
        }
        let flows_finite = self.block_flows(theta, width, out.pf);
        self.block_slack(theta, inj, width, out.slack);
        let angles_finite = bad.iter().all(|&x| x == 0.0);
        angles_finite && flows_finite
    }

    fn block_flows(&self, theta: &[f64], width: usize, pf: &mut [f64]) -> bool {
        let model = &self.model;
        let (m, base) = (model.branch_count(), model.base_mva());
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
            for c in 0..width {
                pf[c * m + k] = lane[c];
            }
        }
        bad.iter().all(|&x| x == 0.0)
    }

    fn block_slack(&self, theta: &[f64], inj: &[f64], width: usize, slack: &mut [f64]) {
        let (n, r) = (self.model.bus_count(), self.refs.len());
        let base = self.model.base_mva();
        for (k, &bus) in self.refs.iter().enumerate() {
            let mut acc = [0.0f64; BLOCK];
            if let Some(col) = self.model.bus_b().outer_view(bus) {
                for (i, &v) in col.iter() {
                    for c in 0..BLOCK {
                        acc[c] += v * theta[i * BLOCK + c];
                    }
                }
            }
            for c in 0..width {
                let p_pu = self.model.injection_pu(bus, inj[c * n + bus]);
                slack[c * r + k] = (acc[c] - p_pu) * base;
            }
        }
    }

    /// Names the island of the first non-finite angle or flow (called
    /// only when a block reported one: no NaN ever leaves the solver).
    fn check_block(&self, va: &[f64], pf: &[f64]) -> Result<()> {
        let n = self.model.bus_count().max(1);
        if let Some(i) = va.iter().position(|v| !v.is_finite()) {
            return Err(super::singular_island(&self.model, i % n));
        }
        let m = self.model.branch_count().max(1);
        let i = pf.iter().position(|v| !v.is_finite()).unwrap_or(0);
        Err(super::singular_island(
            &self.model,
            self.model.branch_ends()[i % m].0,
        ))
    }
}

/// 0 for a finite value, NaN otherwise: summed lane by lane, it checks a
/// whole block for non-finite values without a branch in the loop.
#[inline(always)]
#[allow(clippy::eq_op)]
fn not_finite_marker(x: f64) -> f64 {
    x - x
}

/// `blocks` consecutive chunks of `len` (the last may be shorter; all
/// empty when `len == 0`).
fn chunks(data: &mut [f64], len: usize, blocks: usize) -> Vec<&mut [f64]> {
    if len == 0 {
        return (0..blocks).map(|_| <&mut [f64]>::default()).collect();
    }
    data.chunks_mut(len).collect()
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
