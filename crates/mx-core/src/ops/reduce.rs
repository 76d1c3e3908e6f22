//! Reductions.

use crate::array::shape::normalize_axis;
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::primitive::{Primitive, ReduceKind};
use crate::Array;

/// Normalises reduction axes: `None` means all axes; duplicates are an error.
pub(crate) fn reduction_axes(x: &Array, axes: Option<&[isize]>, op: &str) -> Result<Vec<usize>> {
    let mut out: Vec<usize> = match axes {
        None => (0..x.ndim()).collect(),
        Some(axes) => axes
            .iter()
            .map(|&a| normalize_axis(a, x.ndim(), op))
            .collect::<Result<_>>()?,
    };
    out.sort_unstable();
    if out.windows(2).any(|w| w[0] == w[1]) {
        return Err(Error::InvalidArgument(format!(
            "[{op}] Received duplicate axes."
        )));
    }
    Ok(out)
}

fn reduce_op(
    kind: ReduceKind,
    x: &Array,
    axes: Option<&[isize]>,
    keepdims: bool,
    dtype: Dtype,
) -> Result<Array> {
    let axes = reduction_axes(x, axes, kind.name())?;
    let kept_shape: Vec<usize> = x
        .shape()
        .iter()
        .enumerate()
        .map(|(d, &n)| if axes.contains(&d) { 1 } else { n })
        .collect();
    let reduced = Array::from_op(
        kept_shape,
        dtype,
        Primitive::Reduce {
            kind,
            axes: axes.clone(),
        },
        vec![x.clone()],
    )?;
    if keepdims {
        return Ok(reduced);
    }
    let squeezed: Vec<isize> = x
        .shape()
        .iter()
        .enumerate()
        .filter(|(d, _)| !axes.contains(d))
        .map(|(_, &n)| n as isize)
        .collect();
    reduced.reshape(&squeezed)
}

/// True where every element over `axes` (all axes if `None`) is non-zero.
///
/// ```
/// let x = mx_core::array![[true, false], [true, true]];
/// assert_eq!(mx_core::all(&x, Some(&[1]), false).unwrap().to_vec::<bool>().unwrap(), vec![false, true]);
/// ```
pub fn all(x: &Array, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
    reduce_op(ReduceKind::All, x, axes, keepdims, Dtype::Bool)
}

/// True where any element over `axes` (all axes if `None`) is non-zero.
pub fn any(x: &Array, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
    reduce_op(ReduceKind::Any, x, axes, keepdims, Dtype::Bool)
}
