//! Helpers for the derivatives of reductions.

use crate::error::Result;
use crate::ops::{cumprod, divide, equal, multiply, sum, ScanOptions};
use crate::Array;

/// `axes` as the signed axes the ops take.
pub(crate) fn signed(axes: &[usize]) -> Vec<isize> {
    axes.iter().map(|&a| a as isize).collect()
}

/// For each element of `x`, the product of the other elements of its reduction over
/// `axes`: exclusive running products from both ends, so zeros need no division.
pub(crate) fn product_of_others(x: &Array, axes: &[usize]) -> Result<Array> {
    let ndim = x.ndim();
    let kept: Vec<usize> = (0..ndim).filter(|d| !axes.contains(d)).collect();
    let order: Vec<isize> = kept.iter().chain(axes).map(|&d| d as isize).collect();
    let moved = x.transpose(Some(&order))?;
    let mut flat_shape: Vec<isize> = kept.iter().map(|&d| x.shape()[d] as isize).collect();
    flat_shape.push(-1);
    let flat = moved.reshape(&flat_shape)?;
    let exclusive = |reverse| ScanOptions {
        reverse,
        inclusive: false,
    };
    let others = multiply(
        &cumprod(&flat, Some(-1), exclusive(false), None)?,
        &cumprod(&flat, Some(-1), exclusive(true), None)?,
    )?;
    let moved_shape: Vec<isize> = order
        .iter()
        .map(|&d| x.shape()[d as usize] as isize)
        .collect();
    let mut inverse = vec![0isize; ndim];
    for (position, &d) in order.iter().enumerate() {
        inverse[d as usize] = position as isize;
    }
    others.reshape(&moved_shape)?.transpose(Some(&inverse))
}

/// The share of each element of `x` in its max or min `out` over `axes`: 1 / (number of
/// elements equal to the extreme) where the element is one, else 0, as MLX splits ties.
pub(crate) fn extreme_share(x: &Array, out: &Array, axes: &[usize]) -> Result<Array> {
    let mask = equal(x, out)?.astype(x.dtype())?;
    let count = sum(&mask, Some(&signed(axes)), true)?;
    divide(&mask, &count)
}
