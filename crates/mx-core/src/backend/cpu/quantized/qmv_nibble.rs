//! The affine 4-bit quantized GEMV on AVX2, in float32.
//!
//! Each 32-bit word holds eight 4-bit codes. A vector of eight words covers a 64-element
//! chunk of the row; code `j` of every word is isolated with one mask, `w & (15 << 4j)`,
//! which leaves `code · 2^(4j)` in each lane, so no shift is needed. `x` is prepared to
//! match: permuted so that block `j` of a chunk holds the elements under code `j` of each
//! word, and scaled by `2^(-4j)`. Both scalings are powers of two, so every product
//! `code · x` is exact before its rounding, as on the float path, and the sums keep
//! float32's precision (unlike int8 parts of `x`, whose error the cancellation between
//! an affine group's scale and bias terms magnifies). The top code is shifted down
//! instead, since `15 << 28` does not fit an int32 lane.
//!
//! Several rows of `x` share each decoded chunk, so the decoding is paid once per weight
//! row rather than once per product.

use super::avx2::{lane_dot, lane_sum};
use std::arch::x86_64::*;

/// Elements of `x` covered by one vector of eight packed words.
pub(super) const CHUNK: usize = 64;

/// The smallest nonzero magnitude whose scaled copies (down to `2⁻²⁴ x`) stay normal
/// float32 numbers, so that the scaling loses no bits.
const SMALLEST: f32 = 1.0e-30;

/// One row of `x` in the kernel's order and scaling.
pub(super) struct NibbleRow {
    /// Per chunk, block `j` (eight elements) holds `x[8w + j] · 2^(-4j)` for words
    /// `w = 0..8`, except for the top block `j = 7`, which is not scaled.
    scaled: Vec<f32>,
    /// The sum of each quantization group of `x` (for the biases).
    sums: Vec<f32>,
}

/// `x` in the kernel's form, or `None` where the kernel does not apply: a row length
/// that is not a whole number of chunks, values that are not finite (whose products the
/// float path computes as MLX does), or values so small that their scaled copies would
/// be subnormal.
pub(super) fn prepare(x: &[f32], group_size: usize) -> Option<NibbleRow> {
    let exact = |v: &f32| v.is_finite() && (*v == 0.0 || v.abs() >= SMALLEST);
    if !x.len().is_multiple_of(CHUNK) || !x.iter().all(exact) {
        return None;
    }
    let mut scaled = vec![0.0f32; x.len()];
    for (chunk, out) in x.chunks_exact(CHUNK).zip(scaled.chunks_exact_mut(CHUNK)) {
        for (e, &v) in chunk.iter().enumerate() {
            let (word, code) = (e / 8, e % 8);
            let factor = if code == 7 {
                1.0
            } else {
                f32::from_bits((127 - 4 * code as u32) << 23)
            };
            out[code * 8 + word] = v * factor;
        }
    }
    let sums = x.chunks(group_size).map(|g| g.iter().sum()).collect();
    Some(NibbleRow { scaled, sums })
}

/// `Σ_g scale_g (codes_g · x_g) + bias_g Σ x_g` of one weight row of 4-bit codes with
/// every row of `x`, into `out` (one value per row of `x`).
///
/// # Safety
/// The CPU must support AVX2 and FMA ([`available`](super::avx2::available)), `words` must hold the row's
/// `x.len() / 8` words for every prepared row's length, `scales` and `biases` one value
/// per group, and `out` one value per row.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn row_dots(
    words: &[u32],
    scales: &[f32],
    biases: &[f32],
    rows: &[NibbleRow],
    group_size: usize,
    out: &mut [f32],
) {
    let mut start = 0;
    while start < rows.len() {
        let block = &rows[start..];
        let done = match block.len() {
            1 => block_dots::<1>(words, scales, block, group_size, &mut out[start..]),
            2 | 3 => block_dots::<2>(words, scales, block, group_size, &mut out[start..]),
            _ => block_dots::<4>(words, scales, block, group_size, &mut out[start..]),
        };
        start += done;
    }
    for (value, row) in out.iter_mut().zip(rows) {
        *value += lane_dot(biases, &row.sums);
    }
}

/// [`row_dots`]' scaled sums for the first `R` rows of `rows`, with the decoded chunk
/// held in registers across them; returns `R`.
#[target_feature(enable = "avx2,fma")]
unsafe fn block_dots<const R: usize>(
    words: &[u32],
    scales: &[f32],
    rows: &[NibbleRow],
    group_size: usize,
    out: &mut [f32],
) -> usize {
    let mut totals = [_mm256_setzero_ps(); R];
    let chunks = rows[0].scaled.len() / CHUNK;
    let group_shift = group_size.trailing_zeros();
    let packed = words.as_ptr() as *const __m256i;
    let xs: [*const f32; R] = std::array::from_fn(|r| rows[r].scaled.as_ptr());
    for c in 0..chunks {
        let w = _mm256_loadu_si256(packed.add(c));
        let code = |j: i32| {
            _mm256_cvtepi32_ps(if j == 7 {
                _mm256_srli_epi32(w, 28)
            } else {
                _mm256_and_si256(w, _mm256_set1_epi32(0xF << (4 * j)))
            })
        };
        let codes = [0, 1, 2, 3, 4, 5, 6, 7].map(code);
        let first = (c * CHUNK) >> group_shift;
        let second = (c * CHUNK + CHUNK / 2) >> group_shift;
        // 32-element groups take the chunk's halves, lanes 0–3 and 4–7.
        let scale = if first == second {
            _mm256_set1_ps(*scales.get_unchecked(first))
        } else {
            _mm256_set_m128(
                _mm_set1_ps(*scales.get_unchecked(second)),
                _mm_set1_ps(*scales.get_unchecked(first)),
            )
        };
        for r in 0..R {
            let x = |j: usize| _mm256_loadu_ps(xs[r].add(c * CHUNK + 8 * j));
            let mut even = _mm256_mul_ps(codes[0], x(0));
            let mut odd = _mm256_mul_ps(codes[1], x(1));
            for j in (2..8).step_by(2) {
                even = _mm256_fmadd_ps(codes[j], x(j), even);
                odd = _mm256_fmadd_ps(codes[j + 1], x(j + 1), odd);
            }
            totals[r] = _mm256_fmadd_ps(_mm256_add_ps(even, odd), scale, totals[r]);
        }
    }
    for (value, total) in out.iter_mut().zip(totals) {
        *value = lane_sum(total);
    }
    R
}

#[cfg(test)]
mod tests {
    use super::super::avx2::available;
    use super::super::gemv_fixture::{noise, WeightRow};
    use super::*;

    /// Checks `row_dots` for several rows of `x` against float64 sums, scaled by the
    /// sum of the terms' sizes.
    fn check(group_size: usize, xs: &[Vec<f32>], seed: u64) {
        let weights = WeightRow::new(xs[0].len(), 4, group_size, seed);
        let rows: Vec<NibbleRow> = xs
            .iter()
            .map(|x| prepare(x, group_size).expect("a finite row of whole chunks"))
            .collect();
        let mut got = vec![0.0f32; xs.len()];
        // SAFETY: the test runs only where `available` says so; the sizes match.
        unsafe {
            row_dots(
                &weights.words,
                &weights.scales,
                &weights.biases,
                &rows,
                group_size,
                &mut got,
            )
        };
        for (x, &got) in xs.iter().zip(&got) {
            let error = weights.relative_error(x, got);
            assert!(error < 1e-6, "group {group_size}: error {error:e}");
        }
    }

    #[test]
    fn products_keep_float_precision_for_any_number_of_rows() {
        if !available() {
            return;
        }
        let mut x = noise(512, 7);
        // A zero chunk, tiny values and a large outlier.
        x[64..128].iter_mut().for_each(|v| *v = 0.0);
        x[128..192].iter_mut().for_each(|v| *v *= 1e-20);
        x[200] = 3e5;
        for group_size in [32, 64, 128] {
            for count in [1, 2, 3, 4, 7] {
                let xs: Vec<Vec<f32>> = (0..count)
                    .map(|r| x.iter().map(|v| v * (1.0 + r as f32)).collect())
                    .collect();
                check(group_size, &xs, group_size as u64 + count);
            }
        }
    }

    #[test]
    fn rows_the_kernel_cannot_take_are_left_to_the_float_path() {
        assert!(prepare(&noise(96, 1), 32).is_none());
        let mut x = noise(128, 2);
        x[5] = f32::NAN;
        assert!(prepare(&x, 64).is_none());
        x[5] = f32::INFINITY;
        assert!(prepare(&x, 64).is_none());
        x[5] = 1e-35;
        assert!(prepare(&x, 64).is_none());
    }
}
