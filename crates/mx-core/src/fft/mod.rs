//! `mx::fft`: discrete Fourier transforms over any axes, as in `mlx.core.fft`.
//!
//! Each transform pads with zeros or truncates the input to the requested sizes, then runs
//! one-dimensional transforms axis by axis. Complex results are complex64 and real ones
//! float32, whatever the input type. Inverses are scaled by `1/n`.
//!
//! ```
//! use mx_core::{array, fft};
//! let x = array![1.0, 2.0, 3.0, 4.0];
//! let spectrum = fft::rfft(&x, None, -1, fft::FftNorm::Backward).unwrap();
//! let back = fft::irfft(&spectrum, Some(4), -1, fft::FftNorm::Backward).unwrap();
//! assert_eq!(back.to_vec::<f32>().unwrap(), vec![1.0, 2.0, 3.0, 4.0]);
//! ```

mod shift;
#[cfg(test)]
mod tests;

pub use shift::{fftfreq, fftshift, ifftshift, rfftfreq};

use crate::array::shape::normalize_axis;
use crate::error::{shape_str, Error, Result};
use crate::primitive::{FftKind, Primitive};
use crate::{Array, Dtype, Slice};

/// How a transform is scaled, as numpy's and MLX's `norm` argument: by `1/n` on the
/// inverse (`Backward`, the default), by `1/sqrt(n)` both ways (`Ortho`), or by `1/n` on
/// the forward transform (`Forward`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FftNorm {
    /// No scale forward, `1/n` inverse.
    #[default]
    Backward,
    /// `1/sqrt(n)` both ways.
    Ortho,
    /// `1/n` forward, no scale inverse.
    Forward,
}

/// The one-dimensional transform of each row (last axis) of `x`, of length `n` (the
/// output's last axis for `RealInverse`, else the input's): one graph node.
pub(crate) fn row_transform(x: &Array, kind: FftKind, n: usize) -> Result<Array> {
    let (in_dtype, out_dtype, out_last) = match kind {
        FftKind::Forward | FftKind::Inverse => (Dtype::Complex64, Dtype::Complex64, n),
        FftKind::RealForward => (Dtype::Float32, Dtype::Complex64, n / 2 + 1),
        FftKind::RealInverse => (Dtype::Complex64, Dtype::Float32, n),
    };
    let mut shape = x.shape().to_vec();
    if let Some(last) = shape.last_mut() {
        *last = out_last;
    }
    let input = x.astype(in_dtype)?.contiguous()?;
    Array::from_op(shape, out_dtype, Primitive::Fft(kind), vec![input])
}

/// `f` applied along `axis` of `x`, by moving the axis last and back.
fn along_axis(x: &Array, axis: usize, f: impl Fn(&Array) -> Result<Array>) -> Result<Array> {
    let last = x.ndim() - 1;
    if axis == last {
        return f(x);
    }
    let moved = x.swapaxes(axis as isize, last as isize)?;
    f(&moved)?.swapaxes(axis as isize, last as isize)
}

/// The transform behind every public function: sizes `n` along `axes`, a real transform
/// when `real` (real input for a forward one, real output for an inverse one).
fn transform(
    a: &Array,
    n: &[usize],
    axes: &[isize],
    real: bool,
    inverse: bool,
    norm: FftNorm,
) -> Result<Array> {
    if a.ndim() < 1 {
        return Err(Error::InvalidArgument(
            "[fftn] Requires array with at least one dimension.".into(),
        ));
    }
    if n.len() != axes.len() {
        return Err(Error::InvalidArgument(
            "[fftn] Shape and axes have different sizes.".into(),
        ));
    }
    if axes.is_empty() {
        return Ok(a.clone());
    }
    let valid: Vec<usize> = axes
        .iter()
        .map(|&axis| {
            normalize_axis(axis, a.ndim(), "fftn").map_err(|_| {
                Error::InvalidArgument(format!(
                    "[fftn] Invalid axis received for array with {} dimensions.",
                    a.ndim()
                ))
            })
        })
        .collect::<Result<_>>()?;
    let mut unique = valid.clone();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() != valid.len() {
        return Err(Error::InvalidArgument(format!(
            "[fftn] Duplicated axis received {}",
            shape_str(axes)
        )));
    }
    if n.contains(&0) {
        return Err(Error::InvalidArgument(format!(
            "[fftn] Invalid FFT output size requested {}",
            shape_str(n)
        )));
    }
    let last_axis = *valid.last().expect("axes are not empty");
    let last_n = *n.last().expect("n matches axes");
    let mut in_shape = a.shape().to_vec();
    for (&axis, &size) in valid.iter().zip(n) {
        in_shape[axis] = size;
    }
    if real && inverse {
        in_shape[last_axis] = last_n / 2 + 1;
    }
    let input = resized(a, &in_shape)?;
    let count: f64 = n.iter().map(|&d| d as f64).product();
    let scale = |x: Array, by: f64| crate::ops::multiply(&x, by as f32);
    let complex_pass = |x: &Array, axes: &[usize], kind: FftKind| -> Result<Array> {
        axes.iter().try_fold(x.clone(), |x, &axis| {
            along_axis(&x, axis, |rows| {
                row_transform(rows, kind, rows.shape()[rows.ndim() - 1])
            })
        })
    };
    let others = &valid[..valid.len() - 1];
    let out = match (real, inverse) {
        (false, false) => complex_pass(&input, &valid, FftKind::Forward)?,
        (false, true) => scale(complex_pass(&input, &valid, FftKind::Inverse)?, 1.0 / count)?,
        (true, false) => {
            let half = along_axis(&input, last_axis, |rows| {
                row_transform(rows, FftKind::RealForward, last_n)
            })?;
            complex_pass(&half, others, FftKind::Forward)?
        }
        (true, true) => {
            let spectrum = complex_pass(&input, others, FftKind::Inverse)?;
            let signal = along_axis(&spectrum, last_axis, |rows| {
                row_transform(rows, FftKind::RealInverse, last_n)
            })?;
            scale(signal, 1.0 / count)?
        }
    };
    // MLX scales the backward-normalised result once more, by a float32 scalar.
    match (norm, inverse) {
        (FftNorm::Backward, _) => Ok(out),
        (FftNorm::Ortho, false) => scale(out, 1.0 / count.sqrt()),
        (FftNorm::Ortho, true) => scale(out, count.sqrt()),
        (FftNorm::Forward, false) => scale(out, 1.0 / count),
        (FftNorm::Forward, true) => scale(out, count),
    }
}

/// `a` truncated or zero-padded at the end of each axis to `shape`.
fn resized(a: &Array, shape: &[usize]) -> Result<Array> {
    let mut out = a.clone();
    if shape.iter().zip(a.shape()).any(|(s, d)| s < d) {
        let slices: Vec<Slice> = shape
            .iter()
            .zip(a.shape())
            .map(|(&s, &d)| Slice::new(Some(0), Some(s.min(d) as isize), 1))
            .collect();
        out = out.slice(&slices)?;
    }
    if shape.iter().zip(a.shape()).any(|(s, d)| s > d) {
        let widths: Vec<(isize, isize)> = shape
            .iter()
            .zip(out.shape())
            .map(|(&s, &d)| (0, s.saturating_sub(d) as isize))
            .collect();
        out = crate::ops::pad(&out, &widths, crate::ops::PadMode::Constant, 0.0)?;
    }
    Ok(out)
}

/// The sizes along `axes` when none are given: the input's, or for a real inverse the
/// full signal length `2 * (m - 1)` of the last axis.
fn default_sizes(a: &Array, axes: &[isize], real_inverse: bool) -> Result<Vec<usize>> {
    let mut n = axes
        .iter()
        .map(|&axis| {
            normalize_axis(axis, a.ndim(), "fftn")
                .map(|ax| a.shape()[ax])
                .map_err(|_| {
                    Error::InvalidArgument(format!(
                        "[fftn] Invalid axis received for array with {} dimensions.",
                        a.ndim()
                    ))
                })
        })
        .collect::<Result<Vec<_>>>()?;
    if real_inverse {
        if let Some(last) = n.last_mut() {
            *last = (*last).saturating_sub(1) * 2;
        }
    }
    Ok(n)
}

/// Resolves `(s, axes)` as MLX's Python layer does: `axes` defaults to `default_axes`,
/// or for the n-dimensional functions to every axis, where sizes `s` need explicit `axes`.
fn sizes_and_axes(
    a: &Array,
    s: Option<&[usize]>,
    axes: Option<&[isize]>,
    default_axes: Option<&[isize]>,
    real_inverse: bool,
    name: &str,
) -> Result<(Vec<usize>, Vec<isize>)> {
    let axes: Vec<isize> = match (axes, default_axes) {
        (Some(axes), _) => axes.to_vec(),
        (None, Some(default)) => default.to_vec(),
        (None, None) if s.is_some() => {
            return Err(Error::InvalidArgument(format!(
                "[{name}] `axes` should not be `None` if `s` is not `None`."
            )))
        }
        (None, None) => (0..a.ndim() as isize).collect(),
    };
    if a.ndim() < 1 {
        return Err(Error::InvalidArgument(
            "[fftn] Requires array with at least one dimension.".into(),
        ));
    }
    let n = match s {
        Some(s) => s.to_vec(),
        None => default_sizes(a, &axes, real_inverse)?,
    };
    Ok((n, axes))
}

macro_rules! one_axis {
    ($(#[$doc:meta])* $name:ident, $real:expr, $inverse:expr) => {
        $(#[$doc])*
        pub fn $name(a: &Array, n: Option<usize>, axis: isize, norm: FftNorm) -> Result<Array> {
            let n = match n {
                Some(n) => vec![n],
                None => {
                    if a.ndim() < 1 {
                        return transform(a, &[], &[], $real, $inverse, norm);
                    }
                    default_sizes(a, &[axis], $real && $inverse)?
                }
            };
            transform(a, &n, &[axis], $real, $inverse, norm)
        }
    };
}

macro_rules! many_axes {
    ($(#[$doc:meta])* $name:ident, $default:expr, $real:expr, $inverse:expr) => {
        $(#[$doc])*
        pub fn $name(
            a: &Array,
            s: Option<&[usize]>,
            axes: Option<&[isize]>,
            norm: FftNorm,
        ) -> Result<Array> {
            let (n, axes) = sizes_and_axes(a, s, axes, $default, $real && $inverse, stringify!($name))?;
            transform(a, &n, &axes, $real, $inverse, norm)
        }
    };
}

one_axis!(
    /// The one-dimensional FFT along `axis`, of length `n` (the axis's by default; a
    /// shorter input is zero-padded, a longer one truncated). The result is complex64.
    fft, false, false
);
one_axis!(
    /// The inverse of [`fft`], scaled by `1/n`.
    ifft, false, true
);
one_axis!(
    /// The FFT of a real signal along `axis`: the `n/2 + 1` non-negative frequencies.
    /// Complex input is read as its real part.
    rfft, true, false
);
one_axis!(
    /// The inverse of [`rfft`]: a float32 signal of length `n`, by default
    /// `2 * (m - 1)` for `m` coefficients along `axis`.
    irfft, true, true
);
many_axes!(
    /// The two-dimensional FFT over `axes` (the last two by default), of sizes `s`.
    fft2, Some(&[-2, -1]), false, false
);
many_axes!(
    /// The inverse of [`fft2`].
    ifft2, Some(&[-2, -1]), false, true
);
many_axes!(
    /// The two-dimensional FFT of a real input: [`rfft`] over the last of `axes`, then
    /// [`fft`] over the other.
    rfft2, Some(&[-2, -1]), true, false
);
many_axes!(
    /// The inverse of [`rfft2`]; the last of `s` is the real signal's length.
    irfft2, Some(&[-2, -1]), true, true
);
many_axes!(
    /// The n-dimensional FFT over `axes` (all by default), of sizes `s`, which need
    /// `axes`.
    fftn, None, false, false
);
many_axes!(
    /// The inverse of [`fftn`].
    ifftn, None, false, true
);
many_axes!(
    /// The n-dimensional FFT of a real input: [`rfft`] over the last of `axes`, then
    /// [`fft`] over the others.
    rfftn, None, true, false
);
many_axes!(
    /// The inverse of [`rfftn`]; the last of `s` is the real signal's length.
    irfftn, None, true, true
);
