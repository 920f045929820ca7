//! The factor's block solve: `A X = B` for [`BLOCK`] right-hand sides at
//! once, stored row by row (`n × BLOCK`, lanes contiguous), so each walk
//! over L updates a whole row of lanes with the vector helpers of
//! `super::super::lanes`. The kernel behind `DcPowerFlow::solve_many`,
//! `solve_stream` and `solve_reduced_block`; it reads L and D⁻¹ directly,
//! which is why it lives with the factor that owns them.

use super::LdlFactor;
use crate::dc::BLOCK;
use crate::dc::lanes::{lanes, lanes_mut, sub_scaled};

impl LdlFactor {
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
    ///
    /// # Panics
    /// If `y` is shorter than `n × BLOCK`.
    pub(crate) fn solve_block_permuted(&self, y: &mut [f64]) {
        let l = &self.l;
        let n = self.n;
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_lane_equals_the_single_solve() {
        let n = 300;
        let (cp, ri, v) = super::super::tests::grid_matrix(n);
        let f = LdlFactor::new(n, &cp, &ri, &v).unwrap();
        // Lane c holds right-hand side c, in the factor's permuted order.
        let rhs = |c: usize, i: usize| ((i * (c + 3)) as f64 * 0.173).sin();
        let mut y = vec![0.0; n * BLOCK];
        for i in 0..n {
            for c in 0..BLOCK {
                y[i * BLOCK + c] = rhs(c, i);
            }
        }
        f.solve_block_permuted(&mut y);
        for c in 0..BLOCK {
            let mut x: Vec<f64> = (0..n).map(|i| rhs(c, i)).collect();
            f.solve_permuted(&mut x);
            for i in 0..n {
                // `==`: the single solve skips zero multipliers, so a zero
                // may differ in sign, never in value.
                assert!(y[i * BLOCK + c] == x[i], "lane {c}, row {i}");
            }
        }
    }
}
