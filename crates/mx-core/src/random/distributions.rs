//! Continuous distributions: uniform, normal, laplace, gumbel and truncated normal.
//!
//! Each sampler is a lazy graph: `RandomBits` for the words, `RandomMath` for the steps
//! that use MLX's own arithmetic, and ordinary ops for the rest, in the order MLX applies
//! them, so the CPU results match MLX bit for bit. Scalar arguments are `f64`s that MLX
//! would receive as Python floats: they pass through float32 before they take the output
//! dtype (float64 `normal` keeps them exact, as MLX does).

use super::bits;
use super::float::Real;
use crate::dtype::Scalar;
use crate::error::{Error, Result};
use crate::ops::{add, maximum, minimum, multiply, subtract};
use crate::primitive::{Primitive, RandomMath};
use crate::{Array, Complex64, Dtype};

/// `nextafter(-1, 0)` in f32: the low bound of the uniform that `normal` and `laplace`
/// transform (the high bound is 1).
const SYMMETRIC_LOW: f32 = -0.999_999_94;

/// `sqrt(2)`, cast to the output dtype where it is used.
const SQRT_2: f64 = std::f64::consts::SQRT_2;

/// The kind of a dtype `uniform` accepts, or MLX's error for the others.
pub(crate) fn uniform_kind(dtype: Dtype) -> Result<Real> {
    if !dtype.is_floating() {
        return Err(Error::InvalidArgument(
            "[uniform] Can only generate uniform numbers with real floating point type.".into(),
        ));
    }
    Real::of(dtype).ok_or_else(|| Error::InvalidArgument("[uniform] Unsupported type.".into()))
}

/// `step` applied elementwise to `x`, producing `dtype`.
pub(crate) fn random_step(step: RandomMath, x: &Array, dtype: Dtype) -> Result<Array> {
    Array::from_op(
        x.shape().to_vec(),
        dtype,
        Primitive::RandomMath(step),
        vec![x.clone()],
    )
}

/// A 0-d array of `dtype` holding `value`, which `dtype` represents exactly.
pub(crate) fn constant(value: f64, dtype: Dtype) -> Result<Array> {
    Array::scalar_of(Scalar::Float(value), dtype)
}

/// Uniform samples of a real float `dtype` between `low` and `high` (arrays of `dtype` that
/// broadcast to `shape`): `(high - low) * f + low` as separately rounded ops, with `f` the
/// unit uniform of one random word per element.
pub(crate) fn uniform_between(
    low: &Array,
    high: &Array,
    shape: &[usize],
    dtype: Dtype,
    key: Option<&Array>,
) -> Result<Array> {
    let unit = random_step(RandomMath::UnitUniform, &bits(shape, 4, key)?, dtype)?;
    add(&multiply(&subtract(high, low)?, &unit)?, low)
}

/// Uniform samples in `[low, high)` of a real float dtype (float32, float16 or bfloat16),
/// from `key` or the next global key.
///
/// ```
/// use mx_core::{random, Dtype};
/// let k = random::key(0).unwrap();
/// let u = random::uniform(0.0, 1.0, &[3], Dtype::Float32, Some(&k)).unwrap();
/// assert_eq!(u.to_vec::<f32>().unwrap(), vec![0.9653215, 0.3146817, 0.63303]);
/// ```
pub fn uniform(
    low: f64,
    high: f64,
    shape: &[usize],
    dtype: Dtype,
    key: Option<&Array>,
) -> Result<Array> {
    let kind = uniform_kind(dtype)?;
    let bound = |x: f64| constant(f64::from(kind.constant(x)), dtype);
    uniform_between(&bound(low)?, &bound(high)?, shape, dtype, key)
}

/// float32 uniforms of `shape` in `(-1, 1)` (from `nextafter(-1, 0)` up to 1): what `normal`
/// and `laplace` transform.
fn symmetric_uniform(shape: &[usize], key: Option<&Array>) -> Result<Array> {
    uniform_between(
        &constant(f64::from(SYMMETRIC_LOW), Dtype::Float32)?,
        &constant(1.0, Dtype::Float32)?,
        shape,
        Dtype::Float32,
        key,
    )
}

/// Normal samples, `loc + scale * N(0, 1)`, of float32, float16, bfloat16, float64 or
/// complex64 (whose real and imaginary parts are each `N(0, 1/2)`). `loc` and `scale` left
/// `None` skip their op, as MLX's defaults do.
///
/// The samples are `sqrt(2) * erfinv(u)` with `u` a float32 uniform in `(-1, 1)`; `erfinv`
/// runs in f32 even for float64.
pub fn normal(
    shape: &[usize],
    dtype: Dtype,
    loc: Option<f64>,
    scale: Option<f64>,
    key: Option<&Array>,
) -> Result<Array> {
    if dtype == Dtype::Complex64 {
        return complex_normal(shape, loc, scale, key);
    }
    if !dtype.is_floating() {
        return Err(Error::InvalidArgument(
            "[normal] Only floating point and complex64 types are supported.".into(),
        ));
    }
    let z = random_step(RandomMath::ErfInv, &symmetric_uniform(shape, key)?, dtype)?;
    let (s, loc) = match Real::of(dtype) {
        Some(kind) => {
            let sqrt2 = kind.constant(SQRT_2);
            let s = scale.map_or(sqrt2, |scale| kind.round(sqrt2 * kind.constant(scale)));
            (f64::from(s), loc.map(|loc| f64::from(kind.constant(loc))))
        }
        None => (scale.map_or(SQRT_2, |scale| SQRT_2 * scale), loc),
    };
    let z = multiply(&constant(s, dtype)?, &z)?;
    match loc {
        Some(loc) => add(&constant(loc, dtype)?, &z),
        None => Ok(z),
    }
}

/// complex64 `normal`: consecutive uniforms give the real and imaginary parts, without the
/// `sqrt(2)`; then `scale * z` and `loc + z` as complex ops.
fn complex_normal(
    shape: &[usize],
    loc: Option<f64>,
    scale: Option<f64>,
    key: Option<&Array>,
) -> Result<Array> {
    let mut pairs = shape.to_vec();
    pairs.push(2);
    let parts = random_step(
        RandomMath::ErfInv,
        &symmetric_uniform(&pairs, key)?,
        Dtype::Float32,
    )?;
    let shape: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
    let z = parts.view(Dtype::Complex64)?.reshape(&shape)?;
    let complex = |x: f64| Array::from_scalar(Complex64::new(x as f32, 0.0));
    let z = match scale {
        Some(scale) => multiply(&complex(scale)?, &z)?,
        None => z,
    };
    match loc {
        Some(loc) => add(&complex(loc)?, &z),
        None => Ok(z),
    }
}

/// Laplace samples with location `loc` and scale `scale`, of a real float dtype:
/// `sign(u) * ln(1 - |u|)` for `u` uniform in `(-1, 1)`. `loc` and `scale` are f32 values
/// (C++ floats in MLX, even for float64); a scale of exactly 1 and a loc of exactly 0 skip
/// their op. The logarithm is f32 `log1pf` except for float64, where it is `log1p`.
pub fn laplace(
    shape: &[usize],
    dtype: Dtype,
    loc: f64,
    scale: f64,
    key: Option<&Array>,
) -> Result<Array> {
    if !dtype.is_floating() {
        return Err(Error::InvalidArgument(
            "[laplace] Only real floating point types are supported.".into(),
        ));
    }
    let mut v = random_step(RandomMath::Laplace, &symmetric_uniform(shape, key)?, dtype)?;
    let (loc, scale) = match Real::of(dtype) {
        Some(kind) => (kind.round(loc as f32), kind.round(scale as f32)),
        None => (loc as f32, scale as f32),
    };
    if scale != 1.0 {
        v = multiply(&constant(f64::from(scale), dtype)?, &v)?;
    }
    if loc != 0.0 {
        v = add(&constant(f64::from(loc), dtype)?, &v)?;
    }
    Ok(v)
}

/// Standard Gumbel samples, `-ln(-ln(u))` with `u` uniform in [0, 1), of float32, float16 or
/// bfloat16 (the dtypes `uniform` accepts).
pub fn gumbel(shape: &[usize], dtype: Dtype, key: Option<&Array>) -> Result<Array> {
    uniform_kind(dtype)?;
    // `uniform(0, 1)` is the unit uniform itself: `1 * f + 0` rounds to `f`.
    let unit = random_step(RandomMath::UnitUniform, &bits(shape, 4, key)?, dtype)?;
    random_step(RandomMath::Gumbel, &unit, dtype)
}

/// Normal samples truncated to `[lower, upper]` (arrays of `dtype` that broadcast to
/// `shape`): `sqrt(2) * erfinv(u)` with `u` uniform between `erf(lower / sqrt(2))` and
/// `erf(upper / sqrt(2))`, clipped to the bounds. `erf` is MLX's polynomial.
pub(crate) fn truncated_normal_between(
    lower: &Array,
    upper: &Array,
    shape: &[usize],
    dtype: Dtype,
    key: Option<&Array>,
) -> Result<Array> {
    let kind = uniform_kind(dtype)?;
    let sqrt2 = constant(f64::from(kind.constant(SQRT_2)), dtype)?;
    let edge = |x: &Array| random_step(RandomMath::Erf, &crate::ops::divide(x, &sqrt2)?, dtype);
    let u = uniform_between(&edge(lower)?, &edge(upper)?, shape, dtype, key)?;
    let z = multiply(&sqrt2, &random_step(RandomMath::ErfInv, &u, dtype)?)?;
    maximum(&minimum(upper, &z)?, lower)
}

/// Normal samples truncated to `[lower, upper]`, of float32, float16 or bfloat16:
/// `sqrt(2) * erfinv(u)` with `u` uniform between `erf(lower / sqrt(2))` and
/// `erf(upper / sqrt(2))`, clipped to the bounds. `erf` is MLX's polynomial.
pub fn truncated_normal(
    lower: f64,
    upper: f64,
    shape: &[usize],
    dtype: Dtype,
    key: Option<&Array>,
) -> Result<Array> {
    if !dtype.is_floating() {
        return Err(Error::InvalidArgument(
            "[trunc_normal] trunc_normal only accepts floating point dtypes.".into(),
        ));
    }
    let kind = uniform_kind(dtype)?;
    let bound = |x: f64| constant(f64::from(kind.constant(x)), dtype);
    truncated_normal_between(&bound(lower)?, &bound(upper)?, shape, dtype, key)
}
