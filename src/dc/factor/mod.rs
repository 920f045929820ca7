//! The factorisation seam: a sparse LDLᵀ of a symmetric matrix with a
//! fill-reducing ordering ([`super::ordering`]: explicit minimum degree
//! while some vertex has at most three neighbours, faer's AMD on the rest),
//! factorised by an up-looking simplicial LDLᵀ written here and solved by
//! our own loops.
//!
//! **Why not faer's factorisation.** faer's simplicial LDLᵀ gives the same
//! factor, but on `case_ACTIVSg10k` its symbolic analysis and numeric
//! factorisation took 1.1 ms and 1.3 ms, where these loops take under
//! half of that (`examples/factor_compare.rs` times the whole path against
//! faer's; `benches/README.md`, section 1, has the table). The algorithm
//! is the classic one (Davis, *Direct Methods for Sparse Linear Systems*,
//! ch. 4: the elimination tree and column counts by walking each row's
//! subtree, then each row of L by a sparse triangular solve over its reach
//! in the tree); the unit tests check it against faer's factor.
//!
//! **In stages.** The up-looking form computes L row by row, and row k
//! needs only the rows before it, so the work can start before the whole
//! elimination order is known: [`Prefactor::new`] takes the rows of the
//! vertices that the ordering eliminated explicitly, with their columns'
//! entry counts (which that elimination knows: each vertex's degree when
//! it went), and [`Prefactor::finish`] adds the rest once AMD has ordered
//! them. `DcPowerFlow::new` runs the first stage while AMD runs on the other
//! thread. Staging changes no operation: every row sees the same entries
//! in the same order, and a unit test compares the factors bit for bit;
//! announced counts that do not match the factor are an error, never a
//! wrong factor.
//!
//! **A dense tail.** When the last rows of the order fill in almost
//! completely (large meshed grids: 442 of 69,999 rows in a 70,000-bus
//! synthetic grid), they are factorised as one dense LDLᵀ ([`tail`]); the
//! MATPOWER cases have no such tail.
//!
//! **Subtrees on two threads.** In the last stage, the sparse rows below
//! the tail go to two threads when the elimination tree there splits into
//! subtrees of comparable work ([`subtrees`]): the same bits as on one.
//!
//! The factor is kept as plain CSC arrays with `u32` indices, so the
//! solve kernels (one right-hand side here, blocks of them in [`block`])
//! walk it directly, deterministically and without
//! allocation. LDLᵀ without pivoting handles the indefinite B of cases with
//! negative reactances; a pivot that vanishes relative to the matrix's
//! largest diagonal entry is reported as singular, with its position.
//! Without pivoting, a nonsingular indefinite B can in principle meet a
//! zero pivot that another elimination order would avoid; that case is
//! reported as singular too (none of the MATPOWER test cases does this).

mod block;
mod subtrees;
mod tail;

use super::ordering::AmdFailed;
use crate::error::{FactorFailure, OrderDefect};

/// Relative size below which a pivot counts as zero.
const PIVOT_TOLERANCE: f64 = 1e-11;

/// "No parent" in the elimination tree.
const NONE: usize = usize::MAX;

/// Why a factorisation failed. Rows are the matrix's own (unpermuted);
/// the caller, which knows the bus of each row, turns them into an
/// [`Error`](crate::Error).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FactorError {
    /// Pivot at this row vanished: the matrix is singular there.
    Singular { row: usize },
    /// The diagonal entry of this row is infinite.
    NonFiniteDiagonal { row: usize, value: f64 },
    /// The fill-reducing ordering failed.
    Ordering(AmdFailed),
    /// Anything else: the factor's size, or an order that does not fit.
    Failed(FactorFailure),
}

impl From<AmdFailed> for FactorError {
    fn from(e: AmdFailed) -> FactorError {
        FactorError::Ordering(e)
    }
}

impl From<OrderDefect> for FactorError {
    fn from(defect: OrderDefect) -> FactorError {
        FactorError::Failed(FactorFailure::InconsistentOrder { defect })
    }
}

/// LDLᵀ factor `P A Pᵀ = L D Lᵀ`, L unit lower triangular.
#[derive(Debug, Clone)]
pub(crate) struct LdlFactor {
    n: usize,
    /// `perm[i]` = original row of permuted row i.
    perm: Vec<usize>,
    /// L and D.
    l: SparseL,
}

/// The factor's numbers: the strictly lower part of L by columns (CSC,
/// rows ascending) and D⁻¹ apart. Indices are `u32`, which halves the
/// index traffic of every solve. Private to the factor: only its own
/// solves (here and in [`block`]) read it.
#[derive(Debug, Clone, Default)]
struct SparseL {
    col_ptr: Vec<u32>,
    col_row: Vec<u32>,
    col_val: Vec<f64>,
    /// D⁻¹: both solves multiply by the pivots' reciprocals (a division
    /// per row and right-hand side cost the block kernel 6 % of its time).
    inv_diag: Vec<f64>,
}

impl LdlFactor {
    /// Factorises the symmetric matrix given by one triangle in CSC (each
    /// entry once: no duplicate (i, j); order within columns and explicit
    /// diagonals are not needed), in one pass, in an order found here.
    pub(crate) fn new(
        n: usize,
        col_ptr: &[usize],
        row_idx: &[usize],
        values: &[f64],
    ) -> Result<LdlFactor, FactorError> {
        let order = super::ordering::fill_reducing(n, col_ptr, row_idx)?;
        let lower = Lower {
            n,
            col_ptr,
            row_idx,
            values,
        };
        Prefactor::new(lower, &[], &[])?.finish(lower, &order)
    }

    /// Entries stored in L (diagonal included).
    pub(crate) fn nnz(&self) -> usize {
        self.n + self.l.col_val.len()
    }

    /// Solves `A x = b` for one right-hand side: `rhs` holds b on entry, x
    /// on exit; `work` is scratch of length n.
    pub(crate) fn solve_in_place(&self, rhs: &mut [f64], work: &mut [f64]) {
        assert_eq!(rhs.len(), self.n, "rhs length");
        assert_eq!(work.len(), self.n, "work length");
        for (w, &p) in work.iter_mut().zip(&self.perm) {
            *w = rhs[p];
        }
        self.solve_permuted(work);
        for (w, &p) in work.iter().zip(&self.perm) {
            rhs[p] = *w;
        }
    }

    /// L y = b (unit lower), y ← D⁻¹ y, Lᵀ x = y, all in permuted order.
    /// Contributions to each row arrive by ascending column and the scaling
    /// by the pivot's reciprocal precedes the backward sums, as in the
    /// block kernel, so
    /// both give the same values (the same bits, up to the sign of a zero:
    /// this loop skips zero multipliers, the block kernel does not).
    fn solve_permuted(&self, x: &mut [f64]) {
        let l = &self.l;
        for j in 0..self.n {
            let xj = x[j];
            if xj != 0.0 {
                let (a, b) = (l.col_ptr[j] as usize, l.col_ptr[j + 1] as usize);
                for (&i, &v) in l.col_row[a..b].iter().zip(&l.col_val[a..b]) {
                    x[i as usize] -= v * xj;
                }
            }
        }
        for (xj, &r) in x.iter_mut().zip(&l.inv_diag) {
            *xj *= r;
        }
        for j in (0..self.n).rev() {
            let (a, b) = (l.col_ptr[j] as usize, l.col_ptr[j + 1] as usize);
            let mut s = x[j];
            for (&i, &v) in l.col_row[a..b].iter().zip(&l.col_val[a..b]) {
                s -= v * x[i as usize];
            }
            x[j] = s;
        }
    }

    /// `perm[i]`: the original row of permuted row i.
    pub(crate) fn perm(&self) -> &[usize] {
        &self.perm
    }
}

/// The lower triangle being factorised (see [`LdlFactor::new`]).
#[derive(Clone, Copy)]
pub(crate) struct Lower<'a> {
    pub(crate) n: usize,
    pub(crate) col_ptr: &'a [usize],
    pub(crate) row_idx: &'a [usize],
    pub(crate) values: &'a [f64],
}

/// A factorisation under way, by rows of L (up-looking): the rows of the
/// first vertices in the elimination order can be computed before the
/// order of the rest is known, since row k of L depends on rows before k
/// only. `DcPowerFlow::new` computes the rows of the vertices that the
/// ordering eliminated explicitly while AMD orders the rest; every row
/// goes through the same arithmetic as in one pass.
pub(crate) struct Prefactor {
    n: usize,
    tol: f64,
    /// Rows so far: `perm[k]` is the original row of row k.
    perm: Vec<usize>,
    /// Original row → position (`NONE` until placed).
    pinv: Vec<usize>,
    /// Elimination tree so far (`NONE` at roots and not yet known).
    parent: Vec<usize>,
    /// Entries below the diagonal per column of L, from the rows so far.
    counts: Vec<usize>,
    /// Per column, the count announced when its space was laid out.
    announced: Vec<usize>,
    tree_flag: Vec<usize>,
    l_ptr: Vec<u32>,
    li: Vec<u32>,
    lx: Vec<f64>,
    d: Vec<f64>,
    y: Vec<f64>,
    flag: Vec<usize>,
    filled: Vec<usize>,
    pattern: Vec<usize>,
    /// Entries of the matrix that belong to rows not yet placed, in the
    /// order of the matrix (`None`: none placed yet, so all of them).
    pending: Option<Vec<Entry>>,
}

/// An entry of the lower triangle: original row, original column, value.
type Entry = (usize, usize, f64);

impl Prefactor {
    /// Starts a factorisation with the rows of `first` (vertices in
    /// elimination order), whose columns of L hold `counts[k]` entries
    /// below the diagonal each (the vertex's degree when eliminated). The
    /// counts are checked when the factorisation is finished.
    pub(crate) fn new(
        lower: Lower,
        first: &[usize],
        counts: &[usize],
    ) -> Result<Prefactor, FactorError> {
        let n = lower.n;
        debug_assert_eq!(lower.col_ptr.len(), n + 1, "column pointers");
        if u32::try_from(n).is_err() {
            return Err(FactorError::Failed(FactorFailure::TooManyUnknowns {
                unknowns: n,
            }));
        }
        let max_diag = max_abs_diagonal(n, lower.col_ptr, lower.row_idx, lower.values);
        if !max_diag.is_finite() {
            let (row, value) = entries(lower)
                .find(|&(i, j, x)| i == j && x.is_infinite())
                .map(|(i, _, x)| (i, x))
                .expect("an infinite maximum comes from an infinite entry");
            return Err(FactorError::NonFiniteDiagonal { row, value });
        }
        let mut pre = Prefactor {
            n,
            tol: PIVOT_TOLERANCE * max_diag.max(f64::MIN_POSITIVE),
            perm: Vec::with_capacity(n),
            pinv: vec![NONE; n],
            parent: vec![NONE; n],
            counts: vec![0; n],
            announced: Vec::with_capacity(n),
            tree_flag: vec![NONE; n],
            l_ptr: vec![0],
            li: Vec::new(),
            lx: Vec::new(),
            d: vec![0.0; n],
            y: vec![0.0; n],
            flag: vec![NONE; n],
            filled: vec![0; n],
            pattern: vec![0; n],
            pending: None,
        };
        pre.rows(lower, first, Some(counts))?;
        Ok(pre)
    }

    /// Adds the rows of `rest` (the remaining vertices, in elimination
    /// order) and returns the factor.
    pub(crate) fn finish(mut self, lower: Lower, rest: &[usize]) -> Result<LdlFactor, FactorError> {
        if self.perm.len() + rest.len() != self.n {
            return Err(OrderDefect::Length {
                order: self.perm.len() + rest.len(),
                rows: self.n,
            }
            .into());
        }
        self.rows(lower, rest, None)?;
        debug_assert_eq!(self.counts.len(), self.announced.len());
        let announced = self.announced.iter();
        if let Some((column, (&found, &announced))) = self
            .counts
            .iter()
            .zip(announced)
            .enumerate()
            .find(|(_, (c, a))| c != a)
        {
            return Err(OrderDefect::CountMismatch {
                column,
                announced,
                found,
            }
            .into());
        }
        Ok(LdlFactor {
            n: self.n,
            perm: self.perm,
            l: SparseL {
                col_ptr: self.l_ptr,
                col_row: self.li,
                col_val: self.lx,
                inv_diag: self.d.iter().map(|&d| 1.0 / d).collect(),
            },
        })
    }

    /// Places `order` after the rows so far and computes their rows of L.
    /// Their columns get `counts` entries each if given, else as many as
    /// the elimination tree finds once every row is known (`order` must
    /// then be the last rows).
    fn rows(
        &mut self,
        lower: Lower,
        order: &[usize],
        counts: Option<&[usize]>,
    ) -> Result<(), FactorError> {
        if order.is_empty() {
            return Ok(());
        }
        let first = self.perm.len();
        for (k, &v) in order.iter().enumerate() {
            if v >= self.n {
                return Err(OrderDefect::RowOutOfRange {
                    row: v,
                    rows: self.n,
                }
                .into());
            }
            if self.pinv[v] != NONE {
                return Err(OrderDefect::RowTwice { row: v }.into());
            }
            self.pinv[v] = first + k;
        }
        self.perm.extend_from_slice(order);
        let rows = first..self.perm.len();
        let (upper, pending) = match self.pending.take() {
            Some(pending) => permuted_upper(pending.iter().copied(), &self.pinv, rows.clone()),
            None => permuted_upper(entries(lower), &self.pinv, rows.clone()),
        };
        self.pending = Some(pending);
        self.elimination_tree(&upper);
        // The last stage knows every column count: its dense tail, if any.
        let last_stage = counts.is_none();
        let tail = match counts {
            Some(_) => None,
            None => self.tail_start(first),
        };
        let counts = counts.unwrap_or(&self.counts[rows.clone()]);
        if counts.len() != rows.len() {
            return Err(OrderDefect::CountsLength {
                counts: counts.len(),
                rows: rows.len(),
            }
            .into());
        }
        let total: u64 = self.l_ptr[first] as u64 + counts.iter().map(|&c| c as u64).sum::<u64>();
        if u32::try_from(total).is_err() {
            return Err(FactorError::Failed(FactorFailure::TooManyEntries {
                entries: total,
            }));
        }
        let too_large = || FactorError::Failed(FactorFailure::OutOfMemory { entries: total });
        for &c in counts {
            self.l_ptr.push(self.l_ptr[self.l_ptr.len() - 1] + c as u32);
        }
        self.announced.extend_from_slice(counts);
        let extra = total as usize - self.li.len();
        self.li.try_reserve_exact(extra).map_err(|_| too_large())?;
        self.lx.try_reserve_exact(extra).map_err(|_| too_large())?;
        self.li.resize(total as usize, 0);
        self.lx.resize(total as usize, 0.0);
        let sparse_end = tail.unwrap_or(self.perm.len());
        self.numeric(&upper, first..sparse_end, last_stage)
            .and_then(|()| match tail {
                Some(t0) => self.dense_tail(&upper, t0),
                None => Ok(()),
            })
            .map_err(|stop| match stop {
                Stop::Pivot(k) => FactorError::Singular { row: self.perm[k] },
                Stop::ColumnFull(column) => OrderDefect::CountTooSmall {
                    column,
                    announced: self.announced[column],
                }
                .into(),
            })
    }

    /// Extends the elimination tree and the column counts by the rows of
    /// `upper`, walking each row's subtree: the simplest O(|L|) form.
    fn elimination_tree(&mut self, upper: &Upper) {
        let (parent, counts, flag) = (&mut self.parent, &mut self.counts, &mut self.tree_flag);
        for k in upper.rows.clone() {
            flag[k] = k;
            for &(i0, _) in upper.column(k) {
                let mut i = i0;
                while flag[i] != k {
                    if parent[i] == NONE {
                        parent[i] = k;
                    }
                    counts[i] += 1;
                    flag[i] = k;
                    i = parent[i];
                }
            }
        }
    }
}

/// Where [`Prefactor::numeric`] stopped short.
enum Stop {
    /// Pivot k is not finite or too small.
    Pivot(usize),
    /// Column i of L outgrew the entries announced for it.
    ColumnFull(usize),
}

/// Columns `rows` of the upper triangle of `P A Pᵀ` (diagonal included,
/// rows in no particular order): column k lists `(i, a_ik)` for i ≤ k.
struct Upper {
    rows: std::ops::Range<usize>,
    ptr: Vec<usize>,
    entries: Vec<(usize, f64)>,
}

impl Upper {
    fn column(&self, k: usize) -> &[(usize, f64)] {
        let c = k - self.rows.start;
        &self.entries[self.ptr[c]..self.ptr[c + 1]]
    }
}

/// The reach of row `k` in the elimination tree `parent`: for each entry
/// `(i, v)` of `column` (column k of the upper triangle) calls
/// `scatter(i, v)` and walks from i up the tree to the first vertex
/// already flagged for k, flagging the path; the paths land in
/// topological order at `pattern[top..n]`, and `top` is returned.
#[inline(always)]
fn reach(
    k: usize,
    n: usize,
    column: &[(usize, f64)],
    parent: &[usize],
    flag: &mut [usize],
    pattern: &mut [usize],
    mut scatter: impl FnMut(usize, f64),
) -> usize {
    let mut top = n;
    flag[k] = k;
    for &(i0, v) in column {
        scatter(i0, v);
        let mut len = 0;
        let mut i = i0;
        while flag[i] != k {
            pattern[len] = i;
            len += 1;
            flag[i] = k;
            i = parent[i];
        }
        while len > 0 {
            len -= 1;
            top -= 1;
            pattern[top] = pattern[len];
        }
    }
    top
}

/// Every entry of the lower triangle, column by column.
fn entries(lower: Lower) -> impl Iterator<Item = Entry> + Clone {
    let Lower {
        n,
        col_ptr,
        row_idx,
        values,
    } = lower;
    (0..n).flat_map(move |j| {
        let span = col_ptr[j]..col_ptr[j + 1];
        row_idx[span.clone()]
            .iter()
            .zip(&values[span])
            .map(move |(&i, &x)| (i, j, x))
    })
}

/// [`Upper`] for the columns `rows` from `entries`, with `pinv` the
/// positions known so far (`NONE` for rows not yet placed), and the
/// entries that belong to such rows, in order, for a later call. Each
/// column lists its entries in the order of `entries`, so the result does
/// not depend on how the rows are staged.
fn permuted_upper(
    entries: impl Iterator<Item = Entry> + Clone,
    pinv: &[usize],
    rows: std::ops::Range<usize>,
) -> (Upper, Vec<Entry>) {
    let width = rows.len();
    let column = |i: usize, j: usize| {
        let (a, b) = (pinv[i], pinv[j]);
        (a.min(b), a.max(b))
    };
    let mut ptr = vec![0usize; width + 1];
    let mut pending = Vec::new();
    for (i, j, x) in entries.clone() {
        let (_, col) = column(i, j);
        if rows.contains(&col) {
            ptr[col - rows.start + 1] += 1;
        } else {
            pending.push((i, j, x));
        }
    }
    for c in 0..width {
        ptr[c + 1] += ptr[c];
    }
    let mut next = ptr.clone();
    let mut placed = vec![(0usize, 0.0f64); ptr[width]];
    for (i, j, x) in entries {
        let (row, col) = column(i, j);
        if rows.contains(&col) {
            let c = col - rows.start;
            placed[next[c]] = (row, x);
            next[c] += 1;
        }
    }
    let upper = Upper {
        rows,
        ptr,
        entries: placed,
    };
    (upper, pending)
}

fn max_abs_diagonal(n: usize, col_ptr: &[usize], row_idx: &[usize], values: &[f64]) -> f64 {
    let mut m = 0.0f64;
    for j in 0..n {
        for p in col_ptr[j]..col_ptr[j + 1] {
            if row_idx[p] == j {
                m = m.max(values[p].abs());
            }
        }
    }
    m
}

#[cfg(test)]
mod tests;
