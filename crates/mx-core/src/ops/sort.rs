//! Sorting: sort, argsort, partition, argpartition, topk and median.
//! Sorts are stable and put NaN last, as MLX's (and NumPy's) do.

use crate::array::shape::normalize_axis;
use crate::dtype::Dtype;
use crate::error::{shape_str, Error, Result};
use crate::primitive::Primitive;
use crate::Array;

fn sort_axis(x: &Array, axis: Option<isize>, op: &str) -> Result<(Array, usize)> {
    let Some(axis) = axis else {
        return Ok((x.reshape(&[-1])?, 0));
    };
    let ax = normalize_axis(axis, x.ndim(), op).map_err(|_| {
        Error::InvalidArgument(format!(
            "[{op}] Axis {axis} is out of bounds for array with {} dimensions.",
            x.ndim()
        ))
    })?;
    Ok((x.clone(), ax))
}

/// Sorted copy along `axis` (`None`: the flattened array).
pub fn sort(x: &Array, axis: Option<isize>) -> Result<Array> {
    let (x, ax) = sort_axis(x, axis, "sort")?;
    Array::from_op(x.shape().to_vec(), x.dtype(), Primitive::Sort(ax), vec![x])
}

/// Indices (uint32) that sort `x` along `axis`, stably.
pub fn argsort(x: &Array, axis: Option<isize>) -> Result<Array> {
    let (x, ax) = sort_axis(x, axis, "argsort")?;
    Array::from_op(
        x.shape().to_vec(),
        Dtype::Uint32,
        Primitive::ArgSort(ax),
        vec![x],
    )
}

fn check_kth(
    x: &Array,
    kth: isize,
    axis: Option<isize>,
    ax: usize,
    op: &str,
    sep: &str,
) -> Result<()> {
    let n = x.shape()[ax] as isize;
    if kth < -n || kth >= n {
        return Err(Error::InvalidArgument(format!(
            "[{op}] Received invalid kth {kth}{sep}along axis {} for array with shape: {}",
            axis.unwrap_or(0),
            shape_str(x.shape())
        )));
    }
    Ok(())
}

/// `x` rearranged along `axis` so that position `kth` holds the element a sort would put
/// there, smaller-or-equal elements before it and larger-or-equal after.
pub fn partition(x: &Array, kth: isize, axis: Option<isize>) -> Result<Array> {
    let (y, ax) = sort_axis(x, axis, "partition")?;
    check_kth(&y, kth, axis, ax, "partition", "")?;
    sort(&y, Some(ax as isize))
}

/// Indices (uint32) that partition `x` around `kth` along `axis`.
pub fn argpartition(x: &Array, kth: isize, axis: Option<isize>) -> Result<Array> {
    let (y, ax) = sort_axis(x, axis, "argpartition")?;
    check_kth(&y, kth, axis, ax, "argpartition", " ")?;
    argsort(&y, Some(ax as isize))
}

/// The `k` largest elements along `axis` (`None`: flattened), smallest of them first.
pub fn topk(x: &Array, k: usize, axis: Option<isize>) -> Result<Array> {
    let (y, ax) = sort_axis(x, axis, "topk")?;
    let n = y.shape()[ax];
    if k > n {
        return Err(Error::InvalidArgument(format!(
            "[topk] Received invalid k={k} along axis {} for array with shape: {}",
            axis.unwrap_or(-1),
            shape_str(y.shape())
        )));
    }
    if k == n {
        return Ok(y);
    }
    let sorted = sort(&y, Some(ax as isize))?;
    super::join::slice_axis(&sorted, ax, (n - k) as isize, n as isize)
}

/// The median over `axes` (`None`: all). Integers and bool become float32; any NaN in a
/// slice gives NaN.
pub fn median(x: &Array, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
    let axes = super::reduce::reduction_axes(x, axes, "median")?;
    if axes.iter().any(|&a| x.shape()[a] == 0) {
        return Err(Error::InvalidArgument(
            "[median] Cannot take median along empty axis.".into(),
        ));
    }
    let dtype = if x.dtype().is_inexact() {
        x.dtype()
    } else {
        Dtype::Float32
    };
    let x = x.astype(dtype)?;
    let kept: Vec<usize> = (0..x.ndim()).filter(|d| !axes.contains(d)).collect();
    let perm: Vec<isize> = kept.iter().chain(&axes).map(|&d| d as isize).collect();
    let mut flat: Vec<isize> = kept.iter().map(|&d| x.shape()[d] as isize).collect();
    let count: usize = axes.iter().map(|&d| x.shape()[d]).product();
    flat.push(count as isize);
    let lanes = x.transpose(Some(&perm))?.reshape(&flat)?;
    let sorted = sort(&lanes, Some(-1))?;
    let last = sorted.ndim() - 1;
    let lo = super::join::slice_axis(
        &sorted,
        last,
        ((count - 1) / 2) as isize,
        ((count - 1) / 2 + 1) as isize,
    )?;
    let hi = super::join::slice_axis(
        &sorted,
        last,
        (count / 2) as isize,
        (count / 2 + 1) as isize,
    )?;
    let mid = super::multiply(&super::add(&lo, &hi)?, 0.5)?;
    let has_nan = super::any(&super::isnan(&lanes)?, Some(&[-1]), true)?;
    let nan = super::full(&[], f64::NAN, Some(dtype))?;
    let value = super::where_(&has_nan, &nan, &mid)?.squeeze(Some(&[-1]))?;
    if !keepdims {
        return Ok(value);
    }
    let mut shape: Vec<isize> = x.shape().iter().map(|&d| d as isize).collect();
    for &a in &axes {
        shape[a] = 1;
    }
    value.reshape(&shape)
}
