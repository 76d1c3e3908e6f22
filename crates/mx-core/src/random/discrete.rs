//! Discrete distributions: randint, bernoulli, categorical and permutations.

use super::bits;
use super::bounds::{bernoulli_array, randint_array};
use super::distributions::{gumbel, uniform};
use super::float::{exp_mlx, max_mlx};
use crate::error::{shape_str, Error, Result};
use crate::ops::{add, argmax, argsort, take};
use crate::{broadcast_shapes, Array, Dtype};

/// Random integers in `[low, high)` of an integer dtype or bool, as MLX 0.32.4 draws them:
/// `floor` of a float32 `uniform(low, high)` (so only 24 bits of resolution), cast to
/// `dtype`, then clipped to `[low, high - 1]` cast to `dtype`. `high - 1` is computed in
/// int32 (wrapping) when `high` fits it, like a Python int. `low >= high` gives all `low`.
///
/// ```
/// use mx_core::{random, Dtype};
/// let k = random::key(0).unwrap();
/// let x = random::randint(0, 10, &[5], Dtype::Int32, Some(&k)).unwrap();
/// assert_eq!(x.to_vec::<i32>().unwrap(), vec![5, 0, 3, 8, 5]);
/// ```
pub fn randint(
    low: i64,
    high: i64,
    shape: &[usize],
    dtype: Dtype,
    key: Option<&Array>,
) -> Result<Array> {
    // `high - 1` in high's own dtype: int32 when it fits, like a Python int, else int64.
    let high = match i32::try_from(high) {
        Ok(high) => Array::from_scalar(high)?,
        Err(_) => Array::from_scalar(high)?,
    };
    randint_array(&Array::from_scalar(low)?, &high, shape, dtype, key)
}

/// A bool array that is true with probability `p`: `float32(word) < p * (2^32 + 512)` for
/// random uint32 words, in f32. `p >= 1` gives all true, `p <= 0` or NaN all false.
pub fn bernoulli(p: f64, shape: &[usize], key: Option<&Array>) -> Result<Array> {
    bernoulli_array(&Array::from_scalar(p as f32)?, Some(shape), key)
}

/// `axis` of `logits` made non-negative, or MLX's error naming the axis as given.
fn categorical_axis(logits: &Array, axis: isize) -> Result<usize> {
    let ndim = logits.ndim() as isize;
    let ax = if axis < 0 { axis + ndim } else { axis };
    if ax < 0 || ax >= ndim {
        return Err(Error::InvalidArgument(format!(
            "[categorical] Invalid axis {axis} for logits with {ndim} dimensions."
        )));
    }
    Ok(ax as usize)
}

/// Samples (uint32 indices along `axis`) from the categorical distributions whose
/// unnormalised log-probabilities lie along `axis` of `logits`.
///
/// Without `num_samples` there is one sample per distribution (the shape of `logits`
/// without `axis`); with it, that many per distribution, on a new last axis. A single
/// distribution sampled `num_samples` times uses MLX's inverse-CDF path, anything else
/// Gumbel-max, as in MLX 0.32.4.
pub fn categorical(
    logits: &Array,
    axis: isize,
    num_samples: Option<usize>,
    key: Option<&Array>,
) -> Result<Array> {
    let ax = categorical_axis(logits, axis)?;
    let mut shape = logits.shape().to_vec();
    shape.remove(ax);
    match num_samples {
        None => sample_categorical(logits, ax, shape, key),
        Some(num) => {
            shape.push(num);
            sample_categorical(&logits.expand_dims(&[-1])?, ax, shape, key)
        }
    }
}

/// [`categorical`] with an explicit output `shape`, which the shape of `logits` without
/// `axis` must broadcast to. A single distribution (any non-empty `shape`) uses the
/// inverse-CDF path, anything else Gumbel-max.
pub fn categorical_with_shape(
    logits: &Array,
    axis: isize,
    shape: &[usize],
    key: Option<&Array>,
) -> Result<Array> {
    let ax = categorical_axis(logits, axis)?;
    let mut reduced = logits.shape().to_vec();
    reduced.remove(ax);
    if broadcast_shapes(shape, &reduced)? != shape {
        return Err(Error::Shape(format!(
            "[categorical] Requested shape {} is not broadcast compatible with reduced logits shape{}.",
            shape_str(shape),
            shape_str(&reduced)
        )));
    }
    sample_categorical(logits, ax, shape.to_vec(), key)
}

/// Samples of `shape` from the distributions along `ax` of `logits`: the inverse CDF for a
/// single distribution with a non-empty `shape`, otherwise the argmax of `logits` plus
/// float32 Gumbel noise (the first maximum wins).
fn sample_categorical(
    logits: &Array,
    ax: usize,
    mut shape: Vec<usize>,
    key: Option<&Array>,
) -> Result<Array> {
    let n = logits.shape()[ax];
    if n > 0 && n == logits.size() && !shape.is_empty() {
        return inverse_cdf(logits, &shape, key);
    }
    let offset = ax + shape.len() + 1 - logits.ndim();
    shape.insert(offset, n);
    let noise = gumbel(&shape, Dtype::Float32, key)?;
    argmax(&add(&noise, logits)?, Some(offset as isize), false)
}

/// Inverse-CDF sampling of the single distribution in `logits` (as float32): weights
/// `exp(l - max)` (or `l == max` when the maximum is infinite), their exclusive running sum
/// `c` and total, and for each `t = uniform * total` the index `searchsorted(c, t, right) - 1`.
fn inverse_cdf(logits: &Array, shape: &[usize], key: Option<&Array>) -> Result<Array> {
    let l = logits.to_vec::<f32>()?;
    let m = l.iter().fold(f32::NEG_INFINITY, |m, &x| max_mlx(m, x));
    let w: Vec<f32> = if m.is_infinite() {
        l.iter().map(|&x| f32::from(x == m)).collect()
    } else {
        l.iter().map(|&x| exp_mlx(x - m)).collect()
    };
    let mut cdf = Vec::with_capacity(w.len());
    let mut total = 0.0f32;
    for &weight in &w {
        cdf.push(total);
        total += weight;
    }
    let values: Vec<u32> = uniform(0.0, 1.0, shape, Dtype::Float32, key)?
        .to_vec::<f32>()?
        .into_iter()
        .map(|u| {
            let t = u * total;
            (cdf.partition_point(|&c| c <= t) as u32).wrapping_sub(1)
        })
        .collect();
    Array::from_slice(&values, shape)
}

/// A random permutation of `0..n` (uint32): the stable argsort of `n` random uint32 words.
///
/// ```
/// let k = mx_core::random::key(0).unwrap();
/// let p = mx_core::random::permutation(5, Some(&k)).unwrap();
/// assert_eq!(p.to_vec::<u32>().unwrap(), vec![1, 2, 0, 4, 3]);
/// ```
pub fn permutation(n: usize, key: Option<&Array>) -> Result<Array> {
    argsort(&bits(&[n], 4, key)?, Some(0))
}

/// `x` with its entries along `axis` (negative counts from the end) randomly shuffled:
/// `take(x, permutation(x.shape[axis]), axis)`.
pub fn permutation_array(x: &Array, axis: isize, key: Option<&Array>) -> Result<Array> {
    let ndim = x.ndim() as isize;
    let ax = if axis < 0 { axis + ndim } else { axis };
    if ax < 0 || ax >= ndim {
        return Err(Error::InvalidArgument("SmallVector out of range.".into()));
    }
    let order = permutation(x.shape()[ax as usize], key)?;
    take(x, &order, Some(axis))
}
