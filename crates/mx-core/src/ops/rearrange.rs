//! Ops that rearrange or replicate elements: flatten, unflatten, tile, repeat, pad, roll,
//! atleast_1d/2d/3d and kron. They lower to views, broadcasts and concatenation.

use super::join::{concatenate, slice_axis};
use super::operand::Operand;
use crate::array::shape::normalize_axis;
use crate::error::{shape_str, Error, Result};
use crate::Array;

fn signed(shape: &[usize]) -> Vec<isize> {
    shape.iter().map(|&d| d as isize).collect()
}

/// Merges axes `start_axis..=end_axis` into one. Axes are clamped to the array as in MLX.
pub fn flatten(x: &Array, start_axis: isize, end_axis: isize) -> Result<Array> {
    if x.ndim() == 0 {
        return x.reshape(&[1]);
    }
    let n = x.ndim() as isize;
    let norm = |a: isize| if a < 0 { a + n } else { a };
    // MLX clamps a low start and a high end, but not the other way round.
    let (start, end) = (norm(start_axis).max(0), norm(end_axis).min(n - 1));
    if start > end {
        return Err(Error::InvalidArgument(
            "[flatten] start_axis must be less than or equal to end_axis".into(),
        ));
    }
    let (start, end) = (start as usize, end as usize);
    let shape = x.shape();
    let mut out: Vec<isize> = signed(&shape[..start]);
    out.push(shape[start..=end].iter().product::<usize>() as isize);
    out.extend(signed(&shape[end + 1..]));
    x.reshape(&out)
}

/// Splits `axis` into `shape` (one entry may be -1).
pub fn unflatten(x: &Array, axis: isize, shape: &[isize]) -> Result<Array> {
    if shape.is_empty() {
        return Err(Error::InvalidArgument(
            "[unflatten] Shape to unflatten to cannot be empty.".into(),
        ));
    }
    let ax = normalize_axis(axis, x.ndim(), "unflatten").map_err(|_| {
        Error::InvalidArgument(format!(
            "[unflatten] Invalid axes {axis} for array with {} dimensions.",
            x.ndim()
        ))
    })?;
    let size = x.shape()[ax];
    if shape.iter().filter(|&&d| d == -1).count() > 1 {
        return Err(Error::InvalidArgument(
            "[Unflatten] Can only infer one dimension.".into(),
        ));
    }
    if shape.iter().any(|&d| d < -1) {
        return Err(Error::InvalidArgument(format!(
            "[unflatten] Negative dimensions are not allowed in the shape {}.",
            shape_str(&shape.iter().map(|&d| d.max(0) as usize).collect::<Vec<_>>())
        )));
    }
    let known: usize = shape
        .iter()
        .filter(|&&d| d != -1)
        .map(|&d| d as usize)
        .product();
    let mut resolved: Vec<isize> = shape.to_vec();
    if let Some(pos) = shape.iter().position(|&d| d == -1) {
        if known == 0 || !size.is_multiple_of(known) {
            return Err(Error::InvalidArgument(format!(
                "[Unflatten] Cannot infer the -1 dimension when unflattening axis {ax} with size {size} into {} known elements.",
                known
            )));
        }
        resolved[pos] = (size / known) as isize;
    }
    if resolved.iter().map(|&d| d as usize).product::<usize>() != size {
        return Err(Error::InvalidArgument(format!(
            "[Unflatten] Cannot unflatten axis {ax} with size {size} into shape {}.",
            shape_str(&resolved.iter().map(|&d| d as usize).collect::<Vec<_>>())
        )));
    }
    let mut out: Vec<isize> = signed(&x.shape()[..ax]);
    out.extend(&resolved);
    out.extend(signed(&x.shape()[ax + 1..]));
    x.reshape(&out)
}

/// Repeats the whole array `reps` times along each axis (NumPy's `tile`).
pub fn tile(x: &Array, reps: &[isize]) -> Result<Array> {
    if reps.iter().any(|&r| r < 0) {
        return Err(Error::InvalidArgument(
            "[tile] Negative repeats are not allowed.".into(),
        ));
    }
    let ndim = x.ndim().max(reps.len());
    let mut shape: Vec<usize> = vec![1; ndim - x.ndim()];
    shape.extend(x.shape());
    let mut all_reps = vec![1usize; ndim - reps.len()];
    all_reps.extend(reps.iter().map(|&r| r as usize));
    let x = x.reshape(&signed(&shape))?;
    // [r0, d0, r1, d1, ...] broadcast, then merged pairwise.
    let expanded: Vec<isize> = shape.iter().flat_map(|&d| [1, d as isize]).collect();
    let target: Vec<usize> = shape
        .iter()
        .zip(&all_reps)
        .flat_map(|(&d, &r)| [r, d])
        .collect();
    let out: Vec<isize> = shape
        .iter()
        .zip(&all_reps)
        .map(|(&d, &r)| (d * r) as isize)
        .collect();
    x.reshape(&expanded)?.broadcast_to(&target)?.reshape(&out)
}

/// Repeats each element `repeats` times along `axis` (`None`: of the flattened array).
pub fn repeat(x: &Array, repeats: isize, axis: Option<isize>) -> Result<Array> {
    if repeats < 0 {
        return Err(Error::InvalidArgument(
            "[repeat] Number of repeats cannot be negative".into(),
        ));
    }
    let Some(axis) = axis else {
        return repeat(&x.reshape(&[-1])?, repeats, Some(0));
    };
    let ax = normalize_axis(axis, x.ndim(), "repeat")?;
    let shape = x.shape();
    let mut target: Vec<usize> = shape[..=ax].to_vec();
    target.push(repeats as usize);
    target.extend(&shape[ax + 1..]);
    let mut out: Vec<isize> = signed(shape);
    out[ax] *= repeats;
    x.expand_dims(&[ax as isize + 1])?
        .broadcast_to(&target)?
        .reshape(&out)
}

/// How `pad` fills the new border.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PadMode {
    /// A constant value.
    Constant,
    /// The edge values repeated.
    Edge,
}

/// Pads `x` with `(low, high)` widths per axis (one pair applies to all axes).
pub fn pad<'a>(
    x: &Array,
    widths: &[(isize, isize)],
    mode: PadMode,
    value: impl Into<Operand<'a>>,
) -> Result<Array> {
    let widths: Vec<(isize, isize)> = match widths.len() {
        1 => vec![widths[0]; x.ndim()],
        n if n == x.ndim() => widths.to_vec(),
        _ => {
            return Err(Error::InvalidArgument(format!(
                "Invalid number of padding sizes passed to pad with axes of size {}",
                x.ndim()
            )))
        }
    };
    for (axis, &(lo, hi)) in widths.iter().enumerate() {
        for (width, side) in [(lo, "low"), (hi, "high")] {
            if width < 0 {
                return Err(Error::InvalidArgument(format!(
                    "Invalid {side} padding size ({width}) passed to pad for axis {axis}. Padding sizes must be non-negative"
                )));
            }
        }
    }
    let fill = super::full(&[], value, Some(x.dtype()))?;
    let mut out = x.clone();
    for (axis, &(lo, hi)) in widths.iter().enumerate() {
        if lo == 0 && hi == 0 {
            continue;
        }
        let dim = out.shape()[axis] as isize;
        let border = |width: isize, from_end: bool| -> Result<Array> {
            let mut shape = out.shape().to_vec();
            shape[axis] = width as usize;
            match mode {
                PadMode::Edge if dim > 0 => {
                    let at = if from_end { dim - 1 } else { 0 };
                    slice_axis(&out, axis, at, at + 1)?.broadcast_to(&shape)
                }
                _ => fill.broadcast_to(&shape),
            }
        };
        let (low, high) = (border(lo, false)?, border(hi, true)?);
        out = concatenate(&[&low, &out, &high], Some(axis as isize))?;
    }
    Ok(out)
}

/// Rolls elements along `axes` by `shifts`; `None` rolls the flattened array by the sum of
/// `shifts`. `shifts[i]` goes to `axes[i]`; extra shifts are ignored.
pub fn roll(x: &Array, shifts: &[isize], axes: Option<&[isize]>) -> Result<Array> {
    let Some(axes) = axes else {
        let total: isize = shifts.iter().sum();
        let flat = x.reshape(&[-1])?;
        return roll(&flat, &[total], Some(&[0]))?.reshape(&signed(x.shape()));
    };
    if shifts.len() < axes.len() {
        return Err(Error::InvalidArgument(format!(
            "[roll] At least one shift value per axis is required, {} provided for {} axes.",
            shifts.len(),
            axes.len()
        )));
    }
    let mut out = x.clone();
    for (i, &axis) in axes.iter().enumerate() {
        let ax = normalize_axis(axis, x.ndim(), "roll").map_err(|_| {
            Error::InvalidArgument(format!(
                "[roll] Invalid axis {axis} for array with {} dimensions.",
                x.ndim()
            ))
        })?;
        let shift = if shifts.len() == 1 {
            shifts[0]
        } else {
            shifts[i]
        };
        let dim = x.shape()[ax] as isize;
        if dim == 0 {
            continue;
        }
        let split = (dim - shift.rem_euclid(dim)) % dim;
        if split == 0 {
            continue;
        }
        let (head, tail) = (
            slice_axis(&out, ax, 0, split)?,
            slice_axis(&out, ax, split, dim)?,
        );
        out = concatenate(&[&tail, &head], Some(ax as isize))?;
    }
    Ok(out)
}

fn at_least(x: &Array, ndim: usize) -> Result<Array> {
    let shape = x.shape();
    let new: Vec<isize> = match (ndim, x.ndim()) {
        (_, n) if n >= ndim => return Ok(x.clone()),
        (_, 0) => vec![1; ndim],
        (2, 1) | (3, 1) => {
            let mut s = vec![1, shape[0] as isize];
            if ndim == 3 {
                s.push(1);
            }
            s
        }
        _ => vec![shape[0] as isize, shape[1] as isize, 1],
    };
    x.reshape(&new)
}

/// `x` with at least one dimension.
pub fn atleast_1d(x: &Array) -> Result<Array> {
    at_least(x, 1)
}

/// `x` with at least two dimensions (a 1-d `(n)` becomes `(1, n)`).
pub fn atleast_2d(x: &Array) -> Result<Array> {
    at_least(x, 2)
}

/// `x` with at least three dimensions (`(n)` → `(1, n, 1)`, `(m, n)` → `(m, n, 1)`).
pub fn atleast_3d(x: &Array) -> Result<Array> {
    at_least(x, 3)
}

/// Kronecker product: every element of `a` scales a copy of `b`.
pub fn kron(a: &Array, b: &Array) -> Result<Array> {
    if a.size() == 0 || b.size() == 0 {
        return Err(Error::InvalidArgument(
            "[kron] Input arrays cannot be empty.".into(),
        ));
    }
    let ndim = a.ndim().max(b.ndim());
    let pad_shape = |x: &Array| -> Vec<usize> {
        let mut s = vec![1; ndim - x.ndim()];
        s.extend(x.shape());
        s
    };
    let (sa, sb) = (pad_shape(a), pad_shape(b));
    let a_inter: Vec<isize> = sa.iter().flat_map(|&d| [d as isize, 1]).collect();
    let b_inter: Vec<isize> = sb.iter().flat_map(|&d| [1, d as isize]).collect();
    let out: Vec<isize> = sa
        .iter()
        .zip(&sb)
        .map(|(&x, &y)| (x * y) as isize)
        .collect();
    super::multiply(&a.reshape(&a_inter)?, &b.reshape(&b_inter)?)?.reshape(&out)
}
