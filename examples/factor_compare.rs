//! Which sparse factorisation for the reduced B? Times the permissively
//! licensed candidates in faer on the same matrix, and the many
//! right-hand-side solves, and prints a Markdown table.
//!
//! ```text
//! cargo run --release --example factor_compare -- CASE.m [CASE.m …] [--synthetic N …] [--rhs 8760]
//! ```
//! Candidates: faer LDLᵀ simplicial and supernodal (AMD), faer LLᵀ
//! (refuses indefinite B), faer LU (COLAMD, partial pivoting), and the
//! crate's own path (`DcPowerFlow::from_model`: explicit minimum degree
//! while some vertex has at most three neighbours, then faer's AMD on the
//! rest, its own up-looking LDLᵀ and solve). Many
//! right-hand sides: faer's multi-column LDLᵀ solve against the crate's
//! block kernel (`solve_reduced_block`, rayon over blocks), angles only.

mod common;

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::cholesky::ldlt::factor::{LdltError, LdltRegularization};
use faer::sparse::linalg::SupernodalThreshold;
use faer::sparse::linalg::cholesky::{
    CholeskySymbolicParams, LdltRef, SymbolicCholesky, SymmetricOrdering,
    factorize_symbolic_cholesky,
};
use faer::sparse::{SparseColMat, Triplet};
use faer::{Conj, Mat, Par, Side};
use landlinked::dc::{BLOCK, DcPowerFlow};
use landlinked::io::matpower;
use landlinked::synthetic::{SyntheticParams, synthetic_grid};
use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut inputs: Vec<(String, DcPowerFlow)> = Vec::new();
    let mut rhs = 8760usize;
    while let Some(a) = args.next() {
        let net = match a.as_str() {
            "--rhs" => {
                rhs = args.next().and_then(|v| v.parse().ok()).unwrap_or(rhs);
                continue;
            }
            "--synthetic" => {
                let n: usize = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--synthetic N");
                synthetic_grid(&SyntheticParams {
                    buses: n,
                    ..Default::default()
                })
            }
            path => match matpower::read(path) {
                Ok(net) => net,
                Err(e) => {
                    eprintln!("error: {e}");
                    std::process::exit(1);
                }
            },
        };
        let pf = DcPowerFlow::new(&net).unwrap_or_else(|e| {
            eprintln!("error: {e}");
            std::process::exit(1)
        });
        let name = if a == "--synthetic" {
            format!("synthetic{}", net.buses.len())
        } else {
            net.name.clone()
        };
        inputs.push((name, pf));
    }
    println!("| matrix | n | nnz(B) | method | analyse+factor+solve ms | nnz(L) | note |");
    println!("|---|---:|---:|---|---:|---:|---|");
    for (name, pf) in &inputs {
        compare_factorisations(name, pf);
    }
    println!();
    println!("| matrix | right-hand sides | method | threads | total ms | µs per rhs |");
    println!("|---|---:|---|---:|---:|---:|");
    for (name, pf) in &inputs {
        compare_many(name, pf, rhs);
    }
}

/// Lower triangle of B_red as faer CSC, and the full matrix.
fn faer_matrices(pf: &DcPowerFlow) -> (SparseColMat<usize, f64>, SparseColMat<usize, f64>) {
    let b = pf.reduced_b();
    let n = b.rows();
    let mut lower = Vec::new();
    let mut full = Vec::new();
    for (j, col) in b.outer_iterator().enumerate() {
        for (i, &v) in col.iter() {
            full.push(Triplet::new(i, j, v));
            if i >= j {
                lower.push(Triplet::new(i, j, v));
            }
        }
    }
    (
        SparseColMat::try_new_from_triplets(n, n, &lower).expect("lower"),
        SparseColMat::try_new_from_triplets(n, n, &full).expect("full"),
    )
}

/// AMD ordering and elimination structure of the lower triangle.
fn symbolic(
    lower: &SparseColMat<usize, f64>,
    threshold: SupernodalThreshold,
) -> SymbolicCholesky<usize> {
    let params = CholeskySymbolicParams {
        supernodal_flop_ratio_threshold: threshold,
        ..Default::default()
    };
    factorize_symbolic_cholesky(
        lower.symbolic(),
        Side::Lower,
        SymmetricOrdering::Amd,
        params,
    )
    .expect("symbolic")
}

/// Numeric LDLᵀ (no regularisation) into `values`.
fn numeric<'a>(
    sym: &'a SymbolicCholesky<usize>,
    values: &'a mut [f64],
    lower: &SparseColMat<usize, f64>,
    par: Par,
    mem: &mut MemBuffer,
) -> Result<LdltRef<'a, usize, f64>, LdltError> {
    sym.factorize_numeric_ldlt(
        values,
        lower.as_ref(),
        Side::Lower,
        LdltRegularization::default(),
        par,
        MemStack::new(mem),
        Default::default(),
    )
}

fn ldlt(lower: &SparseColMat<usize, f64>, threshold: SupernodalThreshold) -> (usize, bool) {
    let n = lower.nrows();
    let sym = symbolic(lower, threshold);
    let mut values = vec![0.0; sym.len_val()];
    let par = Par::Seq;
    let mut mem = MemBuffer::new(
        sym.factorize_numeric_ldlt_scratch::<f64>(par, Default::default())
            .or(sym.solve_in_place_scratch::<f64>(1, par)),
    );
    let ok = match numeric(&sym, &mut values, lower, par, &mut mem) {
        Ok(f) => {
            let mut x = Mat::<f64>::from_fn(n, 1, |i, _| (i % 7) as f64 - 3.0);
            f.solve_in_place_with_conj(Conj::No, x.as_mut(), par, MemStack::new(&mut mem));
            x.col(0).iter().all(|v| v.is_finite())
        }
        Err(_) => false,
    };
    (sym.len_val(), ok)
}

fn compare_factorisations(name: &str, pf: &DcPowerFlow) {
    let (lower, full) = faer_matrices(pf);
    let n = lower.nrows();
    let nnz = full.compute_nnz();
    let row = |method: &str, ms: f64, l: String, note: &str| {
        println!("| {name} | {n} | {nnz} | {method} | {ms:.3} | {l} | {note} |");
    };
    for (method, th) in [
        (
            "faer LDLᵀ simplicial, AMD",
            SupernodalThreshold::FORCE_SIMPLICIAL,
        ),
        (
            "faer LDLᵀ supernodal, AMD",
            SupernodalThreshold::FORCE_SUPERNODAL,
        ),
    ] {
        let (ms, (l, ok)) = common::best_ms(7, || ldlt(&lower, th));
        row(method, ms, l.to_string(), if ok { "" } else { "failed" });
    }
    let (ms, llt) = common::best_ms(7, || lower.sp_cholesky(Side::Lower));
    let note = if llt.is_ok() {
        ""
    } else {
        "refused: B is indefinite (negative reactances)"
    };
    row("faer LLᵀ", ms, "".into(), note);
    let (ms, lu) = common::best_ms(7, || full.sp_lu());
    row(
        "faer LU, COLAMD",
        ms,
        "".into(),
        if lu.is_ok() { "" } else { "failed" },
    );
    let model = pf.model().clone();
    let (ms, _) = common::best_ms(7, || {
        let p = DcPowerFlow::from_model(model.clone()).expect("factor");
        let mut x = vec![1.0; p.reduced_len()];
        p.solve_reduced_in_place(&mut x);
        x
    });
    row(
        "landlinked (own LDLᵀ, low-degree + AMD ordering)",
        ms,
        pf.factor_nnz().to_string(),
        "from_model: ordering, factor, solve, clone of the model",
    );
}

fn compare_many(name: &str, pf: &DcPowerFlow, k: usize) {
    let (lower, _) = faer_matrices(pf);
    let n = lower.nrows();
    let rhs = |i: usize, j: usize| ((i * 31 + j * 17) % 97) as f64 - 48.0;
    // faer: its own multi-column LDLᵀ solve on one n × k matrix.
    let sym = symbolic(&lower, SupernodalThreshold::FORCE_SIMPLICIAL);
    let mut values = vec![0.0; sym.len_val()];
    for (threads, par) in [(1, Par::Seq), (2, Par::rayon(2))] {
        let mut mem = MemBuffer::new(
            sym.factorize_numeric_ldlt_scratch::<f64>(par, Default::default())
                .or(sym.solve_in_place_scratch::<f64>(k, par)),
        );
        let f = numeric(&sym, &mut values, &lower, par, &mut mem).expect("ldlt");
        let mut x = Mat::<f64>::from_fn(n, k, rhs);
        let (ms, _) = common::best_ms(3, || {
            f.solve_in_place_with_conj(Conj::No, x.as_mut(), par, MemStack::new(&mut mem));
        });
        println!(
            "| {name} | {k} | faer LDLᵀ solve, n × k | {threads} | {ms:.1} | {:.2} |",
            ms * 1e3 / k as f64
        );
    }
    // landlinked: blocks of BLOCK right-hand sides, row-major, rayon.
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let blocks = k.div_ceil(BLOCK);
        let mut data: Vec<Vec<f64>> = (0..blocks)
            .map(|b| {
                let w = BLOCK.min(k - b * BLOCK);
                (0..n * w).map(|e| rhs(e / w, b * BLOCK + e % w)).collect()
            })
            .collect();
        let (ms, _) = common::best_ms(3, || {
            pool.install(|| {
                data.par_iter_mut().for_each(|blk| {
                    let w = blk.len() / n.max(1);
                    pf.solve_reduced_block(blk, w);
                })
            })
        });
        println!(
            "| {name} | {k} | landlinked block kernel ({BLOCK} lanes) | {threads} | {ms:.1} | {:.2} |",
            ms * 1e3 / k as f64
        );
    }
}
