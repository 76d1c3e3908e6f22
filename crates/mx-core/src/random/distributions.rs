//! Continuous distributions: uniform, normal, laplace, gumbel and truncated normal.
//!
//! The values are computed on the host with MLX's exact sequence of f32 operations, so the
//! results match MLX bit for bit. Scalar arguments are `f64`s that MLX would receive as Python
//! floats: they pass through float32 before they take the output dtype (float64 `normal`
//! keeps them exact, as MLX does).

use super::float::{erf_mlx, erfinv_mlx, max_mlx, min_mlx, Real};
use super::key::key_words;
use super::threefry::random_words;
use crate::error::{Error, Result};
use crate::{Array, Complex64, Dtype};

/// `nextafter(-1, 0)` in f32: the low bound of the uniform that `normal` and `laplace`
/// transform (the high bound is 1).
const SYMMETRIC_LOW: f32 = -0.999_999_94;

/// `sqrt(2)`, cast to the output dtype where it is used.
const SQRT_2: f64 = std::f64::consts::SQRT_2;

/// MLX's divisor from random uint32 words to [0, 1]: `float(UINT32_MAX)`, which is 2^32.
const WORD_SCALE: f32 = 4_294_967_296.0;

/// The number of elements of `shape`.
fn numel(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// The kind of a dtype `uniform` accepts, or MLX's error for the others.
fn uniform_kind(dtype: Dtype) -> Result<Real> {
    if !dtype.is_floating() {
        return Err(Error::InvalidArgument(
            "[uniform] Can only generate uniform numbers with real floating point type.".into(),
        ));
    }
    Real::of(dtype).ok_or_else(|| Error::InvalidArgument("[uniform] Unsupported type.".into()))
}

/// The `n` values of `uniform(lo, hi)` in `kind` from `key`, with `lo` and `hi` values of
/// `kind` already: `range = hi - lo`, `f = min(word / 2^32, below_one)` rounded to `kind`,
/// then `range * f + lo` as two rounded ops (no FMA).
pub(crate) fn uniform_values(lo: f32, hi: f32, n: usize, kind: Real, key: [u32; 2]) -> Vec<f32> {
    let range = kind.round(hi - lo);
    let upper = kind.below_one();
    random_words(key, n)
        .into_iter()
        .map(|word| {
            let f = kind.round((word as f32 / WORD_SCALE).min(upper));
            kind.round(kind.round(range * f) + lo)
        })
        .collect()
}

/// The `n` values of `gumbel` in `kind` from `key`: `-ln(-ln(u))` of a unit uniform, each
/// op rounded to `kind`.
pub(crate) fn gumbel_values(n: usize, kind: Real, key: [u32; 2]) -> Vec<f32> {
    uniform_values(0.0, 1.0, n, kind, key)
        .into_iter()
        .map(|u| kind.round(-kind.round(-u.ln()).ln()))
        .collect()
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
    let key = key_words(key)?;
    let values = uniform_values(
        kind.constant(low),
        kind.constant(high),
        numel(shape),
        kind,
        key,
    );
    kind.array(&values, shape)
}

/// `n` float32 uniforms in `(-1, 1)` (from `nextafter(-1, 0)` up to 1): what `normal` and
/// `laplace` transform.
fn symmetric_uniform(n: usize, key: [u32; 2]) -> Vec<f32> {
    uniform_values(SYMMETRIC_LOW, 1.0, n, Real::F32, key)
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
    let u = symmetric_uniform(numel(shape), key_words(key)?);
    let Some(kind) = Real::of(dtype) else {
        let s = scale.map_or(SQRT_2, |scale| SQRT_2 * scale);
        let values: Vec<f64> = u
            .iter()
            .map(|&u| {
                let z = s * f64::from(erfinv_mlx(u));
                loc.map_or(z, |loc| loc + z)
            })
            .collect();
        return Array::from_slice(&values, shape);
    };
    let sqrt2 = kind.constant(SQRT_2);
    let s = scale.map_or(sqrt2, |scale| kind.round(sqrt2 * kind.constant(scale)));
    let loc = loc.map(|loc| kind.constant(loc));
    let values: Vec<f32> = u
        .iter()
        .map(|&u| {
            let z = kind.round(s * kind.round(erfinv_mlx(u)));
            loc.map_or(z, |loc| kind.round(loc + z))
        })
        .collect();
    kind.array(&values, shape)
}

/// complex64 `normal`: consecutive uniforms give the real and imaginary parts, without the
/// `sqrt(2)`; then `scale * z` and `loc + z` as complex ops.
fn complex_normal(
    shape: &[usize],
    loc: Option<f64>,
    scale: Option<f64>,
    key: Option<&Array>,
) -> Result<Array> {
    let u = symmetric_uniform(2 * numel(shape), key_words(key)?);
    let values: Vec<Complex64> = u
        .chunks_exact(2)
        .map(|pair| {
            let z = Complex64::new(erfinv_mlx(pair[0]), erfinv_mlx(pair[1]));
            let z = scale.map_or(z, |scale| Complex64::new(scale as f32, 0.0) * z);
            loc.map_or(z, |loc| Complex64::new(loc as f32, 0.0) + z)
        })
        .collect();
    Array::from_slice(&values, shape)
}

/// The sign of `x` as MLX computes it: 1, -1, or 0 for zeros.
fn sign(x: f32) -> f32 {
    f32::from(x > 0.0) - f32::from(x < 0.0)
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
    let u = symmetric_uniform(numel(shape), key_words(key)?);
    let (loc, scale) = (loc as f32, scale as f32);
    let Some(kind) = Real::of(dtype) else {
        let values: Vec<f64> = u
            .iter()
            .map(|&u| {
                let mut v = f64::from(sign(u)) * (-f64::from(u.abs())).ln_1p();
                if scale != 1.0 {
                    v *= f64::from(scale);
                }
                if loc != 0.0 {
                    v += f64::from(loc);
                }
                v
            })
            .collect();
        return Array::from_slice(&values, shape);
    };
    let (loc, scale) = (kind.round(loc), kind.round(scale));
    let values: Vec<f32> = u
        .iter()
        .map(|&u| {
            let mut v = kind.round(sign(u) * (-u.abs()).ln_1p());
            if scale != 1.0 {
                v = kind.round(scale * v);
            }
            if loc != 0.0 {
                v = kind.round(loc + v);
            }
            v
        })
        .collect();
    kind.array(&values, shape)
}

/// Standard Gumbel samples, `-ln(-ln(u))` with `u` uniform in [0, 1), of float32, float16 or
/// bfloat16 (the dtypes `uniform` accepts).
pub fn gumbel(shape: &[usize], dtype: Dtype, key: Option<&Array>) -> Result<Array> {
    let kind = uniform_kind(dtype)?;
    let values = gumbel_values(numel(shape), kind, key_words(key)?);
    kind.array(&values, shape)
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
    let sqrt2 = kind.constant(SQRT_2);
    let (lo, hi) = (kind.constant(lower), kind.constant(upper));
    let a = erf_mlx(kind.round(lo / sqrt2), kind);
    let b = erf_mlx(kind.round(hi / sqrt2), kind);
    let values: Vec<f32> = uniform_values(a, b, numel(shape), kind, key_words(key)?)
        .into_iter()
        .map(|u| {
            let z = kind.round(sqrt2 * kind.round(erfinv_mlx(u)));
            max_mlx(min_mlx(hi, z), lo)
        })
        .collect();
    kind.array(&values, shape)
}
