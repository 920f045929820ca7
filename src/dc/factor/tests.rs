//! Unit tests of the LDLᵀ factor: indefinite and singular systems, faer's
//! simplicial LDLᵀ under the same ordering, the staged factor equal to the
//! one-pass factor to the bit, and bad counts, orders and diagonals as
//! errors, not panics.
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
    assert_eq!(r.err(), Some(FactorError::Singular { row: 1 }));
}

/// A grid-like indefinite matrix: a weighted Laplacian (a chain plus
/// chords, one weight in ten negative, as with series capacitors) plus
/// a few grounding terms so it is nonsingular. Lower triangle, CSC.
pub(super) fn grid_matrix(n: usize) -> (Vec<usize>, Vec<usize>, Vec<f64>) {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut dense = vec![vec![0.0f64; n]; n];
    let add = |a: usize, b: usize, w: f64, dense: &mut Vec<Vec<f64>>| {
        dense[a][a] += w;
        dense[b][b] += w;
        dense[a][b] -= w;
        dense[b][a] -= w;
    };
    for i in 0..n - 1 {
        let w = 0.5 + (next() % 100) as f64 / 20.0;
        let w = if next() % 10 == 0 { -0.3 * w } else { w };
        add(i, i + 1, w, &mut dense);
    }
    for _ in 0..n / 2 {
        let (a, b) = ((next() % n as u64) as usize, (next() % n as u64) as usize);
        if a != b {
            add(a, b, 1.0 + (next() % 50) as f64 / 10.0, &mut dense);
        }
    }
    for i in (0..n).step_by(37) {
        dense[i][i] += 2.0;
    }
    lower_of(&dense)
}

/// The lower triangle of a dense symmetric matrix in CSC, diagonal
/// entries always, others where nonzero.
fn lower_of(dense: &[Vec<f64>]) -> (Vec<usize>, Vec<usize>, Vec<f64>) {
    let (mut cp, mut ri, mut v) = (vec![0], Vec::new(), Vec::new());
    for j in 0..dense.len() {
        for (i, row) in dense.iter().enumerate().skip(j) {
            if row[j] != 0.0 || i == j {
                ri.push(i);
                v.push(row[j]);
            }
        }
        cp.push(ri.len());
    }
    (cp, ri, v)
}

#[test]
fn matches_faers_simplicial_ldlt_under_the_same_ordering() {
    let n = 300;
    let (cp, ri, v) = grid_matrix(n);
    assert_matches_faer(n, &cp, &ri, &v);
}

/// Our factor against faer's simplicial LDLᵀ under our ordering: the same
/// pattern, and values to rounding.
fn assert_matches_faer(n: usize, cp: &[usize], ri: &[usize], v: &[f64]) {
    use faer::dyn_stack::{MemBuffer, MemStack};
    use faer::linalg::cholesky::ldlt::factor::LdltRegularization;
    use faer::perm::PermRef;
    use faer::sparse::linalg::SupernodalThreshold;
    use faer::sparse::linalg::cholesky::{
        CholeskySymbolicParams, SymbolicCholeskyRaw, SymmetricOrdering, factorize_symbolic_cholesky,
    };
    use faer::sparse::{SparseColMatRef, SymbolicSparseColMatRef};
    use faer::{Par, Side};

    let ours = LdlFactor::new(n, cp, ri, v).unwrap();
    let mut inv = vec![0usize; n];
    for (k, &i) in ours.perm().iter().enumerate() {
        inv[i] = k;
    }
    let sym = SymbolicSparseColMatRef::new_checked(n, n, cp, None, ri);
    let params = CholeskySymbolicParams {
        supernodal_flop_ratio_threshold: SupernodalThreshold::FORCE_SIMPLICIAL,
        ..Default::default()
    };
    let ordering = SymmetricOrdering::Custom(PermRef::new_checked(ours.perm(), &inv, n));
    let symbolic = factorize_symbolic_cholesky(sym, Side::Lower, ordering, params).unwrap();
    let mut lv = vec![0.0f64; symbolic.len_val()];
    let mut mem = MemBuffer::new(
        symbolic.factorize_numeric_ldlt_scratch::<f64>(Par::Seq, Default::default()),
    );
    symbolic
        .factorize_numeric_ldlt(
            &mut lv,
            SparseColMatRef::new(sym, v),
            Side::Lower,
            LdltRegularization::default(),
            Par::Seq,
            MemStack::new(&mut mem),
            Default::default(),
        )
        .unwrap();
    let SymbolicCholeskyRaw::Simplicial(simp) = symbolic.raw() else {
        panic!("simplicial expected");
    };
    let (fcp, fri) = (simp.col_ptr(), simp.row_idx());
    assert_eq!(ours.nnz(), lv.len(), "same fill");
    let l = &ours.l;
    let scale = max_abs_diagonal(n, cp, ri, v);
    let negative = l.inv_diag.iter().filter(|&&r| r < 0.0).count();
    assert!(negative > 0, "the test matrix should be indefinite");
    for j in 0..n {
        // faer: the diagonal first, then the rows below, ascending.
        assert_eq!(fri[fcp[j]], j);
        let d = lv[fcp[j]];
        // Late pivots come from cancellation (0.05 out of terms near
        // 20, then −198 after dividing by it): the two summation
        // orders differ on the scale of the matrix, not of the pivot.
        let ours_d = 1.0 / l.inv_diag[j];
        assert!(
            (ours_d - d).abs() <= 1e-10 * scale.max(d.abs()),
            "D[{j}]: {ours_d} vs {d}"
        );
        let ours_col = (l.col_ptr[j] as usize)..(l.col_ptr[j + 1] as usize);
        assert_eq!(ours_col.len(), fcp[j + 1] - fcp[j] - 1, "column {j} count");
        for (p, q) in ours_col.zip(fcp[j] + 1..fcp[j + 1]) {
            assert_eq!(l.col_row[p] as usize, fri[q], "column {j} pattern");
            assert!(
                (l.col_val[p] - lv[q]).abs() <= 1e-10 * lv[q].abs().max(1.0),
                "L[{j}]"
            );
        }
    }
}

#[test]
fn solves_a_grid_matrix_to_rounding() {
    let n = 300;
    let (cp, ri, v) = grid_matrix(n);
    assert_solves(n, &cp, &ri, &v);
}

/// Solves `A x = A x_true` and checks x against x_true.
fn assert_solves(n: usize, cp: &[usize], ri: &[usize], v: &[f64]) {
    let f = LdlFactor::new(n, cp, ri, v).unwrap();
    let x_true: Vec<f64> = (0..n).map(|i| (i as f64 * 0.37).sin()).collect();
    // b = A x from the lower triangle
    let mut b = vec![0.0; n];
    for j in 0..n {
        for p in cp[j]..cp[j + 1] {
            let i = ri[p];
            b[i] += v[p] * x_true[j];
            if i != j {
                b[j] += v[p] * x_true[i];
            }
        }
    }
    let mut w = vec![0.0; n];
    f.solve_in_place(&mut b, &mut w);
    let err = b
        .iter()
        .zip(&x_true)
        .map(|(a, t)| (a - t).abs())
        .fold(0.0, f64::max);
    assert!(err < 1e-10, "max error {err}");
}

/// [`grid_matrix`], held so that it can be lent out as a [`Lower`].
struct GridLower {
    n: usize,
    cp: Vec<usize>,
    ri: Vec<usize>,
    v: Vec<f64>,
}

impl GridLower {
    fn new(n: usize) -> GridLower {
        let (cp, ri, v) = grid_matrix(n);
        GridLower { n, cp, ri, v }
    }

    fn lower(&self) -> Lower<'_> {
        Lower {
            n: self.n,
            col_ptr: &self.cp,
            row_idx: &self.ri,
            values: &self.v,
        }
    }
}

/// The ordering's split of a lower triangle, found from the edges of
/// its off-diagonal pattern.
fn split_of(lower: Lower) -> super::super::ordering::Split {
    let edges: Vec<(usize, usize)> = entries(lower)
        .map(|(i, j, _)| (i, j))
        .filter(|&(i, j)| i != j)
        .collect();
    super::super::ordering::Split::new(lower.n, &edges)
}

#[test]
fn staged_factorisation_equals_one_pass_to_the_bit() {
    let grid = GridLower::new(300);
    assert_staged_equals_one_pass(grid.lower());
}

fn assert_staged_equals_one_pass(lower: Lower) {
    let split = split_of(lower);
    assert!(!split.first.is_empty(), "a grid has low-degree vertices");
    let rest = split.rest().unwrap();
    let staged = Prefactor::new(lower, &split.first, split.first_counts())
        .unwrap()
        .finish(lower, &rest)
        .unwrap();
    let order: Vec<usize> = split.first.iter().chain(&rest).copied().collect();
    let one_pass = Prefactor::new(lower, &[], &[])
        .unwrap()
        .finish(lower, &order)
        .unwrap();
    assert_eq!(staged.perm(), one_pass.perm());
    let (a, b) = (&staged.l, &one_pass.l);
    assert_eq!(a.col_ptr, b.col_ptr);
    assert_eq!(a.col_row, b.col_row);
    let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a.col_val), bits(&b.col_val));
    assert_eq!(bits(&a.inv_diag), bits(&b.inv_diag));
}

#[test]
fn wrong_announced_counts_are_an_error_not_a_panic() {
    let grid = GridLower::new(300);
    let lower = grid.lower();
    let split = split_of(lower);
    let rest = split.rest().unwrap();
    for delta in [-1i64, 1] {
        let mut counts = split.first_counts().to_vec();
        let k = counts.iter().position(|&c| c > 0).unwrap();
        let found = counts[k];
        counts[k] = (counts[k] as i64 + delta) as usize;
        let announced = counts[k];
        let r = Prefactor::new(lower, &split.first, &counts).and_then(|p| p.finish(lower, &rest));
        let defect = if delta < 0 {
            OrderDefect::CountTooSmall {
                column: k,
                announced,
            }
        } else {
            OrderDefect::CountMismatch {
                column: k,
                announced,
                found,
            }
        };
        assert_eq!(r.err(), Some(defect.into()), "delta {delta}");
    }
    let r = Prefactor::new(lower, &split.first, &split.first_counts()[1..]);
    let defect = OrderDefect::CountsLength {
        counts: split.first.len() - 1,
        rows: split.first.len(),
    };
    assert_eq!(r.err(), Some(defect.into()));
}

#[test]
fn an_order_that_does_not_fit_the_matrix_is_an_error() {
    let grid = GridLower::new(300);
    let lower = grid.lower();
    let r = Prefactor::new(lower, &[0, 0], &[0, 0]);
    assert_eq!(r.err(), Some(OrderDefect::RowTwice { row: 0 }.into()));
    let r = Prefactor::new(lower, &[300], &[0]);
    let defect = OrderDefect::RowOutOfRange {
        row: 300,
        rows: 300,
    };
    assert_eq!(r.err(), Some(defect.into()));
    let r = Prefactor::new(lower, &[], &[]).and_then(|p| p.finish(lower, &[0, 1]));
    let defect = OrderDefect::Length {
        order: 2,
        rows: 300,
    };
    assert_eq!(r.err(), Some(defect.into()));
}

#[test]
fn an_infinite_diagonal_names_its_row() {
    // diag(1, inf, 2), with an off-diagonal entry.
    let r = LdlFactor::new(
        3,
        &[0, 2, 3, 4],
        &[0, 1, 1, 2],
        &[1.0, -0.5, f64::INFINITY, 2.0],
    );
    let e = FactorError::NonFiniteDiagonal {
        row: 1,
        value: f64::INFINITY,
    };
    assert_eq!(r.err(), Some(e));
}

/// A dense block on the last `k` of `n` rows: [`grid_matrix`] on the first
/// `n − k` vertices and a weighted clique on the rest (one weight in seven
/// negative), tied to the grid by one branch per clique vertex; with
/// `grounded` false and no tie, the clique's Laplacian is singular.
fn with_clique(n: usize, k: usize, grounded: bool) -> GridLower {
    let (cp, ri, v) = grid_matrix(n - k);
    let mut dense = vec![vec![0.0f64; n]; n];
    for j in 0..n - k {
        for p in cp[j]..cp[j + 1] {
            dense[ri[p]][j] = v[p];
        }
    }
    let mut add = |a: usize, b: usize, w: f64| {
        let (hi, lo) = (a.max(b), a.min(b));
        dense[hi][hi] += w;
        dense[lo][lo] += w;
        dense[hi][lo] -= w;
    };
    for a in n - k..n {
        for b in n - k..a {
            let w = 1.0 + ((a * 31 + b * 17) % 23) as f64 / 7.0;
            add(a, b, if (a + b) % 7 == 0 { -0.2 * w } else { w });
        }
        if grounded {
            add(a, (a * 13) % (n - k), 2.0);
        }
    }
    let (cp, ri, v) = lower_of(&dense);
    GridLower { n, cp, ri, v }
}

#[test]
fn a_dense_tail_matches_the_row_by_row_factor() {
    let m = with_clique(400, 120, true);
    let lower = m.lower();
    // The clique comes last in the order and fills a tail on its own.
    let order = super::super::ordering::fill_reducing(m.n, &m.cp, &m.ri).unwrap();
    let mut pre = Prefactor::new(lower, &[], &[]).unwrap();
    let tail = pre.rows(lower, &order, None).map(|()| pre.tail_start(0));
    assert!(matches!(tail, Ok(Some(t0)) if t0 <= m.n - 120), "{tail:?}");
    assert_matches_faer(m.n, &m.cp, &m.ri, &m.v);
    assert_solves(m.n, &m.cp, &m.ri, &m.v);
    assert_staged_equals_one_pass(lower);
}

#[test]
fn a_singular_dense_tail_names_a_row_in_it() {
    let m = with_clique(300, 100, false);
    let r = LdlFactor::new(m.n, &m.cp, &m.ri, &m.v);
    assert!(
        matches!(r, Err(FactorError::Singular { row }) if row >= 200),
        "{:?}",
        r.err()
    );
}

/// The sparse rows of the last stage on two threads (`subtrees`) give the
/// factor of one thread to the bit, on a synthetic grid whose elimination
/// tree splits below its dense tail; and it solves.
#[test]
fn subtrees_on_two_threads_equal_one_thread_to_the_bit() {
    use crate::synthetic::{SyntheticParams, synthetic_grid};
    use std::sync::atomic::Ordering;
    let net = synthetic_grid(&SyntheticParams {
        buses: 12_000,
        ..SyntheticParams::default()
    });
    let factor_on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| crate::dc::DcPowerFlow::new(&net).unwrap())
    };
    let before = super::subtrees::SPLITS.load(Ordering::Relaxed);
    let two = factor_on(2);
    assert!(
        super::subtrees::SPLITS.load(Ordering::Relaxed) > before,
        "the grid's rows were split between the threads"
    );
    let one = factor_on(1);
    let (a, b) = (&one.factor, &two.factor);
    assert_eq!(a.perm(), b.perm());
    assert_eq!(a.l.col_ptr, b.l.col_ptr);
    assert_eq!(a.l.col_row, b.l.col_row);
    let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a.l.col_val), bits(&b.l.col_val));
    assert_eq!(bits(&a.l.inv_diag), bits(&b.l.inv_diag));
    let solved = two.solve().unwrap();
    assert!(solved.va_deg.iter().all(|x| x.is_finite()));
}
