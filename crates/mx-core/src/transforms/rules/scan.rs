//! Derivatives of the cumulative scans other than cumsum.

use crate::error::Result;
use crate::ops::{
    arange, concatenate, cummin, cumsum, divide, equal, exp, logical_and, multiply, negative,
    subtract, take_along_axis, where_, zeros, ScanOptions,
};
use crate::{Array, Index, Slice};

/// The running sum of `x` along `axis` in the opposite direction of a scan with these
/// options: what a scan's cotangent accumulates through.
fn backward_sum(x: &Array, axis: usize, reverse: bool, inclusive: bool) -> Result<Array> {
    let options = ScanOptions {
        reverse: !reverse,
        inclusive,
    };
    cumsum(x, Some(axis as isize), options, None)
}

/// The cotangent of `x` for `out = cumprod(x)`: `Σ_j ct_j ∏_{k≤j, k≠i} x_k`. Before the
/// first zero (in scan order) that is the backward sum of `ct * out` over `x`; at the first
/// zero the zero is replaced by 1 in the products; after it every term is zero.
pub(crate) fn cumprod_vjp(
    x: &Array,
    out: &Array,
    ct: &Array,
    axis: usize,
    reverse: bool,
    inclusive: bool,
) -> Result<Array> {
    let ax = Some(axis as isize);
    let is_zero = equal(x, 0.0)?;
    let zeros_before = cumsum(
        &is_zero.astype(crate::Dtype::Int32)?,
        ax,
        ScanOptions {
            reverse,
            inclusive: false,
        },
        None,
    )?;
    let first_zero = logical_and(&is_zero, &equal(&zeros_before, 0)?)?;
    let patched = where_(&first_zero, 1.0, x)?;
    let patched_out = crate::ops::cumprod(&patched, ax, ScanOptions { reverse, inclusive }, None)?;
    let at_first_zero = backward_sum(&multiply(ct, &patched_out)?, axis, reverse, inclusive)?;
    let safe_x = where_(&is_zero, 1.0, x)?;
    let elsewhere = divide(
        &backward_sum(&multiply(ct, out)?, axis, reverse, inclusive)?,
        &safe_x,
    )?;
    let zero = zeros(&[], x.dtype())?;
    where_(
        &is_zero,
        &where_(&first_zero, &at_first_zero, &zero)?,
        &elsewhere,
    )
}

/// `x` reversed along `axis`.
fn flip(x: &Array, axis: usize) -> Result<Array> {
    let mut items = vec![Index::Slice(Slice::new(None, None, 1)); x.ndim()];
    items[axis] = Index::Slice(Slice::new(None, None, -1));
    x.index(&items)
}

/// `x` moved one step toward the start of `axis`, with zeros shifted in at the end.
fn shift_toward_start(x: &Array, axis: usize) -> Result<Array> {
    let mut items = vec![Index::Slice(Slice::new(None, None, 1)); x.ndim()];
    items[axis] = Index::Slice(Slice::new(Some(1), None, 1));
    let mut pad_shape = x.shape().to_vec();
    pad_shape[axis] = 1;
    concatenate(
        &[&x.index(&items)?, &zeros(&pad_shape, x.dtype())?],
        Some(axis as isize),
    )
}

/// The cotangent of `x` for a forward inclusive `out = cummax(x)` or `cummin(x)`: each
/// `ct_j` goes to the latest position `i ≤ j` where `x_i` equals the running extreme.
fn forward_extreme_vjp(x: &Array, out: &Array, ct: &Array, axis: usize) -> Result<Array> {
    let n = x.shape()[axis];
    let ax = Some(axis as isize);
    let mut position_shape = vec![1isize; x.ndim()];
    position_shape[axis] = n as isize;
    let positions = arange(0.0, n as f64, 1.0, Some(crate::Dtype::Int32))?
        .reshape(&position_shape)?
        .broadcast_to(x.shape())?;
    // A record is a position where the running extreme is (re)attained: the cotangents
    // from it up to the next record belong to it.
    let record = equal(x, out)?;
    let next = cummin(
        &where_(&record, &positions, n as i32)?,
        ax,
        ScanOptions {
            reverse: true,
            inclusive: false,
        },
    )?;
    let totals = backward_sum(ct, axis, false, true)?;
    let mut pad_shape = x.shape().to_vec();
    pad_shape[axis] = 1;
    let padded = concatenate(&[&totals, &zeros(&pad_shape, ct.dtype())?], ax)?;
    // The exclusive reverse cummin starts from the identity past the end: clamp it to n.
    let next = crate::ops::minimum(&next, n as i32)?;
    let after = take_along_axis(&padded, &next, ax)?;
    where_(
        &record,
        &subtract(&totals, &after)?,
        &zeros(&[], ct.dtype())?,
    )
}

/// The cotangent of `x` for `out = cummax(x)` (`is_max`) or `cummin(x)` with any options.
/// Reverse scans are forward scans of the flipped array; an exclusive scan's output at
/// `j` is the inclusive one's at `j - 1`, so its cotangent moves one step back.
pub(crate) fn cumulative_extreme_vjp(
    x: &Array,
    ct: &Array,
    axis: usize,
    reverse: bool,
    inclusive: bool,
    is_max: bool,
) -> Result<Array> {
    let oriented = |a: &Array| {
        if reverse {
            flip(a, axis)
        } else {
            Ok(a.clone())
        }
    };
    let (x, ct) = (oriented(x)?, oriented(ct)?);
    let ct = if inclusive {
        ct
    } else {
        shift_toward_start(&ct, axis)?
    };
    let options = ScanOptions::default();
    let out = if is_max {
        crate::ops::cummax(&x, Some(axis as isize), options)?
    } else {
        cummin(&x, Some(axis as isize), options)?
    };
    oriented(&forward_extreme_vjp(&x, &out, &ct, axis)?)
}

/// The cotangent of `x` for `out = logcumsumexp(x)`: `exp(x_i) Σ_j ct_j exp(-out_j)`.
pub(crate) fn logcumsumexp_vjp(
    x: &Array,
    out: &Array,
    ct: &Array,
    axis: usize,
    reverse: bool,
    inclusive: bool,
) -> Result<Array> {
    let weighted = multiply(ct, &exp(&negative(out)?)?)?;
    multiply(
        &exp(x)?,
        &backward_sum(&weighted, axis, reverse, inclusive)?,
    )
}
