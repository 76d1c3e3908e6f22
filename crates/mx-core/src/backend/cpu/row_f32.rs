//! float32 row kernels for softmax and logsumexp over the last axis, written as plain
//! 64-lane loops so that each compiles to AVX-512 or AVX2 vectors (chosen at run time).

use super::math::exp_f32;
use super::simd::multiversion;

/// Four AVX-512 registers of independent accumulators, to hide add and max latency.
const LANES: usize = 64;

/// The row's maximum ignoring NaN. A NaN elsewhere in the row still reaches the result
/// through `exp(NaN - max)`; only a non-finite maximum needs the scan in `finite_or_nan`.
#[inline(always)]
fn row_max(row: &[f32]) -> f32 {
    let mut lanes = [f32::NEG_INFINITY; LANES];
    let (chunks, tail) = row.as_chunks::<LANES>();
    for chunk in chunks {
        for i in 0..LANES {
            lanes[i] = if chunk[i] > lanes[i] {
                chunk[i]
            } else {
                lanes[i]
            };
        }
    }
    lanes
        .iter()
        .chain(tail)
        .fold(f32::NEG_INFINITY, |m, &v| if v > m { v } else { m })
}

/// `max`, or NaN when it is not finite and the row holds a NaN (which MLX's max would give).
#[inline(always)]
fn finite_or_nan(row: &[f32], max: f32) -> f32 {
    if !max.is_finite() && row.iter().any(|v| v.is_nan()) {
        f32::NAN
    } else {
        max
    }
}

/// `exp(x - max)` for `x <= max`, as `2^t` with `t = x·log2(e) - max·log2(e)` (one FMA,
/// no Cody-Waite split) and a degree-5 minimax polynomial for `2^f` on `[-0.5, 0.5]`
/// (1.5e-7 relative). The rounding of `t` costs `|x - max|·2^-24` relative, which only
/// matters for terms far below the row's `exp(0) = 1`. Results below 2^-126 are flushed
/// to that range's edge: they cannot change such a sum. NaN gives NaN.
#[inline(always)]
fn exp_shifted(x: f32, max_log2e: f32) -> f32 {
    const ROUND: f32 = 12_582_912.0;
    let t = x.mul_add(std::f32::consts::LOG2_E, -max_log2e);
    let clamped = if t < -126.0 { -126.0 } else { t };
    let shifted = clamped + ROUND;
    let k = shifted - ROUND;
    let f = clamped - k;
    let mut p = 1.327_646_7e-3_f32;
    p = p.mul_add(f, 9.675_542e-3);
    p = p.mul_add(f, 5.550_713_5e-2);
    p = p.mul_add(f, 2.402_212e-1);
    p = p.mul_add(f, 6.931_469_4e-1);
    p = p.mul_add(f, 1.000_000_1);
    let exponent = (shifted.to_bits() as i32 - ROUND.to_bits() as i32) << 23;
    let scaled = f32::from_bits((p.to_bits() as i32 + exponent) as u32);
    // NaN's bits would scale into a number: keep it NaN.
    if t.is_nan() {
        t
    } else {
        scaled
    }
}

/// `sum(exp(row - max))`.
#[inline(always)]
fn exp_sum(row: &[f32], max: f32) -> f32 {
    let max_log2e = max * std::f32::consts::LOG2_E;
    let mut lanes = [0.0f32; LANES];
    let (chunks, tail) = row.as_chunks::<LANES>();
    for chunk in chunks {
        for i in 0..LANES {
            lanes[i] += exp_shifted(chunk[i], max_log2e);
        }
    }
    lanes.iter().sum::<f32>() + tail.iter().map(|&v| exp_shifted(v, max_log2e)).sum::<f32>()
}

/// `out = exp(row - max)`, returning the sum of the terms.
#[inline(always)]
fn exp_store_sum(row: &[f32], max: f32, out: &mut [f32]) -> f32 {
    let mut lanes = [0.0f32; LANES];
    let mut sum = 0.0;
    let (ins, in_tail) = row.as_chunks::<LANES>();
    let (outs, out_tail) = out.as_chunks_mut::<LANES>();
    for (chunk, target) in ins.iter().zip(outs) {
        for i in 0..LANES {
            let term = exp_f32(chunk[i] - max);
            target[i] = term;
            lanes[i] += term;
        }
    }
    for (&v, o) in in_tail.iter().zip(out_tail) {
        *o = exp_f32(v - max);
        sum += *o;
    }
    lanes.iter().sum::<f32>() + sum
}

multiversion! {
    /// `out = softmax(row)`: max, then exp and sum in one pass, then one scaling pass.
    fn softmax_row_f32(row: &[f32], out: &mut [f32]) -> () {
        let max = row_max(row);
        if !max.is_finite() {
            // exp(inf - inf) is NaN: MLX gives NaN for such rows too (and for all -inf).
            out.fill(f32::NAN);
            return;
        }
        let sum = exp_store_sum(row, max, out);
        let scale = 1.0 / sum;
        for o in out.iter_mut() {
            *o *= scale;
        }
    }
}

multiversion! {
    /// `log(sum(exp(row)))`, shifted by the row's maximum for range; infinite and NaN
    /// maxima pass through, as in MLX.
    fn logsumexp_row_f32(row: &[f32]) -> f32 {
        let max = row_max(row);
        if !max.is_finite() {
            return finite_or_nan(row, max);
        }
        max + exp_sum(row, max).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_logsumexp(row: &[f32]) -> f64 {
        let max = row.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v as f64));
        max + row
            .iter()
            .map(|&v| (v as f64 - max).exp())
            .sum::<f64>()
            .ln()
    }

    #[test]
    fn long_rows_match_float64() {
        let row: Vec<f32> = (0..1000)
            .map(|i| ((i * 37) % 101) as f32 * 0.37 - 20.0)
            .collect();
        let got = logsumexp_row_f32(&row) as f64;
        assert!(
            (got - naive_logsumexp(&row)).abs() < 1e-5 * got.abs(),
            "{got}"
        );
        let mut out = vec![0.0; row.len()];
        softmax_row_f32(&row, &mut out);
        let total: f32 = out.iter().sum();
        assert!((total - 1.0).abs() < 1e-5, "{total}");
        let expected = (row[7] as f64 - naive_logsumexp(&row)).exp();
        assert!(
            (out[7] as f64 - expected).abs() < 1e-6,
            "{} vs {expected}",
            out[7]
        );
    }

    #[test]
    fn nan_and_infinite_rows_follow_mlx() {
        let mut row = vec![1.0f32; 100];
        row[70] = f32::NAN;
        assert!(logsumexp_row_f32(&row).is_nan());
        let mut out = vec![0.0; 100];
        softmax_row_f32(&row, &mut out);
        assert!(out.iter().all(|v| v.is_nan()));
        row[70] = f32::INFINITY;
        assert_eq!(logsumexp_row_f32(&row), f32::INFINITY);
        row[3] = f32::NAN;
        assert!(logsumexp_row_f32(&row).is_nan());
        assert_eq!(
            logsumexp_row_f32(&[f32::NEG_INFINITY; 20]),
            f32::NEG_INFINITY
        );
    }
}
