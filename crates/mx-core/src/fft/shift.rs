//! `fftshift` and `ifftshift`: the zero frequency moved to the centre and back.

use crate::array::shape::normalize_axis;
use crate::error::{Error, Result};
use crate::ops::roll;
use crate::Array;

/// Rolls each of `axes` (all by default) by `shift(size)`.
fn shifted(
    a: &Array,
    axes: Option<&[isize]>,
    name: &str,
    shift: impl Fn(isize) -> isize,
) -> Result<Array> {
    let axes: Vec<isize> = match axes {
        Some(axes) => axes.to_vec(),
        None => (0..a.ndim() as isize).collect(),
    };
    if axes.is_empty() {
        return Ok(a.clone());
    }
    let shifts = axes
        .iter()
        .map(|&axis| {
            normalize_axis(axis, a.ndim(), name)
                .map(|ax| shift(a.shape()[ax] as isize))
                .map_err(|_| {
                    Error::InvalidArgument(format!(
                        "[{name}] Invalid axis {axis} for array with {} dimensions.",
                        a.ndim()
                    ))
                })
        })
        .collect::<Result<Vec<_>>>()?;
    roll(a, &shifts, Some(&axes))
}

/// Moves the zero-frequency term to the centre of each of `axes` (all by default).
///
/// ```
/// use mx_core::{arange, fft};
/// let x = arange(0.0, 5.0, 1.0, None).unwrap();
/// assert_eq!(fft::fftshift(&x, None).unwrap().to_vec::<f32>().unwrap(), vec![3.0, 4.0, 0.0, 1.0, 2.0]);
/// ```
pub fn fftshift(a: &Array, axes: Option<&[isize]>) -> Result<Array> {
    shifted(a, axes, "fftshift", |n| n / 2)
}

/// The inverse of [`fftshift`].
pub fn ifftshift(a: &Array, axes: Option<&[isize]>) -> Result<Array> {
    shifted(a, axes, "ifftshift", |n| -(n / 2))
}

/// The sample frequencies of an `n`-point FFT with sample spacing `d`:
/// `[0, 1, .., (n-1)/2, -(n/2), .., -1] / (n d)`, float32.
///
/// ```
/// let f = mx_core::fft::fftfreq(4, 0.5).unwrap();
/// assert_eq!(f.to_vec::<f32>().unwrap(), vec![0.0, 0.5, -1.0, -0.5]);
/// ```
pub fn fftfreq(n: usize, d: f64) -> Result<Array> {
    check_frequency_args(n, d, "fftfreq")?;
    let values: Vec<f64> = (0..n)
        .map(|i| {
            let k = if i <= (n - 1) / 2 {
                i as f64
            } else {
                i as f64 - n as f64
            };
            k / (n as f64 * d)
        })
        .collect();
    Array::from_slice(&values, &[n])?.astype(crate::Dtype::Float32)
}

/// The non-negative sample frequencies of an `n`-point real FFT with spacing `d`:
/// `[0, 1, .., n/2] / (n d)`, float32.
pub fn rfftfreq(n: usize, d: f64) -> Result<Array> {
    check_frequency_args(n, d, "rfftfreq")?;
    let values: Vec<f64> = (0..=n / 2).map(|k| k as f64 / (n as f64 * d)).collect();
    Array::from_slice(&values, &[n / 2 + 1])?.astype(crate::Dtype::Float32)
}

fn check_frequency_args(n: usize, d: f64, name: &str) -> Result<()> {
    if n == 0 {
        return Err(Error::InvalidArgument(format!(
            "[{name}] `n` must be greater than 0."
        )));
    }
    if d == 0.0 {
        return Err(Error::InvalidArgument(format!(
            "[{name}] `d` must be non-zero."
        )));
    }
    Ok(())
}
