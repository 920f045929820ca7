//! The dense tail of the factorisation: the last rows of the elimination
//! order, which fill in almost completely, as one dense LDLᵀ.
//!
//! Under a minimum-degree order the last few hundred rows of a large grid
//! (the separators of the meshed core) are nearly dense and carry most of
//! the arithmetic: in a 70,000-bus synthetic grid the last 300 of 69,999
//! rows hold 80 % of the up-looking factorisation's multiply-adds, done
//! one scattered entry at a time. Here those rows are split in three:
//! 1. each tail row's entries in the sparse columns before the tail, by
//!    the same sparse triangular solve as any row, but leaving out the
//!    updates that land inside the tail;
//! 2. the tail's Schur complement `S = A₂₂ − L₂₁ D₁ L₂₁ᵀ`, assembled into a
//!    dense matrix from those entries, on two threads (by columns of S);
//! 3. faer's dense LDLᵀ of S (blocked, no pivoting), whose entries at the
//!    tail's structural positions go back into the CSC arrays.
//!
//! The factor keeps the simplicial layout, pattern and counts (the block
//! kernel and the solves see no difference); only the rounding of the
//! tail's entries differs from the row-by-row sums. Entries outside the
//! pattern are exact zeros in the dense factor and are left out.

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::cholesky::ldlt::factor::{LdltRegularization, cholesky_in_place};
use faer::{MatMut, Par};

use super::{Prefactor, Stop, Upper};

/// What the tail rows read: the factor's columns before the tail, done.
struct Done<'a> {
    t0: usize,
    parent: &'a [usize],
    l_ptr: &'a [u32],
    li: &'a [u32],
    lx: &'a [f64],
    /// Entries so far per column (the tail rows add theirs afterwards).
    filled: &'a [usize],
    d: &'a [f64],
}

/// One thread's work vectors: `y` zero and `flag` free of the rows to
/// come on entry, and so again on exit.
struct Scratch<'a> {
    y: &'a mut [f64],
    flag: &'a mut [usize],
    pattern: &'a mut [usize],
}

impl Done<'_> {
    /// The entries of the tail rows `rows` in L's columns, as `(column,
    /// value)` (the value unused for tail columns, whose entries come
    /// from S), row after row, and where each row's entries end. Row k's
    /// columns are the reach of its entries in the elimination tree, as in
    /// `Prefactor::numeric`; its values in the sparse columns solve the
    /// triangular system with the sparse columns' entries only (those in
    /// the tail belong to S).
    fn rows(
        &self,
        upper: &Upper,
        rows: std::ops::Range<usize>,
        scratch: &mut Scratch,
    ) -> (Vec<(u32, f64)>, Vec<usize>) {
        let n = scratch.y.len();
        let t0 = self.t0;
        let Scratch { y, flag, pattern } = scratch;
        let mut out = Vec::new();
        let mut ends = Vec::with_capacity(rows.len());
        for k in rows {
            let top = super::reach(
                k,
                n,
                upper.column(k),
                self.parent,
                flag,
                pattern,
                |i0, v| {
                    if i0 < t0 {
                        y[i0] += v;
                    }
                },
            );
            for &i in &pattern[top..n] {
                if i >= t0 {
                    out.push((i as u32, 0.0));
                    continue;
                }
                let yi = y[i];
                y[i] = 0.0;
                let start = self.l_ptr[i] as usize;
                for p in start..start + self.filled[i] {
                    y[self.li[p] as usize] -= self.lx[p] * yi;
                }
                out.push((i as u32, yi / self.d[i]));
            }
            ends.push(out.len());
        }
        (out, ends)
    }
}

/// Fewest rows worth a dense tail: below this the row-by-row loops are
/// as fast.
const MIN_TAIL: usize = 64;

/// Most rows of a dense tail (its matrix takes `8 s²` bytes: 32 MiB).
const MAX_TAIL: usize = 2048;

/// Share of the tail's lower triangle that must be in L's pattern.
const TAIL_DENSITY: f64 = 0.8;

impl Prefactor {
    /// First row of the dense tail among rows `from..n`, if there is one:
    /// the longest suffix of at least [`MIN_TAIL`] rows whose columns of L
    /// fill at least [`TAIL_DENSITY`] of its lower triangle (every entry
    /// of a tail column lies in the tail). Needs the final column counts.
    pub(super) fn tail_start(&self, from: usize) -> Option<usize> {
        let n = self.n;
        let mut entries = 0usize;
        let mut start = None;
        for s in 1..=(n - from).min(MAX_TAIL) {
            entries += self.counts[n - s];
            if s >= MIN_TAIL && entries as f64 >= TAIL_DENSITY * (s * (s - 1) / 2) as f64 {
                start = Some(n - s);
            }
        }
        start
    }

    /// Rows `t0..n` of `upper` as a dense tail (see the module's text). The
    /// rows before `t0` must be done.
    pub(super) fn dense_tail(&mut self, upper: &Upper, t0: usize) -> Result<(), Stop> {
        let n = self.n;
        let s = n - t0;
        // Column-major lower triangle of S: (r, c) at c·s + r, r ≥ c.
        let mut dense = vec![0.0f64; s * s];
        for k in t0..n {
            for &(i0, v) in upper.column(k) {
                if i0 >= t0 {
                    dense[(i0 - t0) * s + (k - t0)] += v;
                }
            }
        }
        // The tail rows' entries in the sparse columns read only those
        // columns' finished entries, never each other's: two threads, each
        // with its own scratch, on the first and second part of the rows;
        // the entries go into L afterwards, row by row.
        let mid = t0 + s * 3 / 5;
        let ((mut ahead, ahead_ends), (behind, behind_ends)) = {
            let done = Done {
                t0,
                parent: &self.parent,
                l_ptr: &self.l_ptr,
                li: &self.li,
                lx: &self.lx,
                filled: &self.filled,
                d: &self.d,
            };
            let mut scratch = Scratch {
                y: &mut self.y,
                flag: &mut self.flag,
                pattern: &mut self.pattern,
            };
            rayon::join(
                || done.rows(upper, t0..mid, &mut scratch),
                || {
                    let (mut y, mut flag, mut pattern) =
                        (vec![0.0; n], vec![super::NONE; n], vec![0; n]);
                    let mut scratch = Scratch {
                        y: &mut y,
                        flag: &mut flag,
                        pattern: &mut pattern,
                    };
                    done.rows(upper, mid..n, &mut scratch)
                },
            )
        };
        let offset = ahead.len();
        ahead.extend(behind);
        let ends: Vec<usize> = ahead_ends
            .into_iter()
            .chain(behind_ends.into_iter().map(|e| e + offset))
            .collect();
        let head: Vec<usize> = self.filled[..t0].to_vec();
        let mut touched = Vec::new();
        let mut from = 0;
        for (k, &to) in (t0..n).zip(&ends) {
            for &(i, v) in &ahead[from..to] {
                let i = i as usize;
                let end = self.l_ptr[i] as usize + self.filled[i];
                if end >= self.l_ptr[i + 1] as usize {
                    return Err(Stop::ColumnFull(i));
                }
                self.li[end] = k as u32;
                self.filled[i] += 1;
                if i < t0 {
                    self.lx[end] = v;
                    if self.filled[i] == head[i] + 1 {
                        touched.push(i);
                    }
                }
            }
            from = to;
        }
        self.schur_update(&mut dense, t0, &head, &touched);
        self.factor_dense(&mut dense, t0)
    }

    /// `S −= L₂₁ D₁ L₂₁ᵀ` over the sparse columns `touched`, whose entries
    /// past `head` are their tail rows, ascending. Two threads when rayon
    /// has them, each on its own columns of S (split where the triangle's
    /// area halves), so the sums do not depend on the thread count.
    fn schur_update(&self, dense: &mut [f64], t0: usize, head: &[usize], touched: &[usize]) {
        let s = self.n - t0;
        let split = s - ((s * s) as f64 / 2.0).sqrt() as usize;
        let (left, right) = dense.split_at_mut(split * s);
        let update = |cols: std::ops::Range<usize>, out: &mut [f64]| {
            for &i in touched {
                let start = self.l_ptr[i] as usize + head[i];
                let end = self.l_ptr[i] as usize + self.filled[i];
                let (rows, vals) = (&self.li[start..end], &self.lx[start..end]);
                let di = self.d[i];
                for (b, (&rb, &lb)) in rows.iter().zip(vals).enumerate() {
                    let c = rb as usize - t0;
                    if !cols.contains(&c) {
                        continue;
                    }
                    let f = lb * di;
                    let column = &mut out[(c - cols.start) * s..(c - cols.start + 1) * s];
                    for (&ra, &la) in rows[b..].iter().zip(&vals[b..]) {
                        column[ra as usize - t0] -= f * la;
                    }
                }
            }
        };
        rayon::join(|| update(0..split, left), || update(split..s, right));
    }

    /// Dense LDLᵀ of S, then the tail's D and the values of its entries.
    fn factor_dense(&mut self, dense: &mut [f64], t0: usize) -> Result<(), Stop> {
        let s = self.n - t0;
        let par = match rayon::current_num_threads() {
            0 | 1 => Par::Seq,
            t => Par::rayon(t.min(2)),
        };
        let mut mem = MemBuffer::new(
            faer::linalg::cholesky::ldlt::factor::cholesky_in_place_scratch::<f64>(
                s,
                par,
                Default::default(),
            ),
        );
        let mat = MatMut::from_column_major_slice_mut(dense, s, s);
        let failed = cholesky_in_place(
            mat,
            LdltRegularization::default(),
            par,
            MemStack::new(&mut mem),
            Default::default(),
        )
        .err()
        .map(|faer::linalg::cholesky::ldlt::factor::LdltError::ZeroPivot { index }| index);
        for j in 0..failed.map_or(s, |index| index + 1) {
            let dj = dense[j * s + j];
            if !dj.is_finite() || dj.abs() <= self.tol {
                return Err(Stop::Pivot(t0 + j));
            }
            self.d[t0 + j] = dj;
        }
        if let Some(index) = failed {
            return Err(Stop::Pivot(t0 + index));
        }
        for c in t0..self.n {
            let start = self.l_ptr[c] as usize;
            let column = &dense[(c - t0) * s..(c - t0 + 1) * s];
            for p in start..start + self.filled[c] {
                self.lx[p] = column[self.li[p] as usize - t0];
            }
        }
        Ok(())
    }
}
