//! The affine 4-bit quantized GEMV on AVX2 with integer dot products.
//!
//! Each 64-element chunk of `x` is written as three int8 digits in base 256 with one
//! float factor, `x ≈ f (2¹⁶ h + 2⁸ m + l)` with `|h| ≤ 127` and `m, l` in `[-128, 128)`,
//! which resolves `x` to 2⁻²⁴ of the chunk's largest element, as float32 itself does, so
//! the products keep float32's precision. (Two digits, 2⁻¹⁶, do not: the cancellation
//! between an affine group's scale and bias terms magnifies their error beyond float32
//! tolerance.) Elements more than eight times their chunk's mean magnitude are left out
//! of the digits and added in float.
//!
//! A chunk's 32 code bytes hold element `2i` in the low nibble of byte `i` and element
//! `2i + 1` in the high one, so one mask gives the even elements' codes and a shift and
//! a mask the odd ones'. `vpmaddubsw` then multiplies 32 codes with 32 digits and adds
//! them in pairs; the pair sums of one digit stay within 2·15·128, so nothing saturates.
//! `vpmaddwd` widens the digits' sums to int32 (the top one weighted 256) and a shift
//! weights the top two by another 256; a lane's sum stays below 2³⁰. The float work is one conversion and fused multiply-add per chunk,
//! against about four float instructions per eight elements for a float kernel.
//!
//! Several rows of `x` share each decoded chunk, so the decoding is paid once per weight
//! row rather than once per product.

use super::avx2::{available, lane_dot, lane_sum};
use super::x_split::{outlier_sum, too_many_outliers, ChunkSplit};
use std::arch::x86_64::*;

/// Elements of `x` covered by one vector of 32 code bytes.
pub(super) const CHUNK: usize = 64;

/// The base-256 digits of each element of `x`.
const DIGITS: usize = 3;

/// The largest digit-scaled magnitude, `127 · 2¹⁶`: the top digit stays within int8.
const RANGE: f64 = 127.0 * 65536.0;

/// One row of `x` in the kernel's integer form.
pub(super) struct NibbleRow {
    /// Per chunk and digit (top first), the 32 even elements' digits, then the 32 odd
    /// ones'.
    digits: Vec<i8>,
    /// Per chunk, the float factor `f` of its digits.
    factors: Vec<f32>,
    /// The sum of each quantization group of `x` (for the biases).
    sums: Vec<f32>,
    /// The elements left out of the digits, as (position, value).
    outliers: Vec<(usize, f32)>,
}

/// One chunk of `x` as digits: its elements (outliers, those above `threshold` in
/// magnitude, as zero) times `inverse`, rounded to the nearest integer `q`, written as
/// three balanced base-256 digits, `q = 2¹⁶ h + 2⁸ m + l` with `m` and `l` in
/// `[-128, 128)`; per digit (top first), the 32 even elements', then the 32 odd ones'.
///
/// # Safety
/// The CPU must support AVX2 and FMA; `chunk` holds [`CHUNK`] values whose non-outliers
/// are at most `RANGE / inverse` in magnitude, and `out` has room for `CHUNK · DIGITS`.
#[target_feature(enable = "avx2,fma")]
unsafe fn chunk_digits(chunk: &[f32], threshold: f32, inverse: f64, out: &mut [i8]) {
    let (limit, sign) = (_mm256_set1_ps(threshold), _mm256_set1_ps(-0.0));
    let (inverse, range) = (_mm256_set1_pd(inverse), _mm256_set1_pd(RANGE));
    let mut digits = [[_mm256_setzero_si256(); CHUNK / 8]; DIGITS];
    for (block, values) in chunk.chunks_exact(8).enumerate() {
        let v = _mm256_loadu_ps(values.as_ptr());
        let outlier = _mm256_cmp_ps::<_CMP_GT_OQ>(_mm256_andnot_ps(sign, v), limit);
        let kept = _mm256_andnot_ps(outlier, v);
        // In float64, so that rounding to the nearest integer is the only error; the
        // clamp absorbs the product's rounding at the range's ends.
        let nearest = |half: __m128| {
            let scaled = _mm256_mul_pd(_mm256_cvtps_pd(half), inverse);
            _mm256_cvtpd_epi32(_mm256_min_pd(
                _mm256_max_pd(scaled, _mm256_sub_pd(_mm256_setzero_pd(), range)),
                range,
            ))
        };
        let q = _mm256_set_m128i(
            nearest(_mm256_extractf128_ps(kept, 1)),
            nearest(_mm256_castps256_ps128(kept)),
        );
        let balanced = |v: __m256i| {
            let offset = _mm256_set1_epi32(128);
            _mm256_sub_epi32(
                _mm256_and_si256(_mm256_add_epi32(v, offset), _mm256_set1_epi32(255)),
                offset,
            )
        };
        let low = balanced(q);
        let rest = _mm256_srai_epi32(_mm256_sub_epi32(q, low), 8);
        let middle = balanced(rest);
        digits[0][block] = _mm256_srai_epi32(_mm256_sub_epi32(rest, middle), 8);
        digits[1][block] = middle;
        digits[2][block] = low;
    }
    // Bytes 0, 2, …, 14 then 1, 3, …, 15 of each 128-bit lane.
    let split = _mm256_setr_epi8(
        0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5,
        7, 9, 11, 13, 15,
    );
    let in_order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for (d, blocks) in digits.iter().enumerate() {
        // 32 elements' int32 digits → int8 in element order (the packs interleave the
        // 128-bit lanes) → evens in the low half, odds in the high half.
        let halves = [&blocks[..4], &blocks[4..]].map(|b| {
            let bytes = _mm256_packs_epi16(
                _mm256_packs_epi32(b[0], b[1]),
                _mm256_packs_epi32(b[2], b[3]),
            );
            let ordered = _mm256_permutevar8x32_epi32(bytes, in_order);
            _mm256_permute4x64_epi64(_mm256_shuffle_epi8(ordered, split), 0b11_01_10_00)
        });
        let target = out.as_mut_ptr().add(d * CHUNK) as *mut __m256i;
        _mm256_storeu_si256(
            target,
            _mm256_permute2x128_si256(halves[0], halves[1], 0x20),
        );
        _mm256_storeu_si256(
            target.add(1),
            _mm256_permute2x128_si256(halves[0], halves[1], 0x31),
        );
    }
}

/// `x` in integer form, or `None` where the kernel does not apply: a row length that is
/// not a whole number of chunks, values that are not finite (whose products the float
/// path computes as MLX does), or so many outliers that the float path serves it better.
/// It also needs a CPU with AVX2 and FMA.
pub(super) fn prepare(x: &[f32], group_size: usize) -> Option<NibbleRow> {
    if !available() || !x.len().is_multiple_of(CHUNK) {
        return None;
    }
    // SAFETY: the CPU supports AVX2 and FMA, and the row is whole chunks.
    unsafe { prepare_chunks(x, group_size) }
}

/// [`prepare`] once its checks pass.
///
/// # Safety
/// The CPU must support AVX2 and FMA, and `x` must be a whole number of chunks.
#[target_feature(enable = "avx2,fma")]
unsafe fn prepare_chunks(x: &[f32], group_size: usize) -> Option<NibbleRow> {
    if x.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut digits = vec![0i8; x.len() * DIGITS];
    let mut factors = Vec::with_capacity(x.len() / CHUNK);
    let mut outliers = Vec::new();
    for (c, (chunk, out)) in x
        .chunks_exact(CHUNK)
        .zip(digits.chunks_exact_mut(CHUNK * DIGITS))
        .enumerate()
    {
        let split = ChunkSplit::new(chunk, c * CHUNK, &mut outliers);
        // The kernel scales by the float32 factor, so the digits are taken against it,
        // rounded up so that the largest value still fits the range.
        let exact = split.largest / RANGE;
        let mut factor = exact as f32;
        if (factor as f64) < exact {
            factor = factor.next_up();
        }
        let inverse = if factor > 0.0 {
            1.0 / factor as f64
        } else {
            0.0
        };
        chunk_digits(chunk, split.threshold(), inverse, out);
        factors.push(factor);
    }
    if too_many_outliers(outliers.len(), x.len()) {
        return None;
    }
    let sums = x.chunks(group_size).map(|g| g.iter().sum()).collect();
    Some(NibbleRow {
        digits,
        factors,
        sums,
        outliers,
    })
}

/// `Σ_g scale_g (codes_g · x_g) + bias_g Σ x_g` of one weight row of 4-bit codes with
/// every row of `x`, into `out` (one value per row of `x`).
///
/// # Safety
/// The CPU must support AVX2 and FMA ([`available`](super::avx2::available)), `words` must
/// hold the row's `x.len() / 8` words for every prepared row's length, `scales` and
/// `biases` one value per group, and `out` one value per row.
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
    let group_shift = group_size.trailing_zeros();
    for (value, row) in out.iter_mut().zip(rows) {
        *value +=
            lane_dot(biases, &row.sums) + outlier_sum(&row.outliers, words, 4, scales, group_shift);
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
    let chunks = rows[0].factors.len();
    let group_shift = group_size.trailing_zeros();
    let packed = words.as_ptr() as *const __m256i;
    let digits: [*const __m256i; R] =
        std::array::from_fn(|r| rows[r].digits.as_ptr() as *const __m256i);
    let low_nibbles = _mm256_set1_epi8(0x0F);
    let (ones, top) = (_mm256_set1_epi16(1), _mm256_set1_epi16(256));
    for c in 0..chunks {
        let bytes = _mm256_loadu_si256(packed.add(c));
        let even = _mm256_and_si256(bytes, low_nibbles);
        let odd = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low_nibbles);
        let first = (c * CHUNK) >> group_shift;
        let second = (c * CHUNK + CHUNK / 2) >> group_shift;
        // The even and odd codes of the chunk's first half sit in bytes 0–15, so its sums
        // land in lanes 0–3, and 32-element groups take lanes 0–3 and 4–7.
        let scale = if first == second {
            _mm256_set1_ps(*scales.get_unchecked(first))
        } else {
            _mm256_set_m128(
                _mm_set1_ps(*scales.get_unchecked(second)),
                _mm_set1_ps(*scales.get_unchecked(first)),
            )
        };
        for r in 0..R {
            let chunk_digits = digits[r].add(c * 2 * DIGITS);
            // The sums `Σ code · digit` of digit `d`, four elements per int16 lane.
            let digit_sums = |d: usize| {
                _mm256_add_epi16(
                    _mm256_maddubs_epi16(even, _mm256_loadu_si256(chunk_digits.add(2 * d))),
                    _mm256_maddubs_epi16(odd, _mm256_loadu_si256(chunk_digits.add(2 * d + 1))),
                )
            };
            let upper = _mm256_add_epi32(
                _mm256_madd_epi16(digit_sums(0), top),
                _mm256_madd_epi16(digit_sums(1), ones),
            );
            let sums = _mm256_add_epi32(
                _mm256_slli_epi32(upper, 8),
                _mm256_madd_epi16(digit_sums(2), ones),
            );
            let factor = _mm256_mul_ps(scale, _mm256_set1_ps(*rows[r].factors.get_unchecked(c)));
            totals[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sums), factor, totals[r]);
        }
    }
    for (value, total) in out.iter_mut().zip(totals) {
        *value = lane_sum(total);
    }
    R
}

#[cfg(test)]
mod tests {
    use super::super::gemv_fixture::{edge_row, noise, rows_for_the_float_path, WeightRow};
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
        let x = edge_row();
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
        for (x, group_size) in rows_for_the_float_path() {
            assert!(prepare(&x, group_size).is_none());
        }
    }

    #[test]
    fn digits_rebuild_every_value_to_half_a_unit() {
        if !available() {
            return;
        }
        let mut x = noise(256, 5);
        // The range's ends, a rounding tie, zero, and an outlier (left out: zero digits).
        x[0] = 1.0;
        x[1] = -1.0;
        x[2] = 0.0;
        x[3] = 0.5 / RANGE as f32;
        x[100] = 40.0;
        let row = prepare(&x, 64).expect("a finite row of whole chunks");
        assert_eq!(row.outliers, vec![(100, 40.0)]);
        for (c, chunk) in x.chunks_exact(CHUNK).enumerate() {
            let factor = row.factors[c] as f64;
            let digits = &row.digits[c * CHUNK * DIGITS..(c + 1) * CHUNK * DIGITS];
            for (e, &v) in chunk.iter().enumerate() {
                let at = (e % 2) * CHUNK / 2 + e / 2;
                let [high, middle, low] = [0, 1, 2].map(|d| digits[d * CHUNK + at] as f64);
                assert!(high.abs() <= 127.0, "element {e}: top digit {high}");
                let rebuilt = factor * (65536.0 * high + 256.0 * middle + low);
                let expected = if c * CHUNK + e == 100 { 0.0 } else { v as f64 };
                assert!(
                    (rebuilt - expected).abs() <= 0.5 * factor * (1.0 + 1e-6),
                    "element {e}: {rebuilt} for {expected}"
                );
            }
        }
    }
}
