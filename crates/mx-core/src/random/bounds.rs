//! Samplers whose bounds or probabilities are arrays, broadcast against the output shape
//! as in MLX: `uniform`, `randint`, `bernoulli` and `truncated_normal`.

use super::float::{erf_mlx, erfinv_mlx, max_mlx, min_mlx, Real};
use super::key::key_words;
use super::threefry::random_words;
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

/// `x` cast to `dtype` (as MLX casts a bound), broadcast to `shape`, as exact f32 values.
fn values_in(x: &Array, dtype: Dtype, shape: &[usize]) -> Result<Vec<f32>> {
    x.astype(dtype)?
        .broadcast_to(shape)?
        .astype(Dtype::Float32)?
        .to_vec::<f32>()
}

/// Per-element `uniform(lo[i], hi[i])` in `kind`, with the same op sequence as `uniform`.
fn uniform_between(lo: &[f32], hi: &[f32], kind: Real, key: [u32; 2]) -> Vec<f32> {
    let upper = kind.below_one();
    random_words(key, lo.len())
        .into_iter()
        .zip(lo.iter().zip(hi))
        .map(|(word, (&lo, &hi))| {
            let f = kind.round((word as f32 / 4_294_967_296.0).min(upper));
            kind.round(kind.round(kind.round(hi - lo) * f) + lo)
        })
        .collect()
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
    let kind = real_kind("uniform", dtype)?;
    let (lo, hi) = (
        values_in(low, dtype, shape)?,
        values_in(high, dtype, shape)?,
    );
    kind.array(&uniform_between(&lo, &hi, kind, key_words(key)?), shape)
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
    let (lo, hi) = (
        values_in(low, Dtype::Float32, shape)?,
        values_in(high, Dtype::Float32, shape)?,
    );
    let u = Array::from_slice(
        &uniform_between(&lo, &hi, Real::F32, key_words(key)?),
        shape,
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
    let words: Vec<u32> = random_words(key_words(key)?, shape.iter().product());
    let words = Array::from_slice(&words, &shape)?.astype(Dtype::Float32)?;
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
    let kind = real_kind("trunc_normal", dtype)?;
    let (lo, hi) = (
        values_in(lower, dtype, shape)?,
        values_in(upper, dtype, shape)?,
    );
    let sqrt2 = kind.constant(std::f64::consts::SQRT_2);
    let edge = |v: &[f32]| -> Vec<f32> {
        v.iter()
            .map(|&x| erf_mlx(kind.round(x / sqrt2), kind))
            .collect()
    };
    let u = uniform_between(&edge(&lo), &edge(&hi), kind, key_words(key)?);
    let values: Vec<f32> = u
        .iter()
        .zip(lo.iter().zip(&hi))
        .map(|(&u, (&lo, &hi))| {
            let z = kind.round(sqrt2 * kind.round(erfinv_mlx(u)));
            max_mlx(min_mlx(hi, z), lo)
        })
        .collect();
    kind.array(&values, shape)
}
