//! Lane-wise arithmetic on rows of [`BLOCK`] values, one lane per
//! period: the block kernel's arithmetic (the triangular solves in
//! `super::factor`, loading, the degree conversion, flows), the views of a
//! row-major `_ × BLOCK` array as lane rows, and the finiteness check.
//!
//! With AVX-512 (a build for a CPU that has it, as `.cargo/config.toml`
//! asks), two 512-bit registers per row: the compiler's own vectorisation
//! stops at 256 bits on CPUs where it prefers them. The finiteness check
//! uses AVX (256 bits, see [`mark_non_finite`]). Without these features
//! every helper is a plain scalar loop over the lanes. Each lane sees the
//! same multiplies, adds and subtracts in the same order (no fused
//! multiply-add) in every path: the results are those of the scalar single
//! solve, bit for bit.

use super::many::BLOCK;

/// `acc[c] -= a * x[c]` for every lane.
#[inline(always)]
pub(super) fn sub_scaled(acc: &mut [f64; BLOCK], a: f64, x: &[f64; BLOCK]) {
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

/// `c[0] + Σ c[z] · profiles[z − 1]` lane by lane, terms in order, each
/// as `acc − (−c)·x` (which is `acc + c·x` exactly). With AVX but not
/// AVX-512 the 16 lanes stay in four 256-bit registers over all terms and
/// are stored once, 256 bits at a time: left to the compiler, an AVX2
/// build mixed 128- and 256-bit stores of the row, and the 256-bit loads
/// of the statistics that read it straight after stalled on store
/// forwarding (the superposed year ran 15 µs per snapshot on
/// `case_ACTIVSg10k` against 11 µs for the portable build).
#[inline(always)]
pub(super) fn superpose_lanes(c: &[f64], profiles: &[[f64; BLOCK]]) -> [f64; BLOCK] {
    #[cfg(all(
        target_arch = "x86_64",
        target_feature = "avx",
        not(target_feature = "avx512f")
    ))]
    {
        use std::arch::x86_64::{
            _mm256_loadu_pd, _mm256_mul_pd, _mm256_set1_pd, _mm256_storeu_pd, _mm256_sub_pd,
        };
        let mut out = [0.0; BLOCK];
        // SAFETY: AVX is enabled at compile time; every load and store
        // covers 4 of the 16 values of a row, at offsets 0, 4, 8 and 12.
        unsafe {
            let mut acc = [_mm256_set1_pd(c[0]); BLOCK / 4];
            for (&cz, p) in c[1..].iter().zip(profiles) {
                let a = _mm256_set1_pd(-cz);
                for (q, r) in acc.iter_mut().enumerate() {
                    let x = _mm256_loadu_pd(p.as_ptr().add(4 * q));
                    *r = _mm256_sub_pd(*r, _mm256_mul_pd(a, x));
                }
            }
            for (q, r) in acc.iter().enumerate() {
                _mm256_storeu_pd(out.as_mut_ptr().add(4 * q), *r);
            }
        }
        out
    }
    #[cfg(not(all(
        target_arch = "x86_64",
        target_feature = "avx",
        not(target_feature = "avx512f")
    )))]
    {
        let mut out = [c[0]; BLOCK];
        for (&cz, p) in c[1..].iter().zip(profiles) {
            sub_scaled(&mut out, -cz, p);
        }
        out
    }
}

/// `out[c] = x[c] · a − b` for every lane.
#[inline(always)]
pub(super) fn scale_shift_lanes(out: &mut [f64; BLOCK], x: &[f64; BLOCK], a: f64, b: f64) {
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
pub(super) fn flow_lanes(
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

/// Row `i` of a row-major `_ × BLOCK` array, as a fixed-size array (so
/// copies compile to a few vector moves, not a `memmove` call).
#[inline(always)]
pub(super) fn lanes(a: &[f64], i: usize) -> &[f64; BLOCK] {
    a[i * BLOCK..(i + 1) * BLOCK].try_into().expect("lane row")
}

/// Mutable [`lanes`].
#[inline(always)]
pub(super) fn lanes_mut(a: &mut [f64], i: usize) -> &mut [f64; BLOCK] {
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
pub(super) fn mark_non_finite(rows: &[[f64; BLOCK]], bad: &mut [f64; BLOCK]) {
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

/// Bit `c` set for each lane `c` with `f(x[c]) OP limit`, compared in
/// vector registers: `OP` is `_CMP_GT_OQ` or `_CMP_LT_OQ`, and with `ABS` the
/// lanes' absolute values are compared (the sign bit cleared in register,
/// never through a stored array: reloading a row the compiler stored a lane
/// at a time stalled the statistics pass). False for NaN.
#[inline(always)]
fn mask_cmp<const OP: i32, const ABS: bool>(x: &[f64; BLOCK], limit: f64) -> u32 {
    #[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
    {
        use std::arch::x86_64::{
            _mm512_abs_pd, _mm512_cmp_pd_mask, _mm512_loadu_pd, _mm512_set1_pd,
        };
        let mut m = 0u32;
        for h in (0..BLOCK).step_by(8) {
            // SAFETY: AVX-512F is enabled at compile time; h + 8 <= BLOCK.
            let k = unsafe {
                let mut v = _mm512_loadu_pd(x.as_ptr().add(h));
                if ABS {
                    v = _mm512_abs_pd(v);
                }
                _mm512_cmp_pd_mask::<OP>(v, _mm512_set1_pd(limit))
            };
            m |= u32::from(k) << h;
        }
        m
    }
    #[cfg(all(
        target_arch = "x86_64",
        target_feature = "avx",
        not(target_feature = "avx512f")
    ))]
    {
        use std::arch::x86_64::{
            _mm256_andnot_pd, _mm256_cmp_pd, _mm256_loadu_pd, _mm256_movemask_pd, _mm256_set1_pd,
        };
        let mut m = 0u32;
        for h in (0..BLOCK).step_by(4) {
            // SAFETY: AVX is enabled at compile time; h + 4 <= BLOCK.
            let k = unsafe {
                let mut v = _mm256_loadu_pd(x.as_ptr().add(h));
                if ABS {
                    v = _mm256_andnot_pd(_mm256_set1_pd(-0.0), v);
                }
                _mm256_movemask_pd(_mm256_cmp_pd::<OP>(v, _mm256_set1_pd(limit)))
            };
            m |= (k as u32) << h;
        }
        m
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "avx")))]
    {
        let mut m = 0u32;
        for (c, &v) in x.iter().enumerate() {
            let v = if ABS { v.abs() } else { v };
            let hit = if OP == CMP_GT { v > limit } else { v < limit };
            m |= u32::from(hit) << c;
        }
        m
    }
}

#[cfg(target_arch = "x86_64")]
const CMP_GT: i32 = std::arch::x86_64::_CMP_GT_OQ;
#[cfg(target_arch = "x86_64")]
const CMP_LT: i32 = std::arch::x86_64::_CMP_LT_OQ;
#[cfg(not(target_arch = "x86_64"))]
const CMP_GT: i32 = 30;
#[cfg(not(target_arch = "x86_64"))]
const CMP_LT: i32 = 17;

/// Bits of the first `width` lanes.
#[inline(always)]
pub(super) fn live_bits(width: usize) -> u32 {
    if width >= 32 {
        u32::MAX
    } else {
        (1u32 << width) - 1
    }
}

/// Whether any of the first `width` lanes is above `hi` or below `lo`
/// (the statistics' test for a new record, once per branch and block).
/// With AVX but not AVX-512, a full block is answered in vector registers
/// (compares or-ed, one move of the sign bits): joining four 4-lane masks
/// into one integer, the compiler packed them with word inserts and
/// shuffles, which made an AVX2 build's statistics pass half again as
/// slow as a portable one.
#[inline(always)]
pub(super) fn any_outside(x: &[f64; BLOCK], width: usize, lo: f64, hi: f64) -> bool {
    #[cfg(all(
        target_arch = "x86_64",
        target_feature = "avx",
        not(target_feature = "avx512f")
    ))]
    if width == BLOCK {
        use std::arch::x86_64::{
            _mm256_cmp_pd, _mm256_loadu_pd, _mm256_movemask_pd, _mm256_or_pd, _mm256_set1_pd,
            _mm256_setzero_pd,
        };
        // SAFETY: AVX is enabled at compile time; each load reads 4 of the
        // 16 values.
        return unsafe {
            let (h, l) = (_mm256_set1_pd(hi), _mm256_set1_pd(lo));
            let mut acc = _mm256_setzero_pd();
            for q in (0..BLOCK).step_by(4) {
                let v = _mm256_loadu_pd(x.as_ptr().add(q));
                let out =
                    _mm256_or_pd(_mm256_cmp_pd::<CMP_GT>(v, h), _mm256_cmp_pd::<CMP_LT>(v, l));
                acc = _mm256_or_pd(acc, out);
            }
            _mm256_movemask_pd(acc) != 0
        };
    }
    (mask_gt(x, hi) | mask_lt(x, lo)) & live_bits(width) != 0
}

/// Lanes among the first `width` with `|x[c]| > limit`. With AVX but
/// not AVX-512, a full block counts each 4-lane mask on its own (see
/// [`any_outside`] for why the masks are not joined).
#[inline(always)]
pub(super) fn count_abs_gt(x: &[f64; BLOCK], width: usize, limit: f64) -> u32 {
    #[cfg(all(
        target_arch = "x86_64",
        target_feature = "avx",
        not(target_feature = "avx512f")
    ))]
    if width == BLOCK {
        use std::arch::x86_64::{
            _mm256_andnot_pd, _mm256_cmp_pd, _mm256_loadu_pd, _mm256_movemask_pd, _mm256_set1_pd,
        };
        // SAFETY: as in `any_outside`.
        return unsafe {
            let (sign, l) = (_mm256_set1_pd(-0.0), _mm256_set1_pd(limit));
            let mut n = 0;
            for q in (0..BLOCK).step_by(4) {
                let v = _mm256_andnot_pd(sign, _mm256_loadu_pd(x.as_ptr().add(q)));
                n += (_mm256_movemask_pd(_mm256_cmp_pd::<CMP_GT>(v, l)) as u32).count_ones();
            }
            n
        };
    }
    (mask_abs_gt(x, limit) & live_bits(width)).count_ones()
}

/// Bit `c` set for each lane `c` with `x[c] > limit` (false for NaN).
#[inline(always)]
pub(super) fn mask_gt(x: &[f64; BLOCK], limit: f64) -> u32 {
    mask_cmp::<CMP_GT, false>(x, limit)
}

/// Bit `c` set for each lane `c` with `x[c] < limit`.
#[inline(always)]
pub(super) fn mask_lt(x: &[f64; BLOCK], limit: f64) -> u32 {
    mask_cmp::<CMP_LT, false>(x, limit)
}

/// Bit `c` set for each lane `c` with `|x[c]| > limit`.
#[inline(always)]
pub(super) fn mask_abs_gt(x: &[f64; BLOCK], limit: f64) -> u32 {
    mask_cmp::<CMP_GT, true>(x, limit)
}
