//! Many snapshots through one factorisation: the block kernel.
//!
//! **Layout.** Period matrices are elements × periods (nalgebra,
//! column-major): one column per period, holding that snapshot's buses
//! (or branches) contiguously — a bus × period injection matrix in,
//! bus × period angles and branch × period flows out. Periods are solved
//! in blocks of [`BLOCK`]: a block's right-hand sides are stored row by
//! row (`n × BLOCK`, lanes contiguous), so each walk over L updates a
//! whole row of lanes at once, a contiguous, vectorisable inner loop.
//! Between the two layouts, 16 × 16 tiles are transposed in L1, so every
//! read of the input and every write of the output is a run of 16
//! contiguous values; a block's output is one contiguous region of the
//! caller's matrix, written straight in.
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

/// How many tiles ahead the output passes ask for their lines, for
/// writing. Every output run misses the caches and must be read before it
/// is written; asking two tiles ahead overlaps those reads with the work
/// on the tiles before: 12–14 % less time per snapshot on
/// `case_ACTIVSg10k` in interleaved runs, 1 and 2 threads (4 tiles ahead:
/// the same; prefetching the inputs or the angle rows the flow pass
/// gathers: no gain).
const PREFETCH_TILES: usize = 2;

/// A 16 × 16 tile: `tile[j][c]` is element `e0 + j` in lane `c`.
type Tile = [[f64; BLOCK]; BLOCK];

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
struct Work {
    /// Every bus angle, `(n_bus + 1) × BLOCK` row-major, rows in the
    /// order of `row_of_bus`: first the reduced unknowns in the factor's
    /// permuted order (right-hand sides are loaded straight into them and
    /// the triangular solves work in place), then the references and
    /// isolated buses, which hold their file angles from the start and are
    /// never written again, then one spare row that absorbs the loads of
    /// those fixed buses.
    theta: Vec<f64>,
}

/// Column-major input: period `c` of the block is
/// `data[(offset + c) * ld ..][..ld]`.
#[derive(Clone, Copy)]
struct ColumnsIn<'a> {
    data: &'a [f64],
    ld: usize,
    offset: usize,
}

/// Column-major output laid out like [`ColumnsIn`], written through a raw
/// pointer so that parallel blocks fill disjoint columns (periods) of one
/// matrix.
#[derive(Clone, Copy)]
struct ColumnsOut {
    ptr: *mut f64,
    len: usize,
    ld: usize,
    offset: usize,
}

// SAFETY: a `ColumnsOut` is shared between rayon tasks that each write
// only the columns `offset..offset + width` of their own block; blocks
// never overlap, and nothing reads the matrix until every task is done.
unsafe impl Send for ColumnsOut {}
unsafe impl Sync for ColumnsOut {}

impl ColumnsOut {
    fn new(data: &mut [f64], ld: usize) -> ColumnsOut {
        ColumnsOut {
            ptr: data.as_mut_ptr(),
            len: data.len(),
            ld,
            offset: 0,
        }
    }

    /// Same matrix, another block's periods.
    fn at(self, offset: usize) -> ColumnsOut {
        ColumnsOut { offset, ..self }
    }

    /// A writer of tiles into the first `width` periods of this block.
    fn writer(self, width: usize) -> TileWriter {
        let skew = std::array::from_fn(|c| {
            let column = self.ptr.wrapping_add((self.offset + c) * self.ld);
            (column as usize / 8) % PER_LINE
        });
        TileWriter {
            out: self,
            width,
            skew,
            rows: [[0.0; 2 * BLOCK]; BLOCK],
            unwritten: None,
            tail_pending: false,
        }
    }

    /// Writes `values` to elements `e0..` of this block's period `c`.
    ///
    /// # Panics
    /// If the run is outside the matrix: a bug in the kernel.
    #[inline(always)]
    fn put_run(&self, c: usize, e0: usize, values: &[f64]) {
        let len = values.len();
        let start = (self.offset + c) * self.ld + e0;
        assert!(
            start + len <= self.len && e0 + len <= self.ld,
            "tile write out of bounds"
        );
        // SAFETY: in bounds (checked above) and disjoint from every other
        // task's writes (see the `Send`/`Sync` note).
        let run = unsafe { std::slice::from_raw_parts_mut(self.ptr.add(start), len) };
        copy_run(run, values);
    }
}

/// Values per cache line.
const PER_LINE: usize = 64 / std::mem::size_of::<f64>();

/// Writes tiles of elements `0, 16, 32, …` in order into one block's
/// periods, each period's values as runs that start on a cache line: the
/// run for the tile at `e0` is elements `e0 − s .. e0 + 16 − s`, where `s`
/// is how far that period's column starts past a line, its first `s`
/// values taken from the tile before. So every run fills exactly two whole
/// lines, instead of touching three and sharing two of them with its
/// neighbours. A year on `case9241pegase`: 36.9 → 28.1 µs per snapshot on
/// two threads; on `case_ACTIVSg10k`, whose angle columns all share one
/// skew, 4 % less on one thread and about the same on two (interleaved
/// medians).
///
/// A tile is written one call late, when the stores that put it and its
/// predecessor side by side in `rows` have long completed: a run read
/// across those stores right after them cannot be forwarded from the
/// store buffer and stalls (half the kernel's time, measured with perf).
struct TileWriter {
    out: ColumnsOut,
    width: usize,
    /// Per period, `s`: values between the last line boundary and the
    /// column's first value.
    skew: [usize; BLOCK],
    /// `rows[c]`: period `c`'s values of the previous tile, then of the
    /// current one (16 each).
    rows: [[f64; 2 * BLOCK]; BLOCK],
    /// The current tile, not yet written: its first element and length.
    unwritten: Option<(usize, usize)>,
    /// Whether the previous tile was full, with its last `s` values of
    /// each period not yet written (they open the current tile's run).
    tail_pending: bool,
}

impl TileWriter {
    /// Asks for the two lines the run of the tile at `e0` will fill in each
    /// period, for writing (a hint: does nothing past the matrix or on
    /// other targets). Every run misses the caches and must be read before
    /// it is written; asking [`PREFETCH_TILES`] tiles ahead overlaps those
    /// reads with the work on the tiles before.
    #[inline(always)]
    fn prefetch(&self, e0: usize) {
        let out = &self.out;
        if e0 + BLOCK > out.ld {
            return;
        }
        for c in 0..self.width {
            let start = (out.offset + c) * out.ld + e0 - self.skew[c];
            if start + BLOCK <= out.len {
                // SAFETY: in bounds (checked above); a prefetch reads and
                // writes nothing.
                let run = unsafe { out.ptr.add(start) };
                prefetch_write(run);
                prefetch_write(run.wrapping_add(PER_LINE));
            }
        }
    }

    /// Takes elements `e0..e0 + k` of lanes `0..width` from a tile
    /// (`tile[j][c]`: element `e0 + j`, lane `c`) and writes the tile
    /// before. Tiles come in order, `e0 = 0, 16, 32, …`; only the last may
    /// be partial (`k < 16`).
    fn put(&mut self, e0: usize, k: usize, tile: &Tile) {
        if let Some(unwritten) = self.unwritten.take() {
            self.write(unwritten);
        }
        for row in &mut self.rows[..self.width] {
            let (prev, cur) = row.split_at_mut(BLOCK);
            prev.copy_from_slice(cur);
        }
        transpose(tile, &mut self.rows, BLOCK);
        self.unwritten = Some((e0, k));
    }

    /// Writes the current tile `(e0, k)`, with the previous tile's pending
    /// tail in front, and all but its own last `s` values if it is full.
    fn write(&mut self, (e0, k): (usize, usize)) {
        for (c, row) in self.rows[..self.width].iter().enumerate() {
            let s = self.skew[c];
            if k == BLOCK && self.tail_pending {
                self.out.put_run(c, e0 - s, &row[BLOCK - s..][..BLOCK]);
            } else {
                let (from, to) = match (self.tail_pending, k == BLOCK) {
                    (true, _) => (e0 - s, e0 + k),
                    (false, true) => (e0, e0 + BLOCK - s),
                    (false, false) => (e0, e0 + k),
                };
                self.out
                    .put_run(c, from, &row[BLOCK + from - e0..BLOCK + to - e0]);
            }
        }
        self.tail_pending = k == BLOCK;
    }

    /// Writes everything still held.
    fn finish(mut self) {
        if let Some((e0, k)) = self.unwritten.take() {
            self.write((e0, k));
            if self.tail_pending {
                for (c, row) in self.rows[..self.width].iter().enumerate() {
                    let s = self.skew[c];
                    self.out.put_run(c, e0 + BLOCK - s, &row[2 * BLOCK - s..]);
                }
            }
        }
    }
}

/// Where one block's results go.
struct BlockOut {
    va: ColumnsOut,
    pf: ColumnsOut,
    slack: ColumnsOut,
}

impl DcPowerFlow {
    fn new_work(&self) -> Work {
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
            va_deg: DMatrix::zeros(self.model.bus_count(), periods),
            pf_mw: DMatrix::zeros(self.model.branch_count(), periods),
            slack_mw: DMatrix::zeros(self.refs.len(), periods),
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
            va_deg: DMatrix::zeros(n, periods),
            pf_mw: DMatrix::zeros(self.model.branch_count(), periods),
            slack_mw: DMatrix::zeros(self.refs.len(), periods),
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
            solve_block_permuted(&self.factor, &mut y);
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
        solve_block_permuted(&self.factor, &mut theta[..self.reduced.len() * BLOCK]);
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
    fn load_block(&self, inj: ColumnsIn, width: usize, theta: &mut [f64]) -> bool {
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
    fn non_finite_error(&self, work: &Work, width: usize) -> Error {
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

/// `dst.copy_from_slice(src)` for runs of at most [`BLOCK`] values: a
/// full run as a fixed-size copy (a few vector moves, inlined), not a call
/// to `memmove`.
#[inline(always)]
fn copy_run(dst: &mut [f64], src: &[f64]) {
    match (
        <&mut [f64; BLOCK]>::try_from(&mut *dst),
        <&[f64; BLOCK]>::try_from(src),
    ) {
        (Ok(d), Ok(s)) => *d = *s,
        _ => dst.copy_from_slice(src),
    }
}

// Lane-wise arithmetic on a row of BLOCK values. With AVX-512 (a build
// for a CPU that has it, as `.cargo/config.toml` asks), two 512-bit
// registers per row: the compiler's own vectorisation stops at 256 bits on
// CPUs where it prefers them, and these loops (triangular solves, flows,
// loading and the degree conversion) are the kernel's arithmetic. Each
// lane sees the same multiplies, adds and subtracts in the same order (no
// fused multiply-add) in both paths: the results are those of the scalar
// single solve, bit for bit.

/// `acc[c] -= a * x[c]` for every lane.
#[inline(always)]
fn sub_scaled(acc: &mut [f64; BLOCK], a: f64, x: &[f64; BLOCK]) {
    #[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
    {
        use std::arch::x86_64::{
            _mm512_loadu_pd, _mm512_mul_pd, _mm512_set1_pd, _mm512_storeu_pd, _mm512_sub_pd,
        };
        for h in (0..BLOCK).step_by(8) {
            // SAFETY: AVX-512F is enabled at compile time (the cfg above);
            // h + 8 <= BLOCK, so each load and store covers 8 values inside
            // the arrays.
            unsafe {
                let a = _mm512_set1_pd(a);
                let p = acc.as_mut_ptr().add(h);
                let ax = _mm512_mul_pd(a, _mm512_loadu_pd(x.as_ptr().add(h)));
                _mm512_storeu_pd(p, _mm512_sub_pd(_mm512_loadu_pd(p), ax));
            }
        }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "avx512f")))]
    for c in 0..BLOCK {
        acc[c] -= a * x[c];
    }
}

/// `out[c] = x[c] · a − b` for every lane.
#[inline(always)]
fn scale_shift_lanes(out: &mut [f64; BLOCK], x: &[f64; BLOCK], a: f64, b: f64) {
    #[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
    {
        use std::arch::x86_64::{
            _mm512_loadu_pd, _mm512_mul_pd, _mm512_set1_pd, _mm512_storeu_pd, _mm512_sub_pd,
        };
        for h in (0..BLOCK).step_by(8) {
            // SAFETY: as in `sub_scaled`.
            unsafe {
                let (a, b) = (_mm512_set1_pd(a), _mm512_set1_pd(b));
                let ax = _mm512_mul_pd(_mm512_loadu_pd(x.as_ptr().add(h)), a);
                _mm512_storeu_pd(out.as_mut_ptr().add(h), _mm512_sub_pd(ax, b));
            }
        }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "avx512f")))]
    for c in 0..BLOCK {
        out[c] = x[c] * a - b;
    }
}

/// `out[c] = (b · (tf[c] − tt[c]) + shift) · base` for every lane.
#[inline(always)]
fn flow_lanes(
    out: &mut [f64; BLOCK],
    [b, shift, base]: [f64; 3],
    tf: &[f64; BLOCK],
    tt: &[f64; BLOCK],
) {
    #[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
    {
        use std::arch::x86_64::{
            _mm512_add_pd, _mm512_loadu_pd, _mm512_mul_pd, _mm512_set1_pd, _mm512_storeu_pd,
            _mm512_sub_pd,
        };
        for h in (0..BLOCK).step_by(8) {
            // SAFETY: as in `sub_scaled`.
            unsafe {
                let (b, shift, base) = (
                    _mm512_set1_pd(b),
                    _mm512_set1_pd(shift),
                    _mm512_set1_pd(base),
                );
                let d = _mm512_sub_pd(
                    _mm512_loadu_pd(tf.as_ptr().add(h)),
                    _mm512_loadu_pd(tt.as_ptr().add(h)),
                );
                let f = _mm512_mul_pd(_mm512_add_pd(_mm512_mul_pd(b, d), shift), base);
                _mm512_storeu_pd(out.as_mut_ptr().add(h), f);
            }
        }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "avx512f")))]
    for c in 0..BLOCK {
        out[c] = (b * (tf[c] - tt[c]) + shift) * base;
    }
}

/// Prefetches the cache line holding `*p` for writing.
#[inline(always)]
fn prefetch_write(p: *const f64) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_ET0, _mm_prefetch};
        // SAFETY: prefetching never faults, whatever the address.
        unsafe { _mm_prefetch::<_MM_HINT_ET0>(p.cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// `dst[c][j] = src[j][c]`. With AVX (x86-64 built for a CPU that has
/// it, as `.cargo/config.toml` does with `target-cpu=native`), in 4 × 4
/// blocks of register shuffles; otherwise element by element. Either way
/// values move unchanged, so results do not depend on the path.
#[inline(always)]
fn transpose<const W: usize>(src: &Tile, dst: &mut [[f64; W]; BLOCK], at: usize) {
    assert!(at + BLOCK <= W, "transpose past the rows");
    #[cfg(all(target_arch = "x86_64", target_feature = "avx"))]
    {
        use std::arch::x86_64::{
            _mm256_loadu_pd, _mm256_permute2f128_pd, _mm256_storeu_pd, _mm256_unpackhi_pd,
            _mm256_unpacklo_pd,
        };
        for i in (0..BLOCK).step_by(4) {
            for j in (0..BLOCK).step_by(4) {
                // SAFETY: AVX is enabled at compile time (the cfg above);
                // every load covers 4 values of a row of `src` from column
                // j, every store 4 values of a row of `dst` from column
                // at + i, i, j ≤ BLOCK − 4 and at + BLOCK ≤ W (asserted), so
                // all stay in the arrays.
                unsafe {
                    let r0 = _mm256_loadu_pd(src[i][j..].as_ptr());
                    let r1 = _mm256_loadu_pd(src[i + 1][j..].as_ptr());
                    let r2 = _mm256_loadu_pd(src[i + 2][j..].as_ptr());
                    let r3 = _mm256_loadu_pd(src[i + 3][j..].as_ptr());
                    let t0 = _mm256_unpacklo_pd(r0, r1);
                    let t1 = _mm256_unpackhi_pd(r0, r1);
                    let t2 = _mm256_unpacklo_pd(r2, r3);
                    let t3 = _mm256_unpackhi_pd(r2, r3);
                    _mm256_storeu_pd(
                        dst[j][at + i..].as_mut_ptr(),
                        _mm256_permute2f128_pd(t0, t2, 0x20),
                    );
                    _mm256_storeu_pd(
                        dst[j + 1][at + i..].as_mut_ptr(),
                        _mm256_permute2f128_pd(t1, t3, 0x20),
                    );
                    _mm256_storeu_pd(
                        dst[j + 2][at + i..].as_mut_ptr(),
                        _mm256_permute2f128_pd(t0, t2, 0x31),
                    );
                    _mm256_storeu_pd(
                        dst[j + 3][at + i..].as_mut_ptr(),
                        _mm256_permute2f128_pd(t1, t3, 0x31),
                    );
                }
            }
        }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "avx")))]
    for (j, row) in src.iter().enumerate() {
        for (c, &v) in row.iter().enumerate() {
            dst[c][at + j] = v;
        }
    }
}

/// Row `i` of a row-major `_ × BLOCK` array, as a fixed-size array (so
/// copies compile to a few vector moves, not a `memmove` call).
#[inline(always)]
fn lanes(a: &[f64], i: usize) -> &[f64; BLOCK] {
    a[i * BLOCK..(i + 1) * BLOCK].try_into().expect("lane row")
}

/// Mutable [`lanes`].
#[inline(always)]
fn lanes_mut(a: &mut [f64], i: usize) -> &mut [f64; BLOCK] {
    (&mut a[i * BLOCK..(i + 1) * BLOCK])
        .try_into()
        .expect("lane row")
}

/// 0 for a finite value, NaN otherwise: summed lane by lane, it checks a
/// whole block for non-finite values without a branch in the loop.
#[inline(always)]
#[allow(clippy::eq_op)]
#[cfg(not(all(target_arch = "x86_64", target_feature = "avx")))]
fn not_finite_marker(x: f64) -> f64 {
    x - x
}

/// Adds `x − x` (0 for a finite x, NaN otherwise) of every value of some
/// tile rows to `bad`,
/// lane by lane: `bad` stays all zeros exactly when every value is finite.
/// The rows were just stored 4 lanes at a time; with AVX they are read back
/// 4 lanes at a time too, so each load is forwarded from one store (a
/// wider load spanning two pending stores stalls until they reach L1).
#[inline(always)]
fn mark_non_finite(rows: &[[f64; BLOCK]], bad: &mut [f64; BLOCK]) {
    #[cfg(all(target_arch = "x86_64", target_feature = "avx"))]
    {
        use std::arch::x86_64::{
            __m256d, _mm256_add_pd, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_sub_pd,
        };
        // SAFETY: AVX is enabled at compile time (the cfg above); every
        // load and store covers 4 of BLOCK values from offset 4k ≤ BLOCK − 4.
        unsafe {
            let mut acc: [__m256d; BLOCK / 4] =
                std::array::from_fn(|k| _mm256_loadu_pd(bad[4 * k..].as_ptr()));
            for row in rows {
                for (k, a) in acc.iter_mut().enumerate() {
                    let v = _mm256_loadu_pd(row[4 * k..].as_ptr());
                    *a = _mm256_add_pd(*a, _mm256_sub_pd(v, v));
                }
            }
            for (k, a) in acc.iter().enumerate() {
                _mm256_storeu_pd(bad[4 * k..].as_mut_ptr(), *a);
            }
        }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "avx")))]
    for row in rows {
        for c in 0..BLOCK {
            bad[c] += not_finite_marker(row[c]);
        }
    }
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

/// L y = b, then Lᵀ x = D⁻¹ y, on a row-major `n × BLOCK` block in the
/// factor's permuted order, both over L by columns: the forward solve
/// scatters each finished row into the rows below it, the backward solve
/// gathers them. Every lane sees the same operations in the same order as
/// the single right-hand-side solve (contributions to a row by ascending
/// column going forward, by ascending row going back, scaling by the
/// pivot's reciprocal in between), so results agree to the bit. One copy
/// of L serves both directions: a CSR copy for a gathering forward solve
/// was measured no faster (the L2 holds the block's 1.3 MB of angles and
/// one 0.35 MB copy of L, not two).
fn solve_block_permuted(factor: &LdlFactor, y: &mut [f64]) {
    let l = factor.l();
    let n = factor.n();
    for j in 0..n {
        let (head, tail) = y.split_at_mut((j + 1) * BLOCK);
        let yj: [f64; BLOCK] = head[j * BLOCK..].try_into().expect("block row");
        let (a, b) = (l.col_ptr[j] as usize, l.col_ptr[j + 1] as usize);
        for (&i, &lij) in l.col_row[a..b].iter().zip(&l.col_val[a..b]) {
            sub_scaled(lanes_mut(tail, i as usize - j - 1), lij, &yj);
        }
    }
    for j in (0..n).rev() {
        let (head, tail) = y.split_at_mut((j + 1) * BLOCK);
        let mut s: [f64; BLOCK] = head[j * BLOCK..].try_into().expect("block row");
        let r = l.inv_diag[j];
        for x in &mut s {
            *x *= r;
        }
        let (a, b) = (l.col_ptr[j] as usize, l.col_ptr[j + 1] as usize);
        for (&i, &lij) in l.col_row[a..b].iter().zip(&l.col_val[a..b]) {
            sub_scaled(&mut s, lij, lanes(tail, i as usize - j - 1));
        }
        head[j * BLOCK..].copy_from_slice(&s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpose_moves_every_value_exactly() {
        let mut src: Tile = [[0.0; BLOCK]; BLOCK];
        for (j, row) in src.iter_mut().enumerate() {
            for (c, v) in row.iter_mut().enumerate() {
                *v = (j * BLOCK + c) as f64 + 0.25;
            }
        }
        let mut dst: Tile = [[f64::NAN; BLOCK]; BLOCK];
        transpose(&src, &mut dst, 0);
        for j in 0..BLOCK {
            for c in 0..BLOCK {
                assert_eq!(dst[c][j], src[j][c]);
            }
        }
    }

    #[test]
    fn copy_run_copies_full_and_partial_runs() {
        let src: Vec<f64> = (0..BLOCK).map(|i| i as f64).collect();
        let mut full = [0.0; BLOCK];
        copy_run(&mut full, &src);
        assert_eq!(&full[..], &src[..]);
        let mut part = [0.0; 5];
        copy_run(&mut part, &src[3..8]);
        assert_eq!(part, [3.0, 4.0, 5.0, 6.0, 7.0]);
    }

    #[test]
    fn tile_writer_puts_every_value_in_place_whatever_the_skew() {
        // Matrices of 1 to 40 rows (partial, single, several tiles), offset
        // 0 to 7 values into a buffer (every skew of a line), 1 to 16 lanes
        // of a block that starts at period 1.
        for ld in [1, 5, 16, 17, 23, 32, 40] {
            for shift in 0..PER_LINE {
                for width in [1, 7, BLOCK] {
                    let periods = 1 + width;
                    let mut buf = vec![f64::NAN; shift + ld * periods];
                    let mut out = ColumnsOut::new(&mut buf[shift..], ld).at(1).writer(width);
                    let value = |e: usize, c: usize| (e * 100 + c) as f64;
                    for e0 in (0..ld).step_by(BLOCK) {
                        let k = BLOCK.min(ld - e0);
                        let tile: Tile =
                            std::array::from_fn(|j| std::array::from_fn(|c| value(e0 + j, c)));
                        out.prefetch(e0 + BLOCK);
                        out.put(e0, k, &tile);
                    }
                    out.finish();
                    let m = &buf[shift..];
                    assert!(
                        m[..ld].iter().all(|v| v.is_nan()),
                        "period 0 is not this block's"
                    );
                    for c in 0..width {
                        for e in 0..ld {
                            assert_eq!(
                                m[(1 + c) * ld + e],
                                value(e, c),
                                "ld {ld} shift {shift} lane {c} element {e}"
                            );
                        }
                    }
                }
            }
        }
    }
}
