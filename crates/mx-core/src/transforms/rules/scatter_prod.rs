//! The derivative of `scatter_prod` (`x.at[i].multiply(u)`), which MLX lacks.
//!
//! Each result element is `x` times the product of the updates sent to it, so
//! `∂/∂x = Π u` and `∂/∂u_k = x · Π_{j≠k} u_j` over the updates that share `u_k`'s
//! target. Indices may repeat, so "the other updates" of a target is found without
//! division where an update is zero: targets count their zero updates, and the product
//! of the others is zero when any other update is zero, else the product of the
//! nonzero ones divided by `u_k`'s own nonzero value.

use crate::error::Result;
use crate::ops::{
    divide, equal, gather, greater, multiply, ones_like, scatter, subtract, where_, zeros_like,
};
use crate::primitive::ScatterKind;
use crate::Array;

/// The cotangents of `x` and of the updates of `scatter_prod(x, indices, updates)`, for
/// the cotangent `ct` of its result.
pub(super) fn scatter_prod_vjp(
    x: &Array,
    indices: &[&Array],
    updates: &Array,
    axes: &[usize],
    ct: &Array,
) -> Result<(Array, Array)> {
    let window = &updates.shape()[updates.ndim() - x.ndim()..];
    let dtype = updates.dtype();
    let zero = Array::scalar_of(crate::Scalar::Int(0), dtype)?;
    let one = Array::scalar_of(crate::Scalar::Int(1), dtype)?;
    let is_zero = equal(updates, &zero)?;
    let nonzero = where_(&is_zero, &one, updates)?;
    let ones = ones_like(x)?;
    let nonzero_product = scatter(&ones, indices, &nonzero, axes, ScatterKind::Prod)?;
    let zero_count = scatter(
        &zeros_like(x)?,
        indices,
        &is_zero.astype(x.dtype())?,
        axes,
        ScatterKind::Add,
    )?;
    let x_zero = Array::scalar_of(crate::Scalar::Int(0), x.dtype())?;
    let product = where_(&greater(&zero_count, &x_zero)?, &x_zero, &nonzero_product)?;
    let x_grad = multiply(ct, &product)?;

    let take = |a: &Array| gather(a, indices, axes, window);
    let other_zeros = subtract(&take(&zero_count)?, &is_zero.astype(x.dtype())?)?;
    let others = divide(&take(&nonzero_product)?, &nonzero)?.astype(dtype)?;
    let others = where_(&greater(&other_zeros, &x_zero)?, &zero, &others)?;
    let update_grad = multiply(&take(&multiply(ct, x)?)?, &others)?.astype(dtype)?;
    Ok((x_grad, update_grad))
}
