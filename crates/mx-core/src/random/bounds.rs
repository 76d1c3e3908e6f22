//! Samplers whose bounds or probabilities are arrays, broadcast against the output shape
//! as in MLX: `uniform`, `randint`, `bernoulli` and `truncated_normal`.

use super::bits;
use super::distributions::{truncated_normal_between, uniform_between};
use super::float::Real;
use crate::array::shape::broadcast_shapes;
use crate::error::{shape_str, Error, Result};
use crate::{Array, Dtype};

/// Checks that the bounds broadcast to `shape` (MLX's rule for every bounded sampler).
fn check_shape(op: &str, bounds: &[&Array], shape: &[usize]) -> Result<()> {
    let mut joint = shape.to_vec();
    for b in bounds {
        joint = broadcast_shapes(&joint, b.shape())?;
    }
    if joint != shape {
        return Err(Error::Shape(format!(
            "[{op}] Cannot generate random values of shape {} from bounds of shape {}.",
            shape_str(shape),
            shape_str(&joint)
        )));
    }
    Ok(())
}

fn real_kind(op: &str, dtype: Dtype) -> Result<Real> {
    Real::of(dtype).ok_or_else(|| {
        Error::InvalidArgument(format!(
            "[{op}] Unsupported type {dtype}; use a real float type."
        ))
    })
}

/// Uniform samples in `[low, high)` with array bounds that broadcast to `shape`.
pub fn uniform_array(
    low: &Array,
    high: &Array,
    shape: &[usize],
    dtype: Dtype,
    key: Option<&Array>,
) -> Result<Array> {
    check_shape("uniform", &[low, high], shape)?;
    real_kind("uniform", dtype)?;
    uniform_between(&low.astype(dtype)?, &high.astype(dtype)?, shape, dtype, key)
}

/// Random integers in `[low, high)` with array bounds (integer or float) that broadcast to
/// `shape`: MLX's float32 uniform, floored, cast, then clamped to `high - 1` (computed in
/// `high`'s dtype) and `low`.
pub fn randint_array(
    low: &Array,
    high: &Array,
    shape: &[usize],
    dtype: Dtype,
    key: Option<&Array>,
) -> Result<Array> {
    if dtype.is_inexact() {
        return Err(Error::InvalidArgument(
            "[randint] randint only accepts integer dtypes and bool.".into(),
        ));
    }
    check_shape("randint", &[low, high], shape)?;
    let u = uniform_between(
        &low.astype(Dtype::Float32)?,
        &high.astype(Dtype::Float32)?,
        shape,
        Dtype::Float32,
        key,
    )?;
    let x = crate::ops::floor(&u)?.astype(dtype)?;
    let top = crate::ops::subtract(high, 1)?.astype(dtype)?;
    crate::ops::maximum(&crate::ops::minimum(&x, &top)?, &low.astype(dtype)?)
}

/// A bool array, true where `float32(word) < p * (2^32 + 512)`, computed in the promoted
/// dtype of `p` and float32. `shape` defaults to `p`'s shape.
pub fn bernoulli_array(p: &Array, shape: Option<&[usize]>, key: Option<&Array>) -> Result<Array> {
    if !p.dtype().is_floating() {
        return Err(Error::Dtype(
            "[bernoulli] bernoulli probability `p` must be a float type.".into(),
        ));
    }
    let shape = shape.unwrap_or(p.shape()).to_vec();
    if broadcast_shapes(&shape, p.shape())? != shape {
        return Err(Error::Shape(
            "[bernoulli] shape of `p` is incompatible with argument `shape`.".into(),
        ));
    }
    let words = bits(&shape, 4, key)?.astype(Dtype::Float32)?;
    let scale = Array::from_scalar(4_294_967_808.0f32)?;
    crate::ops::less(&words, &crate::ops::multiply(p, &scale)?)
}

/// Normal samples truncated to `[lower, upper]` with array bounds that broadcast to `shape`
/// (`None`: the bounds' broadcast shape).
pub fn truncated_normal_array(
    lower: &Array,
    upper: &Array,
    shape: Option<&[usize]>,
    dtype: Dtype,
    key: Option<&Array>,
) -> Result<Array> {
    let joint = broadcast_shapes(lower.shape(), upper.shape())?;
    let shape = shape.unwrap_or(&joint);
    check_shape("trunc_normal", &[lower, upper], shape)?;
    real_kind("trunc_normal", dtype)?;
    truncated_normal_between(
        &lower.astype(dtype)?,
        &upper.astype(dtype)?,
        shape,
        dtype,
        key,
    )
}
