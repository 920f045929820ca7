//! The sparse rows of the last stage on two threads, where the elimination
//! tree lets them: rows in disjoint subtrees never read each other's
//! columns.
//!
//! Row k of L reads and extends only columns in its reach, which are
//! descendants of k in the elimination tree; the rows of two disjoint
//! subtrees therefore touch disjoint columns of L, and so do the earlier
//! rows' columns that they extend (a column's later entries are its
//! ancestors, one chain, which enters one subtree only). Below the dense
//! tail of a large grid the minimum-degree order leaves a forest of a few
//! large subtrees (five on the 70,000-bus synthetic grid, whose two
//! heaviest-first bins come within 2 % of each other): the rows of each
//! bin go to one thread, in ascending order, each with its own scratch.
//! Every row performs the same operations in the same order as on one
//! thread, so the factor is the same to the bit whatever the thread count.

use super::{NONE, Prefactor, Stop, Upper, reach};

/// Fewest rows worth a second thread: below this, the thread's start and
/// its scratch cost more than half the rows' arithmetic.
const MIN_ROWS: usize = 2_000;

/// Smallest share of the estimated work the lighter bin must carry.
const MIN_SHARE: f64 = 0.25;

/// How many times [`Prefactor::numeric`] has split its rows between two
/// threads (tests check that they exercise the split).
#[cfg(test)]
pub(super) static SPLITS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Where [`Rows::run`] writes: L's row indices and values, the entries
/// filled per column and D, as raw pointers so that two threads can fill
/// the columns of disjoint subtrees at once. Each thread writes only the
/// columns and pivots of its own rows' subtrees (see the module's text)
/// and reads only those and the columns finished before it started.
#[derive(Clone, Copy)]
pub(super) struct Fill {
    li: *mut u32,
    lx: *mut f64,
    filled: *mut usize,
    d: *mut f64,
}

// SAFETY: a `Fill` is shared only between threads whose rows lie in
// disjoint subtrees of the elimination tree, which write disjoint
// elements (module's text); the arrays outlive the threads (`rayon::join`
// returns before `numeric` touches them again).
unsafe impl Send for Fill {}
unsafe impl Sync for Fill {}

impl Prefactor {
    /// The up-looking numeric factorisation of `rows` (of `upper`'s): on
    /// two threads if `split` and the elimination tree below them splits
    /// into subtrees of comparable work (module's text), else on this one.
    /// The first stage's rows are not split: AMD has the other thread.
    pub(super) fn numeric(
        &mut self,
        upper: &Upper,
        rows: std::ops::Range<usize>,
        split: bool,
    ) -> Result<(), Stop> {
        let fill = Fill {
            li: self.li.as_mut_ptr(),
            lx: self.lx.as_mut_ptr(),
            filled: self.filled.as_mut_ptr(),
            d: self.d.as_mut_ptr(),
        };
        let (n, tol) = (self.n, self.tol);
        let ctx = Rows {
            n,
            tol,
            upper,
            parent: &self.parent,
            l_ptr: &self.l_ptr,
            fill,
        };
        let Some((ahead, behind)) = split.then(|| self.bins(rows.clone())).flatten() else {
            // SAFETY: one thread, so every element is this thread's.
            return unsafe { ctx.run(rows, &mut self.y, &mut self.flag, &mut self.pattern) }
                .map_err(|(_, stop)| stop);
        };
        #[cfg(test)]
        SPLITS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (y, flag, pattern) = (&mut self.y, &mut self.flag, &mut self.pattern);
        let (a, b) = rayon::join(
            // SAFETY: `ahead` and `behind` are unions of disjoint subtrees.
            || unsafe { ctx.run(ahead.iter().copied(), y, flag, pattern) },
            || {
                let (mut y, mut flag, mut pattern) = (vec![0.0; n], vec![NONE; n], vec![0; n]);
                unsafe { ctx.run(behind.iter().copied(), &mut y, &mut flag, &mut pattern) }
            },
        );
        // On one thread the first failing row would have stopped it: the
        // lower of the two threads' failures.
        match (a, b) {
            (Err((ka, sa)), Err((kb, sb))) => Err(if ka < kb { sa } else { sb }),
            (Err((_, s)), _) | (_, Err((_, s))) => Err(s),
            _ => Ok(()),
        }
    }

    /// The rows of `rows` split into two bins of whole subtrees (each
    /// ascending), heaviest subtree first into the lighter bin, the work of
    /// a row taken as (entries in its column + 1)²; `None` when the rows
    /// are few, rayon has one thread or the lighter bin would carry less
    /// than [`MIN_SHARE`].
    fn bins(&self, rows: std::ops::Range<usize>) -> Option<(Vec<usize>, Vec<usize>)> {
        if rows.len() < MIN_ROWS || rayon::current_num_threads() < 2 {
            return None;
        }
        let inside = |p: usize| p != NONE && rows.contains(&p);
        let first = rows.start;
        let mut weight: Vec<f64> = rows
            .clone()
            .map(|k| ((self.counts[k] + 1) as f64).powi(2))
            .collect();
        let mut roots = Vec::new();
        for k in rows.clone() {
            let p = self.parent[k];
            if inside(p) {
                weight[p - first] += weight[k - first];
            } else {
                roots.push(k);
            }
        }
        roots.sort_by(|&a, &b| {
            weight[b - first]
                .total_cmp(&weight[a - first])
                .then(a.cmp(&b))
        });
        let mut bin = vec![0u8; rows.len()];
        let mut load = [0.0f64; 2];
        for &r in &roots {
            let lighter = usize::from(load[1] < load[0]);
            load[lighter] += weight[r - first];
            bin[r - first] = lighter as u8;
        }
        let total = load[0] + load[1];
        if load[0].min(load[1]) < MIN_SHARE * total {
            return None;
        }
        // Each row's bin is its root's: parents come after their children.
        for k in rows.clone().rev() {
            let p = self.parent[k];
            if inside(p) {
                bin[k - first] = bin[p - first];
            }
        }
        let (mut ahead, mut behind) = (Vec::new(), Vec::new());
        for k in rows {
            if bin[k - first] == 0 {
                ahead.push(k);
            } else {
                behind.push(k);
            }
        }
        Some((ahead, behind))
    }
}

/// What every row of [`Prefactor::numeric`] reads, and where it writes.
struct Rows<'a> {
    n: usize,
    tol: f64,
    upper: &'a Upper,
    parent: &'a [usize],
    l_ptr: &'a [u32],
    fill: Fill,
}

// SAFETY: as for `Fill`; the rest is shared read-only.
unsafe impl Sync for Rows<'_> {}

impl Rows<'_> {
    /// Rows `rows` (ascending) of L: row k solves a sparse triangular
    /// system over the reach of row k in the elimination tree, fills L's
    /// strictly lower part by columns (rows ascending) and D. Stops at the
    /// first row whose pivot is not finite or not larger than `tol` in
    /// magnitude ([`Stop::Pivot`]) or whose reach meets a column already
    /// full ([`Stop::ColumnFull`]), with that row.
    ///
    /// # Safety
    /// No other thread may write the columns and pivots of `rows`' reaches
    /// while this runs, nor read the ones this writes: true of the rows of
    /// one thread, and of two threads whose rows are disjoint subtrees.
    unsafe fn run(
        &self,
        rows: impl Iterator<Item = usize>,
        y: &mut [f64],
        flag: &mut [usize],
        pattern: &mut [usize],
    ) -> Result<(), (usize, Stop)> {
        let (n, l_ptr, f) = (self.n, self.l_ptr, self.fill);
        for k in rows {
            let top = reach(
                k,
                n,
                self.upper.column(k),
                self.parent,
                flag,
                pattern,
                |i0, v| y[i0] += v,
            );
            let mut dk = y[k];
            y[k] = 0.0;
            for &i in &pattern[top..n] {
                let yi = y[i];
                y[i] = 0.0;
                let start = l_ptr[i] as usize;
                // SAFETY (all below): column i and pivot i are this
                // thread's (the caller's promise); positions lie within
                // the column's space, checked against `l_ptr[i + 1]`.
                let filled = unsafe { &mut *f.filled.add(i) };
                let end = start + *filled;
                if end >= l_ptr[i + 1] as usize {
                    return Err((k, Stop::ColumnFull(i)));
                }
                for p in start..end {
                    let (row, x) = unsafe { (*f.li.add(p), *f.lx.add(p)) };
                    y[row as usize] -= x * yi;
                }
                let lki = yi / unsafe { *f.d.add(i) };
                dk -= lki * yi;
                unsafe {
                    *f.li.add(end) = k as u32;
                    *f.lx.add(end) = lki;
                }
                *filled += 1;
            }
            if !dk.is_finite() || dk.abs() <= self.tol {
                return Err((k, Stop::Pivot(k)));
            }
            unsafe { *f.d.add(k) = dk };
        }
        Ok(())
    }
}
