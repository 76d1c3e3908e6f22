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
