//! The block kernel's tile layout and output writer.
//!
//! Period matrices are elements × periods, column-major (nalgebra): one
//! column per period, holding that snapshot's buses (or branches)
//! contiguously. The block kernel works on rows of [`BLOCK`] lanes, one
//! lane per period. Between the two layouts, 16 × 16 [`Tile`]s are
//! transposed in L1, so every read of the input and every write of the
//! output is a run of 16 contiguous values of one column.
//!
//! [`ColumnsIn`] and [`ColumnsOut`] name one block's columns of an input
//! or output matrix; [`TileWriter`] writes the tiles of an output pass as
//! runs aligned on cache lines, one tile late and with the lines asked for
//! [`PREFETCH_TILES`] tiles ahead. Values only move here: no arithmetic,
//! so nothing in this module can change a result's bits.

use super::many::BLOCK;

/// How many tiles ahead the output passes ask for their lines, for
/// writing. Every output run misses the caches and must be read before it
/// is written; asking two tiles ahead overlaps those reads with the work
/// on the tiles before: 12–14 % less time per snapshot on
/// `case_ACTIVSg10k` in interleaved runs, 1 and 2 threads (4 tiles ahead:
/// the same; prefetching the inputs or the angle rows the flow pass
/// gathers: no gain).
pub(super) const PREFETCH_TILES: usize = 2;

/// A 16 × 16 tile: `tile[j][c]` is element `e0 + j` in lane `c`.
pub(super) type Tile = [[f64; BLOCK]; BLOCK];

/// Column-major input: period `c` of the block is
/// `data[(offset + c) * ld ..][..ld]`.
#[derive(Clone, Copy)]
pub(super) struct ColumnsIn<'a> {
    pub(super) data: &'a [f64],
    pub(super) ld: usize,
    pub(super) offset: usize,
}

/// Column-major output laid out like [`ColumnsIn`], written through a raw
/// pointer so that parallel blocks fill disjoint columns (periods) of one
/// matrix.
#[derive(Clone, Copy)]
pub(super) struct ColumnsOut {
    ptr: *mut f64,
    len: usize,
    ld: usize,
    offset: usize,
}

// SAFETY: a `ColumnsOut` is shared between rayon tasks that each write
// only the columns `offset..offset + width` of their own block; blocks
// never overlap, and nothing reads the matrix until every task is done.
//
// Why not safe chunking: a version that cut each output into per-block
// `&mut [f64]` column slices up front (`chunks_mut`, zipped into the
// parallel iterator; branch `many-split`, uncommitted experiment) was
// measured against this one on 2026-12-04 17:21 UTC, four interleaved
// rounds of `bench_dcpf case_ACTIVSg10k.m --snapshots 8760`, 2 threads, this
// project's AMD EPYC (AVX-512): this raw-pointer writer 20.6–21.0 µs per
// snapshot (median 20.8), the safe one 21.1–24.9 (median 22.0), about 5 %
// slower in every round. The faster one is kept; the bounds are still
// checked on every run (`put_run`).
unsafe impl Send for ColumnsOut {}
unsafe impl Sync for ColumnsOut {}

impl ColumnsOut {
    pub(super) fn new(data: &mut [f64], ld: usize) -> ColumnsOut {
        ColumnsOut {
            ptr: data.as_mut_ptr(),
            len: data.len(),
            ld,
            offset: 0,
        }
    }

    /// Same matrix, another block's periods.
    pub(super) fn at(self, offset: usize) -> ColumnsOut {
        ColumnsOut { offset, ..self }
    }

    /// A writer of tiles into the first `width` periods of this block.
    pub(super) fn writer(self, width: usize) -> TileWriter {
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
pub(super) struct TileWriter {
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
    pub(super) fn prefetch(&self, e0: usize) {
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
    pub(super) fn put(&mut self, e0: usize, k: usize, tile: &Tile) {
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
    pub(super) fn finish(mut self) {
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

/// `dst.copy_from_slice(src)` for runs of at most [`BLOCK`] values: a
/// full run as a fixed-size copy (a few vector moves, inlined), not a call
/// to `memmove`.
#[inline(always)]
pub(super) fn copy_run(dst: &mut [f64], src: &[f64]) {
    match (
        <&mut [f64; BLOCK]>::try_from(&mut *dst),
        <&[f64; BLOCK]>::try_from(src),
    ) {
        (Ok(d), Ok(s)) => *d = *s,
        _ => dst.copy_from_slice(src),
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
pub(super) fn transpose<const W: usize>(src: &Tile, dst: &mut [[f64; W]; BLOCK], at: usize) {
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
