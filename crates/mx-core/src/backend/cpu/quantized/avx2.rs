//! AVX2 helpers shared by the quantized GEMV kernels.

use std::arch::x86_64::*;

/// Whether this CPU runs the AVX2 and FMA kernels.
pub(super) fn available() -> bool {
    std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
}

/// `Σ a · b` in eight lanes, for the short per-row sums of the kernels (a dispatching
/// call per weight row would cost a sizeable part of the row's work).
///
/// # Safety
/// The CPU must support AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn lane_dot(a: &[f32], b: &[f32]) -> f32 {
    let mut total = _mm256_setzero_ps();
    let (mut a8, mut b8) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in (&mut a8).zip(&mut b8) {
        total = _mm256_fmadd_ps(
            _mm256_loadu_ps(x.as_ptr()),
            _mm256_loadu_ps(y.as_ptr()),
            total,
        );
    }
    let rest: f32 = a8
        .remainder()
        .iter()
        .zip(b8.remainder())
        .map(|(x, y)| x * y)
        .sum();
    lane_sum(total) + rest
}

/// The sum of a vector's eight lanes.
///
/// # Safety
/// The CPU must support AVX2.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn lane_sum(v: __m256) -> f32 {
    let half = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    let pair = _mm_add_ps(half, _mm_movehl_ps(half, half));
    _mm_cvtss_f32(_mm_add_ss(pair, _mm_movehdup_ps(pair)))
}
