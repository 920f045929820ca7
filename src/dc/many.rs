//! Many snapshots through one factorisation: the public API
//! ([`DcPowerFlow::solve_many`], [`DcPowerFlow::solve_many_into`],
//! [`DcPowerFlow::solve_stream`], [`DcPowerFlow::solve_reduced_block`],
//! [`DcSeries`], [`SolvedBlock`]) and the rayon driver that runs it, block
//! by block.
//!
//! ```
//! # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
//! use landlinked::dc::{BLOCK, DcPowerFlow};
//! use nalgebra::DMatrix;
//! let pf = DcPowerFlow::new(&net).unwrap();
//! // a year of hours, 1 MW more drawn at bus 2 each hour: 548 blocks of 16
//! let inj = DMatrix::from_fn(2, 8760, |bus, t| if bus == 1 { -(t as f64) } else { 0.0 });
//! let year = pf.solve_many(&inj).unwrap();
//! assert_eq!(8760usize.div_ceil(BLOCK), 548);
//! assert!((year.pf_mw[(0, 8759)] - 8759.0).abs() < 1e-9);
//! ```
//!
//! **Layout.** Period matrices are elements × periods (nalgebra,
//! column-major): one column per period, holding that snapshot's buses
//! (or branches) contiguously — a bus × period injection matrix in,
//! bus × period angles and branch × period flows out. Periods are solved
//! in blocks of [`BLOCK`]: a block's right-hand sides are stored row by
//! row (`n × BLOCK`, lanes contiguous), so each walk over L updates a
//! whole row of lanes at once, a contiguous, vectorisable inner loop
//! (`LdlFactor::solve_block_permuted`, in `factor/block.rs`, with the
//! lane helpers of `lanes.rs`). Between the two layouts, 16 × 16 tiles are
//! transposed in L1 (`tile.rs`), so every read of the input and every
//! write of the output is a run of 16 contiguous values; a block's output
//! is one contiguous region of the caller's matrix, written straight in.
//!
//! Rayon runs blocks in parallel; every period goes through the same
//! arithmetic in the same order whatever block or thread it lands in, so
//! results are bit-identical for any thread count.

use nalgebra::DMatrix;
use rayon::prelude::*;

use super::DcPowerFlow;
use super::lanes::{flow_lanes, lanes, lanes_mut, mark_non_finite, scale_shift_lanes};
use super::tile::{ColumnsIn, ColumnsOut, PREFETCH_TILES, Tile, copy_run, transpose};
use crate::error::{Error, Result};

/// Right-hand sides solved together (lanes of the block kernel).
pub const BLOCK: usize = 16;

/// Angles, flows and slack over many periods: one column per period.
///
/// ```
/// use nalgebra::DMatrix;
/// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
/// let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
/// // two buses × two periods: 10 MW then 20 MW drawn at bus 2
/// let inj = DMatrix::from_column_slice(2, 2, &[0.0, -10.0, 0.0, -20.0]);
/// let series = pf.solve_many(&inj).unwrap();
/// assert!((series.pf_mw[(0, 1)] - 20.0).abs() < 1e-12); // branch 1, period 2
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
/// column-major like [`DcSeries`]: column `c` is period `first_period + c`.
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
///             inj[c * 2 + 1] = -((first + c) as f64); // bus 2 draws t MW in period t
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

/// Per-thread scratch, allocated once per rayon split, never per period.
pub(super) struct Work {
    /// Every bus angle, `(n_bus + 1) × BLOCK` row-major, rows in the
    /// order of `row_of_bus`: first the reduced unknowns in the factor's
    /// permuted order (right-hand sides are loaded straight into them and
    /// the triangular solves work in place), then the references and
    /// isolated buses, which hold their file angles from the start and are
    /// never written again, then one spare row that absorbs the loads of
    /// those fixed buses.
    pub(super) theta: Vec<f64>,
}

/// Where one block's results go.
struct BlockOut {
    va: ColumnsOut,
    pf: ColumnsOut,
    slack: ColumnsOut,
}

impl DcPowerFlow {
    pub(super) fn new_work(&self) -> Work {
        let n = self.model.bus_count();
        let mut theta = vec![0.0; (n + 1) * BLOCK];
        let rows = &self.layout().row_of_bus;
        for (bus, &va) in self.model.file_angles_rad().iter().enumerate() {
            lanes_mut(&mut theta, rows[bus]).fill(va);
        }
        Work { theta }
    }

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
    /// assert!((s.pf_mw[(0, 23)] - 23.0).abs() < 1e-12);
    /// ```
    pub fn solve_many(&self, injections_mw: &DMatrix<f64>) -> Result<DcSeries> {
        let periods = injections_mw.ncols();
        let mut out = DcSeries {
            va_deg: fresh(self.model.bus_count(), periods),
            pf_mw: fresh(self.model.branch_count(), periods),
            slack_mw: fresh(self.refs.len(), periods),
        };
        self.solve_many_into(injections_mw, &mut out)?;
        Ok(out)
    }

    /// Like [`DcPowerFlow::solve_many`], reading the injections from a
    /// column-major buses × periods slice (`periods = len / buses`) without
    /// copying them into a matrix first: the layout of a C-contiguous
    /// periods × buses array (NumPy's default), which is how the Python
    /// package hands its input over.
    ///
    /// ```
    /// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
    /// # let pf = landlinked::dc::DcPowerFlow::new(&net).unwrap();
    /// // periods × buses, row by row: 10 MW then 20 MW drawn at bus 2
    /// let s = pf.solve_many_slice(&[0.0, -10.0, 0.0, -20.0]).unwrap();
    /// assert!((s.pf_mw[(0, 1)] - 20.0).abs() < 1e-12);
    /// assert!(pf.solve_many_slice(&[1.0, 2.0, 3.0]).is_err()); // not a whole number of periods
    /// ```
    pub fn solve_many_slice(&self, injections_mw: &[f64]) -> Result<DcSeries> {
        let n = self.model.bus_count();
        if n == 0 || !injections_mw.len().is_multiple_of(n) {
            return Err(Error::DimensionMismatch {
                what: "injection values (a whole number of periods of every bus)".into(),
                found: injections_mw.len(),
                expected: n * injections_mw.len().div_ceil(n.max(1)),
            });
        }
        let periods = injections_mw.len() / n;
        let mut out = DcSeries {
            va_deg: fresh(n, periods),
            pf_mw: fresh(self.model.branch_count(), periods),
            slack_mw: fresh(self.refs.len(), periods),
        };
        let input = ColumnsIn {
            data: injections_mw,
            ld: n,
            offset: 0,
        };
        self.solve_columns(input, periods, &mut out)?;
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
        check_shape("injection matrix rows (buses)", injections_mw.nrows(), n)?;
        for (what, matrix, rows) in [
            ("angle matrix", &out.va_deg, n),
            ("flow matrix", &out.pf_mw, m),
            ("slack matrix", &out.slack_mw, r),
        ] {
            check_shape(&format!("{what} rows"), matrix.nrows(), rows)?;
            check_shape(
                &format!("{what} columns (periods)"),
                matrix.ncols(),
                periods,
            )?;
        }
        let input = ColumnsIn {
            data: injections_mw.as_slice(),
            ld: n,
            offset: 0,
        };
        self.solve_columns(input, periods, out)
    }

    /// The parallel loop of [`DcPowerFlow::solve_many_into`], with the
    /// store kind chosen by the caller.
    fn solve_columns(&self, input: ColumnsIn, periods: usize, out: &mut DcSeries) -> Result<()> {
        let (n, m, r) = (
            self.model.bus_count(),
            self.model.branch_count(),
            self.refs.len(),
        );
        let va = ColumnsOut::new(out.va_deg.as_mut_slice(), n);
        let pf = ColumnsOut::new(out.pf_mw.as_mut_slice(), m);
        let slack = ColumnsOut::new(out.slack_mw.as_mut_slice(), r);
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
                    let inj = ColumnsIn {
                        offset: first,
                        ..input
                    };
                    self.solve_block(inj, first, width, &out, work)
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
                        va: ColumnsOut::new(va, n),
                        pf: ColumnsOut::new(pf, m),
                        slack: ColumnsOut::new(slack, r),
                    };
                    let input = ColumnsIn {
                        data: inj,
                        ld: n,
                        offset: 0,
                    };
                    self.solve_block(input, first, width, &out, work)?;
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
    /// # Panics
    /// If `width > BLOCK` or `block.len() != reduced_len() * width`: a
    /// programming error, like a mismatched `copy_from_slice`.
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
        let perm = self.factor.perm();
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
            self.factor.solve_block_permuted(&mut y);
            for (i, &p) in perm.iter().enumerate() {
                block[p * width..(p + 1) * width].copy_from_slice(&y[i * BLOCK..i * BLOCK + width]);
            }
        });
    }

    /// The whole pipeline for one block: injections → p.u. right-hand
    /// sides in the factor's order → triangular solves → angles, flows,
    /// slack. `first` is the block's first period (for error messages).
    /// Unused lanes (past `width`) carry zero injections and their results
    /// are dropped. Errors on a non-finite injection, angle or flow.
    fn solve_block(
        &self,
        inj: ColumnsIn,
        first: usize,
        width: usize,
        out: &BlockOut,
        work: &mut Work,
    ) -> Result<()> {
        let theta = &mut work.theta;
        if !self.load_block(inj, width, theta) {
            let n = inj.ld;
            let columns = &inj.data[inj.offset * n..(inj.offset + width) * n];
            self.check_injections(columns, Some(first))?;
        }
        self.factor
            .solve_block_permuted(&mut theta[..self.reduced.len() * BLOCK]);
        let angles_finite = self.block_angles(theta, width, &out.va);
        let flows_finite = self.block_flows(theta, width, &out.pf);
        self.block_slack(theta, inj, width, &out.slack);
        if angles_finite && flows_finite {
            Ok(())
        } else {
            Err(self.non_finite_error(work, width))
        }
    }

    /// Loads a block's injections (column-major, `width` periods) as
    /// right-hand sides `p·(1/base) − offset`, each bus into its kernel
    /// row, through 16 × 16 tile transposes; the fixed buses' loads land in
    /// the spare row. Returns false if any injection is not finite.
    pub(super) fn load_block(&self, inj: ColumnsIn, width: usize, theta: &mut [f64]) -> bool {
        let n = inj.ld;
        let inv_base = self.model.inv_base();
        let layout = self.layout();
        let mut bad = [0.0f64; BLOCK];
        // runs[c]: period c's injections at 16 buses. Lanes past `width`
        // stay zero; in a last, partial tile the entries past `k` of each
        // run are stale, and become tile rows past `k`, which are never
        // read.
        let mut runs: Tile = [[0.0; BLOCK]; BLOCK];
        let mut tile: Tile = [[0.0; BLOCK]; BLOCK];
        for b0 in (0..n).step_by(BLOCK) {
            let k = BLOCK.min(n - b0);
            for (c, run) in runs[..width].iter_mut().enumerate() {
                let start = (inj.offset + c) * n + b0;
                copy_run(&mut run[..k], &inj.data[start..start + k]);
            }
            transpose(&runs, &mut tile, 0);
            mark_non_finite(&tile[..k], &mut bad);
            for (j, src) in tile[..k].iter().enumerate() {
                let off = layout.load_offset[b0 + j];
                let row = lanes_mut(theta, layout.load_row[b0 + j]);
                scale_shift_lanes(row, src, inv_base, off);
            }
        }
        bad[..width].iter().all(|&x| x == 0.0)
    }

    /// Angles in degrees, tile by tile; false if any is not finite.
    fn block_angles(&self, theta: &[f64], width: usize, va: &ColumnsOut) -> bool {
        let mut tile: Tile = [[0.0; BLOCK]; BLOCK];
        let mut bad = [0.0f64; BLOCK];
        let mut out = va.writer(width);
        for (t, buses) in self.layout().row_of_bus.chunks(BLOCK).enumerate() {
            out.prefetch((t + PREFETCH_TILES) * BLOCK);
            let k = buses.len();
            for (j, &r) in buses.iter().enumerate() {
                // `to_degrees` is this multiplication, bit for bit.
                scale_shift_lanes(
                    &mut tile[j],
                    lanes(theta, r),
                    180.0 / std::f64::consts::PI,
                    0.0,
                );
            }
            mark_non_finite(&tile[..k], &mut bad);
            out.put(t * BLOCK, k, &tile);
        }
        out.finish();
        bad[..width].iter().all(|&x| x == 0.0)
    }

    /// `Pf = (b (θf − θt) + Pfinj) · baseMVA` lane by lane, 16 branches
    /// per tile; false if any flow is not finite.
    fn block_flows(&self, theta: &[f64], width: usize, pf: &ColumnsOut) -> bool {
        let model = &self.model;
        let base = model.base_mva();
        let (b_br, shift) = (model.branch_susceptance_pu(), model.pf_shift());
        let ends = &self.layout().branch_rows;
        let mut tile: Tile = [[0.0; BLOCK]; BLOCK];
        let mut bad = [0.0f64; BLOCK];
        let mut out = pf.writer(width);
        for (t, ends) in ends.chunks(BLOCK).enumerate() {
            out.prefetch((t + PREFETCH_TILES) * BLOCK);
            for (j, &(f, to)) in ends.iter().enumerate() {
                let k = t * BLOCK + j;
                let (b, s) = (b_br[k], shift[k]);
                let lane = &mut tile[j];
                if b == 0.0 {
                    *lane = [0.0; BLOCK];
                    continue;
                }
                let (tf, tt) = (lanes(theta, f as usize), lanes(theta, to as usize));
                flow_lanes(lane, [b, s, base], tf, tt);
            }
            mark_non_finite(&tile[..ends.len()], &mut bad);
            out.put(t * BLOCK, ends.len(), &tile);
        }
        out.finish();
        bad[..width].iter().all(|&x| x == 0.0)
    }

    /// Slack at each reference: `(B θ)[ref] − P[ref]`, MW.
    fn block_slack(&self, theta: &[f64], inj: ColumnsIn, width: usize, slack: &ColumnsOut) {
        let base = self.model.base_mva();
        let rows = &self.layout().row_of_bus;
        let mut tile: Tile = [[0.0; BLOCK]; BLOCK];
        let mut out = slack.writer(width);
        for (t, refs) in self.refs.chunks(BLOCK).enumerate() {
            for (j, &bus) in refs.iter().enumerate() {
                let mut acc = [0.0f64; BLOCK];
                if let Some(col) = self.model.bus_b().outer_view(bus) {
                    for (i, &v) in col.iter() {
                        for c in 0..BLOCK {
                            acc[c] += v * theta[rows[i] * BLOCK + c];
                        }
                    }
                }
                for c in 0..width {
                    let p_mw = inj.data[(inj.offset + c) * inj.ld + bus];
                    let p_pu = self.model.injection_pu(bus, p_mw);
                    tile[j][c] = (acc[c] - p_pu) * base;
                }
            }
            out.put(t * BLOCK, refs.len(), &tile);
        }
        out.finish();
    }

    /// The error for a block that produced a non-finite value: names the
    /// island of the first bus whose angle is not finite.
    pub(super) fn non_finite_error(&self, work: &Work, width: usize) -> Error {
        let theta = &work.theta;
        let bad = |values: &[f64]| values[..width].iter().any(|v| !v.is_finite());
        let rows = &self.layout().row_of_bus;
        let bus = (0..self.model.bus_count()).find(|&b| bad(lanes(theta, rows[b])));
        // Every angle finite: a flow overflowed; blame its from-bus's island,
        // as the single solve does.
        let bus = bus.or_else(|| {
            let model = &self.model;
            let (b_br, shift) = (model.branch_susceptance_pu(), model.pf_shift());
            model
                .branch_ends()
                .iter()
                .enumerate()
                .find_map(|(k, &(f, t))| {
                    let (tf, tt) = (lanes(theta, rows[f]), lanes(theta, rows[t]));
                    let flows: [f64; BLOCK] = std::array::from_fn(|c| {
                        (b_br[k] * (tf[c] - tt[c]) + shift[k]) * model.base_mva()
                    });
                    (b_br[k] != 0.0 && bad(&flows)).then_some(f)
                })
        });
        super::singular_island(&self.model, bus.unwrap_or(0))
    }
}

/// A zero matrix for the kernel to fill: `vec![0.0; len]` takes zeroed
/// pages from the allocator (calloc) that the kernel's writes fault in once,
/// where `DMatrix::zeros` writes every zero first: a year of
/// case_ACTIVSg10k's angles and flows (2.2 GB) took 1.50 s that way against
/// 0.17 s into reused output, and 0.64-0.84 s this way (`bench_dcpf
/// --fresh`, 2026-12-04, 2 threads).
fn fresh(rows: usize, cols: usize) -> DMatrix<f64> {
    DMatrix::from_vec(rows, cols, vec![0.0; rows * cols])
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
