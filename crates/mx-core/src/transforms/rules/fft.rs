//! The rules of the row FFT primitive. Each transform is linear, so its tangent is the
//! transform of the tangent; the cotangents follow MLX's convention for complex values
//! (the vjp of `fft` is the unnormalised inverse, not the conjugate transpose's conjugate).

use crate::error::Result;
use crate::fft::row_transform;
use crate::ops::{multiply, pad, real, PadMode};
use crate::primitive::FftKind;
use crate::{Array, Dtype};

/// The cotangent of an FFT node's input from its output's cotangent `ct`. `n` is the
/// transform length (the real side's last axis for the real kinds).
pub(crate) fn vjp(kind: FftKind, x: &Array, ct: &Array) -> Result<Array> {
    let last = |a: &Array| a.shape().last().copied().unwrap_or(1);
    match kind {
        FftKind::Forward => row_transform(ct, FftKind::Inverse, last(ct)),
        FftKind::Inverse => row_transform(ct, FftKind::Forward, last(ct)),
        FftKind::RealForward => {
            // The output kept the first n/2 + 1 coefficients: the rest had no cotangent.
            let n = last(x);
            let mut widths = vec![(0, 0); ct.ndim()];
            widths[ct.ndim() - 1] = (0, (n - last(ct)) as isize);
            let full = pad(ct, &widths, PadMode::Constant, 0.0)?;
            real(&row_transform(&full, FftKind::Inverse, n)?)
        }
        FftKind::RealInverse => {
            // Every coefficient but the DC and (for even n) Nyquist ones stands for a
            // conjugate pair in the transform, so its cotangent counts twice.
            let (n, half) = (last(ct), last(x));
            let twice: Vec<f32> = (0..half)
                .map(|k| if k == 0 || 2 * k == n { 1.0 } else { 2.0 })
                .collect();
            let mask = Array::from_slice(&twice, &[half])?.astype(Dtype::Complex64)?;
            multiply(&row_transform(ct, FftKind::RealForward, n)?, &mask)
        }
    }
}

/// The tangent of an FFT node's output (`out`) from its input's tangent `t`.
pub(crate) fn jvp(kind: FftKind, t: &Array, out: &Array) -> Result<Array> {
    let n = match kind {
        FftKind::RealInverse => out.shape().last().copied().unwrap_or(1),
        _ => t.shape().last().copied().unwrap_or(1),
    };
    let t = match kind {
        FftKind::RealForward => t.astype(Dtype::Float32)?,
        _ => t.astype(Dtype::Complex64)?,
    };
    row_transform(&t, kind, n)
}
