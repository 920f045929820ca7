//! The factorisation seam: a sparse LDLᵀ of a symmetric matrix, with a
//! fill-reducing AMD ordering, computed by faer and solved by our own loops.
//!
//! faer computes the ordering, the elimination structure (simplicial) and
//! the numbers; this module keeps the factor as plain CSC arrays so the
//! solve kernels (one right-hand side here, blocks of them in
//! [`super::many`]) walk it directly, deterministically and without
//! allocation. LDLᵀ without pivoting handles the indefinite B of cases with
//! negative reactances; a pivot that vanishes relative to the matrix's
//! diagonal is reported as singular, with its position.

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::cholesky::ldlt::factor::{LdltError, LdltRegularization};
use faer::sparse::linalg::SupernodalThreshold;
use faer::sparse::linalg::cholesky::{
    CholeskySymbolicParams, SymbolicCholeskyRaw, SymmetricOrdering, factorize_symbolic_cholesky,
};
use faer::sparse::{SparseColMatRef, SymbolicSparseColMatRef};
use faer::{Par, Side};

/// Relative size below which a pivot counts as zero.
const PIVOT_TOLERANCE: f64 = 1e-11;

/// Why a factorisation failed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FactorError {
    /// Pivot at this (unpermuted) row vanished: the matrix is singular there.
    Singular { row: usize },
    /// faer refused for another reason.
    Other(String),
}

/// LDLᵀ factor `P A Pᵀ = L D Lᵀ`, L unit lower triangular in CSC with its
/// diagonal slot holding D.
#[derive(Debug, Clone)]
pub(crate) struct LdlFactor {
    n: usize,
    /// `perm[i]` = original row of permuted row i.
    perm: Vec<usize>,
    col_ptr: Vec<usize>,
    row_idx: Vec<usize>,
    values: Vec<f64>,
    /// L again for the block kernel (forward solve by rows, backward by
    /// columns, compact indices).
    kernel: KernelL,
}

/// The factor again in the compact form the block kernel walks: the
/// strictly lower part of L by rows (CSR, columns ascending) for the
/// forward solve, by columns (CSC) for the backward solve, and D apart;
/// indices are `u32`, which halves the index traffic of every solve.
#[derive(Debug, Clone, Default)]
pub(crate) struct KernelL {
    pub(crate) row_ptr: Vec<u32>,
    pub(crate) row_col: Vec<u32>,
    pub(crate) row_val: Vec<f64>,
    pub(crate) col_ptr: Vec<u32>,
    pub(crate) col_row: Vec<u32>,
    pub(crate) col_val: Vec<f64>,
    pub(crate) diag: Vec<f64>,
}

impl KernelL {
    /// From a CSC factor whose diagonal is the first entry of each column;
    /// None if its entries do not fit `u32` indices.
    fn new(n: usize, col_ptr: &[usize], row_idx: &[usize], values: &[f64]) -> Option<KernelL> {
        let nnz = col_ptr[n];
        if u32::try_from(nnz).is_err() {
            return None;
        }
        let mut row_ptr = vec![0u32; n + 1];
        let (mut k_col_ptr, mut col_row, mut col_val) = (
            Vec::with_capacity(n + 1),
            Vec::with_capacity(nnz - n),
            Vec::with_capacity(nnz - n),
        );
        k_col_ptr.push(0u32);
        let mut diag = Vec::with_capacity(n);
        for j in 0..n {
            diag.push(values[col_ptr[j]]);
            for p in col_ptr[j] + 1..col_ptr[j + 1] {
                let i = row_idx[p];
                row_ptr[i + 1] += 1;
                col_row.push(i as u32);
                col_val.push(values[p]);
            }
            k_col_ptr.push(col_row.len() as u32);
        }
        for i in 0..n {
            row_ptr[i + 1] += row_ptr[i];
        }
        let mut next = row_ptr.clone();
        let off = nnz - n;
        let (mut row_col, mut row_val) = (vec![0u32; off], vec![0.0f64; off]);
        for j in 0..n {
            for p in col_ptr[j] + 1..col_ptr[j + 1] {
                let i = row_idx[p];
                let at = next[i] as usize;
                row_col[at] = j as u32;
                row_val[at] = values[p];
                next[i] += 1;
            }
        }
        Some(KernelL {
            row_ptr,
            row_col,
            row_val,
            col_ptr: k_col_ptr,
            col_row,
            col_val,
            diag,
        })
    }
}

impl LdlFactor {
    /// Factorises the symmetric matrix given by its lower triangle in CSC
    /// (sorted row indices, diagonal present in every column).
    pub(crate) fn new(
        n: usize,
        col_ptr: &[usize],
        row_idx: &[usize],
        values: &[f64],
    ) -> Result<LdlFactor, FactorError> {
        if n == 0 {
            return Ok(LdlFactor {
                n,
                perm: Vec::new(),
                col_ptr: vec![0],
                row_idx: Vec::new(),
                values: Vec::new(),
                kernel: KernelL {
                    row_ptr: vec![0],
                    col_ptr: vec![0],
                    ..KernelL::default()
                },
            });
        }
        let other = |e: &dyn std::fmt::Debug| FactorError::Other(format!("{e:?}"));
        let sym = SymbolicSparseColMatRef::new_checked(n, n, col_ptr, None, row_idx);
        let params = CholeskySymbolicParams {
            supernodal_flop_ratio_threshold: SupernodalThreshold::FORCE_SIMPLICIAL,
            ..Default::default()
        };
        let symbolic =
            factorize_symbolic_cholesky(sym, Side::Lower, SymmetricOrdering::Amd, params)
                .map_err(|e| other(&e))?;
        let mut l_values = vec![0.0f64; symbolic.len_val()];
        let a = SparseColMatRef::new(sym, values);
        let par = Par::Seq;
        let mut mem =
            MemBuffer::new(symbolic.factorize_numeric_ldlt_scratch::<f64>(par, Default::default()));
        let max_diag = max_abs_diagonal(n, col_ptr, row_idx, values);
        let perm: Vec<usize> = match symbolic.perm() {
            Some(p) => p.arrays().0.to_vec(),
            None => (0..n).collect(),
        };
        if let Err(LdltError::ZeroPivot { index }) = symbolic.factorize_numeric_ldlt(
            &mut l_values,
            a,
            Side::Lower,
            LdltRegularization::default(),
            par,
            MemStack::new(&mut mem),
            Default::default(),
        ) {
            // faer reports the pivot as `index = k + 1`.
            let k = index.saturating_sub(1).min(n - 1);
            return Err(FactorError::Singular { row: perm[k] });
        }
        let SymbolicCholeskyRaw::Simplicial(simp) = symbolic.raw() else {
            return Err(FactorError::Other("expected a simplicial factor".into()));
        };
        let (col_ptr, row_idx) = (simp.col_ptr().to_vec(), simp.row_idx().to_vec());
        let kernel = KernelL::new(n, &col_ptr, &row_idx, &l_values).ok_or_else(|| {
            FactorError::Other(format!("factor too large: {} entries", l_values.len()))
        })?;
        let factor = LdlFactor {
            n,
            perm,
            col_ptr,
            row_idx,
            values: l_values,
            kernel,
        };
        factor.check_pivots(max_diag)?;
        Ok(factor)
    }

    fn check_pivots(&self, max_diag: f64) -> Result<(), FactorError> {
        let tol = PIVOT_TOLERANCE * max_diag.max(f64::MIN_POSITIVE);
        for j in 0..self.n {
            let d = self.values[self.col_ptr[j]];
            if d.is_nan() || d.abs() <= tol {
                return Err(FactorError::Singular { row: self.perm[j] });
            }
        }
        Ok(())
    }

    /// Dimension.
    pub(crate) fn n(&self) -> usize {
        self.n
    }

    /// Entries stored in L (diagonal included).
    pub(crate) fn nnz(&self) -> usize {
        self.values.len()
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
    fn solve_permuted(&self, x: &mut [f64]) {
        let (cp, ri, v) = (&self.col_ptr, &self.row_idx, &self.values);
        for j in 0..self.n {
            let xj = x[j];
            if xj != 0.0 {
                for p in cp[j] + 1..cp[j + 1] {
                    x[ri[p]] -= v[p] * xj;
                }
            }
        }
        for j in 0..self.n {
            x[j] /= v[cp[j]];
        }
        for j in (0..self.n).rev() {
            let mut s = x[j];
            for p in cp[j] + 1..cp[j + 1] {
                s -= v[p] * x[ri[p]];
            }
            x[j] = s;
        }
    }

    /// The raw arrays, for the block kernels.
    pub(crate) fn parts(&self) -> (&[usize], &[usize], &[usize], &[f64]) {
        (&self.perm, &self.col_ptr, &self.row_idx, &self.values)
    }

    /// L in the block kernel's form.
    pub(crate) fn kernel(&self) -> &KernelL {
        &self.kernel
    }
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
mod tests {
    use super::*;

    /// Lower triangle of [[4,1,0],[1,-3,1],[0,1,2]] (indefinite).
    fn small() -> (Vec<usize>, Vec<usize>, Vec<f64>) {
        (
            vec![0, 2, 4, 5],
            vec![0, 1, 1, 2, 2],
            vec![4.0, 1.0, -3.0, 1.0, 2.0],
        )
    }

    #[test]
    fn solves_an_indefinite_system() {
        let (cp, ri, v) = small();
        let f = LdlFactor::new(3, &cp, &ri, &v).unwrap();
        let mut x = vec![5.0, -1.0, 3.0]; // A * [1, 1, 1]
        let mut w = vec![0.0; 3];
        f.solve_in_place(&mut x, &mut w);
        for xi in x {
            assert!((xi - 1.0).abs() < 1e-14);
        }
    }

    #[test]
    fn reports_a_singular_matrix() {
        // [[1,-1],[-1,1]]
        let r = LdlFactor::new(2, &[0, 2, 3], &[0, 1, 1], &[1.0, -1.0, 1.0]);
        assert!(matches!(r, Err(FactorError::Singular { .. })));
    }
}
