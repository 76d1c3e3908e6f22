//! The affine 8-bit quantized GEMV on AVX2 with integer dot products.
//!
//! Each 64-element chunk of `x` is split into two int16 parts with one float scale,
//! `x ≈ s (hi + lo / 32768)`, so that the products keep float32's precision (the error is
//! below 2⁻³¹ of the chunk's largest element). The codes are widened in registers and
//! multiplied with `vpmaddwd` (16 products per instruction); the float work is one
//! conversion and fused multiply-add per chunk. Elements more than eight times their
//! chunk's mean magnitude are left out of the integer parts and added in float.
//!
//! 4-bit codes have their own kernel (`qmv_nibble`), with three int8 digits of `x` and
//! `vpmaddubsw` (32 products per instruction).

use super::avx2::{available, lane_dot, lane_sum};
use super::x_split::{outlier_sum, too_many_outliers, ChunkSplit};
use std::arch::x86_64::*;

/// Elements of `x` that share one int16 scale, and one pass of the kernel.
pub(super) const CHUNK: usize = 64;

/// One row of `x` in the kernel's integer form.
pub(super) struct IntRow {
    /// Per chunk, the high parts in the order the codes are unpacked, then the low parts
    /// in the same order, as little-endian int16.
    parts: Vec<u8>,
    /// Per chunk, the float factor of the integer sums: `s / R` (with the high parts
    /// weighted `R` in the sums).
    scales: Vec<f32>,
    /// The sum of each quantization group of `x` (for the biases).
    pub(super) sums: Vec<f32>,
    /// The elements left out of the integer parts, as (position, value): those far
    /// larger than the rest of their chunk, whose scale would cost the others precision.
    outliers: Vec<(usize, f32)>,
}

/// `v` rounded half away from zero, by truncation: `f64::round` is a libm call on
/// baseline x86-64, and this runs for every element of `x` on every product.
pub(super) fn nearest(v: f64) -> f64 {
    (v + 0.5f64.copysign(v)) as i64 as f64
}

/// `x` in integer form, or `None` where the kernel does not apply: a row length that is
/// not a whole number of chunks, or values that are not finite (whose products the
/// float path computes as MLX does). It also needs a CPU with AVX2 and FMA.
pub(super) fn prepare(x: &[f32], group_size: usize) -> Option<IntRow> {
    if !available() || !x.len().is_multiple_of(CHUNK) || x.iter().any(|v| !v.is_finite()) {
        return None;
    }
    // SAFETY: the CPU supports AVX2 and FMA.
    unsafe { prepare_chunks(x, group_size) }
}

/// [`prepare`] once its checks pass.
///
/// # Safety
/// The CPU must support AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
unsafe fn prepare_chunks(x: &[f32], group_size: usize) -> Option<IntRow> {
    let (range, low_weight) = (32767.0, 32768.0);
    let chunk_bytes = 4 * CHUNK;
    let mut parts = vec![0u8; x.len() / CHUNK * chunk_bytes];
    let mut scales = Vec::with_capacity(x.len() / CHUNK);
    let mut outliers = Vec::new();
    for (c, (chunk, out)) in x
        .chunks_exact(CHUNK)
        .zip(parts.chunks_exact_mut(chunk_bytes))
        .enumerate()
    {
        let split = ChunkSplit::new(chunk, c * CHUNK, &mut outliers);
        let scale = split.largest / range;
        let inverse = if scale > 0.0 { 1.0 / scale } else { 0.0 };
        let (high_parts, low_parts) = out.split_at_mut(2 * CHUNK);
        for (e, &v) in chunk.iter().enumerate() {
            if split.is_outlier(v) {
                continue;
            }
            let scaled = v as f64 * inverse;
            let high = nearest(scaled);
            // |scaled - high| <= 1/2, so the low part fits but for the one value R/2,
            // which saturates to R/2 - 1: an error of one low unit.
            let low = nearest((scaled - high) * low_weight).min(low_weight / 2.0 - 1.0);
            let at = 2 * e;
            high_parts[at..at + 2].copy_from_slice(&(high as i16).to_le_bytes());
            low_parts[at..at + 2].copy_from_slice(&(low as i16).to_le_bytes());
        }
        scales.push((scale / low_weight) as f32);
    }
    if too_many_outliers(outliers.len(), x.len()) {
        return None;
    }
    let sums = x.chunks(group_size).map(|g| g.iter().sum()).collect();
    Some(IntRow {
        parts,
        scales,
        sums,
        outliers,
    })
}

/// `Σ_g scale_g (codes_g · x_g) + bias_g Σ x_g` for one weight row of 8-bit codes.
///
/// # Safety
/// The CPU must support AVX2 and FMA ([`available`](super::avx2::available)), `words` must hold the row's
/// `x.len() / 4` words, and `scales` and `biases` one value per group.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn row_dot(
    words: &[u32],
    scales: &[f32],
    biases: &[f32],
    x: &IntRow,
    group_size: usize,
) -> f32 {
    let mut total = _mm256_setzero_ps();
    let chunk_words = CHUNK / 4;
    let chunk_bytes = 4 * CHUNK;
    // Group sizes are powers of two: a shift, not a division, in the hot loop.
    let group_shift = group_size.trailing_zeros();
    for (c, &x_scale) in x.scales.iter().enumerate() {
        let parts = x.parts.as_ptr().add(c * chunk_bytes);
        let codes = words.as_ptr().add(c * chunk_words) as *const u8;
        // The sums `Σ code (R hi + lo)`, with the chunk's first half in lanes 0–3 and its
        // second in lanes 4–7, so that 32-element groups get their own scale.
        let sums = byte_sums(codes, parts as *const i16);
        let first = (c * CHUNK) >> group_shift;
        let second = (c * CHUNK + CHUNK / 2) >> group_shift;
        // SAFETY: both halves of a chunk lie in the row, which has a scale per group.
        let weight_scale = if first == second {
            _mm256_set1_ps(*scales.get_unchecked(first))
        } else {
            _mm256_set_m128(
                _mm_set1_ps(*scales.get_unchecked(second)),
                _mm_set1_ps(*scales.get_unchecked(first)),
            )
        };
        let factor = _mm256_mul_ps(weight_scale, _mm256_set1_ps(x_scale));
        total = _mm256_fmadd_ps(sums, factor, total);
    }
    let bias = lane_dot(biases, &x.sums);
    lane_sum(total) + bias + outlier_sum(&x.outliers, words, 8, scales, group_shift)
}

/// `Σ code (32768 hi + lo)` over one chunk of 8-bit codes and int16 parts of `x`, with
/// the chunk's first half in lanes 0–3 and its second in lanes 4–7: each 16-byte block is
/// widened in order, the first two blocks make the first half, and a pairwise add plus a
/// 64-bit permute put the halves in lanes 0–3 and 4–7. The high and low sums are
/// combined in float, since `32768 hi` overflows int32.
#[target_feature(enable = "avx2,fma")]
unsafe fn byte_sums(codes: *const u8, parts: *const i16) -> __m256 {
    let blocks = [0, 1, 2, 3]
        .map(|q| _mm256_cvtepu8_epi16(_mm_loadu_si128(codes.add(16 * q) as *const __m128i)));
    let sums = |half: usize| {
        let dot = |q: usize| {
            let part = _mm256_loadu_si256(parts.add(half * CHUNK + 16 * q) as *const __m256i);
            _mm256_madd_epi16(blocks[q], part)
        };
        let first = _mm256_add_epi32(dot(0), dot(1));
        let second = _mm256_add_epi32(dot(2), dot(3));
        // Lanes [f f s s f f s s] → [f f f f s s s s].
        _mm256_permute4x64_epi64(_mm256_hadd_epi32(first, second), 0b11_01_10_00)
    };
    _mm256_fmadd_ps(
        _mm256_cvtepi32_ps(sums(0)),
        _mm256_set1_ps(32768.0),
        _mm256_cvtepi32_ps(sums(1)),
    )
}

#[cfg(test)]
mod tests {
    use super::super::gemv_fixture::{edge_row, rows_for_the_float_path, WeightRow};
    use super::*;

    /// Checks `row_dot` against a float64 sum, scaled by the sum of the terms' sizes.
    fn check(group_size: usize, x: &[f32], seed: u64) {
        let weights = WeightRow::new(x.len(), 8, group_size, seed);
        let row = prepare(x, group_size).expect("a finite row of whole chunks");
        // SAFETY: the test runs only where `available` says so; the sizes match.
        let got = unsafe {
            row_dot(
                &weights.words,
                &weights.scales,
                &weights.biases,
                &row,
                group_size,
            )
        };
        let error = weights.relative_error(x, got);
        assert!(error < 2e-6, "group {group_size}: error {error:e}");
    }

    #[test]
    fn integer_products_keep_float_precision() {
        if !available() {
            return;
        }
        let x = edge_row();
        for group_size in [32, 64, 128] {
            check(group_size, &x, group_size as u64);
        }
    }

    #[test]
    fn rows_the_kernel_cannot_take_are_left_to_the_float_path() {
        for (x, group_size) in rows_for_the_float_path() {
            assert!(prepare(&x, group_size).is_none());
        }
    }
}
