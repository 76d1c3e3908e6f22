//! float32 row kernels for softmax and logsumexp over the last axis, written as plain
//! 16-lane loops so that each compiles to AVX-512 or AVX2 vectors (chosen at run time).

use super::math::exp_f32;
use super::simd::multiversion;

const LANES: usize = 16;

/// The row's maximum, or NaN if the row holds one.
#[inline(always)]
fn row_max(row: &[f32]) -> f32 {
    let mut lanes = [f32::NEG_INFINITY; LANES];
    let mut nan = [false; LANES];
    let chunks = row.chunks_exact(LANES);
    let tail = chunks.remainder();
    for chunk in chunks {
        for i in 0..LANES {
            lanes[i] = if chunk[i] > lanes[i] {
                chunk[i]
            } else {
                lanes[i]
            };
            nan[i] |= chunk[i].is_nan();
        }
    }
    let mut max = lanes
        .iter()
        .fold(f32::NEG_INFINITY, |m, &v| if v > m { v } else { m });
    let mut any_nan = nan.iter().any(|&n| n);
    for &v in tail {
        max = if v > max { v } else { max };
        any_nan |= v.is_nan();
    }
    if any_nan {
        f32::NAN
    } else {
        max
    }
}

/// `sum(exp(row - max))`, writing the terms to `out` when given.
#[inline(always)]
fn exp_sum(row: &[f32], max: f32, mut out: Option<&mut [f32]>) -> f32 {
    let mut lanes = [0.0f32; LANES];
    let full = row.len() / LANES * LANES;
    for start in (0..full).step_by(LANES) {
        let mut terms = [0.0f32; LANES];
        for i in 0..LANES {
            terms[i] = exp_f32(row[start + i] - max);
            lanes[i] += terms[i];
        }
        if let Some(out) = out.as_deref_mut() {
            out[start..start + LANES].copy_from_slice(&terms);
        }
    }
    let mut sum: f32 = lanes.iter().sum();
    for j in full..row.len() {
        let term = exp_f32(row[j] - max);
        sum += term;
        if let Some(out) = out.as_deref_mut() {
            out[j] = term;
        }
    }
    sum
}

multiversion! {
    /// `out = softmax(row)`: max, then exp and sum in one pass, then one scaling pass.
    fn softmax_row_f32(row: &[f32], out: &mut [f32]) -> () {
        let max = row_max(row);
        if !max.is_finite() {
            // exp(inf - inf) is NaN: MLX gives NaN for such rows too.
            out.fill(f32::NAN);
            return;
        }
        let sum = exp_sum(row, max, Some(&mut *out));
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
            return max;
        }
        max + exp_sum(row, max, None).ln()
    }
}
